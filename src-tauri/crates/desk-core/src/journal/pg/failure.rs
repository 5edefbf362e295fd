//! How the team database's errors reach the operator: unreachable, refused, missing, or other,
//! each a stable code; a certificate the desk did not expect is named as such.

use crate::error::{AppError, ErrorCode};
use crate::journal::JournalResult;
use crate::model::{Money, UnknownWord};

/// An error of the database, as the operator is told: unreachable, refused, missing, or other.
pub(in crate::journal) fn pg_error(e: impl Into<PgFailure>) -> AppError {
    let failure = e.into();
    let code = match failure.sql_state.as_deref() {
        // invalid_password, invalid_authorization_specification
        Some("28P01" | "28000") => ErrorCode::JournalAuth,
        // invalid_catalog_name: no such database
        Some("3D000") => ErrorCode::JournalMissing,
        // too_many_connections: the server's, or the desks' account's, limit is reached.
        Some(TOO_MANY_CONNECTIONS) => ErrorCode::JournalFull,
        Some(CERTIFICATE) => ErrorCode::JournalCertificate,
        // The authority's functions: no valid session, a role not permitted.
        Some("DD401") => ErrorCode::SignInRequired,
        Some("DD403" | "42501") => ErrorCode::NotPermitted,
        Some("DD409") => ErrorCode::SupervisorRequired,
        Some(state) if state.starts_with("DD") => ErrorCode::InvalidInput,
        Some(_) => ErrorCode::JournalIo,
        None if failure.closed => ErrorCode::JournalUnreachable,
        None => ErrorCode::JournalIo,
    };
    AppError::new(code, failure.message)
}

/// A word read back from a row: an unknown one is a journal written by a newer app or damaged.
pub(super) fn word<T>(parsed: Result<T, UnknownWord>) -> JournalResult<T> {
    parsed.map_err(|e| AppError::new(ErrorCode::JournalDamaged, e.to_string()))
}

/// An amount read back from a row, as strictly as a word.
pub(super) fn money(text: Option<String>) -> JournalResult<Option<Money>> {
    text.as_deref().map(|t| word(Money::parse(t))).transpose()
}

const TOO_MANY_CONNECTIONS: &str = "53300";

/// Not an SQLSTATE: marks a certificate TLS refused.
const CERTIFICATE: &str = "dd-certificate";

impl PgFailure {
    /// The server has no connection to spare (for anyone, or for the desks' account).
    pub(super) fn server_full(&self) -> bool {
        self.sql_state.as_deref() == Some(TOO_MANY_CONNECTIONS)
    }

    pub(super) fn message(&self) -> &str {
        &self.message
    }
}

pub(in crate::journal) struct PgFailure {
    sql_state: Option<String>,
    /// No answer from the server at all (refused, timed out, connection lost).
    closed: bool,
    message: String,
}

/// Whether TLS refused the server's certificate somewhere in `e`'s causes.
fn certificate_refused(e: &tokio_postgres::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cause {
        let tls = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .or_else(|| err.downcast_ref::<rustls::Error>());
        if matches!(tls, Some(rustls::Error::InvalidCertificate(_))) {
            return true;
        }
        cause = err.source();
    }
    false
}

impl From<tokio_postgres::Error> for PgFailure {
    fn from(e: tokio_postgres::Error) -> Self {
        if certificate_refused(&e) {
            return PgFailure {
                sql_state: Some(CERTIFICATE.into()),
                closed: true,
                message: e.to_string(),
            };
        }
        let sql_state = e.as_db_error().map(|d| d.code().code().to_owned());
        let closed = sql_state.is_none();
        let message = match e.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => e.to_string(),
        };
        PgFailure {
            sql_state,
            closed,
            message,
        }
    }
}

impl From<deadpool_postgres::PoolError> for PgFailure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(inner) => inner.into(),
            other => PgFailure {
                sql_state: None,
                closed: true,
                message: other.to_string(),
            },
        }
    }
}
