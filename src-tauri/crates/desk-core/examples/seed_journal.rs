//! Writes a local journal of COUNT plausible entries at PATH, for the UI's scale benchmark
//! (bench/run copies it into the app's data): `seed_journal PATH COUNT`.

#[path = "../benches/common/seed.rs"]
mod seed;

use std::time::Instant;

use desk_core::journal::SqliteJournal;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(count)) = (args.next(), args.next().and_then(|c| c.parse().ok())) else {
        eprintln!("usage: seed_journal PATH COUNT");
        std::process::exit(2);
    };
    let path = std::path::PathBuf::from(path);
    let _ = std::fs::remove_file(&path);
    let started = Instant::now();
    let journal = SqliteJournal::open(&path).expect("a journal at PATH");
    seed::seed(&journal, count);
    drop(journal);
    println!(
        "seeded {count} entries in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let opened = Instant::now();
    SqliteJournal::open(&path).expect("the seeded journal opens");
    println!(
        "opened (with its integrity check) in {:.0} ms",
        opened.elapsed().as_secs_f64() * 1e3
    );
}
