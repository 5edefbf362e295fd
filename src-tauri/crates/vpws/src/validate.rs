//! Checks to run before anything is sent. Each returns [`Error::InvalidInput`] naming the field
//! and a typed [`Reason`], so a UI can point at it and say why. Card values are never echoed.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, Field, Reason, Result};

fn refused(field: Field, reason: Reason) -> Error {
    Error::InvalidInput { field, reason }
}

/// The Luhn (mod 10) check over a string of digits.
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Card number: 12–19 digits (spaces and dashes allowed in input) passing Luhn. Returns digits.
pub fn card_number(input: &str) -> Result<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(refused(Field::CardNumber, Reason::Invalid));
    }
    if !(12..=19).contains(&digits.len()) {
        return Err(refused(Field::CardNumber, Reason::Invalid));
    }
    if !luhn_ok(&digits) {
        return Err(refused(Field::CardNumber, Reason::Luhn));
    }
    Ok(digits)
}

/// Expiry month 1–12, four-digit year, not before the month of `today`.
pub fn expiry(month: u32, year: u32, today: NaiveDate) -> Result<()> {
    if !(1..=12).contains(&month) {
        return Err(refused(Field::ExpMonth, Reason::Invalid));
    }
    if !(1000..=9999).contains(&year) {
        return Err(refused(Field::ExpYear, Reason::Invalid));
    }
    if (year as i32, month) < (today.year(), today.month()) {
        return Err(refused(Field::ExpYear, Reason::Expired));
    }
    Ok(())
}

/// CVV: 3 or 4 digits.
pub fn cvv(input: &str) -> Result<()> {
    if (3..=4).contains(&input.len()) && input.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(refused(Field::Cvv, Reason::Invalid))
    }
}

/// A charge or refund amount: greater than zero, at most two decimals.
pub fn amount(value: Decimal) -> Result<()> {
    if value <= Decimal::ZERO {
        return Err(refused(Field::Amount, Reason::MustBePositive));
    }
    if value.normalize().scale() > 2 {
        return Err(refused(Field::Amount, Reason::TooManyDecimals));
    }
    Ok(())
}

/// BIN: the first 6 or 8 digits of a card; leading zeros matter, so it stays a string.
pub fn bin(input: &str) -> Result<()> {
    if matches!(input.len(), 6 | 8) && input.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(refused(Field::BinNumber, Reason::Invalid))
    }
}

/// ISO 4217 alphabetic currency code.
pub fn currency(input: &str) -> Result<()> {
    if input.len() == 3 && input.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(refused(Field::Currency, Reason::Invalid))
    }
}

/// Installment count: 1 (single payment) up to 36.
pub fn installment(value: u32) -> Result<()> {
    if (1..=36).contains(&value) {
        Ok(())
    } else {
        Err(refused(Field::Installment, Reason::Invalid))
    }
}

/// A required free-text field.
pub fn required(field: Field, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(refused(field, Reason::Required))
    } else {
        Ok(())
    }
}

/// A plausible e-mail address (one `@`, something on both sides, a dot in the domain).
pub fn email(value: &str) -> Result<()> {
    let value = value.trim();
    let ok = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refused(Field::Email, Reason::Invalid))
    }
}

/// Turkish national id (TCKN): 11 digits, first not zero, with its two check digits.
pub fn tckn(value: &str) -> Result<()> {
    let d: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    let well_formed = d.len() == 11 && value.len() == 11 && d[0] != 0;
    let checks = well_formed && {
        let odd: u32 = d[0] + d[2] + d[4] + d[6] + d[8];
        let even: u32 = d[1] + d[3] + d[5] + d[7];
        let tenth = (odd * 7 + 10 * 9 - even) % 10;
        let eleventh = d[..10].iter().sum::<u32>() % 10;
        tenth == d[9] && eleventh == d[10]
    };
    if checks {
        Ok(())
    } else {
        Err(refused(Field::Tckn, Reason::Invalid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn luhn_accepts_the_documented_test_card_and_rejects_a_typo() {
        assert!(luhn_ok("4155650100416111"));
        assert!(!luhn_ok("4155650100416112"));
        assert_eq!(
            card_number("4155 6501-0041 6111").unwrap(),
            "4155650100416111"
        );
        assert_eq!(
            card_number("4155650100416112").unwrap_err().code(),
            "invalid_input"
        );
        assert!(card_number("41556501004161x1").is_err());
        assert!(card_number("4111").is_err());
    }

    #[test]
    fn expiry_is_valid_through_the_end_of_its_month() {
        assert!(expiry(11, 2026, day(2026, 11, 30)).is_ok());
        assert!(expiry(10, 2026, day(2026, 11, 1)).is_err());
        assert!(expiry(13, 2030, day(2026, 11, 1)).is_err());
        assert!(expiry(1, 30, day(2026, 11, 1)).is_err());
    }

    #[test]
    fn amounts_must_be_positive_with_at_most_two_decimals() {
        assert!(amount(dec!(0.01)).is_ok());
        assert!(
            amount(dec!(1500.500)).is_ok(),
            "trailing zeros do not count"
        );
        assert!(amount(dec!(0)).is_err());
        assert!(amount(dec!(-5)).is_err());
        assert!(amount(dec!(1.005)).is_err());
    }

    #[test]
    fn bin_keeps_leading_zeros_and_needs_six_or_eight_digits() {
        assert!(bin("041556").is_ok());
        assert!(bin("41556501").is_ok());
        assert!(bin("4155650").is_err());
        assert!(bin("41556a").is_err());
    }

    #[test]
    fn small_fields() {
        assert!(cvv("000").is_ok() && cvv("1234").is_ok());
        assert!(cvv("12").is_err() && cvv("12a").is_err());
        assert!(currency("TRY").is_ok() && currency("try").is_err());
        assert!(email("a@b.co").is_ok() && email("a@b").is_err() && email("a b@c.d").is_err());
        assert!(tckn("10000000146").is_ok());
        assert!(tckn("23671373136").is_ok(), "the documentation's example");
        assert!(tckn("23671373137").is_err() && tckn("03671373136").is_err());
        assert!(installment(1).is_ok() && installment(0).is_err());
        assert!(required(Field::Name, "  ").is_err());
    }
}
