//! One send per key at a time: `order:<reference>` for a payment, `reversal:<reference code>`
//! for a cancel or refund. A second click while the first is on its way gets `busy`.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::error::{AppError, AppResult, ErrorCode};

#[derive(Default)]
pub struct Claims(Mutex<HashSet<String>>);

/// Releases its key when the operation ends, however it ends.
pub struct Claim<'a> {
    claims: &'a Claims,
    key: String,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.claims.keys().remove(&self.key);
    }
}

impl Claims {
    fn keys(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn claim(&self, key: String) -> AppResult<Claim<'_>> {
        if !self.keys().insert(key.clone()) {
            return Err(AppError::new(
                ErrorCode::Busy,
                "this operation is already being sent",
            ));
        }
        Ok(Claim { claims: self, key })
    }

    pub fn is_held(&self, key: &str) -> bool {
        self.keys().contains(key)
    }
}

pub fn order_key(order: &str) -> String {
    format!("order:{order}")
}

pub fn reversal_key(reference_code: &str) -> String {
    format!("reversal:{reference_code}")
}
