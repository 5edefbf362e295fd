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

/// Free text (names, reasons, notes) must not carry a card number: a run of 13–19 digits
/// (spaces or dashes between them allowed) that passes the Luhn check is refused, so a card
/// number typed into the wrong field never reaches the journal, a log or the gateway's notes.
pub fn no_card_number(field: Field, value: &str) -> AppResult<()> {
    if contains_card_number(value) {
        Err(AppError::field(field, Reason::LooksLikeCard))
    } else {
        Ok(())
    }
}

pub fn contains_card_number(text: &str) -> bool {
    let mut runs: Vec<String> = vec![String::new()];
    let mut previous_was_digit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            runs.last_mut().expect("one run").push(c);
            previous_was_digit = true;
        } else if (c == ' ' || c == '-') && previous_was_digit {
            previous_was_digit = false;
        } else {
            runs.push(String::new());
            previous_was_digit = false;
        }
    }
    runs.iter()
        .any(|run| (13..=19).contains(&run.len()) && vpws::validate::luhn_ok(run))
}

/// Order references: 1–40 of letters, digits, `-` and `_`.
pub fn order_reference(value: &str) -> AppResult<()> {
    required(Field::OrderReference, value)?;
    max_len(Field::OrderReference, value, 40)?;
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
    max_len(Field::Name, &contact.name, 60)?;
    no_card_number(Field::Name, &contact.name)?;
    required(Field::Surname, &contact.surname)?;
    max_len(Field::Surname, &contact.surname, 60)?;
    no_card_number(Field::Surname, &contact.surname)?;
    required(Field::Email, &contact.email)?;
    vpws::validate::email(&contact.email)?;
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
        max_len(Field::Description, description, 200)?;
        no_card_number(Field::Description, description)?;
    }
    Ok(())
}

/// Everything a payment form must satisfy before anything is sent; the first problem found.
/// Returns the amount and the card number as digits only. The UI runs the same rules first
/// (`ui/src/lib/payment-form.ts`); `ui/src/lib/validation-cases.json` holds both to them.
pub fn payment(input: &PaymentInput, today: NaiveDate) -> AppResult<(Decimal, String)> {
    order_reference(&input.order_reference)?;
    let amount = parse_amount(Field::Amount, &input.amount)?;
    currency(&input.currency)?;
    if !(1..=36).contains(&input.installment) {
        return Err(AppError::field(Field::Installment, Reason::Invalid));
    }
    required(Field::Pos, &input.tenant_pos_id)?;
    contact(&input.contact)?;
    let digits = card(&input.card, today)?;
    Ok((amount, digits))
}

/// Returns the card number as digits only.
pub fn card(card: &CardInput, today: NaiveDate) -> AppResult<String> {
    required(Field::CardNumber, &card.number)?;
    let digits = vpws::validate::card_number(&card.number)?;
    required(Field::CardHolder, &card.holder)?;
    max_len(Field::CardHolder, &card.holder, 60)?;
    no_card_number(Field::CardHolder, &card.holder)?;
    if !(1..=12).contains(&card.exp_month) {
        return Err(AppError::field(Field::Expiry, Reason::Invalid));
    }
    if !(2000..=2100).contains(&card.exp_year) {
        return Err(AppError::field(Field::Expiry, Reason::Invalid));
    }
    if (card.exp_year as i32, card.exp_month) < (today.year(), today.month()) {
        return Err(AppError::field(Field::Expiry, Reason::Expired));
    }
    required(Field::Cvv, &card.cvv)?;
    vpws::validate::cvv(&card.cvv)?;
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
        ] {
            assert!(contains_card_number(text), "{text}");
        }
        for text in [
            "Sipariş 12345, telefon 0500 258 35 19",
            "4155650100416112",
            "TCKN 10000000146",
            "ürün iadesi",
            "IBAN TR33 0006 1005 1978 6457 8413 26",
        ] {
            assert!(!contains_card_number(text), "{text}");
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
            card(&card_input("4155 6501 0041 6111", 11, 2026, "000"), today).unwrap(),
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
            let e = card(&input, today).unwrap_err();
            assert!(!e.message.contains("4155650100416"), "{}", e.message);
            assert_eq!(reason(e), (field.to_owned(), why.to_owned()));
        }
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
        };
        assert!(contact(&c).is_ok());
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
