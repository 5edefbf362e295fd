//! Moving a desk's own journal into the team database (ARCHITECTURE.md). Every entry is copied with
//! all it holds (outcome, customer, commission, who approved), once: the team database
//! remembers each copy by the file's identity and the entry's id, so running it again copies
//! nothing twice and an interrupted run simply goes on.

use rusqlite::OptionalExtension;
use tokio_postgres::types::ToSql;

use super::pg::{pg_error, PgJournal};
use super::{db_error, JournalResult, SqliteJournal};

/// The columns copied, each with the PostgreSQL type its text is cast to.
const COPIED: &[(&str, &str)] = &[
    ("created_at", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("day", "date"),
    ("profile_id", "text"),
    ("environment", "text"),
    ("operator", "text"),
    ("kind", "text"),
    ("amount", "text"),
    ("amount_minor", "bigint"),
    ("currency", "text"),
    ("installment", "integer"),
    ("pos_id", "text"),
    ("pos_name", "text"),
    ("order_reference", "text"),
    ("reference_code", "text"),
    ("transaction_id", "text"),
    ("masked_card", "text"),
    ("card_last4", "text"),
    ("outcome", "text"),
    ("error_code", "text"),
    ("error_message", "text"),
    ("reason", "text"),
    ("remaining_after", "text"),
    ("remaining_before", "text"),
    ("doubt", "text"),
    ("absent_since", "timestamptz"),
    ("absent_checks", "integer"),
    ("customer_name", "text"),
    ("customer_surname", "text"),
    ("customer_email", "text"),
    ("customer_phone", "text"),
    ("customer_note", "text"),
    ("commission_rate", "text"),
    ("commission_minor", "bigint"),
    ("approved_by", "text"),
    ("gateway_account", "text"),
    ("resolved_by", "text"),
    ("resolution", "text"),
    ("account_code", "text"),
    ("bank_payment_days", "integer"),
];

/// One entry of the desk's file, as text, in `COPIED`'s order.
pub struct CopyRow {
    pub id: i64,
    values: Vec<Option<String>>,
}

impl SqliteJournal {
    /// This file's identity, made the first time it is asked for: what the team database
    /// remembers copies by.
    pub fn identity(&self) -> JournalResult<String> {
        let conn = self.conn();
        let known: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'identity'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db_error)?;
        if let Some(identity) = known {
            return Ok(identity);
        }
        let identity = uuid::Uuid::new_v4().to_string();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('identity', ?1)",
            [&identity],
        )
        .map_err(db_error)?;
        Ok(identity)
    }

    pub fn count(&self) -> JournalResult<u32> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM entries", [], |r| r.get(0))
            .map_err(db_error)
    }

    /// Up to `limit` entries after id `after`, oldest first.
    pub fn rows_to_copy(&self, after: i64, limit: u32) -> JournalResult<Vec<CopyRow>> {
        let columns: Vec<String> = COPIED
            .iter()
            .map(|(name, _)| format!("CAST({name} AS TEXT)"))
            .collect();
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id, {} FROM entries WHERE id > ?1 ORDER BY id LIMIT ?2",
                columns.join(", ")
            ))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(rusqlite::params![after, limit], |r| {
                Ok(CopyRow {
                    id: r.get(0)?,
                    values: (1..=COPIED.len())
                        .map(|i| r.get::<_, Option<String>>(i))
                        .collect::<Result<_, _>>()?,
                })
            })
            .map_err(db_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db_error)?;
        Ok(rows)
    }
}

impl PgJournal {
    /// Writes the rows of file `origin` not copied before, in one transaction; returns how
    /// many were new.
    pub async fn import(&self, origin: &str, rows: &[CopyRow]) -> JournalResult<u32> {
        let names: Vec<&str> = COPIED.iter().map(|(name, _)| *name).collect();
        let values: Vec<String> = COPIED
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| format!("${}::text::{kind}", i + 1))
            .collect();
        let sql = format!(
            "INSERT INTO entries ({}, origin) VALUES ({}, ${})
             ON CONFLICT (origin) WHERE origin IS NOT NULL DO NOTHING RETURNING id",
            names.join(", "),
            values.join(", "),
            COPIED.len() + 1
        );
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let statement = tx.prepare(&sql).await.map_err(pg_error)?;
        let mut copied = 0;
        for row in rows {
            let key = format!("{origin}:{}", row.id);
            let mut params: Vec<&(dyn ToSql + Sync)> = row
                .values
                .iter()
                .map(|v| v as &(dyn ToSql + Sync))
                .collect();
            params.push(&key);
            if let Some(new) = tx.query_opt(&statement, &params).await.map_err(pg_error)? {
                Self::reindex(&tx, new.get(0)).await?;
                copied += 1;
            }
        }
        tx.commit().await.map_err(pg_error)?;
        Ok(copied)
    }
}
