//! The words every part of the desk shares: what an entry is, where an operation stands, why it
//! is in doubt, who an operator is, where a transaction stands, the language and the kind of a
//! profile, where the team database is, and an amount of money. A leaf: it imports nothing of this crate, so any module may use it without a ring.
//! Each word's text (the journal's, the wire's) is derived once, here; an unknown text is an
//! error, never a guess.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use strum::{EnumString, IntoStaticStr};
use ts_rs::TS;

/// A text that names none of a word's values (a journal written by a newer app, or damaged).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {word}: {text:?}")]
pub struct UnknownWord {
    pub word: &'static str,
    pub text: String,
}

/// `as_str` and `parse` from the derived string forms.
macro_rules! words {
    ($($name:ident),* $(,)?) => {$(
        impl $name {
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            pub fn parse(text: &str) -> Result<Self, UnknownWord> {
                text.parse().map_err(|_| UnknownWord {
                    word: stringify!($name),
                    text: text.to_owned(),
                })
            }
        }
    )*};
}

words!(
    EntryKind,
    Outcome,
    Doubt,
    Role,
    ApprovalStatus,
    TransactionState,
    ProfileKind,
    Language,
    LetterState
);

/// Where a letter to a customer stands in the outbox.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum LetterState {
    /// To be sent (again, after a failed try).
    Waiting,
    Sent,
    /// Demo: kept for the outbox viewer, never sent.
    Kept,
    /// Given up: the mail server refused it for good, or too many tries failed.
    Failed,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum EntryKind {
    Payment,
    Cancel,
    Refund,
}

/// Where an operation stands (ARCHITECTURE.md). Only `Success`, `Failed`, `NotSent` and `NotCharged`
/// are final; the others are re-asked until they are.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum Outcome {
    /// Written before sending; maybe sent.
    Pending,
    Success,
    /// Definite: the gateway refused it, nothing moved.
    Failed,
    /// The gateway never processed it (no connection, or refused before processing): nothing
    /// moved and an order reference is still free.
    NotSent,
    /// Proven absent: the gateway kept not knowing the payment through the settling window.
    NotCharged,
    /// Sent, but the answer was lost or inconclusive; being reconciled. (Journals before the
    /// verdict wrote `unknown`.)
    #[strum(to_string = "inDoubt", serialize = "unknown")]
    InDoubt,
    /// The 3D window was closed before the bank answered; watched until the gateway decides.
    Abandoned,
}

impl Outcome {
    /// What is decided for good.
    pub const FINAL: [Outcome; 4] = [
        Outcome::Success,
        Outcome::Failed,
        Outcome::NotSent,
        Outcome::NotCharged,
    ];
    /// What reconciliation still asks about: everything else.
    pub const UNSETTLED: [Outcome; 3] = [Outcome::Pending, Outcome::InDoubt, Outcome::Abandoned];

    pub fn is_final(self) -> bool {
        Outcome::FINAL.contains(&self)
    }

    /// [`Outcome::FINAL`] and [`Outcome::UNSETTLED`] as SQL lists, for `IN (…)`.
    pub const FINAL_SQL: SqlList = SqlList(&Outcome::FINAL);
    pub const UNSETTLED_SQL: SqlList = SqlList(&Outcome::UNSETTLED);
}

/// Outcomes as an SQL list of text literals (`'pending', 'inDoubt'`), for `IN (…)`.
#[derive(Clone, Copy, Debug)]
pub struct SqlList(pub &'static [Outcome]);

impl std::fmt::Display for SqlList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, outcome) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "'{}'", outcome.as_str())?;
        }
        Ok(())
    }
}

/// Why an operation is in doubt: what the operator is told, and what the desk waits for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum Doubt {
    /// The answer was lost and the gateway could not be asked since.
    AnswerLost,
    /// The gateway does not show it (yet): inside the settling window.
    NotVisibleYet,
    /// The gateway holds the payment as pending (its 3D step is still open).
    GatewayPending,
    /// Found by the order reference, but with another amount or currency.
    ReferenceReused,
    /// The refundable amount changed by something other than this operation.
    RemainingMismatch,
    /// The gateway reports a status the desk does not know.
    UnknownStatus,
    /// A reversal journaled without the refundable amount before it (older journals).
    NoBaseline,
}

/// What an operator may do (enforced by the desk, not only hidden in the UI).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum Role {
    /// Takes payments, looks up, browses rates.
    Cashier,
    /// Also cancels, and refunds up to a limit; above it, asks a supervisor.
    BackOffice,
    /// Any amount; approves requests; manages operators, profiles and the journal.
    Supervisor,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Rejected,
}

/// Where a transaction stands, as the desk shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, IntoStaticStr, EnumString)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum TransactionState {
    Success,
    Failed,
    Pending,
    PartiallyRefunded,
    /// Nothing left: fully refunded, or cancelled (the gateway reports both the same way).
    Closed,
    Cancelled,
    Refunded,
    Unknown,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum ProfileKind {
    /// The built-in demo gateway, started in-process.
    Demo,
    Sandbox,
    Live,
    Custom,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString,
)]
#[ts(export)]
pub enum Language {
    #[serde(rename = "tr")]
    #[strum(serialize = "tr")]
    Turkish,
    #[serde(rename = "en")]
    #[strum(serialize = "en")]
    English,
}

impl Language {
    /// Turkish for a Turkish OS locale, English otherwise.
    pub fn from_locale(locale: Option<&str>) -> Self {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("tr") => Language::Turkish,
            _ => Language::English,
        }
    }
}

/// An amount of money, exact. On the wire and in the journal it is a decimal string with two
/// places (`"1234.50"`), never a JSON number, so no amount passes through binary floating point.
/// Reading one back is strict: a text that is not a plain decimal is an error, never zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(type = "string")]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn value(self) -> Decimal {
        self.0
    }

    /// Reads a stored or sent amount: digits, an optional sign and an optional fraction.
    pub fn parse(text: &str) -> Result<Self, UnknownWord> {
        let unknown = || UnknownWord {
            word: "Money",
            text: text.to_owned(),
        };
        let plain = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = plain.split_once('.').unwrap_or((plain, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || plain.ends_with('.') {
            return Err(unknown());
        }
        Decimal::from_str_exact(text)
            .map(Money)
            .map_err(|_| unknown())
    }

    /// To the cent, halves away from zero.
    pub fn cents(self) -> Decimal {
        self.0
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

impl std::str::FromStr for Money {
    type Err = UnknownWord;

    fn from_str(text: &str) -> Result<Self, UnknownWord> {
        Money::parse(text)
    }
}

impl From<Decimal> for Money {
    fn from(value: Decimal) -> Self {
        Money(value)
    }
}

impl From<Money> for Decimal {
    fn from(money: Money) -> Self {
        money.0
    }
}

/// Two places: `1234.5` → `1234.50`, `0.005` → `0.01`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut cents = self.cents();
        cents.rescale(2);
        write!(f, "{cents}")
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The team journal's database, as the Connection screen sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamDatabase {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub ssl_mode: SslMode,
    /// `require`: the SHA-256 fingerprint of the server's certificate a supervisor confirmed
    /// (pinned on first use); `None` until then.
    #[serde(default)]
    pub certificate: Option<String>,
}

/// How a desk reaches the team database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SslMode {
    /// No encryption: only to a database on this computer (loopback).
    Disable,
    /// Encrypted, the server's own certificate pinned: its fingerprint is shown once to confirm
    /// (a self-signed server on the LAN).
    Require,
    /// Encrypted, and the certificate must be valid for the host (the default).
    #[default]
    VerifyFull,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each value is its JSON form: the journal, the wire and the UI say the same.
    fn same_as_json<T: Serialize + Copy>(values: &[T], as_str: impl Fn(T) -> &'static str) {
        for value in values {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json.as_str(), Some(as_str(*value)));
        }
    }

    #[test]
    fn every_word_reads_back_as_written_and_as_its_json() {
        let outcomes = [Outcome::FINAL.as_slice(), Outcome::UNSETTLED.as_slice()].concat();
        assert_eq!(outcomes.len(), 7, "every outcome is final or not");
        for outcome in &outcomes {
            assert_eq!(Outcome::parse(outcome.as_str()), Ok(*outcome));
        }
        same_as_json(&outcomes, Outcome::as_str);
        let kinds = [EntryKind::Payment, EntryKind::Cancel, EntryKind::Refund];
        same_as_json(&kinds, EntryKind::as_str);
        same_as_json(
            &[Role::Cashier, Role::BackOffice, Role::Supervisor],
            Role::as_str,
        );
        same_as_json(&[Doubt::AnswerLost, Doubt::NoBaseline], Doubt::as_str);
        same_as_json(&[Language::Turkish, Language::English], Language::as_str);
        same_as_json(
            &[ProfileKind::Demo, ProfileKind::Custom],
            ProfileKind::as_str,
        );
        same_as_json(
            &[
                TransactionState::PartiallyRefunded,
                TransactionState::Closed,
            ],
            TransactionState::as_str,
        );
        assert_eq!(Role::parse("backOffice"), Ok(Role::BackOffice));
    }

    #[test]
    fn money_is_a_two_place_string_on_the_wire_and_reads_back_strictly() {
        let amount = Money::parse("1234.5").unwrap();
        assert_eq!(amount.value(), Decimal::new(12345, 1));
        assert_eq!(serde_json::to_string(&amount).unwrap(), r#""1234.50""#);
        assert_eq!(Money::from(Decimal::new(5, 3)).to_string(), "0.01");
        assert_eq!(Money::parse("-3").unwrap().to_string(), "-3.00");
        let back: Money = serde_json::from_str(r#""15""#).unwrap();
        assert_eq!(back.to_string(), "15.00");
        for bad in ["", "1,5", "12.", ".5", "1e3", "NaN", " 1", "--1", "1.2.3"] {
            assert!(Money::parse(bad).is_err(), "{bad:?}");
        }
        assert!(
            serde_json::from_str::<Money>("15").is_err(),
            "a number is not an amount"
        );
    }

    #[test]
    fn an_unknown_text_is_an_error_not_a_guess() {
        let e = EntryKind::parse("chargeback").unwrap_err();
        assert_eq!((e.word, e.text.as_str()), ("EntryKind", "chargeback"));
        assert!(Outcome::parse("Success").is_err(), "case counts");
        assert!(Role::parse("").is_err());
        assert!(ApprovalStatus::parse("maybe").is_err());
    }

    /// The screens ask the same question ("is it final?") with the same answer: the lists are
    /// written next to the ts-rs files, and `.ci/test` fails if they changed.
    #[test]
    fn the_typescript_outcome_lists_are_written() {
        let list = |outcomes: &[Outcome]| {
            outcomes
                .iter()
                .map(|o| format!("'{}'", o.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = format!(
            "// Written by desk-core's model tests from `Outcome::FINAL` and `Outcome::UNSETTLED`. Do not edit.\n\
             import type {{ Outcome }} from './Outcome';\n\n\
             /** Decided for good: nothing more happens to an operation in one of these. */\n\
             export const FINAL_OUTCOMES: readonly Outcome[] = [{}];\n\n\
             /** Not final: the desk keeps asking the gateway until it is. */\n\
             export const UNSETTLED_OUTCOMES: readonly Outcome[] = [{}];\n",
            list(&Outcome::FINAL),
            list(&Outcome::UNSETTLED),
        );
        let dir = std::env::var("TS_RS_EXPORT_DIR").expect("set in .cargo/config.toml");
        std::fs::write(std::path::Path::new(&dir).join("outcomes.ts"), text).unwrap();
    }

    #[test]
    fn the_sql_lists_name_the_final_and_unsettled_outcomes() {
        assert_eq!(
            Outcome::UNSETTLED_SQL.to_string(),
            "'pending', 'inDoubt', 'abandoned'"
        );
        assert_eq!(
            Outcome::FINAL_SQL.to_string(),
            "'success', 'failed', 'notSent', 'notCharged'"
        );
    }
}
