//! The one verdict (ARCHITECTURE.md): how a money operation ended, decided from what the desk knew
//! when it started it (the journaled [`Operation`]) and one piece of [`Evidence`] from the
//! gateway. Pure: no I/O, no clock of its own. The payment result, the journal row, the
//! transaction badge, the CSV and the receipts are all views of what this module decides, and
//! it is the only code that reads a `transactionStatusId`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use vpws::{Transaction, TransactionStatus};

use crate::journal::{Entry, EntryKind, Outcome};
use crate::model::{Money, TransactionState};

/// What the desk knew when it started an operation (as journaled).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub kind: EntryKind,
    /// Payment or refund amount; for a cancel, everything that was left.
    pub amount: Option<Decimal>,
    pub currency: String,
    /// A reversal's refundable amount right before it was sent.
    pub remaining_before: Option<Decimal>,
    /// Where the journal stands now (`Abandoned` is kept while the gateway still waits).
    pub outcome: Outcome,
}

impl Operation {
    pub fn from_entry(entry: &Entry) -> Self {
        Self {
            kind: entry.kind,
            amount: entry.amount.map(Money::value),
            currency: entry.currency.clone(),
            remaining_before: entry.remaining_before.map(Money::value),
            outcome: entry.outcome,
        }
    }
}

/// How long the gateway must keep saying "no such payment" before the desk believes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettlingWindow {
    pub duration: Duration,
    pub min_checks: u32,
}

impl Default for SettlingWindow {
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(30),
            min_checks: 3,
        }
    }
}

/// The gateway has answered "not found" `checks` times since `since`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Absence {
    pub since: DateTime<Utc>,
    pub checks: u32,
    pub now: DateTime<Utc>,
}

impl Absence {
    /// A single "not found" at `now`, with no streak known before it: it proves nothing yet.
    pub fn once(now: DateTime<Utc>) -> Self {
        Self {
            since: now,
            checks: 1,
            now,
        }
    }
}

/// One thing the gateway said about the operation.
#[derive(Debug)]
pub enum Evidence<'a> {
    /// The answer to the payment request itself.
    PaymentAnswer(&'a vpws::Result<vpws::PaymentResult>),
    /// The answer to the cancel or refund request itself.
    ReversalAnswer(&'a vpws::Result<vpws::OperationResult>),
    /// The transaction as the gateway shows it now.
    Snapshot(&'a Transaction),
    /// The gateway does not know the transaction (404).
    Absent(Absence, SettlingWindow),
    /// The gateway could not be asked.
    Unreachable,
}

pub use crate::model::Doubt;

/// How an operation stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// Set exactly when `outcome` is `InDoubt`.
    pub doubt: Option<Doubt>,
    /// The gateway's code (or the desk's) for a failure.
    pub code: Option<String>,
    /// What is still refundable afterwards, when known.
    pub remaining_after: Option<Decimal>,
}

impl Verdict {
    fn of(outcome: Outcome) -> Self {
        Self {
            outcome,
            doubt: None,
            code: None,
            remaining_after: None,
        }
    }

    fn in_doubt(doubt: Doubt) -> Self {
        Self {
            doubt: Some(doubt),
            ..Self::of(Outcome::InDoubt)
        }
    }

    fn failed(code: impl Into<String>) -> Self {
        Self {
            code: Some(code.into()),
            ..Self::of(Outcome::Failed)
        }
    }

    fn succeeded(remaining_after: Option<Decimal>) -> Self {
        Self {
            remaining_after,
            ..Self::of(Outcome::Success)
        }
    }
}

/// The verdict on `operation` given `evidence`.
pub fn decide(operation: &Operation, evidence: Evidence<'_>) -> Verdict {
    match evidence {
        Evidence::PaymentAnswer(Ok(answer)) => payment_answer(answer),
        Evidence::ReversalAnswer(Ok(answer)) => Verdict::succeeded(answer.last_amount),
        Evidence::PaymentAnswer(Err(e)) | Evidence::ReversalAnswer(Err(e)) => refusal(e),
        Evidence::Snapshot(tx) => match operation.kind {
            EntryKind::Payment => payment_snapshot(operation, tx),
            EntryKind::Cancel | EntryKind::Refund => reversal_snapshot(operation, tx),
        },
        Evidence::Absent(absence, window) => match operation.kind {
            EntryKind::Payment if settled_absent(absence, window) => {
                Verdict::of(Outcome::NotCharged)
            }
            _ => still_waiting(operation, Doubt::NotVisibleYet),
        },
        Evidence::Unreachable => still_waiting(operation, Doubt::AnswerLost),
    }
}

/// Nothing new learnt: an abandoned 3D payment stays abandoned (and watched); anything else
/// that is not final is in doubt.
fn still_waiting(operation: &Operation, doubt: Doubt) -> Verdict {
    if operation.outcome == Outcome::Abandoned {
        Verdict::of(Outcome::Abandoned)
    } else {
        Verdict::in_doubt(doubt)
    }
}

fn settled_absent(absence: Absence, window: SettlingWindow) -> bool {
    let waited = (absence.now - absence.since).to_std().unwrap_or_default();
    absence.checks >= window.min_checks && waited >= window.duration
}

fn payment_answer(answer: &vpws::PaymentResult) -> Verdict {
    match answer.status {
        TransactionStatus::SUCCESS => Verdict::of(Outcome::Success),
        // Sent and accepted, waiting for the cardholder's 3D step.
        TransactionStatus::PENDING => Verdict::of(Outcome::Pending),
        TransactionStatus::FAILED => Verdict::failed("declined"),
        _ => Verdict::in_doubt(Doubt::UnknownStatus),
    }
}

/// A request that failed: lost (in doubt), never processed (not sent), or refused (failed).
fn refusal(error: &vpws::Error) -> Verdict {
    use vpws::Error as E;
    if error.outcome_uncertain() {
        return Verdict::in_doubt(Doubt::AnswerLost);
    }
    match error {
        E::Connect(_)
        | E::RateLimited { .. }
        | E::Unauthorized { .. }
        | E::CredentialsRejected { .. }
        | E::InvalidInput { .. } => Verdict {
            code: Some(error.code().to_owned()),
            ..Verdict::of(Outcome::NotSent)
        },
        _ => Verdict::failed(error.gateway_code().unwrap_or(error.code())),
    }
}

/// Whether a transaction found by an order reference is the payment this desk sent. The
/// documented Transaction has only `lastAmount` (which refunds lower), so the original amount
/// is compared when the gateway sends it, and `lastAmount` is only required not to exceed it.
fn same_payment(operation: &Operation, tx: &Transaction) -> bool {
    let currency_matches = tx
        .currency_type
        .as_deref()
        .is_none_or(|c| c.eq_ignore_ascii_case(&operation.currency));
    let amount_matches = match (operation.amount, tx.amount) {
        (Some(sent), Some(original)) => sent == original,
        (Some(sent), None) => tx.last_amount <= sent,
        (None, _) => true,
    };
    currency_matches && amount_matches
}

fn payment_snapshot(operation: &Operation, tx: &Transaction) -> Verdict {
    if !same_payment(operation, tx) {
        return Verdict::in_doubt(Doubt::ReferenceReused);
    }
    match tx.transaction_status_id {
        TransactionStatus::SUCCESS | TransactionStatus::PARTIALLY_REFUNDED => {
            Verdict::succeeded(Some(tx.last_amount))
        }
        TransactionStatus::FAILED => Verdict::failed("declined"),
        TransactionStatus::PENDING => still_waiting(operation, Doubt::GatewayPending),
        _ => Verdict::in_doubt(Doubt::UnknownStatus),
    }
}

/// A cancel or refund was applied when the refundable amount dropped by exactly its amount.
fn reversal_snapshot(operation: &Operation, tx: &Transaction) -> Verdict {
    let Some(before) = operation.remaining_before else {
        return Verdict::in_doubt(Doubt::NoBaseline);
    };
    let amount = match operation.kind {
        EntryKind::Cancel => before,
        _ => operation.amount.unwrap_or(before),
    };
    if amount.is_zero() {
        // "Nothing left before, nothing left now" says nothing about whether it was applied.
        return Verdict::in_doubt(Doubt::NoBaseline);
    }
    let now = tx.last_amount;
    if now == before - amount {
        Verdict::succeeded(Some(now))
    } else if now == before {
        Verdict {
            remaining_after: Some(now),
            ..Verdict::failed("not_applied")
        }
    } else {
        Verdict {
            remaining_after: Some(now),
            ..Verdict::in_doubt(Doubt::RemainingMismatch)
        }
    }
}

/// How a transaction stands, for its badge. `history` is this desk's journal of it: the
/// gateway reports a cancel and a full refund alike, the journal tells them apart.
pub fn standing(tx: &Transaction, history: &[Entry]) -> TransactionState {
    let reversed = |kind| {
        history
            .iter()
            .any(|e| e.kind == kind && e.outcome == Outcome::Success)
    };
    match tx.transaction_status_id {
        TransactionStatus::FAILED => TransactionState::Failed,
        TransactionStatus::PENDING => TransactionState::Pending,
        TransactionStatus::PARTIALLY_REFUNDED => TransactionState::PartiallyRefunded,
        TransactionStatus::SUCCESS if tx.last_amount.is_zero() => {
            if reversed(EntryKind::Cancel) {
                TransactionState::Cancelled
            } else if reversed(EntryKind::Refund) {
                TransactionState::Refunded
            } else {
                TransactionState::Closed
            }
        }
        TransactionStatus::SUCCESS if tx.amount.is_some_and(|a| tx.last_amount < a) => {
            TransactionState::PartiallyRefunded
        }
        TransactionStatus::SUCCESS => TransactionState::Success,
        _ => TransactionState::Unknown,
    }
}

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;
