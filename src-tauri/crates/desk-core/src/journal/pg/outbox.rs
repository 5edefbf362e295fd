//! The outbox in the team database, shared by every desk: a desk claims the letters it sends
//! (FOR UPDATE SKIP LOCKED: desks claiming together take different ones, and none waits for
//! another), and each change is announced as a change of its entry (`outbox_notify`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::{pg_error, word, PgJournal};
use crate::journal::outbox::{
    delivery_columns, with_parameters, CLAIM_SQL, DELIVERED_SQL, ENQUEUE_SQL, LETTER_COLUMNS,
};
use crate::journal::{timestamp_text, Delivery, JournalResult, LetterRecord, NewLetter, Outbox};
use crate::model::{Language, LetterState};

fn letter_of(row: &Row) -> JournalResult<LetterRecord> {
    Ok(LetterRecord {
        id: row.get("id"),
        entry_id: row.get("entry_id"),
        profile_id: row.get("profile_id"),
        environment: row.get("environment"),
        recipient: row.get("recipient"),
        lang: word(Language::parse(row.get("lang")))?,
        subject: row.get("subject"),
        plain: row.get("plain"),
        html: row.get("html"),
        operator: row.get("operator"),
        created_at: row.get("created_at"),
        state: word(LetterState::parse(row.get("state")))?,
        attempts: row.get::<_, i32>("attempts") as u32,
        sent_at: row.get("sent_at"),
        last_error: row.get("last_error"),
    })
}

impl PgJournal {
    async fn letters_where(
        &self,
        condition: &str,
        args: &[&(dyn ToSql + Sync)],
    ) -> JournalResult<Vec<LetterRecord>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("SELECT {LETTER_COLUMNS} FROM outbox WHERE {condition}"),
                args,
            )
            .await
            .map_err(pg_error)?;
        rows.iter().map(letter_of).collect()
    }
}

#[async_trait]
impl Outbox for PgJournal {
    async fn enqueue_letter(&self, letter: &NewLetter, now: DateTime<Utc>) -> JournalResult<i64> {
        let client = self.client().await?;
        let now = timestamp_text(now);
        let row = client
            .query_one(
                &with_parameters(ENQUEUE_SQL, '$'),
                &[
                    &letter.entry_id,
                    &letter.profile_id,
                    &letter.environment,
                    &letter.recipient,
                    &letter.lang.as_str(),
                    &letter.subject,
                    &letter.plain,
                    &letter.html,
                    &letter.operator,
                    &now,
                    &letter.state.as_str(),
                ],
            )
            .await
            .map_err(pg_error)?;
        Ok(row.get(0))
    }

    async fn claim_letters(
        &self,
        desk: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> JournalResult<Vec<LetterRecord>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "{} RETURNING {LETTER_COLUMNS}",
                    with_parameters(CLAIM_SQL, '$').replace("{lock}", "FOR UPDATE SKIP LOCKED")
                ),
                &[
                    &desk,
                    &timestamp_text(now),
                    &timestamp_text(until),
                    &i64::from(limit),
                ],
            )
            .await
            .map_err(pg_error)?;
        rows.iter().map(letter_of).collect()
    }

    async fn delivered(
        &self,
        id: i64,
        desk: &str,
        delivery: &Delivery,
        now: DateTime<Utc>,
    ) -> JournalResult<()> {
        let (state, error, next_try) = delivery_columns(delivery, now);
        let client = self.client().await?;
        client
            .execute(
                &with_parameters(DELIVERED_SQL, '$'),
                &[&id, &desk, &state, &error, &next_try, &timestamp_text(now)],
            )
            .await
            .map_err(pg_error)?;
        Ok(())
    }

    async fn letters_of(&self, entry_ids: &[i64]) -> JournalResult<Vec<LetterRecord>> {
        self.letters_where("entry_id = ANY($1) ORDER BY id", &[&entry_ids])
            .await
    }

    async fn letter(&self, id: i64) -> JournalResult<Option<LetterRecord>> {
        let mut found = self.letters_where("id = $1", &[&id]).await?;
        Ok(found.pop())
    }

    async fn recent_letters(
        &self,
        profile_id: &str,
        limit: u32,
    ) -> JournalResult<Vec<LetterRecord>> {
        self.letters_where(
            "profile_id = $1 ORDER BY id DESC LIMIT $2",
            &[&profile_id, &i64::from(limit)],
        )
        .await
    }
}
