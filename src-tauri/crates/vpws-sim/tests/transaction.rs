//! RULES.md rules 17–19: the transaction query.
mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use vpws_sim::config::ForeignTransaction;

#[tokio::test]
async fn query_by_each_key_returns_the_bare_transaction() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let mut body = payment("99.90", APPROVE);
    body["clientOrderReferenceCode"] = json!("ORD-Q-1");
    let paid = sim.pay(&token, body).await;
    let reference = paid.json["data"]["referenceNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = paid.json["data"]["transactionId"]
        .as_str()
        .unwrap()
        .to_owned();
    for query in [
        format!("referenceCode={reference}"),
        format!("transactionId={id}"),
        "clientReferenceNumber=ORD-Q-1".to_owned(),
    ] {
        let a = sim.query(&token, &query).await;
        assert_eq!(a.status, StatusCode::OK, "{query}");
        assert!(a.json.get("statusCode").is_none(), "no envelope on success");
        assert_eq!(a.json["referenceNumber"], reference.as_str());
        assert_eq!(a.json["id"], id.as_str());
        assert!(a.has_exact("lastAmount", "99.90"));
        for key in [
            "tenantId",
            "tenantPosId",
            "commRate",
            "currencyType",
            "transactionDate",
            "installment",
            "lastNetAmount",
            "transactionStatusId",
        ] {
            assert!(a.json.get(key).is_some(), "{key}");
        }
        let date = a.json["transactionDate"].as_str().unwrap();
        assert!(
            !date.ends_with('Z') && !date.contains('+') && date.len() == 27,
            "offset-less, 7 digits: {date}"
        );
    }
}

#[tokio::test]
async fn exactly_one_key() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let none = sim.get("/vpws/transaction", Some(&token)).await;
    assert_eq!(
        (none.status, none.error_code()),
        (StatusCode::BAD_REQUEST, "P001".into())
    );
    let two = sim
        .query(
            &token,
            "referenceCode=NTH2P00000003086&clientReferenceNumber=seed-query-example",
        )
        .await;
    assert_eq!(two.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_is_p004_and_another_dealers_is_404_or_403() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let other = sim.token_for(1).await;
    let unknown = sim.query(&token, "referenceCode=NTH2P99999999999").await;
    assert_eq!(
        (unknown.status, unknown.error_code()),
        (StatusCode::NOT_FOUND, "P004".into())
    );
    let foreign = sim.query(&other, "referenceCode=NTH2P00000003086").await;
    assert_eq!(
        (foreign.status, foreign.error_code()),
        (StatusCode::NOT_FOUND, "P004".into())
    );
    assert!(
        !foreign.text.contains("1500"),
        "nothing of the transaction leaks"
    );
    sim.gw.set_config(SimConfig {
        foreign_transaction: ForeignTransaction::Forbidden,
        ..SimConfig::default()
    });
    let forbidden = sim.query(&other, "referenceCode=NTH2P00000003086").await;
    assert_eq!(
        (forbidden.status, forbidden.error_code()),
        (StatusCode::FORBIDDEN, "P003".into())
    );
    let by_client_ref = sim
        .query(&other, "clientReferenceNumber=seed-query-example")
        .await;
    assert_eq!(by_client_ref.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_documentations_example_references_exist() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    for reference in ["NTH2P00000002974", "NTH2P00000003000", "NTH2P00000003086"] {
        assert_eq!(
            sim.query(&token, &format!("referenceCode={reference}"))
                .await
                .status,
            StatusCode::OK
        );
    }
}
