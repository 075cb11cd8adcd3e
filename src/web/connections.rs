//! Accepting connections so that one stuck laptop cannot take the server down: a deadline for
//! every request head (which also closes idle keep-alive connections), a cap on open
//! connections overall and per client address beyond which new ones are refused at once, the
//! open-file limit raised at start, and accept errors (EMFILE) logged and backed off.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// How long a client may take to send a request head, and how long a kept-alive connection
/// may wait for the next one.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// A request head larger than this is answered 431.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Open files kept back from connections: the collection, the index, logs.
const RESERVED_FILES: u64 = 64;
/// Connections at most, whatever the open-file limit allows.
const MAX_CONNECTIONS: u64 = 4096;
/// The share of the connections one client address may hold, and its floor: far more than a
/// browser opens, and never the whole server.
const CLIENT_SHARE: usize = 4;
const MIN_PER_CLIENT: usize = 16;
/// How long accepting pauses after an error such as running out of file descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// How long a stop waits for open requests to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What a refused connection is told before it is closed.
const REFUSAL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n";

/// The caps on open connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    pub max_per_client: usize,
}

impl Limits {
    /// The caps that fit under an open-file limit of `open_files`.
    pub fn for_open_files(open_files: u64) -> Limits {
        let room = open_files.saturating_sub(RESERVED_FILES).max(1);
        let max_connections = usize::try_from(room.min(MAX_CONNECTIONS)).unwrap_or(usize::MAX);
        Limits {
            max_connections,
            max_per_client: (max_connections / CLIENT_SHARE).max(MIN_PER_CLIENT),
        }
    }
}

/// Raises the soft open-file limit to the hard one; the limit in effect.
pub fn raise_open_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!("cannot raise the open-file limit: {error}");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

/// Who holds how many connections.
struct Admission {
    open: Arc<Semaphore>,
    per_client: Mutex<HashMap<IpAddr, usize>>,
    limits: Limits,
}

/// A connection's place, given back when it closes.
struct Ticket {
    admission: Arc<Admission>,
    client: IpAddr,
    _open: OwnedSemaphorePermit,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut per_client) = self.admission.per_client.lock()
            && let Some(count) = per_client.get_mut(&self.client)
        {
            *count -= 1;
            if *count == 0 {
                per_client.remove(&self.client);
            }
        }
    }
}

impl Admission {
    /// A place for a connection from `client`, or none when the server or that client is full.
    fn admit(self: &Arc<Self>, client: IpAddr) -> Option<Ticket> {
        let mut per_client = self.per_client.lock().ok()?;
        let count = per_client.entry(client).or_default();
        if *count >= self.limits.max_per_client {
            return None;
        }
        let open = Arc::clone(&self.open).try_acquire_owned().ok()?;
        *count += 1;
        Some(Ticket {
            admission: Arc::clone(self),
            client,
            _open: open,
        })
    }
}

/// Tells a connection there is no room and closes it, without waiting on it.
fn refuse(stream: TcpStream) {
    let _ = stream.try_write(REFUSAL);
}

/// Serves on `listener`, each request with the router `app` gives at that moment, until
/// `shutdown` completes; then lets open requests finish for a few seconds.
pub async fn serve(
    listener: TcpListener,
    app: Arc<dyn Fn() -> Router + Send + Sync>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let admission = Arc::new(Admission {
        open: Arc::new(Semaphore::new(limits.max_connections)),
        per_client: Mutex::new(HashMap::new()),
        limits,
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_DEADLINE)
        .max_header_size(MAX_HEAD_BYTES);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!("accepting a connection failed: {error}; pausing {} ms", ACCEPT_BACKOFF.as_millis());
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(ticket) = admission.admit(peer.ip()) else {
            tracing::warn!("refused a connection from {peer}: too many open");
            refuse(stream);
            continue;
        };
        let app = Arc::clone(&app);
        // Each request is answered by the router of the moment, so that a connection kept
        // alive sees the collection change too.
        let service = TowerToHyperService::new(tower::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                app().oneshot(request)
            },
        ));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(ticket);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::info!("stopped with requests still open");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_fit_under_the_open_file_limit() {
        assert_eq!(Limits::for_open_files(1024).max_connections, 960);
        assert_eq!(Limits::for_open_files(1024).max_per_client, 240);
        assert_eq!(Limits::for_open_files(1_048_576).max_connections, 4096);
        assert_eq!(Limits::for_open_files(1_048_576).max_per_client, 1024);
        assert_eq!(Limits::for_open_files(10).max_connections, 1);
    }

    #[test]
    fn a_client_gets_its_share_and_no_more() {
        let admission = Arc::new(Admission {
            open: Arc::new(Semaphore::new(3)),
            per_client: Mutex::new(HashMap::new()),
            limits: Limits {
                max_connections: 3,
                max_per_client: 2,
            },
        });
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let two: IpAddr = "10.0.0.2".parse().unwrap();
        let first = admission.admit(one).expect("room");
        let _second = admission.admit(one).expect("room");
        assert!(admission.admit(one).is_none(), "a client's share is two");
        let _third = admission.admit(two).expect("another client still gets in");
        assert!(admission.admit(two).is_none(), "the server is full");
        drop(first);
        assert!(
            admission.admit(one).is_some(),
            "a closed connection frees its place"
        );
    }
}
