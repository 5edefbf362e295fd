//! The gateway client's errors in the app's words: each becomes a stable code (and, for bad
//! input, the field and reason) the window translates.

use super::{AppError, ErrorCode, Field, Reason};

/// Every field the client refuses is one of the app's form fields: a new client field fails to
/// compile here until it is mapped.
impl From<vpws::Field> for Field {
    fn from(field: vpws::Field) -> Self {
        use vpws::Field as Client;
        match field {
            Client::BaseUrl | Client::Path => Field::BaseUrl,
            Client::ReferenceCode => Field::ReferenceCode,
            Client::TransactionId | Client::ClientReferenceNumber => Field::Lookup,
            Client::ClientReferenceCode => Field::OrderReference,
            Client::TenantPosId => Field::Pos,
            Client::ReturnUrl => Field::ReturnUrl,
            Client::Name => Field::Name,
            Client::Surname => Field::Surname,
            Client::Email => Field::Email,
            Client::Tckn => Field::Tckn,
            Client::CardNumber | Client::BinNumber => Field::CardNumber,
            Client::CardHolderName => Field::CardHolder,
            Client::Cvv => Field::Cvv,
            Client::ExpMonth | Client::ExpYear => Field::Expiry,
            Client::Amount => Field::Amount,
            Client::Currency => Field::Currency,
            Client::Installment => Field::Installment,
        }
    }
}

/// Every reason the client refuses an input for is one the app (and so the UI) knows: a new
/// client reason fails to compile here until it is mapped.
impl From<vpws::Reason> for Reason {
    fn from(reason: vpws::Reason) -> Self {
        match reason {
            vpws::Reason::Required => Reason::Required,
            vpws::Reason::Invalid => Reason::Invalid,
            vpws::Reason::Luhn => Reason::Luhn,
            vpws::Reason::Expired => Reason::Expired,
            vpws::Reason::MustBePositive => Reason::MustBePositive,
            vpws::Reason::TooManyDecimals => Reason::TooManyDecimals,
            vpws::Reason::HttpsRequired => Reason::HttpsRequired,
        }
    }
}

impl From<vpws::Error> for AppError {
    fn from(e: vpws::Error) -> Self {
        let mut error = AppError::new(code_of(&e), e.to_string());
        match &e {
            vpws::Error::InvalidInput { field, reason } => {
                let (field, reason) = (Field::from(*field), Reason::from(*reason));
                error = error
                    .with("field", field.as_str())
                    .with("reason", reason.as_str());
            }
            vpws::Error::RateLimited {
                retry_after: Some(wait),
            } => {
                error = error.with("retryAfterSeconds", wait.as_secs().to_string());
            }
            vpws::Error::Gateway(g) => {
                if let Some(reference) = &g.reference_code {
                    error = error.with("referenceCode", reference.clone());
                }
            }
            _ => {}
        }
        if let Some(code) = e.gateway_code() {
            error = error.with("gatewayCode", code);
        }
        if e.outcome_uncertain() {
            error = error.with("outcomeUncertain", "true");
        }
        error
    }
}

fn code_of(e: &vpws::Error) -> ErrorCode {
    use vpws::Error;
    match e {
        Error::InvalidInput { .. } => ErrorCode::InvalidInput,
        Error::Connect(_) => ErrorCode::Connect,
        Error::Transport(_) => ErrorCode::Transport,
        Error::Timeout => ErrorCode::Timeout,
        Error::CredentialsRejected { .. } => ErrorCode::CredentialsRejected,
        Error::Unauthorized { .. } => ErrorCode::Unauthorized,
        Error::Forbidden { .. } => ErrorCode::Forbidden,
        Error::NotFound { .. } => ErrorCode::NotFound,
        Error::Validation { .. } => ErrorCode::Validation,
        Error::Conflict { .. } => ErrorCode::Conflict,
        Error::RateLimited { .. } => ErrorCode::RateLimited,
        Error::Gateway(_) => ErrorCode::Gateway,
        Error::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
    }
}
