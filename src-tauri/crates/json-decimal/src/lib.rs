//! Exact `Decimal` ⇄ JSON number conversion.
//!
//! serde_json parses numbers into `f64` unless the crate-wide `arbitrary_precision` feature is on,
//! and that feature cannot be enabled here: Cargo unifies it across the whole app (Tauri
//! included), where it breaks serde's buffered enums. Instead these helpers read the number's
//! literal text through `RawValue` and write the decimal's own text back as a raw JSON number,
//! so `235.00` stays `235.00` both ways and no amount ever passes through binary floating point.
//!
//! Use with `#[serde(with = "json_decimal::number")]` or `json_decimal::option`. They work when
//! deserialising straight from JSON text (`from_slice`, `from_str`, axum/reqwest `Json`), not
//! through `serde_json::Value` or `#[serde(untagged/flatten)]` buffering.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Parses a JSON number literal (or a quoted decimal string) into an exact `Decimal`.
pub fn parse_literal(text: &str) -> Result<Decimal, String> {
    let trimmed = text.trim();
    let unquoted = trimmed
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(trimmed);
    let parsed = if unquoted.contains(['e', 'E']) {
        Decimal::from_scientific(unquoted)
    } else {
        Decimal::from_str_exact(unquoted)
    };
    parsed.map_err(|e| format!("`{unquoted}` is not a decimal amount: {e}"))
}

fn raw_number(value: &Decimal) -> Result<Box<RawValue>, serde_json::Error> {
    RawValue::from_string(value.to_string())
}

/// `Decimal` as an exact JSON number.
pub mod number {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        raw_number(value)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if raw.get() == "null" {
            return Err(D::Error::custom("amount is null"));
        }
        parse_literal(raw.get()).map_err(D::Error::custom)
    }
}

/// `Option<Decimal>` as an exact JSON number or `null`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::number::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
        match raw {
            None => Ok(None),
            Some(r) if r.get() == "null" => Ok(None),
            Some(r) => parse_literal(r.get()).map(Some).map_err(D::Error::custom),
        }
    }
}

/// Convenience for callers that hold a decimal as text.
pub fn from_text(text: &str) -> Result<Decimal, String> {
    Decimal::from_str(text.trim()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Amounts {
        #[serde(with = "crate::number")]
        amount: Decimal,
        #[serde(with = "crate::option", default)]
        refund: Option<Decimal>,
    }

    #[test]
    fn keeps_scale_and_digits_exactly() {
        let a: Amounts = serde_json::from_str(r#"{"amount": 1500.500, "refund": 0.000}"#).unwrap();
        assert_eq!(a.amount.to_string(), "1500.500");
        assert_eq!(a.refund.unwrap().to_string(), "0.000");
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"amount":1500.500,"refund":0.000}"#
        );
    }

    #[test]
    fn survives_values_that_f64_cannot_hold() {
        // 0.1 + 0.2 and a 20-digit amount are both wrong after a trip through f64.
        let a: Amounts =
            serde_json::from_str(r#"{"amount": 12345678901234567.89, "refund": 0.3}"#).unwrap();
        assert_eq!(a.amount, dec!(12345678901234567.89));
        assert_eq!(a.refund, Some(dec!(0.1) + dec!(0.2)));
    }

    #[test]
    fn accepts_integers_exponents_strings_and_null() {
        let a: Amounts = serde_json::from_str(r#"{"amount": 15, "refund": null}"#).unwrap();
        assert_eq!((a.amount, a.refund), (dec!(15), None));
        let b: Amounts = serde_json::from_str(r#"{"amount": 1.5e2}"#).unwrap();
        assert_eq!((b.amount, b.refund), (dec!(150), None));
        let c: Amounts = serde_json::from_str(r#"{"amount": "235.00"}"#).unwrap();
        assert_eq!(c.amount.to_string(), "235.00");
    }

    #[test]
    fn rejects_non_numbers() {
        for body in [
            r#"{"amount": null}"#,
            r#"{"amount": "abc"}"#,
            r#"{"amount": true}"#,
        ] {
            assert!(serde_json::from_str::<Amounts>(body).is_err(), "{body}");
        }
    }

    #[test]
    fn negative_amounts_round_trip() {
        let a: Amounts = serde_json::from_str(r#"{"amount": -0.01}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"amount":-0.01,"refund":null}"#
        );
    }
}
