//! Form checks before anything is sent. Each failure names the field and a stable reason key
//! (`required`, `luhn`, `expired`…) that the UI translates. What VPWS itself requires (card
//! number, CVV, e-mail, TCKN, currency) is the client's `vpws::validate`; this adds the form's
//! own rules (required fields, lengths, the expiry the operator typed, no card number in free
//! text).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::dto::{CardInput, ContactInput, PaymentInput};
use crate::error::{AppError, AppResult, Field, Reason};
use crate::money::parse_amount;

mod mail_server;
pub use mail_server::mail_server;

pub fn required(field: Field, value: &str) -> AppResult<()> {
    if value.trim().is_empty() {
        Err(AppError::field(field, Reason::Required))
    } else {
        Ok(())
    }
}

pub fn max_len(field: Field, value: &str, max: usize) -> AppResult<()> {
    if value.chars().count() > max {
        Err(AppError::field(field, Reason::TooLong).with("max", max.to_string()))
    } else {
        Ok(())
    }
}

/// Free text the operator types: at most `max` characters, and no card number.
pub fn free_text(field: Field, value: &str, max: usize) -> AppResult<()> {
    max_len(field, value, max)?;
    no_card_number(field, value)
}

/// Free text (names, reasons, notes, references, phones, e-mails) must not carry a card number,
/// so one typed into the wrong field never reaches the journal, a log or the gateway's notes.
pub fn no_card_number(field: Field, value: &str) -> AppResult<()> {
    if contains_card_number(value) {
        Err(AppError::field(field, Reason::LooksLikeCard))
    } else {
        Ok(())
    }
}

/// The one card number detector: digits in groups, the groups joined by up to three separators
/// (spaces, `-`, `.`, `/`, `_`), and any run of whole groups that is 13–19 digits long, passes
/// the Luhn check and begins as a card brand does. The brand's beginning keeps phone numbers,
/// IBANs and dates from looking like cards. `ui/src/lib/payment-form.ts` mirrors it.
pub fn contains_card_number(text: &str) -> bool {
    digit_groups(text).iter().any(|groups| {
        (0..groups.len()).any(|first| {
            let mut digits = String::new();
            groups[first..].iter().any(|group| {
                digits.push_str(group);
                (13..=19).contains(&digits.len())
                    && vpws::validate::luhn_ok(&digits)
                    && begins_as_a_card(&digits)
            })
        })
    })
}

/// Runs of digit groups: each run is the groups its separators join.
fn digit_groups(text: &str) -> Vec<Vec<&str>> {
    const SEPARATORS: &[char] = &[' ', '\u{a0}', '\t', '-', '.', '/', '_'];
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut rest = text;
    let mut joined = false;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let gap = &rest[..start];
        joined = joined && gap.chars().count() <= 3 && gap.chars().all(|c| SEPARATORS.contains(&c));
        let digits = &rest[start..];
        let end = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        match runs.last_mut() {
            Some(run) if joined => run.push(&digits[..end]),
            _ => runs.push(vec![&digits[..end]]),
        }
        rest = &digits[end..];
        joined = true;
    }
    runs
}

/// Visa (4), Mastercard (51–55, 2221–2720), Amex, Diners, JCB (30, 34–39), Discover, UnionPay,
/// Maestro (50–69) and Troy (9792).
fn begins_as_a_card(digits: &str) -> bool {
    let prefix = |n: usize| digits[..n].parse::<u32>().unwrap_or(0);
    digits.starts_with('4')
        || matches!(prefix(2), 30 | 34..=39 | 50..=69)
        || (2221..=2720).contains(&prefix(4))
        || prefix(4) == 9792
}

/// Order references: 1–40 of letters, digits, `-` and `_`, and no card number.
pub fn order_reference(value: &str) -> AppResult<()> {
    required(Field::OrderReference, value)?;
    free_text(Field::OrderReference, value, 40)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(())
    } else {
        Err(AppError::field(Field::OrderReference, Reason::Invalid))
    }
}

pub fn currency(value: &str) -> AppResult<()> {
    vpws::validate::currency(value).map_err(AppError::from)
}

pub fn contact(contact: &ContactInput) -> AppResult<()> {
    required(Field::Name, &contact.name)?;
    free_text(Field::Name, &contact.name, 60)?;
    required(Field::Surname, &contact.surname)?;
    free_text(Field::Surname, &contact.surname, 60)?;
    required(Field::Email, &contact.email)?;
    vpws::validate::email(&contact.email)?;
    no_card_number(Field::Email, &contact.email)?;
    if let Some(phone) = contact
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !allowed || !(10..=15).contains(&digits) {
            return Err(AppError::field(Field::Phone, Reason::Invalid));
        }
        no_card_number(Field::Phone, phone)?;
    }
    if let Some(tckn) = contact
        .tckn
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        vpws::validate::tckn(tckn)?;
    }
    if let Some(description) = &contact.description {
        free_text(Field::Description, description, 200)?;
    }
    if let Some(code) = account_code(contact) {
        let allowed = code
            .chars()
            .all(|c| c.is_alphanumeric() || " .-_/".contains(c));
        if !allowed {
            return Err(AppError::field(Field::AccountCode, Reason::Invalid));
        }
        free_text(Field::AccountCode, &code, 30)?;
    }
    Ok(())
}

/// The customer's account code as given, trimmed; `None` when left empty.
pub fn account_code(contact: &ContactInput) -> Option<String> {
    contact
        .account_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// Everything a payment form must satisfy before anything is sent; the first problem found.
/// Returns the amount and the card number as digits only. The UI runs the same rules first
/// (`ui/src/lib/payment-form.ts`); `ui/src/lib/validation-cases.json` holds both to them.
/// `cvv_used`: the card's BIN answer did not say its CVV goes unused (then it may be left out).
pub fn payment(
    input: &PaymentInput,
    today: NaiveDate,
    cvv_used: bool,
) -> AppResult<(Decimal, zeroize::Zeroizing<String>)> {
    order_reference(&input.order_reference)?;
    let amount = parse_amount(Field::Amount, &input.amount)?;
    currency(&input.currency)?;
    if !(1..=36).contains(&input.installment) {
        return Err(AppError::field(Field::Installment, Reason::Invalid));
    }
    required(Field::Pos, &input.tenant_pos_id)?;
    contact(&input.contact)?;
    let digits = card(&input.card, today, cvv_used)?;
    Ok((amount, digits))
}

/// Returns the card number as digits only (zeroed when dropped).
pub fn card(
    card: &CardInput,
    today: NaiveDate,
    cvv_used: bool,
) -> AppResult<zeroize::Zeroizing<String>> {
    required(Field::CardNumber, card.number.expose())?;
    let digits = zeroize::Zeroizing::new(vpws::validate::card_number(card.number.expose())?);
    required(Field::CardHolder, &card.holder)?;
    free_text(Field::CardHolder, &card.holder, 60)?;
    if !(1..=12).contains(&card.exp_month) {
        return Err(AppError::field(Field::Expiry, Reason::Invalid));
    }
    if !(2000..=2100).contains(&card.exp_year) {
        return Err(AppError::field(Field::Expiry, Reason::Invalid));
    }
    if (card.exp_year as i32, card.exp_month) < (today.year(), today.month()) {
        return Err(AppError::field(Field::Expiry, Reason::Expired));
    }
    if cvv_used || !card.cvv.expose().is_empty() {
        required(Field::Cvv, card.cvv.expose())?;
        vpws::validate::cvv(card.cvv.expose())?;
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_number_in_free_text_is_found_however_it_is_written() {
        for text in [
            "4155650100416111",
            "iade: 4155 6501 0041 6111",
            "4155-6501-0041-6111 kartı",
            "no 5400611000000009.",
            "4155.6501.0041.6111",
            "4155/6501/0041/6111",
            "4155_6501_0041_6111",
            "4155  6501  0041  6111",
            "kart: 4155 - 6501 - 0041 - 6111",
            "371449635398431",
            "DD-4155650100416111",
            "4155650100416111@example.com",
            "+3714 4963 5398 431",
        ] {
            assert!(contains_card_number(text), "{text}");
        }
        for text in [
            "Sipariş 12345, telefon 0500 258 35 19",
            "4155650100416112",
            "TCKN 10000000146",
            "ürün iadesi",
            "IBAN TR33 0006 1005 1978 6457 8413 26",
            "DD-20261207-123456",
            "+49 1511 2345 6789",
            "07.12.2026 14:30, 1.234,56 TL",
        ] {
            assert!(!contains_card_number(text), "{text}");
        }
    }

    /// A card number of `length` digits beginning with `prefix`: `body` fills the middle, the
    /// last digit makes the Luhn check pass.
    fn pan(prefix: &str, length: usize, body: &[u8]) -> String {
        let mut digits: String = prefix.to_owned();
        for b in body.iter().cycle() {
            if digits.len() == length - 1 {
                break;
            }
            digits.push(char::from(b'0' + b % 10));
        }
        (0..10)
            .map(|d| format!("{digits}{d}"))
            .find(|candidate| vpws::validate::luhn_ok(candidate))
            .expect("one check digit fits")
    }

    const BRANDS: [&str; 12] = [
        "4", "51", "55", "2221", "2720", "34", "37", "36", "3528", "6011", "62", "9792",
    ];

    proptest::proptest! {
        /// Every brand, every length, written with any separators inside any text.
        #[test]
        fn a_card_number_is_found_whatever_surrounds_and_splits_it(
            brand in 0..BRANDS.len(),
            length in 13usize..=19,
            body in proptest::collection::vec(0u8..10, 18),
            cuts in proptest::collection::vec((1usize..6, 0usize..7, 1usize..4), 1..6),
            before in "[a-zA-ZçğıöşüÇĞİÖŞÜ :,]{0,20}",
            after in "[a-zA-ZçğıöşüÇĞİÖŞÜ :,.]{0,20}",
        ) {
            let digits = pan(BRANDS[brand], length, &body);
            let separators = [" ", "-", ".", "/", "_", "\u{a0}", "\t"];
            let mut written = String::new();
            let mut rest = digits.as_str();
            for (size, separator, times) in &cuts {
                let take = (*size).min(rest.len());
                written.push_str(&rest[..take]);
                rest = &rest[take..];
                if !rest.is_empty() {
                    written.push_str(&separators[*separator].repeat(*times));
                }
            }
            written.push_str(rest);
            let text = format!("{before} {written} {after}");
            proptest::prop_assert!(contains_card_number(&text), "{}", text);
        }

        /// The order references the desk makes never look like a card.
        #[test]
        fn a_generated_order_reference_never_looks_like_a_card(
            day in 0i64..(200 * 366),
            suffix in "[0-9A-F]{6}",
        ) {
            let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(day);
            let reference = format!("DD-{}-{suffix}", date.format("%Y%m%d"));
            proptest::prop_assert!(!contains_card_number(&reference), "{}", reference);
        }
    }

    fn card_input(number: &str, month: u32, year: u32, cvv: &str) -> CardInput {
        CardInput {
            number: number.into(),
            holder: "AYSE YILMAZ".into(),
            exp_month: month,
            exp_year: year,
            cvv: cvv.into(),
        }
    }

    fn reason(e: AppError) -> (String, String) {
        (e.details["field"].clone(), e.details["reason"].clone())
    }

    #[test]
    fn card_checks_name_the_field_and_reason_without_the_number() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            card(
                &card_input("4155 6501 0041 6111", 11, 2026, "000"),
                today,
                true
            )
            .unwrap()
            .as_str(),
            "4155650100416111"
        );
        let cases = [
            (card_input("", 12, 2030, "000"), ("cardNumber", "required")),
            (
                card_input("4155650100416112", 12, 2030, "000"),
                ("cardNumber", "luhn"),
            ),
            (
                card_input("41556501", 12, 2030, "000"),
                ("cardNumber", "invalid"),
            ),
            (
                card_input("4155650100416111", 10, 2026, "000"),
                ("expiry", "expired"),
            ),
            (
                card_input("4155650100416111", 13, 2030, "000"),
                ("expiry", "invalid"),
            ),
            (
                card_input("4155650100416111", 12, 2030, "12"),
                ("cvv", "invalid"),
            ),
        ];
        for (input, (field, why)) in cases {
            let e = card(&input, today, true).unwrap_err();
            assert!(!e.message.contains("4155650100416"), "{}", e.message);
            assert_eq!(reason(e), (field.to_owned(), why.to_owned()));
        }
    }

    #[test]
    fn the_cvv_may_be_left_out_only_where_the_card_does_not_use_it() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let without = card_input("4155650100416111", 12, 2030, "");
        assert_eq!(
            reason(card(&without, today, true).unwrap_err()),
            ("cvv".to_owned(), "required".to_owned())
        );
        assert!(card(&without, today, false).is_ok());
        let wrong = card_input("4155650100416111", 12, 2030, "12");
        assert_eq!(
            reason(card(&wrong, today, false).unwrap_err()),
            ("cvv".to_owned(), "invalid".to_owned()),
            "a CVV typed anyway is still checked"
        );
    }

    #[test]
    fn contact_and_reference_checks() {
        let mut c = ContactInput {
            name: "Ayşe".into(),
            surname: "Yılmaz".into(),
            email: "ayse@example.com".into(),
            phone: Some("0 (500) 258-35-19".into()),
            tckn: Some("10000000146".into()),
            description: None,
            account_code: Some(" 120.01.0042 ".into()),
        };
        assert!(contact(&c).is_ok());
        assert_eq!(account_code(&c).as_deref(), Some("120.01.0042"));
        for (code, why) in [
            ("120;01", "invalid"),
            ("4155650100416111", "looks_like_card"),
            ("A-12345678901234567890123456789", "too_long"),
        ] {
            let with = ContactInput {
                account_code: Some(code.into()),
                ..c.clone()
            };
            assert_eq!(
                reason(contact(&with).unwrap_err()),
                ("accountCode".to_owned(), why.to_owned()),
                "{code}"
            );
        }
        c.email = "ayse".into();
        assert_eq!(
            reason(contact(&c).unwrap_err()),
            ("email".into(), "invalid".into())
        );
        c.email = "ayse@example.com".into();
        c.tckn = Some("12345678901".into());
        assert_eq!(
            reason(contact(&c).unwrap_err()),
            ("tckn".into(), "invalid".into())
        );
        c.tckn = None;
        c.description = Some("kart 4155 6501 0041 6111 ile".into());
        assert_eq!(
            reason(contact(&c).unwrap_err()),
            ("description".into(), "looks_like_card".into())
        );
        assert!(order_reference("DD-20261121-AB12").is_ok());
        assert_eq!(reason(order_reference("bad ref").unwrap_err()).1, "invalid");
        assert_eq!(reason(order_reference("").unwrap_err()).1, "required");
    }
}
