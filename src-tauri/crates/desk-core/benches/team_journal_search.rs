//! The team journal on PostgreSQL at 1,000,000 entries, or as many as given after `--` (the
//! budget in ARCHITECTURE.md: search and report aggregates under 200 ms each at a million,
//! 50 ms at 100,000): the same cases as `journal_search`, through `PgJournal`. Needs a server:
//! `DD_TEST_POSTGRES=postgres://… cargo bench -p desk-core --bench team_journal_search [-- N]`
//! (see the README). The seeded database (`dd_bench_N`) is kept for the next run; seeding a
//! million takes a few minutes.

mod common;
#[path = "common/team_database.rs"]
mod team_database;

use desk_core::journal::PgJournal;

const ENTRIES: i64 = 1_000_000;

fn main() {
    let admin = std::env::var("DD_TEST_POSTGRES")
        .expect("DD_TEST_POSTGRES=postgres://user:password@host:port/postgres");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // cargo bench passes `--bench` to every bench target; a number is the entries wanted.
    let entries = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(ENTRIES);
    let url = rt.block_on(team_database::prepare(&admin, entries));
    let journal = rt.block_on(PgJournal::connect(&url)).unwrap();
    let worst = common::measure_all(&rt, &journal, &format!("all {entries}"));
    println!("worst median: {:.2} ms", worst.as_secs_f64() * 1e3);
}
