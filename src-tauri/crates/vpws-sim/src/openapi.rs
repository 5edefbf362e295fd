//! The demo gateway's API as an OpenAPI 3.1 document, generated from its handlers and the types
//! they read and write (utoipa). `openapi.json` beside this crate's `Cargo.toml` is the checked-in
//! copy: the gateway serves it at `/openapi.json`, and a test fails when it differs from what this
//! module generates (`cargo run -p vpws-sim -- --openapi > src-tauri/crates/vpws-sim/openapi.json`
//! writes it anew).
//!
//! Every operation and field says where its shape comes from: **[Finrota]** is Finrota's VPWS
//! documentation; **[Assumption]** is the demo gateway's choice where
//! the documents are silent or unknown (the switches in `RULES.md`).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::reply::ErrorItem;
use crate::routes::{auth, options, payment, reversal, transaction};

/// What the gateway serves at `/openapi.json`: the checked-in document.
pub const CHECKED_IN: &str = include_str!("../openapi.json");

/// The document generated from the code, as pretty JSON with a final newline.
pub fn generated() -> String {
    let mut text = VpwsApi::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    text.push('\n');
    text
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Finrota VPWS (Dealer Payment Web Service), as the Dealer Desk demo gateway implements it",
        version = "1",
        license(name = "Proprietary: Finrota's API, described by the Dealer Desk project"),
        description = "The dealer-facing payment API: an access token, POS lists and installment \
            rates, payments (with or without 3D Secure), transaction lookup, cancellation and \
            refund. Each operation and field is tagged **[Finrota]** where Finrota's VPWS \
            documentation shows it, **[Assumption]** where the documents are silent or cut and \
            the demo gateway had to choose. Business failures (a declined card, a refused \
            refund) come with HTTP 200 and `errors[]` in the envelope [Assumption: whether VPWS \
            sends them as 200 or as its 6xx status table is unknown; the demo gateway can do \
            either]. Amounts are JSON numbers with at most two decimals; clients must read them \
            exactly (never as binary floating point)."
    ),
    paths(
        auth::connect,
        options::list,
        options::by_bin,
        payment::pay,
        transaction::query,
        reversal::cancel,
        reversal::refund,
    ),
    components(schemas(ErrorItem)),
    modifiers(&BearerToken),
    tags(
        (name = "auth", description = "[Finrota] The dealer's API key and secret for an access token."),
        (name = "options", description = "[Finrota] The dealer's POS terminals with their installment rates."),
        (name = "payment", description = "[Finrota] Taking a card payment."),
        (name = "transaction", description = "[Finrota] Finding a transaction, cancelling or refunding it."),
    )
)]
struct VpwsApi;

/// The access token from `POST /auth/api/token/connect`, sent as `Authorization: Bearer`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "accessToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "[Finrota] The `token` of POST /auth/api/token/connect. \
                         [Assumption] it lives 24 hours (the answer's `expiry` says when).",
                    ))
                    .build(),
            ),
        );
    }
}
