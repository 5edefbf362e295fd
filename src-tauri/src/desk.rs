//! The desk: everything the commands do, independent of Tauri so it can be tested against the
//! demo gateway. One [`Session`] (client + token) per active profile; switching or editing the
//! profile replaces it, so tokens and data never mix.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use chrono_tz::Europe::Istanbul;
use rust_decimal::Decimal;
use secrecy::SecretString;
use vpws::{TransactionKey, TransactionStatus};

use crate::dto::*;
use crate::error::{AppError, AppResult};
use crate::journal::{EntryKind, Journal, NewEntry, Outcome, Settlement};
use crate::money::{format_amount, parse_amount, quote};
use crate::secrets::SecretStore;
use crate::settings::{Language, Profile, ProfileKind, Settings, SettingsRepo, DEFAULT_RETURN_URL};
use crate::validation;

/// The built-in demo gateway the Demo profile talks to.
#[derive(Clone)]
pub struct DemoAccess {
    pub dealer_name: String,
    pub base_url: String,
    pub api_key: String,
    pub secret_key: String,
}

/// How the 3D Secure step ended, as the window saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreeDEnd {
    /// The bank sent the browser to the return URL.
    Returned,
    /// The operator closed the window.
    ClosedByHand,
    /// The window could not be shown.
    Failed(String),
}

struct Session {
    profile: Profile,
    client: vpws::Client,
}

/// Releases an in-flight key when the operation ends, however it ends.
struct InFlight<'a> {
    set: &'a Mutex<HashSet<String>>,
    key: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.set.lock().expect("in-flight lock").remove(&self.key);
    }
}

/// Receives payment progress (the app forwards it to the UI as an event).
pub type ProgressSink = Arc<dyn Fn(PaymentProgress) + Send + Sync>;

pub struct Desk {
    progress: Option<ProgressSink>,
    settings: Mutex<Settings>,
    repo: Arc<dyn SettingsRepo>,
    secrets: Arc<dyn SecretStore>,
    demo: DemoAccess,
    os_language: Language,
    keychain_problem: Option<String>,
    session: tokio::sync::Mutex<Option<Arc<Session>>>,
    in_flight: Mutex<HashSet<String>>,
    /// Order references already sent from this desk: never sent again.
    sent_orders: Mutex<HashSet<String>>,
    journal: Arc<Journal>,
    reconcile_delays: Vec<Duration>,
}

impl Desk {
    pub fn new(
        repo: Arc<dyn SettingsRepo>,
        secrets: Arc<dyn SecretStore>,
        journal: Arc<Journal>,
        demo: DemoAccess,
        os_language: Language,
        keychain_problem: Option<String>,
    ) -> AppResult<Self> {
        let settings = match repo.load()? {
            Some(saved) => saved.normalised(&demo.api_key),
            None => {
                let fresh = Settings::first_start(&demo.api_key);
                repo.save(&fresh)?;
                fresh
            }
        };
        Ok(Self {
            progress: None,
            settings: Mutex::new(settings),
            repo,
            secrets,
            demo,
            os_language,
            keychain_problem,
            session: tokio::sync::Mutex::new(None),
            in_flight: Mutex::new(HashSet::new()),
            sent_orders: Mutex::new(HashSet::new()),
            journal,
            reconcile_delays: vec![
                Duration::ZERO,
                Duration::from_millis(500),
                Duration::from_millis(1500),
            ],
        })
    }

    pub fn with_progress(mut self, sink: ProgressSink) -> Self {
        self.progress = Some(sink);
        self
    }

    fn report(&self, step: PaymentProgress) {
        if let Some(sink) = &self.progress {
            sink(step);
        }
    }

    /// Shorter reconciliation pauses, for tests.
    pub fn with_reconcile_delays(mut self, delays: Vec<Duration>) -> Self {
        self.reconcile_delays = delays;
        self
    }

    fn settings(&self) -> Settings {
        self.settings.lock().expect("settings lock").clone()
    }

    fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings) -> AppResult<()>,
    ) -> AppResult<Settings> {
        let mut guard = self.settings.lock().expect("settings lock");
        let mut next = guard.clone();
        change(&mut next)?;
        self.repo.save(&next)?;
        *guard = next.clone();
        Ok(next)
    }

    async fn secret_for(&self, profile: &Profile) -> AppResult<Option<String>> {
        if profile.kind == ProfileKind::Demo {
            return Ok(Some(self.demo.secret_key.clone()));
        }
        let secrets = self.secrets.clone();
        let id = profile.id.clone();
        tokio::task::spawn_blocking(move || secrets.get(&id))
            .await
            .map_err(|e| AppError::new("internal", e.to_string()))?
    }

    async fn view_profile(&self, profile: &Profile) -> ProfileView {
        let has_secret = matches!(self.secret_for(profile).await, Ok(Some(_)));
        ProfileView {
            id: profile.id.clone(),
            name: profile.name.clone(),
            dealer_name: match profile.kind {
                ProfileKind::Demo => self.demo.dealer_name.clone(),
                _ => profile.name.clone(),
            },
            kind: profile.kind,
            base_url: profile.gateway_url(&self.demo.base_url),
            api_key: profile.api_key.clone(),
            has_secret,
            currency: profile.currency.clone(),
            operator_name: profile.operator_name.clone(),
            return_url: profile.return_url.clone(),
        }
    }

    // ---------------------------------------------------------------- profiles and settings

    pub async fn status(&self) -> AppResult<AppStatus> {
        let settings = self.settings();
        let mut profiles = Vec::new();
        for p in &settings.profiles {
            profiles.push(self.view_profile(p).await);
        }
        let profile = self.view_profile(settings.active()?).await;
        Ok(AppStatus {
            profile,
            profiles,
            language: settings.language.unwrap_or(self.os_language),
            commission_to_customer: settings.commission_to_customer,
            keychain_problem: self.keychain_problem.clone(),
            version: env!("CARGO_PKG_VERSION").into(),
        })
    }

    pub async fn list_profiles(&self) -> Vec<ProfileView> {
        let mut views = Vec::new();
        for p in self.settings().profiles {
            views.push(self.view_profile(&p).await);
        }
        views
    }

    pub async fn save_profile(&self, input: ProfileInput) -> AppResult<ProfileView> {
        let profile = self.profile_from_input(&input)?;
        if let Some(secret) = input.secret_key.as_deref().filter(|s| !s.is_empty()) {
            if profile.kind == ProfileKind::Demo {
                return Err(AppError::field("secretKey", "not_editable"));
            }
            if let Some(problem) = &self.keychain_problem {
                return Err(AppError::new("keychain_unavailable", problem.clone()));
            }
            let secrets = self.secrets.clone();
            let (id, secret) = (profile.id.clone(), secret.to_owned());
            tokio::task::spawn_blocking(move || secrets.set(&id, &secret))
                .await
                .map_err(|e| AppError::new("internal", e.to_string()))??;
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
        Ok(self.view_profile(&profile).await)
    }

    fn profile_from_input(&self, input: &ProfileInput) -> AppResult<Profile> {
        validation::required("name", &input.name)?;
        validation::max_len("name", &input.name, 60)?;
        validation::currency(&input.currency)?;
        let existing = match &input.id {
            Some(id) => Some(self.settings().profile(id)?.clone()),
            None => None,
        };
        if let Some(old) = &existing {
            if old.kind != input.kind {
                return Err(AppError::field("kind", "not_editable"));
            }
        } else if input.kind == ProfileKind::Demo {
            return Err(AppError::field("kind", "not_editable"));
        }
        let base_url = match input.kind {
            ProfileKind::Custom | ProfileKind::Live => {
                let url = input
                    .base_url
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty());
                if input.kind == ProfileKind::Custom && url.is_none() {
                    return Err(AppError::field("baseUrl", "required"));
                }
                if let Some(url) = url {
                    vpws::ClientConfig::new(url)
                        .map_err(|_| AppError::field("baseUrl", "invalid"))?;
                }
                url.map(str::to_owned)
            }
            _ => None,
        };
        let api_key = if input.kind == ProfileKind::Demo {
            self.demo.api_key.clone()
        } else {
            validation::required("apiKey", &input.api_key)?;
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
            _ => return Err(AppError::field("returnUrl", "invalid")),
        }
        validation::max_len("operatorName", &input.operator_name, 60)?;
        Ok(Profile {
            id: existing
                .map(|p| p.id)
                .unwrap_or_else(|| format!("p-{}", uuid::Uuid::new_v4().simple())),
            name: input.name.trim().to_owned(),
            kind: input.kind,
            base_url,
            api_key,
            currency: input.currency.clone(),
            operator_name: input.operator_name.trim().to_owned(),
            return_url: return_url.to_owned(),
        })
    }

    pub async fn delete_profile(&self, id: &str) -> AppResult<()> {
        let profile = self.settings().profile(id)?.clone();
        if profile.kind == ProfileKind::Demo {
            return Err(AppError::new(
                "not_deletable",
                "the Demo profile cannot be deleted",
            ));
        }
        let secrets = self.secrets.clone();
        let key = id.to_owned();
        tokio::task::spawn_blocking(move || secrets.delete(&key))
            .await
            .map_err(|e| AppError::new("internal", e.to_string()))??;
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

    pub async fn switch_profile(&self, id: &str) -> AppResult<AppStatus> {
        self.update_settings(|s| {
            s.profile(id)?;
            s.active_profile_id = id.to_owned();
            Ok(())
        })?;
        *self.session.lock().await = None;
        self.status().await
    }

    pub async fn update_preferences(&self, preferences: Preferences) -> AppResult<AppStatus> {
        if let Some(name) = &preferences.operator_name {
            validation::max_len("operatorName", name, 60)?;
        }
        self.update_settings(|s| {
            if let Some(language) = preferences.language {
                s.language = Some(language);
            }
            if let Some(flag) = preferences.commission_to_customer {
                s.commission_to_customer = flag;
            }
            if let Some(name) = &preferences.operator_name {
                let id = s.active_profile_id.clone();
                if let Some(p) = s.profiles.iter_mut().find(|p| p.id == id) {
                    p.operator_name = name.trim().to_owned();
                }
            }
            Ok(())
        })?;
        self.status().await
    }

    async fn drop_session_if(&self, profile_id: &str) {
        let mut session = self.session.lock().await;
        if session.as_ref().is_some_and(|s| s.profile.id == profile_id) {
            *session = None;
        }
    }

    async fn client_for(&self, profile: &Profile) -> AppResult<vpws::Client> {
        let secret = self.secret_for(profile).await?.ok_or_else(|| {
            AppError::new("secret_missing", "no secretKey stored for this profile")
        })?;
        let config = vpws::ClientConfig::new(&profile.gateway_url(&self.demo.base_url))?;
        Ok(vpws::Client::new(
            config,
            vpws::Credentials {
                api_key: profile.api_key.clone(),
                secret_key: SecretString::from(secret),
            },
        )?)
    }

    /// The active profile's session; a new one (new client, new token) when the profile changed.
    async fn session(&self) -> AppResult<Arc<Session>> {
        let profile = self.settings().active()?.clone();
        let mut slot = self.session.lock().await;
        if let Some(session) = slot.as_ref().filter(|s| s.profile == profile) {
            return Ok(session.clone());
        }
        let session = Arc::new(Session {
            client: self.client_for(&profile).await?,
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

    // ---------------------------------------------------------------- rates

    pub async fn payment_options(&self, currency: &str) -> AppResult<Vec<PosView>> {
        validation::currency(currency)?;
        let session = self.session().await?;
        let poses = session.client.payment_options(currency).await?;
        Ok(poses.iter().filter_map(pos_view).collect())
    }

    pub async fn bin_options(
        &self,
        bin: &str,
        currency: &str,
        amount: Option<&str>,
    ) -> AppResult<BinOptionsView> {
        validation::currency(currency)?;
        vpws::validate::bin(bin).map_err(|_| AppError::field("cardNumber", "bin"))?;
        let amount = amount.map(|a| parse_amount("amount", a)).transpose()?;
        let session = self.session().await?;
        let options = session
            .client
            .payment_options_by_bin(bin, currency, amount)
            .await?;
        Ok(BinOptionsView {
            poses: options.poses.iter().filter_map(pos_view).collect(),
            three_d_limit: options.three_d_limit.map(format_amount),
        })
    }

    pub fn quote(&self, input: &QuoteInput) -> AppResult<Vec<QuoteRow>> {
        let amount = parse_amount("amount", &input.amount)?;
        input
            .rows
            .iter()
            .map(|row| {
                let rate: Decimal = row
                    .commission_rate
                    .parse()
                    .map_err(|_| AppError::field("commissionRate", "invalid"))?;
                let q = quote(amount, rate, row.count, input.commission_to_customer);
                Ok(QuoteRow {
                    count: row.count,
                    total: format_amount(q.total),
                    per_installment: format_amount(q.per_installment),
                    first_installment: format_amount(q.first_installment),
                    commission: format_amount(q.commission),
                    net: format_amount(q.net),
                })
            })
            .collect()
    }

    // ---------------------------------------------------------------- payment

    /// `DD-20261121-7K3Q9X`: date plus six random characters; unique enough per dealer.
    pub fn new_order_reference(&self) -> String {
        let today = Utc::now().with_timezone(&Istanbul).format("%Y%m%d");
        let random = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
        format!("DD-{today}-{}", &random[..6])
    }

    fn claim(&self, key: String) -> AppResult<InFlight<'_>> {
        let mut set = self.in_flight.lock().expect("in-flight lock");
        if !set.insert(key.clone()) {
            return Err(AppError::new(
                "busy",
                "this operation is already being sent",
            ));
        }
        Ok(InFlight {
            set: &self.in_flight,
            key,
        })
    }

    /// Takes a payment. `three_d` shows the bank's page and reports how it ended; the outcome is
    /// then decided by querying the gateway, never by the redirect itself.
    pub async fn pay<F, Fut>(&self, input: PaymentInput, three_d: F) -> AppResult<PaymentOutcome>
    where
        F: FnOnce(String, String) -> Fut,
        Fut: Future<Output = ThreeDEnd>,
    {
        let today = Utc::now().with_timezone(&Istanbul).date_naive();
        validation::order_reference(&input.order_reference)?;
        let amount = parse_amount("amount", &input.amount)?;
        validation::currency(&input.currency)?;
        if !(1..=36).contains(&input.installment) {
            return Err(AppError::field("installment", "invalid"));
        }
        validation::required("pos", &input.tenant_pos_id)?;
        validation::contact(&input.contact)?;
        let card_digits = validation::card(&input.card, today)?;

        let order = input.order_reference.trim().to_owned();
        let _guard = self.claim(format!("order:{order}"))?;
        if self
            .sent_orders
            .lock()
            .expect("orders lock")
            .contains(&order)
        {
            return Err(AppError::new(
                "already_submitted",
                "this order reference was already sent",
            )
            .with("orderReference", order));
        }
        let session = self.session().await?;
        let profile = &session.profile;
        let contact = &input.contact;
        let optional = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let request = vpws::PaymentRequest {
            amount,
            installment: input.installment,
            tenant_pos_id: input.tenant_pos_id.clone(),
            currency_code: input.currency.clone(),
            use_3d: input.use_3d,
            return_url: input.use_3d.then(|| profile.return_url.clone()),
            client_order_reference_code: Some(order.clone()),
            contact: vpws::Contact {
                name: contact.name.trim().to_owned(),
                surname: contact.surname.trim().to_owned(),
                email: contact.email.trim().to_owned(),
                tckn: optional(&contact.tckn),
                description: optional(&contact.description),
                phone: optional(&contact.phone)
                    .map(|p| p.chars().filter(char::is_ascii_digit).collect()),
            },
            card: vpws::Card {
                card_number: SecretString::from(card_digits),
                card_holder_name: input.card.holder.trim().to_owned(),
                cvv: SecretString::from(input.card.cvv.clone()),
                exp_month: input.card.exp_month,
                exp_year: input.card.exp_year,
            },
        };
        drop(input);
        self.sent_orders
            .lock()
            .expect("orders lock")
            .insert(order.clone());
        let entry = self.journal.record(&NewEntry {
            kind: Some(EntryKind::Payment),
            profile_id: profile.id.clone(),
            environment: environment(profile.kind).into(),
            operator: profile.operator_name.clone(),
            amount: Some(amount),
            currency: request.currency_code.clone(),
            installment: Some(request.installment),
            pos_id: Some(request.tenant_pos_id.clone()),
            order_reference: Some(order.clone()),
            masked_card: Some(request.card.masked_number()),
            ..NewEntry::default()
        })?;
        self.report(PaymentProgress::Sending);
        let answer = session.client.pay(&request).await;
        drop(request);
        let result = self.decide_payment(&session, &order, answer, three_d).await;
        self.settle_payment_entry(entry, &result);
        result
    }

    async fn decide_payment<F, Fut>(
        &self,
        session: &Session,
        order: &str,
        answer: vpws::Result<vpws::PaymentResult>,
        three_d: F,
    ) -> AppResult<PaymentOutcome>
    where
        F: FnOnce(String, String) -> Fut,
        Fut: Future<Output = ThreeDEnd>,
    {
        let order = order.to_owned();
        let profile = &session.profile;
        match answer {
            Ok(result) if result.needs_3d() => {
                let redirect = result.redirect_url.clone().unwrap_or_default();
                self.report(PaymentProgress::WaitingFor3d);
                let end = three_d(redirect, profile.return_url.clone()).await;
                self.report(PaymentProgress::Checking);
                Ok(self.settle_3d(session, &order, end).await)
            }
            Ok(result) => {
                let key = match result.reference_code {
                    Some(r) => TransactionKey::ReferenceCode(r),
                    None => TransactionKey::ClientReference(order.clone()),
                };
                match session.client.transaction(&key).await {
                    Ok(tx) => Ok(self.outcome_of(&tx, &order)),
                    // Charged for sure (the gateway said so); the confirming read failed.
                    Err(_) => Ok(self.reconcile(session, &order).await),
                }
            }
            Err(e) if e.outcome_uncertain() => {
                tracing::warn!(order = %order, code = e.code(), "payment outcome uncertain; reconciling");
                Ok(self.reconcile(session, &order).await)
            }
            Err(vpws::Error::Gateway(g)) => {
                let transaction = match &g.reference_code {
                    Some(r) => session
                        .client
                        .transaction(&TransactionKey::ReferenceCode(r.clone()))
                        .await
                        .ok(),
                    None => None,
                };
                Ok(PaymentOutcome::Declined {
                    code: g.code.clone(),
                    message: g.message.clone(),
                    transaction: transaction.map(|t| self.view(&t)),
                })
            }
            Err(e @ (vpws::Error::Connect(_) | vpws::Error::RateLimited { .. })) => {
                // Nothing reached the gateway: the same order may be sent again.
                self.sent_orders.lock().expect("orders lock").remove(&order);
                Err(e.into())
            }
            Err(e) => {
                if matches!(
                    e,
                    vpws::Error::Validation { .. }
                        | vpws::Error::Forbidden { .. }
                        | vpws::Error::InvalidInput { .. }
                ) {
                    self.sent_orders.lock().expect("orders lock").remove(&order);
                }
                Err(e.into())
            }
        }
    }

    fn outcome_of(&self, tx: &vpws::Transaction, order: &str) -> PaymentOutcome {
        let view = self.view(tx);
        match tx.transaction_status_id {
            s if s.is_charged() => PaymentOutcome::Approved { transaction: view },
            TransactionStatus::FAILED => PaymentOutcome::Declined {
                code: "declined".into(),
                // No gateway text here (only a status was read); the UI translates the code.
                message: String::new(),
                transaction: Some(view),
            },
            _ => PaymentOutcome::Unknown {
                order_reference: order.to_owned(),
                reason: format!("gateway reports status {}", tx.transaction_status_id.0),
            },
        }
    }

    /// After an uncertain failure: query by the order reference (a few times) before anything.
    async fn reconcile(&self, session: &Session, order: &str) -> PaymentOutcome {
        self.report(PaymentProgress::Checking);
        let key = TransactionKey::ClientReference(order.to_owned());
        let mut last_problem = String::from("not checked");
        for delay in &self.reconcile_delays {
            tokio::time::sleep(*delay).await;
            match session.client.transaction(&key).await {
                Ok(tx) => return self.outcome_of(&tx, order),
                Err(vpws::Error::NotFound { .. }) => {
                    self.sent_orders.lock().expect("orders lock").remove(order);
                    return PaymentOutcome::NotCharged {
                        order_reference: order.to_owned(),
                        reason: "the gateway has no payment with this order reference".into(),
                    };
                }
                Err(e) => last_problem = e.code().to_owned(),
            }
        }
        PaymentOutcome::Unknown {
            order_reference: order.to_owned(),
            reason: last_problem,
        }
    }

    async fn settle_3d(&self, session: &Session, order: &str, end: ThreeDEnd) -> PaymentOutcome {
        let key = TransactionKey::ClientReference(order.to_owned());
        let mut seen = None;
        for delay in &self.reconcile_delays {
            tokio::time::sleep(*delay).await;
            match session.client.transaction(&key).await {
                Ok(tx) if tx.transaction_status_id == TransactionStatus::PENDING => seen = Some(tx),
                Ok(tx) => return self.outcome_of(&tx, order),
                Err(e) => tracing::warn!(order, code = e.code(), "3D status query failed"),
            }
            if end != ThreeDEnd::Returned {
                break;
            }
        }
        match (end, seen) {
            (ThreeDEnd::Returned, _) => PaymentOutcome::Unknown {
                order_reference: order.to_owned(),
                reason: "the bank returned but the payment is still pending".into(),
            },
            (_, tx) => PaymentOutcome::Abandoned {
                transaction: tx.map(|t| self.view(&t)),
            },
        }
    }

    // ---------------------------------------------------------------- lookup, cancel, refund

    pub async fn lookup(&self, key: LookupKey) -> AppResult<TransactionView> {
        let key = match key {
            LookupKey::ReferenceCode(v) => TransactionKey::ReferenceCode(v.trim().to_owned()),
            LookupKey::TransactionId(v) => TransactionKey::TransactionId(v.trim().to_owned()),
            LookupKey::OrderReference(v) => TransactionKey::ClientReference(v.trim().to_owned()),
        };
        validation::required("lookup", key.value())?;
        let session = self.session().await?;
        let tx = session.client.transaction(&key).await?;
        self.refresh_journal(&tx);
        Ok(self.view(&tx))
    }

    pub async fn cancel(&self, input: CancelInput) -> AppResult<TransactionView> {
        validation::required("reason", &input.reason)?;
        validation::max_len("reason", &input.reason, 200)?;
        let reference = input.reference_code.trim().to_owned();
        validation::required("referenceCode", &reference)?;
        let _guard = self.claim(format!("reversal:{reference}"))?;
        let session = self.session().await?;
        let key = TransactionKey::ReferenceCode(reference.clone());
        let current = session.client.transaction(&key).await?;
        let reason = input.reason.trim();
        let entry = self.record_reversal(&session, EntryKind::Cancel, &current, None, reason)?;
        let request = vpws::CancelRequest {
            reference_code: reference.clone(),
            reason: Some(reason.to_owned()),
        };
        let result = session.client.cancel(&request).await;
        self.settle_reversal(entry, &result);
        result?;
        let tx = session.client.transaction(&key).await?;
        Ok(self.view(&tx))
    }

    pub async fn refund(&self, input: RefundInput) -> AppResult<TransactionView> {
        validation::required("reason", &input.reason)?;
        validation::max_len("reason", &input.reason, 200)?;
        let reference = input.reference_code.trim().to_owned();
        validation::required("referenceCode", &reference)?;
        let amount = input
            .amount
            .as_deref()
            .map(|a| parse_amount("amount", a))
            .transpose()?;
        let _guard = self.claim(format!("reversal:{reference}"))?;
        let session = self.session().await?;
        let key = TransactionKey::ReferenceCode(reference.clone());
        let current = session.client.transaction(&key).await?;
        if let Some(amount) = amount {
            if amount > current.last_amount {
                return Err(AppError::field("amount", "exceeds_remaining")
                    .with("remaining", format_amount(current.last_amount)));
            }
        }
        let reason = input.reason.trim();
        let entry = self.record_reversal(&session, EntryKind::Refund, &current, amount, reason)?;
        let request = vpws::RefundRequest {
            reference_code: reference.clone(),
            amount,
            reason: Some(reason.to_owned()),
        };
        let result = session.client.refund(&request).await;
        self.settle_reversal(entry, &result);
        result?;
        let tx = session.client.transaction(&key).await?;
        Ok(self.view(&tx))
    }

    fn view(&self, tx: &vpws::Transaction) -> TransactionView {
        transaction_view(tx, self.local_state(&tx.reference_number), Utc::now())
    }

    /// What this desk did to a transaction (from the journal), to tell a cancel from a refund.
    fn local_state(&self, reference: &str) -> Option<TransactionState> {
        let history = self.journal.history(reference, None).ok()?;
        let done = |kind| {
            history
                .iter()
                .any(|e| e.kind == kind && e.outcome == Outcome::Success)
        };
        if done(EntryKind::Cancel) {
            Some(TransactionState::Cancelled)
        } else if done(EntryKind::Refund) {
            Some(TransactionState::Refunded)
        } else {
            None
        }
    }

    fn settle_payment_entry(&self, id: i64, result: &AppResult<PaymentOutcome>) {
        let outcome = match result {
            Ok(PaymentOutcome::Approved { .. }) => Outcome::Success,
            Ok(PaymentOutcome::Declined { .. }) => Outcome::Failed,
            Ok(PaymentOutcome::Abandoned { .. }) => Outcome::Abandoned,
            Ok(PaymentOutcome::NotCharged { .. }) => Outcome::NotCharged,
            Ok(PaymentOutcome::Unknown { .. }) => Outcome::Unknown,
            Err(e) if matches!(e.code.as_str(), "connect" | "rate_limited") => Outcome::NotCharged,
            Err(_) => Outcome::Failed,
        };
        let from_view = |tx: &Option<TransactionView>| match tx {
            Some(tx) => Settlement {
                reference_code: Some(tx.reference_code.clone()),
                transaction_id: Some(tx.transaction_id.clone()),
                pos_name: tx.pos_name.clone(),
                remaining_after: tx.remaining.parse().ok(),
                ..Settlement::default()
            },
            None => Settlement::default(),
        };
        let details = match result {
            Ok(PaymentOutcome::Approved { transaction }) => from_view(&Some(transaction.clone())),
            Ok(PaymentOutcome::Declined {
                code,
                message,
                transaction,
            }) => Settlement {
                error_code: Some(code.clone()),
                error_message: Some(message.clone()).filter(|m| !m.is_empty()),
                ..from_view(transaction)
            },
            Ok(PaymentOutcome::Abandoned { transaction }) => from_view(transaction),
            Ok(
                PaymentOutcome::NotCharged { reason, .. } | PaymentOutcome::Unknown { reason, .. },
            ) => Settlement {
                error_message: Some(reason.clone()),
                ..Settlement::default()
            },
            Err(e) => Settlement {
                error_code: Some(
                    e.details
                        .get("gatewayCode")
                        .cloned()
                        .unwrap_or_else(|| e.code.clone()),
                ),
                error_message: Some(e.message.clone()),
                ..Settlement::default()
            },
        };
        let settlement = Settlement {
            outcome: Some(outcome),
            ..details
        };
        if let Err(e) = self.journal.settle(id, &settlement) {
            tracing::error!(id, "journal update failed: {}", e.message);
        }
    }

    fn record_reversal(
        &self,
        session: &Session,
        kind: EntryKind,
        current: &vpws::Transaction,
        amount: Option<Decimal>,
        reason: &str,
    ) -> AppResult<i64> {
        self.journal.record(&NewEntry {
            kind: Some(kind),
            profile_id: session.profile.id.clone(),
            environment: environment(session.profile.kind).into(),
            operator: session.profile.operator_name.clone(),
            amount: amount.or(Some(current.last_amount)),
            currency: current
                .currency_type
                .clone()
                .unwrap_or_else(|| "TRY".into()),
            installment: current.installment,
            pos_id: current.tenant_pos_id.clone(),
            pos_name: current.pos_name.clone(),
            order_reference: current.client_reference_number.clone(),
            reference_code: Some(current.reference_number.clone()),
            transaction_id: Some(current.id.clone()),
            masked_card: current
                .masked_card_number
                .clone()
                .filter(|m| m.contains('*')),
            reason: Some(reason.to_owned()),
        })
    }

    fn settle_reversal(&self, id: i64, result: &vpws::Result<vpws::OperationResult>) {
        let settlement = match result {
            Ok(done) => Settlement {
                outcome: Some(Outcome::Success),
                remaining_after: done.last_amount,
                ..Settlement::default()
            },
            Err(e) => Settlement {
                outcome: Some(if e.outcome_uncertain() {
                    Outcome::Unknown
                } else {
                    Outcome::Failed
                }),
                error_code: Some(e.gateway_code().unwrap_or(e.code()).to_owned()),
                error_message: Some(e.to_string()),
                ..Settlement::default()
            },
        };
        if let Err(e) = self.journal.settle(id, &settlement) {
            tracing::error!(id, "journal update failed: {}", e.message);
        }
    }

    /// Settles unsettled payment entries of this transaction from what the gateway says now.
    fn refresh_journal(&self, tx: &vpws::Transaction) {
        let Ok(history) = self
            .journal
            .history(&tx.reference_number, tx.client_reference_number.as_deref())
        else {
            return;
        };
        for entry in history
            .iter()
            .filter(|e| e.kind == EntryKind::Payment && !e.outcome.is_settled())
        {
            if let Some(settlement) = payment_settlement_from(tx) {
                if let Err(e) = self.journal.settle(entry.id, &settlement) {
                    tracing::error!(entry.id, "journal update failed: {}", e.message);
                }
            }
        }
    }

    /// Re-asks the gateway about every pending or unknown entry of the active profile (at
    /// start-up and on "Check pending") and reports what changed.
    pub async fn reconcile_pending(&self) -> AppResult<Vec<ReconcileChange>> {
        let session = self.session().await?;
        let busy: HashSet<String> = self.in_flight.lock().expect("in-flight lock").clone();
        let mut changes = Vec::new();
        for entry in self.journal.unsettled()? {
            if entry.profile_id != session.profile.id {
                continue;
            }
            let in_flight = |key: String| busy.contains(&key);
            let key = match (entry.kind, &entry.order_reference, &entry.reference_code) {
                (EntryKind::Payment, Some(order), _) if in_flight(format!("order:{order}")) => {
                    continue
                }
                (EntryKind::Payment, Some(order), _) => {
                    TransactionKey::ClientReference(order.clone())
                }
                (_, _, Some(reference)) if in_flight(format!("reversal:{reference}")) => continue,
                (_, _, Some(reference)) => TransactionKey::ReferenceCode(reference.clone()),
                _ => continue,
            };
            let settlement = match (entry.kind, session.client.transaction(&key).await) {
                (EntryKind::Payment, Ok(tx)) => match payment_settlement_from(&tx) {
                    Some(s) => s,
                    None => continue,
                },
                (EntryKind::Payment, Err(vpws::Error::NotFound { .. })) => Settlement {
                    outcome: Some(Outcome::NotCharged),
                    error_message: Some(
                        "the gateway has no payment with this order reference".into(),
                    ),
                    ..Settlement::default()
                },
                (EntryKind::Cancel, Ok(tx)) => Settlement {
                    outcome: Some(if tx.last_amount.is_zero() {
                        Outcome::Success
                    } else {
                        Outcome::Failed
                    }),
                    remaining_after: Some(tx.last_amount),
                    ..Settlement::default()
                },
                // Whether a refund went through cannot be told from the transaction alone.
                (EntryKind::Refund, Ok(tx)) if entry.outcome == Outcome::Pending => Settlement {
                    outcome: Some(Outcome::Unknown),
                    remaining_after: Some(tx.last_amount),
                    error_message: Some("check the refundable amount of the transaction".into()),
                    ..Settlement::default()
                },
                _ => continue,
            };
            let after = settlement.outcome.unwrap_or(entry.outcome);
            self.journal.settle(entry.id, &settlement)?;
            if after != entry.outcome {
                changes.push(ReconcileChange {
                    entry_id: entry.id,
                    kind: entry.kind,
                    order_reference: entry.order_reference.clone(),
                    reference_code: settlement
                        .reference_code
                        .clone()
                        .or(entry.reference_code.clone()),
                    before: entry.outcome,
                    after,
                });
            }
        }
        Ok(changes)
    }

    pub fn journal(&self) -> &Arc<Journal> {
        &self.journal
    }
}

fn environment(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::Demo => "demo",
        ProfileKind::Sandbox => "sandbox",
        ProfileKind::Live => "live",
        ProfileKind::Custom => "custom",
    }
}

/// A payment entry's settlement from the transaction's status; `None` while still pending.
fn payment_settlement_from(tx: &vpws::Transaction) -> Option<Settlement> {
    let outcome = match tx.transaction_status_id {
        s if s.is_charged() => Outcome::Success,
        TransactionStatus::FAILED => Outcome::Failed,
        _ => return None,
    };
    Some(Settlement {
        outcome: Some(outcome),
        reference_code: Some(tx.reference_number.clone()),
        transaction_id: Some(tx.id.clone()),
        pos_name: tx.pos_name.clone(),
        remaining_after: Some(tx.last_amount),
        ..Settlement::default()
    })
}

fn pos_view(pos: &vpws::PosOption) -> Option<PosView> {
    Some(PosView {
        tenant_pos_id: pos.tenant_pos_id.clone()?,
        name: pos.name.clone(),
        color: pos.color_code.clone().unwrap_or_else(|| "#5b6b80".into()),
        is_default: pos.is_default_pos,
        show_commission: pos.is_visible_comm_rate,
        installments: pos
            .comm_rates
            .iter()
            .map(|r| InstallmentView {
                count: r.installment,
                plus: r.plus_installment,
                commission_rate: r.process_comm_rate.normalize().to_string(),
            })
            .collect(),
    })
}

/// What the desk shows for a transaction, and which actions it offers.
pub fn transaction_view(
    tx: &vpws::Transaction,
    local: Option<TransactionState>,
    now: chrono::DateTime<Utc>,
) -> TransactionView {
    let nothing_left = tx.last_amount.is_zero();
    let state = match tx.transaction_status_id {
        TransactionStatus::FAILED => TransactionState::Failed,
        TransactionStatus::PENDING => TransactionState::Pending,
        TransactionStatus::PARTIALLY_REFUNDED => TransactionState::PartiallyRefunded,
        TransactionStatus::SUCCESS if nothing_left => local.unwrap_or(TransactionState::Closed),
        TransactionStatus::SUCCESS => TransactionState::Success,
        _ => TransactionState::Unknown,
    };
    let untouched = tx.amount.is_none_or(|a| a == tx.last_amount);
    let same_day = tx
        .transaction_date
        .is_none_or(|d| d.istanbul().date_naive() == now.with_timezone(&Istanbul).date_naive());
    TransactionView {
        transaction_id: tx.id.clone(),
        reference_code: tx.reference_number.clone(),
        order_reference: tx.client_reference_number.clone(),
        state,
        status_id: tx.transaction_status_id.0,
        amount: tx.amount.map(format_amount),
        remaining: format_amount(tx.last_amount),
        net: tx.last_net_amount.map(format_amount),
        currency: tx.currency_type.clone().unwrap_or_else(|| "TRY".into()),
        installment: tx.installment,
        commission_rate: tx.comm_rate.map(|r| r.normalize().to_string()),
        pos_id: tx.tenant_pos_id.clone(),
        pos_name: tx.pos_name.clone(),
        masked_card: tx.masked_card_number.clone(),
        card_holder: tx.card_holder_name.clone(),
        date: tx.transaction_date.map(|d| d.istanbul().to_rfc3339()),
        can_cancel: state == TransactionState::Success && untouched && same_day,
        can_refund: matches!(
            state,
            TransactionState::Success | TransactionState::PartiallyRefunded
        ) && !nothing_left,
    }
}
