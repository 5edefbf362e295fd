//! Taking a payment: check the form, reserve the order reference in the journal (written
//! before sending), send, run the 3D step if the bank asks for it, and let the verdict decide
//! from the answer or, when the answer is lost, from what the gateway shows.

use std::future::Future;

use chrono::Utc;
use chrono_tz::Europe::Istanbul;
use rust_decimal::Decimal;
use secrecy::SecretString;
use vpws::{Transaction, TransactionKey};

use super::claims::order_key;
use super::current::{CurrentPayment, PaymentPhase};
use super::MoneyPath;
use crate::desk::profiles::Session;
use crate::desk::{environment, ThreeDEnd};
use crate::dto::{PaymentInput, PaymentOutcome};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::journal::{Entry, EntryKind, NewEntry, Outcome};
use crate::model::Money;
use crate::settings::ProfileKind;
use crate::validation;
use crate::verdict::{decide, Evidence, Operation, Verdict};

/// A payment as journaled and shown: what the operator asked for.
struct Order {
    reference: String,
    amount: Decimal,
    currency: String,
    demo: bool,
}

impl MoneyPath {
    /// The payment in progress (or the last one's result until dismissed).
    pub async fn current_payment(&self) -> AppResult<Option<CurrentPayment>> {
        Ok(self.current.get())
    }

    /// Clears a finished payment's result so a new one can be started.
    pub async fn dismiss_payment(&self) -> AppResult<()> {
        self.current.dismiss()
    }

    fn notify(&self, current: Option<CurrentPayment>) {
        if let Some(current) = current {
            self.host.payment_progress(&current);
        }
    }

    /// Takes a payment, the host showing the bank's page when the card asks for 3D Secure.
    pub async fn pay(&self, input: PaymentInput) -> AppResult<PaymentOutcome> {
        let host = self.host.clone();
        self.pay_with(input, move |redirect, return_url| async move {
            host.three_d_secure(redirect, return_url).await
        })
        .await
    }

    /// Takes a payment. `three_d` shows the bank's page and reports how it ended; the outcome is
    /// then decided by asking the gateway, never by the redirect itself.
    pub async fn pay_with<F, Fut>(
        &self,
        input: PaymentInput,
        three_d: F,
    ) -> AppResult<PaymentOutcome>
    where
        F: FnOnce(String, String) -> Fut,
        Fut: Future<Output = ThreeDEnd>,
    {
        let today = Utc::now().with_timezone(&Istanbul).date_naive();
        let rules = self.card_rules.for_payment(
            &self.profiles.active_profile_id(),
            &input.currency,
            input.card.number.expose(),
            &input.tenant_pos_id,
        );
        let (amount, card_digits) = validation::payment(&input, today, rules.cvv_used)?;
        rules.check(amount, input.installment, input.use_3d)?;

        let reference = input.order_reference.trim().to_owned();
        let operator = self.allow(crate::desk::roles::Need::Pay).await?;
        let _claim = self.claims.claim(order_key(&reference))?;
        self.write_unwritten().await?;
        let session = self.profiles.session().await?;
        self.settle_earlier_attempt(&session, &reference).await?;
        let order = Order {
            reference,
            amount,
            currency: input.currency.clone(),
            demo: session.profile.kind == ProfileKind::Demo,
        };
        let ticket = self.current.start(CurrentPayment {
            order_reference: order.reference.clone(),
            amount: amount.into(),
            currency: order.currency.clone(),
            phase: PaymentPhase::Sending,
            outcome: None,
            demo: order.demo,
        })?;
        let account_code = validation::account_code(&input.contact);
        let request = payment_request(&session, &order, input, card_digits);
        let entry_id = self
            .journal
            .reserve_payment(&NewEntry {
                kind: Some(EntryKind::Payment),
                profile_id: session.profile.id.clone(),
                environment: environment(session.profile.kind).into(),
                operator: self.staff.name_on_entries(&operator),
                amount: Some(amount),
                currency: order.currency.clone(),
                installment: Some(request.installment),
                pos_id: Some(request.tenant_pos_id.clone()),
                order_reference: Some(order.reference.clone()),
                masked_card: Some(request.card.masked_number()),
                customer: Some(customer_of(&request.contact)),
                account_code,
                lease: Some(self.new_lease()),
                gateway_account: Some(session.account.clone()),
                ..NewEntry::default()
            })
            .await?;
        let sending = self.sending(entry_id);
        self.notify(ticket.phase(PaymentPhase::Sending));
        let answer = session.client.pay(&request).await;
        drop(request);

        let mut operation = Operation {
            kind: EntryKind::Payment,
            amount: Some(amount),
            currency: order.currency.clone(),
            remaining_before: None,
            outcome: Outcome::Pending,
        };
        let first = decide(&operation, Evidence::PaymentAnswer(&answer));
        let (verdict, snapshot, message) = match (first.outcome, &answer) {
            (Outcome::Pending, Ok(started)) if started.redirect_url.is_some() => {
                let redirect = started.redirect_url.clone().unwrap_or_default();
                self.notify(ticket.phase(PaymentPhase::WaitingFor3d));
                // The cardholder may take minutes on the bank's page: hold the entry as long.
                self.hold_through_3d(entry_id).await;
                let end = three_d(redirect, session.profile.return_url.clone()).await;
                if end != ThreeDEnd::Returned {
                    operation.outcome = Outcome::Abandoned;
                }
                self.notify(ticket.phase(PaymentPhase::Checking));
                let (verdict, snapshot) = self
                    .follow_payment(&session, entry_id, &operation, &order.reference, true)
                    .await?;
                (verdict, snapshot, None)
            }
            (Outcome::Success, Ok(charged)) => {
                let key = match &charged.reference_code {
                    Some(r) => TransactionKey::ReferenceCode(r.clone()),
                    None => TransactionKey::ClientReference(order.reference.clone()),
                };
                // The answer already proves the charge; the query adds the details.
                let snapshot = session.client.transaction(&key).await.ok();
                let verdict = match &snapshot {
                    Some(tx) => decide(&operation, Evidence::Snapshot(tx)),
                    None => first,
                };
                self.record_verdict(entry_id, &verdict, snapshot.as_ref(), None)
                    .await?;
                (verdict, snapshot, None)
            }
            (Outcome::Failed, Err(vpws::Error::Gateway(declined))) => {
                let snapshot = match &declined.reference_code {
                    Some(r) => {
                        let key = TransactionKey::ReferenceCode(r.clone());
                        session.client.transaction(&key).await.ok()
                    }
                    None => None,
                };
                let message = Some(declined.message.clone()).filter(|m| !m.is_empty());
                self.record_verdict(entry_id, &first, snapshot.as_ref(), message.clone())
                    .await?;
                (first, snapshot, message)
            }
            (Outcome::Failed | Outcome::NotSent, Err(e)) => {
                self.record_verdict(entry_id, &first, None, Some(e.to_string()))
                    .await?;
                let error = AppError::from(e.clone());
                return Err(if first.outcome == Outcome::Failed {
                    error.with("referenceSpent", "true")
                } else {
                    error
                });
            }
            _ => {
                tracing::warn!(order = %order.reference, "payment answer lost or inconclusive; asking the gateway");
                self.record_verdict(entry_id, &first, None, None).await?;
                self.notify(ticket.phase(PaymentPhase::Checking));
                let (verdict, snapshot) = self
                    .follow_payment(&session, entry_id, &operation, &order.reference, false)
                    .await?;
                (verdict, snapshot, None)
            }
        };
        if !verdict.outcome.is_final() {
            // From here on reconciliation, on any desk, decides.
            self.let_go(sending).await;
        }
        let mut outcome = self
            .payment_outcome(&order, &verdict, snapshot.as_ref(), message)
            .await;
        outcome.journaled = !self.unwritten.holds(entry_id);
        self.notify(ticket.finish(&outcome));
        Ok(outcome)
    }

    /// "Check again": asks the gateway about an order now, through the verdict.
    pub async fn check_payment(&self, order_reference: String) -> AppResult<PaymentOutcome> {
        self.allow(crate::desk::roles::Need::Pay).await?;
        let reference = order_reference.trim();
        validation::order_reference(reference)?;
        let entry = self
            .journal
            .latest_payment(reference)
            .await?
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "this desk sent no payment with this order reference",
                )
            })?;
        if self.current.is_running(reference) || entry.held_by_another(self.desk_id(), Utc::now()) {
            return Err(AppError::new(
                ErrorCode::PaymentInProgress,
                "the payment is still in progress",
            )
            .with("orderReference", reference));
        }
        let _claim = self.claims.claim(order_key(reference))?;
        let session = self.profiles.session().await?;
        let (verdict, snapshot) = if entry.outcome.is_final() {
            let key = TransactionKey::ClientReference(reference.to_owned());
            (
                verdict_of(&entry),
                session.client.transaction(&key).await.ok(),
            )
        } else {
            let operation = Operation::from_entry(&entry);
            self.check_payment_once(&session, entry.id, &operation, reference)
                .await?
        };
        self.publish_if_current(&entry, &verdict, snapshot.as_ref())
            .await;
        let order = order_of(&entry);
        Ok(self
            .payment_outcome(&order, &verdict, snapshot.as_ref(), entry.error_message)
            .await)
    }

    /// Before a new attempt on an order: settle an earlier attempt still in doubt, so the
    /// operator learns what became of it (its reference stays spent either way).
    async fn settle_earlier_attempt(&self, session: &Session, reference: &str) -> AppResult<()> {
        if let Some(earlier) = self.journal.latest_payment(reference).await? {
            if !earlier.outcome.is_final()
                && !self.current.is_running(reference)
                && self.may_settle(&earlier, &session.account)
            {
                let operation = Operation::from_entry(&earlier);
                let (verdict, snapshot) = self
                    .check_payment_once(session, earlier.id, &operation, reference)
                    .await?;
                self.publish_if_current(&earlier, &verdict, snapshot.as_ref())
                    .await;
            }
        }
        Ok(())
    }

    /// A newer verdict about the payment the payment screen shows: shown there at once (a
    /// late success, a 3D step that ended after its window closed).
    pub(super) async fn publish_if_current(
        &self,
        entry: &Entry,
        verdict: &Verdict,
        snapshot: Option<&Transaction>,
    ) {
        let order = order_of(entry);
        if !self.current.shows_result_of(&order.reference) {
            return;
        }
        let outcome = self
            .payment_outcome(&order, verdict, snapshot, entry.error_message.clone())
            .await;
        self.notify(self.current.update_outcome(&outcome));
    }

    async fn payment_outcome(
        &self,
        order: &Order,
        verdict: &Verdict,
        snapshot: Option<&Transaction>,
        message: Option<String>,
    ) -> PaymentOutcome {
        let transaction = match snapshot {
            Some(tx) => Some(self.view(tx).await.transaction),
            None => None,
        };
        PaymentOutcome {
            order_reference: order.reference.clone(),
            amount: order.amount.into(),
            currency: order.currency.clone(),
            outcome: verdict.outcome,
            doubt: verdict.doubt,
            code: verdict.code.clone(),
            message,
            transaction,
            demo: order.demo,
            journaled: true,
        }
    }
}

fn payment_request(
    session: &Session,
    order: &Order,
    input: PaymentInput,
    card_digits: zeroize::Zeroizing<String>,
) -> vpws::PaymentRequest {
    let optional = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let contact = &input.contact;
    vpws::PaymentRequest {
        amount: order.amount,
        installment: input.installment,
        tenant_pos_id: input.tenant_pos_id.clone(),
        currency_code: order.currency.clone(),
        use_3d: input.use_3d,
        return_url: input.use_3d.then(|| session.profile.return_url.clone()),
        client_order_reference_code: Some(order.reference.clone()),
        contact: vpws::Contact {
            name: contact.name.trim().to_owned(),
            surname: contact.surname.trim().to_owned(),
            email: contact.email.trim().to_owned(),
            tckn: optional(&contact.tckn),
            description: optional(&contact.description),
            phone: optional(&contact.phone)
                .map(|p| p.chars().filter(char::is_ascii_digit).collect()),
        },
        card: vpws::Card {
            card_number: SecretString::from(card_digits.as_str()),
            card_holder_name: input.card.holder.trim().to_owned(),
            // Empty only where the card's BIN answer said the CVV is not used (checked above).
            cvv: Some(input.card.cvv.expose())
                .filter(|cvv| !cvv.is_empty())
                .map(SecretString::from),
            exp_month: input.card.exp_month,
            exp_year: input.card.exp_year,
        },
    }
}

fn order_of(entry: &Entry) -> Order {
    Order {
        reference: entry.order_reference.clone().unwrap_or_default(),
        amount: entry.amount.map(Money::value).unwrap_or_default(),
        currency: entry.currency.clone(),
        demo: entry.environment == "demo",
    }
}

/// The verdict a journal entry holds.
pub(super) fn verdict_of(entry: &Entry) -> Verdict {
    Verdict {
        outcome: entry.outcome,
        doubt: entry.doubt,
        code: entry.error_code.clone(),
        remaining_after: entry.remaining_after.map(Money::value),
    }
}

/// The customer as journaled: what the operator typed, without the TCKN.
fn customer_of(contact: &vpws::Contact) -> crate::journal::Customer {
    crate::journal::Customer {
        name: contact.name.clone(),
        surname: contact.surname.clone(),
        email: contact.email.clone(),
        phone: contact.phone.clone(),
        note: contact.description.clone(),
    }
}
