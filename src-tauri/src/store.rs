//! Settings in tauri-plugin-store: one key holding the whole [`Settings`].

use desk_core::error::{AppError, AppResult, ErrorCode};
use desk_core::settings::{Settings, SettingsRepo, SETTINGS_KEY};

pub struct PluginStoreRepo<R: tauri::Runtime> {
    pub store: std::sync::Arc<tauri_plugin_store::Store<R>>,
}

impl<R: tauri::Runtime> SettingsRepo for PluginStoreRepo<R> {
    fn load(&self) -> AppResult<Option<Settings>> {
        match self.store.get(SETTINGS_KEY) {
            None => Ok(None),
            Some(value) => match serde_json::from_value(value) {
                Ok(settings) => Ok(Some(settings)),
                // `set_aside_if_unreadable` ran before the store opened the file.
                Err(e) => Err(AppError::new(ErrorCode::SettingsIo, e.to_string())),
            },
        }
    }

    fn save(&self, settings: &Settings) -> AppResult<()> {
        let value = serde_json::to_value(settings)
            .map_err(|e| AppError::new(ErrorCode::SettingsIo, e.to_string()))?;
        self.store.set(SETTINGS_KEY, value);
        self.store
            .save()
            .map_err(|e| AppError::new(ErrorCode::SettingsIo, e.to_string()))
    }
}
