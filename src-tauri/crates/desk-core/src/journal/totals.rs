//! What a filter adds up to, per currency: sales, cancels and refunds that succeeded, and what
//! stays with the dealer. Summed by SQL over exact minor units (no floating point), so it scales
//! with the journal and runs the same on PostgreSQL.

use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use crate::model::{EntryKind, Money};

/// Totals of one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CurrencyTotals {
    pub currency: String,
    pub sales_count: u32,
    pub sales: Money,
    pub cancels_count: u32,
    pub cancels: Money,
    pub refunds_count: u32,
    pub refunds: Money,
    /// Sales less cancels and refunds.
    pub net: Money,
    /// The gateway's commission on the sales, less what cancels and refunds gave back.
    pub commission: Money,
    /// Net less commission: what the dealer is paid.
    pub net_to_dealer: Money,
}

fn money(minor: i64) -> Money {
    Decimal::new(minor, 2).into()
}

/// Successful operations of one currency added up in minor units, by kind (payment, cancel,
/// refund): counts, amounts and commissions.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    counts: [u32; 3],
    amounts: [i64; 3],
    commissions: [i64; 3],
}

impl Tally {
    pub(super) fn add(
        &mut self,
        kind: EntryKind,
        count: u32,
        amount_minor: i64,
        commission_minor: i64,
    ) {
        let i = match kind {
            EntryKind::Payment => 0,
            EntryKind::Cancel => 1,
            EntryKind::Refund => 2,
        };
        self.counts[i] += count;
        self.amounts[i] += amount_minor;
        self.commissions[i] += commission_minor;
    }

    pub(super) fn merge(&mut self, other: &Tally) {
        for i in 0..3 {
            self.counts[i] += other.counts[i];
            self.amounts[i] += other.amounts[i];
            self.commissions[i] += other.commissions[i];
        }
    }

    pub(super) fn into_totals(self, currency: String) -> CurrencyTotals {
        let [sales, cancels, refunds] = self.amounts;
        let net = sales - cancels - refunds;
        let [charged, back_on_cancel, back_on_refund] = self.commissions;
        let commission = charged - back_on_cancel - back_on_refund;
        CurrencyTotals {
            currency,
            sales_count: self.counts[0],
            sales: money(sales),
            cancels_count: self.counts[1],
            cancels: money(cancels),
            refunds_count: self.counts[2],
            refunds: money(refunds),
            net: money(net),
            commission: money(commission),
            net_to_dealer: money(net - commission),
        }
    }
}

/// Totals from `(currency, kind, count, amount, commission)` rows ordered by currency.
pub(super) fn per_currency(rows: Vec<(String, EntryKind, u32, i64, i64)>) -> Vec<CurrencyTotals> {
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    for (currency, kind, count, minor, commission) in rows {
        if tallies.last().is_none_or(|(c, _)| *c != currency) {
            tallies.push((currency, Tally::default()));
        }
        let (_, tally) = tallies.last_mut().expect("pushed above");
        tally.add(kind, count, minor, commission);
    }
    tallies
        .into_iter()
        .map(|(currency, tally)| tally.into_totals(currency))
        .collect()
}

/// The totals query every store runs after its own `WHERE` (standard SQL).
pub(super) const TOTALS_SELECT: &str = "SELECT currency, kind, COUNT(*),
        CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT),
        CAST(COALESCE(SUM(commission_minor), 0) AS BIGINT) FROM entries";

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::journal::{EntryKind, Filter, NewEntry, Outcome, SqliteJournal};

    fn op(kind: EntryKind, amount: Decimal, currency: &str) -> NewEntry {
        NewEntry {
            kind: Some(kind),
            profile_id: "demo".into(),
            environment: "demo".into(),
            amount: Some(amount),
            currency: currency.into(),
            ..NewEntry::default()
        }
    }

    /// Hand-computed: TRY sales 250.00 + 1234.56 = 1484.56; a cancel of 100.00 (of a third sale
    /// of 100.00, so sales are 1584.56); refunds 15.00 + 35.50 = 50.50; net 1584.56 − 100.00 −
    /// 50.50 = 1434.06. USD: one sale of 99.99 and a failed one that does not count.
    #[test]
    fn totals_per_currency_count_only_what_succeeded() {
        use EntryKind::*;
        let j = SqliteJournal::open_in_memory().unwrap();
        let now = Utc::now();
        let rows = [
            (op(Payment, dec!(250.00), "TRY"), Outcome::Success),
            (op(Payment, dec!(1234.56), "TRY"), Outcome::Success),
            (op(Payment, dec!(100), "TRY"), Outcome::Success),
            (op(Cancel, dec!(100), "TRY"), Outcome::Success),
            (op(Refund, dec!(15), "TRY"), Outcome::Success),
            (op(Refund, dec!(35.50), "TRY"), Outcome::Success),
            (op(Refund, dec!(20), "TRY"), Outcome::InDoubt),
            (op(Payment, dec!(99.99), "USD"), Outcome::Success),
            (op(Payment, dec!(500), "USD"), Outcome::Failed),
        ];
        let rows: Vec<_> = rows.into_iter().map(|(e, o)| (e, o, now)).collect();
        j.record_many(&rows).unwrap();

        let totals = j.totals(&Filter::default()).unwrap();
        assert_eq!(
            totals,
            vec![
                CurrencyTotals {
                    currency: "TRY".into(),
                    sales_count: 3,
                    sales: "1584.56".parse().unwrap(),
                    cancels_count: 1,
                    cancels: "100.00".parse().unwrap(),
                    refunds_count: 2,
                    refunds: "50.50".parse().unwrap(),
                    net: "1434.06".parse().unwrap(),
                    commission: "0.00".parse().unwrap(),
                    net_to_dealer: "1434.06".parse().unwrap(),
                },
                CurrencyTotals {
                    currency: "USD".into(),
                    sales_count: 1,
                    sales: "99.99".parse().unwrap(),
                    cancels: "0.00".parse().unwrap(),
                    refunds: "0.00".parse().unwrap(),
                    net: "99.99".parse().unwrap(),
                    commission: "0.00".parse().unwrap(),
                    net_to_dealer: "99.99".parse().unwrap(),
                    ..CurrencyTotals::default()
                },
            ]
        );
        let refunds_only = Filter {
            kinds: vec![Refund],
            ..Filter::default()
        };
        let only = j.totals(&refunds_only).unwrap();
        assert_eq!((only[0].refunds_count, only[0].sales_count), (2, 0));
        assert_eq!(
            only[0].net.to_string(),
            "-50.50",
            "what went back, as a negative net"
        );
    }
}
