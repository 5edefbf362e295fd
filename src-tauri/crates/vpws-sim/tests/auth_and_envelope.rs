//! RULES.md rules 1–4 (authentication, dealer switches, limits) and 30 (the envelope).
mod common;

use chrono::TimeDelta;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use vpws_sim::DealerLimits;

#[tokio::test]
async fn a_known_key_pair_gets_a_bearer_token_expiring_in_24_hours() {
    let sim = Sim::start().await;
    let d = &sim.gw.data().dealers[0];
    let a = sim
        .post_raw(
            "/auth/api/token/connect",
            None,
            json!({"apiKey": d.api_key, "secretKey": d.secret_key}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["type"], "Bearer");
    assert!(a.json["token"].as_str().unwrap().starts_with("eyJ"));
    let expiry = a.json["expiry"].as_str().unwrap();
    // 2025-09-18T09:07:17.6884225Z: seven fraction digits and Z.
    assert_eq!(expiry.len(), 28, "{expiry}");
    assert!(expiry.ends_with('Z'));
    let parsed = chrono::DateTime::parse_from_rfc3339(expiry).unwrap();
    let hours =
        (parsed.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes() as f64 / 60.0;
    assert!((23.9..=24.0).contains(&hours), "{hours}");
}

#[tokio::test]
async fn wrong_or_missing_keys_are_refused() {
    let sim = Sim::start().await;
    let d = &sim.gw.data().dealers[0];
    let wrong = sim
        .post_raw(
            "/auth/api/token/connect",
            None,
            json!({"apiKey": d.api_key, "secretKey": "nope"}),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.error_code()),
        (StatusCode::UNAUTHORIZED, "P002".into())
    );
    // Another dealer's secret with this dealer's key is wrong too.
    let crossed = sim
        .post_raw(
            "/auth/api/token/connect",
            None,
            json!({"apiKey": d.api_key, "secretKey": sim.gw.data().dealers[1].secret_key}),
        )
        .await;
    assert_eq!(crossed.status, StatusCode::UNAUTHORIZED);
    let missing = sim
        .post_raw(
            "/auth/api/token/connect",
            None,
            json!({"apiKey": d.api_key}),
        )
        .await;
    assert_eq!(
        (missing.status, missing.error_code()),
        (StatusCode::BAD_REQUEST, "P001".into())
    );
    assert!(missing.json["message"]
        .as_str()
        .unwrap()
        .contains("secretKey"));
}

#[tokio::test]
async fn post_bodies_must_be_declared_json() {
    let sim = Sim::start().await;
    let response = sim
        .http
        .post(sim.url("/auth/api/token/connect"))
        .body(r#"{"apiKey":"a","secretKey":"b"}"#)
        .send()
        .await
        .unwrap();
    let a = Sim::read(response).await;
    assert_eq!(
        (a.status, a.error_code()),
        (StatusCode::BAD_REQUEST, "P001".into())
    );
}

#[tokio::test]
async fn every_vpws_call_needs_a_valid_unexpired_token() {
    let sim = Sim::start().await;
    for token in [None, Some("garbage")] {
        let a = sim.get("/vpws/paymentOptions?currency=TRY", token).await;
        assert_eq!(
            (a.status, a.error_code()),
            (StatusCode::UNAUTHORIZED, "P002".into()),
            "{token:?}"
        );
    }
    let basic = sim
        .http
        .get(sim.url("/vpws/paymentOptions?currency=TRY"))
        .basic_auth("u", Some("p"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);

    let token = sim.token().await;
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::OK
    );
    sim.gw
        .advance_clock(TimeDelta::hours(24) + TimeDelta::seconds(1));
    let expired = sim
        .get("/vpws/paymentOptions?currency=TRY", Some(&token))
        .await;
    assert_eq!(
        (expired.status, expired.error_code()),
        (StatusCode::UNAUTHORIZED, "P002".into())
    );
    assert!(expired.json["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn token_lifetime_is_configurable() {
    let sim = Sim::with(SimConfig {
        token_ttl_seconds: 2,
        ..SimConfig::default()
    })
    .await;
    let token = sim.token().await;
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::OK
    );
    sim.gw.advance_clock(TimeDelta::seconds(3));
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_dealer_may_hold_several_live_tokens() {
    let sim = Sim::start().await;
    let first = sim.token().await;
    let second = sim.token().await;
    assert_ne!(first, second);
    for t in [&first, &second] {
        assert_eq!(
            sim.get("/vpws/paymentOptions?currency=TRY", Some(t))
                .await
                .status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_disabled_endpoint_is_forbidden_for_that_dealer_only() {
    let sim = Sim::start().await;
    let limits = DealerLimits {
        disabled_endpoints: [Endpoint::Refund].into(),
        ..Default::default()
    };
    assert!(sim.gw.set_limits(&sim.gw.data().dealers[0].api_key, limits));
    let token = sim.token().await;
    let a = sim.refund(&token, "NTH2P00000002974", Some("1")).await;
    assert_eq!(
        (a.status, a.error_code()),
        (StatusCode::FORBIDDEN, "P003".into())
    );
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn per_minute_and_total_limits_give_429_p007() {
    let sim = Sim::start().await;
    let key = sim.gw.data().dealers[0].api_key.clone();
    sim.gw.set_limits(
        &key,
        DealerLimits {
            per_minute: 3,
            ..Default::default()
        },
    );
    let token = sim.token().await;
    let other = sim.token_for(1).await;
    // Align to the start of a minute so the window cannot roll over mid-test.
    let second = chrono::Utc::now().timestamp().rem_euclid(60);
    sim.gw.advance_clock(TimeDelta::seconds(60 - second));
    for _ in 0..3 {
        assert_eq!(
            sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
                .await
                .status,
            StatusCode::OK
        );
    }
    let limited = sim
        .get("/vpws/paymentOptions?currency=TRY", Some(&token))
        .await;
    assert_eq!(
        (limited.status, limited.error_code()),
        (StatusCode::TOO_MANY_REQUESTS, "P007".into())
    );
    assert!(limited.headers.get("retry-after").is_some());
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&other))
            .await
            .status,
        StatusCode::OK,
        "other dealer unaffected"
    );
    sim.gw.advance_clock(TimeDelta::seconds(60));
    assert_eq!(
        sim.get("/vpws/paymentOptions?currency=TRY", Some(&token))
            .await
            .status,
        StatusCode::OK,
        "next minute"
    );

    sim.gw.set_limits(
        &key,
        DealerLimits {
            total: 1,
            ..Default::default()
        },
    );
    let total = sim
        .get("/vpws/paymentOptions?currency=TRY", Some(&token))
        .await;
    assert_eq!(
        total.status,
        StatusCode::TOO_MANY_REQUESTS,
        "5 requests already counted against a total of 1"
    );
}

#[tokio::test]
async fn envelopes_carry_the_six_documented_fields() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let ok = sim.refund(&token, "NTH2P00000002974", Some("15")).await;
    let failed = sim.refund(&token, "NTH2P99999999999", Some("15")).await;
    for a in [&ok, &failed] {
        let keys: Vec<&str> = a
            .json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "message",
            "statusCode",
            "exceptions",
            "data",
            "oldData",
            "errors",
        ] {
            assert!(keys.contains(&key), "{key} in {}", a.text);
        }
        assert!(a.json["exceptions"].is_null() && a.json["oldData"].is_null());
    }
    assert!(ok.json["errors"].is_null());
    assert_eq!(ok.json["statusCode"], 200);
    assert_eq!(failed.json["statusCode"], 404);
    assert_eq!(failed.json["errors"][0]["code"], "P004");
}

#[tokio::test]
async fn unknown_paths_answer_with_an_envelope() {
    let sim = Sim::start().await;
    let a = sim.get("/vpws/nothing", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error_code(), "P016");
}
