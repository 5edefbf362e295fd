use std::time::Duration;

use crate::model::TransactionStatus;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an input was refused before sending: a stable key a UI can translate (the same keys the
/// app's form checks use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Required,
    /// Not in the expected form (length, characters, range, check digits of an id).
    Invalid,
    /// A card number whose check digit is wrong.
    Luhn,
    Expired,
    MustBePositive,
    TooManyDecimals,
    /// `http` to anything but this computer.
    HttpsRequired,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Required => "required",
            Reason::Invalid => "invalid",
            Reason::Luhn => "luhn",
            Reason::Expired => "expired",
            Reason::MustBePositive => "must_be_positive",
            Reason::TooManyDecimals => "too_many_decimals",
            Reason::HttpsRequired => "https_required",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The request field an input check refused, named as the API names it ([`Field::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    BaseUrl,
    /// A path joined onto the base URL.
    Path,
    ReferenceCode,
    TransactionId,
    ClientReferenceNumber,
    /// A cancel's or refund's order reference.
    ClientReferenceCode,
    TenantPosId,
    ReturnUrl,
    Name,
    Surname,
    Email,
    Tckn,
    CardNumber,
    CardHolderName,
    Cvv,
    ExpMonth,
    ExpYear,
    BinNumber,
    Amount,
    Currency,
    Installment,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::BaseUrl => "baseUrl",
            Field::Path => "path",
            Field::ReferenceCode => "referenceCode",
            Field::TransactionId => "transactionId",
            Field::ClientReferenceNumber => "clientReferenceNumber",
            Field::ClientReferenceCode => "clientReferenceCode",
            Field::TenantPosId => "tenantPosId",
            Field::ReturnUrl => "returnUrl",
            Field::Name => "name",
            Field::Surname => "surname",
            Field::Email => "email",
            Field::Tckn => "tckn",
            Field::CardNumber => "cardNumber",
            Field::CardHolderName => "cardHolderName",
            Field::Cvv => "cvv",
            Field::ExpMonth => "expMonth",
            Field::ExpYear => "expYear",
            Field::BinNumber => "binNumber",
            Field::Amount => "amount",
            Field::Currency => "currencyCode",
            Field::Installment => "installment",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a VPWS call can fail with. [`Error::code`] is stable and is what a UI translates;
/// the `Display` text is for logs and developers. No variant ever carries card data or secrets.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    /// Rejected locally before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: Field, reason: Reason },
    /// The connection could not be opened: the request was certainly not received.
    #[error("could not connect to the gateway: {0}")]
    Connect(String),
    /// The connection failed after the request may have been sent.
    #[error("connection to the gateway failed: {0}")]
    Transport(String),
    #[error("the gateway did not answer in time")]
    Timeout,
    /// The token endpoint refused the apiKey/secretKey pair.
    #[error("the gateway rejected the API key or secret key: {message}")]
    CredentialsRejected { message: String },
    /// A business call stayed unauthorised even after renewing the token (P002).
    #[error("not authorised: {message}")]
    Unauthorized { message: String },
    /// P003: this dealer may not do this (or the endpoint is disabled for it).
    #[error("forbidden: {message}")]
    Forbidden { message: String },
    /// P004: no such transaction for this dealer.
    #[error("not found: {message}")]
    NotFound { message: String },
    /// P001 / P006: the gateway refused a parameter.
    #[error("rejected by the gateway ({gateway_code}): {message}")]
    Validation {
        gateway_code: String,
        message: String,
    },
    /// P005: duplicate or conflicting request.
    #[error("conflict: {message}")]
    Conflict { message: String },
    /// P007 / HTTP 429.
    #[error("too many requests")]
    RateLimited { retry_after: Option<Duration> },
    /// Any other gateway failure, including a 200 with `isSuccess:false`.
    #[error("{0}")]
    Gateway(Box<GatewayFailure>),
    /// The gateway answered with something this client cannot read.
    #[error("unexpected response from the gateway (HTTP {status}): {detail}")]
    UnexpectedResponse { status: u16, detail: String },
}

/// A gateway-side failure with its `P0xx` code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayFailure {
    pub code: String,
    pub message: String,
    pub http_status: u16,
    /// The transaction's status when the gateway reported one (e.g. a declined payment: 2).
    pub transaction_status: Option<TransactionStatus>,
    /// The system reference of the transaction the failure is about, when the gateway gave it.
    pub reference_code: Option<String>,
}

impl std::fmt::Display for GatewayFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "gateway error {}: {}", self.code, self.message)
    }
}

impl Error {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::Connect(_) => "connect",
            Error::Transport(_) => "transport",
            Error::Timeout => "timeout",
            Error::CredentialsRejected { .. } => "credentials_rejected",
            Error::Unauthorized { .. } => "unauthorized",
            Error::Forbidden { .. } => "forbidden",
            Error::NotFound { .. } => "not_found",
            Error::Validation { .. } => "validation",
            Error::Conflict { .. } => "conflict",
            Error::RateLimited { .. } => "rate_limited",
            Error::Gateway(_) => "gateway",
            Error::UnexpectedResponse { .. } => "unexpected_response",
        }
    }

    /// The gateway's `P0xx` code, when it sent one.
    pub fn gateway_code(&self) -> Option<&str> {
        match self {
            Error::Gateway(g) => Some(&g.code),
            Error::Validation { gateway_code, .. } => Some(gateway_code),
            _ => None,
        }
    }

    /// True when a state-changing request may or may not have taken effect: the caller must
    /// query the transaction before doing anything else (and never simply resend a payment).
    pub fn outcome_uncertain(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout | Error::UnexpectedResponse { .. } => true,
            Error::Gateway(g) => matches!(g.code.as_str(), "P008" | "P010") || g.http_status >= 500,
            _ => false,
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Error::Timeout
        } else if e.is_connect() {
            Error::Connect(without_url(&e))
        } else {
            Error::Transport(without_url(&e))
        }
    }
}

/// reqwest's message names the URL, which may carry query values; keep only the cause chain.
fn without_url(e: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&s.to_string());
        source = s.source();
    }
    if text.is_empty() {
        "request failed".into()
    } else {
        text
    }
}
