//! Profiles, settings, secrets and connection: the desk behind the profile commands.
mod common;

use common::*;
use desk_core::dto::ProfileInput;
use desk_core::secrets::SecretStore;
use desk_core::settings::{Language, ProfileKind, SettingsRepo};
use vpws_sim::Endpoint;

#[tokio::test]
async fn first_start_is_the_demo_profile_with_its_built_in_secret() {
    let f = fixture().await;
    let status = f.desk.status().await.unwrap();
    assert_eq!(status.profile.kind, ProfileKind::Demo);
    assert!(status.profile.has_secret);
    assert_eq!(status.profile.base_url, f.gw.base_url());
    assert_eq!(status.language, Language::Turkish, "OS locale until chosen");
    assert!(
        f.settings.load().unwrap().is_some(),
        "settings written on first start"
    );
    let options = f.desk.payment_options("TRY").await.unwrap();
    assert_eq!(options.len(), 6);
    assert!(options
        .iter()
        .any(|p| p.is_default && p.name == "Yapı Kredi World"));
    assert_eq!(options[0].installments[2].commission_rate, "4.79");
}

#[tokio::test]
async fn a_saved_profile_keeps_its_secret_in_the_secret_store_only() {
    let f = fixture().await;
    let saved = f
        .desk
        .save_profile(f.custom_profile("Ege", 1, None))
        .await
        .unwrap();
    assert!(saved.has_secret);
    assert_eq!(
        f.secrets.get(&saved.id).unwrap().as_deref(),
        Some(f.gw.data().dealers[1].secret_key.as_str())
    );
    let stored = serde_json::to_string(&f.settings.load().unwrap().unwrap()).unwrap();
    assert!(
        !stored.contains(&f.gw.data().dealers[1].secret_key),
        "no secret in settings"
    );
    let views = serde_json::to_string(&f.desk.list_profiles().await.unwrap()).unwrap();
    assert!(
        !views.contains(&f.gw.data().dealers[1].secret_key),
        "no secret over IPC"
    );

    // Editing without a new secret keeps the stored one.
    let edit = ProfileInput {
        id: Some(saved.id.clone()),
        secret_key: None,
        name: "Ege Elektronik".into(),
        ..f.custom_profile("x", 1, None)
    };
    let edited = f.desk.save_profile(edit).await.unwrap();
    assert_eq!(edited.name, "Ege Elektronik");
    assert!(edited.has_secret);

    f.desk.delete_profile(saved.id.clone()).await.unwrap();
    assert_eq!(
        f.secrets.get(&saved.id).unwrap(),
        None,
        "secret deleted with the profile"
    );
    assert_eq!(f.desk.list_profiles().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_new_gateway_host_needs_the_secret_key_again() {
    let f = fixture().await;
    let saved = f
        .desk
        .save_profile(f.custom_profile("Ege", 1, None))
        .await
        .unwrap();
    let elsewhere = ProfileInput {
        id: Some(saved.id.clone()),
        secret_key: None,
        base_url: Some("https://gateway.elsewhere.example".into()),
        ..f.custom_profile("Ege", 1, None)
    };
    let refused = f.desk.save_profile(elsewhere.clone()).await.unwrap_err();
    assert_eq!(
        (refused.code.as_str(), refused.details["field"].as_str()),
        ("invalid_input", "secretKey")
    );
    assert_eq!(refused.details["reason"], "required_for_new_host");
    let unchanged = &f.desk.list_profiles().await.unwrap();
    let kept = unchanged.iter().find(|p| p.id == saved.id).unwrap();
    assert_eq!(kept.base_url, f.gw.base_url());

    // Another path on the same host keeps the key; a new key for the new host is accepted.
    let same_host = ProfileInput {
        base_url: Some(format!("{}/vpws-proxy", f.gw.base_url())),
        ..elsewhere.clone()
    };
    assert!(f.desk.save_profile(same_host).await.unwrap().has_secret);
    let with_key = ProfileInput {
        secret_key: Some("the-new-hosts-key".into()),
        ..elsewhere
    };
    f.desk.save_profile(with_key).await.unwrap();
    assert_eq!(
        f.secrets.get(&saved.id).unwrap().as_deref(),
        Some("the-new-hosts-key")
    );
}

#[tokio::test]
async fn profile_input_is_validated() {
    let f = fixture().await;
    let reason = |p: ProfileInput| async { f.desk.save_profile(p).await.unwrap_err() };
    let mut no_name = f.custom_profile("", 0, None);
    no_name.name = " ".into();
    let e = reason(no_name).await;
    assert_eq!(
        (e.details["field"].as_str(), e.details["reason"].as_str()),
        ("name", "required")
    );
    let mut bad_url = f.custom_profile("X", 0, None);
    bad_url.base_url = Some("ftp://nowhere".into());
    assert_eq!(reason(bad_url).await.details["field"], "baseUrl");
    let mut plain_http = f.custom_profile("X", 0, None);
    plain_http.base_url = Some("http://pgw.example.com".into());
    assert_eq!(
        reason(plain_http).await.details["reason"],
        "https_required",
        "card data never travels without TLS (loopback excepted)"
    );
    let mut no_url = f.custom_profile("X", 0, None);
    no_url.base_url = None;
    assert_eq!(reason(no_url).await.details["reason"], "required");
    let mut currency = f.custom_profile("X", 0, None);
    currency.currency = "lira".into();
    assert_eq!(reason(currency).await.details["field"], "currency");
    let mut demo = f.custom_profile("Another demo", 0, None);
    demo.kind = ProfileKind::Demo;
    assert_eq!(reason(demo).await.details["reason"], "not_editable");
    assert_eq!(
        f.desk.delete_profile("demo".into()).await.unwrap_err().code,
        "not_deletable"
    );
    assert_eq!(
        f.desk.switch_profile("nope".into()).await.unwrap_err().code,
        "profile_not_found"
    );
}

#[tokio::test]
async fn switching_profile_switches_dealer_token_and_data() {
    let f = fixture().await;
    let ege = f
        .desk
        .save_profile(f.custom_profile("Ege", 1, None))
        .await
        .unwrap();
    let anadolu_pos = f.desk.payment_options("TRY").await.unwrap();
    let status = f.desk.switch_profile(ege.id.clone()).await.unwrap();
    assert_eq!(status.profile.id, ege.id);
    let ege_pos = f.desk.payment_options("TRY").await.unwrap();
    assert_ne!(anadolu_pos, ege_pos, "the other dealer's POS set");
    assert_eq!(
        f.gw.request_count(Endpoint::Token),
        2,
        "a new token for the new profile"
    );
    f.desk.switch_profile("demo".into()).await.unwrap();
    assert_eq!(f.desk.payment_options("TRY").await.unwrap(), anadolu_pos);
    assert_eq!(
        f.gw.request_count(Endpoint::Token),
        3,
        "never a token of another profile"
    );
}

#[tokio::test]
async fn wrong_secret_is_credentials_rejected_and_the_desk_keeps_working() {
    let f = fixture().await;
    let wrong = f
        .desk
        .save_profile(f.custom_profile("Wrong", 0, Some("not-the-secret")))
        .await
        .unwrap();
    let e = f.desk.test_connection(wrong.id.clone()).await.unwrap_err();
    assert_eq!(e.code, "credentials_rejected");
    assert!(!e.message.contains("not-the-secret"));
    f.desk.switch_profile(wrong.id.clone()).await.unwrap();
    assert_eq!(
        f.desk.payment_options("TRY").await.unwrap_err().code,
        "credentials_rejected"
    );
    f.desk.switch_profile("demo".into()).await.unwrap();
    assert_eq!(f.desk.payment_options("TRY").await.unwrap().len(), 6);
    let ok = f.desk.test_connection("demo".into()).await.unwrap();
    assert_eq!(ok.pos_count, 6);
    assert!(
        !serde_json::to_string(&ok).unwrap().contains("eyJ"),
        "the token never reaches the UI"
    );
}

#[tokio::test]
async fn a_profile_without_a_secret_says_so() {
    let f = fixture().await;
    let mut input = f.custom_profile("No secret", 0, None);
    input.secret_key = None;
    let saved = f.desk.save_profile(input).await.unwrap();
    assert!(!saved.has_secret);
    assert_eq!(
        f.desk
            .test_connection(saved.id.clone())
            .await
            .unwrap_err()
            .code,
        "secret_missing"
    );
}

#[tokio::test]
async fn preferences_persist() {
    let f = fixture().await;
    let prefs = desk_core::dto::Preferences {
        language: Some(Language::English),
        commission_to_customer: Some(true),
        operator_name: Some(" Zeynep ".into()),
        text_size: Some(150),
        high_contrast: Some(true),
        ..Default::default()
    };
    let status = f.desk.update_preferences(prefs).await.unwrap();
    assert_eq!(status.language, Language::English);
    assert!(status.commission_to_customer);
    assert_eq!(status.profile.operator_name, "Zeynep");
    assert_eq!((status.text_size, status.high_contrast), (150, true));
    let saved = f.settings.load().unwrap().unwrap();
    assert_eq!(saved.language, Some(Language::English));
    assert_eq!(saved.profiles[0].operator_name, "Zeynep");
    assert_eq!((saved.text_size, saved.high_contrast), (150, true));
}

#[tokio::test]
async fn only_the_offered_text_sizes_are_taken() {
    let f = fixture().await;
    let prefs = desk_core::dto::Preferences {
        text_size: Some(175),
        ..Default::default()
    };
    let e = f.desk.update_preferences(prefs).await.unwrap_err();
    assert_eq!(e.details["field"], "textSize");
    assert_eq!(f.desk.status().await.unwrap().text_size, 100);
}

#[tokio::test]
async fn quotes_are_exact() {
    let f = fixture().await;
    let pos = f.desk.payment_options("TRY").await.unwrap();
    let input = desk_core::dto::QuoteInput {
        amount: "1000".into(),
        currency: "TRY".into(),
        commission_to_customer: false,
        tenant_pos_ids: vec![pos[0].tenant_pos_id.clone(), pos[1].tenant_pos_id.clone()],
        for_card: false,
    };
    let asked = f.gw.request_count(Endpoint::PaymentOptions);
    let quotes = f.desk.quote(input.clone()).await.unwrap();
    assert_eq!(
        f.gw.request_count(Endpoint::PaymentOptions),
        asked,
        "quoted on the rates the screen was shown, without asking again"
    );
    let ids: Vec<_> = quotes.iter().map(|q| q.tenant_pos_id.as_str()).collect();
    assert_eq!(ids, [&pos[0].tenant_pos_id, &pos[1].tenant_pos_id]);
    let rows = &quotes[0].rows;
    assert_eq!(rows.len(), 12);
    assert_eq!(
        (
            rows[2].total.to_string().as_str(),
            rows[2].net.to_string().as_str(),
            rows[2].per_installment.to_string().as_str()
        ),
        ("1000.00", "952.10", "333.33")
    );
    // The second POS has its own rates: 3 installments at 4.99 %.
    assert_eq!(quotes[1].rows[2].net.to_string(), "950.10");
    let bad = desk_core::dto::QuoteInput {
        amount: "1.234,5".into(),
        ..input.clone()
    };
    assert_eq!(
        f.desk.quote(bad.clone()).await.unwrap_err().details["reason"],
        "not_a_number"
    );
    let unknown = desk_core::dto::QuoteInput {
        tenant_pos_ids: vec!["no-such-pos".into()],
        ..input
    };
    let e = f.desk.quote(unknown).await.unwrap_err();
    assert_eq!(
        (e.details["field"].as_str(), e.details["reason"].as_str()),
        ("pos", "invalid")
    );
}

fn quote_of_1000_on_ykb(for_card: bool) -> desk_core::dto::QuoteInput {
    desk_core::dto::QuoteInput {
        amount: "1000".into(),
        currency: "TRY".into(),
        commission_to_customer: false,
        tenant_pos_ids: vec![YKB_WORLD_POS.into()],
        for_card,
    }
}

/// A quote for rates this desk has not been shown (another currency, a fresh start) asks the
/// gateway for them first: the figures are always the gateway's.
#[tokio::test]
async fn a_quote_without_rates_at_hand_asks_the_gateway_for_them() {
    let f = fixture().await;
    let input = quote_of_1000_on_ykb(false);
    let quotes = f.desk.quote(input).await.unwrap();
    assert_eq!(f.gw.request_count(Endpoint::PaymentOptions), 1);
    assert_eq!(quotes[0].rows[2].net.to_string(), "952.10");
}

/// The payment form quotes on the card's own options: only the POSes its lookup offered, and
/// nothing before a card is looked up.
#[tokio::test]
async fn a_card_quote_is_on_the_rates_the_card_lookup_gave() {
    let f = fixture().await;
    let input = quote_of_1000_on_ykb(true);
    let e = f.desk.quote(input.clone()).await.unwrap_err();
    assert_eq!(e.details["field"], "pos", "no card looked up yet");
    let options = f
        .desk
        .bin_options(desk_core::dto::BinInput {
            bin: "415565".into(),
            currency: "TRY".into(),
            amount: None,
        })
        .await
        .unwrap();
    let quotes = f.desk.quote(input.clone()).await.unwrap();
    assert_eq!(quotes[0].rows.len(), options.poses[0].installments.len());
    let all = f.desk.payment_options("TRY").await.unwrap();
    let not_for_this_card = all
        .iter()
        .find(|p| p.tenant_pos_id != YKB_WORLD_POS)
        .unwrap();
    let other = desk_core::dto::QuoteInput {
        tenant_pos_ids: vec![not_for_this_card.tenant_pos_id.clone()],
        ..input
    };
    assert_eq!(
        f.desk.quote(other).await.unwrap_err().details["field"],
        "pos",
        "a POS the card was not offered is not quoted for it"
    );
}

#[tokio::test]
async fn bin_lookup() {
    let f = fixture().await;
    let options = f
        .desk
        .bin_options(desk_core::dto::BinInput {
            bin: "415565".into(),
            currency: "TRY".into(),
            amount: Some("1500".into()),
        })
        .await
        .unwrap();
    assert_eq!(options.poses.len(), 1);
    assert_eq!(options.poses[0].tenant_pos_id, YKB_WORLD_POS);
    assert_eq!(
        f.desk
            .bin_options(desk_core::dto::BinInput {
                bin: "4155".into(),
                currency: "TRY".into(),
                amount: None,
            })
            .await
            .unwrap_err()
            .details["reason"],
        "bin"
    );
    assert!(options.card_known);
    // A card the gateway does not know (P018) is still taken, in one payment on the default POS:
    // the desk decides that, not the screen.
    let unknown = f
        .desk
        .bin_options(desk_core::dto::BinInput {
            bin: "402277".into(),
            currency: "TRY".into(),
            amount: None,
        })
        .await
        .unwrap();
    assert!(!unknown.card_known);
    assert_eq!(unknown.poses.len(), 1);
    assert_eq!(
        unknown.poses[0].tenant_pos_id, YKB_WORLD_POS,
        "the default POS"
    );
    assert!(unknown.poses[0].is_default);
    let counts: Vec<u32> = unknown.poses[0]
        .installments
        .iter()
        .map(|i| i.count)
        .collect();
    assert_eq!(counts, [1], "no installments for a card nobody knows");
    assert_eq!(unknown.three_d_limit, None);
}

/// The keychain's self-check runs after start (it costs ~60 ms of D-Bus round trips): until it
/// answers, a secret waits and the status says nothing about it after waiting a second (the app
/// tells the screen when a slower keychain answers); a failed check refuses the secret.
#[tokio::test]
async fn a_secret_waits_for_the_keychain_check_after_start_and_is_refused_if_it_failed() {
    let f = fixture().await;
    let desk = std::sync::Arc::new(
        desk_on(
            &f,
            desk_core::journal::SqliteJournal::open_in_memory().unwrap(),
        )
        .with_keychain_check_pending(),
    );
    assert_eq!(desk.status().await.unwrap().keychain_problem, None);
    let saving = tokio::spawn({
        let (desk, input) = (desk.clone(), f.custom_profile("Ege", 1, None));
        async move { desk.save_profile(input).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    assert!(
        !saving.is_finished(),
        "nothing is kept before the check has answered"
    );

    desk.keychain_checked(Some("the keychain did not keep a value".into()));
    let refused = saving.await.unwrap().unwrap_err();
    assert_eq!(
        refused.code,
        desk_core::error::ErrorCode::KeychainUnavailable
    );
    assert_eq!(
        desk.status().await.unwrap().keychain_problem.as_deref(),
        Some("the keychain did not keep a value")
    );
    assert!(
        !desk
            .list_profiles()
            .await
            .unwrap()
            .iter()
            .any(|p| p.name == "Ege"),
        "the profile waits for a keychain that keeps its secret"
    );
}

#[tokio::test]
async fn a_secret_is_kept_once_the_keychain_check_after_start_found_it_working() {
    let f = fixture().await;
    let desk = desk_on(
        &f,
        desk_core::journal::SqliteJournal::open_in_memory().unwrap(),
    )
    .with_keychain_check_pending();
    desk.keychain_checked(None);
    let saved = desk
        .save_profile(f.custom_profile("Ege", 1, None))
        .await
        .unwrap();
    assert!(saved.has_secret);
    assert_eq!(desk.status().await.unwrap().keychain_problem, None);
}

/// The memory store, counting reads (each a D-Bus round trip to the OS keychain in the app).
#[derive(Default)]
struct CountedReads {
    store: desk_core::secrets::MemorySecretStore,
    reads: std::sync::atomic::AtomicUsize,
}

impl CountedReads {
    fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl SecretStore for CountedReads {
    fn get(&self, key: &str) -> desk_core::error::AppResult<Option<String>> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.store.get(key)
    }
    fn set(&self, key: &str, secret: &str) -> desk_core::error::AppResult<()> {
        self.store.set(key, secret)
    }
    fn delete(&self, key: &str) -> desk_core::error::AppResult<()> {
        self.store.delete(key)
    }
}

/// A desk on the fixture's gateway and settings whose keychain counts its reads.
fn desk_counting_reads(f: &Fixture, secrets: &std::sync::Arc<CountedReads>) -> desk_core::Desk {
    let dealer = &f.gw.data().dealers[0];
    desk_core::Desk::new(
        std::sync::Arc::new(desk_core::host::MemoryHost::new(
            f.settings.clone(),
            secrets.clone(),
        )),
        f.journal.clone(),
        desk_core::DemoAccess {
            dealer_name: dealer.name.clone(),
            base_url: f.gw.base_url(),
            api_key: dealer.api_key.clone(),
            secret_key: dealer.secret_key.clone(),
        },
        Language::Turkish,
        None,
    )
    .unwrap()
}

#[tokio::test]
async fn the_status_reads_the_keychain_once_and_then_knows_what_it_holds() {
    let f = fixture().await;
    let secrets = std::sync::Arc::new(CountedReads::default());
    let desk = desk_counting_reads(&f, &secrets);
    let with_secret = desk
        .save_profile(f.custom_profile("Ege", 1, None))
        .await
        .unwrap();
    let mut input = f.custom_profile("Marmara", 0, None);
    input.secret_key = None;
    let without = desk.save_profile(input.clone()).await.unwrap();

    let first = desk.status().await.unwrap();
    let has_secret = |status: &desk_core::dto::AppStatus, id: &str| {
        status
            .profiles
            .iter()
            .find(|p| p.id == id)
            .unwrap()
            .has_secret
    };
    assert!(has_secret(&first, &with_secret.id));
    assert!(!has_secret(&first, &without.id));
    assert!(!first.journal.has_team_password);

    let reads = secrets.reads();
    let again = desk.status().await.unwrap();
    assert_eq!(
        secrets.reads(),
        reads,
        "the second status asked the keychain again"
    );
    assert_eq!(again.profiles, first.profiles);

    // What this desk writes or deletes is known without reading it back.
    input.id = Some(without.id.clone());
    input.secret_key = Some(f.gw.data().dealers[0].secret_key.clone());
    desk.save_profile(input).await.unwrap();
    desk.delete_profile(with_secret.id.clone()).await.unwrap();
    let reads = secrets.reads();
    let after = desk.status().await.unwrap();
    assert_eq!(secrets.reads(), reads);
    assert!(has_secret(&after, &without.id));
    assert!(!after.profiles.iter().any(|p| p.id == with_secret.id));
}

#[tokio::test]
async fn what_the_keychain_holds_is_learnt_at_start_so_the_first_status_reads_nothing() {
    let f = fixture().await;
    let secrets = std::sync::Arc::new(CountedReads::default());
    let desk = desk_counting_reads(&f, &secrets);
    let saved = desk
        .save_profile(f.custom_profile("Ege", 1, None))
        .await
        .unwrap();
    // The next start: a new desk, which has seen nothing yet.
    let desk = desk_counting_reads(&f, &secrets);
    let reads_before = secrets.reads();
    desk.learn_what_the_keychain_holds().await;
    let reads = secrets.reads();
    assert_eq!(
        reads - reads_before,
        3,
        "one read for the profile, one for the team password, one for the mail server's"
    );
    let status = desk.status().await.unwrap();
    assert_eq!(
        secrets.reads(),
        reads,
        "the first status waited for the keychain"
    );
    assert!(status
        .profiles
        .iter()
        .any(|p| p.id == saved.id && p.has_secret));
}
