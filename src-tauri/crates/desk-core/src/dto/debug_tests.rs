//! Card data, PINs and passwords never reach a log line through `{:?}`.

use super::*;

/// Issue 29, 10: the team password typed on the Connection screen never reaches a log line
/// or a panic message through `{:?}`.
#[test]
fn the_team_password_is_not_in_the_debug_text() {
    let input = TeamJournalInput {
        database: crate::journal::TeamDatabase {
            host: "db.example".into(),
            port: 5432,
            database: "desks".into(),
            user: "desk".into(),
            ssl_mode: crate::journal::SslMode::VerifyFull,
            certificate: None,
        },
        password: Some("s3cret-Team-Pass".into()),
    };
    let shown = format!("{input:?}");
    assert!(!shown.contains("s3cret-Team-Pass"), "{shown}");
    assert!(shown.contains("db.example"), "the rest is shown: {shown}");
}
