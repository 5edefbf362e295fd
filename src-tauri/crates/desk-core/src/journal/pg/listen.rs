//! Other desks' writes as they happen: a trigger announces every new or changed entry
//! (`NOTIFY dd_journal`) and one connection per desk listens. Chosen over polling: lists
//! refresh at once and the database is not asked every few seconds. After an outage the
//! listener connects again and says so, as what was written meanwhile was not heard.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{broadcast, mpsc};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Socket};

use super::connect::{tls_config, SeenCertificate, Tls};

/// Listens for the rest of the process, sending each announced entry id to `sender`.
pub(super) fn spawn(
    config: tokio_postgres::Config,
    tls: Tls,
    seen: SeenCertificate,
    sender: broadcast::Sender<i64>,
) {
    tokio::spawn(async move {
        loop {
            let ended = match &tls {
                Tls::Off => listen(&config, tokio_postgres::NoTls, &sender).await,
                _ => {
                    let connector =
                        tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(&tls, &seen));
                    listen(&config, connector, &sender).await
                }
            };
            if let Err(e) = ended {
                tracing::debug!("journal listener: {e}; connecting again soon");
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
}

async fn listen<T>(
    config: &tokio_postgres::Config,
    tls: T,
    sender: &broadcast::Sender<i64>,
) -> Result<(), tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = config.connect(tls).await?;
    let (announced, mut ids) = mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message? {
                AsyncMessage::Notification(n) => {
                    if let Ok(id) = n.payload().parse::<i64>() {
                        let _ = announced.send(id);
                    }
                }
                _ => continue,
            }
        }
        Ok::<(), tokio_postgres::Error>(())
    });
    client.batch_execute("LISTEN dd_journal").await?;
    // Listening (again): whatever other desks wrote while this connection was away was not
    // heard, so whoever follows the journal reloads now (0: not one entry).
    let _ = sender.send(0);
    while let Some(id) = ids.recv().await {
        let _ = sender.send(id);
    }
    drop(client);
    driver.await.unwrap_or(Ok(()))
}
