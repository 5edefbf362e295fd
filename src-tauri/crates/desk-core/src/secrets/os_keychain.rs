//! The OS keychain as a [`SecretStore`]: macOS Keychain, Windows Credential Manager, the Secret
//! Service on Linux (GNOME Keyring, KWallet).
//!
//! One entry per key (a profile's id, or [`crate::settings::TEAM_PASSWORD_KEY`]), under one
//! service name, [`APP_SERVICE`]. What each OS's own manager shows:
//! - Windows Credential Manager, Windows Credentials, Generic Credentials: an entry named
//!   `<key>.com.finrota-dealers.dealerdesk` with the key as its user name;
//! - macOS Keychain Access, login keychain: an application password named
//!   `com.finrota-dealers.dealerdesk` with the key as its account;
//! - Linux (Seahorse, KWallet): a password whose attributes are `service` =
//!   `com.finrota-dealers.dealerdesk` and `username` = the key.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::secrets::SecretStore;

/// The service name of the app's entries (its bundle identifier).
pub const APP_SERVICE: &str = "com.finrota-dealers.dealerdesk";

pub struct OsKeychain {
    service: String,
}

fn keychain_error(e: keyring::Error) -> AppError {
    // keyring's errors name the platform failure, never the secret.
    AppError::new(ErrorCode::KeychainUnavailable, e.to_string())
}

impl OsKeychain {
    /// The app's entries.
    pub fn of_the_app() -> Self {
        Self::new(APP_SERVICE)
    }

    /// Entries under another service name (tests keep theirs apart from the app's).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, key: &str) -> AppResult<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(keychain_error)
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

impl SecretStore for OsKeychain {
    fn get(&self, key: &str) -> AppResult<Option<String>> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> AppResult<()> {
        self.entry(key)?
            .set_password(secret)
            .map_err(keychain_error)
    }

    fn delete(&self, key: &str) -> AppResult<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}
