//! The money path when answers are lost (issue "one verdict, and safe when answers are lost"):
//! one test per failure found from outside, and the money path's rules (ARCHITECTURE.md) that
//! prevent them.
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use desk_core::desk::PaymentPhase;
use desk_core::dto::*;
use desk_core::journal::{EntryKind, Filter, Outcome};
use desk_core::verdict::Doubt;
use desk_core::ThreeDEnd;
use rust_decimal_macros::dec;
use vpws_sim::{Endpoint, Fault, FaultKind, SimConfig};

fn journal_outcomes(f: &Fixture, kind: EntryKind) -> Vec<Outcome> {
    let mut entries = f
        .journal
        .search(&Filter::default(), 0, 100)
        .unwrap()
        .entries;
    entries.reverse();
    entries
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.outcome)
        .collect()
}

/// The dealer's own client, talking to the gateway behind the desk's back (another desk, the
/// portal).
fn outside_client(f: &Fixture) -> vpws::Client {
    let d = &f.gw.data().dealers[0];
    vpws::Client::new(
        vpws::ClientConfig::new(&f.gw.base_url()).unwrap(),
        vpws::Credentials::new(d.api_key.clone(), d.secret_key.clone()),
    )
    .unwrap()
}

async fn gateway_transaction(f: &Fixture, reference: &str) -> vpws::Transaction {
    outside_client(f)
        .transaction(&vpws::TransactionKey::ReferenceCode(reference.into()))
        .await
        .unwrap()
}

// ---------------------------------------------------------------- false approval

#[tokio::test]
async fn a_3d_payment_whose_answer_was_lost_is_never_shown_approved() {
    let f = fixture().await;
    f.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    // The answer (with the bank's page) is lost: the desk cannot open the 3D window.
    let first = f
        .desk
        .pay_with(payment_3d("DD-FA-1", "100", CHALLENGE), no_3d)
        .await
        .unwrap();
    assert_eq!(
        (first.outcome, first.doubt),
        (Outcome::InDoubt, Some(Doubt::GatewayPending)),
        "{first:?}"
    );
    assert_eq!(
        first.transaction.as_ref().unwrap().state,
        TransactionState::Pending
    );
    assert_eq!(
        f.gw.request_count(Endpoint::Transaction),
        1,
        "nobody can finish a bank step whose page never arrived: no point asking again in the flow"
    );
    // "Check again" asks Rust, which asks the gateway: still pending, still not approved.
    let again = f.desk.check_payment("DD-FA-1".into()).await.unwrap();
    assert_eq!(again.outcome, Outcome::InDoubt);
    assert_ne!(again.outcome, Outcome::Success);
    // The bank's 3D session expires unfinished: a definite failure, nothing charged.
    f.gw.advance_clock(chrono::TimeDelta::minutes(20));
    let last = f.desk.check_payment("DD-FA-1".into()).await.unwrap();
    assert_eq!(last.outcome, Outcome::Failed, "{last:?}");
    assert_eq!(journal_outcomes(&f, EntryKind::Payment), [Outcome::Failed]);
}

#[tokio::test]
async fn an_abandoned_3d_payment_is_watched_until_the_gateway_decides() {
    let f = fixture().await;
    let closed = f
        .desk
        .pay_with(payment_3d("DD-FA-2", "40", CHALLENGE), |_, _| async {
            ThreeDEnd::ClosedByHand
        })
        .await
        .unwrap();
    assert_eq!(closed.outcome, Outcome::Abandoned);
    let report = f.desk.reconcile_pending().await.unwrap();
    assert_eq!(report.unsettled.len(), 1, "listed, still watched");
    f.gw.advance_clock(chrono::TimeDelta::minutes(20));
    let report = f.desk.reconcile_pending().await.unwrap();
    assert_eq!(
        (report.changes[0].before, report.changes[0].after),
        (Outcome::Abandoned, Outcome::Failed)
    );
    assert!(report.unsettled.is_empty());
}

// ---------------------------------------------------------------- double refund

#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_settled_from_the_refundable_amount() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-DR-1", "100").await;
    f.gw.add_fault(
        Fault::new(Endpoint::Refund, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let view = f
        .desk
        .refund(refund_of(&tx.reference_code, "30", "100.00"))
        .await
        .unwrap();
    assert_eq!(
        view.transaction.remaining.to_string(),
        "70.00",
        "the lost answer was recovered"
    );
    assert_eq!(journal_outcomes(&f, EntryKind::Refund), [Outcome::Success]);
    assert_eq!(f.gw.request_count(Endpoint::Refund), 1);
}

#[tokio::test]
async fn a_refund_in_doubt_is_never_sent_twice() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-DR-2", "100").await;
    f.gw.add_fault(
        Fault::new(Endpoint::Refund, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    // The gateway cannot be asked afterwards either (the read before sending still works).
    f.gw.add_fault(
        Fault::new(Endpoint::Transaction, FaultKind::Status { status: 503 }).after_requests(1),
    );
    let confirmed = refund_of(&tx.reference_code, "30", "100.00");
    let lost = f.desk.refund(confirmed.clone()).await.unwrap_err();
    assert_eq!(lost.code, "reversal_in_doubt");
    assert_eq!(lost.details["remainingBefore"], "100.00");
    assert_eq!(
        lost.details["lookAgain"], "true",
        "the screen shows it afresh"
    );
    // The operator confirms again: the desk must not send a second refund.
    let second = f.desk.refund(confirmed.clone()).await.unwrap_err();
    assert!(
        ["reversal_in_doubt", "gateway"].contains(&second.code.as_str()),
        "{second:?}"
    );
    assert_eq!(f.gw.request_count(Endpoint::Refund), 1, "one refund sent");
    // Once the gateway answers, the first refund is found applied; the repeat is refused
    // with the new figures and still not sent.
    f.gw.clear_faults();
    let third = f.desk.refund(confirmed).await.unwrap_err();
    assert_eq!(
        (third.code.as_str(), third.details["remaining"].as_str()),
        ("transaction_changed", "70.00")
    );
    assert_eq!(third.details["lookAgain"], "true");
    let unreasoned = RefundInput {
        email_customer: None,
        order_reference: None,
        reason: " ".into(),
        ..refund_of(&tx.reference_code, "30", "70.00")
    };
    let typo = f.desk.refund(unreasoned).await.unwrap_err();
    assert!(
        !typo.details.contains_key("lookAgain"),
        "a form error keeps the form: {typo:?}"
    );
    assert_eq!(f.gw.request_count(Endpoint::Refund), 1);
    assert_eq!(
        gateway_transaction(&f, &tx.reference_code)
            .await
            .last_amount,
        dec!(70.00),
        "70 left, not 40"
    );
    assert_eq!(journal_outcomes(&f, EntryKind::Refund), [Outcome::Success]);
}

#[tokio::test]
async fn a_cancel_in_doubt_blocks_a_refund_until_settled() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-DR-3", "80").await;
    f.gw.add_fault(
        Fault::new(Endpoint::Cancel, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    f.gw.add_fault(
        Fault::new(Endpoint::Transaction, FaultKind::Status { status: 503 }).after_requests(1),
    );
    let lost = f
        .desk
        .cancel(cancel_of(&tx.reference_code, "80.00"))
        .await
        .unwrap_err();
    assert_eq!(lost.code, "reversal_in_doubt");
    f.gw.clear_faults();
    let view = f
        .desk
        .lookup(LookupKey::ReferenceCode(tx.reference_code.clone()))
        .await
        .unwrap();
    assert_eq!(
        view.transaction.state,
        TransactionState::Cancelled,
        "the lookup settled it"
    );
    assert!(!view.transaction.reversal_in_doubt && !view.transaction.can_refund);
    assert_eq!(journal_outcomes(&f, EntryKind::Cancel), [Outcome::Success]);
}

#[tokio::test]
async fn a_refund_hidden_by_the_gateways_lag_stays_in_doubt_until_it_shows() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-DR-4", "100").await;
    f.gw.set_config(SimConfig {
        query_lag_ms: 1_000,
        ..f.gw.config()
    });
    f.gw.add_fault(
        Fault::new(Endpoint::Refund, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let lost = f
        .desk
        .refund(refund_of(&tx.reference_code, "25", "100.00"))
        .await
        .unwrap_err();
    assert_eq!(lost.code, "reversal_in_doubt");
    assert_eq!(lost.details["doubt"], "notVisibleYet");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let report = f.desk.reconcile_pending().await.unwrap();
    assert_eq!(report.changes[0].after, Outcome::Success);
    assert!(report.unsettled.is_empty());
}

// ---------------------------------------------------------------- second payment during 3D

#[tokio::test]
async fn no_second_payment_while_a_3d_window_is_open() {
    let f = fixture().await;
    let (open, release) = tokio::sync::oneshot::channel::<()>();
    let first = f.desk.pay_with(
        payment_3d("DD-3W-1", "60", CHALLENGE),
        |r, ret| async move {
            let _ = release.await;
            acs(r, ret, Cardholder::Types(RIGHT_OTP)).await
        },
    );
    let meanwhile = async {
        while f
            .desk
            .current_payment()
            .await
            .unwrap()
            .is_none_or(|p| p.phase != PaymentPhase::WaitingFor3d)
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // The operator leaves the screen and comes back: the payment is still the app's.
        let shown = f.desk.current_payment().await.unwrap().unwrap();
        assert_eq!(shown.order_reference, "DD-3W-1");
        let second = f
            .desk
            .pay_with(payment("DD-3W-2", "60", APPROVE), no_3d)
            .await
            .unwrap_err();
        assert_eq!(second.code, "payment_in_progress");
        assert_eq!(second.details["orderReference"], "DD-3W-1");
        assert_eq!(
            f.desk.dismiss_payment().await.unwrap_err().code,
            "payment_in_progress",
            "a running payment cannot be dismissed"
        );
        let _ = open.send(());
    };
    let (paid, ()) = tokio::join!(first, meanwhile);
    approved(paid.unwrap());
    assert_eq!(
        f.gw.request_count(Endpoint::Payment),
        1,
        "the gateway saw one payment"
    );
    let done = f.desk.current_payment().await.unwrap().unwrap();
    assert_eq!(done.phase, PaymentPhase::Done);
    f.desk.dismiss_payment().await.unwrap();
    assert!(f.desk.current_payment().await.unwrap().is_none());
}

// ---------------------------------------------------------------- refund the rest

#[tokio::test]
async fn refund_the_rest_sends_exactly_what_the_operator_confirmed() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-RR-1", "100").await;
    // The operator sees 100 refundable and chooses "everything left". Meanwhile 30 is refunded
    // elsewhere (another desk, the portal).
    outside_client(&f)
        .refund(&vpws::RefundRequest {
            key: vpws::ReversalKey::ReferenceCode(tx.reference_code.clone()),
            amount: Some(dec!(30)),
            reason: Some("elsewhere".into()),
        })
        .await
        .unwrap();
    let rest = refund_of(&tx.reference_code, "100.00", "100.00");
    let refused = f.desk.refund(rest).await.unwrap_err();
    assert_eq!(
        (refused.code.as_str(), refused.details["remaining"].as_str()),
        ("transaction_changed", "70.00")
    );
    let over = f
        .desk
        .refund(refund_of(&tx.reference_code, "100.00", "70.00"))
        .await
        .unwrap_err();
    assert_eq!(over.details["reason"], "exceeds_remaining");
    assert_eq!(
        f.gw.request_count(Endpoint::Refund),
        1,
        "only the outside refund"
    );
    let done = f
        .desk
        .refund(refund_of(&tx.reference_code, "70.00", "70.00"))
        .await
        .unwrap();
    assert_eq!(done.transaction.remaining.to_string(), "0.00");
    let entries = f.journal.history(&tx.reference_code, None).unwrap();
    let refund = entries
        .iter()
        .find(|e| e.kind == EntryKind::Refund)
        .unwrap();
    assert_eq!(
        refund.amount.map(|m| m.to_string()).as_deref(),
        Some("70.00"),
        "the amount is journaled"
    );
}

/// A payment found by its order reference is refunded and cancelled by it ("via referenceCode
/// or clientReferenceCode"): the gateway is asked by the order reference, and the journal keeps
/// both keys on the one transaction.
#[tokio::test]
async fn a_payment_found_by_its_order_reference_is_reversed_by_it() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-OR-1", "100").await;
    let refund = RefundInput {
        email_customer: None,
        order_reference: Some("DD-OR-1".into()),
        ..refund_of(&tx.reference_code, "40", "100.00")
    };
    let after = f.desk.refund(refund).await.unwrap();
    assert_eq!(after.transaction.remaining.to_string(), "60.00");
    let cancel = CancelInput {
        email_customer: None,
        order_reference: Some("DD-OR-1".into()),
        ..cancel_of(&tx.reference_code, "60.00")
    };
    let refused_cancel = f.desk.cancel(cancel).await.unwrap_err();
    assert_eq!(
        refused_cancel.code, "gateway",
        "a partly refunded payment is not cancelled, whichever key names it"
    );
    let rest = RefundInput {
        email_customer: None,
        order_reference: Some("DD-OR-1".into()),
        ..refund_of(&tx.reference_code, "60.00", "60.00")
    };
    f.desk.refund(rest).await.unwrap();

    let at_gateway =
        f.gw.transactions()
            .into_iter()
            .find(|t| t.reference_number == tx.reference_code)
            .unwrap();
    let named_by_order: Vec<bool> = at_gateway
        .reversals
        .iter()
        .map(|r| r.by_order_reference)
        .collect();
    assert_eq!(named_by_order, [true, true], "both refunds named the order");
    let history = f
        .journal
        .history(&tx.reference_code, Some("DD-OR-1"))
        .unwrap();
    let refunds: Vec<_> = history
        .iter()
        .filter(|e| e.kind == EntryKind::Refund)
        .map(|e| {
            (
                e.reference_code.as_deref(),
                e.order_reference.as_deref(),
                e.outcome,
            )
        })
        .collect();
    assert_eq!(
        refunds,
        [
            (
                Some(tx.reference_code.as_str()),
                Some("DD-OR-1"),
                Outcome::Success
            ),
            (
                Some(tx.reference_code.as_str()),
                Some("DD-OR-1"),
                Outcome::Success
            )
        ],
        "one transaction in the journal, both keys on each refund"
    );
    assert_eq!(
        f.journal.history(&tx.reference_code, None).unwrap().len(),
        history.len(),
        "found by the reference code alone, the same history"
    );
}

/// An order reference the gateway knows as another payment (a gateway that takes the same
/// reference twice, sent again from outside the desk) is not used to reverse this one: nothing is
/// sent.
#[tokio::test]
async fn an_order_reference_naming_another_payment_reverses_nothing() {
    let f = fixture().await;
    f.gw.set_config(SimConfig {
        duplicate_order_reference: vpws_sim::config::DuplicatePolicy::Allow,
        ..f.gw.config()
    });
    let first = paid(&f.desk, "DD-OR-2", "100").await;
    let outside = outside_client(&f)
        .pay(&test_kit::payment(
            dec!(50),
            test_kit::APPROVE,
            Some("DD-OR-2"),
        ))
        .await
        .unwrap();
    let second = outside.reference_code.unwrap();
    let refund = RefundInput {
        email_customer: None,
        order_reference: Some("DD-OR-2".into()),
        ..refund_of(&second, "10", "50.00")
    };
    let refused = f.desk.refund(refund).await.unwrap_err();
    assert_eq!(
        (
            refused.code.as_str(),
            refused.details["referenceCode"].as_str()
        ),
        ("order_reference_elsewhere", first.reference_code.as_str())
    );
    assert_eq!(f.gw.request_count(Endpoint::Refund), 0, "nothing sent");
    assert!(f.journal.history(&second, None).unwrap().is_empty());
    let by_reference = f
        .desk
        .refund(refund_of(&second, "10", "50.00"))
        .await
        .unwrap();
    assert_eq!(by_reference.transaction.remaining.to_string(), "40.00");
}

/// Every cancel and refund says what the operator saw refundable: without it a confirm pressed
/// again after the first one was settled elsewhere would move the money twice.
#[tokio::test]
async fn a_reversal_without_the_amount_the_operator_saw_is_refused() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-RS-1", "100").await;
    let refused = f
        .desk
        .refund(refund_of(&tx.reference_code, "30", " "))
        .await
        .unwrap_err();
    assert_eq!(
        (
            refused.details["field"].as_str(),
            refused.details["reason"].as_str()
        ),
        ("remainingSeen", "required")
    );
    let refused = f
        .desk
        .cancel(cancel_of(&tx.reference_code, ""))
        .await
        .unwrap_err();
    assert_eq!(refused.details["field"], "remainingSeen");
    assert_eq!(f.gw.request_count(Endpoint::Refund), 0);
    assert_eq!(f.gw.request_count(Endpoint::Cancel), 0);
}

/// Found by the model-based test: a cancel of a fully refunded transaction was sent, its answer
/// lost, and "nothing left before, nothing left now" was taken for a cancel the gateway applied.
#[tokio::test]
async fn nothing_is_sent_to_reverse_a_transaction_with_nothing_left() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-NL-1", "100").await;
    f.desk
        .refund(refund_of(&tx.reference_code, "100.00", "100.00"))
        .await
        .unwrap();
    f.gw.add_fault(Fault::new(Endpoint::Cancel, FaultKind::DropConnection).times(1));
    let cancel = cancel_of(&tx.reference_code, "0.00");
    let refused = f.desk.cancel(cancel).await.unwrap_err();
    assert_eq!(refused.code, "nothing_to_reverse");
    assert_eq!(f.gw.request_count(Endpoint::Cancel), 0);
    let cancels = f
        .journal
        .history(&tx.reference_code, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EntryKind::Cancel)
        .count();
    assert_eq!(
        cancels, 0,
        "no cancel journaled, let alone a successful one"
    );
}

// ---------------------------------------------------------------- reservations and settling

#[tokio::test]
async fn a_sent_order_reference_stays_spent_after_a_restart() {
    let dir = std::env::temp_dir().join(format!("dd-reserve-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.sqlite");
    let f = fixture().await;
    {
        let desk = desk_with_journal(&f, &path);
        paid(&desk, "MY-ORDER-7", "15").await;
    }
    let restarted = desk_with_journal(&f, &path);
    let again = restarted
        .pay_with(payment("MY-ORDER-7", "15", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(again.code, "already_submitted");
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);
    // Closed first: an open file cannot be removed on Windows.
    drop(restarted);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_payment_hidden_by_the_gateways_lag_is_found_not_written_off() {
    let f = fixture().await;
    f.gw.set_config(SimConfig {
        query_lag_ms: 200,
        ..f.gw.config()
    });
    f.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let found = f
        .desk
        .pay_with(payment("DD-LAG-1", "45", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(found.outcome, Outcome::Success, "{found:?}");
}

#[tokio::test]
async fn the_timer_settles_what_is_in_doubt_without_being_asked() {
    let f = fixture().await;
    f.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    f.gw.add_fault(Fault::new(
        Endpoint::Transaction,
        FaultKind::Status { status: 503 },
    ));
    let Fixture {
        desk, journal, gw, ..
    } = f;
    let desk = Arc::new(desk);
    let lost = desk
        .pay_with(payment("DD-TIMER-1", "12", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(lost.outcome, Outcome::InDoubt);
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = heard.clone();
    let timer = tokio::spawn(desk.clone().run_reconcile_timer(move |report| {
        sink.lock().unwrap().push(report.changes.len());
    }));
    gw.clear_faults();
    let mut outcome = Outcome::InDoubt;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        outcome = journal
            .latest_payment("DD-TIMER-1")
            .unwrap()
            .unwrap()
            .outcome;
        if outcome == Outcome::Success {
            break;
        }
    }
    assert_eq!(outcome, Outcome::Success);
    assert!(!heard.lock().unwrap().is_empty(), "the UI is told");
    assert_eq!(
        desk.current_payment()
            .await
            .unwrap()
            .unwrap()
            .outcome
            .unwrap()
            .outcome,
        Outcome::Success,
        "a late success reaches the payment screen"
    );
    timer.abort();
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap()
    )
}
