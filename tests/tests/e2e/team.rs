//! Team mode with two real app windows (ARCHITECTURE.md): two desks on one PostgreSQL journal and one
//! demo gateway (a standalone one both point at). A cashier pays on desk A; the back office on
//! desk B refunds above its limit, which becomes a request; a supervisor on desk A approves it;
//! the gateway receives one refund and both desks show it, with who asked and who approved.

use std::path::PathBuf;

use crate::harness::{free_port, App, Gateway, Launch};
use crate::open_screen;
use crate::pay_approved;
use test_kit::APPROVE;

/// The desks' password of every journey's team database.
const DESKS_PASSWORD: &str = "desks-e2e";

/// The test server's admin: the owner who sets each journey's database up (typed on desk A).
fn owner() -> (String, String) {
    let admin: tokio_postgres::Config = std::env::var("DD_TEST_POSTGRES").unwrap().parse().unwrap();
    (
        admin.get_user().unwrap().to_owned(),
        String::from_utf8(admin.get_password().unwrap().to_vec()).unwrap(),
    )
}

/// A new, empty database on the test server (`DD_TEST_POSTGRES`, started by `.ci/test`), as
/// desks reach it once it is set up: (host, port, database, the desks' user, their password).
async fn fresh_team_database(journey: &str) -> (String, u16, String, String, String) {
    let admin = std::env::var("DD_TEST_POSTGRES")
        .expect("DD_TEST_POSTGRES: a PostgreSQL server for team mode (.ci/test starts one)");
    let config: tokio_postgres::Config = admin.parse().unwrap();
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let name = format!("dd_e2e_{journey}_{}", std::process::id());
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        client.batch_execute(&statement).await.unwrap();
    }
    let host = match &config.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(host) => host.clone(),
        #[allow(unreachable_patterns)]
        _ => "127.0.0.1".into(),
    };
    let desks = format!("{name}_desks");
    (
        host,
        config.get_ports()[0],
        name,
        desks,
        DESKS_PASSWORD.into(),
    )
}

/// A standalone demo gateway every desk of a journey points at.
async fn shared_gateway() -> vpws_sim::DemoGateway {
    vpws_sim::DemoGateway::start_on(
        free_port(),
        vpws_sim::SimConfig::default(),
        vpws_sim::DemoData::standard(),
    )
    .await
    .unwrap()
}

async fn start_desk(desk: &str, home: Option<PathBuf>, gateway: &str, driver_port: u16) -> App {
    start_desk_of("j18", desk, home, gateway, driver_port).await
}

async fn start_desk_of(
    test: &str,
    desk: &str,
    home: Option<PathBuf>,
    gateway: &str,
    driver_port: u16,
) -> App {
    App::launch(
        test,
        Launch {
            desk: Some(desk.into()),
            home,
            gateway: Gateway::Shared(gateway.into()),
            driver_port,
        },
    )
    .await
}

/// Chooses the team database on the Connection screen (encrypted, the test server's self-signed
/// certificate confirmed and pinned) and starts the desk again on it.
async fn join_team(
    app: App,
    desk: &str,
    db: &(String, u16, String, String, String),
    gateway: &str,
    driver_port: u16,
) -> App {
    join_team_as(app, "j18", desk, db, gateway, driver_port).await
}

/// Desk A of each journey joins first and sets the database up with the owner's account (the
/// desks' account is created then); the other desk finds it ready.
async fn join_team_as(
    mut app: App,
    test: &str,
    desk: &str,
    db: &(String, u16, String, String, String),
    gateway: &str,
    driver_port: u16,
) -> App {
    let sets_up = desk == "a";
    open_screen(&app, "Bağlantı ve profiller").await;
    app.click("[data-testid='journal-team']").await;
    app.type_into("[data-testid='team-host']", &db.0).await;
    app.type_into("[data-testid='team-port']", &db.1.to_string())
        .await;
    app.type_into("[data-testid='team-database']", &db.2).await;
    app.type_into("[data-testid='team-user']", &db.3).await;
    app.type_into("[data-testid='team-password']", &db.4).await;
    app.select("[data-testid='team-tls']", "require").await;
    app.click("[data-testid='team-test']").await;
    // The test server's certificate is its own (self-signed): shown once to confirm, then pinned.
    app.find("[data-testid='team-fingerprint']").await;
    app.shot("team-certificate").await;
    app.click("[data-testid='team-trust']").await;
    if sets_up {
        // The desks' account does not exist yet: the server refuses it, and the form to set the
        // database up with its owner opens.
        app.find("[data-testid='team-set-up']").await;
        let (user, password) = owner();
        app.type_into("[data-testid='team-owner-user']", &user)
            .await;
        app.type_into("[data-testid='team-owner-password']", &password)
            .await;
        app.shot("team-set-up").await;
        app.click("[data-testid='team-set-up-start']").await;
        app.wait_in("[data-testid='team-result']", "Veritabanı kuruldu")
            .await;
        app.click("[data-testid='team-test']").await;
    }
    app.wait_in("[data-testid='team-result']", "Bağlandı").await;
    app.click("[data-testid='team-save']").await;
    app.wait_in("[data-testid='team-result']", "yeniden başlatın")
        .await;
    app.shot("team-chosen").await;
    let home = app.home.clone();
    app.stop().await;
    start_desk_of(test, desk, Some(home), gateway, driver_port).await
}

async fn sign_in(app: &mut App, name: &str, pin: &str) {
    try_pin(app, name, pin).await;
    app.wait_in("[data-testid='signed-in']", name).await;
}

/// Chooses `name` on the sign-in screen and submits `pin`.
async fn try_pin(app: &mut App, name: &str, pin: &str) {
    app.find("[data-testid='sign-in']").await;
    let id = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=sign-in-name] option')]
               .find(o => o.textContent === arguments[0]).value",
            vec![serde_json::json!(name)],
        )
        .await
        .unwrap();
    app.select("[data-testid='sign-in-name']", id.as_str().unwrap())
        .await;
    app.type_into("[data-testid='sign-in-pin']", pin).await;
    app.click("[data-testid='sign-in-submit']").await;
}

async fn lock(app: &mut App) {
    app.press(&['\u{E009}', 'l']).await; // Ctrl+L
    app.find("[data-testid='sign-in']").await;
}

async fn add_operator(app: &App, name: &str, role: &str, pin: &str, limit: Option<&str>) {
    app.type_into("[data-testid='operator-name']", name).await;
    if app
        .count("[data-testid='operator-role']:not([disabled])")
        .await
        > 0
    {
        app.click(&format!(
            "[data-testid='operator-role'] option[value='{role}']"
        ))
        .await;
    }
    app.type_into("[data-testid='operator-pin']", pin).await;
    if let Some(limit) = limit {
        app.type_into("[data-testid='operator-limit']", limit).await;
    }
    app.click("[data-testid='operator-save']").await;
    app.wait_in("[data-testid='operators'] table", name).await;
}

#[tokio::test]
async fn e2e_j18_two_desks_cashier_pays_back_office_asks_supervisor_approves() {
    let gateway = shared_gateway().await;
    let url = gateway.base_url();
    let db = fresh_team_database("j18").await;
    let journey = async {
        // Desk A joins the team journal and turns operators on with a first supervisor.
        let a = start_desk("a", None, &url, 4444).await;
        let mut a = join_team(a, "a", &db, &url, 4444).await;
        open_screen(&a, "Ayarlar").await;
        add_operator(&a, "Zeynep", "supervisor", "111111", None).await;
        a.wait_in("[data-testid='signed-in']", "Zeynep").await;
        add_operator(&a, "Ali", "cashier", "2222", None).await;
        add_operator(&a, "Ayşe", "backOffice", "3333", Some("100")).await;
        a.shot("operators").await;

        // Desk B joins the same journal: it asks for a PIN at once; Ayşe (back office) signs in.
        let b = start_desk("b", None, &url, 4446).await;
        let mut b = join_team(b, "b", &db, &url, 4446).await;
        b.shot("sign-in").await;
        sign_in(&mut b, "Ayşe", "3333").await;

        // Desk A: the cashier takes a payment of 1,200.
        lock(&mut a).await;
        sign_in(&mut a, "Ali", "2222").await;
        pay_approved(&a, "1200", APPROVE).await;
        a.shot("cashier-paid").await;

        // Desk B sees it without a restart, and asks to refund 900: above her 100.
        open_screen(&b, "İşlemler").await;
        b.wait_in("[data-testid='journal-list']", "₺1.200,00").await;
        b.click("[data-testid='journal-list'] .line").await;
        b.click("[data-testid='start-refund']").await;
        b.type_into("[data-testid='refund-amount']", "900").await;
        b.type_into("[data-testid='reason']", "Ürün iade edildi")
            .await;
        b.click("[data-testid='submit-reversal']").await;
        b.wait_text("limitinizin üzerinde").await;
        b.shot("above-limit").await;
        b.click("[data-testid='confirm']").await;
        b.wait_text("Onaya gönderildi").await;
        b.wait_in("[data-testid='approvals']", "Yönetici onayı bekliyor")
            .await;
        b.shot("requested").await;
        assert!(
            b.gateway_requests().await["refund"].is_null(),
            "nothing sent"
        );

        // Desk A: the supervisor signs in, sees the badge and approves.
        lock(&mut a).await;
        sign_in(&mut a, "Zeynep", "111111").await;
        a.wait_in("[data-testid='approvals-badge']", "1").await;
        open_screen(&a, "İşlemler").await;
        a.wait_in("[data-testid='approvals']", "Ayşe").await;
        a.shot("approval-waiting").await;
        a.click("[data-testid='approve']").await;
        a.wait_text("iade edilsin mi?").await;
        a.click("[data-testid='confirm']").await;
        a.wait_in("[data-testid='approval-notice']", "Başarılı")
            .await;
        a.shot("approved").await;
        assert_eq!(a.gateway_requests().await["refund"], 1, "one refund");

        // Both desks show it: approved by Zeynep, the refund successful, 300 left.
        b.wait_in("[data-testid='approvals']", "Onaylandı").await;
        b.click("[data-testid='journal-list'] .line").await;
        b.wait_in("[data-testid='remaining']", "₺300,00").await;
        b.wait_in("[data-testid='history']", "onaylayan: Zeynep")
            .await;
        b.shot("result-on-b").await;
        a.click("[data-testid='approvals'] .link").await;
        a.wait_in("[data-testid='remaining']", "₺300,00").await;
        a.shot("result-on-a").await;
        (a, b)
    };
    let (a, b) = tokio::time::timeout(std::time::Duration::from_secs(240), journey)
        .await
        .expect("j18 took longer than 4 minutes");
    b.stop().await;
    a.stop().await;
    gateway.shutdown().await;
}

/// Issue 29: a team from before desks had their own database account: the desk signs in to the
/// database as its owner, and the operators' PINs are hashes the database cannot check. The
/// desk refuses to work as the owner and says so at start, with the form to fix it: whoever has
/// the owner's password moves the desk to a desks' account there and gives the supervisor a new
/// PIN. After a restart the old PIN is refused and the new one signs in.
#[tokio::test]
async fn e2e_j24_a_team_from_before_moves_off_the_owners_account() {
    let gateway = shared_gateway().await;
    let url = gateway.base_url();
    let db = fresh_team_database("j24").await;
    let journey = async {
        let a = start_desk_of("j24", "a", None, &url, 4444).await;
        let a = join_team_as(a, "j24", "a", &db, &url, 4444).await;
        open_screen(&a, "Ayarlar").await;
        add_operator(&a, "Zeynep", "supervisor", "111111", None).await;
        a.wait_in("[data-testid='signed-in']", "Zeynep").await;

        // As before this version: the PIN an argon2 hash, the desk on the owner's account.
        let (owner_user, owner_password) = owner();
        let mut as_owner: tokio_postgres::Config =
            std::env::var("DD_TEST_POSTGRES").unwrap().parse().unwrap();
        as_owner.dbname(&db.2);
        let (sql, connection) = as_owner.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        sql.execute(
            "UPDATE operators SET pin_hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA'",
            &[],
        )
        .await
        .unwrap();
        open_screen(&a, "Bağlantı ve profiller").await;
        a.type_into("[data-testid='team-user']", &owner_user).await;
        a.type_into("[data-testid='team-password']", &owner_password)
            .await;
        a.click("[data-testid='team-save']").await;
        a.wait_in("[data-testid='team-result']", "yeniden başlatın")
            .await;
        let home = a.home.clone();
        a.stop().await;

        let mut a = start_desk_of("j24", "a", Some(home), &url, 4444).await;
        a.wait_in("[data-testid='start-error']", "sahibinin hesabıyla")
            .await;
        let moved_to = format!("{}_moved", db.2);
        a.type_into("[data-testid='team-desks-user']", &moved_to)
            .await;
        a.type_into("[data-testid='team-desks-password']", DESKS_PASSWORD)
            .await;
        a.type_into("[data-testid='team-owner-user']", &owner_user)
            .await;
        a.type_into("[data-testid='team-owner-password']", &owner_password)
            .await;
        a.type_into("[data-testid='team-set-up-supervisor']", "Zeynep")
            .await;
        a.type_into("[data-testid='team-set-up-pin']", "654321")
            .await;
        a.shot("start-set-up").await;
        a.click("[data-testid='team-set-up-start']").await;
        a.wait_in("[data-testid='start-set-up-done']", &moved_to)
            .await;
        a.shot("start-set-up-done").await;
        let home = a.home.clone();
        a.stop().await;

        let mut a = start_desk_of("j24", "a", Some(home), &url, 4444).await;
        try_pin(&mut a, "Zeynep", "111111").await;
        a.wait_in("[data-testid='sign-in-error']", "PIN").await;
        sign_in(&mut a, "Zeynep", "654321").await;
        let desks: String = sql
            .query_one(
                "SELECT usename FROM pg_stat_activity
                 WHERE datname = $1 AND application_name = 'Dealer Desk'
                 ORDER BY backend_start DESC LIMIT 1",
                &[&db.2],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(desks, moved_to, "the desk works as the desks' account");
        a.shot("signed-in-again").await;
        a
    };
    let a = tokio::time::timeout(std::time::Duration::from_secs(240), journey)
        .await
        .expect("j24 took longer than 4 minutes");
    a.stop().await;
    gateway.shutdown().await;
}

/// Two desks on the team journal, each without operators (Demo, one shared gateway).
async fn two_team_desks(
    test: &str,
    db: &(String, u16, String, String, String),
    url: &str,
) -> (App, App) {
    let a = App::launch(
        test,
        Launch {
            desk: Some("a".into()),
            home: None,
            gateway: Gateway::Shared(url.into()),
            driver_port: 4444,
        },
    )
    .await;
    let a = join_team_as(a, test, "a", db, url, 4444).await;
    let b = App::launch(
        test,
        Launch {
            desk: Some("b".into()),
            home: None,
            gateway: Gateway::Shared(url.into()),
            driver_port: 4446,
        },
    )
    .await;
    let b = join_team_as(b, test, "b", db, url, 4446).await;
    (a, b)
}

/// Issue 28: desk A's refund is on its way to a slow gateway when desk B opens the transaction.
/// B shows it pending (never failed) and offers no second refund; once the gateway answers, both
/// desks show it successful, the gateway holds one refund, and B's Reports add up both desks'
/// sales.
#[tokio::test]
async fn e2e_j20_a_slow_refund_on_one_desk_is_left_to_it_by_another() {
    let gateway = shared_gateway().await;
    let url = gateway.base_url();
    let db = fresh_team_database("j20").await;
    let journey = async {
        let (mut a, mut b) = two_team_desks("j20", &db, &url).await;
        pay_approved(&b, "250", APPROVE).await;
        // A's sale is the newest entry of the team's list.
        pay_approved(&a, "1000", APPROVE).await;

        // A refunds 300; the gateway takes 6 s before it applies it.
        a.fault(serde_json::json!({
            "endpoint": "refund", "kind": { "type": "delay", "ms": 6000 }, "times": 1
        }))
        .await;
        open_screen(&a, "İşlemler").await;
        a.wait_in("[data-testid='journal-list']", "₺1.000,00").await;
        a.click("[data-testid='journal-list'] .line").await;
        a.click("[data-testid='start-refund']").await;
        a.type_into("[data-testid='refund-amount']", "300").await;
        a.type_into("[data-testid='reason']", "ürün iadesi").await;
        a.click("form.action button[type='submit']").await;
        a.click("[data-testid='confirm']").await;

        // Meanwhile B opens the same transaction.
        open_screen(&b, "İşlemler").await;
        b.wait_in("[data-testid='journal-list']", "₺1.000,00").await;
        b.click("[data-testid='journal-list'] .line").await;
        b.wait_in("[data-testid='history']", "Beklemede").await;
        b.find("[data-testid='reversal-being-sent']").await;
        assert_eq!(b.count("[data-testid='start-refund']").await, 0);
        let history = b.text_of("[data-testid='history']").await;
        assert!(!history.contains("Başarısız"), "{history}");
        b.shot("refund-on-its-way-elsewhere").await;

        a.wait_text("₺300,00 iade edildi.").await;
        a.shot("refunded").await;
        b.click_text("button", "Yenile").await;
        b.wait_in("[data-testid='remaining']", "₺700,00").await;
        b.wait_in("[data-testid='history']", "Başarılı").await;
        b.shot("refund-seen-on-b").await;
        assert_eq!(b.gateway_requests().await["refund"], 1, "one refund");

        // Reports on B add up both desks' operations.
        open_screen(&b, "Raporlar").await;
        b.find("[data-testid='report-totals-TRY']").await;
        let sales = b
            .text_of("[data-testid='report-totals-TRY'] [data-testid='report-sales']")
            .await;
        let refunds = b
            .text_of("[data-testid='report-totals-TRY'] [data-testid='report-refunds']")
            .await;
        assert_eq!((sales.as_str(), refunds.as_str()), ("₺1.250,00", "₺300,00"));
        b.shot("report-of-both-desks").await;
        (a, b)
    };
    let (a, b) = tokio::time::timeout(std::time::Duration::from_secs(240), journey)
        .await
        .expect("j20 took longer than 4 minutes");
    b.stop().await;
    a.stop().await;
    gateway.shutdown().await;
}

/// Issue 28: the team database drops while a payment is at the gateway. The gateway charges;
/// the desk shows the charge with "not yet in the journal" (not "nothing started"); once the
/// database is back the desk writes it first, and the other desk lists it as successful.
#[tokio::test]
async fn e2e_j21_the_team_database_drops_while_a_payment_is_charged() {
    let gateway = shared_gateway().await;
    let url = gateway.base_url();
    let db = fresh_team_database("j21").await;
    let proxy = test_kit::proxy::CutProxy::start(format!("{}:{}", db.0, db.1).parse().unwrap())
        .await
        .unwrap();
    let through_proxy = (
        db.0.clone(),
        proxy.address().port(),
        db.2.clone(),
        db.3.clone(),
        db.4.clone(),
    );
    let journey = async {
        let (mut a, mut b) = two_team_desks("j21", &through_proxy, &url).await;
        a.fault(serde_json::json!({
            "endpoint": "payment", "kind": { "type": "delay", "ms": 3000 }, "times": 1
        }))
        .await;
        crate::new_payment_form(&a, "Yeni ödeme").await;
        crate::fill_payment(&a, "640", APPROVE).await;
        crate::without_3d(&a).await;
        a.click("[data-testid='pay-submit']").await;
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        proxy.cut();
        a.wait_text("Ödeme onaylandı").await;
        a.wait_in("[data-testid='not-journaled']", "Henüz kayıtta değil")
            .await;
        a.shot("charged-not-yet-journaled").await;
        assert_eq!(a.gateway_requests().await["payment"], 1);

        proxy.restore();
        open_screen(&a, "İşlemler").await;
        a.click("[data-testid='check-pending']").await;
        a.wait_in("[data-testid='journal-list']", "₺640,00").await;
        open_screen(&b, "İşlemler").await;
        b.wait_in("[data-testid='journal-list']", "₺640,00").await;
        b.wait_in("[data-testid='journal-list']", "Başarılı").await;
        b.shot("written-once-back").await;
        (a, b)
    };
    let (a, b) = tokio::time::timeout(std::time::Duration::from_secs(240), journey)
        .await
        .expect("j21 took longer than 4 minutes");
    b.stop().await;
    a.stop().await;
    gateway.shutdown().await;
}

/// What a command is refused with, for each command called straight through the window's IPC
/// (as someone with the developer tools, or a script in the page, would): `"ok"` when it ran.
async fn invoke_each(app: &App, calls: &[(&str, serde_json::Value)]) -> Vec<(String, String)> {
    let calls: Vec<serde_json::Value> = calls
        .iter()
        .map(|(command, args)| serde_json::json!([command, args]))
        .collect();
    let answers = app
        .client
        .execute_async(
            r#"const [calls, done] = [arguments[0], arguments[arguments.length - 1]];
            (async () => {
              const out = [];
              for (const [command, args] of calls) {
                try {
                  await window.__TAURI_INTERNALS__.invoke(command, args);
                  out.push([command, 'ok']);
                } catch (e) {
                  out.push([command, (e && e.code) || String(e)]);
                }
              }
              return out;
            })().then(done);"#,
            vec![serde_json::Value::Array(calls)],
        )
        .await
        .unwrap();
    serde_json::from_value(answers).unwrap()
}

/// Issue 29: every command outside a role's permissions, and everything but the status, who is
/// signed in and signing in on a locked desk, is refused when called directly through IPC, and
/// the gateway sees nothing of it. The calls carry real arguments: a refund of a real sale, a
/// valid payment, so that a missing check would show as a request at the gateway.
#[tokio::test]
async fn e2e_j23_commands_called_straight_through_ipc_hold_each_roles_limits() {
    crate::harness::journey("j23", |mut app| async move {
        open_screen(&app, "Ayarlar").await;
        add_operator(&app, "Zeynep", "supervisor", "111111", None).await;
        app.wait_in("[data-testid='signed-in']", "Zeynep").await;
        add_operator(&app, "Ali", "cashier", "2222", None).await;
        add_operator(&app, "Ayşe", "backOffice", "3333", Some("100")).await;
        pay_approved(&app, "500", APPROVE).await;
        let sale = app.gateway_transactions().await.pop().unwrap();
        let reference = sale["referenceNumber"].as_str().unwrap().to_owned();
        let pos = app
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                window.__TAURI_INTERNALS__.invoke('payment_options', { currency: 'TRY' })
                  .then((list) => done(list[0].tenantPosId), () => done(null));"#,
                vec![],
            )
            .await
            .unwrap();
        assert!(pos.is_string(), "a POS to pay on: {pos}");
        use serde_json::json;
        let reversal = json!({ "referenceCode": reference, "amount": "500", "reason": "ipc", "remainingSeen": "500.00" });
        let payment = json!({ "input": {
            "orderReference": "DD-IPC-1", "amount": "10", "currency": "TRY", "installment": 1,
            "tenantPosId": pos, "use3d": false,
            "contact": { "name": "Ayşe", "surname": "Yılmaz", "email": "ayse@example.com", "phone": null, "tckn": null, "description": null },
            "card": { "number": APPROVE, "holder": "AYSE YILMAZ", "expMonth": 12, "expYear": 2030, "cvv": "000" } } });
        let filter = json!({});
        let team = json!({ "database": { "host": "127.0.0.1", "port": 5432, "database": "x", "user": "x", "sslMode": "disable", "certificate": null }, "password": "x" });
        let manage_desk = [
            ("save_profile", json!({ "input": { "id": null, "name": "Mine", "kind": "custom", "baseUrl": app.demo, "apiKey": "k", "secretKey": "s", "currency": "TRY", "operatorName": "x", "returnUrl": null } })),
            ("delete_profile", json!({ "id": "none" })),
            ("switch_profile", json!({ "id": "demo" })),
            ("test_connection", json!({ "id": "demo" })),
            ("test_team_journal", team.clone()),
            ("choose_journal", team),
            ("copy_journal_to_team", json!({ "allowedBy": { "name": "", "pin": "" } })),
            ("list_operators", json!({})),
            ("save_operator", json!({ "input": { "id": null, "name": "Eve", "role": "supervisor", "pin": "123456", "refundLimit": null, "active": true } })),
            ("check_for_update", json!({})),
            ("install_update", json!({})),
        ];
        let supervisor_only = [
            ("decide_approval", json!({ "input": { "approvalId": 1, "approve": true, "note": "" } })),
            ("resolve_in_doubt", json!({ "input": { "entryId": 1, "applied": true, "reason": "ipc" } })),
            ("export_csv", json!({ "input": { "filter": filter, "format": "turkish" } })),
        ];
        let back_office = [
            ("cancel_transaction", json!({ "input": { "referenceCode": reference, "reason": "ipc", "remainingSeen": "500.00" } })),
            ("refund_transaction", json!({ "input": reversal })),
            ("request_refund_approval", json!({ "input": reversal })),
        ];
        let anyone = [
            ("pay", payment),
            ("check_payment", json!({ "orderReference": "DD-IPC-1" })),
            ("lookup_transaction", json!({ "key": { "by": "referenceCode", "value": reference } })),
            ("reconcile_pending", json!({})),
            ("unsettled_now", json!({})),
            ("current_payment", json!({})),
            ("journal_search", json!({ "query": { "filter": {}, "offset": 0, "limit": 10 } })),
            ("list_approvals", json!({})),
            ("update_preferences", json!({ "preferences": { "language": "en" } })),
            ("still_here", json!({})),
            ("sign_out", json!({})),
        ];
        let before = app.gateway_requests().await;
        let refused_all = |answers: &[(String, String)], code: &str| {
            let wrong: Vec<_> = answers.iter().filter(|(_, a)| a != code).collect();
            assert!(wrong.is_empty(), "not refused as {code}: {wrong:?}");
        };

        // A cashier: no cancel, refund, approval, export or desk management.
        lock(&mut app).await;
        sign_in(&mut app, "Ali", "2222").await;
        let cashier: Vec<_> = [&manage_desk[..], &supervisor_only, &back_office].concat();
        refused_all(&invoke_each(&app, &cashier).await, "not_permitted");

        // Back office: no approval, resolution, export or desk management.
        lock(&mut app).await;
        sign_in(&mut app, "Ayşe", "3333").await;
        let back: Vec<_> = [&manage_desk[..], &supervisor_only].concat();
        refused_all(&invoke_each(&app, &back).await, "not_permitted");

        // Locked: nothing but the status, who is signed in and signing in.
        lock(&mut app).await;
        let everything: Vec<_> = [&manage_desk[..], &supervisor_only, &back_office, &anyone].concat();
        refused_all(&invoke_each(&app, &everything).await, "sign_in_required");
        let open = invoke_each(
            &app,
            &[("app_status", json!({})), ("staff_status", json!({}))],
        )
        .await;
        assert!(open.iter().all(|(_, a)| a == "ok"), "{open:?}");

        assert_eq!(app.gateway_requests().await, before, "the gateway saw nothing");
        app.shot("locked-after-ipc").await;
        app
    })
    .await;
}
