use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::TransactionStatus;
use crate::time::VpwsDateTime;

/// Which key a transaction query uses (the gateway takes exactly one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "camelCase")]
pub enum TransactionKey {
    /// System reference such as `NTH2P00000003086`.
    ReferenceCode(String),
    /// The transaction GUID.
    TransactionId(String),
    /// The dealer's own order reference (`clientOrderReferenceCode` at payment time).
    ClientReference(String),
}

impl TransactionKey {
    pub(crate) fn query_pair(&self) -> (&'static str, &str) {
        match self {
            TransactionKey::ReferenceCode(v) => ("referenceCode", v),
            TransactionKey::TransactionId(v) => ("transactionId", v),
            TransactionKey::ClientReference(v) => ("clientReferenceNumber", v),
        }
    }

    pub(crate) fn field(&self) -> crate::Field {
        match self {
            TransactionKey::ReferenceCode(_) => crate::Field::ReferenceCode,
            TransactionKey::TransactionId(_) => crate::Field::TransactionId,
            TransactionKey::ClientReference(_) => crate::Field::ClientReferenceNumber,
        }
    }

    pub fn value(&self) -> &str {
        self.query_pair().1
    }
}

/// `GET /vpws/transaction` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// The transactionId (GUID).
    #[serde(default, alias = "transactionId")]
    pub id: String,
    #[serde(default, alias = "referenceCode")]
    pub reference_number: String,
    #[serde(
        default,
        alias = "clientReferenceCode",
        alias = "clientOrderReferenceCode"
    )]
    pub client_reference_number: Option<String>,
    #[serde(default)]
    pub transaction_status_id: TransactionStatus,
    #[serde(default)]
    pub tenant_id: Option<String>,
    #[serde(default)]
    pub tenant_pos_id: Option<String>,
    #[serde(default)]
    pub paid_tenant_id: Option<String>,
    #[serde(default)]
    pub transaction_detail_id: Option<String>,
    #[serde(default, with = "json_decimal::option")]
    pub comm_rate: Option<Decimal>,
    /// The days after the sale the bank pays the dealer (the ERP API's `bankPaymentDays`;
    /// [Assumption] the same name where the VPWS transaction carries it).
    #[serde(default)]
    pub bank_payment_days: Option<u32>,
    #[serde(default, alias = "currency", alias = "currencyCode")]
    pub currency_type: Option<String>,
    #[serde(default)]
    pub transaction_date: Option<VpwsDateTime>,
    #[serde(default)]
    pub installment: Option<u32>,
    /// What is left of the charge after refunds/cancel: the most that can still be refunded.
    #[serde(with = "json_decimal::number")]
    pub last_amount: Decimal,
    #[serde(default, with = "json_decimal::option")]
    pub last_net_amount: Option<Decimal>,
    /// Original amount, where the gateway sends it (not in the documented table).
    #[serde(default, with = "json_decimal::option")]
    pub amount: Option<Decimal>,
    #[serde(default, with = "json_decimal::option")]
    pub net_amount: Option<Decimal>,
    /// Masked card number; the real field name is undocumented, so the likely ones are accepted.
    #[serde(
        default,
        alias = "cardNumber",
        alias = "maskedPan",
        alias = "creditCardNumber",
        alias = "cardNo"
    )]
    pub masked_card_number: Option<String>,
    #[serde(default)]
    pub card_holder_name: Option<String>,
    #[serde(default, alias = "posName", alias = "vPosName")]
    pub pos_name: Option<String>,
}
