//! The app's card checks before a payment is sent. Properties: nothing panics; an accepted card
//! number is 12 to 19 digits passing the Luhn check (checked here independently), and the
//! holder's name never carries a card number.
#![no_main]

use chrono::NaiveDate;
use desk_core::dto::CardInput;
use desk_core::validation::{card, contains_card_number};
use libfuzzer_sys::fuzz_target;

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fuzz_target!(|input: &[u8]| {
    // Two bytes of expiry, then number, holder and CVV separated by newlines.
    let Some(([month, year], rest)) = input.split_first_chunk::<2>() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut parts = text.splitn(3, '\n');
    let input = CardInput {
        number: parts.next().unwrap_or_default().into(),
        holder: parts.next().unwrap_or_default().to_owned(),
        cvv: parts.next().unwrap_or_default().into(),
        exp_month: u32::from(*month % 14),
        exp_year: 2020 + u32::from(*year % 20),
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date");
    // Whether or not the card's BIN answer said its CVV goes unused, the same holds.
    for cvv_used in [true, false] {
        if let Ok(digits) = card(&input, today, cvv_used) {
            assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{input:?}");
            assert!((12..=19).contains(&digits.len()), "{input:?}");
            assert!(luhn(&digits), "{input:?}");
            assert!(!contains_card_number(&input.holder), "{input:?}");
        }
    }
});
