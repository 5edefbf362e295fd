//! Dealer Desk's core: everything the app does except show a window. The Tauri crate wires it to
//! commands, and gives it what only the program around it has (the settings file, the OS
//! keychain, the 3D Secure window, the save dialog, events) through one seam: [`host::Host`].

mod aside;
pub mod desk;
pub mod dto;
pub mod error;
pub mod host;
pub mod journal;
pub mod mail;
pub mod mail_server;
pub mod model;
pub mod money;
pub mod secrets;
pub mod settings;
pub mod validation;
pub mod verdict;
mod workers;

pub use desk::{DemoAccess, Desk, ReconcilePolicy, ThreeDEnd};
