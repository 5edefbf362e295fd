//! Team mode: the team database's connection, its set-up, and copying a desk's journal in.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The team database as typed on the Connection screen; an empty password keeps the stored one.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamJournalInput {
    pub database: crate::journal::TeamDatabase,
    pub password: Option<String>,
}

/// The password never shows in `{:?}` (logs, panic messages).
impl std::fmt::Debug for TeamJournalInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamJournalInput")
            .field("database", &self.database)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Setting the team database up, or upgrading it, as its owner: for the desks' account typed
/// in `team` (created with its password when the server has no such account). The owner's
/// password is used for this once and kept nowhere.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamSetUpInput {
    pub team: TeamJournalInput,
    pub owner_user: String,
    pub owner_password: String,
    /// With the owner's authority, a supervisor of the team gets this new PIN: after the update
    /// that made the database check PINs (older PINs it cannot check), or when the last
    /// supervisor is blocked. `None`: PINs stay as they are.
    pub supervisor: Option<TeamSupervisor>,
}

/// The passwords never show in `{:?}` (logs, panic messages).
impl std::fmt::Debug for TeamSetUpInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamSetUpInput")
            .field("team", &self.team)
            .field("owner_user", &self.owner_user)
            .field("owner_password", &"<redacted>")
            .field("supervisor", &self.supervisor)
            .finish()
    }
}

/// How far copying the desk's file into the team database is: entries read so far of all,
/// and how many of them were new to the team database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CopyProgress {
    pub done: u32,
    pub total: u32,
    pub copied: u32,
    /// Operators of this desk new to the team: imported turned off, for a team supervisor to
    /// turn on in Operators once they are checked.
    pub imported: Vec<String>,
}

/// Who allows copying this desk's file into the team database: a supervisor of the team
/// (both empty while the team has no operators).
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamSupervisor {
    pub name: String,
    pub pin: String,
}

impl std::fmt::Debug for TeamSupervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamSupervisor")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
