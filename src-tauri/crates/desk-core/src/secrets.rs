//! Where secretKeys live, behind [`SecretStore`]: the OS keychain in the app (its `keychain`
//! module), [`MemorySecretStore`] in tests. Keychain calls block: callers run them on a
//! blocking thread.

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
