//! What one operator action costs behind its one IPC call: the gateway's requests (its own
//! counts) and the journal's SQL statements (the statement log), through the same path the app
//! takes (the gate, then the command). Printed for the record and held to the budgets in
//! ARCHITECTURE.md.

mod common;

use std::collections::BTreeMap;

use common::*;
use desk_core::desk::Need;
use desk_core::journal::SqliteJournal;
use vpws_sim::Endpoint;

/// The statement log is the process's: these tests take turns reading it (`cargo test` runs them
/// at once in one process, as under Wine; nextest runs each in its own).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The gateway's requests per endpoint since `before`.
fn requests_since(f: &Fixture, before: &BTreeMap<Endpoint, u64>) -> BTreeMap<Endpoint, u64> {
    f.gw.request_counts()
        .into_iter()
        .map(|(endpoint, n)| (endpoint, n - before.get(&endpoint).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Calls to the journal: a statement on its own, or a transaction (`BEGIN` … `COMMIT`) as one
/// (on PostgreSQL each is one round trip).
fn round_trips(statements: &[String]) -> usize {
    let mut open = false;
    let mut trips = 0;
    for sql in statements {
        if sql.starts_with("BEGIN") {
            open = true;
            trips += 1;
        } else if sql.starts_with("COMMIT") || sql.starts_with("ROLLBACK") {
            open = false;
        } else if !open {
            trips += 1;
        }
    }
    trips
}

fn print(action: &str, gateway: &BTreeMap<Endpoint, u64>, statements: &[String]) {
    println!(
        "{action}: gateway {gateway:?}; journal: {} round trips, {} SQL statements:",
        round_trips(statements),
        statements.len()
    );
    for sql in statements {
        println!("  {}", &sql[..sql.len().min(110)]);
    }
}

const HISTORY_READ: &str = "FROM entries WHERE reference_code = ?1 OR";

#[tokio::test]
async fn a_refund_reads_its_history_once() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture().await;
    let sale = paid(&f.desk, "DD-COST-1", "100.00").await;
    f.journal.log_statements();
    SqliteJournal::take_statement_log();
    let before = f.gw.request_counts();

    f.desk.gate(Need::Refund).await.unwrap();
    let screen = f
        .desk
        .refund(refund_of(&sale.reference_code, "30.00", "100.00"))
        .await
        .unwrap();

    let statements = SqliteJournal::take_statement_log();
    let gateway = requests_since(&f, &before);
    print("refund", &gateway, &statements);
    assert_eq!(screen.transaction.remaining.to_string(), "70.00");
    assert_eq!(screen.history.len(), 2, "the sale and its refund");
    let history_reads = statements
        .iter()
        .filter(|s| s.contains(HISTORY_READ))
        .count();
    assert_eq!(history_reads, 1, "{statements:#?}");
    assert_eq!(
        gateway,
        BTreeMap::from([(Endpoint::Transaction, 2), (Endpoint::Refund, 1)]),
        "read before, the refund, read after"
    );
    let operator_reads = statements
        .iter()
        .filter(|s| s.contains("FROM operators"))
        .count();
    assert_eq!(operator_reads, 1, "the gate's reading serves the command");
    assert!(
        round_trips(&statements) <= 6,
        "{} round trips",
        round_trips(&statements)
    );
}

#[tokio::test]
async fn opening_reports_is_one_aggregate() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let f = fixture().await;
    paid(&f.desk, "DD-COST-2", "100.00").await;
    f.journal.log_statements();
    SqliteJournal::take_statement_log();
    let before = f.gw.request_counts();

    f.desk.gate(Need::Look).await.unwrap();
    let range = today_in_istanbul();
    let report = f.desk.journal_report(range).await.unwrap();

    let statements = SqliteJournal::take_statement_log();
    let gateway = requests_since(&f, &before);
    print("reports", &gateway, &statements);
    assert_eq!(report.totals.len(), 1);
    assert!(gateway.is_empty(), "reports ask the gateway nothing");
    let aggregates = statements.iter().filter(|s| s.contains("GROUP BY")).count();
    assert_eq!(aggregates, 1, "{statements:#?}");
    assert_eq!(
        round_trips(&statements),
        2,
        "the operators once, the aggregate once"
    );
}
