//! "Test" on the Connection screen against a real PostgreSQL (`DD_TEST_POSTGRES`, started by
//! `.ci/test` with TLS on a self-signed certificate): each thing that can be wrong gets its own
//! code, which the UI says in the operator's language, and TLS works as each mode promises.

mod common;

use std::time::Duration;

use common::{fresh_database, owner_url, pg_client, team_settings_of, test_postgres};
use desk_core::journal::{
    EntryKind, Journal, NewEntry, Outcome, PgJournal, Settlement, SslMode, TeamDatabase,
};

/// The test server's admin database.
fn server() -> (TeamDatabase, String) {
    team_settings_of(&test_postgres())
}

async fn check(database: &TeamDatabase, password: &str) -> Result<(), String> {
    let journal = PgJournal::open(database, password).map_err(|e| e.code.as_str().to_owned())?;
    journal
        .check()
        .await
        .map_err(|e| e.code.as_str().to_owned())
}

#[tokio::test]
async fn the_right_settings_connect_and_set_the_schema_up() {
    let url = fresh_database("dd_team_ok").await;
    let (database, password) = team_settings_of(&url);
    assert_eq!(check(&database, &password).await, Ok(()));
    let journal = PgJournal::open(&database, &password).unwrap();
    assert!(
        journal.count_unsettled("demo").await.unwrap() == 0,
        "the schema is there"
    );
}

#[tokio::test]
async fn a_wrong_password_is_journal_auth() {
    let (database, _) = server();
    assert_eq!(
        check(&database, "not-the-password").await,
        Err("journal_auth".into())
    );
}

#[tokio::test]
async fn a_missing_database_is_journal_missing() {
    let (mut database, password) = server();
    database.database = "dd_no_such_database".into();
    assert_eq!(
        check(&database, &password).await,
        Err("journal_missing".into())
    );
}

#[tokio::test]
async fn nothing_listening_is_journal_unreachable() {
    let (mut database, password) = server();
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    database.port = free.local_addr().unwrap().port();
    drop(free);
    assert_eq!(
        check(&database, &password).await,
        Err("journal_unreachable".into())
    );
}

#[tokio::test]
async fn a_database_set_up_by_a_newer_app_is_refused() {
    let url = fresh_database("dd_team_newer").await;
    let (database, password) = team_settings_of(&url);
    assert_eq!(check(&database, &password).await, Ok(()));
    let journal = PgJournal::open(&database, &password).unwrap();
    journal.check().await.unwrap();
    drop(journal);
    let client = pg_client(&owner_url(&url)).await;
    client
        .batch_execute("UPDATE dd_schema SET version = 999, usable_from = 999")
        .await
        .unwrap();
    assert_eq!(
        check(&database, &password).await,
        Err("journal_newer".into())
    );
}

/// Issue 28, 8: a newer app's additive step (new columns, tables or indexes an older desk does
/// not need) does not lock older desks out: the database says from which version on an app can
/// use it, and a desk refuses only what it cannot work with. It leaves the newer schema as it is.
#[tokio::test]
async fn a_newer_schema_that_older_desks_can_use_is_used_as_it_is() {
    let url = fresh_database("dd_team_mixed").await;
    let (database, password) = team_settings_of(&url);
    assert_eq!(check(&database, &password).await, Ok(()));
    let client = pg_client(&owner_url(&url)).await;
    let (version, usable_from): (i32, i32) = {
        let row = client
            .query_one("SELECT version, usable_from FROM dd_schema", &[])
            .await
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert!(usable_from <= version, "{usable_from} <= {version}");
    // A newer desk added a step older ones can ignore.
    client
        .batch_execute(&format!(
            "ALTER TABLE entries ADD COLUMN newer_column TEXT;
             UPDATE dd_schema SET version = {}",
            version + 1
        ))
        .await
        .unwrap();
    assert_eq!(check(&database, &password).await, Ok(()), "still usable");
    let journal = PgJournal::open(&database, &password).unwrap();
    journal.check().await.unwrap();
    let id = journal
        .record(&desk_core::journal::NewEntry {
            kind: Some(desk_core::journal::EntryKind::Payment),
            profile_id: "p".into(),
            environment: "live".into(),
            currency: "TRY".into(),
            order_reference: Some("ORD-MIXED".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(journal.get(id).await.unwrap().is_some());
    let after: i32 = client
        .query_one("SELECT version FROM dd_schema", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        after,
        version + 1,
        "an older desk leaves the newer schema as it is"
    );
}

/// The Reports screen's year at a million entries groups ~600,000 rows into a few thousand:
/// without statistics on the grouped columns together, PostgreSQL guesses a hundred thousand
/// groups and reads them on one core (214 ms in the team benchmark; 147 ms with them). A
/// database of an earlier version gains them when its owner upgrades it; until then desks are
/// told a supervisor must (the desks' account cannot change the schema).
#[tokio::test]
async fn a_journal_of_an_earlier_version_gains_the_reports_statistics_when_its_owner_upgrades_it() {
    let url = fresh_database("dd_team_v4").await;
    let (database, password) = team_settings_of(&url);
    assert_eq!(check(&database, &password).await, Ok(()));
    let client = pg_client(&owner_url(&url)).await;
    let statistics =
        "SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'entries_report_groups'";
    let count = |row: tokio_postgres::Row| row.get::<_, i64>(0);
    assert_eq!(count(client.query_one(statistics, &[]).await.unwrap()), 1);
    client
        .batch_execute("DROP STATISTICS entries_report_groups; UPDATE dd_schema SET version = 4")
        .await
        .unwrap();
    assert_eq!(
        check(&database, &password).await,
        Err("journal_setup_needed".into())
    );
    assert_eq!(count(client.query_one(statistics, &[]).await.unwrap()), 0);
    let admin = url::Url::parse(&test_postgres()).unwrap();
    PgJournal::set_up(
        &database,
        admin.username(),
        admin.password().unwrap(),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(check(&database, &password).await, Ok(()));
    assert_eq!(count(client.query_one(statistics, &[]).await.unwrap()), 1);
    let version: i32 = client
        .query_one("SELECT version FROM dd_schema", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(version, 12);
}

#[tokio::test]
async fn require_pins_the_servers_own_certificate_once_it_is_confirmed() {
    let (mut database, password) = team_settings_of(&fresh_database("dd_team_pinned").await);
    database.ssl_mode = SslMode::Require;
    // Nothing pinned yet: refused, with the certificate's fingerprint to confirm.
    let first = PgJournal::open(&database, &password)
        .unwrap()
        .check()
        .await
        .unwrap_err();
    assert_eq!(first.code, "journal_certificate");
    assert_eq!(first.details["pinned"], "new");
    let fingerprint = first.details["fingerprint"].clone();
    assert_eq!(fingerprint.len(), 32 * 3 - 1, "{fingerprint}");
    // Another certificate than the one pinned: refused as changed (someone may be in between).
    database.certificate = Some(vec!["00"; 32].join(":"));
    let other = PgJournal::open(&database, &password)
        .unwrap()
        .check()
        .await
        .unwrap_err();
    assert_eq!(
        (other.code.as_str(), other.details["pinned"].as_str()),
        ("journal_certificate", "changed")
    );
    // The confirmed one: connected, encrypted, the password bound to the channel.
    database.certificate = Some(fingerprint);
    assert_eq!(
        database.pg_config(&password).get_channel_binding(),
        tokio_postgres::config::ChannelBinding::Require
    );
    let journal = PgJournal::open(&database, &password).unwrap();
    journal.check().await.unwrap();
    // The pool keeps its connection: the server sees it encrypted.
    let client = pg_client(&test_postgres()).await;
    let encrypted: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
             WHERE ssl AND application_name = 'Dealer Desk'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(encrypted >= 1, "the desk's connection uses TLS");
}

#[tokio::test]
async fn verify_full_refuses_a_certificate_it_cannot_trust() {
    let (mut database, password) = server();
    database.ssl_mode = SslMode::VerifyFull;
    assert_eq!(
        check(&database, &password).await,
        Err("journal_certificate".into())
    );
}

#[tokio::test]
async fn another_desk_hears_of_each_new_or_changed_entry_at_once() {
    let url = fresh_database("dd_team_listen").await;
    let (database, password) = team_settings_of(&url);
    let desk_a = PgJournal::open(&database, &password).unwrap();
    desk_a.check().await.unwrap();
    let desk_b = PgJournal::open(&database, &password).unwrap();
    let mut heard = desk_b
        .changes()
        .expect("a shared journal announces changes");
    let entry = |order: &str| NewEntry {
        kind: Some(EntryKind::Payment),
        profile_id: "demo".into(),
        environment: "demo".into(),
        currency: "TRY".into(),
        order_reference: Some(order.into()),
        ..NewEntry::default()
    };
    // The listener connects in the background (and says so, 0): write until it hears a write.
    let mut ready = false;
    for attempt in 0..50 {
        let id = desk_a
            .record(&entry(&format!("DD-WARM-{attempt}")))
            .await
            .unwrap();
        if let Ok(Ok(got)) = tokio::time::timeout(Duration::from_millis(100), heard.recv()).await {
            if got > 0 && got <= id {
                ready = true;
                break;
            }
        }
    }
    assert!(ready, "the listener never heard a write");

    // What is heard next of `id` within 2 s (earlier writes' late announcements skipped).
    async fn hears(heard: &mut tokio::sync::broadcast::Receiver<i64>, id: i64) -> bool {
        tokio::time::timeout(Duration::from_secs(2), async {
            while let Ok(got) = heard.recv().await {
                if got == id {
                    return true;
                }
            }
            false
        })
        .await
        .unwrap_or(false)
    }
    let id = desk_a.record(&entry("DD-HEARD")).await.unwrap();
    assert!(hears(&mut heard, id).await, "a new entry");
    let settled = Settlement {
        outcome: Some(Outcome::Success),
        ..Settlement::default()
    };
    desk_a.settle(id, &settled).await.unwrap();
    assert!(hears(&mut heard, id).await, "a settled entry");
}

/// A desk on a team journal that needs a newer app knows it (it then looks for an update at
/// once and offers it as required); on a journal it can use, it does not.
#[tokio::test]
async fn a_desk_knows_when_the_team_journal_needs_a_newer_app() {
    let f = common::fixture().await;
    let url = fresh_database("dd_team_required").await;
    let desk = common::desk_on(&f, PgJournal::connect(&url).await.unwrap());
    assert!(!desk.journal_needs_newer_app().await);
    pg_client(&owner_url(&url))
        .await
        .batch_execute("UPDATE dd_schema SET version = 999, usable_from = 999")
        .await
        .unwrap();
    let later = common::desk_on(
        &f,
        PgJournal::open(&team_settings_of(&url).0, &team_settings_of(&url).1).unwrap(),
    );
    assert!(later.journal_needs_newer_app().await);
}

/// A desk's listener that was cut from the database missed what happened meanwhile: once it
/// is back it says "something may have changed", so lists reload (a desk showed another desk's
/// payment pending for good after the database came back).
#[tokio::test]
async fn a_listener_back_after_an_outage_says_changes_may_have_been_missed() {
    let url = fresh_database("dd_team_relisten").await;
    let (database, password) = team_settings_of(&url);
    let writer = PgJournal::open(&database, &password).unwrap();
    writer.check().await.unwrap();
    let proxy = test_kit::proxy::CutProxy::start(
        format!("{}:{}", database.host, database.port)
            .parse()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut through_proxy = database.clone();
    through_proxy.port = proxy.address().port();
    let listening = PgJournal::open(&through_proxy, &password).unwrap();
    let mut heard = listening.changes().unwrap();
    // Connected: whatever the first connection says, then quiet.
    tokio::time::sleep(Duration::from_secs(1)).await;
    while heard.try_recv().is_ok() {}

    proxy.cut();
    tokio::time::sleep(Duration::from_millis(500)).await;
    writer
        .record(&NewEntry {
            kind: Some(EntryKind::Payment),
            profile_id: "demo".into(),
            environment: "demo".into(),
            currency: "TRY".into(),
            order_reference: Some("DD-WHILE-AWAY".into()),
            ..NewEntry::default()
        })
        .await
        .unwrap();
    proxy.restore();
    let got = tokio::time::timeout(Duration::from_secs(15), heard.recv()).await;
    assert!(
        matches!(got, Ok(Ok(_))),
        "the listener never said it was back: {got:?}"
    );
}

/// The whole journal's count and totals (what the Transactions screen opens on, reloaded by
/// every window on every change) come from sums a trigger keeps, not from reading every entry;
/// a filter still reads the entries. Through hundreds of writes, settlements (past the point
/// the noted changes are folded into the sums) and writes of two desks at once, both agree.
#[tokio::test]
async fn the_whole_journals_count_and_totals_agree_with_its_entries_through_every_change() {
    use desk_core::journal::Filter;

    fn entry(i: usize) -> NewEntry {
        NewEntry {
            kind: Some([EntryKind::Payment, EntryKind::Refund, EntryKind::Cancel][i % 3]),
            profile_id: "demo".into(),
            environment: "demo".into(),
            currency: ["TRY", "USD"][i % 2].into(),
            amount: Some(rust_decimal::Decimal::new(1000 + 101 * i as i64, 2)),
            commission_rate: Some(rust_decimal::Decimal::new(179, 2)),
            order_reference: Some(format!("DD-SUMS-{i}")),
            ..NewEntry::default()
        }
    }
    /// Both ways agree; the number of entries.
    async fn agree(journal: &PgJournal, when: &str) -> u32 {
        let whole = Filter::default();
        let everything = Filter {
            from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
            ..Filter::default()
        };
        let sums = journal.totals(&whole).await.unwrap();
        assert_eq!(sums, journal.totals(&everything).await.unwrap(), "{when}");
        assert!(!sums.is_empty(), "{when}: something succeeded");
        let counted = journal.search(&whole, 0, 1).await.unwrap().total;
        let read = journal.search(&everything, 0, 1).await.unwrap().total;
        assert_eq!(counted, read, "{when}");
        counted
    }
    /// Reserves and settles 150 entries from `from` on.
    async fn write_and_settle(journal: &PgJournal, from: usize) {
        for i in from..from + 150 {
            let id = journal.record(&entry(i)).await.unwrap();
            let settled = Settlement {
                outcome: Some(if i % 4 == 0 {
                    Outcome::Failed
                } else {
                    Outcome::Success
                }),
                ..Settlement::default()
            };
            assert!(journal.settle(id, &settled).await.unwrap());
        }
    }

    let url = fresh_database("dd_team_sums").await;
    let (database, password) = team_settings_of(&url);
    let desk_a = PgJournal::open(&database, &password).unwrap();
    let desk_b = PgJournal::open(&database, &password).unwrap();
    // 600 written at once, a third of them successful already.
    let at = chrono::Utc::now();
    let outcomes = [Outcome::Success, Outcome::Failed, Outcome::Pending];
    let written: Vec<_> = (0..600).map(|i| (entry(i), outcomes[i % 3], at)).collect();
    desk_a.record_many(&written).await.unwrap();
    assert_eq!(agree(&desk_a, "after the first writes").await, 600);
    // Two desks at once, past the next fold.
    tokio::join!(
        write_and_settle(&desk_a, 1000),
        write_and_settle(&desk_b, 2000)
    );
    assert_eq!(agree(&desk_b, "after both desks' writes").await, 900);
}
