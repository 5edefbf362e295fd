//! The updater against a local update server: a `latest.json` and an artifact signed here with
//! a throwaway key, as `tauri signer sign` signs a release (minisign, base64, the version in the
//! trusted comment). The app under test is Tauri's mock runtime with the real updater plugin,
//! configured as a release build is (`plugins.updater`: the public key, `requireSignedVersion`).

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::Utc;
use dealer_desk::updates;
use desk_core::host::MemoryHost;
use desk_core::journal::SqliteJournal;
use desk_core::secrets::MemorySecretStore;
use desk_core::settings::{Language, MemorySettings, Settings, SettingsRepo};
use desk_core::{DemoAccess, Desk};
use serde_json::json;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::App;

const NEW_VERSION: &str = "9.9.9";
const NOTES: &str = "Faster lists at a million entries.\nThe update banner.";

/// A release key made for one test; what `tauri signer generate` writes, in memory.
struct ReleaseKey(minisign::KeyPair);

impl ReleaseKey {
    fn new() -> Self {
        Self(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    /// `plugins.updater.pubkey`: the public key file, base64.
    fn public(&self) -> String {
        BASE64.encode(self.0.pk.to_box().unwrap().into_string())
    }

    /// The `.sig` file of `artifact` for `version`, base64 (what `latest.json` carries).
    fn sign(&self, artifact: &[u8], version: &str) -> String {
        let trusted = format!("timestamp:1764633600\tfile:Dealer Desk.AppImage\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            Cursor::new(artifact),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        BASE64.encode(signature.into_string())
    }
}

/// Serves `/latest.json` naming `version`, `signature` and `/dealer-desk.AppImage` (`artifact`).
async fn update_server(version: &str, signature: String, artifact: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let release = json!({
        "version": version,
        "notes": NOTES,
        "pub_date": "2026-12-01T09:00:00Z",
        "platforms": {
            "linux-x86_64": { "url": format!("http://{address}/dealer-desk.AppImage"), "signature": signature },
            "windows-x86_64": { "url": format!("http://{address}/dealer-desk.AppImage"), "signature": "" },
            "darwin-aarch64": { "url": format!("http://{address}/dealer-desk.AppImage"), "signature": "" },
            "darwin-x86_64": { "url": format!("http://{address}/dealer-desk.AppImage"), "signature": "" },
        }
    });
    let app = Router::new()
        .route(
            "/latest.json",
            get(move || async move { axum::Json(release) }),
        )
        .route(
            "/dealer-desk.AppImage",
            get(move || async move { artifact }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// The app as a release build carries the updater: `release_key` in its configuration.
fn app_trusting(release_key: &str) -> App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({ "pubkey": release_key, "endpoints": [], "requireSignedVersion": true }),
    );
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(updates::Found::default())
        .build(context)
        .unwrap()
}

fn latest(address: SocketAddr) -> String {
    format!("http://{address}/latest.json")
}

#[tokio::test]
async fn a_newer_signed_version_is_offered_with_its_notes_and_its_package_verifies() {
    let key = ReleaseKey::new();
    let artifact = b"\x7fELF Dealer Desk 9.9.9".to_vec();
    let server = update_server(
        NEW_VERSION,
        key.sign(&artifact, NEW_VERSION),
        artifact.clone(),
    )
    .await;
    let app = app_trusting(&key.public());

    let offer = updates::check(app.handle(), Some(&latest(server)))
        .await
        .unwrap()
        .expect("9.9.9 is newer than the running version");
    assert_eq!(offer.version, NEW_VERSION);
    assert_eq!(
        offer.current_version,
        app.package_info().version.to_string()
    );
    assert_eq!(offer.notes.as_deref(), Some(NOTES));

    let update = updates::found(app.handle()).expect("kept for Install and restart");
    let package = updates::download_verified(&update).await.unwrap();
    assert_eq!(package, artifact, "the package as signed");
}

#[tokio::test]
async fn the_running_version_or_an_older_one_is_not_offered() {
    let key = ReleaseKey::new();
    let artifact = b"\x7fELF Dealer Desk 0.0.1".to_vec();
    let server = update_server("0.0.1", key.sign(&artifact, "0.0.1"), artifact).await;
    let app = app_trusting(&key.public());
    let offer = updates::check(app.handle(), Some(&latest(server))).await;
    assert_eq!(offer.unwrap(), None);
}

/// What verifying the package says when the app trusts `release_key`, the update address
/// announces 9.9.9 with `signature` and serves `package`.
async fn verifying(release_key: &ReleaseKey, signature: String, package: Vec<u8>) -> String {
    let server = update_server(NEW_VERSION, signature, package).await;
    let app = app_trusting(&release_key.public());
    let update = found_update(&app, server).await;
    match updates::download_verified(&update).await {
        Ok(_) => "verified".into(),
        Err(e) => e.code.to_string(),
    }
}

#[tokio::test]
async fn a_package_signed_with_another_key_is_refused_and_says_so() {
    let release_key = ReleaseKey::new();
    let package = b"\x7fELF not Dealer Desk".to_vec();
    let signature = ReleaseKey::new().sign(&package, NEW_VERSION);
    assert_eq!(
        verifying(&release_key, signature, package).await,
        "update_signature_invalid"
    );
}

#[tokio::test]
async fn a_package_that_is_not_the_one_signed_is_refused() {
    let key = ReleaseKey::new();
    let signature = key.sign(b"\x7fELF Dealer Desk 9.9.9", NEW_VERSION);
    let swapped = b"\x7fELF Dealer Desk 9.9.9, tampered".to_vec();
    assert_eq!(
        verifying(&key, signature, swapped).await,
        "update_signature_invalid"
    );
}

#[tokio::test]
async fn an_older_release_announced_as_newer_is_refused() {
    let key = ReleaseKey::new();
    let old = b"\x7fELF Dealer Desk 0.0.1, genuinely signed".to_vec();
    let signature = key.sign(&old, "0.0.1");
    assert_eq!(
        verifying(&key, signature, old).await,
        "update_signature_invalid"
    );
}

#[tokio::test]
async fn the_same_package_signed_for_its_version_verifies() {
    let key = ReleaseKey::new();
    let package = b"\x7fELF Dealer Desk 9.9.9".to_vec();
    let signature = key.sign(&package, NEW_VERSION);
    assert_eq!(verifying(&key, signature, package).await, "verified");
}

#[tokio::test]
async fn no_server_is_an_error_code_for_check_now() {
    let key = ReleaseKey::new();
    let app = app_trusting(&key.public());
    let refused = updates::check(app.handle(), Some(&latest(nobody_listening())))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "update_unreachable");
}

/// A desk whose update address is `endpoint` (typed as a mirror's address would be).
fn desk_looking_at(endpoint: &str) -> Desk {
    let mut settings = Settings::first_start("demo-key");
    settings.update_endpoint = Some(endpoint.to_owned());
    let repo = MemorySettings::default();
    repo.save(&settings).unwrap();
    let demo = DemoAccess {
        dealer_name: "Demo".into(),
        base_url: "http://127.0.0.1:9".into(),
        api_key: "demo-key".into(),
        secret_key: "demo-secret".into(),
    };
    Desk::new(
        Arc::new(MemoryHost::new(
            Arc::new(repo),
            Arc::new(MemorySecretStore::default()),
        )),
        Arc::new(SqliteJournal::open_in_memory().unwrap()),
        demo,
        Language::English,
        None,
    )
    .unwrap()
}

#[tokio::test]
async fn the_check_at_start_offers_a_newer_version_once_a_day() {
    let key = ReleaseKey::new();
    let artifact = b"\x7fELF Dealer Desk 9.9.9".to_vec();
    let server = update_server(NEW_VERSION, key.sign(&artifact, NEW_VERSION), artifact).await;
    let app = app_trusting(&key.public());
    let desk = desk_looking_at(&latest(server));
    let mut offered = Vec::new();
    updates::check_at_start(app.handle(), &desk, |offer| {
        offered.push(offer.version.clone())
    })
    .await;
    assert_eq!(offered, [NEW_VERSION]);
    updates::check_at_start(app.handle(), &desk, |offer| {
        offered.push(offer.version.clone())
    })
    .await;
    assert_eq!(offered, [NEW_VERSION], "not again the same day");
}

#[tokio::test]
async fn no_server_at_start_offers_nothing_and_shows_nothing() {
    let key = ReleaseKey::new();
    let app = app_trusting(&key.public());
    let desk = desk_looking_at(&latest(nobody_listening()));
    let mut offered = false;
    // No error comes back to show: a failed check at start is only logged.
    updates::check_at_start(app.handle(), &desk, |_| offered = true).await;
    assert!(!offered);
    assert!(
        !desk.update_check_due(Utc::now()).unwrap(),
        "the failed check counts: the next one is tomorrow"
    );
}

fn nobody_listening() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn a_build_without_a_release_key_does_not_update_itself() {
    let app = app_trusting("");
    let refused = updates::check(app.handle(), Some("http://127.0.0.1:9/latest.json"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "update_not_configured");
}

async fn found_update(app: &App<MockRuntime>, server: SocketAddr) -> tauri_plugin_updater::Update {
    updates::check(app.handle(), Some(&latest(server)))
        .await
        .unwrap()
        .expect("offered");
    updates::found(app.handle()).expect("kept for Install and restart")
}
