//! The dealer's mail server, as a supervisor sets it up: where letters to customers go out
//! from (the `mail` module sends them). In team mode it is a team setting; its password is in each
//! sending desk's OS keychain ([`MAIL_PASSWORD_KEY`]), never in a settings file or the team
//! database. What a supervisor typed is checked by `validation::mail_server`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
