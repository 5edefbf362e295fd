//! Operators and approval requests in the team database: the same tables and rules as the
//! SQLite journal's, shared by every desk (each change announced on `dd_journal`), written
//! only through the database's own functions (see `authority`) with this desk's session.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio_postgres::Row;

use super::{pg_error, word, PgJournal};
use crate::journal::staff::{name_already_taken, pending_already, APPROVAL_SQL};
use crate::journal::{
    now_text, staff::name_key, timestamp_text, Approval, ApprovalStatus, Decision, EntryKind,
    JournalResult, NewApproval, OperatorRecord, OperatorWrite, Outcome, Role, SignInAnswer, Staff,
};

fn operator_of(row: &Row) -> JournalResult<OperatorRecord> {
    Ok(OperatorRecord {
        id: row.get("id"),
        name: row.get("name"),
        role: word(Role::parse(row.get("role")))?,
        refund_limit: row
            .get::<_, Option<String>>("refund_limit")
            .and_then(|l| l.parse().ok()),
        active: row.get("active"),
        pin_blocked: row.get("pin_blocked"),
    })
}

fn approval_of(row: &Row) -> JournalResult<Approval> {
    Ok(Approval {
        id: row.get("id"),
        kind: word(EntryKind::parse(row.get("kind")))?,
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
        status: word(ApprovalStatus::parse(row.get("status")))?,
        decided_by: row.get("decided_by"),
        decided_at: row.get("decided_at"),
        note: row.get("note"),
        entry_id: row.get("entry_id"),
        refund_outcome: row
            .get::<_, Option<String>>("refund_outcome")
            .as_deref()
            .map(|o| word(Outcome::parse(o)))
            .transpose()?,
    })
}

/// What the database refused of an operator, as the form shows it.
fn operator_refused(e: tokio_postgres::Error) -> crate::error::AppError {
    use crate::error::{AppError, Field, Reason};
    match e.as_db_error().map(|d| d.code().code()) {
        Some("DD422") => AppError::field(Field::Pin, Reason::PinDigits),
        Some("DD428") => AppError::field(Field::Pin, Reason::Required),
        _ => pg_error(e),
    }
}

/// unique_violation
fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
}

impl PgJournal {
    async fn save_operator(&self, id: Option<i64>, op: &OperatorWrite) -> JournalResult<i64> {
        let client = self.client().await?;
        client
            .query_one(
                "SELECT dd_save_operator($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &self.session_token(),
                    &id,
                    &op.name.trim(),
                    &name_key(&op.name),
                    &op.role.as_str(),
                    &op.pin.as_deref().map(String::as_str),
                    &op.refund_limit.map(|l| l.to_string()),
                    &op.active,
                    &now_text(),
                ],
            )
            .await
            .map(|row| row.get(0))
            .map_err(|e| match is_unique_violation(&e) {
                true => name_already_taken(),
                false => operator_refused(e),
            })
    }

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
        rows.iter().map(approval_of).collect()
    }
}

#[async_trait]
impl Staff for PgJournal {
    async fn sign_in(&self, id: i64, pin: &str) -> JournalResult<SignInAnswer> {
        let client = self.client().await?;
        let row = client
            .query_one("SELECT * FROM dd_sign_in($1, $2)", &[&id, &pin])
            .await
            .map_err(pg_error)?;
        let answer = match row.get::<_, &str>("answer") {
            "right" => {
                let fresh: String = row.get("token");
                if let Some(ended) = self.session_token() {
                    // The operator before on this desk: their session ends with this one.
                    let _ = client.execute("SELECT dd_sign_out($1)", &[&ended]).await;
                }
                self.keep_session(Some(fresh));
                SignInAnswer::Right
            }
            "wrong" => SignInAnswer::Wrong,
            "wait" => match row.get::<_, Option<DateTime<Utc>>>("wait_until") {
                Some(until) => SignInAnswer::WaitUntil(until),
                None => SignInAnswer::Unknown,
            },
            "blocked" => SignInAnswer::Blocked,
            _ => SignInAnswer::Unknown,
        };
        Ok(answer)
    }

    async fn sign_out(&self) -> JournalResult<()> {
        let Some(token) = self.session_token() else {
            return Ok(());
        };
        self.keep_session(None);
        let client = self.client().await?;
        client
            .execute("SELECT dd_sign_out($1)", &[&token])
            .await
            .map(|_| ())
            .map_err(pg_error)
    }

    async fn operators(&self) -> JournalResult<Vec<OperatorRecord>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, name, role, refund_limit, active, pin_blocked FROM operators
                 ORDER BY name_key",
                &[],
            )
            .await
            .map_err(pg_error)?;
        rows.iter().map(operator_of).collect()
    }

    async fn add_operator(&self, op: &OperatorWrite) -> JournalResult<i64> {
        self.save_operator(None, op).await
    }

    async fn change_operator(&self, id: i64, op: &OperatorWrite) -> JournalResult<()> {
        self.save_operator(Some(id), op).await.map(|_| ())
    }

    async fn request_approval(&self, r: &NewApproval) -> JournalResult<i64> {
        let client = self.client().await?;
        client
            .query_one(
                "SELECT dd_request_approval($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &[
                    &self.session_token(),
                    &r.kind.as_str(),
                    &r.profile_id,
                    &r.reference_code,
                    &r.transaction_id,
                    &r.order_reference,
                    &r.amount.to_string(),
                    &r.currency,
                    &r.reason,
                    &r.remaining_seen.to_string(),
                    &r.requested_by,
                    &now_text(),
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
            .query_one(
                "SELECT dd_decide_approval($1, $2, $3, $4, $5, $6)",
                &[
                    &self.session_token(),
                    &id,
                    &decision.status.as_str(),
                    &decision.by,
                    &decision.note,
                    &now_text(),
                ],
            )
            .await
            .map(|row| row.get(0))
            .map_err(pg_error)
    }

    async fn reopen(&self, id: i64) -> JournalResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "SELECT dd_reopen_approval($1, $2)",
                &[&self.session_token(), &id],
            )
            .await
            .map(|_| ())
            .map_err(pg_error)
    }
}
