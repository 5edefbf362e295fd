//! End-to-end journeys through the real app window (see `harness.rs`).

mod axe;
mod harness;
mod layout;
mod team;

use harness::{free_port, journey, App};
use test_kit::{APPROVE, CHALLENGE, DECLINE, FRICTIONLESS, RIGHT_OTP, WRONG_OTP, YKB_WORLD_POS};

async fn open_screen(app: &App, label: &str) {
    app.click_text("nav button", label).await;
}

/// The payment screen keeps the last payment's result until "New payment" is clicked.
async fn new_payment_form(app: &App, label: &str) {
    open_screen(app, label).await;
    if app.count("[data-testid='new-payment']").await > 0 {
        app.click("[data-testid='new-payment']").await;
    }
    app.find("[data-testid='amount']").await;
}

/// Fills the new-payment form (non-3D unless `three_d`) with a test card.
async fn fill_payment(app: &App, amount: &str, card: &str) {
    app.type_into("[data-testid='amount']", amount).await;
    app.type_into("[data-testid='card-number']", card).await;
    app.find("input[type='radio'][name='installment']").await; // BIN lookup answered
    app.type_into("[data-testid='expiry']", "12/30").await;
    app.type_into("[data-testid='cvv']", "000").await;
    fill_holder_and_customer(app).await;
}

/// The card holder's name and the customer: Ayşe Yılmaz.
async fn fill_holder_and_customer(app: &App) {
    for (id, value) in [
        ("holder", "AYSE YILMAZ"),
        ("name", "Ayşe"),
        ("surname", "Yılmaz"),
        ("email", "ayse@example.com"),
    ] {
        app.type_into(&format!("[data-testid='{id}']"), value).await;
    }
}

async fn without_3d(app: &App) {
    let checkbox = app.find("form .submit input[type='checkbox']").await;
    if checkbox.prop("checked").await.unwrap().as_deref() == Some("true") {
        checkbox.click().await.unwrap();
    }
}

#[tokio::test]
async fn e2e_j01_first_start_shows_demo_rates_and_quotes_an_amount() {
    journey("j01", |mut app| async move {
        app.wait_text("Demo").await;
        app.find("[data-testid='pos-card']").await;
        let body = app
            .client
            .find(fantoccini::Locator::Css("footer"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !body.contains("Anahtar zinciri"),
            "the keychain works in this session: {body}"
        );
        assert!(
            app.count("[data-testid='pos-card']").await >= 4,
            "POS cards listed"
        );
        app.wait_text("%1,79").await;
        app.shot("rates").await;
        app.type_into("[data-testid='quote-amount']", "1500").await;
        app.wait_text("₺1.473,15").await; // net of 1.79 % on Yapı Kredi World
        app.shot("quoted").await;
        // Quote → payment: the row's "take this payment" opens New payment with the amount,
        // POS and installments; the card's lookup keeps them, and the charge is the quoted total.
        app.click(&format!("[data-testid='take-{YKB_WORLD_POS}-3']"))
            .await;
        let amount = app.find("[data-testid='amount']").await;
        assert_eq!(
            amount.prop("value").await.unwrap().as_deref(),
            Some("1.500,00")
        );
        app.type_into("[data-testid='card-number']", APPROVE).await;
        app.find("input[type='radio'][name='installment'][value='3']:checked")
            .await;
        for (id, value) in [
            ("holder", "AYSE YILMAZ"),
            ("expiry", "12/30"),
            ("cvv", "000"),
            ("email", "ayse@example.com"),
        ] {
            app.type_into(&format!("[data-testid='{id}']"), value).await;
        }
        without_3d(&app).await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_text("₺1.500,00 tahsil edildi").await;
        app.shot("quote-paid").await;
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j05_declined_card_says_so_and_charges_nothing() {
    journey("j05", |mut app| async move {
        open_screen(&app, "Yeni ödeme").await;
        fill_payment(&app, "250", DECLINE).await;
        without_3d(&app).await;
        app.shot("filled").await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_text("Ödeme reddedildi").await;
        app.wait_text("Banka ödemeyi reddetti").await;
        app.shot("declined").await;
        let requests = app.gateway_requests().await;
        assert_eq!(requests["payment"], 1);
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j07_bad_input_is_explained_and_nothing_is_sent() {
    journey("j07", |mut app| async move {
        open_screen(&app, "Yeni ödeme").await;
        fill_payment(&app, "250", APPROVE).await;
        app.type_into("[data-testid='card-number']", "4155650100416112")
            .await;
        app.type_into("[data-testid='expiry']", "01/20").await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_text("Kart numarası hatalı yazılmış").await;
        app.wait_text("Kartın süresi dolmuş").await;
        app.shot("refused").await;
        // Installments depend on the amount: below the gateway's lower limit (100) the chosen
        // 3 installments are dropped, with a word, instead of being refused after sending.
        app.click_text("label.inst", "3 taksit").await;
        app.type_into("[data-testid='amount']", "50").await;
        app.wait_in(
            "[data-testid='installment-dropped']",
            "Bu tutarda 3 taksit sunulmuyor",
        )
        .await;
        app.shot("installment-dropped").await;
        let requests = app.gateway_requests().await;
        assert!(
            requests.get("payment").is_none_or(|n| n == 0),
            "the gateway saw no payment: {requests}"
        );
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j08_language_switch_changes_labels_and_money_format() {
    journey("j08", |mut app| async move {
        app.wait_text("Oranlar ve taksitler").await;
        open_screen(&app, "Ayarlar").await;
        app.click_text("label", "English").await;
        app.wait_text("Rates & installments").await;
        open_screen(&app, "Rates & installments").await;
        app.type_into("[data-testid='quote-amount']", "1500").await;
        app.wait_text("₺1,473.15").await;
        app.shot("english").await;
        app
    })
    .await;
}

/// Pays without 3D with the approving card and opens the transaction from the result.
async fn pay_and_open(app: &App, amount: &str) {
    open_screen(app, "Yeni ödeme").await;
    fill_payment(app, amount, APPROVE).await;
    without_3d(app).await;
    app.click("[data-testid='pay-submit']").await;
    app.wait_text("Ödeme onaylandı").await;
    app.click_text("button", "İşlemi aç").await;
    app.find("[data-testid='transaction-detail']").await;
}

async fn refund(app: &mut App, amount: Option<&str>, expect: &str) {
    app.click("[data-testid='start-refund']").await;
    if let Some(amount) = amount {
        app.type_into("[data-testid='refund-amount']", amount).await;
    }
    app.type_into("[data-testid='reason']", "ürün iadesi").await;
    app.click("form.action button[type='submit']").await;
    app.click("[data-testid='confirm']").await;
    app.wait_text(expect).await;
    app.shot("refunded").await;
}

async fn remaining(app: &App) -> String {
    app.find("[data-testid='remaining']")
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn e2e_j02_payment_then_partial_refunds_then_the_rest() {
    journey("j02", |mut app| async move {
        pay_and_open(&app, "250").await;
        app.shot("paid").await;
        assert_eq!(remaining(&app).await, "₺250,00");
        refund(&mut app, Some("15"), "₺15,00 iade edildi.").await;
        assert_eq!(remaining(&app).await, "₺235,00");
        refund(&mut app, Some("35,50"), "₺35,50 iade edildi.").await;
        assert_eq!(remaining(&app).await, "₺199,50");
        refund(&mut app, None, "₺199,50 iade edildi.").await;
        assert_eq!(remaining(&app).await, "₺0,00");
        app.wait_text("Tamamen iade edildi").await;
        assert_eq!(
            app.count("[data-testid='start-refund']").await,
            0,
            "refund no longer offered"
        );
        assert_eq!(app.gateway_requests().await["refund"], 3);
        // The journal kept who paid: named in the detail, found by a folded search, on receipts.
        app.wait_in("[data-testid='customer']", "Ayşe Yılmaz").await;
        app.type_into("[data-testid='journal-search']", "ayse yilmaz")
            .await;
        app.wait_text("4 kayıt").await; // the payment and its three refunds
                                        // Under the list, what it adds up to: one sale of 250, three refunds of 250 in all.
        app.wait_in("[data-testid='totals-TRY']", "3 · ₺250,00")
            .await;
        app.wait_in("[data-testid='totals-TRY']", "1 · ₺250,00")
            .await;
        // The history may be drawn anew as the search settles (a click on the row it replaced
        // opens nothing): click until the receipt is open.
        for _ in 0..5 {
            app.click("[data-testid='history'] button").await;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if app.count("[data-testid='receipt-customer']").await > 0 {
                break;
            }
        }
        app.wait_in("[data-testid='receipt-customer']", "Ayşe Yılmaz")
            .await;
        app.shot("customer-receipt").await;
        app
    })
    .await;
}

/// A payment found by its order reference is refunded by it: the gateway is asked by
/// `clientReferenceCode`, and the refund shows on the same transaction's history.
#[tokio::test]
async fn e2e_j26_a_payment_found_by_its_order_reference_is_refunded_by_it() {
    journey("j26", |mut app| async move {
        new_payment_form(&app, "Yeni ödeme").await;
        fill_payment(&app, "90", APPROVE).await;
        app.type_into("[data-testid='order-reference']", "SIP-2026-0042")
            .await;
        without_3d(&app).await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_text("Ödeme onaylandı").await;
        open_screen(&app, "İşlemler").await;
        app.select("form.lookup select", "orderReference").await;
        app.type_into("[data-testid='lookup-value']", "SIP-2026-0042")
            .await;
        app.click("form.lookup button[type='submit']").await;
        app.find("[data-testid='transaction-detail']").await;
        app.click("[data-testid='start-refund']").await;
        app.wait_in("[data-testid='sent-by-order']", "SIP-2026-0042")
            .await;
        app.type_into("[data-testid='refund-amount']", "25").await;
        app.type_into("[data-testid='reason']", "ürün iadesi").await;
        app.shot("refund-by-order").await;
        app.click("form.action button[type='submit']").await;
        app.click("[data-testid='confirm']").await;
        app.wait_text("₺25,00 iade edildi.").await;
        assert_eq!(remaining(&app).await, "₺65,00");
        let at_gateway = app.gateway_transactions().await;
        let paid = at_gateway
            .iter()
            .find(|t| t["clientOrderReference"] == "SIP-2026-0042")
            .expect("the payment at the gateway");
        let reversals = paid["reversals"].as_array().unwrap();
        assert_eq!(reversals.len(), 1, "{paid}");
        assert_eq!(reversals[0]["byOrderReference"], true, "{paid}");
        app.wait_in("[data-testid='history']", "₺25,00").await;
        app.shot("refunded-by-order").await;
        app
    })
    .await;
}

/// Brings `css` into view (a screenshot of a section further down the screen).
async fn scroll_to(app: &App, css: &str) {
    app.find(css).await;
    app.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'}); return true;",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
}

/// A payment with the customer's e-mail on the Demo profile: the receipt is kept, not sent;
/// the history says so, and the Outbox shows the letter whole, in both languages.
#[tokio::test]
async fn e2e_j28_a_receipt_on_demo_lands_in_the_outbox() {
    journey("j28", |mut app| async move {
        new_payment_form(&app, "Yeni ödeme").await;
        fill_payment(&app, "120", APPROVE).await;
        without_3d(&app).await;
        app.wait_in(
            "[data-testid='email-choice']",
            "Dekontu ayse@example.com adresine e-postayla gönder",
        )
        .await;
        scroll_to(&app, "[data-testid='email-choice']").await;
        app.shot("receipt-choice").await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_text("Ödeme onaylandı").await;
        app.click_text("button", "İşlemi aç").await;
        app.wait_in(
            "[data-testid='letters']",
            "a…@example.com için Giden e-postalar’da tutuluyor",
        )
        .await;
        scroll_to(&app, "[data-testid='history']").await;
        app.shot("history-letter").await;

        open_screen(&app, "Giden e-postalar").await;
        app.wait_in("[data-testid='outbox']", "Ödemeniz alındı — ₺120,00")
            .await;
        app.wait_in("[data-testid='outbox']", "Tutuldu (Demo: gönderilmedi)")
            .await;
        app.click("[data-testid='outbox-open']").await;
        app.wait_in("[data-testid='outbox-plain']", "Sayın Ayşe Yılmaz,")
            .await;
        app.wait_in("[data-testid='outbox-plain']", "Tutar: ₺120,00")
            .await;
        app.wait_in(
            "[data-testid='outbox-plain']",
            "gerçek ödeme değildir, para hareketi yok",
        )
        .await;
        app.shot("outbox-tr").await;

        open_screen(&app, "Ayarlar").await;
        scroll_to(&app, "[data-testid='mail-server']").await;
        app.shot("mail-settings-tr").await;
        app.click_text("label", "English").await;
        app.wait_text("E-mail to customers").await;
        scroll_to(&app, "[data-testid='mail-server']").await;
        app.shot("mail-settings-en").await;

        open_screen(&app, "Outbox").await;
        app.wait_in("[data-testid='outbox']", "Kept (Demo: not sent)")
            .await;
        app.click("[data-testid='outbox-open']").await;
        app.shot("outbox-en").await;
        open_screen(&app, "Transactions").await;
        app.wait_in(
            "[data-testid='letters']",
            "Kept in the Outbox for a…@example.com",
        )
        .await;
        app.select("[data-testid='letters-language']", "en").await;
        app.click("[data-testid='email-entry']").await;
        app.wait_text("The letter is in the Outbox.").await;
        scroll_to(&app, "[data-testid='letters']").await;
        app.shot("history-letters-en").await;
        open_screen(&app, "Outbox").await;
        app.wait_in(
            "[data-testid='outbox']",
            "Your payment is confirmed — ₺120.00",
        )
        .await;
        app
    })
    .await;
}

/// What a card's BIN answer says shows on the form: a card charged without 3D and without its
/// CVV is paid that way; a card the bank wants 3D for keeps the box on.
#[tokio::test]
async fn e2e_j27_the_cards_bin_answer_sets_3d_and_the_cvv() {
    journey("j27", |mut app| async move {
        new_payment_form(&app, "Yeni ödeme").await;
        app.type_into("[data-testid='amount']", "75").await;
        app.type_into("[data-testid='card-number']", "5218240000000009")
            .await;
        app.wait_in("[data-testid='three-d-required']", "3D Secure olmadan")
            .await;
        app.wait_text("Bu kart için istenmiyor.").await;
        app.wait_text("Kart: Mastercard").await;
        let three_d = app.find("form .submit input[type='checkbox']").await;
        assert_eq!(
            three_d.prop("checked").await.unwrap().as_deref(),
            Some("false")
        );
        assert_eq!(
            three_d.prop("disabled").await.unwrap().as_deref(),
            Some("true")
        );
        app.type_into("[data-testid='expiry']", "12/30").await;
        fill_holder_and_customer(&app).await;
        app.shot("no-3d-no-cvv").await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_text("Ödeme onaylandı").await;

        new_payment_form(&app, "Yeni ödeme").await;
        app.type_into("[data-testid='amount']", "75").await;
        app.type_into("[data-testid='card-number']", "4543600000000003")
            .await;
        app.wait_in(
            "[data-testid='three-d-required']",
            "Banka bu kart için 3D Secure istiyor.",
        )
        .await;
        let three_d = app.find("form .submit input[type='checkbox']").await;
        assert_eq!(
            three_d.prop("checked").await.unwrap().as_deref(),
            Some("true")
        );
        app.shot("3d-required").await;
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j03_frictionless_3d_window_opens_and_closes_by_itself() {
    journey("j03", |mut app| async move {
        open_screen(&app, "Yeni ödeme").await;
        fill_payment(&app, "120", FRICTIONLESS).await;
        app.shot("filled").await;
        app.click("[data-testid='pay-submit']").await; // 3D is on by default
        app.wait_text("Ödeme onaylandı").await;
        app.shot("approved").await;
        let windows = app.client.windows().await.unwrap();
        assert_eq!(windows.len(), 1, "the 3D window closed itself");
        assert_eq!(
            app.gateway_requests().await["acs"],
            2,
            "ACS page shown and submitted"
        );
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j06_cancel_a_fresh_payment() {
    journey("j06", |mut app| async move {
        pay_and_open(&app, "80").await;
        app.click("[data-testid='start-cancel']").await;
        app.type_into("[data-testid='reason']", "müşteri vazgeçti")
            .await;
        app.click("form.action button[type='submit']").await;
        app.wait_text("₺80,00 tutarındaki ödeme iptal edilsin mi?")
            .await;
        app.click("[data-testid='confirm']").await;
        app.wait_text("Ödeme iptal edildi.").await;
        app.find("[data-testid='transaction-state']").await;
        assert_eq!(
            app.find("[data-testid='transaction-state']")
                .await
                .text()
                .await
                .unwrap(),
            "İptal edildi"
        );
        assert_eq!(
            app.count("[data-testid='start-refund']").await,
            0,
            "refund not offered"
        );
        app.shot("cancelled").await;
        app
    })
    .await;
}

/// Adds a Custom profile for the app's own demo gateway with dealer 1's API key.
async fn add_custom_profile(app: &App, name: &str, secret: &str) {
    open_screen(app, "Bağlantı ve profiller").await;
    app.click_text("button", "Profil ekle").await;
    let kind = app.find("form.editor select").await;
    kind.select_by_value("custom").await.unwrap();
    let inputs = app
        .client
        .find_all(fantoccini::Locator::Css("form.editor input"))
        .await
        .unwrap();
    // name, gateway URL, API key, secret key (the order of the form)
    inputs[0].send_keys(name).await.unwrap();
    inputs[1].send_keys(&app.demo).await.unwrap();
    inputs[2].send_keys("demo-anadolu-4c1f9a").await.unwrap();
    inputs[3].send_keys(secret).await.unwrap();
    app.click("form.editor button[type='submit']").await;
    app.wait_text(name).await;
}

async fn test_connection_of(app: &App, name: &str) {
    app.client
        .execute(
            "const card=[...document.querySelectorAll('section.profile')].find(s=>s.querySelector('h2').textContent===arguments[0]);\
             [...card.querySelectorAll('button')].find(b=>b.textContent.includes('Bağlantıyı sına')).click(); return true;",
            vec![serde_json::json!(name)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn e2e_j09_wrong_secret_is_credentials_rejected_and_the_app_keeps_working() {
    journey("j09", |mut app| async move {
        add_custom_profile(&app, "Yanlış anahtar", "bu-yanlis").await;
        test_connection_of(&app, "Yanlış anahtar").await;
        app.wait_text("kimlik bilgileri reddedildi").await;
        app.shot("rejected").await;
        open_screen(&app, "Oranlar ve taksitler").await;
        app.find("[data-testid='pos-card']").await;
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j10_restart_keeps_profile_language_history_and_the_keychain_secret() {
    let demo_port = free_port();
    let home = {
        let mut app = App::start_with("j10", None, demo_port).await;
        pay_and_open(&app, "99").await;
        add_custom_profile(&app, "Anadolu canlı", "demo-secret-anadolu-7Hq2").await;
        open_screen(&app, "Ayarlar").await;
        app.click_text("label", "English").await;
        app.wait_text("Rates & installments").await;
        new_payment_form(&app, "New payment").await;
        app.shot("before-restart").await;
        let home = app.home.clone();
        app.stop().await;
        home
    };
    let mut app = App::start_with("j10", Some(home), demo_port).await;
    app.wait_text("Rates & installments").await; // language kept
    open_screen(&app, "Transactions").await;
    app.shot("history").await;
    app.wait_in("[data-testid='journal-list']", "₺99.00").await; // the payment is in the history
    open_screen(&app, "Connection & profiles").await;
    app.wait_text("Anadolu canlı").await; // profile kept
    app.client
        .execute(
            "const card=[...document.querySelectorAll('section.profile')].find(s=>s.querySelector('h2').textContent==='Anadolu canlı');\
             [...card.querySelectorAll('button')].find(b=>b.textContent.includes('Test connection')).click(); return true;",
            vec![],
        )
        .await
        .unwrap();
    app.wait_text("Connection OK").await; // the secret came back from the keychain
    app.shot("after-restart").await;
    app.stop().await;
}

/// A settings file nobody can read is set aside at start and the status bar says where it went;
/// once read, the operator puts the notice away and the app works on.
#[tokio::test]
async fn e2e_j25_a_damaged_settings_file_is_set_aside_said_and_put_away() {
    let demo_port = free_port();
    let home = {
        let app = App::start_with("j25", None, demo_port).await;
        app.find("[data-testid='pos-card']").await;
        let home = app.home.clone();
        app.stop().await;
        home
    };
    let data = home.join("data").join("com.finrota-dealers.dealerdesk");
    std::fs::write(data.join("settings.json"), b"{ not json").unwrap();
    let mut app = App::start_with("j25", Some(home), demo_port).await;
    app.wait_in("footer", "kenara alındı").await;
    app.find("[data-testid='pos-card']").await; // the app works on, from the defaults
    app.shot("notice").await;
    let aside = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("settings.json.damaged"))
        .expect("the unreadable file is kept beside the new one");
    assert!(app.text_of("footer").await.contains(&aside), "{aside}");
    app.click("[data-testid='dismiss-notice']").await;
    app.wait_until(
        "the notice is put away",
        "return !document.querySelector('footer [role=alert]')",
    )
    .await;
    app.shot("put-away").await;
    app.stop().await;
}

/// The bank's 3D window, once the app has opened it.
async fn bank_window(app: &App) -> fantoccini::wd::WindowHandle {
    let main = app.client.window().await.unwrap();
    let started = std::time::Instant::now();
    loop {
        let windows = app.client.windows().await.unwrap();
        if let Some(w) = windows.into_iter().find(|w| *w != main) {
            return w;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the 3D window never opened"
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
}

/// Types `otp` in the bank's window and goes back to the app's.
async fn answer_bank(app: &mut App, bank: fantoccini::wd::WindowHandle, otp: &str) {
    let main = app.client.window().await.unwrap();
    app.client.switch_to_window(bank).await.unwrap();
    app.type_into("input[name='otp']", otp).await;
    app.shot("otp").await;
    app.click("button[value='submit']").await;
    app.client.switch_to_window(main).await.unwrap();
}

/// Starts a 3D payment with the challenge card, types `otp` in the bank's window.
async fn three_d_with_otp(app: &mut App, order_amount: &str, otp: &str) {
    new_payment_form(app, "Yeni ödeme").await;
    fill_payment(app, order_amount, CHALLENGE).await;
    app.click("[data-testid='pay-submit']").await; // 3D is on by default
    let bank = bank_window(app).await;
    answer_bank(app, bank, otp).await;
}

#[tokio::test]
async fn e2e_j04_challenge_otp_in_the_3d_window_right_then_wrong() {
    journey("j04", |mut app| async move {
        three_d_with_otp(&mut app, "450", RIGHT_OTP).await;
        app.wait_text("Ödeme onaylandı").await;
        app.shot("approved").await;
        app.click_text("[data-testid='payment-result'] button", "Yeni ödeme")
            .await;
        three_d_with_otp(&mut app, "450", WRONG_OTP).await;
        app.wait_text("Ödeme reddedildi").await;
        app.shot("failed").await;
        let failed = reqwest::get(format!("{}/__admin/transactions", app.demo))
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap();
        let last = failed.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["transactionStatusId"], 2);
        assert_eq!(last["lastAmount"], 0.0, "nothing charged");
        app
    })
    .await;
}

// ------------------------------------------------------------------ the money path (issue 8)

/// A 3D payment whose answer (with the bank's page) is lost stays pending at the gateway:
/// "Check again" must never say approved; when the bank's step expires it says declined.
#[tokio::test]
async fn e2e_j11_a_lost_3d_answer_is_never_shown_approved() {
    journey("j11", |mut app| async move {
        let seeded = app.gateway_transactions().await.len();
        app.fault(serde_json::json!({
            "endpoint": "payment", "kind": { "type": "dropConnection" },
            "afterProcessing": true, "times": 1
        }))
        .await;
        open_screen(&app, "Yeni ödeme").await;
        fill_payment(&app, "100", CHALLENGE).await;
        app.click("[data-testid='pay-submit']").await;
        app.wait_in("[data-testid='in-doubt']", "Sonuç henüz doğrulanmadı")
            .await;
        app.wait_in("[data-testid='in-doubt']", "3D Secure adımını bekliyor")
            .await;
        app.shot("in-doubt").await;
        assert_eq!(
            app.client.windows().await.unwrap().len(),
            1,
            "no bank page, no window"
        );
        // The same verdict in English, after a trip through Settings.
        open_screen(&app, "Ayarlar").await;
        app.click_text("label", "English").await;
        open_screen(&app, "New payment").await;
        app.wait_in(
            "[data-testid='in-doubt']",
            "waiting for the bank’s 3D Secure step",
        )
        .await;
        app.shot("in-doubt-en").await;
        app.click("[data-testid='check-again']").await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        app.wait_in("[data-testid='in-doubt']", "Outcome not confirmed yet")
            .await;
        assert_eq!(app.count(".notice.ok").await, 0, "never approved");
        // The bank's session expires unfinished: a definite answer at last.
        app.advance_gateway_clock(20 * 60).await;
        app.click("[data-testid='check-again']").await;
        app.wait_in("[data-testid='payment-result']", "Payment declined")
            .await;
        app.shot("expired").await;
        assert_eq!(app.count(".notice.ok").await, 0, "never approved");
        let held = app.gateway_transactions().await;
        assert_eq!(held.len(), seeded + 1, "one payment reached the gateway");
        let payment = held.last().unwrap();
        assert_eq!(payment["transactionStatusId"], 2);
        assert_eq!(payment["lastAmount"], 0.0, "nothing charged");
        app
    })
    .await;
}

/// A payment whose answer was lost, the app closed while it still asked, and a restart where
/// the gateway cannot be reached: the start's reconciliation cannot ask, so it tells the window
/// nothing; Transactions still lists the payment as not final, from the journal.
#[tokio::test]
async fn e2e_j19_after_a_restart_what_is_not_final_is_listed_even_when_the_gateway_is_away() {
    let home = {
        let mut app = App::start("j19").await;
        app.fault(serde_json::json!({
            "endpoint": "payment", "kind": { "type": "dropConnection" },
            "afterProcessing": true, "times": 1
        }))
        .await;
        app.fault(serde_json::json!({
            "endpoint": "transaction", "kind": { "type": "status", "status": 503 }
        }))
        .await;
        open_screen(&app, "Yeni ödeme").await;
        fill_payment(&app, "75", APPROVE).await;
        without_3d(&app).await;
        app.click("[data-testid='pay-submit']").await;
        // The answer was lost and the gateway cannot be asked: the desk keeps asking (about
        // 30 s) while the operator waits; the app is closed meanwhile.
        app.wait_in("[data-testid='payment-running']", "Ödeme sürüyor")
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(app.gateway_requests().await["payment"], 1);
        app.shot("asking").await;
        let home = app.home.clone();
        app.stop().await;
        home
    };
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let mut app = App::start_on("j19", home, &nobody).await;
    open_screen(&app, "İşlemler").await;
    app.wait_in(
        "[data-testid='unsettled']",
        "1 işlemin kesin sonucu henüz yok",
    )
    .await;
    app.wait_in("[data-testid='unsettled']", "Belirsiz").await;
    app.shot("unsettled-after-restart").await;
    app.stop().await;
}

/// A refund whose answer is lost after the gateway applied it: the app asks before anything
/// else, shows the new refundable amount and closes the form; nothing is sent twice.
#[tokio::test]
async fn e2e_j12_a_lost_refund_answer_is_asked_about_never_sent_twice() {
    journey("j12", |mut app| async move {
        pay_and_open(&app, "100").await;
        app.fault(serde_json::json!({
            "endpoint": "refund", "kind": { "type": "dropConnection" },
            "afterProcessing": true, "times": 1
        }))
        .await;
        refund(&mut app, Some("30"), "₺30,00 iade edildi.").await;
        assert_eq!(remaining(&app).await, "₺70,00");
        assert_eq!(app.count("form.action").await, 0, "the form closed");
        assert_eq!(app.gateway_requests().await["refund"], 1);
        let held = app.gateway_transactions().await;
        let paid = held.last().unwrap();
        assert_eq!(paid["lastAmount"], 70.0);
        assert_eq!(paid["reversals"].as_array().unwrap().len(), 1);
        app
    })
    .await;
}

/// Issue 28: a refund whose answer was lost while the bank's panel refunded more stays in doubt
/// (the refundable amount fits neither "applied" nor "not applied"), and no refund of that
/// customer is offered. The supervisor resolves it from the bank's records, with a reason; the
/// history says who and why, and the transaction can be refunded again.
#[tokio::test]
async fn e2e_j22_a_refund_stuck_in_doubt_is_resolved_by_hand() {
    journey("j22", |mut app| async move {
        open_screen(&app, "Ayarlar").await;
        app.type_into("[data-testid='operator-name-setting']", "Zeynep")
            .await;
        app.click("[data-testid='save-operator-name']").await;
        pay_and_open(&app, "100").await;
        let reference = app.text_of("[data-testid='transaction-detail'] h2").await;
        let reference = reference.split_whitespace().next().unwrap().to_owned();
        app.fault(serde_json::json!({
            "endpoint": "refund", "kind": { "type": "dropConnection" },
            "afterProcessing": true, "times": 1
        }))
        .await;
        // The desk's first check after the lost answer is slow: the panel refunds meanwhile.
        app.fault(serde_json::json!({
            "endpoint": "transaction", "kind": { "type": "delay", "ms": 3000 },
            "times": 1, "skip": 1
        }))
        .await;
        app.click("[data-testid='start-refund']").await;
        app.type_into("[data-testid='refund-amount']", "30").await;
        app.type_into("[data-testid='reason']", "ürün iadesi").await;
        app.click("form.action button[type='submit']").await;
        app.click("[data-testid='confirm']").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        app.outside_client()
            .refund(&vpws::RefundRequest {
                key: vpws::ReversalKey::ReferenceCode(reference.clone()),
                amount: Some(rust_decimal::Decimal::from(20)),
                reason: Some("banka paneli".into()),
            })
            .await
            .unwrap();
        app.wait_in("[data-testid='history']", "Belirsiz").await;
        assert_eq!(app.count("[data-testid='start-refund']").await, 0);
        app.click("[data-testid='start-resolve']").await;
        app.find("[data-testid='resolve-form']").await;
        app.shot("resolve-form").await;
        app.click("[data-testid='resolve-applied']").await;
        app.type_into(
            "[data-testid='resolve-reason']",
            "Banka ekstresinde 30 TL iade görüldü",
        )
        .await;
        app.click("[data-testid='submit-resolve']").await;
        app.wait_text("gerçekleşmiş olarak kaydedilsin mi?").await;
        app.click("[data-testid='confirm']").await;
        app.wait_text("Çözümlendi.").await;
        app.wait_in("[data-testid='history']", "Zeynep çözümledi")
            .await;
        app.wait_in("[data-testid='remaining']", "₺50,00").await;
        app.find("[data-testid='start-refund']").await;
        app.shot("resolved").await;
        assert_eq!(
            app.gateway_requests().await["refund"],
            2,
            "the desk's and the panel's"
        );

        open_screen(&app, "Ayarlar").await;
        app.click_text("label", "English").await;
        open_screen(&app, "Transactions").await;
        app.click("[data-testid='journal-list'] .line").await;
        app.wait_in("[data-testid='history']", "resolved by Zeynep")
            .await;
        app.shot("resolved-en").await;
        app
    })
    .await;
}

/// With the bank's window open, another screen and back shows the payment in progress, not a
/// new form: no second payment while the first 3D step is open.
#[tokio::test]
async fn e2e_j13_no_second_payment_while_the_3d_window_is_open() {
    journey("j13", |mut app| async move {
        let seeded = app.gateway_transactions().await.len();
        open_screen(&app, "Yeni ödeme").await;
        fill_payment(&app, "450", CHALLENGE).await;
        app.click("[data-testid='pay-submit']").await;
        let bank = bank_window(&app).await;
        open_screen(&app, "İşlemler").await;
        open_screen(&app, "Yeni ödeme").await;
        app.wait_in("[data-testid='payment-running']", "Ödeme sürüyor")
            .await;
        assert_eq!(app.count("[data-testid='amount']").await, 0, "no new form");
        assert_eq!(app.count("[data-testid='pay-submit']").await, 0);
        app.shot("running").await;
        open_screen(&app, "Ayarlar").await;
        app.click_text("label", "English").await;
        open_screen(&app, "New payment").await;
        app.wait_in("[data-testid='payment-running']", "Payment in progress")
            .await;
        app.shot("running-en").await;
        answer_bank(&mut app, bank, RIGHT_OTP).await;
        app.wait_text("Payment approved").await;
        assert_eq!(app.gateway_requests().await["payment"], 1);
        assert_eq!(app.gateway_transactions().await.len(), seeded + 1);
        app
    })
    .await;
}

/// "Refund the rest" sends the amount the operator confirmed: when 30 was refunded elsewhere
/// meanwhile, nothing is sent and the new figure is shown.
#[tokio::test]
async fn e2e_j14_refund_the_rest_sends_only_what_was_confirmed() {
    journey("j14", |mut app| async move {
        pay_and_open(&app, "100").await;
        app.click("[data-testid='start-refund']").await;
        app.type_into("[data-testid='reason']", "kalanı").await;
        app.click("form.action button[type='submit']").await;
        app.wait_text("₺100,00 karta iade edilsin mi?").await;
        let reference = app.gateway_transactions().await.last().unwrap()["referenceNumber"]
            .as_str()
            .unwrap()
            .to_owned();
        app.outside_client()
            .refund(&vpws::RefundRequest {
                key: vpws::ReversalKey::ReferenceCode(reference),
                amount: Some(rust_decimal::Decimal::from(30)),
                reason: Some("portal".into()),
            })
            .await
            .unwrap();
        app.click("[data-testid='confirm']").await;
        app.wait_in(
            "[data-testid='detail-error']",
            "İade edilebilir tutar artık ₺70,00",
        )
        .await;
        app.shot("changed").await;
        assert_eq!(remaining(&app).await, "₺70,00");
        assert_eq!(
            app.gateway_requests().await["refund"],
            1,
            "only the portal's"
        );
        refund(&mut app, None, "₺70,00 iade edildi.").await;
        assert_eq!(remaining(&app).await, "₺0,00");
        let held = app.gateway_transactions().await;
        assert_eq!(held.last().unwrap()["lastAmount"], 0.0);
        app
    })
    .await;
}

/// A phone order and its refund with the keyboard alone: no clicks, every key counted. Focus
/// lands where the next key is wanted (the amount after Alt+2, the result after paying, Refund
/// after opening the transaction, the answer after confirming), and the confirm dialog keeps
/// Tab inside and gives focus back on Escape.
#[tokio::test]
async fn e2e_j15_a_payment_and_its_refund_by_keyboard_alone() {
    use fantoccini::key::Key;
    let tab = char::from(Key::Tab);
    let enter = char::from(Key::Enter);
    journey("j15", |mut app| async move {
        app.find("[data-testid='quote-amount']").await;
        app.wait_focus("quote-amount").await;
        app.press(&[char::from(Key::Alt), '2']).await;
        app.wait_focus("amount").await;
        app.type_keys("1234,56").await;
        app.press(&[tab]).await; // currency
        app.press(&[tab]).await;
        app.wait_focus("card-number").await;
        app.type_keys(FRICTIONLESS).await;
        app.find("input[type='radio'][name='installment']").await; // BIN lookup answered
        app.press(&[tab]).await;
        app.type_keys("AYSE YILMAZ").await;
        app.press(&[tab]).await;
        app.type_keys("1230").await;
        app.press(&[tab]).await;
        app.type_keys("000").await;
        for _ in 0..4 {
            app.press(&[tab]).await; // POS, installment, name and surname (taken from the card)
        }
        app.wait_focus("surname").await;
        app.press(&[tab]).await;
        app.wait_focus("email").await;
        app.type_keys("ayse@example.com").await;
        app.shot("keyboard-filled").await;
        app.press(&[enter]).await;
        app.wait_in("[data-testid='payment-result']", "₺1.234,56").await;
        app.wait_focus("payment-result").await;
        let payment_keys = app.keystrokes;
        app.shot("keyboard-paid").await;
        assert!(payment_keys <= 75, "a phone-order payment took {payment_keys} keystrokes");

        app.press(&[tab]).await; // "Open transaction"
        app.press(&[enter]).await;
        app.wait_focus("start-refund").await;
        let before_refund = app.keystrokes;
        app.press(&[enter]).await; // 1: Refund (everything left is filled in)
        app.wait_focus("refund-amount").await;
        app.press(&[tab]).await;
        app.type_keys("iade").await;
        app.press(&[enter]).await; // 2: asks to confirm
        app.wait_focus("confirm").await;
        app.press(&[tab]).await;
        app.press(&[tab]).await;
        app.wait_focus("confirm").await; // Tab stays inside the dialog
        app.press(&[char::from(Key::Escape)]).await;
        app.wait_focus("reason").await; // back where the operator pressed Enter
        app.press(&[enter]).await;
        app.wait_focus("confirm").await;
        app.shot("keyboard-confirm").await;
        app.press(&[enter]).await; // 3: refunds
        app.wait_in("[data-testid='remaining']", "₺0,00").await;
        let refund_keys = app.keystrokes - before_refund;
        app.shot("keyboard-refunded").await;
        eprintln!("keyboard alone: payment {payment_keys} keystrokes, refund {refund_keys} (3 actions plus the reason, one Tab, and a Tab-trap and Escape check)");
        app
    })
    .await;
}

/// Every screen and its states (form errors, filters, a transaction, the refund form, the
/// confirm dialog, a receipt, the profile editor) in both languages, at the default window size
/// and at the minimum one, then with text at 200 % in high contrast: each state is checked by
/// axe-core and for clipped content (`shot`).
/// Pays `amount` without 3D with `card` from a fresh form and waits for the approval.
async fn pay_approved(app: &App, amount: &str, card: &str) {
    new_payment_form(app, "Yeni ödeme").await;
    fill_payment(app, amount, card).await;
    without_3d(app).await;
    app.click("[data-testid='pay-submit']").await;
    app.wait_text("Ödeme onaylandı").await;
}

/// Whether the canvas at `css` has something drawn on it (more than a few hundred pixels).
fn drawn(css: &str) -> String {
    format!(
        "const c = document.querySelector(\"{css}\"); if (!c || !c.width) return false;
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
         let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
         return n > 500;"
    )
}

/// The report's figures for TRY, as shown: sales, refunds, commission, net to dealer.
async fn report_figures(app: &App) -> [String; 4] {
    let figure = |id: &str| format!("[data-testid='report-totals-TRY'] [data-testid='{id}']");
    [
        app.text_of(&figure("report-sales")).await,
        app.text_of(&figure("report-refunds")).await,
        app.text_of(&figure("report-commission")).await,
        app.text_of(&figure("report-net-to-dealer")).await,
    ]
}

/// Hand-computed with the demo gateway's rates: 1000 and 400 on Yapı Kredi World at 1.79 %
/// (17.90 and 7.16 commission), 250 on Akbank Axess at 1.85 % (4.625 → 4.63), and 100 of the
/// 400 refunded (1.79 back). Sales 1650.00, refunds 100.00, commission 27.90, to the dealer
/// 1650 − 100 − 27.90 = 1522.10.
#[tokio::test]
async fn e2e_j17_three_payments_on_two_pos_add_up_in_reports_in_both_languages() {
    journey("j17", |mut app| async move {
        pay_approved(&app, "1000", APPROVE).await;
        pay_approved(&app, "250", CHALLENGE).await;
        pay_approved(&app, "400", APPROVE).await;
        app.click_text("button", "İşlemi aç").await;
        app.find("[data-testid='transaction-detail']").await;
        refund(&mut app, Some("100"), "₺100,00 iade edildi.").await;
        // The sale's receipt from what the gateway shows: numbered, partly refunded, DEMO.
        app.click("[data-testid='sale-receipt']").await;
        let number = app.text_of("[data-testid='receipt-number']").await;
        assert!(
            number.starts_with("NTH2P") && number.ends_with("-S"),
            "{number}"
        );
        app.wait_in("[data-testid='receipt']", "Kısmen iade edildi")
            .await;
        app.wait_in("[data-testid='receipt']", "₺300,00").await;
        app.find("[data-testid='receipt-demo']").await;
        app.shot("sale-receipt").await;
        app.click_text("[data-testid='receipt'] ~ .buttons button", "Kapat")
            .await;

        open_screen(&app, "Raporlar").await;
        app.find("[data-testid='report-totals-TRY']").await;
        assert_eq!(
            report_figures(&app).await,
            ["₺1.650,00", "₺100,00", "₺27,90", "₺1.522,10"]
        );
        let by_pos = app.text_of("[data-testid='by-pos']").await;
        assert!(
            by_pos.contains("Akbank") && by_pos.contains("Yapı Kredi"),
            "{by_pos}"
        );
        app.wait_until(
            "the days chart is drawn",
            &drawn("[data-testid='chart-days']"),
        )
        .await;
        app.wait_until("the POS mix is drawn", &drawn("[data-testid='chart-pos']"))
            .await;
        app.shot("reports-tr").await;
        app.click("[data-testid='open-sheet']").await;
        app.wait_in("[data-testid='sheet-totals']", "₺1.522,10")
            .await;
        app.wait_in("[data-testid='sheet-list']", "₺250,00").await;
        app.shot("sheet-tr").await;
        app.click_text("button", "Kapat").await;

        open_screen(&app, "Ayarlar").await;
        app.click_text("label", "English").await;
        open_screen(&app, "Reports").await;
        app.wait_text("Net to dealer").await;
        assert_eq!(
            report_figures(&app).await,
            ["₺1,650.00", "₺100.00", "₺27.90", "₺1,522.10"]
        );
        app.wait_until(
            "the days chart is drawn again",
            &drawn("[data-testid='chart-days']"),
        )
        .await;
        app.shot("reports-en").await;
        app
    })
    .await;
}

#[tokio::test]
async fn e2e_j16_every_screen_in_both_languages_at_both_sizes() {
    use fantoccini::key::Key;
    let alt = char::from(Key::Alt);
    let escape = char::from(Key::Escape);
    journey("j16", |mut app| async move {
        pay_and_open(&app, "250").await;
        for lang in ["tr", "en"] {
            if lang == "en" {
                app.press(&[alt, '6']).await;
                app.click("label[lang='en'] input").await;
                app.wait_text("Rates & installments").await;
            }
            for (width, height) in [(1200, 780), (960, 620)] {
                app.client.set_window_size(width, height).await.unwrap();
                let at = |state: &str| format!("{lang}-{width}-{state}");

                app.press(&[alt, '1']).await;
                app.type_into("[data-testid='quote-amount']", "1500").await;
                app.find("[data-testid='pos-card'] td").await;
                app.shot(&at("rates")).await;

                app.press(&[alt, '2']).await;
                if app.count("[data-testid='new-payment']").await > 0 {
                    app.click("[data-testid='new-payment']").await;
                }
                app.find("[data-testid='amount']").await;
                app.shot(&at("payment")).await;
                app.wait_focus("amount").await;
                app.press(&[char::from(Key::Enter)]).await; // submits the empty form
                app.find("input[aria-invalid='true']").await;
                app.shot(&at("payment-errors")).await;

                app.press(&[alt, '3']).await;
                app.find("[data-testid='transaction-detail']").await;
                app.shot(&at("transactions")).await;
                app.click("button[aria-expanded]").await;
                app.shot(&at("filters")).await;
                app.click("button[aria-expanded]").await;
                app.click("[data-testid='start-refund']").await;
                app.type_into("[data-testid='reason']", "iade").await;
                app.shot(&at("refund-form")).await;
                app.click("form.action button[type='submit']").await;
                app.find("[data-testid='confirm']").await;
                app.shot(&at("confirm")).await;
                app.press(&[escape]).await;
                app.click("form.action button[type='button']").await;
                app.click("[data-testid='history'] button").await;
                app.find("[data-testid='receipt']").await;
                app.shot(&at("receipt")).await;
                app.press(&[escape]).await;

                app.press(&[alt, '4']).await;
                app.find("[data-testid='report-totals-TRY']").await;
                app.shot(&at("reports")).await;
                app.click("[data-testid='open-sheet']").await;
                app.find("[data-testid='sheet-list']").await;
                app.shot(&at("end-of-day-sheet")).await;
                app.press(&[escape]).await;

                app.press(&[alt, '5']).await;
                app.find("button.add").await;
                app.shot(&at("profiles")).await;
                app.click("[data-testid='journal-team']").await;
                app.find("[data-testid='team-host']").await;
                app.shot(&at("team-journal")).await;
                app.click("button.add").await;
                app.find("form.editor").await;
                app.shot(&at("profile-editor")).await;
                app.click("form.editor button[type='button']").await;

                app.press(&[alt, '6']).await;
                app.find("label[lang='en']").await;
                app.shot(&at("settings")).await;
            }
        }

        // Text at 200 % in high contrast, at the default size: still nothing cut off.
        app.client.set_window_size(1200, 780).await.unwrap();
        app.click_text("label", "200%").await;
        // The page grows to twice its size: click the next box only once it has settled.
        app.wait_until(
            "the text is at 200 %",
            "return document.documentElement.style.getPropertyValue('--text-scale') === '2';",
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app.click("[data-testid='high-contrast']").await;
        app.find("html.high-contrast").await;
        app.shot("large-settings").await;
        app.press(&[alt, '1']).await;
        app.type_into("[data-testid='quote-amount']", "1500").await;
        app.find("[data-testid='pos-card'] td").await;
        app.shot("large-rates").await;
        app.press(&[alt, '2']).await;
        app.find("[data-testid='amount']").await;
        app.shot("large-payment").await;
        app.press(&[alt, '3']).await;
        app.find("[data-testid='transaction-detail']").await;
        app.shot("large-transactions").await;
        app.click("button[aria-expanded]").await;
        app.shot("large-filters").await;
        app.press(&[alt, '4']).await;
        app.find("[data-testid='report-totals-TRY']").await;
        app.shot("large-reports").await;
        app.press(&[alt, '5']).await;
        app.find("button.add").await;
        app.shot("large-profiles").await;
        app
    })
    .await;
}
