use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::TransactionStatus;

/// `POST /vpws/payment/cancel` body.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRequest {
    pub reference_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /vpws/payment/refund` body; no `amount` means a refund of everything left.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    pub reference_code: String,
    #[serde(skip_serializing_if = "Option::is_none", with = "json_decimal::option")]
    pub amount: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `data` of a cancel or refund answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationResult {
    #[serde(default)]
    pub is_success: bool,
    /// Remaining refundable amount after the operation.
    #[serde(default, with = "json_decimal::option")]
    pub last_amount: Option<Decimal>,
    #[serde(default, with = "json_decimal::option")]
    pub last_net_amount: Option<Decimal>,
    #[serde(default)]
    pub transaction_status_id: Option<TransactionStatus>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
}
