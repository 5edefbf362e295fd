//! The outbox table, the same on SQLite and PostgreSQL (plain types; times are RFC 3339 text
//! with milliseconds in UTC, which sort as they read).

/// `state`: `waiting` (to be sent, from `next_try_at`), `sent`, `kept` (Demo: never sent) or
/// `failed` (given up). `sending_by`/`sending_until`: the desk trying it now. The recipient
/// and the body are the customer's: the retention purge forgets them with the customer.
pub const OUTBOX_SCHEMA: &str = "CREATE TABLE outbox (
        id            INTEGER PRIMARY KEY,
        entry_id      INTEGER NOT NULL,
        profile_id    TEXT NOT NULL,
        environment   TEXT NOT NULL,
        recipient     TEXT NOT NULL,
        lang          TEXT NOT NULL,
        subject       TEXT NOT NULL,
        plain         TEXT NOT NULL,
        html          TEXT NOT NULL,
        operator      TEXT NOT NULL DEFAULT '',
        created_at    TEXT NOT NULL,
        state         TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        next_try_at   TEXT NOT NULL,
        sending_by    TEXT,
        sending_until TEXT,
        sent_at       TEXT,
        last_error    TEXT
    );
    CREATE INDEX outbox_due ON outbox (next_try_at) WHERE state = 'waiting';
    CREATE INDEX outbox_entry ON outbox (entry_id);
    CREATE INDEX outbox_profile ON outbox (profile_id, id);";
