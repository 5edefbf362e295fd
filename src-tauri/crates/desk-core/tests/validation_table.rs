//! The payment form's rules as the app enforces them, held to the table the UI's checks are
//! held to (`ui/src/lib/validation-cases.json`, also run by Vitest): the two cannot drift apart.

use chrono::NaiveDate;
use desk_core::dto::{CardInput, ContactInput, PaymentInput};
use desk_core::validation;
use serde_json::Value;

const CASES: &str = include_str!("../../../../ui/src/lib/validation-cases.json");

/// What the form sends for the typed values (the UI's `toPaymentInput`).
fn input_from(form: &serde_json::Map<String, Value>) -> PaymentInput {
    let text = |key: &str| form[key].as_str().unwrap().to_owned();
    let optional = |key: &str| Some(text(key).trim().to_owned()).filter(|v| !v.is_empty());
    let (month, year) = expiry(&text("expiry")).expect("a case Rust sees has a parsable expiry");
    PaymentInput {
        email_customer: None,
        order_reference: text("orderReference").trim().to_owned(),
        amount: text("amount"),
        currency: "TRY".into(),
        installment: 1,
        tenant_pos_id: text("posId"),
        use_3d: false,
        contact: ContactInput {
            name: text("name").trim().to_owned(),
            surname: text("surname").trim().to_owned(),
            email: text("email").trim().to_owned(),
            phone: optional("phone"),
            tckn: optional("tckn"),
            description: optional("description"),
            account_code: optional("accountCode"),
        },
        card: CardInput {
            number: text("cardNumber")
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .as_str()
                .into(),
            holder: text("cardHolder").trim().to_owned(),
            exp_month: month,
            exp_year: year,
            cvv: text("cvv").as_str().into(),
        },
    }
}

/// `MM/YY` or `MM/YYYY`, as the form reads it (the month is checked by the rules).
fn expiry(text: &str) -> Option<(u32, u32)> {
    let (month, year) = text.trim().split_once('/')?;
    let month: u32 = month.trim().parse().ok()?;
    let year: u32 = match year.trim() {
        y if y.len() == 2 => 2000 + y.parse::<u32>().ok()?,
        y if y.len() == 4 => y.parse().ok()?,
        _ => return None,
    };
    Some((month, year))
}

#[test]
fn the_payment_rules_match_the_shared_table() {
    let table: Value = serde_json::from_str(CASES).unwrap();
    let today = NaiveDate::parse_from_str(table["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in table["cases"].as_array().unwrap() {
        if case["uiOnly"].as_bool() == Some(true) {
            continue;
        }
        let mut form = table["base"].as_object().unwrap().clone();
        for (key, value) in case["change"].as_object().unwrap() {
            form.insert(key.clone(), value.clone());
        }
        let got = match validation::payment(&input_from(&form), today, true) {
            Ok(_) => Value::Null,
            Err(e) => {
                serde_json::json!({ "field": e.details["field"], "reason": e.details["reason"] })
            }
        };
        if got != case["expect"] {
            failures.push(format!(
                "{}: expected {}, got {got}",
                case["name"], case["expect"]
            ));
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
