//! Turns an HTTP answer into a value or a coded [`Error`]. Kept apart from the HTTP client so
//! every documented body shape can be tested without a server.

use std::time::Duration;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use crate::error::{Error, GatewayFailure};
use crate::model::payment::{DirectPaymentAnswer, PaymentData};
use crate::model::{Envelope, OperationResult, PaymentResult, TransactionStatus};

pub(crate) struct RawResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// Which keys a JSON object has, without reading (or buffering) their values.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    status_code: Option<IgnoredAny>,
    errors: Option<IgnoredAny>,
    data: Option<IgnoredAny>,
    payment_type: Option<IgnoredAny>,
    redirect_to: Option<IgnoredAny>,
    success: Option<IgnoredAny>,
}

fn probe(body: &[u8]) -> Probe {
    serde_json::from_slice(body).unwrap_or_default()
}

fn first_json_byte(body: &[u8]) -> Option<u8> {
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn unreadable(raw: &RawResponse, why: impl std::fmt::Display) -> Error {
    let mut detail = why.to_string();
    detail.truncate(300);
    Error::UnexpectedResponse {
        status: raw.status,
        detail,
    }
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    serde_json::from_slice(&raw.body).map_err(|e| unreadable(raw, e))
}

/// The documented HTTP-like status of each P code (Finrota's error table), used when a body names no code.
fn code_for_status(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "P001",
        401 => "P002",
        403 => "P003",
        404 => "P004",
        409 => "P005",
        422 => "P006",
        429 => "P007",
        500 => "P008",
        503 => "P009",
        504 => "P010",
        600 => "P011",
        601 => "P012",
        602 => "P013",
        603 => "P014",
        604 => "P015",
        605 => "P016",
        606 => "P017",
        607 => "P018",
        608 => "P019",
        609 => "P020",
        _ => return None,
    })
}

/// What a failure report is about; filled from whatever the body offers.
#[derive(Default)]
struct Failure {
    code: Option<String>,
    message: Option<String>,
    transaction_status: Option<TransactionStatus>,
    reference_code: Option<String>,
}

fn classify(raw: &RawResponse, failure: Failure, fallback_code: &str) -> Error {
    let code = failure
        .code
        .filter(|c| !c.trim().is_empty())
        .or_else(|| code_for_status(raw.status).map(str::to_owned))
        .unwrap_or_else(|| fallback_code.to_owned());
    let message = failure
        .message
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| format!("gateway answered {code}"));
    match code.as_str() {
        "P001" | "P006" => Error::Validation {
            gateway_code: code,
            message,
        },
        "P002" => Error::Unauthorized { message },
        "P003" => Error::Forbidden { message },
        "P004" => Error::NotFound { message },
        "P005" => Error::Conflict { message },
        "P007" => Error::RateLimited {
            retry_after: raw.retry_after,
        },
        _ => Error::Gateway(Box::new(GatewayFailure {
            code,
            message,
            http_status: raw.status,
            transaction_status: failure.transaction_status,
            reference_code: failure.reference_code,
        })),
    }
}

/// Data fields that can describe a failure inside an envelope's `data`.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FailureData {
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    transaction_status_id: Option<TransactionStatus>,
    #[serde(default, alias = "referenceCode")]
    reference_number: Option<String>,
}

fn failure_from_envelope(raw: &RawResponse) -> Failure {
    let Ok(envelope) = serde_json::from_slice::<Envelope<FailureData>>(&raw.body) else {
        return Failure::default();
    };
    let first = envelope.first_error().cloned();
    let data = envelope.data.unwrap_or_default();
    Failure {
        code: data
            .error_code
            .or_else(|| first.as_ref().map(|e| e.code.clone())),
        message: data
            .error_message
            .or_else(|| first.and_then(|e| e.message))
            .or(envelope.message),
        transaction_status: data.transaction_status_id,
        reference_code: data.reference_number,
    }
}

/// An answer that is not a success (non-2xx), with the code from the body or the status.
pub(crate) fn error_from(raw: &RawResponse) -> Error {
    if raw.status == 429 {
        return Error::RateLimited {
            retry_after: raw.retry_after,
        };
    }
    let failure = failure_from_envelope(raw);
    if failure.code.is_none() && code_for_status(raw.status).is_none() {
        return unreadable(raw, "no error code in the answer");
    }
    classify(raw, failure, "P008")
}

fn is_success_status(raw: &RawResponse) -> bool {
    (200..300).contains(&raw.status)
}

/// A bare JSON value (Transaction, POS array) — or an envelope, which is unwrapped or turned into
/// its error. `what` names the payload in error texts.
pub(crate) fn bare_or_enveloped<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    if !is_success_status(raw) {
        return Err(error_from(raw));
    }
    let shape = probe(&raw.body);
    let has_errors = shape.errors.is_some()
        && serde_json::from_slice::<Envelope<IgnoredAny>>(&raw.body)
            .map(|e| e.errors.is_some_and(|v| !v.is_empty()))
            .unwrap_or(false);
    if has_errors {
        return Err(classify(raw, failure_from_envelope(raw), "P008"));
    }
    if first_json_byte(&raw.body) == Some(b'{')
        && shape.status_code.is_some()
        && shape.data.is_some()
    {
        let envelope: Envelope<T> = decode(raw)?;
        return envelope
            .data
            .ok_or_else(|| unreadable(raw, "envelope without data"));
    }
    decode(raw)
}

/// Either a JSON array of `T` or an object `O` (the BIN call's two documented shapes).
pub(crate) fn array_or_object<T: DeserializeOwned, O: DeserializeOwned>(
    raw: &RawResponse,
    wrap: impl FnOnce(Vec<T>) -> O,
) -> Result<O, Error> {
    if is_success_status(raw) && first_json_byte(&raw.body) == Some(b'[') {
        return decode::<Vec<T>>(raw).map(wrap);
    }
    bare_or_enveloped(raw)
}

/// Cancel/refund: envelope whose `data.isSuccess` decides.
pub(crate) fn operation(raw: &RawResponse, fallback_code: &str) -> Result<OperationResult, Error> {
    if !is_success_status(raw) {
        return Err(error_from(raw));
    }
    let envelope: Envelope<OperationResult> = decode(raw)?;
    match envelope.data {
        Some(data) if data.is_success => Ok(data),
        _ => Err(classify(raw, failure_from_envelope(raw), fallback_code)),
    }
}

/// `POST /vpws/payment`: the enveloped shape or the B2C-like bare shape of seed 001.
pub(crate) fn payment(raw: &RawResponse) -> Result<PaymentResult, Error> {
    if !is_success_status(raw) {
        return Err(error_from(raw));
    }
    let shape = probe(&raw.body);
    if shape.data.is_none()
        && (shape.payment_type.is_some() || shape.redirect_to.is_some() || shape.success.is_some())
    {
        return direct_payment(raw, decode(raw)?);
    }
    let envelope: Envelope<PaymentData> = decode(raw)?;
    let message = envelope.message.clone().filter(|m| !m.is_empty());
    let data = envelope
        .data
        .ok_or_else(|| classify(raw, failure_from_envelope(raw), "P011"))?;
    let status = data.transaction_status_id;
    let redirect_url = data.redirect_url.filter(|u| !u.is_empty());
    let accepted = data.is_success.unwrap_or(false)
        || (redirect_url.is_some() && status != Some(TransactionStatus::FAILED));
    if !accepted {
        return Err(classify(raw, failure_from_envelope(raw), "P011"));
    }
    let status = status.unwrap_or(if redirect_url.is_some() {
        TransactionStatus::PENDING
    } else {
        TransactionStatus::SUCCESS
    });
    Ok(PaymentResult {
        status,
        reference_code: data.reference_number,
        transaction_id: data.transaction_id,
        client_reference: data.client_reference_number,
        redirect_url,
        message,
    })
}

fn direct_payment(raw: &RawResponse, answer: DirectPaymentAnswer) -> Result<PaymentResult, Error> {
    let redirect_url = answer.redirect_to.filter(|u| !u.is_empty());
    let is_redirect = answer
        .payment_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("RedirectUrl"))
        || (answer.payment_type.is_none() && redirect_url.is_some());
    if is_redirect && redirect_url.is_some() {
        return Ok(PaymentResult {
            status: TransactionStatus::PENDING,
            reference_code: answer.reference_code,
            transaction_id: answer.order_id,
            client_reference: answer.client_reference_code,
            redirect_url,
            message: None,
        });
    }
    if answer.success == Some(true) {
        return Ok(PaymentResult {
            status: TransactionStatus::SUCCESS,
            reference_code: answer.reference_code,
            transaction_id: answer.order_id,
            client_reference: answer.client_reference_code,
            redirect_url: None,
            message: None,
        });
    }
    Err(classify(
        raw,
        Failure {
            code: None,
            message: answer.error,
            transaction_status: Some(TransactionStatus::FAILED),
            reference_code: answer.reference_code,
        },
        "P011",
    ))
}

#[cfg(test)]
#[path = "response_tests.rs"]
mod tests;
