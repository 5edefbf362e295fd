//! The desk's own journal: one SQLite file (WAL, synchronous FULL) in the app data dir. The
//! same promises as the team database (`super::pg`): a write is durable when it returns, an
//! order reference is reserved once, and the same filters, pages, totals and reports.

mod count_memo;
mod filter;
mod integrity;
mod journal;
mod outbox;
mod staff;
mod statement_log;
mod sums;
mod writes;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

pub use integrity::check_file;

use super::*;
use crate::error::{AppError, ErrorCode};
use crate::model::{Doubt, Money, UnknownWord};

/// Errors while opening: a file SQLite cannot read as a database is `journal_damaged`.
fn open_error(e: rusqlite::Error) -> AppError {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => AppError::new(DAMAGED, e.to_string()),
        _ => db_error(e),
    }
}

/// A word read back from a row: an unknown one means the journal was written by a newer app or
/// is damaged, never a guess.
pub(in crate::journal) fn word<T>(parsed: Result<T, UnknownWord>) -> rusqlite::Result<T> {
    parsed.map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// An amount read back from a row, as strictly as a word.
fn money(text: Option<String>) -> rusqlite::Result<Option<Money>> {
    text.as_deref().map(|t| word(Money::parse(t))).transpose()
}

pub struct SqliteJournal {
    conn: Mutex<Connection>,
    counts: count_memo::CountMemo,
    /// Each write, as the team database's trigger announces it: an entry's id, or 0 for
    /// operators and approvals (see [`Journal::changes`]).
    announced: tokio::sync::broadcast::Sender<i64>,
}

fn entry_from(row: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: row.get("id")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        profile_id: row.get("profile_id")?,
        environment: row.get("environment")?,
        operator: row.get("operator")?,
        kind: word(EntryKind::parse(&row.get::<_, String>("kind")?))?,
        amount: money(row.get::<_, Option<String>>("amount")?)?,
        currency: row.get("currency")?,
        installment: row.get("installment")?,
        pos_id: row.get("pos_id")?,
        pos_name: row.get("pos_name")?,
        order_reference: row.get("order_reference")?,
        reference_code: row.get("reference_code")?,
        transaction_id: row.get("transaction_id")?,
        masked_card: row.get("masked_card")?,
        outcome: word(Outcome::parse(&row.get::<_, String>("outcome")?))?,
        error_code: row.get("error_code")?,
        error_message: row.get("error_message")?,
        reason: row.get("reason")?,
        remaining_after: money(row.get::<_, Option<String>>("remaining_after")?)?,
        remaining_before: money(row.get::<_, Option<String>>("remaining_before")?)?,
        doubt: row
            .get::<_, Option<String>>("doubt")?
            .as_deref()
            .map(|d| word(Doubt::parse(d)))
            .transpose()?,
        customer: match row.get::<_, Option<String>>("customer_name")? {
            Some(name) => Some(Customer {
                name,
                surname: row
                    .get::<_, Option<String>>("customer_surname")?
                    .unwrap_or_default(),
                email: row
                    .get::<_, Option<String>>("customer_email")?
                    .unwrap_or_default(),
                phone: row.get("customer_phone")?,
                note: row.get("customer_note")?,
            }),
            None => None,
        },
        approved_by: row.get("approved_by")?,
        account_code: row.get("account_code")?,
        commission: row
            .get::<_, Option<i64>>("commission_minor")?
            .map(|minor| Money::from(Decimal::new(minor, 2))),
        bank_payment_days: row.get("bank_payment_days")?,
        lease: match (
            row.get::<_, Option<String>>("sender")?,
            row.get::<_, Option<String>>("sending_until")?,
        ) {
            (Some(desk), Some(until)) => {
                DateTime::parse_from_rfc3339(&until)
                    .ok()
                    .map(|until| Lease {
                        desk,
                        until: until.with_timezone(&Utc),
                    })
            }
            _ => None,
        },
        gateway_account: row.get("gateway_account")?,
        resolved_by: row.get("resolved_by")?,
        resolution: row.get("resolution")?,
    })
}

impl SqliteJournal {
    /// Opens (creating) the journal at `path`, in WAL mode, migrated to the current schema.
    /// A damaged file is an error with code `journal_damaged`.
    pub fn open(path: &Path) -> JournalResult<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(db_error)?;
        }
        let conn = Connection::open(path).map_err(open_error)?;
        Self::prepare(conn)
    }

    /// Opens the journal; a damaged file (and its WAL) is moved aside as
    /// `journal.sqlite.damaged-<time>` and a new journal started. Returns where the old one went,
    /// so the operator is told instead of finding the history silently gone.
    /// A file an earlier check found damaged is checked in full first (integrity.rs).
    pub fn open_or_set_aside(path: &Path) -> JournalResult<(Self, Option<PathBuf>)> {
        let opened = if integrity::suspected(path) {
            integrity::check_file(path).and_then(|()| Self::open(path))
        } else {
            Self::open(path)
        };
        match opened {
            Err(e) if e.code == DAMAGED => {
                let aside = crate::aside::set_aside(path).map_err(db_error)?;
                tracing::error!(path = %path.display(), aside = %aside.display(), "journal damaged: {}", e.message);
                for suffix in ["-wal", "-shm"] {
                    let side = PathBuf::from(format!("{}{suffix}", path.display()));
                    if side.exists() {
                        let moved = format!("{}{suffix}", aside.display());
                        std::fs::rename(&side, moved).map_err(db_error)?;
                    }
                }
                integrity::clear_suspicion(path);
                Ok((Self::open(path)?, Some(aside)))
            }
            Ok(journal) => {
                integrity::clear_suspicion(path);
                Ok((journal, None))
            }
            Err(e) => Err(e),
        }
    }

    pub fn open_in_memory() -> JournalResult<Self> {
        Self::prepare(Connection::open_in_memory().map_err(db_error)?)
    }

    fn prepare(mut conn: Connection) -> JournalResult<Self> {
        // The timeout first: switching to WAL or migrating must wait for another connection
        // (a second window, a restart overlapping the old process) instead of failing at once.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_error)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        // FULL: a write-before-send must survive a power cut the moment `record` returns.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_error)?;
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(|e| match e {
                rusqlite_migration::Error::RusqliteError { err, .. } => open_error(err),
                other => db_error(other),
            })?;
        Ok(Self {
            conn: Mutex::new(conn),
            counts: count_memo::CountMemo::default(),
            announced: tokio::sync::broadcast::channel(256).0,
        })
    }

    /// Tells whoever follows this journal that `what` changed (an entry id, 0: staff); nobody
    /// listening is fine.
    pub(in crate::journal) fn announce(&self, what: i64) {
        let _ = self.announced.send(what);
    }

    pub(in crate::journal) fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, id: i64) -> JournalResult<Option<Entry>> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM entries WHERE id = ?1"),
                [id],
                entry_from,
            )
            .optional()
            .map_err(db_error)
    }

    /// Up to `limit` of a profile's entries not final yet (pending, in doubt, abandoned), the
    /// least recently settled first.
    pub fn unsettled(&self, profile_id: &str, limit: u32) -> JournalResult<Vec<Entry>> {
        self.select(
            &format!(
                "SELECT {COLUMNS} FROM entries WHERE outcome IN ({UNSETTLED}) AND profile_id = ?1
                 ORDER BY updated_at, id LIMIT ?2"
            ),
            params![profile_id, limit],
        )
    }

    /// How many of a profile's entries are not final yet.
    pub fn count_unsettled(&self, profile_id: &str) -> JournalResult<u64> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT COUNT(*) FROM entries WHERE outcome IN ({UNSETTLED}) AND profile_id = ?1"
                ),
                [profile_id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.try_into().unwrap_or(0))
            .map_err(db_error)
    }

    /// The latest payment entry with this order reference.
    pub fn latest_payment(&self, order: &str) -> JournalResult<Option<Entry>> {
        Ok(self
            .select(
                &format!(
                    "SELECT {COLUMNS} FROM entries WHERE kind = 'payment' AND order_reference = ?1
                     ORDER BY id DESC LIMIT 1"
                ),
                [order],
            )?
            .pop())
    }

    pub fn account_code_of(&self, email: &str) -> JournalResult<Option<String>> {
        self.conn()
            .query_row(
                "SELECT account_code FROM entries WHERE lower(customer_email) = lower(?1)
                 AND account_code IS NOT NULL ORDER BY id DESC LIMIT 1",
                [email.trim()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_error)
    }

    /// Cancels and refunds of one transaction that are not final yet, oldest first.
    pub fn unsettled_reversals(&self, reference_code: &str) -> JournalResult<Vec<Entry>> {
        self.select(
            &format!(
                "SELECT {COLUMNS} FROM entries WHERE reference_code = ?1
                 AND kind IN ('cancel', 'refund') AND outcome IN ({UNSETTLED}) ORDER BY id"
            ),
            [reference_code],
        )
    }

    fn select(&self, sql: &str, params: impl rusqlite::Params) -> JournalResult<Vec<Entry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql).map_err(db_error)?;
        let rows = stmt.query_map(params, entry_from).map_err(db_error)?;
        rows.collect::<Result<_, _>>().map_err(db_error)
    }

    /// Every entry about one transaction (by reference code or order reference), oldest first.
    pub fn history(
        &self,
        reference_code: &str,
        order_reference: Option<&str>,
    ) -> JournalResult<Vec<Entry>> {
        let conn = self.conn();
        // Cached: every lookup and every reversal reads a history.
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM entries WHERE reference_code = ?1 OR (?2 IS NOT NULL AND order_reference = ?2) ORDER BY id"
            ))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(params![reference_code, order_reference], entry_from)
            .map_err(db_error)?;
        rows.collect::<Result<_, _>>().map_err(db_error)
    }

    /// One page of matching entries, newest first, and how many match in all.
    pub fn search(&self, filter: &Filter, offset: u32, limit: u32) -> JournalResult<Page> {
        let (where_sql, values) = Self::where_clause(filter)?;
        let asked = std::time::Instant::now();
        let conn = self.conn();
        let locked = asked.elapsed();
        let count = self
            .counts
            .count(&conn, &count_sql(&where_sql, filter), &values)
            .map_err(db_error)?;
        let (total, more) = counted(count, filter);
        let counted_at = asked.elapsed();
        let mut stmt = conn
            .prepare(&page_sql(&conn, &where_sql, total, offset, limit).map_err(db_error)?)
            .map_err(db_error)?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), entry_from)
            .map_err(db_error)?;
        let entries: Vec<Entry> = rows.collect::<Result<_, _>>().map_err(db_error)?;
        tracing::debug!(
            offset,
            rows = entries.len(),
            waited_ms = locked.as_secs_f64() * 1e3,
            count_ms = (counted_at - locked).as_secs_f64() * 1e3,
            page_ms = (asked.elapsed() - counted_at).as_secs_f64() * 1e3,
            "journal page"
        );
        Ok(Page {
            total,
            more,
            offset,
            entries,
        })
    }

    /// Every matching entry, newest first (for export).
    pub fn all(&self, filter: &Filter) -> JournalResult<Vec<Entry>> {
        let (where_sql, values) = Self::where_clause(filter)?;
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM entries {where_sql} ORDER BY id DESC"
            ))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), entry_from)
            .map_err(db_error)?;
        rows.collect::<Result<_, _>>().map_err(db_error)
    }
}

/// An FTS5 query matching `text` (already folded) as one exact substring (trigram tokenizer).
fn substring_query(folded: &str) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(format!("\"{}\"", folded.replace('"', "\"\"")))
}

#[cfg(test)]
mod accounting_csv_tests;
#[cfg(test)]
mod csv_tests;
#[cfg(test)]
mod tests;
