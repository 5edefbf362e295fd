//! PINs on the desk's own journal: 4 to 12 digits, kept only as argon2id hashes checked here.
//! (The team database hashes and checks its PINs itself: see the PostgreSQL journal.)

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::model::Role;
use crate::workers::off_the_workers;

/// A PIN for `role`: a supervisor's has at least 6 digits (said first: it is the rule a short
/// supervisor PIN breaks), and every PIN is 4 to 12 digits.
pub(crate) fn checked_pin_for(role: Role, pin: &str) -> AppResult<()> {
    if role == Role::Supervisor && pin.len() < 6 {
        return Err(AppError::field(Field::Pin, Reason::SupervisorPinDigits));
    }
    checked_pin(pin)
}

/// A PIN is 4 to 12 digits.
pub(crate) fn checked_pin(pin: &str) -> AppResult<()> {
    if (4..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(AppError::field(Field::Pin, Reason::PinDigits))
    }
}

/// argon2id with the crate's defaults (19 MiB, 2 passes), off the async workers. The salt's
/// 16 random bytes come from a v4 UUID (the OS generator).
pub(crate) async fn hash_pin(pin: String) -> AppResult<String> {
    checked_pin(&pin)?;
    let pin = zeroize::Zeroizing::new(pin);
    off_the_workers(move || {
        let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
    })
    .await
}

pub(crate) async fn pin_matches(pin: String, hash: String) -> AppResult<bool> {
    let pin = zeroize::Zeroizing::new(pin);
    off_the_workers(move || {
        Ok(PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(pin.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pin_is_kept_only_as_an_argon2id_hash_that_verifies_it() {
        let hash = hash_pin("482913".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("482913"));
        assert!(pin_matches("482913".into(), hash.clone()).await.unwrap());
        assert!(!pin_matches("482914".into(), hash).await.unwrap());
    }

    #[tokio::test]
    async fn a_pin_is_four_to_twelve_digits() {
        for bad in ["123", "12a4", "1234567890123", " 1234"] {
            let e = hash_pin(bad.into()).await.unwrap_err();
            assert_eq!(e.details["reason"], "pin_digits", "{bad}");
        }
        assert!(hash_pin("0000".into()).await.is_ok());
    }
}
