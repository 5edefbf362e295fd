//! In-memory gateway state: tokens, transactions, usage counters, faults and the clock.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Europe::Istanbul;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::config::{BusinessFailureStatus, SimConfig};
use crate::data::{Authorisation, DemoData, ThreeD};
use crate::endpoint::Endpoint;
use crate::failure::{code_info, Failure};
use crate::fault::Fault;

/// Company tenant that owns every dealer in the demo (the `tenantId` of transactions).
pub const COMPANY_TENANT_ID: &str = "0c7e2a91-5d44-4f0b-9e36-8a1b2c3d4e5f";

pub struct Gateway {
    pub data: DemoData,
    pub base_url: String,
    store: Mutex<Store>,
}

#[derive(Default)]
pub struct Store {
    pub config: SimConfig,
    pub tokens: HashMap<String, TokenRecord>,
    pub transactions: Vec<Transaction>,
    pub next_reference: u64,
    pub faults: Vec<Fault>,
    pub requests: BTreeMap<Endpoint, u64>,
    pub limits: HashMap<usize, DealerLimits>,
    usage: HashMap<usize, Usage>,
    clock_offset: TimeDelta,
}

pub struct TokenRecord {
    pub dealer: usize,
    pub expires_at: DateTime<Utc>,
}

/// Per-dealer portal settings: request limits (0 = unlimited) and disabled endpoints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DealerLimits {
    pub per_minute: u32,
    pub total: u64,
    pub disabled_endpoints: HashSet<Endpoint>,
}

#[derive(Default)]
struct Usage {
    minute: i64,
    in_minute: u32,
    total: u64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reversal {
    pub kind: ReversalKind,
    #[serde(with = "json_decimal::number")]
    pub amount: Decimal,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// It named the payment by its order reference (`clientReferenceCode`), not its reference.
    pub by_order_reference: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ReversalKind {
    Cancel,
    Refund,
}

/// What the 3D step still has to decide for a pending transaction.
#[derive(Clone, Debug)]
pub struct PendingThreeD {
    pub three_d: ThreeD,
    pub authorisation: Authorisation,
    pub otp: Option<String>,
    pub return_url: String,
}

#[derive(Clone, Debug)]
pub struct Transaction {
    pub id: String,
    pub reference: String,
    pub client_reference: Option<String>,
    pub dealer: usize,
    pub pos_id: String,
    pub pos_name: String,
    pub comm_rate: Decimal,
    pub currency: String,
    pub created: DateTime<Utc>,
    pub installment: u32,
    pub amount: Decimal,
    pub last_amount: Decimal,
    pub status: i32,
    pub masked_card: String,
    pub holder: String,
    pub error: Option<(&'static str, String)>,
    pub pending_3d: Option<PendingThreeD>,
    pub cancelled: bool,
    pub reversals: Vec<Reversal>,
    /// Queries find the transaction only from this moment (see `SimConfig::query_lag_ms`).
    pub visible_from: DateTime<Utc>,
}

impl Transaction {
    /// Marks a change as committed at `now`: hidden from queries for the configured lag.
    pub fn committed(&mut self, now: DateTime<Utc>, lag_ms: u64) {
        self.visible_from = now + TimeDelta::milliseconds(lag_ms as i64);
    }

    /// A 3D step left open past the timeout fails, as a bank's ACS session would.
    pub fn expire_3d(&mut self, now: DateTime<Utc>, timeout_seconds: u64) {
        let started = self.created;
        if self.pending_3d.is_some() && now - started >= TimeDelta::seconds(timeout_seconds as i64)
        {
            self.pending_3d = None;
            self.status = 2;
            self.last_amount = money(Decimal::ZERO);
            self.error = Some(("P012", "3D Secure timed out".into()));
        }
    }

    /// The issuer said no: nothing is charged.
    pub fn decline(&mut self) {
        self.status = 2;
        self.last_amount = money(Decimal::ZERO);
        self.error = Some(("P011", "Declined by the issuer: insufficient funds".into()));
    }

    pub fn net(&self, gross: Decimal) -> Decimal {
        money(gross * (Decimal::ONE - self.comm_rate / Decimal::ONE_HUNDRED))
    }
}

/// What the gateway holds about one transaction, for tests and the admin API: the truth a
/// client's view is checked against.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSummary {
    pub reference_number: String,
    pub transaction_id: String,
    pub client_order_reference: Option<String>,
    pub dealer_api_key: String,
    #[serde(with = "json_decimal::number")]
    pub amount: Decimal,
    #[serde(with = "json_decimal::number")]
    pub last_amount: Decimal,
    pub transaction_status_id: i32,
    /// The 3D step is still open.
    pub awaiting_3d: bool,
    pub cancelled: bool,
    pub reversals: Vec<Reversal>,
}

/// `minutes_ago`, but never before the start of today in Istanbul: the documentation's examples
/// are today's sales (cancellable), whatever the time the gateway starts.
fn seeded_at(now: DateTime<Utc>, minutes_ago: i64) -> DateTime<Utc> {
    let today = Gateway::istanbul_date(now)
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(Istanbul).earliest())
        .map(|midnight| midnight.with_timezone(&Utc))
        .unwrap_or(now);
    (now - TimeDelta::minutes(minutes_ago)).max(today)
}

/// Rounds to cents (half away from zero) and shows two decimals: `235.00`.
pub fn money(value: Decimal) -> Decimal {
    let mut v =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    v.rescale(2);
    v
}

impl Gateway {
    pub fn new(data: DemoData, config: SimConfig, base_url: String) -> Self {
        let gateway = Self {
            data,
            base_url,
            store: Mutex::new(Store {
                config,
                next_reference: 3100,
                ..Store::default()
            }),
        };
        gateway.seed_documentation_examples();
        gateway
    }

    /// The store; never held across an `.await`.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The store with expired 3D steps settled as of `now`; for every read or change of
    /// transactions.
    pub fn store_at(&self, now: DateTime<Utc>) -> MutexGuard<'_, Store> {
        let mut store = self.store();
        store.expire_3d_steps(now);
        store
    }

    pub fn config(&self) -> SimConfig {
        self.store().config.clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.store().clock_offset
    }

    pub fn advance_clock(&self, by: TimeDelta) {
        self.store().clock_offset += by;
    }

    /// Makes every issued token expired, as if a day had passed for them.
    pub fn expire_tokens(&self) {
        let now = self.now();
        for record in self.store().tokens.values_mut() {
            record.expires_at = now - TimeDelta::seconds(1);
        }
    }

    /// Every transaction as the gateway holds it now (3D steps past their timeout expired).
    pub fn transactions(&self) -> Vec<TransactionSummary> {
        let store = self.store_at(self.now());
        store
            .transactions
            .iter()
            .map(|t| TransactionSummary {
                reference_number: t.reference.clone(),
                transaction_id: t.id.clone(),
                client_order_reference: t.client_reference.clone(),
                dealer_api_key: self.data.dealers[t.dealer].api_key.clone(),
                amount: t.amount,
                last_amount: t.last_amount,
                transaction_status_id: t.status,
                awaiting_3d: t.pending_3d.is_some(),
                cancelled: t.cancelled,
                reversals: t.reversals.clone(),
            })
            .collect()
    }

    pub fn istanbul_date(at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&Istanbul).date_naive()
    }

    /// A business failure (P011–P020): HTTP 200 with `isSuccess:false`, or the table status.
    /// Locks the store: callers that hold it use [`business_failure`] with their config.
    pub fn business_failure(&self, code: &'static str, message: impl Into<String>) -> Failure {
        business_failure(self.config().business_failures, code, message)
    }

    /// Checks the bearer token, the dealer's endpoint switch and its request limits.
    pub fn authorize(&self, bearer: Option<&str>, endpoint: Endpoint) -> Result<usize, Failure> {
        let now = self.now();
        let mut store = self.store();
        let token = bearer
            .ok_or_else(|| Failure::new("P002", "Authorization: Bearer token is required"))?;
        let dealer = match store.tokens.get(token) {
            Some(record) if record.expires_at > now => record.dealer,
            Some(_) => return Err(Failure::new("P002", "AccessToken has expired")),
            None => return Err(Failure::new("P002", "AccessToken is not valid")),
        };
        let limits = store.limits.get(&dealer).cloned().unwrap_or_default();
        if limits.disabled_endpoints.contains(&endpoint) {
            return Err(Failure::new(
                "P003",
                format!("{} is not enabled for this dealer", endpoint.path()),
            ));
        }
        let minute = now.timestamp().div_euclid(60);
        let usage = store.usage.entry(dealer).or_default();
        if usage.minute != minute {
            usage.minute = minute;
            usage.in_minute = 0;
        }
        let over_minute = limits.per_minute > 0 && usage.in_minute >= limits.per_minute;
        let over_total = limits.total > 0 && usage.total >= limits.total;
        if over_minute || over_total {
            let mut failure = Failure::new(
                "P007",
                if over_total {
                    "Total request limit reached"
                } else {
                    "Per-minute request limit reached"
                },
            );
            failure.retry_after = Some(if over_total {
                3600
            } else {
                (60 - now.timestamp().rem_euclid(60)) as u32
            });
            return Err(failure);
        }
        usage.in_minute += 1;
        usage.total += 1;
        Ok(dealer)
    }

    pub fn issue_token(&self, dealer: usize) -> (String, DateTime<Utc>) {
        let now = self.now();
        let mut store = self.store();
        let expires_at = now + TimeDelta::seconds(store.config.token_ttl_seconds as i64);
        let token = crate::tokens::new_token(&self.data.dealers[dealer].api_key, now);
        store
            .tokens
            .insert(token.clone(), TokenRecord { dealer, expires_at });
        (token, expires_at)
    }

    fn seed_documentation_examples(&self) {
        let now = self.now();
        let dealer = &self.data.dealers[0];
        let pos = &dealer.pos[0];
        let examples = [
            ("NTH2P00000002974", "250.00", "seed-refund-example"),
            ("NTH2P00000003000", "120.00", "seed-cancel-example"),
            ("NTH2P00000003086", "1500.50", "seed-query-example"),
        ];
        let mut store = self.store();
        for (i, (reference, amount, client_ref)) in examples.into_iter().enumerate() {
            let amount: Decimal = amount.parse().expect("seed amount");
            store.transactions.push(Transaction {
                id: format!("0f8fad5b-d9cb-469f-a165-7086772895{i:02}"),
                reference: reference.into(),
                client_reference: Some(client_ref.into()),
                dealer: 0,
                pos_id: pos.tenant_pos_id.clone(),
                pos_name: pos.name.clone(),
                comm_rate: pos.rate_for(1).unwrap_or_default(),
                currency: "TRY".into(),
                created: seeded_at(now, 30 - i as i64),
                installment: 1,
                amount,
                last_amount: amount,
                status: 1,
                masked_card: "415565******6111".into(),
                holder: "TEST KART".into(),
                error: None,
                pending_3d: None,
                cancelled: false,
                reversals: Vec::new(),
                visible_from: now - TimeDelta::minutes(30),
            });
        }
    }
}

/// [`Gateway::business_failure`] for callers that already hold the store.
pub fn business_failure(
    mode: BusinessFailureStatus,
    code: &'static str,
    message: impl Into<String>,
) -> Failure {
    let mut failure = Failure::new(code, message);
    failure.http = match mode {
        BusinessFailureStatus::Http200 => 200,
        BusinessFailureStatus::StatusTable => code_info(code).0,
    };
    failure
}

impl Store {
    pub fn next_reference(&mut self) -> String {
        let n = self.next_reference;
        self.next_reference += 1;
        format!("NTH2P{n:011}")
    }

    pub fn find_by(&self, pred: impl Fn(&Transaction) -> bool) -> Option<usize> {
        self.transactions.iter().position(pred)
    }

    /// The payment sent with this order reference: order references are the dealer's own, so
    /// its transactions are looked in first (the one a query and a reversal by it both name).
    pub fn find_order(&self, dealer: usize, order: &str) -> Option<usize> {
        let sent_with = |t: &Transaction| t.client_reference.as_deref() == Some(order);
        self.find_by(|t| t.dealer == dealer && sent_with(t))
            .or_else(|| self.find_by(sent_with))
    }

    /// Expires every 3D step left open too long (checked lazily, before any read or change).
    pub fn expire_3d_steps(&mut self, now: DateTime<Utc>) {
        let timeout = self.config.three_d_timeout_seconds;
        for tx in &mut self.transactions {
            tx.expire_3d(now, timeout);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn istanbul(text: &str) -> DateTime<Utc> {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_local_timezone(Istanbul)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Found when the test suite ran just after midnight in Istanbul: the seeded sales were
    /// "yesterday's" and could no longer be cancelled.
    #[test]
    fn seeded_sales_are_always_today_in_istanbul() {
        let just_after_midnight = istanbul("2026-11-22 00:05");
        assert_eq!(
            seeded_at(just_after_midnight, 30),
            istanbul("2026-11-22 00:00")
        );
        let noon = istanbul("2026-11-22 12:00");
        assert_eq!(seeded_at(noon, 30), istanbul("2026-11-22 11:30"));
    }
}
