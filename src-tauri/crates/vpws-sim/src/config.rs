//! Behaviour switches for the rules the documentation leaves open (`RULES.md`, the switched ones).
//! Defaults follow the documentation where it speaks and the safest reading where it does not.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SimConfig {
    /// Token lifetime; the documentation says 24 hours.
    pub token_ttl_seconds: u64,
    /// Answer to a query for another dealer's transaction (the docs allow 404 or 403).
    pub foreign_transaction: ForeignTransaction,
    /// `paymentOptions` for a currency the dealer has no POS in.
    pub unknown_currency: UnknownCurrency,
    /// BIN lookup for a BIN the gateway does not know.
    pub unknown_bin: UnknownBin,
    /// A payment re-using a `clientOrderReferenceCode` the dealer already used.
    pub duplicate_order_reference: DuplicatePolicy,
    /// Transport status of business failures (P011–P020).
    pub business_failures: BusinessFailureStatus,
    /// `transactionStatusId` after a successful cancel (docs show 1).
    pub status_after_cancel: i32,
    /// `transactionStatusId` once fully refunded (docs show 1; 6 while something is left).
    pub status_after_full_refund: i32,
    pub repeated_cancel: RepeatedCancel,
    /// Cancel only on the sale's calendar day (Europe/Istanbul): the provision window.
    pub cancel_same_day_only: bool,
    /// Allow refunds on the sale's own day (some banks want a cancel instead).
    pub refund_same_day_allowed: bool,
    /// The bank's refund period: a refund this many Istanbul days after the sale or later is
    /// refused with P014. `None`: no limit (the documentation names none).
    pub refund_period_days: Option<u32>,
    /// Installments above 1 are offered only from this amount up.
    #[serde(with = "json_decimal::number")]
    pub installment_lower_limit: Decimal,
    /// "Applied but not visible yet": for this long after a payment, 3D step or reversal is
    /// committed, queries for that transaction answer 404 (an eventually consistent read side).
    pub query_lag_ms: u64,
    /// A 3D step nobody finishes expires after this long: the payment fails with P012.
    pub three_d_timeout_seconds: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            token_ttl_seconds: 24 * 60 * 60,
            foreign_transaction: ForeignTransaction::NotFound,
            unknown_currency: UnknownCurrency::EmptyList,
            unknown_bin: UnknownBin::Error,
            duplicate_order_reference: DuplicatePolicy::Reject,
            business_failures: BusinessFailureStatus::Http200,
            status_after_cancel: 1,
            status_after_full_refund: 1,
            repeated_cancel: RepeatedCancel::Idempotent,
            cancel_same_day_only: true,
            refund_same_day_allowed: true,
            refund_period_days: None,
            installment_lower_limit: Decimal::ONE_HUNDRED,
            query_lag_ms: 0,
            three_d_timeout_seconds: 15 * 60,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ForeignTransaction {
    NotFound,
    Forbidden,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UnknownCurrency {
    EmptyList,
    /// P020 "currency not supported".
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UnknownBin {
    /// P018 "BIN undefined".
    Error,
    EmptyList,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DuplicatePolicy {
    /// 409 P005.
    Reject,
    /// Answer with the first payment's result; charge nothing.
    ReturnOriginal,
    Allow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BusinessFailureStatus {
    /// HTTP 200 with `isSuccess:false` (documented handling rule).
    Http200,
    /// The documentation's table status (600–609) as the HTTP status.
    StatusTable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RepeatedCancel {
    Idempotent,
    /// P017 "transaction already completed".
    Reject,
}
