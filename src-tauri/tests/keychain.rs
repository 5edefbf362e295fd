//! `KeyringStore` against the real Secret Service. Needs a D-Bus session with an unlocked
//! keyring: `.ci/test` runs this file in its own step inside `dbus-run-session` with a
//! throwaway gnome-keyring. Run elsewhere, it fails (it is not silently skipped).

use dealer_desk::keychain::KeyringStore;
use desk_core::secrets::SecretStore;

fn store() -> KeyringStore {
    KeyringStore::new(format!(
        "com.finrota-dealers.dealerdesk.test-{}",
        std::process::id()
    ))
}

#[test]
fn keychain_self_check_passes_on_a_working_keychain() {
    store()
        .self_check()
        .expect("an unlocked Secret Service keyring (see .ci/test)");
}

#[test]
fn keychain_keeps_replaces_and_deletes_a_secret_across_handles() {
    let store = store();
    let profile = format!("profile-{}", uuid_like());
    assert_eq!(store.get(&profile).unwrap(), None);
    store.set(&profile, "first-secret").unwrap();
    // A second store object (as after a restart) reads the same entry.
    let reopened = KeyringStore::new(format!(
        "com.finrota-dealers.dealerdesk.test-{}",
        std::process::id()
    ));
    assert_eq!(
        reopened.get(&profile).unwrap().as_deref(),
        Some("first-secret")
    );
    store.set(&profile, "second-secret").unwrap();
    assert_eq!(
        reopened.get(&profile).unwrap().as_deref(),
        Some("second-secret")
    );
    store.delete(&profile).unwrap();
    assert_eq!(reopened.get(&profile).unwrap(), None);
    store.delete(&profile).unwrap();
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}
