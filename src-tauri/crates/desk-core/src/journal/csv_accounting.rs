//! The accountant's CSV: one row per operation that moved money (a payment, cancel or refund
//! the gateway applied), signed (what went back to the customer is negative), with the
//! gateway's commission, what reaches the dealer, the day the bank pays (the value date) and
//! the customer's account code. The columns are listed in the README.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Weekday};
use chrono_tz::Europe::Istanbul;

use super::csv_export::{
    amount, csv_writer, environment_label, kind_label, net_of, neutralised, CsvFormat, CsvOptions,
};
use super::{db_error, Entry, EntryKind, JournalResult, Outcome};
use crate::model::{Language, Money};

const HEADERS_EN: [&str; 17] = [
    "Date",
    "Value date",
    "Document number",
    "Account code",
    "Account name",
    "Type",
    "Description",
    "Amount",
    "Commission",
    "Net",
    "Currency",
    "POS",
    "Installments",
    "Order reference",
    "Reference code",
    "Environment",
    "Entry",
];
const HEADERS_TR: [&str; 17] = [
    "Tarih",
    "Valör",
    "Belge no",
    "Cari kod",
    "Cari adı",
    "İşlem",
    "Açıklama",
    "Tutar",
    "Komisyon",
    "Net tutar",
    "Para birimi",
    "POS",
    "Taksit",
    "Sipariş referansı",
    "Referans kodu",
    "Ortam",
    "Kayıt no",
];

/// The columns of amounts: Amount, Commission, Net.
const AMOUNTS: [usize; 3] = [7, 8, 9];

/// The number printed on the entry's receipt (`ui/src/lib/receipt.ts` makes the same):
/// `<reference>-S` for a sale, `-C` for its cancel, `-R<entry>` for each refund.
pub fn receipt_number(kind: EntryKind, reference_code: Option<&str>, entry_id: i64) -> String {
    let base = reference_code
        .map(str::to_owned)
        .unwrap_or_else(|| format!("DD-{entry_id}"));
    match kind {
        EntryKind::Payment => format!("{base}-S"),
        EntryKind::Cancel => format!("{base}-C"),
        EntryKind::Refund => format!("{base}-R{entry_id}"),
    }
}

/// The Istanbul day an entry was made.
fn istanbul_day(e: &Entry) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(&e.created_at)
        .ok()
        .map(|d| d.with_timezone(&Istanbul).date_naive())
}

/// The day the bank pays (or takes back): the entry's day plus the days the gateway gave for it
/// (`bankPaymentDays`), else the days set for its POS; a Saturday or Sunday moves to Monday
/// (public holidays are not known here). `None` when neither says.
pub(super) fn value_date(e: &Entry, value_days: &BTreeMap<String, u16>) -> Option<NaiveDate> {
    let days = e.bank_payment_days.or_else(|| {
        e.pos_id
            .as_ref()
            .and_then(|pos| value_days.get(pos))
            .map(|d| u32::from(*d))
    })?;
    let day = istanbul_day(e)? + TimeDelta::days(i64::from(days));
    Some(match day.weekday() {
        Weekday::Sat => day + TimeDelta::days(2),
        Weekday::Sun => day + TimeDelta::days(1),
        _ => day,
    })
}

/// Dates as the format's spreadsheets read them: `31.12.2026` or `2026-12-31`.
fn date_text(day: Option<NaiveDate>, format: CsvFormat) -> String {
    let pattern = match format {
        CsvFormat::Turkish => "%d.%m.%Y",
        CsvFormat::International => "%Y-%m-%d",
    };
    day.map(|d| d.format(pattern).to_string())
        .unwrap_or_default()
}

/// Money back to the customer is negative.
fn signed(value: Option<Money>, kind: EntryKind) -> Option<Money> {
    match kind {
        EntryKind::Payment => value,
        EntryKind::Cancel | EntryKind::Refund => value.map(|m| Money::from(-m.value())),
    }
}

fn description(e: &Entry, lang: Language) -> String {
    let order = e.order_reference.as_deref().unwrap_or("—");
    let what = match (e.kind, lang) {
        (EntryKind::Payment, Language::Turkish) => "Kartla tahsilat",
        (EntryKind::Payment, Language::English) => "Card payment",
        (EntryKind::Cancel, Language::Turkish) => "Kart ödemesi iptali",
        (EntryKind::Cancel, Language::English) => "Card payment cancelled",
        (EntryKind::Refund, Language::Turkish) => "Karta iade",
        (EntryKind::Refund, Language::English) => "Refund to card",
    };
    // The last four characters (the journal keeps masked numbers only, but not byte by byte).
    let last4 = e.masked_card.as_deref().map(|c| {
        let tail: Vec<char> = c.chars().rev().take(4).collect();
        tail.into_iter().rev().collect::<String>()
    });
    let mut text = format!("{what} {order}");
    if let Some(last4) = last4 {
        text.push_str(&format!(" (*{last4})"));
    }
    if let Some(reason) = e.reason.as_deref().filter(|_| e.kind != EntryKind::Payment) {
        text.push_str(&format!(": {reason}"));
    }
    text
}

pub(super) fn write_accounting<W: Write>(
    entries: &[Entry],
    options: &CsvOptions,
    out: W,
) -> JournalResult<usize> {
    let (format, lang) = (options.format, options.lang);
    let mut writer = csv_writer(format, out)?;
    writer
        .write_record(match lang {
            Language::Turkish => HEADERS_TR,
            Language::English => HEADERS_EN,
        })
        .map_err(db_error)?;
    let moved: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.outcome == Outcome::Success)
        .collect();
    for e in &moved {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        writer
            .write_record(
                [
                    date_text(istanbul_day(e), format),
                    date_text(value_date(e, options.value_days), format),
                    receipt_number(e.kind, e.reference_code.as_deref(), e.id),
                    opt(&e.account_code),
                    e.customer
                        .as_ref()
                        .map(|c| format!("{} {}", c.name, c.surname))
                        .unwrap_or_default(),
                    kind_label(e.kind, lang).to_owned(),
                    description(e, lang),
                    amount(&signed(e.amount, e.kind), format),
                    amount(&signed(e.commission, e.kind), format),
                    amount(&signed(net_of(e), e.kind), format),
                    e.currency.clone(),
                    opt(&e.pos_name),
                    e.installment.map(|i| i.to_string()).unwrap_or_default(),
                    opt(&e.order_reference),
                    opt(&e.reference_code),
                    environment_label(&e.environment, lang),
                    e.id.to_string(),
                ]
                .into_iter()
                .enumerate()
                // The amounts are numbers the desk wrote (a refund's are negative); every
                // other cell may hold what someone typed.
                .map(|(column, cell)| match AMOUNTS.contains(&column) {
                    true => cell,
                    false => neutralised(cell),
                }),
            )
            .map_err(db_error)?;
    }
    writer.flush().map_err(db_error)?;
    Ok(moved.len())
}
