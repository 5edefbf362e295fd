//! Team mode's settings (ARCHITECTURE.md): which journal this desk writes, tested and saved from the
//! Connection screen, the database password in the OS keychain. The journal is opened once at
//! start-up, so a change applies at the next start; the status says which one is in use.

use super::profiles::Profiles;
use super::Desk;
use crate::dto::{AppStatus, CopyProgress, TeamJournalInput, TeamSetUpInput, TeamSupervisor};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::{
    fold, Journal, OperatorWrite, PgJournal, Role, SqliteJournal, SslMode, Staff, SupervisorPin,
    TeamDatabase,
};

/// Entries per transaction when copying a desk's file into the team database.
const COPY_BATCH: u32 = 500;
use crate::settings::{JournalChoice, TEAM_PASSWORD_KEY};
use crate::validation;

impl Desk {
    /// Reaches the team database with these settings as desks use it: `Ok` or what is wrong
    /// (unreachable, refused, missing, not set up, newer, the owner's account, untrusted
    /// certificate).
    pub async fn test_team_journal(&self, input: TeamJournalInput) -> AppResult<()> {
        self.allow(super::roles::Need::ManageDesk).await?;
        let database = checked(input.database)?;
        let password = self.team_password(input.password, &database).await?;
        PgJournal::open(&database, &password)?.check().await
    }

    /// Sets the team database up or upgrades it as its owner (see [`TeamSetUpInput`]), then
    /// checks it as desks will use it. A desk on that database with another account (its
    /// owner's, before desks had their own) moves to this desks' account from the next start.
    pub async fn set_up_team_journal(&self, input: TeamSetUpInput) -> AppResult<AppStatus> {
        self.allow(super::roles::Need::SetUpTeam).await?;
        let database = checked(input.team.database)?;
        let owner = input.owner_user.trim();
        validation::required(Field::TeamOwnerUser, owner)?;
        let owner_password = zeroize::Zeroizing::new(input.owner_password);
        let new_pin = match input.supervisor.filter(|s| !s.name.trim().is_empty()) {
            Some(supervisor) => Some(supervisor_pin(supervisor)?),
            None => None,
        };
        let typed = input.team.password.filter(|p| !p.is_empty());
        PgJournal::set_up(
            &database,
            owner,
            &owner_password,
            typed.as_deref(),
            new_pin.as_ref(),
        )
        .await?;
        let password = self.team_password(typed.clone(), &database).await?;
        PgJournal::open(&database, &password)?.check().await?;
        tracing::info!(database = %database.database, "team database set up");
        if let JournalChoice::Team { database: in_use } = self.profiles.settings().journal {
            let same_database = (&in_use.host, in_use.port, &in_use.database)
                == (&database.host, database.port, &database.database);
            if same_database && in_use.user != database.user {
                if let Some(password) = &typed {
                    self.profiles
                        .keychain()
                        .set(TEAM_PASSWORD_KEY, password)
                        .await?;
                }
                self.profiles.update_settings(|s| {
                    s.journal = JournalChoice::Team { database };
                    Ok(())
                })?;
            }
        }
        self.status().await
    }

    /// Chooses the team database (`Some`) or this desk's own file (`None`) from the next start.
    /// A typed password goes to the keychain; without one the stored one is kept.
    pub async fn choose_journal(&self, input: Option<TeamJournalInput>) -> AppResult<AppStatus> {
        self.allow(super::roles::Need::ManageDesk).await?;
        let choice = match input {
            None => JournalChoice::Local,
            Some(input) => {
                let database = checked(input.database)?;
                if database.ssl_mode == SslMode::Require && database.certificate.is_none() {
                    return Err(AppError::field(
                        Field::TeamTls,
                        Reason::CertificateUnconfirmed,
                    ));
                }
                match input.password.filter(|p| !p.is_empty()) {
                    Some(password) => {
                        self.profiles
                            .keychain()
                            .set(TEAM_PASSWORD_KEY, &password)
                            .await?
                    }
                    // Checks the stored one may go there.
                    None => drop(self.team_password(None, &database).await?),
                }
                JournalChoice::Team { database }
            }
        };
        self.profiles.update_settings(|s| {
            s.journal = choice;
            Ok(())
        })?;
        self.status().await
    }

    /// Copies this desk's own journal file into the chosen team database, in batches, telling
    /// `progress` after each. A supervisor of the team allows it with their PIN (checked in the
    /// team database; the desk's own file is no authority there) unless the team has no
    /// operators yet. This desk's operators come along turned off (by name, unless the team has
    /// them already), listed for that supervisor to check and turn on. Entries copied before
    /// are not copied again.
    pub async fn copy_journal_to_team(
        &self,
        allowed_by: TeamSupervisor,
    ) -> AppResult<CopyProgress> {
        let progress = |state: CopyProgress| self.host.copy_progress(&state);
        self.allow(super::roles::Need::ManageDesk).await?;
        let JournalChoice::Team { database } = self.profiles.settings().journal else {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "choose and save the team database first",
            ));
        };
        let Some(path) = self.local_journal_file.clone() else {
            return Err(AppError::new(
                ErrorCode::Internal,
                "no journal file on this desk",
            ));
        };
        let password = self.team_password(None, &database).await?;
        let team = PgJournal::open(&database, &password)?;
        team.check().await?;
        team_supervisor(&team, allowed_by).await?;
        let file = SqliteJournal::open(&path)?;
        let origin = file.identity()?;
        let mut state = CopyProgress {
            done: 0,
            total: file.count()?,
            copied: 0,
            imported: Vec::new(),
        };
        progress(state.clone());
        let mut after = 0;
        loop {
            let rows = file.rows_to_copy(after, COPY_BATCH)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            state.copied += team.import(&origin, &rows).await?;
            state.done += rows.len() as u32;
            progress(state.clone());
        }
        let theirs = team.operators().await?;
        for operator in file.operators().await? {
            if !theirs.iter().any(|o| fold(&o.name) == fold(&operator.name)) {
                team.add_operator(&OperatorWrite {
                    name: operator.name.clone(),
                    role: operator.role,
                    // PINs stay behind: a supervisor gives each one a PIN to turn them on.
                    pin: None,
                    refund_limit: operator.refund_limit,
                    active: false,
                })
                .await?;
                state.imported.push(operator.name);
            }
        }
        if !state.imported.is_empty() {
            progress(state.clone());
        }
        tracing::info!(
            copied = state.copied,
            total = state.total,
            "journal copied to the team database"
        );
        Ok(state)
    }

    pub(super) async fn stored_team_password(&self) -> AppResult<Option<String>> {
        self.profiles.keychain().get(TEAM_PASSWORD_KEY).await
    }

    /// The typed password, else the stored one: that only to the host, port and user it was
    /// given for (the team database chosen in the settings), never to another one typed in.
    async fn team_password(
        &self,
        typed: Option<String>,
        database: &TeamDatabase,
    ) -> AppResult<String> {
        if let Some(password) = typed.filter(|p| !p.is_empty()) {
            return Ok(password);
        }
        let stored = self
            .stored_team_password()
            .await?
            .ok_or_else(|| AppError::field(Field::TeamPassword, Reason::Required))?;
        match self.profiles.settings().journal {
            JournalChoice::Team { database: chosen } if chosen.same_account(database) => Ok(stored),
            _ => Err(AppError::field(
                Field::TeamPassword,
                Reason::PasswordForNewDatabase,
            )),
        }
    }
}

/// A supervisor's new PIN as the owner sets it.
fn supervisor_pin(supervisor: TeamSupervisor) -> AppResult<SupervisorPin> {
    let pin = zeroize::Zeroizing::new(supervisor.pin);
    crate::journal::checked_pin_for(Role::Supervisor, &pin)?;
    Ok(SupervisorPin {
        name_key: fold(supervisor.name.trim()),
        pin,
    })
}

/// A supervisor of the team database, by name and PIN checked there; nobody while the team has
/// no active operators.
async fn team_supervisor(team: &PgJournal, allowed_by: TeamSupervisor) -> AppResult<()> {
    let active: Vec<_> = team
        .operators()
        .await?
        .into_iter()
        .filter(|o| o.active)
        .collect();
    if active.is_empty() {
        return Ok(());
    }
    let name = fold(allowed_by.name.trim());
    let Some(supervisor) = active
        .iter()
        .find(|o| o.role == Role::Supervisor && fold(&o.name) == name)
    else {
        return Err(AppError::new(
            ErrorCode::SupervisorRequired,
            "a supervisor of the team database must allow the copy",
        ));
    };
    super::staff::check_pin(team, supervisor.id, allowed_by.pin).await
}

/// The settings trimmed, with every part present.
fn checked(mut database: TeamDatabase) -> AppResult<TeamDatabase> {
    database.host = database.host.trim().to_owned();
    database.database = database.database.trim().to_owned();
    database.user = database.user.trim().to_owned();
    validation::required(Field::TeamHost, &database.host)?;
    if database.port == 0 {
        return Err(AppError::field(Field::TeamPort, Reason::Invalid));
    }
    validation::required(Field::TeamDatabase, &database.database)?;
    validation::required(Field::TeamUser, &database.user)?;
    if database.ssl_mode == SslMode::Disable && !database.is_loopback() {
        return Err(AppError::field(Field::TeamTls, Reason::LoopbackOnly));
    }
    if database.ssl_mode != SslMode::Require {
        database.certificate = None;
    }
    Ok(database)
}

/// A team journal chosen as "encrypted, certificate not checked" before pinning existed
/// pins the first certificate it sees; this keeps it in the settings, so the desk trusts that
/// one and no other from now on (also after a restart).
pub(super) fn keep_pinned_certificate(journal: &dyn Journal, profiles: &Profiles) {
    let Some(seen) = journal.pinned_certificate() else {
        return;
    };
    let _ = profiles.update_settings(|s| {
        if let JournalChoice::Team { database } = &mut s.journal {
            if database.ssl_mode == SslMode::Require && database.certificate.is_none() {
                tracing::info!(fingerprint = %seen, "team database certificate pinned");
                database.certificate = Some(seen);
            }
        }
        Ok(())
    });
}
