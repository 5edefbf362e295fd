use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, RequestBuilder};
use rust_decimal::Decimal;
use serde::Serialize;
use url::Url;

use crate::auth::{CachedToken, Credentials, TokenAnswer, TokenCache, TokenRequest};
use crate::error::{Error, Field, Reason, Result};
use crate::model::{
    BinOptions, CancelRequest, OperationResult, PaymentRequest, PaymentResult, PosOption,
    RefundRequest, Transaction, TransactionKey,
};
use crate::response::{self, RawResponse};
use crate::validate;

/// Where and how to reach one VPWS gateway.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: Url,
    pub connect_timeout: Duration,
    /// Whole-request limit. A payment that exceeds it has an unknown outcome (see
    /// [`Error::outcome_uncertain`]).
    pub request_timeout: Duration,
    /// Renew the token this long before its expiry.
    pub token_refresh_margin: Duration,
}

impl ClientConfig {
    pub fn new(base_url: &str) -> Result<Self> {
        let mut url = Url::parse(base_url.trim()).map_err(|_| Error::InvalidInput {
            field: Field::BaseUrl,
            reason: Reason::Invalid,
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(Error::InvalidInput {
                field: Field::BaseUrl,
                reason: Reason::Invalid,
            });
        }
        // Card data and the secret key travel in these requests: TLS always, except to this
        // computer (the built-in demo gateway, tests).
        if url.scheme() == "http" && !is_loopback(&url) {
            return Err(Error::InvalidInput {
                field: Field::BaseUrl,
                reason: Reason::HttpsRequired,
            });
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Self {
            base_url: url,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(40),
            token_refresh_margin: Duration::from_secs(60),
        })
    }
}

/// What a caller may know about the current token (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    pub expires_at: DateTime<Utc>,
}

/// A VPWS client for one dealer on one gateway. Cheap to share behind an `Arc`; all calls may
/// run concurrently and share one connection pool and one token.
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
    credentials: Credentials,
    tokens: TokenCache,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url.as_str())
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<Self> {
        let http = reqwest::Client::builder()
            // A redirect would re-send a payment (card data) or the secret key elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("DealerDesk-vpws/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Connect(e.to_string()))?;
        Ok(Self {
            http,
            config,
            credentials,
            tokens: TokenCache::default(),
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.config.base_url
    }

    pub fn api_key(&self) -> &str {
        &self.credentials.api_key
    }

    /// Fetches a fresh token now (e.g. "test connection"); later calls reuse it.
    pub async fn authenticate(&self) -> Result<TokenInfo> {
        self.tokens.clear().await;
        self.tokens.get(None, || self.fetch_token()).await?;
        let expires_at = self.tokens.expiry().await.unwrap_or_else(Utc::now);
        Ok(TokenInfo { expires_at })
    }

    /// `GET /vpws/paymentOptions?currency=` — the dealer's POS terminals and installments.
    pub async fn payment_options(&self, currency: &str) -> Result<Vec<PosOption>> {
        validate::currency(currency)?;
        let raw = self
            .send(Method::GET, "vpws/paymentOptions", |r| {
                r.query(&[("currency", currency)])
            })
            .await?;
        response::bare_or_enveloped(&raw)
    }

    /// `GET /vpws/paymentOptions/{bin}?currency=&amount=` — POS eligible for a card BIN.
    pub async fn payment_options_by_bin(
        &self,
        bin: &str,
        currency: &str,
        amount: Option<Decimal>,
    ) -> Result<BinOptions> {
        validate::bin(bin)?;
        validate::currency(currency)?;
        let path = format!("vpws/paymentOptions/{bin}");
        let raw = self
            .send(Method::GET, &path, |r| {
                let r = r.query(&[("currency", currency)]);
                match amount {
                    Some(a) => r.query(&[("amount", a.to_string())]),
                    None => r,
                }
            })
            .await?;
        response::array_or_object(&raw, |poses| BinOptions {
            poses,
            ..BinOptions::default()
        })
    }

    /// `POST /vpws/payment`. Validates locally first. On an error for which
    /// [`Error::outcome_uncertain`] is true the caller must query by the order reference before
    /// anything else: the charge may have gone through.
    pub async fn pay(&self, request: &PaymentRequest) -> Result<PaymentResult> {
        validate_payment(request)?;
        let raw = self
            .send(Method::POST, "vpws/payment", |r| r.json(request))
            .await?;
        response::payment(&raw)
    }

    /// `GET /vpws/transaction` by one key.
    pub async fn transaction(&self, key: &TransactionKey) -> Result<Transaction> {
        let (name, value) = key.query_pair();
        validate::required(key.field(), value)?;
        let raw = self
            .send(Method::GET, "vpws/transaction", |r| {
                r.query(&[(name, value)])
            })
            .await?;
        response::bare_or_enveloped(&raw)
    }

    /// `POST /vpws/payment/cancel`.
    pub async fn cancel(&self, request: &CancelRequest) -> Result<OperationResult> {
        validate::required(request.key.field(), request.key.value())?;
        let raw = self
            .send(Method::POST, "vpws/payment/cancel", |r| r.json(request))
            .await?;
        response::operation(&raw, "P013")
    }

    /// `POST /vpws/payment/refund` — everything left when `amount` is `None`.
    pub async fn refund(&self, request: &RefundRequest) -> Result<OperationResult> {
        validate::required(request.key.field(), request.key.value())?;
        if let Some(amount) = request.amount {
            validate::amount(amount)?;
        }
        let raw = self
            .send(Method::POST, "vpws/payment/refund", |r| r.json(request))
            .await?;
        response::operation(&raw, "P014")
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.config
            .base_url
            .join(path)
            .map_err(|_| Error::InvalidInput {
                field: Field::Path,
                reason: Reason::Invalid,
            })
    }

    async fn fetch_token(&self) -> Result<CachedToken> {
        let body = TokenRequest {
            api_key: &self.credentials.api_key,
            secret_key: &self.credentials.secret_key,
        };
        let raw = self
            .execute(
                self.http
                    .post(self.url("auth/api/token/connect")?)
                    .json(&body),
            )
            .await?;
        if !(200..300).contains(&raw.status) {
            return Err(match response::error_from(&raw) {
                Error::Unauthorized { message }
                | Error::Forbidden { message }
                | Error::Validation { message, .. } => Error::CredentialsRejected { message },
                other => other,
            });
        }
        let answer: TokenAnswer =
            serde_json::from_slice(&raw.body).map_err(|e| Error::UnexpectedResponse {
                status: raw.status,
                detail: format!("token answer: {e}"),
            })?;
        if let Some(kind) = answer.token_type.as_deref() {
            if !kind.eq_ignore_ascii_case("bearer") {
                tracing::warn!(kind, "token type is not Bearer; using it as a bearer token");
            }
        }
        let now = Utc::now();
        // No expiry in the answer: assume the documented 24 hours.
        let expires_at = answer
            .expiry
            .map(|e| e.utc())
            .unwrap_or(now + chrono::TimeDelta::hours(24));
        tracing::debug!(api_key = %self.credentials.api_key, %expires_at, "access token issued");
        Ok(CachedToken::new(
            answer.token,
            expires_at,
            now,
            self.config.token_refresh_margin,
        ))
    }

    /// Sends an authorised request; on 401 renews the token once and sends once more (a 401
    /// means the gateway did nothing, so resending is safe even for a payment).
    async fn send(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<RawResponse> {
        let url = self.url(path)?;
        let mut rejected: Option<String> = None;
        loop {
            let token = self
                .tokens
                .get(rejected.as_deref(), || self.fetch_token())
                .await?;
            let request = build(self.http.request(method.clone(), url.clone())).bearer_auth(&token);
            let raw = self.execute(request).await?;
            if raw.status == 401 && rejected.is_none() {
                tracing::debug!(path, "401 from gateway; renewing the access token");
                rejected = Some(token);
                continue;
            }
            return Ok(raw);
        }
    }

    async fn execute(&self, request: RequestBuilder) -> Result<RawResponse> {
        let mut response = request.send().await.map_err(Error::from_reqwest)?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(Error::UnexpectedResponse {
                    status,
                    detail: format!("answer larger than {MAX_BODY_BYTES} bytes"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            retry_after,
            body,
        })
    }
}

/// No VPWS answer comes near this; a bigger one is not read into memory.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn validate_payment(request: &PaymentRequest) -> Result<()> {
    use secrecy::ExposeSecret;
    validate::amount(request.amount)?;
    validate::installment(request.installment)?;
    validate::required(Field::TenantPosId, &request.tenant_pos_id)?;
    validate::currency(&request.currency_code)?;
    if request.use_3d {
        let url = request.return_url.as_deref().unwrap_or_default();
        validate::required(Field::ReturnUrl, url)?;
    }
    let contact = &request.contact;
    validate::required(Field::Name, &contact.name)?;
    validate::required(Field::Surname, &contact.surname)?;
    validate::email(&contact.email)?;
    if let Some(tckn) = contact.tckn.as_deref().filter(|t| !t.is_empty()) {
        validate::tckn(tckn)?;
    }
    let card = &request.card;
    let digits = validate::card_number(card.card_number.expose_secret())?;
    if digits != card.card_number.expose_secret() {
        return Err(Error::InvalidInput {
            field: Field::CardNumber,
            reason: Reason::Invalid,
        });
    }
    validate::required(Field::CardHolderName, &card.card_holder_name)?;
    if let Some(cvv) = &card.cvv {
        validate::cvv(cvv.expose_secret())?;
    }
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    validate::expiry(card.exp_month, card.exp_year, today)
}
