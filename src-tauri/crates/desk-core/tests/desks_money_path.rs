//! The money path across desks: several desks on one journal — a SQLite file they
//! share, and the PostgreSQL team database — and one gateway. An entry being sent belongs to its
//! sender; a reversal is judged only from a read taken after the journal showed it; an entry is
//! settled only through the gateway account that made it.

mod common;

use std::time::Duration;

use common::*;
use desk_core::dto::LookupKey;
use desk_core::journal::{Entry, Journal, Outcome, PgJournal, ReportRange, SqliteJournal};
use desk_core::{Desk, ReconcilePolicy};
use rust_decimal::Decimal;
use vpws_sim::{Endpoint, Fault, FaultKind};

#[derive(Clone, Copy, Debug)]
enum Shared {
    SqliteFile,
    Postgres,
}

const BOTH: [Shared; 2] = [Shared::SqliteFile, Shared::Postgres];

/// Leases longer than any delay these tests inject, so only a finished send lets go.
fn policy() -> ReconcilePolicy {
    ReconcilePolicy {
        lease: Duration::from_secs(30),
        ..test_policy()
    }
}

/// Two desks on one journal of the kind `shared`, with the fixture's gateway and settings.
async fn two_desks(f: &Fixture, shared: Shared) -> (Desk, Desk, Option<tempfile::TempDir>) {
    match shared {
        Shared::SqliteFile => {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("journal.sqlite");
            let a = desk_on(f, SqliteJournal::open(&path).unwrap()).with_reconcile_policy(policy());
            let b = desk_on(f, SqliteJournal::open(&path).unwrap()).with_reconcile_policy(policy());
            (a, b, Some(dir))
        }
        Shared::Postgres => {
            let url = fresh_database("dd_cross").await;
            let a =
                desk_on(f, PgJournal::connect(&url).await.unwrap()).with_reconcile_policy(policy());
            let b =
                desk_on(f, PgJournal::connect(&url).await.unwrap()).with_reconcile_policy(policy());
            (a, b, None)
        }
    }
}

async fn refund_entry(desk: &Desk, reference: &str, amount: &str) -> Entry {
    desk.journal()
        .history(reference, None)
        .await
        .unwrap()
        .into_iter()
        .find(|e| {
            e.kind == desk_core::journal::EntryKind::Refund
                && e.amount == Some(desk_core::model::Money::parse(amount).unwrap())
        })
        .unwrap_or_else(|| panic!("a refund of {amount} is journaled"))
}

fn remaining_at_gateway(f: &Fixture, reference: &str) -> Decimal {
    f.gw.transactions()
        .into_iter()
        .find(|t| t.reference_number == reference)
        .expect("the gateway holds the payment")
        .last_amount
}

/// Issue 28, 2: desk A's refund is on its way to a slow gateway; desk B opens the transaction
/// meanwhile (it still shows everything refundable) and then tries a refund of its own. B must
/// not journal A's refund as failed, must not send a second refund while A's is at the gateway,
/// and A's refund ends successful with no error code left on it.
#[tokio::test]
async fn a_lookup_on_another_desk_during_a_slow_refund_leaves_it_to_its_sender() {
    for shared in BOTH {
        let f = fixture().await;
        let (a, b, _dir) = two_desks(&f, shared).await;
        let tx = paid(&a, "ORD-SLOW-REFUND", "100").await;
        let reference = tx.reference_code.clone();
        // Long enough for B's lookup and refund attempt even on a loaded machine.
        f.gw.add_fault(Fault::new(Endpoint::Refund, FaultKind::Delay { ms: 3000 }).times(1));

        let (on_a, (lookup, seen_by_b, second)) =
            tokio::join!(a.refund(refund_of(&reference, "30", "100.00")), async {
                tokio::time::sleep(Duration::from_millis(400)).await;
                let lookup = b.lookup(LookupKey::ReferenceCode(reference.clone())).await;
                let seen_by_b = refund_entry(&b, &reference, "30").await;
                let second = b.refund(refund_of(&reference, "10", "100.00")).await;
                (lookup, seen_by_b, second)
            });

        lookup.unwrap();
        assert!(
            !seen_by_b.outcome.is_final(),
            "{shared:?}: desk B settled desk A's refund while it was at the gateway: {:?}",
            seen_by_b.outcome
        );
        let refused = second.expect_err("no second refund while the first is on its way");
        assert_eq!(
            refused.code, "reversal_being_sent",
            "{shared:?}: {refused:?}"
        );
        on_a.unwrap();
        assert_eq!(
            f.gw.request_count(Endpoint::Refund),
            1,
            "{shared:?}: one refund sent"
        );
        assert_eq!(remaining_at_gateway(&f, &reference), Decimal::from(70));
        let settled = refund_entry(&b, &reference, "30").await;
        assert_eq!(
            (settled.outcome, settled.error_code.as_deref()),
            (Outcome::Success, None),
            "{shared:?}"
        );
    }
}

/// Issue 28, 1: desk B reads the transaction (100 refundable), then desk A refunds 30: the
/// gateway applies it, the answer is lost and A cannot ask afterwards, so A's refund is in
/// doubt. When B's read arrives B finds A's refund open. B's read is older than A's refund: it
/// must not conclude "not applied" from it. Nothing is sent by B, and once the gateway can be
/// asked A's refund is journaled as the success it is.
#[tokio::test]
async fn a_refund_in_doubt_is_not_judged_from_a_read_taken_before_it_was_sent() {
    for shared in BOTH {
        let f = fixture().await;
        let (a, b, _dir) = two_desks(&f, shared).await;
        let tx = paid(&a, "ORD-OLD-READ", "100").await;
        let reference = tx.reference_code.clone();
        // B's read is taken at once and delivered late.
        f.gw.add_fault(
            Fault::new(Endpoint::Transaction, FaultKind::Delay { ms: 1500 })
                .after_processing()
                .times(1),
        );

        let (on_b, ()) = tokio::join!(b.refund(refund_of(&reference, "10", "100.00")), async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            f.gw.add_fault(
                Fault::new(Endpoint::Refund, FaultKind::DropConnection)
                    .after_processing()
                    .times(1),
            );
            // A's own read passes; every later query fails.
            f.gw.add_fault(
                Fault::new(Endpoint::Transaction, FaultKind::Status { status: 503 })
                    .after_requests(1),
            );
            let lost = a
                .refund(refund_of(&reference, "30", "100.00"))
                .await
                .unwrap_err();
            assert_eq!(lost.code, "reversal_in_doubt", "{shared:?}: {lost:?}");
        });

        // In doubt once A let go; still being sent if A's follow-up outlasted B's read.
        let refused = on_b.expect_err("B sends nothing while A's refund is open");
        assert!(
            ["reversal_in_doubt", "reversal_being_sent"].contains(&refused.code.as_str()),
            "{shared:?}: {refused:?}"
        );
        let a_refund = refund_entry(&b, &reference, "30").await;
        assert!(
            !a_refund.outcome.is_final(),
            "{shared:?}: A's applied refund was judged from B's older read: {:?} {:?}",
            a_refund.outcome,
            a_refund.error_code
        );
        assert_eq!(f.gw.request_count(Endpoint::Refund), 1, "{shared:?}");

        f.gw.clear_faults();
        b.reconcile_pending().await.unwrap();
        let a_refund = refund_entry(&a, &reference, "30").await;
        assert_eq!(
            (a_refund.outcome, a_refund.error_code.as_deref()),
            (Outcome::Success, None),
            "{shared:?}"
        );
        assert_eq!(remaining_at_gateway(&f, &reference), Decimal::from(70));
    }
}

/// Issue 28, 4: a payment in doubt is settled only through the gateway account that made it.
/// Another account's transaction with the same order reference and amount (another dealer, or
/// the demo gateway beside a live one) must not settle it as approved.
#[tokio::test]
async fn a_payment_in_doubt_is_settled_only_through_the_account_that_made_it() {
    let f = fixture().await;
    let desk = &f.desk;
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::DropConnection).times(1));
    f.gw.add_fault(Fault::new(
        Endpoint::Transaction,
        FaultKind::Status { status: 503 },
    ));
    let outcome = desk
        .pay_with(payment("ORD-OTHER-ACCOUNT", "100", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(outcome.outcome, Outcome::InDoubt, "{outcome:?}");
    f.gw.clear_faults();

    // Dealer 1 (another account) has a payment with the same order reference and amount.
    let dealer_1 = &f.gw.data().dealers[1];
    let pos = dealer_1.pos.iter().find(|p| p.currency == "TRY").unwrap();
    let request = vpws::PaymentRequest {
        tenant_pos_id: pos.tenant_pos_id.clone(),
        ..test_kit::payment(Decimal::from(100), APPROVE, Some("ORD-OTHER-ACCOUNT"))
    };
    test_kit::client_for(&f.gw, 1).pay(&request).await.unwrap();

    let other = desk
        .save_profile(f.custom_profile("Dealer 1", 1, None))
        .await
        .unwrap();
    desk.switch_profile(other.id.clone()).await.unwrap();
    desk.lookup(LookupKey::OrderReference("ORD-OTHER-ACCOUNT".into()))
        .await
        .unwrap();
    desk.reconcile_pending().await.unwrap();

    let entry = desk
        .journal()
        .latest_payment("ORD-OTHER-ACCOUNT")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        entry.outcome,
        Outcome::InDoubt,
        "settled through another account: {entry:?}"
    );
}

/// Issue 28, 3: the team database drops while a payment is at the gateway. The gateway charges;
/// the operator is shown the charge (not "nothing started") with "not yet in the journal"; the
/// order reference stays spent; nothing new is sent while the journal is away; and the charge is
/// journaled as soon as the database is back, before anything else.
#[tokio::test]
async fn a_payment_charged_while_the_team_database_drops_is_shown_and_journaled_later() {
    let f = fixture().await;
    let (proxy, through_proxy, _) = database_behind_a_proxy("dd_cut").await;
    let desk = desk_on(&f, PgJournal::connect(&through_proxy).await.unwrap())
        .with_reconcile_policy(policy());
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::Delay { ms: 600 }).times(1));

    // Cut once the payment is at the gateway (it is held there 600 ms), not after a fixed wait:
    // on a slow machine a fixed 250 ms could cut before the pending entry was written, and the
    // desk rightly sends nothing then (clean-clone CI saw that once).
    let (outcome, ()) = tokio::join!(
        desk.pay_with(payment("ORD-DB-CUT", "250", APPROVE), no_3d),
        async {
            at_the_gateway(&f, Endpoint::Payment).await;
            proxy.cut();
        }
    );
    let outcome = outcome.expect("the gateway's verdict, not journal_unreachable");
    assert_eq!(outcome.outcome, Outcome::Success, "{outcome:?}");
    assert!(
        !outcome.journaled,
        "the operator is told it is not in the journal yet"
    );
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);

    let meanwhile = desk
        .pay_with(payment("ORD-DB-CUT-2", "10", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(meanwhile.code, "journal_unreachable", "{meanwhile:?}");
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1, "nothing sent");

    proxy.restore();
    let again = desk
        .pay_with(payment("ORD-DB-CUT", "250", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(
        again.code, "already_submitted",
        "the order reference stays spent"
    );
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);
    let entry = desk
        .journal()
        .latest_payment("ORD-DB-CUT")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        entry.outcome,
        Outcome::Success,
        "written once the journal was back"
    );
}

/// Returns once the gateway has received a request at `endpoint` (a fault holds it there).
async fn at_the_gateway(f: &Fixture, endpoint: Endpoint) {
    let started = std::time::Instant::now();
    while f.gw.request_count(endpoint) == 0 {
        assert!(started.elapsed() < Duration::from_secs(30), "never sent");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A desk on another computer (its own settings and keychain) on `journal`, with a profile for
/// dealer 0 of the fixture's gateway, active.
async fn another_computer(f: &Fixture, journal: impl Journal + 'static) -> Desk {
    let desk = desk_elsewhere(f, journal).with_reconcile_policy(policy());
    let profile = desk
        .save_profile(f.custom_profile("Bayi", 0, None))
        .await
        .unwrap();
    desk.switch_profile(profile.id.clone()).await.unwrap();
    desk
}

/// Issue 28, 5: two computers of one team set up the same gateway account. Their profiles are
/// one (the same id), so desk B reconciles desk A's refund left in doubt, and B's Reports add up
/// A's operations with its own.
#[tokio::test]
async fn the_desks_of_a_team_share_a_gateway_accounts_profile() {
    let f = fixture().await;
    let url = fresh_database("dd_team_profile").await;
    let a = another_computer(&f, PgJournal::connect(&url).await.unwrap()).await;
    let b = another_computer(&f, PgJournal::connect(&url).await.unwrap()).await;
    assert_eq!(a.active_profile_id(), b.active_profile_id());

    let tx = paid(&a, "ORD-TEAM-PROFILE", "100").await;
    paid(&b, "ORD-TEAM-PROFILE-B", "50").await;
    f.gw.add_fault(
        Fault::new(Endpoint::Refund, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    f.gw.add_fault(
        Fault::new(Endpoint::Transaction, FaultKind::Status { status: 503 }).after_requests(1),
    );
    let lost = a
        .refund(refund_of(&tx.reference_code, "30", "100.00"))
        .await
        .unwrap_err();
    assert_eq!(lost.code, "reversal_in_doubt");
    f.gw.clear_faults();

    let report = b.reconcile_pending().await.unwrap();
    assert_eq!(report.changes.len(), 1, "B settles A's refund: {report:?}");
    assert_eq!(report.changes[0].after, Outcome::Success);

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    let sheet = b
        .journal()
        .report(
            &b.active_profile_id(),
            ReportRange {
                from: today,
                to: today,
            },
        )
        .await
        .unwrap();
    let try_totals = &sheet.totals[0];
    assert_eq!(
        (
            try_totals.sales_count,
            try_totals.sales.to_string().as_str(),
            try_totals.refunds.to_string().as_str()
        ),
        (2, "150.00", "30.00"),
        "both desks' operations: {try_totals:?}"
    );
}

/// A gateway account has one profile on a desk: a second one for the same address and API key
/// is refused (it would split the account's entries between two ids).
#[tokio::test]
async fn a_second_profile_for_one_gateway_account_is_refused() {
    let f = fixture().await;
    f.desk
        .save_profile(f.custom_profile("Bayi", 0, None))
        .await
        .unwrap();
    let again = f
        .desk
        .save_profile(f.custom_profile("Bayi yine", 0, None))
        .await
        .unwrap_err();
    assert_eq!(
        (
            again.code.as_str(),
            again.details.get("reason").map(String::as_str)
        ),
        ("invalid_input", Some("account_has_profile")),
        "{again:?}"
    );
}

async fn sign_in(desk: &Desk, name: &str, pin: &str) {
    let status = desk.staff_status().await.unwrap();
    let operator_id = status.names.iter().find(|n| n.name == name).unwrap().id;
    desk.sign_in(desk_core::dto::SignInInput {
        operator_id,
        pin: pin.into(),
    })
    .await
    .unwrap();
}

fn operator(
    name: &str,
    role: desk_core::journal::Role,
    pin: &str,
) -> desk_core::dto::OperatorInput {
    desk_core::dto::OperatorInput {
        id: None,
        name: name.into(),
        role,
        pin: Some(pin.into()),
        refund_limit: Some("50".into()),
        active: true,
    }
}

/// Issue 28, 5: a refund request made on one computer is approved by a supervisor on another
/// (before, each computer's profile had its own id: `approval_other_profile`).
#[tokio::test]
async fn a_supervisor_on_another_computer_approves_a_refund_request() {
    use desk_core::journal::{ApprovalStatus, Role};
    let f = fixture().await;
    let url = fresh_database("dd_team_approval").await;
    let a = another_computer(&f, PgJournal::connect(&url).await.unwrap()).await;
    let b = another_computer(&f, PgJournal::connect(&url).await.unwrap()).await;
    a.save_operator(operator("Zeynep", Role::Supervisor, "111111"))
        .await
        .unwrap();
    a.save_operator(operator("Ayşe", Role::BackOffice, "3333"))
        .await
        .unwrap();
    sign_in(&b, "Ayşe", "3333").await;
    let tx = paid(&b, "ORD-TEAM-APPROVAL", "100").await;
    let request = b
        .request_refund_approval(refund_of(&tx.reference_code, "90", "100.00"))
        .await
        .unwrap();

    sign_in(&a, "Zeynep", "111111").await;
    let decided = a
        .decide_approval(decision(request.id, true, ""))
        .await
        .unwrap();
    assert_eq!(
        (decided.status, decided.refund_outcome),
        (ApprovalStatus::Approved, Some(Outcome::Success))
    );
    assert_eq!(
        remaining_at_gateway(&f, &tx.reference_code),
        Decimal::from(10)
    );
}

/// Issue 28, 7: one lost refund answer plus a refund made elsewhere (the bank's panel) leaves
/// the refund in doubt (`remainingMismatch`) for ever, and no later refund of that customer is
/// possible. A supervisor resolves it with what the gateway shows, with a reason; the entry then
/// says who resolved it and why, and the transaction can be refunded again.
#[tokio::test]
async fn a_supervisor_resolves_a_refund_stuck_in_doubt() {
    use desk_core::dto::ResolveInput;
    let f = fixture().await;
    let desk = &f.desk;
    desk.update_preferences(desk_core::dto::Preferences {
        operator_name: Some("Zeynep".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let tx = paid(desk, "ORD-STUCK", "100").await;
    f.gw.add_fault(
        Fault::new(Endpoint::Refund, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    f.gw.add_fault(
        Fault::new(Endpoint::Transaction, FaultKind::Status { status: 503 }).after_requests(1),
    );
    desk.refund(refund_of(&tx.reference_code, "30", "100.00"))
        .await
        .unwrap_err();
    f.gw.clear_faults();
    // The bank's panel refunds 20 more, outside the desk.
    test_kit::client_for(&f.gw, 0)
        .refund(&vpws::RefundRequest {
            key: vpws::ReversalKey::ReferenceCode(tx.reference_code.clone()),
            amount: Some(Decimal::from(20)),
            reason: Some("panel".into()),
        })
        .await
        .unwrap();
    desk.reconcile_pending().await.unwrap();
    let stuck = refund_entry(desk, &tx.reference_code, "30").await;
    assert_eq!(stuck.outcome, Outcome::InDoubt, "{stuck:?}");
    let blocked = desk
        .refund(refund_of(&tx.reference_code, "10", "50.00"))
        .await
        .unwrap_err();
    assert_eq!(blocked.code, "reversal_in_doubt");

    let resolve = |applied| ResolveInput {
        entry_id: stuck.id,
        applied,
        reason: "Bankanın ekstresinde 30 TL iade görüldü".into(),
    };
    let empty = desk
        .resolve_in_doubt(ResolveInput {
            reason: " ".into(),
            ..resolve(true)
        })
        .await
        .unwrap_err();
    assert_eq!(
        empty.details.get("field").map(String::as_str),
        Some("reason")
    );
    desk.resolve_in_doubt(resolve(true)).await.unwrap();
    let resolved = refund_entry(desk, &tx.reference_code, "30").await;
    assert_eq!(
        (
            resolved.outcome,
            resolved.resolved_by.as_deref(),
            resolved.resolution.as_deref()
        ),
        (
            Outcome::Success,
            Some("Zeynep"),
            Some("Bankanın ekstresinde 30 TL iade görüldü")
        )
    );
    let again = desk.resolve_in_doubt(resolve(false)).await.unwrap_err();
    assert_eq!(
        again.code, "entry_settled",
        "a final entry is not resolved twice"
    );

    let view = desk
        .refund(refund_of(&tx.reference_code, "10", "50.00"))
        .await
        .unwrap();
    assert_eq!(view.transaction.remaining.to_string(), "40.00");
}

/// Issue 28, 3, for a refund: the team database drops while the refund is at the gateway. The
/// operator is shown the refund done (not an error that says nothing moved), and it is journaled
/// successful once the database is back.
#[tokio::test]
async fn a_refund_applied_while_the_team_database_drops_is_shown_and_journaled_later() {
    let f = fixture().await;
    let (proxy, through_proxy, _) = database_behind_a_proxy("dd_cut_refund").await;
    let desk = desk_on(&f, PgJournal::connect(&through_proxy).await.unwrap())
        .with_reconcile_policy(policy());
    let tx = paid(&desk, "ORD-DB-CUT-REFUND", "100").await;
    f.gw.add_fault(Fault::new(Endpoint::Refund, FaultKind::Delay { ms: 600 }).times(1));

    // Cut once the refund is at the gateway, as for the payment above.
    let (refunded, ()) = tokio::join!(
        desk.refund(refund_of(&tx.reference_code, "30", "100.00")),
        async {
            at_the_gateway(&f, Endpoint::Refund).await;
            proxy.cut();
        }
    );
    let view = refunded.expect("the gateway's answer, not journal_unreachable");
    assert_eq!(view.transaction.remaining.to_string(), "70.00");
    assert_eq!(f.gw.request_count(Endpoint::Refund), 1);

    proxy.restore();
    desk.reconcile_pending().await.unwrap();
    let entry = refund_entry(&desk, &tx.reference_code, "30").await;
    assert_eq!(
        entry.outcome,
        Outcome::Success,
        "written once the journal was back"
    );
}
