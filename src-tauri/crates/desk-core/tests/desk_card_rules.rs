//! What a card's BIN answer says, honoured: 3D Secure required or not allowed, 3D above an
//! amount, no CVV, installments from an amount up — refused by the desk before anything is
//! sent, whatever the window did — and the card's brand.
mod common;

use common::*;
use desk_core::dto::{BinInput, BinOptionsView, CardBrand, PaymentInput, ThreeDRule};
use vpws_sim::Endpoint;

const THREE_D_ONLY: &str = "4543600000000003";
const NO_3D_NO_CVV: &str = "5218240000000009";
const THREE_D_ABOVE_2000: &str = "9792100000000001";
const AMEX: &str = "374427000000003";

async fn looked_up(f: &Fixture, card: &str) -> BinOptionsView {
    f.desk
        .bin_options(BinInput {
            bin: card[..6].into(),
            currency: "TRY".into(),
            amount: None,
        })
        .await
        .unwrap()
}

/// Paid on the first POS the card's lookup offered.
fn on_its_pos(options: &BinOptionsView, input: PaymentInput) -> PaymentInput {
    PaymentInput {
        email_customer: None,
        tenant_pos_id: options.poses[0].tenant_pos_id.clone(),
        ..input
    }
}

#[tokio::test]
async fn the_bin_answer_is_shown_as_the_gateway_gave_it() {
    let f = fixture().await;
    let plain = looked_up(&f, APPROVE).await;
    assert_eq!(plain.brand, Some(CardBrand::Visa), "from the first digits");
    assert!(plain
        .poses
        .iter()
        .all(|p| p.three_d == ThreeDRule::Optional && p.cvv_used));
    assert_eq!(plain.installment_lower_limit, None);

    let required = looked_up(&f, THREE_D_ONLY).await;
    assert!(required
        .poses
        .iter()
        .all(|p| p.three_d == ThreeDRule::Required));
    assert_eq!(
        required
            .installment_lower_limit
            .map(|m| m.to_string())
            .as_deref(),
        Some("100.00")
    );
    let none = looked_up(&f, NO_3D_NO_CVV).await;
    assert_eq!(none.brand, Some(CardBrand::Mastercard));
    assert!(none
        .poses
        .iter()
        .all(|p| p.three_d == ThreeDRule::NotAllowed && !p.cvv_used));
    let limited = looked_up(&f, THREE_D_ABOVE_2000).await;
    assert_eq!(
        (
            limited.brand,
            limited.three_d_limit.map(|m| m.to_string()),
            limited.comm_apply_type
        ),
        (Some(CardBrand::Troy), Some("2000.00".into()), Some(20))
    );
    assert_eq!(looked_up(&f, AMEX).await.brand, Some(CardBrand::Amex));
}

#[tokio::test]
async fn a_payment_against_the_cards_rules_is_refused_before_sending() {
    let f = fixture().await;
    let required = looked_up(&f, THREE_D_ONLY).await;
    let without_3d = on_its_pos(&required, payment("DD-CR-1", "50", THREE_D_ONLY));
    let refused = f.desk.pay_with(without_3d, no_3d).await.unwrap_err();
    assert_eq!(
        (
            refused.details["field"].as_str(),
            refused.details["reason"].as_str()
        ),
        ("threeD", "three_d_required")
    );

    let none = looked_up(&f, NO_3D_NO_CVV).await;
    let with_3d = on_its_pos(&none, payment_3d("DD-CR-2", "50", NO_3D_NO_CVV));
    let refused = f.desk.pay_with(with_3d, no_3d).await.unwrap_err();
    assert_eq!(refused.details["reason"], "three_d_not_allowed");

    let limited = looked_up(&f, THREE_D_ABOVE_2000).await;
    let above = on_its_pos(&limited, payment("DD-CR-3", "2000.01", THREE_D_ABOVE_2000));
    let refused = f.desk.pay_with(above, no_3d).await.unwrap_err();
    assert_eq!(
        (
            refused.details["reason"].as_str(),
            refused.details["limit"].as_str()
        ),
        ("three_d_required", "2000.00")
    );
    let few = PaymentInput {
        email_customer: None,
        installment: 3,
        ..on_its_pos(&limited, payment("DD-CR-4", "99.99", THREE_D_ABOVE_2000))
    };
    let refused = f.desk.pay_with(few, no_3d).await.unwrap_err();
    assert_eq!(
        (
            refused.details["field"].as_str(),
            refused.details["reason"].as_str()
        ),
        ("installment", "below_installment_limit")
    );
    assert_eq!(f.gw.request_count(Endpoint::Payment), 0, "nothing was sent");

    let within = on_its_pos(&limited, payment("DD-CR-5", "2000.00", THREE_D_ABOVE_2000));
    approved(f.desk.pay_with(within, no_3d).await.unwrap());
}

#[tokio::test]
async fn a_card_that_does_not_use_its_cvv_is_charged_without_one() {
    let f = fixture().await;
    let without_cvv = || {
        let mut input = payment("DD-CR-6", "75", NO_3D_NO_CVV);
        input.card.cvv = "".into();
        input
    };
    let before_lookup = f.desk.pay_with(without_cvv(), no_3d).await.unwrap_err();
    assert_eq!(
        (
            before_lookup.details["field"].as_str(),
            before_lookup.details["reason"].as_str()
        ),
        ("cvv", "required"),
        "until the gateway said so, the CVV is asked for"
    );
    let none = looked_up(&f, NO_3D_NO_CVV).await;
    let paid = approved(
        f.desk
            .pay_with(on_its_pos(&none, without_cvv()), no_3d)
            .await
            .unwrap(),
    );
    assert_eq!(paid.remaining.to_string(), "75.00");

    let mut other = payment("DD-CR-7", "75", APPROVE);
    other.card.cvv = "".into();
    let refused = f.desk.pay_with(other, no_3d).await.unwrap_err();
    assert_eq!(
        refused.details["field"], "cvv",
        "another card still needs its CVV"
    );
}
