//! The one error shape the UI sees: `{code, message, details}`. `code` is stable and is what the
//! UI translates; `message` is English for logs; `details` carries values the translation may
//! show (a field name, a gateway code). Never card data.

mod from_gateway;

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

/// Every error the UI can be shown. Exported to TypeScript: the UI's catalogs must name each one
/// (a missing translation fails `npm run check`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    TS,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// A form field to correct: `details.field` and `details.reason` say which and why.
    InvalidInput,
    /// The gateway could not be reached.
    Connect,
    /// The connection broke off.
    Transport,
    /// The gateway did not answer in time.
    Timeout,
    /// The gateway refused the API key or secret key.
    CredentialsRejected,
    /// The gateway no longer accepts the session.
    Unauthorized,
    /// The dealer may not do this.
    Forbidden,
    /// No such transaction for this dealer.
    NotFound,
    /// The gateway refused the request's content.
    Validation,
    /// The gateway reports a duplicate.
    Conflict,
    /// Too many requests: `details.retryAfterSeconds` when known.
    RateLimited,
    /// The gateway refused it with a business code: `details.gatewayCode`.
    Gateway,
    /// The gateway answered with something this app cannot read.
    UnexpectedResponse,
    /// The OS keychain cannot be used.
    KeychainUnavailable,
    /// No secret key is stored for the profile.
    SecretMissing,
    /// The profile no longer exists.
    ProfileNotFound,
    /// This profile cannot be deleted.
    NotDeletable,
    /// The same operation is being sent right now.
    Busy,
    /// This order reference was already sent.
    AlreadySubmitted,
    /// Settings could not be read or saved.
    SettingsIo,
    /// A bug: nothing the operator can fix.
    Internal,
    /// The journal could not be read or written.
    JournalIo,
    /// The journal file is damaged.
    JournalDamaged,
    /// The team journal's database cannot be reached: no money operation is started.
    JournalUnreachable,
    /// The team journal's database has no free connection for this desk (its
    /// `max_connections`, or the desks' account's connection limit, is reached).
    JournalFull,
    /// The team journal's database refused the user or password.
    JournalAuth,
    /// The team journal's database does not exist on that server.
    JournalMissing,
    /// The team journal was set up by a newer Dealer Desk: this one must be updated first.
    JournalNewer,
    /// The team journal's server certificate is not trusted for that host.
    JournalCertificate,
    /// The team database is not set up for this app yet (new, or an older schema): a
    /// supervisor sets it up with the database owner's password.
    JournalSetupNeeded,
    /// The desk signs in to the team database with its owner's account (or a superuser), on
    /// which nothing the database enforces holds: desks use the desks' account.
    JournalOwnerAccount,
    /// The CSV file could not be written.
    ExportFailed,
    /// Another payment is still in progress: `details.orderReference`.
    PaymentInProgress,
    /// An earlier cancel or refund of this transaction is not settled yet.
    ReversalInDoubt,
    /// Another desk is sending a cancel or refund of this transaction right now: nothing was
    /// sent; its outcome shows here once it has one.
    ReversalBeingSent,
    /// The journal entry already has a final outcome: there is nothing to resolve.
    EntrySettled,
    /// The entry was made through another gateway account: only a profile of that account can
    /// settle it (`details.profileId`).
    OtherGatewayAccount,
    /// The refundable amount changed since the operator saw it: nothing was sent.
    TransactionChanged,
    /// The order reference a cancel or refund was to name names another payment at the
    /// gateway (`details.referenceCode`): nothing was sent; it goes by the reference code.
    OrderReferenceElsewhere,
    /// The gateway did not apply the cancel or refund.
    ReversalNotApplied,
    /// Nothing is left to cancel or refund.
    NothingToReverse,
    /// Operators are on and nobody is signed in at this desk.
    SignInRequired,
    /// The signed-in operator's role does not allow this: `details.role`.
    NotPermitted,
    /// A refund above the operator's limit (`details.limit`): it needs a supervisor's approval.
    AboveRefundLimit,
    /// No active operator has that name and PIN.
    SignInFailed,
    /// Too many wrong PINs: `details.seconds` until the next try.
    SignInThrottled,
    /// Twenty wrong PINs in a row: this operator signs in again once a supervisor set a new PIN.
    SignInBlocked,
    /// Active operators need an active supervisor: the first operator is one, and the last one
    /// is not demoted or turned off while others remain.
    SupervisorRequired,
    /// A refund of this transaction already waits for approval: `details.approvalId`.
    ApprovalPending,
    /// Another supervisor decided this request already: `details.status`, `details.by`.
    ApprovalDecided,
    /// The request belongs to another profile: `details.profileId`; switch to it to approve.
    ApprovalOtherProfile,
    /// The update address could not be reached or did not answer as one.
    UpdateUnreachable,
    /// The update's signature is not the release key's: nothing was installed.
    UpdateSignatureInvalid,
    /// A payment, cancel or refund is being sent: the update waits until it has finished.
    UpdateAfterOperation,
    /// The update could not be installed; this version stays.
    UpdateFailed,
    /// The desk is installing an update and restarts in a moment: nothing was sent.
    Updating,
    /// This build carries no release key: it cannot update itself.
    UpdateNotConfigured,
    /// No mail server is set up, or this desk's keychain has no password for it.
    MailNotSetUp,
    /// The mail server could not be reached, or broke off.
    MailUnreachable,
    /// The mail server refused the login or the message: `details.reply` is what it said.
    MailRefused,
    /// No letter to send: no customer e-mail on the entry, or nothing to say yet.
    NoLetter,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The team database cannot be used now (away, or no connection to spare), as opposed to
    /// a refusal: lookups go on without it, money waits for it.
    pub fn journal_out_of_reach(self) -> bool {
        matches!(self, ErrorCode::JournalUnreachable | ErrorCode::JournalFull)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The form field an `invalid_input` error points at (`details.field`). Exported to TypeScript:
/// the UI's catalogs must name each one (a missing one fails `npm run check`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
#[ts(export)]
pub enum Field {
    Amount,
    OrderReference,
    /// Also where a BIN is looked up.
    CardNumber,
    CardHolder,
    /// Month and year together.
    Expiry,
    Cvv,
    /// A first name, or a profile's name.
    Name,
    Surname,
    Email,
    Phone,
    Tckn,
    Description,
    Pos,
    Installment,
    /// Why a cancel or refund is made.
    Reason,
    /// The value a transaction is looked up by.
    Lookup,
    BaseUrl,
    ApiKey,
    SecretKey,
    Currency,
    ReturnUrl,
    OperatorName,
    /// A profile's environment (demo, test, live).
    Kind,
    ReferenceCode,
    CommissionRate,
    MinAmount,
    MaxAmount,
    /// The refundable amount the operator saw.
    RemainingSeen,
    TextSize,
    /// The last day of a report's range.
    DateTo,
    RefundPeriod,
    /// The team database's host, port, name, user and password.
    TeamHost,
    TeamPort,
    TeamDatabase,
    TeamUser,
    TeamPassword,
    /// How the team database is reached (encryption, the pinned certificate).
    TeamTls,
    /// The team database owner's account, typed to set the database up.
    TeamOwnerUser,
    /// An operator's PIN.
    Pin,
    RefundLimit,
    /// A supervisor's note on an approval request.
    Note,
    /// The idle minutes after which the desk locks.
    LockAfter,
    /// Where the desk looks for new versions.
    UpdateEndpoint,
    /// The payment's 3D Secure choice.
    ThreeD,
    /// The customer's account code ("cari kod").
    AccountCode,
    /// The days after a sale a POS's bank pays.
    ValueDays,
    /// The mail server's host, port, account and password.
    MailHost,
    MailPort,
    MailUsername,
    MailPassword,
    /// The letters' sender: address and name.
    MailFrom,
    MailFromName,
    /// The business days a cancel or refund takes to reach the card, as letters say.
    DaysToCard,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Why a field was refused (`details.reason` of an `invalid_input` error). Exported to
/// TypeScript: the UI's catalogs must translate each one (a missing one fails `npm run check`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum Reason {
    /// Empty.
    Required,
    /// Not in the expected form.
    Invalid,
    /// A card number whose check digit is wrong.
    Luhn,
    /// A card the gateway has no POS for.
    Bin,
    /// The card has expired.
    Expired,
    /// Not an amount.
    NotANumber,
    /// More than two decimals.
    TooManyDecimals,
    /// Zero or less.
    MustBePositive,
    /// Above the largest amount accepted.
    TooLarge,
    /// Longer than allowed (`details.max`).
    TooLong,
    /// More than can still be refunded (`details.remaining`).
    ExceedsRemaining,
    /// Cannot be changed here.
    NotEditable,
    /// Free text holding a card number.
    LooksLikeCard,
    /// `http` to anything but this computer.
    HttpsRequired,
    /// A new gateway host needs its secret key entered.
    RequiredForNewHost,
    /// A range that ends before it starts.
    BeforeStart,
    /// A range longer than a report covers (`details.maxDays`).
    RangeTooLong,
    /// Another operator has this name.
    Taken,
    /// This gateway account (address and API key) already has a profile here.
    AccountHasProfile,
    /// A PIN that is not 4 to 12 digits.
    PinDigits,
    /// The saved team password goes only to the server, port and user it was typed for.
    PasswordForNewDatabase,
    /// No encryption to a database on another computer (`teamTls`).
    LoopbackOnly,
    /// The owner's account is the desks' account: desks must use another one.
    SameAsDesks,
    /// A pinned certificate not confirmed yet: Test shows its fingerprint to confirm.
    CertificateUnconfirmed,
    /// A supervisor's PIN that is not 6 to 12 digits (also asked for when someone becomes one).
    SupervisorPinDigits,
    /// The card's BIN answer says 3D Secure is required (above `details.limit`, when given).
    ThreeDRequired,
    /// The card's BIN answer says it is charged without 3D Secure.
    ThreeDNotAllowed,
    /// Installments start at `details.limit` for this card.
    BelowInstallmentLimit,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{code}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub details: BTreeMap<String, String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.details.insert(key.into(), value.into());
        self
    }

    /// A form field the operator must correct; `reason` is a stable key the UI translates.
    pub fn field(field: Field, reason: Reason) -> Self {
        let (field, reason) = (field.as_str(), reason.as_str());
        Self::new(ErrorCode::InvalidInput, format!("{field}: {reason}"))
            .with("field", field)
            .with("reason", reason)
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests;
