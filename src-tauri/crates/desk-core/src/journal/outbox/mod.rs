//! The outbox: letters to customers (a receipt, a notice of a cancel or refund), kept in the
//! journal until they are sent, with how each went. A letter is written after its operation
//! ended and sent by whichever desk has the mail server's password (in team mode, one desk
//! claims a letter at a time); nothing on the money path waits for it. A Demo letter is kept,
//! never sent: the outbox viewer shows it.

mod schema;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use schema::OUTBOX_SCHEMA;

use super::{timestamp_text, JournalResult};
use crate::model::{Language, LetterState};

/// A letter about to be written to the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLetter {
    /// The journal entry it tells about.
    pub entry_id: i64,
    pub profile_id: String,
    pub environment: String,
    pub recipient: String,
    pub lang: Language,
    pub subject: String,
    pub plain: String,
    pub html: String,
    /// Who had it sent.
    pub operator: String,
    /// `Kept` (Demo: never sent) or `Waiting`.
    pub state: LetterState,
}

/// A letter in the outbox, and how it went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterRecord {
    pub id: i64,
    pub entry_id: i64,
    pub profile_id: String,
    pub environment: String,
    pub recipient: String,
    pub lang: Language,
    pub subject: String,
    pub plain: String,
    pub html: String,
    pub operator: String,
    pub created_at: String,
    pub state: LetterState,
    /// Tries so far.
    pub attempts: u32,
    pub sent_at: Option<String>,
    /// Why the last try failed.
    pub last_error: Option<String>,
}

/// How one try to send a letter went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Not sent; tried again from `next_try`.
    Retry {
        error: String,
        next_try: DateTime<Utc>,
    },
    /// Not sent, and not tried again (the server refused it for good, or too many tries).
    GaveUp {
        error: String,
    },
}

#[async_trait]
pub trait Outbox: Send + Sync {
    /// Writes a letter; returns its id.
    async fn enqueue_letter(&self, letter: &NewLetter, now: DateTime<Utc>) -> JournalResult<i64>;
    /// Up to `limit` letters waiting and due at `now`, held for `desk` until `until`: no other
    /// desk claims them meanwhile (in team mode, desks claiming together get different ones).
    async fn claim_letters(
        &self,
        desk: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> JournalResult<Vec<LetterRecord>>;
    /// Records how a try went, and lets go of the letter (only while `desk` holds it).
    async fn delivered(
        &self,
        id: i64,
        desk: &str,
        delivery: &Delivery,
        now: DateTime<Utc>,
    ) -> JournalResult<()>;
    /// The letters about these entries, oldest first.
    async fn letters_of(&self, entry_ids: &[i64]) -> JournalResult<Vec<LetterRecord>>;
    async fn letter(&self, id: i64) -> JournalResult<Option<LetterRecord>>;
    /// One profile's newest letters first (the outbox viewer).
    async fn recent_letters(
        &self,
        profile_id: &str,
        limit: u32,
    ) -> JournalResult<Vec<LetterRecord>>;
}

/// The recipient as a history line shows it: "a…@example.com".
pub fn masked_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".into(),
    }
}

/// The retention purge's step for letters: those written before `{1}` that are no longer
/// waiting forget the customer (the body, the subject and the recipient but for its
/// masked form, which the history keeps). `{instr}`: the store's `instr`/`strpos`.
pub(in crate::journal) const FORGET_LETTERS_SQL: &str = "UPDATE outbox
    SET recipient = substr(recipient, 1, 1) || '…' || substr(recipient, {instr}(recipient, '@')),
        subject = '', plain = '', html = ''
    WHERE created_at < {1} AND state <> 'waiting' AND html <> ''";

/// The SQL of the outbox's writes, the same on both stores: `{n}` is the store's n-th parameter.
pub(in crate::journal) const ENQUEUE_SQL: &str = "INSERT INTO outbox (entry_id, profile_id,
        environment, recipient, lang, subject, plain, html, operator, created_at, state,
        next_try_at)
    VALUES ({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {10}) RETURNING id";
/// Parameters: desk, now, until, limit (PostgreSQL adds `FOR UPDATE SKIP LOCKED` at `{lock}`).
pub(in crate::journal) const CLAIM_SQL: &str = "UPDATE outbox
    SET sending_by = {1}, sending_until = {3}
    WHERE id IN (SELECT id FROM outbox WHERE state = 'waiting' AND next_try_at <= {2}
        AND (sending_until IS NULL OR sending_until < {2})
        ORDER BY next_try_at, id LIMIT {4} {lock})";
/// Parameters: id, desk, then [`delivery_columns`], then now.
pub(in crate::journal) const DELIVERED_SQL: &str = "UPDATE outbox SET state = {3},
        last_error = {4}, next_try_at = {5}, attempts = attempts + 1, sending_by = NULL,
        sending_until = NULL, sent_at = CASE WHEN {3} = 'sent' THEN {6} ELSE sent_at END
    WHERE id = {1} AND sending_by = {2} RETURNING entry_id";

/// `sql` with `{n}` as the store's parameters (`?` for SQLite, `$` for PostgreSQL).
pub(in crate::journal) fn with_parameters(sql: &str, mark: char) -> String {
    (1..=11).rev().fold(sql.to_owned(), |sql, n| {
        sql.replace(&format!("{{{n}}}"), &format!("{mark}{n}"))
    })
}

/// The columns every read of the outbox selects, in this order.
pub(in crate::journal) const LETTER_COLUMNS: &str =
    "id, entry_id, profile_id, environment, recipient, lang,
    subject, plain, html, operator, created_at, state, attempts, sent_at, last_error";

/// A try's outcome as the outbox's columns: state, error, next try.
pub(in crate::journal) fn delivery_columns(
    delivery: &Delivery,
    now: DateTime<Utc>,
) -> (&'static str, Option<&str>, String) {
    match delivery {
        Delivery::Sent => (LetterState::Sent.as_str(), None, timestamp_text(now)),
        Delivery::Retry { error, next_try } => (
            LetterState::Waiting.as_str(),
            Some(error),
            timestamp_text(*next_try),
        ),
        Delivery::GaveUp { error } => (
            LetterState::Failed.as_str(),
            Some(error),
            timestamp_text(now),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::masked_address;

    #[test]
    fn a_recipient_is_shown_by_the_first_letter_and_the_domain() {
        assert_eq!(masked_address("ayse.kaya@example.com"), "a…@example.com");
        assert_eq!(masked_address("ömer@örnek.com.tr"), "ö…@örnek.com.tr");
        assert_eq!(masked_address("no-at-sign"), "…");
    }
}
