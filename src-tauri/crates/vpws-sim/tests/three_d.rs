//! RULES.md rule 13: 3D Secure — pending until the ACS form is submitted, then settled and the
//! browser sent to the payment's returnUrl.
mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

async fn start_3d(sim: &Sim, token: &str, card: &str) -> (String, String, String) {
    let a = sim.pay(token, three_d("750.00", card)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let data = &a.json["data"];
    assert_eq!(data["transactionStatusId"], 3);
    let redirect = data["redirectUrl"].as_str().unwrap().to_owned();
    assert!(
        redirect.starts_with(&sim.gw.base_url()),
        "ACS is served by the gateway"
    );
    (
        redirect,
        data["referenceNumber"].as_str().unwrap().into(),
        data["transactionId"].as_str().unwrap().into(),
    )
}

async fn acs_submit(sim: &Sim, redirect: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let response = sim.http.post(redirect).form(form).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn status_of(sim: &Sim, token: &str, reference: &str) -> Value {
    sim.query(token, &format!("referenceCode={reference}"))
        .await
        .json["transactionStatusId"]
        .clone()
}

#[tokio::test]
async fn challenge_with_the_right_otp_succeeds_and_posts_back_to_return_url() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let (redirect, reference, id) = start_3d(&sim, &token, CHALLENGE).await;
    assert_eq!(
        status_of(&sim, &token, &reference).await,
        3,
        "pending until the ACS step"
    );
    let pending = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert!(
        pending.has_exact("lastAmount", "0.00"),
        "nothing charged while pending"
    );

    let page = sim
        .http
        .get(&redirect)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"name="otp""#),
        "plain HTML form with an otp input"
    );
    assert!(
        !page.contains("4355080000000005") && page.contains("435508******0005"),
        "masked card only"
    );

    let (status, back) =
        acs_submit(&sim, &redirect, &[("otp", "123456"), ("action", "submit")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        back.contains(r#"method="post" action="https://dealer.example/return""#),
        "{back}"
    );
    assert!(back.contains(&format!(r#"name="referenceCode" value="{reference}""#)));
    assert!(back.contains(&format!(r#"name="transactionId" value="{id}""#)));
    assert!(back.contains(".submit()"), "auto-submitting");
    assert_eq!(status_of(&sim, &token, &reference).await, 1);
    let settled = sim
        .query(&token, &format!("referenceCode={reference}"))
        .await;
    assert!(settled.has_exact("lastAmount", "750.00"));

    let (again, _) = acs_submit(&sim, &redirect, &[("otp", "123456")]).await;
    assert_eq!(
        again,
        StatusCode::CONFLICT,
        "a settled 3D step cannot be replayed"
    );
}

#[tokio::test]
async fn a_wrong_otp_or_cancel_fails_the_transaction() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let (redirect, reference, _) = start_3d(&sim, &token, CHALLENGE).await;
    let (_, back) = acs_submit(&sim, &redirect, &[("otp", "000000"), ("action", "submit")]).await;
    assert!(back.contains(r#"name="errorCode" value="P012""#), "{back}");
    assert_eq!(status_of(&sim, &token, &reference).await, 2);

    let (redirect, reference, _) = start_3d(&sim, &token, APPROVE).await;
    acs_submit(&sim, &redirect, &[("otp", "123456"), ("action", "cancel")]).await;
    assert_eq!(status_of(&sim, &token, &reference).await, 2);
}

#[tokio::test]
async fn a_frictionless_card_page_submits_itself() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let (redirect, reference, _) = start_3d(&sim, &token, FRICTIONLESS).await;
    let page = sim
        .http
        .get(&redirect)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(r#"name="otp""#), "no challenge");
    assert!(page.contains(r#"name="frictionless""#) && page.contains(".submit()"));
    acs_submit(&sim, &redirect, &[("frictionless", "1")]).await;
    assert_eq!(status_of(&sim, &token, &reference).await, 1);
}

#[tokio::test]
async fn the_failing_otp_card_fails_even_with_the_demo_otp() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let (redirect, reference, _) = start_3d(&sim, &token, OTP_FAILS).await;
    acs_submit(&sim, &redirect, &[("otp", "123456"), ("action", "submit")]).await;
    assert_eq!(status_of(&sim, &token, &reference).await, 2);
}

#[tokio::test]
async fn a_declining_card_fails_after_authentication() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let (redirect, reference, _) = start_3d(&sim, &token, DECLINE).await;
    let (_, back) = acs_submit(&sim, &redirect, &[("otp", "123456"), ("action", "submit")]).await;
    assert!(back.contains(r#"name="errorCode" value="P011""#));
    assert_eq!(status_of(&sim, &token, &reference).await, 2);
}

#[tokio::test]
async fn return_url_values_are_html_escaped() {
    let sim = Sim::start().await;
    let token = sim.token().await;
    let mut body = three_d("10", FRICTIONLESS);
    body["returnUrl"] = "https://dealer.example/r?a=1&b=\"x\"".into();
    let a = sim.pay(&token, body).await;
    let redirect = a.json["data"]["redirectUrl"].as_str().unwrap().to_owned();
    let (_, back) = acs_submit(&sim, &redirect, &[("frictionless", "1")]).await;
    assert!(
        back.contains(r#"action="https://dealer.example/r?a=1&amp;b=&quot;x&quot;""#),
        "{back}"
    );
}
