//! Where secretKeys live, behind [`SecretStore`]: the OS keychain in the app ([`OsKeychain`]),
//! [`MemorySecretStore`] in tests. Keychain calls block: callers run them on a blocking thread.

mod os_keychain;

pub use os_keychain::{OsKeychain, APP_SERVICE};

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::AppResult;

pub trait SecretStore: Send + Sync {
    fn get(&self, profile_id: &str) -> AppResult<Option<String>>;
    fn set(&self, profile_id: &str, secret: &str) -> AppResult<()>;
    fn delete(&self, profile_id: &str) -> AppResult<()>;
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

/// Which keys the keychain holds, as far as this desk has seen: the status tells "has a secret"
/// for every profile and the team password on every refresh, and each keychain read is a D-Bus
/// round trip (~10 ms) on the start's path. This desk is its entries' only writer, so what it
/// saw, wrote or deleted stays true; a failed read is not remembered.
#[derive(Default)]
pub struct KnownKeys(Mutex<HashMap<String, bool>>);

impl KnownKeys {
    /// `Some(held)` once seen; `None` when only a read can tell.
    pub fn held(&self, key: &str) -> Option<bool> {
        self.0.lock().expect("known keys lock").get(key).copied()
    }

    pub fn learn(&self, key: &str, held: bool) {
        self.0
            .lock()
            .expect("known keys lock")
            .insert(key.to_owned(), held);
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
