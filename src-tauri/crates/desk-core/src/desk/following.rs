//! Following the journal: every write (this desk's, and on the team database every desk's) is
//! announced, gathered over a moment and told to the window, so lists refresh because the
//! journal changed, never because a screen counted its own actions.

use std::time::Duration;

use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::Desk;
use crate::dto::JournalChange;

/// Announcements closer together than this are told as one change.
const GATHER: Duration = Duration::from_millis(200);
/// A window reloads what it shows on every change told. On a team journal dozens of desks write
/// at once, and telling each change as it comes would keep every window reloading without a
/// pause, every one a query on the shared server. After telling, the follower rests this long:
/// a window reloads at most every 0.7 s, and hears of a change within that (BENCHMARKS.md,
/// team mode at scale).
const REST: Duration = Duration::from_millis(500);

impl Desk {
    /// Runs for as long as the journal announces changes, telling each gathered change.
    pub async fn follow_journal(&self, tell: impl Fn(&JournalChange)) {
        let Some(mut announced) = self.journal.changes() else {
            return;
        };
        loop {
            let mut change = JournalChange::default();
            match announced.recv().await {
                Ok(what) => change.note(what),
                // Missed some: what changed is unknown, so everything loads again.
                Err(RecvError::Lagged(_)) => change.staff = true,
                Err(RecvError::Closed) => return,
            }
            tokio::time::sleep(GATHER).await;
            loop {
                match announced.try_recv() {
                    Ok(what) => change.note(what),
                    Err(TryRecvError::Lagged(_)) => change.staff = true,
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                }
            }
            // Another desk may have changed an operator or the team's settings.
            self.journal_changed();
            if let Err(e) = self.adopt_team_settings().await {
                tracing::warn!("team settings not read: {}", e.message);
            }
            tell(&change);
            tokio::time::sleep(REST).await;
        }
    }
}

impl JournalChange {
    /// An announced entry id, or 0: operators, approvals, or a listener that was away.
    fn note(&mut self, what: i64) {
        if what > 0 {
            self.entries += 1;
        } else {
            self.staff = true;
        }
    }
}
