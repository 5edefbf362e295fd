//! Approval (ARCHITECTURE.md): a back-office refund or cancel above the operator's limit becomes a
//! request every supervisor sees; a supervisor approves it (the refund or cancel is then sent,
//! once, from the approving desk through the same cancel-and-refund path) or rejects it with a
//! note. "Once" is the journal's: a request is decided by one supervisor only, and one entry per
//! request is all the journal accepts.

use chrono::{Duration, Utc};
use vpws::TransactionKey;

use super::money_path::{changed, checked_reason, in_doubt, look_again, seen, Reversal};
use super::roles::Need;
use super::Desk;
use crate::dto::{CancelInput, DecisionInput, RefundInput};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::{Approval, ApprovalStatus, Decision, EntryKind, NewApproval};
use crate::money::{format_amount, parse_amount};
use crate::validation;

/// How long decided requests stay in the list.
const DECIDED_SHOWN_FOR: Duration = Duration::days(7);

impl Desk {
    /// Files a refund above the signed-in operator's limit for a supervisor. The figures are
    /// checked as for a refund (nothing is filed against a refundable amount that moved, or
    /// while an earlier cancel or refund is in doubt); nothing is sent.
    pub async fn request_refund_approval(&self, input: RefundInput) -> AppResult<Approval> {
        let amount = parse_amount(Field::Amount, &input.amount)?;
        let request = Request {
            kind: EntryKind::Refund,
            reference: input.reference_code,
            amount: Some(amount),
            reason: input.reason,
            remaining_seen: input.remaining_seen,
        };
        self.request_approval(request).await.map_err(look_again)
    }

    /// Files a cancel above the signed-in operator's limit for a supervisor, as a refund's.
    pub async fn request_cancel_approval(&self, input: CancelInput) -> AppResult<Approval> {
        let request = Request {
            kind: EntryKind::Cancel,
            reference: input.reference_code,
            amount: None,
            reason: input.reason,
            remaining_seen: input.remaining_seen,
        };
        self.request_approval(request).await.map_err(look_again)
    }

    async fn request_approval(&self, request: Request) -> AppResult<Approval> {
        let reason = checked_reason(&request.reason)?;
        let remaining_seen = seen(&request.remaining_seen)?;
        let me = self.allow(Need::RequestApproval).await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::SupervisorRequired,
                "approvals need operators: refund or cancel directly",
            )
        })?;
        let reference = request.reference.trim().to_owned();
        validation::required(Field::ReferenceCode, &reference)?;
        let session = self.profiles.session().await?;
        let current = session
            .client
            .transaction(&TransactionKey::ReferenceCode(reference.clone()))
            .await?;
        if let Some(open) = self.journal.unsettled_reversals(&reference).await?.first() {
            return Err(in_doubt(open, &current));
        }
        if remaining_seen != current.last_amount {
            return Err(changed(&current));
        }
        let amount = request.amount.unwrap_or(current.last_amount);
        if amount > current.last_amount {
            return Err(AppError::field(Field::Amount, Reason::ExceedsRemaining)
                .with("remaining", format_amount(current.last_amount)));
        }
        let id = self
            .journal
            .request_approval(&NewApproval {
                kind: request.kind,
                profile_id: session.profile.id.clone(),
                reference_code: current.reference_number.clone(),
                transaction_id: Some(current.id.clone()),
                order_reference: current.client_reference_number.clone(),
                amount,
                currency: current
                    .currency_type
                    .clone()
                    .unwrap_or_else(|| "TRY".into()),
                reason,
                remaining_seen,
                requested_by: me.name.clone(),
            })
            .await
            .map_err(|e| self.ended_by_journal(e))?;
        tracing::info!(approval = id, reference = %reference, kind = ?request.kind, "approval requested");
        self.approval(id).await
    }

    /// Pending requests and those decided in the last week, newest first.
    pub async fn approvals(&self) -> AppResult<Vec<Approval>> {
        self.allow(Need::Look).await?;
        self.journal.approvals(Utc::now() - DECIDED_SHOWN_FOR).await
    }

    /// A supervisor's decision. Approving sends the refund from this desk (the request's
    /// profile must be the one in use); if it is refused before anything is sent (the figures
    /// moved, an earlier reversal is in doubt), the request is pending again and the error says
    /// why. Rejecting needs a note for the one who asked.
    pub async fn decide_approval(&self, input: DecisionInput) -> AppResult<Approval> {
        let me = self.allow(Need::Approve).await?;
        let note = input.note.trim().to_owned();
        validation::free_text(Field::Note, &note, 200)?;
        if !input.approve && note.is_empty() {
            return Err(AppError::field(Field::Note, Reason::Required));
        }
        let request = self.approval(input.approval_id).await?;
        if request.status != ApprovalStatus::Pending {
            return Err(decided(&request));
        }
        let by = self.staff.name_on_entries(&me);
        if input.approve {
            let session = self.profiles.session().await?;
            if session.profile.id != request.profile_id {
                return Err(AppError::new(
                    ErrorCode::ApprovalOtherProfile,
                    "the request was made on another profile: switch to it to approve",
                )
                .with("profileId", request.profile_id.clone()));
            }
        }
        let decision = Decision {
            status: match input.approve {
                true => ApprovalStatus::Approved,
                false => ApprovalStatus::Rejected,
            },
            by: by.clone(),
            note: Some(note).filter(|n| !n.is_empty()),
        };
        let counted = self.journal.decide(request.id, &decision).await;
        if !counted.map_err(|e| self.ended_by_journal(e))? {
            return Err(decided(&self.approval(request.id).await?));
        }
        tracing::info!(
            approval = request.id,
            status = decision.status.as_str(),
            "approval decided"
        );
        if input.approve {
            let amount = match request.kind {
                EntryKind::Cancel => None,
                _ => Some(parse_amount(Field::Amount, &request.amount)?),
            };
            let sent = self
                .money
                .reverse(Reversal {
                    kind: request.kind,
                    reference: request.reference_code.clone(),
                    // A supervisor's approval names the payment as its request recorded it.
                    by_order: None,
                    amount,
                    reason: request.reason.clone(),
                    remaining_seen: seen(&request.remaining_seen)?,
                    operator: request.requested_by.clone(),
                    approval: Some((request.id, by)),
                    within_limit_of: None,
                })
                .await;
            match sent {
                Ok(screen) => self.after_reversal(&screen, input.email_customer).await,
                Err(e) => {
                    self.journal
                        .reopen(request.id)
                        .await
                        .map_err(|e| self.ended_by_journal(e))?;
                    return Err(e.with("approvalId", request.id.to_string()));
                }
            }
        }
        self.approval(request.id).await
    }

    async fn approval(&self, id: i64) -> AppResult<Approval> {
        self.journal
            .approval(id)
            .await?
            .ok_or_else(|| AppError::new(ErrorCode::InvalidInput, format!("no approval {id}")))
    }
}

/// A cancel or refund as asked for, before its figures are checked.
struct Request {
    kind: EntryKind,
    reference: String,
    /// Refunds only: a cancel takes whatever is left.
    amount: Option<rust_decimal::Decimal>,
    reason: String,
    remaining_seen: String,
}

fn decided(request: &Approval) -> AppError {
    AppError::new(
        ErrorCode::ApprovalDecided,
        "another supervisor decided this request already",
    )
    .with("status", request.status.as_str())
    .with("by", request.decided_by.clone().unwrap_or_default())
}
