//! Cancels and refunds: read the transaction, settle any earlier reversal still in doubt
//! (and send nothing new while one is), journal the new one with its baseline (the refundable
//! amount right before it), send exactly the confirmed amount, and let the verdict decide.

use chrono::Utc;
use rust_decimal::Decimal;
use vpws::{Transaction, TransactionKey};

use super::claims::reversal_key;
use super::MoneyPath;
use crate::desk::environment;
use crate::desk::profiles::Session;
use crate::desk::roles::{within_limit, Need};
use crate::dto::{CancelInput, RefundInput, TransactionScreen};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::{Entry, EntryKind, NewEntry, OperatorRecord, Outcome, ReversalSlot};
use crate::money::{format_amount, parse_amount};
use crate::validation;
use crate::verdict::{decide, Evidence, Operation, Verdict};

/// A cancel or refund as the operator confirmed it.
pub(in crate::desk) struct Reversal {
    pub kind: EntryKind,
    pub reference: String,
    /// Named to the gateway by this order reference instead of the reference code.
    pub by_order: Option<String>,
    /// Refunds only: the confirmed amount (a cancel returns whatever is left).
    pub amount: Option<Decimal>,
    pub reason: String,
    pub remaining_seen: Decimal,
    /// Who asked for it (the journal's operator).
    pub operator: String,
    /// A refund a supervisor approved: the request's id and the supervisor's name.
    pub approval: Option<(i64, String)>,
    /// The operator whose limit it must stay within (none once a supervisor approved it).
    pub within_limit_of: Option<OperatorRecord>,
}

impl Reversal {
    /// The key the transaction is read by before sending: the one the gateway will be given.
    fn read_key(&self) -> TransactionKey {
        match &self.by_order {
            Some(order) => TransactionKey::ClientReference(order.clone()),
            None => TransactionKey::ReferenceCode(self.reference.clone()),
        }
    }

    /// How the cancel or refund names its payment to the gateway.
    fn gateway_key(&self) -> vpws::ReversalKey {
        match &self.by_order {
            Some(order) => vpws::ReversalKey::ClientReferenceCode(order.clone()),
            None => vpws::ReversalKey::ReferenceCode(self.reference.clone()),
        }
    }
}

impl MoneyPath {
    /// The payment this desk journaled for `order`: its cancels and refunds name the same
    /// customer and account code.
    async fn payment_of(&self, order: Option<&str>) -> AppResult<Option<Entry>> {
        Ok(match order {
            Some(order) => self.journal.latest_payment(order).await?,
            None => None,
        })
    }

    pub async fn cancel(&self, input: CancelInput) -> AppResult<TransactionScreen> {
        self.cancel_as_confirmed(input).await.map_err(look_again)
    }

    async fn cancel_as_confirmed(&self, input: CancelInput) -> AppResult<TransactionScreen> {
        let reason = checked_reason(&input.reason)?;
        let remaining_seen = seen(&input.remaining_seen)?;
        let operator = self.allow(Need::Cancel).await?;
        self.reverse(Reversal {
            kind: EntryKind::Cancel,
            reference: input.reference_code.trim().to_owned(),
            by_order: by_order(input.order_reference.as_deref()),
            amount: None,
            reason,
            remaining_seen,
            operator: self.staff.name_on_entries(&operator),
            approval: None,
            within_limit_of: operator,
        })
        .await
    }

    pub async fn refund(&self, input: RefundInput) -> AppResult<TransactionScreen> {
        self.refund_as_confirmed(input).await.map_err(look_again)
    }

    async fn refund_as_confirmed(&self, input: RefundInput) -> AppResult<TransactionScreen> {
        let reason = checked_reason(&input.reason)?;
        let amount = parse_amount(Field::Amount, &input.amount)?;
        let remaining_seen = seen(&input.remaining_seen)?;
        let operator = self.allow(Need::Refund).await?;
        self.reverse(Reversal {
            kind: EntryKind::Refund,
            reference: input.reference_code.trim().to_owned(),
            by_order: by_order(input.order_reference.as_deref()),
            amount: Some(amount),
            reason,
            remaining_seen,
            operator: self.staff.name_on_entries(&operator),
            approval: None,
            within_limit_of: operator,
        })
        .await
    }

    pub(in crate::desk) async fn reverse(
        &self,
        reversal: Reversal,
    ) -> AppResult<TransactionScreen> {
        validation::required(Field::ReferenceCode, &reversal.reference)?;
        let _claim = self.claims.claim(reversal_key(&reversal.reference))?;
        self.write_unwritten().await?;
        let session = self.profiles.session().await?;
        // Read by the key the reversal will name: what is checked is what is reversed.
        let key = reversal.read_key();
        let current = session.client.transaction(&key).await?;
        if !current
            .reference_number
            .eq_ignore_ascii_case(&reversal.reference)
        {
            return Err(AppError::new(
                ErrorCode::OrderReferenceElsewhere,
                "the gateway knows this order reference as another payment; nothing was sent",
            )
            .with("referenceCode", current.reference_number.clone()));
        }
        self.refuse_while_an_earlier_one_is_open(&session, &reversal, &current)
            .await?;
        if reversal.remaining_seen != current.last_amount {
            return Err(changed(&current));
        }
        if current.last_amount <= Decimal::ZERO {
            return Err(AppError::new(
                ErrorCode::NothingToReverse,
                "nothing is left to cancel or refund on this transaction",
            ));
        }
        let amount = match reversal.amount {
            Some(amount) if amount > current.last_amount => {
                return Err(AppError::field(Field::Amount, Reason::ExceedsRemaining)
                    .with("remaining", format_amount(current.last_amount)));
            }
            Some(amount) => amount,
            None => current.last_amount,
        };
        if let Some(me) = &reversal.within_limit_of {
            let earlier = self
                .journal
                .history(&current.reference_number, None)
                .await?;
            within_limit(me, &earlier, amount)?;
        }
        let paid = self
            .payment_of(current.client_reference_number.as_deref())
            .await?;
        let new_entry = NewEntry {
            kind: Some(reversal.kind),
            profile_id: session.profile.id.clone(),
            environment: environment(session.profile.kind).into(),
            operator: reversal.operator.clone(),
            amount: Some(amount),
            currency: current
                .currency_type
                .clone()
                .unwrap_or_else(|| "TRY".into()),
            installment: current.installment,
            pos_id: current.tenant_pos_id.clone(),
            pos_name: current.pos_name.clone(),
            order_reference: current.client_reference_number.clone(),
            reference_code: Some(current.reference_number.clone()),
            transaction_id: Some(current.id.clone()),
            masked_card: current
                .masked_card_number
                .clone()
                .filter(|m| m.contains('*')),
            reason: Some(reversal.reason.clone()),
            remaining_before: Some(current.last_amount),
            customer: paid.as_ref().and_then(|e| e.customer.clone()),
            account_code: paid.and_then(|e| e.account_code),
            // The commission a cancel or refund gives back, at the sale's rate.
            commission_rate: current.comm_rate,
            approved_by: reversal.approval.as_ref().map(|(_, by)| by.clone()),
            approval_id: reversal.approval.as_ref().map(|(id, _)| *id),
            lease: Some(self.new_lease()),
            gateway_account: Some(session.account.clone()),
        };
        // The journal checks and writes in one step, for every desk on it: a reversal another
        // desk started a moment ago is found here even when the check above missed it.
        let entry_id = match self.journal.reserve_reversal(&new_entry).await? {
            ReversalSlot::Reserved(id) => id,
            ReversalSlot::Taken(open) if open.held_by_another(self.desk_id(), Utc::now()) => {
                return Err(being_sent_elsewhere(&current))
            }
            ReversalSlot::Taken(open) => return Err(in_doubt(&open, &current)),
            ReversalSlot::Stale(left) => {
                return Err(AppError::new(
                    ErrorCode::TransactionChanged,
                    "another cancel or refund of this transaction succeeded a moment ago; nothing was sent",
                )
                .with("remaining", left))
            }
        };
        let sending = self.sending(entry_id);
        let result = match self
            .send_reversal(&session, &reversal, amount, entry_id, &current)
            .await
        {
            // It was sent: the journal being away says nothing about whether it was applied.
            Err(e) if super::sending::journal_away(&e) => Err(AppError::new(
                ErrorCode::ReversalInDoubt,
                "sent, but the journal went away before its outcome was known",
            )
            .with("journal", "unreachable")
            .with("remainingBefore", format_amount(current.last_amount))),
            other => other,
        };
        if result.is_err() {
            // Not (known to be) applied: from here on reconciliation, on any desk, decides.
            self.let_go(sending).await;
        }
        result
    }

    /// Sends a reserved cancel or refund and lets the verdict decide.
    async fn send_reversal(
        &self,
        session: &Session,
        reversal: &Reversal,
        amount: Decimal,
        entry_id: i64,
        current: &Transaction,
    ) -> AppResult<TransactionScreen> {
        let key = TransactionKey::ReferenceCode(reversal.reference.clone());
        let gateway_key = reversal.gateway_key();
        let operation = Operation {
            kind: reversal.kind,
            amount: Some(amount),
            currency: String::new(),
            remaining_before: Some(current.last_amount),
            outcome: Outcome::Pending,
        };
        let answer = match reversal.kind {
            EntryKind::Cancel => {
                let request = vpws::CancelRequest {
                    key: gateway_key.clone(),
                    reason: Some(reversal.reason.clone()),
                };
                session.client.cancel(&request).await
            }
            _ => {
                let request = vpws::RefundRequest {
                    key: gateway_key,
                    amount: Some(amount),
                    reason: Some(reversal.reason.clone()),
                };
                session.client.refund(&request).await
            }
        };
        let first = decide(&operation, Evidence::ReversalAnswer(&answer));
        let message = answer.as_ref().err().map(|e| e.to_string());
        self.record_verdict(entry_id, &first, None, message).await?;
        match (first.outcome, answer) {
            (Outcome::Success, _) => Ok(self.view_after(session, &key, current, &first).await),
            (Outcome::InDoubt, _) => {
                tracing::warn!(reference = %reversal.reference, "reversal answer lost; asking the gateway");
                self.follow_reversal(session, &reversal.reference, entry_id, current)
                    .await
            }
            (_, Err(e)) => Err(e.into()),
            (_, Ok(_)) => Err(AppError::new(
                ErrorCode::Internal,
                "a reversal answer without a verdict",
            )),
        }
    }

    /// While an earlier cancel or refund of this transaction is not final, nothing new is sent:
    /// it is settled first (from a read taken after the journal showed it), and if that changes
    /// anything the operator decides again on the new figures. One another desk is still
    /// sending is left to it.
    async fn refuse_while_an_earlier_one_is_open(
        &self,
        session: &Session,
        reversal: &Reversal,
        current: &Transaction,
    ) -> AppResult<()> {
        let open = self
            .journal
            .unsettled_reversals(&reversal.reference)
            .await?;
        if open.is_empty() {
            return Ok(());
        }
        if open
            .iter()
            .any(|e| e.held_by_another(self.desk_id(), Utc::now()))
        {
            return Err(being_sent_elsewhere(current));
        }
        let (_, still, fresh) = self.check_reversals(session, &reversal.reference).await?;
        let now = fresh.as_ref().unwrap_or(current);
        match still.first() {
            Some(entry) if entry.held_by_another(self.desk_id(), Utc::now()) => {
                Err(being_sent_elsewhere(now))
            }
            Some(entry) => Err(in_doubt(entry, now)),
            None => Err(changed(now).with("earlierSettled", "true")),
        }
    }

    /// After a lost answer: re-read the transaction (a few times, as for payments) until the
    /// refundable amount tells whether this reversal was applied.
    async fn follow_reversal(
        &self,
        session: &Session,
        reference: &str,
        entry_id: i64,
        before: &Transaction,
    ) -> AppResult<TransactionScreen> {
        let mut latest = before.clone();
        for pause in &self.policy.checks_in_flow {
            tokio::time::sleep(*pause).await;
            let (_, _, snapshot) = self.check_reversals(session, reference).await?;
            let seen_now = snapshot.is_some();
            if let Some(tx) = snapshot {
                latest = tx;
            }
            let entry = self.entry(entry_id).await?;
            match entry.outcome {
                Outcome::Success => return Ok(self.view(&latest).await),
                Outcome::Failed | Outcome::NotSent => {
                    return Err(AppError::new(
                        ErrorCode::ReversalNotApplied,
                        "the gateway shows the refundable amount unchanged: nothing was reversed",
                    )
                    .with("remaining", format_amount(latest.last_amount)))
                }
                // The gateway shows something this reversal does not explain: waiting won't help.
                _ if seen_now => return Err(in_doubt(&entry, &latest)),
                _ => {}
            }
        }
        Err(in_doubt(&self.entry(entry_id).await?, &latest))
    }

    async fn entry(&self, id: i64) -> AppResult<Entry> {
        self.journal
            .get(id)
            .await?
            .ok_or_else(|| AppError::new(ErrorCode::JournalIo, format!("no journal entry {id}")))
    }

    /// The transaction after a reversal the gateway confirmed. The re-read may lag behind the
    /// gateway's answer; then the answer's refundable amount is shown on the earlier snapshot.
    async fn view_after(
        &self,
        session: &Session,
        key: &TransactionKey,
        before: &Transaction,
        verdict: &Verdict,
    ) -> TransactionScreen {
        match session.client.transaction(key).await {
            Ok(tx) => self.view(&tx).await,
            Err(_) => {
                let mut tx = before.clone();
                if let Some(remaining) = verdict.remaining_after {
                    tx.last_amount = remaining;
                }
                self.view(&tx).await
            }
        }
    }
}

/// Errors after which the figures the operator confirmed may no longer hold (a reversal may have
/// happened, here or elsewhere, or the amount moved): the screen closes the form and shows the
/// transaction afresh instead of letting the same confirmation be sent twice. Marked here, once,
/// as `details.lookAgain`.
pub(in crate::desk) fn look_again(e: AppError) -> AppError {
    const FIGURES_MAY_HAVE_MOVED: [ErrorCode; 8] = [
        ErrorCode::ReversalInDoubt,
        ErrorCode::ReversalBeingSent,
        ErrorCode::TransactionChanged,
        ErrorCode::ReversalNotApplied,
        ErrorCode::NothingToReverse,
        ErrorCode::Timeout,
        ErrorCode::Transport,
        ErrorCode::UnexpectedResponse,
    ];
    if FIGURES_MAY_HAVE_MOVED.contains(&e.code) {
        e.with("lookAgain", "true")
    } else {
        e
    }
}

/// The order reference to name the payment by, if the operator gave one.
fn by_order(order_reference: Option<&str>) -> Option<String> {
    order_reference
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
}

pub(in crate::desk) fn checked_reason(reason: &str) -> AppResult<String> {
    validation::required(Field::Reason, reason)?;
    validation::free_text(Field::Reason, reason, 200)?;
    Ok(reason.trim().to_owned())
}

pub(in crate::desk) fn seen(text: &str) -> AppResult<Decimal> {
    validation::required(Field::RemainingSeen, text)?;
    text.trim()
        .parse()
        .map_err(|_| AppError::field(Field::RemainingSeen, Reason::NotANumber))
}

/// The refundable amount is not what the operator confirmed against: nothing was sent.
pub(in crate::desk) fn changed(current: &Transaction) -> AppError {
    AppError::new(
        ErrorCode::TransactionChanged,
        "the refundable amount changed since it was shown; nothing was sent",
    )
    .with("remaining", format_amount(current.last_amount))
}

/// Another desk is sending a cancel or refund of this transaction right now.
fn being_sent_elsewhere(current: &Transaction) -> AppError {
    AppError::new(
        ErrorCode::ReversalBeingSent,
        "another desk is sending a cancel or refund of this transaction; nothing was sent",
    )
    .with("remainingNow", format_amount(current.last_amount))
}

/// An earlier (or this) cancel or refund has no confirmed outcome.
pub(in crate::desk) fn in_doubt(entry: &Entry, current: &Transaction) -> AppError {
    let mut error = AppError::new(
        ErrorCode::ReversalInDoubt,
        "a cancel or refund of this transaction has no confirmed outcome yet",
    )
    .with(
        "kind",
        if entry.kind == EntryKind::Cancel {
            "cancel"
        } else {
            "refund"
        },
    )
    .with("remainingNow", format_amount(current.last_amount));
    if let Some(amount) = &entry.amount {
        error = error.with("amount", amount.to_string());
    }
    if let Some(before) = &entry.remaining_before {
        error = error.with("remainingBefore", before.to_string());
    }
    if let Some(doubt) = entry.doubt {
        error = error.with("doubt", doubt.as_str());
    }
    error
}
