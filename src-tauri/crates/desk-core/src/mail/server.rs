//! The dealer's mail server, as a supervisor sets it up: where letters go out from. In team
//! mode it is a team setting; its password is in each sending desk's OS keychain
//! ([`MAIL_PASSWORD_KEY`]), never in a settings file or the team database.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, AppResult, Field, Reason};

/// The keychain entry of the mail server's password.
pub const MAIL_PASSWORD_KEY: &str = "mail-server";

/// How the connection is encrypted: STARTTLS (usually port 587) or TLS from the first byte
/// (usually 465). Never in the clear: letters name customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MailSecurity {
    #[default]
    StartTls,
    Tls,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub username: String,
    /// The sender's address, and the name customers see (the dealer's).
    pub from_address: String,
    pub from_name: String,
    /// What a cancel's or refund's letter says: "reaches your card in N business days".
    pub days_to_card: u8,
}

impl MailServer {
    /// Checks what a supervisor typed; the first problem, as a field error.
    pub fn checked(mut self) -> AppResult<Self> {
        self.host = self.host.trim().to_owned();
        self.username = self.username.trim().to_owned();
        self.from_address = self.from_address.trim().to_owned();
        self.from_name = self.from_name.trim().to_owned();
        let host_ok = !self.host.is_empty()
            && self.host.len() <= 253
            && self
                .host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err(AppError::field(Field::MailHost, Reason::Invalid));
        }
        if self.port == 0 {
            return Err(AppError::field(Field::MailPort, Reason::Invalid));
        }
        if self.username.is_empty() {
            return Err(AppError::field(Field::MailUsername, Reason::Required));
        }
        if vpws::validate::email(&self.from_address).is_err() {
            return Err(AppError::field(Field::MailFrom, Reason::Invalid));
        }
        crate::validation::free_text(Field::MailFromName, &self.from_name, 80)?;
        if !(1..=30).contains(&self.days_to_card) {
            return Err(AppError::field(Field::DaysToCard, Reason::Invalid));
        }
        Ok(self)
    }
}
