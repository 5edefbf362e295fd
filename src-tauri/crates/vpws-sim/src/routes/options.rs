use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use rust_decimal::Decimal;
use serde::Serialize;

use super::bearer;
use crate::config::{UnknownBin, UnknownCurrency};
use crate::data::Pos;
use crate::endpoint::Endpoint;
use crate::reply::{Failure, Outcome};
use crate::state::Gateway;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PosJson<'a> {
    tenant_pos_id: &'a str,
    name: &'a str,
    color_code: &'a str,
    logo: LogoJson<'a>,
    comm_rates: Vec<CommRateJson>,
    is_visible_comm_rate: bool,
    is_default_pos: bool,
    pos_type_id: i32,
    partner_id: i32,
    three_d_status: i32,
    is_cvv_use: bool,
    currency_type: &'a str,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommRateJson {
    installment: u32,
    comm_apply_type_id: i32,
    #[serde(with = "json_decimal::number")]
    process_comm_rate: Decimal,
    plus_installment: u32,
}

fn pos_json(pos: &Pos, max_installment: u32) -> PosJson<'_> {
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
                comm_apply_type_id: 10,
                process_comm_rate: *rate,
                plus_installment: *plus,
            })
            .collect(),
        is_visible_comm_rate: true,
        is_default_pos: pos.is_default,
        pos_type_id: pos.pos_type_id,
        partner_id: pos.partner_id,
        three_d_status: 1,
        is_cvv_use: true,
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

/// `GET /vpws/paymentOptions?currency=`.
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
    let body: Vec<PosJson> = poses.into_iter().map(|p| pos_json(p, u32::MAX)).collect();
    Ok(Json(body).into_response())
}

/// `GET /vpws/paymentOptions/{binNumber}?currency=&amount=`: POS of the card's bank program
/// with all its installments; without one, the default POS for a single payment.
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
    let matching: Vec<PosJson> = poses
        .iter()
        .filter(|p| p.program == entry.program)
        .map(|p| pos_json(p, max_installment))
        .collect();
    if !matching.is_empty() {
        return Ok(Json(matching).into_response());
    }
    let fallback = poses.iter().find(|p| p.is_default).unwrap_or(&poses[0]);
    Ok(Json(vec![pos_json(fallback, 1)]).into_response())
}
