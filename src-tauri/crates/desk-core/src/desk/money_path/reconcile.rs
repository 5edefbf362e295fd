//! Settling what is not final (ARCHITECTURE.md): payments by their order reference (a "not found"
//! counts only after the settling window), cancels and refunds by the transaction's refundable
//! amount against their baseline. Runs right after an uncertain send (while the operator
//! waits), before any new operation on the same order or transaction, at start-up, on "Check
//! pending" and on a timer.

use std::time::Duration;

use chrono::Utc;
use vpws::{Transaction, TransactionKey};

use super::claims::{order_key, reversal_key};
use super::MoneyPath;
use crate::desk::profiles::Session;
use crate::dto::{ReconcileChange, ReconcileReport};
use crate::error::AppResult;
use crate::journal::{Entry, EntryKind, Outcome, Settlement};
use crate::verdict::{decide, Absence, Doubt, Evidence, Operation, SettlingWindow, Verdict};

/// How patiently the desk reconciles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconcilePolicy {
    /// A payment the gateway does not know counts as not charged only after this.
    pub window: SettlingWindow,
    /// Pauses before each check the desk makes at once, while the operator waits (the first
    /// usually zero). Together they should span the settling window, so a lost answer is
    /// mostly settled before the operator is told anything.
    pub checks_in_flow: Vec<Duration>,
    /// How often unsettled entries are re-asked while the app runs.
    pub timer_period: Duration,
    /// How many unsettled entries one round asks about, the least recently asked first: a
    /// backlog is worked through round by round instead of holding the journal and the
    /// gateway for minutes.
    pub round_size: u32,
    /// How long an entry being sent stays this desk's without a renewal: longer than one
    /// request can take (the client gives up after 40 s), shorter than anyone would wait.
    pub lease: Duration,
}

impl Default for ReconcilePolicy {
    fn default() -> Self {
        let seconds = |s: &[u64]| s.iter().map(|&s| Duration::from_secs(s)).collect();
        Self {
            window: SettlingWindow::default(),
            // 0, 1, 3, 6, 11, 19, 32 s after the failure: seven queries over the 30 s window.
            checks_in_flow: seconds(&[0, 1, 2, 3, 5, 8, 13]),
            timer_period: Duration::from_secs(15),
            round_size: 50,
            lease: Duration::from_secs(90),
        }
    }
}

/// What one query about a transaction said.
pub(super) enum Answer {
    Found(Box<Transaction>),
    NotFound,
    Unreachable,
}

impl MoneyPath {
    async fn ask(&self, session: &Session, key: &TransactionKey) -> Answer {
        match session.client.transaction(key).await {
            Ok(tx) => Answer::Found(Box::new(tx)),
            Err(vpws::Error::NotFound { .. }) => Answer::NotFound,
            Err(e) => {
                tracing::warn!(
                    code = e.code(),
                    "transaction query failed while reconciling"
                );
                Answer::Unreachable
            }
        }
    }

    /// One question about a payment entry, its verdict, journaled.
    pub(super) async fn check_payment_once(
        &self,
        session: &Session,
        entry_id: i64,
        operation: &Operation,
        order: &str,
    ) -> AppResult<(Verdict, Option<Transaction>)> {
        let key = TransactionKey::ClientReference(order.to_owned());
        let (verdict, snapshot) = match self.ask(session, &key).await {
            Answer::Found(tx) => {
                if let Err(e) = self.journal.note_present(entry_id).await {
                    if !super::sending::journal_away(&e) {
                        return Err(e);
                    }
                }
                (decide(operation, Evidence::Snapshot(&tx)), Some(*tx))
            }
            Answer::NotFound => {
                let now = Utc::now();
                // Without the journal the absences cannot be counted: one proves nothing.
                let absence = match self.journal.note_absent(entry_id, now).await {
                    Ok((since, checks)) => Absence { since, checks, now },
                    Err(e) if super::sending::journal_away(&e) => Absence::once(now),
                    Err(e) => return Err(e),
                };
                let evidence = Evidence::Absent(absence, self.policy.window);
                (decide(operation, evidence), None)
            }
            Answer::Unreachable => (decide(operation, Evidence::Unreachable), None),
        };
        if !self
            .record_verdict(entry_id, &verdict, snapshot.as_ref(), None)
            .await?
        {
            // Settled meanwhile (by another desk, or by this one's other path): that stands.
            if let Some(entry) = self.journal.get(entry_id).await? {
                return Ok((super::payment::verdict_of(&entry), snapshot));
            }
        }
        Ok((verdict, snapshot))
    }

    /// Checks a payment whose answer was lost (or whose 3D step ended) until the verdict is
    /// final, the payment is known to wait at the gateway, or the in-flow checks are used up.
    pub(super) async fn follow_payment(
        &self,
        session: &Session,
        entry_id: i64,
        operation: &Operation,
        order: &str,
        bank_page_shown: bool,
    ) -> AppResult<(Verdict, Option<Transaction>)> {
        let mut last = (decide(operation, Evidence::Unreachable), None);
        for pause in &self.policy.checks_in_flow {
            tokio::time::sleep(*pause).await;
            last = self
                .check_payment_once(session, entry_id, operation, order)
                .await?;
            // A 3D step whose page never reached the cardholder changes only when the gateway
            // expires it: the timer watches it from here.
            let stuck = !bank_page_shown && last.0.doubt == Some(Doubt::GatewayPending);
            if last.0.outcome.is_final() || last.0.outcome == Outcome::Abandoned || stuck {
                break;
            }
        }
        Ok(last)
    }

    /// Settles the unsettled cancels and refunds of one transaction from what the gateway
    /// shows now; returns what changed and what is still not final.
    pub(super) async fn check_reversals(
        &self,
        session: &Session,
        reference_code: &str,
    ) -> AppResult<(Vec<ReconcileChange>, Vec<Entry>, Option<Transaction>)> {
        let open = self.journal.unsettled_reversals(reference_code).await?;
        // The gateway is asked after the journal: an entry found not held by its sender was
        // sent before this read, so the read can tell whether it was applied.
        let (entries, mut held): (Vec<Entry>, Vec<Entry>) = open
            .into_iter()
            .partition(|e| self.may_settle(e, &session.account));
        if entries.is_empty() {
            return Ok((Vec::new(), held, None));
        }
        let key = TransactionKey::ReferenceCode(reference_code.to_owned());
        let answer = self.ask(session, &key).await;
        let (changes, mut still) = self.settle_reversals(&entries, &answer).await?;
        still.append(&mut held);
        let snapshot = match answer {
            Answer::Found(tx) => Some(*tx),
            _ => None,
        };
        Ok((changes, still, snapshot))
    }

    /// The verdict on each of `entries` from what the gateway said about their transaction.
    pub(super) async fn settle_reversals(
        &self,
        entries: &[Entry],
        answer: &Answer,
    ) -> AppResult<(Vec<ReconcileChange>, Vec<Entry>)> {
        let mut changes = Vec::new();
        let mut still = Vec::new();
        let snapshot = match answer {
            Answer::Found(tx) => Some(tx.as_ref()),
            _ => None,
        };
        for entry in entries {
            let operation = Operation::from_entry(entry);
            let verdict = match answer {
                Answer::Found(tx) => decide(&operation, Evidence::Snapshot(tx)),
                Answer::NotFound => {
                    let absence = Absence::once(Utc::now());
                    decide(&operation, Evidence::Absent(absence, self.policy.window))
                }
                Answer::Unreachable => decide(&operation, Evidence::Unreachable),
            };
            let written = self
                .record_verdict(entry.id, &verdict, snapshot, None)
                .await?;
            let now = self
                .journal
                .get(entry.id)
                .await?
                .unwrap_or_else(|| entry.clone());
            if written && verdict.outcome != entry.outcome {
                changes.push(change(entry, verdict.outcome, None));
            }
            if !now.outcome.is_final() {
                still.push(now);
            }
        }
        Ok((changes, still))
    }

    /// Journals a verdict: the outcome, why it is in doubt, and what the snapshot adds. `false`:
    /// not written, because the entry is final already or another desk is sending it.
    pub(super) async fn record_verdict(
        &self,
        entry_id: i64,
        verdict: &Verdict,
        snapshot: Option<&Transaction>,
        message: Option<String>,
    ) -> AppResult<bool> {
        let from_snapshot = |tx: &Transaction| Settlement {
            reference_code: Some(tx.reference_number.clone()).filter(|r| !r.is_empty()),
            transaction_id: Some(tx.id.clone()).filter(|i| !i.is_empty()),
            pos_name: tx.pos_name.clone(),
            masked_card: tx.masked_card_number.clone().filter(|m| m.contains('*')),
            commission_rate: tx.comm_rate,
            bank_payment_days: tx.bank_payment_days,
            ..Settlement::default()
        };
        let settlement = Settlement {
            outcome: Some(verdict.outcome),
            doubt: verdict.doubt,
            error_code: verdict.code.clone(),
            error_message: message,
            remaining_after: verdict.remaining_after,
            by: Some(self.desk_id().to_owned()),
            // A final verdict lets go: nobody settles a final entry again anyway.
            hold_until: self
                .hold_for(entry_id)
                .filter(|_| !verdict.outcome.is_final()),
            ..snapshot.map(from_snapshot).unwrap_or_default()
        };
        match self.journal.settle(entry_id, &settlement).await {
            Err(e) if super::sending::journal_away(&e) => {
                tracing::warn!(
                    entry = entry_id,
                    "verdict kept until the journal is back: {}",
                    e.message
                );
                self.unwritten.keep(entry_id, settlement);
                Ok(true)
            }
            written => written,
        }
    }

    /// What of the active profile is not final, as the journal has it (the gateway is not
    /// asked): a window that starts listening after the start's reconciliation has told it
    /// learns the same from here.
    pub async fn unsettled_now(&self) -> AppResult<ReconcileReport> {
        let profile = self.profiles.settings().active_profile_id;
        let unsettled = self
            .journal
            .unsettled(&profile, self.policy.round_size)
            .await?;
        self.report(&profile, Vec::new(), unsettled).await
    }

    /// A report of `changes` and the listed `unsettled`, with every entry of `profile` not final
    /// counted.
    async fn report(
        &self,
        profile: &str,
        changes: Vec<ReconcileChange>,
        unsettled: Vec<Entry>,
    ) -> AppResult<ReconcileReport> {
        let unsettled_total = self.journal.count_unsettled(profile).await?;
        Ok(ReconcileReport {
            changes,
            unsettled,
            unsettled_total: u32::try_from(unsettled_total).unwrap_or(u32::MAX),
        })
    }

    /// Re-asks the gateway about a round of entries of the active profile that are not final
    /// (the least recently asked; never those being sent right now), lists what is still not
    /// final among them and counts every entry not final.
    pub async fn reconcile_pending(&self) -> AppResult<ReconcileReport> {
        self.write_unwritten().await?;
        let session = self.profiles.session().await?;
        let mut changes = Vec::new();
        let mut unsettled = Vec::new();
        let mut reversals_done: Vec<String> = Vec::new();
        let round = self
            .journal
            .unsettled(&session.profile.id, self.policy.round_size)
            .await?;
        for entry in round {
            match (entry.kind, &entry.order_reference, &entry.reference_code) {
                _ if !self.may_settle(&entry, &session.account) => unsettled.push(entry.clone()),
                (EntryKind::Payment, Some(order), _) => {
                    if self.claims.is_held(&order_key(order)) || self.current.is_running(order) {
                        unsettled.push(entry.clone());
                        continue;
                    }
                    let operation = Operation::from_entry(&entry);
                    let (verdict, snapshot) = self
                        .check_payment_once(&session, entry.id, &operation, order)
                        .await?;
                    self.publish_if_current(&entry, &verdict, snapshot.as_ref())
                        .await;
                    if verdict.outcome != entry.outcome {
                        let reference = snapshot.map(|tx| tx.reference_number);
                        changes.push(change(&entry, verdict.outcome, reference));
                    }
                    if !verdict.outcome.is_final() {
                        unsettled.push(self.journal.get(entry.id).await?.unwrap_or(entry));
                    }
                }
                (EntryKind::Cancel | EntryKind::Refund, _, Some(reference)) => {
                    if reversals_done.contains(reference) {
                        continue;
                    }
                    reversals_done.push(reference.clone());
                    if self.claims.is_held(&reversal_key(reference)) {
                        unsettled.push(entry.clone());
                        continue;
                    }
                    let (mut changed, mut still, _) =
                        self.check_reversals(&session, reference).await?;
                    changes.append(&mut changed);
                    unsettled.append(&mut still);
                }
                _ => unsettled.push(entry.clone()),
            }
        }
        // The journal has connected by now (it connects when first used).
        crate::desk::team::keep_pinned_certificate(self.journal.as_ref(), &self.profiles);
        self.report(&session.profile.id, changes, unsettled).await
    }

    /// How often the timer re-asks what is not final.
    pub(in crate::desk) fn timer_period(&self) -> Duration {
        self.policy.timer_period
    }

    /// One round of the timer: nothing when nothing of the active profile is open, else what the
    /// round settled.
    pub(in crate::desk) async fn timer_round(&self) -> AppResult<Option<ReconcileReport>> {
        let profile = self.profiles.active_profile_id();
        let has_work = self
            .journal
            .count_unsettled(&profile)
            .await
            .is_ok_and(|n| n > 0);
        if !has_work {
            return Ok(None);
        }
        self.reconcile_pending().await.map(Some)
    }
}

fn change(entry: &Entry, after: Outcome, reference_code: Option<String>) -> ReconcileChange {
    ReconcileChange {
        entry_id: entry.id,
        kind: entry.kind,
        order_reference: entry.order_reference.clone(),
        reference_code: reference_code.or(entry.reference_code.clone()),
        before: entry.outcome,
        after,
    }
}
