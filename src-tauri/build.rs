fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    // Every app command must be listed here: each then needs an explicit `allow-…` permission
    // in a capability, so a window without one (the 3D Secure window) can call none of them.
    let manifest = tauri_build::AppManifest::new().commands(commands::ALL);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}

mod commands {
    // Only the names matter here; the types are read by the app crate.
    macro_rules! command_list {
        (
            desk { $($name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty : $need:ident = $method:ident;)* }
            shell { $($shell:ident ( $($shell_arg:ident : $shell_ty:ty),* ) -> $shell_ret:ty : $shell_need:ident;)* }
        ) => {
            pub const ALL: &[&str] = &[$(stringify!($name),)* $(stringify!($shell)),*];
        };
    }
    include!("src/command_list.rs");
}
