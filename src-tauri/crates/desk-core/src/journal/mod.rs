//! The operations journal: every payment, cancel and refund started from this desktop, in SQLite
//! (WAL) in the app data dir. A payment's entry is written before the request is sent and
//! updated after, so a crash or a dropped connection leaves a pending entry, never nothing.
//! Card data is never stored: at most the masked number (first six, last four).

mod copy;
mod csv_accounting;
mod csv_export;
mod fold;
mod outbox;
mod pg;
mod report;
mod schema;
mod sqlite;
mod staff;
mod store;
mod totals;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Istanbul;
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use copy::CopyRow;
pub use csv_accounting::receipt_number;
pub use csv_export::{write_csv, CsvFormat, CsvLayout, CsvOptions, ExportInput};
pub use fold::fold;
pub use outbox::{masked_address, Delivery, LetterRecord, NewLetter, Outbox, OUTBOX_SCHEMA};
pub use pg::{PgJournal, SslMode, SupervisorPin, TeamDatabase};
pub use report::{Report, ReportLine, ReportRange};
pub use sqlite::{check_file, SqliteJournal};
pub(crate) use staff::pin::checked_pin_for;
pub use staff::{
    Approval, ApprovalStatus, Decision, NewApproval, OperatorRecord, OperatorWrite, Role,
    SignInAnswer, Staff,
};
pub use store::{Journal, ReversalSlot};
pub use totals::CurrencyTotals;

use crate::error::{AppError, ErrorCode, Field};
use crate::model::{Doubt, Money};

pub type JournalResult<T> = Result<T, AppError>;

/// What a failed journal call tells the operator: a row this app cannot read (an unknown word
/// or amount, see `sqlite::word`) is damage; anything else is the file not answering.
fn db_error<E: std::fmt::Display + 'static>(e: E) -> AppError {
    let unreadable_row = (&e as &dyn std::any::Any)
        .downcast_ref::<rusqlite::Error>()
        .is_some_and(|e| match e {
            rusqlite::Error::FromSqlConversionFailure(_, _, inner) => inner.is::<UnknownWord>(),
            _ => false,
        });
    let code = if unreadable_row {
        DAMAGED
    } else {
        ErrorCode::JournalIo
    };
    AppError::new(code, e.to_string())
}

const DAMAGED: ErrorCode = ErrorCode::JournalDamaged;
/// The outcomes reconciliation still asks about, as an SQL list.
const UNSETTLED: crate::model::SqlList = Outcome::UNSETTLED_SQL;

pub use crate::model::{EntryKind, Outcome, UnknownWord};

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
    /// The customer's account code in the dealer's books ("cari kod").
    pub account_code: Option<String>,
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
    /// The days after the sale the bank pays the dealer, where the gateway says
    /// (`bankPaymentDays`).
    pub bank_payment_days: Option<u32>,
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
    pub amount: Option<Money>,
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
    pub remaining_after: Option<Money>,
    pub remaining_before: Option<Money>,
    pub doubt: Option<Doubt>,
    /// `None` when not given or purged by the retention setting.
    pub customer: Option<Customer>,
    /// The supervisor who approved this refund (`operator` asked for it).
    pub approved_by: Option<String>,
    /// The supervisor who resolved it by hand when the gateway could not settle it, and why.
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
    /// The customer's account code in the dealer's books ("cari kod"); kept when the retention
    /// setting forgets the customer's details.
    pub account_code: Option<String>,
    /// The gateway's commission on it, at the rate it applied (given back by a cancel or
    /// refund).
    pub commission: Option<Money>,
    /// The days after the sale the bank pays, where the gateway said.
    pub bank_payment_days: Option<u32>,
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

/// Which page of the entries `filter` matches: `limit` entries from the `offset`-th, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PageQuery {
    pub filter: Filter,
    pub offset: u32,
    pub limit: u32,
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

/// The columns an [`Entry`] is read from, by name (`entry_from`), in every query.
const COLUMNS: &str =
    "id, created_at, updated_at, profile_id, environment, operator, kind, amount, \
    currency, installment, pos_id, pos_name, order_reference, reference_code, transaction_id, \
    masked_card, outcome, error_code, error_message, reason, remaining_after, remaining_before, \
    doubt, customer_name, customer_surname, customer_email, customer_phone, customer_note, \
    approved_by, sender, sending_until, gateway_account, resolved_by, resolution, \
    account_code, bank_payment_days, commission_minor";
