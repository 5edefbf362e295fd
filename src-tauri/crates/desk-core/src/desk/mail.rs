//! Letters to customers, beside the money path: written to the outbox once an operation has
//! succeeded (after its outcome is final and shown, never instead of it), sent by the postman
//! in the background, and shown on the transaction's history. A letter that cannot be written
//! or sent changes nothing about the payment, cancel or refund it tells of.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use secrecy::SecretString;

use super::{environment, Desk, Need};
use crate::dto::{
    stored_error, AppStatus, EmailEntryInput, LetterView, LettersQuery, MailServerInput,
    MailStatus, OutboxLetter, PaymentOutcome, TransactionScreen,
};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::journal::{Delivery, Entry, EntryKind, NewLetter, Outcome};
use crate::mail::{letter, next_try, LetterFacts, MailServer, Outgoing, Smtp, MAIL_PASSWORD_KEY};
use crate::model::{Language, LetterState, ProfileKind};
use crate::settings::TeamSettings;

/// Business days a cancel or refund usually takes to reach the card, where no mail server
/// says otherwise (the Demo profile's letters).
const USUAL_DAYS_TO_CARD: u8 = 7;
/// How often the postman looks for letters due, besides being woken by a new one.
const POSTMAN_ROUND: Duration = Duration::from_secs(20);
/// How long a desk holds the letters it is sending (another desk takes them over after).
const SENDING_HOLD: chrono::TimeDelta = chrono::TimeDelta::minutes(3);
/// Letters a desk claims per round.
const PER_ROUND: u32 = 10;
/// The outbox viewer's length.
const VIEWER_LETTERS: u32 = 100;

impl Desk {
    /// Whether letters can be written and sent from here (part of the status).
    pub(super) async fn mail_status(&self) -> MailStatus {
        let settings = self.profiles.settings();
        let demo = settings
            .active()
            .is_ok_and(|profile| profile.kind == ProfileKind::Demo);
        let has_password = self.profiles.keychain().holds(MAIL_PASSWORD_KEY).await;
        MailStatus {
            available: demo || settings.mail.is_some(),
            server: settings.mail,
            has_password,
        }
    }

    /// Sets up the mail server (a supervisor's; the team's in team mode) and, when typed, its
    /// password in this desk's keychain.
    pub async fn save_mail_server(&self, input: MailServerInput) -> AppResult<AppStatus> {
        self.allow(Need::ManageDesk).await?;
        let server = crate::validation::mail_server(input.server)?;
        let password = input.password.filter(|p| !p.is_empty());
        if password.as_ref().is_some_and(|p| p.len() > 256) {
            return Err(AppError::field(Field::MailPassword, Reason::TooLong));
        }
        if let Some(team) = self.journal.team_settings().await? {
            let chosen = TeamSettings {
                mail: Some(server.clone()),
                ..TeamSettings::default()
            };
            if let Some(next) = team.changed_by(&chosen) {
                self.journal
                    .save_team_settings(&next)
                    .await
                    .map_err(|e| self.ended_by_journal(e))?;
            }
        }
        if let Some(password) = password {
            self.profiles
                .keychain()
                .set(MAIL_PASSWORD_KEY, &password)
                .await?;
        }
        self.profiles.update_settings(|s| {
            s.mail = Some(server);
            Ok(())
        })?;
        self.mail_wake.notify_one();
        self.status().await
    }

    /// After a payment: its receipt, when the operator asked for one and it succeeded.
    pub(super) async fn after_payment(&self, outcome: &PaymentOutcome, lang: Option<Language>) {
        let Some(lang) = lang.filter(|_| outcome.outcome == Outcome::Success) else {
            return;
        };
        let entry = self.journal.latest_payment(&outcome.order_reference).await;
        self.write_after(entry.ok().flatten(), lang).await;
    }

    /// After a cancel or refund: its notice, when the operator asked for one and the newest
    /// cancel or refund of the transaction succeeded (one in doubt waits: the detail offers
    /// to send it once it is final).
    pub(super) async fn after_reversal(&self, screen: &TransactionScreen, lang: Option<Language>) {
        let Some(lang) = lang else { return };
        let newest = screen
            .history
            .iter()
            .filter(|e| e.kind != EntryKind::Payment)
            .max_by_key(|e| e.id)
            .filter(|e| e.outcome == Outcome::Success)
            .cloned();
        self.write_after(newest, lang).await;
    }

    async fn write_after(&self, entry: Option<Entry>, lang: Language) {
        let Some(entry) = entry else { return };
        let me = self.allow(Need::Look).await.ok().flatten();
        let operator = self.staff.name_on_entries(&me);
        if let Err(e) = self.write_letter(&entry, lang, operator).await {
            tracing::warn!(entry = entry.id, code = %e.code, "no letter written: {}", e.message);
        }
    }

    /// "E-mail the receipt" / "Send again" on the history: a letter about one journal entry
    /// (a successful payment, cancel or refund), written now from what the journal holds.
    pub async fn email_entry(&self, input: EmailEntryInput) -> AppResult<LetterView> {
        let EmailEntryInput { entry_id, lang } = input;
        let me = self.allow(Need::Pay).await?;
        let entry = self
            .journal
            .get(entry_id)
            .await?
            .filter(|e| e.outcome == Outcome::Success)
            .ok_or_else(|| {
                AppError::new(ErrorCode::NoLetter, "no successful entry with that id")
            })?;
        let id = self
            .write_letter(&entry, lang, self.staff.name_on_entries(&me))
            .await?;
        let written = self.journal.letter(id).await?;
        written
            .as_ref()
            .map(LetterView::from)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "letter written but not found"))
    }

    async fn write_letter(
        &self,
        entry: &Entry,
        lang: Language,
        operator: String,
    ) -> AppResult<i64> {
        let settings = self.profiles.settings();
        let profile = settings.profile(&entry.profile_id)?;
        let kept = profile.kind == ProfileKind::Demo;
        let server = settings.mail.as_ref();
        if !kept && server.is_none() {
            return Err(AppError::new(ErrorCode::MailNotSetUp, "no mail server"));
        }
        let dealer = server
            .map(|m| m.from_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.profiles.dealer_name(profile));
        let facts = LetterFacts {
            dealer: &dealer,
            lang,
            days_to_card: server.map_or(USUAL_DAYS_TO_CARD, |m| m.days_to_card),
        };
        let written = letter(entry, &facts)
            .ok_or_else(|| AppError::new(ErrorCode::NoLetter, "no customer e-mail"))?;
        let recipient = entry
            .customer
            .as_ref()
            .map(|c| c.email.trim().to_owned())
            .unwrap_or_default();
        let new = NewLetter {
            entry_id: entry.id,
            profile_id: entry.profile_id.clone(),
            environment: environment(profile.kind).into(),
            recipient,
            lang,
            subject: written.subject,
            plain: written.plain,
            html: written.html,
            operator,
            state: match kept {
                true => LetterState::Kept,
                false => LetterState::Waiting,
            },
        };
        let id = self.journal.enqueue_letter(&new, Utc::now()).await?;
        self.mail_wake.notify_one();
        Ok(id)
    }

    /// The letters about these journal entries (a transaction's history), oldest first.
    pub async fn transaction_letters(&self, query: LettersQuery) -> AppResult<Vec<LetterView>> {
        self.allow(Need::Look).await?;
        let letters = self.journal.letters_of(&query.entry_ids).await?;
        Ok(letters.iter().map(LetterView::from).collect())
    }

    /// The outbox viewer: the profile in use's newest letters, whole.
    pub async fn outbox(&self) -> AppResult<Vec<OutboxLetter>> {
        self.allow(Need::Look).await?;
        let profile = self.profiles.active_profile_id();
        let letters = self
            .journal
            .recent_letters(&profile, VIEWER_LETTERS)
            .await?;
        Ok(letters.iter().map(OutboxLetter::from).collect())
    }

    /// One round of the postman: sends the letters due, if this desk has a mail server and its
    /// password (in team mode, desks without one leave the letters to those with one).
    /// Returns how many it tried.
    pub async fn deliver_letters(&self) -> AppResult<usize> {
        let Some(server) = self.profiles.settings().mail else {
            return Ok(0);
        };
        let keychain = self.profiles.keychain();
        if !keychain.holds(MAIL_PASSWORD_KEY).await {
            return Ok(0);
        }
        let now = Utc::now();
        let letters = self
            .journal
            .claim_letters(&self.postman_id, now, now + SENDING_HOLD, PER_ROUND)
            .await?;
        if letters.is_empty() {
            return Ok(0);
        }
        // Read only when there is something to send: each read is a keychain round trip.
        let smtp = match keychain.get(MAIL_PASSWORD_KEY).await? {
            Some(password) => Smtp::new(
                &server,
                SecretString::from(password),
                self.mail_root.as_deref(),
            ),
            None => Err(AppError::new(ErrorCode::MailNotSetUp, "no mail password")),
        };
        for letter in &letters {
            let tried = match &smtp {
                Ok(smtp) => smtp
                    .send(&Outgoing {
                        to: &letter.recipient,
                        subject: &letter.subject,
                        plain: &letter.plain,
                        html: &letter.html,
                        lang: letter.lang.as_str(),
                    })
                    .await
                    .map_err(|f| (f.error, f.permanent)),
                Err(e) => Err((e.clone(), false)),
            };
            let delivery = delivery_of(tried, letter.attempts + 1, &server);
            self.journal
                .delivered(letter.id, &self.postman_id, &delivery, Utc::now())
                .await?;
        }
        Ok(letters.len())
    }

    /// Sends letters while the app runs: every few seconds, and at once when one is written.
    pub async fn run_postman(self: Arc<Self>) {
        let desk = Arc::downgrade(&self);
        let wake = self.mail_wake.clone();
        drop(self);
        loop {
            let Some(desk) = desk.upgrade() else { return };
            if let Err(e) = desk.deliver_letters().await {
                tracing::warn!("letters not sent this round: {}", e.message);
            }
            drop(desk);
            let _ = tokio::time::timeout(POSTMAN_ROUND, wake.notified()).await;
        }
    }
}

/// How a try went, as the outbox keeps it: sent; refused for good or tried too often (given
/// up); or tried again later.
fn delivery_of(tried: Result<(), (AppError, bool)>, tries: u32, server: &MailServer) -> Delivery {
    match tried {
        Ok(()) => {
            tracing::info!(host = %server.host, "letter sent");
            Delivery::Sent
        }
        Err((e, permanent)) => {
            let error = stored_error(e.code.as_str(), &e.message);
            match next_try(tries, permanent) {
                Some(wait) => Delivery::Retry {
                    error,
                    next_try: Utc::now() + wait,
                },
                None => Delivery::GaveUp { error },
            }
        }
    }
}
