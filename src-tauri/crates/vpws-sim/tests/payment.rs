//! RULES.md rules 9–16: payment validation, non-3D outcomes, references, duplicates, masking.
mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use vpws_sim::config::{BusinessFailureStatus, DuplicatePolicy};

fn without(mut body: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    body.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    body
}

/// Sets (or adds) the field at `pointer`.
fn with(mut body: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    body.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert(key.to_owned(), value);
    body
}

#[tokio::test]
async fn missing_required_fields_are_p001() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    for field in [
        "/amount",
        "/installment",
        "/tenantPosId",
        "/currencyCode",
        "/use3D",
        "/contact",
        "/contact/name",
        "/contact/surname",
        "/contact/email",
        "/card",
        "/card/cardNumber",
        "/card/cardHolderName",
        "/card/cvv",
        "/card/expMonth",
        "/card/expYear",
    ] {
        let a = sim
            .pay(&token, without(payment("100", APPROVE), field))
            .await;
        assert_eq!(
            (a.status, a.error_code()),
            (StatusCode::BAD_REQUEST, "P001".into()),
            "{field}: {}",
            a.text
        );
    }
    let no_return = sim
        .pay(&token, with(payment("100", APPROVE), "/use3D", json!(true)))
        .await;
    assert_eq!(
        (no_return.status, no_return.error_code()),
        (StatusCode::BAD_REQUEST, "P001".into())
    );
    assert!(no_return.text.contains("returnUrl"));
    let bad_guid = sim
        .pay(
            &token,
            with(payment("100", APPROVE), "/tenantPosId", json!("not-a-guid")),
        )
        .await;
    assert_eq!(bad_guid.error_code(), "P001");
}

#[tokio::test]
async fn invalid_values_are_p006_and_never_echo_the_card() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let cases = [
        ("/amount", json!(0)),
        ("/amount", json!(-10)),
        ("/amount", json!(10.005)),
        ("/installment", json!(0)),
        ("/installment", json!(13)),
        ("/currencyCode", json!("try")),
        ("/card/cardNumber", json!("4155650100416112")),
        ("/card/cardNumber", json!("41556501004161ab")),
        ("/card/cvv", json!("12")),
        ("/card/expMonth", json!(13)),
        ("/card/expYear", json!(2020)),
        ("/card/expYear", json!(30)),
        ("/contact/email", json!("ayse.example.com")),
    ];
    for (field, value) in cases {
        let a = sim
            .pay(&token, with(payment("100", APPROVE), field, value.clone()))
            .await;
        assert_eq!(
            (a.status, a.error_code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "P006".into()),
            "{field}={value}: {}",
            a.text
        );
        assert!(
            !a.text.contains("415565010041611"),
            "card number echoed: {}",
            a.text
        );
    }
    let mistyped = sim
        .pay(
            &token,
            with(
                payment("100", APPROVE),
                "/card/expMonth",
                json!("4155650100416111"),
            ),
        )
        .await;
    assert_eq!(mistyped.error_code(), "P001");
    assert!(
        !mistyped.text.contains("4155650100416111"),
        "{}",
        mistyped.text
    );
}

#[tokio::test]
async fn pos_must_belong_to_the_dealer_and_fit_currency_and_installment() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let foreign = sim
        .pay(
            &token,
            with(payment("100", APPROVE), "/tenantPosId", json!(EGE_POS)),
        )
        .await;
    assert_eq!(
        (foreign.status, foreign.error_code()),
        (StatusCode::FORBIDDEN, "P003".into())
    );
    let unknown = sim
        .pay(
            &token,
            with(
                payment("100", APPROVE),
                "/tenantPosId",
                json!("00000000-0000-4000-8000-000000000000"),
            ),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error_code()),
        (StatusCode::OK, "P019".into())
    );
    assert_eq!(unknown.json["statusCode"], 608);
    let inactive = sim
        .pay(
            &token,
            with(
                payment("100", APPROVE),
                "/tenantPosId",
                json!("3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e87"),
            ),
        )
        .await;
    assert_eq!(inactive.error_code(), "P019");
    let currency = sim
        .pay(
            &token,
            with(payment("100", APPROVE), "/tenantPosId", json!(USD_POS)),
        )
        .await;
    assert_eq!(currency.error_code(), "P020");
    let usd = with(
        with(payment("100", APPROVE), "/tenantPosId", json!(USD_POS)),
        "/currencyCode",
        json!("USD"),
    );
    assert_eq!(
        sim.pay(&token, usd.clone()).await.json["data"]["isSuccess"],
        true
    );
    let usd_installments = sim.pay(&token, with(usd, "/installment", json!(3))).await;
    assert_eq!(
        usd_installments.error_code(),
        "P006",
        "the USD POS offers a single payment only"
    );
    let other_program = sim
        .pay(
            &token,
            with(payment("1000", DECLINE), "/installment", json!(3)),
        )
        .await;
    assert_eq!(
        other_program.error_code(),
        "P006",
        "a Bonus card cannot take World installments"
    );
    let too_small = sim
        .pay(
            &token,
            with(payment("50", APPROVE), "/installment", json!(3)),
        )
        .await;
    assert_eq!(too_small.error_code(), "P006");
    let ok = sim
        .pay(
            &token,
            with(payment("1000", APPROVE), "/installment", json!(3)),
        )
        .await;
    assert_eq!(ok.json["data"]["isSuccess"], true, "{}", ok.text);
}

#[tokio::test]
async fn an_approved_payment_is_charged_with_the_pos_commission() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let body = with(
        with(payment("1000", APPROVE), "/installment", json!(3)),
        "/clientOrderReferenceCode",
        json!("ORD-1"),
    );
    let a = sim.pay(&token, body).await;
    assert_eq!(a.status, StatusCode::OK);
    let data = &a.json["data"];
    assert_eq!(
        (
            data["isSuccess"].clone(),
            data["transactionStatusId"].clone()
        ),
        (json!(true), json!(1))
    );
    assert!(data.get("redirectUrl").is_none(), "non-3D has no redirect");
    let reference = data["referenceNumber"].as_str().unwrap();
    assert!(
        reference.starts_with("NTH2P")
            && reference.len() == 16
            && reference[5..].bytes().all(|b| b.is_ascii_digit())
    );
    let tx = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert_eq!(tx.json["clientReferenceNumber"], "ORD-1");
    assert_eq!(tx.json["installment"], 3);
    assert!(tx.has_exact("lastAmount", "1000.00"), "{}", tx.text);
    // 3 installments on Yapı Kredi World: 4.79 % → net 952.10.
    assert!(tx.has_exact("commRate", "4.7900"), "{}", tx.text);
    assert!(tx.has_exact("lastNetAmount", "952.10"), "{}", tx.text);
    assert_eq!(tx.json["maskedCardNumber"], "415565******6111");
    assert!(
        !tx.text.contains("4155650100416111"),
        "full PAN never returned"
    );
    assert!(!tx.text.contains("\"cvv\""));
}

#[tokio::test]
async fn references_increase_monotonically() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim.paid(&token, "10").await;
    let b = sim.paid(&token, "10").await;
    let n = |r: &str| r[5..].parse::<u64>().unwrap();
    assert_eq!(n(&b), n(&a) + 1);
    assert!(n(&a) > 3086, "after the documentation's examples");
}

#[tokio::test]
async fn a_declined_card_creates_a_failed_transaction_and_charges_nothing() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim.pay(&token, payment("250", DECLINE)).await;
    assert_eq!(a.status, StatusCode::OK, "business failure as HTTP 200");
    assert_eq!(a.json["data"]["isSuccess"], false);
    assert_eq!(a.json["data"]["errorCode"], "P011");
    assert_eq!(a.error_code(), "P011");
    assert_eq!(a.json["data"]["transactionStatusId"], 2);
    let reference = a.json["data"]["referenceNumber"].as_str().unwrap();
    let tx = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert_eq!(tx.json["transactionStatusId"], 2);
    assert!(tx.has_exact("lastAmount", "0.00"));

    sim.gw.set_config(SimConfig {
        business_failures: BusinessFailureStatus::StatusTable,
        ..SimConfig::default()
    });
    assert_eq!(
        sim.pay(&token, payment("250", DECLINE))
            .await
            .status
            .as_u16(),
        600
    );
}

#[tokio::test]
async fn a_reused_order_reference_is_rejected_returned_or_allowed() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let body = with(
        payment("100", APPROVE),
        "/clientOrderReferenceCode",
        json!("ORD-DUP"),
    );
    let first = sim.pay(&token, body.clone()).await;
    let again = sim.pay(&token, body.clone()).await;
    assert_eq!(
        (again.status, again.error_code()),
        (StatusCode::CONFLICT, "P005".into())
    );
    // Another dealer may use the same order reference.
    let other = sim.token_for(1).await;
    let theirs = with(body.clone(), "/tenantPosId", json!(EGE_POS));
    assert_eq!(
        sim.pay(&other, theirs).await.json["data"]["isSuccess"],
        true
    );

    sim.gw.set_config(SimConfig {
        duplicate_order_reference: DuplicatePolicy::ReturnOriginal,
        ..SimConfig::default()
    });
    let original = sim.pay(&token, body.clone()).await;
    assert_eq!(
        original.json["data"]["referenceNumber"],
        first.json["data"]["referenceNumber"]
    );
    sim.gw.set_config(SimConfig {
        duplicate_order_reference: DuplicatePolicy::Allow,
        ..SimConfig::default()
    });
    let allowed = sim.pay(&token, body).await;
    assert_ne!(
        allowed.json["data"]["referenceNumber"],
        first.json["data"]["referenceNumber"]
    );
}

#[tokio::test]
async fn unknown_luhn_valid_cards_approve_a_single_payment() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim.pay(&token, payment("100", "4022770000000004")).await;
    assert_eq!(a.json["data"]["isSuccess"], true);
}

#[tokio::test]
async fn a_cards_bin_rules_hold_at_payment() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let three_d_only = sim.pay(&token, payment("50", "4543600000000003")).await;
    assert_eq!(three_d_only.error_code(), "P006", "{}", three_d_only.text);
    let with_3d = sim.pay(&token, three_d("50", "4543600000000003")).await;
    assert_eq!(
        with_3d.json["data"]["transactionStatusId"], 3,
        "{}",
        with_3d.text
    );

    let no_3d_card = "5218240000000009";
    let refused = sim.pay(&token, three_d("50", no_3d_card)).await;
    assert_eq!(refused.error_code(), "P006", "{}", refused.text);
    let without_cvv = without(payment("50", no_3d_card), "/card/cvv");
    let paid = sim.pay(&token, without_cvv).await;
    assert_eq!(paid.json["data"]["isSuccess"], true, "{}", paid.text);
    let other_without_cvv = without(payment("50", APPROVE), "/card/cvv");
    assert_eq!(
        sim.pay(&token, other_without_cvv).await.error_code(),
        "P001"
    );

    let limited = "9792100000000001";
    let above = sim.pay(&token, payment("2000.01", limited)).await;
    assert_eq!(above.error_code(), "P006", "{}", above.text);
    let at_limit = sim.pay(&token, payment("2000.00", limited)).await;
    assert_eq!(
        at_limit.json["data"]["isSuccess"], true,
        "{}",
        at_limit.text
    );
}
