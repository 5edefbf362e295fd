//! New versions of Dealer Desk, through tauri-plugin-updater. Looked for at start (at most once a
//! day, unless turned off in Settings) and on "Check now"; offered to the operator, who installs
//! when it suits them. The plugin installs nothing whose minisign signature is not the release
//! key's (`plugins.updater.pubkey`), the signed version included (`requireSignedVersion`); the
//! desk installs nothing while a payment, cancel or refund is being sent, and sends nothing while
//! it installs. A check at start that fails is logged, never shown: the desk works without it.

use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use desk_core::desk::Desk;
use desk_core::dto::UpdateOffer;
use desk_core::error::{AppError, AppResult, ErrorCode, Field, Reason};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

/// How long a check or a download may take before it counts as unreachable.
const PATIENCE: Duration = Duration::from_secs(60);

/// The update found last, kept for "Install and restart".
#[derive(Default)]
pub struct Found(Mutex<Option<Update>>);

impl Found {
    fn keep(&self, update: Option<Update>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = update;
    }

    fn get(&self) -> Option<Update> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The check at start: only when due (see [`Desk::update_check_due`]); a newer version is
/// announced with `on_offer`, a failure only logged.
pub async fn check_at_start<R: Runtime>(
    app: &AppHandle<R>,
    desk: &Desk,
    on_offer: impl FnOnce(&UpdateOffer),
) {
    let required = desk.journal_needs_newer_app().await;
    if !required {
        match desk.update_check_due(Utc::now()) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => return tracing::warn!("update check not noted: {}", e.message),
        }
    }
    match check(app, desk.update_endpoint().as_deref()).await {
        Ok(Some(offer)) => on_offer(&UpdateOffer { required, ..offer }),
        Ok(None) => tracing::info!("no newer version"),
        Err(e) => tracing::warn!(code = %e.code, "update check at start failed: {}", e.message),
    }
}

/// Asks `endpoint` (or the endpoints the build names) whether a newer version exists.
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    endpoint: Option<&str>,
) -> AppResult<Option<UpdateOffer>> {
    if release_key(app).is_empty() {
        return Err(AppError::new(
            ErrorCode::UpdateNotConfigured,
            "this build carries no release key (plugins.updater.pubkey)",
        ));
    }
    let mut builder = app.updater_builder().timeout(PATIENCE);
    if let Some(endpoint) = endpoint {
        let url = endpoint
            .parse()
            .map_err(|_| AppError::field(Field::UpdateEndpoint, Reason::Invalid))?;
        builder = builder.endpoints(vec![url]).map_err(unreachable)?;
    }
    let found = builder
        .build()
        .map_err(unreachable)?
        .check()
        .await
        .map_err(unreachable)?;
    let offer = found.as_ref().map(offer_of);
    app.state::<Found>().keep(found);
    Ok(offer)
}

/// The update the last check found, if it found one.
pub fn found<R: Runtime>(app: &AppHandle<R>) -> Option<Update> {
    app.state::<Found>().get()
}

/// Downloads the update found, checks its signature, installs it and restarts into it. Refused
/// while anything is being sent; nothing is sent from the moment it starts.
pub async fn install<R: Runtime>(app: &AppHandle<R>, desk: &Desk) -> AppResult<()> {
    let update = found(app)
        .ok_or_else(|| AppError::new(ErrorCode::UpdateFailed, "no update was found to install"))?;
    let _hold = desk.hold_sends_for_update()?;
    let package = download_verified(&update).await?;
    update.install(package).map_err(|e| {
        tracing::error!("update not installed: {e}");
        AppError::new(ErrorCode::UpdateFailed, e.to_string())
    })?;
    tracing::info!(version = %update.version, "update installed; restarting");
    app.restart()
}

/// The update's package, once its signature is the release key's.
pub async fn download_verified(update: &Update) -> AppResult<Vec<u8>> {
    use tauri_plugin_updater::Error;
    update
        .download(|_, _| {}, || {})
        .await
        .map_err(|e| match e {
            Error::Minisign(_)
            | Error::Base64(_)
            | Error::SignatureUtf8(_)
            | Error::SignedVersionMismatch { .. }
            | Error::MissingSignedVersion => {
                tracing::error!(version = %update.version, "update refused: {e}");
                AppError::new(ErrorCode::UpdateSignatureInvalid, e.to_string())
            }
            other => unreachable(other),
        })
}

/// The public key updates must be signed with, as the build names it; empty in builds that are
/// not releases (the release workflow sets it).
fn release_key<R: Runtime>(app: &AppHandle<R>) -> String {
    app.config()
        .plugins
        .0
        .get("updater")
        .and_then(|updater| updater.get("pubkey"))
        .and_then(|key| key.as_str())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn unreachable(e: tauri_plugin_updater::Error) -> AppError {
    AppError::new(ErrorCode::UpdateUnreachable, e.to_string())
}

pub fn offer_of(update: &Update) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().filter(|n| !n.trim().is_empty()),
        required: false,
    }
}
