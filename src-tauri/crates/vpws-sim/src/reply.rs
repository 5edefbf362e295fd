//! The VPWS envelope and error answers.

use axum::http::{header, HeaderValue, StatusCode};

pub use crate::failure::{code_info, Failure};
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
        let http = StatusCode::from_u16(self.http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (http, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type Outcome = Result<Response, Failure>;
