//! The team database as the authority over who may do what. Two accounts: the owner, which
//! sets the database up and upgrades it (a supervisor types its password when needed; no desk
//! keeps it), and the desks' account, which reads what desks need and changes operators,
//! approvals and team settings only through the functions here. They run as the owner
//! (`SECURITY DEFINER`) and check a session: signing in happens in the database (PINs hashed
//! with pgcrypto's bcrypt, the hash column unreadable by desks, wrong PINs counted atomically),
//! and returns a token the other functions require of an operator of a permitted role. So a
//! desk holding the desks' password still cannot approve, add operators or raise a limit
//! without a supervisor's PIN.
//!
//! Why bcrypt in the database and not the argon2 the desk's own file uses: a hash checked in
//! Rust has to reach the desk, and whoever has the desks' password could then read it and guess
//! a 4-digit PIN offline in minutes. pgcrypto ships with PostgreSQL and keeps the check where
//! the hash is. PINs hashed before this step (argon2) cannot be checked by the database: those
//! operators get a new PIN from a supervisor.

use crate::journal::staff::{BLOCKED_FROM, LONG_WAIT_FROM, SHORT_WAIT_FROM};

/// How long a session lasts at most (a shift); the desk ends it sooner when it locks.
pub const SESSION_HOURS: i32 = 12;

/// Schema step: sessions, the functions desks write through and the guard of final entries (safe to run again, as every
/// step since v6 is: a database an older app set back runs its steps again).
pub fn step() -> String {
    format!(
        r#"CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE IF NOT EXISTS dd_sessions (
    token_hash  BYTEA PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    expires_at  TIMESTAMPTZ NOT NULL
);
DO $$ BEGIN
    CREATE TYPE dd_operator AS (id BIGINT, name TEXT, role TEXT);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

-- Times in the staff tables are RFC 3339 text with milliseconds, as the desks write them.
CREATE OR REPLACE FUNCTION dd_time_text(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- How the database keeps a PIN: bcrypt, cost 10 (new PINs here and at the owner's set-up).
CREATE OR REPLACE FUNCTION dd_pin_hash(p_pin TEXT) RETURNS TEXT
LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS
$$ SELECT crypt(p_pin, gen_salt('bf', 10)) $$;

-- The operator whose session `p_token` is, if their role is one of `p_roles`; NULL while no
-- operator is active (operators off: whoever is at a desk is everyone, and makes the first
-- supervisor). DD401: no valid session; DD403: a role not permitted.
CREATE OR REPLACE FUNCTION dd_session_operator(p_token TEXT, p_roles TEXT[]) RETURNS dd_operator
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    me dd_operator;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM operators WHERE active) THEN
        RETURN NULL;
    END IF;
    SELECT o.id, o.name, o.role INTO me
        FROM dd_sessions s JOIN operators o ON o.id = s.operator_id
        WHERE s.token_hash = digest(coalesce(p_token, ''), 'sha256')
            AND s.expires_at > now() AND o.active;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'a signed-in operator is required' USING ERRCODE = 'DD401';
    END IF;
    IF NOT me.role = ANY (p_roles) THEN
        RAISE EXCEPTION 'a % may not do this', me.role USING ERRCODE = 'DD403';
    END IF;
    RETURN me;
END $$;

-- A sign-in: the try is counted before the PIN is checked, in one statement, so tries at once
-- on many desks are all counted and none gets past the wait the ones before it set. Answers
-- 'right' with a new session's token, 'wrong', 'wait' (until), 'blocked' or 'unknown'.
CREATE OR REPLACE FUNCTION dd_sign_in(p_operator BIGINT, p_pin TEXT)
RETURNS TABLE (answer TEXT, token TEXT, wait_until TIMESTAMPTZ)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    hash TEXT;
    fresh TEXT;
BEGIN
    UPDATE operators SET pin_tries = pin_tries + 1,
        pin_blocked = (pin_tries + 1 >= {blocked_from}),
        pin_wait_until = CASE
            WHEN pin_tries + 1 >= {long_from} THEN dd_time_text(now() + interval '5 minutes')
            WHEN pin_tries + 1 >= {short_from} THEN dd_time_text(now() + interval '30 seconds')
            ELSE NULL END
        WHERE id = p_operator AND active AND NOT pin_blocked
            AND (pin_wait_until IS NULL OR pin_wait_until::timestamptz <= now())
        RETURNING pin_hash INTO hash;
    IF NOT FOUND THEN
        SELECT CASE WHEN o.pin_blocked THEN 'blocked' ELSE 'wait' END,
                o.pin_wait_until::timestamptz
            INTO answer, wait_until FROM operators o WHERE o.id = p_operator AND o.active;
        IF NOT FOUND THEN
            answer := 'unknown';
        END IF;
        RETURN NEXT;
        RETURN;
    END IF;
    IF hash NOT LIKE '$2%' THEN
        -- No PIN the database can check (copied in, or hashed before this step).
        answer := 'blocked';
    ELSIF crypt(p_pin, hash) IS DISTINCT FROM hash THEN
        answer := 'wrong';
    ELSE
        UPDATE operators SET pin_tries = 0, pin_wait_until = NULL WHERE id = p_operator;
        DELETE FROM dd_sessions WHERE expires_at <= now();
        fresh := encode(gen_random_bytes(32), 'hex');
        INSERT INTO dd_sessions (token_hash, operator_id, expires_at)
            VALUES (digest(fresh, 'sha256'), p_operator, now() + interval '{hours} hours');
        answer := 'right';
        token := fresh;
    END IF;
    RETURN NEXT;
END $$;

CREATE OR REPLACE FUNCTION dd_sign_out(p_token TEXT) RETURNS VOID
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM dd_sessions WHERE token_hash = digest(coalesce(p_token, ''), 'sha256');
$$;

-- Adds (p_id NULL) or changes an operator: a supervisor's session. A new PIN (4 to 12 digits,
-- a supervisor's at least 6) is hashed here and clears wrong tries and any block. Active
-- operators need a PIN the database can check, and always include a supervisor.
CREATE OR REPLACE FUNCTION dd_save_operator(p_token TEXT, p_id BIGINT, p_name TEXT, p_name_key TEXT,
    p_role TEXT, p_pin TEXT, p_refund_limit TEXT, p_active BOOLEAN, p_now TEXT)
RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    hash TEXT;
    saved BIGINT;
BEGIN
    PERFORM dd_session_operator(p_token, ARRAY['supervisor']);
    IF p_pin IS NOT NULL THEN
        IF p_pin !~ '^[0-9]{{4,12}}$' OR (p_role = 'supervisor' AND length(p_pin) < 6) THEN
            RAISE EXCEPTION 'a PIN is 4 to 12 digits, a supervisor''s at least 6'
                USING ERRCODE = 'DD422';
        END IF;
        hash := dd_pin_hash(p_pin);
    END IF;
    IF p_id IS NULL THEN
        INSERT INTO operators (name, name_key, role, pin_hash, refund_limit, active,
                created_at, updated_at)
            VALUES (p_name, p_name_key, p_role, coalesce(hash, ''), p_refund_limit, p_active,
                p_now, p_now)
            RETURNING id INTO saved;
    ELSE
        UPDATE operators SET name = p_name, name_key = p_name_key, role = p_role,
                pin_hash = coalesce(hash, pin_hash), refund_limit = p_refund_limit,
                active = p_active, updated_at = p_now,
                pin_tries = CASE WHEN hash IS NULL THEN pin_tries ELSE 0 END,
                pin_wait_until = CASE WHEN hash IS NULL THEN pin_wait_until ELSE NULL END,
                pin_blocked = CASE WHEN hash IS NULL THEN pin_blocked ELSE FALSE END
            WHERE id = p_id
            RETURNING id INTO saved;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no operator %', p_id USING ERRCODE = 'DD404';
        END IF;
    END IF;
    IF p_active AND NOT EXISTS (SELECT 1 FROM operators WHERE id = saved
            AND pin_hash LIKE '$2%') THEN
        RAISE EXCEPTION 'an active operator needs a PIN' USING ERRCODE = 'DD428';
    END IF;
    IF EXISTS (SELECT 1 FROM operators WHERE active) AND NOT EXISTS (SELECT 1 FROM operators
            WHERE active AND role = 'supervisor') THEN
        RAISE EXCEPTION 'active operators need an active supervisor' USING ERRCODE = 'DD409';
    END IF;
    RETURN saved;
END $$;

-- A request for a supervisor, from back office or a supervisor (in their name).
CREATE OR REPLACE FUNCTION dd_request_approval(p_token TEXT, p_kind TEXT, p_profile_id TEXT,
    p_reference_code TEXT, p_transaction_id TEXT, p_order_reference TEXT, p_amount TEXT,
    p_currency TEXT, p_reason TEXT, p_remaining_seen TEXT, p_requested_by TEXT, p_now TEXT)
RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me dd_operator;
    filed BIGINT;
BEGIN
    me := dd_session_operator(p_token, ARRAY['backOffice', 'supervisor']);
    INSERT INTO approvals (created_at, profile_id, reference_code, transaction_id,
            order_reference, amount, currency, reason, remaining_seen, requested_by, status, kind)
        VALUES (p_now, p_profile_id, p_reference_code, p_transaction_id, p_order_reference,
            p_amount, p_currency, p_reason, p_remaining_seen, coalesce(me.name, p_requested_by),
            'pending', p_kind)
        RETURNING id INTO filed;
    RETURN filed;
END $$;

-- A supervisor's decision, in their name; false when it was not pending any more.
CREATE OR REPLACE FUNCTION dd_decide_approval(p_token TEXT, p_id BIGINT, p_status TEXT, p_by TEXT,
    p_note TEXT, p_now TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me dd_operator;
BEGIN
    me := dd_session_operator(p_token, ARRAY['supervisor']);
    IF p_status NOT IN ('approved', 'rejected') THEN
        RAISE EXCEPTION 'a decision approves or rejects' USING ERRCODE = 'DD422';
    END IF;
    UPDATE approvals SET status = p_status, decided_by = coalesce(me.name, p_by),
            decided_at = p_now, note = p_note
        WHERE id = p_id AND status = 'pending';
    RETURN FOUND;
END $$;

-- Back to pending, only while no refund was journaled for it: a supervisor's session.
CREATE OR REPLACE FUNCTION dd_reopen_approval(p_token TEXT, p_id BIGINT) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM dd_session_operator(p_token, ARRAY['supervisor']);
    UPDATE approvals SET status = 'pending', decided_by = NULL, decided_at = NULL, note = NULL
        WHERE id = p_id AND status = 'approved'
            AND NOT EXISTS (SELECT 1 FROM entries WHERE approval_id = p_id);
END $$;

-- A final entry is history: whoever writes (a desk, or anyone with the desks' password), its
-- figures and outcome stay as they are. Only its customer may be forgotten (the retention
-- purge) and its search text follow.
CREATE OR REPLACE FUNCTION dd_keep_final_entries() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    forgettable CONSTANT TEXT[] := ARRAY['customer_name', 'customer_surname', 'customer_email',
        'customer_phone', 'customer_note', 'search_body', 'operator_key'];
BEGIN
    IF OLD.outcome IN ({final_outcomes}) AND (
        (to_jsonb(NEW) - forgettable) IS DISTINCT FROM (to_jsonb(OLD) - forgettable)
        OR (NEW.customer_name IS NOT NULL AND NEW.customer_name IS DISTINCT FROM OLD.customer_name)
        OR (NEW.customer_surname IS NOT NULL
            AND NEW.customer_surname IS DISTINCT FROM OLD.customer_surname)
        OR (NEW.customer_email IS NOT NULL
            AND NEW.customer_email IS DISTINCT FROM OLD.customer_email)
        OR (NEW.customer_phone IS NOT NULL
            AND NEW.customer_phone IS DISTINCT FROM OLD.customer_phone)
        OR (NEW.customer_note IS NOT NULL AND NEW.customer_note IS DISTINCT FROM OLD.customer_note)
    ) THEN
        RAISE EXCEPTION 'journal entry % is final and does not change', OLD.id
            USING ERRCODE = 'DD423';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS entries_keep_final ON entries;
CREATE TRIGGER entries_keep_final BEFORE UPDATE ON entries
    FOR EACH ROW EXECUTE FUNCTION dd_keep_final_entries();

CREATE OR REPLACE FUNCTION dd_save_team_settings(p_token TEXT, p_doc TEXT) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM dd_session_operator(p_token, ARRAY['supervisor']);
    -- A changed retention purges again at once, even on a day the purge already ran.
    UPDATE team_settings SET doc = p_doc, purged_on = NULL WHERE id = 1;
END $$;"#,
        blocked_from = BLOCKED_FROM,
        long_from = LONG_WAIT_FROM,
        short_from = SHORT_WAIT_FROM,
        hours = SESSION_HOURS,
        final_outcomes = crate::model::Outcome::FINAL_SQL,
    )
}

/// The functions desks call; nobody else may (not even PUBLIC, PostgreSQL's default).
const DESK_FUNCTIONS: &str = "dd_sign_in(BIGINT, TEXT), dd_sign_out(TEXT),
    dd_save_operator(TEXT, BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, BOOLEAN, TEXT),
    dd_request_approval(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT),
    dd_decide_approval(TEXT, BIGINT, TEXT, TEXT, TEXT, TEXT),
    dd_reopen_approval(TEXT, BIGINT), dd_save_team_settings(TEXT, TEXT)";

/// What the desks' account (`desks`, a quoted role name) may do, granted again after every
/// setup so that a new step's tables are covered: read entries, approvals, settings and
/// operators without their PIN columns; add entries and settle them (no deletes; a final one
/// does not change, see `dd_keep_final_entries`); write letters to the outbox and record how
/// they went; mark the retention purge; call the functions
/// above. Nothing else, for PUBLIC neither.
pub fn grants(desks: &str) -> String {
    format!(
        "REVOKE ALL ON entries, operators, approvals, team_settings, dd_schema, dd_sessions
            FROM PUBLIC;
        -- Nobody else creates objects beside the functions (PostgreSQL 15 and later already
        -- refuse; older servers allowed it, and a look-alike function could be found first).
        -- Only a superuser or the schema's owner may revoke: anyone else gets a warning.
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        REVOKE ALL ON FUNCTION {DESK_FUNCTIONS} FROM PUBLIC;
        REVOKE ALL ON FUNCTION dd_session_operator(TEXT, TEXT[]), dd_pin_hash(TEXT)
            FROM PUBLIC;
        GRANT SELECT, INSERT, UPDATE ON entries TO {desks};
        GRANT USAGE ON SEQUENCE entries_id_seq TO {desks};
        REVOKE ALL ON outbox FROM PUBLIC;
        GRANT SELECT, INSERT, UPDATE ON outbox TO {desks};
        GRANT USAGE ON SEQUENCE outbox_id_seq TO {desks};
        GRANT SELECT (id, name, name_key, role, refund_limit, active, created_at, updated_at,
            pin_blocked) ON operators TO {desks};
        GRANT SELECT ON approvals, team_settings, dd_schema TO {desks};
        GRANT UPDATE (purged_on) ON team_settings TO {desks};
        GRANT EXECUTE ON FUNCTION {DESK_FUNCTIONS} TO {desks};
        {sums}",
        sums = super::sums::grants(desks)
    )
}
