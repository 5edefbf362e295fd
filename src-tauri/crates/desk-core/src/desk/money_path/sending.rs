//! Who may settle an entry, across the desks of one journal.
//!
//! An entry being sent belongs to its sender: the desk journals it with a lease, renews the
//! lease at every step while it follows the answer up, and lets go when it is done. No other
//! desk settles an entry under a live lease: what that desk read could be from before the
//! request reached the gateway. A lease that ran out belongs to a desk that died or hung, and
//! reconciliation takes the entry over.
//!
//! And an entry is settled only through the gateway account that made it: a payment of one
//! account is unknown to another, and "not found" there proves nothing.

use std::collections::HashSet;
use std::sync::Mutex;

use blake2::{Blake2s256, Digest};
use chrono::{DateTime, Utc};

use super::MoneyPath;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::journal::{Entry, Lease, Settlement};

/// The entries this desk is sending or following up right now.
#[derive(Default)]
pub(super) struct Sending(Mutex<HashSet<i64>>);

/// Keeps an entry in [`Sending`] until dropped.
pub(super) struct SendingGuard<'a> {
    sending: &'a Sending,
    id: i64,
}

impl Drop for SendingGuard<'_> {
    fn drop(&mut self) {
        self.sending.ids().remove(&self.id);
    }
}

impl Sending {
    fn ids(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn contains(&self, id: i64) -> bool {
        self.ids().contains(&id)
    }
}

/// Whether `error` means the journal cannot be written now (the team database is away or has
/// no connection to spare, the file cannot be written), as opposed to a refusal.
pub(super) fn journal_away(error: &AppError) -> bool {
    error.code.journal_out_of_reach() || error.code == ErrorCode::JournalIo
}

/// Verdicts the journal could not take when the gateway gave them, oldest first. The entry is
/// in the journal already (reserved before sending, still unsettled there), and the gateway
/// holds the truth: if this desk stops before writing them, reconciliation finds the same.
#[derive(Default)]
pub(super) struct Unwritten(Mutex<Vec<(i64, Settlement)>>);

impl Unwritten {
    fn list(&self) -> std::sync::MutexGuard<'_, Vec<(i64, Settlement)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn keep(&self, id: i64, settlement: Settlement) {
        self.list().push((id, settlement));
    }

    pub(super) fn holds(&self, id: i64) -> bool {
        self.list().iter().any(|(kept, _)| *kept == id)
    }
}

/// The identity of a gateway account: where it is and whose keys (a digest, so the journal does
/// not repeat the API key on every row).
pub fn gateway_account(base_url: &str, api_key: &str) -> String {
    let mut digest = Blake2s256::new();
    digest.update(
        base_url
            .trim_end_matches('/')
            .to_ascii_lowercase()
            .as_bytes(),
    );
    digest.update([0]);
    digest.update(api_key.trim().as_bytes());
    let bytes = digest.finalize();
    bytes[..12].iter().map(|b| format!("{b:02x}")).collect()
}

impl MoneyPath {
    /// This desk's name on leases: new at every start, so a restarted desk does not claim
    /// what it held before it stopped.
    pub(super) fn desk_id(&self) -> &str {
        &self.desk_id
    }

    /// A lease for an entry about to be sent from here.
    pub(super) fn new_lease(&self) -> Lease {
        Lease {
            desk: self.desk_id.clone(),
            until: self.lease_end(),
        }
    }

    fn lease_end(&self) -> DateTime<Utc> {
        Utc::now() + self.policy.lease
    }

    /// How long this desk keeps holding `id` when it settles it: renewed while it sends or
    /// follows it up, let go otherwise.
    pub(super) fn hold_for(&self, id: i64) -> Option<DateTime<Utc>> {
        self.sending.contains(id).then(|| self.lease_end())
    }

    /// Holds a payment through its 3D step (the bank's page stays open up to 15 minutes).
    pub(super) async fn hold_through_3d(&self, id: i64) {
        let hold = crate::journal::Settlement {
            by: Some(self.desk_id.clone()),
            hold_until: Some(Utc::now() + std::time::Duration::from_secs(15 * 60)),
            ..crate::journal::Settlement::default()
        };
        if let Err(e) = self.journal.settle(id, &hold).await {
            tracing::warn!(
                entry = id,
                "lease not extended for the 3D step: {}",
                e.message
            );
        }
    }

    /// Marks `id` as sent from here until the guard is dropped.
    pub(super) fn sending(&self, id: i64) -> SendingGuard<'_> {
        self.sending.ids().insert(id);
        SendingGuard {
            sending: &self.sending,
            id,
        }
    }

    /// Lets go of an entry this desk sent and could not settle: reconciliation, here or on
    /// another desk, takes it over. When the journal cannot be reached the lease runs out.
    pub(super) async fn let_go(&self, guard: SendingGuard<'_>) {
        let id = guard.id;
        drop(guard);
        if let Err(e) = self.journal.release(id, &self.desk_id).await {
            tracing::warn!(
                entry = id,
                "lease not released (it runs out): {}",
                e.message
            );
        }
    }

    /// Writes the verdicts the journal could not take, oldest first; before anything new is
    /// sent. Fails (and keeps the rest) while the journal is still away.
    pub(super) async fn write_unwritten(&self) -> AppResult<()> {
        loop {
            let next = self.unwritten.list().first().cloned();
            let Some((id, mut settlement)) = next else {
                return Ok(());
            };
            // Written late: the sending is over.
            settlement.hold_until = None;
            self.journal.settle(id, &settlement).await?;
            self.unwritten.list().retain(|(kept, _)| *kept != id);
        }
    }

    /// Whether this desk may settle `entry` now: nobody else is sending it, and the active
    /// session is of the account that made it.
    pub(super) fn may_settle(&self, entry: &Entry, account: &str) -> bool {
        !entry.held_by_another(&self.desk_id, Utc::now())
            && entry
                .gateway_account
                .as_deref()
                .is_none_or(|a| a == account)
    }
}
