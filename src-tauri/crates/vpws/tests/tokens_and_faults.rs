//! Token reuse and renewal, concurrency, and how the client reports gateway faults — including
//! the reconciliation a caller must do when a payment's outcome is unknown.

use std::time::Duration;

use futures_util::future::join_all;
use rust_decimal_macros::dec;
use test_kit::*;
use vpws::{Error, TransactionKey, TransactionStatus};
use vpws_sim::{Endpoint, Fault, FaultKind, SimConfig};

const QUERY: &str = "NTH2P00000003086";

fn seeded() -> TransactionKey {
    TransactionKey::ReferenceCode(QUERY.into())
}

#[tokio::test]
async fn one_token_serves_many_calls() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    for _ in 0..5 {
        client.payment_options("TRY").await.unwrap();
        client.transaction(&seeded()).await.unwrap();
    }
    assert_eq!(gw.request_count(Endpoint::Token), 1);
}

#[tokio::test]
async fn fifty_concurrent_queries_share_one_token_and_one_renewal() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let key = seeded();
    let first = join_all((0..50).map(|_| client.transaction(&key))).await;
    assert!(first.iter().all(Result::is_ok));
    assert_eq!(
        gw.request_count(Endpoint::Token),
        1,
        "fifty callers, one token request"
    );

    gw.expire_tokens();
    let second = join_all((0..50).map(|_| client.transaction(&key))).await;
    assert!(
        second.iter().all(Result::is_ok),
        "every caller recovered from its 401"
    );
    assert_eq!(
        gw.request_count(Endpoint::Token),
        2,
        "fifty 401s, one renewal"
    );
    assert_eq!(
        gw.request_count(Endpoint::Transaction),
        150,
        "50 + 50 rejected + 50 retried"
    );
}

#[tokio::test]
async fn a_token_is_renewed_after_expiry_and_the_call_retried_once() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    client.transaction(&seeded()).await.unwrap();
    gw.advance_clock(chrono::TimeDelta::hours(25));
    let tx = client.transaction(&seeded()).await.unwrap();
    assert_eq!(tx.reference_number, QUERY);
    assert_eq!(gw.request_count(Endpoint::Token), 2);
    assert_eq!(
        gw.request_count(Endpoint::Transaction),
        3,
        "one rejected, retried once"
    );
}

#[tokio::test]
async fn a_token_near_its_expiry_is_renewed_before_use() {
    let gw = gateway_with(SimConfig {
        token_ttl_seconds: 1,
        ..SimConfig::default()
    })
    .await;
    let client = client_for(&gw, 0);
    client.transaction(&seeded()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.transaction(&seeded()).await.unwrap();
    assert_eq!(gw.request_count(Endpoint::Token), 2);
    assert_eq!(
        gw.request_count(Endpoint::Transaction),
        2,
        "renewed up front, no 401 round trip"
    );
}

#[tokio::test]
async fn a_401_that_persists_after_renewal_is_unauthorized() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    gw.add_fault(Fault::new(Endpoint::Transaction, FaultKind::Status { status: 401 }).times(2));
    let err = client.transaction(&seeded()).await.unwrap_err();
    assert_eq!(err.code(), "unauthorized");
    assert_eq!(
        gw.request_count(Endpoint::Transaction),
        2,
        "retried exactly once"
    );
    assert_eq!(gw.request_count(Endpoint::Token), 2);
}

#[tokio::test]
async fn rate_limit_server_errors_and_garbage_are_coded() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    gw.add_fault(Fault::new(Endpoint::PaymentOptions, FaultKind::Status { status: 429 }).times(1));
    match client.payment_options("TRY").await.unwrap_err() {
        Error::RateLimited { retry_after } => assert_eq!(retry_after, Some(Duration::from_secs(1))),
        other => panic!("{other:?}"),
    }
    for (status, code) in [(500, "P008"), (503, "P009"), (504, "P010")] {
        gw.add_fault(Fault::new(Endpoint::PaymentOptions, FaultKind::Status { status }).times(1));
        let err = client.payment_options("TRY").await.unwrap_err();
        assert_eq!((err.code(), err.gateway_code()), ("gateway", Some(code)));
        assert!(err.outcome_uncertain());
    }
    gw.add_fault(Fault::new(Endpoint::PaymentOptions, FaultKind::Malformed).times(1));
    assert_eq!(
        client.payment_options("TRY").await.unwrap_err().code(),
        "unexpected_response"
    );
    assert_eq!(
        client.payment_options("TRY").await.unwrap().len(),
        6,
        "faults used up"
    );
}

#[tokio::test]
async fn a_slow_gateway_is_a_timeout() {
    let gw = gateway().await;
    let mut config = config_for(&gw);
    config.request_timeout = Duration::from_millis(300);
    let client = client_with(&gw, 0, config);
    client.authenticate().await.unwrap();
    gw.add_fault(Fault::new(Endpoint::Transaction, FaultKind::Delay { ms: 1500 }).times(1));
    let err = client.transaction(&seeded()).await.unwrap_err();
    assert_eq!(err.code(), "timeout");
}

/// The rule that prevents double charges: after an uncertain failure, query by the order
/// reference before anything else.
async fn reconcile(client: &vpws::Client, order: &str) -> Option<vpws::Transaction> {
    match client
        .transaction(&TransactionKey::ClientReference(order.into()))
        .await
    {
        Ok(tx) => Some(tx),
        Err(Error::NotFound { .. }) => None,
        Err(other) => panic!("reconciliation query failed: {other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_payment_answer_is_uncertain_and_the_query_finds_the_charge() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let err = client
        .pay(&payment(dec!(321.00), APPROVE, Some("ORD-LOST-1")))
        .await
        .unwrap_err();
    assert!(err.outcome_uncertain(), "{err:?}");
    assert_eq!(err.code(), "transport");
    let tx = reconcile(&client, "ORD-LOST-1")
        .await
        .expect("the charge happened");
    assert_eq!(tx.transaction_status_id, TransactionStatus::SUCCESS);
    assert_eq!(tx.last_amount, dec!(321.00));
    assert_eq!(gw.request_count(Endpoint::Payment), 1, "no second charge");
}

#[tokio::test]
async fn a_payment_dropped_before_processing_is_found_absent_and_can_be_sent_again() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::DropConnection).times(1));
    let request = payment(dec!(50), APPROVE, Some("ORD-LOST-2"));
    assert!(client.pay(&request).await.unwrap_err().outcome_uncertain());
    assert!(reconcile(&client, "ORD-LOST-2").await.is_none());
    let retried = client.pay(&request).await.unwrap();
    assert_eq!(retried.status, TransactionStatus::SUCCESS);
}

#[tokio::test]
async fn a_payment_that_times_out_after_processing_is_reconciled() {
    let gw = gateway().await;
    let mut config = config_for(&gw);
    config.request_timeout = Duration::from_millis(400);
    let client = client_with(&gw, 0, config);
    client.authenticate().await.unwrap();
    gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::Delay { ms: 1500 })
            .after_processing()
            .times(1),
    );
    let err = client
        .pay(&payment(dec!(80), APPROVE, Some("ORD-SLOW")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert!(err.outcome_uncertain());
    let tx = reconcile(&client, "ORD-SLOW").await.expect("charged");
    assert_eq!(tx.last_amount, dec!(80));
    // Re-sending the same order reference would be refused, not charged twice.
    let again = client
        .pay(&payment(dec!(80), APPROVE, Some("ORD-SLOW")))
        .await
        .unwrap_err();
    assert_eq!(again.code(), "conflict");
}

#[tokio::test]
async fn a_payment_answered_with_500_after_processing_is_uncertain() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::Status { status: 500 })
            .after_processing()
            .times(1),
    );
    let err = client
        .pay(&payment(dec!(60), APPROVE, Some("ORD-500")))
        .await
        .unwrap_err();
    assert!(err.outcome_uncertain());
    assert!(reconcile(&client, "ORD-500").await.is_some());
}
