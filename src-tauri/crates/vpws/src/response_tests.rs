//! Every example body in Finrota's documentation, parsed exactly.

use std::time::Duration;

use rust_decimal_macros::dec;

use super::*;
use crate::model::{BinOptions, PosOption, Transaction, TransactionStatus};

fn raw(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn seed_002_partial_refund_success() {
    let body = r#"{
        "message": null, "statusCode": 200, "exceptions": null,
        "data": { "lastAmount": 235.00, "transactionStatusId": 6, "errorCode": null,
                  "errorMessage": null, "isSuccess": true },
        "oldData": null, "errors": null }"#;
    let result = operation(&raw(200, body), "P014").unwrap();
    assert!(result.is_success);
    assert_eq!(result.last_amount.unwrap().to_string(), "235.00");
    assert_eq!(
        result.transaction_status_id,
        Some(TransactionStatus::PARTIALLY_REFUNDED)
    );
}

#[test]
fn cancel_success_example() {
    let body = r#"{ "message": "", "statusCode": 200, "exceptions": null,
        "data": { "lastAmount": 0.0, "transactionStatusId": 1, "errorCode": null,
                  "isSuccess": true, "errorMessage": null },
        "oldData": null, "errors": null }"#;
    let result = operation(&raw(200, body), "P013").unwrap();
    assert_eq!(result.last_amount, Some(dec!(0.0)));
    assert_eq!(
        result.transaction_status_id,
        Some(TransactionStatus::SUCCESS)
    );
}

#[test]
fn pws_full_refund_example_keeps_three_decimals() {
    let body = r#"{"message":null,"statusCode":200,"exceptions":null,
        "data":{"lastAmount":0.000,"transactionStatusId":1,"errorCode":null,"errorMessage":null,"isSuccess":true},
        "oldData":null,"errors":null}"#;
    let result = operation(&raw(200, body), "P014").unwrap();
    assert_eq!(result.last_amount.unwrap().to_string(), "0.000");
}

#[test]
fn documented_error_envelope_is_a_validation_error() {
    let body = r#"{"message":"Description","statusCode":400,"exceptions":null,"data":null,"oldData":null,"errors":[{"code":"P001","message":"Invalid request parameter"}]}"#;
    let err = error_from(&raw(400, body));
    assert_eq!(err.code(), "validation");
    assert_eq!(err.gateway_code(), Some("P001"));
    assert!(err.to_string().contains("Invalid request parameter"));
}

#[test]
fn a_200_with_is_success_false_is_an_error_with_its_code() {
    let body = r#"{"message":"","statusCode":200,"exceptions":null,
        "data":{"lastAmount":250.00,"transactionStatusId":6,"errorCode":"P015","errorMessage":"Partial refund limit exceeded","isSuccess":false},
        "oldData":null,"errors":[{"code":"P015","message":"Partial refund limit exceeded"}]}"#;
    let err = operation(&raw(200, body), "P014").unwrap_err();
    assert_eq!(err.code(), "gateway");
    assert_eq!(err.gateway_code(), Some("P015"));
    assert!(!err.outcome_uncertain());
}

#[test]
fn a_failure_without_any_code_takes_the_operation_default() {
    let body = r#"{"statusCode":200,"data":{"isSuccess":false}}"#;
    assert_eq!(
        operation(&raw(200, body), "P013")
            .unwrap_err()
            .gateway_code(),
        Some("P013")
    );
}

#[test]
fn codes_map_to_stable_kinds() {
    let cases = [
        ("P002", 401, "unauthorized"),
        ("P003", 403, "forbidden"),
        ("P004", 404, "not_found"),
        ("P005", 409, "conflict"),
        ("P006", 422, "validation"),
        ("P009", 503, "gateway"),
    ];
    for (code, status, kind) in cases {
        let body = format!(
            r#"{{"message":"x","statusCode":{status},"data":null,"errors":[{{"code":"{code}","message":"m"}}]}}"#
        );
        assert_eq!(error_from(&raw(status, &body)).code(), kind, "{code}");
    }
}

#[test]
fn status_alone_gives_the_documented_code_and_600s_are_understood() {
    assert_eq!(error_from(&raw(504, "")).gateway_code(), Some("P010"));
    assert!(error_from(&raw(504, "")).outcome_uncertain());
    assert_eq!(error_from(&raw(604, "{}")).gateway_code(), Some("P015"));
    let odd = error_from(&raw(502, "<html>Bad gateway</html>"));
    assert_eq!(odd.code(), "unexpected_response");
    assert!(odd.outcome_uncertain());
}

#[test]
fn rate_limit_carries_retry_after() {
    let mut r = raw(429, "");
    r.retry_after = Some(Duration::from_secs(7));
    match error_from(&r) {
        crate::Error::RateLimited { retry_after } => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn token_answer_example() {
    let body = r#"{"expiry":"2025-09-18T09:07:17.6884225Z","token":"eyJhbGciOiJSUzI1NiJ9.e30.sig","type":"Bearer"}"#;
    let answer: crate::auth::TokenAnswer = serde_json::from_str(body).unwrap();
    assert_eq!(answer.token, "eyJhbGciOiJSUzI1NiJ9.e30.sig");
    assert_eq!(answer.token_type.as_deref(), Some("Bearer"));
    assert_eq!(
        answer.expiry.unwrap().utc().to_rfc3339(),
        "2025-09-18T09:07:17.688422500+00:00"
    );
}

const POS_EXAMPLE: &str = r##"{
    "name": "IyzicoWorld ", "colorCode": "#701f7e",
    "logo": { "id": "7d6c2bb4-0c3e-4b53-9d42-0b1f8c4f2a10", "colorCode": "#701f7e", "isDefault": true,
              "logoSmall": "~/Content/themes/base/images/apilogo/yapikredi/world.png",
              "logoMedium": null, "logoBig": null, "installmentCellColor": "#f3e6f5" },
    "commRates": [
        { "installment": 1, "commApplyTypeId": 10, "processCommRate": 0.0000, "plusInstallment": 0 },
        { "installment": 3, "commApplyTypeId": 10, "processCommRate": 1.0600, "plusInstallment": 0 }
    ],
    "isVisibleCommRate": true, "isDefaultPos": true, "posTypeId": 1, "partnerId": 0,
    "someFutureField": {"nested": [1, 2]}
}"##;

#[test]
fn pos_list_example_with_unknown_fields() {
    let body = format!("[{POS_EXAMPLE}]");
    let list: Vec<PosOption> = bare_or_enveloped(&raw(200, &body)).unwrap();
    let pos = &list[0];
    assert_eq!(pos.name, "IyzicoWorld", "trailing space trimmed");
    assert_eq!(pos.color_code.as_deref(), Some("#701f7e"));
    assert_eq!(pos.comm_rates[1].process_comm_rate.to_string(), "1.0600");
    assert_eq!(pos.comm_rates[1].comm_apply_type_id, Some(10));
    assert!(pos.is_default_pos && pos.is_visible_comm_rate);
    assert_eq!(
        pos.tenant_pos_id, None,
        "documented VPWS POS object has no tenantPosId"
    );
    assert_eq!(
        pos.logo.as_ref().unwrap().logo_small.as_deref(),
        Some("~/Content/themes/base/images/apilogo/yapikredi/world.png")
    );
}

#[test]
fn an_empty_pos_list_is_fine() {
    let list: Vec<PosOption> = bare_or_enveloped(&raw(200, "[]")).unwrap();
    assert!(list.is_empty());
}

#[test]
fn pos_list_inside_an_envelope_is_unwrapped() {
    let body =
        format!(r#"{{"message":null,"statusCode":200,"data":[{POS_EXAMPLE}],"errors":null}}"#);
    let list: Vec<PosOption> = bare_or_enveloped(&raw(200, &body)).unwrap();
    assert_eq!(list.len(), 1);
}

#[test]
fn bin_answer_as_plain_array_or_pws_object() {
    let wrap = |poses| BinOptions {
        poses,
        ..BinOptions::default()
    };
    let array = format!("[{POS_EXAMPLE}]");
    let from_array: BinOptions = array_or_object(&raw(200, &array), wrap).unwrap();
    assert_eq!(from_array.poses.len(), 1);
    assert_eq!(from_array.three_d_limit, None);

    let object = r#"{"commApplyTypeId":10,"installmentLowerLimit":100.00,"threeDLimit":5000.00,
        "generalInstallmentLimit":null,"cardBrand":"Visa","poses":[{"paymentSetPosId":"5e0b8f4e-1b1e-4a53-8d3c-2b7c0f1a9e11",
        "tenantPosId":"384badef-11ec-ee11-98f2-005056b0d2e5","vPosApiId":3,"threeDStatus":1,"isCvvUse":true,
        "isDefaultPos":false,"name":"Yapı Kredi World","commRates":[{"installment":1,"processCommRate":1.79}],
        "posCurrencyDefinitionId":"0b7a1c77-6d1e-4b7e-9a2b-1a6e0f0c1d22","creditCardTypeId":1,
        "creditCardProgramId":4,"isBusinessCard":false,"nonBinPos":false}]}"#;
    let from_object: BinOptions = array_or_object(&raw(200, object), wrap).unwrap();
    assert_eq!(from_object.three_d_limit, Some(dec!(5000.00)));
    assert_eq!(from_object.comm_apply_type_id, Some(10));
    assert_eq!(from_object.card_brand.as_deref(), Some("Visa"));
    assert_eq!(from_array.card_brand, None);
    assert_eq!(
        from_object.installment_lower_limit.unwrap().to_string(),
        "100.00"
    );
    let pos = &from_object.poses[0];
    assert_eq!(
        pos.tenant_pos_id.as_deref(),
        Some("384badef-11ec-ee11-98f2-005056b0d2e5")
    );
    assert_eq!(pos.credit_card_program_id, Some(4));
    assert_eq!(pos.three_d_status, Some(1));
}

#[test]
fn unknown_bin_error_envelope() {
    let body = r#"{"message":"BIN undefined","statusCode":607,"data":null,"errors":[{"code":"P018","message":"BIN undefined"}]}"#;
    let err = array_or_object::<PosOption, BinOptions>(&raw(200, body), |p| BinOptions {
        poses: p,
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(err.gateway_code(), Some("P018"));
}

/// The transaction query example, rebuilt from the documented fields and example values.
const TRANSACTION_EXAMPLE: &str = r#"{
    "clientReferenceNumber": "ORDER123",
    "referenceNumber": "NTH2P00000003086",
    "tenantId": "670683c1-2fe0-4846-87b2-6cba9b793ab2",
    "tenantPosId": "384badef-11ec-ee11-98f2-005056b0d2e5",
    "commRate": 1.0000,
    "currencyType": "TRY",
    "transactionDate": "2025-10-24T17:23:51.5461093",
    "installment": 1,
    "lastAmount": 1500.500,
    "lastNetAmount": 1485.495,
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "transactionStatusId": 1,
    "paidTenantId": null,
    "agent": {"agentId": "c7d1f1f4-2f5e-4a3e-9d2b-6d2f1b0e4c11", "agentCode": "NT53240185"},
    "vposCommRate": 1.0
}"#;

#[test]
fn seed_004_transaction_query_returns_the_bare_object() {
    let tx: Transaction = bare_or_enveloped(&raw(200, TRANSACTION_EXAMPLE)).unwrap();
    assert_eq!(tx.reference_number, "NTH2P00000003086");
    assert_eq!(tx.client_reference_number.as_deref(), Some("ORDER123"));
    assert_eq!(tx.id, "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(tx.transaction_status_id, TransactionStatus::SUCCESS);
    assert_eq!(tx.last_amount.to_string(), "1500.500");
    assert_eq!(tx.last_net_amount, Some(dec!(1485.495)));
    assert_eq!(tx.comm_rate.unwrap().to_string(), "1.0000");
    assert_eq!(tx.installment, Some(1));
    assert_eq!(tx.paid_tenant_id, None);
    let date = tx.transaction_date.unwrap();
    assert_eq!(
        date.istanbul().format("%Y-%m-%d %H:%M:%S").to_string(),
        "2025-10-24 17:23:51"
    );
}

#[test]
fn masked_card_is_read_under_its_likely_names() {
    for name in ["maskedCardNumber", "cardNumber", "maskedPan"] {
        let body = format!(
            r#"{{"referenceNumber":"NTH2P1","lastAmount":1,"transactionStatusId":1,"{name}":"415565******6111"}}"#
        );
        let tx: Transaction = bare_or_enveloped(&raw(200, &body)).unwrap();
        assert_eq!(
            tx.masked_card_number.as_deref(),
            Some("415565******6111"),
            "{name}"
        );
    }
}

#[test]
fn transaction_not_found_envelope() {
    let body = r#"{"message":"Transaction not found","statusCode":404,"exceptions":null,"data":null,"oldData":null,"errors":[{"code":"P004","message":"Transaction not found"}]}"#;
    assert_eq!(
        bare_or_enveloped::<Transaction>(&raw(404, body))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn seed_001_b2c_redirect_answer_means_3d_pending() {
    let body =
        r#"{"paymentType": "RedirectUrl", "redirectTo": "https://bank-3d-url", "success": false}"#;
    let result = payment(&raw(200, body)).unwrap();
    assert!(result.needs_3d());
    assert_eq!(result.redirect_url.as_deref(), Some("https://bank-3d-url"));
    assert_eq!(result.status, TransactionStatus::PENDING);
}

#[test]
fn seed_001_b2c_direct_sale_answers() {
    let ok = payment(&raw(
        200,
        r#"{"paymentType": "DirectSale", "success": true, "orderId": "42"}"#,
    ))
    .unwrap();
    assert_eq!(
        (ok.status, ok.transaction_id.as_deref()),
        (TransactionStatus::SUCCESS, Some("42"))
    );
    let declined = payment(&raw(
        200,
        r#"{"paymentType":"DirectSale","success":false,"error":"Insufficient funds"}"#,
    ))
    .unwrap_err();
    assert_eq!(declined.gateway_code(), Some("P011"));
    assert!(declined.to_string().contains("Insufficient funds"));
}

#[test]
fn enveloped_payment_answers() {
    let three_d = r#"{"message":"","statusCode":200,"data":{"isSuccess":true,"transactionStatusId":3,
        "referenceNumber":"NTH2P00000003101","transactionId":"9b1f","clientReferenceNumber":"ORD-1",
        "redirectUrl":"http://127.0.0.1:9/acs/9b1f"},"errors":null}"#;
    let r = payment(&raw(200, three_d)).unwrap();
    assert!(r.needs_3d());
    assert_eq!(r.reference_code.as_deref(), Some("NTH2P00000003101"));
    assert_eq!(r.client_reference.as_deref(), Some("ORD-1"));

    let declined = r#"{"message":"Payment failed","statusCode":200,"data":{"isSuccess":false,"transactionStatusId":2,
        "referenceNumber":"NTH2P00000003102","errorCode":"P011","errorMessage":"Declined by issuer"},
        "errors":[{"code":"P011","message":"Declined by issuer"}]}"#;
    match payment(&raw(200, declined)).unwrap_err() {
        crate::Error::Gateway(g) => {
            assert_eq!(g.code, "P011");
            assert_eq!(g.reference_code.as_deref(), Some("NTH2P00000003102"));
            assert_eq!(g.transaction_status, Some(TransactionStatus::FAILED));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_success_body_is_an_uncertain_unexpected_response() {
    let err = payment(&raw(200, "{\"data\": {\"isSucc")).unwrap_err();
    assert_eq!(err.code(), "unexpected_response");
    assert!(err.outcome_uncertain());
}
