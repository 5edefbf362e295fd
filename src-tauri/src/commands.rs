//! IPC commands: thin wrappers over [`Desk`]. Each validates through the desk and returns data
//! or an [`AppError`]. Each is declared in `command_list.rs`, which gives the handler, the
//! permissions and the TypeScript command table.

use std::sync::Arc;

use tauri::{AppHandle, State};

use crate::first_screen::FirstScreen;
use crate::{command_table, threeds};
use desk_core::desk::{CurrentPayment, Desk, Need};
use desk_core::dto::*;
use desk_core::error::{AppError, AppResult, ErrorCode};
use desk_core::journal::{Approval, CsvFormat, CurrencyTotals, Filter, Page, Report, ReportRange};

type DeskState<'a> = State<'a, Arc<Desk>>;

#[tauri::command]
async fn app_status(desk: DeskState<'_>) -> AppResult<AppStatus> {
    desk.status().await
}

#[tauri::command]
async fn list_profiles(desk: DeskState<'_>) -> AppResult<Vec<ProfileView>> {
    Ok(desk.list_profiles().await)
}

#[tauri::command]
async fn save_profile(desk: DeskState<'_>, input: ProfileInput) -> AppResult<ProfileView> {
    desk.save_profile(input).await
}

#[tauri::command]
async fn delete_profile(desk: DeskState<'_>, id: String) -> AppResult<()> {
    desk.delete_profile(&id).await
}

#[tauri::command]
async fn switch_profile(desk: DeskState<'_>, id: String) -> AppResult<AppStatus> {
    desk.switch_profile(&id).await
}

#[tauri::command]
async fn test_connection(desk: DeskState<'_>, id: String) -> AppResult<ConnectionTest> {
    desk.test_connection(&id).await
}

#[tauri::command]
async fn payment_options(
    desk: DeskState<'_>,
    first_screen: State<'_, Arc<FirstScreen>>,
    currency: String,
) -> AppResult<Vec<PosView>> {
    first_screen.asked();
    desk.payment_options(&currency).await
}

#[tauri::command]
async fn bin_options(
    desk: DeskState<'_>,
    bin: String,
    currency: String,
    amount: Option<String>,
) -> AppResult<BinOptionsView> {
    desk.bin_options(&bin, &currency, amount.as_deref()).await
}

#[tauri::command]
async fn quote(desk: DeskState<'_>, input: QuoteInput) -> AppResult<Vec<PosQuote>> {
    desk.quote(&input)
}

#[tauri::command]
async fn new_order_reference(desk: DeskState<'_>) -> AppResult<String> {
    Ok(desk.new_order_reference())
}

#[tauri::command]
async fn pay(
    app: AppHandle,
    desk: DeskState<'_>,
    input: PaymentInput,
) -> AppResult<PaymentOutcome> {
    desk.pay(input, |redirect, return_url| {
        threeds::run(app, redirect, return_url)
    })
    .await
}

#[tauri::command]
async fn current_payment(desk: DeskState<'_>) -> AppResult<Option<CurrentPayment>> {
    Ok(desk.current_payment())
}

#[tauri::command]
async fn dismiss_payment(desk: DeskState<'_>) -> AppResult<()> {
    desk.dismiss_payment()
}

#[tauri::command]
async fn check_payment(desk: DeskState<'_>, order_reference: String) -> AppResult<PaymentOutcome> {
    desk.check_payment(&order_reference).await
}

#[tauri::command]
async fn lookup_transaction(desk: DeskState<'_>, key: LookupKey) -> AppResult<TransactionScreen> {
    desk.lookup(key).await
}

#[tauri::command]
async fn cancel_transaction(
    desk: DeskState<'_>,
    input: CancelInput,
) -> AppResult<TransactionScreen> {
    desk.cancel(input).await
}

#[tauri::command]
async fn refund_transaction(
    desk: DeskState<'_>,
    input: RefundInput,
) -> AppResult<TransactionScreen> {
    desk.refund(input).await
}

#[tauri::command]
async fn update_preferences(desk: DeskState<'_>, preferences: Preferences) -> AppResult<AppStatus> {
    desk.update_preferences(preferences).await
}

#[tauri::command]
async fn journal_search(
    desk: DeskState<'_>,
    filter: Filter,
    offset: u32,
    limit: u32,
) -> AppResult<Page> {
    desk.journal_search(&filter, offset, limit).await
}

#[tauri::command]
async fn journal_totals(desk: DeskState<'_>, filter: Filter) -> AppResult<Vec<CurrencyTotals>> {
    desk.journal_totals(&filter).await
}

#[tauri::command]
async fn journal_report(desk: DeskState<'_>, range: ReportRange) -> AppResult<Report> {
    desk.journal_report(range).await
}

#[tauri::command]
async fn test_team_journal(desk: DeskState<'_>, input: TeamJournalInput) -> AppResult<()> {
    desk.test_team_journal(input).await
}

/// The owner's password is used once, here, and kept nowhere.
#[tauri::command]
async fn set_up_team_journal(desk: DeskState<'_>, input: TeamSetUpInput) -> AppResult<AppStatus> {
    desk.set_up_team_journal(input).await
}

/// Applies at the next start: the journal is opened once, at start-up.
#[tauri::command]
async fn choose_journal(
    desk: DeskState<'_>,
    input: Option<TeamJournalInput>,
) -> AppResult<AppStatus> {
    desk.choose_journal(input).await
}

/// Copies this desk's file into the chosen team database, telling the window how far it is.
#[tauri::command]
async fn copy_journal_to_team(
    app: AppHandle,
    desk: DeskState<'_>,
    allowed_by: TeamSupervisor,
) -> AppResult<CopyProgress> {
    desk.copy_journal_to_team(allowed_by, |progress| {
        crate::events::JOURNAL_COPY.emit(&app, &progress)
    })
    .await
}

#[tauri::command]
async fn staff_status(desk: DeskState<'_>) -> AppResult<StaffStatus> {
    desk.staff_status().await
}

#[tauri::command]
async fn sign_in(desk: DeskState<'_>, input: SignInInput) -> AppResult<StaffStatus> {
    desk.sign_in(input).await
}

#[tauri::command]
async fn sign_out(desk: DeskState<'_>) -> AppResult<StaffStatus> {
    desk.sign_out().await
}

/// The operator is typing or pointing: the sign-in stays alive.
#[tauri::command]
async fn still_here(desk: DeskState<'_>) -> AppResult<()> {
    desk.still_here().await
}

#[tauri::command]
async fn list_operators(desk: DeskState<'_>) -> AppResult<Vec<OperatorView>> {
    desk.list_operators().await
}

#[tauri::command]
async fn save_operator(desk: DeskState<'_>, input: OperatorInput) -> AppResult<Vec<OperatorView>> {
    desk.save_operator(input).await
}

#[tauri::command]
async fn request_refund_approval(desk: DeskState<'_>, input: RefundInput) -> AppResult<Approval> {
    desk.request_refund_approval(input).await
}

#[tauri::command]
async fn request_cancel_approval(desk: DeskState<'_>, input: CancelInput) -> AppResult<Approval> {
    desk.request_cancel_approval(input).await
}

/// A supervisor settles by hand what the gateway cannot settle by itself.
#[tauri::command]
async fn resolve_in_doubt(
    desk: DeskState<'_>,
    input: ResolveInput,
) -> AppResult<TransactionScreen> {
    desk.resolve_in_doubt(input).await
}

#[tauri::command]
async fn list_approvals(desk: DeskState<'_>) -> AppResult<Vec<Approval>> {
    desk.approvals().await
}

#[tauri::command]
async fn decide_approval(desk: DeskState<'_>, input: DecisionInput) -> AppResult<Approval> {
    desk.decide_approval(input).await
}

/// "Check now" in Settings: the operator's address, else the build's.
#[tauri::command]
async fn check_for_update(app: AppHandle, desk: DeskState<'_>) -> AppResult<Option<UpdateOffer>> {
    crate::updates::check(&app, desk.update_endpoint().as_deref()).await
}

/// What the last check found (the check at start may answer before the window listens).
#[tauri::command]
async fn update_found(app: AppHandle) -> AppResult<Option<UpdateOffer>> {
    Ok(crate::updates::found(&app)
        .as_ref()
        .map(crate::updates::offer_of))
}

/// "Install and restart": refused while money is being sent; restarts into the new version.
#[tauri::command]
async fn install_update(app: AppHandle, desk: DeskState<'_>) -> AppResult<()> {
    crate::updates::install(&app, &desk).await
}

#[tauri::command]
async fn reconcile_pending(desk: DeskState<'_>) -> AppResult<ReconcileReport> {
    desk.reconcile_pending().await
}

#[tauri::command]
async fn unsettled_now(desk: DeskState<'_>) -> AppResult<ReconcileReport> {
    desk.unsettled_now().await
}

/// Asks where to save (native dialog; the gate checked the operator may export before), then
/// writes exactly the filtered entries. `None` when the operator cancelled the dialog.
#[tauri::command]
async fn export_csv(
    app: AppHandle,
    desk: DeskState<'_>,
    filter: Filter,
    format: CsvFormat,
) -> AppResult<Option<ExportResult>> {
    use tauri_plugin_dialog::DialogExt;
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let name = format!(
        "dealer-desk-{}.csv",
        chrono::Local::now().format("%Y-%m-%d")
    );
    app.dialog()
        .file()
        .add_filter("CSV", &["csv"])
        .set_file_name(name)
        .save_file(move |path| {
            let _ = sender.send(path);
        });
    let Some(path) = receiver.await.ok().flatten() else {
        return Ok(None);
    };
    let path = path
        .into_path()
        .map_err(|e| AppError::new(ErrorCode::ExportFailed, e.to_string()))?;
    desk.export_csv(&filter, format, path).await.map(Some)
}

// After the command functions: `generate_handler!` uses the macros `#[tauri::command]` defines.
macro_rules! command_list {
    ($($name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty : $need:ident;)*) => {
        /// Every command's name (the capability test checks the grants against it).
        pub const ALL: &[&str] = &[$(stringify!($name)),*];

        /// The permission table: what each command needs.
        pub const NEEDS: &[(&str, Need)] = &[$((stringify!($name), Need::$need)),*];

        /// Every command, each behind the gate.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            crate::gate::guard(NEEDS, tauri::generate_handler![$($name),*])
        }

        /// Adds every command to the TypeScript table.
        pub fn describe(table: &mut command_table::Table) {
            $(
                table.command(
                    stringify!($name),
                    vec![$((stringify!($arg), command_table::ts::<$ty>())),*],
                    command_table::ts::<$ret>(),
                );
            )*
        }
    };
}

include!("command_list.rs");
