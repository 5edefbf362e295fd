//! The team database as the authority (issue 29, 7): whoever holds the desks' database password
//! (read from a desk's keychain) works on the real server as the desks' account, straight in
//! SQL, and cannot make themselves supervisor, read PIN hashes, decide approvals without a
//! supervisor's session, or replay a session that ended.

mod common;

use common::*;
use desk_core::journal::{Journal, PgJournal, Role};
use desk_core::secrets::SecretStore;
use desk_core::settings::TEAM_PASSWORD_KEY;
use desk_core::Desk;
use tokio_postgres::error::SqlState;

/// A set-up team database with a supervisor, a back-office operator and a cashier (made on a
/// desk, as a dealer would), and a plain SQL connection as the desks' account.
async fn team(prefix: &str) -> (Fixture, Desk, String, tokio_postgres::Client) {
    let f = fixture().await;
    let url = fresh_database(prefix).await;
    let desk = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    for operator in [
        operator_input("Zeynep", Role::Supervisor, "111111", None),
        operator_input("Ali", Role::Cashier, "2222", None),
        operator_input("Ayşe", Role::BackOffice, "3333", Some("50")),
    ] {
        desk.save_operator(operator).await.unwrap();
    }
    let sql = pg_client(&url).await;
    (f, desk, url, sql)
}

/// Runs `statements` as the database's owner (what no desk may do).
async fn as_owner(url: &str, statements: &str) {
    pg_client(&owner_url(url))
        .await
        .batch_execute(statements)
        .await
        .unwrap();
}

fn state_of(e: &tokio_postgres::Error) -> String {
    e.code().map(|c| c.code().to_owned()).unwrap_or_default()
}

async fn id_of(sql: &tokio_postgres::Client, name: &str) -> i64 {
    sql.query_one("SELECT id FROM operators WHERE name = $1", &[&name])
        .await
        .unwrap()
        .get(0)
}

/// Signs in straight through the database's function: the session token, if the PIN was right.
async fn session(sql: &tokio_postgres::Client, id: i64, pin: &str) -> Option<String> {
    let row = sql
        .query_one("SELECT answer, token FROM dd_sign_in($1, $2)", &[&id, &pin])
        .await
        .unwrap();
    (row.get::<_, &str>(0) == "right").then(|| row.get(1))
}

#[tokio::test]
async fn the_desks_account_cannot_rewrite_operators_approvals_or_settings_in_sql() {
    let (_f, _desk, _url, sql) = team("auth_tables").await;
    for statement in [
        "UPDATE operators SET role = 'supervisor'",
        "INSERT INTO operators (name, name_key, role, pin_hash, created_at, updated_at)
            VALUES ('Eve', 'eve', 'supervisor', '', '', '')",
        "UPDATE operators SET refund_limit = '1000000'",
        "DELETE FROM operators",
        "INSERT INTO approvals (created_at, profile_id, reference_code, amount, currency, reason,
            remaining_seen, requested_by, status) VALUES ('', 'p', 'R', '1', 'TRY', 'r', '1',
            'Eve', 'approved')",
        "UPDATE approvals SET status = 'approved'",
        "UPDATE team_settings SET doc = '{}'",
        "DELETE FROM entries",
        "TRUNCATE entries",
        "SELECT * FROM dd_sessions",
        "SELECT dd_pin_hash('1234')",
        "CREATE TABLE evil (id INTEGER)",
        "DROP TABLE entries",
        "ALTER TABLE operators DISABLE TRIGGER ALL",
    ] {
        let e = sql.batch_execute(statement).await.unwrap_err();
        assert_eq!(
            e.code(),
            Some(&SqlState::INSUFFICIENT_PRIVILEGE),
            "{statement}: {e}"
        );
    }
    let roles: Vec<String> = sql
        .query("SELECT role FROM operators ORDER BY name_key", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(roles, ["cashier", "backOffice", "supervisor"]);
}

#[tokio::test]
async fn pin_hashes_are_not_readable_by_the_desks_account() {
    let (_f, _desk, url, sql) = team("auth_hashes").await;
    for statement in [
        "SELECT pin_hash FROM operators",
        "SELECT * FROM operators",
        "SELECT pin_tries, pin_wait_until FROM operators",
    ] {
        let e = sql.query(statement, &[]).await.unwrap_err();
        assert_eq!(
            e.code(),
            Some(&SqlState::INSUFFICIENT_PRIVILEGE),
            "{statement}"
        );
    }
    // What is kept is a bcrypt hash made in the database, never the PIN.
    let owner = pg_client(&owner_url(&url)).await;
    let hash: String = owner
        .query_one("SELECT pin_hash FROM operators WHERE name = 'Zeynep'", &[])
        .await
        .unwrap()
        .get(0);
    assert!(hash.starts_with("$2a$10$"), "{hash}");
    assert!(!hash.contains("111111"));
}

#[tokio::test]
async fn privileged_functions_need_a_session_of_a_permitted_role() {
    let (_f, _desk, _url, sql) = team("auth_sessions").await;
    let ali = id_of(&sql, "Ali").await;
    let ayse = id_of(&sql, "Ayşe").await;
    let zeynep = id_of(&sql, "Zeynep").await;
    let save_operator = "SELECT dd_save_operator($1, NULL, 'Eve', 'eve', 'supervisor',
        '999999', NULL, TRUE, '2026-12-07T00:00:00.000Z')";
    let raise_limit = "SELECT dd_save_operator($1, $2, 'Ayşe', 'ayse', 'backOffice', NULL,
        '1000000', TRUE, '2026-12-07T00:00:00.000Z')";

    // No session, a forged one, a wrong PIN: nothing.
    assert_eq!(session(&sql, zeynep, "999999").await, None);
    for token in [None, Some("forged".to_owned()), Some("00".repeat(32))] {
        let e = sql.execute(save_operator, &[&token]).await.unwrap_err();
        assert_eq!(state_of(&e), "DD401", "{token:?}");
    }
    // A cashier's or back office's session: not a supervisor's.
    for (id, pin) in [(ali, "2222"), (ayse, "3333")] {
        let token = session(&sql, id, pin).await.unwrap();
        let e = sql.execute(save_operator, &[&token]).await.unwrap_err();
        assert_eq!(state_of(&e), "DD403");
        let e = sql
            .execute(raise_limit, &[&token, &ayse])
            .await
            .unwrap_err();
        assert_eq!(state_of(&e), "DD403");
    }
    // A supervisor's session may, in the supervisor's own name.
    let boss = session(&sql, zeynep, "111111").await.unwrap();
    sql.execute(raise_limit, &[&boss, &ayse]).await.unwrap();
}

#[tokio::test]
async fn deciding_an_approval_needs_a_supervisors_session_and_is_signed_by_it() {
    let (_f, _desk, _url, sql) = team("auth_approvals").await;
    let ayse = session(&sql, id_of(&sql, "Ayşe").await, "3333")
        .await
        .unwrap();
    let request = "SELECT dd_request_approval($1, 'refund', 'demo', 'REF-1', 'tx-1', 'ORD-1',
        '900', 'TRY', 'iade', '1200', 'Somebody else', '2026-12-07T00:00:00.000Z')";
    let e = sql
        .query_one(request, &[&None::<String>])
        .await
        .unwrap_err();
    assert_eq!(state_of(&e), "DD401");
    let id: i64 = sql.query_one(request, &[&ayse]).await.unwrap().get(0);
    let asked_by: String = sql
        .query_one("SELECT requested_by FROM approvals WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(asked_by, "Ayşe", "the request is in the session's name");

    let decide = "SELECT dd_decide_approval($1, $2, 'approved', 'Zeynep', 'ok',
        '2026-12-07T00:00:00.000Z')";
    for token in [None, Some("forged".to_owned()), Some(ayse.clone())] {
        let e = sql.query_one(decide, &[&token, &id]).await.unwrap_err();
        assert!(
            ["DD401", "DD403"].contains(&state_of(&e).as_str()),
            "{token:?}: {e}"
        );
    }
    let status: String = sql
        .query_one("SELECT status FROM approvals WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(status, "pending");

    let boss = session(&sql, id_of(&sql, "Zeynep").await, "111111")
        .await
        .unwrap();
    let decided: bool = sql.query_one(decide, &[&boss, &id]).await.unwrap().get(0);
    assert!(decided);
    let by: String = sql
        .query_one("SELECT decided_by FROM approvals WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(by, "Zeynep");
}

#[tokio::test]
async fn an_expired_or_ended_session_is_not_accepted_again() {
    let (_f, _desk, url, sql) = team("auth_replay").await;
    let zeynep = id_of(&sql, "Zeynep").await;
    let settings = "SELECT dd_save_team_settings($1, '{}')";

    let expired = session(&sql, zeynep, "111111").await.unwrap();
    sql.execute(settings, &[&expired]).await.unwrap();
    as_owner(
        &url,
        "UPDATE dd_sessions SET expires_at = now() - interval '1 second'",
    )
    .await;
    let e = sql.execute(settings, &[&expired]).await.unwrap_err();
    assert_eq!(state_of(&e), "DD401");

    let ended = session(&sql, zeynep, "111111").await.unwrap();
    sql.execute("SELECT dd_sign_out($1)", &[&ended])
        .await
        .unwrap();
    let e = sql.execute(settings, &[&ended]).await.unwrap_err();
    assert_eq!(state_of(&e), "DD401");

    // A supervisor turned off: their session ends with them.
    let turned_off = session(&sql, zeynep, "111111").await.unwrap();
    as_owner(
        &url,
        "UPDATE operators SET active = FALSE WHERE role = 'supervisor';
         INSERT INTO operators (name, name_key, role, pin_hash, created_at, updated_at)
         VALUES ('Selin', 'selin', 'supervisor', '', '', '');",
    )
    .await;
    let e = sql.execute(settings, &[&turned_off]).await.unwrap_err();
    assert_eq!(state_of(&e), "DD401");
}

#[tokio::test]
async fn a_desk_signed_out_or_locked_ends_its_session_in_the_database() {
    let (_f, desk, url, _sql) = team("auth_desk_session").await;
    let owner = pg_client(&owner_url(&url)).await;
    let sessions = || async {
        owner
            .query_one(
                "SELECT count(*) FROM dd_sessions WHERE expires_at > now()",
                &[],
            )
            .await
            .unwrap()
            .get::<_, i64>(0)
    };
    // Making the first supervisor signed them in: one session.
    assert_eq!(sessions().await, 1);
    desk.sign_out().await.unwrap();
    assert_eq!(sessions().await, 0);
    sign_in(&desk, "Zeynep", "111111").await;
    sign_in(&desk, "Ali", "2222").await;
    assert_eq!(sessions().await, 1, "the operator before's session ended");
    // The cashier's desk may not add a supervisor.
    let e = desk
        .save_operator(operator_input("Eve", Role::Supervisor, "999999", None))
        .await
        .unwrap_err();
    assert_eq!(e.code, "not_permitted");
}

#[tokio::test]
async fn a_desk_refuses_the_owners_account_and_a_database_not_set_up() {
    let url = fresh_database("auth_owner").await;
    let as_owner = PgJournal::connect(&owner_url(&url)).await.err().unwrap();
    assert_eq!(as_owner.code, "journal_owner_account");

    let empty = empty_database("auth_empty").await;
    let mut desks = url::Url::parse(&url).unwrap();
    desks.set_path(url::Url::parse(&empty).unwrap().path());
    let not_set_up = PgJournal::connect(desks.as_str()).await.err().unwrap();
    assert_eq!(not_set_up.code, "journal_setup_needed");

    // The owner cannot be the desks' account.
    let admin = url::Url::parse(&test_postgres()).unwrap();
    let same = PgJournal::set_up_at(&empty, admin.username(), "x")
        .await
        .unwrap_err();
    assert_eq!(same.details["reason"], "same_as_desks");
}

#[tokio::test]
async fn operators_copied_in_without_a_pin_the_database_checks_are_turned_on_with_a_new_one() {
    let (_f, desk, url, sql) = team("auth_legacy").await;
    // An operator from before this step: an argon2 hash the database cannot check.
    as_owner(
        &url,
        "INSERT INTO operators (name, name_key, role, pin_hash, created_at, updated_at)
         VALUES ('Eski', 'eski', 'cashier', '$argon2id$v=19$m=19456,t=2,p=1$x$y', '', '')",
    )
    .await;
    let eski = id_of(&sql, "Eski").await;
    let answer: String = sql
        .query_one("SELECT answer FROM dd_sign_in($1, '1234')", &[&eski])
        .await
        .unwrap()
        .get(0);
    assert_eq!(answer, "blocked");
    let keep_pin = desk_core::dto::OperatorInput {
        id: Some(eski),
        pin: None,
        ..operator_input("Eski", Role::Cashier, "", None)
    };
    let e = desk.save_operator(keep_pin.clone()).await.unwrap_err();
    assert_eq!(e.details["field"], "pin");
    desk.save_operator(desk_core::dto::OperatorInput {
        pin: Some("4321".into()),
        ..keep_pin
    })
    .await
    .unwrap();
    sign_in(&desk, "Eski", "4321").await;
}

fn set_up_input(desks_url: &str, owner_password: &str) -> desk_core::dto::TeamSetUpInput {
    let (database, password) = team_settings_of(desks_url);
    let admin = url::Url::parse(&test_postgres()).unwrap();
    desk_core::dto::TeamSetUpInput {
        team: desk_core::dto::TeamJournalInput {
            database,
            password: Some(password),
        },
        owner_user: admin.username().to_owned(),
        owner_password: owner_password.to_owned(),
        supervisor: None,
    }
}

/// The desks' URL for a database not set up yet (its account does not exist yet either).
fn desks_url_of(owner: &str) -> String {
    let mut desks = url::Url::parse(owner).unwrap();
    let name = desks.path().trim_start_matches('/').to_owned();
    desks.set_username(&format!("{name}_desks")).unwrap();
    desks.set_password(Some(DESKS_PASSWORD)).unwrap();
    desks.to_string()
}

#[tokio::test]
async fn a_supervisor_sets_the_team_database_up_with_its_owners_password_kept_nowhere() {
    let f = fixture().await;
    let desks = desks_url_of(&empty_database("auth_setup").await);
    let admin = url::Url::parse(&test_postgres()).unwrap();
    let owner_password = admin.password().unwrap();

    let (database, password) = team_settings_of(&desks);
    let test = |password: String| {
        f.desk.test_team_journal(desk_core::dto::TeamJournalInput {
            database: database.clone(),
            password: Some(password),
        })
    };
    // The desks' account does not exist yet: the server refuses it.
    assert_eq!(
        test(password.clone()).await.unwrap_err().code,
        "journal_auth"
    );
    let wrong = f
        .desk
        .set_up_team_journal(set_up_input(&desks, "not-the-owners"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code, "journal_auth");
    f.desk
        .set_up_team_journal(set_up_input(&desks, owner_password))
        .await
        .unwrap();
    test(password.clone()).await.unwrap();
    // Set up again (an upgrade): nothing changes for the desks.
    f.desk
        .set_up_team_journal(set_up_input(&desks, owner_password))
        .await
        .unwrap();
    test(password).await.unwrap();
    // Nothing kept the owner's password: not the settings, not the keychain.
    let kept = serde_json::to_string(&f.desk.status().await.unwrap()).unwrap();
    assert!(!kept.contains(owner_password));
    let team_password = f.secrets.get(TEAM_PASSWORD_KEY).unwrap();
    assert_ne!(team_password.as_deref(), Some(owner_password));

    // With operators on, only a supervisor may, while the database can tell who is one.
    f.desk
        .save_operator(operator_input("Zeynep", Role::Supervisor, "111111", None))
        .await
        .unwrap();
    f.desk
        .save_operator(operator_input("Ali", Role::Cashier, "2222", None))
        .await
        .unwrap();
    sign_in(&f.desk, "Ali", "2222").await;
    let cashier = f
        .desk
        .set_up_team_journal(set_up_input(&desks, owner_password))
        .await
        .unwrap_err();
    assert_eq!(cashier.code, "not_permitted");
}

/// A team from before desks had their own account: every desk uses the owner's. The desk
/// refuses to work on it, and whoever has the owner's password (there is no PIN the database
/// can check yet) moves the team to a desks' account.
#[tokio::test]
async fn a_desk_on_the_owners_account_moves_to_a_desks_account() {
    let f = fixture().await;
    let desks = fresh_database("auth_move").await;
    let owner = owner_url(&desks);
    choose_team_database(&f.desk, &owner).await;
    let (database, password) = team_settings_of(&owner);
    let on_owner = desk_on(&f, PgJournal::open(&database, &password).unwrap());
    assert_eq!(
        on_owner.staff_status().await.unwrap_err().code,
        "journal_owner_account"
    );
    assert_eq!(
        on_owner
            .gate(desk_core::desk::Need::ManageDesk)
            .await
            .unwrap_err()
            .code,
        "journal_owner_account"
    );
    let admin = url::Url::parse(&test_postgres()).unwrap();
    let status = on_owner
        .set_up_team_journal(set_up_input(&desks, admin.password().unwrap()))
        .await
        .unwrap();
    let desk_core::settings::JournalChoice::Team { database: chosen } = status.journal.chosen
    else {
        panic!("{:?}", status.journal.chosen);
    };
    assert_eq!(chosen.user, team_settings_of(&desks).0.user);
    // The next start: on the desks' account, with the password the keychain now holds.
    let stored = f.secrets.get(TEAM_PASSWORD_KEY).unwrap();
    assert_eq!(stored.as_deref(), Some(DESKS_PASSWORD));
    let restarted = desk_on(&f, PgJournal::open(&chosen, DESKS_PASSWORD).unwrap());
    restarted.staff_status().await.unwrap();
}

#[tokio::test]
async fn setting_up_is_refused_to_a_locked_desk_whose_database_works() {
    let (_f, desk, url, _sql) = team("auth_locked_setup").await;
    desk.sign_out().await.unwrap();
    let admin = url::Url::parse(&test_postgres()).unwrap();
    let e = desk
        .set_up_team_journal(set_up_input(&url, admin.password().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(e.code, "sign_in_required");
}

/// After the update that made the database check PINs, the team's PINs (argon2, checked by the
/// desks before) cannot be checked: nobody signs in, not even a supervisor. Whoever sets the
/// database up with the owner's password gives a supervisor a new PIN there; that supervisor
/// then gives the others theirs.
#[tokio::test]
async fn the_owner_gives_a_supervisor_a_new_pin_when_no_pin_can_be_checked() {
    let (f, _desk, url, sql) = team("auth_owner_pin").await;
    as_owner(
        &url,
        "UPDATE operators SET pin_hash = '$argon2id$v=19$m=19456,t=2,p=1$x$y'",
    )
    .await;
    let zeynep = id_of(&sql, "Zeynep").await;
    let desk = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let blocked = desk
        .sign_in(desk_core::dto::SignInInput {
            operator_id: zeynep,
            pin: "111111".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(blocked.code, "sign_in_blocked");

    let admin = url::Url::parse(&test_postgres()).unwrap();
    let with_pin = |name: &str, pin: &str| desk_core::dto::TeamSetUpInput {
        supervisor: Some(desk_core::dto::TeamSupervisor {
            name: name.into(),
            pin: pin.into(),
        }),
        ..set_up_input(&url, admin.password().unwrap())
    };
    // The desk is locked and its database works: only a supervisor may. On a desk where
    // operators are off (a new desk joining), the owner's password is what counts.
    let locked = desk.set_up_team_journal(with_pin("Zeynep", "654321")).await;
    assert_eq!(locked.unwrap_err().code, "sign_in_required");
    let fresh = fixture().await;
    for (name, pin, code) in [
        ("Zeynep", "6543", "invalid_input"),
        ("Ali", "654321", "supervisor_required"),
        ("Nobody", "654321", "supervisor_required"),
    ] {
        let e = fresh
            .desk
            .set_up_team_journal(with_pin(name, pin))
            .await
            .unwrap_err();
        assert_eq!(e.code, code, "{name}");
    }
    fresh
        .desk
        .set_up_team_journal(with_pin("  zeynep ", "654321"))
        .await
        .unwrap();
    sign_in(&desk, "Zeynep", "654321").await;
}

/// Whoever has the desks' password cannot rewrite history: a final entry's figures and outcome
/// stay, and entries are never deleted. What is not final yet is settled as ever, and the
/// retention purge still forgets old customers.
#[tokio::test]
async fn a_final_journal_entry_is_not_rewritten_by_the_desks_account() {
    let (_f, _desk, url, sql) = team("auth_history").await;
    let journal = PgJournal::connect(&url).await.unwrap();
    let entry = |order: &str| desk_core::journal::NewEntry {
        kind: Some(desk_core::journal::EntryKind::Refund),
        profile_id: "demo".into(),
        environment: "demo".into(),
        currency: "TRY".into(),
        amount: Some(rust_decimal_macros::dec!(300)),
        order_reference: Some(order.into()),
        customer: Some(desk_core::journal::Customer {
            name: "Ayşe".into(),
            surname: "Yılmaz".into(),
            email: "ayse@example.com".into(),
            phone: None,
            note: None,
        }),
        ..Default::default()
    };
    let pending = journal.record(&entry("ORD-PENDING")).await.unwrap();
    let done = journal.record(&entry("ORD-DONE")).await.unwrap();
    let success = desk_core::journal::Settlement {
        outcome: Some(desk_core::journal::Outcome::Success),
        ..Default::default()
    };
    assert!(journal.settle(done, &success).await.unwrap());

    for statement in [
        "UPDATE entries SET outcome = 'failed' WHERE id = $1",
        "UPDATE entries SET amount = '1', amount_minor = 100 WHERE id = $1",
        "UPDATE entries SET operator = 'Somebody' WHERE id = $1",
        "UPDATE entries SET customer_email = 'other@example.com' WHERE id = $1",
    ] {
        let e = sql.execute(statement, &[&done]).await.unwrap_err();
        assert_eq!(state_of(&e), "DD423", "{statement}");
    }
    let e = sql
        .execute("DELETE FROM entries WHERE id = $1", &[&done])
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE));
    let kept = journal.get(done).await.unwrap().unwrap();
    assert_eq!(
        (kept.outcome, kept.amount.map(|m| m.to_string()).as_deref()),
        (desk_core::journal::Outcome::Success, Some("300.00"))
    );
    // Not final yet: settled as ever.
    assert!(journal.settle(pending, &success).await.unwrap());
    // The retention purge forgets the customers of final entries.
    let forgotten = journal
        .purge_customers(chrono::Utc::now() + chrono::TimeDelta::minutes(1))
        .await
        .unwrap();
    assert_eq!(forgotten, 2);
    assert_eq!(journal.get(done).await.unwrap().unwrap().customer, None);
}

/// A session lasts a shift at most: when the database no longer accepts it (expired), the desk
/// does not go on showing the operator signed in while every act is refused: it locks.
#[tokio::test]
async fn a_session_the_database_ended_locks_the_desk() {
    let (_f, desk, url, _sql) = team("auth_expired_desk").await;
    as_owner(
        &url,
        "UPDATE dd_sessions SET expires_at = now() - interval '1 second'",
    )
    .await;
    let e = desk
        .save_operator(operator_input("Eve", Role::Cashier, "4444", None))
        .await
        .unwrap_err();
    assert_eq!(e.code, "sign_in_required");
    assert_eq!(desk.staff_status().await.unwrap().signed_in, None);
    sign_in(&desk, "Zeynep", "111111").await;
    desk.save_operator(operator_input("Eve", Role::Cashier, "4444", None))
        .await
        .unwrap();
}
