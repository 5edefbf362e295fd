//! The operations journal: every payment, cancel and refund started from this desktop, in SQLite
//! (WAL) in the app data dir. A payment's entry is written before the request is sent and
//! updated after, so a crash or a dropped connection leaves a pending entry, never nothing.
//! Card data is never stored: at most the masked number (first six, last four).

mod csv_export;
mod fold;
mod schema;

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Istanbul;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use csv_export::{write_csv, CsvFormat};
pub use fold::fold;

use crate::error::AppError;

pub type JournalResult<T> = Result<T, AppError>;

fn db_error(e: impl std::fmt::Display) -> AppError {
    AppError::new("journal_io", e.to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum EntryKind {
    Payment,
    Cancel,
    Refund,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Outcome {
    /// Written before sending; not settled yet.
    Pending,
    Success,
    Failed,
    /// The gateway could not be asked; to be reconciled.
    Unknown,
    /// 3D Secure window closed before the bank answered.
    Abandoned,
    /// Established that nothing was charged.
    NotCharged,
}

impl Outcome {
    pub fn is_settled(self) -> bool {
        !matches!(self, Outcome::Pending | Outcome::Unknown)
    }
}

fn kind_str(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Payment => "payment",
        EntryKind::Cancel => "cancel",
        EntryKind::Refund => "refund",
    }
}

fn outcome_str(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pending => "pending",
        Outcome::Success => "success",
        Outcome::Failed => "failed",
        Outcome::Unknown => "unknown",
        Outcome::Abandoned => "abandoned",
        Outcome::NotCharged => "notCharged",
    }
}

fn parse_kind(text: &str) -> EntryKind {
    match text {
        "cancel" => EntryKind::Cancel,
        "refund" => EntryKind::Refund,
        _ => EntryKind::Payment,
    }
}

fn parse_outcome(text: &str) -> Outcome {
    match text {
        "success" => Outcome::Success,
        "failed" => Outcome::Failed,
        "unknown" => Outcome::Unknown,
        "abandoned" => Outcome::Abandoned,
        "notCharged" => Outcome::NotCharged,
        _ => Outcome::Pending,
    }
}

/// What is known when an operation starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: Option<EntryKind>,
    pub profile_id: String,
    pub environment: String,
    pub operator: String,
    pub amount: Option<Decimal>,
    pub currency: String,
    pub installment: Option<u32>,
    pub pos_id: Option<String>,
    pub pos_name: Option<String>,
    pub order_reference: Option<String>,
    pub reference_code: Option<String>,
    pub transaction_id: Option<String>,
    /// First six and last four at most; anything else is refused.
    pub masked_card: Option<String>,
    pub reason: Option<String>,
}

/// What is learnt when it ends (fields left `None` keep their value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settlement {
    pub outcome: Option<Outcome>,
    pub reference_code: Option<String>,
    pub transaction_id: Option<String>,
    pub pos_name: Option<String>,
    pub masked_card: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub remaining_after: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Entry {
    /// Row ids stay far below 2^53, so a JS number holds them exactly.
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub profile_id: String,
    pub environment: String,
    pub operator: String,
    pub kind: EntryKind,
    pub amount: Option<String>,
    pub currency: String,
    pub installment: Option<u32>,
    pub pos_id: Option<String>,
    pub pos_name: Option<String>,
    pub order_reference: Option<String>,
    pub reference_code: Option<String>,
    pub transaction_id: Option<String>,
    pub masked_card: Option<String>,
    pub outcome: Outcome,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub reason: Option<String>,
    pub remaining_after: Option<String>,
}

/// Journal filters; every field optional. Dates are Istanbul calendar days, inclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kinds: Vec<EntryKind>,
    pub outcomes: Vec<Outcome>,
    /// Decimal strings, e.g. `"100.00"`.
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    /// Order reference, reference code or transaction id (contains, case-insensitive).
    pub reference: Option<String>,
    pub card_last4: Option<String>,
    pub operator: Option<String>,
    /// Quick search over references, operator, POS, card, reason and error.
    pub text: Option<String>,
    pub profile_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Page {
    pub total: u32,
    pub offset: u32,
    pub entries: Vec<Entry>,
}

fn minor_units(amount: Decimal) -> Option<i64> {
    let scaled = (amount * Decimal::ONE_HUNDRED).trunc();
    i64::try_from(scaled.mantissa() / 10i128.pow(scaled.scale())).ok()
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Only a masked form may be stored: six digits, stars, four digits (or shorter stars).
fn check_masked(card: &Option<String>) -> JournalResult<()> {
    if let Some(text) = card {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if digits > 10 || text.chars().any(|c| !(c.is_ascii_digit() || c == '*')) {
            return Err(AppError::new(
                "journal_io",
                "refusing to store an unmasked card number",
            ));
        }
    }
    Ok(())
}

fn day_start_utc(day: NaiveDate) -> String {
    let local = Istanbul
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .expect("Istanbul midnight exists");
    local
        .with_timezone(&Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub struct Journal {
    conn: Mutex<Connection>,
}

const COLUMNS: &str =
    "id, created_at, updated_at, profile_id, environment, operator, kind, amount, \
    currency, installment, pos_id, pos_name, order_reference, reference_code, transaction_id, \
    masked_card, outcome, error_code, error_message, reason, remaining_after";

fn entry_from(row: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: row.get(0)?,
        created_at: row.get(1)?,
        updated_at: row.get(2)?,
        profile_id: row.get(3)?,
        environment: row.get(4)?,
        operator: row.get(5)?,
        kind: parse_kind(&row.get::<_, String>(6)?),
        amount: row.get(7)?,
        currency: row.get(8)?,
        installment: row.get(9)?,
        pos_id: row.get(10)?,
        pos_name: row.get(11)?,
        order_reference: row.get(12)?,
        reference_code: row.get(13)?,
        transaction_id: row.get(14)?,
        masked_card: row.get(15)?,
        outcome: parse_outcome(&row.get::<_, String>(16)?),
        error_code: row.get(17)?,
        error_message: row.get(18)?,
        reason: row.get(19)?,
        remaining_after: row.get(20)?,
    })
}

impl Journal {
    /// Opens (creating) the journal at `path`, in WAL mode, migrated to the current schema.
    pub fn open(path: &Path) -> JournalResult<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(db_error)?;
        }
        let conn = Connection::open(path).map_err(db_error)?;
        Self::prepare(conn)
    }

    pub fn open_in_memory() -> JournalResult<Self> {
        Self::prepare(Connection::open_in_memory().map_err(db_error)?)
    }

    fn prepare(mut conn: Connection) -> JournalResult<Self> {
        // The timeout first: switching to WAL or migrating must wait for another connection
        // (a second window, a restart overlapping the old process) instead of failing at once.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db_error)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db_error)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_error)?;
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(db_error)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes a pending entry and returns its id. Durable when this returns.
    pub fn record(&self, entry: &NewEntry) -> JournalResult<i64> {
        insert(&self.conn(), entry, Outcome::Pending, Utc::now())
    }

    /// Records how an operation ended.
    pub fn settle(&self, id: i64, s: &Settlement) -> JournalResult<()> {
        check_masked(&s.masked_card)?;
        let changed = self
            .conn()
            .execute(
                "UPDATE entries SET updated_at = ?2,
                    outcome = COALESCE(?3, outcome),
                    reference_code = COALESCE(?4, reference_code),
                    transaction_id = COALESCE(?5, transaction_id),
                    pos_name = COALESCE(?6, pos_name),
                    masked_card = COALESCE(?7, masked_card),
                    card_last4 = COALESCE(substr(?7, -4), card_last4),
                    error_code = COALESCE(?8, error_code),
                    error_message = COALESCE(?9, error_message),
                    remaining_after = COALESCE(?10, remaining_after)
                 WHERE id = ?1",
                params![
                    id,
                    now_text(),
                    s.outcome.map(outcome_str),
                    s.reference_code,
                    s.transaction_id,
                    s.pos_name,
                    s.masked_card,
                    s.error_code,
                    s.error_message,
                    s.remaining_after.map(|d| d.to_string()),
                ],
            )
            .map_err(db_error)?;
        if changed == 0 {
            return Err(AppError::new(
                "journal_io",
                format!("no journal entry {id}"),
            ));
        }
        Ok(())
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

    /// Entries still pending or unknown, oldest first.
    pub fn unsettled(&self) -> JournalResult<Vec<Entry>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM entries WHERE outcome IN ('pending', 'unknown') ORDER BY id"
            ))
            .map_err(db_error)?;
        let rows = stmt.query_map([], entry_from).map_err(db_error)?;
        rows.collect::<Result<_, _>>().map_err(db_error)
    }

    /// Every entry about one transaction (by reference code or order reference), oldest first.
    pub fn history(
        &self,
        reference_code: &str,
        order_reference: Option<&str>,
    ) -> JournalResult<Vec<Entry>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM entries WHERE reference_code = ?1 OR (?2 IS NOT NULL AND order_reference = ?2) ORDER BY id"
            ))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(params![reference_code, order_reference], entry_from)
            .map_err(db_error)?;
        rows.collect::<Result<_, _>>().map_err(db_error)
    }

    fn where_clause(filter: &Filter) -> JournalResult<(String, Vec<rusqlite::types::Value>)> {
        use rusqlite::types::Value;
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut push = |clause: String, mut vals: Vec<Value>, values: &mut Vec<Value>| {
            clauses.push(clause);
            values.append(&mut vals);
        };
        if let Some(from) = filter.from {
            push(
                "created_at >= ?".into(),
                vec![Value::Text(day_start_utc(from))],
                &mut values,
            );
        }
        if let Some(to) = filter.to {
            let next = to.succ_opt().unwrap_or(to);
            push(
                "created_at < ?".into(),
                vec![Value::Text(day_start_utc(next))],
                &mut values,
            );
        }
        if !filter.kinds.is_empty() {
            let marks = vec!["?"; filter.kinds.len()].join(", ");
            push(
                format!("kind IN ({marks})"),
                filter
                    .kinds
                    .iter()
                    .map(|k| Value::Text(kind_str(*k).into()))
                    .collect(),
                &mut values,
            );
        }
        if !filter.outcomes.is_empty() {
            let marks = vec!["?"; filter.outcomes.len()].join(", ");
            push(
                format!("outcome IN ({marks})"),
                filter
                    .outcomes
                    .iter()
                    .map(|o| Value::Text(outcome_str(*o).into()))
                    .collect(),
                &mut values,
            );
        }
        let amount = |text: &Option<String>, field: &str| -> JournalResult<Option<i64>> {
            match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(t) => crate::money::parse_amount(field, t).map(minor_units),
            }
        };
        if let Some(min) = amount(&filter.min_amount, "minAmount")? {
            push(
                "amount_minor >= ?".into(),
                vec![Value::Integer(min)],
                &mut values,
            );
        }
        if let Some(max) = amount(&filter.max_amount, "maxAmount")? {
            push(
                "amount_minor <= ?".into(),
                vec![Value::Integer(max)],
                &mut values,
            );
        }
        let like = |t: &str| {
            Value::Text(format!(
                "%{}%",
                t.trim()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            ))
        };
        if let Some(r) = filter
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            // The trigram index narrows the rows; the LIKE keeps the match to the reference columns.
            let folded = fold(r);
            if folded.chars().count() >= 3 {
                push(
                    "id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)".into(),
                    vec![substring_query(&folded)],
                    &mut values,
                );
            }
            push(
                "(order_reference LIKE ? ESCAPE '\\' OR reference_code LIKE ? ESCAPE '\\' OR transaction_id LIKE ? ESCAPE '\\')".into(),
                vec![like(r), like(r), like(r)],
                &mut values,
            );
        }
        if let Some(last4) = filter
            .card_last4
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            push(
                "card_last4 = ?".into(),
                vec![Value::Text(last4.into())],
                &mut values,
            );
        }
        if let Some(op) = filter
            .operator
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            push(
                "instr(operator_key, ?) > 0".into(),
                vec![Value::Text(fold(op))],
                &mut values,
            );
        }
        if let Some(profile) = &filter.profile_id {
            push(
                "profile_id = ?".into(),
                vec![Value::Text(profile.clone())],
                &mut values,
            );
        }
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let folded = fold(text);
            if folded.chars().count() >= 3 {
                // Trigram index: a quoted phrase matches as an exact substring.
                push(
                    "id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)".into(),
                    vec![substring_query(&folded)],
                    &mut values,
                );
            } else {
                push(
                    "id IN (SELECT rowid FROM entries_fts WHERE instr(body, ?) > 0)".into(),
                    vec![Value::Text(folded)],
                    &mut values,
                );
            }
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        Ok((sql, values))
    }

    /// One page of matching entries, newest first, and how many match in all.
    pub fn search(&self, filter: &Filter, offset: u32, limit: u32) -> JournalResult<Page> {
        let (where_sql, values) = Self::where_clause(filter)?;
        let conn = self.conn();
        let total: u32 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM entries {where_sql}"),
                params_from_iter(values.iter()),
                |r| r.get(0),
            )
            .map_err(db_error)?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM entries {where_sql} ORDER BY id DESC LIMIT {} OFFSET {}",
                limit.min(1000),
                offset
            ))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), entry_from)
            .map_err(db_error)?;
        let entries = rows.collect::<Result<_, _>>().map_err(db_error)?;
        Ok(Page {
            total,
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

    /// Bulk insert for benchmarks and tests: one transaction.
    pub fn record_many(&self, entries: &[(NewEntry, Outcome, DateTime<Utc>)]) -> JournalResult<()> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        for (entry, outcome, at) in entries {
            insert(&tx, entry, *outcome, *at)?;
        }
        tx.commit().map_err(db_error)
    }
}

/// Inserts one entry (and its search index row); the only place rows are created.
fn insert(
    conn: &Connection,
    e: &NewEntry,
    outcome: Outcome,
    at: DateTime<Utc>,
) -> JournalResult<i64> {
    check_masked(&e.masked_card)?;
    conn.prepare_cached(
        "INSERT INTO entries (created_at, updated_at, profile_id, environment, operator, kind, amount, amount_minor,
            currency, installment, pos_id, pos_name, order_reference, reference_code, transaction_id,
            masked_card, card_last4, outcome, reason)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, substr(?15, -4), ?16, ?17)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            e.profile_id,
            e.environment,
            e.operator,
            kind_str(e.kind.unwrap_or(EntryKind::Payment)),
            e.amount.map(|a| a.to_string()),
            e.amount.and_then(minor_units),
            e.currency,
            e.installment,
            e.pos_id,
            e.pos_name,
            e.order_reference,
            e.reference_code,
            e.transaction_id,
            e.masked_card,
            outcome_str(outcome),
            e.reason,
        ])
    })
    .map_err(db_error)?;
    let id = conn.last_insert_rowid();
    schema::reindex(conn, id).map_err(db_error)?;
    Ok(id)
}

/// An FTS5 query matching `text` (already folded) as one exact substring (trigram tokenizer).
fn substring_query(folded: &str) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(format!("\"{}\"", folded.replace('"', "\"\"")))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
