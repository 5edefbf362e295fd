//! How many connections a desk holds on the team database (a default server allows 100 for all
//! desks together), and what it does when the server has none to spare: a clear error at
//! once when it has no connection at all, and otherwise the work waits its turn on the desk's
//! own connection instead of failing. Against the real test server (`DD_TEST_POSTGRES`); the
//! server's limit is played by the desks' account's connection limit, which the server refuses
//! with the same SQLSTATE (53300, too many connections).

mod common;

use std::time::Duration;

use common::*;
use desk_core::journal::{Filter, Journal, PgJournal};
use vpws_sim::Endpoint;

/// The connections the desks' account of the database at `url` holds now.
async fn held_by_desks(url: &str) -> i64 {
    let user = url::Url::parse(url).unwrap().username().to_owned();
    pg_client(&owner_url(url))
        .await
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = $1",
            &[&user],
        )
        .await
        .unwrap()
        .get(0)
}

async fn limit_desks_to(url: &str, connections: i32) {
    let user = url::Url::parse(url).unwrap().username().to_owned();
    pg_client(&owner_url(url))
        .await
        .batch_execute(&format!("ALTER ROLE {user} CONNECTION LIMIT {connections}"))
        .await
        .unwrap();
}

/// The team journal at `url`, not reached yet, as a desk opens it at its start.
fn opened(url: &str) -> PgJournal {
    let (database, password) = team_settings_of(url);
    PgJournal::open(&database, &password).unwrap()
}

/// Starts listening (the desk's home connection) and waits until it is connected.
async fn listening(journal: &dyn Journal) -> tokio::sync::broadcast::Receiver<i64> {
    let mut heard = journal
        .changes()
        .expect("the team journal announces changes");
    let first = tokio::time::timeout(Duration::from_secs(10), heard.recv()).await;
    assert_eq!(first.expect("home connects").unwrap(), 0);
    heard
}

#[tokio::test]
async fn a_desk_doing_one_thing_at_a_time_holds_one_connection_which_also_listens() {
    let f = fixture().await;
    let url = fresh_database("dd_conn_one").await;
    let desk = desk_on(&f, opened(&url));
    let mut heard = listening(desk.journal().as_ref()).await;

    let tx = paid(&desk, "ORD-CONN-1", "150").await;
    desk.lookup(desk_core::dto::LookupKey::ReferenceCode(
        tx.reference_code.clone(),
    ))
    .await
    .unwrap();
    desk.journal_totals(Filter::default()).await.unwrap();
    desk.journal_report(today_in_istanbul()).await.unwrap();

    assert_eq!(held_by_desks(&url).await, 1);
    // The same connection heard the payment's entry being written.
    let id = tokio::time::timeout(Duration::from_secs(5), heard.recv())
        .await
        .expect("the payment is announced")
        .unwrap();
    assert!(id > 0);
}

#[tokio::test]
async fn a_server_with_no_connection_to_spare_is_journal_full_at_once_and_nothing_is_sent() {
    let f = fixture().await;
    let url = fresh_database("dd_conn_full").await;
    limit_desks_to(&url, 0).await;
    let desk = desk_on(&f, opened(&url));

    // Bounded far below what an operator would take for a hang; the answer comes at once.
    let refused = tokio::time::timeout(
        Duration::from_secs(30),
        desk.pay_with(payment("ORD-FULL-1", "150", APPROVE), no_3d),
    )
    .await
    .expect("an answer, not a hang")
    .unwrap_err();
    assert_eq!(refused.code.as_str(), "journal_full", "{refused:?}");
    assert_eq!(f.gw.request_count(Endpoint::Payment), 0);
}

#[tokio::test]
async fn at_the_servers_limit_work_waits_for_the_desks_own_connection_instead_of_failing() {
    let f = fixture().await;
    let url = fresh_database("dd_conn_wait").await;
    let desk = desk_on(&f, opened(&url));
    let _heard = listening(desk.journal().as_ref()).await;
    limit_desks_to(&url, 1).await;

    // A window loads its list, its totals and a report at once: one runs on the desk's own
    // connection, the others find the server full and wait their turn on it.
    let page = desk_core::journal::PageQuery {
        filter: Filter::default(),
        offset: 0,
        limit: 100,
    };
    let (list, totals, report) = tokio::join!(
        desk.journal_search(page),
        desk.journal_totals(Filter::default()),
        desk.journal_report(today_in_istanbul()),
    );
    list.unwrap();
    totals.unwrap();
    report.unwrap();
    paid(&desk, "ORD-WAIT-1", "150").await;
    assert_eq!(held_by_desks(&url).await, 1);
}

#[tokio::test]
async fn a_journal_closed_leaves_no_connection_behind() {
    let url = fresh_database("dd_conn_close").await;
    let journal = opened(&url);
    let heard = listening(&journal).await;
    journal.search(&Filter::default(), 0, 10).await.unwrap();
    drop((heard, journal));

    let mut held = held_by_desks(&url).await;
    for _ in 0..50 {
        if held == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        held = held_by_desks(&url).await;
    }
    assert_eq!(
        held, 0,
        "the home connection and the pool's close with the journal"
    );
}
