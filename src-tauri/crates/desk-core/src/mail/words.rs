//! The letters' words in Turkish and English.

use crate::journal::EntryKind;
use crate::model::Language;

pub(super) struct Words {
    pub greeting: &'static str,
    pub subject: &'static str,
    pub opening: &'static str,
    pub amount: &'static str,
    pub installments: &'static str,
    pub left: &'static str,
    pub card: &'static str,
    pub date: &'static str,
    pub order: &'static str,
    pub receipt: &'static str,
    pub reference: &'static str,
    pub to_card: &'static str,
    pub closing: &'static str,
    pub no_money: &'static str,
    pub reason: &'static str,
}

pub(super) fn words(kind: EntryKind, lang: Language) -> Words {
    let (subject, opening) = match (kind, lang) {
        (EntryKind::Payment, Language::Turkish) => (
            "Ödemeniz alındı",
            "{dealer} için yaptığınız kartlı ödeme onaylandı.",
        ),
        (EntryKind::Cancel, Language::Turkish) => (
            "Ödemeniz iptal edildi",
            "{dealer} için yaptığınız kartlı ödeme iptal edildi.",
        ),
        (EntryKind::Refund, Language::Turkish) => {
            ("Kartınıza iade yapıldı", "{dealer} kartınıza iade yaptı.")
        }
        (EntryKind::Payment, Language::English) => (
            "Your payment is confirmed",
            "Your card payment to {dealer} is approved.",
        ),
        (EntryKind::Cancel, Language::English) => (
            "Your payment is cancelled",
            "Your card payment to {dealer} is cancelled.",
        ),
        (EntryKind::Refund, Language::English) => (
            "A refund to your card",
            "{dealer} has refunded an amount to your card.",
        ),
    };
    match lang {
        Language::Turkish => Words {
            greeting: "Sayın {name},",
            subject,
            opening,
            amount: match kind {
                EntryKind::Payment => "Tutar",
                EntryKind::Cancel => "İptal edilen tutar",
                EntryKind::Refund => "İade edilen tutar",
            },
            installments: "Taksit",
            left: "Ödemeden kalan tutar",
            card: "Kart",
            date: "Tarih ve saat (İstanbul)",
            order: "Sipariş referansı",
            receipt: "Dekont no.",
            reference: "Referans kodu",
            to_card: "Tutar, bankanıza bağlı olarak {days} iş günü içinde kartınıza yansır.",
            closing: "Bu e-posta {dealer} tarafından Dealer Desk ile gönderilmiştir. Kart bilgisi maskelidir.",
            no_money: "DEMO / TEST ORTAMI — gerçek ödeme değildir, para hareketi yok.",
            reason: "Gerekçe",
        },
        Language::English => Words {
            greeting: "Dear {name},",
            subject,
            opening,
            amount: match kind {
                EntryKind::Payment => "Amount",
                EntryKind::Cancel => "Amount cancelled",
                EntryKind::Refund => "Amount refunded",
            },
            installments: "Installments",
            left: "Left of the payment",
            card: "Card",
            date: "Date and time (Istanbul)",
            order: "Order reference",
            receipt: "Receipt no.",
            reference: "Reference code",
            to_card: "Depending on your bank, it reaches your card within {days} business days.",
            closing: "Sent by {dealer} with Dealer Desk. Card details are masked.",
            no_money: "DEMO / SANDBOX — not a real payment, no money moved.",
            reason: "Reason",
        },
    }
}
