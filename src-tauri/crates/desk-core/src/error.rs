//! The one error shape the UI sees: `{code, message, details}`. `code` is stable and is what the
//! UI translates; `message` is English for logs; `details` carries values the translation may
//! show (a field name, a gateway code). Never card data.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{code}: {message}")]
pub struct AppError {
    pub code: String,
    pub message: String,
    pub details: BTreeMap<String, String>,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            details: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.details.insert(key.into(), value.into());
        self
    }

    /// A form field the operator must correct; `reason` is a stable key the UI translates.
    pub fn field(field: &str, reason: &str) -> Self {
        Self::new("invalid_input", format!("{field}: {reason}"))
            .with("field", field)
            .with("reason", reason)
    }
}

impl From<vpws::Error> for AppError {
    fn from(e: vpws::Error) -> Self {
        let mut error = AppError::new(e.code(), e.to_string());
        match &e {
            vpws::Error::InvalidInput { field, reason } => {
                error = error.with("field", *field).with("reason", reason.clone());
            }
            vpws::Error::RateLimited {
                retry_after: Some(wait),
            } => {
                error = error.with("retryAfterSeconds", wait.as_secs().to_string());
            }
            vpws::Error::Gateway(g) => {
                if let Some(reference) = &g.reference_code {
                    error = error.with("referenceCode", reference.clone());
                }
            }
            _ => {}
        }
        if let Some(code) = e.gateway_code() {
            error = error.with("gatewayCode", code);
        }
        if e.outcome_uncertain() {
            error = error.with("outcomeUncertain", "true");
        }
        error
    }
}

pub type AppResult<T> = Result<T, AppError>;
