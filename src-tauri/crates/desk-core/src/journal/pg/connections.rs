//! How a desk reaches the team database on as few connections as it can: a default server
//! allows 100 for every desk of the dealer together. The desk keeps one connection of its own,
//! its *home*, which listens for every desk's writes (a trigger announces each new or changed
//! entry: `NOTIFY dd_journal`) and serves the desk's work whenever it is free. Work that comes
//! while home is busy (a list and its totals load side by side, the postman beside a payment)
//! takes a connection from a small pool, closed again after half a minute unused. A desk at
//! rest holds one connection. When the server has none to spare, work waits for home instead
//! of failing. Chosen over polling: lists refresh at once and the database is not asked every
//! few seconds. After an outage home connects again and says so, as what was written meanwhile
//! was not heard.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Weak};
use std::time::Duration;

use deadpool_postgres::Pool;
use futures_util::StreamExt;
use tokio::sync::{broadcast, Mutex, OwnedMutexGuard};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Client, Socket};

use super::connect::{tls_config, SeenCertificate, Tls};
use super::failure::PgFailure;

/// Connections beside home. Two: the lists and totals a window loads side by side, and the
/// postman or reconciler at the same time (BENCHMARKS.md, team mode at scale).
pub(super) const POOL_SIZE: usize = 2;
/// A pooled connection unused this long is closed.
const IDLE: Duration = Duration::from_secs(30);
/// How long work waits for home when the server refuses another connection.
const WAIT_FOR_HOME: Duration = Duration::from_secs(10);

type Home = Arc<Mutex<Option<Client>>>;

pub(super) struct Connections {
    pool: Pool,
    home: Home,
    reaper: std::sync::Once,
}

/// A connection lent for one piece of work: home, or one of the pool's.
pub(in crate::journal) enum Lease {
    Home(OwnedMutexGuard<Option<Client>>),
    Pooled(Box<deadpool_postgres::Object>),
}

impl Deref for Lease {
    type Target = Client;

    fn deref(&self) -> &Client {
        match self {
            Lease::Home(home) => home.as_ref().expect("lent only while connected"),
            Lease::Pooled(object) => object,
        }
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Client {
        match self {
            Lease::Home(home) => home.as_mut().expect("lent only while connected"),
            Lease::Pooled(object) => object,
        }
    }
}

fn connected(home: &OwnedMutexGuard<Option<Client>>) -> bool {
    home.as_ref().is_some_and(|client| !client.is_closed())
}

impl Connections {
    pub(super) fn new(pool: Pool) -> Self {
        Self {
            pool,
            home: Arc::default(),
            reaper: std::sync::Once::new(),
        }
    }

    /// A connection for one piece of work: home when it is free, else the pool's (waiting for
    /// whichever frees first when the pool is in use).
    pub(super) async fn get(&self) -> Result<Lease, PgFailure> {
        self.reaper.call_once(|| reap_idle(self.pool.weak()));
        if let Ok(home) = self.home.clone().try_lock_owned() {
            if connected(&home) {
                return Ok(Lease::Home(home));
            }
        }
        tokio::select! {
            biased;
            home = self.home_when_free() => Ok(Lease::Home(home)),
            pooled = self.pool.get() => match pooled {
                Ok(object) => Ok(Lease::Pooled(Box::new(object))),
                Err(e) => {
                    let failure = PgFailure::from(e);
                    if !failure.server_full() {
                        return Err(failure);
                    }
                    // Home is busy: this work waits its turn. Without home, nothing to wait for.
                    match self.home.clone().try_lock_owned() {
                        Ok(home) if connected(&home) => Ok(Lease::Home(home)),
                        Ok(_) => Err(failure),
                        Err(_) => tokio::time::timeout(WAIT_FOR_HOME, self.home_when_free())
                            .await
                            .map(Lease::Home)
                            .map_err(|_| failure),
                    }
                }
            },
        }
    }

    /// Home once it is free, if it is connected; never otherwise.
    async fn home_when_free(&self) -> OwnedMutexGuard<Option<Client>> {
        let home = self.home.clone().lock_owned().await;
        if connected(&home) {
            return home;
        }
        drop(home);
        std::future::pending().await
    }

    /// Keeps home connected and listening for as long as the journal lives, sending each
    /// announced entry id to `sender` (0: listening again, whatever was written meanwhile was
    /// not heard).
    pub(super) fn listen(
        &self,
        config: tokio_postgres::Config,
        tls: Tls,
        seen: SeenCertificate,
        sender: broadcast::Sender<i64>,
    ) {
        let home = Arc::downgrade(&self.home);
        tokio::spawn(async move {
            while home.strong_count() > 0 {
                let opened = match &tls {
                    Tls::Off => open_home(&config, tokio_postgres::NoTls, &sender).await,
                    _ => {
                        let connector =
                            tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(&tls, &seen));
                        open_home(&config, connector, &sender).await
                    }
                };
                match opened {
                    Ok((client, driver)) => {
                        if !keep(&home, client, &sender, driver).await {
                            return;
                        }
                    }
                    Err(e) => tracing::debug!("journal home connection: {e}; trying again soon"),
                }
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        });
    }
}

impl Drop for Connections {
    fn drop(&mut self) {
        self.pool.close();
    }
}

/// Lends `client` as home until its connection ends; false once the journal is gone.
async fn keep(
    home: &Weak<Mutex<Option<Client>>>,
    client: Client,
    sender: &broadcast::Sender<i64>,
    driver: tokio::task::JoinHandle<()>,
) -> bool {
    let Some(slot) = home.upgrade() else {
        return false;
    };
    *slot.lock().await = Some(client);
    // Not held while connected: a journal dropped drops home, which ends its connection.
    drop(slot);
    let _ = sender.send(0);
    let _ = driver.await;
    match home.upgrade() {
        Some(slot) => {
            *slot.lock().await = None;
            true
        }
        None => false,
    }
}

/// Connects, listens, and drives the connection in the background, forwarding every
/// announcement to `sender`; the task ends with the connection.
async fn open_home<T>(
    config: &tokio_postgres::Config,
    tls: T,
    sender: &broadcast::Sender<i64>,
) -> Result<(Client, tokio::task::JoinHandle<()>), tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = config.connect(tls).await?;
    let announced = sender.clone();
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if let Ok(id) = n.payload().parse::<i64>() {
                        let _ = announced.send(id);
                    }
                }
                Ok(_) => continue,
                Err(e) => {
                    tracing::debug!("journal home connection lost: {e}");
                    return;
                }
            }
        }
    });
    client.batch_execute("LISTEN dd_journal").await?;
    Ok((client, driver))
}

/// Closes pooled connections unused for [`IDLE`], for as long as the pool lives.
fn reap_idle(pool: deadpool_postgres::WeakPool) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(IDLE / 2).await;
            match pool.upgrade() {
                Some(pool) if !pool.is_closed() => {
                    pool.retain(|_, metrics| metrics.last_used() < IDLE);
                }
                _ => return,
            }
        }
    });
}
