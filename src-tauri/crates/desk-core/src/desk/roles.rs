//! The role table and a back-office limit, as pure rules: what each role may do, how much a
//! back-office operator may still take off a transaction without a supervisor, and so what a
//! transaction's screen offers. The commands check these (through the desk's [`super::staff`]
//! part) and the screens are offered them; nothing else decides either.

use rust_decimal::Decimal;

use crate::dto::{TransactionActions, TransactionView};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::journal::{EntryKind, OperatorRecord, Outcome, Role};
use crate::model::Money;
use crate::money::format_amount;
use crate::settings::Settings;

/// What a command needs of whoever is at the desk: every IPC command names one (the app's
/// command list), and [`super::Desk::gate`] checks it before the command runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// Nothing: open even while the desk is locked (the status, who is signed in, signing in).
    Open,
    /// Someone signed in (or operators off): lookups, lists, reports, rates, preferences.
    Look,
    Pay,
    Cancel,
    /// Refunds up to one's limit (the amounts are checked where they are known).
    Refund,
    /// Ask a supervisor for a refund or cancel above one's limit.
    RequestApproval,
    /// Decide requests, resolve what the gateway cannot settle.
    Approve,
    /// Every customer of the journal into a file: supervisors, and back office when the team
    /// allows it.
    Export,
    /// Operators, profiles, the journal, desk-wide settings, updates.
    ManageDesk,
    /// Set the team database up or upgrade it with its owner's password: a supervisor's, or
    /// anyone's while the database cannot tell who is a supervisor because it needs exactly
    /// this (the owner's password is the stronger proof).
    SetUpTeam,
}

impl Need {
    pub const ALL: [Need; 10] = [
        Need::Open,
        Need::Look,
        Need::Pay,
        Need::Cancel,
        Need::Refund,
        Need::RequestApproval,
        Need::Approve,
        Need::Export,
        Need::ManageDesk,
        Need::SetUpTeam,
    ];

    /// Reads keep a sign-in alive only through the operator's own activity; everything else
    /// the operator does counts as activity.
    pub(super) fn is_activity(self) -> bool {
        !matches!(self, Need::Open | Need::Look)
    }
}

/// The permission table: what each role may do.
pub(super) fn permitted(me: &OperatorRecord, need: Need, settings: &Settings) -> AppResult<()> {
    let allowed = match (me.role, need) {
        (Role::Supervisor, _) | (_, Need::Open | Need::Look | Need::Pay) => true,
        (Role::BackOffice, Need::Cancel | Need::Refund | Need::RequestApproval) => true,
        (Role::BackOffice, Need::Export) => settings.back_office_exports,
        _ => false,
    };
    match allowed {
        true => Ok(()),
        false => Err(AppError::new(
            ErrorCode::NotPermitted,
            format!("a {} may not do this", me.role.as_str()),
        )
        .with("role", me.role.as_str())),
    }
}

/// A back-office cancel or refund stays within the operator's limit counted over the
/// transaction: what they already took off it (or may have: not final yet) and this one.
/// Above it, a supervisor approves.
pub(super) fn within_limit(
    me: &OperatorRecord,
    earlier: &[crate::journal::Entry],
    amount: Decimal,
) -> AppResult<()> {
    if me.role != Role::BackOffice {
        return Ok(());
    }
    let limit = me.refund_limit.unwrap_or(Decimal::ZERO);
    let taken = taken_without_approval(me, earlier.iter());
    if taken + amount > limit {
        return Err(AppError::new(
            ErrorCode::AboveRefundLimit,
            "this is above your limit for the transaction: a supervisor must approve it",
        )
        .with("limit", format_amount(limit))
        .with("taken", format_amount(taken)));
    }
    Ok(())
}

/// What `me` took off a transaction on their own: their cancels and refunds of it that
/// succeeded or may have (not final yet), not those a supervisor approved.
fn taken_without_approval<'a>(
    me: &OperatorRecord,
    earlier: impl Iterator<Item = &'a crate::journal::Entry>,
) -> Decimal {
    earlier
        .filter(|e| matches!(e.kind, EntryKind::Cancel | EntryKind::Refund))
        .filter(|e| e.operator == me.name && e.approved_by.is_none())
        .filter(|e| !e.outcome.is_final() || e.outcome == Outcome::Success)
        .filter_map(|e| e.amount.map(Money::value))
        .sum()
}

/// What `me` (`None`: operators off) may do with the transaction `view` shows, `history` being
/// the journal's entries about it: the same rules the commands check ([`permitted`],
/// [`within_limit`]), so the screen offers what will be accepted.
pub(super) fn actions_for(
    me: Option<&OperatorRecord>,
    view: &TransactionView,
    history: &[crate::journal::Entry],
    settings: &Settings,
) -> TransactionActions {
    let may = |need| me.is_none_or(|me| permitted(me, need, settings).is_ok());
    let without_approval_up_to = me.filter(|me| me.role == Role::BackOffice).map(|me| {
        let of_this = history
            .iter()
            .filter(|e| e.reference_code.as_deref() == Some(view.reference_code.as_str()));
        let left = me.refund_limit.unwrap_or(Decimal::ZERO) - taken_without_approval(me, of_this);
        format_amount(left.max(Decimal::ZERO))
    });
    TransactionActions {
        may_cancel: view.can_cancel && may(Need::Cancel),
        may_refund: view.can_refund && may(Need::Refund),
        without_approval_up_to,
        may_resolve: may(Need::Approve),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Entry;
    use rust_decimal_macros::dec;

    fn operator(role: Role, limit: Option<Decimal>) -> OperatorRecord {
        OperatorRecord {
            id: 1,
            name: "Ayşe".into(),
            role,
            refund_limit: limit,
            active: true,
            pin_blocked: false,
        }
    }

    #[test]
    fn each_role_may_do_what_its_row_of_the_table_says() {
        let settings = Settings::first_start("key");
        let cashier = operator(Role::Cashier, None);
        let back = operator(Role::BackOffice, Some(dec!(500)));
        let boss = operator(Role::Supervisor, None);
        for need in [Need::Open, Need::Look, Need::Pay] {
            for who in [&cashier, &back, &boss] {
                assert!(permitted(who, need, &settings).is_ok(), "{need:?}");
            }
        }
        for need in &Need::ALL[3..] {
            let e = permitted(&cashier, *need, &settings).unwrap_err();
            assert_eq!(e.code, ErrorCode::NotPermitted, "{need:?}");
        }
        for need in [Need::Cancel, Need::Refund, Need::RequestApproval] {
            assert!(permitted(&back, need, &settings).is_ok(), "{need:?}");
        }
        for need in [
            Need::Approve,
            Need::Export,
            Need::ManageDesk,
            Need::SetUpTeam,
        ] {
            let e = permitted(&back, need, &settings).unwrap_err();
            assert_eq!(e.code, ErrorCode::NotPermitted, "{need:?}");
        }
        for need in [
            Need::Approve,
            Need::Export,
            Need::ManageDesk,
            Need::SetUpTeam,
        ] {
            assert!(permitted(&boss, need, &settings).is_ok(), "{need:?}");
        }
        let exports = Settings {
            back_office_exports: true,
            ..Settings::first_start("key")
        };
        assert!(permitted(&back, Need::Export, &exports).is_ok());
        assert!(permitted(&cashier, Need::Export, &exports).is_err());
    }

    fn reversal(kind: EntryKind, by: &str, amount: &str, outcome: Outcome) -> Entry {
        Entry {
            id: 1,
            created_at: String::new(),
            updated_at: String::new(),
            profile_id: "demo".into(),
            environment: "demo".into(),
            operator: by.into(),
            kind,
            amount: Some(Money::parse(amount).unwrap()),
            currency: "TRY".into(),
            installment: None,
            pos_id: None,
            pos_name: None,
            order_reference: None,
            reference_code: Some("R1".into()),
            transaction_id: None,
            masked_card: None,
            outcome,
            error_code: None,
            error_message: None,
            reason: None,
            remaining_after: None,
            remaining_before: None,
            doubt: None,
            customer: None,
            approved_by: None,
            resolved_by: None,
            resolution: None,
            account_code: None,
            commission: None,
            bank_payment_days: None,
            lease: None,
            gateway_account: None,
        }
    }

    #[test]
    fn a_back_office_limit_counts_every_cancel_and_refund_of_the_transaction() {
        let back = operator(Role::BackOffice, Some(dec!(50)));
        assert!(within_limit(&back, &[], dec!(50)).is_ok());
        let first = [reversal(
            EntryKind::Refund,
            "Ayşe",
            "50.00",
            Outcome::Success,
        )];
        let e = within_limit(&back, &first, dec!(50)).unwrap_err();
        assert_eq!(e.code, ErrorCode::AboveRefundLimit);
        assert_eq!(e.details["taken"], "50.00");
        // Not final yet counts; refused, another operator's and approved ones do not.
        let mixed = [
            reversal(EntryKind::Refund, "Ayşe", "20.00", Outcome::InDoubt),
            reversal(EntryKind::Refund, "Ayşe", "30.00", Outcome::Failed),
            reversal(EntryKind::Refund, "Mehmet", "30.00", Outcome::Success),
            Entry {
                approved_by: Some("Zeynep".into()),
                ..reversal(EntryKind::Refund, "Ayşe", "40.00", Outcome::Success)
            },
            reversal(EntryKind::Payment, "Ayşe", "100.00", Outcome::Success),
        ];
        assert!(within_limit(&back, &mixed, dec!(30)).is_ok());
        assert!(within_limit(&back, &mixed, dec!(30.01)).is_err());
        // A cancel counts as much as a refund.
        let cancel = [reversal(
            EntryKind::Cancel,
            "Ayşe",
            "5000.00",
            Outcome::Success,
        )];
        assert!(within_limit(&back, &cancel, dec!(0.01)).is_err());
        let boss = operator(Role::Supervisor, None);
        assert!(within_limit(&boss, &cancel, dec!(1000000)).is_ok());
    }

    /// A successful sale of 250.00 the gateway allows to cancel and refund.
    fn sale() -> TransactionView {
        TransactionView {
            transaction_id: "t-1".into(),
            reference_code: "NTH1".into(),
            order_reference: Some("DD-1".into()),
            state: crate::model::TransactionState::Success,
            amount: Some("250.00".parse().unwrap()),
            remaining: "250.00".parse().unwrap(),
            net: None,
            currency: "TRY".into(),
            installment: Some(1),
            commission_rate: None,
            pos_id: None,
            pos_name: None,
            masked_card: None,
            card_holder: None,
            date: None,
            can_cancel: true,
            no_cancel: None,
            can_refund: true,
            refund_period_passed: None,
            reversal_in_doubt: false,
            reversal_being_sent: false,
        }
    }

    #[test]
    fn the_screen_offers_each_role_what_its_commands_will_accept() {
        let settings = Settings::first_start("key");
        let of_this = |e: Entry| Entry {
            reference_code: Some("NTH1".into()),
            ..e
        };
        let history = [
            reversal(EntryKind::Payment, "Ali", "250.00", Outcome::Success),
            of_this(reversal(
                EntryKind::Refund,
                "Ayşe",
                "30.00",
                Outcome::Success,
            )),
            of_this(reversal(
                EntryKind::Refund,
                "Ayşe",
                "5.00",
                Outcome::InDoubt,
            )),
            of_this(reversal(
                EntryKind::Refund,
                "Ayşe",
                "90.00",
                Outcome::Failed,
            )),
            // Another transaction's refund does not count against this one.
            Entry {
                reference_code: Some("NTH2".into()),
                ..reversal(EntryKind::Refund, "Ayşe", "40.00", Outcome::Success)
            },
        ];
        let actions = |me: Option<&OperatorRecord>, view: &TransactionView| {
            actions_for(me, view, &history, &settings)
        };

        let back = operator(Role::BackOffice, Some(dec!(50)));
        let offered = actions(Some(&back), &sale());
        assert!(offered.may_cancel && offered.may_refund && !offered.may_resolve);
        assert_eq!(offered.without_approval_up_to.as_deref(), Some("15.00"));
        // The figure is the one the refund command checks against.
        assert!(within_limit(&back, &history[1..4], dec!(15)).is_ok());
        assert!(within_limit(&back, &history[1..4], dec!(15.01)).is_err());
        let spent = operator(Role::BackOffice, Some(dec!(20)));
        assert_eq!(
            actions(Some(&spent), &sale())
                .without_approval_up_to
                .as_deref(),
            Some("0.00"),
            "never below nothing"
        );

        let cashier = actions(Some(&operator(Role::Cashier, None)), &sale());
        assert!(!cashier.may_cancel && !cashier.may_refund && !cashier.may_resolve);
        assert_eq!(cashier.without_approval_up_to, None);

        for me in [Some(operator(Role::Supervisor, None)), None] {
            let offered = actions(me.as_ref(), &sale());
            assert!(offered.may_cancel && offered.may_refund && offered.may_resolve);
            assert_eq!(offered.without_approval_up_to, None, "no limit");
        }

        // What the gateway does not allow is offered to nobody.
        let refunded = TransactionView {
            can_cancel: false,
            can_refund: false,
            ..sale()
        };
        let boss = actions(Some(&operator(Role::Supervisor, None)), &refunded);
        assert!(!boss.may_cancel && !boss.may_refund);
    }
}
