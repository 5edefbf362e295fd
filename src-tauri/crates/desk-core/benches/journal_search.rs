//! Journal search, the totals under the list and the Reports screen's aggregates over 100,000
//! entries (DESIGN §6 budget: under 50 ms each). Reports what it measured; run with
//! `cargo bench -p desk-core --bench journal_search`.

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::time::Instant;

use desk_core::journal::SqliteJournal;

const ENTRIES: usize = 100_000;

fn main() {
    let dir = std::env::temp_dir().join(format!("dd-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = SqliteJournal::open(&dir.join("journal.sqlite")).unwrap();
    let started = Instant::now();
    seed::seed(&journal, ENTRIES);
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
