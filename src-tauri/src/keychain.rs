//! secretKeys in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on
//! Linux), as a [`SecretStore`].

use desk_core::error::{AppError, AppResult, ErrorCode};
use desk_core::secrets::SecretStore;

pub struct KeyringStore {
    service: String,
}

fn keychain_error(e: keyring::Error) -> AppError {
    // keyring's errors name the platform failure, never the secret.
    AppError::new(ErrorCode::KeychainUnavailable, e.to_string())
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
                ErrorCode::KeychainUnavailable,
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
