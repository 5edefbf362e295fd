//! Everything Rust pushes to the main window, declared once with its payload type. The UI's
//! `Events` table (in `ui/src/lib/generated/commands.ts`) is generated from this list, so an
//! event cannot be emitted under one name and listened to under another.

use std::marker::PhantomData;

use desk_core::desk::CurrentPayment;
use desk_core::dto::{CopyProgress, JournalChange, ReconcileReport, StartNotice, UpdateOffer};
use serde::Serialize;
use tauri::{AppHandle, Emitter};

#[cfg(test)]
use crate::command_table::{self, Table};

pub struct Event<T> {
    pub name: &'static str,
    payload: PhantomData<fn(T)>,
}

impl<T: Serialize> Event<T> {
    const fn named(name: &'static str) -> Self {
        Self {
            name,
            payload: PhantomData,
        }
    }

    /// Best effort: a closed window has nobody to tell.
    pub fn emit(&self, app: &AppHandle, payload: &T) {
        if let Err(e) = app.emit_to("main", self.name, payload) {
            tracing::debug!("event {} not delivered: {e}", self.name);
        }
    }
}

macro_rules! event_list {
    ($($(#[$doc:meta])* $constant:ident = $name:literal: $payload:ty;)*) => {
        $($(#[$doc])* pub const $constant: Event<$payload> = Event::named($name);)*

        /// Adds every event to the TypeScript table.
        #[cfg(test)]
        pub fn describe(table: &mut Table) {
            $(table.event($name, command_table::ts::<$payload>());)*
        }
    };
}

event_list! {
    /// The payment in progress, at every step.
    PAYMENT_PROGRESS = "payment-progress": CurrentPayment;
    /// What a reconciliation (start-up or timer) settled and what is still open.
    JOURNAL_RECONCILED = "journal-reconciled": ReconcileReport;
    /// The journal changed (this desk's writes, and any desk's on the team journal).
    JOURNAL_CHANGED = "journal-changed": JournalChange;
    /// Copying this desk's file into the team database: how far it is.
    JOURNAL_COPY = "journal-copy": CopyProgress;
    /// The check after start found the journal file damaged.
    JOURNAL_DAMAGED = "journal-damaged": StartNotice;
    /// The keychain's check after start found that it does not keep secrets: why.
    KEYCHAIN_UNAVAILABLE = "keychain-unavailable": String;
    /// The check at start found a newer version.
    UPDATE_AVAILABLE = "update-available": UpdateOffer;
}
