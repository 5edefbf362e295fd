//! A bare Tauri 2 window: the app's window size and security settings, an empty page that asks
//! Rust for nothing but `ready` (which says so on stdout, as the app logs when Rates asks for its
//! data) and a no-op command for the bare IPC round trip.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[tauri::command]
fn ready() {
    println!("bench: ready");
}

#[tauri::command]
fn noop() {}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready, noop])
        .run(tauri::generate_context!())
        .expect("error while running the bare window");
}
