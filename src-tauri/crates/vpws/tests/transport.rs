//! Transport hardening of the VPWS client: TLS except on loopback, no redirect followed (a
//! payment's card data or the secret key must never be re-sent elsewhere), capped answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vpws::{Client, ClientConfig, Credentials, Error};

/// A loopback server that answers every request with `answer` and counts requests.
async fn serve(answer: Vec<u8>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, hits)
}

fn client(url: &str) -> Client {
    Client::new(
        ClientConfig::new(url).unwrap(),
        Credentials::new("key", "secret"),
    )
    .unwrap()
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    for url in ["http://pgw.example.com", "http://10.0.0.5:8080"] {
        match ClientConfig::new(url) {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(
                    (field.as_str(), reason.as_str()),
                    ("baseUrl", "https_required")
                )
            }
            other => panic!("{url}: {other:?}"),
        }
    }
    for url in [
        "https://pgw.netahsilatdemo.com",
        "http://127.0.0.1:18080",
        "http://localhost:5000",
        "http://[::1]:9000",
    ] {
        assert!(ClientConfig::new(url).is_ok(), "{url}");
    }
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_secret_goes_nowhere_else() {
    let (elsewhere, elsewhere_hits) =
        serve(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()).await;
    let redirect = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}/auth/api/token/connect\r\ncontent-length: 0\r\n\r\n"
    );
    let (url, hits) = serve(redirect.into_bytes()).await;
    let result = client(&url).authenticate().await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(
        elsewhere_hits.load(Ordering::SeqCst),
        0,
        "the token request (with the secret key) was not re-sent to the redirect target"
    );
}

#[tokio::test]
async fn an_oversized_answer_is_not_read_into_memory() {
    let size = vpws::MAX_BODY_BYTES + 10;
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
    )
    .into_bytes();
    answer.extend(std::iter::repeat_n(b' ', size));
    let (url, _) = serve(answer).await;
    match client(&url).authenticate().await {
        Err(Error::UnexpectedResponse { detail, .. }) => {
            assert!(detail.contains("larger than"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}
