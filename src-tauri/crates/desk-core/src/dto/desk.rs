//! The desk's own state as the window sees it: profiles, the status bar's status, preferences,
//! updates.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Language, ProfileKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    /// Shown on receipts: the demo dealer for Demo, the profile name otherwise.
    pub dealer_name: String,
    pub kind: ProfileKind,
    pub base_url: String,
    pub api_key: String,
    /// Whether a secretKey is available (keychain, or built in for Demo). Never the secret.
    pub has_secret: bool,
    pub currency: String,
    pub operator_name: String,
    pub return_url: String,
}

/// Create (no `id`) or edit a profile. `secret_key` only when the operator typed a new one.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: ProfileKind,
    pub base_url: Option<String>,
    pub api_key: String,
    pub secret_key: Option<String>,
    pub currency: String,
    pub operator_name: String,
    pub return_url: Option<String>,
}

impl std::fmt::Debug for ProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileInput")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("api_key", &self.api_key)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppStatus {
    pub profile: ProfileView,
    pub profiles: Vec<ProfileView>,
    /// The language chosen, or the OS locale's.
    pub language: Language,
    pub commission_to_customer: bool,
    /// Back office may export the journal (supervisors always may).
    pub back_office_exports: bool,
    /// Text size in percent (100, 125, 150, 200).
    pub text_size: u16,
    pub high_contrast: bool,
    pub customer_retention: crate::settings::Retention,
    /// Days after a sale the banks usually accept a refund (30, 60, 90, 180, 365).
    pub refund_period_days: u16,
    /// The days after a sale each POS's bank pays, by POS id, where set.
    #[ts(type = "Record<string, number>")]
    pub value_days: std::collections::BTreeMap<String, u16>,
    /// What the retention setting last purged, since the app started.
    pub last_purge: Option<PurgeReport>,
    pub mail: MailStatus,
    pub journal: JournalStatus,
    /// `None` when the keychain works; otherwise why not (secrets cannot be saved).
    pub keychain_problem: Option<String>,
    /// What went wrong at start-up that the operator must know (a file set aside).
    pub notices: Vec<StartNotice>,
    pub version: String,
    /// Look for a new version at start (at most once a day).
    pub check_for_updates: bool,
    /// Where to look, when not the address the build names.
    pub update_endpoint: Option<String>,
}

/// Whether letters to customers can go out from this desk: the mail server (a team setting in
/// team mode) and whether this desk's keychain holds its password. On the Demo profile letters
/// are kept for the outbox viewer instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MailStatus {
    pub server: Option<crate::mail_server::MailServer>,
    pub has_password: bool,
    /// Letters can be written for the profile in use: it is the Demo profile, or a mail server
    /// is set up (in team mode another desk may be the one that sends).
    pub available: bool,
}

/// The mail server as a supervisor saves it; `password: None` keeps the one in the keychain.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MailServerInput {
    pub server: crate::mail_server::MailServer,
    pub password: Option<String>,
}

impl std::fmt::Debug for MailServerInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailServerInput")
            .field("server", &self.server)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// Which journal the desk uses now, which one is chosen (a change applies at the next start),
/// and whether the team database's password is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalStatus {
    pub in_use: crate::settings::JournalChoice,
    pub chosen: crate::settings::JournalChoice,
    pub has_team_password: bool,
}

/// A file the app could not read: moved aside at start-up instead of lost silently, or found
/// damaged by the check after start (set aside at the next start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StartNotice {
    /// `journal_set_aside`, `settings_set_aside` or `journal_damaged`.
    pub code: String,
    /// Where the unreadable file now is.
    pub path: String,
    /// Something already done (a file set aside): the operator may put it away once read. A
    /// journal found damaged stays until the restart that sets it aside.
    pub dismissable: bool,
}

impl StartNotice {
    /// A file set aside at start (`journal_set_aside`, `settings_set_aside`).
    pub fn set_aside(code: &str, path: &std::path::Path) -> Self {
        Self {
            code: code.into(),
            path: path.display().to_string(),
            dismissable: true,
        }
    }

    /// The journal file found damaged after start (set aside at the next start).
    pub fn journal_damaged(path: &std::path::Path) -> Self {
        Self {
            code: "journal_damaged".into(),
            path: path.display().to_string(),
            dismissable: false,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Preferences {
    pub language: Option<Language>,
    pub commission_to_customer: Option<bool>,
    pub operator_name: Option<String>,
    pub text_size: Option<u16>,
    pub high_contrast: Option<bool>,
    pub customer_retention: Option<crate::settings::Retention>,
    pub refund_period_days: Option<u16>,
    pub lock_after_minutes: Option<u16>,
    /// Back office may export the journal (supervisors always may).
    pub back_office_exports: Option<bool>,
    pub check_for_updates: Option<bool>,
    /// An empty text goes back to the address the build names.
    pub update_endpoint: Option<String>,
    /// The days after a sale each POS's bank pays, by POS id (all of them: the map replaces
    /// the one before).
    #[serde(default)]
    #[ts(optional, type = "Record<string, number>")]
    pub value_days: Option<std::collections::BTreeMap<String, u16>>,
}

impl Preferences {
    /// The desk-wide values among what the operator chose (the team's, in team mode).
    pub fn desk_wide(&self) -> crate::settings::TeamSettings {
        crate::settings::TeamSettings {
            customer_retention: self.customer_retention,
            refund_period_days: self.refund_period_days,
            lock_after_minutes: self.lock_after_minutes,
            commission_to_customer: self.commission_to_customer,
            back_office_exports: self.back_office_exports,
            value_days: self.value_days.clone(),
            mail: None,
        }
    }
}

/// A newer Dealer Desk found at the update address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// What changed, as the release notes say (plain text).
    pub notes: Option<String>,
    /// The team journal needs a newer app than this one: until it is installed this desk takes
    /// no payments.
    pub required: bool,
}

/// A purge of customers by the retention setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeReport {
    /// Entries whose customer was forgotten.
    pub count: u32,
    /// Entries created before this instant (RFC 3339, UTC) were purged.
    pub before: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionTest {
    pub api_key: String,
    pub pos_count: u32,
    pub token_expires_at: String,
}

/// What changed in the journal, by this desk or another on the team database (gathered over a
/// moment): lists and totals load again; `staff`, the operators, approvals or the team's
/// settings too (also after the team database was out of reach, when what changed is unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalChange {
    /// How many entries were written or changed.
    pub entries: u32,
    pub staff: bool,
}
