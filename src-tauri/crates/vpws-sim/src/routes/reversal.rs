//! `POST /vpws/payment/cancel` and `POST /vpws/payment/refund` (RULES.md rules 20–29).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{bearer, json_body, required};
use crate::config::{BusinessFailureStatus, RepeatedCancel};
use crate::endpoint::Endpoint;
use crate::reply::{success, Envelope, Failure, Outcome, Refusal, TokenRefusals};
use crate::state::{business_failure, money, Gateway, Reversal, ReversalKind, Transaction};

/// [Finrota] Which payment to cancel, by `referenceCode` or `clientReferenceCode` (exactly one).
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"referenceCode": "NTH2P00000003000", "reason": "Order cancelled by phone"}))]
#[serde(rename_all = "camelCase")]
struct CancelBody {
    /// [Finrota] The payment's `referenceNumber`.
    #[schema(value_type = Option<String>)]
    reference_code: Option<String>,
    /// [Finrota] The dealer's order reference the payment was sent with
    /// (`clientOrderReferenceCode`), instead of `referenceCode` ("via referenceCode or
    /// clientReferenceCode", VPWS basic info). [Assumption] The dealer's own payment with that
    /// reference, the one a transaction query by it returns.
    #[schema(value_type = Option<String>)]
    client_reference_code: Option<String>,
    reason: Option<String>,
}

/// [Finrota] Which payment to refund, by `referenceCode` or `clientReferenceCode` (exactly
/// one), and how much.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"clientReferenceCode": "ORDER123", "amount": 10.50, "reason": "Returned item"}))]
#[serde(rename_all = "camelCase")]
struct RefundBody {
    /// [Finrota] The payment's `referenceNumber`.
    #[schema(value_type = Option<String>)]
    reference_code: Option<String>,
    /// [Finrota] The dealer's order reference, instead of `referenceCode` (as for a cancel).
    #[schema(value_type = Option<String>)]
    client_reference_code: Option<String>,
    /// [Finrota] A positive exact decimal; without it, all that is left. PWS documents
    /// `refundAmount` in its table and `amount` in its example: both are taken.
    #[serde(default, alias = "refundAmount", with = "json_decimal::option")]
    #[schema(value_type = Option<f64>)]
    amount: Option<Decimal>,
    reason: Option<String>,
}

/// [Finrota] The result of a cancel or refund.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct OperationData {
    /// [Finrota] What is left of the payment afterwards, an exact decimal.
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    last_amount: Decimal,
    transaction_status_id: i32,
    #[schema(value_type = Option<String>)]
    error_code: Option<&'static str>,
    error_message: Option<String>,
    is_success: bool,
}

fn done(tx: &Transaction) -> Outcome {
    Ok(success(OperationData {
        last_amount: tx.last_amount,
        transaction_status_id: tx.status,
        error_code: None,
        error_message: None,
        is_success: true,
    }))
}

fn refused(
    mode: BusinessFailureStatus,
    tx: &Transaction,
    code: &'static str,
    message: impl Into<String>,
) -> Failure {
    let message = message.into();
    let data = OperationData {
        last_amount: tx.last_amount,
        transaction_status_id: tx.status,
        error_code: Some(code),
        error_message: Some(message.clone()),
        is_success: false,
    };
    business_failure(mode, code, message).with_data(&data)
}

/// Which payment a cancel or refund names: exactly one of its two keys (else 400 P001).
enum Named<'a> {
    Reference(&'a str),
    Order(&'a str),
}

fn named<'a>(
    reference: &'a Option<String>,
    order: &'a Option<String>,
) -> Result<Named<'a>, Failure> {
    match (reference.is_some(), order.is_some()) {
        (true, true) => Err(Failure::new(
            "P001",
            "send one of `referenceCode` and `clientReferenceCode`, not both",
        )),
        (false, true) => Ok(Named::Order(required("clientReferenceCode", order)?)),
        _ => Ok(Named::Reference(required("referenceCode", reference)?)),
    }
}

/// The dealer's own transaction by either key: unknown → 404 P004, another dealer's → 403
/// P003. By order reference it is the one a transaction query by that reference returns.
fn own_transaction(gw: &Gateway, dealer: usize, key: Named<'_>) -> Result<usize, Failure> {
    let now = gw.now();
    let store = gw.store_at(now);
    let found = match key {
        Named::Reference(reference) => {
            store.find_by(|t| t.reference.eq_ignore_ascii_case(reference))
        }
        Named::Order(order) => store.find_order(dealer, order),
    };
    let index = found.ok_or_else(|| Failure::default_text("P004"))?;
    if store.transactions[index].dealer != dealer {
        return Err(Failure::new(
            "P003",
            "This transaction belongs to another dealer",
        ));
    }
    Ok(index)
}

fn reason_of(reason: Option<String>) -> Option<String> {
    reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
}

/// Cancels a payment of today in full (before the bank's end of day).
#[utoipa::path(
    post,
    path = "/vpws/payment/cancel",
    tag = "transaction",
    request_body(content = CancelBody, content_type = "application/json"),
    security(("accessToken" = [])),
    responses(
        (status = 200, description = "[Finrota] Done (`isSuccess: true`), or refused with `isSuccess: false` and the code in `errors[]` (P013 cannot be cancelled, P016, P017 already cancelled or refunded). [Assumption] Refusals come with HTTP 200.", body = Envelope<OperationData>),
        (status = 400, description = "[Assumption] P001: not JSON, neither or both of `referenceCode` and `clientReferenceCode`.", body = Refusal),
        (status = 403, description = "[Assumption] P003: the endpoint is switched off for the dealer, or another dealer's payment.", body = Refusal),
        (status = 404, description = "[Finrota] P004: no such payment.", body = Refusal),
        TokenRefusals,
    )
)]
pub async fn cancel(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> Outcome {
    let dealer = gw.authorize(bearer(&headers), Endpoint::Cancel)?;
    let body: CancelBody = json_body(&headers, &body)?;
    let key = named(&body.reference_code, &body.client_reference_code)?;
    let by_order_reference = matches!(key, Named::Order(_));
    let index = own_transaction(&gw, dealer, key)?;
    let now = gw.now();
    let mut store = gw.store_at(now);
    let config = store.config.clone();
    let tx = &mut store.transactions[index];
    if tx.cancelled {
        return match config.repeated_cancel {
            RepeatedCancel::Idempotent => done(tx),
            RepeatedCancel::Reject => Err(refused(
                config.business_failures,
                tx,
                "P017",
                "The transaction is already cancelled",
            )),
        };
    }
    let refusal = match tx.status {
        2 => Some("A failed transaction cannot be cancelled"),
        3 => Some("The transaction is waiting for 3D Secure"),
        1 if tx.reversals.is_empty() => None,
        _ => Some("The transaction has refunds; it can no longer be cancelled"),
    };
    if let Some(message) = refusal {
        return Err(refused(config.business_failures, tx, "P013", message));
    }
    if config.cancel_same_day_only
        && Gateway::istanbul_date(tx.created) != Gateway::istanbul_date(now)
    {
        return Err(refused(
            config.business_failures,
            tx,
            "P013",
            "The provision period is over; refund instead",
        ));
    }
    tx.reversals.push(Reversal {
        kind: ReversalKind::Cancel,
        amount: tx.last_amount,
        at: now,
        reason: reason_of(body.reason),
        by_order_reference,
    });
    tx.cancelled = true;
    tx.last_amount = money(Decimal::ZERO);
    tx.status = config.status_after_cancel;
    tx.committed(now, config.query_lag_ms);
    done(tx)
}

/// Refunds a payment in full or in part; partial refunds add up to at most the amount.
#[utoipa::path(
    post,
    path = "/vpws/payment/refund",
    tag = "transaction",
    request_body(content = RefundBody, content_type = "application/json"),
    security(("accessToken" = [])),
    responses(
        (status = 200, description = "[Finrota] Done (`isSuccess: true`), or refused with `isSuccess: false` and the code in `errors[]` (P014 cannot be refunded, P015 more than is left, P016, P017). [Assumption] Refusals come with HTTP 200.", body = Envelope<OperationData>),
        (status = 400, description = "[Assumption] P001: not JSON, neither or both of `referenceCode` and `clientReferenceCode`; `amount` not positive.", body = Refusal),
        (status = 403, description = "[Assumption] P003: the endpoint is switched off for the dealer, or another dealer's payment.", body = Refusal),
        (status = 404, description = "[Finrota] P004: no such payment.", body = Refusal),
        TokenRefusals,
    )
)]
pub async fn refund(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> Outcome {
    let dealer = gw.authorize(bearer(&headers), Endpoint::Refund)?;
    let body: RefundBody = json_body(&headers, &body)?;
    let key = named(&body.reference_code, &body.client_reference_code)?;
    let by_order_reference = matches!(key, Named::Order(_));
    if let Some(amount) = body.amount {
        if amount <= Decimal::ZERO {
            return Err(Failure::new("P001", "`amount` must be greater than zero"));
        }
        if amount.normalize().scale() > 2 {
            return Err(Failure::new(
                "P001",
                "`amount` may have at most two decimals",
            ));
        }
    }
    let index = own_transaction(&gw, dealer, key)?;
    let now = gw.now();
    let mut store = gw.store_at(now);
    let config = store.config.clone();
    let tx = &mut store.transactions[index];
    if tx.cancelled {
        return Err(refused(
            config.business_failures,
            tx,
            "P014",
            "A cancelled transaction cannot be refunded",
        ));
    }
    if !matches!(tx.status, 1 | 6) {
        return Err(refused(
            config.business_failures,
            tx,
            "P014",
            "Only successful transactions can be refunded",
        ));
    }
    if !config.refund_same_day_allowed
        && Gateway::istanbul_date(tx.created) == Gateway::istanbul_date(now)
    {
        return Err(refused(
            config.business_failures,
            tx,
            "P016",
            "Refunds start the day after the sale; cancel instead",
        ));
    }
    if let Some(period) = config.refund_period_days {
        let days = (Gateway::istanbul_date(now) - Gateway::istanbul_date(tx.created)).num_days();
        if days > i64::from(period) {
            let message = format!("The bank's refund period of {period} days has passed");
            return Err(refused(config.business_failures, tx, "P014", message));
        }
    }
    let amount = body.amount.unwrap_or(tx.last_amount);
    if tx.last_amount <= Decimal::ZERO {
        return Err(refused(
            config.business_failures,
            tx,
            "P015",
            "Nothing is left to refund",
        ));
    }
    if amount > tx.last_amount {
        let message = format!("Refund {amount} exceeds the remaining {}", tx.last_amount);
        return Err(refused(config.business_failures, tx, "P015", message));
    }
    tx.reversals.push(Reversal {
        kind: ReversalKind::Refund,
        amount: money(amount),
        at: now,
        reason: reason_of(body.reason),
        by_order_reference,
    });
    tx.last_amount = money(tx.last_amount - amount);
    tx.status = if tx.last_amount > Decimal::ZERO {
        6
    } else {
        config.status_after_full_refund
    };
    tx.committed(now, config.query_lag_ms);
    done(tx)
}
