//! The journal's statement log: every SQL statement a journal that logs runs, in order. How the
//! cost of one operation (a refund, opening Reports) is measured by tests and benchmarks; off
//! unless asked for, and never holding values (the statements' text, not their parameters).

use std::sync::Mutex;

use rusqlite::trace::{TraceEvent, TraceEventCodes};

use super::SqliteJournal;

static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn note(event: TraceEvent<'_>) {
    // A trigger's own steps are reported as `-- TRIGGER …`: part of the statement that fired it.
    if let TraceEvent::Stmt(_, sql) = event {
        if !sql.starts_with("--") {
            LOGGED
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(sql.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

impl SqliteJournal {
    /// From now on, every statement this journal runs is logged (for the whole process).
    pub fn log_statements(&self) {
        self.conn()
            .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(note));
    }

    /// The statements logged since the last call, oldest first.
    pub fn take_statement_log() -> Vec<String> {
        std::mem::take(&mut *LOGGED.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
