//! Rates: POS, installments and what an amount costs on each.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Money;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PosView {
    pub tenant_pos_id: String,
    pub name: String,
    pub color: String,
    pub is_default: bool,
    pub show_commission: bool,
    pub installments: Vec<InstallmentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstallmentView {
    pub count: u32,
    /// Extra campaign installments the bank adds.
    pub plus: u32,
    /// Commission percentage, e.g. `"4.79"`.
    pub commission_rate: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BinOptionsView {
    pub poses: Vec<PosView>,
    /// Above this amount 3D Secure is mandatory, when the gateway says so.
    pub three_d_limit: Option<Money>,
    /// The gateway knows the card's BIN. When it does not, the card can still be charged in one
    /// payment on the default POS, which is all `poses` then offers.
    pub card_known: bool,
}

/// A card's options: the first digits of its number (never the whole number), the currency and
/// the amount when one is typed (the gateway's installments can depend on it).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BinInput {
    pub bin: String,
    pub currency: String,
    pub amount: Option<String>,
}

/// What an amount costs on some POSes, at the rates the gateway gave (the desk holds them: the
/// screen names the POSes, it does not carry their rates back). One call quotes a whole screen.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteInput {
    pub amount: String,
    pub currency: String,
    pub commission_to_customer: bool,
    pub tenant_pos_ids: Vec<String>,
    /// On the rates the last card lookup gave (the payment form), not the currency's.
    #[serde(default)]
    pub for_card: bool,
}

/// One POS's quote, in the order asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PosQuote {
    pub tenant_pos_id: String,
    pub rows: Vec<QuoteRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteRow {
    pub count: u32,
    pub total: Money,
    pub per_installment: Money,
    pub first_installment: Money,
    pub commission: Money,
    pub net: Money,
}
