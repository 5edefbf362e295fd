//! The Reports screen's figures (ARCHITECTURE.md): for one profile and a range of Istanbul days, the
//! successful operations per currency, and the same by day, POS, installment count and
//! operator. One SQL aggregate over exact minor units (standard `GROUP BY`, plain columns, so
//! it runs the same on PostgreSQL) returns the finest groups; the roll-ups are sums of those.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::totals::Tally;
use super::{CurrencyTotals, JournalResult};
use crate::error::{AppError, Field, Reason};

/// Istanbul calendar days, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReportRange {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
}

/// The totals of one group (a day, a POS, an installment count, an operator) in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReportLine {
    /// `2026-11-22`, the POS name, the installment count (`"1"` is a single payment) or the
    /// operator's name (empty when none was set).
    pub key: String,
    pub totals: CurrencyTotals,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Report {
    pub range: ReportRange,
    pub profile_id: String,
    /// Per currency, alphabetical.
    pub totals: Vec<CurrencyTotals>,
    /// Every day of the range for every currency that has totals, quiet days included (a
    /// chart of the days needs them).
    pub by_day: Vec<ReportLine>,
    pub by_pos: Vec<ReportLine>,
    /// By installment count, numerically.
    pub by_installment: Vec<ReportLine>,
    pub by_operator: Vec<ReportLine>,
}

/// One row of the aggregate: the finest group (every store returns these).
pub(super) struct Group {
    pub day: String,
    pub pos: String,
    pub installment: u32,
    pub operator: String,
    pub currency: String,
    pub tally: Tally,
}

/// Adds groups up under a key; ordered by key, then currency.
fn roll_up<K: Ord + Clone>(
    groups: &[Group],
    key: impl Fn(&Group) -> K,
) -> BTreeMap<(K, String), Tally> {
    let mut sums: BTreeMap<(K, String), Tally> = BTreeMap::new();
    for g in groups {
        sums.entry((key(g), g.currency.clone()))
            .or_default()
            .merge(&g.tally);
    }
    sums
}

fn lines<K: ToString>(sums: BTreeMap<(K, String), Tally>) -> Vec<ReportLine> {
    sums.into_iter()
        .map(|((key, currency), tally)| ReportLine {
            key: key.to_string(),
            totals: tally.into_totals(currency),
        })
        .collect()
}

/// The longest range a report covers (a year and a day, so "the last 12 months" fits).
const MAX_DAYS: i64 = 367;

/// Refuses a range that runs backwards or covers more than a report does.
pub(super) fn check_range(range: ReportRange) -> JournalResult<()> {
    let days = (range.to - range.from).num_days();
    if days < 0 {
        return Err(AppError::field(Field::DateTo, Reason::BeforeStart));
    }
    if days >= MAX_DAYS {
        return Err(AppError::field(Field::DateTo, Reason::RangeTooLong)
            .with("maxDays", MAX_DAYS.to_string()));
    }
    Ok(())
}

/// The report from the finest groups of `range`.
pub(super) fn build(profile_id: &str, range: ReportRange, groups: Vec<Group>) -> Report {
    let by_currency = roll_up(&groups, |_| ());
    let currencies: Vec<String> = by_currency.keys().map(|(_, c)| c.clone()).collect();
    let mut by_day = roll_up(&groups, |g| g.day.clone());
    for day in range.from.iter_days().take_while(|d| *d <= range.to) {
        for currency in &currencies {
            by_day
                .entry((day.to_string(), currency.clone()))
                .or_default();
        }
    }
    Report {
        range,
        profile_id: profile_id.to_owned(),
        totals: by_currency
            .into_iter()
            .map(|(((), currency), tally)| tally.into_totals(currency))
            .collect(),
        by_day: lines(by_day),
        by_pos: lines(roll_up(&groups, |g| g.pos.clone())),
        by_installment: lines(roll_up(&groups, |g| g.installment)),
        by_operator: lines(roll_up(&groups, |g| g.operator.clone())),
    }
}

/// The aggregate every store runs (standard SQL; `{placeholders}` differ by store).
pub(super) const GROUPS_SQL: &str =
    "SELECT day, pos_name, pos_id, installment, operator, currency, kind, COUNT(*),
            CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT),
            CAST(COALESCE(SUM(commission_minor), 0) AS BIGINT)
     FROM entries
     WHERE profile_id = {1} AND day >= {2} AND day <= {3} AND outcome = 'success'
     GROUP BY day, pos_name, pos_id, installment, operator, currency, kind";

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::journal::SqliteJournal;
    use crate::journal::{EntryKind, NewEntry, Outcome};

    struct Op {
        kind: EntryKind,
        amount: Decimal,
        currency: &'static str,
        pos: &'static str,
        installment: u32,
        operator: &'static str,
        rate: Decimal,
        profile: &'static str,
    }

    /// An operation of the "demo" profile.
    fn op(
        kind: EntryKind,
        amount: Decimal,
        currency: &'static str,
        pos: &'static str,
        installment: u32,
        operator: &'static str,
        rate: Decimal,
    ) -> Op {
        Op {
            kind,
            amount,
            currency,
            pos,
            installment,
            operator,
            rate,
            profile: "demo",
        }
    }

    fn row(op: Op, outcome: Outcome, at: &str) -> (NewEntry, Outcome, DateTime<Utc>) {
        let entry = NewEntry {
            kind: Some(op.kind),
            profile_id: op.profile.into(),
            environment: "demo".into(),
            operator: op.operator.into(),
            amount: Some(op.amount),
            currency: op.currency.into(),
            installment: Some(op.installment),
            pos_name: Some(op.pos.into()),
            commission_rate: Some(op.rate),
            ..NewEntry::default()
        };
        (entry, outcome, at.parse().unwrap())
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// One line per group: key, currency, count/sum of sales, cancels and refunds, net,
    /// commission and net to dealer.
    fn show(lines: &[ReportLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| format!("{} {}", l.key, brief(&l.totals)))
            .collect()
    }

    fn brief(t: &CurrencyTotals) -> String {
        format!(
            "{} s{}/{} c{}/{} r{}/{} net {} com {} dealer {}",
            t.currency,
            t.sales_count,
            t.sales,
            t.cancels_count,
            t.cancels,
            t.refunds_count,
            t.refunds,
            t.net,
            t.commission,
            t.net_to_dealer
        )
    }

    /// Hand-computed. TRY sales 1000.00 (Akbank, 1 inst., Zeynep, 2 % → 20.00) on the 20th,
    /// 250.00 (Yapı Kredi World, 3 inst., Ali, 3.45 % → 8.625 → 8.63) on the 21st, 120.00
    /// (Akbank, Ali, 2 % → 2.40) on the 22nd in Istanbul (21st 22:30 UTC) and cancelled the
    /// same day (2.40 back); 50.00 of the 250.00 refunded on the 22nd by Zeynep (1.725 → 1.73
    /// back). USD 99.99 (Akbank, Zeynep, 1.5 % → 1.49985 → 1.50) on the 21st. Not counted: a
    /// failed payment, another profile's sale, a sale the day before the range.
    /// TRY: sales 1370.00, net 1370 − 120 − 50 = 1200.00, commission 20 + 8.63 + 2.40 − 2.40 −
    /// 1.73 = 26.90, to the dealer 1173.10.
    #[test]
    fn report_adds_up_by_currency_day_pos_installment_and_operator() {
        use EntryKind::*;
        let (ak, yk) = ("Akbank", "Yapı Kredi World");
        let ok = Outcome::Success;
        let rows = [
            row(
                op(Payment, dec!(1000.00), "TRY", ak, 1, "Zeynep", dec!(2)),
                ok,
                "2026-11-20T07:00:00Z",
            ),
            row(
                op(Payment, dec!(250.00), "TRY", yk, 3, "Ali", dec!(3.45)),
                ok,
                "2026-11-21T09:00:00Z",
            ),
            row(
                op(Payment, dec!(120.00), "TRY", ak, 1, "Ali", dec!(2)),
                ok,
                "2026-11-21T22:30:00Z",
            ),
            row(
                op(Cancel, dec!(120.00), "TRY", ak, 1, "Ali", dec!(2)),
                ok,
                "2026-11-22T08:00:00Z",
            ),
            row(
                op(Refund, dec!(50.00), "TRY", yk, 3, "Zeynep", dec!(3.45)),
                ok,
                "2026-11-22T09:00:00Z",
            ),
            row(
                op(Payment, dec!(99.99), "USD", ak, 1, "Zeynep", dec!(1.5)),
                ok,
                "2026-11-21T10:00:00Z",
            ),
            row(
                op(Payment, dec!(500), "TRY", ak, 1, "Ali", dec!(2)),
                Outcome::Failed,
                "2026-11-21T11:00:00Z",
            ),
            row(
                Op {
                    profile: "live",
                    ..op(Payment, dec!(777), "TRY", ak, 1, "Ali", dec!(2))
                },
                ok,
                "2026-11-21T12:00:00Z",
            ),
            row(
                op(Payment, dec!(300), "TRY", ak, 1, "Ali", dec!(2)),
                ok,
                "2026-11-19T20:59:00Z",
            ),
        ];
        let j = SqliteJournal::open_in_memory().unwrap();
        j.record_many(&rows).unwrap();

        let report = j
            .report(
                "demo",
                ReportRange {
                    from: day(20),
                    to: day(22),
                },
            )
            .unwrap();
        let totals: Vec<String> = report.totals.iter().map(brief).collect();
        assert_eq!(
            totals,
            [
                "TRY s3/1370.00 c1/120.00 r1/50.00 net 1200.00 com 26.90 dealer 1173.10",
                "USD s1/99.99 c0/0.00 r0/0.00 net 99.99 com 1.50 dealer 98.49",
            ]
        );
        assert_eq!(
            show(&report.by_day),
            [
                "2026-11-20 TRY s1/1000.00 c0/0.00 r0/0.00 net 1000.00 com 20.00 dealer 980.00",
                "2026-11-20 USD s0/0.00 c0/0.00 r0/0.00 net 0.00 com 0.00 dealer 0.00",
                "2026-11-21 TRY s1/250.00 c0/0.00 r0/0.00 net 250.00 com 8.63 dealer 241.37",
                "2026-11-21 USD s1/99.99 c0/0.00 r0/0.00 net 99.99 com 1.50 dealer 98.49",
                "2026-11-22 TRY s1/120.00 c1/120.00 r1/50.00 net -50.00 com -1.73 dealer -48.27",
                "2026-11-22 USD s0/0.00 c0/0.00 r0/0.00 net 0.00 com 0.00 dealer 0.00",
            ]
        );
        assert_eq!(
            show(&report.by_pos),
            [
                "Akbank TRY s2/1120.00 c1/120.00 r0/0.00 net 1000.00 com 20.00 dealer 980.00",
                "Akbank USD s1/99.99 c0/0.00 r0/0.00 net 99.99 com 1.50 dealer 98.49",
                "Yapı Kredi World TRY s1/250.00 c0/0.00 r1/50.00 net 200.00 com 6.90 dealer 193.10",
            ]
        );
        assert_eq!(
            show(&report.by_installment),
            [
                "1 TRY s2/1120.00 c1/120.00 r0/0.00 net 1000.00 com 20.00 dealer 980.00",
                "1 USD s1/99.99 c0/0.00 r0/0.00 net 99.99 com 1.50 dealer 98.49",
                "3 TRY s1/250.00 c0/0.00 r1/50.00 net 200.00 com 6.90 dealer 193.10",
            ]
        );
        assert_eq!(
            show(&report.by_operator),
            [
                "Ali TRY s2/370.00 c1/120.00 r0/0.00 net 250.00 com 8.63 dealer 241.37",
                "Zeynep TRY s1/1000.00 c0/0.00 r1/50.00 net 950.00 com 18.27 dealer 931.73",
                "Zeynep USD s1/99.99 c0/0.00 r0/0.00 net 99.99 com 1.50 dealer 98.49",
            ]
        );
    }

    #[test]
    fn installment_counts_sort_as_numbers() {
        let j = SqliteJournal::open_in_memory().unwrap();
        let rows: Vec<_> = [12, 2, 9]
            .into_iter()
            .map(|n| {
                let sale = op(
                    EntryKind::Payment,
                    dec!(10),
                    "TRY",
                    "Akbank",
                    n,
                    "",
                    dec!(0),
                );
                row(sale, Outcome::Success, "2026-11-21T09:00:00Z")
            })
            .collect();
        j.record_many(&rows).unwrap();
        let report = j
            .report(
                "demo",
                ReportRange {
                    from: day(21),
                    to: day(21),
                },
            )
            .unwrap();
        let keys: Vec<&str> = report
            .by_installment
            .iter()
            .map(|l| l.key.as_str())
            .collect();
        assert_eq!(keys, ["2", "9", "12"]);
    }

    #[test]
    fn a_range_must_run_forwards_and_within_a_year() {
        let j = SqliteJournal::open_in_memory().unwrap();
        let backwards = j.report(
            "demo",
            ReportRange {
                from: day(22),
                to: day(21),
            },
        );
        assert_eq!(
            backwards
                .unwrap_err()
                .details
                .get("reason")
                .map(String::as_str),
            Some("before_start")
        );
        let long = ReportRange {
            from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            to: day(22),
        };
        let err = j.report("demo", long).unwrap_err();
        assert_eq!(err.details.get("maxDays").map(String::as_str), Some("367"));
        let empty = j
            .report(
                "demo",
                ReportRange {
                    from: day(1),
                    to: day(30),
                },
            )
            .unwrap();
        assert!(empty.totals.is_empty() && empty.by_day.is_empty());
    }
}
