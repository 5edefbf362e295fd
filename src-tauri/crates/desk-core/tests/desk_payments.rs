//! Payments, lookups, cancels and refunds through the desk against the demo gateway: the
//! behaviour behind the `pay`, `lookup_transaction`, `cancel_transaction` and
//! `refund_transaction` commands.
mod common;

use common::*;
use desk_core::dto::*;
use desk_core::journal::Outcome;
use desk_core::verdict::Doubt;
use desk_core::ThreeDEnd;
use vpws_sim::{Endpoint, Fault, FaultKind};

#[tokio::test]
async fn a_non_3d_payment_is_approved_and_confirmed_by_a_query() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-T-1", "1234.56").await;
    assert_eq!(tx.state, TransactionState::Success);
    assert_eq!(tx.remaining.to_string(), "1234.56");
    assert_eq!(tx.amount.map(|m| m.to_string()).as_deref(), Some("1234.56"));
    assert_eq!(tx.order_reference.as_deref(), Some("DD-T-1"));
    assert_eq!(tx.masked_card.as_deref(), Some("415565******6111"));
    assert!(tx.can_cancel && tx.can_refund);
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);
    assert!(
        f.gw.request_count(Endpoint::Transaction) >= 1,
        "confirmed by a query"
    );
    assert!(!serde_json::to_string(&tx)
        .unwrap()
        .contains("4155650100416111"));
}

#[tokio::test]
async fn the_same_order_is_never_sent_twice() {
    let f = fixture().await;
    paid(&f.desk, "DD-T-2", "10").await;
    let again = f
        .desk
        .pay_with(payment("DD-T-2", "10", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(again.code, "already_submitted");
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);
}

#[tokio::test]
async fn a_double_click_sends_once() {
    let f = fixture().await;
    let (a, b) = tokio::join!(
        f.desk.pay_with(payment("DD-T-3", "10", APPROVE), no_3d),
        f.desk.pay_with(payment("DD-T-3", "10", APPROVE), no_3d)
    );
    let codes: Vec<&str> = [&a, &b]
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.code.as_str()))
        .collect();
    assert_eq!(
        [&a, &b].iter().filter(|r| r.is_ok()).count(),
        1,
        "{a:?} {b:?}"
    );
    assert!(
        ["busy", "already_submitted", "payment_in_progress"].contains(&codes[0]),
        "{codes:?}"
    );
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);
}

#[tokio::test]
async fn invalid_forms_are_refused_before_anything_is_sent() {
    let f = fixture().await;
    // A payment is not `Clone` (its card data exists once): each try is a new form.
    let form = |card: &str, year: u32, amount: &str| {
        let mut input = payment("DD-T-4", amount, card);
        input.card.exp_year = year;
        input
    };
    let e = f
        .desk
        .pay_with(form("4155650100416112", 2030, "10"), no_3d)
        .await
        .unwrap_err();
    assert_eq!(
        (e.details["field"].as_str(), e.details["reason"].as_str()),
        ("cardNumber", "luhn")
    );
    assert_eq!(
        f.desk
            .pay_with(form(APPROVE, 2021, "10"), no_3d)
            .await
            .unwrap_err()
            .details["reason"],
        "expired"
    );
    assert_eq!(
        f.desk
            .pay_with(form(APPROVE, 2030, "10,5"), no_3d)
            .await
            .unwrap_err()
            .details["field"],
        "amount"
    );
    let luhn = form(APPROVE, 2030, "0");
    assert_eq!(
        f.desk.pay_with(luhn, no_3d).await.unwrap_err().details["reason"],
        "must_be_positive"
    );
    assert_eq!(f.gw.request_count(Endpoint::Payment), 0);
    // A refused form does not burn its order reference.
    paid(&f.desk, "DD-T-4", "10").await;
}

#[tokio::test]
async fn a_declined_card_is_reported_with_the_gateway_code() {
    let f = fixture().await;
    let declined = f
        .desk
        .pay_with(payment("DD-T-5", "99", DECLINE), no_3d)
        .await
        .unwrap();
    assert_eq!(
        (declined.outcome, declined.code.as_deref()),
        (Outcome::Failed, Some("P011"))
    );
    assert!(declined.message.is_some(), "the bank's words are kept");
    let tx = declined
        .transaction
        .expect("the failed transaction is shown");
    assert_eq!(tx.state, TransactionState::Failed);
    assert!(!tx.can_refund && !tx.can_cancel);
}

#[tokio::test]
async fn three_d_with_the_right_otp_is_approved_by_the_status_query() {
    let f = fixture().await;
    let outcome = f
        .desk
        .pay_with(payment_3d("DD-3D-1", "450", CHALLENGE), |r, ret| {
            acs(r, ret, Cardholder::Types(RIGHT_OTP))
        })
        .await
        .unwrap();
    assert_eq!(approved(outcome).remaining.to_string(), "450.00");
}

#[tokio::test]
async fn three_d_with_a_wrong_otp_is_declined_and_nothing_charged() {
    let f = fixture().await;
    let outcome = f
        .desk
        .pay_with(payment_3d("DD-3D-2", "450", CHALLENGE), |r, ret| {
            acs(r, ret, Cardholder::Types(WRONG_OTP))
        })
        .await
        .unwrap();
    assert_eq!(outcome.outcome, Outcome::Failed, "{outcome:?}");
    assert_eq!(outcome.transaction.unwrap().remaining.to_string(), "0.00");
}

#[tokio::test]
async fn three_d_frictionless() {
    let f = fixture().await;
    let outcome = f
        .desk
        .pay_with(payment_3d("DD-3D-3", "20", FRICTIONLESS), |r, ret| {
            acs(r, ret, Cardholder::Frictionless)
        })
        .await
        .unwrap();
    approved(outcome);
}

#[tokio::test]
async fn a_3d_window_closed_by_hand_is_abandoned_and_queried() {
    let f = fixture().await;
    let outcome = f
        .desk
        .pay_with(payment_3d("DD-3D-4", "20", CHALLENGE), |_, _| async {
            ThreeDEnd::ClosedByHand
        })
        .await
        .unwrap();
    assert_eq!(outcome.outcome, Outcome::Abandoned, "{outcome:?}");
    let tx = outcome.transaction.unwrap();
    assert_eq!(tx.state, TransactionState::Pending);
    assert_eq!(tx.remaining.to_string(), "0.00");
    assert!(f.gw.request_count(Endpoint::Transaction) >= 1);
}

#[tokio::test]
async fn a_dropped_answer_is_reconciled_to_the_charge_that_happened() {
    let f = fixture().await;
    f.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let tx = paid(&f.desk, "DD-U-1", "321").await;
    assert_eq!(tx.remaining.to_string(), "321.00");
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1, "no second charge");
}

#[tokio::test]
async fn a_request_lost_before_processing_is_not_charged_after_the_settling_window() {
    let f = fixture().await;
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::DropConnection).times(1));
    let started = std::time::Instant::now();
    let lost = f
        .desk
        .pay_with(payment("DD-U-2", "50", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(
        (lost.outcome, lost.order_reference.as_str()),
        (Outcome::NotCharged, "DD-U-2")
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(300),
        "not charged only after the settling window"
    );
    assert!(f.gw.request_count(Endpoint::Transaction) >= 3);
    // The reference was sent, so it is spent; the operator pays again under a new one.
    assert_eq!(
        f.desk
            .pay_with(payment("DD-U-2", "50", APPROVE), no_3d)
            .await
            .unwrap_err()
            .code,
        "already_submitted"
    );
    paid(&f.desk, "DD-U-2b", "50").await;
}

#[tokio::test]
async fn when_the_gateway_cannot_be_asked_the_outcome_stays_unknown_and_blocks_a_resend() {
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
    let unknown = f
        .desk
        .pay_with(payment("DD-U-3", "70", APPROVE), no_3d)
        .await
        .unwrap();
    assert_eq!(
        (unknown.outcome, unknown.doubt),
        (Outcome::InDoubt, Some(Doubt::AnswerLost))
    );
    assert_eq!(
        f.desk
            .pay_with(payment("DD-U-3", "70", APPROVE), no_3d)
            .await
            .unwrap_err()
            .code,
        "already_submitted"
    );
    f.gw.clear_faults();
    let found = f
        .desk
        .lookup(LookupKey::OrderReference("DD-U-3".into()))
        .await
        .unwrap();
    assert_eq!(
        found.transaction.state,
        TransactionState::Success,
        "checking again finds the charge"
    );
    assert_eq!(f.gw.request_count(Endpoint::Payment), 1);
}

#[tokio::test]
async fn lookup_by_each_key() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-L-1", "15").await;
    for key in [
        LookupKey::ReferenceCode(tx.reference_code.clone()),
        LookupKey::TransactionId(tx.transaction_id.clone()),
        LookupKey::OrderReference(" DD-L-1 ".into()),
    ] {
        assert_eq!(
            f.desk.lookup(key).await.unwrap().transaction.reference_code,
            tx.reference_code
        );
    }
    assert_eq!(
        f.desk
            .lookup(LookupKey::ReferenceCode("NTH2P99999999999".into()))
            .await
            .unwrap_err()
            .code,
        "not_found"
    );
    assert_eq!(
        f.desk
            .lookup(LookupKey::OrderReference("  ".into()))
            .await
            .unwrap_err()
            .details["reason"],
        "required"
    );
}

#[tokio::test]
async fn cancel_a_fresh_payment() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-C-1", "80").await;
    let no_reason = CancelInput {
        email_customer: None,
        order_reference: None,
        reason: " ".into(),
        ..cancel_of(&tx.reference_code, "80.00")
    };
    assert_eq!(
        f.desk.cancel(no_reason).await.unwrap_err().details["field"],
        "reason"
    );
    assert_eq!(f.gw.request_count(Endpoint::Cancel), 0);
    let cancelled = f
        .desk
        .cancel(CancelInput {
            email_customer: None,
            order_reference: None,
            reason: "müşteri vazgeçti".into(),
            ..cancel_of(&tx.reference_code, "80.00")
        })
        .await
        .unwrap();
    assert_eq!(cancelled.transaction.state, TransactionState::Cancelled);
    assert_eq!(cancelled.transaction.remaining.to_string(), "0.00");
    assert!(!cancelled.transaction.can_refund && !cancelled.transaction.can_cancel);
}

#[tokio::test]
async fn partial_refunds_then_the_rest_and_over_refund_is_caught_before_sending() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-R-1", "250").await;
    let refund = |amount: &str, seen: &str| refund_of(&tx.reference_code, amount, seen);
    let first = f.desk.refund(refund("15", "250.00")).await.unwrap();
    assert_eq!(
        (
            first.transaction.state,
            first.transaction.remaining.to_string().as_str()
        ),
        (TransactionState::PartiallyRefunded, "235.00")
    );
    assert!(!first.transaction.can_cancel && first.transaction.can_refund);
    let second = f.desk.refund(refund("35.50", "235.00")).await.unwrap();
    assert_eq!(second.transaction.remaining.to_string(), "199.50");
    let sent = f.gw.request_count(Endpoint::Refund);
    let over = f.desk.refund(refund("199.51", "199.50")).await.unwrap_err();
    assert_eq!(
        (
            over.details["reason"].as_str(),
            over.details["remaining"].as_str()
        ),
        ("exceeds_remaining", "199.50")
    );
    assert_eq!(
        f.gw.request_count(Endpoint::Refund),
        sent,
        "over-refund never sent"
    );
    let rest = f.desk.refund(refund("199.50", "199.50")).await.unwrap();
    assert_eq!(
        (
            rest.transaction.state,
            rest.transaction.remaining.to_string().as_str()
        ),
        (TransactionState::Refunded, "0.00")
    );
    assert!(!rest.transaction.can_refund);
    let no_reason = RefundInput {
        email_customer: None,
        order_reference: None,
        reason: "".into(),
        ..refund("1", "0.00")
    };
    assert_eq!(
        f.desk.refund(no_reason).await.unwrap_err().details["field"],
        "reason"
    );
}

#[tokio::test]
async fn concurrent_refund_clicks_send_one_refund() {
    let f = fixture().await;
    let tx = paid(&f.desk, "DD-R-2", "100").await;
    let input = || refund_of(&tx.reference_code, "10", "100.00");
    let (a, b) = tokio::join!(f.desk.refund(input()), f.desk.refund(input()));
    assert_eq!([&a, &b].iter().filter(|r| r.is_ok()).count(), 1);
    assert_eq!(
        [&a, &b]
            .iter()
            .filter_map(|r| r.as_ref().err())
            .next()
            .unwrap()
            .code,
        "busy"
    );
    assert_eq!(f.gw.request_count(Endpoint::Refund), 1);
}

#[tokio::test]
async fn the_ui_is_told_when_an_uncertain_payment_is_being_checked() {
    use desk_core::desk::PaymentPhase;
    let f = fixture().await;
    let desk = &f.desk;
    let phases = || -> Vec<PaymentPhase> {
        let seen = f.host.payments_seen.lock().unwrap();
        seen.iter().map(|p| p.phase).collect()
    };
    f.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    paid(desk, "DD-P-1", "10").await;
    assert_eq!(
        phases(),
        [
            PaymentPhase::Sending,
            PaymentPhase::Checking,
            PaymentPhase::Done
        ]
    );
    f.host.payments_seen.lock().unwrap().clear();
    desk.dismiss_payment().await.unwrap();
    approved(
        desk.pay_with(payment_3d("DD-P-2", "10", FRICTIONLESS), |r, ret| {
            acs(r, ret, Cardholder::Frictionless)
        })
        .await
        .unwrap(),
    );
    assert_eq!(
        phases(),
        [
            PaymentPhase::Sending,
            PaymentPhase::WaitingFor3d,
            PaymentPhase::Checking,
            PaymentPhase::Done
        ]
    );
}

/// The command's own form: the host shows the bank's page (here it cannot: the in-memory host
/// has no window), and its progress reaches the host; a card without 3D needs no window.
#[tokio::test]
async fn a_payment_asks_its_host_for_the_3d_window_and_tells_it_how_it_goes() {
    use desk_core::desk::PaymentPhase;
    let f = fixture().await;
    approved(f.desk.pay(payment("DD-H-1", "10", APPROVE)).await.unwrap());
    f.desk.dismiss_payment().await.unwrap();
    let outcome = f
        .desk
        .pay(payment_3d("DD-H-2", "20", CHALLENGE))
        .await
        .unwrap();
    assert_eq!(
        outcome.outcome,
        Outcome::Abandoned,
        "a window that could not be shown is not an approval: {outcome:?}"
    );
    let seen = f.host.payments_seen.lock().unwrap();
    assert!(
        seen.iter()
            .any(|p| p.order_reference == "DD-H-2" && p.phase == PaymentPhase::WaitingFor3d),
        "{seen:?}"
    );
}
