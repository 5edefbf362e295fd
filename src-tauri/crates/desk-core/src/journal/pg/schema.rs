//! The team journal's versioned schema. Each step runs once, in a transaction, recorded in
//! `dd_schema`; never edit a released step, add the next one. A database whose version is above
//! the last step here was set up by a newer app: this one refuses it instead of guessing.

use deadpool_postgres::Client;

use crate::error::{AppError, ErrorCode};
use crate::journal::JournalResult;

use super::pg_error;

/// The same columns and meaning as the SQLite journal's current schema; `search_body` and
/// `operator_key` hold the folded text quick search and the operator filter look in, indexed
/// by trigrams (`pg_trgm`) as SQLite's FTS5 trigram index does.
const STEPS: &[&str] = &[
    // v1
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE entries (
        id               BIGSERIAL PRIMARY KEY,
        created_at       TIMESTAMPTZ NOT NULL,
        updated_at       TIMESTAMPTZ NOT NULL,
        day              DATE NOT NULL,
        profile_id       TEXT NOT NULL,
        environment      TEXT NOT NULL,
        operator         TEXT NOT NULL DEFAULT '',
        operator_key     TEXT NOT NULL DEFAULT '',
        kind             TEXT NOT NULL CHECK (kind IN ('payment', 'cancel', 'refund')),
        amount           TEXT,
        amount_minor     BIGINT,
        currency         TEXT NOT NULL,
        installment      INTEGER,
        pos_id           TEXT,
        pos_name         TEXT,
        order_reference  TEXT,
        reference_code   TEXT,
        transaction_id   TEXT,
        masked_card      TEXT,
        card_last4       TEXT,
        outcome          TEXT NOT NULL,
        error_code       TEXT,
        error_message    TEXT,
        reason           TEXT,
        remaining_after  TEXT,
        remaining_before TEXT,
        doubt            TEXT,
        absent_since     TIMESTAMPTZ,
        absent_checks    INTEGER NOT NULL DEFAULT 0,
        customer_name    TEXT,
        customer_surname TEXT,
        customer_email   TEXT,
        customer_phone   TEXT,
        customer_note    TEXT,
        commission_rate  TEXT,
        commission_minor BIGINT,
        search_body      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX entries_created ON entries (created_at);
    CREATE INDEX entries_order_reference ON entries (order_reference);
    CREATE INDEX entries_reference_code ON entries (reference_code);
    CREATE INDEX entries_card_last4 ON entries (card_last4);
    CREATE INDEX entries_search ON entries USING gin (search_body gin_trgm_ops);
    CREATE INDEX entries_operator ON entries USING gin (operator_key gin_trgm_ops);
    CREATE INDEX entries_report ON entries (profile_id, day, pos_name, pos_id, installment,
        operator, currency, kind) INCLUDE (amount_minor, commission_minor)
        WHERE outcome = 'success';
    CREATE INDEX entries_totals ON entries (outcome, currency, kind)
        INCLUDE (amount_minor, commission_minor);
    CREATE INDEX entries_totals_by_date ON entries (outcome, created_at)
        INCLUDE (currency, kind, amount_minor, commission_minor);
    CREATE INDEX entries_unsettled ON entries (outcome)
        WHERE outcome IN ('pending', 'inDoubt', 'abandoned');",
    // v2: every new or changed entry is announced to the desks listening (LISTEN dd_journal).
    "CREATE FUNCTION dd_notify_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('dd_journal', NEW.id::text);
        RETURN NULL;
    END $$;
    CREATE TRIGGER entries_notify AFTER INSERT OR UPDATE ON entries
        FOR EACH ROW EXECUTE FUNCTION dd_notify_entry();",
];

/// The schema version this app writes.
pub const LATEST: i32 = STEPS.len() as i32;

/// Brings the database to [`LATEST`]; one desk at a time (an advisory lock), so desks starting
/// together do not migrate twice.
pub async fn migrate(client: &mut Client) -> JournalResult<()> {
    let tx = client.transaction().await.map_err(pg_error)?;
    tx.execute("SELECT pg_advisory_xact_lock(4242001)", &[])
        .await
        .map_err(pg_error)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS dd_schema (version INTEGER NOT NULL)")
        .await
        .map_err(pg_error)?;
    let version: i32 = tx
        .query_opt("SELECT version FROM dd_schema", &[])
        .await
        .map_err(pg_error)?
        .map(|row| row.get(0))
        .unwrap_or(0);
    if version > LATEST {
        return Err(AppError::new(
            ErrorCode::JournalNewer,
            format!("the team journal is at schema {version}; this app knows {LATEST}"),
        ));
    }
    for step in &STEPS[version as usize..] {
        tx.batch_execute(step).await.map_err(pg_error)?;
    }
    if version == 0 {
        tx.execute("INSERT INTO dd_schema (version) VALUES ($1)", &[&LATEST])
            .await
            .map_err(pg_error)?;
    } else if version < LATEST {
        tx.execute("UPDATE dd_schema SET version = $1", &[&LATEST])
            .await
            .map_err(pg_error)?;
    }
    tx.commit().await.map_err(pg_error)
}
