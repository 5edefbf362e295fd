//! What reaches the customer by e-mail: a receipt after a payment, a notice after a cancel or
//! refund. [`letter`] composes one from a journal entry, in Turkish or English, as plain text and
//! HTML, with the same receipt number as the printed receipt. Nothing here sends; nothing here
//! holds a card number beyond the masked one the journal keeps.

mod letter;
mod words;

pub use letter::{letter, Letter, LetterFacts};
