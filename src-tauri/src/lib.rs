//! Dealer Desk, the desktop app: what touches Tauri (commands, the 3D window, the plugin store)
//! and the wiring around `desk-core`, which does the work.

mod command_table;
pub mod commands;
mod events;
mod first_screen;
mod gate;
mod host;
pub mod store;
mod threeds;
pub mod updates;
mod webkit;

use desk_core::secrets::SecretStore;
use desk_core::{dto, journal, settings, DemoAccess, Desk};

use std::sync::Arc;

use tauri::Manager;

use first_screen::FirstScreen;

/// Logs to standard output at the levels `RUST_LOG` names (`desk_core=debug,info`), else at
/// `usual`'s.
fn log_at(usual: &str) {
    use tracing_subscriber::prelude::*;
    let levels: tracing_subscriber::filter::Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|wanted| wanted.parse().ok())
        .unwrap_or_else(|| usual.parse().expect("the usual log levels parse"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer())
        .with(levels)
        .init();
}

pub fn run() {
    log_at("dealer_desk=info,desk_core=info,vpws=info,vpws_sim=warn");
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(updates::Found::default())
        .manage(Arc::new(FirstScreen::default()))
        .setup(|app| {
            if let Some(main) = app.get_webview_window("main") {
                webkit::apply(&main);
            }
            let desk = Arc::new(start_desk(app.handle())?);
            app.manage(desk.clone());
            check_keychain(app.handle().clone(), desk.clone());
            reconcile_at_start(app.handle().clone(), desk.clone());
            follow_the_journal(app.handle().clone(), desk.clone());
            reconcile_on_a_timer(app.handle().clone(), desk.clone());
            after_the_first_screen(app.handle().clone(), desk);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("error while running Dealer Desk");
}

fn start_desk(app: &tauri::AppHandle) -> Result<Desk, Box<dyn std::error::Error>> {
    use tauri_plugin_store::StoreExt;
    let demo = demo_access(app)?;
    let keychain = desk_core::secrets::OsKeychain::of_the_app();
    let data_dir = app.path().app_data_dir()?;
    // The store resolves "settings.json" in the app data directory; an unreadable file would be
    // dropped silently by its first save, so it is set aside first.
    let damaged_settings = settings::set_aside_if_unreadable(&data_dir.join("settings.json"))?;
    let store = app.store("settings.json")?;
    let repo = store::PluginStoreRepo { store };
    let choice = settings::SettingsRepo::load(&repo)?
        .map(|s| s.journal)
        .unwrap_or_default();
    let (journal, damaged_journal): (Arc<dyn journal::Journal>, _) = match &choice {
        settings::JournalChoice::Local => {
            let (journal, damaged) =
                journal::SqliteJournal::open_or_set_aside(&data_dir.join("journal.sqlite"))?;
            (Arc::new(journal), damaged)
        }
        // Connects when first used: a desk starts while the database is down, and refuses
        // money operations until it is back (never a journal on the side).
        settings::JournalChoice::Team { database } => {
            let password = keychain
                .get(settings::TEAM_PASSWORD_KEY)
                .ok()
                .flatten()
                .unwrap_or_default();
            (
                Arc::new(journal::PgJournal::open_at_start(database, &password)?),
                None,
            )
        }
    };
    let notice = |code: &str, path: std::path::PathBuf| dto::StartNotice::set_aside(code, &path);
    let notices: Vec<dto::StartNotice> = [
        damaged_settings.map(|p| notice("settings_set_aside", p)),
        damaged_journal.map(|p| notice("journal_set_aside", p)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let language = settings::Language::from_locale(sys_locale::get_locale().as_deref());
    let host = host::TauriHost {
        app: app.clone(),
        settings: Arc::new(repo),
        secrets: Arc::new(keychain),
    };
    let desk = Desk::new(Arc::new(host), journal, demo, language, None)?
        .with_keychain_check_pending()
        .with_journal_in_use(choice)
        .with_local_journal_file(data_dir.join("journal.sqlite"))
        .with_notices(notices);
    // A dealer's own mail server whose certificate the OS does not trust: its authority (PEM).
    Ok(match std::env::var_os("DEALER_DESK_MAIL_CA") {
        Some(path) => desk.with_mail_root(std::fs::read(path)?),
        None => desk,
    })
}

/// What can wait a moment (none of it is the money path): it starts once the first screen has
/// asked for its data, at most two seconds after start.
fn after_the_first_screen(app: tauri::AppHandle, desk: Arc<Desk>) {
    let first_screen = app.state::<Arc<FirstScreen>>().inner().clone();
    tauri::async_runtime::spawn(async move {
        first_screen
            .asked_or_after(std::time::Duration::from_secs(2))
            .await;
        check_journal_file(app.clone(), desk.clone());
        send_letters(desk.clone());
        forget_old_customers(desk.clone());
        look_for_a_new_version(app, desk);
    });
}

/// The journal file's full check, off the start-up path: it reads every page.
fn check_journal_file(app: tauri::AppHandle, desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        if let Some(notice) = desk.check_journal_file().await {
            events::JOURNAL_DAMAGED.emit(&app, &notice);
        }
    });
}

/// The keychain's self-check (a value written, read back and removed: ~60 ms of D-Bus round
/// trips), off the start-up path; a keychain that does not keep values is shown at once. Then
/// what the status tells of the keychain is read, before the window asks for it.
fn check_keychain(app: tauri::AppHandle, desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        let problem = tauri::async_runtime::spawn_blocking(|| {
            desk_core::secrets::OsKeychain::of_the_app()
                .self_check()
                .err()
                .map(|e| e.message)
        })
        .await
        .unwrap_or_else(|e| Some(e.to_string()));
        if let Some(problem) = &problem {
            tracing::warn!("keychain unavailable: {problem}");
            events::KEYCHAIN_UNAVAILABLE.emit(&app, problem);
        }
        desk.keychain_checked(problem);
        desk.learn_what_the_keychain_holds().await;
    });
}

/// The retention setting's purge, off the start-up path: it may touch many journal rows.
fn forget_old_customers(desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        if let Err(e) = desk.adopt_team_settings().await {
            tracing::warn!("team settings not read: {}", e.message);
        }
        match desk.apply_retention().await {
            Ok(count) => tracing::info!(count, "customers past the retention period forgotten"),
            Err(e) => tracing::warn!("retention purge failed: {}", e.message),
        }
    });
}

/// Entries left pending or in doubt by a crash or a lost answer are re-asked at start-up; the
/// UI is told what changed and what is still not final (`journal-reconciled`).
fn reconcile_at_start(app: tauri::AppHandle, desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        match desk.reconcile_pending().await {
            Ok(report) => {
                tracing::info!(
                    changed = report.changes.len(),
                    unsettled = report.unsettled.len(),
                    "journal reconciled at start-up"
                );
                events::JOURNAL_RECONCILED.emit(&app, &report);
            }
            Err(e) => tracing::warn!("start-up reconciliation failed: {}", e.message),
        }
    });
}

/// Every write to the journal (this desk's, and on the team database the other desks' too)
/// reaches the window's lists as it happens (`journal-changed`, gathered for 200 ms).
fn follow_the_journal(app: tauri::AppHandle, desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        desk.follow_journal(|change| events::JOURNAL_CHANGED.emit(&app, change))
            .await;
    });
}

/// At start, at most once a day (Settings can turn it off): a newer version is offered in a
/// banner; a failed check is only logged.
fn look_for_a_new_version(app: tauri::AppHandle, desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        updates::check_at_start(&app, &desk, |offer| {
            events::UPDATE_AVAILABLE.emit(&app, offer);
        })
        .await;
    });
}

/// While the app runs, letters to customers go out from the outbox (never on the money path).
fn send_letters(desk: Arc<Desk>) {
    tauri::async_runtime::spawn(desk.run_postman());
}

/// While the app runs, whatever is not final is re-asked every few seconds (ARCHITECTURE.md).
fn reconcile_on_a_timer(app: tauri::AppHandle, desk: Arc<Desk>) {
    tauri::async_runtime::spawn(desk.run_reconcile_timer(move |report| {
        tracing::info!(
            changed = report.changes.len(),
            "journal reconciled on the timer"
        );
        events::JOURNAL_RECONCILED.emit(&app, report);
    }));
}

/// The built-in demo gateway on a free loopback port, or on `DEALER_DESK_DEMO_PORT` (end-to-end
/// tests use it to ask the gateway what it received).
/// The demo gateway the Demo profile talks to: the app's own, or (`DEALER_DESK_DEMO_URL`) a
/// standalone `vpws-sim` that several desks share, so that desks of one team journal see the
/// same demo transactions.
fn demo_access(app: &tauri::AppHandle) -> Result<DemoAccess, Box<dyn std::error::Error>> {
    let access = |data: &vpws_sim::DemoData, base_url: String| {
        let dealer = &data.dealers[0];
        DemoAccess {
            dealer_name: dealer.name.clone(),
            base_url,
            api_key: dealer.api_key.clone(),
            secret_key: dealer.secret_key.clone(),
        }
    };
    if let Ok(url) = std::env::var("DEALER_DESK_DEMO_URL") {
        tracing::info!(url = %url, "using a shared demo gateway");
        return Ok(access(&vpws_sim::DemoData::standard(), url));
    }
    let gateway = tauri::async_runtime::block_on(start_demo_gateway())?;
    let demo = access(gateway.data(), gateway.base_url());
    tracing::info!(url = %demo.base_url, "demo gateway started");
    app.manage(gateway);
    Ok(demo)
}

async fn start_demo_gateway() -> std::io::Result<vpws_sim::DemoGateway> {
    let port = std::env::var("DEALER_DESK_DEMO_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    vpws_sim::DemoGateway::start_on(
        port,
        vpws_sim::SimConfig::default(),
        vpws_sim::DemoData::standard(),
    )
    .await
}
