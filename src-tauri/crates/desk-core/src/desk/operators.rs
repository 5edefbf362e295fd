//! Operators (DESIGN §8): who is signed in at this desk, and what their role lets them do.
//! The rules are enforced here, for every command, not only hidden in the UI: cashiers pay and
//! look up; back office also cancels, and refunds up to a limit (above it, a supervisor
//! approves); supervisors do anything, approve and manage operators, profiles and the journal.
//! With no active operator the desk works as a single desk always did: no PIN, the profile's
//! operator name on entries. PINs are kept only as argon2id hashes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rust_decimal::Decimal;

use super::Desk;
use crate::dto::{OperatorInput, OperatorName, OperatorView, SignInInput, StaffStatus};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::{OperatorRecord, OperatorWrite, Role};
use crate::money::{format_amount, parse_amount};
use crate::validation;

/// Wrong PINs in a row before an operator must wait, and how long.
const TRIES: u32 = 5;
const WAIT: Duration = Duration::from_secs(30);

/// What a command is about to do, as far as roles go.
#[derive(Clone, Copy, Debug)]
pub(super) enum Action {
    /// Lookups, lists, reports, rates.
    Look,
    Pay,
    Cancel,
    Refund(Decimal),
    /// Ask a supervisor for a refund above one's limit.
    RequestApproval,
    Approve,
    /// Operators, profiles, the journal, desk-wide settings.
    ManageDesk,
}

/// This desk's sign-in state (memory only: a restart asks again).
#[derive(Default)]
pub(super) struct Staffing {
    signed_in: Mutex<Option<OperatorRecord>>,
    /// Last known: some operator is active. `None` until the journal was first read.
    operators_on: Mutex<Option<bool>>,
    wrong_pins: Mutex<HashMap<i64, (u32, Option<Instant>)>>,
}

impl Staffing {
    fn signed_in(&self) -> Option<OperatorRecord> {
        self.signed_in.lock().expect("staff lock").clone()
    }

    fn set_signed_in(&self, operator: Option<OperatorRecord>) {
        *self.signed_in.lock().expect("staff lock") = operator;
    }
}

impl Desk {
    /// Who may do `action`: `Ok(None)` when operators are off, the signed-in operator (as the
    /// journal has them now: a role changed at another desk counts at once) otherwise.
    pub(super) async fn allow(&self, action: Action) -> AppResult<Option<OperatorRecord>> {
        if let Action::Look = action {
            return self.allow_look().await;
        }
        let active = self.active_operators().await?;
        if active.is_empty() {
            return Ok(None);
        }
        let me = self
            .staffing
            .signed_in()
            .and_then(|me| active.into_iter().find(|o| o.id == me.id));
        let Some(me) = me else {
            self.staffing.set_signed_in(None);
            return Err(sign_in_required());
        };
        self.staffing.set_signed_in(Some(me.clone()));
        permitted(&me, action)?;
        Ok(Some(me))
    }

    /// Lookups keep working while the team database is down (they read the gateway); they still
    /// need someone signed in when operators are on.
    async fn allow_look(&self) -> AppResult<Option<OperatorRecord>> {
        if let Some(me) = self.staffing.signed_in() {
            return Ok(Some(me));
        }
        match self.active_operators().await {
            Ok(active) if active.is_empty() => Ok(None),
            Ok(_) => Err(sign_in_required()),
            Err(e) if e.code == ErrorCode::JournalUnreachable => {
                match *self.staffing.operators_on.lock().expect("staff lock") {
                    Some(true) => Err(sign_in_required()),
                    _ => Ok(None),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn active_operators(&self) -> AppResult<Vec<OperatorRecord>> {
        let active: Vec<OperatorRecord> = self
            .journal
            .operators()
            .await?
            .into_iter()
            .filter(|o| o.active)
            .collect();
        *self.staffing.operators_on.lock().expect("staff lock") = Some(!active.is_empty());
        Ok(active)
    }

    /// The name entries record: the signed-in operator's, or (operators off) the active
    /// profile's operator name.
    pub(super) fn name_on_entries(&self, operator: &Option<OperatorRecord>) -> String {
        match operator {
            Some(me) => me.name.clone(),
            None => self
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
            lock_after_minutes: self.settings().lock_after_minutes,
        })
    }

    pub async fn sign_in(&self, input: SignInInput) -> AppResult<StaffStatus> {
        self.wait_after_wrong_pins(input.operator_id)?;
        let active = self.active_operators().await?;
        let operator = active.into_iter().find(|o| o.id == input.operator_id);
        let matches = match &operator {
            Some(o) => pin_matches(input.pin, o.pin_hash.clone()).await?,
            None => false,
        };
        match operator {
            Some(o) if matches => {
                self.staffing
                    .wrong_pins
                    .lock()
                    .expect("staff lock")
                    .remove(&o.id);
                tracing::info!(operator = %o.name, "signed in");
                self.staffing.set_signed_in(Some(o));
                self.staff_status().await
            }
            _ => {
                self.count_wrong_pin(input.operator_id);
                Err(AppError::new(
                    ErrorCode::SignInFailed,
                    "no active operator with that name and PIN",
                ))
            }
        }
    }

    /// Locks the desk: nobody is signed in until a PIN is typed again. A payment already
    /// running goes on (its outcome waits on the payment screen).
    pub async fn sign_out(&self) -> AppResult<StaffStatus> {
        self.staffing.set_signed_in(None);
        self.staff_status().await
    }

    fn wait_after_wrong_pins(&self, id: i64) -> AppResult<()> {
        let tries = self.staffing.wrong_pins.lock().expect("staff lock");
        if let Some((_, Some(until))) = tries.get(&id) {
            let now = Instant::now();
            if *until > now {
                let seconds = (*until - now).as_secs() + 1;
                return Err(AppError::new(
                    ErrorCode::SignInThrottled,
                    "too many wrong PINs; wait before trying again",
                )
                .with("seconds", seconds.to_string()));
            }
        }
        Ok(())
    }

    fn count_wrong_pin(&self, id: i64) {
        let mut tries = self.staffing.wrong_pins.lock().expect("staff lock");
        let (count, until) = tries.entry(id).or_insert((0, None));
        *count += 1;
        if *count >= TRIES {
            *count = 0;
            *until = Some(Instant::now() + WAIT);
        }
    }

    /// Every operator, for a supervisor (or anyone while operators are off: that is how the
    /// first supervisor is made).
    pub async fn list_operators(&self) -> AppResult<Vec<OperatorView>> {
        self.allow(Action::ManageDesk).await?;
        Ok(self.journal.operators().await?.iter().map(view).collect())
    }

    /// Adds or changes an operator. Active operators always include a supervisor: the first
    /// operator must be one, and the last one is not demoted or turned off while others remain.
    /// The first supervisor is signed in at once.
    pub async fn save_operator(&self, input: OperatorInput) -> AppResult<Vec<OperatorView>> {
        let by = self.allow(Action::ManageDesk).await?;
        let write = checked_operator(&input).await?;
        let mut after = self.journal.operators().await?;
        match input.id {
            Some(id) => {
                let existing = after.iter_mut().find(|o| o.id == id).ok_or_else(|| {
                    AppError::new(ErrorCode::InvalidInput, format!("no operator {id}"))
                })?;
                existing.role = write.role;
                existing.active = write.active;
            }
            None => after.push(OperatorRecord {
                id: 0,
                name: write.name.clone(),
                role: write.role,
                pin_hash: String::new(),
                refund_limit: None,
                active: write.active,
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
                self.journal.change_operator(id, &write).await?;
                id
            }
            None => self.journal.add_operator(&write).await?,
        };
        if by.is_none() && write.active {
            // Operators were off: whoever turned them on is their first supervisor.
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

fn sign_in_required() -> AppError {
    AppError::new(ErrorCode::SignInRequired, "sign in to use this desk")
}

fn permitted(me: &OperatorRecord, action: Action) -> AppResult<()> {
    let allowed = match (me.role, action) {
        (Role::Supervisor, _) | (_, Action::Look | Action::Pay) => true,
        (Role::BackOffice, Action::Cancel | Action::RequestApproval) => true,
        (Role::BackOffice, Action::Refund(amount)) => {
            let limit = me.refund_limit.unwrap_or(Decimal::ZERO);
            if amount > limit {
                return Err(AppError::new(
                    ErrorCode::AboveRefundLimit,
                    "this refund is above your limit: a supervisor must approve it",
                )
                .with("limit", format_amount(limit)));
            }
            true
        }
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

fn view(o: &OperatorRecord) -> OperatorView {
    OperatorView {
        id: o.id,
        name: o.name.clone(),
        role: o.role,
        refund_limit: o.refund_limit.map(format_amount),
        active: o.active,
    }
}

/// The operator as it will be stored: name and PIN checked, the PIN hashed, a refund limit
/// for back office only.
async fn checked_operator(input: &OperatorInput) -> AppResult<OperatorWrite> {
    validation::required(Field::OperatorName, &input.name)?;
    validation::max_len(Field::OperatorName, &input.name, 60)?;
    validation::no_card_number(Field::OperatorName, &input.name)?;
    let pin = input.pin.as_deref().filter(|p| !p.is_empty());
    let pin_hash = match pin {
        Some(pin) => Some(hash_pin(pin.to_owned()).await?),
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
        pin_hash,
        refund_limit,
        active: input.active,
    })
}

/// A PIN is 4 to 12 digits.
fn checked_pin(pin: &str) -> AppResult<()> {
    if (4..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(AppError::field(Field::Pin, Reason::PinDigits))
    }
}

/// argon2id with the crate's defaults (19 MiB, 2 passes), off the async workers. The salt's
/// 16 random bytes come from a v4 UUID (the OS generator).
async fn hash_pin(pin: String) -> AppResult<String> {
    checked_pin(&pin)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
}

async fn pin_matches(pin: String, hash: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(pin.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pin_is_kept_only_as_an_argon2id_hash_that_verifies_it() {
        let hash = hash_pin("482913".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("482913"));
        assert!(pin_matches("482913".into(), hash.clone()).await.unwrap());
        assert!(!pin_matches("482914".into(), hash).await.unwrap());
    }

    #[tokio::test]
    async fn a_pin_is_four_to_twelve_digits() {
        for bad in ["123", "12a4", "1234567890123", " 1234"] {
            let e = hash_pin(bad.into()).await.unwrap_err();
            assert_eq!(e.details["reason"], "pin_digits", "{bad}");
        }
        assert!(hash_pin("0000".into()).await.is_ok());
    }

    fn operator(role: Role, limit: Option<Decimal>) -> OperatorRecord {
        OperatorRecord {
            id: 1,
            name: "Ayşe".into(),
            role,
            pin_hash: String::new(),
            refund_limit: limit,
            active: true,
        }
    }

    #[test]
    fn each_role_may_do_what_design_8_says() {
        use rust_decimal_macros::dec;
        let cashier = operator(Role::Cashier, None);
        let back = operator(Role::BackOffice, Some(dec!(500)));
        let boss = operator(Role::Supervisor, None);
        assert!(permitted(&cashier, Action::Pay).is_ok());
        assert!(permitted(&cashier, Action::Look).is_ok());
        for action in [
            Action::Cancel,
            Action::Refund(dec!(1)),
            Action::RequestApproval,
            Action::Approve,
            Action::ManageDesk,
        ] {
            let e = permitted(&cashier, action).unwrap_err();
            assert_eq!(e.code, ErrorCode::NotPermitted, "{action:?}");
        }
        assert!(permitted(&back, Action::Cancel).is_ok());
        assert!(permitted(&back, Action::Refund(dec!(500))).is_ok());
        let above = permitted(&back, Action::Refund(dec!(500.01))).unwrap_err();
        assert_eq!(above.code, ErrorCode::AboveRefundLimit);
        assert_eq!(above.details["limit"], "500.00");
        assert_eq!(
            permitted(&back, Action::Approve).unwrap_err().code,
            ErrorCode::NotPermitted
        );
        assert_eq!(
            permitted(&back, Action::ManageDesk).unwrap_err().code,
            ErrorCode::NotPermitted
        );
        for action in [
            Action::Refund(dec!(1000000)),
            Action::Approve,
            Action::ManageDesk,
        ] {
            assert!(permitted(&boss, action).is_ok(), "{action:?}");
        }
    }
}
