//! What crosses IPC, by area. Amounts are decimal strings (`"1234.50"`), dates RFC 3339 strings.
//! The TypeScript twins in `ui/src/lib/generated/` are generated from these (ts-rs).

mod desk;
mod mail;
mod payment;
mod rates;
mod staff;
mod team;
mod transactions;

pub use desk::*;
pub use mail::*;
pub use payment::*;
pub use rates::*;
pub use staff::*;
pub use team::*;
pub use transactions::*;

#[cfg(test)]
mod debug_tests;
