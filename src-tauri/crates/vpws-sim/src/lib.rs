//! The Dealer Desk demo gateway: an in-memory implementation of Finrota's VPWS API with a
//! 3D Secure (ACS) page, enforcing the rules in its `RULES.md`. Independent of the `vpws`
//! client on purpose, so each checks the other.
//!
//! Start it with [`DemoGateway::start`]; read its dealers, POS, BINs and test cards from
//! [`DemoData::standard`].

mod bins;
mod card;
pub mod config;
pub mod data;
mod endpoint;
mod failure;
mod fault;
mod inject;
mod openapi;
mod reply;
mod routes;
mod server;
mod state;
mod tokens;

pub use config::SimConfig;
pub use data::DemoData;
pub use endpoint::Endpoint;
pub use fault::{Fault, FaultKind};
pub use openapi::{generated as generated_openapi, CHECKED_IN as OPENAPI_DOCUMENT};
pub use server::DemoGateway;
pub use state::{DealerLimits, Reversal, ReversalKind, TransactionSummary};
