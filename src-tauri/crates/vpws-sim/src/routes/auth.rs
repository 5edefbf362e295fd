use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
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
