//! The operations journal: every payment, cancel and refund started from this desktop, in SQLite
//! (WAL) in the app data dir. A payment's entry is written before the request is sent and
//! updated after, so a crash or a dropped connection leaves a pending entry, never nothing.
//! Card data is never stored: at most the masked number (first six, last four).

mod copy;
mod count_memo;
mod csv_export;
mod fold;
mod integrity;
mod pg;
mod report;
mod schema;
mod staff;
mod store;
mod totals;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Istanbul;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use copy::CopyRow;
pub use csv_export::{write_csv, CsvFormat};
pub use fold::fold;
pub use integrity::check_file;
pub use pg::{PgJournal, SslMode, SupervisorPin, TeamDatabase};
pub use report::{Report, ReportLine, ReportRange};
pub(crate) use staff::pin::checked_pin_for;
pub use staff::{
    Approval, ApprovalStatus, Decision, NewApproval, OperatorRecord, OperatorWrite, Role,
    SignInAnswer, Staff,
};
pub use store::{Journal, ReversalSlot};
pub use totals::CurrencyTotals;

use crate::error::{AppError, ErrorCode, Field};
use crate::model::Doubt;

pub type JournalResult<T> = Result<T, AppError>;

fn db_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::JournalIo, e.to_string())
}

const DAMAGED: ErrorCode = ErrorCode::JournalDamaged;
/// The outcomes reconciliation still asks about, as an SQL list.
const UNSETTLED: crate::model::SqlList = Outcome::UNSETTLED_SQL;

/// Errors while opening: a file SQLite cannot read as a database is `journal_damaged`.
fn open_error(e: rusqlite::Error) -> AppError {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => AppError::new(DAMAGED, e.to_string()),
        _ => db_error(e),
    }
}

fn order_spent(conn: &Connection, order: &str) -> JournalResult<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE kind = 'payment' AND order_reference = ?1
            AND outcome <> 'notSent')",
        [order],
        |r| r.get(0),
    )
    .map_err(db_error)
}

pub use crate::model::{EntryKind, Outcome, UnknownWord};

/// A word read back from a row: an unknown one means the journal was written by a newer app or
/// is damaged, never a guess.
pub(super) fn word<T>(parsed: Result<T, UnknownWord>) -> rusqlite::Result<T> {
    parsed.map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Who paid, as the operator typed it: kept so a payment can be found by customer and its
/// receipt names them, until the retention setting purges it (KVKK). Never card data, never TCKN.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Customer {
    pub name: String,
    pub surname: String,
    pub email: String,
    pub phone: Option<String>,
    pub note: Option<String>,
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
    /// A cancel's or refund's refundable amount right before sending: its baseline.
    pub remaining_before: Option<Decimal>,
    pub customer: Option<Customer>,
    /// The commission rate (percent) the gateway applies to the transaction.
    pub commission_rate: Option<Decimal>,
    /// A refund sent on a supervisor's approval: who approved, and the request it answers
    /// (one refund per request, held by the journal).
    pub approved_by: Option<String>,
    pub approval_id: Option<i64>,
    /// The desk about to send it holds it until then: no other desk settles it meanwhile.
    pub lease: Option<Lease>,
    /// The gateway account that makes it (see the desk's `gateway_account`): only a
    /// session of the same account may settle it.
    pub gateway_account: Option<String>,
}

/// A desk sending an entry's request holds the entry until `until` (it renews while it follows
/// the answer up, and lets go when it is done). No other desk settles an entry held by a live
/// lease: what it would read could be from before the request reached the gateway. A lease
/// that ran out belongs to a desk that died or hung; reconciliation takes the entry over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub desk: String,
    pub until: DateTime<Utc>,
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
    /// Why it is in doubt; written (or cleared) whenever `outcome` is.
    pub doubt: Option<Doubt>,
    /// The commission rate (percent) the gateway applied; the commission follows from it.
    pub commission_rate: Option<Decimal>,
    /// The desk settling it. A settlement is written only while the entry is not final and no
    /// other desk's live lease holds it (compare-and-set); otherwise `settle` returns `false`.
    pub by: Option<String>,
    /// The settling desk (its sender) keeps holding the entry until then; `None` lets go.
    pub hold_until: Option<DateTime<Utc>>,
    /// A supervisor's resolution of an entry the gateway cannot settle: who, and why.
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
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
    pub remaining_before: Option<String>,
    pub doubt: Option<Doubt>,
    /// `None` when not given or purged by the retention setting.
    pub customer: Option<Customer>,
    /// The supervisor who approved this refund (`operator` asked for it).
    pub approved_by: Option<String>,
    /// The supervisor who resolved it by hand when the gateway could not settle it, and why.
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
    /// Who is sending it right now (never shown: it is the desks' concern).
    #[serde(skip)]
    #[ts(skip)]
    pub lease: Option<Lease>,
    /// The gateway account that made it, when journaled since accounts are recorded.
    #[serde(skip)]
    #[ts(skip)]
    pub gateway_account: Option<String>,
}

impl Entry {
    /// Whether another desk than `desk` is sending it right now (a lease that has not run out).
    pub fn held_by_another(&self, desk: &str, now: DateTime<Utc>) -> bool {
        self.lease
            .as_ref()
            .is_some_and(|lease| lease.desk != desk && lease.until > now)
    }
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
    /// How many entries match; for a quick search, counted up to [`COUNT_LIMIT`].
    pub total: u32,
    /// A quick search matches more than [`COUNT_LIMIT`]: the list shows that many, and the
    /// operator narrows the search to see the rest (the CSV export still holds them all).
    pub more: bool,
    pub offset: u32,
    pub entries: Vec<Entry>,
}

/// How far a quick search counts its matches. Counting all 200,000 entries a common word is in
/// means reading the search text of a million entries (half a second on PostgreSQL); nobody
/// scrolls through more than this many results. Lists without a quick search count everything:
/// their indexes count fast, and the whole journal scrolls to its first entry.
pub const COUNT_LIMIT: u32 = 10_000;

/// Counts the entries `where_sql` matches (a quick search: up to one more than
/// [`COUNT_LIMIT`]).
fn count_sql(where_sql: &str, filter: &Filter) -> String {
    match given(&filter.text) {
        Some(_) => format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM entries {where_sql} LIMIT {}) AS counted",
            COUNT_LIMIT + 1
        ),
        None => format!("SELECT COUNT(*) FROM entries {where_sql}"),
    }
}

/// The query of one page of the entries `where_sql` matches (`total` of them), newest first.
///
/// Stepping over the entries before a deep page reads all of them: ~2 s to the middle of a
/// million when the file is not in memory. The journal never deletes an entry, so with no filter
/// the ids usually run without gaps and the entry at `offset` is the one whose id is
/// `newest - offset`, found through the primary key. A file with gaps is stepped through.
fn page_sql(
    conn: &Connection,
    where_sql: &str,
    total: u32,
    offset: u32,
    limit: u32,
) -> rusqlite::Result<String> {
    let limit = limit.min(1000);
    if where_sql.is_empty() && offset > 0 {
        let (oldest, newest): (Option<i64>, Option<i64>) = conn.query_row(
            // Two subqueries: each is one step down the primary key; together in one
            // SELECT they would read the whole table (~0.5 s at a million, cold).
            "SELECT (SELECT min(id) FROM entries), (SELECT max(id) FROM entries)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let (Some(oldest), Some(newest)) = (oldest, newest) {
            if newest - oldest + 1 == i64::from(total) {
                let first = newest - i64::from(offset);
                return Ok(format!(
                    "SELECT {COLUMNS} FROM entries WHERE id <= {first} ORDER BY id DESC LIMIT {limit}"
                ));
            }
        }
    }
    Ok(format!(
        "SELECT {COLUMNS} FROM entries {where_sql} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    ))
}

/// The page's `total` and `more` from a count made with [`count_sql`].
fn counted(count: u32, filter: &Filter) -> (u32, bool) {
    match given(&filter.text) {
        Some(_) => (count.min(COUNT_LIMIT), count > COUNT_LIMIT),
        None => (count, false),
    }
}

fn minor_units(amount: Decimal) -> Option<i64> {
    let scaled = (amount * Decimal::ONE_HUNDRED).trunc();
    i64::try_from(scaled.mantissa() / 10i128.pow(scaled.scale())).ok()
}

/// The commission on `amount` at `rate` percent, in minor units.
fn commission_minor(amount: Option<Decimal>, rate: Option<Decimal>) -> Option<i64> {
    minor_units(crate::money::commission_on(amount?, rate?))
}

/// The Istanbul calendar day of an instant: the day reports put it in.
fn istanbul_day(at: DateTime<Utc>) -> String {
    at.with_timezone(&Istanbul).date_naive().to_string()
}

/// An instant as entries show it: RFC 3339, UTC, milliseconds.
fn timestamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn now_text() -> String {
    timestamp_text(Utc::now())
}

/// Only a masked form may be stored: six digits, stars, four digits (or shorter stars).
fn check_masked(card: &Option<String>) -> JournalResult<()> {
    if let Some(text) = card {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if digits > 10 || text.chars().any(|c| !(c.is_ascii_digit() || c == '*')) {
            return Err(AppError::new(
                ErrorCode::JournalIo,
                "refusing to store an unmasked card number",
            ));
        }
    }
    Ok(())
}

/// Midnight in Istanbul at the start of `day`: where a filter's day begins.
fn day_start(day: NaiveDate) -> DateTime<Utc> {
    Istanbul
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .expect("Istanbul midnight exists")
        .with_timezone(&Utc)
}

fn day_start_utc(day: NaiveDate) -> String {
    timestamp_text(day_start(day))
}

/// A filter's text field when something was typed in it, trimmed.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `%text%` for LIKE, with LIKE's own characters taken literally (backslash escapes them).
fn like_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// A filter's amount bound in minor units, or why it is not an amount.
fn filter_amount(text: &Option<String>, field: Field) -> JournalResult<Option<i64>> {
    match given(text) {
        None => Ok(None),
        Some(t) => crate::money::parse_amount(field, t).map(minor_units),
    }
}

pub struct SqliteJournal {
    conn: Mutex<Connection>,
    counts: count_memo::CountMemo,
}

/// The columns an [`Entry`] is read from, by name (`entry_from`), in every query.
const COLUMNS: &str =
    "id, created_at, updated_at, profile_id, environment, operator, kind, amount, \
    currency, installment, pos_id, pos_name, order_reference, reference_code, transaction_id, \
    masked_card, outcome, error_code, error_message, reason, remaining_after, remaining_before, \
    doubt, customer_name, customer_surname, customer_email, customer_phone, customer_note, \
    approved_by, sender, sending_until, gateway_account, resolved_by, resolution";

fn entry_from(row: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: row.get("id")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        profile_id: row.get("profile_id")?,
        environment: row.get("environment")?,
        operator: row.get("operator")?,
        kind: word(EntryKind::parse(&row.get::<_, String>("kind")?))?,
        amount: row.get("amount")?,
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
        remaining_after: row.get("remaining_after")?,
        remaining_before: row.get("remaining_before")?,
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
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes a pending entry (row and search index in one transaction) and returns its id.
    /// Durable when this returns.
    pub fn record(&self, entry: &NewEntry) -> JournalResult<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        let id = insert(&tx, entry, Outcome::Pending, Utc::now())?;
        tx.commit().map_err(db_error)?;
        Ok(id)
    }

    /// Writes a payment's pending entry unless its order reference is already spent: sent
    /// before (in any state but `notSent`), here or in an earlier run. Check and write are one
    /// transaction, so two writers cannot both reserve a reference.
    pub fn reserve_payment(&self, entry: &NewEntry) -> JournalResult<i64> {
        let order = entry.order_reference.as_deref().unwrap_or_default();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_error)?;
        if order_spent(&tx, order)? {
            return Err(AppError::new(
                ErrorCode::AlreadySubmitted,
                "this order reference was already sent",
            )
            .with("orderReference", order));
        }
        let id = insert(&tx, entry, Outcome::Pending, Utc::now())?;
        tx.commit().map_err(db_error)?;
        Ok(id)
    }

    /// A cancel's or refund's pending entry, unless an earlier one of the same transaction is
    /// not final (one transaction, one open reversal: ARCHITECTURE.md). One IMMEDIATE transaction, so
    /// two writers on the file cannot both reserve.
    pub fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot> {
        let reference = entry.reference_code.as_deref().unwrap_or_default();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_error)?;
        let open = tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM entries WHERE reference_code = ?1
                     AND kind IN ('cancel', 'refund') AND outcome IN ({UNSETTLED}) ORDER BY id LIMIT 1"
                ),
                [reference],
                entry_from,
            )
            .optional()
            .map_err(db_error)?;
        if let Some(open) = open {
            return Ok(ReversalSlot::Taken(Box::new(open)));
        }
        let latest: Option<String> = tx
            .query_row(
                &store::LATEST_REMAINING_SQL.replace("{1}", "?1"),
                [reference],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_error)?
            .flatten();
        if let Some(left) = store::stale(latest, entry) {
            return Ok(ReversalSlot::Stale(left));
        }
        let id = insert(&tx, entry, Outcome::Pending, Utc::now())?;
        tx.commit().map_err(db_error)?;
        Ok(ReversalSlot::Reserved(id))
    }

    /// Whether a payment with this order reference was ever sent (reservations, ARCHITECTURE.md).
    pub fn is_order_spent(&self, order: &str) -> JournalResult<bool> {
        order_spent(&self.conn(), order)
    }

    /// Records how an operation stands now, if it is not final and no other desk's live lease
    /// holds it (compare-and-set; `false`: nothing written). The search index follows in the
    /// same transaction.
    pub fn settle(&self, id: i64, s: &Settlement) -> JournalResult<bool> {
        check_masked(&s.masked_card)?;
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        let commission = match s.commission_rate {
            Some(rate) => {
                let amount: Option<String> = tx
                    .query_row("SELECT amount FROM entries WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()
                    .map_err(db_error)?
                    .flatten();
                let amount = amount.and_then(|a| a.parse::<Decimal>().ok());
                commission_minor(amount, Some(rate))
            }
            None => None,
        };
        let changed = tx
            .execute(
                &format!(
                    "UPDATE entries SET updated_at = ?2,
                    outcome = COALESCE(?3, outcome),
                    reference_code = COALESCE(?4, reference_code),
                    transaction_id = COALESCE(?5, transaction_id),
                    pos_name = COALESCE(?6, pos_name),
                    masked_card = COALESCE(?7, masked_card),
                    card_last4 = COALESCE(substr(?7, -4), card_last4),
                    error_code = CASE WHEN ?3 IS NULL THEN COALESCE(?8, error_code) ELSE ?8 END,
                    error_message = CASE WHEN ?3 = 'success' THEN ?9
                        ELSE COALESCE(?9, error_message) END,
                    remaining_after = COALESCE(?10, remaining_after),
                    doubt = CASE WHEN ?3 IS NULL THEN doubt ELSE ?11 END,
                    commission_rate = COALESCE(?12, commission_rate),
                    commission_minor = COALESCE(?13, commission_minor),
                    sender = CASE WHEN ?15 IS NULL THEN NULL ELSE ?14 END,
                    sending_until = ?15,
                    resolved_by = COALESCE(?16, resolved_by),
                    resolution = COALESCE(?17, resolution)
                 WHERE id = ?1 AND outcome IN ({UNSETTLED})
                    AND (sender IS NULL OR sender IS ?14 OR sending_until <= ?2)"
                ),
                params![
                    id,
                    now_text(),
                    s.outcome.map(Outcome::as_str),
                    s.reference_code,
                    s.transaction_id,
                    s.pos_name,
                    s.masked_card,
                    s.error_code,
                    s.error_message,
                    s.remaining_after.map(|d| d.to_string()),
                    s.doubt.map(Doubt::as_str),
                    s.commission_rate.map(|r| r.normalize().to_string()),
                    commission,
                    s.by,
                    s.hold_until.map(timestamp_text),
                    s.resolved_by,
                    s.resolution,
                ],
            )
            .map_err(db_error)?;
        if changed == 0 {
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)",
                    [id],
                    |r| r.get(0),
                )
                .map_err(db_error)?;
            if !exists {
                return Err(AppError::new(
                    ErrorCode::JournalIo,
                    format!("no journal entry {id}"),
                ));
            }
            return Ok(false);
        }
        schema::reindex(&tx, id).map_err(db_error)?;
        tx.commit().map_err(db_error)?;
        Ok(true)
    }

    /// Lets go of an entry this desk held for sending (nothing else changes).
    pub fn release(&self, id: i64, desk: &str) -> JournalResult<()> {
        self.conn()
            .execute(
                "UPDATE entries SET sender = NULL, sending_until = NULL
                 WHERE id = ?1 AND sender = ?2",
                params![id, desk],
            )
            .map(|_| ())
            .map_err(db_error)
    }

    /// Notes that the gateway did not know the entry's transaction at `now`; returns since when
    /// and how many times in a row it has said so (the settling window's evidence).
    pub fn note_absent(&self, id: i64, now: DateTime<Utc>) -> JournalResult<(DateTime<Utc>, u32)> {
        let conn = self.conn();
        let at = timestamp_text(now);
        conn.execute(
            "UPDATE entries SET absent_since = COALESCE(absent_since, ?2),
                absent_checks = absent_checks + 1 WHERE id = ?1",
            params![id, at],
        )
        .map_err(db_error)?;
        let (since, checks): (String, u32) = conn
            .query_row(
                "SELECT absent_since, absent_checks FROM entries WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db_error)?;
        let since = DateTime::parse_from_rfc3339(&since)
            .map_err(db_error)?
            .with_timezone(&Utc);
        Ok((since, checks))
    }

    /// The gateway knows the entry's transaction after all: the absence streak is over.
    pub fn note_present(&self, id: i64) -> JournalResult<()> {
        self.conn()
            .execute(
                "UPDATE entries SET absent_since = NULL, absent_checks = 0 WHERE id = ?1",
                [id],
            )
            .map(|_| ())
            .map_err(db_error)
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
                    .map(|k| Value::Text(k.as_str().into()))
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
                    .map(|o| Value::Text(o.as_str().into()))
                    .collect(),
                &mut values,
            );
        }
        if let Some(min) = filter_amount(&filter.min_amount, Field::MinAmount)? {
            push(
                "amount_minor >= ?".into(),
                vec![Value::Integer(min)],
                &mut values,
            );
        }
        if let Some(max) = filter_amount(&filter.max_amount, Field::MaxAmount)? {
            push(
                "amount_minor <= ?".into(),
                vec![Value::Integer(max)],
                &mut values,
            );
        }
        let like = |t: &str| Value::Text(like_pattern(t));
        if let Some(r) = given(&filter.reference) {
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
        if let Some(last4) = given(&filter.card_last4) {
            push(
                "card_last4 = ?".into(),
                vec![Value::Text(last4.into())],
                &mut values,
            );
        }
        if let Some(op) = given(&filter.operator) {
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
        if let Some(text) = given(&filter.text) {
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

    /// Bulk insert for benchmarks and tests: one transaction.
    /// Forgets the customer of every entry created before `before` (the retention setting);
    /// returns how many entries it touched. The rest of each entry stays.
    pub fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        let ids: Vec<i64> = tx
            .prepare(
                "UPDATE entries SET customer_name = NULL, customer_surname = NULL,
                    customer_email = NULL, customer_phone = NULL, customer_note = NULL
                 WHERE created_at < ?1 AND customer_name IS NOT NULL RETURNING id",
            )
            .and_then(|mut stmt| {
                stmt.query_map([timestamp_text(before)], |r| r.get(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(db_error)?;
        for id in &ids {
            schema::reindex(&tx, *id).map_err(db_error)?;
        }
        tx.commit().map_err(db_error)?;
        Ok(ids.len())
    }

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
            masked_card, card_last4, outcome, reason, remaining_before, customer_name, customer_surname,
            customer_email, customer_phone, customer_note, commission_rate, commission_minor, day,
            approved_by, approval_id, sender, sending_until, gateway_account)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, substr(?15, -4), ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            timestamp_text(at),
            e.profile_id,
            e.environment,
            e.operator,
            e.kind.unwrap_or(EntryKind::Payment).as_str(),
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
            outcome.as_str(),
            e.reason,
            e.remaining_before.map(|d| d.to_string()),
            e.customer.as_ref().map(|c| c.name.clone()),
            e.customer.as_ref().map(|c| c.surname.clone()),
            e.customer.as_ref().map(|c| c.email.clone()),
            e.customer.as_ref().and_then(|c| c.phone.clone()),
            e.customer.as_ref().and_then(|c| c.note.clone()),
            e.commission_rate.map(|r| r.normalize().to_string()),
            commission_minor(e.amount, e.commission_rate),
            istanbul_day(at),
            e.approved_by,
            e.approval_id,
            e.lease.as_ref().map(|l| l.desk.clone()),
            e.lease.as_ref().map(|l| timestamp_text(l.until)),
            e.gateway_account,
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
