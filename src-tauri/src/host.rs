//! The desk's host in the app: the plugin store, the OS keychain, the 3D Secure window, the
//! native save dialog and the main window's events.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use desk_core::desk::CurrentPayment;
use desk_core::dto::CopyProgress;
use desk_core::host::Host;
use desk_core::secrets::SecretStore;
use desk_core::settings::SettingsRepo;
use desk_core::ThreeDEnd;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::{events, threeds};

pub struct TauriHost {
    pub app: AppHandle,
    pub settings: Arc<dyn SettingsRepo>,
    pub secrets: Arc<dyn SecretStore>,
}

#[async_trait]
impl Host for TauriHost {
    fn settings(&self) -> Arc<dyn SettingsRepo> {
        self.settings.clone()
    }

    fn secrets(&self) -> Arc<dyn SecretStore> {
        self.secrets.clone()
    }

    async fn three_d_secure(&self, redirect: String, return_url: String) -> ThreeDEnd {
        threeds::run(self.app.clone(), redirect, return_url).await
    }

    async fn save_path(&self, file_name: String) -> Option<PathBuf> {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        self.app
            .dialog()
            .file()
            .add_filter("CSV", &["csv"])
            .set_file_name(file_name)
            .save_file(move |path| {
                let _ = sender.send(path);
            });
        let path = receiver.await.ok().flatten()?;
        match path.into_path() {
            Ok(path) => Some(path),
            Err(e) => {
                tracing::warn!("the save dialog answered no file path: {e}");
                None
            }
        }
    }

    fn payment_progress(&self, current: &CurrentPayment) {
        events::PAYMENT_PROGRESS.emit(&self.app, current);
    }

    fn copy_progress(&self, progress: &CopyProgress) {
        events::JOURNAL_COPY.emit(&self.app, progress);
    }
}
