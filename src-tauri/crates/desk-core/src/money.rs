//! Amounts as the UI sends them (canonical `1234.56` strings), and the quote arithmetic.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{AppError, AppResult, Field, Reason};
use crate::model::Money;

/// Parses a canonical amount: digits, optionally `.` and one or two decimals, greater than 0.
/// The UI turns what the operator typed (`1.234,56` in Turkish) into this form.
pub fn parse_amount(field: Field, text: &str) -> AppResult<Decimal> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (!text.contains('.') || !fraction.is_empty());
    if !well_formed {
        return Err(AppError::field(field, Reason::NotANumber));
    }
    if fraction.len() > 2 {
        return Err(AppError::field(field, Reason::TooManyDecimals));
    }
    let value = Decimal::from_str(text).map_err(|_| AppError::field(field, Reason::NotANumber))?;
    if value <= Decimal::ZERO {
        return Err(AppError::field(field, Reason::MustBePositive));
    }
    if value > Decimal::from(10_000_000_000u64) {
        return Err(AppError::field(field, Reason::TooLarge));
    }
    Ok(value)
}

/// `1234.5` → `"1234.50"`.
pub fn format_amount(value: Decimal) -> String {
    Money::from(value).to_string()
}

/// An amount as the operator's language writes it, with its currency's sign: `₺1.234,56` in
/// Turkish, `₺1,234.56` in English (as the window's `formatMoney`); a currency without a sign
/// here follows its amount (`1.234,56 CHF`).
pub fn shown(value: Decimal, currency: &str, lang: crate::model::Language) -> String {
    let (group, decimal) = match lang {
        crate::model::Language::Turkish => ('.', ','),
        crate::model::Language::English => (',', '.'),
    };
    let text = Money::from(value.abs()).to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if value < Decimal::ZERO { "-" } else { "" };
    let number = format!("{grouped}{decimal}{cents}");
    match currency {
        "TRY" => format!("{sign}₺{number}"),
        "USD" => format!("{sign}${number}"),
        "EUR" => format!("{sign}€{number}"),
        "GBP" => format!("{sign}£{number}"),
        other => format!("{sign}{number} {other}"),
    }
}

/// The commission on `amount` at `rate` percent, to the cent.
pub fn commission_on(amount: Decimal, rate: Decimal) -> Decimal {
    cents(amount * rate / Decimal::ONE_HUNDRED)
}

fn cents(value: Decimal) -> Decimal {
    Money::from(value).cents()
}

/// What one installment option means for an amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// Charged to the card.
    pub total: Decimal,
    /// Each monthly installment (the first may differ by a cent: see `first_installment`).
    pub per_installment: Decimal,
    pub first_installment: Decimal,
    pub commission: Decimal,
    /// What the dealer receives.
    pub net: Decimal,
}

/// `rate` is a percentage. With `commission_to_customer` the total is grossed up so the dealer
/// nets the amount (total = amount / (1 − rate)); otherwise the customer pays the amount and
/// the commission comes off the dealer's side.
pub fn quote(
    amount: Decimal,
    rate: Decimal,
    installments: u32,
    commission_to_customer: bool,
) -> Quote {
    let fraction = rate / Decimal::ONE_HUNDRED;
    let total = if commission_to_customer && fraction < Decimal::ONE {
        cents(amount / (Decimal::ONE - fraction))
    } else {
        cents(amount)
    };
    let commission = cents(total * fraction);
    let count = Decimal::from(installments.max(1));
    let per_installment = (total / count).round_dp_with_strategy(2, RoundingStrategy::ToZero);
    let first_installment = total - per_installment * (count - Decimal::ONE);
    Quote {
        total,
        per_installment,
        first_installment,
        commission,
        net: total - commission,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_as_each_language_writes_them() {
        use crate::model::Language::{English, Turkish};
        assert_eq!(shown(dec!(1234.5), "TRY", Turkish), "₺1.234,50");
        assert_eq!(shown(dec!(1234.5), "TRY", English), "₺1,234.50");
        assert_eq!(shown(dec!(1234567.89), "USD", Turkish), "$1.234.567,89");
        assert_eq!(shown(dec!(999), "EUR", English), "€999.00");
        assert_eq!(shown(dec!(0.05), "TRY", Turkish), "₺0,05");
        assert_eq!(shown(dec!(-200), "TRY", Turkish), "-₺200,00");
        assert_eq!(shown(dec!(100000), "CHF", Turkish), "100.000,00 CHF");
    }

    #[test]
    fn canonical_amounts_only() {
        assert_eq!(
            parse_amount(Field::Amount, "1234.56").unwrap(),
            dec!(1234.56)
        );
        assert_eq!(parse_amount(Field::Amount, " 15 ").unwrap(), dec!(15));
        assert_eq!(parse_amount(Field::Amount, "0.5").unwrap(), dec!(0.5));
        for (text, reason) in [
            ("1.234,56", "not_a_number"),
            ("1,5", "not_a_number"),
            ("12.", "not_a_number"),
            (".5", "not_a_number"),
            ("-3", "not_a_number"),
            ("1e3", "not_a_number"),
            ("1.005", "too_many_decimals"),
            ("0", "must_be_positive"),
            ("0.00", "must_be_positive"),
            ("99999999999", "too_large"),
        ] {
            let e = parse_amount(Field::Amount, text).unwrap_err();
            assert_eq!(e.details["reason"], reason, "{text}");
            assert_eq!(e.details["field"], "amount");
        }
    }

    #[test]
    fn formats_two_decimals() {
        assert_eq!(format_amount(dec!(1234.5)), "1234.50");
        assert_eq!(format_amount(dec!(0.005)), "0.01");
        assert_eq!(format_amount(dec!(7)), "7.00");
    }

    #[test]
    fn dealer_pays_the_commission_by_default() {
        let q = quote(dec!(1000), dec!(4.79), 3, false);
        assert_eq!(q.total, dec!(1000.00));
        assert_eq!(q.commission, dec!(47.90));
        assert_eq!(q.net, dec!(952.10));
        assert_eq!(q.per_installment, dec!(333.33));
        assert_eq!(q.first_installment, dec!(333.34));
        assert_eq!(q.first_installment + q.per_installment * dec!(2), q.total);
    }

    #[test]
    fn commission_to_customer_grosses_up_so_the_dealer_nets_the_amount() {
        let q = quote(dec!(1000), dec!(4.79), 3, true);
        assert_eq!(q.total, dec!(1050.31));
        assert_eq!(q.commission, dec!(50.31));
        assert_eq!(q.net, dec!(1000.00));
        let single = quote(dec!(100), dec!(0), 1, true);
        assert_eq!(
            (single.total, single.net, single.per_installment),
            (dec!(100), dec!(100), dec!(100))
        );
    }
}
