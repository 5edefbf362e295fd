//! Plain-HTTP helpers for the gateway's own tests (no `vpws` client on purpose).
#![allow(dead_code, unused_imports)]

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
pub use vpws_sim::{DemoGateway, Endpoint, Fault, FaultKind, SimConfig};

pub const APPROVE: &str = "4155650100416111";
pub const DECLINE: &str = "5400611000000009";
pub const CHALLENGE: &str = "4355080000000005";
pub const FRICTIONLESS: &str = "4508030000000006";
pub const OTP_FAILS: &str = "4132260000000003";
pub const YKB_WORLD_POS: &str = "384badef-11ec-ee11-98f2-005056b0d2e5";
pub const GARANTI_POS: &str = "9a3e5c10-4b1d-4f6a-8c2e-1d0b7a9f3e21";
pub const USD_POS: &str = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d76";
pub const EGE_POS: &str = "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f98";

pub struct Answer {
    pub status: StatusCode,
    pub text: String,
    pub json: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub fn error_code(&self) -> String {
        self.json["errors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
    /// Asserts that the exact JSON text of a number appears under `key`, e.g. `"lastAmount":235.00`.
    pub fn has_exact(&self, key: &str, literal: &str) -> bool {
        self.text.contains(&format!("\"{key}\":{literal}"))
    }
}

pub struct Sim {
    pub gw: DemoGateway,
    pub http: Client,
}

impl Sim {
    pub async fn start() -> Self {
        Self::with(SimConfig::default()).await
    }

    pub async fn with(config: SimConfig) -> Self {
        let gw = DemoGateway::start(config).await.expect("gateway starts");
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { gw, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.gw.base_url(), path)
    }

    pub async fn read(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            text,
            json,
            headers,
        }
    }

    pub async fn token_for(&self, dealer: usize) -> String {
        let d = &self.gw.data().dealers[dealer];
        let answer = self
            .post_raw(
                "/auth/api/token/connect",
                None,
                json!({"apiKey": d.api_key, "secretKey": d.secret_key}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.json["token"].as_str().unwrap().to_owned()
    }

    pub async fn token(&self) -> String {
        self.token_for(0).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut request = self.http.get(self.url(path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        Self::read(request.send().await.unwrap()).await
    }

    pub async fn post_raw(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        let mut request = self.http.post(self.url(path)).json(&body);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        Self::read(request.send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.post_raw(path, Some(token), body).await
    }

    pub async fn pay(&self, token: &str, body: Value) -> Answer {
        self.post("/vpws/payment", token, body).await
    }

    /// A non-3D payment that succeeds; returns its reference.
    pub async fn paid(&self, token: &str, amount: &str) -> String {
        let answer = self.pay(token, payment(amount, APPROVE)).await;
        assert_eq!(answer.json["data"]["isSuccess"], true, "{}", answer.text);
        answer.json["data"]["referenceNumber"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn query(&self, token: &str, query: &str) -> Answer {
        self.get(&format!("/vpws/transaction?{query}"), Some(token))
            .await
    }

    pub async fn refund(&self, token: &str, reference: &str, amount: Option<&str>) -> Answer {
        let body = match amount {
            Some(a) => {
                format!(r#"{{"referenceCode":"{reference}","amount":{a},"reason":"test refund"}}"#)
            }
            None => format!(r#"{{"referenceCode":"{reference}","reason":"full"}}"#),
        };
        let response = self
            .http
            .post(self.url("/vpws/payment/refund"))
            .bearer_auth(token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        Self::read(response).await
    }

    pub async fn cancel(&self, token: &str, reference: &str) -> Answer {
        self.post(
            "/vpws/payment/cancel",
            token,
            json!({"referenceCode": reference, "reason": "customer changed mind"}),
        )
        .await
    }
}

/// A valid payment body. `amount` is written into the JSON text as is (exact).
pub fn payment(amount: &str, card: &str) -> Value {
    let mut body = json!({
        "amount": 0,
        "installment": 1,
        "tenantPosId": YKB_WORLD_POS,
        "currencyCode": "TRY",
        "use3D": false,
        "contact": {"name": "Ayşe", "surname": "Yılmaz", "email": "ayse@example.com", "phone": "5002583519"},
        "card": {"cardNumber": card, "cardHolderName": "AYSE YILMAZ", "cvv": "000", "expMonth": 12, "expYear": 2030}
    });
    body["amount"] = serde_json::from_str(amount).unwrap();
    body
}

pub fn three_d(amount: &str, card: &str) -> Value {
    let mut body = payment(amount, card);
    body["use3D"] = json!(true);
    body["returnUrl"] = json!("https://dealer.example/return");
    body
}
