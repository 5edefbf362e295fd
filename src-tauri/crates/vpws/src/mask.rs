//! How a card number may be shown: the one rule, used by the request's debug form and the app.

/// `415565******6111`: first six and last four digits at most (PCI DSS display rule).
pub fn card_number(digits: &str) -> String {
    let n = digits.len();
    if n < 10 {
        return "*".repeat(n);
    }
    format!("{}{}{}", &digits[..6], "*".repeat(n - 10), &digits[n - 4..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn masking_shows_first_six_and_last_four() {
        assert_eq!(super::card_number("4155650100416111"), "415565******6111");
        assert_eq!(super::card_number("123"), "***");
    }
}
