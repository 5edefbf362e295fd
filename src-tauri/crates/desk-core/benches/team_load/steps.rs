//! The money path's journal steps as the desks took them: a tracing layer that times every
//! `journal.reserve` and `journal.settle` span (PgJournal's, at trace level) from its creation
//! to its close, waits for a connection included, with the entry it wrote and the desk (the
//! thread, `desk-N`) that took it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Reserve,
    Settle,
}

#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub kind: Kind,
    pub entry: i64,
    pub desk: usize,
    pub took: Duration,
}

static STEPS: Mutex<Vec<Step>> = Mutex::new(Vec::new());

/// Starts timing the steps, for the rest of the process.
pub fn install() {
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("desk_core::journal", tracing::Level::TRACE);
    let subscriber = tracing_subscriber::registry().with(StepTimer.with_filter(filter));
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
}

/// The steps taken since the last call.
pub fn take() -> Vec<Step> {
    std::mem::take(&mut *STEPS.lock().unwrap())
}

struct Open {
    kind: Kind,
    started: Instant,
    entry: Option<i64>,
    desk: Option<usize>,
}

struct StepTimer;

struct EntryId(Option<i64>);

impl Visit for EntryId {
    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "id" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

fn desk_of_this_thread() -> Option<usize> {
    std::thread::current()
        .name()?
        .strip_prefix("desk-")?
        .parse()
        .ok()
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for StepTimer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let kind = match attrs.metadata().name() {
            "journal.reserve" => Kind::Reserve,
            "journal.settle" => Kind::Settle,
            _ => return,
        };
        let mut entry = EntryId(None);
        attrs.record(&mut entry);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Open {
                kind,
                started: Instant::now(),
                entry: entry.0,
                desk: desk_of_this_thread(),
            });
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut entry = EntryId(None);
        values.record(&mut entry);
        if let (Some(span), Some(found)) = (ctx.span(id), entry.0) {
            if let Some(open) = span.extensions_mut().get_mut::<Open>() {
                open.entry = Some(found);
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let extensions = span.extensions();
        let Some(open) = extensions.get::<Open>() else {
            return;
        };
        // A reservation refused (order already sent, a reversal in flight) wrote no entry.
        let (Some(entry), Some(desk)) = (open.entry, open.desk) else {
            return;
        };
        STEPS.lock().unwrap().push(Step {
            kind: open.kind,
            entry,
            desk,
            took: open.started.elapsed(),
        });
    }
}
