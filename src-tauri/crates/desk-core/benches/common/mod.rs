//! What both journal benchmarks measure, the same way: the list's searches and filters, the
//! totals under it and the Reports screen's aggregates, through the journal interface the app
//! uses. Each case runs RUNS times; the median and maximum are printed with what it found.

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use desk_core::journal::{EntryKind, Filter, Journal, Outcome, ReportRange};
use tokio::runtime::Runtime;

const RUNS: usize = 25;

fn measure(name: &str, mut work: impl FnMut() -> String) -> Duration {
    let mut times = Vec::with_capacity(RUNS);
    let mut found = String::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        found = work();
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "{name:<40} median {:>7.2} ms   max {:>7.2} ms   ({found})",
        median.as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3
    );
    median
}

/// The searches an operator runs on the Transactions screen.
fn cases() -> Vec<(&'static str, Filter)> {
    let today = Utc::now().date_naive();
    let with = |change: fn(&mut Filter)| {
        let mut filter = Filter::default();
        change(&mut filter);
        filter
    };
    vec![
        ("no filter (newest first)", Filter::default()),
        (
            "quick search \"iadesi\"",
            with(|f| f.text = Some("iadesi".into())),
        ),
        (
            "quick search customer \"mehmet musteri42\"",
            with(|f| f.text = Some("mehmet musteri42".into())),
        ),
        (
            "quick search reference digits",
            with(|f| f.text = Some("0001234".into())),
        ),
        (
            "reference filter",
            with(|f| f.reference = Some("NTH2P00000150000".into())),
        ),
        ("card last 4", with(|f| f.card_last4 = Some("0009".into()))),
        (
            "kind + outcome",
            with(|f| {
                f.kinds = vec![EntryKind::Refund];
                f.outcomes = vec![Outcome::Success];
            }),
        ),
        (
            "amount range",
            with(|f| {
                f.min_amount = Some("1000".into());
                f.max_amount = Some("2000".into());
            }),
        ),
        (
            "last 30 days",
            Filter {
                from: Some(today - TimeDelta::days(30)),
                to: Some(today),
                ..Filter::default()
            },
        ),
        ("operator", with(|f| f.operator = Some("şükrü".into()))),
    ]
}

/// Runs every case on `journal`; returns the worst median.
pub fn measure_all(rt: &Runtime, journal: &dyn Journal, year: &str) -> Duration {
    let cases = cases();
    let mut medians: Vec<Duration> = cases
        .iter()
        .map(|(name, filter)| {
            measure(name, || {
                let page = rt.block_on(journal.search(filter, 0, 100)).unwrap();
                format!("{} matches, first page of 100", page.total)
            })
        })
        .collect();
    for (name, filter) in [
        ("totals: no filter", &Filter::default()),
        ("totals: last 30 days", &cases[8].1),
    ] {
        medians.push(measure(name, || {
            let totals = rt.block_on(journal.totals(filter)).unwrap();
            format!("{} sales", totals[0].sales_count)
        }));
    }
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    for (name, days) in [
        ("report: today".to_owned(), 1),
        ("report: this month (31 days)".to_owned(), 31),
        (format!("report: a year ({year})"), 366),
    ] {
        let range = ReportRange {
            from: today - TimeDelta::days(days - 1),
            to: today,
        };
        medians.push(measure(&name, || {
            let report = rt.block_on(journal.report("demo", range)).unwrap();
            let sales: u32 = report.totals.iter().map(|t| t.sales_count).sum();
            format!("{sales} sales, {} days", report.by_day.len())
        }));
    }
    medians.into_iter().max().unwrap()
}
