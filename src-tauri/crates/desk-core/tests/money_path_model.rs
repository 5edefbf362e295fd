//! The money path, model-based: random sequences of what a dealer's staff do (pay, refund part or
//! the rest, cancel, check again, check pending, restart the app) against the real demo gateway
//! while it loses answers at random (drops before and after processing, timeouts, 5xx, garbage,
//! refusals before processing, queries that lag behind commits). On one desk, and on several
//! desks sharing one journal (a SQLite file; the PostgreSQL team database, which also drops and
//! comes back), with pairs of steps on different desks run at the same time.
//!
//! After every step it asserts what must hold even mid-failure:
//! - the gateway never holds two payments for one order reference;
//! - the gateway's refunds of a transaction are a subsequence of what the operator confirmed, and
//!   it holds no more cancels than the operator asked for;
//! - nothing the gateway applied (or may still apply) is journaled failed, not charged or not
//!   sent, and nothing journaled successful is missing at the gateway.
//!
//! At the end the faults stop, the bank's open 3D steps expire and reconciliation runs: the
//! journal and the gateway must then agree, with nothing left in doubt.
//!
//! The test command runs a fixed seed. A longer run by hand:
//! `MONEY_MODEL_CASES=300 MONEY_MODEL_SEED=7 cargo nextest run -p desk-core --test
//! money_path_model --no-capture` (the counts are printed at the end; the several-desk runs
//! take a third of the cases each).
mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use desk_core::dto::*;
use desk_core::journal::{Entry, EntryKind, Filter, Journal, Outcome, PgJournal, SqliteJournal};
use desk_core::verdict::SettlingWindow;
use desk_core::{Desk, ReconcilePolicy, ThreeDEnd};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use rust_decimal::Decimal;
use vpws_sim::config::DuplicatePolicy;
use vpws_sim::{Endpoint, Fault, FaultKind, ReversalKind, SimConfig, TransactionSummary};

/// The client gives up after this long; a `Delay` fault is longer.
const CLIENT_TIMEOUT: Duration = Duration::from_millis(250);
const SLOW_ANSWER_MS: u64 = 400;
/// "Not found" for this long over at least three checks means not charged. It must outlast the
/// worst case the faults can make: a request processed `SLOW_ANSWER_MS` after it was sent (the
/// client gave up at `CLIENT_TIMEOUT`) and then hidden for the longest lag.
const SETTLING: Duration = Duration::from_millis(700);
const LAGS_MS: [u64; 3] = [0, 100, 200];

// ------------------------------------------------------------------------------------ steps

#[derive(Clone, Debug)]
enum Step {
    Pay {
        order: OrderChoice,
        amount: &'static str,
        card: CardPlay,
    },
    Refund {
        pick: Index,
        part: Part,
    },
    Cancel {
        pick: Index,
    },
    /// The operator presses "confirm" again on a cancel or refund that ended in an error: the
    /// same intention, not a new one.
    ConfirmAgain,
    CheckPayment {
        pick: Index,
    },
    CheckPending,
    Restart,
    Inject(FaultPlan),
    Lag(u64),
    Wait(u64),
    /// The team database drops every connection and refuses new ones (PostgreSQL runs only).
    CutJournal,
    JournalBack,
}

/// A step on one desk (`desk` picks among the desks sharing the journal), or two at once.
#[derive(Clone, Debug)]
enum Move {
    One(Index, Step),
    Together(Index, Step, Index, Step),
}

#[derive(Clone, Debug)]
enum OrderChoice {
    /// A new order reference, as the payment form issues.
    Fresh,
    /// An earlier order's reference typed again (the operator retries that order).
    Again(Index),
}

#[derive(Clone, Copy, Debug)]
enum CardPlay {
    Approved,
    Declined,
    /// The cardholder types the right one-time password.
    ChallengeRight,
    ChallengeWrong,
    /// The operator closes the bank's window.
    ChallengeClosed,
    Frictionless,
}

#[derive(Clone, Debug)]
enum Part {
    Amount(&'static str),
    /// "Refund the rest": the remaining amount the operator saw.
    Rest,
}

#[derive(Clone, Debug)]
struct FaultPlan {
    endpoint: Endpoint,
    kind: FaultKind,
    after_processing: bool,
    times: u32,
    skip: u32,
}

fn fault_plan() -> impl Strategy<Value = FaultPlan> {
    let endpoint = prop::sample::select(vec![
        Endpoint::Token,
        Endpoint::Payment,
        Endpoint::Transaction,
        Endpoint::Cancel,
        Endpoint::Refund,
    ]);
    let kind = prop_oneof![
        3 => Just(FaultKind::DropConnection),
        2 => Just(FaultKind::Delay { ms: SLOW_ANSWER_MS }),
        1 => Just(FaultKind::Malformed),
        1 => prop::sample::select(vec![500u16, 502, 503, 504]).prop_map(|status| FaultKind::Status { status }),
        // The gateway refuses these before doing anything (its documented validation): never after processing.
        1 => prop::sample::select(vec![401u16, 429]).prop_map(|status| FaultKind::Status { status }),
    ];
    (endpoint, kind, any::<bool>(), 1..=3u32, 0..=2u32).prop_map(
        |(endpoint, kind, after, times, skip)| {
            let refused_before = matches!(kind, FaultKind::Status { status: 401 | 429 });
            FaultPlan {
                endpoint,
                after_processing: after && !refused_before,
                kind,
                times,
                skip,
            }
        },
    )
}

fn step() -> impl Strategy<Value = Step> {
    let card = prop::sample::select(vec![
        CardPlay::Approved,
        CardPlay::Approved,
        CardPlay::Declined,
        CardPlay::ChallengeRight,
        CardPlay::ChallengeWrong,
        CardPlay::ChallengeClosed,
        CardPlay::Frictionless,
    ]);
    let order = prop_oneof![
        4 => Just(OrderChoice::Fresh),
        1 => any::<Index>().prop_map(OrderChoice::Again),
    ];
    let amount = prop::sample::select(vec!["100", "250.50", "1000", "35.10"]);
    let part = prop_oneof![
        2 => prop::sample::select(vec!["10", "30", "0.01", "99.99"]).prop_map(Part::Amount),
        1 => Just(Part::Rest),
    ];
    prop_oneof![
        6 => (order, amount, card).prop_map(|(order, amount, card)| Step::Pay { order, amount, card }),
        4 => (any::<Index>(), part).prop_map(|(pick, part)| Step::Refund { pick, part }),
        2 => any::<Index>().prop_map(|pick| Step::Cancel { pick }),
        2 => Just(Step::ConfirmAgain),
        1 => any::<Index>().prop_map(|pick| Step::CheckPayment { pick }),
        2 => Just(Step::CheckPending),
        1 => Just(Step::Restart),
        6 => fault_plan().prop_map(Step::Inject),
        1 => prop::sample::select(LAGS_MS.to_vec()).prop_map(Step::Lag),
        1 => prop::sample::select(vec![100u64, 400, 800]).prop_map(Step::Wait),
    ]
}

/// What the staff of `desks` desks do; the team database drops only when `journal_faults`.
fn a_move(desks: usize, journal_faults: bool) -> BoxedStrategy<Move> {
    let one = (any::<Index>(), step()).prop_map(|(d, s)| Move::One(d, s));
    if desks == 1 {
        return one.boxed();
    }
    let together = (any::<Index>(), step(), any::<Index>(), step())
        .prop_map(|(a, s, b, t)| Move::Together(a, s, b, t));
    // Two desks reversing the same order at once: the case reservations and leases exist for.
    let part = prop_oneof![
        2 => prop::sample::select(vec!["10", "30"]).prop_map(Part::Amount),
        1 => Just(Part::Rest),
    ];
    let race = (
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        part,
        any::<bool>(),
    )
        .prop_map(|(a, b, pick, part, cancel)| {
            let second = if cancel {
                Step::Cancel { pick }
            } else {
                Step::Refund {
                    pick,
                    part: part.clone(),
                }
            };
            Move::Together(a, Step::Refund { pick, part }, b, second)
        });
    let journal = (
        any::<Index>(),
        prop_oneof![Just(Step::CutJournal), Just(Step::JournalBack)],
    )
        .prop_map(|(d, s)| Move::One(d, s));
    if journal_faults {
        prop_oneof![6 => one, 3 => together, 2 => race, 1 => journal].boxed()
    } else {
        prop_oneof![6 => one, 3 => together, 2 => race].boxed()
    }
}

// ------------------------------------------------------------------------------------ counts

/// What the runs did, printed at the end (the note reports these).
#[derive(Default, Debug)]
struct Counts {
    cases: u32,
    steps: BTreeMap<&'static str, u32>,
    payment_outcomes: BTreeMap<String, u32>,
    errors: BTreeMap<String, u32>,
    faults_injected: u32,
    gateway_payments: u32,
    gateway_refunds: u32,
    gateway_cancels: u32,
    settled_at_the_end: u32,
    reconcile_rounds_at_the_end: u32,
}

impl Counts {
    fn step(&mut self, name: &'static str) {
        *self.steps.entry(name).or_default() += 1;
    }

    fn error(&mut self, code: &str) {
        *self.errors.entry(code.to_owned()).or_default() += 1;
    }
}

// ------------------------------------------------------------------------------------ the world

/// Where the desks' journal is.
enum Store {
    /// One file every desk opens.
    SqliteFile(PathBuf),
    /// The team database, reached by the desks through a proxy that can cut it.
    Postgres {
        through_proxy: String,
        proxy: test_kit::proxy::CutProxy,
    },
}

struct World {
    f: Fixture,
    _dir: tempfile::TempDir,
    store: Store,
    desks: Mutex<Vec<Arc<Desk>>>,
    /// The journal as the checks read it (never through the proxy).
    journal: Arc<dyn Journal>,
    /// Every order reference a payment was attempted with, in order.
    orders: Mutex<Vec<String>>,
    /// Per gateway reference code: the refund amounts an operator confirmed, in order.
    refunds_confirmed: Mutex<BTreeMap<String, Vec<Decimal>>>,
    cancels_confirmed: Mutex<BTreeMap<String, u32>>,
    /// The last cancel or refund that ended in an error, as the form still holds it.
    failed_reversal: Mutex<Option<ReversalForm>>,
    counts: Mutex<Counts>,
}

#[derive(Clone)]
enum ReversalForm {
    Refund(RefundInput),
    Cancel(CancelInput),
}

fn policy() -> ReconcilePolicy {
    ReconcilePolicy {
        window: SettlingWindow {
            duration: SETTLING,
            min_checks: 3,
        },
        ..test_policy()
    }
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// How the journal is shared.
#[derive(Clone, Copy, Debug)]
enum Sharing {
    SqliteFile,
    Postgres,
}

impl World {
    async fn new(desks: usize, sharing: Sharing) -> Self {
        let f = fixture().await;
        f.gw.set_config(SimConfig {
            // The gateway would take a second payment for one order: the desk must never send it.
            duplicate_order_reference: DuplicatePolicy::Allow,
            ..SimConfig::default()
        });
        let dir = tempfile::tempdir().unwrap();
        let (store, journal): (Store, Arc<dyn Journal>) = match sharing {
            Sharing::SqliteFile => {
                let path = dir.path().join("journal.sqlite");
                let journal = Arc::new(SqliteJournal::open(&path).unwrap());
                (Store::SqliteFile(path), journal)
            }
            Sharing::Postgres => {
                let (proxy, through_proxy, direct) = database_behind_a_proxy("dd_model").await;
                let journal = Arc::new(PgJournal::connect(&direct).await.unwrap());
                let store = Store::Postgres {
                    through_proxy,
                    proxy,
                };
                (store, journal)
            }
        };
        let world = Self {
            f,
            _dir: dir,
            store,
            desks: Mutex::new(Vec::new()),
            journal,
            orders: Mutex::new(Vec::new()),
            refunds_confirmed: Mutex::new(BTreeMap::new()),
            cancels_confirmed: Mutex::new(BTreeMap::new()),
            failed_reversal: Mutex::new(None),
            counts: Mutex::new(Counts::default()),
        };
        for _ in 0..desks {
            let desk = world.open_desk().await;
            world.desks.lock().unwrap().push(desk);
        }
        world
    }

    async fn open_desk(&self) -> Arc<Desk> {
        let desk = match &self.store {
            Store::SqliteFile(path) => desk_on(&self.f, SqliteJournal::open(path).unwrap()),
            Store::Postgres { through_proxy, .. } => {
                desk_on(&self.f, PgJournal::connect(through_proxy).await.unwrap())
            }
        };
        Arc::new(
            desk.with_reconcile_policy(policy())
                .with_request_timeout(CLIENT_TIMEOUT),
        )
    }

    fn desk(&self, pick: &Index) -> Arc<Desk> {
        let desks = self.desks.lock().unwrap();
        desks[pick.index(desks.len())].clone()
    }

    fn every_desk(&self) -> Vec<Arc<Desk>> {
        self.desks.lock().unwrap().clone()
    }

    fn count(&self, record: impl FnOnce(&mut Counts)) {
        record(&mut self.counts.lock().unwrap());
    }

    fn pick(&self, pick: &Index) -> Option<String> {
        let orders = self.orders.lock().unwrap();
        (!orders.is_empty()).then(|| orders[pick.index(orders.len())].clone())
    }

    fn cut_journal(&self, cut: bool) {
        if let Store::Postgres { proxy, .. } = &self.store {
            if cut {
                proxy.cut();
            } else {
                proxy.restore();
            }
        }
    }

    async fn play(&self, a_move: &Move) -> Result<(), TestCaseError> {
        match a_move {
            Move::One(desk, step) => self.run(desk, step).await?,
            Move::Together(a, first, b, second) => {
                self.count(|c| c.step("together"));
                let (one, other) = tokio::join!(self.run(a, first), self.run(b, second));
                one?;
                other?;
            }
        }
        self.check_safety().await
    }

    async fn run(&self, desk: &Index, step: &Step) -> Result<(), TestCaseError> {
        match step {
            Step::Pay {
                order,
                amount,
                card,
            } => {
                self.count(|c| c.step("pay"));
                let order = match order {
                    OrderChoice::Fresh => self.desk(desk).new_order_reference().await.unwrap(),
                    OrderChoice::Again(pick) => match self.pick(pick) {
                        Some(order) => order,
                        None => return Ok(()),
                    },
                };
                self.pay(desk, &order, amount, *card).await?;
            }
            Step::Refund { pick, part } => {
                self.count(|c| c.step("refund"));
                if let Some(order) = self.pick(pick) {
                    self.reverse(desk, &order, Some(part)).await;
                }
            }
            Step::Cancel { pick } => {
                self.count(|c| c.step("cancel"));
                if let Some(order) = self.pick(pick) {
                    self.reverse(desk, &order, None).await;
                }
            }
            Step::ConfirmAgain => {
                self.count(|c| c.step("confirm again"));
                let form = self.failed_reversal.lock().unwrap().clone();
                if let Some(form) = form {
                    self.send_reversal(desk, form).await;
                }
            }
            Step::CheckPayment { pick } => {
                self.count(|c| c.step("check payment"));
                if let Some(order) = self.pick(pick) {
                    match self.desk(desk).check_payment(order.clone()).await {
                        Ok(outcome) => self.approved_means_charged(&outcome)?,
                        Err(e) => self.count(|c| c.error(e.code.as_str())),
                    }
                }
            }
            Step::CheckPending => {
                self.count(|c| c.step("check pending"));
                if let Err(e) = self.desk(desk).reconcile_pending().await {
                    self.count(|c| c.error(e.code.as_str()));
                }
            }
            Step::Restart => {
                self.count(|c| c.step("restart"));
                // The app starts again once the team database answers.
                self.cut_journal(false);
                let fresh = self.open_desk().await;
                {
                    let mut desks = self.desks.lock().unwrap();
                    let at = desk.index(desks.len());
                    desks[at] = fresh.clone();
                }
                // The app reconciles at start-up.
                if let Err(e) = fresh.reconcile_pending().await {
                    self.count(|c| c.error(e.code.as_str()));
                }
            }
            Step::Inject(plan) => {
                self.count(|c| {
                    c.step("fault");
                    c.faults_injected += 1;
                });
                let mut fault = Fault::new(plan.endpoint, plan.kind.clone())
                    .times(plan.times)
                    .after_requests(plan.skip);
                if plan.after_processing {
                    fault = fault.after_processing();
                }
                self.f.gw.add_fault(fault);
            }
            Step::Lag(ms) => {
                self.count(|c| c.step("lag"));
                self.f.gw.set_config(SimConfig {
                    query_lag_ms: *ms,
                    ..self.f.gw.config()
                });
            }
            Step::Wait(ms) => {
                self.count(|c| c.step("wait"));
                tokio::time::sleep(Duration::from_millis(*ms)).await;
            }
            Step::CutJournal => {
                self.count(|c| c.step("journal cut"));
                self.cut_journal(true);
            }
            Step::JournalBack => {
                self.count(|c| c.step("journal back"));
                self.cut_journal(false);
            }
        }
        Ok(())
    }

    async fn pay(
        &self,
        desk: &Index,
        order: &str,
        amount: &str,
        card: CardPlay,
    ) -> Result<(), TestCaseError> {
        {
            let mut orders = self.orders.lock().unwrap();
            if !orders.iter().any(|o| o == order) {
                orders.push(order.to_owned());
            }
        }
        let input = match card {
            CardPlay::Approved => payment(order, amount, APPROVE),
            CardPlay::Declined => payment(order, amount, DECLINE),
            CardPlay::Frictionless => payment_3d(order, amount, FRICTIONLESS),
            _ => payment_3d(order, amount, CHALLENGE),
        };
        let desk = self.desk(desk);
        let _ = desk.dismiss_payment().await;
        let result = desk
            .pay_with(input, move |redirect, _return| cardholder(card, redirect))
            .await;
        match result {
            Ok(outcome) => {
                self.count(|c| {
                    *c.payment_outcomes
                        .entry(format!("{:?}", outcome.outcome))
                        .or_default() += 1
                });
                self.approved_means_charged(&outcome)
            }
            Err(e) => {
                self.count(|c| c.error(e.code.as_str()));
                Ok(())
            }
        }
    }

    /// A refund (`part`) or a cancel (`None`) of `order`'s transaction, as the operator does it:
    /// look it up, confirm what the screen shows.
    async fn reverse(&self, desk: &Index, order: &str, part: Option<&Part>) {
        let seen = match self
            .desk(desk)
            .lookup(LookupKey::OrderReference(order.to_owned()))
            .await
        {
            Ok(view) => view,
            Err(e) => {
                self.count(|c| c.error(&format!("lookup:{}", e.code)));
                return;
            }
        };
        let reference = seen.transaction.reference_code.clone();
        let form = match part {
            Some(part) => {
                let amount = match part {
                    Part::Amount(a) => (*a).to_owned(),
                    Part::Rest => seen.transaction.remaining.to_string(),
                };
                self.refunds_confirmed
                    .lock()
                    .unwrap()
                    .entry(reference.clone())
                    .or_default()
                    .push(dec(&amount));
                ReversalForm::Refund(RefundInput {
                    email_customer: None,
                    order_reference: None,
                    reference_code: reference,
                    amount,
                    reason: "model".into(),
                    remaining_seen: seen.transaction.remaining.to_string(),
                })
            }
            None => {
                *self
                    .cancels_confirmed
                    .lock()
                    .unwrap()
                    .entry(reference.clone())
                    .or_default() += 1;
                ReversalForm::Cancel(CancelInput {
                    email_customer: None,
                    order_reference: None,
                    reference_code: reference,
                    reason: "model".into(),
                    remaining_seen: seen.transaction.remaining.to_string(),
                })
            }
        };
        self.send_reversal(desk, form).await;
    }

    async fn send_reversal(&self, desk: &Index, form: ReversalForm) {
        let desk = self.desk(desk);
        let result = match form.clone() {
            ReversalForm::Refund(input) => desk.refund(input).await,
            ReversalForm::Cancel(input) => desk.cancel(input).await,
        };
        let failed = match result {
            Ok(_) => None,
            Err(e) => {
                self.count(|c| c.error(e.code.as_str()));
                Some(form)
            }
        };
        *self.failed_reversal.lock().unwrap() = failed;
    }

    fn gateway(&self) -> Vec<TransactionSummary> {
        let orders = self.orders.lock().unwrap().clone();
        self.f
            .gw
            .transactions()
            .into_iter()
            .filter(|t| {
                t.client_order_reference
                    .as_ref()
                    .is_some_and(|o| orders.contains(o))
            })
            .collect()
    }

    async fn journal(&self) -> Vec<Entry> {
        self.journal.all(&Filter::default()).await.unwrap()
    }

    /// "Approved" on the screen means the gateway holds that charge now.
    fn approved_means_charged(&self, outcome: &PaymentOutcome) -> Result<(), TestCaseError> {
        if outcome.outcome != Outcome::Success {
            return Ok(());
        }
        let charged = self.gateway().into_iter().find(|t| {
            t.client_order_reference.as_deref() == Some(&outcome.order_reference) && is_applied(t)
        });
        prop_assert!(
            charged.is_some_and(|t| t.amount == outcome.amount.value()),
            "approved without a matching charge at the gateway: {outcome:?}"
        );
        Ok(())
    }

    async fn check_safety(&self) -> Result<(), TestCaseError> {
        let gateway = self.gateway();
        let journal = self.journal().await;
        let orders = self.orders.lock().unwrap().clone();
        for order in &orders {
            let held: Vec<_> = gateway
                .iter()
                .filter(|t| t.client_order_reference.as_ref() == Some(order))
                .collect();
            prop_assert!(held.len() <= 1, "two payments for order {order}: {held:#?}");
            let entries: Vec<_> = payments_of(&journal, order).collect();
            if held.iter().any(|t| is_applied(t) || t.awaiting_3d) {
                prop_assert!(
                    entries.iter().any(|e| !is_written_off(e.outcome)),
                    "the gateway holds order {order} but the journal wrote it off: {entries:#?}"
                );
            }
            for e in entries.iter().filter(|e| e.outcome == Outcome::Success) {
                prop_assert!(
                    held.iter()
                        .any(|t| is_applied(t) && Some(t.amount) == e.amount.map(|m| m.value())),
                    "journaled success for {order} without the charge: {e:#?} / {held:#?}"
                );
            }
        }
        let refunds_confirmed = self.refunds_confirmed.lock().unwrap().clone();
        let cancels_confirmed = self.cancels_confirmed.lock().unwrap().clone();
        for tx in &gateway {
            let reference = &tx.reference_number;
            let refunds: Vec<Decimal> = tx
                .reversals
                .iter()
                .filter(|r| r.kind == ReversalKind::Refund)
                .map(|r| r.amount)
                .collect();
            let confirmed = refunds_confirmed
                .get(reference)
                .cloned()
                .unwrap_or_default();
            prop_assert!(
                is_subsequence(&refunds, &confirmed),
                "refunds of {reference} {refunds:?} are not what the operator confirmed {confirmed:?}"
            );
            let refunded: Decimal = tx.reversals.iter().map(|r| r.amount).sum();
            prop_assert!(
                refunded <= tx.amount,
                "{reference}: {refunded} given back of a {} sale",
                tx.amount
            );
            let cancels = tx
                .reversals
                .iter()
                .filter(|r| r.kind == ReversalKind::Cancel)
                .count();
            let asked = cancels_confirmed.get(reference).copied().unwrap_or(0);
            prop_assert!(
                cancels as u32 <= asked,
                "{cancels} cancels of {reference}, {asked} asked"
            );

            let at_gateway = gateway_reversals(tx);
            let maybe = journal_reversals(&journal, reference, |o| !is_written_off(o));
            prop_assert!(
                is_sub_multiset(&at_gateway, &maybe),
                "the gateway applied reversals of {reference} the journal wrote off: gateway {at_gateway:?}, journal {maybe:?}"
            );
            let succeeded = journal_reversals(&journal, reference, |o| o == Outcome::Success);
            prop_assert!(
                is_sub_multiset(&succeeded, &at_gateway),
                "journaled reversals of {reference} the gateway does not hold: journal {succeeded:?}, gateway {at_gateway:?}"
            );
        }
        Ok(())
    }

    /// The team database comes back, faults stop, the bank's open 3D steps expire, and every
    /// desk reconciles until nothing is in doubt; then the journal and the gateway must tell
    /// the same story.
    async fn settle_and_compare(&self) -> Result<(), TestCaseError> {
        self.cut_journal(false);
        self.f.gw.clear_faults();
        self.f.gw.set_config(SimConfig {
            query_lag_ms: 0,
            ..self.f.gw.config()
        });
        self.f.gw.advance_clock(chrono::TimeDelta::minutes(20));
        let before = self.journal.count_unsettled("demo").await.unwrap();
        let mut left = before;
        // Long enough for the leases of desks that restarted meanwhile to run out.
        for _ in 0..10 {
            self.count(|c| c.reconcile_rounds_at_the_end += 1);
            for desk in self.every_desk() {
                if let Err(e) = desk.reconcile_pending().await {
                    return Err(TestCaseError::fail(format!("reconcile: {e:?}")));
                }
            }
            left = self.journal.count_unsettled("demo").await.unwrap();
            if left == 0 {
                break;
            }
            tokio::time::sleep(SETTLING + Duration::from_millis(50)).await;
        }
        let still = self.journal.unsettled("demo", 100).await;
        prop_assert_eq!(left, 0, "still in doubt: {:#?}", still);
        self.count(|c| c.settled_at_the_end += before as u32);
        self.check_safety().await?;

        let gateway = self.gateway();
        let journal = self.journal().await;
        let orders = self.orders.lock().unwrap().clone();
        for order in &orders {
            let held = gateway
                .iter()
                .find(|t| t.client_order_reference.as_ref() == Some(order));
            let successes: Vec<_> = payments_of(&journal, order)
                .filter(|e| e.outcome == Outcome::Success)
                .collect();
            prop_assert!(successes.len() <= 1, "{order} journaled successful twice");
            match held.filter(|t| is_applied(t)) {
                Some(tx) => prop_assert!(
                    successes
                        .first()
                        .is_some_and(|e| e.amount.map(|m| m.value()) == Some(tx.amount)),
                    "the gateway charged {order} but the journal says {:#?}",
                    payments_of(&journal, order).collect::<Vec<_>>()
                ),
                None => prop_assert!(
                    successes.is_empty(),
                    "journal success for {order}, no charge"
                ),
            }
        }
        for tx in &gateway {
            let at_gateway = gateway_reversals(tx);
            let succeeded =
                journal_reversals(&journal, &tx.reference_number, |o| o == Outcome::Success);
            prop_assert_eq!(
                &at_gateway,
                &succeeded,
                "reversals of {}",
                tx.reference_number
            );
            self.count(|c| {
                c.gateway_refunds += tx
                    .reversals
                    .iter()
                    .filter(|r| r.kind == ReversalKind::Refund)
                    .count() as u32;
                c.gateway_cancels += tx
                    .reversals
                    .iter()
                    .filter(|r| r.kind == ReversalKind::Cancel)
                    .count() as u32;
            });
        }
        self.count(|c| c.gateway_payments += gateway.len() as u32);
        Ok(())
    }
}

/// Plays the cardholder on the demo bank's page (or closes it).
async fn cardholder(card: CardPlay, redirect: String) -> ThreeDEnd {
    let cardholder = match card {
        CardPlay::ChallengeClosed => return ThreeDEnd::ClosedByHand,
        CardPlay::ChallengeWrong => Cardholder::Types(WRONG_OTP),
        CardPlay::Frictionless => Cardholder::Frictionless,
        _ => Cardholder::Types(RIGHT_OTP),
    };
    match test_kit::play_3d_page(&redirect, cardholder).await {
        Ok(_) => ThreeDEnd::Returned,
        Err(e) => ThreeDEnd::Failed(e),
    }
}

/// The gateway took the money (it may have been reversed since).
fn is_applied(t: &TransactionSummary) -> bool {
    !t.awaiting_3d && t.transaction_status_id != 2
}

/// Journal states that say the gateway holds nothing of this operation.
fn is_written_off(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Failed | Outcome::NotCharged | Outcome::NotSent
    )
}

fn payments_of<'a>(journal: &'a [Entry], order: &'a str) -> impl Iterator<Item = &'a Entry> {
    journal.iter().filter(move |e| {
        e.kind == EntryKind::Payment && e.order_reference.as_deref() == Some(order)
    })
}

/// The cancels and refunds the gateway applied to `tx`, as (kind, amount) counts.
fn gateway_reversals(tx: &TransactionSummary) -> Multiset {
    reversal_multiset(tx.reversals.iter().map(|r| (kind_of(r.kind), r.amount)))
}

/// The journal's cancels and refunds of `reference` whose outcome passes `keep`.
fn journal_reversals(
    journal: &[Entry],
    reference: &str,
    keep: impl Fn(Outcome) -> bool,
) -> Multiset {
    reversal_multiset(
        journal
            .iter()
            .filter(|e| {
                matches!(e.kind, EntryKind::Cancel | EntryKind::Refund)
                    && e.reference_code.as_deref() == Some(reference)
                    && keep(e.outcome)
            })
            .map(|e| (e.kind, e.amount.map(|m| m.value()).unwrap_or_default())),
    )
}

fn kind_of(kind: ReversalKind) -> EntryKind {
    match kind {
        ReversalKind::Cancel => EntryKind::Cancel,
        ReversalKind::Refund => EntryKind::Refund,
    }
}

type Multiset = BTreeMap<(String, Decimal), u32>;

fn reversal_multiset(items: impl Iterator<Item = (EntryKind, Decimal)>) -> Multiset {
    let mut set = Multiset::new();
    for (kind, amount) in items {
        *set.entry((format!("{kind:?}"), amount.normalize()))
            .or_default() += 1;
    }
    set
}

fn is_sub_multiset(small: &Multiset, big: &Multiset) -> bool {
    small
        .iter()
        .all(|(key, n)| big.get(key).copied().unwrap_or(0) >= *n)
}

fn is_subsequence(items: &[Decimal], of: &[Decimal]) -> bool {
    let mut rest = of.iter();
    items.iter().all(|item| rest.any(|c| c == item))
}

// ------------------------------------------------------------------------------------ the run

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `cases` random sequences (a third of `MONEY_MODEL_CASES` on several desks) on `desks`
/// desks sharing a journal as `sharing` says.
fn run_model(desks: usize, sharing: Sharing, default_cases: u64) {
    let cases = match desks {
        1 => env_number("MONEY_MODEL_CASES", default_cases),
        _ => env_number("MONEY_MODEL_CASES", default_cases * 3) / 3,
    } as u32;
    let seed = env_number("MONEY_MODEL_SEED", 20261121);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: env_number("MONEY_MODEL_SHRINK_ITERS", 64) as u32,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let counts = Mutex::new(Counts::default());
    let journal_faults = matches!(sharing, Sharing::Postgres);
    let moves = prop::collection::vec(a_move(desks, journal_faults), 1..=12);
    let result = runner.run(&moves, |moves| {
        runtime.block_on(async {
            let world = World::new(desks, sharing).await;
            for a_move in &moves {
                world.play(a_move).await?;
            }
            world.settle_and_compare().await?;
            let mut tally = std::mem::take(&mut *world.counts.lock().unwrap());
            tally.cases = 1;
            counts.lock().unwrap().add(tally);
            Ok(())
        })
    });
    println!(
        "{desks} desk(s) on {sharing:?}, seed {seed}, {cases} cases: {:#?}",
        counts.lock().unwrap()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_money_path_holds_under_random_operations_and_lost_answers() {
    run_model(1, Sharing::SqliteFile, 40);
}

/// Three desks on one journal file, pairs of steps at the same time.
#[test]
fn the_money_path_holds_across_desks_sharing_a_journal_file() {
    run_model(3, Sharing::SqliteFile, 15);
}

/// Two desks on the team database, which also drops and comes back.
#[test]
fn the_money_path_holds_across_desks_on_the_team_database_as_it_drops() {
    run_model(2, Sharing::Postgres, 15);
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.cases += other.cases;
        for (k, v) in other.steps {
            *self.steps.entry(k).or_default() += v;
        }
        for (k, v) in other.payment_outcomes {
            *self.payment_outcomes.entry(k).or_default() += v;
        }
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.faults_injected += other.faults_injected;
        self.gateway_payments += other.gateway_payments;
        self.gateway_refunds += other.gateway_refunds;
        self.gateway_cancels += other.gateway_cancels;
        self.settled_at_the_end += other.settled_at_the_end;
        self.reconcile_rounds_at_the_end += other.reconcile_rounds_at_the_end;
    }
}
