//! The OS keychain itself ([`OsKeychain`]): the Secret Service on Linux (`.ci/test` runs this file
//! in its own step inside `dbus-run-session` with a throwaway gnome-keyring) and Windows
//! Credential Manager (`.ci/windows-tests` runs it as a Windows executable under Wine, whose
//! Credential Manager keeps generic credentials as Windows does). Without a keychain it fails: it
//! is never silently skipped. Each test keeps its entries under a service name of its own.

mod common;

use std::sync::Arc;

use common::*;
use desk_core::host::MemoryHost;
use desk_core::journal::SqliteJournal;
use desk_core::secrets::{OsKeychain, SecretStore};
use desk_core::settings::{Language, MemorySettings};
use desk_core::Desk;

fn a_service_of_its_own() -> String {
    format!(
        "com.finrota-dealers.dealerdesk.test-{}",
        uuid::Uuid::new_v4().simple()
    )
}

#[test]
fn keychain_self_check_passes_on_a_working_keychain() {
    OsKeychain::new(a_service_of_its_own())
        .self_check()
        .expect("a working keychain (see .ci/test)");
}

#[test]
fn keychain_keeps_replaces_and_deletes_a_secret_across_handles() {
    let service = a_service_of_its_own();
    let store = OsKeychain::new(&service);
    let key = "p-0123456789abcdef";
    assert_eq!(store.get(key).unwrap(), None);
    store.set(key, "first-secret").unwrap();
    // A second handle (as after a restart) reads the same entry.
    let reopened = OsKeychain::new(&service);
    assert_eq!(reopened.get(key).unwrap().as_deref(), Some("first-secret"));
    store.set(key, "second-secret").unwrap();
    assert_eq!(reopened.get(key).unwrap().as_deref(), Some("second-secret"));
    store.delete(key).unwrap();
    assert_eq!(reopened.get(key).unwrap(), None);
    store.delete(key).unwrap();
}

#[tokio::test]
async fn keychain_holds_one_entry_per_profile_named_for_it_and_it_goes_with_the_profile() {
    let f = fixture().await;
    let service = a_service_of_its_own();
    let host = Arc::new(MemoryHost::new(
        Arc::new(MemorySettings::default()),
        Arc::new(OsKeychain::new(&service)),
    ));
    let desk = Desk::new(
        host,
        Arc::new(SqliteJournal::open_in_memory().unwrap()),
        demo_access(&f),
        Language::Turkish,
        None,
    )
    .unwrap();
    let dealers = &f.gw.data().dealers;
    let istanbul = desk
        .save_profile(f.custom_profile("İstanbul Merkez", 1, None))
        .await
        .unwrap();
    let izmir = desk
        .save_profile(f.custom_profile("İzmir Şube", 0, None))
        .await
        .unwrap();

    // What the OS keeps, read through another handle (another process would read the same).
    let os = OsKeychain::new(&service);
    assert_eq!(
        os.get(&istanbul.id).unwrap().as_deref(),
        Some(dealers[1].secret_key.as_str())
    );
    assert_eq!(
        os.get(&izmir.id).unwrap().as_deref(),
        Some(dealers[0].secret_key.as_str())
    );
    #[cfg(windows)]
    assert_eq!(
        credential_manager::entries_of(&service),
        vec![
            credential_manager::entry(&istanbul.id, &service),
            credential_manager::entry(&izmir.id, &service),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>(),
        "Credential Manager lists one generic credential per profile"
    );

    desk.delete_profile(istanbul.id.clone()).await.unwrap();
    assert_eq!(os.get(&istanbul.id).unwrap(), None, "gone with its profile");
    assert!(os.get(&izmir.id).unwrap().is_some(), "the other one stays");
    desk.delete_profile(izmir.id.clone()).await.unwrap();
    assert_eq!(os.get(&izmir.id).unwrap(), None);
    #[cfg(windows)]
    assert!(
        credential_manager::entries_of(&service).is_empty(),
        "nothing of the desk's is left in Credential Manager"
    );
}

/// Credential Manager's list, read as the OS's own manager reads it (CredEnumerateW).
#[cfg(windows)]
mod credential_manager {
    use std::collections::BTreeSet;

    use windows_sys::Win32::Foundation::{GetLastError, ERROR_NOT_FOUND};
    use windows_sys::Win32::Security::Credentials::{
        CredEnumerateW, CredFree, CREDENTIALW, CRED_TYPE_GENERIC,
    };

    /// An entry as the manager shows it: its name (target) and its user name.
    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub struct Entry {
        pub name: String,
        pub user: String,
    }

    /// The entry the app writes for `key`: named `<key>.<service>`, with the key as user name.
    pub fn entry(key: &str, service: &str) -> Entry {
        Entry {
            name: format!("{key}.{service}"),
            user: key.to_owned(),
        }
    }

    /// Every generic credential whose name ends in `.<service>`.
    pub fn entries_of(service: &str) -> BTreeSet<Entry> {
        let mut count = 0u32;
        let mut list: *mut *mut CREDENTIALW = std::ptr::null_mut();
        // SAFETY: a null filter lists every credential; `list` is freed with CredFree below.
        if unsafe { CredEnumerateW(std::ptr::null(), 0, &mut count, &mut list) } == 0 {
            let error = unsafe { GetLastError() };
            assert_eq!(error, ERROR_NOT_FOUND, "CredEnumerateW failed");
            return BTreeSet::new();
        }
        let suffix = format!(".{service}");
        let mut found = BTreeSet::new();
        for i in 0..count as usize {
            // SAFETY: CredEnumerateW returned `count` valid pointers. Read unaligned: Wine packs
            // the credentials it returns without aligning them.
            let credential: CREDENTIALW = unsafe { list.add(i).read_unaligned().read_unaligned() };
            let name = wide(credential.TargetName);
            if credential.Type == CRED_TYPE_GENERIC && name.ends_with(&suffix) {
                found.insert(Entry {
                    name,
                    user: wide(credential.UserName),
                });
            }
        }
        unsafe { CredFree(list as *const _) };
        found
    }

    fn wide(text: *const u16) -> String {
        if text.is_null() {
            return String::new();
        }
        // SAFETY: Windows' strings here end with a NUL (read unaligned, as above).
        let units: Vec<u16> = (0..)
            .map(|i| unsafe { text.add(i).read_unaligned() })
            .take_while(|&unit| unit != 0)
            .collect();
        String::from_utf16_lossy(&units)
    }
}
