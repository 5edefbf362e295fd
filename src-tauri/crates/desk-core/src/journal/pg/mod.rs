//! The team journal (ARCHITECTURE.md): the same journal as the SQLite file, in a PostgreSQL database
//! that every desk of the dealer uses. tokio-postgres (the async driver the others build on;
//! LISTEN/NOTIFY for later) with a small deadpool pool: no compile-time database, no macros.
//! Reservations hold across desks through transaction-scoped advisory locks, not memory.

mod authority;
mod connect;
mod filter;
mod listen;
mod schema;
mod staff;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::report::{self, Group};
use super::schema::{search_body, SEARCH_COLUMNS};
use super::totals::{per_currency, Tally, TOTALS_SELECT};
use super::{
    check_masked, commission_minor, fold, minor_units, timestamp_text, CurrencyTotals, Customer,
    Entry, EntryKind, Filter, Journal, JournalResult, NewEntry, Outcome, Page, Report, ReportRange,
    ReversalSlot, Settlement, COLUMNS, UNSETTLED,
};
use crate::error::{AppError, ErrorCode};
use crate::model::{Doubt, UnknownWord};
use crate::settings::TeamSettings;

pub use connect::{SslMode, TeamDatabase};
pub use schema::SupervisorPin;

/// An error of the database, as the operator is told: unreachable, refused, missing, or other.
pub(super) fn pg_error(e: impl Into<PgFailure>) -> AppError {
    let failure = e.into();
    let code = match failure.sql_state.as_deref() {
        // invalid_password, invalid_authorization_specification
        Some("28P01" | "28000") => ErrorCode::JournalAuth,
        // invalid_catalog_name: no such database
        Some("3D000") => ErrorCode::JournalMissing,
        Some(CERTIFICATE) => ErrorCode::JournalCertificate,
        // The authority's functions: no valid session, a role not permitted.
        Some("DD401") => ErrorCode::SignInRequired,
        Some("DD403" | "42501") => ErrorCode::NotPermitted,
        Some("DD409") => ErrorCode::SupervisorRequired,
        Some(state) if state.starts_with("DD") => ErrorCode::InvalidInput,
        Some(_) => ErrorCode::JournalIo,
        None if failure.closed => ErrorCode::JournalUnreachable,
        None => ErrorCode::JournalIo,
    };
    AppError::new(code, failure.message)
}

/// A word read back from a row: an unknown one is a journal written by a newer app or damaged.
pub(super) fn word<T>(parsed: Result<T, UnknownWord>) -> JournalResult<T> {
    parsed.map_err(|e| AppError::new(ErrorCode::JournalDamaged, e.to_string()))
}

/// Not an SQLSTATE: marks a certificate TLS refused.
const CERTIFICATE: &str = "dd-certificate";

pub(super) struct PgFailure {
    sql_state: Option<String>,
    /// No answer from the server at all (refused, timed out, connection lost).
    closed: bool,
    message: String,
}

/// Whether TLS refused the server's certificate somewhere in `e`'s causes.
fn certificate_refused(e: &tokio_postgres::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cause {
        let tls = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .or_else(|| err.downcast_ref::<rustls::Error>());
        if matches!(tls, Some(rustls::Error::InvalidCertificate(_))) {
            return true;
        }
        cause = err.source();
    }
    false
}

impl From<tokio_postgres::Error> for PgFailure {
    fn from(e: tokio_postgres::Error) -> Self {
        if certificate_refused(&e) {
            return PgFailure {
                sql_state: Some(CERTIFICATE.into()),
                closed: true,
                message: e.to_string(),
            };
        }
        let sql_state = e.as_db_error().map(|d| d.code().code().to_owned());
        let closed = sql_state.is_none();
        let message = match e.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => e.to_string(),
        };
        PgFailure {
            sql_state,
            closed,
            message,
        }
    }
}

impl From<deadpool_postgres::PoolError> for PgFailure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(inner) => inner.into(),
            other => PgFailure {
                sql_state: None,
                closed: true,
                message: other.to_string(),
            },
        }
    }
}

fn entry_of(row: &Row) -> JournalResult<Entry> {
    let customer = row
        .get::<_, Option<String>>("customer_name")
        .map(|name| Customer {
            name,
            surname: row
                .get::<_, Option<String>>("customer_surname")
                .unwrap_or_default(),
            email: row
                .get::<_, Option<String>>("customer_email")
                .unwrap_or_default(),
            phone: row.get("customer_phone"),
            note: row.get("customer_note"),
        });
    Ok(Entry {
        id: row.get("id"),
        created_at: timestamp_text(row.get("created_at")),
        updated_at: timestamp_text(row.get("updated_at")),
        profile_id: row.get("profile_id"),
        environment: row.get("environment"),
        operator: row.get("operator"),
        kind: word(EntryKind::parse(row.get("kind")))?,
        amount: row.get("amount"),
        currency: row.get("currency"),
        installment: row.get::<_, Option<i32>>("installment").map(|i| i as u32),
        pos_id: row.get("pos_id"),
        pos_name: row.get("pos_name"),
        order_reference: row.get("order_reference"),
        reference_code: row.get("reference_code"),
        transaction_id: row.get("transaction_id"),
        masked_card: row.get("masked_card"),
        outcome: word(Outcome::parse(row.get("outcome")))?,
        error_code: row.get("error_code"),
        error_message: row.get("error_message"),
        reason: row.get("reason"),
        remaining_after: row.get("remaining_after"),
        remaining_before: row.get("remaining_before"),
        doubt: row
            .get::<_, Option<String>>("doubt")
            .as_deref()
            .map(|d| word(Doubt::parse(d)))
            .transpose()?,
        customer,
        approved_by: row.get("approved_by"),
        lease: match (
            row.get::<_, Option<String>>("sender"),
            row.get::<_, Option<DateTime<Utc>>>("sending_until"),
        ) {
            (Some(desk), Some(until)) => Some(super::Lease { desk, until }),
            _ => None,
        },
        gateway_account: row.get("gateway_account"),
        resolved_by: row.get("resolved_by"),
        resolution: row.get("resolution"),
    })
}

type Params = Vec<Box<dyn ToSql + Sync + Send>>;

fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

pub struct PgJournal {
    pool: Pool,
    /// For the listener's own connection.
    config: tokio_postgres::Config,
    tls: connect::Tls,
    /// The certificate the server showed last (pinned TLS), for the screen to confirm.
    seen: connect::SeenCertificate,
    /// Other desks' new and changed entries, once someone asked for them.
    changes: std::sync::OnceLock<tokio::sync::broadcast::Sender<i64>>,
    /// Set once the database was found set up for this app (at the first connection).
    checked: tokio::sync::OnceCell<()>,
    /// The signed-in operator's session (see `authority`), which privileged functions require.
    session: std::sync::Mutex<Option<zeroize::Zeroizing<String>>>,
}

impl PgJournal {
    /// The team journal at `database`. Connects only when first used, so a desk starts while
    /// the database is down; until it is back every call fails with `journal_unreachable`.
    pub fn open(database: &TeamDatabase, password: &str) -> JournalResult<Self> {
        Self::with_config(database.pg_config(password), database.tls())
    }

    /// The team journal as a desk starts on it: a pinned choice saved without a certificate
    /// (before pinning existed) pins the first one seen (see [`Journal::pinned_certificate`]).
    pub fn open_at_start(database: &TeamDatabase, password: &str) -> JournalResult<Self> {
        Self::with_config(database.pg_config(password), database.tls_at_start())
    }

    /// The team journal at `url` (`postgres://user:password@host:port/database`), unencrypted:
    /// for tests on loopback.
    pub async fn connect(url: &str) -> JournalResult<Self> {
        let journal = Self::unencrypted_at(url)?;
        journal.check().await?;
        Ok(journal)
    }

    /// The database at `url`, without TLS (tests on loopback), not reached yet.
    fn unencrypted_at(url: &str) -> JournalResult<Self> {
        let config = url.parse().map_err(|e: tokio_postgres::Error| {
            AppError::new(ErrorCode::JournalIo, e.to_string())
        })?;
        Self::with_config(config, connect::Tls::Off)
    }

    fn with_config(config: tokio_postgres::Config, tls: connect::Tls) -> JournalResult<Self> {
        let seen = connect::SeenCertificate::default();
        let pool = Pool::builder(connect::manager(config.clone(), &tls, &seen))
            .max_size(4)
            .wait_timeout(Some(std::time::Duration::from_secs(10)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        Ok(Self {
            pool,
            config,
            tls,
            seen,
            changes: std::sync::OnceLock::new(),
            checked: tokio::sync::OnceCell::new(),
            session: std::sync::Mutex::new(None),
        })
    }

    /// Sets up or upgrades the team database at `database` as its owner (`owner`, with the
    /// password a supervisor typed; nothing keeps it), for the desks' account `database.user`,
    /// created with `desks_password` when the server has no such account yet.
    /// With `new_pin`, that supervisor gets a new PIN (with the owner's authority).
    pub async fn set_up(
        database: &TeamDatabase,
        owner: &str,
        owner_password: &str,
        desks_password: Option<&str>,
        new_pin: Option<&SupervisorPin>,
    ) -> JournalResult<()> {
        let mut config = database.pg_config(owner_password);
        config.user(owner);
        let as_owner = Self::with_config(config, database.tls())?;
        as_owner
            .set_up_for(&database.user, desks_password, new_pin)
            .await
    }

    /// [`PgJournal::set_up`] with the owner's URL, unencrypted: for tests on loopback.
    pub async fn set_up_at(
        owner_url: &str,
        desks: &str,
        desks_password: &str,
    ) -> JournalResult<()> {
        Self::unencrypted_at(owner_url)?
            .set_up_for(desks, Some(desks_password), None)
            .await
    }

    async fn set_up_for(
        &self,
        desks: &str,
        desks_password: Option<&str>,
        new_pin: Option<&SupervisorPin>,
    ) -> JournalResult<()> {
        let mut client = self
            .pool
            .get()
            .await
            .map_err(|e| self.with_certificate_seen(pg_error(e)))?;
        schema::set_up(&mut client, desks, desks_password, new_pin).await
    }

    /// Reaches the database and checks it is set up for this app and this account: what "Test"
    /// on the Connection screen runs. Its error says what is wrong (unreachable, refused,
    /// missing, not set up, newer, the owner's account).
    pub async fn check(&self) -> JournalResult<()> {
        self.client().await.map(|_| ())
    }

    pub(super) async fn client(&self) -> JournalResult<deadpool_postgres::Client> {
        let client = self
            .pool
            .get()
            .await
            .map_err(|e| self.with_certificate_seen(pg_error(e)))?;
        self.checked
            .get_or_try_init(|| schema::check_usable(&client))
            .await?;
        Ok(client)
    }

    /// The session token privileged functions are called with (none: operators off, or
    /// nobody signed in).
    pub(super) fn session_token(&self) -> Option<String> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|t| t.to_string())
    }

    pub(super) fn keep_session(&self, token: Option<String>) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) =
            token.map(zeroize::Zeroizing::new);
    }

    /// A pinned certificate refused: which one the server showed, and whether none was pinned
    /// yet (`new`: confirm it) or another one was (`changed`: someone may be in between).
    fn with_certificate_seen(&self, e: AppError) -> AppError {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
        match (&self.tls, e.code, seen) {
            (connect::Tls::Pinned(pinned), ErrorCode::JournalCertificate, Some(seen)) => e
                .with("fingerprint", seen)
                .with("pinned", if pinned.is_some() { "changed" } else { "new" }),
            _ => e,
        }
    }

    async fn select(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> JournalResult<Vec<Entry>> {
        let client = self.client().await?;
        let rows = client.query(sql, params).await.map_err(pg_error)?;
        rows.iter().map(entry_of).collect()
    }

    /// Recomputes one entry's search text and folded operator, inside `tx`.
    pub(super) async fn reindex(
        tx: &tokio_postgres::Transaction<'_>,
        id: i64,
    ) -> JournalResult<()> {
        let row = tx
            .query_one(
                &format!("SELECT {SEARCH_COLUMNS} FROM entries WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_error)?;
        let fields: Vec<Option<String>> = (0..15).map(|i| row.get(i)).collect();
        let operator_key = fold(fields[3].as_deref().unwrap_or_default());
        tx.execute(
            "UPDATE entries SET search_body = $2, operator_key = $3 WHERE id = $1",
            &[&id, &search_body(fields), &operator_key],
        )
        .await
        .map_err(pg_error)?;
        Ok(())
    }

    async fn insert(
        tx: &tokio_postgres::Transaction<'_>,
        e: &NewEntry,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> JournalResult<i64> {
        check_masked(&e.masked_card)?;
        let customer = e.customer.as_ref();
        let day = at.with_timezone(&chrono_tz::Europe::Istanbul).date_naive();
        let row = tx
            .query_one(
                "INSERT INTO entries (created_at, updated_at, day, profile_id, environment, operator,
                    kind, amount, amount_minor, currency, installment, pos_id, pos_name,
                    order_reference, reference_code, transaction_id, masked_card, card_last4,
                    outcome, reason, remaining_before, customer_name, customer_surname,
                    customer_email, customer_phone, customer_note, commission_rate, commission_minor,
                    approved_by, approval_id, sender, sending_until, gateway_account)
                 VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                    right($16, 4), $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28,
                    $29, $30, $31)
                 RETURNING id",
                &[
                    &at,
                    &day,
                    &e.profile_id,
                    &e.environment,
                    &e.operator,
                    &e.kind.unwrap_or(EntryKind::Payment).as_str(),
                    &e.amount.map(|a| a.to_string()),
                    &e.amount.and_then(minor_units),
                    &e.currency,
                    &e.installment.map(|i| i as i32),
                    &e.pos_id,
                    &e.pos_name,
                    &e.order_reference,
                    &e.reference_code,
                    &e.transaction_id,
                    &e.masked_card,
                    &outcome.as_str(),
                    &e.reason,
                    &e.remaining_before.map(|d| d.to_string()),
                    &customer.map(|c| c.name.clone()),
                    &customer.map(|c| c.surname.clone()),
                    &customer.map(|c| c.email.clone()),
                    &customer.and_then(|c| c.phone.clone()),
                    &customer.and_then(|c| c.note.clone()),
                    &e.commission_rate.map(|r| r.normalize().to_string()),
                    &commission_minor(e.amount, e.commission_rate),
                    &e.approved_by,
                    &e.approval_id,
                    &e.lease.as_ref().map(|l| l.desk.clone()),
                    &e.lease.as_ref().map(|l| l.until),
                    &e.gateway_account,
                ],
            )
            .await
            .map_err(pg_error)?;
        let id: i64 = row.get(0);
        Self::reindex(tx, id).await?;
        Ok(id)
    }
}

#[async_trait]
impl Journal for PgJournal {
    fn pinned_certificate(&self) -> Option<String> {
        match self.tls {
            connect::Tls::PinOnFirstUse => {
                self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
            }
            _ => None,
        }
    }

    async fn record(&self, entry: &NewEntry) -> JournalResult<i64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let id = Self::insert(&tx, entry, Outcome::Pending, Utc::now()).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(id)
    }

    async fn reserve_payment(&self, entry: &NewEntry) -> JournalResult<i64> {
        let order = entry.order_reference.as_deref().unwrap_or_default();
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        // Every desk reserving this order reference waits here until the first one commits.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('order:' || $1, 0))",
            &[&order],
        )
        .await
        .map_err(pg_error)?;
        let spent: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE kind = 'payment'
                    AND order_reference = $1 AND outcome <> 'notSent')",
                &[&order],
            )
            .await
            .map_err(pg_error)?
            .get(0);
        if spent {
            return Err(AppError::new(
                ErrorCode::AlreadySubmitted,
                "this order reference was already sent",
            )
            .with("orderReference", order));
        }
        let id = Self::insert(&tx, entry, Outcome::Pending, Utc::now()).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(id)
    }

    async fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot> {
        let reference = entry.reference_code.as_deref().unwrap_or_default();
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        // Every desk reversing this transaction waits here until the first one commits.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('reversal:' || $1, 0))",
            &[&reference],
        )
        .await
        .map_err(pg_error)?;
        let open = tx
            .query_opt(
                &format!(
                    "SELECT {COLUMNS} FROM entries WHERE reference_code = $1
                     AND kind IN ('cancel', 'refund') AND outcome IN ({UNSETTLED})
                     ORDER BY id LIMIT 1"
                ),
                &[&reference],
            )
            .await
            .map_err(pg_error)?;
        if let Some(row) = open {
            return Ok(ReversalSlot::Taken(Box::new(entry_of(&row)?)));
        }
        let latest: Option<String> = tx
            .query_opt(
                &super::store::LATEST_REMAINING_SQL.replace("{1}", "$1"),
                &[&reference],
            )
            .await
            .map_err(pg_error)?
            .and_then(|row| row.get(0));
        if let Some(left) = super::store::stale(latest, entry) {
            return Ok(ReversalSlot::Stale(left));
        }
        let id = Self::insert(&tx, entry, Outcome::Pending, Utc::now()).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(ReversalSlot::Reserved(id))
    }

    async fn settle(&self, id: i64, s: &Settlement) -> JournalResult<bool> {
        check_masked(&s.masked_card)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let amount: Option<String> = tx
            .query_opt("SELECT amount FROM entries WHERE id = $1", &[&id])
            .await
            .map_err(pg_error)?
            .ok_or_else(|| AppError::new(ErrorCode::JournalIo, format!("no journal entry {id}")))?
            .get(0);
        let commission = commission_minor(amount.and_then(|a| a.parse().ok()), s.commission_rate);
        let outcome = s.outcome.map(Outcome::as_str);
        // A compare-and-set: a final entry, or one another desk is sending, is left alone.
        let changed = tx
            .execute(
                &format!(
                    "UPDATE entries SET updated_at = $2,
                    outcome = COALESCE($3, outcome),
                    reference_code = COALESCE($4, reference_code),
                    transaction_id = COALESCE($5, transaction_id),
                    pos_name = COALESCE($6, pos_name),
                    masked_card = COALESCE($7, masked_card),
                    card_last4 = COALESCE(right($7, 4), card_last4),
                    error_code = CASE WHEN $3::TEXT IS NULL THEN COALESCE($8, error_code)
                        ELSE $8 END,
                    error_message = CASE WHEN $3::TEXT = 'success' THEN $9
                        ELSE COALESCE($9, error_message) END,
                    remaining_after = COALESCE($10, remaining_after),
                    doubt = CASE WHEN $3::TEXT IS NULL THEN doubt ELSE $11 END,
                    commission_rate = COALESCE($12, commission_rate),
                    commission_minor = COALESCE($13, commission_minor),
                    sender = CASE WHEN $15::TIMESTAMPTZ IS NULL THEN NULL ELSE $14 END,
                    sending_until = $15,
                    resolved_by = COALESCE($16, resolved_by),
                    resolution = COALESCE($17, resolution)
                 WHERE id = $1 AND outcome IN ({UNSETTLED})
                    AND (sender IS NULL OR sender = $14 OR sending_until <= $2)"
                ),
                &[
                    &id,
                    &Utc::now(),
                    &outcome,
                    &s.reference_code,
                    &s.transaction_id,
                    &s.pos_name,
                    &s.masked_card,
                    &s.error_code,
                    &s.error_message,
                    &s.remaining_after.map(|d| d.to_string()),
                    &s.doubt.map(Doubt::as_str),
                    &s.commission_rate.map(|r| r.normalize().to_string()),
                    &commission,
                    &s.by,
                    &s.hold_until,
                    &s.resolved_by,
                    &s.resolution,
                ],
            )
            .await
            .map_err(pg_error)?;
        if changed == 0 {
            return Ok(false);
        }
        Self::reindex(&tx, id).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(true)
    }

    async fn team_settings(&self) -> JournalResult<Option<TeamSettings>> {
        let doc: String = self
            .client()
            .await?
            .query_one("SELECT doc FROM team_settings WHERE id = 1", &[])
            .await
            .map_err(pg_error)?
            .get(0);
        serde_json::from_str(&doc)
            .map(Some)
            .map_err(|e| AppError::new(ErrorCode::JournalIo, format!("team settings: {e}")))
    }

    async fn save_team_settings(&self, settings: &TeamSettings) -> JournalResult<()> {
        let doc = serde_json::to_string(settings)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        self.client()
            .await?
            .execute(
                "SELECT dd_save_team_settings($1, $2)",
                &[&self.session_token(), &doc],
            )
            .await
            .map_err(pg_error)?;
        Ok(())
    }

    async fn claim_purge(&self, day: chrono::NaiveDate) -> JournalResult<bool> {
        let won = self
            .client()
            .await?
            .execute(
                "UPDATE team_settings SET purged_on = $1
                 WHERE id = 1 AND (purged_on IS NULL OR purged_on < $1)",
                &[&day],
            )
            .await
            .map_err(pg_error)?;
        Ok(won == 1)
    }

    async fn release(&self, id: i64, desk: &str) -> JournalResult<()> {
        self.client()
            .await?
            .execute(
                "UPDATE entries SET sender = NULL, sending_until = NULL
                 WHERE id = $1 AND sender = $2",
                &[&id, &desk],
            )
            .await
            .map_err(pg_error)?;
        Ok(())
    }

    async fn note_absent(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> JournalResult<(DateTime<Utc>, u32)> {
        let row = self
            .client()
            .await?
            .query_one(
                "UPDATE entries SET absent_since = COALESCE(absent_since, $2),
                    absent_checks = absent_checks + 1 WHERE id = $1
                 RETURNING absent_since, absent_checks",
                &[&id, &now],
            )
            .await
            .map_err(pg_error)?;
        Ok((row.get(0), row.get::<_, i32>(1) as u32))
    }

    async fn note_present(&self, id: i64) -> JournalResult<()> {
        self.client()
            .await?
            .execute(
                "UPDATE entries SET absent_since = NULL, absent_checks = 0 WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(pg_error)?;
        Ok(())
    }

    async fn get(&self, id: i64) -> JournalResult<Option<Entry>> {
        Ok(self
            .select(
                &format!("SELECT {COLUMNS} FROM entries WHERE id = $1"),
                &[&id],
            )
            .await?
            .pop())
    }

    async fn unsettled(&self, profile_id: &str, limit: u32) -> JournalResult<Vec<Entry>> {
        self.select(
            &format!(
                "SELECT {COLUMNS} FROM entries WHERE outcome IN ({UNSETTLED}) AND profile_id = $1
                 ORDER BY updated_at, id LIMIT $2"
            ),
            &[&profile_id, &i64::from(limit)],
        )
        .await
    }

    async fn count_unsettled(&self, profile_id: &str) -> JournalResult<u64> {
        let row = self
            .client()
            .await?
            .query_one(
                &format!(
                    "SELECT COUNT(*) FROM entries WHERE outcome IN ({UNSETTLED}) AND profile_id = $1"
                ),
                &[&profile_id],
            )
            .await
            .map_err(pg_error)?;
        Ok(row.get::<_, i64>(0).try_into().unwrap_or(0))
    }

    async fn latest_payment(&self, order: &str) -> JournalResult<Option<Entry>> {
        Ok(self
            .select(
                &format!(
                    "SELECT {COLUMNS} FROM entries WHERE kind = 'payment' AND order_reference = $1
                     ORDER BY id DESC LIMIT 1"
                ),
                &[&order],
            )
            .await?
            .pop())
    }

    async fn unsettled_reversals(&self, reference_code: &str) -> JournalResult<Vec<Entry>> {
        self.select(
            &format!(
                "SELECT {COLUMNS} FROM entries WHERE reference_code = $1
                 AND kind IN ('cancel', 'refund') AND outcome IN ({UNSETTLED}) ORDER BY id"
            ),
            &[&reference_code],
        )
        .await
    }

    async fn history(
        &self,
        reference_code: &str,
        order_reference: Option<&str>,
    ) -> JournalResult<Vec<Entry>> {
        self.select(
            &format!(
                "SELECT {COLUMNS} FROM entries WHERE reference_code = $1
                 OR ($2::TEXT IS NOT NULL AND order_reference = $2) ORDER BY id"
            ),
            &[&reference_code, &order_reference],
        )
        .await
    }

    async fn search(&self, filter: &Filter, offset: u32, limit: u32) -> JournalResult<Page> {
        let (where_sql, params) = filter::where_clause(filter)?;
        let client = self.client().await?;
        let count: i64 = client
            .query_one(&super::count_sql(&where_sql, filter), &refs(&params))
            .await
            .map_err(pg_error)?
            .get(0);
        let (total, more) = super::counted(count as u32, filter);
        let rows = client
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM entries {where_sql} ORDER BY id DESC LIMIT {} OFFSET {}",
                    limit.min(1000),
                    offset
                ),
                &refs(&params),
            )
            .await
            .map_err(pg_error)?;
        Ok(Page {
            total,
            more,
            offset,
            entries: rows.iter().map(entry_of).collect::<JournalResult<_>>()?,
        })
    }

    async fn all(&self, filter: &Filter) -> JournalResult<Vec<Entry>> {
        let (where_sql, params) = filter::where_clause(filter)?;
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("SELECT {COLUMNS} FROM entries {where_sql} ORDER BY id DESC"),
                &refs(&params),
            )
            .await
            .map_err(pg_error)?;
        rows.iter().map(entry_of).collect()
    }

    async fn totals(&self, filter: &Filter) -> JournalResult<Vec<CurrencyTotals>> {
        let (where_sql, params) = filter::where_clause(filter)?;
        let joiner = if where_sql.is_empty() { "WHERE" } else { "AND" };
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "{TOTALS_SELECT} {where_sql} {joiner} outcome = 'success'
                     GROUP BY currency, kind ORDER BY currency"
                ),
                &refs(&params),
            )
            .await
            .map_err(pg_error)?;
        Ok(per_currency(
            rows.iter()
                .map(|r| {
                    (
                        r.get(0),
                        r.get(1),
                        r.get::<_, i64>(2) as u32,
                        r.get::<_, i64>(3),
                        r.get::<_, i64>(4),
                    )
                })
                .collect(),
        ))
    }

    async fn report(&self, profile_id: &str, range: ReportRange) -> JournalResult<Report> {
        report::check_range(range)?;
        let sql = report::GROUPS_SQL
            .replace("{1}", "$1")
            .replace("{2}", "$2")
            .replace("{3}", "$3");
        let rows = self
            .client()
            .await?
            .query(&sql, &[&profile_id, &range.from, &range.to])
            .await
            .map_err(pg_error)?;
        let groups = rows
            .iter()
            .map(|r| {
                let mut tally = Tally::default();
                tally.add(
                    r.get(6),
                    r.get::<_, i64>(7) as u32,
                    r.get::<_, i64>(8),
                    r.get::<_, i64>(9),
                );
                let pos: Option<String> = r.get(1);
                let pos = pos.or(r.get(2)).unwrap_or_default();
                Group {
                    day: r.get::<_, chrono::NaiveDate>(0).to_string(),
                    pos: pos.trim().to_owned(),
                    installment: r.get::<_, Option<i32>>(3).unwrap_or(1) as u32,
                    operator: r.get(4),
                    currency: r.get(5),
                    tally,
                }
            })
            .collect();
        Ok(report::build(profile_id, range, groups))
    }

    async fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let ids: Vec<i64> = tx
            .query(
                "UPDATE entries SET customer_name = NULL, customer_surname = NULL,
                    customer_email = NULL, customer_phone = NULL, customer_note = NULL
                 WHERE created_at < $1 AND customer_name IS NOT NULL RETURNING id",
                &[&before],
            )
            .await
            .map_err(pg_error)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for id in &ids {
            Self::reindex(&tx, *id).await?;
        }
        tx.commit().await.map_err(pg_error)?;
        Ok(ids.len())
    }

    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<i64>> {
        let sender = self.changes.get_or_init(|| {
            let (sender, _) = tokio::sync::broadcast::channel(256);
            listen::spawn(
                self.config.clone(),
                self.tls.clone(),
                self.seen.clone(),
                sender.clone(),
            );
            sender
        });
        Some(sender.subscribe())
    }

    async fn record_many(
        &self,
        entries: &[(NewEntry, Outcome, DateTime<Utc>)],
    ) -> JournalResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        for (entry, outcome, at) in entries {
            Self::insert(&tx, entry, *outcome, *at).await?;
        }
        tx.commit().await.map_err(pg_error)
    }
}
