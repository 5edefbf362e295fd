//! One send per key at a time: `order:<reference>` for a payment, `reversal:<reference code>`
//! for a cancel or refund. A second click while the first is on its way gets `busy`. Installing
//! an update holds every send off, and waits for none: it is refused while any is on its way.

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
        let mut keys = self.keys();
        if keys.contains(UPDATE_KEY) {
            return Err(AppError::new(
                ErrorCode::Updating,
                "an update is being installed; nothing was sent",
            ));
        }
        if !keys.insert(key.clone()) {
            return Err(AppError::new(
                ErrorCode::Busy,
                "this operation is already being sent",
            ));
        }
        drop(keys);
        Ok(Claim { claims: self, key })
    }

    /// Holds every send off until dropped; refused while any send is on its way.
    pub fn hold_for_update(&self) -> AppResult<Claim<'_>> {
        let mut keys = self.keys();
        if !keys.is_empty() {
            return Err(AppError::new(
                ErrorCode::UpdateAfterOperation,
                "a payment, cancel or refund is being sent",
            ));
        }
        keys.insert(UPDATE_KEY.to_owned());
        drop(keys);
        Ok(Claim {
            claims: self,
            key: UPDATE_KEY.to_owned(),
        })
    }

    pub fn is_held(&self, key: &str) -> bool {
        self.keys().contains(key)
    }
}

/// Held while an update installs (no order or reference code looks like it).
const UPDATE_KEY: &str = "update";

pub fn order_key(order: &str) -> String {
    format!("order:{order}")
}

pub fn reversal_key(reference_code: &str) -> String {
    format!("reversal:{reference_code}")
}
