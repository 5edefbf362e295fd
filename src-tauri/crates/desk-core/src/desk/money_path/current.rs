//! The payment in progress belongs to the app, not to a screen (ARCHITECTURE.md): one at a time,
//! visible from any screen until the operator dismisses its result, so leaving the payment
//! screen never offers a second payment while the first (or its 3D window) is open.

use std::sync::Mutex;

use crate::dto::PaymentOutcome;
pub use crate::dto::{CurrentPayment, PaymentPhase};
use crate::error::{AppError, AppResult, ErrorCode};

#[derive(Default)]
pub struct PaymentSlot(Mutex<Option<CurrentPayment>>);

/// The right to run the payment in the slot; a payment that ends without an outcome (an
/// error the form shows) frees the slot when its ticket is dropped.
pub struct Ticket<'a> {
    slot: &'a PaymentSlot,
    order: String,
}

impl PaymentSlot {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CurrentPayment>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the slot for a new payment, unless one is still in progress.
    pub fn start(&self, payment: CurrentPayment) -> AppResult<Ticket<'_>> {
        let mut slot = self.lock();
        if let Some(running) = slot.as_ref().filter(|p| p.phase != PaymentPhase::Done) {
            return Err(AppError::new(
                ErrorCode::PaymentInProgress,
                "another payment is still in progress",
            )
            .with("orderReference", running.order_reference.clone()));
        }
        let order = payment.order_reference.clone();
        *slot = Some(payment);
        Ok(Ticket { slot: self, order })
    }

    pub fn get(&self) -> Option<CurrentPayment> {
        self.lock().clone()
    }

    /// Forgets a finished payment (the operator starts a new one). A running one stays.
    pub fn dismiss(&self) -> AppResult<()> {
        let mut slot = self.lock();
        match slot.as_ref() {
            Some(p) if p.phase != PaymentPhase::Done => Err(AppError::new(
                ErrorCode::PaymentInProgress,
                "the payment is still in progress",
            )
            .with("orderReference", p.order_reference.clone())),
            _ => {
                *slot = None;
                Ok(())
            }
        }
    }

    /// Whether `order` is being paid right now (reconciliation leaves it alone).
    pub fn is_running(&self, order: &str) -> bool {
        self.lock()
            .as_ref()
            .is_some_and(|p| p.order_reference == order && p.phase != PaymentPhase::Done)
    }

    /// Whether the payment screen shows `order`'s finished result (a newer verdict belongs there).
    pub fn shows_result_of(&self, order: &str) -> bool {
        self.lock()
            .as_ref()
            .is_some_and(|p| p.order_reference == order && p.phase == PaymentPhase::Done)
    }

    /// A newer verdict about a finished payment (checked again, or settled by the timer).
    pub fn update_outcome(&self, outcome: &PaymentOutcome) -> Option<CurrentPayment> {
        let mut slot = self.lock();
        let current = slot.as_mut().filter(|p| {
            p.order_reference == outcome.order_reference && p.phase == PaymentPhase::Done
        })?;
        current.outcome = Some(outcome.clone());
        Some(current.clone())
    }

    fn change(
        &self,
        order: &str,
        change: impl FnOnce(&mut CurrentPayment),
    ) -> Option<CurrentPayment> {
        let mut slot = self.lock();
        let current = slot.as_mut().filter(|p| p.order_reference == order)?;
        change(current);
        Some(current.clone())
    }
}

impl Ticket<'_> {
    pub fn phase(&self, phase: PaymentPhase) -> Option<CurrentPayment> {
        self.slot.change(&self.order, |p| p.phase = phase)
    }

    pub fn finish(&self, outcome: &PaymentOutcome) -> Option<CurrentPayment> {
        self.slot.change(&self.order, |p| {
            p.phase = PaymentPhase::Done;
            p.outcome = Some(outcome.clone());
        })
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut slot = self.slot.lock();
        if slot
            .as_ref()
            .is_some_and(|p| p.order_reference == self.order && p.phase != PaymentPhase::Done)
        {
            *slot = None;
        }
    }
}
