//! What the UI is shown: POS and transactions as views, built from the gateway's data, the
//! journal's history and the verdict (never by reading a status here).

use chrono::Utc;
use chrono_tz::Europe::Istanbul;

use crate::dto::{InstallmentView, NoCancel, PosView, TransactionState, TransactionView};
use crate::journal::{Entry, EntryKind};
use crate::model::Money;
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
        three_d: crate::dto::ThreeDRule::from_status(pos.three_d_status),
        cvv_used: pos.is_cvv_use.unwrap_or(true),
    })
}

/// What the desk shows for a transaction, which actions it offers and why not. `history` is
/// this desk's journal of it; `refund_period_days` the setting past which a refund is warned of.
pub fn transaction_view(
    tx: &vpws::Transaction,
    history: &[Entry],
    now: chrono::DateTime<Utc>,
    refund_period_days: u16,
) -> TransactionView {
    let state = standing(tx, history);
    let reversal_in_doubt = history
        .iter()
        .any(|e| e.kind != EntryKind::Payment && !e.outcome.is_final());
    let reversal_being_sent = history.iter().any(|e| {
        e.kind != EntryKind::Payment
            && !e.outcome.is_final()
            && e.lease.as_ref().is_some_and(|lease| lease.until > now)
    });
    let untouched = tx.amount.is_none_or(|a| a == tx.last_amount);
    let same_day = tx
        .transaction_date
        .is_none_or(|d| d.istanbul().date_naive() == now.with_timezone(&Istanbul).date_naive());
    let nothing_left = tx.last_amount.is_zero();
    let can_cancel =
        !reversal_in_doubt && state == TransactionState::Success && untouched && same_day;
    let can_refund = !reversal_in_doubt
        && matches!(
            state,
            TransactionState::Success | TransactionState::PartiallyRefunded
        )
        && !nothing_left;
    let no_cancel = match state {
        _ if can_cancel => None,
        TransactionState::Success | TransactionState::PartiallyRefunded => {
            Some(if reversal_in_doubt {
                NoCancel::ReversalInDoubt
            } else if !untouched {
                NoCancel::PartlyRefunded
            } else {
                NoCancel::AfterSaleDay
            })
        }
        _ => None,
    };
    let days_since_sale = tx.transaction_date.map(|d| {
        let sale_day = d.istanbul().date_naive();
        (now.with_timezone(&Istanbul).date_naive() - sale_day).num_days()
    });
    let refund_period_passed = days_since_sale
        .filter(|days| can_refund && *days > i64::from(refund_period_days))
        .and_then(|days| u32::try_from(days).ok());
    TransactionView {
        transaction_id: tx.id.clone(),
        reference_code: tx.reference_number.clone(),
        order_reference: tx.client_reference_number.clone(),
        state,
        amount: tx.amount.map(Money::from),
        remaining: tx.last_amount.into(),
        net: tx.last_net_amount.map(Money::from),
        currency: tx.currency_type.clone().unwrap_or_else(|| "TRY".into()),
        installment: tx.installment,
        commission_rate: tx.comm_rate.map(|r| r.normalize().to_string()),
        pos_id: tx.tenant_pos_id.clone(),
        pos_name: tx.pos_name.clone(),
        masked_card: tx.masked_card_number.clone(),
        card_holder: tx.card_holder_name.clone(),
        date: tx.transaction_date.map(|d| d.istanbul().to_rfc3339()),
        can_cancel,
        no_cancel,
        can_refund,
        refund_period_passed,
        reversal_in_doubt,
        reversal_being_sent,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use serde_json::json;

    use super::*;

    /// A successful payment of 250.00 made on 2026-10-01 at 14:00 Istanbul time, `left` still
    /// refundable.
    fn sale(left: &str) -> vpws::Transaction {
        serde_json::from_value(json!({
            "id": "t-1",
            "referenceNumber": "NTH2P00000000001",
            "transactionStatusId": if left == "250.00" || left == "0.00" { 1 } else { 6 },
            "transactionDate": "2026-10-01T14:00:00",
            "lastAmount": left.parse::<f64>().unwrap(),
            "amount": 250.00,
            "currencyType": "TRY"
        }))
        .unwrap()
    }

    fn at(istanbul_local: &str) -> DateTime<Utc> {
        format!("{istanbul_local}+03:00").parse().unwrap()
    }

    #[test]
    fn cancel_is_offered_on_the_sale_day_only_and_says_why_not_after() {
        let same_day = transaction_view(&sale("250.00"), &[], at("2026-10-01T23:59:00"), 30);
        assert!(same_day.can_cancel);
        assert_eq!(same_day.no_cancel, None);

        let next_day = transaction_view(&sale("250.00"), &[], at("2026-10-02T00:01:00"), 30);
        assert!(!next_day.can_cancel && next_day.can_refund);
        assert_eq!(next_day.no_cancel, Some(NoCancel::AfterSaleDay));

        let partly = transaction_view(&sale("200.00"), &[], at("2026-10-01T15:00:00"), 30);
        assert_eq!(partly.no_cancel, Some(NoCancel::PartlyRefunded));
        assert!(partly.can_refund);
    }

    #[test]
    fn a_refund_past_the_usual_period_is_still_offered_with_the_days_since_the_sale() {
        let on_the_30th_day = transaction_view(&sale("250.00"), &[], at("2026-10-31T10:00:00"), 30);
        assert_eq!(on_the_30th_day.refund_period_passed, None);
        let on_the_31st = transaction_view(&sale("250.00"), &[], at("2026-11-01T10:00:00"), 30);
        assert!(on_the_31st.can_refund, "the gateway has the last word");
        assert_eq!(on_the_31st.refund_period_passed, Some(31));
        let longer_setting = transaction_view(&sale("250.00"), &[], at("2026-11-01T10:00:00"), 60);
        assert_eq!(longer_setting.refund_period_passed, None);
        let nothing_left = transaction_view(&sale("0.00"), &[], at("2026-12-01T10:00:00"), 30);
        assert_eq!(
            (nothing_left.refund_period_passed, nothing_left.no_cancel),
            (None, None),
            "nothing to refund or cancel: nothing to explain"
        );
    }
}
