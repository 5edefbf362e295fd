//! CSV export of journal entries: UTF-8 with a BOM (so Excel reads Turkish text), either `;`
//! with decimal commas (Turkish Excel) or `,` with decimal points, one header row in the
//! operator's language. Two layouts: every entry with all it holds (ISO 8601 dates with the
//! Istanbul offset), or the accountant's ([`super::csv_accounting`]): one row per operation
//! that moved money, signed, with commission, net and value date.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::DateTime;
use chrono_tz::Europe::Istanbul;
use serde::Deserialize;
use ts_rs::TS;

use super::{db_error, Entry, EntryKind, JournalResult, Outcome};
use crate::model::{Language, Money};

/// The entries `filter` matches, to a file the operator picks, in `format`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportInput {
    pub filter: super::Filter,
    pub format: CsvFormat,
    #[serde(default)]
    #[ts(optional)]
    pub layout: Option<CsvLayout>,
}

/// Which rows and columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CsvLayout {
    /// Every entry the filter matches, with all it holds.
    #[default]
    Full,
    /// One row per operation that moved money, as an accounting package imports it (README).
    Accounting,
}

/// How the file is written.
pub struct CsvOptions<'a> {
    pub format: CsvFormat,
    pub layout: CsvLayout,
    pub lang: Language,
    /// The days after a sale each POS's bank pays, by POS id (the setting), for the value
    /// date where the gateway did not say.
    pub value_days: &'a BTreeMap<String, u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CsvFormat {
    /// `;` separated, `1234,56`.
    Turkish,
    /// `,` separated, `1234.56`.
    International,
}

const HEADERS_EN: [&str; 29] = [
    "Date",
    "Type",
    "Outcome",
    "Amount",
    "Currency",
    "Installments",
    "POS",
    "Order reference",
    "Reference code",
    "Transaction ID",
    "Card",
    "Operator",
    "Approved by",
    "Resolved by",
    "Resolution",
    "Customer",
    "Customer e-mail",
    "Customer phone",
    "Profile",
    "Environment",
    "Reason",
    "Remaining after",
    "Error code",
    "Error message",
    "Entry",
    "Commission",
    "Net to dealer",
    "Value date",
    "Account code",
];
const HEADERS_TR: [&str; 29] = [
    "Tarih",
    "İşlem",
    "Sonuç",
    "Tutar",
    "Para birimi",
    "Taksit",
    "POS",
    "Sipariş referansı",
    "Referans kodu",
    "İşlem numarası",
    "Kart",
    "Operatör",
    "Onaylayan",
    "Çözümleyen",
    "Çözüm gerekçesi",
    "Müşteri",
    "Müşteri e-posta",
    "Müşteri telefon",
    "Profil",
    "Ortam",
    "Gerekçe",
    "Kalan tutar",
    "Hata kodu",
    "Hata mesajı",
    "Kayıt no",
    "Komisyon",
    "Net tutar",
    "Valör",
    "Cari kod",
];

pub(super) fn kind_label(kind: EntryKind, lang: Language) -> &'static str {
    match (kind, lang) {
        (EntryKind::Payment, Language::Turkish) => "Ödeme",
        (EntryKind::Cancel, Language::Turkish) => "İptal",
        (EntryKind::Refund, Language::Turkish) => "İade",
        (EntryKind::Payment, Language::English) => "Payment",
        (EntryKind::Cancel, Language::English) => "Cancel",
        (EntryKind::Refund, Language::English) => "Refund",
    }
}

fn outcome_label(outcome: Outcome, lang: Language) -> &'static str {
    match (outcome, lang) {
        (Outcome::Pending, Language::Turkish) => "Beklemede",
        (Outcome::Success, Language::Turkish) => "Başarılı",
        (Outcome::Failed, Language::Turkish) => "Başarısız",
        (Outcome::NotSent, Language::Turkish) => "Gönderilmedi",
        (Outcome::NotCharged, Language::Turkish) => "Tahsil edilmedi",
        (Outcome::InDoubt, Language::Turkish) => "Sonuç belirsiz",
        (Outcome::Abandoned, Language::Turkish) => "Yarıda kaldı",
        (Outcome::Pending, Language::English) => "Pending",
        (Outcome::Success, Language::English) => "Success",
        (Outcome::Failed, Language::English) => "Failed",
        (Outcome::NotSent, Language::English) => "Not sent",
        (Outcome::NotCharged, Language::English) => "Not charged",
        (Outcome::InDoubt, Language::English) => "In doubt",
        (Outcome::Abandoned, Language::English) => "Abandoned",
    }
}

/// Rows of the demo gateway and of Finrota's sandbox (which moves no money) say so in capitals:
/// nobody should book them as real money. The others are named as the screens name them.
pub(super) fn environment_label(environment: &str, lang: Language) -> String {
    match (environment, lang) {
        ("demo", Language::Turkish) => "DEMO (gerçek para değil)".into(),
        ("demo", Language::English) => "DEMO (not real money)".into(),
        ("sandbox", Language::Turkish) => "TEST ORTAMI (gerçek para değil)".into(),
        ("sandbox", Language::English) => "SANDBOX (not real money)".into(),
        ("live", Language::Turkish) => "Canlı".into(),
        ("live", Language::English) => "Live".into(),
        ("custom", Language::Turkish) => "Özel".into(),
        ("custom", Language::English) => "Custom".into(),
        (other, _) => other.to_owned(),
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading `'`, as OWASP advises against CSV injection.
pub(super) fn neutralised(cell: String) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell,
    }
}

/// Two decimals at least (`250` → `250,00`), in the format's decimal mark.
pub(super) fn amount(value: &Option<Money>, format: CsvFormat) -> String {
    let text = value.map(|m| m.to_string()).unwrap_or_default();
    match format {
        CsvFormat::Turkish => text.replace('.', ","),
        CsvFormat::International => text,
    }
}

/// What reaches the dealer of an entry's amount: the amount less the gateway's commission.
pub(super) fn net_of(e: &Entry) -> Option<Money> {
    Some(Money::from(e.amount?.value() - e.commission?.value()))
}

fn istanbul_iso(utc: &str) -> String {
    DateTime::parse_from_rfc3339(utc)
        .map(|d| {
            d.with_timezone(&Istanbul)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_else(|_| utc.to_owned())
}

/// A CSV writer in the format's convention, the byte-order mark written.
pub(super) fn csv_writer<W: Write>(format: CsvFormat, mut out: W) -> JournalResult<csv::Writer<W>> {
    out.write_all(b"\xEF\xBB\xBF").map_err(db_error)?;
    let delimiter = match format {
        CsvFormat::Turkish => b';',
        CsvFormat::International => b',',
    };
    Ok(csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

/// Writes `entries` as CSV in the layout chosen. Returns the number of data rows.
pub fn write_csv<W: Write>(
    entries: &[Entry],
    options: &CsvOptions,
    out: W,
) -> JournalResult<usize> {
    match options.layout {
        CsvLayout::Full => write_full(entries, options, out),
        CsvLayout::Accounting => super::csv_accounting::write_accounting(entries, options, out),
    }
}

/// Every entry with all it holds.
fn write_full<W: Write>(entries: &[Entry], options: &CsvOptions, out: W) -> JournalResult<usize> {
    let (format, lang) = (options.format, options.lang);
    let mut writer = csv_writer(format, out)?;
    let headers = match lang {
        Language::Turkish => HEADERS_TR,
        Language::English => HEADERS_EN,
    };
    writer.write_record(headers).map_err(db_error)?;
    for e in entries {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        writer
            .write_record(
                [
                    istanbul_iso(&e.created_at),
                    kind_label(e.kind, lang).to_owned(),
                    outcome_label(e.outcome, lang).to_owned(),
                    amount(&e.amount, format),
                    e.currency.clone(),
                    e.installment.map(|i| i.to_string()).unwrap_or_default(),
                    opt(&e.pos_name),
                    opt(&e.order_reference),
                    opt(&e.reference_code),
                    opt(&e.transaction_id),
                    opt(&e.masked_card),
                    e.operator.clone(),
                    opt(&e.approved_by),
                    opt(&e.resolved_by),
                    opt(&e.resolution),
                    e.customer
                        .as_ref()
                        .map(|c| format!("{} {}", c.name, c.surname))
                        .unwrap_or_default(),
                    e.customer
                        .as_ref()
                        .map(|c| c.email.clone())
                        .unwrap_or_default(),
                    e.customer
                        .as_ref()
                        .and_then(|c| c.phone.clone())
                        .unwrap_or_default(),
                    e.profile_id.clone(),
                    environment_label(&e.environment, lang),
                    opt(&e.reason),
                    amount(&e.remaining_after, format),
                    opt(&e.error_code),
                    opt(&e.error_message),
                    e.id.to_string(),
                    amount(&e.commission, format),
                    amount(&net_of(e), format),
                    super::csv_accounting::value_date(e, options.value_days)
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    opt(&e.account_code),
                ]
                .map(neutralised),
            )
            .map_err(db_error)?;
    }
    writer.flush().map_err(db_error)?;
    Ok(entries.len())
}
