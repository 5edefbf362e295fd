use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{json_body, required, vpws_utc_time};
use crate::reply::{Failure, Outcome, Refusal};
use crate::state::Gateway;

/// [Finrota] The dealer's credentials from Finrota's portal.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct TokenBody {
    #[schema(value_type = String, required = true)]
    api_key: Option<String>,
    #[schema(value_type = String, required = true)]
    secret_key: Option<String>,
}

/// [Finrota] A new access token (not enveloped).
#[derive(Serialize, ToSchema)]
struct TokenAnswer {
    /// [Finrota] When it expires, UTC with seven fraction digits: `2025-09-18T09:07:17.6884225Z`.
    expiry: String,
    token: String,
    /// [Finrota] `Bearer`.
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Issues an access token for the dealer's API key and secret.
#[utoipa::path(
    post,
    path = "/auth/api/token/connect",
    tag = "auth",
    request_body(content = TokenBody, content_type = "application/json"),
    responses(
        (status = 200, description = "[Finrota] The token.", body = TokenAnswer),
        (status = 400, description = "[Assumption] P001: not JSON, or a field missing.", body = Refusal),
        (status = 401, description = "[Assumption] P002: unknown apiKey or secretKey.", body = Refusal),
    )
)]
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
