//! Operators and approval requests in the team database: the same tables and rules as the
//! SQLite journal's, shared by every desk (each change announced on `dd_journal`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio_postgres::Row;

use super::{pg_error, PgJournal};
use crate::journal::staff::{
    name_already_taken, pending_already, refused_try, wait_ends, SignInTry, APPROVAL_SQL,
    BLOCKED_FROM, LONG_WAIT_FROM, REFUSED_TRY_SQL, REOPEN_SQL, RIGHT_PIN_SQL, SHORT_WAIT_FROM,
    TRY_SIGN_IN_SQL,
};
use crate::journal::{
    kind_str, now_text, parse_kind, parse_outcome, staff::name_key, timestamp_text, Approval,
    ApprovalStatus, Decision, JournalResult, NewApproval, OperatorRecord, OperatorWrite, Role,
    Staff,
};

fn operator_of(row: &Row) -> OperatorRecord {
    OperatorRecord {
        id: row.get("id"),
        name: row.get("name"),
        role: Role::parse(row.get("role")),
        pin_hash: row.get("pin_hash"),
        refund_limit: row
            .get::<_, Option<String>>("refund_limit")
            .and_then(|l| l.parse().ok()),
        active: row.get("active"),
        pin_blocked: row.get("pin_blocked"),
    }
}

fn approval_of(row: &Row) -> Approval {
    Approval {
        id: row.get("id"),
        kind: parse_kind(row.get("kind")),
        created_at: row.get("created_at"),
        profile_id: row.get("profile_id"),
        reference_code: row.get("reference_code"),
        transaction_id: row.get("transaction_id"),
        order_reference: row.get("order_reference"),
        amount: row.get("amount"),
        currency: row.get("currency"),
        reason: row.get("reason"),
        remaining_seen: row.get("remaining_seen"),
        requested_by: row.get("requested_by"),
        status: ApprovalStatus::parse(row.get("status")),
        decided_by: row.get("decided_by"),
        decided_at: row.get("decided_at"),
        note: row.get("note"),
        entry_id: row.get("entry_id"),
        refund_outcome: row
            .get::<_, Option<String>>("refund_outcome")
            .as_deref()
            .map(parse_outcome),
    }
}

/// unique_violation
fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
}

impl PgJournal {
    async fn select_approvals(
        &self,
        condition: &str,
        args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> JournalResult<Vec<Approval>> {
        let client = self.client().await?;
        let rows = client
            .query(&APPROVAL_SQL.replace("{where}", condition), args)
            .await
            .map_err(pg_error)?;
        Ok(rows.iter().map(approval_of).collect())
    }
}

#[async_trait]
impl Staff for PgJournal {
    async fn try_sign_in(&self, id: i64, now: DateTime<Utc>) -> JournalResult<SignInTry> {
        let client = self.client().await?;
        let (long, short) = wait_ends(now);
        let counted = client
            .query_opt(
                &TRY_SIGN_IN_SQL.replace('?', "$"),
                &[
                    &id,
                    &timestamp_text(now),
                    &long,
                    &short,
                    &SHORT_WAIT_FROM,
                    &LONG_WAIT_FROM,
                    &BLOCKED_FROM,
                ],
            )
            .await
            .map_err(pg_error)?;
        if let Some(row) = counted {
            return Ok(SignInTry::Check(row.get(0)));
        }
        let found = client
            .query_opt(&REFUSED_TRY_SQL.replace('?', "$"), &[&id])
            .await
            .map_err(pg_error)?;
        Ok(refused_try(found.map(|row| (row.get(0), row.get(1)))))
    }

    async fn right_pin(&self, id: i64) -> JournalResult<()> {
        let client = self.client().await?;
        client
            .execute(&RIGHT_PIN_SQL.replace('?', "$"), &[&id])
            .await
            .map(|_| ())
            .map_err(pg_error)
    }

    async fn operators(&self) -> JournalResult<Vec<OperatorRecord>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT * FROM operators ORDER BY name_key", &[])
            .await
            .map_err(pg_error)?;
        Ok(rows.iter().map(operator_of).collect())
    }

    async fn add_operator(&self, op: &OperatorWrite) -> JournalResult<i64> {
        let client = self.client().await?;
        client
            .query_one(
                "INSERT INTO operators (name, name_key, role, pin_hash, refund_limit, active,
                    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                &[
                    &op.name.trim(),
                    &name_key(&op.name),
                    &op.role.as_str(),
                    &op.pin_hash.as_deref().unwrap_or_default(),
                    &op.refund_limit.map(|l| l.to_string()),
                    &op.active,
                    &now_text(),
                ],
            )
            .await
            .map(|row| row.get(0))
            .map_err(|e| match is_unique_violation(&e) {
                true => name_already_taken(),
                false => pg_error(e),
            })
    }

    async fn change_operator(&self, id: i64, op: &OperatorWrite) -> JournalResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE operators SET name = $2, name_key = $3, role = $4,
                    pin_hash = COALESCE($5, pin_hash), refund_limit = $6, active = $7,
                    updated_at = $8, pin_tries = CASE WHEN $5 IS NULL THEN pin_tries ELSE 0 END,
                    pin_wait_until = CASE WHEN $5 IS NULL THEN pin_wait_until ELSE NULL END,
                    pin_blocked = CASE WHEN $5 IS NULL THEN pin_blocked ELSE FALSE END
                    WHERE id = $1",
                &[
                    &id,
                    &op.name.trim(),
                    &name_key(&op.name),
                    &op.role.as_str(),
                    &op.pin_hash,
                    &op.refund_limit.map(|l| l.to_string()),
                    &op.active,
                    &now_text(),
                ],
            )
            .await
            .map(|_| ())
            .map_err(|e| match is_unique_violation(&e) {
                true => name_already_taken(),
                false => pg_error(e),
            })
    }

    async fn request_approval(&self, r: &NewApproval) -> JournalResult<i64> {
        let client = self.client().await?;
        client
            .query_one(
                "INSERT INTO approvals (created_at, profile_id, reference_code, transaction_id,
                    order_reference, amount, currency, reason, remaining_seen, requested_by, status,
                    kind)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11) RETURNING id",
                &[
                    &now_text(),
                    &r.profile_id,
                    &r.reference_code,
                    &r.transaction_id,
                    &r.order_reference,
                    &r.amount.to_string(),
                    &r.currency,
                    &r.reason,
                    &r.remaining_seen.to_string(),
                    &r.requested_by,
                    &kind_str(r.kind),
                ],
            )
            .await
            .map(|row| row.get(0))
            .map_err(|e| match is_unique_violation(&e) {
                true => pending_already(&r.reference_code),
                false => pg_error(e),
            })
    }

    async fn approvals(&self, since: DateTime<Utc>) -> JournalResult<Vec<Approval>> {
        self.select_approvals(
            "a.status = 'pending' OR a.decided_at >= $1",
            &[&timestamp_text(since)],
        )
        .await
    }

    async fn approval(&self, id: i64) -> JournalResult<Option<Approval>> {
        Ok(self.select_approvals("a.id = $1", &[&id]).await?.pop())
    }

    async fn decide(&self, id: i64, decision: &Decision) -> JournalResult<bool> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE approvals SET status = $2, decided_by = $3, decided_at = $4, note = $5
                 WHERE id = $1 AND status = 'pending'",
                &[
                    &id,
                    &decision.status.as_str(),
                    &decision.by,
                    &now_text(),
                    &decision.note,
                ],
            )
            .await
            .map(|changed| changed == 1)
            .map_err(pg_error)
    }

    async fn reopen(&self, id: i64) -> JournalResult<()> {
        let client = self.client().await?;
        client
            .execute(&REOPEN_SQL.replace("{1}", "$1"), &[&id])
            .await
            .map(|_| ())
            .map_err(pg_error)
    }
}
