use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use rust_decimal_macros::dec;
use serde_json::json;

use super::*;

fn tx(status: i32, amount: &str, last: &str) -> Transaction {
    serde_json::from_value(json!({
        "id": "0f8fad5b-d9cb-469f-a165-708677289501",
        "referenceNumber": "NTH2P00000003101",
        "clientReferenceNumber": "DD-1",
        "transactionStatusId": status,
        "currencyType": "TRY",
        "amount": serde_json::from_str::<serde_json::Value>(amount).unwrap(),
        "lastAmount": serde_json::from_str::<serde_json::Value>(last).unwrap(),
    }))
    .unwrap()
}

fn payment(amount: Decimal) -> Operation {
    Operation {
        kind: EntryKind::Payment,
        amount: Some(amount),
        currency: "TRY".into(),
        remaining_before: None,
        outcome: Outcome::Pending,
    }
}

fn refund(amount: Decimal, before: Decimal) -> Operation {
    Operation {
        kind: EntryKind::Refund,
        amount: Some(amount),
        currency: "TRY".into(),
        remaining_before: Some(before),
        outcome: Outcome::InDoubt,
    }
}

fn outcome(v: Verdict) -> (Outcome, Option<Doubt>) {
    (v.outcome, v.doubt)
}

#[test]
fn a_pending_payment_is_never_approved() {
    let op = payment(dec!(100));
    assert_eq!(
        outcome(decide(&op, Evidence::Snapshot(&tx(3, "100.00", "0.00")))),
        (Outcome::InDoubt, Some(Doubt::GatewayPending))
    );
    let abandoned = Operation {
        outcome: Outcome::Abandoned,
        ..op.clone()
    };
    assert_eq!(
        outcome(decide(
            &abandoned,
            Evidence::Snapshot(&tx(3, "100.00", "0.00"))
        )),
        (Outcome::Abandoned, None),
        "an abandoned 3D payment stays watched"
    );
    assert_eq!(
        outcome(decide(&op, Evidence::Snapshot(&tx(7, "100.00", "0.00")))),
        (Outcome::InDoubt, Some(Doubt::UnknownStatus))
    );
}

#[test]
fn a_payment_snapshot_decides_by_status_when_it_is_the_same_payment() {
    let op = payment(dec!(100));
    let ok = decide(&op, Evidence::Snapshot(&tx(1, "100.00", "100.00")));
    assert_eq!(ok.outcome, Outcome::Success);
    assert_eq!(ok.remaining_after, Some(dec!(100)));
    assert_eq!(
        decide(&op, Evidence::Snapshot(&tx(6, "100.00", "40.00"))).outcome,
        Outcome::Success,
        "refunded since, but charged"
    );
    let declined = decide(&op, Evidence::Snapshot(&tx(2, "100.00", "0.00")));
    assert_eq!(
        (declined.outcome, declined.code.as_deref()),
        (Outcome::Failed, Some("declined"))
    );
}

#[test]
fn a_transaction_with_another_amount_or_currency_is_not_this_payment() {
    let op = payment(dec!(100));
    assert_eq!(
        outcome(decide(&op, Evidence::Snapshot(&tx(1, "250.00", "250.00")))),
        (Outcome::InDoubt, Some(Doubt::ReferenceReused))
    );
    let usd = Operation {
        currency: "USD".into(),
        ..op.clone()
    };
    assert_eq!(
        decide(&usd, Evidence::Snapshot(&tx(1, "100.00", "100.00"))).doubt,
        Some(Doubt::ReferenceReused)
    );
    // Without the original amount (the documented Transaction), lastAmount may not exceed it.
    let mut bare = tx(1, "0", "150.00");
    bare.amount = None;
    assert_eq!(
        decide(&op, Evidence::Snapshot(&bare)).doubt,
        Some(Doubt::ReferenceReused)
    );
    bare.last_amount = dec!(100.00);
    assert_eq!(
        decide(&op, Evidence::Snapshot(&bare)).outcome,
        Outcome::Success
    );
}

#[test]
fn not_found_means_not_charged_only_after_the_settling_window() {
    let op = payment(dec!(100));
    let window = SettlingWindow {
        duration: Duration::from_secs(30),
        min_checks: 3,
    };
    let since = Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap();
    let absent = |secs: i64, checks: u32| {
        outcome(decide(
            &op,
            Evidence::Absent(
                Absence {
                    since,
                    checks,
                    now: since + TimeDelta::seconds(secs),
                },
                window,
            ),
        ))
    };
    assert_eq!(absent(0, 1), (Outcome::InDoubt, Some(Doubt::NotVisibleYet)));
    assert_eq!(
        absent(29, 5),
        (Outcome::InDoubt, Some(Doubt::NotVisibleYet))
    );
    assert_eq!(
        absent(45, 2),
        (Outcome::InDoubt, Some(Doubt::NotVisibleYet)),
        "too few queries"
    );
    assert_eq!(absent(30, 3), (Outcome::NotCharged, None));
    // A reversal's transaction exists: not finding it proves nothing.
    let r = refund(dec!(30), dec!(100));
    assert_eq!(
        decide(
            &r,
            Evidence::Absent(
                Absence {
                    since,
                    checks: 9,
                    now: since + TimeDelta::hours(1)
                },
                window
            )
        )
        .outcome,
        Outcome::InDoubt
    );
}

#[test]
fn a_reversal_is_settled_by_comparing_the_refundable_amount_with_the_baseline() {
    let op = refund(dec!(30), dec!(100));
    let applied = decide(&op, Evidence::Snapshot(&tx(6, "100.00", "70.00")));
    assert_eq!(
        (applied.outcome, applied.remaining_after),
        (Outcome::Success, Some(dec!(70)))
    );
    let untouched = decide(&op, Evidence::Snapshot(&tx(1, "100.00", "100.00")));
    assert_eq!(
        (untouched.outcome, untouched.code.as_deref()),
        (Outcome::Failed, Some("not_applied"))
    );
    let other = decide(&op, Evidence::Snapshot(&tx(6, "100.00", "50.00")));
    assert_eq!(
        (other.outcome, other.doubt, other.remaining_after),
        (
            Outcome::InDoubt,
            Some(Doubt::RemainingMismatch),
            Some(dec!(50))
        )
    );
    let cancel = Operation {
        kind: EntryKind::Cancel,
        amount: Some(dec!(100)),
        ..op.clone()
    };
    assert_eq!(
        decide(&cancel, Evidence::Snapshot(&tx(1, "100.00", "0.00"))).outcome,
        Outcome::Success
    );
    let no_baseline = Operation {
        remaining_before: None,
        ..op
    };
    assert_eq!(
        decide(&no_baseline, Evidence::Snapshot(&tx(6, "100.00", "70.00"))).doubt,
        Some(Doubt::NoBaseline)
    );
}

#[test]
fn a_reversal_of_nothing_cannot_be_told_from_the_refundable_amount() {
    let cancel_of_nothing = Operation {
        kind: EntryKind::Cancel,
        ..refund(dec!(0), dec!(0))
    };
    let seen = decide(
        &cancel_of_nothing,
        Evidence::Snapshot(&tx(1, "100.00", "0.00")),
    );
    assert_eq!(seen.outcome, Outcome::InDoubt);
}

#[test]
fn answers_decide_lost_not_sent_and_refused() {
    let op = payment(dec!(100));
    let lost: vpws::Result<vpws::PaymentResult> = Err(vpws::Error::Timeout);
    assert_eq!(
        outcome(decide(&op, Evidence::PaymentAnswer(&lost))),
        (Outcome::InDoubt, Some(Doubt::AnswerLost))
    );
    let unreachable: vpws::Result<vpws::PaymentResult> =
        Err(vpws::Error::Connect("refused".into()));
    assert_eq!(
        decide(&op, Evidence::PaymentAnswer(&unreachable)).outcome,
        Outcome::NotSent
    );
    let declined: vpws::Result<vpws::OperationResult> =
        Err(vpws::Error::Gateway(Box::new(vpws::GatewayFailure {
            code: "P015".into(),
            message: "limit".into(),
            http_status: 200,
            transaction_status: None,
            reference_code: None,
        })));
    let v = decide(
        &refund(dec!(30), dec!(100)),
        Evidence::ReversalAnswer(&declined),
    );
    assert_eq!(
        (v.outcome, v.code.as_deref()),
        (Outcome::Failed, Some("P015"))
    );
    let server_error: vpws::Result<vpws::OperationResult> =
        Err(vpws::Error::Gateway(Box::new(vpws::GatewayFailure {
            code: "P008".into(),
            message: "boom".into(),
            http_status: 500,
            transaction_status: None,
            reference_code: None,
        })));
    assert_eq!(
        decide(
            &refund(dec!(30), dec!(100)),
            Evidence::ReversalAnswer(&server_error)
        )
        .outcome,
        Outcome::InDoubt
    );
    assert_eq!(
        outcome(decide(&op, Evidence::Unreachable)),
        (Outcome::InDoubt, Some(Doubt::AnswerLost))
    );
}

#[test]
fn the_badge_tells_cancelled_from_refunded_by_the_journal() {
    let closed = tx(1, "100.00", "0.00");
    assert_eq!(standing(&closed, &[]), TransactionState::Closed);
    assert_eq!(
        standing(&tx(1, "100.00", "40.00"), &[]),
        TransactionState::PartiallyRefunded
    );
    assert_eq!(
        standing(&tx(3, "100.00", "0.00"), &[]),
        TransactionState::Pending
    );
    assert_eq!(
        standing(&tx(2, "100.00", "0.00"), &[]),
        TransactionState::Failed
    );
    assert_eq!(
        standing(&tx(9, "100.00", "0.00"), &[]),
        TransactionState::Unknown
    );
}
