fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    println!("cargo:rerun-if-changed=capabilities/main.json");
    // Every app command must be listed here: each then needs an explicit `allow-…` permission
    // in a capability, so a window without one (the 3D Secure window) can call none of them.
    write_main_capability();
    let manifest = tauri_build::AppManifest::new().commands(commands::ALL);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}

/// `capabilities/main.json`: the main window, and only it, may call exactly the commands of
/// `command_list.rs` (and listen to events). Written from the list, so a command is granted by
/// being declared; the file is kept in the repository to be read in review, and rewritten only
/// when the list changes it.
fn write_main_capability() {
    let mut permissions = vec!["core:event:default".to_owned()];
    permissions.extend(
        commands::ALL
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-"))),
    );
    let listed = permissions
        .iter()
        .map(|p| format!("    \"{p}\""))
        .collect::<Vec<_>>()
        .join(",\n");
    let text = format!(
        r#"{{
  "$schema": "../gen/schemas/desktop-schema.json",
  "identifier": "main",
  "description": "The main window may call the app's own commands and nothing else. The 3D Secure window is deliberately in no capability: it shows a bank's page and gets no IPC at all. Written by build.rs from src/command_list.rs.",
  "windows": [
    "main"
  ],
  "permissions": [
{listed}
  ]
}}
"#
    );
    let path = std::path::Path::new("capabilities/main.json");
    if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(path, text).expect("capabilities/main.json");
    }
}

mod commands {
    // Only the names matter here; the types are read by the app crate.
    macro_rules! command_list {
        (
            desk { $($(#[doc = $doc:literal])* $name:ident ( $($arg:ident : $ty:ty)? ) -> $ret:ty : $need:ident = $method:ident;)* }
            shell { $($(#[doc = $shell_doc:literal])* $shell:ident ( $($shell_arg:ident : $shell_ty:ty)? ) -> $shell_ret:ty : $shell_need:ident;)* }
        ) => {
            pub const ALL: &[&str] = &[$(stringify!($name),)* $(stringify!($shell)),*];
        };
    }
    include!("src/command_list.rs");
}
