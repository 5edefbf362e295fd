//! What the SQLite journal adds up: a filter's totals per currency and the Reports screen's
//! groups, by the SQL both journals share (`totals`, `report`).

use super::*;
use crate::journal::report::{build, check_range, Group, GROUPS_SQL};
use crate::journal::totals::{per_currency, Tally, TOTALS_SELECT};

impl SqliteJournal {
    /// Per currency (alphabetical), the successful operations among the entries `filter` matches.
    pub fn totals(&self, filter: &Filter) -> JournalResult<Vec<CurrencyTotals>> {
        let (where_sql, values) = Self::where_clause(filter)?;
        let joiner = if where_sql.is_empty() { "WHERE" } else { "AND" };
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "{TOTALS_SELECT} {where_sql} {joiner} outcome = 'success'
                 GROUP BY currency, kind ORDER BY currency"
            ))
            .map_err(db_error)?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    word(EntryKind::parse(&r.get::<_, String>(1)?))?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .map_err(db_error)?;
        let rows: Vec<_> = rows.collect::<Result<_, _>>().map_err(db_error)?;
        Ok(per_currency(rows))
    }
}

impl SqliteJournal {
    /// The report of `profile_id`'s successful operations on the days of `range`.
    pub fn report(&self, profile_id: &str, range: ReportRange) -> JournalResult<Report> {
        check_range(range)?;
        Ok(build(
            profile_id,
            range,
            self.report_groups(profile_id, range)?,
        ))
    }

    fn report_groups(&self, profile_id: &str, range: ReportRange) -> JournalResult<Vec<Group>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                &GROUPS_SQL
                    .replace("{1}", "?1")
                    .replace("{2}", "?2")
                    .replace("{3}", "?3"),
            )
            .map_err(db_error)?;
        let rows = stmt
            .query_map(
                params![profile_id, range.from.to_string(), range.to.to_string()],
                |r| {
                    let mut tally = Tally::default();
                    tally.add(
                        word(EntryKind::parse(&r.get::<_, String>(6)?))?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                    );
                    let pos: Option<String> = r.get(1)?;
                    let pos = pos.or(r.get::<_, Option<String>>(2)?).unwrap_or_default();
                    Ok(Group {
                        day: r.get(0)?,
                        pos: pos.trim().to_owned(),
                        installment: r.get::<_, Option<u32>>(3)?.unwrap_or(1),
                        operator: r.get(4)?,
                        currency: r.get(5)?,
                        tally,
                    })
                },
            )
            .map_err(db_error)?;
        rows.collect::<Result<_, _>>().map_err(db_error)
    }
}
