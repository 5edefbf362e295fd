use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One POS terminal the dealer may charge through, with its installment table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PosOption {
    /// Needed to pay. Not in the documented VPWS POS table, but in the PWS BIN variant.
    #[serde(default)]
    pub tenant_pos_id: Option<String>,
    #[serde(default)]
    pub payment_set_pos_id: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    pub name: String,
    #[serde(default)]
    pub color_code: Option<String>,
    #[serde(default)]
    pub logo: Option<Logo>,
    #[serde(default)]
    pub comm_rates: Vec<CommRate>,
    #[serde(default = "yes")]
    pub is_visible_comm_rate: bool,
    #[serde(default)]
    pub is_default_pos: bool,
    #[serde(default)]
    pub pos_type_id: Option<i32>,
    #[serde(default)]
    pub partner_id: Option<i32>,
    #[serde(default)]
    pub three_d_status: Option<i32>,
    #[serde(default)]
    pub is_cvv_use: Option<bool>,
    #[serde(default)]
    pub credit_card_program_id: Option<i32>,
    #[serde(default, alias = "currency", alias = "currencyCode")]
    pub currency_type: Option<String>,
}

fn yes() -> bool {
    true
}

fn trimmed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .unwrap_or_default()
        .trim()
        .to_owned())
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Logo {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub color_code: Option<String>,
    #[serde(default)]
    pub is_default: Option<bool>,
    #[serde(default)]
    pub logo_small: Option<String>,
    #[serde(default)]
    pub logo_medium: Option<String>,
    #[serde(default)]
    pub logo_big: Option<String>,
    #[serde(default)]
    pub installment_cell_color: Option<String>,
}

/// One installment option: `processCommRate` is a percentage (e.g. `1.0600` = 1.06 %).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommRate {
    pub installment: u32,
    #[serde(default)]
    pub comm_apply_type_id: Option<i32>,
    #[serde(default, with = "json_decimal::number")]
    pub process_comm_rate: Decimal,
    #[serde(default)]
    pub plus_installment: u32,
}

/// The BIN-filtered answer. VPWS says it is the plain POS array; PWS documents this richer
/// object. Both parse into this type (the array fills only `poses`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BinOptions {
    #[serde(default)]
    pub comm_apply_type_id: Option<i32>,
    #[serde(default, with = "json_decimal::option")]
    pub installment_lower_limit: Option<Decimal>,
    #[serde(default, with = "json_decimal::option")]
    pub three_d_limit: Option<Decimal>,
    #[serde(default, with = "json_decimal::option")]
    pub general_installment_limit: Option<Decimal>,
    /// The card's scheme (`Visa`, `Mastercard`, `Troy`, `Amex`). [Assumption] The documents
    /// show no such field; the demo gateway sends it under this name.
    #[serde(default, alias = "brand")]
    pub card_brand: Option<String>,
    #[serde(default)]
    pub poses: Vec<PosOption>,
}
