//! The app's amount parser (what the UI sends for an amount the operator typed). Properties:
//! nothing panics; an accepted amount is positive, at most ten billion, has at most two decimals,
//! and its canonical text parses back to the same amount.
#![no_main]

use desk_core::error::Field;
use desk_core::money::{format_amount, parse_amount};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    if let Ok(amount) = parse_amount(Field::Amount, text) {
        assert!(amount > Decimal::ZERO, "{text:?} → {amount}");
        assert!(
            amount <= Decimal::from(10_000_000_000u64),
            "{text:?} → {amount}"
        );
        assert!(amount.scale() <= 2, "{text:?} → {amount}");
        let canonical = format_amount(amount);
        assert_eq!(
            parse_amount(Field::Amount, &canonical).ok(),
            Some(amount),
            "{text:?} → {canonical:?}"
        );
    }
});
