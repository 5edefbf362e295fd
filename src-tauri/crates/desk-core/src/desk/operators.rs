//! Operators (ARCHITECTURE.md): who is signed in at this desk, and what their role lets them do.
//! The rules are enforced here, for every command, not only hidden in the UI: cashiers pay and
//! look up; back office also cancels, and refunds up to a limit (above it, a supervisor
//! approves); supervisors do anything, approve and manage operators, profiles and the journal.
//! With no active operator the desk works as a single desk always did: no PIN, the profile's
//! operator name on entries. PINs are checked by the journal that keeps them (see `Staff`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use rust_decimal::Decimal;

use super::Desk;
use crate::dto::{
    OperatorInput, OperatorName, OperatorView, SignInInput, StaffStatus, TransactionActions,
    TransactionView,
};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::checked_pin_for;
use crate::journal::{
    EntryKind, OperatorRecord, OperatorWrite, Outcome, Role, SignInAnswer, Staff,
};
use crate::money::{format_amount, parse_amount};
use crate::settings::Settings;
use crate::validation;

/// What a command needs of whoever is at the desk: every IPC command names one (the app's
/// command list), and [`Desk::gate`] checks it before the command runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// Nothing: open even while the desk is locked (the status, who is signed in, signing in).
    Open,
    /// Someone signed in (or operators off): lookups, lists, reports, rates, preferences.
    Look,
    Pay,
    Cancel,
    /// Refunds up to one's limit (the amounts are checked where they are known).
    Refund,
    /// Ask a supervisor for a refund or cancel above one's limit.
    RequestApproval,
    /// Decide requests, resolve what the gateway cannot settle.
    Approve,
    /// Every customer of the journal into a file: supervisors, and back office when the team
    /// allows it.
    Export,
    /// Operators, profiles, the journal, desk-wide settings, updates.
    ManageDesk,
    /// Set the team database up or upgrade it with its owner's password: a supervisor's, or
    /// anyone's while the database cannot tell who is a supervisor because it needs exactly
    /// this (the owner's password is the stronger proof).
    SetUpTeam,
}

impl Need {
    pub const ALL: [Need; 10] = [
        Need::Open,
        Need::Look,
        Need::Pay,
        Need::Cancel,
        Need::Refund,
        Need::RequestApproval,
        Need::Approve,
        Need::Export,
        Need::ManageDesk,
        Need::SetUpTeam,
    ];

    /// Reads keep a sign-in alive only through the operator's own activity; everything else
    /// the operator does counts as activity.
    fn is_activity(self) -> bool {
        !matches!(self, Need::Open | Need::Look)
    }
}

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

/// This desk's sign-in state (memory only: a restart asks again).
#[derive(Default)]
pub(super) struct Staffing {
    signed_in: Mutex<Option<SignedIn>>,
    /// Last known: some operator is active. `None` until the journal was first read.
    operators_on: Mutex<Option<bool>>,
    reading: Mutex<Reading>,
}

#[derive(Clone)]
struct SignedIn {
    operator: OperatorRecord,
    last_active: Instant,
}

impl Staffing {
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
}

impl Desk {
    /// The one gate every IPC command passes: refused, with nothing done, unless whoever is at
    /// the desk may do what the command needs.
    pub async fn gate(&self, need: Need) -> AppResult<()> {
        self.staffing.want_reading();
        let allowed = self.allow(need).await.map(|_| ());
        if allowed.is_err() {
            self.staffing.drop_reading();
        }
        allowed
    }

    /// The operator's activity without a command (typing, pointing): keeps the sign-in alive.
    pub async fn still_here(&self) -> AppResult<()> {
        self.allow(Need::Look).await?;
        self.staffing.active_now();
        Ok(())
    }

    /// Who may do what `need` names: `Ok(None)` when operators are off, the signed-in operator
    /// (as the journal has them now: a role changed at another desk counts at once) otherwise.
    /// A sign-in idle for longer than the lock time has ended, whatever the window did.
    pub(super) async fn allow(&self, need: Need) -> AppResult<Option<OperatorRecord>> {
        if need == Need::Open {
            return Ok(None);
        }
        let settings = self.profiles.settings();
        let idle = self.idle_minute * u32::from(settings.lock_after_minutes);
        if self.staffing.expire_if_idle(idle) {
            tracing::info!("signed out after the idle time");
            self.forget_for_next_operator();
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
                self.staffing.active_now();
            }
        }
        Ok(me)
    }

    /// The journal announced a change (another desk's): the next check reads the operators.
    pub fn journal_changed(&self) {
        self.staffing.drop_reading();
    }

    /// What the operator signed in now (as the last command's check read them) may do with the
    /// transaction `view` shows.
    pub(super) fn actions(
        &self,
        view: &TransactionView,
        history: &[crate::journal::Entry],
    ) -> TransactionActions {
        let me = self.staffing.signed_in();
        actions_for(me.as_ref(), view, history, &self.profiles.settings())
    }

    /// The journal refused the sign-in's session (the team database ended it: a shift is
    /// over): the desk locks too, instead of showing someone signed in whose every act fails.
    pub(super) fn ended_by_journal(&self, e: AppError) -> AppError {
        if e.code == ErrorCode::SignInRequired && self.staffing.signed_in().is_some() {
            tracing::info!("the journal ended the sign-in");
            self.staffing.set_signed_in(None);
            self.forget_for_next_operator();
        }
        e
    }

    /// A finished payment's result is the operator's who took it, not the next one's (a payment
    /// still on its way stays: whoever signs in must see how it ends).
    fn forget_for_next_operator(&self) {
        let _ = self.current.dismiss();
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
            .staffing
            .signed_in()
            .and_then(|me| active.into_iter().find(|o| o.id == me.id));
        match me {
            Some(me) => {
                self.staffing.refresh(me.clone());
                Ok(me)
            }
            None => {
                self.staffing.set_signed_in(None);
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
            Err(e) if e.code == ErrorCode::JournalUnreachable => match self.staffing.signed_in() {
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
        if let Some(on) = *self.staffing.operators_on.lock().expect("staff lock") {
            return on;
        }
        let settings = self.profiles.settings();
        settings.operators_seen_on.unwrap_or(true)
    }

    /// The active operators: the reading the gate just took for this command when there is
    /// one, else the journal's.
    async fn active_operators(&self) -> AppResult<Vec<OperatorRecord>> {
        if let Some(active) = self.staffing.take_reading() {
            return Ok(active);
        }
        let active: Vec<OperatorRecord> = self
            .journal
            .operators()
            .await?
            .into_iter()
            .filter(|o| o.active)
            .collect();
        self.staffing.keep_if_wanted(&active);
        let on = !active.is_empty();
        *self.staffing.operators_on.lock().expect("staff lock") = Some(on);
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
    pub(super) fn name_on_entries(&self, operator: &Option<OperatorRecord>) -> String {
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

    pub async fn staff_status(&self) -> AppResult<StaffStatus> {
        let active = self.active_operators().await?;
        let signed_in = self
            .staffing
            .signed_in()
            .and_then(|me| active.iter().find(|o| o.id == me.id).cloned());
        self.staffing.set_signed_in(signed_in.clone());
        Ok(StaffStatus {
            operators_on: !active.is_empty(),
            signed_in: signed_in.as_ref().map(view),
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
        self.staffing.set_signed_in(Some(me));
        self.staff_status().await
    }

    /// Locks the desk: nobody is signed in until a PIN is typed again. A payment already
    /// running goes on (its outcome waits on the payment screen).
    pub async fn sign_out(&self) -> AppResult<StaffStatus> {
        self.staffing.set_signed_in(None);
        self.forget_for_next_operator();
        let _ = self.journal.sign_out().await;
        self.staff_status().await
    }

    /// Every operator, for a supervisor (or anyone while operators are off: that is how the
    /// first supervisor is made).
    pub async fn list_operators(&self) -> AppResult<Vec<OperatorView>> {
        self.allow(Need::ManageDesk).await?;
        Ok(self.journal.operators().await?.iter().map(view).collect())
    }

    /// Adds or changes an operator. Active operators always include a supervisor: the first
    /// operator must be one, and the last one is not demoted or turned off while others remain.
    /// The first supervisor is signed in at once.
    pub async fn save_operator(&self, input: OperatorInput) -> AppResult<Vec<OperatorView>> {
        let by = self.allow(Need::ManageDesk).await?;
        let write = checked_operator(&input).await?;
        let mut after = self.journal.operators().await?;
        match input.id {
            Some(id) => {
                let existing = after.iter_mut().find(|o| o.id == id).ok_or_else(|| {
                    AppError::new(ErrorCode::InvalidInput, format!("no operator {id}"))
                })?;
                if write.role == Role::Supervisor
                    && existing.role != Role::Supervisor
                    && write.pin.is_none()
                {
                    // Whoever becomes a supervisor gets a supervisor's PIN.
                    return Err(AppError::field(Field::Pin, Reason::SupervisorPinDigits));
                }
                existing.role = write.role;
                existing.active = write.active;
            }
            None => after.push(OperatorRecord {
                id: 0,
                name: write.name.clone(),
                role: write.role,
                refund_limit: None,
                active: write.active,
                pin_blocked: false,
            }),
        }
        let active: Vec<_> = after.iter().filter(|o| o.active).collect();
        if !active.is_empty() && !active.iter().any(|o| o.role == Role::Supervisor) {
            return Err(AppError::new(
                ErrorCode::SupervisorRequired,
                "active operators need an active supervisor",
            ));
        }
        let id = match input.id {
            Some(id) => {
                self.journal
                    .change_operator(id, &write)
                    .await
                    .map_err(|e| self.ended_by_journal(e))?;
                id
            }
            None => self
                .journal
                .add_operator(&write)
                .await
                .map_err(|e| self.ended_by_journal(e))?,
        };
        if let (None, true, Some(pin)) = (&by, write.active, &write.pin) {
            // Operators were off: whoever turned them on is their first supervisor, signed in
            // with the PIN they just chose (the team database opens their session).
            check_pin(self.journal.as_ref(), id, pin.to_string()).await?;
            let me = self
                .journal
                .operators()
                .await?
                .into_iter()
                .find(|o| o.id == id);
            self.staffing.set_signed_in(me);
        }
        tracing::info!(operator = %write.name, role = write.role.as_str(), "operator saved");
        Ok(self.journal.operators().await?.iter().map(view).collect())
    }
}

/// Checks `pin` for operator `id` of `staff`, counted there as a sign-in try first (see
/// [`Desk::sign_in`]).
pub(super) async fn check_pin(
    staff: &(impl Staff + ?Sized),
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

/// The permission table: what each role may do.
fn permitted(me: &OperatorRecord, need: Need, settings: &Settings) -> AppResult<()> {
    let allowed = match (me.role, need) {
        (Role::Supervisor, _) | (_, Need::Open | Need::Look | Need::Pay) => true,
        (Role::BackOffice, Need::Cancel | Need::Refund | Need::RequestApproval) => true,
        (Role::BackOffice, Need::Export) => settings.back_office_exports,
        _ => false,
    };
    match allowed {
        true => Ok(()),
        false => Err(AppError::new(
            ErrorCode::NotPermitted,
            format!("a {} may not do this", me.role.as_str()),
        )
        .with("role", me.role.as_str())),
    }
}

/// A back-office cancel or refund stays within the operator's limit counted over the
/// transaction: what they already took off it (or may have: not final yet) and this one.
/// Above it, a supervisor approves.
pub(super) fn within_limit(
    me: &OperatorRecord,
    earlier: &[crate::journal::Entry],
    amount: Decimal,
) -> AppResult<()> {
    if me.role != Role::BackOffice {
        return Ok(());
    }
    let limit = me.refund_limit.unwrap_or(Decimal::ZERO);
    let taken = taken_without_approval(me, earlier);
    if taken + amount > limit {
        return Err(AppError::new(
            ErrorCode::AboveRefundLimit,
            "this is above your limit for the transaction: a supervisor must approve it",
        )
        .with("limit", format_amount(limit))
        .with("taken", format_amount(taken)));
    }
    Ok(())
}

/// What `me` took off a transaction on their own: their cancels and refunds of it that
/// succeeded or may have (not final yet), not those a supervisor approved.
fn taken_without_approval(me: &OperatorRecord, earlier: &[crate::journal::Entry]) -> Decimal {
    earlier
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Cancel | EntryKind::Refund))
        .filter(|e| e.operator == me.name && e.approved_by.is_none())
        .filter(|e| !e.outcome.is_final() || e.outcome == Outcome::Success)
        .filter_map(|e| e.amount.as_deref()?.parse::<Decimal>().ok())
        .sum()
}

/// What `me` (`None`: operators off) may do with the transaction `view` shows, `history` being
/// the journal's entries about it: the same rules the commands check ([`permitted`],
/// [`within_limit`]), so the screen offers what will be accepted.
pub(super) fn actions_for(
    me: Option<&OperatorRecord>,
    view: &TransactionView,
    history: &[crate::journal::Entry],
    settings: &Settings,
) -> TransactionActions {
    let may = |need| me.is_none_or(|me| permitted(me, need, settings).is_ok());
    let without_approval_up_to = me.filter(|me| me.role == Role::BackOffice).map(|me| {
        let of_this: Vec<_> = history
            .iter()
            .filter(|e| e.reference_code.as_deref() == Some(view.reference_code.as_str()))
            .cloned()
            .collect();
        let left = me.refund_limit.unwrap_or(Decimal::ZERO) - taken_without_approval(me, &of_this);
        format_amount(left.max(Decimal::ZERO))
    });
    TransactionActions {
        may_cancel: view.can_cancel && may(Need::Cancel),
        may_refund: view.can_refund && may(Need::Refund),
        without_approval_up_to,
        may_resolve: may(Need::Approve),
    }
}

fn view(o: &OperatorRecord) -> OperatorView {
    OperatorView {
        id: o.id,
        name: o.name.clone(),
        role: o.role,
        refund_limit: o.refund_limit.map(format_amount),
        active: o.active,
        pin_blocked: o.pin_blocked,
    }
}

/// The operator as it will be stored: name and PIN checked, a refund limit
/// for back office only.
async fn checked_operator(input: &OperatorInput) -> AppResult<OperatorWrite> {
    validation::required(Field::OperatorName, &input.name)?;
    validation::free_text(Field::OperatorName, &input.name, 60)?;
    let pin = match input.pin.as_deref().filter(|p| !p.is_empty()) {
        Some(pin) => {
            checked_pin_for(input.role, pin)?;
            Some(zeroize::Zeroizing::new(pin.to_owned()))
        }
        None if input.id.is_none() => return Err(AppError::field(Field::Pin, Reason::Required)),
        None => None,
    };
    let refund_limit = match (input.role, input.refund_limit.as_deref().map(str::trim)) {
        (Role::BackOffice, Some(limit)) if !limit.is_empty() => {
            Some(parse_amount(Field::RefundLimit, limit)?)
        }
        (Role::BackOffice, _) => Some(Decimal::ZERO),
        _ => None,
    };
    Ok(OperatorWrite {
        name: input.name.trim().to_owned(),
        role: input.role,
        pin,
        refund_limit,
        active: input.active,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Entry;
    use rust_decimal_macros::dec;

    fn operator(role: Role, limit: Option<Decimal>) -> OperatorRecord {
        OperatorRecord {
            id: 1,
            name: "Ayşe".into(),
            role,
            refund_limit: limit,
            active: true,
            pin_blocked: false,
        }
    }

    #[test]
    fn each_role_may_do_what_its_row_of_the_table_says() {
        let settings = Settings::first_start("key");
        let cashier = operator(Role::Cashier, None);
        let back = operator(Role::BackOffice, Some(dec!(500)));
        let boss = operator(Role::Supervisor, None);
        for need in [Need::Open, Need::Look, Need::Pay] {
            for who in [&cashier, &back, &boss] {
                assert!(permitted(who, need, &settings).is_ok(), "{need:?}");
            }
        }
        for need in &Need::ALL[3..] {
            let e = permitted(&cashier, *need, &settings).unwrap_err();
            assert_eq!(e.code, ErrorCode::NotPermitted, "{need:?}");
        }
        for need in [Need::Cancel, Need::Refund, Need::RequestApproval] {
            assert!(permitted(&back, need, &settings).is_ok(), "{need:?}");
        }
        for need in [
            Need::Approve,
            Need::Export,
            Need::ManageDesk,
            Need::SetUpTeam,
        ] {
            let e = permitted(&back, need, &settings).unwrap_err();
            assert_eq!(e.code, ErrorCode::NotPermitted, "{need:?}");
        }
        for need in [
            Need::Approve,
            Need::Export,
            Need::ManageDesk,
            Need::SetUpTeam,
        ] {
            assert!(permitted(&boss, need, &settings).is_ok(), "{need:?}");
        }
        let exports = Settings {
            back_office_exports: true,
            ..Settings::first_start("key")
        };
        assert!(permitted(&back, Need::Export, &exports).is_ok());
        assert!(permitted(&cashier, Need::Export, &exports).is_err());
    }

    fn reversal(kind: EntryKind, by: &str, amount: &str, outcome: Outcome) -> Entry {
        Entry {
            id: 1,
            created_at: String::new(),
            updated_at: String::new(),
            profile_id: "demo".into(),
            environment: "demo".into(),
            operator: by.into(),
            kind,
            amount: Some(amount.into()),
            currency: "TRY".into(),
            installment: None,
            pos_id: None,
            pos_name: None,
            order_reference: None,
            reference_code: Some("R1".into()),
            transaction_id: None,
            masked_card: None,
            outcome,
            error_code: None,
            error_message: None,
            reason: None,
            remaining_after: None,
            remaining_before: None,
            doubt: None,
            customer: None,
            approved_by: None,
            resolved_by: None,
            resolution: None,
            lease: None,
            gateway_account: None,
        }
    }

    #[test]
    fn a_back_office_limit_counts_every_cancel_and_refund_of_the_transaction() {
        let back = operator(Role::BackOffice, Some(dec!(50)));
        assert!(within_limit(&back, &[], dec!(50)).is_ok());
        let first = [reversal(
            EntryKind::Refund,
            "Ayşe",
            "50.00",
            Outcome::Success,
        )];
        let e = within_limit(&back, &first, dec!(50)).unwrap_err();
        assert_eq!(e.code, ErrorCode::AboveRefundLimit);
        assert_eq!(e.details["taken"], "50.00");
        // Not final yet counts; refused, another operator's and approved ones do not.
        let mixed = [
            reversal(EntryKind::Refund, "Ayşe", "20.00", Outcome::InDoubt),
            reversal(EntryKind::Refund, "Ayşe", "30.00", Outcome::Failed),
            reversal(EntryKind::Refund, "Mehmet", "30.00", Outcome::Success),
            Entry {
                approved_by: Some("Zeynep".into()),
                ..reversal(EntryKind::Refund, "Ayşe", "40.00", Outcome::Success)
            },
            reversal(EntryKind::Payment, "Ayşe", "100.00", Outcome::Success),
        ];
        assert!(within_limit(&back, &mixed, dec!(30)).is_ok());
        assert!(within_limit(&back, &mixed, dec!(30.01)).is_err());
        // A cancel counts as much as a refund.
        let cancel = [reversal(
            EntryKind::Cancel,
            "Ayşe",
            "5000.00",
            Outcome::Success,
        )];
        assert!(within_limit(&back, &cancel, dec!(0.01)).is_err());
        let boss = operator(Role::Supervisor, None);
        assert!(within_limit(&boss, &cancel, dec!(1000000)).is_ok());
    }

    /// A successful sale of 250.00 the gateway allows to cancel and refund.
    fn sale() -> TransactionView {
        TransactionView {
            transaction_id: "t-1".into(),
            reference_code: "NTH1".into(),
            order_reference: Some("DD-1".into()),
            state: crate::model::TransactionState::Success,
            amount: Some("250.00".into()),
            remaining: "250.00".into(),
            net: None,
            currency: "TRY".into(),
            installment: Some(1),
            commission_rate: None,
            pos_id: None,
            pos_name: None,
            masked_card: None,
            card_holder: None,
            date: None,
            can_cancel: true,
            no_cancel: None,
            can_refund: true,
            refund_period_passed: None,
            reversal_in_doubt: false,
            reversal_being_sent: false,
        }
    }

    #[test]
    fn the_screen_offers_each_role_what_its_commands_will_accept() {
        let settings = Settings::first_start("key");
        let of_this = |e: Entry| Entry {
            reference_code: Some("NTH1".into()),
            ..e
        };
        let history = [
            reversal(EntryKind::Payment, "Ali", "250.00", Outcome::Success),
            of_this(reversal(
                EntryKind::Refund,
                "Ayşe",
                "30.00",
                Outcome::Success,
            )),
            of_this(reversal(
                EntryKind::Refund,
                "Ayşe",
                "5.00",
                Outcome::InDoubt,
            )),
            of_this(reversal(
                EntryKind::Refund,
                "Ayşe",
                "90.00",
                Outcome::Failed,
            )),
            // Another transaction's refund does not count against this one.
            Entry {
                reference_code: Some("NTH2".into()),
                ..reversal(EntryKind::Refund, "Ayşe", "40.00", Outcome::Success)
            },
        ];
        let actions = |me: Option<&OperatorRecord>, view: &TransactionView| {
            actions_for(me, view, &history, &settings)
        };

        let back = operator(Role::BackOffice, Some(dec!(50)));
        let offered = actions(Some(&back), &sale());
        assert!(offered.may_cancel && offered.may_refund && !offered.may_resolve);
        assert_eq!(offered.without_approval_up_to.as_deref(), Some("15.00"));
        // The figure is the one the refund command checks against.
        assert!(within_limit(&back, &history[1..4], dec!(15)).is_ok());
        assert!(within_limit(&back, &history[1..4], dec!(15.01)).is_err());
        let spent = operator(Role::BackOffice, Some(dec!(20)));
        assert_eq!(
            actions(Some(&spent), &sale())
                .without_approval_up_to
                .as_deref(),
            Some("0.00"),
            "never below nothing"
        );

        let cashier = actions(Some(&operator(Role::Cashier, None)), &sale());
        assert!(!cashier.may_cancel && !cashier.may_refund && !cashier.may_resolve);
        assert_eq!(cashier.without_approval_up_to, None);

        for me in [Some(operator(Role::Supervisor, None)), None] {
            let offered = actions(me.as_ref(), &sale());
            assert!(offered.may_cancel && offered.may_refund && offered.may_resolve);
            assert_eq!(offered.without_approval_up_to, None, "no limit");
        }

        // What the gateway does not allow is offered to nobody.
        let refunded = TransactionView {
            can_cancel: false,
            can_refund: false,
            ..sale()
        };
        let boss = actions(Some(&operator(Role::Supervisor, None)), &refunded);
        assert!(!boss.may_cancel && !boss.may_refund);
    }
}
