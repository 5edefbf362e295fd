pub mod acs;
pub mod admin;
pub mod auth;
pub mod options;
pub mod payment;
pub mod reversal;
pub mod transaction;

use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use crate::reply::Failure;

/// Parses a JSON request body. Errors name the field, never echo values (card data!).
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Failure> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return Err(Failure::new(
            "P001",
            "Content-Type must be application/json",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        let message = if text.starts_with("missing field") {
            text.split(" at line").next().unwrap_or(&text).to_owned()
        } else {
            format!(
                "malformed or mistyped JSON near line {} column {}",
                e.line(),
                e.column()
            )
        };
        Failure::new("P001", message)
    })
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// `2025-10-24T17:23:51.5461093`: Istanbul local time, seven fraction digits, no offset.
pub fn vpws_local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Istanbul);
    format!(
        "{}.{:07}",
        local.format("%Y-%m-%dT%H:%M:%S"),
        local.timestamp_subsec_nanos() / 100
    )
}

/// `2025-09-18T09:07:17.6884225Z`.
pub fn vpws_utc_time(at: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{}.{:07}Z",
        at.format("%Y-%m-%dT%H:%M:%S"),
        at.timestamp_subsec_nanos() / 100
    )
}

/// A required string field: present and not blank.
pub fn required<'a>(field: &str, value: &'a Option<String>) -> Result<&'a str, Failure> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Failure::new("P001", format!("`{field}` is required")))
}
