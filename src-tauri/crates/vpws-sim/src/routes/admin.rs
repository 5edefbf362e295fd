//! Test-only control surface under `/__admin`: faults, request counts, settings, clock.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

use crate::config::SimConfig;
use crate::fault::Fault;
use crate::state::{DealerLimits, Gateway};

pub fn router() -> Router<Arc<Gateway>> {
    Router::new()
        .route("/requests", get(requests).delete(reset_requests))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/config", get(config).put(set_config))
        .route("/dealers/{api_key}/limits", put(set_limits))
        .route("/clock", post(advance_clock))
        .route("/tokens/expire", post(expire_tokens))
        .route("/transactions", get(transactions))
}

async fn requests(State(gw): State<Arc<Gateway>>) -> Response {
    Json(gw.store().requests.clone()).into_response()
}

async fn reset_requests(State(gw): State<Arc<Gateway>>) -> StatusCode {
    gw.store().requests.clear();
    StatusCode::NO_CONTENT
}

async fn faults(State(gw): State<Arc<Gateway>>) -> Response {
    Json(gw.store().faults.clone()).into_response()
}

async fn add_fault(State(gw): State<Arc<Gateway>>, Json(fault): Json<Fault>) -> StatusCode {
    gw.store().faults.push(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(gw): State<Arc<Gateway>>) -> StatusCode {
    gw.store().faults.clear();
    StatusCode::NO_CONTENT
}

async fn config(State(gw): State<Arc<Gateway>>) -> Json<SimConfig> {
    Json(gw.config())
}

async fn set_config(State(gw): State<Arc<Gateway>>, Json(config): Json<SimConfig>) -> StatusCode {
    gw.store().config = config;
    StatusCode::NO_CONTENT
}

async fn set_limits(
    State(gw): State<Arc<Gateway>>,
    Path(api_key): Path<String>,
    Json(limits): Json<DealerLimits>,
) -> StatusCode {
    match gw.data.dealer_by_key(&api_key) {
        Some(dealer) => {
            gw.store().limits.insert(dealer, limits);
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClockStep {
    advance_seconds: i64,
}

async fn advance_clock(State(gw): State<Arc<Gateway>>, Json(step): Json<ClockStep>) -> StatusCode {
    gw.advance_clock(chrono::TimeDelta::seconds(step.advance_seconds));
    StatusCode::NO_CONTENT
}

async fn expire_tokens(State(gw): State<Arc<Gateway>>) -> StatusCode {
    gw.expire_tokens();
    StatusCode::NO_CONTENT
}

async fn transactions(State(gw): State<Arc<Gateway>>) -> Response {
    Json(gw.transactions()).into_response()
}
