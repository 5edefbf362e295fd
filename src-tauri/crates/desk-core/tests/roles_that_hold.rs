//! Roles that hold (issue 29): every command's need is checked by the desk's one gate, a
//! sign-in ends after the lock time whatever the window does, a desk that cannot reach its team
//! database still asks for a PIN, export is an action of its own.

mod common;

use std::time::Duration;

use common::*;
use desk_core::desk::Need;
use desk_core::dto::{LookupKey, Preferences};
use desk_core::journal::{PgJournal, Role};
use desk_core::Desk;
use vpws_sim::Endpoint;

const EVERY_NEED: [Need; 9] = Need::ALL;

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
            Need::ManageDesk
        ]
    );

    sign_in(&f.desk, "Ayşe", "3333").await;
    let back_office = gate_answers(&f.desk).await;
    assert_eq!(
        refused_as(&back_office, "not_permitted"),
        [Need::Approve, Need::Export, Need::ManageDesk]
    );

    sign_in(&f.desk, "Zeynep", "111111").await;
    assert!(gate_answers(&f.desk).await.iter().all(|(_, a)| a.is_none()));
}

#[tokio::test]
async fn export_is_a_supervisors_unless_the_team_grants_it_to_back_office() {
    let f = fixture().await;
    staff(&f.desk).await;
    sign_in(&f.desk, "Ayşe", "3333").await;
    assert_eq!(
        f.desk.journal_to_export().await.err().unwrap().code,
        "not_permitted"
    );
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
    assert!(f.desk.journal_to_export().await.is_ok());
    sign_in(&f.desk, "Ali", "2222").await;
    assert_eq!(
        f.desk.journal_to_export().await.err().unwrap().code,
        "not_permitted"
    );
}

#[tokio::test]
async fn switching_profiles_and_checking_a_payment_need_their_roles() {
    let f = fixture().await;
    staff(&f.desk).await;
    let order = "ORD-GATE-1";
    paid(&f.desk, order, "10").await;
    let demo = f.desk.status().await.unwrap().profile.id;
    sign_in(&f.desk, "Ali", "2222").await;
    let switched = f.desk.switch_profile(&demo).await.unwrap_err();
    assert_eq!(switched.code, "not_permitted");
    f.desk.check_payment(order).await.unwrap();
    f.desk.sign_out().await.unwrap();
    let inquiries = f.gw.request_count(Endpoint::Transaction);
    let checked = f.desk.check_payment(order).await.unwrap_err();
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
    assert!(f.desk.current_payment().is_some(), "the payment's result");
    // …reads alone do not (lists reload when other desks change the journal)…
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _ = f.desk.journal_to_read().await;
    }
    let lookups = f.gw.request_count(Endpoint::Transaction);
    assert_eq!(look().await.unwrap_err().code, "sign_in_required");
    assert_eq!(f.gw.request_count(Endpoint::Transaction), lookups);
    assert!(f.desk.staff_status().await.unwrap().signed_in.is_none());
    assert!(
        f.desk.current_payment().is_none(),
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
