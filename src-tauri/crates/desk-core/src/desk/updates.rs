//! When the desk may look for and install a new version; the looking and installing themselves
//! are the shell's (tauri-plugin-updater). At start at most once a day unless turned off, from
//! the operator's address or the build's; never while a payment, cancel or refund is being sent.

use chrono::{DateTime, Duration, Utc};

use super::money_path::Claim;
use super::Desk;
use crate::error::{AppError, AppResult, Field, Reason};

/// How often the check at start may run.
const CHECK_EVERY: Duration = Duration::hours(24);

impl Desk {
    /// Whether the check at start should run at `now`; when it should, `now` is remembered as
    /// the last check first (a desk restarted in a loop asks once a day, not once a start).
    pub fn update_check_due(&self, now: DateTime<Utc>) -> AppResult<bool> {
        let settings = self.profiles.settings();
        if !settings.check_for_updates {
            return Ok(false);
        }
        let last = settings
            .updates_checked_at
            .as_deref()
            .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
            .map(|at| at.with_timezone(&Utc));
        // A last check in the future (a clock set back) does not stop checks for good.
        if last.is_some_and(|last| last <= now && now - last < CHECK_EVERY) {
            return Ok(false);
        }
        self.profiles.update_settings(|s| {
            s.updates_checked_at = Some(now.to_rfc3339());
            Ok(())
        })?;
        Ok(true)
    }

    /// Whether the team journal was set up by a newer app this one cannot work with: then a
    /// newer version is looked for at once, whatever the day's check said, and offered as
    /// required.
    pub async fn journal_needs_newer_app(&self) -> bool {
        matches!(
            self.journal.count_unsettled("").await,
            Err(e) if e.code == crate::error::ErrorCode::JournalNewer
        )
    }

    /// The operator's update address, if one is set (else the build's).
    pub fn update_endpoint(&self) -> Option<String> {
        self.profiles.settings().update_endpoint
    }

    /// Holds every payment, cancel and refund off while an update installs (until dropped);
    /// refused while any is being sent.
    pub fn hold_sends_for_update(&self) -> AppResult<Claim<'_>> {
        self.money.hold_for_update()
    }
}

/// An update address as typed: empty goes back to the build's; otherwise `https` (what a
/// release build's updater accepts).
pub(super) fn valid_endpoint(typed: &str) -> AppResult<Option<String>> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let url = url::Url::parse(typed)
        .map_err(|_| AppError::field(Field::UpdateEndpoint, Reason::Invalid))?;
    match url.scheme() {
        "https" => Ok(Some(url.to_string())),
        "http" => Err(AppError::field(
            Field::UpdateEndpoint,
            Reason::HttpsRequired,
        )),
        _ => Err(AppError::field(Field::UpdateEndpoint, Reason::Invalid)),
    }
}
