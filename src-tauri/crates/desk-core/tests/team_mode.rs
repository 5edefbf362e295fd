//! A desk on the team database (ARCHITECTURE.md): when the database cannot be reached, money
//! operations are refused before anything is sent — never journaled on the side — while
//! lookups keep working.

mod common;

use common::*;
use desk_core::dto::LookupKey;
use desk_core::journal::{Outcome, PgJournal, SslMode, TeamDatabase};
use vpws_sim::{Endpoint, Fault, FaultKind};

/// Two desks on one team database and one gateway. Desk A's refund is lost on the way and the
/// gateway cannot be asked afterwards, so it is in doubt on A. Desk B sees A's payment; asked
/// to refund, it first settles A's refund from what the gateway shows (not applied), sends
/// nothing and shows the figures again; confirmed again, it refunds once.
#[tokio::test]
async fn another_desk_settles_a_refund_left_in_doubt_before_sending_its_own() {
    let f = fixture().await;
    let url = fresh_database("dd_desks").await;
    let desk_a = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let desk_b = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let tx = approved(
        desk_a
            .pay_with(payment("ORD-DESKS-1", "100", APPROVE), no_3d)
            .await
            .unwrap(),
    );
    let on_b = desk_b
        .journal()
        .latest_payment("ORD-DESKS-1")
        .await
        .unwrap()
        .expect("desk B sees desk A's payment");
    assert_eq!(on_b.outcome, Outcome::Success);

    f.gw.add_fault(Fault::new(Endpoint::Refund, FaultKind::DropConnection).times(1));
    f.gw.add_fault(
        Fault::new(Endpoint::Transaction, FaultKind::Status { status: 503 }).after_requests(1),
    );
    let lost = desk_a
        .refund(refund_of(&tx.reference_code, "30", "100.00"))
        .await
        .unwrap_err();
    assert_eq!(lost.code, "reversal_in_doubt");
    f.gw.clear_faults();
    let refunds_sent = f.gw.request_count(Endpoint::Refund);

    let first = desk_b
        .refund(refund_of(&tx.reference_code, "10", "100.00"))
        .await
        .unwrap_err();
    assert_eq!(
        (
            first.code.as_str(),
            first.details.get("earlierSettled").map(String::as_str)
        ),
        ("transaction_changed", Some("true")),
        "{first:?}"
    );
    assert_eq!(
        f.gw.request_count(Endpoint::Refund),
        refunds_sent,
        "nothing sent"
    );
    let history = desk_a
        .journal()
        .history(&tx.reference_code, None)
        .await
        .unwrap();
    let a_refund = history
        .iter()
        .find(|e| e.amount.map(|m| m.to_string()).as_deref() == Some("30.00"))
        .unwrap();
    assert!(
        a_refund.outcome.is_final() && a_refund.outcome != Outcome::Success,
        "desk B settled desk A's refund: {:?}",
        a_refund.outcome
    );

    let view = desk_b
        .refund(refund_of(&tx.reference_code, "10", "100.00"))
        .await
        .unwrap();
    assert_eq!(view.transaction.remaining.to_string(), "90.00");
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_sent + 1);
}

/// Both desks refund the same transaction at the same moment, five times over: the gateway
/// receives one refund each time; the other desk is told another is under way or just done.
#[tokio::test]
async fn two_desks_refunding_one_transaction_at_once_send_one_refund() {
    let f = fixture().await;
    let url = fresh_database("dd_desks").await;
    let desk_a = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let desk_b = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    for round in 0..5 {
        let tx = approved(
            desk_a
                .pay_with(payment(&format!("ORD-RACE-{round}"), "100", APPROVE), no_3d)
                .await
                .unwrap(),
        );
        let before = f.gw.request_count(Endpoint::Refund);
        let refund = refund_of(&tx.reference_code, "40", "100.00");
        let (a, b) = tokio::join!(desk_a.refund(refund.clone()), desk_b.refund(refund));
        assert_eq!(
            f.gw.request_count(Endpoint::Refund),
            before + 1,
            "round {round}: {a:?} / {b:?}"
        );
        let refused = match (&a, &b) {
            (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
            _ => panic!("round {round}: exactly one succeeds: {a:?} / {b:?}"),
        };
        assert!(
            [
                "reversal_in_doubt",
                "reversal_being_sent",
                "transaction_changed"
            ]
            .contains(&refused.code.as_str()),
            "{refused:?}"
        );
    }
}

#[tokio::test]
async fn with_the_team_database_down_money_is_refused_and_lookups_still_work() {
    let f = fixture().await;
    let paid = approved(
        f.desk
            .pay_with(payment("ORD-TEAM-1", "100", APPROVE), no_3d)
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
        certificate: None,
    };
    drop(nothing_there);
    let desk = desk_on(&f, PgJournal::open(&down, "secret").unwrap());
    let sent = |endpoint| f.gw.request_count(endpoint);
    let (payments, refunds) = (sent(Endpoint::Payment), sent(Endpoint::Refund));

    let refused = desk
        .pay_with(payment("ORD-TEAM-2", "50", APPROVE), no_3d)
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
    assert_eq!(
        seen.transaction.remaining.to_string(),
        "100.00",
        "lookups keep working"
    );
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
        certificate: None,
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

/// A desk's own journal moves into the team database: every entry once, with its figures,
/// customer and search text; operators come along; a second run copies nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desks_own_journal_is_copied_into_the_team_database_once() {
    use desk_core::dto::{OperatorInput, TeamSupervisor};
    use desk_core::journal::{Filter, Journal, Role, SqliteJournal, Staff};

    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("journal.sqlite");
    let (desk, host) = desk_and_host(&f, SqliteJournal::open(&file).unwrap());
    let desk = desk.with_local_journal_file(file.clone());
    for (order, amount) in [
        ("ORD-COPY-1", "100"),
        ("ORD-COPY-2", "250.50"),
        ("ORD-COPY-3", "75"),
    ] {
        paid(&desk, order, amount).await;
    }
    let tx = paid(&desk, "ORD-COPY-4", "400").await;
    desk.refund(refund_of(&tx.reference_code, "40", "400.00"))
        .await
        .unwrap();
    desk.save_operator(OperatorInput {
        id: None,
        name: "Zeynep".into(),
        role: Role::Supervisor,
        pin: Some("111111".into()),
        refund_limit: None,
        active: true,
    })
    .await
    .unwrap();

    let url = fresh_database("dd_copy").await;
    choose_team_database(&desk, &url).await;
    // A new team has no operators: nobody needs to allow the copy.
    let nobody = || TeamSupervisor {
        name: String::new(),
        pin: String::new(),
    };
    let first = desk.copy_journal_to_team(nobody()).await.unwrap();
    assert_eq!((first.done, first.total, first.copied), (5, 5, 5));
    assert_eq!(first.imported, ["Zeynep"]);
    let steps = host.copies_seen.lock().unwrap().clone();
    assert_eq!(steps.first().map(|p| p.done), Some(0));
    assert_eq!(steps.last(), Some(&first));

    let team = PgJournal::connect(&url).await.unwrap();
    let local = SqliteJournal::open(&file).unwrap();
    let everything = Filter::default();
    let strip = |entries: Vec<desk_core::journal::Entry>| {
        entries
            .into_iter()
            .map(|mut e| {
                e.id = 0;
                e
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(Journal::all(&team, &everything).await.unwrap()),
        strip(Journal::all(&local, &everything).await.unwrap()),
        "every entry, as it was"
    );
    let range = today_in_istanbul();
    assert_eq!(
        Journal::report(&team, "demo", range).await.unwrap(),
        Journal::report(&local, "demo", range).await.unwrap()
    );
    let found = Journal::search(
        &team,
        &Filter {
            text: Some("ayse yilmaz".into()),
            ..Filter::default()
        },
        0,
        50,
    )
    .await
    .unwrap();
    assert_eq!(found.total, 5, "the search text was built");
    let zeynep = &team.operators().await.unwrap()[0];
    assert_eq!(
        (zeynep.name.as_str(), zeynep.active),
        ("Zeynep", false),
        "imported turned off, for a team supervisor to turn on"
    );

    let again = desk.copy_journal_to_team(nobody()).await.unwrap();
    assert_eq!((again.done, again.copied), (5, 0));
    assert_eq!(Journal::all(&team, &everything).await.unwrap().len(), 5);
    assert_eq!(team.operators().await.unwrap().len(), 1);
}

/// Issue 29, 5: copying into a team that has operators needs one of its supervisors, checked in
/// the team database (a desk's own file, where anyone may be supervisor, is no authority there).
#[tokio::test]
async fn copying_into_a_team_needs_a_supervisor_of_the_team() {
    use desk_core::dto::TeamSupervisor;
    use desk_core::journal::{Journal, Role, Staff};
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("journal.sqlite");
    let desk = desk_with_journal(&f, &file).with_local_journal_file(file.clone());
    paid(&desk, "ORD-COPY-ROLE-1", "100").await;
    // On its own file this desk makes anyone a supervisor.
    desk.save_operator(operator_input("Mallory", Role::Supervisor, "123456", None))
        .await
        .unwrap();

    let url = fresh_database("dd_copy_roles").await;
    let team_desk = desk_elsewhere(&f, PgJournal::connect(&url).await.unwrap());
    team_desk
        .save_operator(operator_input("Kemal", Role::Supervisor, "987654", None))
        .await
        .unwrap();
    choose_team_database(&desk, &url).await;
    let team = PgJournal::connect(&url).await.unwrap();
    let allowed_by = |name: &str, pin: &str| TeamSupervisor {
        name: name.into(),
        pin: pin.into(),
    };
    for (name, pin, code) in [
        ("Mallory", "123456", "supervisor_required"),
        ("Kemal", "000000", "sign_in_failed"),
    ] {
        let refused = desk
            .copy_journal_to_team(allowed_by(name, pin))
            .await
            .unwrap_err();
        assert_eq!(refused.code, code, "{name}");
    }
    assert!(Journal::all(&team, &Default::default())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        team.operators().await.unwrap().len(),
        1,
        "nobody came along"
    );

    let copied = desk
        .copy_journal_to_team(allowed_by("kemal", "987654"))
        .await
        .unwrap();
    assert_eq!(
        (copied.copied, copied.imported.as_slice()),
        (1, ["Mallory".to_owned()].as_slice())
    );
    let mallory = team
        .operators()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "Mallory")
        .unwrap();
    assert!(
        !mallory.active,
        "a supervisor of the team turns her on, or not"
    );
}
