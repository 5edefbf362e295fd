//! The outbox in the desk's own file. One desk writes it, so a claim is one UPDATE; the hold
//! still matters when a try outlives a crash (the next start waits until it runs out).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::{word, SqliteJournal};
use crate::journal::outbox::{
    delivery_columns, with_parameters, CLAIM_SQL, DELIVERED_SQL, ENQUEUE_SQL, LETTER_COLUMNS,
};
use crate::journal::store::blocking;
use crate::journal::{
    db_error, timestamp_text, Delivery, JournalResult, LetterRecord, NewLetter, Outbox,
};
use crate::model::{Language, LetterState};

fn letter_from(row: &Row<'_>) -> rusqlite::Result<LetterRecord> {
    Ok(LetterRecord {
        id: row.get("id")?,
        entry_id: row.get("entry_id")?,
        profile_id: row.get("profile_id")?,
        environment: row.get("environment")?,
        recipient: row.get("recipient")?,
        lang: word(Language::parse(&row.get::<_, String>("lang")?))?,
        subject: row.get("subject")?,
        plain: row.get("plain")?,
        html: row.get("html")?,
        operator: row.get("operator")?,
        created_at: row.get("created_at")?,
        state: word(LetterState::parse(&row.get::<_, String>("state")?))?,
        attempts: row.get("attempts")?,
        sent_at: row.get("sent_at")?,
        last_error: row.get("last_error")?,
    })
}

impl SqliteJournal {
    fn letters_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> JournalResult<Vec<LetterRecord>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {LETTER_COLUMNS} FROM outbox WHERE {condition}"
            ))
            .map_err(db_error)?;
        let letters = stmt
            .query_map(args, letter_from)
            .and_then(|rows| rows.collect())
            .map_err(db_error);
        letters
    }
}

#[async_trait]
impl Outbox for SqliteJournal {
    async fn enqueue_letter(&self, letter: &NewLetter, now: DateTime<Utc>) -> JournalResult<i64> {
        let id = blocking(|| {
            let conn = self.conn();
            conn.query_row(
                &with_parameters(ENQUEUE_SQL, '?'),
                params![
                    letter.entry_id,
                    letter.profile_id,
                    letter.environment,
                    letter.recipient,
                    letter.lang.as_str(),
                    letter.subject,
                    letter.plain,
                    letter.html,
                    letter.operator,
                    timestamp_text(now),
                    letter.state.as_str(),
                ],
                |row| row.get(0),
            )
            .map_err(db_error)
        })?;
        self.announce(letter.entry_id);
        Ok(id)
    }

    async fn claim_letters(
        &self,
        desk: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> JournalResult<Vec<LetterRecord>> {
        blocking(|| {
            let conn = self.conn();
            let mut stmt = conn
                .prepare_cached(&format!(
                    "{} RETURNING {LETTER_COLUMNS}",
                    with_parameters(CLAIM_SQL, '?').replace("{lock}", "")
                ))
                .map_err(db_error)?;
            let claimed = stmt
                .query_map(
                    params![desk, timestamp_text(now), timestamp_text(until), limit],
                    letter_from,
                )
                .and_then(|rows| rows.collect())
                .map_err(db_error);
            claimed
        })
    }

    async fn delivered(
        &self,
        id: i64,
        desk: &str,
        delivery: &Delivery,
        now: DateTime<Utc>,
    ) -> JournalResult<()> {
        let (state, error, next_try) = delivery_columns(delivery, now);
        let entry_id: Option<i64> = blocking(|| {
            self.conn()
                .query_row(
                    &with_parameters(DELIVERED_SQL, '?'),
                    params![id, desk, state, error, next_try, timestamp_text(now)],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_error)
        })?;
        if let Some(entry_id) = entry_id {
            self.announce(entry_id);
        }
        Ok(())
    }

    async fn letters_of(&self, entry_ids: &[i64]) -> JournalResult<Vec<LetterRecord>> {
        let ids = serde_json::to_string(entry_ids).map_err(db_error)?;
        blocking(|| {
            self.letters_where(
                "entry_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                [ids],
            )
        })
    }

    async fn letter(&self, id: i64) -> JournalResult<Option<LetterRecord>> {
        blocking(|| self.letters_where("id = ?1", [id])).map(|mut found| found.pop())
    }

    async fn recent_letters(
        &self,
        profile_id: &str,
        limit: u32,
    ) -> JournalResult<Vec<LetterRecord>> {
        blocking(|| {
            self.letters_where(
                "profile_id = ?1 ORDER BY id DESC LIMIT ?2",
                params![profile_id, limit],
            )
        })
    }
}
