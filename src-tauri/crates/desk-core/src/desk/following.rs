//! Following the journal: every write (this desk's, and on the team database every desk's) is
//! announced, gathered over a moment and told to the window, so lists refresh because the
//! journal changed, never because a screen counted its own actions.

use std::time::Duration;

use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::Desk;
use crate::dto::JournalChange;

/// Announcements closer together than this are told as one change.
const GATHER: Duration = Duration::from_millis(200);

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
