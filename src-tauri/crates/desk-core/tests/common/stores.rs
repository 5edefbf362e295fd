//! Where a case of a suite run on both stores keeps its journal: the embedded SQLite file and
//! the team's PostgreSQL database (each run a database of its own).

use std::sync::Arc;

use desk_core::journal::{Journal, PgJournal, SqliteJournal};

/// Where a case's journal lives; `open` gives another handle on the same journal (another
/// desk on the team database, another window on the file).
pub enum Store {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Store {
    pub async fn open(&self) -> Arc<dyn Journal> {
        match self {
            Store::Sqlite(dir) => {
                Arc::new(SqliteJournal::open(&dir.path().join("journal.sqlite")).unwrap())
            }
            Store::Postgres(url) => Arc::new(PgJournal::connect(url).await.unwrap()),
        }
    }
}

pub fn sqlite() -> Store {
    Store::Sqlite(tempfile::tempdir().unwrap())
}

/// A new, empty database on the test server.
pub async fn postgres() -> Store {
    Store::Postgres(super::fresh_database("dd_contract").await)
}

/// Runs `case` on a fresh SQLite journal and on a fresh PostgreSQL one.
#[macro_export]
macro_rules! on_both_stores {
    ($($case:ident),* $(,)?) => {
        $(mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$case($crate::common::stores::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$case($crate::common::stores::postgres().await).await;
            }
        })*
    };
}
