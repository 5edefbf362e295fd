//! A desk on the team database (DESIGN §8): when the database cannot be reached, money
//! operations are refused before anything is sent — never journaled on the side — while
//! lookups keep working.

mod common;

use common::*;
use desk_core::dto::LookupKey;
use desk_core::journal::{PgJournal, SslMode, TeamDatabase};
use vpws_sim::Endpoint;

#[tokio::test]
async fn with_the_team_database_down_money_is_refused_and_lookups_still_work() {
    let f = fixture().await;
    let paid = approved(
        f.desk
            .pay(payment("ORD-TEAM-1", "100", APPROVE), no_3d)
            .await
            .unwrap(),
    );
    let nothing_there = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = TeamDatabase {
        host: "127.0.0.1".into(),
        port: nothing_there.local_addr().unwrap().port(),
        database: "dealer_desk".into(),
        user: "desk".into(),
        ssl_mode: SslMode::Disable,
    };
    drop(nothing_there);
    let desk = desk_on(&f, PgJournal::open(&down, "secret").unwrap());
    let sent = |endpoint| f.gw.request_count(endpoint);
    let (payments, refunds) = (sent(Endpoint::Payment), sent(Endpoint::Refund));

    let refused = desk
        .pay(payment("ORD-TEAM-2", "50", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "journal_unreachable");
    let refused = desk
        .refund(refund_of(&paid.reference_code, "10", "100.00"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "journal_unreachable");
    assert_eq!(
        (sent(Endpoint::Payment), sent(Endpoint::Refund)),
        (payments, refunds),
        "nothing reached the gateway"
    );
    assert!(
        f.journal.latest_payment("ORD-TEAM-2").unwrap().is_none(),
        "and nothing was journaled on the side"
    );

    let seen = desk
        .lookup(LookupKey::ReferenceCode(paid.reference_code.clone()))
        .await
        .unwrap();
    assert_eq!(seen.remaining, "100.00", "lookups keep working");
}

#[tokio::test]
async fn choosing_the_team_database_keeps_its_password_in_the_keychain_for_the_next_start() {
    use desk_core::dto::TeamJournalInput;
    use desk_core::secrets::SecretStore;
    use desk_core::settings::JournalChoice;
    let f = fixture().await;
    let database = TeamDatabase {
        host: " db.bayi.local ".into(),
        port: 5432,
        database: "dealer_desk".into(),
        user: "desk".into(),
        ssl_mode: SslMode::VerifyFull,
    };
    let input = |password: Option<&str>| TeamJournalInput {
        database: database.clone(),
        password: password.map(str::to_owned),
    };
    let missing = f.desk.choose_journal(Some(input(None))).await.unwrap_err();
    assert_eq!(missing.details["field"], "teamPassword");

    let status = f
        .desk
        .choose_journal(Some(input(Some("s3cret"))))
        .await
        .unwrap();
    let trimmed = TeamDatabase {
        host: "db.bayi.local".into(),
        ..database.clone()
    };
    assert_eq!(
        status.journal.chosen,
        JournalChoice::Team {
            database: trimmed.clone()
        }
    );
    assert_eq!(
        status.journal.in_use,
        JournalChoice::Local,
        "from the next start"
    );
    assert!(status.journal.has_team_password);
    assert_eq!(
        f.secrets.get("team-journal").unwrap().as_deref(),
        Some("s3cret")
    );
    use desk_core::settings::SettingsRepo;
    let saved = serde_json::to_string(&f.settings.load().unwrap()).unwrap();
    assert!(!saved.contains("s3cret"), "never in the settings file");

    let kept = f.desk.choose_journal(Some(input(None))).await.unwrap();
    assert!(kept.journal.has_team_password, "an empty password keeps it");
    let local = f.desk.choose_journal(None).await.unwrap();
    assert_eq!(local.journal.chosen, JournalChoice::Local);

    let no_host = TeamJournalInput {
        database: TeamDatabase {
            host: " ".into(),
            ..database
        },
        password: None,
    };
    let refused = f.desk.test_team_journal(no_host).await.unwrap_err();
    assert_eq!(refused.details["field"], "teamHost");
}
