//! The journal file's full check, kept off the start-up path.
//!
//! SQLite's `quick_check` reads every page: about a second per 100,000 entries, so a year-old
//! desk would start a second late. Opening only notices a file that is no database at all; the
//! app runs this check right after start, on its own read-only connection. Damage it finds is
//! reported at once and remembered in a marker file next to the journal, so the next start
//! checks the file before using it and sets it aside (`SqliteJournal::open_or_set_aside`).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{open_error, JournalResult, DAMAGED};
use crate::error::AppError;

fn marker(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.check-failed", path.display()))
}

/// Whether an earlier check found the file at `path` damaged.
pub(super) fn suspected(path: &Path) -> bool {
    marker(path).exists()
}

pub(super) fn clear_suspicion(path: &Path) {
    let _ = std::fs::remove_file(marker(path));
}

/// Reads the whole journal at `path`; damage is `journal_damaged` and leaves the marker.
pub fn check_file(path: &Path) -> JournalResult<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(open_error)?;
    let found = conn
        .query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
        .map_err(open_error);
    let problem = match found {
        Ok(check) if check == "ok" => return Ok(()),
        Ok(check) => AppError::new(DAMAGED, format!("integrity check: {check}")),
        Err(e) => e,
    };
    if problem.code == DAMAGED {
        let _ = std::fs::write(marker(path), &problem.message);
    }
    Err(problem)
}
