//! The accountant's CSV and the accounting columns of the full one, from entries in the SQLite
//! journal: commission, net, value date, account code, signs and document numbers.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal_macros::dec;

use super::tests::payment;
use super::*;
use crate::model::Language;

fn rows_of(j: &SqliteJournal, options: &CsvOptions) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    write_csv(&j.all(&Filter::default()).unwrap(), options, &mut out).unwrap();
    let delimiter = match options.format {
        CsvFormat::Turkish => b';',
        CsvFormat::International => b',',
    };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(&out[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A sale of 1,000 at 2.5 % on a Friday with account code 120.01.0042, a refund of 200 of it,
/// and a declined payment (which moved no money).
fn a_days_business() -> (SqliteJournal, i64) {
    let j = SqliteJournal::open_in_memory().unwrap();
    let friday = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00+03:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let sale = NewEntry {
        commission_rate: Some(dec!(2.5)),
        account_code: Some("120.01.0042".into()),
        customer: Some(Customer {
            name: "Ayşe".into(),
            surname: "Yılmaz".into(),
            email: "ayse@example.com".into(),
            phone: None,
            note: None,
        }),
        reference_code: Some("NTH2P00000000100".into()),
        ..payment("DD-ACC-1", dec!(1000))
    };
    let refund = NewEntry {
        kind: Some(EntryKind::Refund),
        amount: Some(dec!(200)),
        reason: Some("ürün iadesi".into()),
        ..sale.clone()
    };
    let declined = payment("DD-ACC-2", dec!(50));
    let rows = [
        (sale, Outcome::Success, friday),
        (refund, Outcome::Success, friday),
        (declined, Outcome::Failed, friday),
    ];
    j.record_many(&rows).unwrap();
    let refund_id = j.all(&Filter::default()).unwrap()[1].id;
    (j, refund_id)
}

#[test]
fn one_signed_row_per_operation_that_moved_money() {
    let (j, refund_id) = a_days_business();
    let value_days = BTreeMap::from([("384badef".to_owned(), 1u16)]);
    let rows = rows_of(
        &j,
        &CsvOptions {
            format: CsvFormat::Turkish,
            layout: CsvLayout::Accounting,
            lang: Language::Turkish,
            value_days: &value_days,
        },
    );
    assert_eq!(rows[0][..4], ["Tarih", "Valör", "Belge no", "Cari kod"]);
    assert_eq!(
        rows.len(),
        3,
        "the header, the sale and the refund: {rows:?}"
    );
    let by_document: BTreeMap<&str, &Vec<String>> =
        rows[1..].iter().map(|r| (r[2].as_str(), r)).collect();
    let sale = by_document["NTH2P00000000100-S"];
    assert_eq!(
        sale[..12],
        [
            "04.12.2026",
            "07.12.2026", // Friday + 1 day is a Saturday: the bank pays on Monday
            "NTH2P00000000100-S",
            "120.01.0042",
            "Ayşe Yılmaz",
            "Ödeme",
            "Kartla tahsilat DD-ACC-1 (*6111)",
            "1000,00",
            "25,00",
            "975,00",
            "TRY",
            "Yapı Kredi World",
        ]
    );
    let refund = by_document[format!("NTH2P00000000100-R{refund_id}").as_str()];
    assert_eq!(
        refund[3], "120.01.0042",
        "the refund is the same customer's"
    );
    assert_eq!(refund[6], "Karta iade DD-ACC-1 (*6111): ürün iadesi");
    assert_eq!(refund[7..10], ["-200,00", "-5,00", "-195,00"]);
}

#[test]
fn the_gateways_payment_days_win_over_the_pos_setting() {
    let j = SqliteJournal::open_in_memory().unwrap();
    let sale = NewEntry {
        commission_rate: Some(dec!(2.5)),
        ..payment("DD-ACC-3", dec!(1000))
    };
    let id = j.record(&sale).unwrap();
    // As the verdict journals a payment the gateway confirmed, with what its answer said.
    assert!(j
        .settle(
            id,
            &Settlement {
                outcome: Some(Outcome::Success),
                reference_code: Some("NTH2P00000000101".into()),
                bank_payment_days: Some(30),
                ..Default::default()
            },
        )
        .unwrap());
    let created = j.all(&Filter::default()).unwrap()[0].created_at.clone();
    let value_days = BTreeMap::from([("384badef".to_owned(), 1u16)]);
    let rows = rows_of(
        &j,
        &CsvOptions {
            format: CsvFormat::International,
            layout: CsvLayout::Accounting,
            lang: Language::English,
            value_days: &value_days,
        },
    );
    let sale_row = &rows[1];
    let made = chrono::DateTime::parse_from_rfc3339(&created)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    let mut paid = made + chrono::TimeDelta::days(30);
    while matches!(paid.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        paid += chrono::TimeDelta::days(1);
    }
    assert_eq!(
        sale_row[1],
        paid.format("%Y-%m-%d").to_string(),
        "30 days, not the POS's 1"
    );
    assert_eq!(sale_row[7..10], ["1000.00", "25.00", "975.00"]);
}

#[test]
fn the_full_layout_gains_commission_net_value_date_and_account_code_at_its_end() {
    let (j, _) = a_days_business();
    let none = BTreeMap::new();
    let rows = rows_of(
        &j,
        &CsvOptions {
            format: CsvFormat::Turkish,
            layout: CsvLayout::Full,
            lang: Language::Turkish,
            value_days: &none,
        },
    );
    assert_eq!(
        rows[0][24..],
        ["Kayıt no", "Komisyon", "Net tutar", "Valör", "Cari kod"]
    );
    assert_eq!(rows.len(), 4, "every entry, the declined one too");
    let sale = rows
        .iter()
        .find(|r| r[7] == "DD-ACC-1" && r[1] == "Ödeme")
        .unwrap();
    assert_eq!(
        sale[25..],
        ["25,00", "975,00", "", "120.01.0042"],
        "no value days set"
    );
    let declined = rows.iter().find(|r| r[7] == "DD-ACC-2").unwrap();
    assert_eq!(declined[25..], ["", "", "", ""]);
}
