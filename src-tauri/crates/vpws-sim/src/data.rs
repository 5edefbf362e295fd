//! Fixed demo data: dealers, their POS terminals with commission tables, a BIN table and test
//! cards with known behaviour. Deterministic, so tests and demos can rely on every value.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::bins::standard_bins;
pub use crate::bins::{BinEntry, CardRules, ThreeDRule};

/// The one-time password every challenging test card accepts.
pub const DEMO_OTP: &str = "123456";

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dealer {
    pub tenant_id: String,
    pub name: String,
    pub api_key: String,
    pub secret_key: String,
    pub pos: Vec<Pos>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pos {
    pub tenant_pos_id: String,
    pub name: String,
    pub bank: String,
    /// Card program (Bonus, World, Axess…): installments need a card of the same program.
    pub program: String,
    pub currency: String,
    pub color_code: String,
    pub logo_small: String,
    pub is_default: bool,
    pub active: bool,
    pub pos_type_id: i32,
    pub partner_id: i32,
    /// `(installment, commission %, plus installments)`.
    #[serde(skip)]
    pub rates: Vec<(u32, Decimal, u32)>,
}

impl Pos {
    pub fn rate_for(&self, installment: u32) -> Option<Decimal> {
        self.rates
            .iter()
            .find(|(n, _, _)| *n == installment)
            .map(|(_, r, _)| *r)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Authorisation {
    Approve,
    /// The issuer declines (insufficient funds).
    Decline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ThreeD {
    /// The ACS page asks for the OTP.
    Challenge,
    /// The ACS page submits itself; no OTP.
    Frictionless,
    /// The ACS page asks for an OTP and rejects every one.
    AlwaysFails,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCard {
    pub number: String,
    pub holder: String,
    pub label: String,
    pub authorisation: Authorisation,
    pub three_d: ThreeD,
    /// OTP the ACS page accepts, where it asks for one.
    pub otp: Option<String>,
    pub exp_month: u32,
    pub exp_year: u32,
    pub cvv: String,
}

/// Behaviour of a Luhn-valid card that is not in the test-card table.
pub fn default_card_behaviour() -> (Authorisation, ThreeD) {
    (Authorisation::Approve, ThreeD::Challenge)
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoData {
    pub dealers: Vec<Dealer>,
    pub bins: Vec<BinEntry>,
    pub test_cards: Vec<TestCard>,
    pub otp: String,
    /// Transactions present at start, so the documentation's own examples work unchanged.
    pub seeded_references: Vec<String>,
}

impl DemoData {
    pub fn dealer_by_key(&self, api_key: &str) -> Option<usize> {
        self.dealers.iter().position(|d| d.api_key == api_key)
    }

    pub fn bin(&self, bin: &str) -> Option<&BinEntry> {
        let six = bin.get(..6)?;
        self.bins.iter().find(|b| b.bin == six)
    }

    pub fn card(&self, number: &str) -> Option<&TestCard> {
        self.test_cards.iter().find(|c| c.number == number)
    }
}

fn rates(base: &str, step: &str, max: u32, campaign: &[(u32, u32)]) -> Vec<(u32, Decimal, u32)> {
    let base: Decimal = base.parse().expect("rate");
    let step: Decimal = step.parse().expect("step");
    (1..=max)
        .map(|n| {
            let mut rate = base + step * Decimal::from(n - 1);
            rate.rescale(4);
            let plus = campaign
                .iter()
                .find(|(i, _)| *i == n)
                .map_or(0, |(_, p)| *p);
            (n, rate, plus)
        })
        .collect()
}

struct PosSpec<'a> {
    id: &'a str,
    bank: &'a str,
    program: &'a str,
    currency: &'a str,
    color: &'a str,
    logo: &'a str,
    default: bool,
    active: bool,
    rates: Vec<(u32, Decimal, u32)>,
}

fn pos(spec: PosSpec<'_>) -> Pos {
    let name = if spec.currency == "TRY" {
        format!("{} {}", spec.bank, spec.program)
    } else {
        format!("{} {} {}", spec.bank, spec.program, spec.currency)
    };
    Pos {
        tenant_pos_id: spec.id.into(),
        name,
        bank: spec.bank.into(),
        program: spec.program.into(),
        currency: spec.currency.into(),
        color_code: spec.color.into(),
        logo_small: format!("~/Content/themes/base/images/apilogo/{}.png", spec.logo),
        is_default: spec.default,
        active: spec.active,
        pos_type_id: 1,
        partner_id: 0,
        rates: spec.rates,
    }
}

fn card(
    number: &str,
    holder: &str,
    label: &str,
    authorisation: Authorisation,
    three_d: ThreeD,
) -> TestCard {
    TestCard {
        number: number.into(),
        holder: holder.into(),
        label: label.into(),
        authorisation,
        three_d,
        otp: (three_d != ThreeD::Frictionless).then(|| DEMO_OTP.into()),
        exp_month: 12,
        exp_year: 2030,
        cvv: "000".into(),
    }
}

impl DemoData {
    /// The standard demo data set.
    pub fn standard() -> Self {
        use Authorisation::*;
        use ThreeD::*;
        let anadolu = Dealer {
            tenant_id: "670683c1-2fe0-4846-87b2-6cba9b793ab2".into(),
            name: "Anadolu Beyaz Eşya Ltd. Şti.".into(),
            api_key: "demo-anadolu-4c1f9a".into(),
            secret_key: "demo-secret-anadolu-7Hq2".into(),
            pos: vec![
                pos(PosSpec {
                    id: "384badef-11ec-ee11-98f2-005056b0d2e5",
                    bank: "Yapı Kredi",
                    program: "World",
                    currency: "TRY",
                    color: "#701f7e",
                    logo: "yapikredi/world",
                    default: true,
                    active: true,
                    rates: rates("1.79", "1.50", 12, &[(3, 2)]),
                }),
                pos(PosSpec {
                    id: "9a3e5c10-4b1d-4f6a-8c2e-1d0b7a9f3e21",
                    bank: "Garanti BBVA",
                    program: "Bonus",
                    currency: "TRY",
                    color: "#00854a",
                    logo: "garanti/bonus",
                    default: false,
                    active: true,
                    rates: rates("1.89", "1.55", 12, &[]),
                }),
                pos(PosSpec {
                    id: "c51d2e8f-7a3b-4e9c-9f10-2b6d8e4a7c32",
                    bank: "Akbank",
                    program: "Axess",
                    currency: "TRY",
                    color: "#e30613",
                    logo: "akbank/axess",
                    default: false,
                    active: true,
                    rates: rates("1.85", "1.52", 12, &[(6, 1)]),
                }),
                pos(PosSpec {
                    id: "e7f4a1b2-3c5d-4e6f-8a9b-0c1d2e3f4a43",
                    bank: "İş Bankası",
                    program: "Maximum",
                    currency: "TRY",
                    color: "#1d4f91",
                    logo: "isbank/maximum",
                    default: false,
                    active: true,
                    rates: rates("1.75", "1.58", 12, &[]),
                }),
                pos(PosSpec {
                    id: "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e54",
                    bank: "QNB",
                    program: "CardFinans",
                    currency: "TRY",
                    color: "#5b2c82",
                    logo: "qnb/cardfinans",
                    default: false,
                    active: true,
                    rates: rates("1.99", "1.49", 12, &[]),
                }),
                pos(PosSpec {
                    id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c65",
                    bank: "Halkbank",
                    program: "Paraf",
                    currency: "TRY",
                    color: "#005aa3",
                    logo: "halkbank/paraf",
                    default: false,
                    active: true,
                    rates: rates("1.69", "1.60", 12, &[]),
                }),
                pos(PosSpec {
                    id: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d76",
                    bank: "Garanti BBVA",
                    program: "Bonus",
                    currency: "USD",
                    color: "#00854a",
                    logo: "garanti/bonus",
                    default: true,
                    active: true,
                    rates: rates("2.10", "0", 1, &[]),
                }),
                pos(PosSpec {
                    id: "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e87",
                    bank: "Ziraat",
                    program: "Bankkart",
                    currency: "TRY",
                    color: "#e30a17",
                    logo: "ziraat/bankkart",
                    default: false,
                    active: false,
                    rates: rates("1.59", "1.65", 12, &[]),
                }),
            ],
        };
        let ege = Dealer {
            tenant_id: "8d1e6b2a-9c3f-4a7e-b5d0-3e2f1a0b9c98".into(),
            name: "Ege Elektronik A.Ş.".into(),
            api_key: "demo-ege-7b2d4e".into(),
            secret_key: "demo-secret-ege-9Lm4".into(),
            pos: vec![
                pos(PosSpec {
                    id: "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f98",
                    bank: "Ziraat",
                    program: "Bankkart",
                    currency: "TRY",
                    color: "#e30a17",
                    logo: "ziraat/bankkart",
                    default: true,
                    active: true,
                    rates: rates("1.59", "1.65", 12, &[]),
                }),
                pos(PosSpec {
                    id: "5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a09",
                    bank: "Akbank",
                    program: "Axess",
                    currency: "TRY",
                    color: "#e30613",
                    logo: "akbank/axess",
                    default: false,
                    active: true,
                    rates: rates("1.82", "1.50", 12, &[]),
                }),
                pos(PosSpec {
                    id: "6f7a8b9c-0d1e-4f2a-9b3c-5d6e7f8a9b1a",
                    bank: "İş Bankası",
                    program: "Maximum",
                    currency: "TRY",
                    color: "#1d4f91",
                    logo: "isbank/maximum",
                    default: false,
                    active: true,
                    rates: rates("1.72", "1.61", 12, &[]),
                }),
                pos(PosSpec {
                    id: "7a8b9c0d-1e2f-4a3b-8c4d-6e7f8a9b0c2b",
                    bank: "Yapı Kredi",
                    program: "World",
                    currency: "TRY",
                    color: "#701f7e",
                    logo: "yapikredi/world",
                    default: false,
                    active: true,
                    rates: rates("1.81", "1.48", 12, &[]),
                }),
                pos(PosSpec {
                    id: "8b9c0d1e-2f3a-4b4c-9d5e-7f8a9b0c1d3c",
                    bank: "Ziraat",
                    program: "Bankkart",
                    currency: "EUR",
                    color: "#e30a17",
                    logo: "ziraat/bankkart",
                    default: true,
                    active: true,
                    rates: rates("2.25", "0", 1, &[]),
                }),
            ],
        };
        let bins = standard_bins();
        let test_cards = vec![
            card(
                "4155650100416111",
                "TEST KART",
                "approves; 3D asks for the OTP",
                Approve,
                Challenge,
            ),
            card(
                "5400611000000009",
                "RED KART",
                "declined by the issuer (insufficient funds)",
                Decline,
                Challenge,
            ),
            card(
                "4355080000000005",
                "OTP KART",
                "approves; 3D asks for the OTP",
                Approve,
                Challenge,
            ),
            card(
                "4508030000000006",
                "HIZLI KART",
                "approves; 3D passes without a challenge",
                Approve,
                Frictionless,
            ),
            card(
                "4132260000000003",
                "HATALI OTP",
                "3D rejects every OTP",
                Approve,
                AlwaysFails,
            ),
            card(
                "9792030000000000",
                "PARAF KART",
                "approves (Troy, Paraf program)",
                Approve,
                Challenge,
            ),
            card(
                "5528790000000008",
                "ZIRAAT KART",
                "approves (Bankkart program)",
                Approve,
                Challenge,
            ),
            card(
                "4543600000000003",
                "ZORUNLU 3D",
                "approves; the BIN answer says 3D Secure is required",
                Approve,
                Challenge,
            ),
            card(
                "5218240000000009",
                "CVVSIZ KART",
                "approves; the BIN answer says no 3D and no CVV",
                Approve,
                Frictionless,
            ),
            card(
                "9792100000000001",
                "LIMITLI KART",
                "approves; the BIN answer says 3D above ₺2,000 and commission type 20",
                Approve,
                Frictionless,
            ),
            card(
                "374427000000003",
                "AMEX KART",
                "approves (American Express, 15 digits)",
                Approve,
                Challenge,
            ),
        ];
        DemoData {
            dealers: vec![anadolu, ege],
            bins,
            test_cards,
            otp: DEMO_OTP.into(),
            seeded_references: vec![
                "NTH2P00000002974".into(),
                "NTH2P00000003000".into(),
                "NTH2P00000003086".into(),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_coherent() {
        let data = DemoData::standard();
        assert!(data.dealers.len() >= 2);
        for dealer in &data.dealers {
            let active_try: Vec<_> = dealer
                .pos
                .iter()
                .filter(|p| p.active && p.currency == "TRY")
                .collect();
            assert!(active_try.len() >= 4, "{}", dealer.name);
            let banks: std::collections::HashSet<_> = active_try.iter().map(|p| &p.bank).collect();
            assert_eq!(banks.len(), active_try.len(), "different banks");
            assert!(
                dealer.pos.iter().any(|p| p.currency != "TRY"),
                "a second currency"
            );
            for currency in ["TRY", "USD", "EUR"] {
                let defaults = dealer
                    .pos
                    .iter()
                    .filter(|p| p.active && p.currency == currency && p.is_default)
                    .count();
                assert!(defaults <= 1, "one default POS per currency");
            }
            for p in active_try {
                let installments: Vec<u32> = p.rates.iter().map(|r| r.0).collect();
                assert_eq!(installments, (1..=12).collect::<Vec<_>>());
            }
        }
        for c in &data.test_cards {
            assert!(crate::card::luhn_ok(&c.number), "{}", c.number);
            assert!(
                data.bin(&c.number).is_some(),
                "{} has a BIN entry",
                c.number
            );
        }
        let behaviours: std::collections::HashSet<_> = data
            .test_cards
            .iter()
            .map(|c| (c.authorisation, c.three_d))
            .collect();
        assert!(behaviours.len() >= 4);
    }
}
