//! A transaction as its screen shows it, the lookups, cancels, refunds and resolutions that
//! change it, and what reconciling found.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Money;

/// A supervisor's resolution of an entry the gateway cannot settle by itself.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResolveInput {
    #[ts(type = "number")]
    pub entry_id: i64,
    /// The gateway shows it applied (a refund or cancel taken off, a payment charged).
    pub applied: bool,
    pub reason: String,
}

pub use crate::model::TransactionState;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionView {
    pub transaction_id: String,
    pub reference_code: String,
    pub order_reference: Option<String>,
    pub state: TransactionState,
    /// Original amount, when the gateway reports it.
    pub amount: Option<Money>,
    /// Still refundable (`lastAmount`).
    pub remaining: Money,
    pub net: Option<Money>,
    pub currency: String,
    pub installment: Option<u32>,
    pub commission_rate: Option<String>,
    pub pos_id: Option<String>,
    pub pos_name: Option<String>,
    pub masked_card: Option<String>,
    pub card_holder: Option<String>,
    /// RFC 3339 with offset (the gateway's Istanbul local time made explicit).
    pub date: Option<String>,
    pub can_cancel: bool,
    /// Why a successful payment offers no cancel (none when it does, or when it is not a
    /// successful payment at all).
    pub no_cancel: Option<NoCancel>,
    pub can_refund: bool,
    /// Days since the sale, when a refund is offered but the sale is older than the refund
    /// period setting: the bank may refuse it.
    pub refund_period_passed: Option<u32>,
    /// An earlier cancel or refund of it from this desk has no confirmed outcome yet: no new
    /// one is offered until it is settled.
    pub reversal_in_doubt: bool,
    /// That cancel or refund is being sent right now (a desk holds it): its outcome comes.
    pub reversal_being_sent: bool,
}

/// A transaction as its detail screen shows it, in one answer: the gateway's view, this desk's
/// journal of it (its payment, cancels and refunds, who paid) and what the operator at the desk
/// may do with it. Lookups, cancels, refunds and resolutions all answer with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionScreen {
    pub transaction: TransactionView,
    pub history: Vec<crate::journal::Entry>,
    pub actions: TransactionActions,
}

/// What the operator at the desk may do with a transaction, as the role table and their limit
/// say (every command checks it again): the screen offers these and nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionActions {
    /// The gateway allows a cancel now and the operator's role may send one.
    pub may_cancel: bool,
    /// The gateway allows a refund now and the operator's role may send one.
    pub may_refund: bool,
    /// Back office: what they may still take off this transaction without a supervisor (their
    /// limit less what they already cancelled or refunded of it); above it the screen files a
    /// request for approval. `None`: no limit (supervisors, or operators off).
    pub without_approval_up_to: Option<String>,
    /// Settle an entry the gateway cannot settle by itself (supervisors, or operators off).
    pub may_resolve: bool,
}

/// Why a successful payment cannot be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NoCancel {
    /// Cancels are for the sale's own day (Istanbul): a refund returns the money after it.
    AfterSaleDay,
    /// Part of it was refunded already: a refund returns the rest.
    PartlyRefunded,
    /// An earlier cancel or refund is not settled yet.
    ReversalInDoubt,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "by", content = "value")]
#[ts(export)]
pub enum LookupKey {
    ReferenceCode(String),
    TransactionId(String),
    OrderReference(String),
}

/// A refund as the operator confirmed it. "Everything left" is sent as that exact amount.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefundInput {
    pub reference_code: String,
    /// Name the payment to the gateway by this order reference (how the operator found it)
    /// instead of its reference code; it must name the same payment, or nothing is sent.
    #[serde(default)]
    #[ts(optional)]
    pub order_reference: Option<String>,
    pub amount: String,
    pub reason: String,
    /// The refundable amount the operator saw (required); if the gateway's differs now, nothing
    /// is sent.
    pub remaining_seen: String,
    /// Write to the customer (a receipt, a notice) in this language once it succeeded; `None`:
    /// no letter.
    #[serde(default)]
    #[ts(optional)]
    pub email_customer: Option<crate::model::Language>,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CancelInput {
    pub reference_code: String,
    /// Name the payment to the gateway by this order reference (how the operator found it)
    /// instead of its reference code; it must name the same payment, or nothing is sent.
    #[serde(default)]
    #[ts(optional)]
    pub order_reference: Option<String>,
    pub reason: String,
    /// The amount the operator confirmed would go back (required); if it differs now, nothing is
    /// sent.
    pub remaining_seen: String,
    /// Write to the customer (a receipt, a notice) in this language once it succeeded; `None`:
    /// no letter.
    #[serde(default)]
    #[ts(optional)]
    pub email_customer: Option<crate::model::Language>,
}

/// One journal entry whose outcome changed during reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReconcileChange {
    #[ts(type = "number")]
    pub entry_id: i64,
    pub kind: crate::journal::EntryKind,
    pub order_reference: Option<String>,
    pub reference_code: Option<String>,
    pub before: crate::journal::Outcome,
    pub after: crate::journal::Outcome,
}

/// What a reconciliation settled, and what is still not final (listed for the operator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReconcileReport {
    pub changes: Vec<ReconcileChange>,
    /// What this round asked about and is still not final (one round's worth at most).
    pub unsettled: Vec<crate::journal::Entry>,
    /// Every entry of the active profile not final yet, this round's included.
    pub unsettled_total: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    pub rows: u32,
}
