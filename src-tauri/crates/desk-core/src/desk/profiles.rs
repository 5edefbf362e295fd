//! Profiles: the desk's settings (kept by the app's store), each profile's secret (in the OS
//! keychain) and the gateway session of the active profile. One [`Session`] (client + token) at
//! a time; switching or editing the profile replaces it, so tokens and data never mix. Who may
//! change a profile is checked by the caller (the desk's commands), not here.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;

use super::keychain::Keychain;
use super::money_path::gateway_account;
use super::DemoAccess;
use crate::dto::{ConnectionTest, ProfileInput, ProfileView};
use crate::error::{AppError, AppResult, ErrorCode, Field, Reason};
use crate::model::{Language, ProfileKind};
use crate::secrets::SecretStore;
use crate::settings::{Profile, Settings, SettingsRepo, DEFAULT_RETURN_URL, TEAM_PASSWORD_KEY};
use crate::validation;

/// The active profile's connection to its gateway.
pub(super) struct Session {
    pub profile: Profile,
    pub client: vpws::Client,
    /// The gateway account the session works with ([`Profiles::account_of`]).
    pub account: String,
}

pub(super) struct Profiles {
    settings: Mutex<Settings>,
    repo: Arc<dyn SettingsRepo>,
    keychain: Keychain,
    demo: DemoAccess,
    os_language: Language,
    session: tokio::sync::Mutex<Option<Arc<Session>>>,
    /// Overrides the client's whole-request limit (tests make answers "time out" quickly).
    request_timeout: Mutex<Option<Duration>>,
}

impl Profiles {
    /// The settings the store keeps (first start: the Demo profile), made whole and saved.
    pub fn load(
        repo: Arc<dyn SettingsRepo>,
        secrets: Arc<dyn SecretStore>,
        demo: DemoAccess,
        os_language: Language,
        keychain_problem: Option<String>,
    ) -> AppResult<Self> {
        let settings = match repo.load()? {
            Some(saved) => {
                let had_identity = saved.installation_id.is_some();
                let settings = saved.normalised(&demo.api_key);
                if !had_identity {
                    repo.save(&settings)?;
                }
                settings
            }
            None => {
                let fresh = Settings::first_start(&demo.api_key);
                repo.save(&fresh)?;
                fresh
            }
        };
        Ok(Self {
            settings: Mutex::new(settings),
            repo,
            keychain: Keychain::new(secrets, keychain_problem),
            demo,
            os_language,
            session: tokio::sync::Mutex::new(None),
            request_timeout: Mutex::new(None),
        })
    }

    pub fn set_request_timeout(&self, timeout: Duration) {
        *self.request_timeout.lock().expect("timeout lock") = Some(timeout);
    }

    pub fn keychain(&self) -> &Keychain {
        &self.keychain
    }

    /// The operator's language: chosen in Settings, else the OS's.
    pub fn language(&self) -> Language {
        self.settings().language.unwrap_or(self.os_language)
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().expect("settings lock").clone()
    }

    /// The profile in use: reports cover it alone (a demo day never mixes with a live one).
    pub fn active_profile_id(&self) -> String {
        self.settings
            .lock()
            .expect("settings lock")
            .active_profile_id
            .clone()
    }

    pub fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings) -> AppResult<()>,
    ) -> AppResult<Settings> {
        let mut guard = self.settings.lock().expect("settings lock");
        let mut next = guard.clone();
        change(&mut next)?;
        // Callers on timers and on every command (what a desk last saw, a pinned certificate)
        // change nothing most of the time: the file is written only when something changed.
        if next != *guard {
            self.repo.save(&next)?;
            *guard = next.clone();
        }
        Ok(next)
    }

    /// Reads once what the status tells of the keychain (each profile's secret, the team
    /// password, the mail server's), so that the first status, on the start's path, waits for no D-Bus round trip.
    pub async fn learn_what_the_keychain_holds(&self) {
        let profiles = self.settings().profiles;
        let keys = profiles
            .iter()
            .filter(|p| p.kind != ProfileKind::Demo)
            .map(|p| p.id.as_str())
            .chain([TEAM_PASSWORD_KEY, crate::mail_server::MAIL_PASSWORD_KEY]);
        for key in keys {
            self.keychain.holds(key).await;
        }
    }

    /// The dealer as customers know them: the demo gateway's dealer, else the profile's name.
    pub fn dealer_name(&self, profile: &Profile) -> String {
        match profile.kind {
            ProfileKind::Demo => self.demo.dealer_name.clone(),
            _ => profile.name.clone(),
        }
    }

    pub async fn view(&self, profile: &Profile) -> ProfileView {
        let has_secret = match profile.kind {
            ProfileKind::Demo => true,
            _ => self.keychain.holds(&profile.id).await,
        };
        ProfileView {
            id: profile.id.clone(),
            name: profile.name.clone(),
            dealer_name: self.dealer_name(profile),
            kind: profile.kind,
            base_url: profile.gateway_url(&self.demo.base_url),
            api_key: profile.api_key.clone(),
            has_secret,
            currency: profile.currency.clone(),
            operator_name: profile.operator_name.clone(),
            return_url: profile.return_url.clone(),
        }
    }

    pub async fn views(&self) -> Vec<ProfileView> {
        let mut views = Vec::new();
        for p in self.settings().profiles {
            views.push(self.view(&p).await);
        }
        views
    }

    pub async fn save(&self, input: ProfileInput) -> AppResult<ProfileView> {
        let profile = self.profile_from_input(&input)?;
        if let Some(secret) = input.secret_key.as_deref().filter(|s| !s.is_empty()) {
            if profile.kind == ProfileKind::Demo {
                return Err(AppError::field(Field::SecretKey, Reason::NotEditable));
            }
            self.keychain.set(&profile.id, secret).await?;
        }
        let saved = profile.clone();
        self.update_settings(|s| {
            match s.profiles.iter_mut().find(|p| p.id == saved.id) {
                Some(existing) => *existing = saved,
                None => s.profiles.push(saved),
            }
            Ok(())
        })?;
        self.drop_session_if(&profile.id).await;
        Ok(self.view(&profile).await)
    }

    fn profile_from_input(&self, input: &ProfileInput) -> AppResult<Profile> {
        validation::required(Field::Name, &input.name)?;
        validation::free_text(Field::Name, &input.name, 60)?;
        validation::currency(&input.currency)?;
        let existing = match &input.id {
            Some(id) => Some(self.settings().profile(id)?.clone()),
            None => None,
        };
        if let Some(old) = &existing {
            if old.kind != input.kind {
                return Err(AppError::field(Field::Kind, Reason::NotEditable));
            }
        } else if input.kind == ProfileKind::Demo {
            return Err(AppError::field(Field::Kind, Reason::NotEditable));
        }
        let base_url = match input.kind {
            ProfileKind::Custom | ProfileKind::Live => {
                let url = input
                    .base_url
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty());
                if input.kind == ProfileKind::Custom && url.is_none() {
                    return Err(AppError::field(Field::BaseUrl, Reason::Required));
                }
                if let Some(url) = url {
                    vpws::ClientConfig::new(url).map_err(AppError::from)?;
                }
                url.map(str::to_owned)
            }
            _ => None,
        };
        let api_key = if input.kind == ProfileKind::Demo {
            self.demo.api_key.clone()
        } else {
            validation::required(Field::ApiKey, &input.api_key)?;
            input.api_key.trim().to_owned()
        };
        let return_url = input
            .return_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(DEFAULT_RETURN_URL);
        match url::Url::parse(return_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => return Err(AppError::field(Field::ReturnUrl, Reason::Invalid)),
        }
        validation::free_text(Field::OperatorName, &input.operator_name, 60)?;
        let new_secret = input.secret_key.as_deref().is_some_and(|s| !s.is_empty());
        let id = match &existing {
            Some(old) => old.id.clone(),
            None => {
                // Named after its gateway account: every desk of a team that sets up the same
                // account gets the same id, so each sees, reconciles, approves and reports what
                // the others did with it.
                let url = crate::settings::gateway_url(
                    input.kind,
                    base_url.as_deref(),
                    &self.demo.base_url,
                );
                let id = format!("p-{}", gateway_account(&url, &api_key));
                if self.settings().profile(&id).is_ok() {
                    return Err(AppError::field(Field::ApiKey, Reason::AccountHasProfile));
                }
                id
            }
        };
        let profile = Profile {
            id,
            name: input.name.trim().to_owned(),
            kind: input.kind,
            base_url,
            api_key,
            currency: input.currency.clone(),
            operator_name: input.operator_name.trim().to_owned(),
            return_url: return_url.to_owned(),
        };
        // A stored secret key is only ever sent to the host it was entered for.
        if let Some(old) = existing.filter(|_| !new_secret) {
            let host = |p: &Profile| {
                url::Url::parse(&p.gateway_url(&self.demo.base_url))
                    .map(|u| u.origin().ascii_serialization())
                    .ok()
            };
            if host(&old) != host(&profile) {
                return Err(AppError::field(
                    Field::SecretKey,
                    Reason::RequiredForNewHost,
                ));
            }
        }
        Ok(profile)
    }

    pub async fn delete(&self, id: &str) -> AppResult<()> {
        let profile = self.settings().profile(id)?.clone();
        if profile.kind == ProfileKind::Demo {
            return Err(AppError::new(
                ErrorCode::NotDeletable,
                "the Demo profile cannot be deleted",
            ));
        }
        self.keychain.delete(id).await?;
        self.update_settings(|s| {
            s.profiles.retain(|p| p.id != profile.id);
            if s.active_profile_id == profile.id {
                s.active_profile_id = crate::settings::DEMO_PROFILE_ID.into();
            }
            Ok(())
        })?;
        self.drop_session_if(id).await;
        Ok(())
    }

    pub async fn switch(&self, id: &str) -> AppResult<()> {
        self.update_settings(|s| {
            s.profile(id)?;
            s.active_profile_id = id.to_owned();
            Ok(())
        })?;
        *self.session.lock().await = None;
        Ok(())
    }

    async fn drop_session_if(&self, profile_id: &str) {
        let mut session = self.session.lock().await;
        if session.as_ref().is_some_and(|s| s.profile.id == profile_id) {
            *session = None;
        }
    }

    async fn secret_for(&self, profile: &Profile) -> AppResult<Option<String>> {
        if profile.kind == ProfileKind::Demo {
            return Ok(Some(self.demo.secret_key.clone()));
        }
        self.keychain.get(&profile.id).await
    }

    async fn client_for(&self, profile: &Profile) -> AppResult<vpws::Client> {
        let secret = self.secret_for(profile).await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::SecretMissing,
                "no secretKey stored for this profile",
            )
        })?;
        let mut config = vpws::ClientConfig::new(&profile.gateway_url(&self.demo.base_url))?;
        if let Some(timeout) = *self.request_timeout.lock().expect("timeout lock") {
            config.request_timeout = timeout;
        }
        Ok(vpws::Client::new(
            config,
            vpws::Credentials {
                api_key: profile.api_key.clone(),
                secret_key: SecretString::from(secret),
            },
        )?)
    }

    /// The active profile's session; a new one (new client, new token) when the profile changed.
    pub async fn session(&self) -> AppResult<Arc<Session>> {
        let profile = self.settings().active()?.clone();
        let mut slot = self.session.lock().await;
        if let Some(session) = slot.as_ref().filter(|s| s.profile == profile) {
            return Ok(session.clone());
        }
        let session = Arc::new(Session {
            client: self.client_for(&profile).await?,
            account: self.account_of(&profile),
            profile,
        });
        *slot = Some(session.clone());
        Ok(session)
    }

    /// Logs in with the profile's keys (a fresh client, not the active session) and counts POS.
    pub async fn test_connection(&self, profile_id: &str) -> AppResult<ConnectionTest> {
        let profile = self.settings().profile(profile_id)?.clone();
        let client = self.client_for(&profile).await?;
        let token = client.authenticate().await?;
        let poses = client.payment_options(&profile.currency).await?;
        Ok(ConnectionTest {
            api_key: profile.api_key,
            pos_count: poses.len() as u32,
            token_expires_at: token.expires_at.to_rfc3339(),
        })
    }

    /// The gateway account `profile` works with. The built-in demo gateway is this desk's own
    /// (its port changes at every start, its transactions live in memory): its entries are
    /// this installation's, never another desk's to settle.
    pub fn account_of(&self, profile: &Profile) -> String {
        match profile.kind {
            ProfileKind::Demo => {
                let installation = self.settings().installation_id.unwrap_or_default();
                gateway_account(&format!("demo:{installation}"), &profile.api_key)
            }
            _ => gateway_account(&profile.gateway_url(&self.demo.base_url), &profile.api_key),
        }
    }
}
