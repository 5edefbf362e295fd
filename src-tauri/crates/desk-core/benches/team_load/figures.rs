//! What one row of the load reports: the money path's journal steps, searches, totals and
//! reports, how long a change took to reach every other desk's window, the connections the
//! desks held at most, and every error.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use desk_core::host::MemoryHost;
use desk_core::journal::{PgJournal, Role};
use desk_core::settings::Language;
use desk_core::{DemoAccess, Desk};

use crate::common::pg_client;
use crate::desk::{Action, Tally, BACK_OFFICE, BACK_OFFICE_LIMIT, SUPERVISOR};
use crate::steps::{self, Kind};

pub const HEADER: &str = "| Desks | Actions/s | Reserve + settle p50 / p99 | Search p50 / p99 | \
Totals p50 / p99 | Report p50 / p99 | Change seen by every desk p50 / p99 / max | Connections \
(most at once) | Errors |\n|---|---|---|---|---|---|---|---|---|";

pub struct Run {
    pub tallies: Vec<Tally>,
    pub seconds: f64,
    pub stopped_at: DateTime<Utc>,
}

/// The team's two operators, saved once: a supervisor, and back office with a limit.
pub async fn staff(url: &str, demo: &DemoAccess) {
    let desk = Desk::new(
        Arc::new(MemoryHost::default()),
        Arc::new(PgJournal::connect(url).await.unwrap()),
        demo.clone(),
        Language::Turkish,
        None,
    )
    .unwrap();
    if !desk.staff_status().await.unwrap().names.is_empty() {
        return;
    }
    for ((name, pin), role, limit) in [
        (SUPERVISOR, Role::Supervisor, None),
        (BACK_OFFICE, Role::BackOffice, Some(BACK_OFFICE_LIMIT)),
    ] {
        desk.save_operator(crate::common::operator_input(name, role, pin, limit))
            .await
            .unwrap();
    }
}

/// Runs the load (`run`) while counting the desks' connections, and reports it as a row.
pub fn measure(
    rt: &tokio::runtime::Runtime,
    owner: &str,
    url: &str,
    desks: usize,
    run: impl FnOnce() -> Run,
) -> String {
    rt.block_on(forget_earlier_loads(owner));
    steps::take();
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = rt.spawn(most_connections(url.to_owned(), sampling.clone()));
    let run = run();
    sampling.store(false, Ordering::Relaxed);
    let connections = rt.block_on(sampler).unwrap();
    let steps = steps::take();
    let written = rt.block_on(written_at(url, &steps));
    row(desks, &run, &steps, &written, connections)
}

/// Removes what earlier loads wrote (as the database's owner): the demo gateway numbers its
/// transactions from the same start in every run, and a new run must not find the last run's
/// refunds and requests on its own transactions.
async fn forget_earlier_loads(owner: &str) {
    let client = pg_client(owner).await;
    client
        .batch_execute(
            "CREATE TEMP TABLE load AS SELECT DISTINCT reference_code FROM entries
                 WHERE order_reference LIKE 'LOAD-%' AND reference_code IS NOT NULL;
             DELETE FROM entries WHERE order_reference LIKE 'LOAD-%'
                 OR reference_code IN (SELECT reference_code FROM load);
             DELETE FROM approvals WHERE reference_code IN (SELECT reference_code FROM load);",
        )
        .await
        .unwrap();
    // On its own: VACUUM does not run inside the implicit transaction of several statements.
    client
        .batch_execute("VACUUM ANALYZE entries")
        .await
        .unwrap();
}

/// The most connections the desks' account held at once, sampled every 100 ms.
async fn most_connections(url: String, sampling: Arc<AtomicBool>) -> i64 {
    let client = pg_client(&url).await;
    let user = url::Url::parse(&url).unwrap().username().to_owned();
    let mut most = 0;
    while sampling.load(Ordering::Relaxed) {
        let now: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = $1",
                &[&user],
            )
            .await
            .unwrap()
            .get(0);
        most = most.max(now - 1);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    most
}

/// When each entry the load wrote was last written (the app's own clock, as `told`).
async fn written_at(url: &str, steps: &[steps::Step]) -> HashMap<i64, DateTime<Utc>> {
    let ids: Vec<i64> = steps.iter().map(|s| s.entry).collect();
    let client = pg_client(url).await;
    client
        .query(
            "SELECT id, updated_at FROM entries WHERE id = ANY($1)",
            &[&ids],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e3)
}

fn p50_p99(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "{} / {} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    )
}

fn row(
    desks: usize,
    run: &Run,
    steps: &[steps::Step],
    written: &HashMap<i64, DateTime<Utc>>,
    connections: i64,
) -> String {
    // The journal's share of one operation: its reservation and every settling of its entry.
    let mut per_entry: HashMap<i64, (Duration, bool)> = HashMap::new();
    let mut writer: HashMap<i64, usize> = HashMap::new();
    for step in steps {
        let total = per_entry.entry(step.entry).or_default();
        total.0 += step.took;
        if step.kind == Kind::Reserve {
            total.1 = true;
            writer.insert(step.entry, step.desk);
        }
    }
    let reserve_and_settle: Vec<Duration> = per_entry
        .values()
        .filter(|(_, reserved)| *reserved)
        .map(|(took, _)| *took)
        .collect();

    let of = |wanted: &[Action]| -> Vec<Duration> {
        run.tallies
            .iter()
            .flat_map(|t| t.actions.iter())
            .filter(|(action, _, error)| wanted.contains(action) && error.is_none())
            .map(|(_, took, _)| *took)
            .collect()
    };
    let actions = run
        .tallies
        .iter()
        .flat_map(|t| t.actions.iter())
        .filter(|(a, _, _)| {
            !matches!(
                a,
                Action::ReloadList | Action::ReloadTotals | Action::ReloadReport
            )
        })
        .count();

    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for tally in &run.tallies {
        for (action, _, error) in &tally.actions {
            if let Some(code) = error {
                *errors.entry(format!("{action:?}: {code}")).or_default() += 1;
            }
        }
        if let Some(code) = tally.start_error {
            *errors.entry(format!("start: {code}")).or_default() += 1;
        }
        if tally.lost_track > 0 {
            *errors.entry("listener lagged".into()).or_default() += tally.lost_track as usize;
        }
    }

    // A change reaches every other desk's window when the last of them is told of it.
    let started: Vec<usize> = (0..run.tallies.len())
        .filter(|&d| run.tallies[d].start_error.is_none())
        .collect();
    let told: Vec<HashMap<i64, Vec<DateTime<Utc>>>> = run
        .tallies
        .iter()
        .map(|t| {
            let mut by_entry: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
            for (id, at) in &t.told {
                by_entry.entry(*id).or_default().push(*at);
            }
            by_entry
        })
        .collect();
    let mut everywhere = Vec::new();
    let mut unseen = 0usize;
    for (id, desk) in &writer {
        let Some(&at) = written.get(id).filter(|at| **at <= run.stopped_at) else {
            continue;
        };
        let mut last = Duration::ZERO;
        for &other in started.iter().filter(|&&d| d != *desk) {
            match told[other]
                .get(id)
                .and_then(|times| times.iter().filter(|t| **t >= at).min())
            {
                Some(seen) => last = last.max((*seen - at).to_std().unwrap_or_default()),
                None => unseen += 1,
            }
        }
        everywhere.push(last);
    }
    if unseen > 0 {
        *errors
            .entry("a desk never told of a change".into())
            .or_default() += unseen;
    }
    everywhere.sort();
    let error_count: usize = errors.values().sum();
    let error_text = match error_count {
        0 => "0".to_owned(),
        n => format!(
            "{n} ({})",
            errors
                .iter()
                .map(|(what, count)| format!("{what} × {count}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "| {desks} | {:.1} | {} | {} | {} | {} | {} / {} / {} ms | {connections} ({:.1} a desk) | {error_text} |",
        actions as f64 / run.seconds,
        p50_p99(reserve_and_settle),
        p50_p99(of(&[Action::Search, Action::ReloadList])),
        p50_p99(of(&[Action::ReloadTotals])),
        p50_p99(of(&[Action::Report, Action::ReloadReport])),
        ms(percentile(&everywhere, 0.5)),
        ms(percentile(&everywhere, 0.99)),
        ms(everywhere.last().copied().unwrap_or_default()),
        connections as f64 / desks as f64,
    )
}
