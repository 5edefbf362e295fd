//! Looking a transaction up: the gateway's view of it, with this desk's unsettled entries
//! about it reconciled on the way (a lookup is also a check).

use chrono::Utc;
use vpws::TransactionKey;

use super::MoneyPath;
use crate::desk::profiles::Session;
use crate::desk::views::transaction_view;
use crate::dto::{LookupKey, TransactionScreen};
use crate::error::{AppResult, Field};
use crate::journal::{Entry, EntryKind};
use crate::validation;
use crate::verdict::{decide, Evidence, Operation};

impl MoneyPath {
    pub async fn lookup(&self, key: LookupKey) -> AppResult<TransactionScreen> {
        self.allow(crate::desk::roles::Need::Look).await?;
        let key = match key {
            LookupKey::ReferenceCode(v) => TransactionKey::ReferenceCode(v.trim().to_owned()),
            LookupKey::TransactionId(v) => TransactionKey::TransactionId(v.trim().to_owned()),
            LookupKey::OrderReference(v) => TransactionKey::ClientReference(v.trim().to_owned()),
        };
        validation::required(Field::Lookup, key.value())?;
        let session = self.profiles.session().await?;
        let tx = session.client.transaction(&key).await?;
        // A lookup still answers while the team database is down; what it would have settled
        // waits for the next check.
        let history = match self.settle_from_snapshot(&session, &tx).await {
            Ok(history) => history,
            Err(e) if e.code.journal_out_of_reach() => {
                tracing::warn!(
                    "journal unreachable: lookup shown without settling: {}",
                    e.message
                );
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        Ok(self.screen(&tx, history))
    }

    /// The transaction's screen from its history as just read: no second read.
    fn screen(&self, tx: &vpws::Transaction, history: Vec<Entry>) -> TransactionScreen {
        let settings = self.profiles.settings();
        let transaction = transaction_view(tx, &history, Utc::now(), settings.refund_period_days);
        let actions = self.staff.actions(&transaction, &history, &settings);
        TransactionScreen {
            transaction,
            history,
            actions,
        }
    }

    /// Settles every unsettled entry about `tx` (its payment, its cancels and refunds), unless
    /// it is being sent right now (here or on another desk) or was made through another gateway
    /// account; returns the entries about `tx` as they are now (read once more only when
    /// something was unsettled).
    async fn settle_from_snapshot(
        &self,
        session: &Session,
        tx: &vpws::Transaction,
    ) -> AppResult<Vec<Entry>> {
        let history = self
            .journal
            .history(&tx.reference_number, tx.client_reference_number.as_deref())
            .await?;
        if history.iter().all(|e| e.outcome.is_final()) {
            return Ok(history);
        }
        for entry in history.iter().filter(|e| !e.outcome.is_final()) {
            if entry.kind == EntryKind::Payment && self.may_settle(entry, &session.account) {
                let busy = entry
                    .order_reference
                    .as_deref()
                    .is_some_and(|o| self.current.is_running(o));
                if !busy {
                    let verdict = decide(&Operation::from_entry(entry), Evidence::Snapshot(tx));
                    if self
                        .record_verdict(entry.id, &verdict, Some(tx), None)
                        .await?
                    {
                        self.publish_if_current(entry, &verdict, Some(tx)).await;
                    }
                }
            }
        }
        // `tx` was read before the journal: a refund reserved in between (by another desk)
        // would look "not applied" in it. Reversals are settled from a read taken after.
        let reversal_open = history.iter().any(|e| {
            e.kind != EntryKind::Payment
                && !e.outcome.is_final()
                && e.reference_code.as_deref() == Some(tx.reference_number.as_str())
        });
        if reversal_open
            && !self
                .claims
                .is_held(&super::claims::reversal_key(&tx.reference_number))
        {
            self.check_reversals(session, &tx.reference_number).await?;
        }
        self.journal
            .history(&tx.reference_number, tx.client_reference_number.as_deref())
            .await
    }

    /// The transaction's screen after a change: its history read once.
    pub(super) async fn view(&self, tx: &vpws::Transaction) -> TransactionScreen {
        let history = self
            .journal
            .history(&tx.reference_number, tx.client_reference_number.as_deref())
            .await
            .unwrap_or_default();
        self.screen(tx, history)
    }
}
