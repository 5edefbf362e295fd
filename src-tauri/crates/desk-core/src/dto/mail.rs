//! Letters to customers as the screens show them: a line of a transaction's history, and a
//! letter whole in the outbox viewer.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::journal::{masked_address, LetterRecord};
use crate::model::{Language, LetterState};

/// A letter as a transaction's history shows it: to whom (masked), how it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub entry_id: i64,
    /// "a…@example.com".
    pub recipient: String,
    pub lang: Language,
    pub state: LetterState,
    pub attempts: u32,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// Why the last try failed: a stable error code (`mail_refused`, `mail_unreachable`,
    /// `mail_not_set_up`) and what the server said.
    pub error_code: Option<String>,
    pub error_detail: Option<String>,
    pub operator: String,
}

/// A letter whole, as the outbox viewer shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutboxLetter {
    pub letter: LetterView,
    pub to: String,
    pub subject: String,
    pub plain: String,
    pub html: String,
}

/// "E-mail the customer" on a history line: which entry, in which language.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EmailEntryInput {
    #[ts(type = "number")]
    pub entry_id: i64,
    pub lang: Language,
}

/// The letters about a transaction's entries (its history's ids).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LettersQuery {
    #[ts(type = "number[]")]
    pub entry_ids: Vec<i64>,
}

/// How a failed try is kept in the outbox's `last_error`: "code: detail".
pub fn stored_error(code: &str, detail: &str) -> String {
    format!("{code}: {detail}")
}

impl From<&LetterRecord> for LetterView {
    fn from(letter: &LetterRecord) -> Self {
        let (error_code, error_detail) = match letter.last_error.as_deref() {
            Some(text) => match text.split_once(": ") {
                Some((code, detail)) => (Some(code.to_owned()), Some(detail.to_owned())),
                None => (Some(text.to_owned()), None),
            },
            None => (None, None),
        };
        Self {
            id: letter.id,
            entry_id: letter.entry_id,
            recipient: masked_address(&letter.recipient),
            lang: letter.lang,
            state: letter.state,
            attempts: letter.attempts,
            created_at: letter.created_at.clone(),
            sent_at: letter.sent_at.clone(),
            error_code,
            error_detail,
            operator: letter.operator.clone(),
        }
    }
}

impl From<&LetterRecord> for OutboxLetter {
    fn from(letter: &LetterRecord) -> Self {
        Self {
            letter: letter.into(),
            to: letter.recipient.clone(),
            subject: letter.subject.clone(),
            plain: letter.plain.clone(),
            html: letter.html.clone(),
        }
    }
}
