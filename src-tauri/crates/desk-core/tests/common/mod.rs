#![allow(dead_code, unused_imports)]

pub mod stores;

use std::sync::Arc;
use std::time::Duration;

use desk_core::dto::*;
use desk_core::host::MemoryHost;
use desk_core::journal::Outcome;
use desk_core::journal::{Journal, SqliteJournal};
use desk_core::secrets::MemorySecretStore;
use desk_core::settings::{Language, MemorySettings, ProfileKind};
use desk_core::verdict::SettlingWindow;
use desk_core::{DemoAccess, Desk, ReconcilePolicy, ThreeDEnd};
use vpws_sim::{DemoGateway, SimConfig};

pub use test_kit::{
    Cardholder, APPROVE, CHALLENGE, DECLINE, FRICTIONLESS, RIGHT_OTP, WRONG_OTP, YKB_WORLD_POS,
};

pub struct Fixture {
    pub journal: Arc<SqliteJournal>,
    pub gw: DemoGateway,
    pub desk: Desk,
    /// The desk's host: its settings and secrets (also below), the save dialog, progress seen.
    pub host: Arc<MemoryHost>,
    pub settings: Arc<MemorySettings>,
    pub secrets: Arc<MemorySecretStore>,
}

pub async fn fixture() -> Fixture {
    fixture_with(|desk| desk).await
}

/// A fixture whose desk `adjust` finishes building.
pub async fn fixture_with(adjust: impl FnOnce(Desk) -> Desk) -> Fixture {
    let gw = DemoGateway::start(SimConfig::default()).await.unwrap();
    let dealer = &gw.data().dealers[0];
    let demo = DemoAccess {
        dealer_name: dealer.name.clone(),
        base_url: gw.base_url(),
        api_key: dealer.api_key.clone(),
        secret_key: dealer.secret_key.clone(),
    };
    let settings = Arc::new(MemorySettings::default());
    let secrets = Arc::new(MemorySecretStore::default());
    let host = Arc::new(MemoryHost::new(settings.clone(), secrets.clone()));
    let journal = Arc::new(SqliteJournal::open_in_memory().unwrap());
    let desk = Desk::new(host.clone(), journal.clone(), demo, Language::Turkish, None)
        .unwrap()
        .with_reconcile_policy(test_policy());
    let desk = adjust(desk);
    Fixture {
        journal,
        gw,
        desk,
        settings,
        secrets,
        host,
    }
}

impl Fixture {
    /// A Custom profile pointing at the demo gateway with dealer `dealer`'s keys.
    pub fn custom_profile(&self, name: &str, dealer: usize, secret: Option<&str>) -> ProfileInput {
        let d = &self.gw.data().dealers[dealer];
        ProfileInput {
            id: None,
            name: name.into(),
            kind: ProfileKind::Custom,
            base_url: Some(self.gw.base_url()),
            api_key: d.api_key.clone(),
            secret_key: secret
                .map(str::to_owned)
                .or_else(|| Some(d.secret_key.clone())),
            currency: "TRY".into(),
            operator_name: "Zeynep".into(),
            return_url: None,
        }
    }
}

/// The fixture's gateway as the built-in demo gateway of a desk (dealer 0's keys).
pub fn demo_access(f: &Fixture) -> DemoAccess {
    let dealer = &f.gw.data().dealers[0];
    DemoAccess {
        dealer_name: dealer.name.clone(),
        base_url: f.gw.base_url(),
        api_key: dealer.api_key.clone(),
        secret_key: dealer.secret_key.clone(),
    }
}

/// A new database on the test server behind a proxy that can cut it: the proxy, the URL through
/// it (for the desks) and the direct URL (for checks).
pub async fn database_behind_a_proxy(prefix: &str) -> (test_kit::proxy::CutProxy, String, String) {
    let direct = fresh_database(prefix).await;
    let url = url::Url::parse(&direct).unwrap();
    let server = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let proxy = test_kit::proxy::CutProxy::start(server.parse().unwrap())
        .await
        .unwrap();
    let mut through_proxy = url;
    through_proxy
        .set_port(Some(proxy.address().port()))
        .unwrap();
    (proxy, through_proxy.to_string(), direct)
}

/// Another desk on `journal` and the fixture's gateway and settings (a restart, a crash, a
/// desk on the team database).
pub fn desk_on(f: &Fixture, journal: impl Journal + 'static) -> Desk {
    desk_and_host(f, journal).0
}

/// [`desk_on`], with the host it reports to.
pub fn desk_and_host(f: &Fixture, journal: impl Journal + 'static) -> (Desk, Arc<MemoryHost>) {
    let host = Arc::new(f.host.sharing());
    let desk = Desk::new(
        host.clone(),
        Arc::new(journal),
        demo_access(f),
        Language::Turkish,
        None,
    )
    .unwrap()
    .with_reconcile_policy(test_policy());
    (desk, host)
}

/// Makes the fixture's settings those of installation `id` (a restart of one desk in another
/// process: its demo entries are its own).
pub fn as_installation(f: &Fixture, id: &str) {
    use desk_core::settings::SettingsRepo;
    let mut settings = f.settings.load().unwrap().unwrap();
    settings.installation_id = Some(id.into());
    f.settings.save(&settings).unwrap();
}

/// A desk on another computer: its own settings and keychain, the fixture's gateway, `journal`.
pub fn desk_elsewhere(f: &Fixture, journal: impl Journal + 'static) -> Desk {
    Desk::new(
        Arc::new(MemoryHost::default()),
        Arc::new(journal),
        demo_access(f),
        Language::Turkish,
        None,
    )
    .unwrap()
    .with_reconcile_policy(test_policy())
}

pub fn desk_with_journal(f: &Fixture, path: &std::path::Path) -> Desk {
    desk_on(f, SqliteJournal::open(path).unwrap())
}

/// Short windows so tests run fast: "not found" for 300 ms over at least 3 checks means not
/// charged; the in-flow checks span 350 ms.
pub fn test_policy() -> ReconcilePolicy {
    let ms = |v: &[u64]| v.iter().map(|&m| Duration::from_millis(m)).collect();
    ReconcilePolicy {
        window: SettlingWindow {
            duration: Duration::from_millis(300),
            min_checks: 3,
        },
        checks_in_flow: ms(&[0, 50, 100, 100, 100]),
        timer_period: Duration::from_millis(100),
        round_size: 50,
        lease: Duration::from_secs(2),
    }
}

/// The transaction of a payment that must have been approved.
pub fn approved(outcome: PaymentOutcome) -> TransactionView {
    assert_eq!(outcome.outcome, Outcome::Success, "{outcome:?}");
    outcome
        .transaction
        .expect("an approved payment shows its transaction")
}

/// Pays `amount` for `order` with the approving card (no 3D) and returns its transaction.
pub async fn paid(desk: &Desk, order: &str, amount: &str) -> TransactionView {
    approved(
        desk.pay_with(payment(order, amount, APPROVE), no_3d)
            .await
            .unwrap(),
    )
}

/// A refund of `amount` confirmed while the screen showed `seen` still refundable.
pub fn refund_of(reference: &str, amount: &str, seen: &str) -> RefundInput {
    RefundInput {
        email_customer: None,
        order_reference: None,
        reference_code: reference.into(),
        amount: amount.into(),
        reason: "iade".into(),
        remaining_seen: seen.into(),
    }
}

pub fn cancel_of(reference: &str, seen: &str) -> CancelInput {
    CancelInput {
        email_customer: None,
        order_reference: None,
        reference_code: reference.into(),
        reason: "vazgeçti".into(),
        remaining_seen: seen.into(),
    }
}

pub fn payment(order: &str, amount: &str, card: &str) -> PaymentInput {
    PaymentInput {
        email_customer: None,
        order_reference: order.into(),
        amount: amount.into(),
        currency: "TRY".into(),
        installment: 1,
        tenant_pos_id: YKB_WORLD_POS.into(),
        use_3d: false,
        contact: ContactInput {
            name: "Ayşe".into(),
            surname: "Yılmaz".into(),
            email: "ayse@example.com".into(),
            phone: Some("0500 258 35 19".into()),
            tckn: None,
            description: None,
            account_code: None,
        },
        card: CardInput {
            number: card.into(),
            holder: "AYSE YILMAZ".into(),
            exp_month: 12,
            exp_year: 2030,
            cvv: "000".into(),
        },
    }
}

pub fn payment_3d(order: &str, amount: &str, card: &str) -> PaymentInput {
    PaymentInput {
        email_customer: None,
        use_3d: true,
        ..payment(order, amount, card)
    }
}

/// A 3D step that never opens a window: for payments that must not need one.
pub async fn no_3d(_redirect: String, _return_url: String) -> ThreeDEnd {
    panic!("no 3D step expected")
}

/// Plays the cardholder on the demo bank's page and checks that it posts back to the profile's
/// return URL.
pub async fn acs(redirect: String, return_url: String, cardholder: Cardholder) -> ThreeDEnd {
    let back = test_kit::play_3d_page(&redirect, cardholder).await.unwrap();
    assert!(
        back.contains(&return_url),
        "ACS posts back to the profile's return URL"
    );
    ThreeDEnd::Returned
}

/// The test PostgreSQL server's admin URL (`DD_TEST_POSTGRES`, which `.ci/test` starts).
pub fn test_postgres() -> String {
    std::env::var("DD_TEST_POSTGRES").expect(
        "DD_TEST_POSTGRES is not set: run `bash .ci/test`, or `source .ci/postgres && \
         start_test_postgres` first",
    )
}

/// A plain connection to `url`, driven in the background.
pub async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

/// The password of every test database's desks' account.
pub const DESKS_PASSWORD: &str = "desks-secret";

/// A new team database on the test server (which may outlive one run), set up by its owner (the
/// server's admin) for its own desks' account: the URL desks use.
pub async fn fresh_database(prefix: &str) -> String {
    let owner = empty_database(prefix).await;
    let mut desks = url::Url::parse(&owner).unwrap();
    let name = desks.path().trim_start_matches('/').to_owned();
    let desks_user = format!("{name}_desks");
    desk_core::journal::PgJournal::set_up_at(&owner, &desks_user, DESKS_PASSWORD)
        .await
        .unwrap();
    desks.set_username(&desks_user).unwrap();
    desks.set_password(Some(DESKS_PASSWORD)).unwrap();
    desks.to_string()
}

/// The same database as `url` with its owner's account (the server's admin): for checks and
/// changes no desk may make.
pub fn owner_url(url: &str) -> String {
    let admin = url::Url::parse(&test_postgres()).unwrap();
    let mut owner = url::Url::parse(url).unwrap();
    owner.set_username(admin.username()).unwrap();
    owner.set_password(admin.password()).unwrap();
    owner.to_string()
}

/// A new, empty database on the test server, not set up: its owner's URL.
pub async fn empty_database(prefix: &str) -> String {
    // Random, not the process id: under Wine process ids are small and come round again, so a
    // later test binary would find an earlier one's database.
    let name = format!(
        "{prefix}_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let admin = test_postgres();
    let client = pg_client(&admin).await;
    // CREATE DATABASE copies template1 and fails while another one is copying it: tests
    // making databases at once take turns.
    let mut tries = 0;
    while let Err(e) = client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
    {
        tries += 1;
        assert!(tries < 50, "CREATE DATABASE {name}: {e}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// The settings and password that reach the database at `url`, unencrypted.
pub fn team_settings_of(url: &str) -> (desk_core::journal::TeamDatabase, String) {
    let url = url::Url::parse(url).unwrap();
    let database = desk_core::journal::TeamDatabase {
        host: url.host_str().unwrap().to_owned(),
        port: url.port().unwrap(),
        database: url.path().trim_start_matches('/').to_owned(),
        user: url.username().to_owned(),
        ssl_mode: desk_core::journal::SslMode::Disable,
        certificate: None,
    };
    (database, url.password().unwrap().to_owned())
}

pub fn operator_input(
    name: &str,
    role: desk_core::journal::Role,
    pin: &str,
    limit: Option<&str>,
) -> OperatorInput {
    OperatorInput {
        id: None,
        name: name.into(),
        role,
        pin: Some(pin.into()),
        refund_limit: limit.map(str::to_owned),
        active: true,
    }
}

/// Signs `name` in at `desk` with `pin` (it must work).
pub async fn sign_in(desk: &Desk, name: &str, pin: &str) -> StaffStatus {
    let status = desk.staff_status().await.unwrap();
    let id = status.names.iter().find(|n| n.name == name).unwrap().id;
    desk.sign_in(SignInInput {
        operator_id: id,
        pin: pin.into(),
    })
    .await
    .unwrap()
}

/// Chooses the team database at `url` for `desk` (from its next start), with its password.
pub async fn choose_team_database(desk: &Desk, url: &str) {
    let (database, password) = team_settings_of(url);
    desk.choose_journal(Some(TeamJournalInput {
        database,
        password: Some(password),
    }))
    .await
    .unwrap();
}

/// A supervisor's decision on request `approval_id`.
pub fn decision(approval_id: i64, approve: bool, note: &str) -> DecisionInput {
    DecisionInput {
        email_customer: None,
        approval_id,
        approve,
        note: note.into(),
    }
}

/// The report range of today, Istanbul time (the day entries are counted on).
pub fn today_in_istanbul() -> desk_core::journal::ReportRange {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    desk_core::journal::ReportRange {
        from: today,
        to: today,
    }
}
