//! For the accountant, through the desk: the customer's account code kept with the payment
//! (and its refunds), remembered for the customer and found by search, and the accounting CSV
//! with the value days set per POS.
mod common;

use std::collections::BTreeMap;

use common::*;
use desk_core::dto::{PaymentInput, Preferences};
use desk_core::journal::{CsvFormat, CsvLayout, ExportInput, Filter};

fn with_account(order: &str, amount: &str, code: &str) -> PaymentInput {
    let mut input = payment(order, amount, APPROVE);
    input.contact.account_code = Some(code.into());
    input
}

#[tokio::test]
async fn the_account_code_is_kept_remembered_and_found() {
    let f = fixture().await;
    let tx = approved(
        f.desk
            .pay_with(with_account("DD-AC-1", "100", " 120.01.0042 "), no_3d)
            .await
            .unwrap(),
    );
    f.desk
        .refund(refund_of(&tx.reference_code, "40", "100.00"))
        .await
        .unwrap();
    let history = f.journal.history(&tx.reference_code, None).unwrap();
    let codes: Vec<Option<&str>> = history.iter().map(|e| e.account_code.as_deref()).collect();
    assert_eq!(
        codes,
        [Some("120.01.0042"), Some("120.01.0042")],
        "the refund's too"
    );
    assert_eq!(
        f.desk
            .known_account_code("AYSE@example.com".into())
            .await
            .unwrap()
            .as_deref(),
        Some("120.01.0042"),
        "remembered for the customer, whatever the case of their e-mail"
    );
    assert_eq!(
        f.desk
            .known_account_code("kim@example.com".into())
            .await
            .unwrap(),
        None
    );
    let found = f
        .journal
        .search(
            &Filter {
                text: Some("120.01.0042".into()),
                ..Filter::default()
            },
            0,
            10,
        )
        .unwrap();
    assert_eq!(found.total, 2, "found by its account code");
}

#[tokio::test]
async fn the_accounting_csv_uses_the_value_days_set_for_the_pos() {
    let f = fixture().await;
    approved(
        f.desk
            .pay_with(with_account("DD-AC-2", "1000", "120.01.0007"), no_3d)
            .await
            .unwrap(),
    );
    let status = f
        .desk
        .update_preferences(Preferences {
            value_days: Some(BTreeMap::from([(YKB_WORLD_POS.to_owned(), 2)])),
            ..Preferences::default()
        })
        .await
        .unwrap();
    assert_eq!(status.value_days[YKB_WORLD_POS], 2);
    let too_long = f
        .desk
        .update_preferences(Preferences {
            value_days: Some(BTreeMap::from([(YKB_WORLD_POS.to_owned(), 400)])),
            ..Preferences::default()
        })
        .await
        .unwrap_err();
    assert_eq!(too_long.details["field"], "valueDays");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("muhasebe.csv");
    *f.host.save_to.lock().unwrap() = Some(path.clone());
    let written = f
        .desk
        .export_csv(ExportInput {
            filter: Filter::default(),
            format: CsvFormat::International,
            layout: Some(CsvLayout::Accounting),
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(written.rows, 1);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    let sale_day = chrono::NaiveDate::parse_from_str(&row[0], "%Y-%m-%d").unwrap();
    let value_day = chrono::NaiveDate::parse_from_str(&row[1], "%Y-%m-%d").unwrap();
    let days = (value_day - sale_day).num_days();
    assert!(
        (2..=4).contains(&days),
        "two days on, past a weekend: {days}"
    );
    assert_eq!(&row[3], "120.01.0007");
    assert_eq!(&row[7], "1000.00");
    let commission: rust_decimal::Decimal = row[8].parse().unwrap();
    let net: rust_decimal::Decimal = row[9].parse().unwrap();
    assert!(commission > rust_decimal::Decimal::ZERO);
    assert_eq!(commission + net, rust_decimal::Decimal::from(1000));
}
