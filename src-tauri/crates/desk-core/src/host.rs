//! What the desk needs of the program around it, in one place: where settings and secrets are
//! kept, the window's part in a payment (the bank's 3D Secure page), where the operator wants a
//! file saved, and word of how far something long is. The app implements it once over Tauri;
//! tests implement it in memory. The core knows nothing else of its host.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use crate::dto::{CopyProgress, CurrentPayment};
use crate::secrets::SecretStore;
use crate::settings::SettingsRepo;

/// How the 3D Secure step ended, as the window saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreeDEnd {
    /// The bank sent the browser to the return URL.
    Returned,
    /// The operator closed the window.
    ClosedByHand,
    /// The window could not be shown.
    Failed(String),
}

#[async_trait]
pub trait Host: Send + Sync {
    /// Where the settings are kept (a file beside the app's data).
    fn settings(&self) -> Arc<dyn SettingsRepo>;

    /// Where secrets are kept (the OS keychain).
    fn secrets(&self) -> Arc<dyn SecretStore>;

    /// Shows the bank's page at `redirect` and waits until it sends the browser to
    /// `return_url`, the operator closes it, or it cannot be shown. The payment's outcome is
    /// then asked of the gateway, never taken from this.
    async fn three_d_secure(&self, redirect: String, return_url: String) -> ThreeDEnd;

    /// Asks the operator where to save a file, suggesting `file_name`; `None` when they
    /// cancel.
    async fn save_path(&self, file_name: String) -> Option<PathBuf>;

    /// The payment in progress, at every step.
    fn payment_progress(&self, current: &CurrentPayment);

    /// How far copying this desk's journal into the team database is.
    fn copy_progress(&self, progress: &CopyProgress);
}

/// A host in memory (tests, benchmarks): settings and secrets in memory, no 3D Secure window,
/// files saved where it is told, and every progress report kept to be read back.
pub struct MemoryHost {
    pub settings: Arc<dyn SettingsRepo>,
    pub secrets: Arc<dyn SecretStore>,
    /// What the save dialog answers (`None`: the operator cancels).
    pub save_to: std::sync::Mutex<Option<PathBuf>>,
    pub payments_seen: std::sync::Mutex<Vec<CurrentPayment>>,
    pub copies_seen: std::sync::Mutex<Vec<CopyProgress>>,
}

impl MemoryHost {
    pub fn new(settings: Arc<dyn SettingsRepo>, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            settings,
            secrets,
            save_to: Default::default(),
            payments_seen: Default::default(),
            copies_seen: Default::default(),
        }
    }

    /// Another desk's host with the same settings and secrets (the same computer).
    pub fn sharing(&self) -> Self {
        Self::new(self.settings.clone(), self.secrets.clone())
    }
}

impl Default for MemoryHost {
    fn default() -> Self {
        Self::new(
            Arc::new(crate::settings::MemorySettings::default()),
            Arc::new(crate::secrets::MemorySecretStore::default()),
        )
    }
}

#[async_trait]
impl Host for MemoryHost {
    fn settings(&self) -> Arc<dyn SettingsRepo> {
        self.settings.clone()
    }

    fn secrets(&self) -> Arc<dyn SecretStore> {
        self.secrets.clone()
    }

    async fn three_d_secure(&self, _redirect: String, _return_url: String) -> ThreeDEnd {
        ThreeDEnd::Failed("no 3D Secure window here".into())
    }

    async fn save_path(&self, _file_name: String) -> Option<PathBuf> {
        self.save_to.lock().unwrap().clone()
    }

    fn payment_progress(&self, current: &CurrentPayment) {
        self.payments_seen.lock().unwrap().push(current.clone());
    }

    fn copy_progress(&self, progress: &CopyProgress) {
        self.copies_seen.lock().unwrap().push(progress.clone());
    }
}
