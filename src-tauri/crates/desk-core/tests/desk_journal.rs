//! The journal as the desk keeps it: written before sending, settled after, reconciled later.
mod common;

use std::time::Duration;

use common::*;
use desk_core::dto::*;
use desk_core::journal::{EntryKind, Filter, Outcome, SqliteJournal};
use desk_core::verdict::Doubt;
use vpws_sim::{Endpoint, Fault, FaultKind};

fn entries(f: &Fixture) -> Vec<desk_core::journal::Entry> {
    f.journal
        .search(&Filter::default(), 0, 100)
        .unwrap()
        .entries
}

#[tokio::test]
async fn a_payment_is_journaled_before_it_is_sent_and_settled_after() {
    let f = fixture().await;
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::Delay { ms: 400 }).times(1));
    let watcher = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let during = entries(&f);
        assert_eq!(during.len(), 1, "written before the gateway answered");
        assert_eq!(during[0].outcome, Outcome::Pending);
        assert_eq!(f.gw.request_count(Endpoint::Transaction), 0);
    };
    let (outcome, ()) = tokio::join!(
        f.desk
            .pay_with(payment("DD-J-1", "1234.56", APPROVE), no_3d),
        watcher
    );
    approved(outcome.unwrap());
    let entry = &entries(&f)[0];
    assert_eq!(entry.outcome, Outcome::Success);
    assert_eq!(entry.kind, EntryKind::Payment);
    assert_eq!(
        entry.amount.map(|m| m.to_string()).as_deref(),
        Some("1234.56")
    );
    assert_eq!(entry.order_reference.as_deref(), Some("DD-J-1"));
    assert!(entry
        .reference_code
        .as_deref()
        .is_some_and(|r| r.starts_with("NTH2P")));
    assert_eq!(entry.masked_card.as_deref(), Some("415565******6111"));
    assert_eq!(entry.pos_name.as_deref(), Some("Yapı Kredi World"));
    assert_eq!(entry.environment, "demo");
    assert_eq!(
        entry.remaining_after.map(|m| m.to_string()).as_deref(),
        Some("1234.56")
    );
}

#[tokio::test]
async fn the_journal_never_holds_the_card_number_or_cvv() {
    let f = fixture().await;
    f.desk
        .pay_with(payment("DD-J-2", "10", APPROVE), no_3d)
        .await
        .unwrap();
    f.desk
        .pay_with(payment("DD-J-3", "10", DECLINE), no_3d)
        .await
        .unwrap();
    let dump = serde_json::to_string(&entries(&f)).unwrap();
    for secret in ["4155650100416111", "5400611000000009", "\"000\""] {
        assert!(!dump.contains(secret), "{secret} in {dump}");
    }
}

#[tokio::test]
async fn declines_and_refused_sends_are_journaled_with_their_code() {
    let f = fixture().await;
    f.desk
        .pay_with(payment("DD-J-4", "99", DECLINE), no_3d)
        .await
        .unwrap();
    let e = &entries(&f)[0];
    assert_eq!(
        (e.outcome, e.error_code.as_deref()),
        (Outcome::Failed, Some("P011"))
    );
    // Refused locally: nothing sent, nothing journaled.
    f.desk
        .pay_with(payment("DD-J-5", "0", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(entries(&f).len(), 1);
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::DropConnection).times(1));
    f.desk
        .pay_with(payment("DD-J-6", "5", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(entries(&f)[0].outcome, Outcome::NotCharged);
    // No connection at all: never processed, and the journal says so.
    let gone = f.gw.base_url();
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::Status { status: 429 }).times(1));
    let refused = f
        .desk
        .pay_with(payment("DD-J-6b", "5", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "rate_limited", "{gone}");
    assert_eq!(entries(&f)[0].outcome, Outcome::NotSent);
}

/// The next payment's answer is lost after the gateway processed it, and the gateway cannot be
/// asked about it until the faults are cleared.
fn answer_lost_and_the_gateway_cannot_be_asked(f: &Fixture) {
    f.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    f.gw.add_fault(Fault::new(
        Endpoint::Transaction,
        FaultKind::Status { status: 503 },
    ));
}

#[tokio::test]
async fn a_payment_in_doubt_is_reconciled_on_demand() {
    let f = fixture().await;
    answer_lost_and_the_gateway_cannot_be_asked(&f);
    f.desk
        .pay_with(payment("DD-J-7", "70", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(entries(&f)[0].outcome, Outcome::InDoubt);
    assert_eq!(entries(&f)[0].doubt, Some(Doubt::AnswerLost));
    let listed = f.desk.reconcile_pending().await.unwrap();
    assert_eq!(
        listed.unsettled.len(),
        1,
        "still in doubt while the gateway cannot be asked: listed for the operator"
    );
    f.gw.clear_faults();
    let changes = f.desk.reconcile_pending().await.unwrap().changes;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].before, changes[0].after),
        (Outcome::InDoubt, Outcome::Success)
    );
    let e = &entries(&f)[0];
    assert_eq!(e.outcome, Outcome::Success);
    assert!(
        e.reference_code.is_some(),
        "the reference learnt from the gateway is kept"
    );
    let again = f.desk.reconcile_pending().await.unwrap();
    assert!(
        again.changes.is_empty() && again.unsettled.is_empty(),
        "nothing left to do"
    );
}

/// The window may start listening after the start's reconciliation has told what is not final:
/// it asks the journal instead, and asking sends nothing to the gateway.
#[tokio::test]
async fn what_is_not_final_is_known_without_asking_the_gateway() {
    let f = fixture().await;
    assert_eq!(f.desk.unsettled_now().await.unwrap().unsettled_total, 0);
    answer_lost_and_the_gateway_cannot_be_asked(&f);
    f.desk
        .pay_with(payment("DD-J-7n", "70", APPROVE), no_3d)
        .await
        .unwrap();
    let asked = f.gw.request_count(Endpoint::Transaction);
    let now = f.desk.unsettled_now().await.unwrap();
    assert_eq!(now.unsettled_total, 1);
    assert_eq!(now.unsettled.len(), 1);
    assert_eq!(now.unsettled[0].order_reference.as_deref(), Some("DD-J-7n"));
    assert_eq!(now.unsettled[0].outcome, Outcome::InDoubt);
    assert!(now.changes.is_empty());
    assert_eq!(f.gw.request_count(Endpoint::Transaction), asked);
}

/// A desk that finds a large backlog not final (an outage, a journal copied from elsewhere)
/// asks about it a batch per round, least recently asked first, and never lists it whole:
/// the lists and the gateway stay free for the operator meanwhile.
#[tokio::test]
async fn a_round_of_reconciling_asks_about_one_batch_least_recently_asked_first() {
    let Fixture {
        journal, gw, desk, ..
    } = fixture().await;
    let desk = desk.with_reconcile_policy(desk_core::ReconcilePolicy {
        round_size: 2,
        ..test_policy()
    });
    let start = chrono::Utc::now() - chrono::Duration::minutes(10);
    let in_doubt = |i: i64| {
        (
            desk_core::journal::NewEntry {
                kind: Some(EntryKind::Payment),
                profile_id: "demo".into(),
                environment: "demo".into(),
                currency: "TRY".into(),
                amount: Some("10".parse().unwrap()),
                order_reference: Some(format!("DD-BACKLOG-{i}")),
                ..desk_core::journal::NewEntry::default()
            },
            Outcome::InDoubt,
            start + chrono::Duration::seconds(i),
        )
    };
    journal
        .record_many(&(0..5).map(in_doubt).collect::<Vec<_>>())
        .unwrap();
    // The gateway cannot be asked: every entry stays in doubt, round after round.
    gw.add_fault(Fault::new(
        Endpoint::Transaction,
        FaultKind::Status { status: 503 },
    ));
    let asked_since = |before: &str| -> Vec<String> {
        let mut asked: Vec<String> = journal
            .search(&Filter::default(), 0, 100)
            .unwrap()
            .entries
            .into_iter()
            .filter(|e| e.updated_at.as_str() > before)
            .map(|e| e.order_reference.unwrap())
            .collect();
        asked.sort();
        asked
    };
    let before = (chrono::Utc::now() - chrono::Duration::seconds(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut queries = gw.request_count(Endpoint::Transaction);
    let mut rounds = Vec::new();
    for _ in 0..3 {
        let report = desk.reconcile_pending().await.unwrap();
        let now = gw.request_count(Endpoint::Transaction);
        rounds.push((
            now - queries,
            report.unsettled.len(),
            report.unsettled_total,
        ));
        queries = now;
    }
    assert_eq!(
        rounds,
        [(2, 2, 5), (2, 2, 5), (2, 2, 5)],
        "two questions a round; the report lists what it asked and counts the rest"
    );
    assert_eq!(
        asked_since(&before).len(),
        5,
        "the third round went back to the first entries only after the others were asked"
    );
}

#[tokio::test]
async fn a_lookup_refreshes_the_journal() {
    let f = fixture().await;
    answer_lost_and_the_gateway_cannot_be_asked(&f);
    f.desk
        .pay_with(payment("DD-J-8", "70", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(entries(&f)[0].outcome, Outcome::InDoubt);
    f.gw.clear_faults();
    f.desk
        .lookup(LookupKey::OrderReference("DD-J-8".into()))
        .await
        .unwrap();
    assert_eq!(entries(&f)[0].outcome, Outcome::Success);
}

#[tokio::test]
async fn cancels_and_refunds_are_journaled_with_reason_and_remaining() {
    let f = fixture().await;
    let transaction = paid(&f.desk, "DD-J-9", "100").await;
    let reference = transaction.reference_code.clone();
    f.desk
        .refund(RefundInput {
            email_customer: None,
            order_reference: None,
            reason: "kısmi; \"iade\"".into(),
            ..refund_of(&reference, "30", "100.00")
        })
        .await
        .unwrap();
    let refund = &entries(&f)[0];
    assert_eq!(
        (refund.kind, refund.outcome),
        (EntryKind::Refund, Outcome::Success)
    );
    assert_eq!(
        refund.amount.map(|m| m.to_string()).as_deref(),
        Some("30.00")
    );
    assert_eq!(
        refund.remaining_after.map(|m| m.to_string()).as_deref(),
        Some("70.00")
    );
    assert_eq!(
        refund.remaining_before.map(|m| m.to_string()).as_deref(),
        Some("100.00")
    );
    assert_eq!(refund.reason.as_deref(), Some("kısmi; \"iade\""));
    assert_eq!(refund.order_reference.as_deref(), Some("DD-J-9"));
    let failed = f
        .desk
        .cancel(cancel_of(&reference, "70.00"))
        .await
        .unwrap_err();
    assert_eq!(failed.details["gatewayCode"], "P013");
    let cancel = &entries(&f)[0];
    assert_eq!(
        (cancel.kind, cancel.outcome, cancel.error_code.as_deref()),
        (EntryKind::Cancel, Outcome::Failed, Some("P013"))
    );
    let history = f.journal.history(&reference, Some("DD-J-9")).unwrap();
    assert_eq!(
        history.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EntryKind::Payment, EntryKind::Refund, EntryKind::Cancel]
    );
}

#[tokio::test]
async fn a_payment_keeps_its_customer_searchable_and_its_refund_names_them_without_the_tckn() {
    let f = fixture().await;
    let mut input = payment("ORD-CUST", "250", test_kit::APPROVE);
    input.contact.tckn = Some("10000000146".into());
    input.contact.description = Some("kapıda teslim".into());
    let tx = approved(f.desk.pay_with(input, no_3d).await.unwrap());
    f.desk
        .refund(refund_of(&tx.reference_code, "50", "250.00"))
        .await
        .unwrap();

    let all = entries(&f);
    assert_eq!(all.len(), 2);
    for entry in &all {
        let customer = entry.customer.as_ref().expect("the customer is kept");
        assert_eq!(
            (customer.name.as_str(), customer.surname.as_str()),
            ("Ayşe", "Yılmaz")
        );
        assert_eq!(customer.email, "ayse@example.com");
        assert_eq!(customer.phone.as_deref(), Some("05002583519"), "as sent");
        assert_eq!(customer.note.as_deref(), Some("kapıda teslim"));
        assert!(
            !format!("{entry:?}").contains("10000000146"),
            "no TCKN in the journal"
        );
    }
    for typed in ["ayse yilmaz", "AYŞE", "ayse@example", "kapida"] {
        let filter = Filter {
            text: Some(typed.into()),
            ..Filter::default()
        };
        let found = f.journal.search(&filter, 0, 10).unwrap();
        assert_eq!(found.total, 2, "{typed}");
    }
}

/// The demo gateway applies Yapı Kredi World's single-payment rate, 1.79 %: commission on the
/// sale 250 × 1.79 % = 4.475 → 4.48; the refund of 50 gives 0.895 → 0.90 back; the dealer keeps
/// 200.00 − 3.58 = 196.42.
#[tokio::test]
async fn the_report_takes_the_commission_the_gateway_applied() {
    let f = fixture().await;
    let tx = approved(
        f.desk
            .pay_with(payment("ORD-COM", "250", test_kit::APPROVE), no_3d)
            .await
            .unwrap(),
    );
    f.desk
        .refund(refund_of(&tx.reference_code, "50", "250.00"))
        .await
        .unwrap();
    let range = today_in_istanbul();
    let report = f
        .journal
        .report(&f.desk.active_profile_id(), range)
        .unwrap();
    let try_totals = &report.totals[0];
    assert_eq!(
        (
            try_totals.sales.to_string().as_str(),
            try_totals.refunds.to_string().as_str(),
            try_totals.net.to_string().as_str(),
            try_totals.commission.to_string().as_str(),
            try_totals.net_to_dealer.to_string().as_str()
        ),
        ("250.00", "50.00", "200.00", "3.58", "196.42")
    );
    assert_eq!(report.by_pos[0].key, "Yapı Kredi World");
}

#[tokio::test]
async fn the_retention_setting_forgets_old_customers_and_says_how_many() {
    use desk_core::journal::{Customer, NewEntry};
    let f = fixture().await;
    let customer = Some(Customer {
        name: "Şükrü".into(),
        surname: "Öztürk".into(),
        email: "sukru@example.com".into(),
        phone: None,
        note: None,
    });
    let day = |days_ago: i64| chrono::Utc::now() - chrono::Duration::days(days_ago);
    let entry = |order: &str| NewEntry {
        kind: Some(EntryKind::Payment),
        profile_id: "demo".into(),
        environment: "demo".into(),
        currency: "TRY".into(),
        order_reference: Some(order.into()),
        customer: customer.clone(),
        ..NewEntry::default()
    };
    f.journal
        .record_many(&[
            (entry("OLD-1"), Outcome::Success, day(400)),
            (entry("OLD-2"), Outcome::Success, day(100)),
            (entry("NEW-1"), Outcome::Success, day(10)),
        ])
        .unwrap();
    let by_customer = |f: &Fixture| {
        let filter = Filter {
            text: Some("sukru".into()),
            ..Filter::default()
        };
        f.journal.search(&filter, 0, 10).unwrap().total
    };
    assert_eq!(by_customer(&f), 3);

    // The default (one year) forgets the 400-day-old customer only.
    assert_eq!(f.desk.apply_retention().await.unwrap(), 1);
    assert_eq!(by_customer(&f), 2);
    let status = f
        .desk
        .update_preferences(Preferences {
            customer_retention: Some(desk_core::settings::Retention::Days90),
            ..Preferences::default()
        })
        .await
        .unwrap();
    assert_eq!(
        status.last_purge.map(|p| p.count),
        Some(1),
        "the 100-day-old one"
    );
    assert_eq!(by_customer(&f), 1);
    let kept = entries(&f);
    assert_eq!(kept.len(), 3, "the entries themselves stay");
    assert!(kept
        .iter()
        .filter(|e| e.order_reference.as_deref() != Some("NEW-1"))
        .all(|e| e.customer.is_none()));
}

#[tokio::test]
async fn the_check_after_start_puts_a_damaged_journal_file_in_the_status() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let healthy = desk_with_journal(&f, &path).with_local_journal_file(path.clone());
    for i in 0..40 {
        paid(&healthy, &format!("DD-CHECK-{i}"), "10.00").await;
    }
    assert_eq!(healthy.check_journal_file().await, None);
    assert!(healthy.status().await.unwrap().notices.is_empty());
    drop(healthy);

    // Garbage over pages in the middle: the desk opens it (quickly), the check finds it.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2 / 4096 * 4096;
    bytes[middle..middle + 4096].fill(0xA5);
    std::fs::write(&path, bytes).unwrap();
    let desk = desk_with_journal(&f, &path).with_local_journal_file(path.clone());
    let notice = desk.check_journal_file().await.expect("damage found");
    assert_eq!(notice.code, "journal_damaged");
    assert_eq!(notice.path, path.display().to_string());
    assert_eq!(desk.status().await.unwrap().notices, vec![notice]);
}

/// A notice of a file set aside is put away once read; a damaged journal's stays until the
/// restart that sets it aside.
#[tokio::test]
async fn a_read_notice_of_a_file_set_aside_is_put_away_a_damaged_journal_stays() {
    let f = fixture().await;
    let aside = StartNotice::set_aside("journal_set_aside", std::path::Path::new("/j.damaged"));
    let damaged = StartNotice::journal_damaged(std::path::Path::new("/j.sqlite"));
    let desk = desk_on(&f, SqliteJournal::open_in_memory().unwrap())
        .with_notices(vec![aside.clone(), damaged.clone()]);

    let after = desk
        .dismiss_notice("journal_set_aside".into())
        .await
        .unwrap();
    assert_eq!(after.notices, vec![damaged.clone()]);
    let after = desk.dismiss_notice("journal_damaged".into()).await.unwrap();
    assert_eq!(after.notices, vec![damaged], "still to be acted on");
}

/// The CSV goes where the operator chose in the host's save dialog, in their language; a
/// cancelled dialog writes nothing and is no error.
#[tokio::test]
async fn an_export_writes_where_the_operator_chose_and_a_cancelled_dialog_writes_nothing() {
    use desk_core::journal::{CsvFormat, ExportInput};
    let f = fixture().await;
    paid(&f.desk, "DD-CSV-1", "1234.5").await;
    let input = || ExportInput {
        filter: Filter::default(),
        format: CsvFormat::Turkish,
        layout: None,
    };
    assert_eq!(f.desk.export_csv(input()).await.unwrap(), None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.csv");
    *f.host.save_to.lock().unwrap() = Some(path.clone());
    let written = f.desk.export_csv(input()).await.unwrap().unwrap();
    assert_eq!(written.rows, 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("DD-CSV-1") && text.contains("1234,50"),
        "{text}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Lists refresh because the journal changed: this desk's own writes are announced as the team
/// database announces every desk's, entries apart from operators and approvals.
#[tokio::test]
async fn the_desks_own_writes_are_announced_to_whoever_follows_the_journal() {
    use std::sync::Mutex;
    let f = fixture().await;
    let told: Mutex<Vec<JournalChange>> = Mutex::default();
    let follow = tokio::time::timeout(
        Duration::from_millis(1500),
        f.desk
            .follow_journal(|change| told.lock().unwrap().push(*change)),
    );
    let act = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        paid(&f.desk, "DD-ANN-1", "10").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        f.desk
            .save_operator(OperatorInput {
                id: None,
                name: "Zeynep".into(),
                role: desk_core::journal::Role::Supervisor,
                pin: Some("111111".into()),
                refund_limit: None,
                active: true,
            })
            .await
            .unwrap();
    };
    let (followed, ()) = tokio::join!(follow, act);
    assert!(followed.is_err(), "follows for as long as the journal runs");
    let told = told.into_inner().unwrap();
    assert!(
        matches!(told.first(), Some(c) if c.entries >= 1 && !c.staff),
        "the payment (reserved, then settled) first: {told:?}"
    );
    assert!(
        told.last().is_some_and(|c| c.staff),
        "then the operator: {told:?}"
    );
}

/// A dealer's Windows user may be `Şükrü`: the journal in a folder with Turkish letters opens,
/// keeps what was written across a restart, and it and the settings file are set aside there
/// when damaged (the test runs as a Windows executable under Wine too).
#[tokio::test]
async fn a_journal_under_a_user_folder_with_turkish_letters_works_and_is_set_aside_there() {
    let f = fixture().await;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("Şükrü Çağlayan").join("Dealer Desk");
    std::fs::create_dir_all(&data).unwrap();
    let path = data.join("journal.sqlite");
    {
        let desk = desk_with_journal(&f, &path);
        paid(&desk, "DD-SUKRU-1", "10").await;
    }
    let restarted = desk_with_journal(&f, &path);
    let kept = restarted
        .journal()
        .search(&Filter::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(
        kept.total, 1,
        "written under the Turkish folder and read back"
    );
    drop(restarted);

    std::fs::write(&path, b"not a journal at all").unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", path.display()));
    }
    let (journal, aside) = SqliteJournal::open_or_set_aside(&path).unwrap();
    let aside = aside.expect("set aside");
    assert_eq!(aside.parent(), Some(data.as_path()), "beside it: {aside:?}");
    assert!(aside.exists() && path.exists());
    drop(journal);

    let settings = data.join("settings.json");
    std::fs::write(&settings, b"{ not json").unwrap();
    let aside = desk_core::settings::set_aside_if_unreadable(&settings)
        .unwrap()
        .expect("an unreadable settings file is set aside");
    assert_eq!(aside.parent(), Some(data.as_path()));
    assert!(!settings.exists() && aside.exists());
}
