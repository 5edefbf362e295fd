//! The SQLite file as the desk's [`Journal`]: each call runs where it may block.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::SqliteJournal;
use crate::journal::store::blocking;
use crate::journal::{
    CurrencyTotals, Entry, Filter, Journal, JournalResult, NewEntry, Outcome, Page, Report,
    ReportRange, ReversalSlot, Settlement,
};

#[async_trait]
impl Journal for SqliteJournal {
    async fn record(&self, entry: &NewEntry) -> JournalResult<i64> {
        let id = blocking(|| SqliteJournal::record(self, entry))?;
        self.announce(id);
        Ok(id)
    }
    async fn reserve_payment(&self, entry: &NewEntry) -> JournalResult<i64> {
        let id = blocking(|| SqliteJournal::reserve_payment(self, entry))?;
        self.announce(id);
        Ok(id)
    }
    async fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot> {
        let slot = blocking(|| SqliteJournal::reserve_reversal(self, entry))?;
        if let ReversalSlot::Reserved(id) = slot {
            self.announce(id);
        }
        Ok(slot)
    }
    async fn settle(&self, id: i64, settlement: &Settlement) -> JournalResult<bool> {
        let changed = blocking(|| SqliteJournal::settle(self, id, settlement))?;
        if changed {
            self.announce(id);
        }
        Ok(changed)
    }
    async fn release(&self, id: i64, desk: &str) -> JournalResult<()> {
        blocking(|| SqliteJournal::release(self, id, desk))
    }
    async fn note_absent(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> JournalResult<(DateTime<Utc>, u32)> {
        blocking(|| SqliteJournal::note_absent(self, id, now))
    }
    async fn note_present(&self, id: i64) -> JournalResult<()> {
        blocking(|| SqliteJournal::note_present(self, id))
    }
    async fn get(&self, id: i64) -> JournalResult<Option<Entry>> {
        blocking(|| SqliteJournal::get(self, id))
    }
    async fn unsettled(&self, profile_id: &str, limit: u32) -> JournalResult<Vec<Entry>> {
        blocking(|| SqliteJournal::unsettled(self, profile_id, limit))
    }
    async fn count_unsettled(&self, profile_id: &str) -> JournalResult<u64> {
        blocking(|| SqliteJournal::count_unsettled(self, profile_id))
    }
    async fn latest_payment(&self, order: &str) -> JournalResult<Option<Entry>> {
        blocking(|| SqliteJournal::latest_payment(self, order))
    }
    async fn account_code_of(&self, email: &str) -> JournalResult<Option<String>> {
        blocking(|| SqliteJournal::account_code_of(self, email))
    }
    async fn unsettled_reversals(&self, reference_code: &str) -> JournalResult<Vec<Entry>> {
        blocking(|| SqliteJournal::unsettled_reversals(self, reference_code))
    }
    async fn history(
        &self,
        reference_code: &str,
        order_reference: Option<&str>,
    ) -> JournalResult<Vec<Entry>> {
        blocking(|| SqliteJournal::history(self, reference_code, order_reference))
    }
    async fn search(&self, filter: &Filter, offset: u32, limit: u32) -> JournalResult<Page> {
        blocking(|| SqliteJournal::search(self, filter, offset, limit))
    }
    async fn all(&self, filter: &Filter) -> JournalResult<Vec<Entry>> {
        blocking(|| SqliteJournal::all(self, filter))
    }
    async fn totals(&self, filter: &Filter) -> JournalResult<Vec<CurrencyTotals>> {
        blocking(|| SqliteJournal::totals(self, filter))
    }
    async fn report(&self, profile_id: &str, range: ReportRange) -> JournalResult<Report> {
        blocking(|| SqliteJournal::report(self, profile_id, range))
    }
    async fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize> {
        blocking(|| SqliteJournal::purge_customers(self, before))
    }
    async fn record_many(
        &self,
        entries: &[(NewEntry, Outcome, DateTime<Utc>)],
    ) -> JournalResult<()> {
        blocking(|| SqliteJournal::record_many(self, entries))?;
        self.announce(0);
        Ok(())
    }
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<i64>> {
        Some(self.announced.subscribe())
    }
}
