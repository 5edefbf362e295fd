//! Credentials and the shared access-token cache.

use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};
use tokio::sync::Mutex;

/// A dealer's API key pair. The secret is zeroised on drop and redacted in `Debug`.
#[derive(Clone)]
pub struct Credentials {
    pub api_key: String,
    pub secret_key: SecretString,
}

impl Credentials {
    pub fn new(api_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            secret_key: SecretString::from(secret_key.into()),
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("secret_key", &"[redacted]")
            .finish()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenRequest<'a> {
    pub api_key: &'a str,
    #[serde(serialize_with = "expose")]
    pub secret_key: &'a SecretString,
}

fn expose<S: Serializer>(secret: &&SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenAnswer {
    #[serde(alias = "accessToken")]
    pub token: String,
    #[serde(default)]
    pub expiry: Option<crate::VpwsDateTime>,
    #[serde(default, rename = "type")]
    pub token_type: Option<String>,
}

/// A live token. The value never leaves this crate.
pub(crate) struct CachedToken {
    pub value: SecretString,
    pub expires_at: DateTime<Utc>,
    refresh_at: DateTime<Utc>,
}

impl CachedToken {
    /// Renewal is due `margin` before expiry, but never less than 90 % into a short lifetime.
    pub fn new(
        value: String,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
        margin: Duration,
    ) -> Self {
        let lifetime = (expires_at - now).max(chrono::TimeDelta::zero());
        let margin = chrono::TimeDelta::from_std(margin)
            .unwrap_or(chrono::TimeDelta::MAX)
            .min(lifetime / 10);
        Self {
            value: SecretString::from(value),
            expires_at,
            refresh_at: expires_at - margin,
        }
    }

    fn fresh(&self, now: DateTime<Utc>) -> bool {
        now < self.refresh_at
    }
}

/// One token per client. Holding the lock while fetching makes every concurrent caller wait for
/// the same renewal instead of starting its own.
#[derive(Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Option<CachedToken>>,
}

impl TokenCache {
    /// A usable token: the cached one unless it is due for renewal or equals `rejected` (a token
    /// the gateway just answered 401 to), else one from `fetch`.
    pub async fn get<F, Fut>(&self, rejected: Option<&str>, fetch: F) -> crate::Result<String>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = crate::Result<CachedToken>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(token) = slot.as_ref() {
            let was_rejected = rejected.is_some_and(|r| r == token.value.expose_secret());
            if token.fresh(Utc::now()) && !was_rejected {
                return Ok(token.value.expose_secret().to_owned());
            }
        }
        *slot = None;
        let token = fetch().await?;
        let value = token.value.expose_secret().to_owned();
        *slot = Some(token);
        Ok(value)
    }

    pub async fn clear(&self) {
        *self.slot.lock().await = None;
    }

    pub async fn expiry(&self) -> Option<DateTime<Utc>> {
        self.slot.lock().await.as_ref().map(|t| t.expires_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn debug_of_credentials_hides_the_secret() {
        let c = Credentials::new("dealer-key", "s3cr3t-value");
        let text = format!("{c:?}");
        assert!(text.contains("dealer-key"));
        assert!(!text.contains("s3cr3t-value"), "{text}");
    }

    #[test]
    fn renewal_margin_is_a_minute_or_a_tenth_of_a_short_lifetime() {
        let now = Utc::now();
        let day = CachedToken::new(
            "t".into(),
            now + chrono::TimeDelta::hours(24),
            now,
            Duration::from_secs(60),
        );
        assert_eq!(
            day.refresh_at,
            day.expires_at - chrono::TimeDelta::seconds(60)
        );
        let short = CachedToken::new(
            "t".into(),
            now + chrono::TimeDelta::seconds(10),
            now,
            Duration::from_secs(60),
        );
        assert_eq!(
            short.refresh_at,
            short.expires_at - chrono::TimeDelta::seconds(1)
        );
        assert!(short.fresh(now) && !short.fresh(now + chrono::TimeDelta::seconds(9)));
    }

    #[tokio::test]
    async fn a_cached_token_is_reused_and_a_rejected_one_renewed_once() {
        let cache = TokenCache::default();
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            let now = Utc::now();
            Ok(CachedToken::new(
                format!("token-{n}"),
                now + chrono::TimeDelta::hours(1),
                now,
                Duration::from_secs(60),
            ))
        };
        assert_eq!(cache.get(None, fetch).await.unwrap(), "token-0");
        assert_eq!(cache.get(None, fetch).await.unwrap(), "token-0");
        assert_eq!(cache.get(Some("token-0"), fetch).await.unwrap(), "token-1");
        // A second caller that also saw token-0 rejected gets the renewed token, no new fetch.
        assert_eq!(cache.get(Some("token-0"), fetch).await.unwrap(), "token-1");
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }
}
