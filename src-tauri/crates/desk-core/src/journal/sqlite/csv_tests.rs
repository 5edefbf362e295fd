//! The CSV as an accountant's spreadsheet reads it, from entries in the SQLite journal.

use rust_decimal_macros::dec;

use super::tests::payment;
use super::*;
use crate::model::Language;

fn csv_rows(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The full layout in `format` and `lang`, no POS value days set.
fn full(format: CsvFormat, lang: Language) -> CsvOptions<'static> {
    static NONE: std::collections::BTreeMap<String, u16> = std::collections::BTreeMap::new();
    CsvOptions {
        format,
        layout: CsvLayout::Full,
        lang,
        value_days: &NONE,
    }
}

/// Every entry of `j` as the CSV in `format` and `lang`, read back as rows.
fn journal_csv(j: &SqliteJournal, format: CsvFormat, lang: Language) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    write_csv(
        &j.all(&Filter::default()).unwrap(),
        &full(format, lang),
        &mut out,
    )
    .unwrap();
    let delimiter = match format {
        CsvFormat::Turkish => b';',
        CsvFormat::International => b',',
    };
    csv_rows(&out, delimiter)
}

#[test]
fn csv_in_both_formats_field_by_field() {
    let j = SqliteJournal::open_in_memory().unwrap();
    let mut whole = payment("DD-WHOLE", dec!(250));
    whole.kind = Some(EntryKind::Payment);
    let mut e = payment("DD-CSV", dec!(1234.56));
    e.kind = Some(EntryKind::Refund);
    e.reason = Some("Müşteri \"kırık\" ürün; iade\nikinci satır".into());
    e.operator = "Şükrü Çağlayan".into();
    let id = j.record(&e).unwrap();
    j.settle(
        id,
        &Settlement {
            outcome: Some(Outcome::Success),
            reference_code: Some("NTH2P00000000009".into()),
            remaining_after: Some(dec!(0.50)),
            ..Default::default()
        },
    )
    .unwrap();
    let entries = j.all(&Filter::default()).unwrap();

    let mut turkish = Vec::new();
    assert_eq!(
        write_csv(
            &entries,
            &full(CsvFormat::Turkish, Language::Turkish),
            &mut turkish
        )
        .unwrap(),
        1
    );
    let rows = csv_rows(&turkish, b';');
    assert_eq!(rows.len(), 2, "one header row and one data row");
    assert_eq!(rows[0][0], "Tarih");
    assert_eq!(rows[0][7], "Sipariş referansı");
    let row = &rows[1];
    assert!(
        row[0].ends_with("+03:00") && row[0].len() == 25,
        "ISO date with the Istanbul offset: {}",
        row[0]
    );
    assert_eq!(row[1], "İade");
    assert_eq!(row[2], "Başarılı");
    assert_eq!(row[3], "1234,56");
    assert_eq!(row[4], "TRY");
    assert_eq!(row[5], "3");
    assert_eq!(row[6], "Yapı Kredi World");
    assert_eq!(row[7], "DD-CSV");
    assert_eq!(row[8], "NTH2P00000000009");
    assert_eq!(row[10], "415565******6111");
    assert_eq!(row[11], "Şükrü Çağlayan");
    assert_eq!(row[12], "", "no approval");
    assert_eq!(
        (row[13].as_str(), row[14].as_str()),
        ("", ""),
        "not resolved by hand"
    );
    assert_eq!(row[20], "Müşteri \"kırık\" ürün; iade\nikinci satır");
    assert_eq!(row[21], "0,50");
    assert_eq!(row[24], id.to_string());

    let mut international = Vec::new();
    write_csv(
        &entries,
        &full(CsvFormat::International, Language::English),
        &mut international,
    )
    .unwrap();
    let rows = csv_rows(&international, b',');
    assert_eq!(rows[0][0], "Date");
    assert_eq!(rows[1][1], "Refund");
    assert_eq!(rows[1][3], "1234.56");
    assert_eq!(rows[1][20], "Müşteri \"kırık\" ürün; iade\nikinci satır");
    assert_eq!(rows[1][21], "0.50");
    let text = String::from_utf8(international).unwrap();
    assert!(
        text.contains("\"Müşteri \"\"kırık\"\" ürün; iade\nikinci satır\""),
        "quotes doubled, field quoted"
    );
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let j = SqliteJournal::open_in_memory().unwrap();
    for (order, reason) in [
        ("DD-F1", "=HYPERLINK(\"http://evil\")"),
        ("DD-F2", "+90 555"),
        ("DD-F3", "-2+3"),
        ("DD-F4", "@SUM(A1)"),
        ("DD-F5", "\tindent"),
        ("DD-F6", "plain, harmless"),
    ] {
        let mut e = payment(order, dec!(5));
        e.reason = Some(reason.into());
        j.record(&e).unwrap();
    }
    let rows = journal_csv(&j, CsvFormat::International, Language::English);
    let reasons: Vec<&str> = rows[1..].iter().map(|r| r[20].as_str()).collect();
    assert_eq!(
        reasons,
        [
            "plain, harmless",
            "'\tindent",
            "'@SUM(A1)",
            "'-2+3",
            "'+90 555",
            "'=HYPERLINK(\"http://evil\")"
        ]
    );
    assert_eq!(rows[1][19], "DEMO (not real money)", "demo rows say so");
}

#[test]
fn csv_rows_of_the_sandbox_say_they_are_not_real_money_like_the_demo_ones() {
    let j = SqliteJournal::open_in_memory().unwrap();
    for (order, environment) in [
        ("DD-DEMO", "demo"),
        ("DD-SANDBOX", "sandbox"),
        ("DD-LIVE", "live"),
    ] {
        let mut e = payment(order, dec!(10));
        e.environment = environment.into();
        j.record(&e).unwrap();
    }
    let environments = |lang| {
        let mut cells: Vec<String> = journal_csv(&j, CsvFormat::Turkish, lang)[1..]
            .iter()
            .map(|r| r[19].clone())
            .collect();
        cells.sort();
        cells
    };
    assert_eq!(
        environments(Language::Turkish),
        [
            "Canlı",
            "DEMO (gerçek para değil)",
            "TEST ORTAMI (gerçek para değil)"
        ]
    );
    assert_eq!(
        environments(Language::English),
        ["DEMO (not real money)", "Live", "SANDBOX (not real money)"]
    );
}
