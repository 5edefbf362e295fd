//! Versioned schema. Each step is applied once (tracked in SQLite's `user_version`); never edit
//! a released step, add the next one.

use rusqlite_migration::{Migrations, M};

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
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
