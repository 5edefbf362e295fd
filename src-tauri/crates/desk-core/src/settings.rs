//! Non-secret settings: profiles, language, UI preferences. Persisted by Rust only (the UI has
//! no store permission) through a [`SettingsRepo`]; the secretKey is never part of them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, AppResult, ErrorCode};

pub const DEMO_PROFILE_ID: &str = "demo";
pub const SANDBOX_URL: &str = "https://pgw.netahsilatdemo.com";
/// The documentation names two live hosts; this one is in the VPWS reference guide.
pub const LIVE_URL: &str = "https://pgw.netahsilat.com";
/// 3D return URL: the app intercepts navigation to it, so it never has to resolve. `.invalid`
/// guarantees that even a missed interception reaches no one.
pub const DEFAULT_RETURN_URL: &str = "https://return.dealerdesk.invalid/3d";

pub use crate::model::{Language, ProfileKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub kind: ProfileKind,
    /// Only for `Custom` (and an overridden `Live`); the others have fixed hosts.
    #[serde(default)]
    pub base_url: Option<String>,
    pub api_key: String,
    pub currency: String,
    #[serde(default)]
    pub operator_name: String,
    pub return_url: String,
}

impl Profile {
    pub fn demo(api_key: &str) -> Self {
        Self {
            id: DEMO_PROFILE_ID.into(),
            name: "Demo".into(),
            kind: ProfileKind::Demo,
            base_url: None,
            api_key: api_key.into(),
            currency: "TRY".into(),
            operator_name: String::new(),
            return_url: DEFAULT_RETURN_URL.into(),
        }
    }

    /// The gateway URL this profile talks to (`demo_url`: the in-process gateway's).
    pub fn gateway_url(&self, demo_url: &str) -> String {
        gateway_url(self.kind, self.base_url.as_deref(), demo_url)
    }
}

/// The gateway URL a profile of `kind` with `base_url` talks to.
pub fn gateway_url(kind: ProfileKind, base_url: Option<&str>, demo_url: &str) -> String {
    match kind {
        ProfileKind::Demo => demo_url.to_owned(),
        ProfileKind::Sandbox => SANDBOX_URL.to_owned(),
        ProfileKind::Live => base_url.unwrap_or(LIVE_URL).to_owned(),
        ProfileKind::Custom => base_url.unwrap_or_default().to_owned(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub version: u32,
    pub profiles: Vec<Profile>,
    pub active_profile_id: String,
    /// `None` until chosen: the OS locale decides.
    #[serde(default)]
    pub language: Option<Language>,
    /// Rates screen: add the commission to the customer's total.
    #[serde(default)]
    pub commission_to_customer: bool,
    /// Text size in percent of the normal one (one of [`TEXT_SIZES`]).
    #[serde(default = "normal_text")]
    pub text_size: u16,
    /// Stronger colours and borders for low vision or a glaring screen.
    #[serde(default)]
    pub high_contrast: bool,
    /// How long the journal keeps customers' names, e-mails and phones.
    #[serde(default)]
    pub customer_retention: Retention,
    /// How long after a sale the banks usually accept a refund, in days (one of
    /// [`REFUND_PERIODS`]): past it, the transaction detail warns. The gateway has the last word.
    #[serde(default = "usual_refund_period")]
    pub refund_period_days: u16,
    /// Which journal this desk writes: its own file, or the team's database (ARCHITECTURE.md).
    #[serde(default)]
    pub journal: JournalChoice,
    /// With operators on, the desk locks after this many idle minutes (one of [`LOCK_AFTER`];
    /// 0: never).
    #[serde(default = "usual_lock_after")]
    pub lock_after_minutes: u16,
    /// Look for a new version at start, at most once a day.
    #[serde(default = "yes")]
    pub check_for_updates: bool,
    /// Where to look instead of the address the build names (a dealer's own mirror).
    #[serde(default)]
    pub update_endpoint: Option<String>,
    /// When the desk last looked (RFC 3339), so it looks at most once a day.
    #[serde(default)]
    pub updates_checked_at: Option<String>,
    /// This installation, made at its first start: the built-in demo gateway is one per desk,
    /// so what a desk journals on Demo is its own to settle.
    #[serde(default)]
    pub installation_id: Option<String>,
    /// Whether operators were on when this desk last read its journal: a desk that cannot reach
    /// its team database at start still asks for a PIN.
    #[serde(default)]
    pub operators_seen_on: Option<bool>,
    /// Back office may export the journal to CSV (supervisors always may).
    #[serde(default)]
    pub back_office_exports: bool,
    /// The days after a sale each POS's bank pays the dealer, by POS id: the value date of the
    /// accountant's CSV where the gateway does not say (`bankPaymentDays`).
    #[serde(default)]
    pub value_days: BTreeMap<String, u16>,
    /// The mail server customers' letters go out through (its password: the keychain's
    /// [`crate::mail_server::MAIL_PASSWORD_KEY`]).
    #[serde(default)]
    pub mail: Option<crate::mail_server::MailServer>,
}

fn yes() -> bool {
    true
}

/// The idle times the desk may lock after, in minutes (0: never).
pub const LOCK_AFTER: [u16; 6] = [0, 2, 5, 10, 15, 30];

fn usual_lock_after() -> u16 {
    5
}

/// The embedded SQLite file (one desk, nothing to install) or a PostgreSQL database shared by
/// the dealer's desks. Its password is in the OS keychain under [`TEAM_PASSWORD_KEY`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum JournalChoice {
    #[default]
    Local,
    Team {
        database: crate::model::TeamDatabase,
    },
}

/// The keychain entry of the team database's password.
pub const TEAM_PASSWORD_KEY: &str = "team-journal";

/// How long customers stay in the journal (KVKK: no longer than needed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Retention {
    Days90,
    #[default]
    Year,
    Keep,
}

impl Retention {
    pub fn days(self) -> Option<u32> {
        match self {
            Retention::Days90 => Some(90),
            Retention::Year => Some(365),
            Retention::Keep => None,
        }
    }
}

/// What holds for every desk of a team, kept in the team journal and changed by a supervisor
/// (issue 28, 6). A field left `None` has not been set for the team: each desk keeps its own,
/// except the retention, which purges nothing from a team journal until the team chose it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamSettings {
    pub customer_retention: Option<Retention>,
    pub refund_period_days: Option<u16>,
    pub lock_after_minutes: Option<u16>,
    pub commission_to_customer: Option<bool>,
    pub back_office_exports: Option<bool>,
    pub value_days: Option<BTreeMap<String, u16>>,
    pub mail: Option<crate::mail_server::MailServer>,
}

impl TeamSettings {
    /// The team's values over this desk's own.
    pub fn apply_to(&self, settings: &mut Settings) {
        if let Some(retention) = self.customer_retention {
            settings.customer_retention = retention;
        }
        if let Some(days) = self.refund_period_days {
            settings.refund_period_days = days;
        }
        if let Some(minutes) = self.lock_after_minutes {
            settings.lock_after_minutes = minutes;
        }
        if let Some(flag) = self.commission_to_customer {
            settings.commission_to_customer = flag;
        }
        if let Some(flag) = self.back_office_exports {
            settings.back_office_exports = flag;
        }
        if let Some(days) = &self.value_days {
            settings.value_days = days.clone();
        }
        if let Some(server) = &self.mail {
            settings.mail = Some(server.clone());
        }
    }

    /// These values with `chosen` over them; `None` when nothing changes.
    pub fn changed_by(&self, chosen: &Self) -> Option<Self> {
        let next = Self {
            customer_retention: chosen.customer_retention.or(self.customer_retention),
            refund_period_days: chosen.refund_period_days.or(self.refund_period_days),
            lock_after_minutes: chosen.lock_after_minutes.or(self.lock_after_minutes),
            commission_to_customer: chosen
                .commission_to_customer
                .or(self.commission_to_customer),
            back_office_exports: chosen.back_office_exports.or(self.back_office_exports),
            value_days: chosen.value_days.clone().or(self.value_days.clone()),
            mail: chosen.mail.clone().or(self.mail.clone()),
        };
        (next != *self).then_some(next)
    }
}

/// The text sizes offered, in percent.
pub const TEXT_SIZES: [u16; 4] = [100, 125, 150, 200];

fn normal_text() -> u16 {
    100
}

/// The refund periods offered, in days.
pub const REFUND_PERIODS: [u16; 5] = [30, 60, 90, 180, 365];

fn usual_refund_period() -> u16 {
    30
}

impl Settings {
    pub fn first_start(demo_api_key: &str) -> Self {
        Self {
            version: 1,
            profiles: vec![Profile::demo(demo_api_key)],
            active_profile_id: DEMO_PROFILE_ID.into(),
            language: None,
            commission_to_customer: false,
            text_size: normal_text(),
            high_contrast: false,
            customer_retention: Retention::default(),
            refund_period_days: usual_refund_period(),
            journal: JournalChoice::Local,
            mail: None,
            lock_after_minutes: usual_lock_after(),
            check_for_updates: true,
            update_endpoint: None,
            updates_checked_at: None,
            installation_id: Some(uuid::Uuid::new_v4().to_string()),
            operators_seen_on: None,
            back_office_exports: false,
            value_days: BTreeMap::new(),
        }
    }

    pub fn profile(&self, id: &str) -> AppResult<&Profile> {
        self.profiles
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::new(ErrorCode::ProfileNotFound, format!("no profile {id}")))
    }

    pub fn active(&self) -> AppResult<&Profile> {
        self.profile(&self.active_profile_id)
    }

    /// Repairs what a hand-edited or older file may lack: the Demo profile and a valid active id.
    pub fn normalised(mut self, demo_api_key: &str) -> Self {
        if !self.profiles.iter().any(|p| p.kind == ProfileKind::Demo) {
            self.profiles.insert(0, Profile::demo(demo_api_key));
        }
        if let Some(demo) = self
            .profiles
            .iter_mut()
            .find(|p| p.kind == ProfileKind::Demo)
        {
            demo.api_key = demo_api_key.into();
        }
        if self.profile(&self.active_profile_id).is_err() {
            self.active_profile_id = DEMO_PROFILE_ID.into();
        }
        if !TEXT_SIZES.contains(&self.text_size) {
            self.text_size = normal_text();
        }
        if !REFUND_PERIODS.contains(&self.refund_period_days) {
            self.refund_period_days = usual_refund_period();
        }
        if self.installation_id.is_none() {
            self.installation_id = Some(uuid::Uuid::new_v4().to_string());
        }
        self
    }
}

/// Where settings live. The app uses tauri-plugin-store (its `store` module); tests use
/// [`MemorySettings`].
pub trait SettingsRepo: Send + Sync {
    fn load(&self) -> AppResult<Option<Settings>>;
    fn save(&self, settings: &Settings) -> AppResult<()>;
}

#[derive(Default)]
pub struct MemorySettings(std::sync::Mutex<Option<Settings>>);

impl SettingsRepo for MemorySettings {
    fn load(&self) -> AppResult<Option<Settings>> {
        Ok(self.0.lock().expect("settings lock").clone())
    }

    fn save(&self, settings: &Settings) -> AppResult<()> {
        *self.0.lock().expect("settings lock") = Some(settings.clone());
        Ok(())
    }
}

/// The key under which the settings file (a JSON object, as tauri-plugin-store writes it)
/// holds the whole [`Settings`].
pub const SETTINGS_KEY: &str = "settings";

/// Checks the settings file before the store opens it: a file that is not the settings this app
/// writes (cut off by a crash, edited by hand, from a future version) is moved aside as
/// `settings.json.damaged-<time>` and its new place returned, so the operator is told instead of
/// finding the profiles silently reset by the next save.
pub fn set_aside_if_unreadable(
    path: &std::path::Path,
) -> std::io::Result<Option<std::path::PathBuf>> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let readable = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&text)
        .is_ok_and(|store| match store.get(SETTINGS_KEY) {
            None => true,
            Some(value) => Settings::deserialize(value).is_ok(),
        });
    if readable {
        return Ok(None);
    }
    let aside = crate::aside::set_aside(path)?;
    tracing::error!(path = %path.display(), aside = %aside.display(), "settings file unreadable; set aside");
    Ok(Some(aside))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_os_locale() {
        assert_eq!(Language::from_locale(Some("tr-TR")), Language::Turkish);
        assert_eq!(Language::from_locale(Some("en-GB")), Language::English);
        assert_eq!(Language::from_locale(None), Language::English);
    }

    #[test]
    fn normalising_restores_demo_and_a_valid_active_profile() {
        let broken = Settings {
            version: 1,
            profiles: vec![],
            active_profile_id: "gone".into(),
            language: Some(Language::Turkish),
            commission_to_customer: true,
            text_size: 300,
            high_contrast: true,
            customer_retention: Retention::Keep,
            refund_period_days: 45,
            journal: JournalChoice::Local,
            lock_after_minutes: usual_lock_after(),
            check_for_updates: true,
            update_endpoint: None,
            updates_checked_at: None,
            installation_id: None,
            operators_seen_on: None,
            back_office_exports: false,
            value_days: BTreeMap::new(),
            mail: None,
        };
        let fixed = broken.normalised("demo-key");
        assert!(
            fixed.installation_id.is_some(),
            "an installation is named once"
        );
        assert_eq!(fixed.active().unwrap().kind, ProfileKind::Demo);
        assert_eq!(fixed.active().unwrap().api_key, "demo-key");
        assert_eq!(fixed.language, Some(Language::Turkish));
        assert_eq!((fixed.text_size, fixed.high_contrast), (100, true));
        assert_eq!(
            fixed.refund_period_days, 30,
            "not one offered: the usual 30 days"
        );
    }

    #[test]
    fn gateway_urls_per_kind() {
        let mut p = Profile::demo("k");
        assert_eq!(p.gateway_url("http://127.0.0.1:5"), "http://127.0.0.1:5");
        p.kind = ProfileKind::Sandbox;
        assert_eq!(p.gateway_url("x"), SANDBOX_URL);
        p.kind = ProfileKind::Live;
        assert_eq!(p.gateway_url("x"), LIVE_URL);
        p.kind = ProfileKind::Custom;
        p.base_url = Some("https://gw.example".into());
        assert_eq!(p.gateway_url("x"), "https://gw.example");
    }

    #[test]
    fn settings_hold_no_secret() {
        let json = serde_json::to_string(&Settings::first_start("k")).unwrap();
        assert!(!json.to_lowercase().contains("secret"), "{json}");
    }

    #[test]
    fn an_unreadable_settings_file_is_set_aside_and_a_readable_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        assert_eq!(set_aside_if_unreadable(&path).unwrap(), None, "no file yet");

        let good = serde_json::json!({ SETTINGS_KEY: Settings::first_start("k") });
        std::fs::write(&path, good.to_string()).unwrap();
        assert_eq!(set_aside_if_unreadable(&path).unwrap(), None);
        assert!(path.exists(), "a readable file stays");

        for damaged in [
            r#"{"settings":{"version":1,"profi"#,
            r#"{"settings":{"profiles":7}}"#,
        ] {
            std::fs::write(&path, damaged).unwrap();
            let aside = set_aside_if_unreadable(&path).unwrap().expect("set aside");
            assert!(!path.exists());
            let name = aside.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with("settings.json.damaged-"), "{name}");
            assert_eq!(
                std::fs::read_to_string(&aside).unwrap(),
                damaged,
                "kept as it was"
            );
            std::fs::remove_file(aside).unwrap();
        }
    }
}
