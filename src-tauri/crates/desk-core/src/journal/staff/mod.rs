//! Who works at the desks (DESIGN §8): operators with a role and a PIN hash, and the refund
//! approval requests between back office and supervisors. Kept in the journal's store, so in
//! team mode every desk signs in the same people and sees the same requests.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod sqlite;

use super::{JournalResult, Outcome};
use crate::error::{AppError, ErrorCode, Field, Reason};

/// What an operator may do (enforced by the desk, not only hidden in the UI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Role {
    /// Takes payments, looks up, browses rates.
    Cashier,
    /// Also cancels, and refunds up to a limit; above it, asks a supervisor.
    BackOffice,
    /// Any amount; approves requests; manages operators, profiles and the journal.
    Supervisor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::BackOffice => "backOffice",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(text: &str) -> Role {
        match text {
            "supervisor" => Role::Supervisor,
            "backOffice" => Role::BackOffice,
            _ => Role::Cashier,
        }
    }
}

/// An operator as stored: the PIN only as an argon2id hash (PHC string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorRecord {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub pin_hash: String,
    /// Back office: the largest refund sent without approval. `None`: no refunds without one.
    pub refund_limit: Option<Decimal>,
    pub active: bool,
}

/// A new operator, or the new state of one (`pin_hash: None` keeps the PIN).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorWrite {
    pub name: String,
    pub role: Role,
    pub pin_hash: Option<String>,
    pub refund_limit: Option<Decimal>,
    pub active: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Rejected,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> ApprovalStatus {
        match text {
            "approved" => ApprovalStatus::Approved,
            "rejected" => ApprovalStatus::Rejected,
            _ => ApprovalStatus::Pending,
        }
    }
}

/// A refund a back-office operator asked for above their limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApproval {
    pub profile_id: String,
    pub reference_code: String,
    pub transaction_id: Option<String>,
    pub order_reference: Option<String>,
    pub amount: Decimal,
    pub currency: String,
    pub reason: String,
    /// The refundable amount the request was made against; approval sends nothing if it moved.
    pub remaining_seen: Decimal,
    pub requested_by: String,
}

/// An approval request as every desk sees it, with its refund's outcome once sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Approval {
    #[ts(type = "number")]
    pub id: i64,
    pub created_at: String,
    pub profile_id: String,
    pub reference_code: String,
    pub transaction_id: Option<String>,
    pub order_reference: Option<String>,
    pub amount: String,
    pub currency: String,
    pub reason: String,
    pub remaining_seen: String,
    pub requested_by: String,
    pub status: ApprovalStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
    /// The refund's journal entry, once approved and journaled.
    #[ts(type = "number | null")]
    pub entry_id: Option<i64>,
    pub refund_outcome: Option<Outcome>,
}

/// A supervisor's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub status: ApprovalStatus,
    pub by: String,
    pub note: Option<String>,
}

#[async_trait]
pub trait Staff: Send + Sync {
    /// Every operator, active or not, by name.
    async fn operators(&self) -> JournalResult<Vec<OperatorRecord>>;
    /// Adds an operator (its PIN hash is required); a name another operator has (ignoring case
    /// and Turkish letters) is refused as `operatorName: taken`.
    async fn add_operator(&self, operator: &OperatorWrite) -> JournalResult<i64>;
    async fn change_operator(&self, id: i64, operator: &OperatorWrite) -> JournalResult<()>;
    /// Files a request, unless one for the same transaction is pending (`approval_pending`).
    async fn request_approval(&self, request: &NewApproval) -> JournalResult<i64>;
    /// Every pending request, and those decided since `since`, newest first.
    async fn approvals(&self, since: DateTime<Utc>) -> JournalResult<Vec<Approval>>;
    async fn approval(&self, id: i64) -> JournalResult<Option<Approval>>;
    /// Decides a pending request; `false` if it was not pending any more (someone else did).
    async fn decide(&self, id: i64, decision: &Decision) -> JournalResult<bool>;
    /// Makes an approved request pending again when no refund was journaled for it (it was
    /// refused before anything was sent).
    async fn reopen(&self, id: i64) -> JournalResult<()>;
}

/// A name as operators are told apart: trimmed, folded (case, Turkish letters).
pub(in crate::journal) fn name_key(name: &str) -> String {
    super::fold(name.trim())
}

pub(super) fn name_already_taken() -> AppError {
    AppError::field(Field::OperatorName, Reason::Taken)
}

pub(super) fn pending_already(reference_code: &str) -> AppError {
    AppError::new(
        ErrorCode::ApprovalPending,
        "a refund of this transaction already waits for a supervisor",
    )
    .with("referenceCode", reference_code)
}

/// Approvals with their refund's entry (if one was journaled), newest first, as both stores
/// select them (`{where}`: the condition).
pub(super) const APPROVAL_SQL: &str = "SELECT a.id, a.created_at, a.profile_id,
    a.reference_code, a.transaction_id, a.order_reference, a.amount, a.currency, a.reason,
    a.remaining_seen, a.requested_by, a.status, a.decided_by, a.decided_at, a.note,
    e.id AS entry_id, e.outcome AS refund_outcome
    FROM approvals a LEFT JOIN entries e ON e.approval_id = a.id
    WHERE {where} ORDER BY a.id DESC";

/// Back to pending, only while no refund was journaled for it (`{1}`: the request's id).
pub(super) const REOPEN_SQL: &str = "UPDATE approvals SET status = 'pending', decided_by = NULL,
    decided_at = NULL, note = NULL
    WHERE id = {1} AND status = 'approved'
    AND NOT EXISTS (SELECT 1 FROM entries WHERE approval_id = {1})";
