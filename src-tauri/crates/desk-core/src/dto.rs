//! What crosses IPC. Amounts are decimal strings (`"1234.50"`), dates RFC 3339 strings. The
//! TypeScript twins in `ui/src/lib/generated/` are generated from these (ts-rs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Doubt;
use crate::model::Outcome;
use crate::model::{Language, ProfileKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    /// Shown on receipts: the demo dealer for Demo, the profile name otherwise.
    pub dealer_name: String,
    pub kind: ProfileKind,
    pub base_url: String,
    pub api_key: String,
    /// Whether a secretKey is available (keychain, or built in for Demo). Never the secret.
    pub has_secret: bool,
    pub currency: String,
    pub operator_name: String,
    pub return_url: String,
}

/// Create (no `id`) or edit a profile. `secret_key` only when the operator typed a new one.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: ProfileKind,
    pub base_url: Option<String>,
    pub api_key: String,
    pub secret_key: Option<String>,
    pub currency: String,
    pub operator_name: String,
    pub return_url: Option<String>,
}

impl std::fmt::Debug for ProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileInput")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("api_key", &self.api_key)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppStatus {
    pub profile: ProfileView,
    pub profiles: Vec<ProfileView>,
    /// The language chosen, or the OS locale's.
    pub language: Language,
    pub commission_to_customer: bool,
    /// Back office may export the journal (supervisors always may).
    pub back_office_exports: bool,
    /// Text size in percent (100, 125, 150, 200).
    pub text_size: u16,
    pub high_contrast: bool,
    pub customer_retention: crate::settings::Retention,
    /// Days after a sale the banks usually accept a refund (30, 60, 90, 180, 365).
    pub refund_period_days: u16,
    /// What the retention setting last purged, since the app started.
    pub last_purge: Option<PurgeReport>,
    pub journal: JournalStatus,
    /// `None` when the keychain works; otherwise why not (secrets cannot be saved).
    pub keychain_problem: Option<String>,
    /// What went wrong at start-up that the operator must know (a file set aside).
    pub notices: Vec<StartNotice>,
    pub version: String,
    /// Look for a new version at start (at most once a day).
    pub check_for_updates: bool,
    /// Where to look, when not the address the build names.
    pub update_endpoint: Option<String>,
}

/// Which journal the desk uses now, which one is chosen (a change applies at the next start),
/// and whether the team database's password is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalStatus {
    pub in_use: crate::settings::JournalChoice,
    pub chosen: crate::settings::JournalChoice,
    pub has_team_password: bool,
}

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

/// A file the app could not read: moved aside at start-up instead of lost silently, or found
/// damaged by the check after start (set aside at the next start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StartNotice {
    /// `journal_set_aside`, `settings_set_aside` or `journal_damaged`.
    pub code: String,
    /// Where the unreadable file now is.
    pub path: String,
}

#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Preferences {
    pub language: Option<Language>,
    pub commission_to_customer: Option<bool>,
    pub operator_name: Option<String>,
    pub text_size: Option<u16>,
    pub high_contrast: Option<bool>,
    pub customer_retention: Option<crate::settings::Retention>,
    pub refund_period_days: Option<u16>,
    pub lock_after_minutes: Option<u16>,
    /// Back office may export the journal (supervisors always may).
    pub back_office_exports: Option<bool>,
    pub check_for_updates: Option<bool>,
    /// An empty text goes back to the address the build names.
    pub update_endpoint: Option<String>,
}

impl Preferences {
    /// The desk-wide values among what the operator chose (the team's, in team mode).
    pub fn desk_wide(&self) -> crate::settings::TeamSettings {
        crate::settings::TeamSettings {
            customer_retention: self.customer_retention,
            refund_period_days: self.refund_period_days,
            lock_after_minutes: self.lock_after_minutes,
            commission_to_customer: self.commission_to_customer,
            back_office_exports: self.back_office_exports,
        }
    }
}

/// A supervisor's resolution of an entry the gateway cannot settle by itself.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResolveInput {
    #[ts(type = "number")]
    pub entry_id: i64,
    /// The gateway shows it applied (a refund or cancel taken off, a payment charged).
    pub applied: bool,
    pub reason: String,
}

/// A newer Dealer Desk found at the update address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// What changed, as the release notes say (plain text).
    pub notes: Option<String>,
    /// The team journal needs a newer app than this one: until it is installed this desk takes
    /// no payments.
    pub required: bool,
}

/// A purge of customers by the retention setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeReport {
    /// Entries whose customer was forgotten.
    pub count: u32,
    /// Entries created before this instant (RFC 3339, UTC) were purged.
    pub before: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionTest {
    pub api_key: String,
    pub pos_count: u32,
    pub token_expires_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PosView {
    pub tenant_pos_id: String,
    pub name: String,
    pub color: String,
    pub is_default: bool,
    pub show_commission: bool,
    pub installments: Vec<InstallmentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstallmentView {
    pub count: u32,
    /// Extra campaign installments the bank adds.
    pub plus: u32,
    /// Commission percentage, e.g. `"4.79"`.
    pub commission_rate: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BinOptionsView {
    pub poses: Vec<PosView>,
    /// Above this amount 3D Secure is mandatory, when the gateway says so.
    pub three_d_limit: Option<String>,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteInput {
    pub amount: String,
    pub commission_to_customer: bool,
    /// Every POS to quote, with the rates the UI already holds: one call quotes a whole screen.
    pub poses: Vec<PosRates>,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PosRates {
    pub tenant_pos_id: String,
    pub rows: Vec<InstallmentView>,
}

/// One POS's quote, in the order asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PosQuote {
    pub tenant_pos_id: String,
    pub rows: Vec<QuoteRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteRow {
    pub count: u32,
    pub total: String,
    pub per_installment: String,
    pub first_installment: String,
    pub commission: String,
    pub net: String,
}

/// A payment as the operator confirmed it. Not `Clone`: its card data exists once.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentInput {
    pub order_reference: String,
    pub amount: String,
    pub currency: String,
    pub installment: u32,
    pub tenant_pos_id: String,
    pub use_3d: bool,
    pub contact: ContactInput,
    pub card: CardInput,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactInput {
    pub name: String,
    pub surname: String,
    pub email: String,
    pub phone: Option<String>,
    pub tckn: Option<String>,
    pub description: Option<String>,
}

/// Card data as typed. Lives only for the one call; `Debug` shows the masked number.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardInput {
    #[ts(type = "string")]
    pub number: CardSecret,
    pub holder: String,
    pub exp_month: u32,
    pub exp_year: u32,
    #[ts(type = "string")]
    pub cvv: CardSecret,
}

/// A card number or CVV as typed: its memory is zeroed when it is dropped, and it is never
/// cloned or printed (no `Clone`, no `Debug`, no `Serialize`).
pub struct CardSecret(zeroize::Zeroizing<String>);

impl CardSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for CardSecret {
    fn from(text: &str) -> Self {
        Self(zeroize::Zeroizing::new(text.to_owned()))
    }
}

impl<'de> Deserialize<'de> for CardSecret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self(zeroize::Zeroizing::new(text)))
    }
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = zeroize::Zeroizing::new(
            self.number
                .expose()
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>(),
        );
        f.debug_struct("CardInput")
            .field("number", &vpws::mask::card_number(&digits))
            .field("holder", &self.holder)
            .field("cvv", &"***")
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PaymentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentInput")
            .field("order_reference", &self.order_reference)
            .field("amount", &self.amount)
            .field("installment", &self.installment)
            .field("card", &self.card)
            .finish_non_exhaustive()
    }
}

pub use crate::model::TransactionState;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionView {
    pub transaction_id: String,
    pub reference_code: String,
    pub order_reference: Option<String>,
    pub state: TransactionState,
    /// Original amount, when the gateway reports it.
    pub amount: Option<String>,
    /// Still refundable (`lastAmount`).
    pub remaining: String,
    pub net: Option<String>,
    pub currency: String,
    pub installment: Option<u32>,
    pub commission_rate: Option<String>,
    pub pos_id: Option<String>,
    pub pos_name: Option<String>,
    pub masked_card: Option<String>,
    pub card_holder: Option<String>,
    /// RFC 3339 with offset (the gateway's Istanbul local time made explicit).
    pub date: Option<String>,
    pub can_cancel: bool,
    /// Why a successful payment offers no cancel (none when it does, or when it is not a
    /// successful payment at all).
    pub no_cancel: Option<NoCancel>,
    pub can_refund: bool,
    /// Days since the sale, when a refund is offered but the sale is older than the refund
    /// period setting: the bank may refuse it.
    pub refund_period_passed: Option<u32>,
    /// An earlier cancel or refund of it from this desk has no confirmed outcome yet: no new
    /// one is offered until it is settled.
    pub reversal_in_doubt: bool,
    /// That cancel or refund is being sent right now (a desk holds it): its outcome comes.
    pub reversal_being_sent: bool,
}

/// A transaction as its detail screen shows it, in one answer: the gateway's view, this desk's
/// journal of it (its payment, cancels and refunds, who paid) and what the operator at the desk
/// may do with it. Lookups, cancels, refunds and resolutions all answer with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionScreen {
    pub transaction: TransactionView,
    pub history: Vec<crate::journal::Entry>,
    pub actions: TransactionActions,
}

/// What the operator at the desk may do with a transaction, as the role table and their limit
/// say (every command checks it again): the screen offers these and nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionActions {
    /// The gateway allows a cancel now and the operator's role may send one.
    pub may_cancel: bool,
    /// The gateway allows a refund now and the operator's role may send one.
    pub may_refund: bool,
    /// Back office: what they may still take off this transaction without a supervisor (their
    /// limit less what they already cancelled or refunded of it); above it the screen files a
    /// request for approval. `None`: no limit (supervisors, or operators off).
    pub without_approval_up_to: Option<String>,
    /// Settle an entry the gateway cannot settle by itself (supervisors, or operators off).
    pub may_resolve: bool,
}

/// Why a successful payment cannot be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NoCancel {
    /// Cancels are for the sale's own day (Istanbul): a refund returns the money after it.
    AfterSaleDay,
    /// Part of it was refunded already: a refund returns the rest.
    PartlyRefunded,
    /// An earlier cancel or refund is not settled yet.
    ReversalInDoubt,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "by", content = "value")]
#[ts(export)]
pub enum LookupKey {
    ReferenceCode(String),
    TransactionId(String),
    OrderReference(String),
}

/// A refund as the operator confirmed it. "Everything left" is sent as that exact amount.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefundInput {
    pub reference_code: String,
    pub amount: String,
    pub reason: String,
    /// The refundable amount the operator saw (required); if the gateway's differs now, nothing
    /// is sent.
    pub remaining_seen: String,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CancelInput {
    pub reference_code: String,
    pub reason: String,
    /// The amount the operator confirmed would go back (required); if it differs now, nothing is
    /// sent.
    pub remaining_seen: String,
}

/// How a payment stands: a view of its verdict (`crate::verdict`). Only `outcome: success`
/// means money was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentOutcome {
    pub order_reference: String,
    pub amount: String,
    pub currency: String,
    pub outcome: Outcome,
    /// Why it is in doubt, when it is.
    pub doubt: Option<Doubt>,
    /// Why it failed: the gateway's code (`P011`…) or `declined`.
    pub code: Option<String>,
    /// The bank's own words, when it gave any.
    pub message: Option<String>,
    /// The gateway's transaction, when it could be read.
    pub transaction: Option<TransactionView>,
    /// Demo gateway: no real money moved.
    pub demo: bool,
    /// `false`: the gateway's verdict is shown but the journal could not be written (the team
    /// database is away); the desk writes it as soon as the journal is back.
    pub journaled: bool,
}

/// One journal entry whose outcome changed during reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReconcileChange {
    #[ts(type = "number")]
    pub entry_id: i64,
    pub kind: crate::journal::EntryKind,
    pub order_reference: Option<String>,
    pub reference_code: Option<String>,
    pub before: crate::journal::Outcome,
    pub after: crate::journal::Outcome,
}

/// What a reconciliation settled, and what is still not final (listed for the operator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReconcileReport {
    pub changes: Vec<ReconcileChange>,
    /// What this round asked about and is still not final (one round's worth at most).
    pub unsettled: Vec<crate::journal::Entry>,
    /// Every entry of the active profile not final yet, this round's included.
    pub unsettled_total: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    pub rows: u32,
}

/// Operators as a desk sees them: whether they are on, who is signed in here, and the names
/// the sign-in screen offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffStatus {
    /// Some operator is active: a PIN is asked before anything else.
    pub operators_on: bool,
    pub signed_in: Option<OperatorView>,
    /// Active operators, by name (the sign-in list).
    pub names: Vec<OperatorName>,
    /// Lock the desk after this many idle minutes (0: never).
    pub lock_after_minutes: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperatorName {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

/// An operator without their PIN hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperatorView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: crate::journal::Role,
    /// Back office: the largest refund sent without approval (decimal string).
    pub refund_limit: Option<String>,
    pub active: bool,
    /// Blocked after too many wrong PINs: signs in again once a supervisor sets a new PIN.
    pub pin_blocked: bool,
}

/// A new operator (`id: None`, PIN required) or changes to one (an empty PIN keeps it).
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperatorInput {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub role: crate::journal::Role,
    pub pin: Option<String>,
    pub refund_limit: Option<String>,
    pub active: bool,
}

impl std::fmt::Debug for OperatorInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorInput")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("pin", &self.pin.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignInInput {
    #[ts(type = "number")]
    pub operator_id: i64,
    pub pin: String,
}

impl std::fmt::Debug for SignInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInInput")
            .field("operator_id", &self.operator_id)
            .field("pin", &"[redacted]")
            .finish()
    }
}

/// A supervisor's answer to an approval request.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DecisionInput {
    #[ts(type = "number")]
    pub approval_id: i64,
    pub approve: bool,
    pub note: String,
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

#[cfg(test)]
mod debug_tests {
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
}
