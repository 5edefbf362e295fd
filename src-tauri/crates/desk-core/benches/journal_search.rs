//! Journal search, the totals under the list and the Reports screen's aggregates over 100,000
//! entries (DESIGN §6 budget: under 50 ms each). Reports what it measured; run with
//! `cargo bench -p desk-core --bench journal_search`.

mod common;

use std::time::Instant;

use chrono::{TimeDelta, Utc};
use desk_core::journal::{Customer, EntryKind, NewEntry, Outcome, SqliteJournal};
use rust_decimal::Decimal;

const ENTRIES: usize = 100_000;

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
                // Ids run forward in time, as in a real journal.
                now - TimeDelta::minutes((ENTRIES - i) as i64 * 5),
            )
        })
        .collect();
    journal.record_many(&rows).unwrap();
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let worst = common::measure_all(&rt, &journal, "all 100,000");
    println!(
        "worst median: {:.2} ms (budget 50 ms)",
        worst.as_secs_f64() * 1e3
    );
    drop(journal);
    let _ = std::fs::remove_dir_all(dir);
}
