//! The 3D Secure (ACS) page: an OTP form (or a self-submitting page for frictionless cards)
//! that settles the pending transaction and sends the browser to the payment's `returnUrl`
//! with an auto-submitting POST form.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use crate::data::{Authorisation, ThreeD};
use crate::state::{money, Gateway};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;background:#eef1f5;margin:0;display:flex;justify-content:center}}
main{{background:#fff;margin:40px 16px;padding:24px 28px;border-radius:10px;box-shadow:0 2px 10px #0002;max-width:380px;width:100%}}
h1{{font-size:18px;margin:0 0 4px}}p{{color:#444;font-size:14px}}dl{{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:14px}}
dt{{color:#777}}input{{font-size:20px;letter-spacing:4px;padding:8px;width:100%;box-sizing:border-box}}
.row{{display:flex;gap:8px;margin-top:14px}}button{{flex:1;padding:10px;font-size:15px;border-radius:6px;border:1px solid #999;background:#f6f6f6}}
button.primary{{background:#1d4f91;color:#fff;border-color:#1d4f91}}.demo{{font-size:12px;color:#888;margin-top:16px}}</style></head>
<body><main>{body}</main></body></html>"#
    )
}

fn unknown_transaction() -> Response {
    let body = page("3D Secure", "<h1>Unknown transaction</h1>");
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

fn already_complete() -> Response {
    let body = page(
        "3D Secure",
        "<h1>This authentication is already complete.</h1>",
    );
    (StatusCode::CONFLICT, Html(body)).into_response()
}

pub async fn show(State(gw): State<Arc<Gateway>>, Path(id): Path<String>) -> Response {
    let now = gw.now();
    let store = gw.store_at(now);
    let Some(tx) = store
        .find_by(|t| t.id == id)
        .map(|i| &store.transactions[i])
    else {
        return unknown_transaction();
    };
    let Some(pending) = &tx.pending_3d else {
        return already_complete();
    };
    let action = format!("/acs/{}", escape(&tx.id));
    let summary = format!(
        "<dl><dt>Merchant</dt><dd>{}</dd><dt>Amount</dt><dd>{} {}</dd><dt>Card</dt><dd>{}</dd></dl>",
        escape(&gw.data.dealers[tx.dealer].name),
        tx.amount,
        escape(&tx.currency),
        escape(&tx.masked_card)
    );
    let body = if pending.three_d == ThreeD::Frictionless {
        format!(
            r#"<h1>3D Secure</h1><p>Verifying your card…</p>{summary}
<form id="acs" method="post" action="{action}"><input type="hidden" name="frictionless" value="1">
<noscript><button class="primary" type="submit">Continue</button></noscript></form>
<script>document.getElementById('acs').submit()</script>"#
        )
    } else {
        format!(
            r#"<h1>3D Secure doğrulama / verification</h1>
<p>Enter the one-time password sent to the cardholder's phone.</p>{summary}
<form id="acs" method="post" action="{action}">
<label for="otp">SMS şifresi / OTP</label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="8" autofocus>
<div class="row"><button type="submit" name="action" value="cancel">İptal / Cancel</button>
<button class="primary" type="submit" name="action" value="submit">Onayla / Submit</button></div></form>
<p class="demo">Demo gateway: the OTP is {}.</p>"#,
            escape(&gw.data.otp)
        )
    };
    Html(page("3D Secure", &body)).into_response()
}

#[derive(Deserialize)]
pub struct AcsForm {
    otp: Option<String>,
    action: Option<String>,
    frictionless: Option<String>,
}

pub async fn submit(
    State(gw): State<Arc<Gateway>>,
    Path(id): Path<String>,
    Form(form): Form<AcsForm>,
) -> Response {
    let now = gw.now();
    let mut store = gw.store_at(now);
    let lag = store.config.query_lag_ms;
    let Some(index) = store.find_by(|t| t.id == id) else {
        return unknown_transaction();
    };
    let tx = &mut store.transactions[index];
    tx.committed(now, lag);
    let Some(pending) = tx.pending_3d.take() else {
        return already_complete();
    };
    let cancelled = form.action.as_deref() == Some("cancel");
    let authenticated = !cancelled
        && match pending.three_d {
            ThreeD::Frictionless => form.frictionless.is_some(),
            ThreeD::Challenge => form.otp.as_deref().map(str::trim) == pending.otp.as_deref(),
            ThreeD::AlwaysFails => false,
        };
    if !authenticated {
        tx.status = 2;
        tx.last_amount = money(rust_decimal::Decimal::ZERO);
        let why = if cancelled {
            "3D Secure cancelled by the cardholder"
        } else {
            "OTP verification failed"
        };
        tx.error = Some(("P012", why.into()));
    } else if pending.authorisation == Authorisation::Decline {
        tx.decline();
    } else {
        tx.status = 1;
        tx.last_amount = tx.amount;
    }
    let fields = [
        ("referenceCode", tx.reference.clone()),
        ("transactionId", tx.id.clone()),
        (
            "clientReferenceNumber",
            tx.client_reference.clone().unwrap_or_default(),
        ),
        ("transactionStatusId", tx.status.to_string()),
        (
            "errorCode",
            tx.error
                .as_ref()
                .map(|e| e.0.to_owned())
                .unwrap_or_default(),
        ),
    ];
    let inputs: String = fields
        .iter()
        .map(|(name, value)| {
            format!(
                r#"<input type="hidden" name="{name}" value="{}">"#,
                escape(value)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>3D Secure</h1><p>Returning to the merchant…</p>
<form id="back" method="post" action="{}">{inputs}<noscript><button class="primary" type="submit">Continue</button></noscript></form>
<script>document.getElementById('back').submit()</script>"#,
        escape(&pending.return_url)
    );
    Html(page("3D Secure", &body)).into_response()
}
