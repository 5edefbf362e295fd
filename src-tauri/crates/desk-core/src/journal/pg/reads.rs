//! What the team database reads back: entries (by name, every column), the list and its
//! totals, and the report, with the same SQL meaning as the SQLite journal's.

use super::*;

pub(super) fn entry_of(row: &Row) -> JournalResult<Entry> {
    let customer = row
        .get::<_, Option<String>>("customer_name")
        .map(|name| Customer {
            name,
            surname: row
                .get::<_, Option<String>>("customer_surname")
                .unwrap_or_default(),
            email: row
                .get::<_, Option<String>>("customer_email")
                .unwrap_or_default(),
            phone: row.get("customer_phone"),
            note: row.get("customer_note"),
        });
    Ok(Entry {
        id: row.get("id"),
        created_at: timestamp_text(row.get("created_at")),
        updated_at: timestamp_text(row.get("updated_at")),
        profile_id: row.get("profile_id"),
        environment: row.get("environment"),
        operator: row.get("operator"),
        kind: word(EntryKind::parse(row.get("kind")))?,
        amount: money(row.get::<_, Option<String>>("amount"))?,
        currency: row.get("currency"),
        installment: row.get::<_, Option<i32>>("installment").map(|i| i as u32),
        pos_id: row.get("pos_id"),
        pos_name: row.get("pos_name"),
        order_reference: row.get("order_reference"),
        reference_code: row.get("reference_code"),
        transaction_id: row.get("transaction_id"),
        masked_card: row.get("masked_card"),
        outcome: word(Outcome::parse(row.get("outcome")))?,
        error_code: row.get("error_code"),
        error_message: row.get("error_message"),
        reason: row.get("reason"),
        remaining_after: money(row.get::<_, Option<String>>("remaining_after"))?,
        remaining_before: money(row.get::<_, Option<String>>("remaining_before"))?,
        doubt: row
            .get::<_, Option<String>>("doubt")
            .as_deref()
            .map(|d| word(Doubt::parse(d)))
            .transpose()?,
        customer,
        approved_by: row.get("approved_by"),
        account_code: row.get("account_code"),
        commission: row
            .get::<_, Option<i64>>("commission_minor")
            .map(|minor| crate::model::Money::from(rust_decimal::Decimal::new(minor, 2))),
        bank_payment_days: row
            .get::<_, Option<i32>>("bank_payment_days")
            .map(|d| d as u32),
        lease: match (
            row.get::<_, Option<String>>("sender"),
            row.get::<_, Option<DateTime<Utc>>>("sending_until"),
        ) {
            (Some(desk), Some(until)) => Some(crate::journal::Lease { desk, until }),
            _ => None,
        },
        gateway_account: row.get("gateway_account"),
        resolved_by: row.get("resolved_by"),
        resolution: row.get("resolution"),
    })
}

impl PgJournal {
    pub(super) async fn select(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> JournalResult<Vec<Entry>> {
        let client = self.client().await?;
        let rows = client.query(sql, params).await.map_err(pg_error)?;
        rows.iter().map(entry_of).collect()
    }

    pub(super) async fn search(
        &self,
        filter: &Filter,
        offset: u32,
        limit: u32,
    ) -> JournalResult<Page> {
        let (where_sql, params) = filter::where_clause(filter)?;
        let client = self.client().await?;
        let count: i64 = match where_sql.is_empty() {
            true => super::sums::count(&client).await?,
            false => client
                .query_one(
                    &crate::journal::count_sql(&where_sql, filter),
                    &refs(&params),
                )
                .await
                .map_err(pg_error)?
                .get(0),
        };
        let (total, more) = crate::journal::counted(count as u32, filter);
        let rows = client
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM entries {where_sql} ORDER BY id DESC LIMIT {} OFFSET {}",
                    limit.min(1000),
                    offset
                ),
                &refs(&params),
            )
            .await
            .map_err(pg_error)?;
        Ok(Page {
            total,
            more,
            offset,
            entries: rows.iter().map(entry_of).collect::<JournalResult<_>>()?,
        })
    }

    pub(super) async fn totals(&self, filter: &Filter) -> JournalResult<Vec<CurrencyTotals>> {
        let (where_sql, params) = filter::where_clause(filter)?;
        if where_sql.is_empty() {
            return super::sums::totals(&*self.client().await?).await;
        }
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "{TOTALS_SELECT} {where_sql} AND outcome = 'success'
                     GROUP BY currency, kind ORDER BY currency"
                ),
                &refs(&params),
            )
            .await
            .map_err(pg_error)?;
        totals_of(&rows)
    }

    pub(super) async fn report(
        &self,
        profile_id: &str,
        range: ReportRange,
    ) -> JournalResult<Report> {
        report::check_range(range)?;
        let sql = report::GROUPS_SQL
            .replace("{1}", "$1")
            .replace("{2}", "$2")
            .replace("{3}", "$3");
        let rows = self
            .client()
            .await?
            .query(&sql, &[&profile_id, &range.from, &range.to])
            .await
            .map_err(pg_error)?;
        let groups = rows
            .iter()
            .map(|r| {
                let mut tally = Tally::default();
                tally.add(
                    word(EntryKind::parse(r.get(6)))?,
                    r.get::<_, i64>(7) as u32,
                    r.get::<_, i64>(8),
                    r.get::<_, i64>(9),
                );
                let pos: Option<String> = r.get(1);
                let pos = pos.or(r.get(2)).unwrap_or_default();
                Ok(Group {
                    day: r.get::<_, chrono::NaiveDate>(0).to_string(),
                    pos: pos.trim().to_owned(),
                    installment: r.get::<_, Option<i32>>(3).unwrap_or(1) as u32,
                    operator: r.get(4),
                    currency: r.get(5),
                    tally,
                })
            })
            .collect::<JournalResult<Vec<_>>>()?;
        Ok(report::build(profile_id, range, groups))
    }
}

/// Totals from `(currency, kind, count, amount, commission)` rows ordered by currency: the
/// entries' own sums or the whole journal's kept ones (`sums`).
pub(super) fn totals_of(rows: &[Row]) -> JournalResult<Vec<CurrencyTotals>> {
    let rows = rows
        .iter()
        .map(|r| {
            Ok((
                r.get(0),
                word(EntryKind::parse(r.get(1)))?,
                r.get::<_, i64>(2) as u32,
                r.get::<_, i64>(3),
                r.get::<_, i64>(4),
            ))
        })
        .collect::<JournalResult<_>>()?;
    Ok(per_currency(rows))
}
