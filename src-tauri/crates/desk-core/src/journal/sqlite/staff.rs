//! Operators and approval requests in the desk's own SQLite journal.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::word;
use crate::journal::staff::pin::{hash_pin, pin_matches};
use crate::journal::staff::{
    name_key, Approval, ApprovalStatus, Decision, NewApproval, OperatorRecord, OperatorWrite, Role,
    SignInAnswer, Staff, APPROVAL_SQL, BLOCKED_FROM, LONG_WAIT_FROM, SHORT_WAIT_FROM,
};
use crate::journal::store::blocking;
use crate::journal::{
    db_error, now_text, timestamp_text, EntryKind, JournalResult, Outcome, SqliteJournal,
};

/// One sign-in try as the desk's own journal counted it, before the PIN is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
enum SignInTry {
    /// Counted: check the PIN against this hash.
    Check(String),
    /// Too many wrong PINs: not counted, no PIN checked until then.
    WaitUntil(DateTime<Utc>),
    /// Too many wrong PINs for waiting to help: a supervisor sets a new PIN.
    Blocked,
    /// No active operator with that id.
    Unknown,
}

/// Counts a try before its PIN is checked, in one statement, so that tries at once on many desks
/// are all counted and none gets past the wait the ones before it set (`?1` id, `?2` now, `?3` and
/// `?4` the long and short waits' ends, as RFC 3339 text). The right PIN resets the count.
const TRY_SIGN_IN_SQL: &str = "UPDATE operators SET pin_tries = pin_tries + 1,
    pin_blocked = (pin_tries + 1 >= ?7),
    pin_wait_until = CASE WHEN pin_tries + 1 >= ?6 THEN ?3 WHEN pin_tries + 1 >= ?5 THEN ?4
        ELSE NULL END
    WHERE id = ?1 AND active AND NOT pin_blocked
    AND (pin_wait_until IS NULL OR pin_wait_until <= ?2)
    RETURNING pin_hash";

/// Why a try was not counted (`?1` id).
const REFUSED_TRY_SQL: &str =
    "SELECT pin_blocked, pin_wait_until FROM operators WHERE id = ?1 AND active";

const RIGHT_PIN_SQL: &str =
    "UPDATE operators SET pin_tries = 0, pin_wait_until = NULL WHERE id = ?1 AND NOT pin_blocked";

/// The answer to a try that was not counted: blocked, the wait, or nobody.
fn refused_try(found: Option<(bool, Option<String>)>) -> SignInTry {
    match found {
        None => SignInTry::Unknown,
        Some((true, _)) => SignInTry::Blocked,
        Some((false, until)) => until
            .and_then(|u| DateTime::parse_from_rfc3339(&u).ok())
            .map(|u| SignInTry::WaitUntil(u.with_timezone(&Utc)))
            .unwrap_or(SignInTry::Unknown),
    }
}

/// The ends of the long and short waits for a try at `now`.
fn wait_ends(now: DateTime<Utc>) -> (String, String) {
    (
        timestamp_text(now + chrono::Duration::minutes(5)),
        timestamp_text(now + chrono::Duration::seconds(30)),
    )
}

fn operator_from(row: &Row<'_>) -> rusqlite::Result<OperatorRecord> {
    Ok(OperatorRecord {
        id: row.get("id")?,
        name: row.get("name")?,
        role: word(Role::parse(&row.get::<_, String>("role")?))?,
        refund_limit: row
            .get::<_, Option<String>>("refund_limit")?
            .and_then(|l| l.parse().ok()),
        active: row.get("active")?,
        pin_blocked: row.get("pin_blocked")?,
    })
}

fn approval_from(row: &Row<'_>) -> rusqlite::Result<Approval> {
    Ok(Approval {
        id: row.get("id")?,
        kind: word(EntryKind::parse(&row.get::<_, String>("kind")?))?,
        created_at: row.get("created_at")?,
        profile_id: row.get("profile_id")?,
        reference_code: row.get("reference_code")?,
        transaction_id: row.get("transaction_id")?,
        order_reference: row.get("order_reference")?,
        amount: row.get("amount")?,
        currency: row.get("currency")?,
        reason: row.get("reason")?,
        remaining_seen: row.get("remaining_seen")?,
        requested_by: row.get("requested_by")?,
        status: word(ApprovalStatus::parse(&row.get::<_, String>("status")?))?,
        decided_by: row.get("decided_by")?,
        decided_at: row.get("decided_at")?,
        note: row.get("note")?,
        entry_id: row.get("entry_id")?,
        refund_outcome: row
            .get::<_, Option<String>>("refund_outcome")?
            .as_deref()
            .map(|o| word(Outcome::parse(o)))
            .transpose()?,
    })
}

/// The operator's new PIN as this file keeps it.
async fn hashed(operator: &OperatorWrite) -> JournalResult<Option<String>> {
    match &operator.pin {
        Some(pin) => Ok(Some(hash_pin(pin.to_string()).await?)),
        None => Ok(None),
    }
}

/// A unique index refused the write.
fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ConstraintViolation)
    )
}

impl SqliteJournal {
    /// Counts a sign-in try of operator `id` at `now` (see [`TRY_SIGN_IN_SQL`]).
    async fn try_sign_in(&self, id: i64, now: DateTime<Utc>) -> JournalResult<SignInTry> {
        blocking(|| {
            let conn = self.conn();
            let (long, short) = wait_ends(now);
            let counted: Option<String> = conn
                .query_row(
                    TRY_SIGN_IN_SQL,
                    params![
                        id,
                        timestamp_text(now),
                        long,
                        short,
                        SHORT_WAIT_FROM,
                        LONG_WAIT_FROM,
                        BLOCKED_FROM
                    ],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_error)?;
            if let Some(hash) = counted {
                return Ok(SignInTry::Check(hash));
            }
            let found = conn
                .query_row(REFUSED_TRY_SQL, [id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
                .map_err(db_error)?;
            Ok(refused_try(found))
        })
    }

    /// The PIN was right: the count of wrong ones starts again.
    async fn right_pin(&self, id: i64) -> JournalResult<()> {
        blocking(|| {
            self.conn()
                .execute(RIGHT_PIN_SQL, [id])
                .map(|_| ())
                .map_err(db_error)
        })
    }

    fn write_operator(
        &self,
        id: Option<i64>,
        op: &OperatorWrite,
        pin_hash: Option<String>,
    ) -> JournalResult<i64> {
        let conn = self.conn();
        let now = now_text();
        let limit = op.refund_limit.map(|l| l.to_string());
        let written = match id {
            None => conn
                .execute(
                    "INSERT INTO operators (name, name_key, role, pin_hash, refund_limit, active,
                        created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                    params![
                        op.name.trim(),
                        name_key(&op.name),
                        op.role.as_str(),
                        pin_hash.as_deref().unwrap_or_default(),
                        limit,
                        op.active,
                        now
                    ],
                )
                .map(|_| conn.last_insert_rowid()),
            Some(id) => conn
                .execute(
                    "UPDATE operators SET name = ?2, name_key = ?3, role = ?4,
                        pin_hash = COALESCE(?5, pin_hash), refund_limit = ?6, active = ?7,
                        updated_at = ?8, pin_tries = CASE WHEN ?5 IS NULL THEN pin_tries ELSE 0 END,
                        pin_wait_until = CASE WHEN ?5 IS NULL THEN pin_wait_until ELSE NULL END,
                        pin_blocked = CASE WHEN ?5 IS NULL THEN pin_blocked ELSE FALSE END
                        WHERE id = ?1",
                    params![
                        id,
                        op.name.trim(),
                        name_key(&op.name),
                        op.role.as_str(),
                        pin_hash,
                        limit,
                        op.active,
                        now
                    ],
                )
                .map(|_| id),
        };
        written.map_err(|e| match is_unique_violation(&e) {
            true => crate::journal::staff::name_already_taken(),
            false => db_error(e),
        })
    }

    fn select_approvals(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> JournalResult<Vec<Approval>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&APPROVAL_SQL.replace("{where}", condition))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(args, approval_from)
            .map_err(db_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db_error)?;
        Ok(rows)
    }
}

#[async_trait]
impl Staff for SqliteJournal {
    async fn sign_in(&self, id: i64, pin: &str) -> JournalResult<SignInAnswer> {
        let hash = match self.try_sign_in(id, Utc::now()).await? {
            SignInTry::Check(hash) => hash,
            SignInTry::WaitUntil(until) => return Ok(SignInAnswer::WaitUntil(until)),
            SignInTry::Blocked => return Ok(SignInAnswer::Blocked),
            SignInTry::Unknown => return Ok(SignInAnswer::Unknown),
        };
        if !pin_matches(pin.to_owned(), hash).await? {
            return Ok(SignInAnswer::Wrong);
        }
        self.right_pin(id).await?;
        Ok(SignInAnswer::Right)
    }

    async fn operators(&self) -> JournalResult<Vec<OperatorRecord>> {
        blocking(|| {
            let conn = self.conn();
            let mut stmt = conn
                .prepare("SELECT * FROM operators ORDER BY name_key")
                .map_err(db_error)?;
            let rows = stmt
                .query_map([], operator_from)
                .map_err(db_error)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_error)?;
            Ok(rows)
        })
    }

    async fn add_operator(&self, operator: &OperatorWrite) -> JournalResult<i64> {
        let hash = hashed(operator).await?;
        let id = blocking(|| self.write_operator(None, operator, hash))?;
        self.announce(0);
        Ok(id)
    }

    async fn change_operator(&self, id: i64, operator: &OperatorWrite) -> JournalResult<()> {
        let hash = hashed(operator).await?;
        blocking(|| self.write_operator(Some(id), operator, hash))?;
        self.announce(0);
        Ok(())
    }

    async fn request_approval(&self, r: &NewApproval) -> JournalResult<i64> {
        let id = blocking(|| {
            let conn = self.conn();
            conn.execute(
                "INSERT INTO approvals (created_at, profile_id, reference_code, transaction_id,
                    order_reference, amount, currency, reason, remaining_seen, requested_by, status,
                    kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending', ?11)",
                params![
                    now_text(),
                    r.profile_id,
                    r.reference_code,
                    r.transaction_id,
                    r.order_reference,
                    r.amount.to_string(),
                    r.currency,
                    r.reason,
                    r.remaining_seen.to_string(),
                    r.requested_by,
                    r.kind.as_str()
                ],
            )
            .map(|_| conn.last_insert_rowid())
            .map_err(|e| match is_unique_violation(&e) {
                true => crate::journal::staff::pending_already(&r.reference_code),
                false => db_error(e),
            })
        })?;
        self.announce(0);
        Ok(id)
    }

    async fn approvals(&self, since: DateTime<Utc>) -> JournalResult<Vec<Approval>> {
        blocking(|| {
            self.select_approvals(
                "a.status = 'pending' OR a.decided_at >= ?1",
                [timestamp_text(since)],
            )
        })
    }

    async fn approval(&self, id: i64) -> JournalResult<Option<Approval>> {
        blocking(|| Ok(self.select_approvals("a.id = ?1", [id])?.pop()))
    }

    async fn decide(&self, id: i64, decision: &Decision) -> JournalResult<bool> {
        let decided = blocking(|| {
            self.conn()
                .execute(
                    "UPDATE approvals SET status = ?2, decided_by = ?3, decided_at = ?4, note = ?5
                     WHERE id = ?1 AND status = 'pending'",
                    params![
                        id,
                        decision.status.as_str(),
                        decision.by,
                        now_text(),
                        decision.note
                    ],
                )
                .map(|changed| changed == 1)
                .map_err(db_error)
        })?;
        if decided {
            self.announce(0);
        }
        Ok(decided)
    }

    async fn reopen(&self, id: i64) -> JournalResult<()> {
        blocking(|| {
            self.conn()
                .execute(
                    &crate::journal::staff::REOPEN_SQL.replace("{1}", "?1"),
                    [id],
                )
                .map_err(db_error)
        })?;
        self.announce(0);
        Ok(())
    }
}
