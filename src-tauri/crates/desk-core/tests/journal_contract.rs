//! One suite, both stores: what the journal promises holds the same on the embedded SQLite file
//! and on the team's PostgreSQL database (ARCHITECTURE.md). Each case runs once per store; the
//! PostgreSQL runs need a server (`DD_TEST_POSTGRES`, which `.ci/test` starts) and each gets a
//! database of its own.

mod common;

use chrono::{NaiveDate, TimeDelta, Utc};
use chrono_tz::Europe::Istanbul;
use desk_core::journal::{
    ApprovalStatus, Customer, Decision, EntryKind, Filter, NewApproval, NewEntry, OperatorWrite,
    Outcome, Page, ReportRange, ReversalSlot, Role, Settlement, SignInAnswer,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use common::stores::Store;

on_both_stores!(
    an_entry_is_pending_until_settled,
    the_unsettled_come_least_recently_settled_first_a_batch_at_a_time,
    a_full_card_number_is_refused,
    filters_narrow_the_list_newest_first,
    history_latest_payment_and_open_reversals,
    an_order_reference_is_spent_once_sent_and_free_again_only_if_never_processed,
    two_desks_reserving_one_order_at_once_get_it_once,
    one_open_reversal_per_transaction_across_desks,
    a_reversal_confirmed_on_figures_another_desk_changed_is_not_written,
    the_absence_streak_counts_until_the_transaction_is_seen,
    totals_and_report_add_up_the_same,
    purging_forgets_old_customers_and_their_search_text,
    operators_are_kept_with_their_role_limit_and_pin_one_name_once,
    one_pending_request_per_transaction_decided_once,
    one_refund_per_approval_and_reopened_only_while_none_was_written,
);

fn payment(order: &str, amount: Decimal) -> NewEntry {
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

fn success(reference: &str) -> Settlement {
    Settlement {
        outcome: Some(Outcome::Success),
        reference_code: Some(reference.into()),
        ..Settlement::default()
    }
}

fn orders(page: &Page) -> Vec<String> {
    page.entries
        .iter()
        .map(|e| e.order_reference.clone().unwrap_or_default())
        .collect()
}

async fn an_entry_is_pending_until_settled(store: Store) {
    let j = store.open().await;
    let id = j.record(&payment("DD-1", dec!(1234.56))).await.unwrap();
    let written = j.get(id).await.unwrap().unwrap();
    assert_eq!(written.outcome, Outcome::Pending);
    assert_eq!(
        written.amount.map(|m| m.to_string()).as_deref(),
        Some("1234.56")
    );
    assert_eq!(j.count_unsettled("demo").await.unwrap(), 1);
    let settled = Settlement {
        remaining_after: Some(dec!(1234.56)),
        ..success("NTH2P00000003100")
    };
    j.settle(id, &settled).await.unwrap();
    let entry = j.get(id).await.unwrap().unwrap();
    assert_eq!(entry.outcome, Outcome::Success);
    assert_eq!(entry.reference_code.as_deref(), Some("NTH2P00000003100"));
    assert_eq!(
        entry.remaining_after.map(|m| m.to_string()).as_deref(),
        Some("1234.56")
    );
    assert_eq!(entry.order_reference.as_deref(), Some("DD-1"), "kept");
    assert_eq!(j.count_unsettled("demo").await.unwrap(), 0);
    assert!(j.settle(999_999, &Settlement::default()).await.is_err());
    let found = j
        .search(
            &Filter {
                text: Some("NTH2P00000003100".into()),
                ..Filter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1, "settling updates the search text");
}

async fn the_unsettled_come_least_recently_settled_first_a_batch_at_a_time(store: Store) {
    let j = store.open().await;
    let mut ids = Vec::new();
    for order in ["DD-U1", "DD-U2", "DD-U3", "DD-U4"] {
        ids.push(j.record(&payment(order, dec!(10))).await.unwrap());
    }
    let final_one = ids[3];
    j.settle(final_one, &success("NTH2P00000003101"))
        .await
        .unwrap();
    let elsewhere = NewEntry {
        profile_id: "live".into(),
        ..payment("DD-U5", dec!(10))
    };
    j.record(&elsewhere).await.unwrap();
    assert_eq!(j.count_unsettled("demo").await.unwrap(), 3);
    assert_eq!(j.count_unsettled("live").await.unwrap(), 1);
    let orders = |entries: Vec<desk_core::journal::Entry>| -> Vec<String> {
        entries
            .into_iter()
            .map(|e| e.order_reference.unwrap_or_default())
            .collect()
    };
    assert_eq!(
        orders(j.unsettled("demo", 2).await.unwrap()),
        ["DD-U1", "DD-U2"]
    );
    // Asked again and still not final: it goes to the back of the queue.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let in_doubt = Settlement {
        outcome: Some(Outcome::InDoubt),
        ..Settlement::default()
    };
    j.settle(ids[0], &in_doubt).await.unwrap();
    assert_eq!(
        orders(j.unsettled("demo", 2).await.unwrap()),
        ["DD-U2", "DD-U3"]
    );
    assert_eq!(
        orders(j.unsettled("demo", 10).await.unwrap()),
        ["DD-U2", "DD-U3", "DD-U1"]
    );
    assert_eq!(j.count_unsettled("demo").await.unwrap(), 3);
}

async fn a_full_card_number_is_refused(store: Store) {
    let j = store.open().await;
    let mut e = payment("DD-2", dec!(1));
    e.masked_card = Some("4155650100416111".into());
    assert_eq!(j.record(&e).await.unwrap_err().code, "journal_io");
    let id = j.record(&payment("DD-2", dec!(1))).await.unwrap();
    let leak = Settlement {
        masked_card: Some("4155 6501 0041 6111".into()),
        ..Settlement::default()
    };
    assert!(j.settle(id, &leak).await.is_err());
    let all = j.all(&Filter::default()).await.unwrap();
    assert!(!format!("{all:?}").contains("4155650100416111"));
}

async fn filters_narrow_the_list_newest_first(store: Store) {
    let j = store.open().await;
    let now = Utc::now();
    let mut refund = payment("DD-B", dec!(15));
    refund.kind = Some(EntryKind::Refund);
    refund.reference_code = Some("NTH2P00000000002".into());
    refund.reason = Some("ürün iadesi".into());
    refund.operator = "Şükrü Çağlayan".into();
    let mut other_card = payment("DD-C", dec!(999.99));
    other_card.masked_card = Some("540061******0009".into());
    other_card.profile_id = "live".into();
    other_card.customer = Some(Customer {
        name: "Ayşe".into(),
        surname: "Yılmaz".into(),
        email: "ayse@example.com".into(),
        phone: None,
        note: None,
    });
    j.record_many(&[
        (
            payment("DD-A", dec!(100)),
            Outcome::Success,
            now - TimeDelta::days(3),
        ),
        (refund, Outcome::Success, now - TimeDelta::days(1)),
        (other_card, Outcome::Failed, now),
    ])
    .await
    .unwrap();

    let all = j.search(&Filter::default(), 0, 50).await.unwrap();
    assert_eq!(
        (all.total, orders(&all)),
        (3, vec!["DD-C".into(), "DD-B".into(), "DD-A".into()])
    );
    let window = j.search(&Filter::default(), 1, 1).await.unwrap();
    assert_eq!((window.total, orders(&window)), (3, vec!["DD-B".into()]));

    let today = Utc::now().with_timezone(&Istanbul).date_naive();
    let cases: Vec<(Filter, Vec<&str>)> = vec![
        (
            Filter {
                kinds: vec![EntryKind::Refund],
                ..Filter::default()
            },
            vec!["DD-B"],
        ),
        (
            Filter {
                outcomes: vec![Outcome::Failed],
                ..Filter::default()
            },
            vec!["DD-C"],
        ),
        (
            Filter {
                min_amount: Some("15".into()),
                max_amount: Some("100.00".into()),
                ..Filter::default()
            },
            vec!["DD-B", "DD-A"],
        ),
        (
            Filter {
                reference: Some("0000002".into()),
                ..Filter::default()
            },
            vec!["DD-B"],
        ),
        (
            Filter {
                card_last4: Some("0009".into()),
                ..Filter::default()
            },
            vec!["DD-C"],
        ),
        (
            Filter {
                operator: Some("sukru".into()),
                ..Filter::default()
            },
            vec!["DD-B"],
        ),
        (
            Filter {
                text: Some("IADESI".into()),
                ..Filter::default()
            },
            vec!["DD-B"],
        ),
        (
            Filter {
                text: Some("ayse yilmaz".into()),
                ..Filter::default()
            },
            vec!["DD-C"],
        ),
        (
            Filter {
                text: Some("999,99".into()),
                ..Filter::default()
            },
            vec!["DD-C"],
        ),
        (
            Filter {
                text: Some("%".into()),
                ..Filter::default()
            },
            vec![],
        ),
        (
            Filter {
                profile_id: Some("live".into()),
                ..Filter::default()
            },
            vec!["DD-C"],
        ),
        (
            Filter {
                from: Some(today),
                ..Filter::default()
            },
            vec!["DD-C"],
        ),
        (
            Filter {
                to: Some(today - TimeDelta::days(2)),
                ..Filter::default()
            },
            vec!["DD-A"],
        ),
    ];
    for (filter, expected) in cases {
        let found = j.search(&filter, 0, 50).await.unwrap();
        assert_eq!(orders(&found), expected, "{filter:?}");
        assert_eq!(found.total as usize, expected.len(), "{filter:?}");
    }
    let bad = Filter {
        min_amount: Some("1,5".into()),
        ..Filter::default()
    };
    assert_eq!(
        j.search(&bad, 0, 10).await.unwrap_err().details["field"],
        "minAmount"
    );
}

async fn history_latest_payment_and_open_reversals(store: Store) {
    let j = store.open().await;
    let first = j.record(&payment("DD-H", dec!(50))).await.unwrap();
    j.settle(
        first,
        &Settlement {
            outcome: Some(Outcome::NotSent),
            ..Settlement::default()
        },
    )
    .await
    .unwrap();
    let pay = j.record(&payment("DD-H", dec!(50))).await.unwrap();
    j.settle(pay, &success("NTH2P1")).await.unwrap();
    let refund = NewEntry {
        kind: Some(EntryKind::Refund),
        reference_code: Some("NTH2P1".into()),
        order_reference: None,
        ..payment("x", dec!(10))
    };
    let open = j.record(&refund).await.unwrap();
    j.record(&payment("DD-OTHER", dec!(1))).await.unwrap();

    let kinds: Vec<_> = j
        .history("NTH2P1", Some("DD-H"))
        .await
        .unwrap()
        .iter()
        .map(|e| (e.id, e.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (first, EntryKind::Payment),
            (pay, EntryKind::Payment),
            (open, EntryKind::Refund)
        ]
    );
    assert_eq!(j.latest_payment("DD-H").await.unwrap().unwrap().id, pay);
    assert!(j.latest_payment("DD-NONE").await.unwrap().is_none());
    let reversals: Vec<_> = j
        .unsettled_reversals("NTH2P1")
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(reversals, [open]);
}

async fn an_order_reference_is_spent_once_sent_and_free_again_only_if_never_processed(
    store: Store,
) {
    let j = store.open().await;
    let first = j.reserve_payment(&payment("DD-R", dec!(10))).await.unwrap();
    let again = j
        .reserve_payment(&payment("DD-R", dec!(10)))
        .await
        .unwrap_err();
    assert_eq!(again.code, "already_submitted");
    drop(j);
    // Another handle (a restart, another desk) knows it too: the journal is the memory.
    let j = store.open().await;
    assert_eq!(
        j.reserve_payment(&payment("DD-R", dec!(10)))
            .await
            .unwrap_err()
            .code,
        "already_submitted"
    );
    let never_sent = Settlement {
        outcome: Some(Outcome::NotSent),
        ..Settlement::default()
    };
    j.settle(first, &never_sent).await.unwrap();
    j.reserve_payment(&payment("DD-R", dec!(10))).await.unwrap();
}

/// Two desks (two handles on one journal) reserve the same order reference at the same moment,
/// twenty times over: each time exactly one gets it.
async fn two_desks_reserving_one_order_at_once_get_it_once(store: Store) {
    let (a, b) = (store.open().await, store.open().await);
    for round in 0..20 {
        let order = format!("DD-RACE-{round}");
        let entry = payment(&order, dec!(10));
        let (left, right) = tokio::join!(a.reserve_payment(&entry), b.reserve_payment(&entry));
        let won = [left.is_ok(), right.is_ok()];
        assert_eq!(
            won.iter().filter(|w| **w).count(),
            1,
            "round {round}: {won:?}"
        );
        let lost = if left.is_ok() { right } else { left };
        assert_eq!(lost.unwrap_err().code, "already_submitted");
    }
    let sent = a
        .search(
            &Filter {
                text: Some("dd-race".into()),
                ..Filter::default()
            },
            0,
            100,
        )
        .await
        .unwrap();
    assert_eq!(sent.total, 20, "one entry per order");
}

/// Two desks start a refund of the same transaction at the same moment, ten times over: one
/// writes its entry, the other is shown that one; once it is final, the next may start.
async fn one_open_reversal_per_transaction_across_desks(store: Store) {
    let (a, b) = (store.open().await, store.open().await);
    for round in 0..10 {
        let refund = NewEntry {
            kind: Some(EntryKind::Refund),
            reference_code: Some(format!("NTH2P-RACE-{round}")),
            order_reference: None,
            ..payment("x", dec!(10))
        };
        let (left, right) = tokio::join!(a.reserve_reversal(&refund), b.reserve_reversal(&refund));
        let slots = [left.unwrap(), right.unwrap()];
        let reserved: Vec<i64> = slots
            .iter()
            .filter_map(|s| match s {
                ReversalSlot::Reserved(id) => Some(*id),
                _ => None,
            })
            .collect();
        assert_eq!(reserved.len(), 1, "round {round}: {slots:?}");
        let taken = slots.iter().find_map(|s| match s {
            ReversalSlot::Taken(open) => Some(open.id),
            _ => None,
        });
        assert_eq!(taken, Some(reserved[0]), "the loser is shown the open one");
        a.settle(reserved[0], &success(&format!("NTH2P-RACE-{round}")))
            .await
            .unwrap();
        assert!(matches!(
            b.reserve_reversal(&refund).await.unwrap(),
            ReversalSlot::Reserved(_)
        ));
    }
}

/// Desk A refunds 30 of 100; desk B's operator confirmed 10 against the old 100: refused, with
/// what is left now. Confirmed against 70, it is written.
async fn a_reversal_confirmed_on_figures_another_desk_changed_is_not_written(store: Store) {
    let (a, b) = (store.open().await, store.open().await);
    let refund = |amount: Decimal, seen: Decimal| NewEntry {
        kind: Some(EntryKind::Refund),
        reference_code: Some("NTH2P-STALE".into()),
        order_reference: None,
        remaining_before: Some(seen),
        ..payment("x", amount)
    };
    let ReversalSlot::Reserved(id) = a
        .reserve_reversal(&refund(dec!(30), dec!(100)))
        .await
        .unwrap()
    else {
        panic!("the first reversal is written");
    };
    let done = Settlement {
        remaining_after: Some(dec!(70.00)),
        ..success("NTH2P-STALE")
    };
    a.settle(id, &done).await.unwrap();
    match b
        .reserve_reversal(&refund(dec!(10), dec!(100)))
        .await
        .unwrap()
    {
        ReversalSlot::Stale(left) => assert_eq!(left, "70.00"),
        other => panic!("stale figures must not be written: {other:?}"),
    }
    assert!(matches!(
        b.reserve_reversal(&refund(dec!(10), dec!(70)))
            .await
            .unwrap(),
        ReversalSlot::Reserved(_)
    ));
}

async fn the_absence_streak_counts_until_the_transaction_is_seen(store: Store) {
    let j = store.open().await;
    let id = j.record(&payment("DD-ABS", dec!(10))).await.unwrap();
    let t0 = Utc::now();
    let (since, checks) = j.note_absent(id, t0).await.unwrap();
    assert_eq!(checks, 1);
    assert!((since - t0).num_milliseconds().abs() <= 1);
    let (since2, checks2) = j.note_absent(id, t0 + TimeDelta::seconds(5)).await.unwrap();
    assert_eq!((since2, checks2), (since, 2), "since the first 404");
    j.note_present(id).await.unwrap();
    assert_eq!(
        j.note_absent(id, t0 + TimeDelta::seconds(9))
            .await
            .unwrap()
            .1,
        1
    );
}

/// Hand-computed: TRY sales 1000.00 at 2 % (20.00) and 250.00 at 3.45 % (8.625 → 8.63), 50.00
/// of the 250.00 refunded (1.725 → 1.73 back); a failed sale and another profile's do not
/// count. Net 1200.00, commission 26.90, to the dealer 1173.10.
async fn totals_and_report_add_up_the_same(store: Store) {
    let j = store.open().await;
    let sale = |order: &str, amount: Decimal, pos: &str, rate: Decimal| NewEntry {
        pos_name: Some(pos.into()),
        commission_rate: Some(rate),
        ..payment(order, amount)
    };
    let mut refund = sale("DD-Y", dec!(50), "Yapı Kredi World", dec!(3.45));
    refund.kind = Some(EntryKind::Refund);
    refund.operator = "Ali".into();
    let mut live = sale("DD-L", dec!(777), "Akbank", dec!(2));
    live.profile_id = "live".into();
    let at = |text: &str| text.parse::<chrono::DateTime<Utc>>().unwrap();
    j.record_many(&[
        (
            sale("DD-A", dec!(1000), "Akbank", dec!(2)),
            Outcome::Success,
            at("2026-11-20T07:00:00Z"),
        ),
        (
            sale("DD-Y", dec!(250), "Yapı Kredi World", dec!(3.45)),
            Outcome::Success,
            at("2026-11-21T21:30:00Z"),
        ),
        (refund, Outcome::Success, at("2026-11-22T09:00:00Z")),
        (
            sale("DD-F", dec!(500), "Akbank", dec!(2)),
            Outcome::Failed,
            at("2026-11-21T11:00:00Z"),
        ),
        (live, Outcome::Success, at("2026-11-21T12:00:00Z")),
    ])
    .await
    .unwrap();

    let demo = Filter {
        profile_id: Some("demo".into()),
        ..Filter::default()
    };
    let totals = j.totals(&demo).await.unwrap();
    let t = &totals[0];
    assert_eq!(
        (
            t.sales_count,
            t.sales.to_string().as_str(),
            t.refunds.to_string().as_str(),
            t.net.to_string().as_str()
        ),
        (2, "1250.00", "50.00", "1200.00")
    );
    assert_eq!(
        (
            t.commission.to_string().as_str(),
            t.net_to_dealer.to_string().as_str()
        ),
        ("26.90", "1173.10")
    );

    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let report = j
        .report(
            "demo",
            ReportRange {
                from: day(20),
                to: day(22),
            },
        )
        .await
        .unwrap();
    assert_eq!(report.totals, totals, "the same figures both ways");
    let days: Vec<(String, String)> = report
        .by_day
        .iter()
        .map(|l| (l.key.clone(), l.totals.net.to_string()))
        .collect();
    assert_eq!(
        days,
        [
            ("2026-11-20".into(), "1000.00".into()),
            ("2026-11-21".into(), "0.00".into()),
            ("2026-11-22".into(), "200.00".into()),
        ],
        "21:30 UTC on the 21st is the 22nd in Istanbul"
    );
    let pos: Vec<(String, String)> = report
        .by_pos
        .iter()
        .map(|l| (l.key.clone(), l.totals.net_to_dealer.to_string()))
        .collect();
    assert_eq!(
        pos,
        [
            ("Akbank".into(), "980.00".into()),
            ("Yapı Kredi World".into(), "193.10".into())
        ]
    );
    let operators: Vec<&str> = report.by_operator.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(operators, ["Ali", "Zeynep"]);
    assert_eq!(report.by_installment[0].key, "3");
}

async fn purging_forgets_old_customers_and_their_search_text(store: Store) {
    let j = store.open().await;
    let with_customer = |order: &str| NewEntry {
        customer: Some(Customer {
            name: "Şükrü".into(),
            surname: "Öztürk".into(),
            email: "sukru@example.com".into(),
            phone: Some("05001112233".into()),
            note: None,
        }),
        ..payment(order, dec!(10))
    };
    let now = Utc::now();
    j.record_many(&[
        (
            with_customer("OLD"),
            Outcome::Success,
            now - TimeDelta::days(400),
        ),
        (
            with_customer("NEW"),
            Outcome::Success,
            now - TimeDelta::days(1),
        ),
    ])
    .await
    .unwrap();
    let purged = j.purge_customers(now - TimeDelta::days(365)).await.unwrap();
    assert_eq!(purged, 1);
    let found = j
        .search(
            &Filter {
                text: Some("sukru ozturk".into()),
                ..Filter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        orders(&found),
        ["NEW"],
        "the old one is not found by the customer any more"
    );
    let old = j
        .search(
            &Filter {
                text: Some("OLD".into()),
                ..Filter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        old.entries[0].customer, None,
        "the entry stays, without its customer"
    );
    assert_eq!(
        j.purge_customers(now - TimeDelta::days(365)).await.unwrap(),
        0
    );
}

fn operator(name: &str, role: Role, pin: &str) -> OperatorWrite {
    OperatorWrite {
        name: name.into(),
        role,
        pin: Some(zeroize::Zeroizing::new(pin.into())),
        refund_limit: (role == Role::BackOffice).then_some(dec!(500)),
        active: true,
    }
}

async fn operators_are_kept_with_their_role_limit_and_pin_one_name_once(store: Store) {
    let journal = store.open().await;
    assert!(journal.operators().await.unwrap().is_empty());
    let zeynep = journal
        .add_operator(&operator("Zeynep", Role::Supervisor, "111111"))
        .await
        .unwrap();
    // On the team database, what follows needs a supervisor's session.
    assert_eq!(
        journal.sign_in(zeynep, "111111").await.unwrap(),
        SignInAnswer::Right
    );
    let ayse = journal
        .add_operator(&operator("Ayşe", Role::BackOffice, "4321"))
        .await
        .unwrap();
    // The same name, another case and Turkish letters folded: refused.
    let taken = journal
        .add_operator(&operator("  AYSE ", Role::Cashier, "1234"))
        .await
        .unwrap_err();
    assert_eq!(taken.details["field"], "operatorName");
    assert_eq!(taken.details["reason"], "taken");

    let all = store.open().await.operators().await.unwrap();
    let names: Vec<_> = all.iter().map(|o| (o.name.as_str(), o.role)).collect();
    assert_eq!(
        names,
        [("Ayşe", Role::BackOffice), ("Zeynep", Role::Supervisor)]
    );
    assert_eq!(all[0].refund_limit, Some(dec!(500)));
    assert_eq!(
        journal.sign_in(ayse, "1234").await.unwrap(),
        SignInAnswer::Wrong
    );

    // A change without a new PIN keeps the PIN.
    let mut change = operator("Ayşe", Role::Cashier, "");
    change.pin = None;
    journal.change_operator(ayse, &change).await.unwrap();
    let changed = journal.operators().await.unwrap().remove(0);
    assert_eq!(
        (changed.role, changed.active, changed.refund_limit),
        (Role::Cashier, true, None)
    );
    assert_eq!(
        journal.sign_in(ayse, "4321").await.unwrap(),
        SignInAnswer::Right
    );
    journal.sign_in(zeynep, "111111").await.unwrap();
    change.active = false;
    journal.change_operator(ayse, &change).await.unwrap();
    assert!(!journal.operators().await.unwrap()[0].active);
    assert_eq!(
        journal.sign_in(ayse, "4321").await.unwrap(),
        SignInAnswer::Unknown
    );
}

fn request(reference: &str, amount: Decimal) -> NewApproval {
    NewApproval {
        kind: EntryKind::Refund,
        profile_id: "demo".into(),
        reference_code: reference.into(),
        transaction_id: Some("tx-1".into()),
        order_reference: Some("ORD-1".into()),
        amount,
        currency: "TRY".into(),
        reason: "Ürün iade edildi".into(),
        remaining_seen: dec!(1200),
        requested_by: "Ayşe".into(),
    }
}

fn approve(by: &str) -> Decision {
    Decision {
        status: ApprovalStatus::Approved,
        by: by.into(),
        note: Some("ok".into()),
    }
}

async fn one_pending_request_per_transaction_decided_once(store: Store) {
    let journal = store.open().await;
    let first = journal
        .request_approval(&request("REF-A", dec!(900)))
        .await
        .unwrap();
    let again = journal
        .request_approval(&request("REF-A", dec!(800)))
        .await
        .unwrap_err();
    assert_eq!(again.code.as_str(), "approval_pending");
    journal
        .request_approval(&request("REF-B", dec!(50)))
        .await
        .unwrap();

    // Two supervisors at two desks decide at the same moment: one decision counts.
    let (one, two) = (store.open().await, store.open().await);
    let (yes, no) = (
        approve("Zeynep"),
        Decision {
            status: ApprovalStatus::Rejected,
            by: "Mehmet".into(),
            note: Some("no".into()),
        },
    );
    let (a, b) = tokio::join!(one.decide(first, &yes), two.decide(first, &no));
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|d| **d).count(), 1);
    let decided = journal.approval(first).await.unwrap().unwrap();
    assert_ne!(decided.status, ApprovalStatus::Pending);
    assert!(decided.decided_by.is_some() && decided.decided_at.is_some());

    // Decided, the transaction may be asked for again.
    journal
        .request_approval(&request("REF-A", dec!(700)))
        .await
        .unwrap();
    let listed = journal
        .approvals(Utc::now() - TimeDelta::days(7))
        .await
        .unwrap();
    let seen: Vec<_> = listed
        .iter()
        .map(|a| (a.reference_code.as_str(), a.amount.as_str(), a.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("REF-A", "700", ApprovalStatus::Pending),
            ("REF-B", "50", ApprovalStatus::Pending),
            ("REF-A", "900", decided.status),
        ]
    );
    // Decided long ago: only pending ones are listed.
    let later = journal
        .approvals(Utc::now() + TimeDelta::minutes(1))
        .await
        .unwrap();
    assert_eq!(later.len(), 2);
}

async fn one_refund_per_approval_and_reopened_only_while_none_was_written(store: Store) {
    let journal = store.open().await;
    let id = journal
        .request_approval(&request("REF-C", dec!(900)))
        .await
        .unwrap();
    assert!(journal.decide(id, &approve("Zeynep")).await.unwrap());
    // Refused before anything was journaled: pending again.
    journal.reopen(id).await.unwrap();
    let reopened = journal.approval(id).await.unwrap().unwrap();
    assert_eq!(reopened.status, ApprovalStatus::Pending);
    assert_eq!(reopened.decided_by, None);

    assert!(journal.decide(id, &approve("Zeynep")).await.unwrap());
    let refund = NewEntry {
        kind: Some(EntryKind::Refund),
        reference_code: Some("REF-C".into()),
        amount: Some(dec!(900)),
        remaining_before: Some(dec!(1200)),
        operator: "Ayşe".into(),
        approved_by: Some("Zeynep".into()),
        approval_id: Some(id),
        ..payment("ORD-C", dec!(900))
    };
    let entry = match journal.reserve_reversal(&refund).await.unwrap() {
        ReversalSlot::Reserved(entry) => entry,
        other => panic!("{other:?}"),
    };
    journal.settle(entry, &success("REF-C")).await.unwrap();
    // A second refund for the same request is not written, whatever a desk tries.
    let mut second = refund.clone();
    second.reference_code = Some("REF-C2".into());
    assert!(journal.reserve_reversal(&second).await.is_err());

    // With its refund journaled, the request stays approved and shows the outcome.
    journal.reopen(id).await.unwrap();
    let approved = journal.approval(id).await.unwrap().unwrap();
    assert_eq!(approved.status, ApprovalStatus::Approved);
    assert_eq!(approved.entry_id, Some(entry));
    assert_eq!(approved.refund_outcome, Some(Outcome::Success));
    let written = journal.get(entry).await.unwrap().unwrap();
    assert_eq!(
        (written.operator.as_str(), written.approved_by.as_deref()),
        ("Ayşe", Some("Zeynep"))
    );
}
