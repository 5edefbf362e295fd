//! The money path: taking a payment ([`payment`], the 3D step through the host), cancelling
//! and refunding ([`reversal`]), settling what is in doubt ([`reconcile`], [`resolve`]),
//! looking a transaction up ([`lookup`]). Its state is its own: the keys being sent
//! ([`claims`]), the payment in progress ([`current`]), the entries this desk is sending and the
//! verdicts the journal could not take yet ([`sending`]). How an operation ended is decided
//! only by [`crate::verdict`]. The desk hands the commands to it (below).

mod claims;
mod current;
mod lookup;
mod payment;
mod reconcile;
mod resolve;
mod reversal;
mod sending;

use std::future::Future;
use std::sync::Arc;

pub(super) use claims::Claim;
pub use current::{CurrentPayment, PaymentPhase};
pub use reconcile::ReconcilePolicy;
pub(super) use reversal::{changed, checked_reason, in_doubt, look_again, seen, Reversal};
pub use sending::gateway_account;

use super::card_rules::CardRulesSeen;
use super::profiles::Profiles;
use super::roles::Need;
use super::staff::Staff;
use super::{Desk, ThreeDEnd};
use crate::dto::*;
use crate::error::AppResult;
use crate::host::Host;
use crate::journal::{Journal, OperatorRecord};
use claims::Claims;
use current::PaymentSlot;

pub(super) struct MoneyPath {
    host: Arc<dyn Host>,
    journal: Arc<dyn Journal>,
    profiles: Arc<Profiles>,
    /// Who is at the desk: every operation is theirs, and checked against their role.
    staff: Arc<Staff>,
    /// Keys (`order:…`, `reversal:…`) of operations being sent right now.
    claims: Claims,
    /// The payment in progress: one at a time, whichever screen is shown.
    current: PaymentSlot,
    policy: ReconcilePolicy,
    /// This desk's name on the leases of the entries it sends (new at every start).
    desk_id: String,
    /// The entries this desk is sending or following up right now.
    sending: sending::Sending,
    /// Verdicts the gateway gave that the journal could not take yet (written first when it is
    /// back).
    unwritten: sending::Unwritten,
    /// What the card's BIN answer said: a payment that breaks it is refused before sending.
    card_rules: Arc<CardRulesSeen>,
}

impl MoneyPath {
    pub(super) fn new(
        host: Arc<dyn Host>,
        journal: Arc<dyn Journal>,
        profiles: Arc<Profiles>,
        staff: Arc<Staff>,
        card_rules: Arc<CardRulesSeen>,
    ) -> Self {
        Self {
            host,
            journal,
            profiles,
            staff,
            claims: Claims::default(),
            current: PaymentSlot::default(),
            policy: ReconcilePolicy::default(),
            desk_id: uuid::Uuid::new_v4().to_string(),
            sending: sending::Sending::default(),
            unwritten: sending::Unwritten::default(),
            card_rules,
        }
    }

    pub(super) fn set_policy(&mut self, policy: ReconcilePolicy) {
        self.policy = policy;
    }

    /// Who may do what `need` names: `None` when operators are off, else the signed-in operator.
    async fn allow(&self, need: Need) -> AppResult<Option<OperatorRecord>> {
        self.staff
            .allow(need, || self.forget_for_next_operator())
            .await
    }

    /// A finished payment's result is the operator's who took it, not the next one's (a payment
    /// still on its way stays: whoever signs in must see how it ends).
    pub(super) fn forget_for_next_operator(&self) {
        let _ = self.current.dismiss();
    }

    /// Holds every key while an update installs: refused while anything is being sent.
    pub(super) fn hold_for_update(&self) -> AppResult<Claim<'_>> {
        self.claims.hold_for_update()
    }
}

/// What the commands call: the desk hands them to its money path.
impl Desk {
    /// The payment in progress (or the last one's result until dismissed).
    pub async fn current_payment(&self) -> AppResult<Option<CurrentPayment>> {
        self.money.current_payment().await
    }

    /// Clears a finished payment's result so a new one can be started.
    pub async fn dismiss_payment(&self) -> AppResult<()> {
        self.money.dismiss_payment().await
    }

    /// Takes a payment, the host showing the bank's page when the card asks for 3D Secure.
    /// The receipt, when asked for, is written once the outcome is in, and changes nothing of it.
    pub async fn pay(&self, input: PaymentInput) -> AppResult<PaymentOutcome> {
        let letter = input.email_customer;
        let outcome = self.money.pay(input).await?;
        self.after_payment(&outcome, letter).await;
        Ok(outcome)
    }

    /// Takes a payment with `three_d` as the 3D step (tests script the bank's page).
    pub async fn pay_with<F, Fut>(
        &self,
        input: PaymentInput,
        three_d: F,
    ) -> AppResult<PaymentOutcome>
    where
        F: FnOnce(String, String) -> Fut,
        Fut: Future<Output = ThreeDEnd>,
    {
        let letter = input.email_customer;
        let outcome = self.money.pay_with(input, three_d).await?;
        self.after_payment(&outcome, letter).await;
        Ok(outcome)
    }

    /// How a payment whose answer was lost stands: asked of the gateway by its order.
    pub async fn check_payment(&self, order_reference: String) -> AppResult<PaymentOutcome> {
        self.money.check_payment(order_reference).await
    }

    pub async fn lookup(&self, key: LookupKey) -> AppResult<TransactionScreen> {
        self.money.lookup(key).await
    }

    pub async fn cancel(&self, input: CancelInput) -> AppResult<TransactionScreen> {
        let letter = input.email_customer;
        let screen = self.money.cancel(input).await?;
        self.after_reversal(&screen, letter).await;
        Ok(screen)
    }

    pub async fn refund(&self, input: RefundInput) -> AppResult<TransactionScreen> {
        let letter = input.email_customer;
        let screen = self.money.refund(input).await?;
        self.after_reversal(&screen, letter).await;
        Ok(screen)
    }

    pub async fn resolve_in_doubt(&self, input: ResolveInput) -> AppResult<TransactionScreen> {
        self.money.resolve_in_doubt(input).await
    }

    pub async fn reconcile_pending(&self) -> AppResult<ReconcileReport> {
        self.money.reconcile_pending().await
    }

    pub async fn unsettled_now(&self) -> AppResult<ReconcileReport> {
        self.money.unsettled_now().await
    }

    /// Reconciles on a timer while the app runs; `on_report` hears about every round that
    /// settled something. Runs until the desk is dropped.
    pub async fn run_reconcile_timer(
        self: Arc<Self>,
        on_report: impl Fn(&ReconcileReport) + Send + 'static,
    ) {
        let period = self.money.timer_period();
        let desk = Arc::downgrade(&self);
        drop(self);
        loop {
            tokio::time::sleep(period).await;
            let Some(desk) = desk.upgrade() else { return };
            match desk.money.timer_round().await {
                Ok(Some(report)) if !report.changes.is_empty() => on_report(&report),
                Ok(_) => {}
                Err(e) => tracing::warn!("timed reconciliation failed: {}", e.message),
            }
        }
    }
}
