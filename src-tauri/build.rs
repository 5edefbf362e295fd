fn main() {
    println!("cargo:rerun-if-changed=src/command_names.rs");
    // Every app command must be listed here: each then needs an explicit `allow-…` permission
    // in a capability, so a window without one (the 3D Secure window) can call none of them.
    let manifest = tauri_build::AppManifest::new().commands(dealer_desk_commands::ALL);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}

mod dealer_desk_commands {
    include!("src/command_names.rs");
}
