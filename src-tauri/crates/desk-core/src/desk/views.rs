//! What the UI is shown: POS and transactions as views, built from the gateway's data, the
//! journal's history and the verdict (never by reading a status here).

use chrono::Utc;
use chrono_tz::Europe::Istanbul;

use crate::dto::{InstallmentView, PosView, TransactionState, TransactionView};
use crate::journal::{Entry, EntryKind};
use crate::money::format_amount;
use crate::verdict::standing;

pub fn pos_view(pos: &vpws::PosOption) -> Option<PosView> {
    Some(PosView {
        tenant_pos_id: pos.tenant_pos_id.clone()?,
        name: pos.name.clone(),
        color: pos.color_code.clone().unwrap_or_else(|| "#5b6b80".into()),
        is_default: pos.is_default_pos,
        show_commission: pos.is_visible_comm_rate,
        installments: pos
            .comm_rates
            .iter()
            .map(|r| InstallmentView {
                count: r.installment,
                plus: r.plus_installment,
                commission_rate: r.process_comm_rate.normalize().to_string(),
            })
            .collect(),
    })
}

/// What the desk shows for a transaction, and which actions it offers. `history` is this
/// desk's journal of it.
pub fn transaction_view(
    tx: &vpws::Transaction,
    history: &[Entry],
    now: chrono::DateTime<Utc>,
) -> TransactionView {
    let state = standing(tx, history);
    let reversal_in_doubt = history
        .iter()
        .any(|e| e.kind != EntryKind::Payment && !e.outcome.is_final());
    let untouched = tx.amount.is_none_or(|a| a == tx.last_amount);
    let same_day = tx
        .transaction_date
        .is_none_or(|d| d.istanbul().date_naive() == now.with_timezone(&Istanbul).date_naive());
    let nothing_left = tx.last_amount.is_zero();
    TransactionView {
        transaction_id: tx.id.clone(),
        reference_code: tx.reference_number.clone(),
        order_reference: tx.client_reference_number.clone(),
        state,
        amount: tx.amount.map(format_amount),
        remaining: format_amount(tx.last_amount),
        net: tx.last_net_amount.map(format_amount),
        currency: tx.currency_type.clone().unwrap_or_else(|| "TRY".into()),
        installment: tx.installment,
        commission_rate: tx.comm_rate.map(|r| r.normalize().to_string()),
        pos_id: tx.tenant_pos_id.clone(),
        pos_name: tx.pos_name.clone(),
        masked_card: tx.masked_card_number.clone(),
        card_holder: tx.card_holder_name.clone(),
        date: tx.transaction_date.map(|d| d.istanbul().to_rfc3339()),
        can_cancel: !reversal_in_doubt
            && state == TransactionState::Success
            && untouched
            && same_day,
        can_refund: !reversal_in_doubt
            && matches!(
                state,
                TransactionState::Success | TransactionState::PartiallyRefunded
            )
            && !nothing_left,
        reversal_in_doubt,
    }
}
