//! Applies the faults set in the store to the requests that match them (axum middleware).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::endpoint::Endpoint;
use crate::failure::Failure;
use crate::fault::{Fault, FaultKind};
use crate::state::Gateway;

impl Gateway {
    /// Counts the request and takes the first fault set for its endpoint.
    fn take_fault(&self, endpoint: Endpoint) -> Option<Fault> {
        let mut store = self.store();
        *store.requests.entry(endpoint).or_default() += 1;
        let index = store.faults.iter().position(|f| f.endpoint == endpoint)?;
        if store.faults[index].skip > 0 {
            store.faults[index].skip -= 1;
            return None;
        }
        let fault = store.faults[index].clone();
        if let Some(times) = &mut store.faults[index].times {
            *times = times.saturating_sub(1);
            if *times == 0 {
                store.faults.remove(index);
            }
        }
        Some(fault)
    }
}

fn failure_response(kind: &FaultKind) -> Response {
    match kind {
        FaultKind::Status { status } => {
            let code = match status {
                401 => "P002",
                403 => "P003",
                404 => "P004",
                429 => "P007",
                503 => "P009",
                504 => "P010",
                _ => "P008",
            };
            let mut failure = Failure::default_text(code);
            failure.http = *status;
            if code == "P007" {
                failure.retry_after = Some(1);
            }
            failure.into_response()
        }
        FaultKind::Malformed => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"message":"","statusCode":200,"data":{"isSucc"#,
        )
            .into_response(),
        FaultKind::DropConnection => {
            let broken = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "fault injection: connection dropped",
                ))
            });
            Response::new(Body::from_stream(broken))
        }
        FaultKind::Delay { .. } => unreachable!("delays do not replace the answer"),
    }
}

pub async fn middleware(
    State(gateway): State<Arc<Gateway>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(endpoint) = Endpoint::classify(request.method().as_str(), request.uri().path()) else {
        return next.run(request).await;
    };
    let Some(fault) = gateway.take_fault(endpoint) else {
        return next.run(request).await;
    };
    tracing::info!(?endpoint, ?fault.kind, fault.after_processing, "injecting fault");
    match (&fault.kind, fault.after_processing) {
        (FaultKind::Delay { ms }, false) => {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            next.run(request).await
        }
        (FaultKind::Delay { ms }, true) => {
            let response = next.run(request).await;
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            response
        }
        (kind, false) => failure_response(kind),
        (kind, true) => {
            drop(next.run(request).await);
            failure_response(kind)
        }
    }
}
