//! The shell's security rules, read from the files Tauri builds from: capabilities bound to the
//! main window only and granting exactly the app's commands, nothing for the 3D window, a
//! strict CSP and no global Tauri object.

use std::collections::BTreeSet;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn capabilities() -> Vec<serde_json::Value> {
    let dir = std::path::Path::new(MANIFEST).join("capabilities");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        all.push(serde_json::from_str(&text).unwrap());
    }
    all
}

#[test]
fn every_capability_is_bound_to_the_main_window_only() {
    for cap in capabilities() {
        let windows: Vec<&str> = cap["windows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(windows, ["main"], "{}", cap["identifier"]);
        assert!(cap.get("webviews").is_none() && cap.get("remote").is_none());
    }
}

#[test]
fn the_3d_window_has_no_capability() {
    let label = "threeds";
    for cap in capabilities() {
        let text = cap.to_string();
        assert!(!text.contains(&format!("\"{label}\"")), "{text}");
        assert!(!text.contains("\"*\""));
    }
}

#[test]
fn the_main_window_is_granted_exactly_the_app_commands() {
    let granted: BTreeSet<String> = capabilities()
        .iter()
        .flat_map(|c| {
            c["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned())
        })
        .filter(|p| !p.starts_with("core:"))
        .collect();
    let expected: BTreeSet<String> = dealer_desk::commands::ALL
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(granted, expected);
}

#[test]
fn strict_csp_and_no_global_tauri() {
    let conf: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{MANIFEST}/tauri.conf.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    for rule in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(rule), "{rule}");
    }
    assert!(!csp.contains("unsafe-eval"));
    assert!(!csp
        .split(';')
        .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")));
    let identifier = conf["identifier"].as_str().unwrap();
    assert!(identifier.ends_with(".dealerdesk") && !identifier.ends_with(".app"));
}
