//! Search folding: lower case with Turkish letters mapped to their plain forms, so `sukru`,
//! `ŞÜKRÜ` and `Şükrü` find each other (SQLite's own LIKE folds ASCII only).

pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let plain = match c {
                'ş' | 'Ş' => 's',
                'ğ' | 'Ğ' => 'g',
                'ü' | 'Ü' => 'u',
                'ö' | 'Ö' => 'o',
                'ç' | 'Ç' => 'c',
                'ı' | 'I' | 'İ' => 'i',
                other => return other.to_lowercase().collect::<Vec<_>>(),
            };
            vec![plain]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn turkish_letters_fold_to_plain_lower_case() {
        assert_eq!(fold("Şükrü ÇAĞLAYAN"), "sukru caglayan");
        assert_eq!(fold("İADE ılık IŞIK"), "iade ilik isik");
        assert_eq!(fold("NTH2P00000003086"), "nth2p00000003086");
    }
}
