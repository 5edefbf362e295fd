//! The journal filters as a SQLite `WHERE`: Istanbul days, folded Turkish-aware text (the
//! trigram index), amounts in minor units, with `?` parameters.

use super::*;

impl SqliteJournal {
    pub(super) fn where_clause(
        filter: &Filter,
    ) -> JournalResult<(String, Vec<rusqlite::types::Value>)> {
        use rusqlite::types::Value;
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut push = |clause: String, mut vals: Vec<Value>, values: &mut Vec<Value>| {
            clauses.push(clause);
            values.append(&mut vals);
        };
        if let Some(from) = filter.from {
            push(
                "created_at >= ?".into(),
                vec![Value::Text(day_start_utc(from))],
                &mut values,
            );
        }
        if let Some(to) = filter.to {
            let next = to.succ_opt().unwrap_or(to);
            push(
                "created_at < ?".into(),
                vec![Value::Text(day_start_utc(next))],
                &mut values,
            );
        }
        if !filter.kinds.is_empty() {
            let marks = vec!["?"; filter.kinds.len()].join(", ");
            push(
                format!("kind IN ({marks})"),
                filter
                    .kinds
                    .iter()
                    .map(|k| Value::Text(k.as_str().into()))
                    .collect(),
                &mut values,
            );
        }
        if !filter.outcomes.is_empty() {
            let marks = vec!["?"; filter.outcomes.len()].join(", ");
            push(
                format!("outcome IN ({marks})"),
                filter
                    .outcomes
                    .iter()
                    .map(|o| Value::Text(o.as_str().into()))
                    .collect(),
                &mut values,
            );
        }
        if let Some(min) = filter_amount(&filter.min_amount, Field::MinAmount)? {
            push(
                "amount_minor >= ?".into(),
                vec![Value::Integer(min)],
                &mut values,
            );
        }
        if let Some(max) = filter_amount(&filter.max_amount, Field::MaxAmount)? {
            push(
                "amount_minor <= ?".into(),
                vec![Value::Integer(max)],
                &mut values,
            );
        }
        let like = |t: &str| Value::Text(like_pattern(t));
        if let Some(r) = given(&filter.reference) {
            // The trigram index narrows the rows; the LIKE keeps the match to the reference columns.
            let folded = fold(r);
            if folded.chars().count() >= 3 {
                push(
                    "id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)".into(),
                    vec![substring_query(&folded)],
                    &mut values,
                );
            }
            push(
                "(order_reference LIKE ? ESCAPE '\\' OR reference_code LIKE ? ESCAPE '\\' OR transaction_id LIKE ? ESCAPE '\\')".into(),
                vec![like(r), like(r), like(r)],
                &mut values,
            );
        }
        if let Some(last4) = given(&filter.card_last4) {
            push(
                "card_last4 = ?".into(),
                vec![Value::Text(last4.into())],
                &mut values,
            );
        }
        if let Some(op) = given(&filter.operator) {
            push(
                "instr(operator_key, ?) > 0".into(),
                vec![Value::Text(fold(op))],
                &mut values,
            );
        }
        if let Some(profile) = &filter.profile_id {
            push(
                "profile_id = ?".into(),
                vec![Value::Text(profile.clone())],
                &mut values,
            );
        }
        if let Some(text) = given(&filter.text) {
            let folded = fold(text);
            if folded.chars().count() >= 3 {
                // Trigram index: a quoted phrase matches as an exact substring.
                push(
                    "id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)".into(),
                    vec![substring_query(&folded)],
                    &mut values,
                );
            } else {
                push(
                    "id IN (SELECT rowid FROM entries_fts WHERE instr(body, ?) > 0)".into(),
                    vec![Value::Text(folded)],
                    &mut values,
                );
            }
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        Ok((sql, values))
    }
}
