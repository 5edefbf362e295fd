//! Everything that writes the SQLite journal: reserving, settling, leases, retention, and the
//! one place rows are created ([`insert`]).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::*;

fn order_spent(conn: &Connection, order: &str) -> JournalResult<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE kind = 'payment' AND order_reference = ?1
            AND outcome <> 'notSent')",
        [order],
        |r| r.get(0),
    )
    .map_err(db_error)
}

impl SqliteJournal {
    /// Writes a pending entry (row and search index in one transaction) and returns its id.
    /// Durable when this returns.
    pub fn record(&self, entry: &NewEntry) -> JournalResult<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        let id = insert(&tx, entry, Outcome::Pending, Utc::now())?;
        tx.commit().map_err(db_error)?;
        Ok(id)
    }

    /// Writes a payment's pending entry unless its order reference is already spent: sent
    /// before (in any state but `notSent`), here or in an earlier run. Check and write are one
    /// transaction, so two writers cannot both reserve a reference.
    pub fn reserve_payment(&self, entry: &NewEntry) -> JournalResult<i64> {
        let order = entry.order_reference.as_deref().unwrap_or_default();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_error)?;
        if order_spent(&tx, order)? {
            return Err(AppError::new(
                ErrorCode::AlreadySubmitted,
                "this order reference was already sent",
            )
            .with("orderReference", order));
        }
        let id = insert(&tx, entry, Outcome::Pending, Utc::now())?;
        tx.commit().map_err(db_error)?;
        Ok(id)
    }

    /// A cancel's or refund's pending entry, unless an earlier one of the same transaction is
    /// not final (one transaction, one open reversal: ARCHITECTURE.md). One IMMEDIATE transaction, so
    /// two writers on the file cannot both reserve.
    pub fn reserve_reversal(&self, entry: &NewEntry) -> JournalResult<ReversalSlot> {
        let reference = entry.reference_code.as_deref().unwrap_or_default();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_error)?;
        let open = tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM entries WHERE reference_code = ?1
                     AND kind IN ('cancel', 'refund') AND outcome IN ({UNSETTLED}) ORDER BY id LIMIT 1"
                ),
                [reference],
                entry_from,
            )
            .optional()
            .map_err(db_error)?;
        if let Some(open) = open {
            return Ok(ReversalSlot::Taken(Box::new(open)));
        }
        let latest: Option<String> = tx
            .query_row(
                &store::LATEST_REMAINING_SQL.replace("{1}", "?1"),
                [reference],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_error)?
            .flatten();
        if let Some(left) = store::stale(latest, entry) {
            return Ok(ReversalSlot::Stale(left));
        }
        let id = insert(&tx, entry, Outcome::Pending, Utc::now())?;
        tx.commit().map_err(db_error)?;
        Ok(ReversalSlot::Reserved(id))
    }

    /// Whether a payment with this order reference was ever sent (reservations, ARCHITECTURE.md).
    pub fn is_order_spent(&self, order: &str) -> JournalResult<bool> {
        order_spent(&self.conn(), order)
    }

    /// Records how an operation stands now, if it is not final and no other desk's live lease
    /// holds it (compare-and-set; `false`: nothing written). The search index follows in the
    /// same transaction.
    pub fn settle(&self, id: i64, s: &Settlement) -> JournalResult<bool> {
        check_masked(&s.masked_card)?;
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        let commission = match s.commission_rate {
            Some(rate) => {
                let amount: Option<String> = tx
                    .query_row("SELECT amount FROM entries WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()
                    .map_err(db_error)?
                    .flatten();
                let amount = amount.and_then(|a| a.parse::<Decimal>().ok());
                commission_minor(amount, Some(rate))
            }
            None => None,
        };
        let changed = tx
            .execute(
                &format!(
                    "UPDATE entries SET updated_at = ?2,
                    outcome = COALESCE(?3, outcome),
                    reference_code = COALESCE(?4, reference_code),
                    transaction_id = COALESCE(?5, transaction_id),
                    pos_name = COALESCE(?6, pos_name),
                    masked_card = COALESCE(?7, masked_card),
                    card_last4 = COALESCE(substr(?7, -4), card_last4),
                    error_code = CASE WHEN ?3 IS NULL THEN COALESCE(?8, error_code) ELSE ?8 END,
                    error_message = CASE WHEN ?3 = 'success' THEN ?9
                        ELSE COALESCE(?9, error_message) END,
                    remaining_after = COALESCE(?10, remaining_after),
                    doubt = CASE WHEN ?3 IS NULL THEN doubt ELSE ?11 END,
                    commission_rate = COALESCE(?12, commission_rate),
                    commission_minor = COALESCE(?13, commission_minor),
                    sender = CASE WHEN ?15 IS NULL THEN NULL ELSE ?14 END,
                    sending_until = ?15,
                    resolved_by = COALESCE(?16, resolved_by),
                    resolution = COALESCE(?17, resolution),
                    bank_payment_days = COALESCE(?18, bank_payment_days)
                 WHERE id = ?1 AND outcome IN ({UNSETTLED})
                    AND (sender IS NULL OR sender IS ?14 OR sending_until <= ?2)"
                ),
                params![
                    id,
                    now_text(),
                    s.outcome.map(Outcome::as_str),
                    s.reference_code,
                    s.transaction_id,
                    s.pos_name,
                    s.masked_card,
                    s.error_code,
                    s.error_message,
                    s.remaining_after.map(|d| d.to_string()),
                    s.doubt.map(Doubt::as_str),
                    s.commission_rate.map(|r| r.normalize().to_string()),
                    commission,
                    s.by,
                    s.hold_until.map(timestamp_text),
                    s.resolved_by,
                    s.resolution,
                    s.bank_payment_days,
                ],
            )
            .map_err(db_error)?;
        if changed == 0 {
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)",
                    [id],
                    |r| r.get(0),
                )
                .map_err(db_error)?;
            if !exists {
                return Err(AppError::new(
                    ErrorCode::JournalIo,
                    format!("no journal entry {id}"),
                ));
            }
            return Ok(false);
        }
        schema::reindex(&tx, id).map_err(db_error)?;
        tx.commit().map_err(db_error)?;
        Ok(true)
    }

    /// Lets go of an entry this desk held for sending (nothing else changes).
    pub fn release(&self, id: i64, desk: &str) -> JournalResult<()> {
        self.conn()
            .execute(
                "UPDATE entries SET sender = NULL, sending_until = NULL
                 WHERE id = ?1 AND sender = ?2",
                params![id, desk],
            )
            .map(|_| ())
            .map_err(db_error)
    }

    /// Notes that the gateway did not know the entry's transaction at `now`; returns since when
    /// and how many times in a row it has said so (the settling window's evidence).
    pub fn note_absent(&self, id: i64, now: DateTime<Utc>) -> JournalResult<(DateTime<Utc>, u32)> {
        let conn = self.conn();
        let at = timestamp_text(now);
        conn.execute(
            "UPDATE entries SET absent_since = COALESCE(absent_since, ?2),
                absent_checks = absent_checks + 1 WHERE id = ?1",
            params![id, at],
        )
        .map_err(db_error)?;
        let (since, checks): (String, u32) = conn
            .query_row(
                "SELECT absent_since, absent_checks FROM entries WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db_error)?;
        let since = DateTime::parse_from_rfc3339(&since)
            .map_err(db_error)?
            .with_timezone(&Utc);
        Ok((since, checks))
    }

    /// The gateway knows the entry's transaction after all: the absence streak is over.
    pub fn note_present(&self, id: i64) -> JournalResult<()> {
        self.conn()
            .execute(
                "UPDATE entries SET absent_since = NULL, absent_checks = 0 WHERE id = ?1",
                [id],
            )
            .map(|_| ())
            .map_err(db_error)
    }

    /// Forgets the customer of every entry created before `before` (the retention setting);
    /// returns how many entries it touched. The rest of each entry stays.
    pub fn purge_customers(&self, before: DateTime<Utc>) -> JournalResult<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        let ids: Vec<i64> = tx
            .prepare(
                "UPDATE entries SET customer_name = NULL, customer_surname = NULL,
                    customer_email = NULL, customer_phone = NULL, customer_note = NULL
                 WHERE created_at < ?1 AND customer_name IS NOT NULL RETURNING id",
            )
            .and_then(|mut stmt| {
                stmt.query_map([timestamp_text(before)], |r| r.get(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(db_error)?;
        for id in &ids {
            schema::reindex(&tx, *id).map_err(db_error)?;
        }
        let forget_letters = crate::journal::outbox::FORGET_LETTERS_SQL
            .replace("{instr}", "instr")
            .replace("{1}", "?1");
        tx.execute(&forget_letters, [timestamp_text(before)])
            .map_err(db_error)?;
        tx.commit().map_err(db_error)?;
        Ok(ids.len())
    }

    /// Bulk insert for benchmarks and tests: one transaction.
    pub fn record_many(&self, entries: &[(NewEntry, Outcome, DateTime<Utc>)]) -> JournalResult<()> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_error)?;
        for (entry, outcome, at) in entries {
            insert(&tx, entry, *outcome, *at)?;
        }
        tx.commit().map_err(db_error)
    }
}

/// Inserts one entry (and its search index row); the only place rows are created.
fn insert(
    conn: &Connection,
    e: &NewEntry,
    outcome: Outcome,
    at: DateTime<Utc>,
) -> JournalResult<i64> {
    check_masked(&e.masked_card)?;
    conn.prepare_cached(
        "INSERT INTO entries (created_at, updated_at, profile_id, environment, operator, kind, amount, amount_minor,
            currency, installment, pos_id, pos_name, order_reference, reference_code, transaction_id,
            masked_card, card_last4, outcome, reason, remaining_before, customer_name, customer_surname,
            customer_email, customer_phone, customer_note, commission_rate, commission_minor, day,
            approved_by, approval_id, sender, sending_until, gateway_account, account_code)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, substr(?15, -4), ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            timestamp_text(at),
            e.profile_id,
            e.environment,
            e.operator,
            e.kind.unwrap_or(EntryKind::Payment).as_str(),
            e.amount.map(|a| a.to_string()),
            e.amount.and_then(minor_units),
            e.currency,
            e.installment,
            e.pos_id,
            e.pos_name,
            e.order_reference,
            e.reference_code,
            e.transaction_id,
            e.masked_card,
            outcome.as_str(),
            e.reason,
            e.remaining_before.map(|d| d.to_string()),
            e.customer.as_ref().map(|c| c.name.clone()),
            e.customer.as_ref().map(|c| c.surname.clone()),
            e.customer.as_ref().map(|c| c.email.clone()),
            e.customer.as_ref().and_then(|c| c.phone.clone()),
            e.customer.as_ref().and_then(|c| c.note.clone()),
            e.commission_rate.map(|r| r.normalize().to_string()),
            commission_minor(e.amount, e.commission_rate),
            istanbul_day(at),
            e.approved_by,
            e.approval_id,
            e.lease.as_ref().map(|l| l.desk.clone()),
            e.lease.as_ref().map(|l| timestamp_text(l.until)),
            e.gateway_account,
            e.account_code,
        ])
    })
    .map_err(db_error)?;
    let id = conn.last_insert_rowid();
    schema::reindex(conn, id).map_err(db_error)?;
    Ok(id)
}
