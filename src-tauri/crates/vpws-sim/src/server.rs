//! Starting the gateway: in-process on a free loopback port (the app's Demo profile, tests) or
//! on a fixed one (the binary).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::data::DemoData;
use crate::endpoint::Endpoint;
use crate::fault::Fault;
use crate::inject;
use crate::openapi::CHECKED_IN as OPENAPI_DOCUMENT;
use crate::reply::Failure;
use crate::routes::{acs, admin, auth, options, payment, reversal, transaction};
use crate::state::{DealerLimits, Gateway, TransactionSummary};

fn router(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .route("/auth/api/token/connect", post(auth::connect))
        .route("/vpws/paymentOptions", get(options::list))
        .route("/vpws/paymentOptions/{bin}", get(options::by_bin))
        .route("/vpws/payment", post(payment::pay))
        .route("/vpws/transaction", get(transaction::query))
        .route("/vpws/payment/cancel", post(reversal::cancel))
        .route("/vpws/payment/refund", post(reversal::refund))
        .route("/acs/{id}", get(acs::show).post(acs::submit))
        .route("/openapi.json", get(openapi_document))
        .nest("/__admin", admin::router())
        .fallback(|| async {
            let mut failure = Failure::new("P016", "No such endpoint");
            failure.http = 404;
            failure.into_response()
        })
        .layer(axum::middleware::from_fn_with_state(
            gateway.clone(),
            inject::middleware,
        ))
        .with_state(gateway)
}

async fn openapi_document() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI_DOCUMENT,
    )
}

/// A running demo gateway. Stops when dropped or on [`DemoGateway::shutdown`].
pub struct DemoGateway {
    gateway: Arc<Gateway>,
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl DemoGateway {
    /// Starts on a free port of 127.0.0.1 with the standard demo data.
    pub async fn start(config: SimConfig) -> std::io::Result<Self> {
        Self::start_on(0, config, DemoData::standard()).await
    }

    /// Starts on `port` of 127.0.0.1 (0 = any free port).
    pub async fn start_on(port: u16, config: SimConfig, data: DemoData) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let gateway = Arc::new(Gateway::new(data, config, format!("http://{address}")));
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(gateway.clone());
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!("demo gateway stopped: {e}");
            }
        });
        tracing::info!(%address, "demo gateway listening");
        Ok(Self {
            gateway,
            address,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn data(&self) -> &DemoData {
        &self.gateway.data
    }

    pub fn add_fault(&self, fault: Fault) {
        self.gateway.store().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.gateway.store().faults.clear();
    }

    /// How many requests reached `endpoint` (including rejected ones).
    pub fn request_count(&self, endpoint: Endpoint) -> u64 {
        self.gateway
            .store()
            .requests
            .get(&endpoint)
            .copied()
            .unwrap_or(0)
    }

    pub fn request_counts(&self) -> BTreeMap<Endpoint, u64> {
        self.gateway.store().requests.clone()
    }

    pub fn config(&self) -> SimConfig {
        self.gateway.config()
    }

    pub fn set_config(&self, config: SimConfig) {
        self.gateway.store().config = config;
    }

    /// Portal settings for one dealer: request limits and disabled endpoints.
    pub fn set_limits(&self, api_key: &str, limits: DealerLimits) -> bool {
        match self.gateway.data.dealer_by_key(api_key) {
            Some(dealer) => {
                self.gateway.store().limits.insert(dealer, limits);
                true
            }
            None => false,
        }
    }

    pub fn transactions(&self) -> Vec<TransactionSummary> {
        self.gateway.transactions()
    }

    pub fn advance_clock(&self, by: chrono::TimeDelta) {
        self.gateway.advance_clock(by);
    }

    pub fn expire_tokens(&self) {
        self.gateway.expire_tokens();
    }

    /// Stops accepting connections and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DemoGateway {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
