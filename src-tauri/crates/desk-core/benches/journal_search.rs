//! Journal search, the totals under the list and the Reports screen's aggregates over 100,000
//! entries (DESIGN §6 budget: under 50 ms each). Reports what it measured; run with
//! `cargo bench -p desk-core --bench journal_search`.

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use desk_core::journal::{
    Customer, EntryKind, Filter, NewEntry, Outcome, ReportRange, SqliteJournal,
};
use rust_decimal::Decimal;

const ENTRIES: usize = 100_000;
const RUNS: usize = 25;

fn seed(journal: &SqliteJournal) {
    let now = Utc::now();
    let kinds = [
        EntryKind::Payment,
        EntryKind::Payment,
        EntryKind::Payment,
        EntryKind::Refund,
        EntryKind::Cancel,
    ];
    let outcomes = [
        Outcome::Success,
        Outcome::Success,
        Outcome::Failed,
        Outcome::Success,
        Outcome::InDoubt,
    ];
    let operators = ["Zeynep Kaya", "Ali Demir", "Şükrü Çağlayan", "Ayşe Yılmaz"];
    let cards = [
        "415565******6111",
        "540061******0009",
        "435508******0005",
        "450803******0006",
    ];
    let rows: Vec<_> = (0..ENTRIES)
        .map(|i| {
            let entry = NewEntry {
                kind: Some(kinds[i % kinds.len()]),
                profile_id: "demo".into(),
                environment: "demo".into(),
                operator: operators[i % operators.len()].into(),
                amount: Some(Decimal::new(((i * 7919) % 500_000) as i64 + 100, 2)),
                currency: "TRY".into(),
                installment: Some((i % 12) as u32 + 1),
                pos_id: Some("384badef-11ec-ee11-98f2-005056b0d2e5".into()),
                pos_name: Some(["Yapı Kredi World", "Akbank Axess", "Garanti Bonus"][i % 3].into()),
                order_reference: Some(format!("DD-2026{:04}-{i:06}", i % 1231)),
                reference_code: Some(format!("NTH2P{:011}", 100_000 + i)),
                transaction_id: Some(format!("{:08x}-0000-4000-8000-{i:012}", i)),
                masked_card: Some(cards[i % cards.len()].into()),
                reason: (i % 5 == 3).then(|| "ürün iadesi".to_owned()),
                remaining_before: None,
                commission_rate: Some(Decimal::new(179 + (i % 12) as i64 * 150, 2)),
                customer: (i % 4 != 0).then(|| Customer {
                    name: ["Ayşe", "Mehmet", "Elif", "Can"][i % 4].into(),
                    surname: format!("Müşteri{}", i % 997),
                    email: format!("musteri{i}@example.com"),
                    phone: Some(format!("0532{:07}", i)),
                    note: None,
                }),
                approved_by: None,
                approval_id: None,
            };
            (
                entry,
                outcomes[i % outcomes.len()],
                now - TimeDelta::minutes(i as i64 * 5),
            )
        })
        .collect();
    journal.record_many(&rows).unwrap();
}

/// Runs `work` RUNS times; prints the median and maximum, and what the last run found.
fn measure(name: &str, work: impl Fn() -> String) -> Duration {
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

fn search(journal: &SqliteJournal, name: &str, filter: &Filter) -> Duration {
    measure(name, || {
        let page = journal.search(filter, 0, 100).unwrap();
        format!("{} matches, first page of 100", page.total)
    })
}

fn totals(journal: &SqliteJournal, name: &str, filter: &Filter) -> Duration {
    measure(name, || {
        let totals = journal.totals(filter).unwrap();
        format!("{} sales", totals[0].sales_count)
    })
}

fn report(journal: &SqliteJournal, name: &str, days: i64) -> Duration {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    let range = ReportRange {
        from: today - TimeDelta::days(days - 1),
        to: today,
    };
    measure(name, || {
        let report = journal.report("demo", range).unwrap();
        let sales: u32 = report.totals.iter().map(|t| t.sales_count).sum();
        format!("{sales} sales, {} days", report.by_day.len())
    })
}

fn main() {
    let dir = std::env::temp_dir().join(format!("dd-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = SqliteJournal::open(&dir.join("journal.sqlite")).unwrap();
    let started = Instant::now();
    seed(&journal);
    println!(
        "seeded {ENTRIES} entries in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Measured as the app finds it: a journal opened with its entries already in it.
    drop(journal);
    let opened = Instant::now();
    let journal = SqliteJournal::open(&dir.join("journal.sqlite")).unwrap();
    println!(
        "opened (with its integrity check) in {:.1} ms",
        opened.elapsed().as_secs_f64() * 1e3
    );
    let today = Utc::now().date_naive();
    let cases = [
        ("no filter (newest first)", Filter::default()),
        (
            "quick search \"iadesi\"",
            Filter {
                text: Some("iadesi".into()),
                ..Filter::default()
            },
        ),
        (
            "quick search customer \"mehmet musteri42\"",
            Filter {
                text: Some("mehmet musteri42".into()),
                ..Filter::default()
            },
        ),
        (
            "quick search reference digits",
            Filter {
                text: Some("0001234".into()),
                ..Filter::default()
            },
        ),
        (
            "reference filter",
            Filter {
                reference: Some("NTH2P00000150000".into()),
                ..Filter::default()
            },
        ),
        (
            "card last 4",
            Filter {
                card_last4: Some("0009".into()),
                ..Filter::default()
            },
        ),
        (
            "kind + outcome",
            Filter {
                kinds: vec![EntryKind::Refund],
                outcomes: vec![Outcome::Success],
                ..Filter::default()
            },
        ),
        (
            "amount range",
            Filter {
                min_amount: Some("1000".into()),
                max_amount: Some("2000".into()),
                ..Filter::default()
            },
        ),
        (
            "last 30 days",
            Filter {
                from: Some(today - TimeDelta::days(30)),
                to: Some(today),
                ..Filter::default()
            },
        ),
        (
            "operator",
            Filter {
                operator: Some("şükrü".into()),
                ..Filter::default()
            },
        ),
    ];
    let searches = cases.iter().map(|(name, f)| search(&journal, name, f));
    let aggregates = [
        totals(&journal, "totals: no filter", &Filter::default()),
        totals(&journal, "totals: last 30 days", &cases[8].1),
        report(&journal, "report: today", 1),
        report(&journal, "report: this month (31 days)", 31),
        report(&journal, "report: a year (all 100,000)", 366),
    ];
    let worst = searches.chain(aggregates).max().unwrap();
    println!(
        "worst median: {:.2} ms (budget 50 ms)",
        worst.as_secs_f64() * 1e3
    );
    drop(journal);
    let _ = std::fs::remove_dir_all(dir);
}
