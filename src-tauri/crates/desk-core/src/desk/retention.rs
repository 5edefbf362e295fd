//! How long the journal keeps customers (KVKK): the retention setting purges older ones at
//! start-up and whenever the setting changes, and the status says what the last purge did.

use chrono::Utc;

use super::Desk;
use crate::dto::PurgeReport;
use crate::error::AppResult;

impl Desk {
    /// Forgets the customer of every entry older than the retention setting allows; returns
    /// how many entries it touched. "Keep" purges nothing. On a team journal the retention is
    /// the team's (nothing is purged until a supervisor chose it) and the purge runs once a day
    /// for the team, on the first desk that asks.
    pub async fn apply_retention(&self) -> AppResult<usize> {
        let retention = match self.journal.team_settings().await? {
            Some(team) => team.customer_retention,
            None => Some(self.profiles.settings().customer_retention),
        };
        let Some(days) = retention.and_then(|r| r.days()) else {
            return Ok(0);
        };
        let today = Utc::now()
            .with_timezone(&chrono_tz::Europe::Istanbul)
            .date_naive();
        if !self.journal.claim_purge(today).await? {
            return Ok(0);
        }
        let before = Utc::now() - chrono::Duration::days(days.into());
        let count = self.journal.purge_customers(before).await?;
        *self.last_purge.lock().expect("purge lock") = Some(PurgeReport {
            count: count as u32,
            before: before.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        Ok(count)
    }

    /// Takes the team's desk-wide settings (retention, refund period, lock time, commission
    /// display) over this desk's own; nothing on a desk's own journal.
    pub async fn adopt_team_settings(&self) -> AppResult<()> {
        if let Some(team) = self.journal.team_settings().await? {
            self.profiles.update_settings(|s| {
                team.apply_to(s);
                Ok(())
            })?;
        }
        Ok(())
    }
}
