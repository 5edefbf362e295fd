//! A journal full of plausible entries for the benchmarks: payments, refunds and cancels by four
//! operators on four cards, about a year of them, ids running forward in time. Shared by the
//! journal benchmark and `examples/seed_journal.rs` (the UI's scale benchmark).

use chrono::{TimeDelta, Utc};
use desk_core::journal::{Customer, EntryKind, NewEntry, Outcome, SqliteJournal};
use rust_decimal::Decimal;

pub fn seed(journal: &SqliteJournal, count: usize) {
    let now = Utc::now();
    // About a year of entries, however many: 100,000 are five minutes apart.
    let spacing = (300 * 100_000 / count.max(1)).max(1) as i64;
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
    let rows: Vec<_> = (0..count)
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
                account_code: (i % 4 != 0).then(|| format!("120.01.{:04}", i % 997)),
                approved_by: None,
                approval_id: None,
                lease: None,
                gateway_account: None,
            };
            (
                entry,
                outcomes[i % outcomes.len()],
                // Ids run forward in time, as in a real journal.
                now - TimeDelta::seconds((count - i) as i64 * spacing),
            )
        })
        .collect();
    journal.record_many(&rows).unwrap();
}
