//! Journal search, the totals under the list and the Reports screen's aggregates (ARCHITECTURE.md
//! budget: under 50 ms each at 100,000 entries, under 200 ms at 1,000,000). Reports what it
//! measured. `cargo bench -p desk-core --bench journal_search` seeds 100,000 entries in a
//! temporary journal; `… -- PATH` measures the journal already at PATH instead (bench/run
//! passes the million entries it seeded for the UI's scale figures).

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::path::Path;
use std::time::Instant;

use desk_core::journal::SqliteJournal;

const ENTRIES: usize = 100_000;

fn main() {
    // cargo bench passes `--bench` to every bench target; anything else is a journal's path.
    let given = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    match given {
        Some(path) => measure(Path::new(&path), "a year"),
        None => {
            let dir = std::env::temp_dir().join(format!("dd-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("journal.sqlite");
            let journal = SqliteJournal::open(&path).unwrap();
            let started = Instant::now();
            seed::seed(&journal, ENTRIES);
            println!(
                "seeded {ENTRIES} entries in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            drop(journal);
            measure(&path, "all 100,000");
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Measured as the app finds it: a journal opened with its entries already in it.
fn measure(path: &Path, year: &str) {
    let opened = Instant::now();
    let journal = SqliteJournal::open(path).unwrap();
    println!(
        "opened (with its integrity check) in {:.1} ms",
        opened.elapsed().as_secs_f64() * 1e3
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let worst = common::measure_all(&rt, &journal, year);
    println!("worst median: {:.2} ms", worst.as_secs_f64() * 1e3);
}
