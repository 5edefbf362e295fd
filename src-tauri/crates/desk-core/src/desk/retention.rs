//! How long the journal keeps customers (KVKK): the retention setting purges older ones at
//! start-up and whenever the setting changes, and the status says what the last purge did.

use chrono::Utc;

use super::Desk;
use crate::dto::PurgeReport;
use crate::error::AppResult;

impl Desk {
    /// Forgets the customer of every entry older than the retention setting allows; returns
    /// how many entries it touched. "Keep" purges nothing.
    pub async fn apply_retention(&self) -> AppResult<usize> {
        let Some(days) = self.settings().customer_retention.days() else {
            return Ok(0);
        };
        let before = Utc::now() - chrono::Duration::days(days.into());
        let count = self.journal.purge_customers(before).await?;
        *self.last_purge.lock().expect("purge lock") = Some(PurgeReport {
            count: count as u32,
            before: before.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        Ok(count)
    }
}
