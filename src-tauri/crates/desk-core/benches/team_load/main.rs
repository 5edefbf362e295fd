//! Team mode at scale: N desks on one PostgreSQL team journal and one demo gateway, each a desk
//! core on its own runtime and thread with its own pool and listener, its operator working at
//! the stated pace and its window reloading on every change, as the app's does. Needs a server:
//! `DD_TEST_POSTGRES=postgres://… cargo bench -p desk-core --bench team_load -- [--desks
//! 10,25,50,100] [--seconds 60] [--pace 5] [--entries 1000000]`. The journal is the one
//! `team_journal_search` seeds (`dd_bench_N`, kept between runs); the load adds its own
//! entries to it. Prints a Markdown row per N; ARCHITECTURE.md (Budgets) has the budgets.

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../common/team_database.rs"]
mod team_database;

mod desk;
mod figures;
mod steps;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk::{Plan, Screen};
use desk_core::journal::Role;
use desk_core::DemoAccess;
use vpws_sim::{DemoGateway, SimConfig};

struct Options {
    desks: Vec<usize>,
    seconds: u64,
    pace: f64,
    entries: i64,
}

fn options() -> Options {
    let mut options = Options {
        desks: vec![10, 25, 50, 100],
        seconds: 60,
        pace: 5.0,
        entries: 1_000_000,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.windows(2) {
        match pair[0].as_str() {
            "--desks" => options.desks = pair[1].split(',').map(|n| n.parse().unwrap()).collect(),
            "--seconds" => options.seconds = pair[1].parse().unwrap(),
            "--pace" => options.pace = pair[1].parse().unwrap(),
            "--entries" => options.entries = pair[1].parse().unwrap(),
            _ => {}
        }
    }
    options
}

fn main() {
    let options = options();
    let admin = std::env::var("DD_TEST_POSTGRES")
        .expect("DD_TEST_POSTGRES=postgres://user:password@host:port/postgres");
    steps::install();
    // The gateway and the benchmark's own work (preparing, sampling connections) share a
    // runtime; each desk has its own.
    let shared = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let url = shared.block_on(team_database::prepare(&admin, options.entries));
    let owner = common::owner_url(&url);
    let gateway = shared.block_on(DemoGateway::start(SimConfig {
        refund_same_day_allowed: true,
        ..SimConfig::default()
    }));
    let gateway = gateway.unwrap();
    let dealer = &gateway.data().dealers[0];
    let demo = DemoAccess {
        dealer_name: dealer.name.clone(),
        base_url: gateway.base_url(),
        api_key: dealer.api_key.clone(),
        secret_key: dealer.secret_key.clone(),
    };
    shared.block_on(figures::staff(&url, &demo));
    println!(
        "Each desk's operator acts every {} s on average (payments 30 %, searches 25 %, lookups \
         15 %, reports 10 %, refunds 10 %, cancels 5 %, approvals 5 %); one desk in four shows \
         Transactions (first page and totals reload on every change), one in four Reports \
         (today), the rest the payment form. One in five desks is a supervisor, the rest back \
         office (cancels above {} need a supervisor). {} s per row.\n",
        options.pace,
        desk::BACK_OFFICE_LIMIT,
        options.seconds
    );
    println!("{}", figures::HEADER);
    for &desks in &options.desks {
        let row = figures::measure(&shared, &owner, &url, desks, || {
            run_desks(desks, &url, &demo, &options)
        });
        println!("{row}");
    }
    drop(gateway);
}

/// Runs `count` desks for the stated time: what each saw.
fn run_desks(count: usize, url: &str, demo: &DemoAccess, options: &Options) -> figures::Run {
    let ready = Arc::new(std::sync::Barrier::new(count + 1));
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..count)
        .map(|index| {
            let plan = Plan {
                index,
                url: url.to_owned(),
                demo: demo.clone(),
                pace: options.pace,
                role: if index % 5 == 0 {
                    Role::Supervisor
                } else {
                    Role::BackOffice
                },
                screen: match index % 4 {
                    1 => Screen::Transactions,
                    3 => Screen::Reports,
                    _ => Screen::Payment,
                },
            };
            let (ready, stop) = (ready.clone(), stop.clone());
            std::thread::Builder::new()
                .name(format!("desk-{index}"))
                .spawn(move || desk::run(plan, ready, stop))
                .unwrap()
        })
        .collect();
    ready.wait();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(options.seconds));
    stop.store(true, Ordering::Relaxed);
    let (seconds, stopped_at) = (started.elapsed().as_secs_f64(), chrono::Utc::now());
    figures::Run {
        tallies: threads.into_iter().map(|t| t.join().unwrap()).collect(),
        seconds,
        stopped_at,
    }
}
