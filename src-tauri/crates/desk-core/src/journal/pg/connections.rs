//! How a desk reaches the team database on as few connections as it can: a default server
//! allows 100 for every desk of the dealer together. The desk's first connection is its *home*:
//! it listens for every desk's writes (a trigger announces each new or changed entry: `NOTIFY
//! dd_journal`) and serves the desk's work whenever it is free. Work that comes while home is
//! busy waits a moment for it, then takes a connection from a small pool, closed again after
//! ten seconds unused. A desk at rest holds one connection. When the server has none to spare,
//! work waits for home instead of failing. Chosen over polling: lists refresh at once and the
//! database is not asked every few seconds. After an outage home connects again and says so,
//! as what was written meanwhile was not heard.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Weak};
use std::time::Duration;

use deadpool_postgres::Pool;
use futures_util::StreamExt;
use tokio::sync::{broadcast, Mutex, Notify, OwnedMutexGuard};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Client, Socket};

use super::connect::{tls_config, SeenCertificate, Tls};
use super::failure::PgFailure;

/// Connections beside home: a window's list and its totals, or a report, while the postman or
/// the reconciler works (BENCHMARKS.md, team mode at scale).
pub(super) const POOL_SIZE: usize = 2;
/// A pooled connection unused this long is closed.
const IDLE: Duration = Duration::from_secs(10);
/// How long work waits for home, busy with other work, before it takes a pooled connection:
/// most work takes a few milliseconds, and waiting is cheaper than holding a second connection.
const PATIENCE: Duration = Duration::from_millis(20);
/// How long work waits for home when the server refuses another connection.
const WAIT_FOR_HOME: Duration = Duration::from_secs(10);
/// How long home, lost, waits before connecting again on its own.
const RECONNECT: Duration = Duration::from_secs(5);

/// Where and how the desk connects.
#[derive(Clone)]
pub(super) struct Reach {
    pub config: tokio_postgres::Config,
    pub tls: Tls,
    pub seen: SeenCertificate,
}

pub(super) struct Connections {
    pool: Pool,
    home: Arc<Home>,
    reaper: std::sync::Once,
    keeper: std::sync::Once,
}

struct Home {
    slot: Arc<Mutex<Option<Client>>>,
    reach: Reach,
    /// Every desk's announced writes (0: home connected again, what came meanwhile unheard).
    announce: broadcast::Sender<i64>,
    /// Told when home's connection ends.
    ended: Arc<Notify>,
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
    pub(super) fn new(pool: Pool, reach: Reach) -> Self {
        Self {
            pool,
            home: Arc::new(Home {
                slot: Arc::default(),
                reach,
                announce: broadcast::channel(256).0,
                ended: Arc::default(),
            }),
            reaper: std::sync::Once::new(),
            keeper: std::sync::Once::new(),
        }
    }

    /// A connection for one piece of work: home when it is free or frees soon (connected
    /// first if it is not), else the pool's, whichever frees first when the pool is in use.
    pub(super) async fn get(&self) -> Result<Lease, PgFailure> {
        self.get_within(PATIENCE).await
    }

    /// [`Connections::get`] for the money path: a payment or reversal being reserved or settled
    /// does not wait behind a list or a report on home, it takes a pooled connection at once.
    pub(super) async fn get_at_once(&self) -> Result<Lease, PgFailure> {
        self.get_within(Duration::ZERO).await
    }

    async fn get_within(&self, patience: Duration) -> Result<Lease, PgFailure> {
        self.reaper.call_once(|| reap_idle(self.pool.weak()));
        match self.home.slot.clone().try_lock_owned() {
            Ok(home) if connected(&home) => return Ok(Lease::Home(home)),
            Ok(mut home) => {
                self.home.connect(&mut home).await?;
                return Ok(Lease::Home(home));
            }
            Err(_) => {
                if let Ok(home) = tokio::time::timeout(patience, self.home_when_free()).await {
                    return Ok(Lease::Home(home));
                }
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
                    // The server is full: this work waits its turn on home.
                    tokio::time::timeout(WAIT_FOR_HOME, self.home_when_free())
                        .await
                        .map(Lease::Home)
                        .map_err(|_| failure)
                }
            },
        }
    }

    /// Home once it is free, if it is connected; never otherwise.
    async fn home_when_free(&self) -> OwnedMutexGuard<Option<Client>> {
        let home = self.home.slot.clone().lock_owned().await;
        if connected(&home) {
            return home;
        }
        drop(home);
        std::future::pending().await
    }

    /// Every desk's writes as announced, from now on; home is kept connected from now on, so
    /// a desk at rest still hears them.
    pub(super) fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.keeper.call_once(|| {
            keep_connected(
                Arc::downgrade(&self.home),
                self.home.ended.clone(),
                self.pool.weak(),
            )
        });
        self.home.announce.subscribe()
    }
}

impl Drop for Connections {
    fn drop(&mut self) {
        self.pool.close();
    }
}

impl Home {
    /// Connects home into `slot`, listening, and says so (whatever other desks wrote while
    /// it was away was not heard).
    async fn connect(&self, slot: &mut Option<Client>) -> Result<(), PgFailure> {
        let Reach { config, tls, seen } = &self.reach;
        let client = match tls {
            Tls::Off => open(config, tokio_postgres::NoTls, self).await,
            _ => {
                let connector =
                    tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(tls, seen));
                open(config, connector, self).await
            }
        }?;
        *slot = Some(client);
        let _ = self.announce.send(0);
        Ok(())
    }
}

/// Connects, listens, and drives the connection in the background, forwarding every
/// announcement; `home.ended` is told when the connection ends.
async fn open<T>(
    config: &tokio_postgres::Config,
    tls: T,
    home: &Home,
) -> Result<Client, tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = config.connect(tls).await?;
    let (announce, ended) = (home.announce.clone(), home.ended.clone());
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if let Ok(id) = n.payload().parse::<i64>() {
                        let _ = announce.send(id);
                    }
                }
                Ok(_) => continue,
                Err(e) => {
                    tracing::debug!("journal home connection lost: {e}");
                    break;
                }
            }
        }
        ended.notify_one();
    });
    client.batch_execute("LISTEN dd_journal").await?;
    Ok(client)
}

/// Connects home whenever it is not, for as long as the journal lives: a desk at rest hears
/// other desks' writes too. When the server is full, home comes first: the desk's idle pooled
/// connections make room for it.
fn keep_connected(home: Weak<Home>, ended: Arc<Notify>, pool: deadpool_postgres::WeakPool) {
    tokio::spawn(async move {
        loop {
            let Some(strong) = home.upgrade() else { return };
            let mut slot = strong.slot.clone().lock_owned().await;
            let result = match connected(&slot) {
                true => Ok(()),
                false => strong.connect(&mut slot).await,
            };
            drop((slot, strong));
            match result {
                Ok(()) => ended.notified().await,
                Err(failure) => {
                    tracing::debug!(
                        "journal home connection: {}; trying again soon",
                        failure.message()
                    );
                    if failure.server_full() {
                        if let Some(pool) = pool.upgrade() {
                            pool.retain(|_, _| false);
                        }
                    }
                }
            }
            tokio::time::sleep(RECONNECT).await;
        }
    });
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
