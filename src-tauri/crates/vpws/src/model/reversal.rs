use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::TransactionStatus;

/// Which payment a cancel or refund names: the gateway's reference, or the dealer's own order
/// reference ("via referenceCode or clientReferenceCode", VPWS basic info). Exactly one is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ReversalKey {
    /// System reference such as `NTH2P00000003086`.
    #[serde(rename = "referenceCode")]
    ReferenceCode(String),
    /// The order reference the payment was sent with (`clientOrderReferenceCode`).
    #[serde(rename = "clientReferenceCode")]
    ClientReferenceCode(String),
}

impl ReversalKey {
    pub fn value(&self) -> &str {
        match self {
            ReversalKey::ReferenceCode(v) | ReversalKey::ClientReferenceCode(v) => v,
        }
    }

    pub(crate) fn field(&self) -> crate::Field {
        match self {
            ReversalKey::ReferenceCode(_) => crate::Field::ReferenceCode,
            ReversalKey::ClientReferenceCode(_) => crate::Field::ClientReferenceCode,
        }
    }
}

/// `POST /vpws/payment/cancel` body.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRequest {
    #[serde(flatten)]
    pub key: ReversalKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /vpws/payment/refund` body; no `amount` means a refund of everything left.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    #[serde(flatten)]
    pub key: ReversalKey,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reversal_names_its_payment_by_exactly_one_key() {
        let by_reference = CancelRequest {
            key: ReversalKey::ReferenceCode("NTH2P00000003086".into()),
            reason: None,
        };
        assert_eq!(
            serde_json::to_value(&by_reference).unwrap(),
            serde_json::json!({"referenceCode": "NTH2P00000003086"})
        );
        let by_order = RefundRequest {
            key: ReversalKey::ClientReferenceCode("ORDER123".into()),
            amount: Some(Decimal::new(1050, 2)),
            reason: Some("Returned item".into()),
        };
        assert_eq!(
            serde_json::to_string(&by_order).unwrap(),
            r#"{"clientReferenceCode":"ORDER123","amount":10.50,"reason":"Returned item"}"#
        );
    }
}
