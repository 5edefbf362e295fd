//! Dealer Desk's core: everything the app does except show a window. The Tauri crate wires it to
//! commands, the 3D window, the plugin store and the OS keychain through small seams:
//! [`settings::SettingsRepo`], [`secrets::SecretStore`], [`desk::ProgressSink`] and the 3D step
//! passed to [`Desk::pay`].

mod aside;
pub mod desk;
pub mod dto;
pub mod error;
pub mod journal;
pub mod model;
pub mod money;
pub mod secrets;
pub mod settings;
pub mod validation;
pub mod verdict;

pub use desk::{DemoAccess, Desk, ReconcilePolicy, ThreeDEnd};
