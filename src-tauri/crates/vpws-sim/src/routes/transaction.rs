use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{bearer, vpws_local_time};
use crate::config::ForeignTransaction;
use crate::endpoint::Endpoint;
use crate::reply::{Failure, Outcome, Refusal, TokenRefusals};
use crate::state::{Gateway, Transaction, COMPANY_TENANT_ID};

/// [Finrota] The transaction (not enveloped): the documented fields, plus [Assumption] the
/// original `amount`, `netAmount`, `maskedCardNumber`, `cardHolderName` and `posName`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionJson {
    client_reference_number: Option<String>,
    reference_number: String,
    #[schema(value_type = String)]
    tenant_id: &'static str,
    tenant_pos_id: String,
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    comm_rate: Decimal,
    currency_type: String,
    /// [Finrota] Istanbul time without offset, seven fraction digits: `2025-10-24T17:23:51.5461093`.
    transaction_date: String,
    installment: u32,
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    /// [Finrota] What is left after refunds; 0 once cancelled or fully refunded.
    last_amount: Decimal,
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    last_net_amount: Decimal,
    id: String,
    /// [Finrota] 1 approved, 2 failed, 3 waiting for 3D Secure, 6 partly refunded; others unknown.
    transaction_status_id: i32,
    transaction_detail_id: String,
    paid_tenant_id: String,
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    amount: Decimal,
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    net_amount: Decimal,
    masked_card_number: String,
    card_holder_name: String,
    pos_name: String,
    /// [Assumption] The days after the sale the bank pays the dealer, as the ERP API's
    /// transactions name it; sent for the POS of banks that say (Garanti BBVA, Akbank).
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_payment_days: Option<u32>,
}

pub fn to_json(gw: &Gateway, tx: &Transaction) -> TransactionJson {
    TransactionJson {
        client_reference_number: tx.client_reference.clone(),
        reference_number: tx.reference.clone(),
        tenant_id: COMPANY_TENANT_ID,
        tenant_pos_id: tx.pos_id.clone(),
        comm_rate: tx.comm_rate,
        currency_type: tx.currency.clone(),
        transaction_date: vpws_local_time(tx.created),
        installment: tx.installment,
        last_amount: tx.last_amount,
        last_net_amount: tx.net(tx.last_amount),
        id: tx.id.clone(),
        transaction_status_id: tx.status,
        transaction_detail_id: format!("{}d", &tx.id[..tx.id.len() - 1]),
        paid_tenant_id: gw.data.dealers[tx.dealer].tenant_id.clone(),
        amount: tx.amount,
        net_amount: tx.net(tx.amount),
        masked_card_number: tx.masked_card.clone(),
        card_holder_name: tx.holder.clone(),
        pos_name: tx.pos_name.clone(),
        bank_payment_days: gw.data.dealers[tx.dealer]
            .pos
            .iter()
            .find(|p| p.tenant_pos_id == tx.pos_id)
            .and_then(bank_payment_days),
    }
}

/// The days after a sale the bank pays the dealer, where the gateway says: Garanti BBVA's and
/// Akbank's POS say (30 and 1 days), the others leave it to the dealer's setting.
fn bank_payment_days(pos: &crate::data::Pos) -> Option<u32> {
    match pos.bank.as_str() {
        "Garanti BBVA" => Some(30),
        "Akbank" => Some(1),
        _ => None,
    }
}

/// One of the dealer's transactions, found by exactly one of its references.
#[utoipa::path(
    get,
    path = "/vpws/transaction",
    tag = "transaction",
    params(
        ("referenceCode" = Option<String>, Query, description = "[Finrota] The payment's `referenceNumber`.", example = "NTH2P00000002974"),
        ("transactionId" = Option<String>, Query, description = "[Finrota] The payment's `transactionId`."),
        ("clientReferenceNumber" = Option<String>, Query, description = "[Finrota] The dealer's order reference. [Assumption] How VPWS names this parameter is unknown; `clientOrderReferenceCode` is taken too."),
    ),
    security(("accessToken" = [])),
    responses(
        (status = 200, description = "[Finrota] The transaction.", body = TransactionJson),
        (status = 400, description = "[Assumption] P001: no reference given.", body = Refusal),
        (status = 403, description = "[Assumption] P003: the endpoint is switched off for the dealer (or, when so configured, another dealer's transaction).", body = Refusal),
        (status = 404, description = "[Finrota] P004: no such transaction (also another dealer's, by default), or more than one reference given.", body = Refusal),
        TokenRefusals,
    )
)]
pub async fn query(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Outcome {
    let dealer = gw.authorize(bearer(&headers), Endpoint::Transaction)?;
    let value = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| query.get(*n))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let reference = value(&["referenceCode", "referenceNumber"]);
    let id = value(&["transactionId"]);
    let client = value(&["clientReferenceNumber", "clientOrderReferenceCode"]);
    let given = [&reference, &id, &client]
        .iter()
        .filter(|v| v.is_some())
        .count();
    if given == 0 {
        return Err(Failure::new(
            "P001",
            "one of referenceCode, transactionId or clientReferenceNumber is required",
        ));
    }
    if given > 1 {
        return Err(Failure::new(
            "P004",
            "send exactly one of referenceCode, transactionId, clientReferenceNumber",
        ));
    }
    let now = gw.now();
    let store = gw.store_at(now);
    let found = if let Some(r) = reference {
        store.find_by(|t| t.reference.eq_ignore_ascii_case(&r))
    } else if let Some(i) = id {
        store.find_by(|t| t.id.eq_ignore_ascii_case(&i))
    } else {
        store.find_order(dealer, &client.unwrap_or_default())
    };
    // Committed but not visible yet (query lag): the read side does not know it.
    let Some(index) = found.filter(|&i| store.transactions[i].visible_from <= now) else {
        return Err(Failure::default_text("P004"));
    };
    let tx = &store.transactions[index];
    if tx.dealer != dealer {
        return Err(match store.config.foreign_transaction {
            ForeignTransaction::NotFound => Failure::default_text("P004"),
            ForeignTransaction::Forbidden => {
                Failure::new("P003", "This transaction belongs to another dealer")
            }
        });
    }
    Ok(Json(to_json(&gw, tx)).into_response())
}
