//! The count of the last filter listed, kept until the journal changes. The list asks for a
//! page at a time and every page carries the filter's total: without this, paging through a
//! million entries counts them again for every page (~15 ms each), and a quick flick through
//! the list queues seconds of counting in front of the page the operator stopped at.

use std::sync::Mutex;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

#[derive(Default)]
pub(super) struct CountMemo {
    last: Mutex<Option<Remembered>>,
}

struct Remembered {
    sql: String,
    values: Vec<Value>,
    stamp: Stamp,
    count: u32,
}

/// Changes by other connections move `data_version`; this connection's own writes move
/// `total_changes`. Equal stamps: nothing was written in between.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Stamp {
    data_version: i64,
    total_changes: u64,
}

impl CountMemo {
    /// `sql` (a `SELECT COUNT(...)`) with `values`, counted again only when the filter or the
    /// journal changed since the last count.
    pub(super) fn count(
        &self,
        conn: &Connection,
        sql: &str,
        values: &[Value],
    ) -> rusqlite::Result<u32> {
        let stamp = Stamp {
            data_version: conn.pragma_query_value(None, "data_version", |r| r.get(0))?,
            total_changes: conn.total_changes(),
        };
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(known) = last
            .as_ref()
            .filter(|r| r.stamp == stamp && r.sql == sql && r.values == values)
        {
            return Ok(known.count);
        }
        let count = conn.query_row(sql, params_from_iter(values.iter()), |r| r.get(0))?;
        *last = Some(Remembered {
            sql: sql.to_owned(),
            values: values.to_vec(),
            stamp,
            count,
        });
        Ok(count)
    }
}
