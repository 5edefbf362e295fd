//! What reaches the customer by e-mail: a receipt after a payment, a notice after a cancel or
//! refund. [`letter`] composes one from a journal entry, in Turkish or English, as plain text and
//! HTML, with the same receipt number as the printed receipt; the journal's outbox keeps it
//! until it is sent; [`Smtp`] sends it through the dealer's [`MailServer`]. Nothing here holds
//! a card number beyond the masked one the journal keeps.

mod letter;
mod retry;
mod smtp;
mod words;

pub use crate::mail_server::{MailSecurity, MailServer, MAIL_PASSWORD_KEY};
pub use letter::{letter, Letter, LetterFacts};
pub use retry::next_try;
pub use smtp::{Outgoing, SendFailure, Smtp};
