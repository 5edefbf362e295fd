use std::sync::Arc;

use chrono::Utc;
use rust_decimal_macros::dec;

use super::*;
use crate::model::Doubt;

pub(super) fn payment(order: &str, amount: Decimal) -> NewEntry {
    NewEntry {
        kind: Some(EntryKind::Payment),
        profile_id: "demo".into(),
        environment: "demo".into(),
        operator: "Zeynep".into(),
        amount: Some(amount),
        currency: "TRY".into(),
        installment: Some(3),
        pos_id: Some("384badef".into()),
        pos_name: Some("Yapı Kredi World".into()),
        order_reference: Some(order.into()),
        masked_card: Some("415565******6111".into()),
        ..NewEntry::default()
    }
}

fn orders(page: &Page) -> Vec<String> {
    page.entries
        .iter()
        .map(|e| e.order_reference.clone().unwrap_or_default())
        .collect()
}

#[test]
fn migrates_an_empty_file_and_a_version_1_file() {
    let dir = std::env::temp_dir().join(format!(
        "dd-journal-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let fresh = dir.join("fresh.sqlite");
    let j = SqliteJournal::open(&fresh).unwrap();
    let mode: String = j
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = j
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 13);
    let sync: i64 = j
        .conn()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL: a write-before-send is durable");
    drop(j);

    // A journal written by the first release (schema v1), with a row in it.
    let old = dir.join("v1.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        schema::migrations().to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO entries (created_at, updated_at, profile_id, environment, kind, amount, amount_minor, currency, masked_card, outcome, order_reference)
             VALUES ('2026-01-02T10:00:00.000Z', '2026-01-02T10:00:00.000Z', 'demo', 'demo', 'payment', '10.00', 1000, 'TRY', '415565******6111', 'success', 'DD-OLD')",
            [],
        )
        .unwrap();
    }
    let upgraded = SqliteJournal::open(&old).unwrap();
    let page = upgraded
        .search(
            &Filter {
                card_last4: Some("6111".into()),
                ..Default::default()
            },
            0,
            10,
        )
        .unwrap();
    assert_eq!(orders(&page), ["DD-OLD"], "kept and given its card_last4");
    let found = upgraded
        .search(
            &Filter {
                text: Some("dd-old".into()),
                ..Default::default()
            },
            0,
            10,
        )
        .unwrap();
    assert_eq!(orders(&found), ["DD-OLD"], "and indexed for quick search");
    let day = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let report = upgraded
        .report("demo", crate::journal::ReportRange { from: day, to: day })
        .unwrap();
    assert_eq!(
        report.totals[0].sales.to_string(),
        "10.00",
        "and reported on its Istanbul day"
    );
    // Closed first: an open file cannot be removed on Windows.
    drop(upgraded);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = temp_dir("cw");
    let path = dir.join("journal.sqlite");
    // Two handles on one file (as two app windows or a restart overlap would), 4 threads each.
    let handles = [
        Arc::new(SqliteJournal::open(&path).unwrap()),
        Arc::new(SqliteJournal::open(&path).unwrap()),
    ];
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let j = handles[t % 2].clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let id = j.record(&payment(&format!("DD-{t}-{i}"), dec!(1))).unwrap();
                    j.settle(
                        id,
                        &Settlement {
                            outcome: Some(Outcome::Success),
                            ..Default::default()
                        },
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let page = handles[0].search(&Filter::default(), 0, 1).unwrap();
    assert_eq!(page.total, 400);
    assert!(handles[1].count_unsettled("demo").unwrap() == 0);
    drop(handles);
    std::fs::remove_dir_all(dir).unwrap();
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dd-journal-{name}-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_version_3_journal_keeps_its_entries_in_doubt_under_the_new_name() {
    let dir = temp_dir("v3");
    let path = dir.join("v3.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema::migrations().to_version(&mut conn, 3).unwrap();
        for (kind, outcome) in [
            ("payment", "unknown"),
            ("refund", "unknown"),
            ("payment", "success"),
        ] {
            conn.execute(
                "INSERT INTO entries (created_at, updated_at, profile_id, environment, kind, currency, outcome, order_reference)
                 VALUES ('2026-01-02T10:00:00.000Z', '2026-01-02T10:00:00.000Z', 'demo', 'demo', ?1, 'TRY', ?2, 'DD-V3')",
                [kind, outcome],
            )
            .unwrap();
        }
    }
    let j = SqliteJournal::open(&path).unwrap();
    let unsettled = j.unsettled("demo", 10).unwrap();
    assert_eq!(
        unsettled
            .iter()
            .map(|e| (e.kind, e.outcome, e.doubt))
            .collect::<Vec<_>>(),
        [
            (
                EntryKind::Payment,
                Outcome::InDoubt,
                Some(Doubt::AnswerLost)
            ),
            (EntryKind::Refund, Outcome::InDoubt, Some(Doubt::NoBaseline)),
        ]
    );
    drop(j);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_order_reference_is_spent_once_sent_and_free_again_only_if_never_processed() {
    let dir = temp_dir("reserve");
    let path = dir.join("j.sqlite");
    let j = SqliteJournal::open(&path).unwrap();
    let first = j.reserve_payment(&payment("DD-R", dec!(10))).unwrap();
    let again = j.reserve_payment(&payment("DD-R", dec!(10))).unwrap_err();
    assert_eq!(again.code, "already_submitted");
    drop(j);
    // A restart remembers it: the journal is the memory, not a set in RAM.
    let j = SqliteJournal::open(&path).unwrap();
    assert!(j.is_order_spent("DD-R").unwrap());
    assert_eq!(
        j.reserve_payment(&payment("DD-R", dec!(10)))
            .unwrap_err()
            .code,
        "already_submitted"
    );
    j.settle(
        first,
        &Settlement {
            outcome: Some(Outcome::NotSent),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        !j.is_order_spent("DD-R").unwrap(),
        "never processed: free again"
    );
    j.reserve_payment(&payment("DD-R", dec!(10))).unwrap();
    drop(j);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn damage_found_after_start_is_reported_and_the_next_start_sets_the_journal_aside() {
    let dir = temp_dir("damaged-pages");
    let path = dir.join("journal.sqlite");
    let j = SqliteJournal::open(&path).unwrap();
    let rows: Vec<_> = (0..3000)
        .map(|i| {
            (
                payment(&format!("DD-{i}"), dec!(10)),
                Outcome::Success,
                Utc::now(),
            )
        })
        .collect();
    j.record_many(&rows).unwrap();
    drop(j);
    assert!(check_file(&path).is_ok(), "a healthy journal passes");
    // Garbage over pages in the middle of the file: opening does not read them.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2 / 4096 * 4096;
    bytes[middle..middle + 8192].fill(0xA5);
    std::fs::write(&path, bytes).unwrap();
    drop(SqliteJournal::open(&path).expect("opening stays fast and does not read every page"));

    let found = check_file(&path).unwrap_err();
    assert_eq!(found.code, ErrorCode::JournalDamaged);
    let (j, aside) = SqliteJournal::open_or_set_aside(&path).unwrap();
    let aside = aside.expect("the next start sets the damaged file aside");
    assert!(aside.exists(), "kept for support");
    assert_eq!(
        j.search(&Filter::default(), 0, 10).unwrap().total,
        0,
        "a new journal"
    );
    drop(j);
    let (_, nothing) = SqliteJournal::open_or_set_aside(&path).unwrap();
    assert!(
        nothing.is_none(),
        "the suspicion went with the damaged file"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_damaged_journal_is_set_aside_not_lost_and_not_a_panic() {
    let dir = temp_dir("damaged");
    let path = dir.join("journal.sqlite");
    std::fs::write(
        &path,
        b"this is not a database, it is a damaged file ........",
    )
    .unwrap();
    assert_eq!(
        SqliteJournal::open(&path).err().unwrap().code,
        "journal_damaged"
    );
    let (j, aside) = SqliteJournal::open_or_set_aside(&path).unwrap();
    let aside = aside.expect("moved aside");
    assert!(aside.exists(), "the damaged file is kept for support");
    assert!(aside
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("journal.sqlite.damaged-"));
    j.record(&payment("DD-NEW", dec!(1))).unwrap();
    drop(j);
    let (_, nothing) = SqliteJournal::open_or_set_aside(&path).unwrap();
    assert!(nothing.is_none(), "a healthy journal stays where it is");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A quick search counts its matches up to COUNT_LIMIT and says when there are more; the list
/// without one counts them all.
#[test]
fn a_quick_search_counts_up_to_the_limit_and_says_there_are_more() {
    let journal = SqliteJournal::open_in_memory().unwrap();
    let now = Utc::now();
    let rows: Vec<_> = (0..=COUNT_LIMIT + 1)
        .map(|i| {
            let mut entry = payment(&format!("DD-MANY-{i}"), dec!(10));
            entry.reason = (i > 0).then(|| "ürün iadesi".to_owned());
            (entry, Outcome::Success, now)
        })
        .collect();
    journal.record_many(&rows).unwrap();
    let everything = journal.search(&Filter::default(), 0, 100).unwrap();
    assert_eq!(
        (everything.total, everything.more),
        (COUNT_LIMIT + 2, false)
    );
    let common = Filter {
        text: Some("iadesi".into()),
        ..Filter::default()
    };
    let page = journal.search(&common, 0, 100).unwrap();
    assert_eq!((page.total, page.more), (COUNT_LIMIT, true));
    assert_eq!(page.entries.len(), 100);
    assert_eq!(journal.all(&common).unwrap().len() as u32, COUNT_LIMIT + 1);
    let narrower = Filter {
        text: Some("dd-many-1000".into()),
        ..Filter::default()
    };
    let page = journal.search(&narrower, 0, 100).unwrap();
    assert_eq!((page.total, page.more), (3, false), "1000, 10000 and 10001");
}

mod pages {
    use proptest::prelude::*;

    use super::*;

    /// A journal of `count` payments with the entries at `gone` removed (the app never deletes
    /// one, but a file from elsewhere may have gaps in its ids).
    fn journal(count: usize, gone: &[usize]) -> SqliteJournal {
        let j = SqliteJournal::open_in_memory().unwrap();
        let at = Utc::now();
        let entries: Vec<_> = (0..count)
            .map(|i| {
                (
                    payment(&format!("DD-{i:04}"), dec!(10)),
                    Outcome::Success,
                    at,
                )
            })
            .collect();
        j.record_many(&entries).unwrap();
        for i in gone.iter().filter(|i| **i < count) {
            j.conn()
                .execute("DELETE FROM entries WHERE id = ?1", [*i as i64 + 1])
                .unwrap();
        }
        j
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every page is the slice of the whole list at its place, newest first, whether the ids
        /// run without gaps (found by position) or not (counted through).
        #[test]
        fn a_page_is_the_slice_of_the_whole_list_at_its_place(
            count in 0usize..120,
            gone in proptest::collection::vec(0usize..120, 0..4),
            offset in 0u32..130,
            limit in 1u32..40,
        ) {
            let j = journal(count, &gone);
            let everything = j.all(&Filter::default()).unwrap();
            let page = j.search(&Filter::default(), offset, limit).unwrap();
            let start = (offset as usize).min(everything.len());
            let end = (start + limit as usize).min(everything.len());
            let wanted: Vec<i64> = everything[start..end].iter().map(|e| e.id).collect();
            let got: Vec<i64> = page.entries.iter().map(|e| e.id).collect();
            prop_assert_eq!(got, wanted);
            prop_assert_eq!(page.total as usize, everything.len());
        }
    }

    #[test]
    fn a_deep_page_without_gaps_is_found_by_position_not_by_counting_through() {
        let j = journal(300, &[]);
        let plan: Vec<String> = {
            let conn = j.conn();
            let sql = page_sql(&conn, "", 300, 250, 10).unwrap();
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            stmt.query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert!(
            plan.iter().any(|step| step.contains("rowid<?")),
            "a range on the id, not OFFSET: {plan:?}"
        );
    }
}

#[test]
fn a_remembered_total_follows_every_write_to_the_journal() {
    let dir = temp_dir("count-memo");
    let path = dir.join("j.sqlite");
    let desk = SqliteJournal::open(&path).unwrap();
    let other_window = SqliteJournal::open(&path).unwrap();
    let total = |j: &SqliteJournal, filter: &Filter| j.search(filter, 0, 1).unwrap().total;
    let everything = Filter::default();
    let only_refunds = Filter {
        kinds: vec![EntryKind::Refund],
        ..Filter::default()
    };
    desk.record(&payment("DD-M1", dec!(10))).unwrap();
    assert_eq!(total(&desk, &everything), 1);
    assert_eq!(total(&desk, &everything), 1, "asked again, unchanged");
    assert_eq!(total(&desk, &only_refunds), 0, "another filter is counted");
    assert_eq!(total(&desk, &everything), 1);
    desk.record(&payment("DD-M2", dec!(10))).unwrap();
    assert_eq!(total(&desk, &everything), 2, "its own write");
    other_window.record(&payment("DD-M3", dec!(10))).unwrap();
    assert_eq!(total(&desk, &everything), 3, "another connection's write");
    let id = desk.record(&payment("DD-M4", dec!(10))).unwrap();
    assert_eq!(total(&desk, &everything), 4);
    let settle = Settlement {
        outcome: Some(Outcome::InDoubt),
        ..Settlement::default()
    };
    desk.settle(id, &settle).unwrap();
    let failed = Filter {
        outcomes: vec![Outcome::InDoubt],
        ..Filter::default()
    };
    assert_eq!(total(&desk, &failed), 1);
    other_window
        .settle(
            id,
            &Settlement {
                outcome: Some(Outcome::Success),
                ..Settlement::default()
            },
        )
        .unwrap();
    assert_eq!(total(&desk, &failed), 0, "another connection's update");
    drop((desk, other_window));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A row this app cannot read (an amount that is not a decimal; the table's checks keep the
/// words) is the journal's damage, said as such: never read as no amount, or as a failure to
/// reach the file.
#[test]
fn a_row_with_an_unreadable_amount_is_damage_not_a_guess() {
    let j = SqliteJournal::open_in_memory().unwrap();
    let id = j.record(&payment("DD-BAD", dec!(10))).unwrap();
    for damage in [
        "UPDATE entries SET amount = '10,00'",
        "UPDATE entries SET amount = '10.00', remaining_after = 'ten'",
    ] {
        j.conn().execute(damage, []).unwrap();
        let e = j.get(id).unwrap_err();
        assert_eq!(e.code, ErrorCode::JournalDamaged, "{damage}: {e:?}");
        let e = j.history("", Some("DD-BAD")).unwrap_err();
        assert_eq!(e.code, ErrorCode::JournalDamaged, "{damage}: {e:?}");
    }
}
