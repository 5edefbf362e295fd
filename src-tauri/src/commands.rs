//! IPC commands. Each is declared in `command_list.rs`, which gives the handler, the permissions
//! and the TypeScript command table; the desk's commands are generated from their declaration
//! (see `command_list!` below), and only the shell's, which need the window, are written here.

use std::sync::Arc;

use tauri::{AppHandle, State};

use crate::first_screen::FirstScreen;
use crate::{command_table, threeds};
use desk_core::desk::{CurrentPayment, Desk, Need};
use desk_core::dto::*;
use desk_core::error::{AppError, AppResult, ErrorCode};
use desk_core::journal::{
    Approval, CsvFormat, CurrencyTotals, Filter, Page, PageQuery, Report, ReportRange,
};

type DeskState<'a> = State<'a, Arc<Desk>>;

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

// After the shell's command functions: `generate_handler!` uses the macros `#[tauri::command]`
// defines, and the desk's are written here first.
macro_rules! command_list {
    (
        desk { $($name:ident ( $($arg:ident : $ty:ty)? ) -> $ret:ty : $need:ident = $method:ident;)* }
        shell { $($shell:ident ( $($shell_arg:ident : $shell_ty:ty),* ) -> $shell_ret:ty : $shell_need:ident;)* }
    ) => {
        $(
            #[tauri::command]
            async fn $name(desk: DeskState<'_>, $($arg: $ty)?) -> AppResult<$ret> {
                desk.$method($($arg)?).await
            }
        )*

        /// Every command's name (the capability test checks the grants against it).
        pub const ALL: &[&str] = &[$(stringify!($name),)* $(stringify!($shell)),*];

        /// The permission table: what each command needs.
        pub const NEEDS: &[(&str, Need)] = &[
            $((stringify!($name), Need::$need),)*
            $((stringify!($shell), Need::$shell_need)),*
        ];

        /// Every command, each behind the gate.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            crate::gate::guard(NEEDS, tauri::generate_handler![$($name,)* $($shell),*])
        }

        /// Adds every command to the TypeScript table.
        pub fn describe(table: &mut command_table::Table) {
            $(
                table.command(
                    stringify!($name),
                    vec![$((stringify!($arg), command_table::ts::<$ty>()))?],
                    command_table::ts::<$ret>(),
                );
            )*
            $(
                table.command(
                    stringify!($shell),
                    vec![$((stringify!($shell_arg), command_table::ts::<$shell_ty>())),*],
                    command_table::ts::<$shell_ret>(),
                );
            )*
        }
    };
}

include!("command_list.rs");
