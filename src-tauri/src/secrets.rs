//! secretKeys in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on
//! Linux) behind [`SecretStore`], so tests use [`MemorySecretStore`]. Keychain calls block:
//! callers run them on a blocking thread.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{AppError, AppResult};

pub trait SecretStore: Send + Sync {
    fn get(&self, profile_id: &str) -> AppResult<Option<String>>;
    fn set(&self, profile_id: &str, secret: &str) -> AppResult<()>;
    fn delete(&self, profile_id: &str) -> AppResult<()>;
}

pub struct KeyringStore {
    service: String,
}

fn keychain_error(e: keyring::Error) -> AppError {
    // keyring's errors name the platform failure, never the secret.
    AppError::new("keychain_unavailable", e.to_string())
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, profile_id: &str) -> AppResult<keyring::Entry> {
        keyring::Entry::new(&self.service, profile_id).map_err(keychain_error)
    }

    /// Writes, reads back through a second handle, and deletes a probe. Fails on a locked or
    /// missing keychain, and on keyring's silent mock store (which keeps nothing between
    /// handles), so a missing keychain is a clear message at start-up, not lost secrets later.
    pub fn self_check(&self) -> AppResult<()> {
        const PROBE: &str = "dealer-desk-self-check";
        let value = format!("probe-{}", uuid::Uuid::new_v4());
        self.entry(PROBE)?
            .set_password(&value)
            .map_err(keychain_error)?;
        let read = self.entry(PROBE)?.get_password();
        let _ = self.entry(PROBE)?.delete_credential();
        match read {
            Ok(v) if v == value => Ok(()),
            Ok(_) | Err(keyring::Error::NoEntry) => Err(AppError::new(
                "keychain_unavailable",
                "the keychain did not keep a value (no platform keychain)",
            )),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, profile_id: &str) -> AppResult<Option<String>> {
        match self.entry(profile_id)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, profile_id: &str, secret: &str) -> AppResult<()> {
        self.entry(profile_id)?
            .set_password(secret)
            .map_err(keychain_error)
    }

    fn delete(&self, profile_id: &str) -> AppResult<()> {
        match self.entry(profile_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// For tests: keeps secrets in memory, shared by every caller of the same instance.
#[derive(Default)]
pub struct MemorySecretStore(Mutex<HashMap<String, String>>);

impl SecretStore for MemorySecretStore {
    fn get(&self, profile_id: &str) -> AppResult<Option<String>> {
        Ok(self
            .0
            .lock()
            .expect("secrets lock")
            .get(profile_id)
            .cloned())
    }

    fn set(&self, profile_id: &str, secret: &str) -> AppResult<()> {
        self.0
            .lock()
            .expect("secrets lock")
            .insert(profile_id.into(), secret.into());
        Ok(())
    }

    fn delete(&self, profile_id: &str) -> AppResult<()> {
        self.0.lock().expect("secrets lock").remove(profile_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_keeps_replaces_and_deletes() {
        let store = MemorySecretStore::default();
        assert_eq!(store.get("p1").unwrap(), None);
        store.set("p1", "s1").unwrap();
        store.set("p2", "s2").unwrap();
        store.set("p1", "s1b").unwrap();
        assert_eq!(store.get("p1").unwrap().as_deref(), Some("s1b"));
        store.delete("p1").unwrap();
        store.delete("p1").unwrap();
        assert_eq!(store.get("p1").unwrap(), None);
        assert_eq!(store.get("p2").unwrap().as_deref(), Some("s2"));
    }
}
