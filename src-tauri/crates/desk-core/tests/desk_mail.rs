//! Letters to customers from the desk, through a real SMTP server (`DD_TEST_SMTP`, which
//! `.ci/test` starts: aiosmtpd on loopback with STARTTLS and a login), read back as the server
//! received them: headers, both languages, the amounts as text, no card number beyond the
//! masked one, no CVV. And on the Demo profile: kept for the outbox viewer, never sent.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{fixture, fixture_with, payment, refund_of, Fixture, APPROVE};
use desk_core::dto::{EmailEntryInput, LetterView, LettersQuery, MailServerInput, PaymentInput};
use desk_core::mail::{MailSecurity, MailServer};
use desk_core::model::{Language, LetterState};
use mailparse::{MailHeaderMap, ParsedMail};

/// The test server: where it listens, its login, its certificate, where its mail lands.
struct TestServer {
    host: String,
    port: u16,
    user: String,
    password: String,
    certificate: Vec<u8>,
    mail: PathBuf,
}

fn test_server() -> TestServer {
    let missing = "DD_TEST_SMTP is not set: run `bash .ci/test`, or `source .ci/smtp && \
                   start_test_smtp` first";
    let url = url::Url::parse(&std::env::var("DD_TEST_SMTP").expect(missing)).unwrap();
    TestServer {
        host: url.host_str().unwrap().to_owned(),
        port: url.port().unwrap(),
        user: url.username().to_owned(),
        password: url.password().unwrap().to_owned(),
        certificate: std::fs::read(std::env::var("DD_TEST_SMTP_CA").expect(missing)).unwrap(),
        mail: std::env::var("DD_TEST_SMTP_MAIL").expect(missing).into(),
    }
}

fn mail_server(server: &TestServer) -> MailServer {
    MailServer {
        host: server.host.clone(),
        port: server.port,
        security: MailSecurity::StartTls,
        username: server.user.clone(),
        from_address: "kasa@ornek-bayi.example".into(),
        from_name: "Örnek Bayi".into(),
        days_to_card: 5,
    }
}

/// A desk on a Custom profile (real money, as far as the desk knows) with the test server set
/// up, its password typed as `password`.
async fn desk_with_mail(server: &TestServer, password: &str) -> Fixture {
    let f = fixture_with(|desk| desk.with_mail_root(server.certificate.clone())).await;
    let profile = f
        .desk
        .save_profile(f.custom_profile("Mağaza", 0, None))
        .await
        .unwrap();
    f.desk.switch_profile(profile.id).await.unwrap();
    f.desk
        .save_mail_server(MailServerInput {
            server: mail_server(server),
            password: Some(password.into()),
        })
        .await
        .unwrap();
    f
}

/// A payment to a recipient of this test's own (the server's mail folder is shared).
fn paid_by(recipient: &str, order: &str, lang: Language) -> PaymentInput {
    let mut input = payment(order, "1234.56", APPROVE);
    input.contact.email = recipient.into();
    input.card.cvv = "987".into();
    input.email_customer = Some(lang);
    input
}

fn unique_recipient(name: &str) -> String {
    format!("{name}.{}@example.com", uuid::Uuid::new_v4().simple())
}

/// The messages the server received for `recipient`, raw, once `count` have arrived.
async fn received(server: &TestServer, recipient: &str, count: usize) -> Vec<Vec<u8>> {
    let envelope = format!("X-Test-Envelope-To: {recipient}\r\n");
    for _ in 0..100 {
        let mut found: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&server.mail)
            .unwrap()
            .map(|f| f.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .map(|p| (p.clone(), std::fs::read(p).unwrap()))
            .filter(|(_, raw)| {
                raw.windows(envelope.len())
                    .any(|w| w == envelope.as_bytes())
            })
            .collect();
        if found.len() >= count {
            found.sort();
            return found.into_iter().map(|(_, raw)| raw).collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} messages for {recipient} arrived");
}

/// The text of the message's part of type `mime`.
fn part(message: &ParsedMail, mime: &str) -> String {
    message
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == mime)
        .unwrap_or_else(|| panic!("no {mime} part"))
        .get_body()
        .unwrap()
}

fn header(message: &ParsedMail, name: &str) -> String {
    message.headers.get_first_value(name).unwrap_or_default()
}

/// Neither the card number nor the CVV (987), in any part.
fn carries_no_card_data(texts: &[&str]) {
    for text in texts {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        assert!(!digits.contains(APPROVE), "full card number in {text}");
        let words: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .collect();
        assert!(!words.contains(&"987"), "the CVV in {text}");
    }
}

async fn letters_of_history(f: &Fixture, reference: &str) -> Vec<LetterView> {
    let screen = f
        .desk
        .lookup(desk_core::dto::LookupKey::ReferenceCode(reference.into()))
        .await
        .unwrap();
    let ids = screen.history.iter().map(|e| e.id).collect();
    f.desk
        .transaction_letters(LettersQuery { entry_ids: ids })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_receipt_and_a_refund_notice_reach_the_customer_as_sent() {
    let server = test_server();
    let f = desk_with_mail(&server, &server.password).await;
    let recipient = unique_recipient("ayse");

    let paid = f
        .desk
        .pay(paid_by(&recipient, "MAIL-1", Language::Turkish))
        .await
        .unwrap();
    assert_eq!(f.desk.deliver_letters().await.unwrap(), 1);
    let raw = received(&server, &recipient, 1).await.remove(0);
    let message = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        header(&message, "Subject"),
        "Ödemeniz alındı — ₺1.234,56 — MAIL-1"
    );
    assert_eq!(
        header(&message, "From"),
        "Örnek Bayi <kasa@ornek-bayi.example>"
    );
    assert_eq!(header(&message, "To"), recipient);
    assert_eq!(header(&message, "Content-Language"), "tr");
    assert!(!header(&message, "Message-ID").is_empty());
    assert!(!header(&message, "Date").is_empty());
    assert_eq!(message.ctype.mimetype, "multipart/alternative");
    let (plain, html) = (part(&message, "text/plain"), part(&message, "text/html"));
    for text in [&plain, &html] {
        assert!(text.contains("Sayın Ayşe Yılmaz"), "{text}");
        assert!(text.contains("₺1.234,56"), "{text}");
        assert!(text.contains("Örnek Bayi"), "{text}");
        assert!(text.contains("MAIL-1"), "{text}");
    }
    let masked = paid
        .transaction
        .as_ref()
        .unwrap()
        .masked_card
        .clone()
        .unwrap();
    assert!(
        plain.contains(&masked),
        "the masked card {masked} in {plain}"
    );
    carries_no_card_data(&[&String::from_utf8_lossy(&raw), &plain, &html]);

    let reference = paid.transaction.unwrap().reference_code;
    let mut refund = refund_of(&reference, "234.56", "1234.56");
    refund.email_customer = Some(Language::English);
    f.desk.refund(refund).await.unwrap();
    assert_eq!(f.desk.deliver_letters().await.unwrap(), 1);
    let raw = received(&server, &recipient, 2).await.remove(1);
    let message = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        header(&message, "Subject"),
        "A refund to your card — ₺234.56 — MAIL-1"
    );
    assert_eq!(header(&message, "Content-Language"), "en");
    let plain = part(&message, "text/plain");
    assert!(plain.contains("Dear Ayşe Yılmaz"), "{plain}");
    assert!(plain.contains("₺234.56"), "{plain}");
    assert!(plain.contains("₺1,000.00"), "what is left, in {plain}");
    assert!(plain.contains("within 5 business days"), "{plain}");
    carries_no_card_data(&[&String::from_utf8_lossy(&raw), &plain]);

    let letters = letters_of_history(&f, &reference).await;
    let seen: Vec<_> = letters
        .iter()
        .map(|l| (l.state, l.lang, l.recipient.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (LetterState::Sent, Language::Turkish, "a…@example.com"),
            (LetterState::Sent, Language::English, "a…@example.com"),
        ]
    );
    assert!(letters
        .iter()
        .all(|l| l.sent_at.is_some() && l.attempts == 1));
}

#[tokio::test]
async fn a_letter_the_server_refuses_waits_with_the_reason_and_the_payment_stands() {
    let server = test_server();
    let f = desk_with_mail(&server, "not-the-password").await;
    let recipient = unique_recipient("can");
    let paid = f
        .desk
        .pay(paid_by(&recipient, "MAIL-2", Language::Turkish))
        .await
        .unwrap();
    assert_eq!(paid.outcome, desk_core::journal::Outcome::Success);
    assert_eq!(f.desk.deliver_letters().await.unwrap(), 1);
    let reference = paid.transaction.unwrap().reference_code;
    let letters = letters_of_history(&f, &reference).await;
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].state, LetterState::Waiting, "tried again later");
    assert_eq!(letters[0].attempts, 1);
    assert_eq!(
        letters[0].error_code.as_deref(),
        Some("mail_refused"),
        "{:?}",
        letters[0]
    );
    assert!(
        letters[0]
            .error_detail
            .as_deref()
            .unwrap_or("")
            .contains("535"),
        "{:?}",
        letters[0].error_detail
    );
    assert_eq!(
        f.desk.deliver_letters().await.unwrap(),
        0,
        "not again before its time"
    );
}

#[tokio::test]
async fn on_the_demo_profile_a_receipt_is_kept_for_the_viewer_and_never_sent() {
    let f = fixture().await;
    let paid = f
        .desk
        .pay(paid_by("deniz@example.com", "MAIL-3", Language::English))
        .await
        .unwrap();
    let outbox = f.desk.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].letter.state, LetterState::Kept);
    assert_eq!(outbox[0].to, "deniz@example.com");
    assert_eq!(
        outbox[0].subject,
        "Your payment is confirmed — ₺1,234.56 — MAIL-3"
    );
    assert!(outbox[0].plain.contains("₺1,234.56"));
    let dealer = &f.gw.data().dealers[0].name;
    assert!(
        outbox[0]
            .plain
            .contains(&format!("Your card payment to {dealer} is approved.")),
        "the dealer the customer knows, not the profile's name: {}",
        outbox[0].plain
    );
    assert_eq!(f.desk.deliver_letters().await.unwrap(), 0);

    // Sent again from the history: a second letter, kept too.
    let again = f
        .desk
        .email_entry(EmailEntryInput {
            entry_id: outbox[0].letter.entry_id,
            lang: Language::Turkish,
        })
        .await
        .unwrap();
    assert_eq!(again.state, LetterState::Kept);
    let reference = paid.transaction.unwrap().reference_code;
    assert_eq!(letters_of_history(&f, &reference).await.len(), 2);
}

#[tokio::test]
async fn no_letter_unless_asked_for_and_none_for_a_declined_payment() {
    let f = fixture().await;
    let mut quiet = paid_by("ece@example.com", "MAIL-4", Language::Turkish);
    quiet.email_customer = None;
    f.desk.pay(quiet).await.unwrap();
    let mut declined = paid_by("ece@example.com", "MAIL-5", Language::Turkish);
    declined.card.number = common::DECLINE.into();
    f.desk.pay(declined).await.unwrap();
    assert!(f.desk.outbox().await.unwrap().is_empty());
}
