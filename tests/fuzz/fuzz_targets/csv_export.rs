//! The journal's CSV export, both layouts, with any text in every field an operator, a customer
//! or the gateway can fill. Properties: nothing panics; read back, the file has the header and
//! one row with every column; no cell starts as a spreadsheet formula (`=`, `+`, `-`, `@`, tab,
//! CR), but for the accounting layout's amounts, which the desk writes (a refund's negative).
#![no_main]

use std::collections::BTreeMap;

use desk_core::journal::{
    write_csv, CsvFormat, CsvLayout, CsvOptions, Customer, Entry, EntryKind, Outcome,
};
use desk_core::model::Money;
use desk_core::settings::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    // Fields are separated by U+0001; missing ones are empty.
    let mut fields = text.split('\u{1}').map(str::to_owned);
    let mut next = || fields.next().unwrap_or_default();
    let mut some = || Some(next()).filter(|s| !s.is_empty());
    // An amount is whatever of the text reads as one (the journal keeps nothing else).
    let money = |text: Option<String>| text.and_then(|t| Money::parse(&t).ok());
    let entry = Entry {
        id: 1,
        created_at: some().unwrap_or_default(),
        updated_at: String::new(),
        profile_id: some().unwrap_or_default(),
        environment: some().unwrap_or_default(),
        operator: some().unwrap_or_default(),
        kind: EntryKind::Refund,
        amount: money(some()),
        currency: some().unwrap_or_default(),
        installment: Some(3),
        pos_id: some(),
        pos_name: some(),
        order_reference: some(),
        reference_code: some(),
        transaction_id: some(),
        masked_card: some(),
        outcome: Outcome::Success,
        error_code: some(),
        error_message: some(),
        reason: some(),
        remaining_after: money(some()),
        remaining_before: money(some()),
        doubt: None,
        customer: Some(Customer {
            name: some().unwrap_or_default(),
            surname: some().unwrap_or_default(),
            email: some().unwrap_or_default(),
            phone: some(),
            note: some(),
        }),
        approved_by: some(),
        resolved_by: some(),
        resolution: some(),
        account_code: some(),
        commission: money(some()),
        bank_payment_days: next().parse().ok(),
        lease: None,
        gateway_account: None,
    };
    let value_days = BTreeMap::from([(entry.pos_id.clone().unwrap_or_default(), 3)]);
    let formats = [(CsvFormat::Turkish, b';'), (CsvFormat::International, b',')];
    for ((format, delimiter), layout) in formats
        .into_iter()
        .flat_map(|f| [(f, CsvLayout::Full), (f, CsvLayout::Accounting)])
    {
        let mut out = Vec::new();
        let options = CsvOptions {
            format,
            layout,
            lang: Language::English,
            value_days: &value_days,
        };
        let rows = write_csv(std::slice::from_ref(&entry), &options, &mut out)
            .expect("writing to memory cannot fail");
        assert_eq!(rows, 1);
        let body = out
            .strip_prefix(b"\xEF\xBB\xBF")
            .expect("a UTF-8 byte-order mark first");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(body);
        let records: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .expect("the export reads back as CSV");
        assert_eq!(records.len(), 2, "the header and one row");
        assert_eq!(records[0].len(), records[1].len(), "every column filled");
        let amounts: &[usize] = match layout {
            CsvLayout::Full => &[],
            CsvLayout::Accounting => &[7, 8, 9],
        };
        for (column, cell) in records[1].iter().enumerate() {
            if amounts.contains(&column) {
                assert!(
                    cell.is_empty() || cell.trim_start_matches('-').parse::<f64>().is_ok()
                        || cell.trim_start_matches('-').replace(',', ".").parse::<f64>().is_ok(),
                    "an amount: {cell:?}"
                );
                continue;
            }
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
});
