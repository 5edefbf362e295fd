//! The VPWS envelope and error answers.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    pub message: Option<String>,
    pub status_code: u16,
    pub exceptions: Option<()>,
    pub data: Option<T>,
    pub old_data: Option<()>,
    pub errors: Option<Vec<ErrorItem>>,
}

#[derive(Serialize, Clone)]
pub struct ErrorItem {
    pub code: String,
    pub message: String,
}

/// A successful enveloped answer.
pub fn success<T: Serialize>(data: T) -> Response {
    Json(Envelope {
        message: Some(String::new()),
        status_code: 200,
        exceptions: None,
        data: Some(data),
        old_data: None,
        errors: None,
    })
    .into_response()
}

/// The documented error table: code → (status, default text).
pub fn code_info(code: &str) -> (u16, &'static str) {
    match code {
        "P001" => (400, "Invalid request parameter"),
        "P002" => (401, "Invalid or expired AccessToken"),
        "P003" => (403, "Dealer is not authorised for this operation"),
        "P004" => (404, "Transaction not found"),
        "P005" => (409, "Conflict or duplicate request"),
        "P006" => (422, "Validation error"),
        "P007" => (429, "Too many requests"),
        "P008" => (500, "System error"),
        "P009" => (503, "Bank service is not responding"),
        "P010" => (504, "Timeout"),
        "P011" => (600, "Payment failed"),
        "P012" => (601, "OTP verification error"),
        "P013" => (602, "Cancellation failed"),
        "P014" => (603, "Refund failed"),
        "P015" => (604, "Partial refund limit exceeded"),
        "P016" => (605, "Unsupported operation"),
        "P017" => (606, "Transaction already completed"),
        "P018" => (607, "BIN undefined"),
        "P019" => (608, "POS not found"),
        "P020" => (609, "Currency not supported"),
        _ => (500, "System error"),
    }
}

/// A failure answer: an envelope with `errors[]`, and `data` when the operation has a result
/// body (payment, cancel, refund report `isSuccess:false` there).
pub struct Failure {
    pub http: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub data: Option<Box<serde_json::value::RawValue>>,
    pub retry_after: Option<u32>,
}

impl Failure {
    /// A transport-level failure (P001–P010) with its documented HTTP status.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        let (status, _) = code_info(code);
        Self {
            http: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            message: message.into(),
            data: None,
            retry_after: None,
        }
    }

    pub fn default_text(code: &'static str) -> Self {
        Self::new(code, code_info(code).1)
    }

    /// Attaches a result body, serialised now so amounts keep their exact text.
    pub fn with_data<T: Serialize>(mut self, data: &T) -> Self {
        self.data = serde_json::to_string(data)
            .ok()
            .and_then(|text| serde_json::value::RawValue::from_string(text).ok());
        self
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Envelope {
            message: Some(self.message.clone()),
            status_code: code_info(self.code).0,
            exceptions: None,
            data: self.data,
            old_data: None,
            errors: Some(vec![ErrorItem {
                code: self.code.into(),
                message: self.message,
            }]),
        };
        let mut response = (self.http, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type Outcome = Result<Response, Failure>;
