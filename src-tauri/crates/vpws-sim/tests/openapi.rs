//! The API contract: the OpenAPI document is generated from the handlers, checked in, served at
//! `/openapi.json`, and names every endpoint. (`.ci/contract` then tests the gateway against it
//! from outside with schemathesis.)
mod common;

use std::collections::BTreeSet;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use vpws_sim::{generated_openapi, Endpoint, OPENAPI_DOCUMENT};

#[test]
fn the_checked_in_document_is_the_one_the_code_generates() {
    assert!(
        OPENAPI_DOCUMENT == generated_openapi(),
        "src-tauri/crates/vpws-sim/openapi.json is out of date: write it anew with \
         `cargo run -p vpws-sim -- --openapi > src-tauri/crates/vpws-sim/openapi.json` and commit it"
    );
}

#[test]
fn the_document_is_openapi_3_1_with_a_bearer_token() {
    let doc: Value = serde_json::from_str(&generated_openapi()).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let scheme = &doc["components"]["securitySchemes"]["accessToken"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
}

#[test]
fn every_vpws_endpoint_is_described_and_nothing_else() {
    let doc: Value = serde_json::from_str(&generated_openapi()).unwrap();
    let described: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    // The 3D Secure page is the bank's, not part of VPWS.
    let served: BTreeSet<(String, String)> = Endpoint::ALL
        .iter()
        .filter(|e| **e != Endpoint::Acs)
        .map(|e| {
            let method = match e {
                Endpoint::Token | Endpoint::Payment | Endpoint::Cancel | Endpoint::Refund => "POST",
                _ => "GET",
            };
            (method.to_owned(), e.path().to_owned())
        })
        .collect();
    assert_eq!(described, served);
}

#[test]
fn every_operation_and_answer_says_where_its_shape_comes_from() {
    let doc: Value = serde_json::from_str(&generated_openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, answer) in operation["responses"].as_object().unwrap() {
                let text = answer["description"].as_str().unwrap_or_default();
                assert!(
                    text.contains("[Finrota]") || text.contains("[Assumption]"),
                    "{method} {path} {status}: {text:?} names no source"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_gateway_serves_the_checked_in_document() {
    let sim = Sim::start().await;
    let answer = sim.http.get(sim.url("/openapi.json")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["content-type"], "application/json");
    assert_eq!(answer.text().await.unwrap(), OPENAPI_DOCUMENT);
}
