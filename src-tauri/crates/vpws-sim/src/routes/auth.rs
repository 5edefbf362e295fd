use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{json_body, required, vpws_utc_time};
use crate::reply::{Failure, Outcome};
use crate::state::Gateway;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenBody {
    api_key: Option<String>,
    secret_key: Option<String>,
}

#[derive(Serialize)]
struct TokenAnswer {
    expiry: String,
    token: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `POST /auth/api/token/connect`.
pub async fn connect(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> Outcome {
    let body: TokenBody = json_body(&headers, &body)?;
    let api_key = required("apiKey", &body.api_key)?;
    let secret_key = required("secretKey", &body.secret_key)?;
    let dealer = gw
        .data
        .dealers
        .iter()
        .position(|d| d.api_key == api_key && d.secret_key == secret_key)
        .ok_or_else(|| Failure::new("P002", "apiKey or secretKey is not valid"))?;
    let (token, expires_at) = gw.issue_token(dealer);
    let answer = TokenAnswer {
        expiry: vpws_utc_time(expires_at),
        token,
        kind: "Bearer",
    };
    Ok::<Response, Failure>(Json(answer).into_response())
}

/// A JWT-looking opaque token: header.payload.random.
pub fn new_token(api_key: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64.encode(format!(
        r#"{{"sub":"{api_key}","iat":{},"scope":"vpwsv1.api"}}"#,
        now.timestamp()
    ));
    let random = uuid::Uuid::new_v4();
    let signature = b64.encode(
        [
            random.as_bytes().as_slice(),
            uuid::Uuid::new_v4().as_bytes(),
        ]
        .concat(),
    );
    format!("{header}.{payload}.{signature}")
}
