//! Roles that hold (issue 29): every command's need is checked by the desk's one gate, a
//! sign-in ends after the lock time whatever the window does, a desk that cannot reach its team
//! database still asks for a PIN, export is an action of its own.

mod common;

use std::time::Duration;

use common::*;
use desk_core::desk::Need;
use desk_core::dto::{LookupKey, Preferences, SignInInput};
use desk_core::journal::{CsvFormat, ExportInput, Filter, PgJournal, Role};
use desk_core::Desk;
use vpws_sim::Endpoint;

const EVERY_NEED: [Need; 10] = Need::ALL;

async fn staff(desk: &Desk) {
    for operator in [
        operator_input("Zeynep", Role::Supervisor, "111111", None),
        operator_input("Ali", Role::Cashier, "2222", None),
        operator_input("Ayşe", Role::BackOffice, "3333", Some("50")),
    ] {
        desk.save_operator(operator).await.unwrap();
    }
}

/// What the gate answers for each need: `None` when it lets the command run, else the error code.
async fn gate_answers(desk: &Desk) -> Vec<(Need, Option<String>)> {
    let mut answers = Vec::new();
    for need in EVERY_NEED {
        answers.push((
            need,
            desk.gate(need).await.err().map(|e| e.code.to_string()),
        ));
    }
    answers
}

fn refused_as(answers: &[(Need, Option<String>)], code: &str) -> Vec<Need> {
    answers
        .iter()
        .filter(|(_, answer)| answer.as_deref() == Some(code))
        .map(|(need, _)| *need)
        .collect()
}

#[tokio::test]
async fn the_gate_lets_each_role_through_to_its_own_commands_only() {
    let f = fixture().await;
    // Operators off: a single desk may do everything.
    assert!(gate_answers(&f.desk).await.iter().all(|(_, a)| a.is_none()));
    staff(&f.desk).await;

    f.desk.sign_out().await.unwrap();
    let locked = gate_answers(&f.desk).await;
    assert_eq!(refused_as(&locked, "sign_in_required"), &EVERY_NEED[1..]);

    sign_in(&f.desk, "Ali", "2222").await;
    let cashier = gate_answers(&f.desk).await;
    assert_eq!(
        refused_as(&cashier, "not_permitted"),
        [
            Need::Cancel,
            Need::Refund,
            Need::RequestApproval,
            Need::Approve,
            Need::Export,
            Need::ManageDesk,
            Need::SetUpTeam
        ]
    );

    sign_in(&f.desk, "Ayşe", "3333").await;
    let back_office = gate_answers(&f.desk).await;
    assert_eq!(
        refused_as(&back_office, "not_permitted"),
        [
            Need::Approve,
            Need::Export,
            Need::ManageDesk,
            Need::SetUpTeam
        ]
    );

    sign_in(&f.desk, "Zeynep", "111111").await;
    assert!(gate_answers(&f.desk).await.iter().all(|(_, a)| a.is_none()));
}

#[tokio::test]
async fn export_is_a_supervisors_unless_the_team_grants_it_to_back_office() {
    let f = fixture().await;
    staff(&f.desk).await;
    sign_in(&f.desk, "Ayşe", "3333").await;
    let dir = tempfile::tempdir().unwrap();
    let everything = Filter::default();
    *f.host.save_to.lock().unwrap() = Some(dir.path().join("day.csv"));
    let export = || {
        f.desk.export_csv(ExportInput {
            filter: everything.clone(),
            format: CsvFormat::Turkish,
            layout: None,
        })
    };
    assert_eq!(export().await.unwrap_err().code, "not_permitted");
    assert!(!dir.path().join("day.csv").exists(), "nothing written");
    // Only a supervisor grants it.
    let grant = Preferences {
        back_office_exports: Some(true),
        ..Preferences::default()
    };
    let refused = f.desk.update_preferences(grant.clone()).await.unwrap_err();
    assert_eq!(refused.code, "not_permitted");
    sign_in(&f.desk, "Zeynep", "111111").await;
    assert!(
        f.desk
            .update_preferences(grant)
            .await
            .unwrap()
            .back_office_exports
    );
    sign_in(&f.desk, "Ayşe", "3333").await;
    assert_eq!(export().await.unwrap().map(|written| written.rows), Some(0));
    sign_in(&f.desk, "Ali", "2222").await;
    assert_eq!(export().await.unwrap_err().code, "not_permitted");
}

#[tokio::test]
async fn switching_profiles_and_checking_a_payment_need_their_roles() {
    let f = fixture().await;
    staff(&f.desk).await;
    let order = "ORD-GATE-1";
    paid(&f.desk, order, "10").await;
    let demo = f.desk.status().await.unwrap().profile.id;
    sign_in(&f.desk, "Ali", "2222").await;
    let switched = f.desk.switch_profile(demo.clone()).await.unwrap_err();
    assert_eq!(switched.code, "not_permitted");
    f.desk.check_payment(order.into()).await.unwrap();
    f.desk.sign_out().await.unwrap();
    let inquiries = f.gw.request_count(Endpoint::Transaction);
    let checked = f.desk.check_payment(order.into()).await.unwrap_err();
    assert_eq!(checked.code, "sign_in_required");
    assert_eq!(f.gw.request_count(Endpoint::Transaction), inquiries);
}

#[tokio::test]
async fn a_sign_in_ends_after_the_lock_time_unless_the_operator_is_active() {
    let mut f = fixture().await;
    // The default lock time is 5 "minutes" of 40 ms here: 200 ms.
    f.desk = f.desk.with_idle_minute(Duration::from_millis(40));
    staff(&f.desk).await;
    let tx = paid(&f.desk, "ORD-IDLE-1", "10").await;
    let look = || {
        f.desk
            .lookup(LookupKey::ReferenceCode(tx.reference_code.clone()))
    };

    // Typing and pointing (still_here) and acting (paying) keep the sign-in alive…
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        f.desk.still_here().await.unwrap();
    }
    look().await.unwrap();
    assert!(
        f.desk.current_payment().await.unwrap().is_some(),
        "the payment's result"
    );
    // …reads alone do not (lists reload when other desks change the journal)…
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _ = f
            .desk
            .journal_search(desk_core::journal::PageQuery {
                limit: 10,
                ..Default::default()
            })
            .await;
    }
    let lookups = f.gw.request_count(Endpoint::Transaction);
    assert_eq!(look().await.unwrap_err().code, "sign_in_required");
    assert_eq!(f.gw.request_count(Endpoint::Transaction), lookups);
    assert!(f.desk.staff_status().await.unwrap().signed_in.is_none());
    assert!(
        f.desk.current_payment().await.unwrap().is_none(),
        "the next operator does not see the last one's payment result"
    );
    // …and with the lock time at "never" the sign-in stays.
    sign_in(&f.desk, "Zeynep", "111111").await;
    let never = Preferences {
        lock_after_minutes: Some(0),
        ..Preferences::default()
    };
    f.desk.update_preferences(never).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    look().await.unwrap();
}

#[tokio::test]
async fn a_desk_that_cannot_reach_its_team_database_at_start_asks_for_a_pin() {
    let f = fixture().await;
    let (proxy, through_proxy, _direct) = database_behind_a_proxy("roles_down").await;
    let first = desk_on(&f, PgJournal::connect(&through_proxy).await.unwrap());
    staff(&first).await;
    let tx = paid(&first, "ORD-DOWN-1", "10").await;
    drop(first);

    // The desk starts again while the team database is away.
    let again = desk_on(&f, PgJournal::connect(&through_proxy).await.unwrap());
    proxy.cut();
    let lookups = f.gw.request_count(Endpoint::Transaction);
    let refused = again
        .lookup(LookupKey::ReferenceCode(tx.reference_code.clone()))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "sign_in_required");
    assert_eq!(f.gw.request_count(Endpoint::Transaction), lookups);

    // Whoever signed in before it went away keeps looking up (the gateway answers lookups).
    proxy.restore();
    sign_in(&again, "Ali", "2222").await;
    proxy.cut();
    again
        .lookup(LookupKey::ReferenceCode(tx.reference_code.clone()))
        .await
        .unwrap();
}

async fn try_pin(desk: &Desk, id: i64, pin: &str) -> Result<(), desk_core::error::AppError> {
    desk.sign_in(SignInInput {
        operator_id: id,
        pin: pin.into(),
    })
    .await
    .map(|_| ())
}

async fn id_of(desk: &Desk, name: &str) -> i64 {
    let status = desk.staff_status().await.unwrap();
    status.names.iter().find(|n| n.name == name).unwrap().id
}

#[tokio::test]
async fn wrong_pins_are_counted_in_the_journal_for_every_desk_and_across_restarts() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("journal.sqlite");
    let desk = desk_with_journal(&f, &file);
    staff(&desk).await;
    let ali = id_of(&desk, "Ali").await;
    for _ in 0..4 {
        assert_eq!(
            try_pin(&desk, ali, "9999").await.unwrap_err().code,
            "sign_in_failed"
        );
    }
    drop(desk);
    // The fifth wrong PIN, after a restart: from now on every try waits 30 s, the right PIN too.
    let again = desk_with_journal(&f, &file);
    assert_eq!(
        try_pin(&again, ali, "9999").await.unwrap_err().code,
        "sign_in_failed"
    );
    let wait = try_pin(&again, ali, "2222").await.unwrap_err();
    assert_eq!(wait.code, "sign_in_throttled");
    let seconds: i64 = wait.details["seconds"].parse().unwrap();
    assert!((29..=31).contains(&seconds), "{seconds}");
}

#[tokio::test]
async fn wrong_pins_at_once_on_two_desks_are_all_counted_and_the_wait_grows_to_a_block() {
    let f = fixture().await;
    let url = fresh_database("roles_pins").await;
    let a = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let b = desk_elsewhere(&f, PgJournal::connect(&url).await.unwrap());
    staff(&a).await;
    let ali = id_of(&a, "Ali").await;

    // 20 wrong PINs at once, from two desks: 5 are checked, then everyone waits.
    let tries = (0..20).map(|i| {
        let desk = if i % 2 == 0 { &a } else { &b };
        try_pin(desk, ali, "9999")
    });
    let answers = futures_util::future::join_all(tries).await;
    let codes: Vec<String> = answers
        .into_iter()
        .map(|r| r.unwrap_err().code.to_string())
        .collect();
    let checked = codes.iter().filter(|c| *c == "sign_in_failed").count();
    let waited = codes.iter().filter(|c| *c == "sign_in_throttled").count();
    assert_eq!((checked, waited), (5, 15), "{codes:?}");

    // Each try after a wait (waits ended by hand here) counts on: from 10, five minutes…
    let db = pg_client(&owner_url(&url)).await;
    let end_the_wait = || db.execute("UPDATE operators SET pin_wait_until = NULL", &[]);
    for _ in 5..10 {
        end_the_wait().await.unwrap();
        try_pin(&b, ali, "9999").await.unwrap_err();
    }
    let long = try_pin(&a, ali, "2222").await.unwrap_err();
    let seconds: i64 = long.details["seconds"].parse().unwrap();
    assert!((299..=301).contains(&seconds), "{seconds}");
    // …and at 20 the operator is blocked: the right PIN does not help, waiting does not either.
    for _ in 10..20 {
        end_the_wait().await.unwrap();
        try_pin(&a, ali, "9999").await.unwrap_err();
    }
    end_the_wait().await.unwrap();
    assert_eq!(
        try_pin(&b, ali, "2222").await.unwrap_err().code,
        "sign_in_blocked"
    );
    let listed = a.list_operators().await.unwrap();
    assert!(listed.iter().find(|o| o.id == ali).unwrap().pin_blocked);

    // A supervisor sets a new PIN: Ali signs in with it.
    a.save_operator(desk_core::dto::OperatorInput {
        id: Some(ali),
        ..operator_input("Ali", Role::Cashier, "5678", None)
    })
    .await
    .unwrap();
    try_pin(&b, ali, "5678").await.unwrap();
}

#[tokio::test]
async fn a_supervisors_pin_has_at_least_six_digits() {
    let f = fixture().await;
    let short = f
        .desk
        .save_operator(operator_input("Zeynep", Role::Supervisor, "12345", None))
        .await
        .unwrap_err();
    assert_eq!(short.details["reason"], "supervisor_pin_digits");
    staff(&f.desk).await;
    // Whoever becomes a supervisor gets a supervisor's PIN.
    let ali = id_of(&f.desk, "Ali").await;
    let promote = |pin: Option<&str>| desk_core::dto::OperatorInput {
        id: Some(ali),
        pin: pin.map(str::to_owned),
        ..operator_input("Ali", Role::Supervisor, "", None)
    };
    for pin in [None, Some("2222")] {
        let e = f.desk.save_operator(promote(pin)).await.unwrap_err();
        assert_eq!(e.details["reason"], "supervisor_pin_digits", "{pin:?}");
    }
    f.desk.save_operator(promote(Some("222222"))).await.unwrap();
    sign_in(&f.desk, "Ali", "222222").await;
}

/// Issue 29, 6: the stored team password goes only where it was typed for; no encryption only
/// on this computer; a pinned certificate is confirmed before it is chosen.
#[tokio::test]
async fn the_team_password_goes_only_to_the_database_it_was_given_for() {
    use desk_core::dto::TeamJournalInput;
    use desk_core::journal::{SslMode, TeamDatabase};
    let f = fixture().await;
    let url = fresh_database("roles_password").await;
    let (ours, password) = team_settings_of(&url);
    let input = |database: &TeamDatabase, password: Option<&str>| TeamJournalInput {
        database: database.clone(),
        password: password.map(str::to_owned),
    };
    f.desk
        .choose_journal(Some(input(&ours, Some(&password))))
        .await
        .unwrap();
    f.desk.test_team_journal(input(&ours, None)).await.unwrap();

    // Someone types another host (here: a listener that records who calls) and presses Test.
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let theirs = TeamDatabase {
        port: elsewhere.local_addr().unwrap().port(),
        ..ours.clone()
    };
    let refused = f
        .desk
        .test_team_journal(input(&theirs, None))
        .await
        .unwrap_err();
    assert_eq!(
        (
            refused.details["field"].as_str(),
            refused.details["reason"].as_str()
        ),
        ("teamPassword", "password_for_new_database")
    );
    let called = tokio::time::timeout(Duration::from_millis(300), elsewhere.accept()).await;
    assert!(called.is_err(), "nothing was sent to the other host");
    let other_user = TeamDatabase {
        user: "someone_else".into(),
        ..ours.clone()
    };
    let refused = f
        .desk
        .choose_journal(Some(input(&other_user, None)))
        .await
        .unwrap_err();
    assert_eq!(refused.details["reason"], "password_for_new_database");

    // No encryption: only to this computer.
    let lan = TeamDatabase {
        host: "db.bayi.local".into(),
        ssl_mode: SslMode::Disable,
        ..ours.clone()
    };
    let refused = f
        .desk
        .test_team_journal(input(&lan, Some("x")))
        .await
        .unwrap_err();
    assert_eq!(
        (
            refused.details["field"].as_str(),
            refused.details["reason"].as_str()
        ),
        ("teamTls", "loopback_only")
    );
    // A pinned certificate is confirmed (by Test) before it can be chosen.
    let pinned = TeamDatabase {
        ssl_mode: SslMode::Require,
        certificate: None,
        ..ours
    };
    let refused = f
        .desk
        .choose_journal(Some(input(&pinned, Some("x"))))
        .await
        .unwrap_err();
    assert_eq!(refused.details["reason"], "certificate_unconfirmed");
}

/// Issue 29, 2: a cancel above the back office's limit is asked of a supervisor like a refund,
/// and approving it sends the cancel, once.
#[tokio::test]
async fn a_cancel_above_the_limit_is_approved_by_a_supervisor_and_sent_once() {
    use desk_core::journal::{ApprovalStatus, EntryKind, Filter, Outcome};
    let f = fixture().await;
    staff(&f.desk).await;
    let sale = paid(&f.desk, "ORD-CANCEL-BIG", "5000").await;
    sign_in(&f.desk, "Ayşe", "3333").await;
    let refused = f
        .desk
        .cancel(cancel_of(&sale.reference_code, "5000.00"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "above_refund_limit");
    let request = f
        .desk
        .request_cancel_approval(cancel_of(&sale.reference_code, "5000.00"))
        .await
        .unwrap();
    assert_eq!(
        (request.kind, request.amount.as_str(), request.status),
        (EntryKind::Cancel, "5000.00", ApprovalStatus::Pending)
    );
    let cancels = f.gw.request_count(Endpoint::Cancel);
    sign_in(&f.desk, "Zeynep", "111111").await;
    let decided = f
        .desk
        .decide_approval(decision(request.id, true, ""))
        .await
        .unwrap();
    assert_eq!(
        (decided.status, decided.refund_outcome),
        (ApprovalStatus::Approved, Some(Outcome::Success))
    );
    assert_eq!(f.gw.request_count(Endpoint::Cancel), cancels + 1);
    assert_eq!(f.gw.request_count(Endpoint::Refund), 0);
    let cancel = f
        .journal
        .all(&Filter::default())
        .unwrap()
        .into_iter()
        .find(|e| e.kind == EntryKind::Cancel)
        .unwrap();
    assert_eq!(
        (cancel.operator.as_str(), cancel.approved_by.as_deref()),
        ("Ayşe", Some("Zeynep"))
    );
}

/// A desk that chose "encrypted, certificate not checked" before pinning existed keeps working:
/// it pins the first certificate it sees and keeps it in its settings (trust on first use).
#[tokio::test]
async fn a_desk_that_chose_an_unchecked_certificate_before_pins_the_first_one_it_sees() {
    use desk_core::journal::SslMode;
    use desk_core::settings::{JournalChoice, SettingsRepo};
    let f = fixture().await;
    let url = fresh_database("roles_legacy_tls").await;
    let (mut database, password) = team_settings_of(&url);
    database.ssl_mode = SslMode::Require;
    let mut settings = f.settings.load().unwrap().unwrap();
    settings.journal = JournalChoice::Team {
        database: database.clone(),
    };
    f.settings.save(&settings).unwrap();

    let desk = desk_on(&f, PgJournal::open_at_start(&database, &password).unwrap());
    desk.reconcile_pending().await.unwrap();
    let JournalChoice::Team { database: kept } = f.settings.load().unwrap().unwrap().journal else {
        panic!("still the team database");
    };
    let pinned = kept
        .certificate
        .clone()
        .expect("the certificate seen is kept");
    assert_eq!(pinned.len(), 32 * 3 - 1, "{pinned}");
    PgJournal::open(&kept, &password)
        .unwrap()
        .check()
        .await
        .unwrap();
}
