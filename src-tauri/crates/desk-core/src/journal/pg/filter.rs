//! The journal filters as a PostgreSQL `WHERE`: the same meaning as the SQLite journal's
//! (Istanbul days, folded Turkish-aware text, amounts in minor units), with `$n` parameters.

use tokio_postgres::types::ToSql;

use super::Params;
use crate::error::Field;
use crate::journal::{
    day_start, filter_amount, fold, given, like_pattern as like, Filter, JournalResult,
};

/// The `WHERE` clause of `filter` (empty when it filters nothing) and its parameters.
pub fn where_clause(filter: &Filter) -> JournalResult<(String, Params)> {
    let mut w = Where::default();
    if let Some(from) = filter.from {
        w.add("created_at >= ?", vec![Box::new(day_start(from))]);
    }
    if let Some(to) = filter.to {
        w.add(
            "created_at < ?",
            vec![Box::new(day_start(to.succ_opt().unwrap_or(to)))],
        );
    }
    if !filter.kinds.is_empty() {
        let kinds: Vec<String> = filter.kinds.iter().map(|k| k.as_str().into()).collect();
        w.add("kind = ANY(?)", vec![Box::new(kinds)]);
    }
    if !filter.outcomes.is_empty() {
        let outcomes: Vec<String> = filter.outcomes.iter().map(|o| o.as_str().into()).collect();
        w.add("outcome = ANY(?)", vec![Box::new(outcomes)]);
    }
    if let Some(min) = filter_amount(&filter.min_amount, Field::MinAmount)? {
        w.add("amount_minor >= ?", vec![Box::new(min)]);
    }
    if let Some(max) = filter_amount(&filter.max_amount, Field::MaxAmount)? {
        w.add("amount_minor <= ?", vec![Box::new(max)]);
    }
    if let Some(r) = given(&filter.reference) {
        // The folded search text holds the three references: its trigram index finds the few
        // candidates, the exact (case-insensitive, as on SQLite) comparison keeps the right ones.
        w.add(
            "(search_body LIKE ? AND (order_reference ILIKE ? OR reference_code ILIKE ? \
             OR transaction_id ILIKE ?))",
            vec![
                Box::new(like(&fold(r))),
                Box::new(like(r)),
                Box::new(like(r)),
                Box::new(like(r)),
            ],
        );
    }
    if let Some(last4) = given(&filter.card_last4) {
        w.add("card_last4 = ?", vec![Box::new(last4.to_owned())]);
    }
    if let Some(op) = given(&filter.operator) {
        w.add("operator_key LIKE ?", vec![Box::new(like(&fold(op)))]);
    }
    if let Some(profile) = &filter.profile_id {
        w.add("profile_id = ?", vec![Box::new(profile.clone())]);
    }
    if let Some(text) = given(&filter.text) {
        // The trigram index serves LIKE on the folded text, as FTS5's trigram index does there.
        w.add("search_body LIKE ?", vec![Box::new(like(&fold(text)))]);
    }
    let sql = if w.clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.clauses.join(" AND "))
    };
    Ok((sql, w.params))
}

#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    params: Params,
}

impl Where {
    /// Adds `clause`, numbering each `?` in it after the parameters so far.
    fn add(&mut self, clause: &str, values: Vec<Box<dyn ToSql + Sync + Send>>) {
        let mut numbered = String::new();
        let mut next = self.params.len();
        for c in clause.chars() {
            if c == '?' {
                next += 1;
                numbered.push_str(&format!("${next}"));
            } else {
                numbered.push(c);
            }
        }
        self.clauses.push(numbered);
        self.params.extend(values);
    }
}
