use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use super::TransactionStatus;
use crate::mask;

/// `POST /vpws/payment` body.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    #[serde(with = "json_decimal::number")]
    pub amount: Decimal,
    pub installment: u32,
    pub tenant_pos_id: String,
    pub currency_code: String,
    #[serde(rename = "use3D")]
    pub use_3d: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_order_reference_code: Option<String>,
    pub contact: Contact,
    pub card: Card,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub name: String,
    pub surname: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tckn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Card data: held only for the one request, zeroised on drop, redacted in `Debug`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    #[serde(serialize_with = "expose")]
    pub card_number: SecretString,
    pub card_holder_name: String,
    /// `None` only for a card whose BIN answer says its CVV is not used (`isCvvUse: false`).
    #[serde(
        serialize_with = "expose_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub cvv: Option<SecretString>,
    pub exp_month: u32,
    pub exp_year: u32,
}

fn expose<S: Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

fn expose_some<S: Serializer>(secret: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => expose(secret, s),
        None => s.serialize_none(),
    }
}

impl Card {
    /// `415565******6111` — the most of a card number that may be shown or stored.
    pub fn masked_number(&self) -> String {
        mask::card_number(self.card_number.expose_secret())
    }

    pub fn bin(&self) -> String {
        self.card_number.expose_secret().chars().take(6).collect()
    }
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("card_number", &self.masked_number())
            .field("card_holder_name", &self.card_holder_name)
            .field("cvv", &"***")
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .finish()
    }
}

/// What `POST /vpws/payment` answered, normalised from whichever shape the gateway used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResult {
    /// 1 = charged (non-3D), 3 = waiting for the 3D step.
    pub status: TransactionStatus,
    pub reference_code: Option<String>,
    pub transaction_id: Option<String>,
    pub client_reference: Option<String>,
    /// Where the cardholder completes 3D Secure; `None` for a completed non-3D payment.
    pub redirect_url: Option<String>,
    pub message: Option<String>,
}

impl PaymentResult {
    pub fn needs_3d(&self) -> bool {
        self.redirect_url.is_some()
    }
}

/// `data` of the enveloped payment answer (field names partly [A], aliases cover the variants).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PaymentData {
    #[serde(default)]
    pub is_success: Option<bool>,
    #[serde(default)]
    pub transaction_status_id: Option<TransactionStatus>,
    #[serde(default, alias = "referenceCode")]
    pub reference_number: Option<String>,
    #[serde(default, alias = "id", alias = "orderId")]
    pub transaction_id: Option<String>,
    #[serde(
        default,
        alias = "clientOrderReferenceCode",
        alias = "clientReferenceCode"
    )]
    pub client_reference_number: Option<String>,
    #[serde(default, alias = "redirectTo", alias = "threeDRedirectUrl")]
    pub redirect_url: Option<String>,
}

/// The B2C-like bare answer (seed 001): `{paymentType, redirectTo, orderId, …, success, error}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DirectPaymentAnswer {
    #[serde(default)]
    pub payment_type: Option<String>,
    #[serde(default)]
    pub redirect_to: Option<String>,
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default, alias = "referenceCode", alias = "referenceNumber")]
    pub reference_code: Option<String>,
    #[serde(default)]
    pub client_reference_code: Option<String>,
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn documented_request() -> PaymentRequest {
        PaymentRequest {
            amount: dec!(1500.50),
            installment: 3,
            tenant_pos_id: "384badef-11ec-ee11-98f2-005056b0d2e5".into(),
            currency_code: "TRY".into(),
            use_3d: false,
            return_url: None,
            client_order_reference_code: Some("ORDER123".into()),
            contact: Contact {
                name: "test".into(),
                surname: "surname".into(),
                email: "test@example.com".into(),
                tckn: Some("23671373136".into()),
                description: Some("est".into()),
                phone: Some("5002583519".into()),
            },
            card: Card {
                card_number: SecretString::from("4155650100416111"),
                card_holder_name: "Test Test".into(),
                cvv: Some(SecretString::from("000")),
                exp_month: 12,
                exp_year: 2030,
            },
        }
    }

    #[test]
    fn request_serialises_with_documented_names_and_exact_amount() {
        let json = serde_json::to_string(&documented_request()).unwrap();
        assert!(json.contains(r#""amount":1500.50"#), "{json}");
        for key in [
            r#""use3D":false"#,
            r#""tenantPosId":"384badef"#,
            r#""currencyCode":"TRY""#,
            r#""clientOrderReferenceCode":"ORDER123""#,
            r#""cardNumber":"4155650100416111""#,
            r#""cvv":"000""#,
            r#""expMonth":12"#,
            r#""expYear":2030"#,
            r#""tckn":"23671373136""#,
        ] {
            assert!(json.contains(key), "{key} missing in {json}");
        }
        assert!(!json.contains("returnUrl"), "absent returnUrl is not sent");
    }

    #[test]
    fn debug_never_shows_the_card_number_or_cvv() {
        let text = format!("{:?}", documented_request());
        assert!(!text.contains("4155650100416111"), "{text}");
        assert!(!text.contains("\"000\""), "{text}");
        assert!(text.contains("415565******6111"));
    }
}
