//! The team journal (ARCHITECTURE.md): the same journal as the SQLite file, in a PostgreSQL database
//! that every desk of the dealer uses. tokio-postgres (the async driver the others build on;
//! LISTEN/NOTIFY for later) with a small deadpool pool: no compile-time database, no macros.
//! Reservations hold across desks through transaction-scoped advisory locks, not memory.

mod authority;
mod connect;
mod connections;
mod failure;
mod filter;
mod outbox;
mod reads;
mod schema;
mod staff;
mod sums;
mod writes;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
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
use crate::model::Doubt;
use crate::settings::TeamSettings;

pub use connect::{SslMode, TeamDatabase};
pub use schema::SupervisorPin;

pub(super) use failure::pg_error;
use failure::{money, word};
use reads::entry_of;

type Params = Vec<Box<dyn ToSql + Sync + Send>>;

fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

pub struct PgJournal {
    connections: connections::Connections,
    tls: connect::Tls,
    /// The certificate the server showed last (pinned TLS), for the screen to confirm.
    seen: connect::SeenCertificate,
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
        let pool = deadpool_postgres::Pool::builder(connect::manager(config.clone(), &tls, &seen))
            .max_size(connections::POOL_SIZE)
            .wait_timeout(Some(std::time::Duration::from_secs(10)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        Ok(Self {
            connections: connections::Connections::new(
                pool,
                connections::Reach {
                    config,
                    tls: tls.clone(),
                    seen: seen.clone(),
                },
            ),
            tls,
            seen,
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
            .connections
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

    pub(super) async fn client(&self) -> JournalResult<connections::Lease> {
        let client = self.connections.get().await;
        self.usable(client).await
    }

    /// [`PgJournal::client`] for the money path's writes: never behind other work.
    pub(super) async fn client_at_once(&self) -> JournalResult<connections::Lease> {
        let client = self.connections.get_at_once().await;
        self.usable(client).await
    }

    async fn usable(
        &self,
        client: Result<connections::Lease, failure::PgFailure>,
    ) -> JournalResult<connections::Lease> {
        let client = client.map_err(|e| self.with_certificate_seen(pg_error(e)))?;
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
        PgJournal::reserve_payment(self, entry).await
    }

    async fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot> {
        PgJournal::reserve_reversal(self, entry).await
    }

    async fn settle(&self, id: i64, s: &Settlement) -> JournalResult<bool> {
        PgJournal::settle(self, id, s).await
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

    async fn account_code_of(&self, email: &str) -> JournalResult<Option<String>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT account_code FROM entries WHERE lower(customer_email) = lower($1)
                 AND account_code IS NOT NULL ORDER BY id DESC LIMIT 1",
                &[&email.trim()],
            )
            .await
            .map_err(pg_error)?;
        Ok(row.map(|r| r.get(0)))
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
        PgJournal::search(self, filter, offset, limit).await
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
        PgJournal::totals(self, filter).await
    }

    async fn report(&self, profile_id: &str, range: ReportRange) -> JournalResult<Report> {
        PgJournal::report(self, profile_id, range).await
    }

    async fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize> {
        PgJournal::purge_customers(self, before).await
    }

    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<i64>> {
        Some(self.connections.subscribe())
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
