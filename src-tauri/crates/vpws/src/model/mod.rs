//! VPWS request and response types. Parsing is tolerant: unknown fields are ignored, optional
//! ones default, and documented alternative names are accepted.

mod envelope;
mod options;
pub(crate) mod payment;
mod reversal;
mod status;
mod transaction;

pub use envelope::{ApiError, Envelope};
pub use options::{BinOptions, CommRate, Logo, PosOption};
pub use payment::{Card, Contact, PaymentRequest, PaymentResult};
pub use reversal::{CancelRequest, OperationResult, RefundRequest, ReversalKey};
pub use status::TransactionStatus;
pub use transaction::{Transaction, TransactionKey};
