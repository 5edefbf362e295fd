//! IPC commands. Each is declared in `command_list.rs`, which gives the handler, the permissions
//! and the TypeScript command table; the desk's commands are generated from their declaration
//! (see `command_list!` below), and only the shell's (the updater, the first screen's probe,
//! printing) are written here.

use std::sync::Arc;

use tauri::{AppHandle, State};

use crate::command_table;
use crate::first_screen::FirstScreen;
use desk_core::desk::{CurrentPayment, Desk, Need};
use desk_core::dto::*;
use desk_core::error::AppResult;
use desk_core::journal::{
    Approval, CurrencyTotals, ExportInput, Filter, Page, PageQuery, Report, ReportRange,
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

/// The window's own print: macOS's web view ignores a page's `window.print()`, so Rust asks the
/// web view (WKWebView's print operation on macOS; on Windows and Linux the same dialog the page
/// would open).
#[tauri::command]
async fn print_window(window: tauri::WebviewWindow) -> AppResult<()> {
    window.print().map_err(|e| {
        desk_core::error::AppError::new(desk_core::error::ErrorCode::Internal, e.to_string())
    })
}

// After the shell's command functions: `generate_handler!` uses the macros `#[tauri::command]`
// defines, and the desk's are written here first.
macro_rules! command_list {
    (
        desk { $($(#[doc = $doc:literal])* $name:ident ( $($arg:ident : $ty:ty)? ) -> $ret:ty : $need:ident = $method:ident;)* }
        shell { $($(#[doc = $shell_doc:literal])* $shell:ident ( $($shell_arg:ident : $shell_ty:ty)? ) -> $shell_ret:ty : $shell_need:ident;)* }
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
                    &[$($doc),*],
                    vec![$((stringify!($arg), command_table::ts::<$ty>()))?],
                    command_table::ts::<$ret>(),
                );
            )*
            $(
                table.command(
                    stringify!($shell),
                    &[$($shell_doc),*],
                    vec![$((stringify!($shell_arg), command_table::ts::<$shell_ty>()))?],
                    command_table::ts::<$shell_ret>(),
                );
            )*
        }
    };
}

include!("command_list.rs");
