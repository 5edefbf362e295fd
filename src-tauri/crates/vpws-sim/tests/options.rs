//! RULES.md rules 5–8: POS lists by currency and by BIN.
mod common;

use common::*;
use reqwest::StatusCode;
use vpws_sim::config::{UnknownBin, UnknownCurrency};

#[tokio::test]
async fn currency_is_required() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    for path in [
        "/vpws/paymentOptions",
        "/vpws/paymentOptions/415565",
        "/vpws/paymentOptions?currency=TL1",
    ] {
        let a = sim.get(path, Some(&token)).await;
        assert_eq!(
            (a.status, a.error_code()),
            (StatusCode::BAD_REQUEST, "P001".into()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn only_the_dealers_own_active_pos_of_that_currency() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim
        .get("/vpws/paymentOptions?currency=TRY", Some(&token))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let list = a.json.as_array().expect("bare array, no envelope");
    let dealer = &sim.gw.data().dealers[0];
    let expected: Vec<&str> = dealer
        .pos
        .iter()
        .filter(|p| p.active && p.currency == "TRY")
        .map(|p| p.tenant_pos_id.as_str())
        .collect();
    let got: Vec<&str> = list
        .iter()
        .map(|p| p["tenantPosId"].as_str().unwrap())
        .collect();
    assert_eq!(got, expected);
    assert!(
        !got.contains(&"3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e87"),
        "inactive POS hidden"
    );
    let other_dealer_ids: Vec<&str> = sim.gw.data().dealers[1]
        .pos
        .iter()
        .map(|p| p.tenant_pos_id.as_str())
        .collect();
    assert!(got.iter().all(|id| !other_dealer_ids.contains(id)));
    let first = &list[0];
    for key in [
        "name",
        "colorCode",
        "logo",
        "commRates",
        "isVisibleCommRate",
        "isDefaultPos",
        "posTypeId",
        "partnerId",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    let rates = first["commRates"].as_array().unwrap();
    assert_eq!(rates.len(), 12);
    for key in [
        "installment",
        "commApplyTypeId",
        "processCommRate",
        "plusInstallment",
    ] {
        assert!(rates[0].get(key).is_some(), "{key}");
    }
    assert!(
        a.text.contains(r#""processCommRate":1.7900"#),
        "four-decimal rates"
    );
    assert_eq!(list.iter().filter(|p| p["isDefaultPos"] == true).count(), 1);

    let usd = sim
        .get("/vpws/paymentOptions?currency=USD", Some(&token))
        .await;
    assert_eq!(usd.json.as_array().unwrap().len(), 1);
    assert_eq!(usd.json[0]["tenantPosId"], USD_POS);
}

#[tokio::test]
async fn a_currency_without_pos_is_an_empty_list_or_p020() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let empty = sim
        .get("/vpws/paymentOptions?currency=GBP", Some(&token))
        .await;
    assert_eq!((empty.status, empty.text.as_str()), (StatusCode::OK, "[]"));
    sim.gw.set_config(SimConfig {
        unknown_currency: UnknownCurrency::Error,
        ..SimConfig::default()
    });
    let error = sim
        .get("/vpws/paymentOptions?currency=GBP", Some(&token))
        .await;
    assert_eq!(error.error_code(), "P020");
}

#[tokio::test]
async fn bin_filters_to_the_cards_program_and_keeps_leading_zeros_rule() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim
        .get(
            "/vpws/paymentOptions/415565?currency=TRY&amount=1500",
            Some(&token),
        )
        .await;
    let list = a.json.as_array().expect("same format as the general list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["tenantPosId"], YKB_WORLD_POS);
    assert_eq!(list[0]["commRates"].as_array().unwrap().len(), 12);
    let eight = sim
        .get("/vpws/paymentOptions/54006110?currency=TRY", Some(&token))
        .await;
    assert_eq!(eight.json[0]["tenantPosId"], GARANTI_POS);
    for bad in ["41556", "4155650", "41556x", "415565012"] {
        let r = sim
            .get(
                &format!("/vpws/paymentOptions/{bad}?currency=TRY"),
                Some(&token),
            )
            .await;
        assert_eq!(
            (r.status, r.error_code()),
            (StatusCode::BAD_REQUEST, "P001".into()),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn small_amounts_get_a_single_installment_only() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim
        .get(
            "/vpws/paymentOptions/415565?currency=TRY&amount=50",
            Some(&token),
        )
        .await;
    let rates = a.json[0]["commRates"].as_array().unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!(rates[0]["installment"], 1);
    let bad = sim
        .get(
            "/vpws/paymentOptions/415565?currency=TRY&amount=-1",
            Some(&token),
        )
        .await;
    assert_eq!(bad.error_code(), "P001");
}

#[tokio::test]
async fn a_card_of_a_program_the_dealer_lacks_gets_the_default_pos_for_one_payment() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    // Ziraat Bankkart: dealer 0's Ziraat POS is inactive.
    let a = sim
        .get("/vpws/paymentOptions/552879?currency=TRY", Some(&token))
        .await;
    let list = a.json.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["isDefaultPos"], true);
    assert_eq!(list[0]["commRates"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_bin_is_p018_or_an_empty_list() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let a = sim
        .get("/vpws/paymentOptions/402277?currency=TRY", Some(&token))
        .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "business failure travels as HTTP 200"
    );
    assert_eq!(a.error_code(), "P018");
    assert_eq!(a.json["statusCode"], 607);
    sim.gw.set_config(SimConfig {
        unknown_bin: UnknownBin::EmptyList,
        ..SimConfig::default()
    });
    assert_eq!(
        sim.get("/vpws/paymentOptions/402277?currency=TRY", Some(&token))
            .await
            .text,
        "[]"
    );
}

#[tokio::test]
async fn some_bins_answer_with_what_the_card_requires() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let plain = sim
        .get("/vpws/paymentOptions/415565?currency=TRY", Some(&token))
        .await;
    assert!(plain.json.is_array(), "most BINs: the bare array");
    assert_eq!(plain.json[0]["threeDStatus"], 1);

    let required = sim
        .get("/vpws/paymentOptions/454360?currency=TRY", Some(&token))
        .await;
    assert_eq!(required.json["cardBrand"], "Visa", "{}", required.text);
    assert!(
        required.has_exact("installmentLowerLimit", "100"),
        "{}",
        required.text
    );
    let poses = required.json["poses"].as_array().unwrap();
    assert!(!poses.is_empty());
    assert!(poses
        .iter()
        .all(|p| p["threeDStatus"] == 2 && p["isCvvUse"] == true));

    let no_3d = sim
        .get("/vpws/paymentOptions/521824?currency=TRY", Some(&token))
        .await;
    assert_eq!(no_3d.json["cardBrand"], "Mastercard");
    let pos = &no_3d.json["poses"][0];
    assert_eq!(
        (&pos["threeDStatus"], &pos["isCvvUse"]),
        (&0.into(), &false.into())
    );

    let limited = sim
        .get("/vpws/paymentOptions/979210?currency=TRY", Some(&token))
        .await;
    assert!(limited.has_exact("threeDLimit", "2000"), "{}", limited.text);
    assert_eq!(limited.json["commApplyTypeId"], 20);
    assert_eq!(
        limited.json["poses"][0]["commRates"][0]["commApplyTypeId"],
        20
    );

    let amex = sim
        .get("/vpws/paymentOptions/374427?currency=TRY", Some(&token))
        .await;
    assert_eq!(amex.json["cardBrand"], "Amex");
}
