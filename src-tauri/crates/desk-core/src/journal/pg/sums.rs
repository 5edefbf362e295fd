//! What the whole team journal adds up to, kept as it changes. The Transactions screen opens on
//! the whole journal, and every window showing it reloads its count and totals whenever any
//! desk writes: at a million entries counting takes ~60 ms and adding up ~100 ms, work dozens of
//! windows would repeat every second. A trigger notes each entry's change of currency, kind,
//! outcome or amounts as rows of `entry_sum_changes` (new rows only, so writers never wait on
//! each other) and now and then folds them into `entry_sums`, one row per currency, kind and
//! outcome. The whole journal's count and totals are those rows added up; a filter still reads
//! the entries.

use tokio_postgres::Client;

use super::pg_error;
use crate::journal::totals::CurrencyTotals;
use crate::journal::JournalResult;

/// Schema v12.
pub(super) const STEP: &str = "
CREATE TABLE IF NOT EXISTS entry_sums (
    currency         TEXT NOT NULL,
    kind             TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    entries          BIGINT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    commission_minor BIGINT NOT NULL,
    PRIMARY KEY (currency, kind, outcome)
);
CREATE TABLE IF NOT EXISTS entry_sum_changes (
    id               BIGSERIAL PRIMARY KEY,
    currency         TEXT NOT NULL,
    kind             TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    entries          BIGINT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    commission_minor BIGINT NOT NULL
);
-- Folded rows stay until vacuumed: vacuumed after every thousand, not after a fifth of the
-- table as by default.
ALTER TABLE entry_sum_changes SET (autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0);
-- Folds the changes noted so far into the sums: one desk at a time, the others leave it to
-- that one. Only the folder writes `entry_sums`, so no writer waits on its rows.
CREATE OR REPLACE FUNCTION dd_fold_entry_sums() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(4242002) THEN
        RETURN;
    END IF;
    WITH moved AS (
        DELETE FROM entry_sum_changes
        RETURNING currency, kind, outcome, entries, amount_minor, commission_minor
    )
    INSERT INTO entry_sums AS s
        SELECT currency, kind, outcome, sum(entries), sum(amount_minor), sum(commission_minor)
        FROM moved GROUP BY currency, kind, outcome
    ON CONFLICT (currency, kind, outcome) DO UPDATE SET
        entries = s.entries + EXCLUDED.entries,
        amount_minor = s.amount_minor + EXCLUDED.amount_minor,
        commission_minor = s.commission_minor + EXCLUDED.commission_minor;
END $$;
-- An entry written, changed or removed: what it took out of the sums and what it adds.
CREATE OR REPLACE FUNCTION dd_note_entry_sums() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    noted BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO entry_sum_changes
            (currency, kind, outcome, entries, amount_minor, commission_minor)
        VALUES (OLD.currency, OLD.kind, OLD.outcome, -1, -coalesce(OLD.amount_minor, 0),
            -coalesce(OLD.commission_minor, 0))
        RETURNING id INTO noted;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO entry_sum_changes
            (currency, kind, outcome, entries, amount_minor, commission_minor)
        VALUES (NEW.currency, NEW.kind, NEW.outcome, 1, coalesce(NEW.amount_minor, 0),
            coalesce(NEW.commission_minor, 0))
        RETURNING id INTO noted;
    END IF;
    IF noted % 512 = 0 THEN
        PERFORM dd_fold_entry_sums();
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER entries_sums_written AFTER INSERT OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION dd_note_entry_sums();
CREATE OR REPLACE TRIGGER entries_sums_changed AFTER UPDATE ON entries
    FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency
        OR OLD.kind IS DISTINCT FROM NEW.kind
        OR OLD.outcome IS DISTINCT FROM NEW.outcome
        OR OLD.amount_minor IS DISTINCT FROM NEW.amount_minor
        OR OLD.commission_minor IS DISTINCT FROM NEW.commission_minor)
    EXECUTE FUNCTION dd_note_entry_sums();
-- What the journal holds now (no desk writes meanwhile: the triggers' creation locked it).
TRUNCATE entry_sums, entry_sum_changes;
INSERT INTO entry_sums
    SELECT currency, kind, outcome, count(*), coalesce(sum(amount_minor), 0),
        coalesce(sum(commission_minor), 0)
    FROM entries GROUP BY currency, kind, outcome;
REVOKE ALL ON entry_sums, entry_sum_changes FROM PUBLIC;
REVOKE ALL ON FUNCTION dd_fold_entry_sums() FROM PUBLIC;";

/// The desks' account reads the sums; only the trigger's functions write them.
pub(super) fn grants(desks: &str) -> String {
    format!("GRANT SELECT ON entry_sums, entry_sum_changes TO {desks};")
}

/// The sums as folded plus the changes not folded yet, per currency, kind and outcome. The
/// changes are read from their oldest on through the key: folded ones leave empty pages before
/// the few rows left (a vacuum cannot cut them off), which reading the table whole would step
/// through (~80 ms after a million changes, where this takes a millisecond).
const WHOLE_JOURNAL: &str = "
SELECT currency, kind, outcome, CAST(sum(entries) AS BIGINT) AS entries,
    CAST(sum(amount_minor) AS BIGINT) AS amount_minor,
    CAST(sum(commission_minor) AS BIGINT) AS commission_minor
FROM (SELECT currency, kind, outcome, entries, amount_minor, commission_minor FROM entry_sums
    UNION ALL
    SELECT currency, kind, outcome, entries, amount_minor, commission_minor
    FROM entry_sum_changes WHERE id >= (SELECT min(id) FROM entry_sum_changes)) AS noted
GROUP BY currency, kind, outcome";

/// How many entries the whole journal holds.
pub(super) async fn count(client: &Client) -> JournalResult<i64> {
    let row = client
        .query_one(
            &format!(
                "SELECT CAST(coalesce(sum(entries), 0) AS BIGINT) FROM ({WHOLE_JOURNAL}) AS w"
            ),
            &[],
        )
        .await
        .map_err(pg_error)?;
    Ok(row.get(0))
}

/// The whole journal's totals, as a filter's would be.
pub(super) async fn totals(client: &Client) -> JournalResult<Vec<CurrencyTotals>> {
    let rows = client
        .query(
            &format!(
                "SELECT currency, kind, entries, amount_minor, commission_minor
                 FROM ({WHOLE_JOURNAL}) AS w WHERE outcome = 'success' AND entries <> 0
                 ORDER BY currency, kind"
            ),
            &[],
        )
        .await
        .map_err(pg_error)?;
    super::reads::totals_of(&rows)
}
