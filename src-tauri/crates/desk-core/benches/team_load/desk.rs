//! One desk of the load: a desk core on its own runtime and thread, with its own pool and
//! listener, an operator at it acting at the stated pace, and its window reloading what its
//! screen shows whenever the journal tells it of a change (as the app's window does).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use desk_core::dto::*;
use desk_core::error::AppResult;
use desk_core::host::MemoryHost;
use desk_core::journal::{Filter, PageQuery, PgJournal, Role};
use desk_core::settings::Language;
use desk_core::{DemoAccess, Desk};

use crate::common::{no_3d, payment, today_in_istanbul};
use tokio::sync::broadcast::error::RecvError;

/// What an operator does, and what a window reloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Payment,
    Lookup,
    Search,
    Report,
    Refund,
    Cancel,
    /// A back-office cancel above its limit: a request for a supervisor.
    ApprovalRequest,
    /// A supervisor deciding the oldest request (which sends the cancel).
    ApprovalDecision,
    /// The window's list reloading on a change: its first page...
    ReloadList,
    /// ...and the totals under it.
    ReloadTotals,
    ReloadReport,
}

/// The operator's mix, in percent of actions; the rest (of 100) are searches.
const MIX: [(Action, u32); 6] = [
    (Action::Payment, 30),
    (Action::Lookup, 15),
    (Action::Report, 10),
    (Action::Refund, 10),
    (Action::Cancel, 5),
    (Action::ApprovalRequest, 5),
];

/// What a window shows while the operator works: which lists reload on a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Payment,
    Transactions,
    Reports,
}

pub struct Plan {
    pub index: usize,
    pub url: String,
    pub demo: DemoAccess,
    /// Mean seconds between two actions of the operator (exponentially distributed).
    pub pace: f64,
    pub role: Role,
    pub screen: Screen,
}

#[derive(Default)]
pub struct Tally {
    /// Every action: what, how long, and its error code if it failed.
    pub actions: Vec<(Action, Duration, Option<&'static str>)>,
    /// Entries this desk's window was told of, and when (wall clock, as the journal's times).
    pub told: Vec<(i64, DateTime<Utc>)>,
    /// The journal told of changes the benchmark could not follow (a lagging listener).
    pub lost_track: u32,
    /// The desk could not start (no connection, sign-in refused).
    pub start_error: Option<&'static str>,
}

pub const SUPERVISOR: (&str, &str) = ("Zeynep", "111111");
pub const BACK_OFFICE: (&str, &str) = ("Ayşe", "3333");
/// The back office's refund limit: cancels above it need a supervisor.
pub const BACK_OFFICE_LIMIT: &str = "1000";

/// Runs the desk on this thread until `stop`, after `ready` says every desk has started.
pub fn run(plan: Plan, ready: Arc<std::sync::Barrier>, stop: Arc<AtomicBool>) -> Tally {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let desk = match start(&plan).await {
            Ok(desk) => Arc::new(desk),
            Err(code) => {
                ready.wait();
                return Tally {
                    start_error: Some(code),
                    ..Tally::default()
                };
            }
        };
        let tally = Arc::new(Mutex::new(Tally::default()));
        let following = tokio::spawn(follow(desk.clone(), plan.screen, tally.clone()));
        tokio::task::spawn_blocking(move || ready.wait())
            .await
            .unwrap();
        operate(&desk, &plan, &stop, &tally).await;
        // The last changes reach the window before the desk closes.
        tokio::time::sleep(Duration::from_secs(2)).await;
        following.abort();
        let taken = std::mem::take(&mut *tally.lock().unwrap());
        taken
    })
}

fn code(e: desk_core::error::AppError) -> &'static str {
    e.code.into()
}

async fn start(plan: &Plan) -> Result<Desk, &'static str> {
    let journal = PgJournal::connect(&plan.url).await.map_err(code)?;
    let desk = Desk::new(
        Arc::new(MemoryHost::default()),
        Arc::new(journal),
        plan.demo.clone(),
        Language::Turkish,
        None,
    )
    .map_err(code)?;
    let (name, pin) = match plan.role {
        Role::Supervisor => SUPERVISOR,
        _ => BACK_OFFICE,
    };
    let status = desk.staff_status().await.map_err(code)?;
    let operator = status
        .names
        .iter()
        .find(|n| n.name == name)
        .ok_or("no_operator")?;
    desk.sign_in(SignInInput {
        operator_id: operator.id,
        pin: pin.into(),
    })
    .await
    .map_err(code)?;
    Ok(desk)
}

/// The window: told of every change, it reloads what its screen shows.
async fn follow(desk: Arc<Desk>, screen: Screen, tally: Arc<Mutex<Tally>>) {
    let mut heard = desk
        .journal()
        .changes()
        .expect("the team journal announces");
    // The desk's follower drains the same announcements in the same order: the first
    // `entries` ids announced and not told yet are those a change tells of.
    let pending: Arc<Mutex<VecDeque<i64>>> = Arc::default();
    {
        let (pending, tally) = (pending.clone(), tally.clone());
        tokio::spawn(async move {
            loop {
                match heard.recv().await {
                    Ok(id) if id > 0 => pending.lock().unwrap().push_back(id),
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => tally.lock().unwrap().lost_track += 1,
                    Err(RecvError::Closed) => return,
                }
            }
        });
    }
    // Reloads one at a time, as the window's lists do; changes told meanwhile make one more.
    let (reload, mut reloads) = tokio::sync::mpsc::unbounded_channel::<()>();
    {
        let (desk, tally) = (desk.clone(), tally.clone());
        tokio::spawn(async move {
            while reloads.recv().await.is_some() {
                while reloads.try_recv().is_ok() {}
                reload_screen(&desk, screen, &tally).await;
            }
        });
    }
    let tell = |change: &JournalChange| {
        let now = Utc::now();
        let mut pending = pending.lock().unwrap();
        let mut tally = tally.lock().unwrap();
        for _ in 0..change.entries {
            match pending.pop_front() {
                Some(id) => tally.told.push((id, now)),
                None => break,
            }
        }
        let _ = reload.send(());
    };
    desk.follow_journal(tell).await;
}

/// What the window reloads on a change: the Transactions screen's first page and its totals
/// (no filter, as the screen opens), or the Reports screen's today.
async fn reload_screen(desk: &Desk, screen: Screen, tally: &Mutex<Tally>) {
    match screen {
        Screen::Payment => {}
        Screen::Transactions => {
            let list = timed(
                Action::ReloadList,
                desk.journal_search(first_page(Filter::default())),
            );
            let totals = timed(Action::ReloadTotals, desk.journal_totals(Filter::default()));
            let (list, totals) = tokio::join!(list, totals);
            tally.lock().unwrap().actions.extend([list, totals]);
        }
        Screen::Reports => {
            let report = timed(
                Action::ReloadReport,
                desk.journal_report(today_in_istanbul()),
            )
            .await;
            tally.lock().unwrap().actions.push(report);
        }
    }
}

async fn timed<T>(
    action: Action,
    work: impl std::future::Future<Output = AppResult<T>>,
) -> (Action, Duration, Option<&'static str>) {
    let started = Instant::now();
    let result = work.await;
    (
        action,
        started.elapsed(),
        result.err().map(|e| e.code.into()),
    )
}

fn first_page(filter: Filter) -> PageQuery {
    PageQuery {
        filter,
        offset: 0,
        limit: 100,
    }
}

/// A payment this desk took and may still reverse.
struct Paid {
    reference: String,
    amount: rust_decimal::Decimal,
    remaining: String,
    /// Refunded in part: the bank no longer cancels it.
    refunded: bool,
}

/// The operator: an action at the stated pace, chosen by the mix, until `stop`.
async fn operate(desk: &Desk, plan: &Plan, stop: &AtomicBool, tally: &Mutex<Tally>) {
    let mut random = Random::new(plan.index as u64 + 1);
    let mut paid: VecDeque<Paid> = VecDeque::new();
    let mut orders = 0u32;
    let nonce = Utc::now().timestamp_millis();
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_secs_f64(random.exponential(plan.pace))).await;
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let mut action = random.pick();
        // Reversals need a payment of this desk's; without one the operator searches. A
        // payment refunded in part is refunded again, not cancelled (the bank refuses that).
        if matches!(
            action,
            Action::Lookup | Action::Refund | Action::Cancel | Action::ApprovalRequest
        ) && paid.is_empty()
        {
            action = Action::Search;
        }
        let cancels = action == Action::Cancel
            || (action == Action::ApprovalRequest && plan.role == Role::BackOffice);
        if cancels && paid.front().is_some_and(|p| p.refunded) {
            action = Action::Refund;
        }
        let started = Instant::now();
        let result: AppResult<()> = match action {
            Action::Payment => {
                orders += 1;
                let order = format!("LOAD-{nonce}-{}-{orders}", plan.index);
                let amount = format!("{}.00", 100 + random.below(1900));
                let card = if random.below(10) == 0 {
                    test_kit::DECLINE
                } else {
                    test_kit::APPROVE
                };
                desk.pay_with(payment(&order, &amount, card), no_3d)
                    .await
                    .map(|outcome| {
                        if let Some(tx) = outcome
                            .transaction
                            .filter(|_| outcome.outcome == desk_core::journal::Outcome::Success)
                        {
                            paid.push_back(Paid {
                                reference: tx.reference_code,
                                amount: amount.parse().unwrap(),
                                remaining: tx.remaining.to_string(),
                                refunded: false,
                            });
                        }
                    })
            }
            Action::Lookup => {
                let chosen = &paid[random.below(paid.len() as u64) as usize];
                desk.lookup(LookupKey::ReferenceCode(chosen.reference.clone()))
                    .await
                    .map(|_| ())
            }
            Action::Search => desk
                .journal_search(first_page(search_filter(&mut random)))
                .await
                .map(|_| ()),
            Action::Report => desk.journal_report(today_in_istanbul()).await.map(|_| ()),
            Action::Refund => {
                let mut chosen = paid.pop_front().unwrap();
                let amount = format!("{}.00", 10 + random.below(40));
                let refunded = desk
                    .refund(RefundInput {
                        email_customer: None,
                        order_reference: None,
                        reference_code: chosen.reference.clone(),
                        amount,
                        reason: "iade".into(),
                        remaining_seen: chosen.remaining.clone(),
                    })
                    .await;
                refunded.map(|screen| {
                    chosen.remaining = screen.transaction.remaining.to_string();
                    chosen.refunded = true;
                    paid.push_back(chosen);
                })
            }
            Action::Cancel | Action::ApprovalRequest => {
                let chosen = paid.pop_front().unwrap();
                let cancel = CancelInput {
                    email_customer: None,
                    order_reference: None,
                    reference_code: chosen.reference.clone(),
                    reason: "vazgeçti".into(),
                    remaining_seen: chosen.remaining.clone(),
                };
                let above_limit = chosen.amount > BACK_OFFICE_LIMIT.parse().unwrap();
                match plan.role {
                    Role::Supervisor if action == Action::ApprovalRequest => {
                        // A supervisor decides the oldest request instead, keeping the payment.
                        paid.push_front(chosen);
                        action = Action::ApprovalDecision;
                        decide_oldest(desk).await
                    }
                    Role::BackOffice if above_limit => {
                        action = Action::ApprovalRequest;
                        desk.request_cancel_approval(cancel).await.map(|_| ())
                    }
                    _ => {
                        action = Action::Cancel;
                        desk.cancel(cancel).await.map(|_| ())
                    }
                }
            }
            _ => Ok(()),
        };
        if let Err(e) = &result {
            eprintln!(
                "desk {}: {action:?}: {:?} {}",
                plan.index, e.code, e.message
            );
        }
        let error = result.err().map(code);
        tally
            .lock()
            .unwrap()
            .actions
            .push((action, started.elapsed(), error));
    }
}

/// A supervisor approves the oldest request still waiting (which sends its cancel).
async fn decide_oldest(desk: &Desk) -> AppResult<()> {
    let waiting = desk.approvals().await?;
    let Some(oldest) = waiting
        .iter()
        .filter(|a| a.status == desk_core::model::ApprovalStatus::Pending)
        .min_by_key(|a| a.id)
    else {
        return Ok(());
    };
    desk.decide_approval(DecisionInput {
        email_customer: None,
        approval_id: oldest.id,
        approve: true,
        note: "onaylandı".into(),
    })
    .await
    .map(|_| ())
}

/// What an operator looks for: a customer, a surname, reference digits, a card's last four.
fn search_filter(random: &mut Random) -> Filter {
    let text = match random.below(4) {
        0 => format!("musteri{}", random.below(997)),
        1 => "mehmet".to_owned(),
        2 => format!("{:07}", random.below(1_000_000)),
        _ => "iadesi".to_owned(),
    };
    Filter {
        text: Some(text),
        ..Filter::default()
    }
}

/// A small deterministic generator (xorshift64*): each desk its own sequence.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Self {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Exponentially distributed with this mean: the pause before the next action.
    fn exponential(&mut self, mean: f64) -> f64 {
        let uniform = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        -mean * (1.0 - uniform).ln()
    }

    fn pick(&mut self) -> Action {
        let mut roll = self.below(100) as u32;
        for (action, share) in MIX {
            if roll < share {
                return action;
            }
            roll -= share;
        }
        Action::Search
    }
}
