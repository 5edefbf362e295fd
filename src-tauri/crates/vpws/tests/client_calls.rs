//! Every client call against a real demo gateway over loopback HTTP: success and error paths.

use rust_decimal_macros::dec;
use test_kit::*;
use vpws::{CancelRequest, Error, RefundRequest, ReversalKey, TransactionKey, TransactionStatus};
use vpws_sim::Endpoint;

#[tokio::test]
async fn authenticate_gives_a_24_hour_token_and_wrong_keys_are_rejected() {
    let gw = gateway().await;
    let info = client_for(&gw, 0).authenticate().await.unwrap();
    let hours = (info.expires_at - chrono::Utc::now()).num_minutes();
    assert!((23 * 60 + 59..=24 * 60).contains(&hours), "{hours} minutes");

    let d = &gw.data().dealers[0];
    let wrong = vpws::Client::new(
        config_for(&gw),
        vpws::Credentials::new(&d.api_key, "wrong-secret"),
    )
    .unwrap();
    let err = wrong.payment_options("TRY").await.unwrap_err();
    assert_eq!(err.code(), "credentials_rejected");
    assert!(!err.to_string().contains("wrong-secret"));
    assert_eq!(
        gw.request_count(Endpoint::PaymentOptions),
        0,
        "nothing sent without a token"
    );
}

#[tokio::test]
async fn an_unreachable_gateway_is_a_connect_error() {
    let gw = gateway().await;
    let url = gw.base_url();
    gw.shutdown().await;
    let config = vpws::ClientConfig::new(&url).unwrap();
    let client = vpws::Client::new(config, vpws::Credentials::new("k", "s")).unwrap();
    let err = client.payment_options("TRY").await.unwrap_err();
    assert_eq!(err.code(), "connect");
    assert!(!err.outcome_uncertain(), "nothing was sent");
}

#[tokio::test]
async fn pos_list_with_exact_rates() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let list = client.payment_options("TRY").await.unwrap();
    assert_eq!(list.len(), 6);
    let ykb = list.iter().find(|p| p.is_default_pos).unwrap();
    assert_eq!(ykb.tenant_pos_id.as_deref(), Some(YKB_WORLD_POS));
    assert_eq!(ykb.name, "Yapı Kredi World");
    assert_eq!(ykb.comm_rates.len(), 12);
    assert_eq!(ykb.comm_rates[0].process_comm_rate.to_string(), "1.7900");
    assert_eq!(ykb.comm_rates[2].plus_installment, 2);
    assert_eq!(client.payment_options("USD").await.unwrap().len(), 1);
    assert!(client.payment_options("GBP").await.unwrap().is_empty());
    assert_eq!(
        client.payment_options("tl").await.unwrap_err().code(),
        "invalid_input"
    );
}

#[tokio::test]
async fn pos_by_bin() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let options = client
        .payment_options_by_bin("415565", "TRY", Some(dec!(1500)))
        .await
        .unwrap();
    assert_eq!(options.poses.len(), 1);
    assert_eq!(
        options.poses[0].tenant_pos_id.as_deref(),
        Some(YKB_WORLD_POS)
    );
    let small = client
        .payment_options_by_bin("415565", "TRY", Some(dec!(50)))
        .await
        .unwrap();
    assert_eq!(small.poses[0].comm_rates.len(), 1);
    let unknown = client
        .payment_options_by_bin("402277", "TRY", None)
        .await
        .unwrap_err();
    assert_eq!(unknown.gateway_code(), Some("P018"));
    let bad = client
        .payment_options_by_bin("41556", "TRY", None)
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_input");
    assert_eq!(
        gw.request_count(Endpoint::PaymentOptionsByBin),
        3,
        "the bad BIN was never sent"
    );
}

#[tokio::test]
async fn non_3d_payment_then_query_by_each_key() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let result = client
        .pay(&payment(dec!(1234.56), APPROVE, Some("ORD-A1")))
        .await
        .unwrap();
    assert_eq!(result.status, TransactionStatus::SUCCESS);
    assert!(!result.needs_3d());
    let reference = result.reference_code.clone().unwrap();
    let id = result.transaction_id.clone().unwrap();
    for key in [
        TransactionKey::ReferenceCode(reference.clone()),
        TransactionKey::TransactionId(id.clone()),
        TransactionKey::ClientReference("ORD-A1".into()),
    ] {
        let tx = client.transaction(&key).await.unwrap();
        assert_eq!(tx.reference_number, reference, "{key:?}");
        assert_eq!(tx.id, id);
        assert_eq!(tx.last_amount, dec!(1234.56));
        assert_eq!(tx.last_amount.to_string(), "1234.56");
        assert_eq!(tx.amount, Some(dec!(1234.56)));
        assert_eq!(tx.masked_card_number.as_deref(), Some("415565******6111"));
        assert_eq!(tx.transaction_status_id, TransactionStatus::SUCCESS);
        let age = chrono::Utc::now() - tx.transaction_date.unwrap().utc();
        assert!(
            age.num_seconds().abs() < 60,
            "Istanbul local date read back as the right instant"
        );
    }
}

#[tokio::test]
async fn a_declined_payment_is_a_gateway_error_with_its_reference() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    match client
        .pay(&payment(dec!(99), DECLINE, Some("ORD-D1")))
        .await
        .unwrap_err()
    {
        Error::Gateway(g) => {
            assert_eq!(g.code, "P011");
            assert_eq!(g.transaction_status, Some(TransactionStatus::FAILED));
            let tx = client
                .transaction(&TransactionKey::ReferenceCode(g.reference_code.unwrap()))
                .await
                .unwrap();
            assert_eq!(tx.transaction_status_id, TransactionStatus::FAILED);
            assert_eq!(tx.last_amount, dec!(0));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn invalid_payments_are_stopped_before_sending() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let mut bad_luhn = payment(dec!(10), "4155650100416112", None);
    assert_eq!(
        client.pay(&bad_luhn).await.unwrap_err().code(),
        "invalid_input"
    );
    bad_luhn.card.card_number = APPROVE.to_owned().into();
    bad_luhn.card.exp_year = 2020;
    assert_eq!(
        client.pay(&bad_luhn).await.unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        client
            .pay(&payment(dec!(10.001), APPROVE, None))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    let mut no_return = payment_3d(dec!(10), APPROVE, "ORD-X");
    no_return.return_url = None;
    let err = client.pay(&no_return).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: vpws::Field::ReturnUrl,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(gw.request_count(Endpoint::Payment), 0);
}

#[tokio::test]
async fn gateway_validation_errors_come_back_coded() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let mut installments = payment(dec!(1000), DECLINE, None);
    installments.installment = 3;
    let err = client.pay(&installments).await.unwrap_err();
    assert_eq!(
        (err.code(), err.gateway_code()),
        ("validation", Some("P006"))
    );
    let mut foreign_pos = payment(dec!(10), APPROVE, None);
    foreign_pos.tenant_pos_id = gw.data().dealers[1].pos[0].tenant_pos_id.clone();
    assert_eq!(
        client.pay(&foreign_pos).await.unwrap_err().code(),
        "forbidden"
    );
    let duplicate = payment(dec!(10), APPROVE, Some("ORD-DUP"));
    client.pay(&duplicate).await.unwrap();
    assert_eq!(client.pay(&duplicate).await.unwrap_err().code(), "conflict");
}

#[tokio::test]
async fn three_d_payment_is_pending_until_the_acs_step_then_queried() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let started = client
        .pay(&payment_3d(dec!(450.00), CHALLENGE, "ORD-3D-1"))
        .await
        .unwrap();
    assert!(started.needs_3d());
    assert_eq!(started.status, TransactionStatus::PENDING);
    let key = TransactionKey::ClientReference("ORD-3D-1".into());
    assert_eq!(
        client
            .transaction(&key)
            .await
            .unwrap()
            .transaction_status_id,
        TransactionStatus::PENDING
    );
    let back = play_3d_page(
        started.redirect_url.as_deref().unwrap(),
        Cardholder::Types(RIGHT_OTP),
    )
    .await
    .unwrap();
    assert!(back.contains(RETURN_URL));
    let settled = client.transaction(&key).await.unwrap();
    assert_eq!(settled.transaction_status_id, TransactionStatus::SUCCESS);
    assert_eq!(settled.last_amount, dec!(450));

    let wrong = client
        .pay(&payment_3d(dec!(10), CHALLENGE, "ORD-3D-2"))
        .await
        .unwrap();
    play_3d_page(
        wrong.redirect_url.as_deref().unwrap(),
        Cardholder::Types(WRONG_OTP),
    )
    .await
    .unwrap();
    let failed = client
        .transaction(&TransactionKey::ClientReference("ORD-3D-2".into()))
        .await
        .unwrap();
    assert_eq!(failed.transaction_status_id, TransactionStatus::FAILED);

    let frictionless = client
        .pay(&payment_3d(dec!(10), FRICTIONLESS, "ORD-3D-3"))
        .await
        .unwrap();
    play_3d_page(
        frictionless.redirect_url.as_deref().unwrap(),
        Cardholder::Frictionless,
    )
    .await
    .unwrap();
    let ok = client
        .transaction(&TransactionKey::ClientReference("ORD-3D-3".into()))
        .await
        .unwrap();
    assert_eq!(ok.transaction_status_id, TransactionStatus::SUCCESS);
}

#[tokio::test]
async fn partial_refunds_over_refund_and_full_refund() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let paid = client
        .pay(&payment(dec!(250.00), APPROVE, None))
        .await
        .unwrap();
    let reference = paid.reference_code.unwrap();
    let refund = |amount| RefundRequest {
        key: ReversalKey::ReferenceCode(reference.clone()),
        amount,
        reason: Some("İade; \"kısmi\"".into()),
    };
    let first = client.refund(&refund(Some(dec!(15)))).await.unwrap();
    assert_eq!(first.last_amount, Some(dec!(235.00)));
    assert_eq!(
        first.transaction_status_id,
        Some(TransactionStatus::PARTIALLY_REFUNDED)
    );
    let second = client.refund(&refund(Some(dec!(0.01)))).await.unwrap();
    assert_eq!(second.last_amount.unwrap().to_string(), "234.99");
    let over = client
        .refund(&refund(Some(dec!(234.991).round_dp(2) + dec!(0.01))))
        .await
        .unwrap_err();
    assert_eq!(over.gateway_code(), Some("P015"));
    assert!(!over.outcome_uncertain());
    let rest = client.refund(&refund(None)).await.unwrap();
    assert_eq!(rest.last_amount, Some(dec!(0)));
    let tx = client
        .transaction(&TransactionKey::ReferenceCode(reference.clone()))
        .await
        .unwrap();
    assert_eq!(tx.last_amount, dec!(0));
    assert_eq!(
        client
            .refund(&refund(Some(dec!(1))))
            .await
            .unwrap_err()
            .gateway_code(),
        Some("P015")
    );
    assert_eq!(
        client
            .refund(&refund(Some(dec!(0))))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}

#[tokio::test]
async fn cancel_then_no_refund_and_repeat_is_idempotent() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    let paid = client
        .pay(&payment(dec!(75.5), APPROVE, None))
        .await
        .unwrap();
    let reference = paid.reference_code.unwrap();
    let cancel = CancelRequest {
        key: ReversalKey::ReferenceCode(reference.clone()),
        reason: Some("müşteri vazgeçti".into()),
    };
    let done = client.cancel(&cancel).await.unwrap();
    assert!(done.is_success);
    assert_eq!(done.last_amount, Some(dec!(0)));
    assert!(client.cancel(&cancel).await.unwrap().is_success);
    let refund = RefundRequest {
        key: ReversalKey::ReferenceCode(reference),
        amount: None,
        reason: None,
    };
    assert_eq!(
        client.refund(&refund).await.unwrap_err().gateway_code(),
        Some("P014")
    );
    let seeded = "NTH2P00000002974".to_owned();
    client
        .refund(&RefundRequest {
            key: ReversalKey::ReferenceCode(seeded.clone()),
            amount: Some(dec!(1)),
            reason: None,
        })
        .await
        .unwrap();
    let refused = client
        .cancel(&CancelRequest {
            key: ReversalKey::ReferenceCode(seeded),
            reason: None,
        })
        .await
        .unwrap_err();
    assert_eq!(
        refused.gateway_code(),
        Some("P013"),
        "no cancel once refunded"
    );
}

#[tokio::test]
async fn dealers_are_isolated() {
    let gw = gateway().await;
    let anadolu = client_for(&gw, 0);
    let ege = client_for(&gw, 1);
    let paid = anadolu
        .pay(&payment(dec!(10), APPROVE, Some("ORD-ISO")))
        .await
        .unwrap();
    let reference = paid.reference_code.unwrap();
    let key = TransactionKey::ReferenceCode(reference.clone());
    assert_eq!(ege.transaction(&key).await.unwrap_err().code(), "not_found");
    assert_eq!(
        ege.transaction(&TransactionKey::ClientReference("ORD-ISO".into()))
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
    let refund = RefundRequest {
        key: ReversalKey::ReferenceCode(reference.clone()),
        amount: None,
        reason: None,
    };
    assert_eq!(ege.refund(&refund).await.unwrap_err().code(), "forbidden");
    assert_eq!(
        ege.cancel(&CancelRequest {
            key: ReversalKey::ReferenceCode(reference),
            reason: None
        })
        .await
        .unwrap_err()
        .code(),
        "forbidden"
    );
    let ege_list = ege.payment_options("TRY").await.unwrap();
    assert!(ege_list
        .iter()
        .all(|p| p.tenant_pos_id.as_deref() != Some(YKB_WORLD_POS)));
    assert_eq!(
        anadolu
            .transaction(&TransactionKey::ReferenceCode("NTH2P99999999999".into()))
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn business_failures_as_table_statuses_are_understood_too() {
    let gw = gateway_with(vpws_sim::SimConfig {
        business_failures: vpws_sim::config::BusinessFailureStatus::StatusTable,
        ..Default::default()
    })
    .await;
    let client = client_for(&gw, 0);
    let paid = client.pay(&payment(dec!(10), APPROVE, None)).await.unwrap();
    let refund = RefundRequest {
        key: ReversalKey::ReferenceCode(paid.reference_code.unwrap()),
        amount: Some(dec!(11)),
        reason: None,
    };
    assert_eq!(
        client.refund(&refund).await.unwrap_err().gateway_code(),
        Some("P015")
    );
    assert_eq!(
        client
            .pay(&payment(dec!(10), DECLINE, None))
            .await
            .unwrap_err()
            .gateway_code(),
        Some("P011")
    );
}

#[tokio::test]
async fn debug_of_a_client_shows_no_secret() {
    let gw = gateway().await;
    let client = client_for(&gw, 0);
    client.authenticate().await.unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains(&gw.data().dealers[0].secret_key), "{text}");
}
