//! The desk: everything the commands do, independent of Tauri so it can be tested against the
//! demo gateway. It wires parts that keep their own state, private to each: `profiles`
//! (settings, secrets, the gateway session), `keychain`, `staff` (who is at the desk, the
//! check every command passes, the idle lock) and `money_path` (payments, cancels, refunds,
//! lookups, settling what is in doubt); what it needs of the program around it comes through
//! one [`crate::host::Host`]. The rest reads and keeps what the screens show: `records`
//! (lists, totals, the report, the CSV), `rates`, `approvals`, `operators`, `team`
//! (the team database), `updates`. How an operation ended is decided only by
//! [`crate::verdict`].
mod approvals;
mod card_rules;
mod following;
mod keychain;
mod mail;
mod money_path;
mod operators;
mod profiles;
mod rates;
mod records;
mod retention;
mod roles;
mod staff;
mod team;
mod updates;
mod views;

use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use crate::host::ThreeDEnd;
pub use money_path::{gateway_account, CurrentPayment, PaymentPhase, ReconcilePolicy};
pub use roles::Need;
pub use views::transaction_view;

use crate::dto::*;
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::host::Host;
use crate::journal::Journal;
use crate::model::{Language, ProfileKind};
use crate::settings::{TeamSettings, TEAM_PASSWORD_KEY};
use crate::validation;
use money_path::MoneyPath;
use profiles::Profiles;
use staff::Staff;

/// The built-in demo gateway the Demo profile talks to.
#[derive(Clone)]
pub struct DemoAccess {
    pub dealer_name: String,
    pub base_url: String,
    pub api_key: String,
    pub secret_key: String,
}

pub struct Desk {
    /// What only the program around the desk has: the window, the files, the keychain.
    host: Arc<dyn Host>,
    /// Settings, secrets and the active profile's gateway session.
    profiles: Arc<Profiles>,
    /// Who is signed in here and what they may do.
    staff: Arc<Staff>,
    /// Payments, cancels, refunds, lookups and settling what is in doubt.
    money: MoneyPath,
    journal: Arc<dyn Journal>,
    /// What the operator must know about the files: set aside at start, damage found after.
    notices: Mutex<Vec<StartNotice>>,
    /// What the retention setting last purged (shown in Settings).
    last_purge: Mutex<Option<crate::dto::PurgeReport>>,
    /// The journal opened at start-up (settings may already choose another for the next one).
    journal_in_use: crate::settings::JournalChoice,
    /// This desk's own journal file, which can be copied into the team database.
    local_journal_file: Option<std::path::PathBuf>,
    /// The rates the gateway last gave, which quotes are computed on.
    rates_seen: rates::RatesSeen,
    /// What the last card's BIN answer said its payments must respect.
    card_rules: Arc<card_rules::CardRulesSeen>,
    /// Wakes the postman when a letter is written.
    mail_wake: Arc<tokio::sync::Notify>,
    /// A certificate (PEM) to trust for the mail server beside the OS's roots.
    mail_root: Option<Vec<u8>>,
    /// This desk's name on the letters it holds while sending (new at every start).
    postman_id: String,
}

impl Desk {
    pub fn new(
        host: Arc<dyn Host>,
        journal: Arc<dyn Journal>,
        demo: DemoAccess,
        os_language: Language,
        keychain_problem: Option<String>,
    ) -> AppResult<Self> {
        let profiles = Arc::new(Profiles::load(
            host.settings(),
            host.secrets(),
            demo,
            os_language,
            keychain_problem,
        )?);
        let staff = Arc::new(Staff::new(journal.clone(), profiles.clone()));
        let card_rules = Arc::new(card_rules::CardRulesSeen::default());
        let money = MoneyPath::new(
            host.clone(),
            journal.clone(),
            profiles.clone(),
            staff.clone(),
            card_rules.clone(),
        );
        Ok(Self {
            host,
            staff,
            money,
            profiles,
            journal,
            notices: Mutex::new(Vec::new()),
            last_purge: Mutex::new(None),
            journal_in_use: crate::settings::JournalChoice::Local,
            local_journal_file: None,
            rates_seen: rates::RatesSeen::default(),
            card_rules,
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            mail_root: None,
            postman_id: uuid::Uuid::new_v4().to_string(),
        })
    }

    /// Trusts `pem` for the mail server beside the OS's roots (a dealer's own server with a
    /// certificate of its own).
    pub fn with_mail_root(mut self, pem: Vec<u8>) -> Self {
        self.mail_root = Some(pem);
        self
    }

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

    // ---------------------------------------------------------------- who is at the desk

    /// The one gate every IPC command passes: refused, with nothing done, unless whoever is at
    /// the desk may do what the command needs.
    pub async fn gate(&self, need: Need) -> AppResult<()> {
        self.staff
            .gate(need, || self.forget_for_next_operator())
            .await
    }

    /// Who may do what `need` names: `None` when operators are off, else the signed-in operator.
    async fn allow(&self, need: Need) -> AppResult<Option<crate::journal::OperatorRecord>> {
        self.staff
            .allow(need, || self.forget_for_next_operator())
            .await
    }

    /// The journal refused the sign-in's session (the team database ended it: a shift is
    /// over): the desk locks too, instead of showing someone signed in whose every act fails.
    fn ended_by_journal(&self, e: crate::error::AppError) -> crate::error::AppError {
        self.staff
            .ended_by_journal(e, || self.forget_for_next_operator())
    }

    /// A finished payment's result is the operator's who took it, not the next one's (a payment
    /// still on its way stays: whoever signs in must see how it ends).
    fn forget_for_next_operator(&self) {
        self.money.forget_for_next_operator();
    }

    /// The operator's activity without a command (typing, pointing): keeps the sign-in alive.
    pub async fn still_here(&self) -> AppResult<()> {
        self.staff
            .still_here(|| self.forget_for_next_operator())
            .await
    }

    pub async fn staff_status(&self) -> AppResult<StaffStatus> {
        self.staff.status().await
    }

    /// Signs an operator in; every try is counted in the journal before the PIN is checked.
    pub async fn sign_in(&self, input: SignInInput) -> AppResult<StaffStatus> {
        self.staff.sign_in(input).await
    }

    /// Locks the desk: nobody is signed in until a PIN is typed again. A payment already
    /// running goes on (its outcome waits on the payment screen).
    pub async fn sign_out(&self) -> AppResult<StaffStatus> {
        self.staff
            .sign_out(|| self.forget_for_next_operator())
            .await
    }

    /// The journal announced a change (another desk's): the next check reads the operators.
    pub fn journal_changed(&self) {
        self.staff.journal_changed();
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
                let notice = StartNotice::journal_damaged(&path);
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
        self.profiles.keychain().check_pending();
        self
    }

    /// What the keychain's self-check found (`None`: it keeps what it is given).
    pub fn keychain_checked(&self, problem: Option<String>) {
        self.profiles.keychain().checked(problem);
    }

    /// Problems found at start-up that the status bar must show.
    pub fn with_notices(mut self, notices: Vec<StartNotice>) -> Self {
        self.notices = Mutex::new(notices);
        self
    }

    /// Other settling windows and check intervals (tests use short ones).
    pub fn with_reconcile_policy(mut self, policy: ReconcilePolicy) -> Self {
        self.money.set_policy(policy);
        self
    }

    /// Another length of the lock time's minute (tests lock a desk in milliseconds).
    pub fn with_idle_minute(self, minute: Duration) -> Self {
        self.staff.set_idle_minute(minute);
        self
    }

    /// Another whole-request limit for the gateway client (tests use a short one).
    pub fn with_request_timeout(self, timeout: Duration) -> Self {
        self.profiles.set_request_timeout(timeout);
        self
    }

    pub fn journal(&self) -> &Arc<dyn Journal> {
        &self.journal
    }

    /// The profile in use: reports cover it alone (a demo day never mixes with a live one).
    pub fn active_profile_id(&self) -> String {
        self.profiles.active_profile_id()
    }

    /// Reads once what the status tells of the keychain, so that the first status, on the
    /// start's path, waits for no D-Bus round trip.
    pub async fn learn_what_the_keychain_holds(&self) {
        self.profiles.learn_what_the_keychain_holds().await;
    }

    // ---------------------------------------------------------------- profiles and settings

    pub async fn status(&self) -> AppResult<AppStatus> {
        let settings = self.profiles.settings();
        let profiles = self.profiles.views().await;
        let profile = self.profiles.view(settings.active()?).await;
        let keychain = self.profiles.keychain();
        let has_team_password = keychain.holds(TEAM_PASSWORD_KEY).await;
        // The check after start is done long before the first screen asks (~60 ms); a keychain
        // slower than a second is reported by the app's event when it answers.
        let keychain_problem = tokio::time::timeout(Duration::from_secs(1), keychain.problem())
            .await
            .unwrap_or(None);
        Ok(AppStatus {
            profile,
            profiles,
            language: self.profiles.language(),
            commission_to_customer: settings.commission_to_customer,
            back_office_exports: settings.back_office_exports,
            text_size: settings.text_size,
            high_contrast: settings.high_contrast,
            customer_retention: settings.customer_retention,
            refund_period_days: settings.refund_period_days,
            value_days: settings.value_days.clone(),
            mail: self.mail_status().await,
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

    /// Puts away a notice the operator has read (only what is already done: a file set aside).
    pub async fn dismiss_notice(&self, code: String) -> AppResult<AppStatus> {
        self.allow(Need::Look).await?;
        self.notices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|n| !(n.code == code && n.dismissable));
        self.status().await
    }

    pub async fn list_profiles(&self) -> AppResult<Vec<ProfileView>> {
        Ok(self.profiles.views().await)
    }

    pub async fn save_profile(&self, input: ProfileInput) -> AppResult<ProfileView> {
        self.allow(Need::ManageDesk).await?;
        self.profiles.save(input).await
    }

    pub async fn delete_profile(&self, id: String) -> AppResult<()> {
        self.allow(Need::ManageDesk).await?;
        self.profiles.delete(&id).await
    }

    pub async fn switch_profile(&self, id: String) -> AppResult<AppStatus> {
        self.allow(Need::ManageDesk).await?;
        self.profiles.switch(&id).await?;
        self.status().await
    }

    /// Logs in with the profile's keys (a fresh client, not the active session) and counts POS.
    pub async fn test_connection(&self, profile_id: String) -> AppResult<ConnectionTest> {
        self.profiles.test_connection(&profile_id).await
    }

    pub async fn update_preferences(&self, preferences: Preferences) -> AppResult<AppStatus> {
        // What holds for the whole desk is a supervisor's to change; language, text size and
        // contrast are each operator's own.
        let desk_wide = preferences.desk_wide();
        if desk_wide != TeamSettings::default()
            || preferences.check_for_updates.is_some()
            || preferences.update_endpoint.is_some()
        {
            self.allow(Need::ManageDesk).await?;
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
        if let Some(days) = &preferences.value_days {
            if days.values().any(|d| *d > 365) {
                return Err(AppError::field(Field::ValueDays, Reason::TooLarge));
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
        self.profiles.update_settings(|s| {
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
}

fn environment(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::Demo => "demo",
        ProfileKind::Sandbox => "sandbox",
        ProfileKind::Live => "live",
        ProfileKind::Custom => "custom",
    }
}
