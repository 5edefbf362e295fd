//! A crash between the journal's two writes leaves the payment as pending, and the next start's
//! reconciliation settles it. The test runs itself a second time as a child process (the "app")
//! and SIGKILLs it while the payment is in flight.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use desk_core::journal::{Filter, Outcome, SqliteJournal};
use vpws_sim::{Endpoint, Fault, FaultKind};

const CHILD_ENV: &str = "DEALER_DESK_CRASH_CHILD_JOURNAL";
/// The app before and after the crash is one installation: its demo entries are its own.
const INSTALLATION: &str = "crash-test-desk";

/// A desk on the fixture's gateway, settings and secrets, with `journal`.
/// The child: a desk with its journal on disk, paying through a gateway that never answers.
async fn run_child(path: &str) {
    let f = fixture().await;
    as_installation(&f, INSTALLATION);
    let desk = desk_on(&f, SqliteJournal::open(std::path::Path::new(path)).unwrap());
    f.gw.add_fault(Fault::new(
        Endpoint::Payment,
        FaultKind::Delay { ms: 120_000 },
    ));
    let _ = desk
        .pay_with(payment("DD-CRASH-1", "500", APPROVE), no_3d)
        .await;
    unreachable!("the parent kills this process first");
}

#[tokio::test]
async fn a_crash_between_the_two_writes_leaves_a_pending_entry_that_reconciles() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        run_child(&path).await;
        return;
    }
    // A folder no earlier run can have left: named after the process id, under Wine (where ids
    // are small and come round again) a run found an earlier run's journal, left behind when
    // its removal failed on the still-open file, and read that run's settled entry (NotCharged)
    // where this run's pending one was expected.
    let dir = std::env::temp_dir().join(format!("dd-crash-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("journal.sqlite");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "a_crash_between_the_two_writes_leaves_a_pending_entry_that_reconciles",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    let started = Instant::now();
    let pending = loop {
        // Only read a journal the child has created (never race it to create one).
        if let Some(j) = path
            .exists()
            .then(|| SqliteJournal::open(&path).ok())
            .flatten()
        {
            if let Some(e) = j
                .search(&Filter::default(), 0, 1)
                .unwrap()
                .entries
                .into_iter()
                .next()
            {
                break e;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the child never wrote its entry"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(pending.outcome, Outcome::Pending);
    child.kill().unwrap(); // SIGKILL: no cleanup, no second write
    child.wait().unwrap();

    let after_crash = SqliteJournal::open(&path).unwrap();
    let entries = after_crash.search(&Filter::default(), 0, 10).unwrap();
    assert_eq!(entries.total, 1);
    assert_eq!(
        entries.entries[0].outcome,
        Outcome::Pending,
        "still there, as pending"
    );
    assert_eq!(
        entries.entries[0].order_reference.as_deref(),
        Some("DD-CRASH-1")
    );

    // Next start: a desk on the same journal reconciles it (this gateway never got the payment).
    let f = fixture().await;
    as_installation(&f, INSTALLATION);
    let desk = desk_on(&f, after_crash);
    // The dead desk's lease still holds the entry: nobody settles it until the lease runs out
    // (it could still be on its way). Then reconciliation takes it over.
    assert!(
        desk.reconcile_pending().await.unwrap().changes.is_empty(),
        "an entry held by its sender's lease is left alone"
    );
    tokio::time::sleep(test_policy().lease).await;
    let first = desk.reconcile_pending().await.unwrap().changes;
    assert_eq!(
        (first[0].before, first[0].after),
        (Outcome::Pending, Outcome::InDoubt),
        "one \"not found\" proves nothing yet"
    );
    let mut last = Outcome::InDoubt;
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some(c) = desk.reconcile_pending().await.unwrap().changes.pop() {
            last = c.after;
            break;
        }
    }
    assert_eq!(
        last,
        Outcome::NotCharged,
        "not found all through the settling window"
    );
    // Closed first: an open file cannot be removed on Windows.
    drop(desk);
    std::fs::remove_dir_all(dir).unwrap();
}
