//! One letter from one journal entry.

use chrono::DateTime;
use chrono_tz::Europe::Istanbul;

use super::words::words;
use crate::journal::{receipt_number, Entry, EntryKind};
use crate::model::Language;
use crate::money::shown;

/// A letter, ready to be put in a message: its subject, and its body as plain text and HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub plain: String,
    pub html: String,
}

/// What a letter needs beyond its entry.
pub struct LetterFacts<'a> {
    /// The dealer's name, as the customer knows them.
    pub dealer: &'a str,
    pub lang: Language,
    /// The business days a cancel or refund usually takes to reach the card.
    pub days_to_card: u8,
}

/// The letter for `entry`; `None` when there is nobody to write to (no customer e-mail) or
/// nothing to say (no amount).
pub fn letter(entry: &Entry, facts: &LetterFacts) -> Option<Letter> {
    let customer = entry
        .customer
        .as_ref()
        .filter(|c| !c.email.trim().is_empty())?;
    let amount = entry.amount?;
    let w = words(entry.kind, facts.lang);
    let fill = |text: &str| {
        text.replace("{dealer}", facts.dealer)
            .replace("{name}", &format!("{} {}", customer.name, customer.surname))
            .replace("{days}", &facts.days_to_card.to_string())
    };
    let money = |value| shown(value, &entry.currency, facts.lang);
    let number = receipt_number(entry.kind, entry.reference_code.as_deref(), entry.id);

    let mut rows: Vec<(&str, String)> = vec![(w.amount, money(amount.value()))];
    match entry.kind {
        EntryKind::Payment => {
            if let Some(count) = entry.installment.filter(|c| *c > 1) {
                rows.push((w.installments, count.to_string()));
            }
        }
        EntryKind::Cancel | EntryKind::Refund => {
            if let Some(left) = entry.remaining_after {
                rows.push((w.left, money(left.value())));
            }
            if let Some(reason) = &entry.reason {
                rows.push((w.reason, reason.clone()));
            }
        }
    }
    if let Some(card) = &entry.masked_card {
        rows.push((w.card, card.clone()));
    }
    if let Some(at) = istanbul_time(&entry.updated_at, facts.lang) {
        rows.push((w.date, at));
    }
    if let Some(order) = &entry.order_reference {
        rows.push((w.order, order.clone()));
    }
    rows.push((w.receipt, number.clone()));
    if let Some(reference) = &entry.reference_code {
        rows.push((w.reference, reference.clone()));
    }

    let mut notes = Vec::new();
    if entry.kind != EntryKind::Payment {
        notes.push(fill(w.to_card));
    }
    if matches!(entry.environment.as_str(), "demo" | "sandbox") {
        notes.push(w.no_money.to_owned());
    }
    let subject = format!(
        "{} — {} — {}",
        w.subject,
        money(amount.value()),
        entry.order_reference.as_deref().unwrap_or(&number)
    );
    let parts = Parts {
        greeting: fill(w.greeting),
        opening: fill(w.opening),
        rows,
        notes,
        closing: fill(w.closing),
    };
    Some(Letter {
        subject,
        plain: parts.plain(),
        html: parts.html(facts.lang),
    })
}

/// `07.12.2026 14:02` (Turkish) or `07/12/2026 14:02` (English), Istanbul time, as the screens
/// show dates.
fn istanbul_time(rfc3339: &str, lang: Language) -> Option<String> {
    let at = DateTime::parse_from_rfc3339(rfc3339)
        .ok()?
        .with_timezone(&Istanbul);
    Some(match lang {
        Language::Turkish => at.format("%d.%m.%Y %H:%M").to_string(),
        Language::English => at.format("%d/%m/%Y %H:%M").to_string(),
    })
}

struct Parts<'a> {
    greeting: String,
    opening: String,
    rows: Vec<(&'a str, String)>,
    notes: Vec<String>,
    closing: String,
}

impl Parts<'_> {
    fn plain(&self) -> String {
        let mut text = format!("{}\n\n{}\n\n", self.greeting, self.opening);
        for (label, value) in &self.rows {
            text.push_str(&format!("{label}: {value}\n"));
        }
        for note in &self.notes {
            text.push_str(&format!("\n{note}\n"));
        }
        text.push_str(&format!("\n{}\n", self.closing));
        text
    }

    fn html(&self, lang: Language) -> String {
        let lang = match lang {
            Language::Turkish => "tr",
            Language::English => "en",
        };
        let rows: String = self
            .rows
            .iter()
            .map(|(label, value)| {
                format!(
                    "<tr><th style=\"text-align:left;padding:4px 16px 4px 0;font-weight:normal;color:#5b6b80\">{}</th><td style=\"padding:4px 0\">{}</td></tr>",
                    escaped(label),
                    escaped(value)
                )
            })
            .collect();
        let notes: String = self
            .notes
            .iter()
            .map(|note| format!("<p>{}</p>", escaped(note)))
            .collect();
        format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head>\
             <body style=\"font-family:sans-serif;color:#1b2430\"><p>{}</p><p>{}</p>\
             <table style=\"border-collapse:collapse\">{rows}</table>{notes}\
             <p style=\"color:#5b6b80;font-size:small\">{}</p></body></html>",
            escaped(&self.greeting),
            escaped(&self.opening),
            escaped(&self.closing),
        )
    }
}

/// Text as HTML shows it, never as markup.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Customer, Outcome};
    use crate::model::Money;
    use rust_decimal_macros::dec;

    fn entry(kind: EntryKind) -> Entry {
        Entry {
            id: 42,
            created_at: "2026-12-07T11:02:00.000Z".into(),
            updated_at: "2026-12-07T11:02:03.000Z".into(),
            profile_id: "live".into(),
            environment: "live".into(),
            operator: "Zeynep".into(),
            kind,
            amount: Some(Money::from(dec!(1234.5))),
            currency: "TRY".into(),
            installment: Some(3),
            pos_id: None,
            pos_name: Some("Yapı Kredi World".into()),
            order_reference: Some("DD-20261207-7K3Q9X".into()),
            reference_code: Some("NTH2P00000003086".into()),
            transaction_id: None,
            masked_card: Some("415565******6111".into()),
            outcome: Outcome::Success,
            error_code: None,
            error_message: None,
            reason: (kind != EntryKind::Payment).then(|| "Ürün <iade> edildi".into()),
            remaining_after: (kind != EntryKind::Payment).then(|| Money::from(dec!(0))),
            remaining_before: None,
            doubt: None,
            customer: Some(Customer {
                name: "Ayşe".into(),
                surname: "Yılmaz".into(),
                email: "ayse@example.com".into(),
                phone: None,
                note: None,
            }),
            approved_by: None,
            resolved_by: None,
            resolution: None,
            account_code: None,
            commission: None,
            bank_payment_days: None,
            lease: None,
            gateway_account: None,
        }
    }

    fn facts(lang: Language) -> LetterFacts<'static> {
        LetterFacts {
            dealer: "Anadolu Beyaz Eşya",
            lang,
            days_to_card: 7,
        }
    }

    #[test]
    fn a_payment_receipt_in_turkish() {
        let letter = letter(&entry(EntryKind::Payment), &facts(Language::Turkish)).unwrap();
        assert_eq!(
            letter.subject,
            "Ödemeniz alındı — ₺1.234,50 — DD-20261207-7K3Q9X"
        );
        for line in [
            "Sayın Ayşe Yılmaz,",
            "Anadolu Beyaz Eşya için yaptığınız kartlı ödeme onaylandı.",
            "Tutar: ₺1.234,50",
            "Taksit: 3",
            "Kart: 415565******6111",
            "Tarih ve saat (İstanbul): 07.12.2026 14:02",
            "Dekont no.: NTH2P00000003086-S",
        ] {
            assert!(letter.plain.contains(line), "{line:?} in {}", letter.plain);
        }
        assert!(!letter.plain.contains("iş günü"), "a sale reaches no card");
        assert!(letter.html.contains("<html lang=\"tr\">"));
        assert!(letter.html.contains("₺1.234,50"));
    }

    #[test]
    fn a_refund_notice_in_english_says_what_is_left_and_when_it_arrives() {
        let letter = letter(&entry(EntryKind::Refund), &facts(Language::English)).unwrap();
        assert_eq!(
            letter.subject,
            "A refund to your card — ₺1,234.50 — DD-20261207-7K3Q9X"
        );
        for line in [
            "Dear Ayşe Yılmaz,",
            "Amount refunded: ₺1,234.50",
            "Left of the payment: ₺0.00",
            "Receipt no.: NTH2P00000003086-R42",
            "it reaches your card within 7 business days.",
            "Date and time (Istanbul): 07/12/2026 14:02",
        ] {
            assert!(letter.plain.contains(line), "{line:?} in {}", letter.plain);
        }
        assert!(
            letter.html.contains("Ürün &lt;iade&gt; edildi"),
            "what was typed is text in HTML, never markup"
        );
        let cancel = super::letter(&entry(EntryKind::Cancel), &facts(Language::Turkish)).unwrap();
        assert!(cancel.plain.contains("Dekont no.: NTH2P00000003086-C"));
        assert!(cancel.plain.contains("7 iş günü içinde kartınıza yansır"));
    }

    #[test]
    fn demo_letters_say_no_money_moved_and_nobody_gets_one_without_an_email() {
        let mut demo = entry(EntryKind::Payment);
        demo.environment = "demo".into();
        let letter = letter(&demo, &facts(Language::English)).unwrap();
        assert!(letter.plain.contains("not a real payment, no money moved"));
        demo.customer.as_mut().unwrap().email = " ".into();
        assert_eq!(super::letter(&demo, &facts(Language::English)), None);
    }
}
