use serde::{Deserialize, Serialize};

/// The gateway's endpoints, as named in fault injection, request counts and dealer switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Endpoint {
    Token,
    PaymentOptions,
    PaymentOptionsByBin,
    Payment,
    Transaction,
    Cancel,
    Refund,
    /// The 3D Secure (ACS) page.
    Acs,
}

impl Endpoint {
    pub const ALL: [Endpoint; 8] = [
        Endpoint::Token,
        Endpoint::PaymentOptions,
        Endpoint::PaymentOptionsByBin,
        Endpoint::Payment,
        Endpoint::Transaction,
        Endpoint::Cancel,
        Endpoint::Refund,
        Endpoint::Acs,
    ];

    pub fn classify(method: &str, path: &str) -> Option<Self> {
        let path = path.trim_end_matches('/');
        Some(match (method, path) {
            ("POST", "/auth/api/token/connect") => Endpoint::Token,
            ("GET", "/vpws/paymentOptions") => Endpoint::PaymentOptions,
            ("GET", p) if p.starts_with("/vpws/paymentOptions/") => Endpoint::PaymentOptionsByBin,
            ("POST", "/vpws/payment") => Endpoint::Payment,
            ("GET", "/vpws/transaction") => Endpoint::Transaction,
            ("POST", "/vpws/payment/cancel") => Endpoint::Cancel,
            ("POST", "/vpws/payment/refund") => Endpoint::Refund,
            ("GET" | "POST", p) if p.starts_with("/acs/") => Endpoint::Acs,
            _ => return None,
        })
    }

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Token => "/auth/api/token/connect",
            Endpoint::PaymentOptions => "/vpws/paymentOptions",
            Endpoint::PaymentOptionsByBin => "/vpws/paymentOptions/{binNumber}",
            Endpoint::Payment => "/vpws/payment",
            Endpoint::Transaction => "/vpws/transaction",
            Endpoint::Cancel => "/vpws/payment/cancel",
            Endpoint::Refund => "/vpws/payment/refund",
            Endpoint::Acs => "/acs/{transactionId}",
        }
    }
}
