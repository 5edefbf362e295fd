//! What the last card's BIN answer said its payments must respect — 3D Secure required or not
//! allowed, above which amount 3D is required, whether the CVV is asked for, below which amount
//! only a single payment is taken. The window shows the same, but a payment is checked here
//! before anything is sent, whatever the window did.

use std::sync::Mutex;

use rust_decimal::Decimal;

use crate::dto::{BinOptionsView, ThreeDRule};
use crate::error::{AppError, AppResult, Field, Reason};
use crate::money::format_amount;

/// The rules of the card whose BIN was looked up last (only its first six digits are kept).
#[derive(Default)]
pub(crate) struct CardRulesSeen(Mutex<Option<CardSeen>>);

struct CardSeen {
    profile: String,
    currency: String,
    bin: String,
    options: BinOptionsView,
}

/// What one payment's card and POS must respect. Nothing known: the operator's choice stands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PaymentRules {
    pub three_d: ThreeDRule,
    pub cvv_used: bool,
    pub three_d_limit: Option<Decimal>,
    pub installment_lower_limit: Option<Decimal>,
}

impl Default for PaymentRules {
    fn default() -> Self {
        Self {
            three_d: ThreeDRule::Optional,
            cvv_used: true,
            three_d_limit: None,
            installment_lower_limit: None,
        }
    }
}

/// The first six digits of a card number as typed (spaces and dashes skipped).
fn bin_of(card_number: &str) -> String {
    card_number
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect()
}

impl CardRulesSeen {
    pub(crate) fn keep(&self, profile: &str, currency: &str, bin: &str, options: &BinOptionsView) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(CardSeen {
            profile: profile.to_owned(),
            currency: currency.to_owned(),
            bin: bin_of(bin),
            options: options.clone(),
        });
    }

    /// The rules for a payment with this card on this POS, when its BIN is the one looked up
    /// last for this profile and currency.
    pub(crate) fn for_payment(
        &self,
        profile: &str,
        currency: &str,
        card_number: &str,
        pos: &str,
    ) -> PaymentRules {
        let seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let Some(card) = seen.as_ref().filter(|c| {
            c.profile == profile && c.currency == currency && c.bin == bin_of(card_number)
        }) else {
            return PaymentRules::default();
        };
        let on_pos = card.options.poses.iter().find(|p| p.tenant_pos_id == pos);
        PaymentRules {
            three_d: on_pos.map_or(ThreeDRule::Optional, |p| p.three_d),
            cvv_used: on_pos.is_none_or(|p| p.cvv_used),
            three_d_limit: card.options.three_d_limit.map(|m| m.value()),
            installment_lower_limit: card.options.installment_lower_limit.map(|m| m.value()),
        }
    }
}

impl PaymentRules {
    /// Refuses, naming the field, a payment the card's rules do not allow.
    pub(crate) fn check(&self, amount: Decimal, installment: u32, use_3d: bool) -> AppResult<()> {
        match self.three_d {
            ThreeDRule::Required if !use_3d => {
                return Err(AppError::field(Field::ThreeD, Reason::ThreeDRequired))
            }
            ThreeDRule::NotAllowed if use_3d => {
                return Err(AppError::field(Field::ThreeD, Reason::ThreeDNotAllowed))
            }
            _ => {}
        }
        if let Some(limit) = self.three_d_limit {
            if amount > limit && !use_3d {
                return Err(AppError::field(Field::ThreeD, Reason::ThreeDRequired)
                    .with("limit", format_amount(limit)));
            }
        }
        if let Some(limit) = self.installment_lower_limit {
            if amount < limit && installment > 1 {
                return Err(
                    AppError::field(Field::Installment, Reason::BelowInstallmentLimit)
                        .with("limit", format_amount(limit)),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::PosView;
    use rust_decimal_macros::dec;

    fn pos(id: &str, three_d: ThreeDRule, cvv_used: bool) -> PosView {
        PosView {
            tenant_pos_id: id.into(),
            name: id.into(),
            color: "#000".into(),
            is_default: false,
            show_commission: true,
            installments: Vec::new(),
            three_d,
            cvv_used,
        }
    }

    fn seen() -> CardRulesSeen {
        let seen = CardRulesSeen::default();
        let options = BinOptionsView {
            poses: vec![
                pos("axess", ThreeDRule::Required, true),
                pos("bonus", ThreeDRule::NotAllowed, false),
            ],
            three_d_limit: Some(dec!(2000).into()),
            card_known: true,
            installment_lower_limit: Some(dec!(100).into()),
            comm_apply_type: None,
            brand: None,
        };
        seen.keep("demo", "TRY", "454360", &options);
        seen
    }

    #[test]
    fn a_payment_keeps_to_the_rules_of_its_card_and_pos() {
        let seen = seen();
        let axess = seen.for_payment("demo", "TRY", "4543 6000 0000 0003", "axess");
        let refused = axess.check(dec!(50), 1, false).unwrap_err();
        assert_eq!(refused.details["reason"], "three_d_required");
        assert!(axess.check(dec!(50), 1, true).is_ok());

        let bonus = seen.for_payment("demo", "TRY", "4543600000000003", "bonus");
        assert!(!bonus.cvv_used);
        let refused = bonus.check(dec!(50), 1, true).unwrap_err();
        assert_eq!(refused.details["reason"], "three_d_not_allowed");
        let above = bonus.check(dec!(2000.01), 1, false).unwrap_err();
        assert_eq!(
            (
                above.details["reason"].as_str(),
                above.details["limit"].as_str()
            ),
            ("three_d_required", "2000.00")
        );
        let few = bonus.check(dec!(99.99), 3, false).unwrap_err();
        assert_eq!(
            (
                few.details["field"].as_str(),
                few.details["reason"].as_str()
            ),
            ("installment", "below_installment_limit")
        );
        assert!(bonus.check(dec!(100), 3, false).is_ok());
    }

    #[test]
    fn another_card_profile_or_currency_has_no_rules_from_this_one() {
        let seen = seen();
        for (profile, currency, card) in [
            ("demo", "TRY", "4155650100416111"),
            ("other", "TRY", "4543600000000003"),
            ("demo", "USD", "4543600000000003"),
        ] {
            assert_eq!(
                seen.for_payment(profile, currency, card, "axess"),
                PaymentRules::default(),
                "{profile} {currency} {card}"
            );
        }
    }
}
