//! RULES.md rule 32 and the admin surface: faults on demand, request counts.
mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn status_faults_answer_with_the_matching_code() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    for (status, code) in [
        (401, "P002"),
        (429, "P007"),
        (500, "P008"),
        (503, "P009"),
        (504, "P010"),
    ] {
        sim.gw
            .add_fault(Fault::new(Endpoint::PaymentOptions, FaultKind::Status { status }).times(1));
        let a = sim
            .get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await;
        assert_eq!(
            (a.status.as_u16(), a.error_code()),
            (status, code.to_owned())
        );
        if status == 429 {
            assert_eq!(a.headers["retry-after"], "1");
        }
    }
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::OK,
        "times(1) used up"
    );
}

#[tokio::test]
async fn delay_malformed_and_dropped_connection() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    sim.gw
        .add_fault(Fault::new(Endpoint::Transaction, FaultKind::Delay { ms: 300 }).times(1));
    let started = Instant::now();
    let a = sim.query(&token, "referenceCode=NTH2P00000003086").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(a.status, StatusCode::OK);

    sim.gw
        .add_fault(Fault::new(Endpoint::Transaction, FaultKind::Malformed).times(1));
    let bad = sim.query(&token, "referenceCode=NTH2P00000003086").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(serde_json::from_str::<serde_json::Value>(&bad.text).is_err());

    sim.gw
        .add_fault(Fault::new(Endpoint::Transaction, FaultKind::DropConnection).times(1));
    let dropped = async {
        let response = sim
            .http
            .get(sim.url("/vpws/transaction?referenceCode=NTH2P00000003086"))
            .bearer_auth(&token)
            .send()
            .await?;
        response.text().await
    }
    .await;
    assert!(dropped.is_err(), "the connection must fail: {dropped:?}");
}

#[tokio::test]
async fn a_fault_after_processing_hides_a_payment_that_happened() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    sim.gw.add_fault(
        Fault::new(Endpoint::Payment, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let mut body = payment("321.00", APPROVE);
    body["clientOrderReferenceCode"] = "ORD-LOST".into();
    let sent = sim
        .http
        .post(sim.url("/vpws/payment"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await;
    let outcome = match sent {
        Ok(r) => r.text().await.map(|_| ()),
        Err(e) => Err(e),
    };
    assert!(outcome.is_err(), "caller sees no answer");
    let tx = sim.query(&token, "clientReferenceNumber=ORD-LOST").await;
    assert_eq!(
        tx.json["transactionStatusId"], 1,
        "but the charge went through"
    );
    assert!(tx.has_exact("lastAmount", "321.00"));
}

#[tokio::test]
async fn a_fault_before_processing_changes_nothing() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    sim.gw
        .add_fault(Fault::new(Endpoint::Refund, FaultKind::Status { status: 503 }).times(1));
    assert_eq!(
        sim.refund(&token, "NTH2P00000002974", Some("15"))
            .await
            .status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert!(sim
        .refund(&token, "NTH2P00000002974", Some("15"))
        .await
        .has_exact("lastAmount", "235.00"));
}

#[tokio::test]
async fn faults_and_counts_through_the_admin_http_api() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let fault = serde_json::json!({"endpoint": "payment", "kind": {"type": "status", "status": 500}, "times": 1});
    let set = sim
        .http
        .post(sim.url("/__admin/faults"))
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        sim.pay(&token, payment("10", APPROVE)).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let counts: serde_json::Value = sim
        .http
        .get(sim.url("/__admin/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts["payment"], 1);
    assert_eq!(counts["token"], 1);
    assert_eq!(sim.gw.request_count(Endpoint::Payment), 1);
    assert_eq!(sim.gw.request_count(Endpoint::Refund), 0);

    let expire = sim
        .http
        .post(sim.url("/__admin/tokens/expire"))
        .send()
        .await
        .unwrap();
    assert_eq!(expire.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    sim.http
        .delete(sim.url("/__admin/requests"))
        .send()
        .await
        .unwrap();
    assert_eq!(sim.gw.request_count(Endpoint::Payment), 0);
}

#[tokio::test]
async fn a_committed_payment_is_not_visible_to_queries_during_the_lag() {
    let sim = Sim::with(SimConfig {
        query_lag_ms: 400,
        ..SimConfig::default()
    })
    .await;
    let token = sim.token().await;
    let mut body = payment("40.00", APPROVE);
    body["clientOrderReferenceCode"] = "ORD-LAG".into();
    let paid = sim.pay(&token, body).await;
    assert_eq!(paid.json["data"]["isSuccess"], true, "{}", paid.text);
    let early = sim.query(&token, "clientReferenceNumber=ORD-LAG").await;
    assert_eq!(
        (early.status, early.error_code()),
        (StatusCode::NOT_FOUND, "P004".to_owned()),
        "applied but not visible yet"
    );
    tokio::time::sleep(Duration::from_millis(450)).await;
    let later = sim.query(&token, "clientReferenceNumber=ORD-LAG").await;
    assert_eq!(later.json["transactionStatusId"], 1, "{}", later.text);
}

#[tokio::test]
async fn a_refund_hides_its_transaction_from_queries_during_the_lag() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "100.00").await;
    let mut config = sim.gw.config();
    config.query_lag_ms = 300;
    sim.gw.set_config(config);
    assert!(sim
        .refund(&token, &reference, Some("30"))
        .await
        .has_exact("lastAmount", "70.00"));
    let hidden = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(sim
        .query(&token, &format!("referenceCode={reference}"))
        .await
        .has_exact("lastAmount", "70.00"));
}

#[tokio::test]
async fn a_refund_whose_answer_is_dropped_is_applied_all_the_same() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "100.00").await;
    sim.gw.add_fault(
        Fault::new(Endpoint::Refund, FaultKind::DropConnection)
            .after_processing()
            .times(1),
    );
    let sent = sim
        .http
        .post(sim.url("/vpws/payment/refund"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"referenceCode": reference, "amount": 30, "reason": "x"}))
        .send()
        .await;
    let answer = match sent {
        Ok(r) => r.text().await.map(|_| ()),
        Err(e) => Err(e),
    };
    assert!(answer.is_err(), "the caller sees no answer");
    assert!(sim
        .query(&token, &format!("referenceCode={reference}"))
        .await
        .has_exact("lastAmount", "70.00"));
}

#[tokio::test]
async fn an_unfinished_3d_step_expires_into_a_failed_payment() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let mut body = three_d("55.00", CHALLENGE);
    body["clientOrderReferenceCode"] = "ORD-3D-OPEN".into();
    let started = sim.pay(&token, body).await;
    assert_eq!(started.json["data"]["transactionStatusId"], 3);
    let open = sim.query(&token, "clientReferenceNumber=ORD-3D-OPEN").await;
    assert_eq!(open.json["transactionStatusId"], 3);
    sim.gw.advance_clock(chrono::TimeDelta::minutes(16));
    let expired = sim.query(&token, "clientReferenceNumber=ORD-3D-OPEN").await;
    assert_eq!(expired.json["transactionStatusId"], 2, "{}", expired.text);
    assert!(expired.has_exact("lastAmount", "0.00"));
}
