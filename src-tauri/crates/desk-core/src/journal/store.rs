//! The journal as the desk uses it: one interface over the embedded SQLite file (one desk, the
//! default) and, in team mode, a PostgreSQL database shared by every desk (ARCHITECTURE.md). What it
//! promises is the same on both: a write is durable when it returns, an order reference is
//! reserved once, and the same filters, pages, totals and reports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::settings::TeamSettings;

use super::{
    CurrencyTotals, Entry, Filter, JournalResult, NewEntry, Outcome, Page, Report, ReportRange,
    Settlement,
};

#[async_trait]
pub trait Journal: super::Staff + super::Outbox + Send + Sync {
    /// Writes an operation's pending entry before it is sent; returns its id.
    async fn record(&self, entry: &NewEntry) -> JournalResult<i64>;
    /// Like `record`, unless the payment's order reference was already sent (`AlreadySubmitted`).
    async fn reserve_payment(&self, entry: &NewEntry) -> JournalResult<i64>;
    /// Like `record` for a cancel or refund, unless another cancel or refund of the same
    /// transaction (by reference code) is not final yet: then that one is returned and nothing
    /// is written. Check and write are one step, for every desk on the journal.
    async fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot>;
    /// Records how an operation stands now: only while it is not final and no other desk's
    /// live lease holds it (compare-and-set). `false`: nothing was written.
    async fn settle(&self, id: i64, settlement: &Settlement) -> JournalResult<bool>;
    /// Lets go of an entry `desk` held for sending.
    async fn release(&self, id: i64, desk: &str) -> JournalResult<()>;
    /// The gateway did not know the operation at `now`: since when, and how often so far.
    async fn note_absent(&self, id: i64, now: DateTime<Utc>)
        -> JournalResult<(DateTime<Utc>, u32)>;
    /// The gateway knows the operation again: its absence count starts over.
    async fn note_present(&self, id: i64) -> JournalResult<()>;
    async fn get(&self, id: i64) -> JournalResult<Option<Entry>>;
    /// Up to `limit` of one profile's entries without a final outcome, the least recently
    /// settled first (so rounds of reconciling go through a backlog instead of asking about
    /// its head forever).
    async fn unsettled(&self, profile_id: &str, limit: u32) -> JournalResult<Vec<Entry>>;
    /// How many of one profile's entries have no final outcome.
    async fn count_unsettled(&self, profile_id: &str) -> JournalResult<u64>;
    /// The newest payment sent with this order reference.
    async fn latest_payment(&self, order: &str) -> JournalResult<Option<Entry>>;
    /// The account code given with this customer's (by e-mail, any case) latest payment that
    /// had one.
    async fn account_code_of(&self, email: &str) -> JournalResult<Option<String>>;
    /// Cancels and refunds of one transaction without a final outcome.
    async fn unsettled_reversals(&self, reference_code: &str) -> JournalResult<Vec<Entry>>;
    /// Every entry about one transaction (by reference code or order reference), oldest first.
    async fn history(
        &self,
        reference_code: &str,
        order_reference: Option<&str>,
    ) -> JournalResult<Vec<Entry>>;
    /// One page of the entries `filter` matches, newest first.
    async fn search(&self, filter: &Filter, offset: u32, limit: u32) -> JournalResult<Page>;
    /// Every entry `filter` matches, newest first (the CSV export).
    async fn all(&self, filter: &Filter) -> JournalResult<Vec<Entry>>;
    async fn totals(&self, filter: &Filter) -> JournalResult<Vec<CurrencyTotals>>;
    async fn report(&self, profile_id: &str, range: ReportRange) -> JournalResult<Report>;
    /// Forgets the customer of every entry created before `before`; returns how many.
    async fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize>;
    /// The certificate this journal pinned on first use, for the desk to keep in its settings.
    fn pinned_certificate(&self) -> Option<String> {
        None
    }

    /// The team's desk-wide settings; `None`: this journal is one desk's own, whose settings
    /// are its own.
    async fn team_settings(&self) -> JournalResult<Option<TeamSettings>> {
        Ok(None)
    }
    /// Writes the team's desk-wide settings (a team journal only).
    async fn save_team_settings(&self, _settings: &TeamSettings) -> JournalResult<()> {
        Ok(())
    }
    /// Whether this desk runs the retention purge of `day` (Istanbul): on a team journal only
    /// the first desk to ask on a day does; on a desk's own journal, always.
    async fn claim_purge(&self, _day: chrono::NaiveDate) -> JournalResult<bool> {
        Ok(true)
    }
    /// The ids of entries written or changed from now on by any desk on this journal, as it
    /// happens (`None`: no other desk shares it). Call from within the async runtime.
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<i64>> {
        None
    }
    /// Writes finished entries in one transaction, each with its outcome and time (tests,
    /// benchmarks).
    async fn record_many(
        &self,
        entries: &[(NewEntry, Outcome, DateTime<Utc>)],
    ) -> JournalResult<()>;
}

/// What `reserve_reversal` did.
#[derive(Debug)]
pub enum ReversalSlot {
    /// Written, pending: the new entry's id.
    Reserved(i64),
    /// Not written: this earlier cancel or refund of the transaction is not final yet.
    Taken(Box<Entry>),
    /// Not written: a cancel or refund of the transaction succeeded since the operator's
    /// figures were read (another desk's, a moment ago); this is what is left now.
    Stale(String),
}

/// Whether the last successful reversal left a refundable amount other than the one the new
/// entry was confirmed against.
pub(super) fn stale(latest_after: Option<String>, entry: &NewEntry) -> Option<String> {
    let after = latest_after?;
    let seen = entry.remaining_before?;
    match after.parse::<rust_decimal::Decimal>() {
        Ok(left) if left != seen => Some(after),
        _ => None,
    }
}

/// The refundable amount the latest successful cancel or refund of a transaction left.
pub(super) const LATEST_REMAINING_SQL: &str =
    "SELECT remaining_after FROM entries WHERE reference_code = {1}
     AND kind IN ('cancel', 'refund') AND outcome = 'success' ORDER BY id DESC LIMIT 1";

/// Runs a SQLite call where it may block: on Tauri's multi-thread runtime the worker hands its
/// other tasks away first; elsewhere (single-thread tests) it just runs.
pub(super) fn blocking<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}
