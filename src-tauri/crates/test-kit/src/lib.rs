//! The test kit every test crate shares: the demo gateway's test cards and POS, a gateway on
//! loopback with VPWS clients for its dealers, and the cardholder on the bank's 3D page.

pub mod proxy;

use rust_decimal::Decimal;
use vpws::{Card, Client, ClientConfig, Contact, Credentials, PaymentRequest};
use vpws_sim::{DemoGateway, SimConfig};

/// Approved without 3D (or with a frictionless 3D step).
pub const APPROVE: &str = "4155650100416111";
pub const DECLINE: &str = "5400611000000009";
/// Asks the cardholder for a one-time password on the bank's page.
pub const CHALLENGE: &str = "4355080000000005";
pub const FRICTIONLESS: &str = "4508030000000006";
pub const YKB_WORLD_POS: &str = "384badef-11ec-ee11-98f2-005056b0d2e5";
pub const RETURN_URL: &str = "https://dealer.example/3d-return";
pub const RIGHT_OTP: &str = "123456";
pub const WRONG_OTP: &str = "000000";

/// What the cardholder does on the bank's 3D page.
#[derive(Clone, Copy, Debug)]
pub enum Cardholder {
    /// Types this one-time password and submits.
    Types(&'static str),
    /// Nothing to type: the page submits itself.
    Frictionless,
}

/// Plays the cardholder on the demo bank's page at `redirect`: shows it, submits it, and returns
/// the page the bank answers with (which posts back to the return URL).
pub async fn play_3d_page(redirect: &str, cardholder: Cardholder) -> Result<String, String> {
    let form: Vec<(&str, &str)> = match cardholder {
        Cardholder::Types(otp) => vec![("otp", otp), ("action", "submit")],
        Cardholder::Frictionless => vec![("frictionless", "1")],
    };
    let http = reqwest::Client::new();
    let page = http
        .get(redirect)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    if !page.contains("<form") {
        return Err(format!("no form on the bank's page: {page}"));
    }
    http.post(redirect)
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())
}

pub async fn gateway() -> DemoGateway {
    gateway_with(SimConfig::default()).await
}

pub async fn gateway_with(config: SimConfig) -> DemoGateway {
    DemoGateway::start(config)
        .await
        .expect("demo gateway starts")
}

pub fn config_for(gw: &DemoGateway) -> ClientConfig {
    ClientConfig::new(&gw.base_url()).expect("loopback URL is valid")
}

/// A client for demo dealer `dealer` (0 or 1).
pub fn client_for(gw: &DemoGateway, dealer: usize) -> Client {
    client_with(gw, dealer, config_for(gw))
}

pub fn client_with(gw: &DemoGateway, dealer: usize, config: ClientConfig) -> Client {
    let d = &gw.data().dealers[dealer];
    Client::new(config, Credentials::new(&d.api_key, &d.secret_key)).expect("client builds")
}

/// A non-3D single payment on Yapı Kredi World.
pub fn payment(
    amount: Decimal,
    card_number: &str,
    order_reference: Option<&str>,
) -> PaymentRequest {
    PaymentRequest {
        amount,
        installment: 1,
        tenant_pos_id: YKB_WORLD_POS.into(),
        currency_code: "TRY".into(),
        use_3d: false,
        return_url: None,
        client_order_reference_code: order_reference.map(Into::into),
        contact: Contact {
            name: "Ayşe".into(),
            surname: "Yılmaz".into(),
            email: "ayse@example.com".into(),
            tckn: None,
            description: Some("Telefon siparişi".into()),
            phone: Some("5002583519".into()),
        },
        card: Card {
            card_number: card_number.to_owned().into(),
            card_holder_name: "AYSE YILMAZ".into(),
            cvv: Some("000".to_owned().into()),
            exp_month: 12,
            exp_year: 2030,
        },
    }
}

pub fn payment_3d(amount: Decimal, card_number: &str, order_reference: &str) -> PaymentRequest {
    PaymentRequest {
        use_3d: true,
        return_url: Some(RETURN_URL.into()),
        ..payment(amount, card_number, Some(order_reference))
    }
}
