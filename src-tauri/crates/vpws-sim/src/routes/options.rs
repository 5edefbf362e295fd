use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::bearer;
use crate::config::{UnknownBin, UnknownCurrency};
use crate::data::{CardRules, Pos};
use crate::endpoint::Endpoint;
use crate::reply::{Failure, Outcome, Refusal, TokenRefusals};
use crate::state::Gateway;

/// [Finrota] A POS terminal of the dealer's payment set.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PosJson<'a> {
    /// [Assumption] The POS id a payment names (`tenantPosId`); the documents' example lists
    /// no id field.
    tenant_pos_id: &'a str,
    name: &'a str,
    /// [Finrota] Hex colour for the UI, e.g. `#701f7e`.
    color_code: &'a str,
    logo: LogoJson<'a>,
    /// [Finrota] One row per installment count.
    comm_rates: Vec<CommRateJson>,
    is_visible_comm_rate: bool,
    is_default_pos: bool,
    /// [Finrota] Values unknown.
    pos_type_id: i32,
    /// [Finrota] Values unknown.
    partner_id: i32,
    three_d_status: i32,
    is_cvv_use: bool,
    /// [Finrota] ISO 4217, e.g. `TRY`.
    currency_type: &'a str,
}

/// [Finrota] The bank's logo.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct LogoJson<'a> {
    id: String,
    color_code: &'a str,
    is_default: bool,
    logo_small: &'a str,
    logo_medium: Option<&'a str>,
    logo_big: Option<&'a str>,
    installment_cell_color: &'a str,
}

/// [Finrota] The commission for one installment count.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CommRateJson {
    installment: u32,
    /// [Finrota] `10` in every example; other values unknown.
    comm_apply_type_id: i32,
    /// [Finrota] Percent, an exact decimal (e.g. `2.99`).
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    process_comm_rate: Decimal,
    /// [Finrota] Extra installments the bank adds.
    plus_installment: u32,
}

/// [Finrota] A bare array of POS (no envelope). [Assumption] A business failure (P018 BIN
/// undefined; P020 currency, when so configured) is an envelope with HTTP 200.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(
    dead_code,
    reason = "the answer's two shapes for the document; failures are sent by Failure"
)]
enum PosListAnswer<'a> {
    Poses(Vec<PosJson<'a>>),
    Card(CardAnswer<'a>),
    Refused(Refusal),
}

/// [Finrota] The BIN answer as PWS documents it: the POS list with what the card's rules are.
/// [Assumption] Sent for the demo BINs whose card has rules to say (RULES.md rule 7a); the
/// others answer with the bare array.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CardAnswer<'a> {
    /// [Finrota] Values unknown.
    comm_apply_type_id: Option<i32>,
    /// [Finrota] Below this amount, a single payment only.
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    installment_lower_limit: Decimal,
    /// [Finrota] Above this amount, 3D Secure only.
    #[serde(with = "json_decimal::option")]
    #[schema(value_type = Option<f64>)]
    three_d_limit: Option<Decimal>,
    #[serde(with = "json_decimal::option")]
    #[schema(value_type = Option<f64>)]
    general_installment_limit: Option<Decimal>,
    /// [Assumption] The card's scheme: `Visa`, `Mastercard`, `Troy` or `Amex`.
    card_brand: &'a str,
    poses: Vec<PosJson<'a>>,
}

fn pos_json<'a>(pos: &'a Pos, max_installment: u32, card: &CardRules) -> PosJson<'a> {
    PosJson {
        tenant_pos_id: &pos.tenant_pos_id,
        name: &pos.name,
        color_code: &pos.color_code,
        logo: LogoJson {
            id: format!("{}-logo", &pos.tenant_pos_id[..8]),
            color_code: &pos.color_code,
            is_default: true,
            logo_small: &pos.logo_small,
            logo_medium: None,
            logo_big: None,
            installment_cell_color: &pos.color_code,
        },
        comm_rates: pos
            .rates
            .iter()
            .filter(|(n, _, _)| *n <= max_installment)
            .map(|(n, rate, plus)| CommRateJson {
                installment: *n,
                comm_apply_type_id: card.comm_apply_type_id.unwrap_or(10),
                process_comm_rate: *rate,
                plus_installment: *plus,
            })
            .collect(),
        is_visible_comm_rate: true,
        is_default_pos: pos.is_default,
        pos_type_id: pos.pos_type_id,
        partner_id: pos.partner_id,
        three_d_status: card.three_d.status(),
        is_cvv_use: card.cvv_used,
        currency_type: &pos.currency,
    }
}

fn currency_param(query: &HashMap<String, String>) -> Result<String, Failure> {
    let currency = query.get("currency").map(|c| c.trim()).unwrap_or_default();
    if currency.is_empty() {
        return Err(Failure::new("P001", "`currency` is required"));
    }
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Failure::new("P001", "`currency` must be an ISO 4217 code"));
    }
    Ok(currency.to_ascii_uppercase())
}

fn dealer_pos<'a>(gw: &'a Gateway, dealer: usize, currency: &str) -> Vec<&'a Pos> {
    gw.data.dealers[dealer]
        .pos
        .iter()
        .filter(|p| p.active && p.currency == currency)
        .collect()
}

fn unsupported_currency(gw: &Gateway, currency: &str) -> Outcome {
    match gw.config().unknown_currency {
        UnknownCurrency::EmptyList => Ok(Json(Vec::<()>::new()).into_response()),
        UnknownCurrency::Error => {
            Err(gw.business_failure("P020", format!("No POS accepts {currency} for this dealer")))
        }
    }
}

/// The dealer's active POS terminals for a currency, with every installment rate.
#[utoipa::path(
    get,
    path = "/vpws/paymentOptions",
    tag = "options",
    params(("currency" = String, Query, description = "[Finrota] ISO 4217, e.g. `TRY`.", example = "TRY")),
    security(("accessToken" = [])),
    responses(
        (status = 200, description = "[Finrota] The POS list; [Assumption] empty for a currency no POS accepts.", body = PosListAnswer),
        (status = 400, description = "[Assumption] P001: `currency` missing or not three letters.", body = Refusal),
        (status = 403, description = "[Assumption] P003: the endpoint is switched off for the dealer.", body = Refusal),
        TokenRefusals,
    )
)]
pub async fn list(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Outcome {
    let dealer = gw.authorize(bearer(&headers), Endpoint::PaymentOptions)?;
    let currency = currency_param(&query)?;
    let poses = dealer_pos(&gw, dealer, &currency);
    if poses.is_empty() {
        return unsupported_currency(&gw, &currency);
    }
    let body: Vec<PosJson> = poses
        .into_iter()
        .map(|p| pos_json(p, u32::MAX, &CardRules::default()))
        .collect();
    Ok(Json(body).into_response())
}

/// The POS for a card's BIN: those of the card's bank program with all their installments;
/// without one, the default POS for a single payment. Below the installment limit, single
/// payment only.
#[utoipa::path(
    get,
    path = "/vpws/paymentOptions/{binNumber}",
    tag = "options",
    params(
        ("binNumber" = String, Path, description = "[Finrota] The card's first 6 or 8 digits.", example = "415565"),
        ("currency" = String, Query, description = "[Finrota] ISO 4217, e.g. `TRY`.", example = "TRY"),
        ("amount" = Option<String>, Query, description = "[Finrota] The amount, a positive decimal (`1250.50`).", example = "1250.50"),
    ),
    security(("accessToken" = [])),
    responses(
        (status = 200, description = "[Finrota] The POS list. [Assumption] An unknown BIN is P018 in an envelope.", body = PosListAnswer),
        (status = 400, description = "[Assumption] P001: BIN not 6 or 8 digits, `currency` or `amount` malformed.", body = Refusal),
        (status = 403, description = "[Assumption] P003: the endpoint is switched off for the dealer.", body = Refusal),
        TokenRefusals,
    )
)]
pub async fn by_bin(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(bin): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Outcome {
    let dealer = gw.authorize(bearer(&headers), Endpoint::PaymentOptionsByBin)?;
    if !matches!(bin.len(), 6 | 8) || !bin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::new("P001", "binNumber must be 6 or 8 digits"));
    }
    let currency = currency_param(&query)?;
    let amount = match query
        .get("amount")
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(text) => Some(
            json_decimal::parse_literal(text)
                .ok()
                .filter(|a| *a > Decimal::ZERO)
                .ok_or_else(|| Failure::new("P001", "`amount` must be a positive number"))?,
        ),
    };
    let Some(entry) = gw.data.bin(&bin) else {
        return match gw.config().unknown_bin {
            UnknownBin::Error => {
                Err(gw.business_failure("P018", format!("BIN {bin} is not defined")))
            }
            UnknownBin::EmptyList => Ok(Json(Vec::<()>::new()).into_response()),
        };
    };
    let poses = dealer_pos(&gw, dealer, &currency);
    if poses.is_empty() {
        return unsupported_currency(&gw, &currency);
    }
    let max_installment = match amount {
        Some(a) if a < gw.config().installment_lower_limit => 1,
        _ => u32::MAX,
    };
    let rules = &entry.rules;
    let matching: Vec<PosJson> = poses
        .iter()
        .filter(|p| p.program == entry.program)
        .map(|p| pos_json(p, max_installment, rules))
        .collect();
    let poses = if matching.is_empty() {
        let fallback = poses.iter().find(|p| p.is_default).unwrap_or(&poses[0]);
        vec![pos_json(fallback, 1, rules)]
    } else {
        matching
    };
    if !rules.rich_answer {
        return Ok(Json(poses).into_response());
    }
    Ok(Json(CardAnswer {
        comm_apply_type_id: rules.comm_apply_type_id,
        installment_lower_limit: gw.config().installment_lower_limit,
        three_d_limit: rules.three_d_limit,
        general_installment_limit: None,
        card_brand: &entry.scheme,
        poses,
    })
    .into_response())
}
