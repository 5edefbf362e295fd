use serde::{Deserialize, Serialize};

/// `transactionStatusId`. Kept open (a newtype, not an enum): only some values are documented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TransactionStatus(pub i32);

impl TransactionStatus {
    pub const SUCCESS: Self = Self(1);
    pub const FAILED: Self = Self(2);
    /// Waiting for the 3D Secure step.
    pub const PENDING: Self = Self(3);
    /// Partly refunded; more may still be refunded.
    pub const PARTIALLY_REFUNDED: Self = Self(6);

    /// A stable name for the known values, `unknown` otherwise.
    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "success",
            2 => "failed",
            3 => "pending",
            6 => "partially_refunded",
            _ => "unknown",
        }
    }
}

impl Default for TransactionStatus {
    fn default() -> Self {
        Self::PENDING
    }
}
