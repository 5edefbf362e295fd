//! Who is at this desk (ARCHITECTURE.md): the signed-in operator, the check every command
//! passes, signing in and out, and the idle lock. The rules themselves are [`super::roles`];
//! PINs are checked by the journal that keeps them (`journal::Staff`). With no active operator
//! the desk works as a single desk always did: no PIN, the profile's operator name on entries.
//!
//! Locking the desk has a consequence outside this part (a finished payment's result is the
//! operator's who took it): every method that may lock takes `on_lock`, which the desk fills.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::profiles::Profiles;
use super::roles::{actions_for, permitted, Need};
use crate::dto::{
    OperatorName, OperatorView, SignInInput, StaffStatus, TransactionActions, TransactionView,
};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::journal::{Journal, OperatorRecord, SignInAnswer, Staff as StaffStore};
use crate::model::Money;
use crate::settings::Settings;

/// How long the gate's reading of the active operators waits for its command (a millisecond
/// behind it); a command that never asks leaves it to go stale.
const READING_ANSWERS_FOR: Duration = Duration::from_millis(500);

/// The gate's reading of the active operators, handed to the one command behind it so that an
/// IPC command reads them once. Anything else reads the journal: a change made at another desk
/// counts at once.
#[derive(Default)]
enum Reading {
    #[default]
    None,
    /// The gate is checking: keep what it reads.
    Wanted,
    Kept(Instant, Vec<OperatorRecord>),
}

pub(super) struct Staff {
    journal: Arc<dyn Journal>,
    profiles: Arc<Profiles>,
    signed_in: Mutex<Option<SignedIn>>,
    /// Last known: some operator is active. `None` until the journal was first read.
    operators_on: Mutex<Option<bool>>,
    reading: Mutex<Reading>,
    /// How long the lock time's minute is (tests use a short one).
    idle_minute: Mutex<Duration>,
}

#[derive(Clone)]
struct SignedIn {
    operator: OperatorRecord,
    last_active: Instant,
}

impl Staff {
    pub fn new(journal: Arc<dyn Journal>, profiles: Arc<Profiles>) -> Self {
        Self {
            journal,
            profiles,
            signed_in: Mutex::default(),
            operators_on: Mutex::default(),
            reading: Mutex::default(),
            idle_minute: Mutex::new(Duration::from_secs(60)),
        }
    }

    pub fn set_idle_minute(&self, minute: Duration) {
        *self.idle_minute.lock().unwrap_or_else(|p| p.into_inner()) = minute;
    }

    fn signed_in(&self) -> Option<OperatorRecord> {
        self.signed_in
            .lock()
            .expect("staff lock")
            .as_ref()
            .map(|s| s.operator.clone())
    }

    fn set_signed_in(&self, operator: Option<OperatorRecord>) {
        *self.signed_in.lock().expect("staff lock") = operator.map(|operator| SignedIn {
            operator,
            last_active: Instant::now(),
        });
    }

    /// The operator as the journal has them now, keeping when they were last active.
    fn refresh(&self, operator: OperatorRecord) {
        if let Some(me) = self.signed_in.lock().expect("staff lock").as_mut() {
            me.operator = operator;
        }
    }

    /// Ends a sign-in idle for longer than `idle` (zero: never); `true` if it did.
    fn expire_if_idle(&self, idle: Duration) -> bool {
        let mut signed_in = self.signed_in.lock().expect("staff lock");
        let expired =
            matches!(&*signed_in, Some(me) if !idle.is_zero() && me.last_active.elapsed() >= idle);
        if expired {
            *signed_in = None;
        }
        expired
    }

    fn want_reading(&self) {
        *self.reading.lock().expect("staff lock") = Reading::Wanted;
    }

    /// The gate's reading, once, if it is still fresh.
    fn take_reading(&self) -> Option<Vec<OperatorRecord>> {
        let mut reading = self.reading.lock().expect("staff lock");
        match std::mem::take(&mut *reading) {
            Reading::Kept(at, active) if at.elapsed() < READING_ANSWERS_FOR => Some(active),
            Reading::Wanted => {
                *reading = Reading::Wanted;
                None
            }
            _ => None,
        }
    }

    fn keep_if_wanted(&self, active: &[OperatorRecord]) {
        let mut reading = self.reading.lock().expect("staff lock");
        if matches!(*reading, Reading::Wanted) {
            *reading = Reading::Kept(Instant::now(), active.to_vec());
        }
    }

    fn drop_reading(&self) {
        *self.reading.lock().expect("staff lock") = Reading::None;
    }

    fn active_now(&self) {
        if let Some(me) = self.signed_in.lock().expect("staff lock").as_mut() {
            me.last_active = Instant::now();
        }
    }

    /// The one gate every IPC command passes: refused, with nothing done, unless whoever is at
    /// the desk may do what the command needs.
    pub async fn gate(&self, need: Need, on_lock: impl Fn()) -> AppResult<()> {
        self.want_reading();
        let allowed = self.allow(need, on_lock).await.map(|_| ());
        if allowed.is_err() {
            self.drop_reading();
        }
        allowed
    }

    /// The operator's activity without a command (typing, pointing): keeps the sign-in alive.
    pub async fn still_here(&self, on_lock: impl Fn()) -> AppResult<()> {
        self.allow(Need::Look, on_lock).await?;
        self.active_now();
        Ok(())
    }

    /// Who may do what `need` names: `Ok(None)` when operators are off, the signed-in operator
    /// (as the journal has them now: a role changed at another desk counts at once) otherwise.
    /// A sign-in idle for longer than the lock time has ended, whatever the window did.
    pub async fn allow(&self, need: Need, on_lock: impl Fn()) -> AppResult<Option<OperatorRecord>> {
        if need == Need::Open {
            return Ok(None);
        }
        let settings = self.profiles.settings();
        let minute = *self.idle_minute.lock().unwrap_or_else(|p| p.into_inner());
        let idle = minute * u32::from(settings.lock_after_minutes);
        if self.expire_if_idle(idle) {
            tracing::info!("signed out after the idle time");
            on_lock();
            // The journal's session ends too; if it cannot be reached now, its session ends
            // by itself (and nobody on this desk holds it any more).
            let _ = self.journal.sign_out().await;
        }
        let me = match need {
            Need::Look => self.allow_look().await?,
            Need::SetUpTeam => match self.allow_act().await {
                Err(e) if needs_its_owner(&e) => return Ok(None),
                other => other?,
            },
            _ => self.allow_act().await?,
        };
        if let Some(me) = &me {
            permitted(me, need, &settings)?;
            if need.is_activity() {
                self.active_now();
            }
        }
        Ok(me)
    }

    /// The journal announced a change (another desk's): the next check reads the operators.
    pub fn journal_changed(&self) {
        self.drop_reading();
    }

    /// What the operator signed in now (as the last command's check read them) may do with the
    /// transaction `view` shows.
    pub fn actions(
        &self,
        view: &TransactionView,
        history: &[crate::journal::Entry],
        settings: &Settings,
    ) -> TransactionActions {
        actions_for(self.signed_in().as_ref(), view, history, settings)
    }

    /// The journal refused the sign-in's session (the team database ended it: a shift is
    /// over): the desk locks too, instead of showing someone signed in whose every act fails.
    pub fn ended_by_journal(&self, e: AppError, on_lock: impl Fn()) -> AppError {
        if e.code == ErrorCode::SignInRequired && self.signed_in().is_some() {
            tracing::info!("the journal ended the sign-in");
            self.set_signed_in(None);
            on_lock();
        }
        e
    }

    async fn allow_act(&self) -> AppResult<Option<OperatorRecord>> {
        let active = self.active_operators().await?;
        if active.is_empty() {
            return Ok(None);
        }
        self.signed_in_among(active).map(Some)
    }

    /// The signed-in operator among the active ones; signed out if they are not active any more.
    fn signed_in_among(&self, active: Vec<OperatorRecord>) -> AppResult<OperatorRecord> {
        let me = self
            .signed_in()
            .and_then(|me| active.into_iter().find(|o| o.id == me.id));
        match me {
            Some(me) => {
                self.refresh(me.clone());
                Ok(me)
            }
            None => {
                self.set_signed_in(None);
                Err(sign_in_required())
            }
        }
    }

    /// Lookups keep working while the team database is down (they read the gateway) for whoever
    /// was signed in; nobody new gets in without the journal, and a desk that last saw operators
    /// on (or never saw its team journal) asks for a PIN.
    async fn allow_look(&self) -> AppResult<Option<OperatorRecord>> {
        match self.active_operators().await {
            Ok(active) if active.is_empty() => Ok(None),
            Ok(active) => self.signed_in_among(active).map(Some),
            Err(e) if e.code.journal_out_of_reach() => match self.signed_in() {
                Some(me) => Ok(Some(me)),
                None if self.operators_were_on() => Err(sign_in_required()),
                None => Ok(None),
            },
            Err(e) => Err(e),
        }
    }

    /// What the desk last knew of operators: this run's reading, else what it kept in its
    /// settings; never known counts as on.
    fn operators_were_on(&self) -> bool {
        if let Some(on) = *self.operators_on.lock().expect("staff lock") {
            return on;
        }
        let settings = self.profiles.settings();
        settings.operators_seen_on.unwrap_or(true)
    }

    /// The active operators: the reading the gate just took for this command when there is
    /// one, else the journal's.
    async fn active_operators(&self) -> AppResult<Vec<OperatorRecord>> {
        if let Some(active) = self.take_reading() {
            return Ok(active);
        }
        let active: Vec<OperatorRecord> = self
            .journal
            .operators()
            .await?
            .into_iter()
            .filter(|o| o.active)
            .collect();
        self.keep_if_wanted(&active);
        let on = !active.is_empty();
        *self.operators_on.lock().expect("staff lock") = Some(on);
        // Kept for a start without the team database; a desk that cannot write its settings
        // still works, it only asks for a PIN then as well.
        let _ = self.profiles.update_settings(|s| {
            s.operators_seen_on = Some(on);
            Ok(())
        });
        Ok(active)
    }

    /// The name entries record: the signed-in operator's, or (operators off) the active
    /// profile's operator name.
    pub fn name_on_entries(&self, operator: &Option<OperatorRecord>) -> String {
        match operator {
            Some(me) => me.name.clone(),
            None => self
                .profiles
                .settings()
                .active()
                .map(|p| p.operator_name.clone())
                .unwrap_or_default(),
        }
    }

    pub async fn status(&self) -> AppResult<StaffStatus> {
        let active = self.active_operators().await?;
        let signed_in = self
            .signed_in()
            .and_then(|me| active.iter().find(|o| o.id == me.id).cloned());
        self.set_signed_in(signed_in.clone());
        Ok(StaffStatus {
            operators_on: !active.is_empty(),
            signed_in: signed_in.as_ref().map(operator_view),
            names: active
                .iter()
                .map(|o| OperatorName {
                    id: o.id,
                    name: o.name.clone(),
                })
                .collect(),
            lock_after_minutes: self.profiles.settings().lock_after_minutes,
        })
    }

    /// Signs an operator in. Every try is counted in the journal before the PIN is checked
    /// (shared by every desk on it, kept across restarts): from 5 wrong PINs in a row each try
    /// waits 30 s, from 10 five minutes, and at 20 the operator is blocked until a supervisor
    /// sets a new PIN.
    pub async fn sign_in(&self, input: SignInInput) -> AppResult<StaffStatus> {
        check_pin(self.journal.as_ref(), input.operator_id, input.pin).await?;
        let active = self.active_operators().await?;
        let Some(me) = active.into_iter().find(|o| o.id == input.operator_id) else {
            return Err(sign_in_failed());
        };
        tracing::info!(operator = %me.name, "signed in");
        self.set_signed_in(Some(me));
        self.status().await
    }

    /// Locks the desk: nobody is signed in until a PIN is typed again. A payment already
    /// running goes on (its outcome waits on the payment screen).
    pub async fn sign_out(&self, on_lock: impl Fn()) -> AppResult<StaffStatus> {
        self.set_signed_in(None);
        on_lock();
        let _ = self.journal.sign_out().await;
        self.status().await
    }
}

/// Checks `pin` for operator `id` of `staff`, counted there as a sign-in try first (see
/// [`Desk::sign_in`]).
pub(super) async fn check_pin(
    staff: &(impl StaffStore + ?Sized),
    id: i64,
    pin: String,
) -> AppResult<()> {
    let pin = zeroize::Zeroizing::new(pin);
    match staff.sign_in(id, &pin).await? {
        SignInAnswer::Right => Ok(()),
        SignInAnswer::WaitUntil(until) => {
            let seconds = (until - Utc::now()).num_seconds().max(0) + 1;
            Err(AppError::new(
                ErrorCode::SignInThrottled,
                "too many wrong PINs; wait before trying again",
            )
            .with("seconds", seconds.to_string()))
        }
        SignInAnswer::Blocked => Err(AppError::new(
            ErrorCode::SignInBlocked,
            "too many wrong PINs: a supervisor must set a new PIN",
        )),
        SignInAnswer::Wrong | SignInAnswer::Unknown => Err(sign_in_failed()),
    }
}

/// The team database cannot be used until its owner sets it up (or the desk off its owner's
/// account).
fn needs_its_owner(e: &AppError) -> bool {
    matches!(
        e.code,
        ErrorCode::JournalSetupNeeded | ErrorCode::JournalOwnerAccount
    )
}

fn sign_in_failed() -> AppError {
    AppError::new(
        ErrorCode::SignInFailed,
        "no active operator with that name and PIN",
    )
}

fn sign_in_required() -> AppError {
    AppError::new(ErrorCode::SignInRequired, "sign in to use this desk")
}

pub(super) fn operator_view(o: &OperatorRecord) -> OperatorView {
    OperatorView {
        id: o.id,
        name: o.name.clone(),
        role: o.role,
        refund_limit: o.refund_limit.map(Money::from),
        active: o.active,
        pin_blocked: o.pin_blocked,
    }
}
