//! `POST /vpws/payment`: validation (RULES.md rules 9–11), then a non-3D authorisation or a pending
//! 3D transaction with a redirect to the ACS page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{bearer, json_body, required};
use crate::card::{luhn_ok, mask};
use crate::config::DuplicatePolicy;
use crate::data::{default_card_behaviour, Authorisation, Pos, ThreeDRule};
use crate::endpoint::Endpoint;
use crate::reply::{success, Envelope, Failure, Outcome, Refusal, TokenRefusals};
use crate::state::{money, Gateway, PendingThreeD, Transaction};

/// [Finrota] A payment: amount, installments, the POS, the customer and the card.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({
    "amount": 1250.50, "installment": 1, "tenantPosId": "384badef-11ec-ee11-98f2-005056b0d2e5",
    "currencyCode": "TRY", "use3D": false, "clientOrderReferenceCode": "ORDER-1001",
    "contact": {"name": "Ayşe", "surname": "Yılmaz", "email": "ayse@example.com"},
    "card": {"cardNumber": "4155650100416111", "cardHolderName": "AYSE YILMAZ", "cvv": "123",
             "expMonth": 12, "expYear": 2030}
}))]
#[serde(rename_all = "camelCase")]
struct PaymentBody {
    /// [Finrota] The amount to charge, an exact decimal with at most two places.
    #[serde(default, with = "json_decimal::option")]
    #[schema(value_type = f64, required = true, exclusive_minimum = 0)]
    amount: Option<Decimal>,
    /// [Finrota] Installment count; 1 is a single payment.
    #[schema(value_type = i64, required = true, minimum = 1)]
    installment: Option<i64>,
    /// [Finrota] The POS from the payment options.
    #[schema(value_type = String, required = true)]
    tenant_pos_id: Option<String>,
    /// [Finrota] ISO 4217, e.g. `TRY`.
    #[schema(value_type = String, required = true, pattern = "^[A-Za-z]{3}$")]
    currency_code: Option<String>,
    /// [Finrota] With 3D Secure: the answer carries `redirectUrl` for the card holder.
    #[serde(rename = "use3D")]
    #[schema(value_type = bool, required = true)]
    use_3d: Option<bool>,
    /// [Finrota] Where the bank's page returns to; required with `use3D`.
    return_url: Option<String>,
    /// [Finrota] The dealer's own order reference. [Assumption] A second payment with the same
    /// one is refused (P005).
    client_order_reference_code: Option<String>,
    #[schema(value_type = ContactBody, required = true)]
    contact: Option<ContactBody>,
    #[schema(value_type = CardBody, required = true)]
    card: Option<CardBody>,
}

/// [Finrota] The customer.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ContactBody {
    #[schema(value_type = String, required = true)]
    name: Option<String>,
    #[schema(value_type = String, required = true)]
    surname: Option<String>,
    #[schema(value_type = String, required = true)]
    email: Option<String>,
}

/// [Finrota] The card. Never stored or echoed: answers carry the masked number only.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CardBody {
    /// [Finrota] 12 to 19 digits passing the Luhn check.
    #[schema(value_type = String, required = true, pattern = "^[0-9 -]{12,25}$")]
    card_number: Option<String>,
    #[schema(value_type = String, required = true)]
    card_holder_name: Option<String>,
    /// [Finrota] 3 or 4 digits.
    #[schema(value_type = String, required = true, pattern = "^[0-9]{3,4}$")]
    cvv: Option<String>,
    /// [Finrota] 1 to 12.
    #[schema(value_type = i64, required = true, minimum = 1, maximum = 12)]
    exp_month: Option<i64>,
    /// [Finrota] Four digits, e.g. 2028.
    #[schema(value_type = i64, required = true)]
    exp_year: Option<i64>,
}

/// `data` of the payment answer. [Assumption] The real shape is undocumented (the section is cut
/// in Finrota's pages); these fields are what cancel, refund and lookup need.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentData {
    pub is_success: bool,
    /// [Finrota] 1 approved, 2 failed, 3 waiting for 3D Secure, 6 partly refunded; others unknown.
    pub transaction_status_id: i32,
    /// [Finrota] The reference cancel, refund and lookup take (`referenceCode`).
    pub reference_number: String,
    pub transaction_id: String,
    pub client_reference_number: Option<String>,
    /// [Finrota] With `use3D`: the bank's page for the card holder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// An exact decimal.
    #[serde(with = "json_decimal::number")]
    #[schema(value_type = f64)]
    pub amount: Decimal,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

fn invalid(message: impl Into<String>) -> Failure {
    Failure::new("P006", message)
}

/// A payment that passed every check.
struct Checked {
    amount: Decimal,
    installment: u32,
    pos_id: String,
    currency: String,
    use_3d: bool,
    return_url: Option<String>,
    client_reference: Option<String>,
    card_digits: String,
    holder: String,
}

fn check(gw: &Gateway, dealer: usize, body: PaymentBody) -> Result<Checked, Failure> {
    let amount = body
        .amount
        .ok_or_else(|| Failure::new("P001", "`amount` is required"))?;
    let installment = body
        .installment
        .ok_or_else(|| Failure::new("P001", "`installment` is required"))?;
    let pos_id = required("tenantPosId", &body.tenant_pos_id)?.to_owned();
    let currency = required("currencyCode", &body.currency_code)?.to_owned();
    let use_3d = body
        .use_3d
        .ok_or_else(|| Failure::new("P001", "`use3D` is required"))?;
    let return_url = body.return_url.filter(|u| !u.trim().is_empty());
    if use_3d && return_url.is_none() {
        return Err(Failure::new(
            "P001",
            "`returnUrl` is required when use3D is true",
        ));
    }
    let contact = body
        .contact
        .ok_or_else(|| Failure::new("P001", "`contact` is required"))?;
    required("contact.name", &contact.name)?;
    required("contact.surname", &contact.surname)?;
    let email = required("contact.email", &contact.email)?;
    let card = body
        .card
        .ok_or_else(|| Failure::new("P001", "`card` is required"))?;
    let card_digits = required("card.cardNumber", &card.card_number)?.to_owned();
    let holder = required("card.cardHolderName", &card.card_holder_name)?.to_owned();
    let rules = gw
        .data
        .bin(card.card_number.as_deref().unwrap_or_default())
        .map(|b| b.rules.clone())
        .unwrap_or_default();
    let cvv = match card.cvv.as_deref().map(str::trim) {
        None | Some("") if !rules.cvv_used => None,
        _ => Some(required("card.cvv", &card.cvv)?),
    };
    let exp_month = card
        .exp_month
        .ok_or_else(|| Failure::new("P001", "`card.expMonth` is required"))?;
    let exp_year = card
        .exp_year
        .ok_or_else(|| Failure::new("P001", "`card.expYear` is required"))?;

    if amount <= Decimal::ZERO {
        return Err(invalid("amount must be greater than zero"));
    }
    if amount.normalize().scale() > 2 {
        return Err(invalid("amount may have at most two decimals"));
    }
    if !(1..=36).contains(&installment) {
        return Err(invalid("installment must be between 1 and 36"));
    }
    let installment = installment as u32;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid("currencyCode must be an ISO 4217 code"));
    }
    if uuid::Uuid::parse_str(&pos_id).is_err() {
        return Err(Failure::new("P001", "tenantPosId must be a GUID"));
    }
    if !email.contains('@') {
        return Err(invalid("contact.email is not an e-mail address"));
    }
    if let Some(url) = &return_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Failure::new("P001", "returnUrl must be an http(s) URL"));
        }
    }
    let digits_ok =
        (12..=19).contains(&card_digits.len()) && card_digits.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok || !luhn_ok(&card_digits) {
        return Err(invalid("card number is not valid"));
    }
    if let Some(cvv) = cvv {
        if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("cvv must be 3 or 4 digits"));
        }
    }
    match rules.three_d {
        ThreeDRule::Required if !use_3d => {
            return Err(invalid("this card is charged with 3D Secure only"))
        }
        ThreeDRule::NotAllowed if use_3d => {
            return Err(invalid("this card is charged without 3D Secure only"))
        }
        _ => {}
    }
    if let Some(limit) = rules.three_d_limit {
        if amount > limit && !use_3d {
            return Err(invalid(format!(
                "above {limit} this card is charged with 3D Secure only"
            )));
        }
    }
    if !(1..=12).contains(&exp_month) || !(1000..=9999).contains(&exp_year) {
        return Err(invalid("card expiry is not valid"));
    }
    let today = Gateway::istanbul_date(gw.now());
    if (exp_year, exp_month) < (i64::from(today.year()), i64::from(today.month())) {
        return Err(invalid("card has expired"));
    }

    let pos = find_pos(gw, dealer, &pos_id)?;
    if pos.currency != currency {
        return Err(gw.business_failure(
            "P020",
            format!("POS {} does not accept {currency}", pos.name),
        ));
    }
    if pos.rate_for(installment).is_none() {
        return Err(invalid(format!(
            "{installment} installments are not offered on {}",
            pos.name
        )));
    }
    if installment > 1 {
        if amount < gw.config().installment_lower_limit {
            return Err(invalid("amount is below the installment lower limit"));
        }
        let program = gw.data.bin(&card_digits).map(|b| b.program.as_str());
        if program != Some(pos.program.as_str()) {
            return Err(invalid(format!(
                "installments on {} need a {} card",
                pos.name, pos.program
            )));
        }
    }
    Ok(Checked {
        amount,
        installment,
        pos_id,
        currency,
        use_3d,
        return_url,
        client_reference: body
            .client_order_reference_code
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
        card_digits,
        holder,
    })
}

fn find_pos<'a>(gw: &'a Gateway, dealer: usize, pos_id: &str) -> Result<&'a Pos, Failure> {
    if let Some(pos) = gw.data.dealers[dealer]
        .pos
        .iter()
        .find(|p| p.tenant_pos_id.eq_ignore_ascii_case(pos_id) && p.active)
    {
        return Ok(pos);
    }
    let elsewhere = gw.data.dealers.iter().enumerate().any(|(i, d)| {
        i != dealer
            && d.pos
                .iter()
                .any(|p| p.tenant_pos_id.eq_ignore_ascii_case(pos_id))
    });
    if elsewhere {
        Err(Failure::new(
            "P003",
            "This POS is not assigned to the dealer",
        ))
    } else {
        Err(gw.business_failure("P019", "POS not found"))
    }
}

pub fn answer_for(tx: &Transaction, base_url: &str) -> PaymentData {
    PaymentData {
        is_success: tx.status != 2,
        transaction_status_id: tx.status,
        reference_number: tx.reference.clone(),
        transaction_id: tx.id.clone(),
        client_reference_number: tx.client_reference.clone(),
        redirect_url: tx
            .pending_3d
            .as_ref()
            .map(|_| format!("{base_url}/acs/{}", tx.id)),
        amount: tx.amount,
        error_code: tx.error.as_ref().map(|e| e.0.to_owned()),
        error_message: tx.error.as_ref().map(|e| e.1.clone()),
    }
}

fn reply(gw: &Gateway, tx: &Transaction) -> Outcome {
    let data = answer_for(tx, &gw.base_url);
    match &tx.error {
        None => Ok(success(data)),
        Some((code, message)) => Err(gw.business_failure(code, message.clone()).with_data(&data)),
    }
}

/// Charges a card, or starts a 3D Secure payment and answers with the bank's page.
#[utoipa::path(
    post,
    path = "/vpws/payment",
    tag = "payment",
    request_body(content = PaymentBody, content_type = "application/json"),
    security(("accessToken" = [])),
    responses(
        (status = 200, description = "[Finrota] The payment's result: approved, waiting for 3D Secure, or (P011, `isSuccess: false`) declined. [Assumption] A refusal of the POS (P019) or currency (P020) is an envelope with HTTP 200.", body = Envelope<PaymentData>),
        (status = 400, description = "[Assumption] P001: not JSON, or a field missing.", body = Refusal),
        (status = 403, description = "[Assumption] P003: the endpoint is switched off for the dealer.", body = Refusal),
        (status = 409, description = "[Assumption] P005: the order reference was already paid.", body = Refusal),
        (status = 422, description = "[Assumption] P006: an amount, installment, card number, expiry or CVV that cannot be right.", body = Refusal),
        TokenRefusals,
    )
)]
pub async fn pay(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> Outcome {
    let dealer = gw.authorize(bearer(&headers), Endpoint::Payment)?;
    let body: PaymentBody = json_body(&headers, &body)?;
    let checked = check(&gw, dealer, body)?;
    let pos = find_pos(&gw, dealer, &checked.pos_id)?;
    let (authorisation, three_d) = gw
        .data
        .card(&checked.card_digits)
        .map(|c| (c.authorisation, c.three_d))
        .unwrap_or_else(default_card_behaviour);
    let otp = gw
        .data
        .card(&checked.card_digits)
        .and_then(|c| c.otp.clone())
        .or_else(|| Some(gw.data.otp.clone()));
    let now = gw.now();
    let mut store = gw.store_at(now);
    if let Some(reference) = &checked.client_reference {
        let existing =
            store.find_by(|t| t.dealer == dealer && t.client_reference.as_ref() == Some(reference));
        if let Some(index) = existing {
            match store.config.duplicate_order_reference {
                DuplicatePolicy::Reject => {
                    return Err(Failure::new(
                        "P005",
                        format!("Order reference {reference} was already used"),
                    ))
                }
                DuplicatePolicy::ReturnOriginal => {
                    let tx = store.transactions[index].clone();
                    drop(store);
                    return reply(&gw, &tx);
                }
                DuplicatePolicy::Allow => {}
            }
        }
    }
    let mut tx = Transaction {
        id: uuid::Uuid::new_v4().to_string(),
        reference: store.next_reference(),
        client_reference: checked.client_reference,
        dealer,
        pos_id: pos.tenant_pos_id.clone(),
        pos_name: pos.name.clone(),
        comm_rate: pos.rate_for(checked.installment).unwrap_or_default(),
        currency: checked.currency,
        created: now,
        installment: checked.installment,
        amount: money(checked.amount),
        last_amount: money(checked.amount),
        status: 1,
        masked_card: mask(&checked.card_digits),
        holder: checked.holder,
        error: None,
        pending_3d: None,
        cancelled: false,
        reversals: Vec::new(),
        visible_from: now,
    };
    tx.committed(now, store.config.query_lag_ms);
    if checked.use_3d {
        tx.status = 3;
        tx.last_amount = money(Decimal::ZERO);
        tx.pending_3d = Some(PendingThreeD {
            three_d,
            authorisation,
            otp,
            return_url: checked.return_url.unwrap_or_default(),
        });
    } else if authorisation == Authorisation::Decline {
        tx.decline();
    }
    store.transactions.push(tx.clone());
    drop(store);
    reply(&gw, &tx)
}
