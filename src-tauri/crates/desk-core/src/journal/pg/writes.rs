//! Everything that writes the team database: reserving (under transaction-scoped advisory
//! locks, so a reservation holds across desks), settling, retention, and the one place rows are
//! created ([`PgJournal::insert`]).

use super::*;

impl PgJournal {
    pub(super) async fn insert(
        tx: &tokio_postgres::Transaction<'_>,
        e: &NewEntry,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> JournalResult<i64> {
        check_masked(&e.masked_card)?;
        let customer = e.customer.as_ref();
        let day = at.with_timezone(&chrono_tz::Europe::Istanbul).date_naive();
        let row = tx
            .query_one(
                "INSERT INTO entries (created_at, updated_at, day, profile_id, environment, operator,
                    kind, amount, amount_minor, currency, installment, pos_id, pos_name,
                    order_reference, reference_code, transaction_id, masked_card, card_last4,
                    outcome, reason, remaining_before, customer_name, customer_surname,
                    customer_email, customer_phone, customer_note, commission_rate, commission_minor,
                    approved_by, approval_id, sender, sending_until, gateway_account, account_code)
                 VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                    right($16, 4), $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28,
                    $29, $30, $31, $32)
                 RETURNING id",
                &[
                    &at,
                    &day,
                    &e.profile_id,
                    &e.environment,
                    &e.operator,
                    &e.kind.unwrap_or(EntryKind::Payment).as_str(),
                    &e.amount.map(|a| a.to_string()),
                    &e.amount.and_then(minor_units),
                    &e.currency,
                    &e.installment.map(|i| i as i32),
                    &e.pos_id,
                    &e.pos_name,
                    &e.order_reference,
                    &e.reference_code,
                    &e.transaction_id,
                    &e.masked_card,
                    &outcome.as_str(),
                    &e.reason,
                    &e.remaining_before.map(|d| d.to_string()),
                    &customer.map(|c| c.name.clone()),
                    &customer.map(|c| c.surname.clone()),
                    &customer.map(|c| c.email.clone()),
                    &customer.and_then(|c| c.phone.clone()),
                    &customer.and_then(|c| c.note.clone()),
                    &e.commission_rate.map(|r| r.normalize().to_string()),
                    &commission_minor(e.amount, e.commission_rate),
                    &e.approved_by,
                    &e.approval_id,
                    &e.lease.as_ref().map(|l| l.desk.clone()),
                    &e.lease.as_ref().map(|l| l.until),
                    &e.gateway_account,
                    &e.account_code,
                ],
            )
            .await
            .map_err(pg_error)?;
        let id: i64 = row.get(0);
        Self::reindex(tx, id).await?;
        Ok(id)
    }

    /// Recomputes one entry's search text and folded operator, inside `tx`.
    pub(in crate::journal) async fn reindex(
        tx: &tokio_postgres::Transaction<'_>,
        id: i64,
    ) -> JournalResult<()> {
        let row = tx
            .query_one(
                &format!("SELECT {SEARCH_COLUMNS} FROM entries WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_error)?;
        let fields: Vec<Option<String>> = (0..crate::journal::schema::SEARCH_FIELDS)
            .map(|i| row.get(i))
            .collect();
        let operator_key = fold(fields[3].as_deref().unwrap_or_default());
        tx.execute(
            "UPDATE entries SET search_body = $2, operator_key = $3 WHERE id = $1",
            &[&id, &search_body(fields), &operator_key],
        )
        .await
        .map_err(pg_error)?;
        Ok(())
    }

    // The money path's journal steps carry a span (off unless a subscriber asks for trace):
    // the team load benchmark times each step of one entry through them.
    #[tracing::instrument(level = "trace", name = "journal.reserve", skip_all, fields(id))]
    pub(super) async fn reserve_payment(&self, entry: &NewEntry) -> JournalResult<i64> {
        let order = entry.order_reference.as_deref().unwrap_or_default();
        let mut client = self.client_at_once().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        // Every desk reserving this order reference waits here until the first one commits.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('order:' || $1, 0))",
            &[&order],
        )
        .await
        .map_err(pg_error)?;
        let spent: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE kind = 'payment'
                    AND order_reference = $1 AND outcome <> 'notSent')",
                &[&order],
            )
            .await
            .map_err(pg_error)?
            .get(0);
        if spent {
            return Err(AppError::new(
                ErrorCode::AlreadySubmitted,
                "this order reference was already sent",
            )
            .with("orderReference", order));
        }
        let id = Self::insert(&tx, entry, Outcome::Pending, Utc::now()).await?;
        tx.commit().await.map_err(pg_error)?;
        tracing::Span::current().record("id", id);
        Ok(id)
    }

    #[tracing::instrument(level = "trace", name = "journal.reserve", skip_all, fields(id))]
    pub(super) async fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot> {
        let reference = entry.reference_code.as_deref().unwrap_or_default();
        let mut client = self.client_at_once().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        // Every desk reversing this transaction waits here until the first one commits.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('reversal:' || $1, 0))",
            &[&reference],
        )
        .await
        .map_err(pg_error)?;
        let open = tx
            .query_opt(
                &format!(
                    "SELECT {COLUMNS} FROM entries WHERE reference_code = $1
                     AND kind IN ('cancel', 'refund') AND outcome IN ({UNSETTLED})
                     ORDER BY id LIMIT 1"
                ),
                &[&reference],
            )
            .await
            .map_err(pg_error)?;
        if let Some(row) = open {
            return Ok(ReversalSlot::Taken(Box::new(entry_of(&row)?)));
        }
        let latest: Option<String> = tx
            .query_opt(
                &crate::journal::store::LATEST_REMAINING_SQL.replace("{1}", "$1"),
                &[&reference],
            )
            .await
            .map_err(pg_error)?
            .and_then(|row| row.get(0));
        if let Some(left) = crate::journal::store::stale(latest, entry) {
            return Ok(ReversalSlot::Stale(left));
        }
        let id = Self::insert(&tx, entry, Outcome::Pending, Utc::now()).await?;
        tx.commit().await.map_err(pg_error)?;
        tracing::Span::current().record("id", id);
        Ok(ReversalSlot::Reserved(id))
    }

    #[tracing::instrument(level = "trace", name = "journal.settle", skip_all, fields(id = id))]
    pub(super) async fn settle(&self, id: i64, s: &Settlement) -> JournalResult<bool> {
        check_masked(&s.masked_card)?;
        let mut client = self.client_at_once().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let amount: Option<String> = tx
            .query_opt("SELECT amount FROM entries WHERE id = $1", &[&id])
            .await
            .map_err(pg_error)?
            .ok_or_else(|| AppError::new(ErrorCode::JournalIo, format!("no journal entry {id}")))?
            .get(0);
        let commission = commission_minor(amount.and_then(|a| a.parse().ok()), s.commission_rate);
        let outcome = s.outcome.map(Outcome::as_str);
        // A compare-and-set: a final entry, or one another desk is sending, is left alone.
        let changed = tx
            .execute(
                &format!(
                    "UPDATE entries SET updated_at = $2,
                    outcome = COALESCE($3, outcome),
                    reference_code = COALESCE($4, reference_code),
                    transaction_id = COALESCE($5, transaction_id),
                    pos_name = COALESCE($6, pos_name),
                    masked_card = COALESCE($7, masked_card),
                    card_last4 = COALESCE(right($7, 4), card_last4),
                    error_code = CASE WHEN $3::TEXT IS NULL THEN COALESCE($8, error_code)
                        ELSE $8 END,
                    error_message = CASE WHEN $3::TEXT = 'success' THEN $9
                        ELSE COALESCE($9, error_message) END,
                    remaining_after = COALESCE($10, remaining_after),
                    doubt = CASE WHEN $3::TEXT IS NULL THEN doubt ELSE $11 END,
                    commission_rate = COALESCE($12, commission_rate),
                    commission_minor = COALESCE($13, commission_minor),
                    sender = CASE WHEN $15::TIMESTAMPTZ IS NULL THEN NULL ELSE $14 END,
                    sending_until = $15,
                    resolved_by = COALESCE($16, resolved_by),
                    resolution = COALESCE($17, resolution),
                    bank_payment_days = COALESCE($18, bank_payment_days)
                 WHERE id = $1 AND outcome IN ({UNSETTLED})
                    AND (sender IS NULL OR sender = $14 OR sending_until <= $2)"
                ),
                &[
                    &id,
                    &Utc::now(),
                    &outcome,
                    &s.reference_code,
                    &s.transaction_id,
                    &s.pos_name,
                    &s.masked_card,
                    &s.error_code,
                    &s.error_message,
                    &s.remaining_after.map(|d| d.to_string()),
                    &s.doubt.map(Doubt::as_str),
                    &s.commission_rate.map(|r| r.normalize().to_string()),
                    &commission,
                    &s.by,
                    &s.hold_until,
                    &s.resolved_by,
                    &s.resolution,
                    &s.bank_payment_days.map(|d| d as i32),
                ],
            )
            .await
            .map_err(pg_error)?;
        if changed == 0 {
            return Ok(false);
        }
        Self::reindex(&tx, id).await?;
        tx.commit().await.map_err(pg_error)?;
        Ok(true)
    }

    pub(super) async fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_error)?;
        let ids: Vec<i64> = tx
            .query(
                "UPDATE entries SET customer_name = NULL, customer_surname = NULL,
                    customer_email = NULL, customer_phone = NULL, customer_note = NULL
                 WHERE created_at < $1 AND customer_name IS NOT NULL RETURNING id",
                &[&before],
            )
            .await
            .map_err(pg_error)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for id in &ids {
            Self::reindex(&tx, *id).await?;
        }
        let forget_letters = crate::journal::outbox::FORGET_LETTERS_SQL
            .replace("{instr}", "strpos")
            .replace("{1}", "$1");
        tx.execute(&forget_letters, &[&crate::journal::timestamp_text(before)])
            .await
            .map_err(pg_error)?;
        tx.commit().await.map_err(pg_error)?;
        Ok(ids.len())
    }
}
