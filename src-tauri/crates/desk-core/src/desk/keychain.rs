//! The OS keychain as the desk uses it: every call off the async workers (a keychain may block
//! on D-Bus or a prompt), what it holds learned once (the status asks at every start), and its
//! self-check: a keychain that silently keeps nothing would lose secrets, so nothing is given
//! to one that failed it.

use std::sync::Arc;

use tokio::sync::watch;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::secrets::{KnownKeys, SecretStore};
use crate::workers::off_the_workers;

/// What the self-check found.
#[derive(Clone, Debug)]
enum Check {
    Pending,
    Works,
    Broken(String),
}

impl Check {
    fn answered(problem: Option<String>) -> Self {
        problem.map_or(Self::Works, Self::Broken)
    }
}

pub(super) struct Keychain {
    secrets: Arc<dyn SecretStore>,
    known: KnownKeys,
    check: watch::Sender<Check>,
}

impl Keychain {
    /// `problem`: what the self-check found (`None`: it keeps what it is given).
    pub fn new(secrets: Arc<dyn SecretStore>, problem: Option<String>) -> Self {
        Self {
            secrets,
            known: KnownKeys::default(),
            check: watch::Sender::new(Check::answered(problem)),
        }
    }

    /// The self-check has not answered yet: [`Keychain::checked`] will say.
    pub fn check_pending(&self) {
        self.check.send_replace(Check::Pending);
    }

    pub fn checked(&self, problem: Option<String>) {
        self.check.send_replace(Check::answered(problem));
    }

    /// The keychain's problem, once its self-check has answered.
    pub async fn problem(&self) -> Option<String> {
        let mut answers = self.check.subscribe();
        let answered = answers
            .wait_for(|check| !matches!(check, Check::Pending))
            .await;
        match answered.as_deref() {
            Ok(Check::Broken(problem)) => Some(problem.clone()),
            _ => None,
        }
    }

    pub async fn get(&self, key: &str) -> AppResult<Option<String>> {
        let (secrets, owned_key) = (self.secrets.clone(), key.to_owned());
        let secret = off_the_workers(move || secrets.get(&owned_key)).await?;
        self.known.learn(key, secret.is_some());
        Ok(secret)
    }

    /// Whether it holds `key`: read once, then known; a keychain that cannot answer holds
    /// nothing usable.
    pub async fn holds(&self, key: &str) -> bool {
        match self.known.held(key) {
            Some(held) => held,
            None => matches!(self.get(key).await, Ok(Some(_))),
        }
    }

    /// Keeps a secret; refused when the keychain does not work.
    pub async fn set(&self, key: &str, secret: &str) -> AppResult<()> {
        if let Some(problem) = self.problem().await {
            return Err(AppError::new(ErrorCode::KeychainUnavailable, problem));
        }
        let (secrets, owned_key, secret) =
            (self.secrets.clone(), key.to_owned(), secret.to_owned());
        off_the_workers(move || secrets.set(&owned_key, &secret)).await?;
        self.known.learn(key, true);
        Ok(())
    }

    pub async fn delete(&self, key: &str) -> AppResult<()> {
        let (secrets, owned_key) = (self.secrets.clone(), key.to_owned());
        off_the_workers(move || secrets.delete(&owned_key)).await?;
        self.known.learn(key, false);
        Ok(())
    }
}
