//! A payment as the window sends it (card data wrapped so it never prints) and its outcome.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TransactionView;
use crate::model::{Doubt, Money, Outcome};

/// A payment as the operator confirmed it. Not `Clone`: its card data exists once.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentInput {
    pub order_reference: String,
    pub amount: String,
    pub currency: String,
    pub installment: u32,
    pub tenant_pos_id: String,
    pub use_3d: bool,
    pub contact: ContactInput,
    pub card: CardInput,
    /// Write to the customer (a receipt, a notice) in this language once it succeeded; `None`:
    /// no letter.
    #[serde(default)]
    #[ts(optional)]
    pub email_customer: Option<crate::model::Language>,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactInput {
    pub name: String,
    pub surname: String,
    pub email: String,
    pub phone: Option<String>,
    pub tckn: Option<String>,
    pub description: Option<String>,
    /// The customer's account code in the dealer's books ("cari kod"); never sent to the
    /// gateway, kept in the journal for the accountant.
    #[serde(default)]
    #[ts(optional)]
    pub account_code: Option<String>,
}

/// Card data as typed. Lives only for the one call; `Debug` shows the masked number.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardInput {
    #[ts(type = "string")]
    pub number: CardSecret,
    pub holder: String,
    pub exp_month: u32,
    pub exp_year: u32,
    #[ts(type = "string")]
    pub cvv: CardSecret,
}

/// A card number or CVV as typed: its memory is zeroed when it is dropped, and it is never
/// cloned or printed (no `Clone`, no `Debug`, no `Serialize`).
pub struct CardSecret(zeroize::Zeroizing<String>);

impl CardSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for CardSecret {
    fn from(text: &str) -> Self {
        Self(zeroize::Zeroizing::new(text.to_owned()))
    }
}

impl<'de> Deserialize<'de> for CardSecret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self(zeroize::Zeroizing::new(text)))
    }
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = zeroize::Zeroizing::new(
            self.number
                .expose()
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>(),
        );
        f.debug_struct("CardInput")
            .field("number", &vpws::mask::card_number(&digits))
            .field("holder", &self.holder)
            .field("cvv", &"***")
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PaymentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentInput")
            .field("order_reference", &self.order_reference)
            .field("amount", &self.amount)
            .field("installment", &self.installment)
            .field("card", &self.card)
            .finish_non_exhaustive()
    }
}

/// How a payment stands: a view of its verdict (`crate::verdict`). Only `outcome: success`
/// means money was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentOutcome {
    pub order_reference: String,
    pub amount: Money,
    pub currency: String,
    pub outcome: Outcome,
    /// Why it is in doubt, when it is.
    pub doubt: Option<Doubt>,
    /// Why it failed: the gateway's code (`P011`…) or `declined`.
    pub code: Option<String>,
    /// The bank's own words, when it gave any.
    pub message: Option<String>,
    /// The gateway's transaction, when it could be read.
    pub transaction: Option<TransactionView>,
    /// Demo gateway: no real money moved.
    pub demo: bool,
    /// `false`: the gateway's verdict is shown but the journal could not be written (the team
    /// database is away); the desk writes it as soon as the journal is back.
    pub journaled: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PaymentPhase {
    Sending,
    /// The bank's page is open in the 3D window.
    WaitingFor3d,
    /// The answer was lost or inconclusive: asking the gateway by the order reference.
    Checking,
    /// `outcome` says how it ended.
    Done,
}

/// What the payment screen shows, whichever screen the operator was on meanwhile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CurrentPayment {
    pub order_reference: String,
    pub amount: Money,
    pub currency: String,
    pub phase: PaymentPhase,
    pub outcome: Option<PaymentOutcome>,
    /// Demo gateway: no real money moves.
    pub demo: bool,
}
