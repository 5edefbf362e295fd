//! Card-number helpers: the Luhn check and the masked form the gateway stores and shows.

/// The Luhn (mod 10) check over ASCII digits.
pub fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2, d * 2) {
                (1, x) if x > 9 => x - 9,
                (1, x) => x,
                _ => d,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `415565******6111`: first six and last four digits, for 12–19 digit numbers.
pub fn mask(digits: &str) -> String {
    let n = digits.len();
    format!("{}{}{}", &digits[..6], "*".repeat(n - 10), &digits[n - 4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_first_six_and_last_four() {
        assert_eq!(mask("4155650100416111"), "415565******6111");
        assert_eq!(mask("979203000000000012"), "979203********0012");
    }

    #[test]
    fn luhn() {
        assert!(luhn_ok("4155650100416111"));
        assert!(!luhn_ok("4155650100416121"));
    }
}
