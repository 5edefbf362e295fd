//! When the desk may look for and install a new version: at start at most once a day, not at
//! all when turned off, from an https address; never while money is being sent, and nothing is
//! sent while an update installs.
mod common;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::*;
use desk_core::dto::Preferences;
use vpws_sim::{Endpoint, Fault, FaultKind};

#[tokio::test]
async fn the_check_at_start_runs_at_most_once_a_day_and_never_when_turned_off() {
    let f = fixture().await;
    let now = Utc::now();
    assert!(f.desk.update_check_due(now).unwrap(), "never checked yet");
    assert!(!f.desk.update_check_due(now + TimeDelta::hours(1)).unwrap());
    assert!(!f.desk.update_check_due(now + TimeDelta::hours(23)).unwrap());
    assert!(f.desk.update_check_due(now + TimeDelta::hours(25)).unwrap());
    assert!(
        f.desk.update_check_due(now - TimeDelta::days(3)).unwrap(),
        "a clock set back does not stop the checks for good"
    );
    let status = f
        .desk
        .update_preferences(Preferences {
            check_for_updates: Some(false),
            ..Preferences::default()
        })
        .await
        .unwrap();
    assert!(!status.check_for_updates);
    assert!(!f.desk.update_check_due(now + TimeDelta::days(30)).unwrap());
}

#[tokio::test]
async fn an_update_address_is_https_and_empty_goes_back_to_the_builds() {
    let f = fixture().await;
    let set = |endpoint: &str| Preferences {
        update_endpoint: Some(endpoint.into()),
        ..Preferences::default()
    };
    let refused = f
        .desk
        .update_preferences(set("http://mirror.example/dd/latest.json"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "invalid_input");
    assert_eq!(refused.details["field"], "updateEndpoint");
    assert_eq!(refused.details["reason"], "https_required");
    let garbled = f.desk.update_preferences(set("latest json")).await;
    assert_eq!(garbled.unwrap_err().details["reason"], "invalid");
    let status = f
        .desk
        .update_preferences(set(" https://mirror.example/dd/latest.json "))
        .await
        .unwrap();
    assert_eq!(
        status.update_endpoint.as_deref(),
        Some("https://mirror.example/dd/latest.json")
    );
    assert_eq!(
        f.desk.update_endpoint().as_deref(),
        Some("https://mirror.example/dd/latest.json")
    );
    let status = f.desk.update_preferences(set("")).await.unwrap();
    assert_eq!(status.update_endpoint, None);
}

#[tokio::test]
async fn no_update_installs_while_a_payment_is_sent_and_nothing_is_sent_while_one_installs() {
    let f = fixture().await;
    f.gw.add_fault(Fault::new(Endpoint::Payment, FaultKind::Delay { ms: 400 }).times(1));
    let attempt_during_payment = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        f.desk.hold_sends_for_update().map(|_| ()).unwrap_err()
    };
    let (paid, refused) = tokio::join!(
        f.desk.pay_with(payment("DD-U-1", "25", APPROVE), no_3d),
        attempt_during_payment
    );
    approved(paid.unwrap());
    assert_eq!(refused.code, "update_after_operation");

    let hold = f.desk.hold_sends_for_update().unwrap();
    let sent_before = f.gw.request_count(Endpoint::Payment);
    let refused = f
        .desk
        .pay_with(payment("DD-U-2", "25", APPROVE), no_3d)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "updating");
    assert_eq!(
        f.gw.request_count(Endpoint::Payment),
        sent_before,
        "nothing sent"
    );
    drop(hold);
    approved(
        f.desk
            .pay_with(payment("DD-U-2", "25", APPROVE), no_3d)
            .await
            .unwrap(),
    );
}
