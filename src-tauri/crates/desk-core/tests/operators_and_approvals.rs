//! Operators, roles and refund approval (ARCHITECTURE.md), enforced by the desk itself: what a role
//! may not do is refused in Rust whatever the UI shows. Approval end to end on two desks that
//! share one PostgreSQL journal and one gateway: a refund above the back office's limit is a
//! request, a supervisor on the other desk approves it, and the refund is sent exactly once.

mod common;

use common::*;
use desk_core::dto::{DecisionInput, LookupKey, SignInInput, StaffStatus};
use desk_core::journal::{ApprovalStatus, Filter, Outcome, PgJournal, Role};
use desk_core::Desk;
use vpws_sim::Endpoint;

fn id_of(status: &StaffStatus, name: &str) -> i64 {
    status.names.iter().find(|n| n.name == name).unwrap().id
}

/// Turns operators on (Zeynep, supervisor) and adds Ali (cashier) and Ayşe (back office, up to
/// ₺50); Zeynep stays signed in.
async fn staff(desk: &Desk) {
    desk.save_operator(operator_input("Zeynep", Role::Supervisor, "111111", None))
        .await
        .unwrap();
    desk.save_operator(operator_input("Ali", Role::Cashier, "2222", None))
        .await
        .unwrap();
    desk.save_operator(operator_input("Ayşe", Role::BackOffice, "3333", Some("50")))
        .await
        .unwrap();
}

#[tokio::test]
async fn without_operators_the_desk_works_as_a_single_desk_always_did() {
    let f = fixture().await;
    let status = f.desk.staff_status().await.unwrap();
    assert!(!status.operators_on && status.signed_in.is_none());
    let tx = paid(&f.desk, "ORD-SOLO-1", "100").await;
    f.desk
        .refund(refund_of(&tx.reference_code, "100", "100.00"))
        .await
        .unwrap();
    let entries = f.journal.all(&Filter::default()).unwrap();
    assert_eq!(entries.len(), 2);
}

#[tokio::test]
async fn roles_are_enforced_by_the_desk_not_only_the_screen() {
    let f = fixture().await;
    // The first operator must be a supervisor.
    let first = f
        .desk
        .save_operator(operator_input("Ali", Role::Cashier, "2222", None))
        .await
        .unwrap_err();
    assert_eq!(first.code, "supervisor_required");
    staff(&f.desk).await;
    let tx = paid(&f.desk, "ORD-ROLE-1", "100").await;

    // Locked: nothing but signing in.
    f.desk.sign_out().await.unwrap();
    let payments_before = f.gw.request_count(Endpoint::Payment);
    for refused in [
        f.desk
            .pay_with(payment("ORD-ROLE-2", "10", APPROVE), no_3d)
            .await
            .map(|_| ()),
        f.desk
            .lookup(LookupKey::ReferenceCode(tx.reference_code.clone()))
            .await
            .map(|_| ()),
        f.desk
            .journal_search(desk_core::journal::PageQuery {
                limit: 10,
                ..Default::default()
            })
            .await
            .map(|_| ()),
    ] {
        assert_eq!(refused.unwrap_err().code, "sign_in_required");
    }
    assert_eq!(f.gw.request_count(Endpoint::Payment), payments_before);

    // A cashier pays and looks up, and may not cancel, refund or manage anything.
    sign_in(&f.desk, "Ali", "2222").await;
    paid(&f.desk, "ORD-ROLE-3", "20").await;
    let refunds_before = f.gw.request_count(Endpoint::Refund);
    let cancels_before = f.gw.request_count(Endpoint::Cancel);
    for refused in [
        f.desk
            .refund(refund_of(&tx.reference_code, "1", "100.00"))
            .await
            .map(|_| ()),
        f.desk
            .cancel(cancel_of(&tx.reference_code, "100.00"))
            .await
            .map(|_| ()),
        f.desk
            .save_operator(operator_input("Veli", Role::Supervisor, "444444", None))
            .await
            .map(|_| ()),
        f.desk
            .save_profile(f.custom_profile("Ali's own", 0, None))
            .await
            .map(|_| ()),
    ] {
        let e = refused.unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.details["role"].as_str()),
            ("not_permitted", "cashier")
        );
    }
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_before);
    assert_eq!(f.gw.request_count(Endpoint::Cancel), cancels_before);

    // Back office refunds up to the limit, counted over the transaction: ₺50 then ₺50 more
    // of a ₺100 sale is above a ₺50 limit, and nothing is sent.
    sign_in(&f.desk, "Ayşe", "3333").await;
    f.desk
        .refund(refund_of(&tx.reference_code, "50", "100.00"))
        .await
        .unwrap();
    for amount in ["50", "0.01"] {
        let above = f
            .desk
            .refund(refund_of(&tx.reference_code, amount, "50.00"))
            .await
            .unwrap_err();
        assert_eq!(
            (
                above.code.as_str(),
                above.details["limit"].as_str(),
                above.details["taken"].as_str()
            ),
            ("above_refund_limit", "50.00", "50.00"),
            "{amount}"
        );
    }
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_before + 1);
    // A same-day cancel above the limit needs a supervisor as much as a refund does.
    let big = paid(&f.desk, "ORD-ROLE-4", "5000").await;
    let cancel = f
        .desk
        .cancel(cancel_of(&big.reference_code, "5000.00"))
        .await
        .unwrap_err();
    assert_eq!(cancel.code, "above_refund_limit");
    assert_eq!(f.gw.request_count(Endpoint::Cancel), cancels_before);

    // Every entry names who was signed in.
    let entries = f.journal.all(&Filter::default()).unwrap();
    let by: Vec<_> = entries
        .iter()
        .map(|e| (e.kind, e.operator.as_str()))
        .collect();
    use desk_core::journal::EntryKind::*;
    assert_eq!(
        by,
        [
            (Payment, "Ayşe"),
            (Refund, "Ayşe"),
            (Payment, "Ali"),
            (Payment, "Zeynep")
        ]
    );
}

#[tokio::test]
async fn wrong_pins_are_refused_and_five_in_a_row_make_the_operator_wait() {
    let f = fixture().await;
    staff(&f.desk).await;
    let status = f.desk.sign_out().await.unwrap();
    let ali = id_of(&status, "Ali");
    let attempt = |pin: &str| {
        f.desk.sign_in(SignInInput {
            operator_id: ali,
            pin: pin.into(),
        })
    };
    for _ in 0..5 {
        let e = attempt("9999").await.unwrap_err();
        assert_eq!(e.code, "sign_in_failed");
        assert!(!e.message.contains("9999"));
    }
    let waiting = attempt("2222").await.unwrap_err();
    assert_eq!(waiting.code, "sign_in_throttled");
    assert!(waiting.details["seconds"].parse::<u64>().unwrap() <= 30);
    // Another operator is not held up by Ali's tries.
    let zeynep = sign_in(&f.desk, "Zeynep", "111111").await;
    assert_eq!(zeynep.signed_in.unwrap().name, "Zeynep");
}

#[tokio::test]
async fn a_supervisor_turned_off_or_demoted_elsewhere_loses_their_rights_at_once() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let (desk, other) = (desk_with_journal(&f, &path), desk_with_journal(&f, &path));
    staff(&desk).await;
    // The last supervisor cannot be demoted while others are active.
    let ops = desk.list_operators().await.unwrap();
    let zeynep = ops.iter().find(|o| o.name == "Zeynep").unwrap();
    let mut demote = operator_input("Zeynep", Role::Cashier, "", None);
    demote.id = Some(zeynep.id);
    demote.pin = None;
    let e = desk.save_operator(demote).await.unwrap_err();
    assert_eq!(e.code, "supervisor_required");

    // Another desk on the same journal turns Ayşe off while she is signed in here.
    sign_in(&desk, "Ayşe", "3333").await;
    sign_in(&other, "Zeynep", "111111").await;
    let ayse = ops.iter().find(|o| o.name == "Ayşe").unwrap();
    let mut off = operator_input("Ayşe", Role::BackOffice, "", Some("50"));
    off.id = Some(ayse.id);
    off.pin = None;
    off.active = false;
    // A gate earlier kept its reading for its own command only: the next gate reads again.
    desk.gate(desk_core::desk::Need::Look).await.unwrap();
    other.save_operator(off).await.unwrap();
    let gate_refused = desk.gate(desk_core::desk::Need::Pay).await.unwrap_err();
    assert_eq!(gate_refused.code, "sign_in_required");
    let tx_refused = desk
        .pay_with(payment("ORD-OFF-1", "10", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(tx_refused.code, "sign_in_required");
}

/// Team mode end to end on the team database: desk A takes the payment (cashier), desk B's
/// back office asks for a refund above its limit, a supervisor on desk A sees the request and
/// approves it; the gateway receives exactly one refund, and both desks show the result with
/// who asked and who approved.
#[tokio::test]
async fn a_refund_above_the_limit_is_approved_on_another_desk_and_sent_once() {
    let f = fixture().await;
    let url = fresh_database("dd_approval").await;
    let desk_a = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let desk_b = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let mut heard_on_a = desk_a.journal().changes().unwrap();
    staff(&desk_a).await;
    sign_in(&desk_a, "Ali", "2222").await;
    let tx = paid(&desk_a, "ORD-APPROVE-1", "1200").await;

    sign_in(&desk_b, "Ayşe", "3333").await;
    let refund = refund_of(&tx.reference_code, "900", "1200.00");
    assert_eq!(
        desk_b.refund(refund.clone()).await.unwrap_err().code,
        "above_refund_limit"
    );
    let refunds_before = f.gw.request_count(Endpoint::Refund);
    // What A heard so far (sign-ins, its listener connecting) is not the request.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    while heard_on_a.try_recv().is_ok() {}
    let request = desk_b
        .request_refund_approval(refund.clone())
        .await
        .unwrap();
    assert_eq!(
        (
            request.status,
            request.requested_by.as_str(),
            request.amount.as_str()
        ),
        (ApprovalStatus::Pending, "Ayşe", "900")
    );
    let twice = desk_b.request_refund_approval(refund).await.unwrap_err();
    assert_eq!(twice.code, "approval_pending");
    // Back office may not approve its own request.
    let own = desk_b
        .decide_approval(decision(request.id, true, ""))
        .await
        .unwrap_err();
    assert_eq!(own.code, "not_permitted");

    // Desk A hears of the request at once and lists it.
    tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while heard_on_a.recv().await.unwrap() != 0 {}
    })
    .await
    .expect("desk A is told of the request");
    sign_in(&desk_a, "Zeynep", "111111").await;
    let pending = desk_a.approvals().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].status, ApprovalStatus::Pending);

    let approve = DecisionInput {
        email_customer: None,
        approval_id: request.id,
        approve: true,
        note: "Müşteri iadesi onaylandı".into(),
    };
    let decided = desk_a.decide_approval(approve.clone()).await.unwrap();
    assert_eq!(decided.status, ApprovalStatus::Approved);
    assert_eq!(decided.decided_by.as_deref(), Some("Zeynep"));
    assert_eq!(decided.refund_outcome, Some(Outcome::Success));
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_before + 1);

    // Approving again sends nothing.
    let again = desk_a.decide_approval(approve).await.unwrap_err();
    assert_eq!(
        (again.code.as_str(), again.details["by"].as_str()),
        ("approval_decided", "Zeynep")
    );
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_before + 1);

    // Desk B shows the result: the request approved, the refund with who asked and approved.
    let on_b = desk_b.approvals().await.unwrap();
    assert_eq!(on_b[0].status, ApprovalStatus::Approved);
    let history = desk_b
        .journal()
        .history(&tx.reference_code, None)
        .await
        .unwrap();
    let refund_entry = history
        .iter()
        .find(|e| e.amount.map(|m| m.to_string()).as_deref() == Some("900.00"))
        .unwrap();
    assert_eq!(refund_entry.outcome, Outcome::Success);
    assert_eq!(
        (
            refund_entry.operator.as_str(),
            refund_entry.approved_by.as_deref()
        ),
        ("Ayşe", Some("Zeynep"))
    );
    let view = desk_b
        .lookup(LookupKey::ReferenceCode(tx.reference_code.clone()))
        .await
        .unwrap();
    assert_eq!(view.transaction.remaining.to_string(), "300.00");
}

/// A request whose figures moved before the supervisor decided sends nothing and waits again;
/// a rejection needs a note and sends nothing.
#[tokio::test]
async fn an_approval_on_moved_figures_sends_nothing_and_a_rejection_needs_a_note() {
    let f = fixture().await;
    staff(&f.desk).await;
    let tx = paid(&f.desk, "ORD-MOVED-1", "1000").await;
    sign_in(&f.desk, "Ayşe", "3333").await;
    let request = f
        .desk
        .request_refund_approval(refund_of(&tx.reference_code, "600", "1000.00"))
        .await
        .unwrap();
    // Meanwhile Ayşe refunds 40 within her limit.
    f.desk
        .refund(refund_of(&tx.reference_code, "40", "1000.00"))
        .await
        .unwrap();
    sign_in(&f.desk, "Zeynep", "111111").await;
    let refunds_before = f.gw.request_count(Endpoint::Refund);
    let moved = f
        .desk
        .decide_approval(decision(request.id, true, ""))
        .await
        .unwrap_err();
    assert_eq!(moved.code, "transaction_changed");
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_before);
    let listed = f.desk.approvals().await.unwrap();
    assert_eq!(listed[0].status, ApprovalStatus::Pending);

    let no_note = f
        .desk
        .decide_approval(decision(request.id, false, " "))
        .await
        .unwrap_err();
    assert_eq!(no_note.details["field"], "note");
    let rejected = f
        .desk
        .decide_approval(decision(
            request.id,
            false,
            "Tutar değişti, yeniden isteyin",
        ))
        .await
        .unwrap();
    assert_eq!(rejected.status, ApprovalStatus::Rejected);
    assert_eq!(rejected.entry_id, None);
    assert_eq!(f.gw.request_count(Endpoint::Refund), refunds_before);
}
