//! The desk: everything the commands do, independent of Tauri so it can be tested against the
//! demo gateway. One [`Session`] (client + token) per active profile; switching or editing the
//! profile replaces it, so tokens and data never mix.
//!
//! The money path lives in its own modules: [`payment`] (taking a payment, the 3D step),
//! [`reversal`] (cancel, refund), [`reconcile`] (settling what is in doubt), [`current`] (the
//! payment in progress, owned by the app), [`claims`] (one send per key at a time) and
//! [`views`] (what the UI is shown). How an operation ended is decided only by
//! [`crate::verdict`].

mod approvals;
mod claims;
mod current;
mod lookup;
mod operators;
mod payment;
mod reconcile;
mod resolve;
mod retention;
mod reversal;
mod sending;
mod team;
mod updates;
mod views;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rust_decimal::Decimal;
use secrecy::SecretString;

pub use current::{CurrentPayment, PaymentPhase};
pub use operators::Need;
pub use reconcile::ReconcilePolicy;
pub use sending::gateway_account;
pub use views::transaction_view;

use crate::dto::*;
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::Journal;
use crate::money::{format_amount, parse_amount, quote};
use crate::secrets::{KnownKeys, SecretStore};
use crate::settings::{
    Language, Profile, ProfileKind, Settings, SettingsRepo, TeamSettings, DEFAULT_RETURN_URL,
    TEAM_PASSWORD_KEY,
};
use crate::validation;
use claims::Claims;
use current::PaymentSlot;
use views::pos_view;

/// The built-in demo gateway the Demo profile talks to.
#[derive(Clone)]
pub struct DemoAccess {
    pub dealer_name: String,
    pub base_url: String,
    pub api_key: String,
    pub secret_key: String,
}

/// How the 3D Secure step ended, as the window saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreeDEnd {
    /// The bank sent the browser to the return URL.
    Returned,
    /// The operator closed the window.
    ClosedByHand,
    /// The window could not be shown.
    Failed(String),
}

struct Session {
    profile: Profile,
    client: vpws::Client,
    /// The gateway account the session works with ([`gateway_account`]).
    account: String,
}

/// Receives the payment in progress at every step (the app forwards it to the UI).
pub type ProgressSink = Arc<dyn Fn(CurrentPayment) + Send + Sync>;

/// The OS keychain's self-check: a keychain that silently keeps nothing would lose secrets.
#[derive(Clone, Debug)]
enum KeychainCheck {
    Pending,
    Works,
    Broken(String),
}

impl KeychainCheck {
    fn answered(problem: Option<String>) -> Self {
        problem.map_or(Self::Works, Self::Broken)
    }
}

pub struct Desk {
    progress: Option<ProgressSink>,
    settings: Mutex<Settings>,
    repo: Arc<dyn SettingsRepo>,
    secrets: Arc<dyn SecretStore>,
    known_keys: KnownKeys,
    demo: DemoAccess,
    os_language: Language,
    /// Whether the OS keychain keeps what it is given (checked once, after start).
    keychain: tokio::sync::watch::Sender<KeychainCheck>,
    session: tokio::sync::Mutex<Option<Arc<Session>>>,
    /// Keys (`order:…`, `reversal:…`) of operations being sent right now.
    claims: Claims,
    /// The payment in progress: one at a time, whichever screen is shown.
    current: PaymentSlot,
    journal: Arc<dyn Journal>,
    policy: ReconcilePolicy,
    /// Overrides the client's whole-request limit (tests make answers "time out" quickly).
    request_timeout: Option<Duration>,
    /// What the operator must know about the files: set aside at start, damage found after.
    notices: Mutex<Vec<StartNotice>>,
    /// What the retention setting last purged (shown in Settings).
    last_purge: Mutex<Option<crate::dto::PurgeReport>>,
    /// The journal opened at start-up (settings may already choose another for the next one).
    journal_in_use: crate::settings::JournalChoice,
    /// Who is signed in here (operators on).
    staffing: operators::Staffing,
    /// How long the lock time's minute is (tests use a short one).
    idle_minute: Duration,
    /// This desk's own journal file, which can be copied into the team database.
    local_journal_file: Option<std::path::PathBuf>,
    /// This desk's name on the leases of the entries it sends (new at every start).
    desk_id: String,
    /// The entries this desk is sending or following up right now.
    sending: sending::Sending,
    /// Verdicts the gateway gave that the journal could not take yet (written first when it is
    /// back).
    unwritten: sending::Unwritten,
}

impl Desk {
    pub fn new(
        repo: Arc<dyn SettingsRepo>,
        secrets: Arc<dyn SecretStore>,
        journal: Arc<dyn Journal>,
        demo: DemoAccess,
        os_language: Language,
        keychain_problem: Option<String>,
    ) -> AppResult<Self> {
        let settings = match repo.load()? {
            Some(saved) => {
                let had_identity = saved.installation_id.is_some();
                let settings = saved.normalised(&demo.api_key);
                if !had_identity {
                    repo.save(&settings)?;
                }
                settings
            }
            None => {
                let fresh = Settings::first_start(&demo.api_key);
                repo.save(&fresh)?;
                fresh
            }
        };
        Ok(Self {
            progress: None,
            settings: Mutex::new(settings),
            repo,
            secrets,
            known_keys: KnownKeys::default(),
            demo,
            os_language,
            keychain: tokio::sync::watch::Sender::new(KeychainCheck::answered(keychain_problem)),
            session: tokio::sync::Mutex::new(None),
            claims: Claims::default(),
            current: PaymentSlot::default(),
            journal,
            policy: ReconcilePolicy::default(),
            request_timeout: None,
            notices: Mutex::new(Vec::new()),
            last_purge: Mutex::new(None),
            journal_in_use: crate::settings::JournalChoice::Local,
            staffing: operators::Staffing::default(),
            idle_minute: Duration::from_secs(60),
            local_journal_file: None,
            desk_id: uuid::Uuid::new_v4().to_string(),
            sending: sending::Sending::default(),
            unwritten: sending::Unwritten::default(),
        })
    }

    /// Problems found at start-up that the status bar must show.
    /// Which journal `new` was given, when it is not this desk's own file.
    pub fn with_journal_in_use(mut self, choice: crate::settings::JournalChoice) -> Self {
        self.journal_in_use = choice;
        self
    }

    /// Where this desk's own journal file is (whichever journal is in use).
    pub fn with_local_journal_file(mut self, path: std::path::PathBuf) -> Self {
        self.local_journal_file = Some(path);
        self
    }

    /// Reads the whole local journal file (seconds when it is large: run after start, never on
    /// the start-up path). Damage becomes a notice, in the status from now on and returned to be
    /// shown at once; the next start sets the file aside.
    pub async fn check_journal_file(&self) -> Option<StartNotice> {
        if self.journal_in_use != crate::settings::JournalChoice::Local {
            return None;
        }
        let path = self.local_journal_file.clone()?;
        let checked = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || crate::journal::check_file(&path)).await
        };
        match checked {
            Ok(Err(e)) if e.code == ErrorCode::JournalDamaged => {
                tracing::error!(path = %path.display(), "journal damaged: {}", e.message);
                let notice = StartNotice {
                    code: "journal_damaged".into(),
                    path: path.display().to_string(),
                };
                self.notices
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(notice.clone());
                Some(notice)
            }
            Ok(Err(e)) => {
                tracing::warn!("journal file not checked: {}", e.message);
                None
            }
            Ok(Ok(())) | Err(_) => None,
        }
    }

    /// The keychain's self-check has not answered yet: [`Desk::keychain_checked`] will say.
    pub fn with_keychain_check_pending(self) -> Self {
        self.keychain.send_replace(KeychainCheck::Pending);
        self
    }

    /// What the keychain's self-check found (`None`: it keeps what it is given).
    pub fn keychain_checked(&self, problem: Option<String>) {
        self.keychain.send_replace(KeychainCheck::answered(problem));
    }

    /// The keychain's problem, once its self-check has answered.
    async fn keychain_problem(&self) -> Option<String> {
        let mut answers = self.keychain.subscribe();
        let answered = answers
            .wait_for(|check| !matches!(check, KeychainCheck::Pending))
            .await;
        match answered.as_deref() {
            Ok(KeychainCheck::Broken(problem)) => Some(problem.clone()),
            _ => None,
        }
    }

    pub fn with_notices(mut self, notices: Vec<StartNotice>) -> Self {
        self.notices = Mutex::new(notices);
        self
    }

    pub fn with_progress(mut self, sink: ProgressSink) -> Self {
        self.progress = Some(sink);
        self
    }

    /// Other settling windows and check intervals (tests use short ones).
    pub fn with_reconcile_policy(mut self, policy: ReconcilePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Another length of the lock time's minute (tests lock a desk in milliseconds).
    pub fn with_idle_minute(mut self, minute: Duration) -> Self {
        self.idle_minute = minute;
        self
    }

    /// Another whole-request limit for the gateway client (tests use a short one).
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    pub fn journal(&self) -> &Arc<dyn Journal> {
        &self.journal
    }

    /// The journal, for lists, history, totals, reports and the CSV: when operators are on,
    /// only while someone is signed in.
    pub async fn journal_to_read(&self) -> AppResult<&Arc<dyn Journal>> {
        self.allow(operators::Need::Look).await?;
        Ok(&self.journal)
    }

    /// The journal for a CSV of every customer in it: supervisors, and back office when the
    /// team allows it.
    pub async fn journal_to_export(&self) -> AppResult<&Arc<dyn Journal>> {
        self.allow(operators::Need::Export).await?;
        Ok(&self.journal)
    }

    /// The profile in use: reports cover it alone (a demo day never mixes with a live one).
    pub fn active_profile_id(&self) -> String {
        self.settings
            .lock()
            .expect("settings lock")
            .active_profile_id
            .clone()
    }

    fn settings(&self) -> Settings {
        self.settings.lock().expect("settings lock").clone()
    }

    fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings) -> AppResult<()>,
    ) -> AppResult<Settings> {
        let mut guard = self.settings.lock().expect("settings lock");
        let mut next = guard.clone();
        change(&mut next)?;
        // Callers on timers and on every command (what a desk last saw, a pinned certificate)
        // change nothing most of the time: the file is written only when something changed.
        if next != *guard {
            self.repo.save(&next)?;
            *guard = next.clone();
        }
        Ok(next)
    }

    async fn secret_for(&self, profile: &Profile) -> AppResult<Option<String>> {
        if profile.kind == ProfileKind::Demo {
            return Ok(Some(self.demo.secret_key.clone()));
        }
        self.keychain_get(&profile.id).await
    }

    /// A secret from the OS keychain, off the async workers (the keychain may block).
    async fn keychain_get(&self, key: &str) -> AppResult<Option<String>> {
        let (secrets, owned_key) = (self.secrets.clone(), key.to_owned());
        let secret = tokio::task::spawn_blocking(move || secrets.get(&owned_key))
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))??;
        self.known_keys.learn(key, secret.is_some());
        Ok(secret)
    }

    /// Reads once what the status tells of the keychain (each profile's secret, the team
    /// password), so that the first status, on the start's path, waits for no D-Bus round trip.
    pub async fn learn_what_the_keychain_holds(&self) {
        let profiles = self.settings().profiles;
        let keys = profiles
            .iter()
            .filter(|p| p.kind != ProfileKind::Demo)
            .map(|p| p.id.as_str())
            .chain([TEAM_PASSWORD_KEY]);
        for key in keys {
            self.keychain_holds(key).await;
        }
    }

    /// Whether the keychain holds `key`: read once, then known ([`KnownKeys`]); a keychain that
    /// cannot answer holds nothing usable.
    async fn keychain_holds(&self, key: &str) -> bool {
        match self.known_keys.held(key) {
            Some(held) => held,
            None => matches!(self.keychain_get(key).await, Ok(Some(_))),
        }
    }

    /// Keeps a secret in the OS keychain; refused when the keychain does not work.
    async fn keychain_set(&self, key: &str, secret: &str) -> AppResult<()> {
        if let Some(problem) = self.keychain_problem().await {
            return Err(AppError::new(ErrorCode::KeychainUnavailable, problem));
        }
        let (secrets, owned_key, secret) =
            (self.secrets.clone(), key.to_owned(), secret.to_owned());
        tokio::task::spawn_blocking(move || secrets.set(&owned_key, &secret))
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))??;
        self.known_keys.learn(key, true);
        Ok(())
    }

    async fn view_profile(&self, profile: &Profile) -> ProfileView {
        let has_secret = match profile.kind {
            ProfileKind::Demo => true,
            _ => self.keychain_holds(&profile.id).await,
        };
        ProfileView {
            id: profile.id.clone(),
            name: profile.name.clone(),
            dealer_name: match profile.kind {
                ProfileKind::Demo => self.demo.dealer_name.clone(),
                _ => profile.name.clone(),
            },
            kind: profile.kind,
            base_url: profile.gateway_url(&self.demo.base_url),
            api_key: profile.api_key.clone(),
            has_secret,
            currency: profile.currency.clone(),
            operator_name: profile.operator_name.clone(),
            return_url: profile.return_url.clone(),
        }
    }

    // ---------------------------------------------------------------- profiles and settings

    pub async fn status(&self) -> AppResult<AppStatus> {
        let settings = self.settings();
        let mut profiles = Vec::new();
        for p in &settings.profiles {
            profiles.push(self.view_profile(p).await);
        }
        let profile = self.view_profile(settings.active()?).await;
        let has_team_password = self.keychain_holds(TEAM_PASSWORD_KEY).await;
        // The check after start is done long before the first screen asks (~60 ms); a keychain
        // slower than a second is reported by the app's event when it answers.
        let keychain_problem =
            tokio::time::timeout(Duration::from_secs(1), self.keychain_problem())
                .await
                .unwrap_or(None);
        Ok(AppStatus {
            profile,
            profiles,
            language: settings.language.unwrap_or(self.os_language),
            commission_to_customer: settings.commission_to_customer,
            back_office_exports: settings.back_office_exports,
            text_size: settings.text_size,
            high_contrast: settings.high_contrast,
            customer_retention: settings.customer_retention,
            refund_period_days: settings.refund_period_days,
            last_purge: self.last_purge.lock().expect("purge lock").clone(),
            journal: crate::dto::JournalStatus {
                in_use: self.journal_in_use.clone(),
                chosen: settings.journal.clone(),
                has_team_password,
            },
            keychain_problem,
            notices: self
                .notices
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            version: env!("CARGO_PKG_VERSION").into(),
            check_for_updates: settings.check_for_updates,
            update_endpoint: settings.update_endpoint.clone(),
        })
    }

    pub async fn list_profiles(&self) -> Vec<ProfileView> {
        let mut views = Vec::new();
        for p in self.settings().profiles {
            views.push(self.view_profile(&p).await);
        }
        views
    }

    pub async fn save_profile(&self, input: ProfileInput) -> AppResult<ProfileView> {
        self.allow(operators::Need::ManageDesk).await?;
        let profile = self.profile_from_input(&input)?;
        if let Some(secret) = input.secret_key.as_deref().filter(|s| !s.is_empty()) {
            if profile.kind == ProfileKind::Demo {
                return Err(AppError::field(Field::SecretKey, Reason::NotEditable));
            }
            self.keychain_set(&profile.id, secret).await?;
        }
        let saved = profile.clone();
        self.update_settings(|s| {
            match s.profiles.iter_mut().find(|p| p.id == saved.id) {
                Some(existing) => *existing = saved,
                None => s.profiles.push(saved),
            }
            Ok(())
        })?;
        self.drop_session_if(&profile.id).await;
        Ok(self.view_profile(&profile).await)
    }

    fn profile_from_input(&self, input: &ProfileInput) -> AppResult<Profile> {
        validation::required(Field::Name, &input.name)?;
        validation::free_text(Field::Name, &input.name, 60)?;
        validation::currency(&input.currency)?;
        let existing = match &input.id {
            Some(id) => Some(self.settings().profile(id)?.clone()),
            None => None,
        };
        if let Some(old) = &existing {
            if old.kind != input.kind {
                return Err(AppError::field(Field::Kind, Reason::NotEditable));
            }
        } else if input.kind == ProfileKind::Demo {
            return Err(AppError::field(Field::Kind, Reason::NotEditable));
        }
        let base_url = match input.kind {
            ProfileKind::Custom | ProfileKind::Live => {
                let url = input
                    .base_url
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty());
                if input.kind == ProfileKind::Custom && url.is_none() {
                    return Err(AppError::field(Field::BaseUrl, Reason::Required));
                }
                if let Some(url) = url {
                    vpws::ClientConfig::new(url).map_err(AppError::from)?;
                }
                url.map(str::to_owned)
            }
            _ => None,
        };
        let api_key = if input.kind == ProfileKind::Demo {
            self.demo.api_key.clone()
        } else {
            validation::required(Field::ApiKey, &input.api_key)?;
            input.api_key.trim().to_owned()
        };
        let return_url = input
            .return_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(DEFAULT_RETURN_URL);
        match url::Url::parse(return_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => return Err(AppError::field(Field::ReturnUrl, Reason::Invalid)),
        }
        validation::free_text(Field::OperatorName, &input.operator_name, 60)?;
        let new_secret = input.secret_key.as_deref().is_some_and(|s| !s.is_empty());
        let id = match &existing {
            Some(old) => old.id.clone(),
            None => {
                // Named after its gateway account: every desk of a team that sets up the same
                // account gets the same id, so each sees, reconciles, approves and reports what
                // the others did with it.
                let url = crate::settings::gateway_url(
                    input.kind,
                    base_url.as_deref(),
                    &self.demo.base_url,
                );
                let id = format!("p-{}", gateway_account(&url, &api_key));
                if self.settings().profile(&id).is_ok() {
                    return Err(AppError::field(Field::ApiKey, Reason::AccountHasProfile));
                }
                id
            }
        };
        let profile = Profile {
            id,
            name: input.name.trim().to_owned(),
            kind: input.kind,
            base_url,
            api_key,
            currency: input.currency.clone(),
            operator_name: input.operator_name.trim().to_owned(),
            return_url: return_url.to_owned(),
        };
        // A stored secret key is only ever sent to the host it was entered for.
        if let Some(old) = existing.filter(|_| !new_secret) {
            let host = |p: &Profile| {
                url::Url::parse(&p.gateway_url(&self.demo.base_url))
                    .map(|u| u.origin().ascii_serialization())
                    .ok()
            };
            if host(&old) != host(&profile) {
                return Err(AppError::field(
                    Field::SecretKey,
                    Reason::RequiredForNewHost,
                ));
            }
        }
        Ok(profile)
    }

    pub async fn delete_profile(&self, id: &str) -> AppResult<()> {
        self.allow(operators::Need::ManageDesk).await?;
        let profile = self.settings().profile(id)?.clone();
        if profile.kind == ProfileKind::Demo {
            return Err(AppError::new(
                ErrorCode::NotDeletable,
                "the Demo profile cannot be deleted",
            ));
        }
        let secrets = self.secrets.clone();
        let key = id.to_owned();
        tokio::task::spawn_blocking(move || secrets.delete(&key))
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))??;
        self.known_keys.learn(id, false);
        self.update_settings(|s| {
            s.profiles.retain(|p| p.id != profile.id);
            if s.active_profile_id == profile.id {
                s.active_profile_id = crate::settings::DEMO_PROFILE_ID.into();
            }
            Ok(())
        })?;
        self.drop_session_if(id).await;
        Ok(())
    }

    pub async fn switch_profile(&self, id: &str) -> AppResult<AppStatus> {
        self.allow(operators::Need::ManageDesk).await?;
        self.update_settings(|s| {
            s.profile(id)?;
            s.active_profile_id = id.to_owned();
            Ok(())
        })?;
        *self.session.lock().await = None;
        self.status().await
    }

    pub async fn update_preferences(&self, preferences: Preferences) -> AppResult<AppStatus> {
        // What holds for the whole desk is a supervisor's to change; language, text size and
        // contrast are each operator's own.
        let desk_wide = preferences.desk_wide();
        if desk_wide != TeamSettings::default()
            || preferences.check_for_updates.is_some()
            || preferences.update_endpoint.is_some()
        {
            self.allow(operators::Need::ManageDesk).await?;
        }
        if let Some(minutes) = preferences.lock_after_minutes {
            if !crate::settings::LOCK_AFTER.contains(&minutes) {
                return Err(AppError::field(Field::LockAfter, Reason::Invalid));
            }
        }
        if let Some(name) = &preferences.operator_name {
            validation::free_text(Field::OperatorName, name, 60)?;
        }
        let update_endpoint = preferences
            .update_endpoint
            .as_deref()
            .map(updates::valid_endpoint)
            .transpose()?;
        if let Some(size) = preferences.text_size {
            if !crate::settings::TEXT_SIZES.contains(&size) {
                return Err(AppError::field(Field::TextSize, Reason::Invalid));
            }
        }
        if let Some(days) = preferences.refund_period_days {
            if !crate::settings::REFUND_PERIODS.contains(&days) {
                return Err(AppError::field(Field::RefundPeriod, Reason::Invalid));
            }
        }
        if desk_wide != TeamSettings::default() {
            // In a team these are the team's: written there first, for every desk.
            if let Some(team) = self.journal.team_settings().await? {
                if let Some(next) = team.changed_by(&desk_wide) {
                    self.journal
                        .save_team_settings(&next)
                        .await
                        .map_err(|e| self.ended_by_journal(e))?;
                }
            }
        }
        self.update_settings(|s| {
            desk_wide.apply_to(s);
            if let Some(size) = preferences.text_size {
                s.text_size = size;
            }
            if let Some(flag) = preferences.high_contrast {
                s.high_contrast = flag;
            }
            if let Some(language) = preferences.language {
                s.language = Some(language);
            }
            if let Some(flag) = preferences.check_for_updates {
                s.check_for_updates = flag;
            }
            if let Some(endpoint) = &update_endpoint {
                s.update_endpoint = endpoint.clone();
            }
            if let Some(name) = &preferences.operator_name {
                let id = s.active_profile_id.clone();
                if let Some(p) = s.profiles.iter_mut().find(|p| p.id == id) {
                    p.operator_name = name.trim().to_owned();
                }
            }
            Ok(())
        })?;
        if preferences.customer_retention.is_some() {
            self.apply_retention().await?;
        }
        self.status().await
    }

    async fn drop_session_if(&self, profile_id: &str) {
        let mut session = self.session.lock().await;
        if session.as_ref().is_some_and(|s| s.profile.id == profile_id) {
            *session = None;
        }
    }

    async fn client_for(&self, profile: &Profile) -> AppResult<vpws::Client> {
        let secret = self.secret_for(profile).await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::SecretMissing,
                "no secretKey stored for this profile",
            )
        })?;
        let mut config = vpws::ClientConfig::new(&profile.gateway_url(&self.demo.base_url))?;
        if let Some(timeout) = self.request_timeout {
            config.request_timeout = timeout;
        }
        Ok(vpws::Client::new(
            config,
            vpws::Credentials {
                api_key: profile.api_key.clone(),
                secret_key: SecretString::from(secret),
            },
        )?)
    }

    /// The active profile's session; a new one (new client, new token) when the profile changed.
    async fn session(&self) -> AppResult<Arc<Session>> {
        let profile = self.settings().active()?.clone();
        let mut slot = self.session.lock().await;
        if let Some(session) = slot.as_ref().filter(|s| s.profile == profile) {
            return Ok(session.clone());
        }
        let session = Arc::new(Session {
            client: self.client_for(&profile).await?,
            account: self.account_of(&profile),
            profile,
        });
        *slot = Some(session.clone());
        Ok(session)
    }

    /// Logs in with the profile's keys (a fresh client, not the active session) and counts POS.
    pub async fn test_connection(&self, profile_id: &str) -> AppResult<ConnectionTest> {
        let profile = self.settings().profile(profile_id)?.clone();
        let client = self.client_for(&profile).await?;
        let token = client.authenticate().await?;
        let poses = client.payment_options(&profile.currency).await?;
        Ok(ConnectionTest {
            api_key: profile.api_key,
            pos_count: poses.len() as u32,
            token_expires_at: token.expires_at.to_rfc3339(),
        })
    }

    // ---------------------------------------------------------------- rates

    pub async fn payment_options(&self, currency: &str) -> AppResult<Vec<PosView>> {
        validation::currency(currency)?;
        let session = self.session().await?;
        let poses = session.client.payment_options(currency).await?;
        Ok(poses.iter().filter_map(pos_view).collect())
    }

    pub async fn bin_options(
        &self,
        bin: &str,
        currency: &str,
        amount: Option<&str>,
    ) -> AppResult<BinOptionsView> {
        validation::currency(currency)?;
        vpws::validate::bin(bin).map_err(|_| AppError::field(Field::CardNumber, Reason::Bin))?;
        let amount = amount.map(|a| parse_amount(Field::Amount, a)).transpose()?;
        let session = self.session().await?;
        let options = session
            .client
            .payment_options_by_bin(bin, currency, amount)
            .await?;
        Ok(BinOptionsView {
            poses: options.poses.iter().filter_map(pos_view).collect(),
            three_d_limit: options.three_d_limit.map(format_amount),
        })
    }

    pub fn quote(&self, input: &QuoteInput) -> AppResult<Vec<PosQuote>> {
        let amount = parse_amount(Field::Amount, &input.amount)?;
        input
            .poses
            .iter()
            .map(|pos| {
                Ok(PosQuote {
                    tenant_pos_id: pos.tenant_pos_id.clone(),
                    rows: quote_rows(amount, &pos.rows, input.commission_to_customer)?,
                })
            })
            .collect()
    }

    /// `DD-20261121-7K3Q9X`: date plus six random characters; unique enough per dealer.
    pub fn new_order_reference(&self) -> String {
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Istanbul)
            .format("%Y%m%d");
        let random = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
        format!("DD-{today}-{}", &random[..6])
    }
}

fn quote_rows(
    amount: Decimal,
    rows: &[InstallmentView],
    commission_to_customer: bool,
) -> AppResult<Vec<QuoteRow>> {
    rows.iter()
        .map(|row| {
            let rate: Decimal = row
                .commission_rate
                .parse()
                .map_err(|_| AppError::field(Field::CommissionRate, Reason::Invalid))?;
            let q = quote(amount, rate, row.count, commission_to_customer);
            Ok(QuoteRow {
                count: row.count,
                total: format_amount(q.total),
                per_installment: format_amount(q.per_installment),
                first_installment: format_amount(q.first_installment),
                commission: format_amount(q.commission),
                net: format_amount(q.net),
            })
        })
        .collect()
}

fn environment(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::Demo => "demo",
        ProfileKind::Sandbox => "sandbox",
        ProfileKind::Live => "live",
        ProfileKind::Custom => "custom",
    }
}
