//! A supervisor resolves an entry the gateway cannot settle by itself: a refund whose baseline no
//! longer explains the refundable amount (a refund made elsewhere meanwhile), a payment found
//! under its order reference with another amount. The gateway is read first and its figures go
//! with the resolution; who resolved it and why stay on the entry (history, receipt, CSV).
//!
//! The verdict does not settle `remainingMismatch` by itself, even when the amount left is below
//! what this refund alone would leave: that also happens when this refund was never applied and
//! a larger one was made elsewhere, and calling it applied would tell the operator a customer
//! was paid back who was not.

use chrono::Utc;
use vpws::TransactionKey;

use super::reversal::checked_reason;
use super::MoneyPath;
use crate::desk::roles::Need;
use crate::dto::{ResolveInput, TransactionScreen};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::journal::{EntryKind, Outcome, Settlement};

impl MoneyPath {
    pub async fn resolve_in_doubt(&self, input: ResolveInput) -> AppResult<TransactionScreen> {
        let reason = checked_reason(&input.reason)?;
        let supervisor = self.allow(Need::Approve).await?;
        let entry = self.journal.get(input.entry_id).await?.ok_or_else(|| {
            AppError::new(ErrorCode::NotFound, "no such journal entry")
                .with("entryId", input.entry_id.to_string())
        })?;
        if entry.outcome.is_final() {
            return Err(settled());
        }
        if entry.held_by_another(self.desk_id(), Utc::now()) {
            return Err(AppError::new(
                ErrorCode::ReversalBeingSent,
                "another desk is sending this operation right now",
            ));
        }
        let session = self.profiles.session().await?;
        if !self.may_settle(&entry, &session.account) {
            return Err(AppError::new(
                ErrorCode::OtherGatewayAccount,
                "this entry was made through another gateway account",
            )
            .with("profileId", entry.profile_id.clone()));
        }
        let key = match (&entry.reference_code, &entry.order_reference) {
            (Some(reference), _) => TransactionKey::ReferenceCode(reference.clone()),
            (None, Some(order)) => TransactionKey::ClientReference(order.clone()),
            (None, None) => {
                return Err(AppError::new(
                    ErrorCode::NotFound,
                    "the entry names no transaction",
                ))
            }
        };
        let now = session.client.transaction(&key).await?;
        let outcome = match (input.applied, entry.kind) {
            (true, _) => Outcome::Success,
            (false, EntryKind::Payment) => Outcome::NotCharged,
            (false, _) => Outcome::Failed,
        };
        let resolution = Settlement {
            outcome: Some(outcome),
            error_code: Some("resolved".into()),
            remaining_after: (entry.kind != EntryKind::Payment).then_some(now.last_amount),
            by: Some(self.desk_id().to_owned()),
            resolved_by: Some(self.staff.name_on_entries(&supervisor)),
            resolution: Some(reason),
            ..Settlement::default()
        };
        if !self.journal.settle(entry.id, &resolution).await? {
            return Err(settled());
        }
        tracing::info!(entry = entry.id, ?outcome, "entry resolved by a supervisor");
        Ok(self.view(&now).await)
    }
}

fn settled() -> AppError {
    AppError::new(
        ErrorCode::EntrySettled,
        "this entry already has a final outcome",
    )
}
