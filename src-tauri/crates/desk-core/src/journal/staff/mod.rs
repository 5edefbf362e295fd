//! Who works at the desks (ARCHITECTURE.md): operators with a role and a PIN hash, and the refund
//! approval requests between back office and supervisors. Kept in the journal's store, so in
//! team mode every desk signs in the same people and sees the same requests.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

pub(crate) mod pin;

use super::{JournalResult, Outcome};
use crate::error::{AppError, ErrorCode, Field, Reason};

pub use crate::model::{ApprovalStatus, Role};

/// An operator as desks read them (never their PIN, which only the store that checks it reads).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorRecord {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// Back office: the largest refund sent without approval. `None`: no refunds without one.
    pub refund_limit: Option<Decimal>,
    pub active: bool,
    /// Blocked after too many wrong PINs, until a supervisor sets a new PIN.
    pub pin_blocked: bool,
}

/// A sign-in as the journal answered it; every try is counted before its PIN is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInAnswer {
    Right,
    Wrong,
    /// Too many wrong PINs: not counted, no PIN checked until then.
    WaitUntil(DateTime<Utc>),
    /// Too many wrong PINs for waiting to help, or no PIN the store can check (an operator
    /// copied in from a desk's own file): a supervisor sets a new PIN.
    Blocked,
    /// No active operator with that id.
    Unknown,
}

/// Wrong PINs in a row from which each further try waits 30 s, 5 min, or is blocked.
pub const SHORT_WAIT_FROM: i32 = 5;
pub const LONG_WAIT_FROM: i32 = 10;
pub const BLOCKED_FROM: i32 = 20;

/// A new operator, or the new state of one (`pin: None` keeps the PIN; a new operator without
/// one cannot sign in until a supervisor gives them one). The PIN is checked (4 to 12 digits)
/// before it gets here, and hashed by the store.
pub struct OperatorWrite {
    pub name: String,
    pub role: Role,
    pub pin: Option<zeroize::Zeroizing<String>>,
    pub refund_limit: Option<Decimal>,
    pub active: bool,
}

/// A refund or cancel a back-office operator asked for above their limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApproval {
    /// `Refund` or `Cancel`.
    pub kind: super::EntryKind,
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
    /// What approving sends: a refund of `amount`, or a cancel of what is left.
    pub kind: super::EntryKind,
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
    /// Changes an operator; a new PIN also clears its wrong tries and any block.
    async fn change_operator(&self, id: i64, operator: &OperatorWrite) -> JournalResult<()>;
    /// Signs operator `id` in with `pin`: the try is counted first (shared by every desk on
    /// the store, kept across restarts), a right PIN starts the count again. The team database
    /// checks the PIN itself and opens a session its privileged functions require until
    /// [`Staff::sign_out`].
    async fn sign_in(&self, id: i64, pin: &str) -> JournalResult<SignInAnswer>;
    /// Ends the session a sign-in opened (nothing to end on the desk's own file).
    async fn sign_out(&self) -> JournalResult<()> {
        Ok(())
    }
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
pub(super) const APPROVAL_SQL: &str = "SELECT a.id, a.kind, a.created_at, a.profile_id,
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
