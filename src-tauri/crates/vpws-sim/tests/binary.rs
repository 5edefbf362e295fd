//! The `vpws-sim` binary: `--demo-data` prints the demo data; `--port` serves the API.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_vpws-sim");

#[test]
fn demo_data_prints_dealers_pos_bins_and_cards_as_json() {
    let output = Command::new(BIN).arg("--demo-data").output().unwrap();
    assert!(output.status.success());
    let data: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let dealers = data["dealers"].as_array().unwrap();
    assert!(dealers.len() >= 2);
    for dealer in dealers {
        assert!(dealer["apiKey"].is_string() && dealer["secretKey"].is_string());
        assert!(dealer["pos"].as_array().unwrap().len() >= 4);
    }
    assert!(data["bins"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["bin"] == "415565"));
    let cards = data["testCards"].as_array().unwrap();
    let behaviours: Vec<(&str, &str)> = cards
        .iter()
        .map(|c| {
            (
                c["authorisation"].as_str().unwrap(),
                c["threeD"].as_str().unwrap(),
            )
        })
        .collect();
    for wanted in [
        ("approve", "challenge"),
        ("decline", "challenge"),
        ("approve", "frictionless"),
        ("approve", "alwaysFails"),
    ] {
        assert!(behaviours.contains(&wanted), "{wanted:?}");
    }
    assert_eq!(data["otp"], "123456");
    assert!(cards
        .iter()
        .all(|c| c["otp"].is_null() || c["otp"] == "123456"));
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn port_and_token_ttl_flags_serve_the_documented_refund_example() {
    let port = free_port();
    let _server = Server(
        Command::new(BIN)
            .args(["--port", &port.to_string(), "--token-ttl", "120"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    let token: serde_json::Value = loop {
        let attempt = http
            .post(format!("{base}/auth/api/token/connect"))
            .json(&serde_json::json!({"apiKey": "demo-anadolu-4c1f9a", "secretKey": "demo-secret-anadolu-7Hq2"}))
            .send()
            .await;
        if let Ok(response) = attempt {
            break response.json().await.unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let expiry = chrono::DateTime::parse_from_rfc3339(token["expiry"].as_str().unwrap()).unwrap();
    let left = expiry.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(
        (100..=120).contains(&left.num_seconds()),
        "--token-ttl 120 gave {left}"
    );
    // The seed's curl example, byte for byte apart from host and token.
    let body = "{\n\"referenceCode\": \"NTH2P00000002974\",\n\"amount\": 15,\n\"reason\": \"test refund\"\n}";
    let text = http
        .post(format!("{base}/vpws/payment/refund"))
        .header("Content-Type", "application/json")
        .header(
            "Authorization",
            format!("Bearer {}", token["token"].as_str().unwrap()),
        )
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains(r#""lastAmount":235.00"#), "{text}");
    assert!(text.contains(r#""transactionStatusId":6"#));
}
