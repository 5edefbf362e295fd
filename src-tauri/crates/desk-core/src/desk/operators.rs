//! Managing the operators (a supervisor's, or anyone's while operators are off: that is how
//! the first supervisor is made): adding, changing roles, limits and PINs, turning them off.
//! Active operators always include a supervisor.

use rust_decimal::Decimal;

use super::roles::Need;
use super::staff::operator_view;
use super::Desk;
use crate::dto::{OperatorInput, OperatorView, SignInInput};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::checked_pin_for;
use crate::journal::{OperatorRecord, OperatorWrite, Role};
use crate::money::parse_amount;
use crate::validation;

impl Desk {
    /// Every operator, for a supervisor (or anyone while operators are off: that is how the
    /// first supervisor is made).
    pub async fn list_operators(&self) -> AppResult<Vec<OperatorView>> {
        self.allow(Need::ManageDesk).await?;
        self.operator_views().await
    }

    async fn operator_views(&self) -> AppResult<Vec<OperatorView>> {
        Ok(self
            .journal
            .operators()
            .await?
            .iter()
            .map(operator_view)
            .collect())
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
            self.staff
                .sign_in(SignInInput {
                    operator_id: id,
                    pin: pin.to_string(),
                })
                .await?;
        }
        tracing::info!(operator = %write.name, role = write.role.as_str(), "operator saved");
        self.operator_views().await
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
