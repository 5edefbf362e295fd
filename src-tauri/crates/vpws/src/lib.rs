//! Typed client for Finrota's Dealer Payment Web Service (VPWS).
//!
//! * [`Client`] — one per profile: base URL, credentials, a pooled HTTP client and a shared
//!   token cache (fetched on first use, renewed shortly before expiry or after a 401).
//! * [`model`] — requests and responses; money is exact [`rust_decimal::Decimal`].
//! * [`Error`] — one error type with a stable [`Error::code`] the UI can translate.
//! * [`validate`] — the checks a caller runs before sending (Luhn, expiry, amount…).
//!
//! Knows nothing of Tauri, keychains or storage, and never logs card data or secrets.

mod auth;
mod client;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod mask;
pub mod model;
mod response;
pub mod time;
pub mod validate;

pub use auth::Credentials;
pub use client::{Client, ClientConfig, TokenInfo, MAX_BODY_BYTES};
pub use error::{Error, Field, GatewayFailure, Reason, Result};
pub use model::*;
pub use time::VpwsDateTime;
