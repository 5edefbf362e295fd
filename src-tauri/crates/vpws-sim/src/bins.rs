//! The demo BINs: which bank and card programme each belongs to, and what its BIN answer says
//! of the card beyond the POS list (RULES.md rules 7 and 7a).

use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BinEntry {
    pub bin: String,
    pub bank: String,
    pub program: String,
    pub scheme: String,
    pub rules: CardRules,
}

/// What a BIN answer says of the card beyond its POS list. Most demo BINs say nothing more
/// (VPWS's bare POS array); a few answer with PWS's richer object so that each rule can be
/// shown and tested (RULES.md rule 7a).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardRules {
    /// `threeDStatus` on each POS of the card.
    pub three_d: ThreeDRule,
    /// `isCvvUse`: the card is charged with its CVV.
    pub cvv_used: bool,
    /// `threeDLimit`: above this amount only a 3D payment is taken.
    #[serde(with = "json_decimal::option")]
    pub three_d_limit: Option<Decimal>,
    /// `commApplyTypeId` at the answer's root and on each rate.
    pub comm_apply_type_id: Option<i32>,
    /// Answer with the object (`poses` and the rules above, `cardBrand`) instead of the array.
    pub rich_answer: bool,
}

impl Default for CardRules {
    fn default() -> Self {
        Self {
            three_d: ThreeDRule::Optional,
            cvv_used: true,
            three_d_limit: None,
            comm_apply_type_id: None,
            rich_answer: false,
        }
    }
}

/// `threeDStatus`. [Assumption] The documents name the field only; these values are ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ThreeDRule {
    /// `0`: the POS takes this card without 3D Secure only.
    NotAllowed,
    /// `1`: the operator chooses.
    Optional,
    /// `2`: only with 3D Secure.
    Required,
}

impl ThreeDRule {
    pub fn status(self) -> i32 {
        match self {
            ThreeDRule::NotAllowed => 0,
            ThreeDRule::Optional => 1,
            ThreeDRule::Required => 2,
        }
    }
}

/// The BIN table of the standard demo data.
pub(crate) fn standard_bins() -> Vec<BinEntry> {
    let says_more = |rules: CardRules| CardRules {
        rich_answer: true,
        ..rules
    };
    [
        (
            "415565",
            "Yapı Kredi",
            "World",
            "Visa",
            CardRules::default(),
        ),
        (
            "540061",
            "Garanti BBVA",
            "Bonus",
            "Mastercard",
            CardRules::default(),
        ),
        ("435508", "Akbank", "Axess", "Visa", CardRules::default()),
        (
            "450803",
            "İş Bankası",
            "Maximum",
            "Visa",
            CardRules::default(),
        ),
        ("413226", "QNB", "CardFinans", "Visa", CardRules::default()),
        ("979203", "Halkbank", "Paraf", "Troy", CardRules::default()),
        (
            "552879",
            "Ziraat",
            "Bankkart",
            "Mastercard",
            CardRules::default(),
        ),
        (
            "454360",
            "Akbank",
            "Axess",
            "Visa",
            says_more(CardRules {
                three_d: ThreeDRule::Required,
                ..CardRules::default()
            }),
        ),
        (
            "521824",
            "Garanti BBVA",
            "Bonus",
            "Mastercard",
            says_more(CardRules {
                three_d: ThreeDRule::NotAllowed,
                cvv_used: false,
                ..CardRules::default()
            }),
        ),
        (
            "979210",
            "Halkbank",
            "Paraf",
            "Troy",
            says_more(CardRules {
                three_d_limit: Some(Decimal::from(2000)),
                comm_apply_type_id: Some(20),
                ..CardRules::default()
            }),
        ),
        (
            "374427",
            "Garanti BBVA",
            "Bonus",
            "Amex",
            says_more(CardRules::default()),
        ),
    ]
    .into_iter()
    .map(|(bin, bank, program, scheme, rules)| BinEntry {
        bin: bin.into(),
        bank: bank.into(),
        program: program.into(),
        scheme: scheme.into(),
        rules,
    })
    .collect()
}
