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
    /// Whether the card may, must or must not be charged with 3D Secure on this POS.
    pub three_d: ThreeDRule,
    /// The card is charged with its CVV (`isCvvUse`; asked for unless the gateway says not).
    pub cvv_used: bool,
}

/// What a POS's `threeDStatus` says of 3D Secure. The documents name the field and not its
/// values; the desk reads `0` as "not allowed", `2` as "required", anything else as optional
/// (the operator chooses, as before the gateway said anything).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ThreeDRule {
    Optional,
    Required,
    NotAllowed,
}

impl ThreeDRule {
    pub fn from_status(status: Option<i32>) -> Self {
        match status {
            Some(0) => ThreeDRule::NotAllowed,
            Some(2) => ThreeDRule::Required,
            _ => ThreeDRule::Optional,
        }
    }
}

/// The card's scheme, as the BIN answer names it or, without a name, as its first digits say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, strum::EnumString)]
#[serde(rename_all = "camelCase")]
#[strum(ascii_case_insensitive)]
#[ts(export)]
pub enum CardBrand {
    Visa,
    Mastercard,
    Troy,
    #[strum(
        serialize = "Amex",
        serialize = "American Express",
        serialize = "AmericanExpress"
    )]
    Amex,
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
    /// Below this amount the card is charged in a single payment, when the gateway says so.
    pub installment_lower_limit: Option<Money>,
    /// The gateway's `commApplyTypeId` for the card, when it sends one (its values are not
    /// documented: shown as the gateway's number).
    pub comm_apply_type: Option<i32>,
    pub brand: Option<CardBrand>,
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
