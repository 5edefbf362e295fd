//! What the gateway answers when something fails: a documented code, its HTTP status and text.
//! Plain data; `reply` turns it into an HTTP answer.

use serde::Serialize;

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
    /// The HTTP status it is sent with.
    pub http: u16,
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
            http: status,
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
