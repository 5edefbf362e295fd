//! Versioned schema. Each step is applied once (tracked in SQLite's `user_version`); never edit
//! a released step, add the next one.

use rusqlite_migration::{Migrations, M};

use super::fold::fold;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        // v1: one row per operation started from this desktop. Amounts are exact decimal text
        // plus integer minor units for range filters. No card number or CVV column, by design.
        M::up(
            "CREATE TABLE entries (
                id              INTEGER PRIMARY KEY,
                created_at      TEXT NOT NULL,
                updated_at      TEXT NOT NULL,
                profile_id      TEXT NOT NULL,
                environment     TEXT NOT NULL,
                operator        TEXT NOT NULL DEFAULT '',
                kind            TEXT NOT NULL CHECK (kind IN ('payment', 'cancel', 'refund')),
                amount          TEXT,
                amount_minor    INTEGER,
                currency        TEXT NOT NULL,
                installment     INTEGER,
                pos_id          TEXT,
                pos_name        TEXT,
                order_reference TEXT,
                reference_code  TEXT,
                transaction_id  TEXT,
                masked_card     TEXT,
                outcome         TEXT NOT NULL,
                error_code      TEXT,
                error_message   TEXT,
                reason          TEXT,
                remaining_after TEXT
            );
            CREATE INDEX entries_created ON entries (created_at);",
        ),
        // v2: card last four for the "card ends in" filter, and lookup indexes.
        M::up(
            "ALTER TABLE entries ADD COLUMN card_last4 TEXT;
            UPDATE entries SET card_last4 = substr(masked_card, -4) WHERE masked_card IS NOT NULL;
            CREATE INDEX entries_order_reference ON entries (order_reference);
            CREATE INDEX entries_reference_code ON entries (reference_code);
            CREATE INDEX entries_outcome ON entries (outcome);",
        ),
        // v3: Turkish-aware search. A trigram full-text index over folded text (references,
        // operator, POS, card, reason, error, amount) and a folded operator column.
        // (Its rows are indexed by the last step's hook: `reindex` reads today's columns, which
        // an older file only has once every step has run.)
        M::up(
            "ALTER TABLE entries ADD COLUMN operator_key TEXT;
            CREATE VIRTUAL TABLE entries_fts USING fts5(body, tokenize = 'trigram');",
        ),
        // v4: the money path (ARCHITECTURE.md). A reversal's baseline (refundable amount before it),
        // why an entry is in doubt, the settling window's "not found since / how often", and
        // the states `inDoubt` (was `unknown`) and `notSent`.
        M::up(
            "ALTER TABLE entries ADD COLUMN remaining_before TEXT;
            ALTER TABLE entries ADD COLUMN doubt TEXT;
            ALTER TABLE entries ADD COLUMN absent_since TEXT;
            ALTER TABLE entries ADD COLUMN absent_checks INTEGER NOT NULL DEFAULT 0;
            UPDATE entries SET outcome = 'inDoubt', doubt = 'answerLost' WHERE outcome = 'unknown';
            UPDATE entries SET doubt = 'noBaseline'
                WHERE kind IN ('cancel', 'refund') AND outcome IN ('pending', 'inDoubt');",
        ),
        // v5: the customer (ARCHITECTURE.md): name, e-mail, phone and note as typed, searchable, purged
        // by the retention setting. Never card data or TCKN.
        // Every row is indexed again (the search body now holds the customer).
        M::up_with_hook(
            "ALTER TABLE entries ADD COLUMN customer_name TEXT;
            ALTER TABLE entries ADD COLUMN customer_surname TEXT;
            ALTER TABLE entries ADD COLUMN customer_email TEXT;
            ALTER TABLE entries ADD COLUMN customer_phone TEXT;
            ALTER TABLE entries ADD COLUMN customer_note TEXT;",
            reindex_all,
        ),
        // v6: reports (ARCHITECTURE.md). The commission rate the gateway applied and the commission
        // in minor units (a payment's, or what a cancel or refund gives back), and the
        // Istanbul calendar day, so reports group by plain columns on SQLite and PostgreSQL
        // alike. Turkey has kept UTC+3 all year since 2016. Covering indexes so that reports
        // and totals (of everything, or of a date range) read no table rows; without planner
        // statistics SQLite picks them because they match more terms. They start with the
        // outcome, so they replace v2's outcome index.
        M::up(
            "ALTER TABLE entries ADD COLUMN commission_rate TEXT;
            ALTER TABLE entries ADD COLUMN commission_minor INTEGER;
            ALTER TABLE entries ADD COLUMN day TEXT;
            UPDATE entries SET day = date(created_at, '+3 hours');
            CREATE INDEX entries_report ON entries (profile_id, day, pos_name, pos_id,
                installment, operator, currency, kind, amount_minor, commission_minor)
                WHERE outcome = 'success';
            DROP INDEX entries_outcome;
            CREATE INDEX entries_totals ON entries (outcome, currency, kind, amount_minor,
                commission_minor);
            CREATE INDEX entries_totals_by_date ON entries (outcome, created_at, currency, kind,
                amount_minor, commission_minor);",
        ),
        // v7: team mode (ARCHITECTURE.md). Operators (a PIN only as an argon2id hash) and refund
        // approval requests; a refund records who approved it and which request it answers.
        // At most one pending request per transaction, and one refund per request, held by
        // unique indexes rather than by the desk's checks.
        M::up(STAFF_SCHEMA),
        // v8: the file's identity, made when it is first copied into a team database.
        M::up("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"),
        // v9: desks sharing a journal. The desk sending an entry holds it until a time (no other
        // desk settles it meanwhile), and every entry names the gateway account that made it
        // (only that account's sessions settle it). An entry left in doubt for good can be
        // resolved by a supervisor: who, and why.
        M::up(
            "ALTER TABLE entries ADD COLUMN sender TEXT;
            ALTER TABLE entries ADD COLUMN sending_until TEXT;
            ALTER TABLE entries ADD COLUMN gateway_account TEXT;
            ALTER TABLE entries ADD COLUMN resolved_by TEXT;
            ALTER TABLE entries ADD COLUMN resolution TEXT;",
        ),
        // v10: wrong PINs counted in the journal, shared by every desk on it and kept across
        // restarts.
        M::up(PIN_TRIES_SCHEMA),
        // v11: a request for a supervisor is a refund's or a cancel's.
        M::up(APPROVAL_KIND_SCHEMA),
        // v12: for the accountant.
        M::up(ACCOUNTING_SCHEMA),
        // v13: letters to customers, waiting to be sent or sent.
        M::up(super::OUTBOX_SCHEMA),
    ])
}

/// Wrong PINs in a row, the wait they impose (RFC 3339 text, as every time in `operators`) and
/// whether the operator is blocked until a supervisor sets a new PIN; the same on both stores.
pub const PIN_TRIES_SCHEMA: &str =
    "ALTER TABLE operators ADD COLUMN pin_tries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE operators ADD COLUMN pin_wait_until TEXT;
    ALTER TABLE operators ADD COLUMN pin_blocked BOOLEAN NOT NULL DEFAULT FALSE;";

/// What an approval request asks to send: `refund` or `cancel`; the same on both stores.
pub const APPROVAL_KIND_SCHEMA: &str =
    "ALTER TABLE approvals ADD COLUMN kind TEXT NOT NULL DEFAULT 'refund';";

/// The customer's account code in the dealer's books ("cari kod"), kept with the entry (not
/// with the customer's details, which the retention setting forgets), and the days after the
/// sale the bank pays, when the gateway says.
/// The account code is remembered per customer (by e-mail): the index finds their latest.
pub const ACCOUNTING_SCHEMA: &str = "ALTER TABLE entries ADD COLUMN account_code TEXT;
    ALTER TABLE entries ADD COLUMN bank_payment_days INTEGER;
    CREATE INDEX IF NOT EXISTS entries_account_codes ON entries (lower(customer_email), id)
        WHERE account_code IS NOT NULL;";

/// Operators and approvals, the same on SQLite and PostgreSQL (plain types, partial indexes).
pub const STAFF_SCHEMA: &str = "CREATE TABLE operators (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        name_key     TEXT NOT NULL UNIQUE,
        role         TEXT NOT NULL CHECK (role IN ('cashier', 'backOffice', 'supervisor')),
        pin_hash     TEXT NOT NULL,
        refund_limit TEXT,
        active       BOOLEAN NOT NULL DEFAULT TRUE,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE TABLE approvals (
        id              INTEGER PRIMARY KEY,
        created_at      TEXT NOT NULL,
        profile_id      TEXT NOT NULL,
        reference_code  TEXT NOT NULL,
        transaction_id  TEXT,
        order_reference TEXT,
        amount          TEXT NOT NULL,
        currency        TEXT NOT NULL,
        reason          TEXT NOT NULL,
        remaining_seen  TEXT NOT NULL,
        requested_by    TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_by      TEXT,
        decided_at      TEXT,
        note            TEXT
    );
    CREATE UNIQUE INDEX approvals_one_pending ON approvals (reference_code)
        WHERE status = 'pending';
    CREATE INDEX approvals_created ON approvals (created_at);
    ALTER TABLE entries ADD COLUMN approved_by TEXT;
    ALTER TABLE entries ADD COLUMN approval_id INTEGER;
    CREATE UNIQUE INDEX entries_one_per_approval ON entries (approval_id)
        WHERE approval_id IS NOT NULL;";

fn reindex_all(tx: &rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM entries")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    // The search columns this step of the schema has; those of later steps are still empty.
    let present: Vec<String> = tx
        .prepare("SELECT name FROM pragma_table_info('entries')")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let columns = SEARCH_COLUMNS
        .split(',')
        .map(str::trim)
        .map(|c| match present.iter().any(|p| p == c) {
            true => c.to_owned(),
            false => format!("NULL AS {c}"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    for id in ids {
        reindex_from(tx, id, &columns)?;
    }
    Ok(())
}

/// The columns the search text is made of, in the order [`search_body`] takes them.
pub const SEARCH_COLUMNS: &str =
    "order_reference, reference_code, transaction_id, operator, pos_name, \
    masked_card, reason, error_code, amount, currency, customer_name, customer_surname, \
    customer_email, customer_phone, customer_note, account_code";

/// How many columns [`SEARCH_COLUMNS`] names.
pub const SEARCH_FIELDS: usize = 16;

/// The folded text quick search looks in, from [`SEARCH_COLUMNS`]' values (the same on every
/// store, so a search finds the same entries on SQLite and PostgreSQL).
pub fn search_body(fields: Vec<Option<String>>) -> String {
    // The amount is searchable as typed in either convention: 1234.56 and 1234,56.
    let amount_comma = fields[8].as_ref().map(|a| a.replace('.', ","));
    // The customer is found by their whole name too ("ayşe yılmaz").
    let full_name = match (&fields[10], &fields[11]) {
        (Some(name), Some(surname)) => Some(format!("{name} {surname}")),
        _ => None,
    };
    let body: Vec<String> = fields
        .into_iter()
        .chain([amount_comma, full_name])
        .flatten()
        .collect();
    fold(&body.join(" \u{1f} "))
}

/// Recomputes the search text and folded operator of one entry.
pub fn reindex(conn: &rusqlite::Connection, id: i64) -> rusqlite::Result<()> {
    reindex_from(conn, id, SEARCH_COLUMNS)
}

/// [`reindex`] from `columns` (a migration step older than some search column gives `NULL`
/// for it).
fn reindex_from(conn: &rusqlite::Connection, id: i64, columns: &str) -> rusqlite::Result<()> {
    let (fields, operator): (Vec<Option<String>>, String) = conn.query_row(
        &format!("SELECT {columns} FROM entries WHERE id = ?1"),
        [id],
        |r| {
            let fields = (0..SEARCH_FIELDS)
                .map(|i| r.get::<_, Option<String>>(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((fields, r.get::<_, String>(3)?))
        },
    )?;
    conn.execute(
        "UPDATE entries SET operator_key = ?2 WHERE id = ?1",
        rusqlite::params![id, fold(&operator)],
    )?;
    conn.execute("DELETE FROM entries_fts WHERE rowid = ?1", [id])?;
    conn.execute(
        "INSERT INTO entries_fts (rowid, body) VALUES (?1, ?2)",
        rusqlite::params![id, search_body(fields)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
