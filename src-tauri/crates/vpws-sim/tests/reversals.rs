//! RULES.md rules 20–29: cancel and refund.
mod common;

use chrono::TimeDelta;
use common::*;
use reqwest::StatusCode;
use vpws_sim::config::{BusinessFailureStatus, RepeatedCancel};

#[tokio::test]
async fn the_documented_partial_refund_example() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim.refund(&token, "NTH2P00000002974", Some("15")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.has_exact("lastAmount", "235.00"), "{}", a.text);
    assert_eq!(a.json["data"]["transactionStatusId"], 6);
    assert_eq!(a.json["data"]["isSuccess"], true);
}

#[tokio::test]
async fn several_partial_refunds_then_the_rest_then_nothing() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "100.00").await;
    assert!(sim
        .refund(&token, &reference, Some("30.10"))
        .await
        .has_exact("lastAmount", "69.90"));
    assert!(sim
        .refund(&token, &reference, Some("0.1"))
        .await
        .has_exact("lastAmount", "69.80"));
    let over = sim.refund(&token, &reference, Some("69.81")).await;
    assert_eq!(
        (over.status, over.error_code()),
        (StatusCode::OK, "P015".into())
    );
    assert_eq!(over.json["data"]["isSuccess"], false);
    assert!(
        over.has_exact("lastAmount", "69.80"),
        "unchanged after a refused refund"
    );
    let rest = sim.refund(&token, &reference, None).await;
    assert!(rest.has_exact("lastAmount", "0.00"));
    assert_eq!(
        rest.json["data"]["transactionStatusId"], 1,
        "docs show 1 once fully refunded"
    );
    let again = sim.refund(&token, &reference, Some("0.01")).await;
    assert_eq!(again.error_code(), "P015");
    let tx = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert!(tx.has_exact("lastAmount", "0.00") && tx.has_exact("amount", "100.00"));
}

#[tokio::test]
async fn decimal_refunds_are_exact() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "0.30").await;
    sim.refund(&token, &reference, Some("0.1")).await;
    sim.refund(&token, &reference, Some("0.2")).await;
    let tx = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert!(
        tx.has_exact("lastAmount", "0.00"),
        "0.1 + 0.2 refunds 0.30 exactly: {}",
        tx.text
    );
}

#[tokio::test]
async fn refund_input_and_ownership() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "50").await;
    for bad in ["0", "-1", "1.001"] {
        let a = sim.refund(&token, &reference, Some(bad)).await;
        assert_eq!(
            (a.status, a.error_code()),
            (StatusCode::BAD_REQUEST, "P001".into()),
            "{bad}"
        );
    }
    let missing = sim
        .post(
            "/vpws/payment/refund",
            &token,
            serde_json::json!({"amount": 1}),
        )
        .await;
    assert_eq!(missing.error_code(), "P001");
    assert_eq!(
        sim.refund(&token, "NTH2P99999999999", Some("1"))
            .await
            .error_code(),
        "P004"
    );
    let other = sim.token_for(1).await;
    let foreign = sim.refund(&other, &reference, Some("1")).await;
    assert_eq!(
        (foreign.status, foreign.error_code()),
        (StatusCode::FORBIDDEN, "P003".into())
    );
}

#[tokio::test]
async fn only_successful_uncancelled_transactions_are_refunded() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let declined = sim.pay(&token, payment("80", DECLINE)).await;
    let failed_ref = declined.json["data"]["referenceNumber"].as_str().unwrap();
    assert_eq!(
        sim.refund(&token, failed_ref, Some("1")).await.error_code(),
        "P014"
    );
    let pending = sim.pay(&token, three_d("80", CHALLENGE)).await;
    let pending_ref = pending.json["data"]["referenceNumber"].as_str().unwrap();
    assert_eq!(
        sim.refund(&token, pending_ref, None).await.error_code(),
        "P014"
    );
    let reference = sim.paid(&token, "80").await;
    assert_eq!(
        sim.cancel(&token, &reference).await.json["data"]["isSuccess"],
        true
    );
    assert_eq!(
        sim.refund(&token, &reference, Some("1")).await.error_code(),
        "P014"
    );
}

#[tokio::test]
async fn same_day_refunds_can_be_forbidden() {
    let sim = Sim::with(SimConfig {
        refund_same_day_allowed: false,
        ..SimConfig::default()
    })
    .await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "80").await;
    assert_eq!(
        sim.refund(&token, &reference, Some("1")).await.error_code(),
        "P016"
    );
    sim.gw.advance_clock(TimeDelta::days(1));
    let token = sim.token().await;
    assert_eq!(
        sim.refund(&token, &reference, Some("1")).await.json["data"]["isSuccess"],
        true
    );
}

#[tokio::test]
async fn a_refund_period_refuses_refunds_after_it_with_p014() {
    let sim = Sim::with(SimConfig {
        refund_period_days: Some(30),
        ..SimConfig::default()
    })
    .await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "80").await;
    sim.gw.advance_clock(TimeDelta::days(30));
    let token = sim.token().await;
    assert_eq!(
        sim.refund(&token, &reference, Some("1")).await.json["data"]["isSuccess"],
        true,
        "on the 30th day still"
    );
    sim.gw.advance_clock(TimeDelta::days(1));
    let token = sim.token().await;
    assert_eq!(
        sim.refund(&token, &reference, Some("1")).await.error_code(),
        "P014"
    );
}

#[tokio::test]
async fn cancel_voids_a_fresh_payment_and_repeats_idempotently() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "120.00").await;
    let a = sim.cancel(&token, &reference).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["data"]["isSuccess"], true);
    assert!(a.has_exact("lastAmount", "0.00"));
    assert_eq!(
        a.json["data"]["transactionStatusId"], 1,
        "docs show 1 after a cancel"
    );
    let tx = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert!(tx.has_exact("lastAmount", "0.00") && tx.has_exact("lastNetAmount", "0.00"));
    let again = sim.cancel(&token, &reference).await;
    assert_eq!(
        again.json["data"]["isSuccess"], true,
        "idempotent by default"
    );
    sim.gw.set_config(SimConfig {
        repeated_cancel: RepeatedCancel::Reject,
        ..SimConfig::default()
    });
    assert_eq!(sim.cancel(&token, &reference).await.error_code(), "P017");
}

#[tokio::test]
async fn cancel_is_refused_after_refunds_for_failures_and_after_the_sale_day() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let refunded = sim.paid(&token, "120").await;
    sim.refund(&token, &refunded, Some("20")).await;
    let a = sim.cancel(&token, &refunded).await;
    assert_eq!((a.status, a.error_code()), (StatusCode::OK, "P013".into()));
    assert_eq!(a.json["data"]["isSuccess"], false);

    let declined = sim.pay(&token, payment("80", DECLINE)).await;
    let failed_ref = declined.json["data"]["referenceNumber"].as_str().unwrap();
    assert_eq!(sim.cancel(&token, failed_ref).await.error_code(), "P013");

    let yesterday = sim.paid(&token, "60").await;
    sim.gw.advance_clock(TimeDelta::days(1));
    let token = sim.token().await;
    let late = sim.cancel(&token, &yesterday).await;
    assert_eq!(late.error_code(), "P013");
    assert!(
        late.text.contains("refund"),
        "tells the operator to refund instead"
    );
    assert_eq!(
        sim.refund(&token, &yesterday, None).await.json["data"]["isSuccess"],
        true
    );
}

#[tokio::test]
async fn cancel_input_and_ownership() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let missing = sim
        .post(
            "/vpws/payment/cancel",
            &token,
            serde_json::json!({"reason": "x"}),
        )
        .await;
    assert_eq!(
        (missing.status, missing.error_code()),
        (StatusCode::BAD_REQUEST, "P001".into())
    );
    assert_eq!(
        sim.cancel(&token, "NTH2P99999999999").await.status,
        StatusCode::NOT_FOUND
    );
    let other = sim.token_for(1).await;
    let foreign = sim.cancel(&other, "NTH2P00000003000").await;
    assert_eq!(
        (foreign.status, foreign.error_code()),
        (StatusCode::FORBIDDEN, "P003".into())
    );
    assert_eq!(
        sim.cancel(&token, "NTH2P00000003000").await.json["data"]["isSuccess"],
        true
    );
}

#[tokio::test]
async fn business_failures_can_travel_as_table_statuses() {
    let sim = Sim::with(SimConfig {
        business_failures: BusinessFailureStatus::StatusTable,
        ..SimConfig::default()
    })
    .await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "10").await;
    let over = sim.refund(&token, &reference, Some("11")).await;
    assert_eq!(over.status.as_u16(), 604);
    assert_eq!(over.json["statusCode"], 604);
}

#[tokio::test]
async fn reversals_are_recorded_with_amount_and_reason() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let reference = sim.paid(&token, "40").await;
    sim.refund(&token, &reference, Some("15")).await;
    let list: serde_json::Value = sim
        .http
        .get(sim.url("/__admin/transactions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tx = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["referenceNumber"] == reference.as_str())
        .unwrap();
    assert_eq!(tx["reversals"][0]["kind"], "refund");
    assert_eq!(tx["reversals"][0]["reason"], "test refund");
}

#[tokio::test]
async fn a_cancel_or_refund_may_name_the_payment_by_its_order_reference() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let mut body = payment("80.00", APPROVE);
    body["clientOrderReferenceCode"] = "ORD-REV-1".into();
    let paid = sim.pay(&token, body).await;
    let reference = paid.json["data"]["referenceNumber"]
        .as_str()
        .unwrap()
        .to_owned();

    let refund = sim
        .post(
            "/vpws/payment/refund",
            &token,
            serde_json::json!({"clientReferenceCode": "ORD-REV-1", "amount": 30, "reason": "by order"}),
        )
        .await;
    assert_eq!(refund.json["data"]["isSuccess"], true, "{}", refund.text);
    assert!(refund.has_exact("lastAmount", "50.00"), "{}", refund.text);
    let by_reference = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert!(
        by_reference.has_exact("lastAmount", "50.00"),
        "the same payment, whichever key named it: {}",
        by_reference.text
    );

    let both = sim
        .post(
            "/vpws/payment/cancel",
            &token,
            serde_json::json!({"referenceCode": reference, "clientReferenceCode": "ORD-REV-1"}),
        )
        .await;
    assert_eq!(
        (both.status, both.error_code()),
        (StatusCode::BAD_REQUEST, "P001".into())
    );
    let unknown = sim
        .post(
            "/vpws/payment/cancel",
            &token,
            serde_json::json!({"clientReferenceCode": "ORD-NOBODY"}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error_code()),
        (StatusCode::NOT_FOUND, "P004".into())
    );
    let other = sim.token_for(1).await;
    let foreign = sim
        .post(
            "/vpws/payment/refund",
            &other,
            serde_json::json!({"clientReferenceCode": "ORD-REV-1", "amount": 1}),
        )
        .await;
    assert_eq!(
        (foreign.status, foreign.error_code()),
        (StatusCode::FORBIDDEN, "P003".into())
    );
}
