//! The VPWS envelope and error answers.

use axum::http::{header, HeaderValue, StatusCode};

pub use crate::failure::{code_info, Failure};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{IntoResponses, PartialSchema, ToSchema};

/// `null`: what the envelope's `exceptions` and `oldData` always are, and a refusal's `data`.
#[derive(Serialize)]
pub struct Null;

impl PartialSchema for Null {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Null).into()
    }
}

impl ToSchema for Null {}

/// [Finrota] The envelope of an operation's answer (payment, cancel, refund): done, or refused
/// as a business failure with the result and `errors[]`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// [Finrota] Empty on success; the error's text on failure.
    pub message: Option<String>,
    /// [Finrota] The code's status from the error table (200 on success, 602 for P013, …), also
    /// when the HTTP status is 200.
    pub status_code: u16,
    pub exceptions: Null,
    /// [Finrota] The operation's result; [Assumption] on a business failure too, with
    /// `isSuccess: false`.
    pub data: T,
    pub old_data: Null,
    /// [Finrota] Null on success; the failure otherwise.
    pub errors: Option<Vec<ErrorItem>>,
}

/// [Finrota] The envelope of a failure without a result: a bad parameter, a bad token, a switched
/// off endpoint, a limit, an unknown transaction or BIN.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    /// [Finrota] The error's text.
    pub message: String,
    /// [Finrota] The code's status from the error table (400 for P001, 607 for P018, …).
    pub status_code: u16,
    pub exceptions: Null,
    pub data: Null,
    pub old_data: Null,
    /// [Finrota] The failure: one item.
    pub errors: Vec<ErrorItem>,
}

/// The refusals every operation behind the access token can answer with (for the document).
#[derive(IntoResponses)]
#[allow(
    dead_code,
    reason = "named for the OpenAPI document; failures are sent by Failure"
)]
pub enum TokenRefusals {
    #[response(
        status = 401,
        description = "[Finrota] P002: no token, an unknown one or an expired one."
    )]
    Unauthorized(Refusal),
    #[response(
        status = 429,
        description = "[Finrota] P007: the dealer's request limit; `Retry-After` says when to try again."
    )]
    TooMany(Refusal),
}

/// [Finrota] One failure: a code of the error table (P001…P020) and its text.
#[derive(Serialize, Clone, ToSchema)]
pub struct ErrorItem {
    /// [Finrota] `P001` … `P020`.
    #[schema(pattern = "^P0[0-9]{2}$")]
    pub code: String,
    pub message: String,
}

/// A successful enveloped answer.
pub fn success<T: Serialize>(data: T) -> Response {
    Json(Envelope {
        message: Some(String::new()),
        status_code: 200,
        exceptions: Null,
        data,
        old_data: Null,
        errors: None,
    })
    .into_response()
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status_code = code_info(self.code).0;
        let errors = vec![ErrorItem {
            code: self.code.into(),
            message: self.message.clone(),
        }];
        let http = StatusCode::from_u16(self.http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = match self.data {
            Some(data) => (
                http,
                Json(Envelope {
                    message: Some(self.message),
                    status_code,
                    exceptions: Null,
                    data,
                    old_data: Null,
                    errors: Some(errors),
                }),
            )
                .into_response(),
            None => (
                http,
                Json(Refusal {
                    message: self.message,
                    status_code,
                    exceptions: Null,
                    data: Null,
                    old_data: Null,
                    errors,
                }),
            )
                .into_response(),
        };
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type Outcome = Result<Response, Failure>;
