//! Running the server: bind, print every address it can be reached at, serve until Ctrl-C or SIGTERM.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;

use super::AppState;
use super::connections::{self, Limits};
use super::guard::{Access, AllowedHosts, Token};
use super::live::{Changes, LiveApp, maintain};
use super::share::{self, Share};
use crate::cache::CollectionCache;
use crate::cli::ServeArgs;
use crate::corpus::Corpus;
use crate::watch::FolderWatch;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} is already in use; choose another with --port (e.g. --port {next})", next = port.wrapping_add(1))]
    PortInUse { port: u16 },
    #[error("--host {0} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)")]
    Host(String),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot make up an access key: {0}")]
    Key(#[from] getrandom::Error),
}

/// Binds the address `args` ask for; done first, so that a busy port fails before any parsing.
pub async fn bind(args: &ServeArgs) -> Result<TcpListener, ServeError> {
    let host = if args.lan {
        "0.0.0.0"
    } else {
        args.host.as_str()
    };
    let ip: IpAddr = host
        .parse()
        .map_err(|_| ServeError::Host(host.to_owned()))?;
    TcpListener::bind((ip, args.port))
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => ServeError::PortInUse { port: args.port },
            _ => ServeError::Bind {
                address: format!("{host}:{}", args.port),
                source,
            },
        })
}

/// Serves `corpus`, read from `folder`, on `listener` until the process is asked to stop;
/// kept current with the folder's changes if it is watched, and its work kept in `cache`.
pub async fn run(
    listener: TcpListener,
    args: &ServeArgs,
    corpus: Corpus,
    folder: &Path,
    watch: Option<FolderWatch>,
    cache: Option<CollectionCache>,
) -> Result<(), ServeError> {
    let bound = listener.local_addr().map_err(ServeError::Serve)?;
    let ip = bound.ip();
    let lan = if ip.is_unspecified() {
        share::lan_addresses(&share::system_interfaces())
    } else {
        Vec::new()
    };
    let token = match args.token.as_deref() {
        None => None,
        Some("") => Some(Token::random()?),
        Some(key) => Some(Token::given(key)),
    };
    let share = Share {
        lan_base: lan_base(bound, &lan),
        key: token.as_ref().map(|token| token.key().to_owned()),
    };
    let machine = share::system_interfaces().into_iter().map(|i| i.ip);
    let hosts = AllowedHosts::new(
        machine.chain([ip]),
        args.allow_host.iter().map(String::as_str),
    );
    // Opening a stored index, and bringing it up to date, take a while on a large collection:
    // off the async threads.
    let mut state =
        tokio::task::spawn_blocking(move || AppState::ready_to_serve(corpus, share, cache))
            .await
            .map_err(|error| ServeError::Serve(std::io::Error::other(error)))?;
    state.access = Arc::new(Access::new(hosts, token));
    let (changes, stop_events) = Changes::new();
    if watch.is_some() {
        state.changes = Some(changes);
    }
    let signal = shutdown_signal();
    let shutdown = async move {
        signal.await;
        let _ = stop_events.send(true);
    };
    let open_files = connections::raise_open_file_limit();
    let limits = Limits::for_open_files(open_files);
    tracing::info!(
        "open-file limit {open_files}: at most {} connections, {} from one address",
        limits.max_connections,
        limits.max_per_client
    );
    let shown_folder = folder.display().to_string();
    print_banner(
        &state.corpus,
        &shown_folder,
        bound,
        &lan,
        &state.share,
        args.lan,
    );
    for warning in &state.analysis.warnings {
        tracing::warn!("{warning}");
    }
    let state = Arc::new(state);
    let live = Arc::new(LiveApp::new(Arc::clone(&state)));
    // While the collection is already served: the search index, if the cache did not keep it,
    // is built (searches read the collection meanwhile) and stored for the next start, then
    // the statistics are counted (their pages show the progress); then, if the folder is
    // watched, its changes are taken in as they come. A detached thread, so that stopping
    // never waits for it.
    let maintaining = Arc::clone(&live);
    let folder = folder.to_owned();
    std::thread::Builder::new()
        .name("analysis".into())
        .spawn(move || {
            if let Err(error) = state.build_index() {
                tracing::error!("{error}; searches go on reading the collection");
            }
            state.store_index();
            state.count_statistics();
            if let Some(watch) = watch {
                maintain(&maintaining, state, &folder, &watch.batches);
            }
        })
        .map_err(ServeError::Serve)?;
    connections::serve(listener, Arc::new(move || live.current()), limits, shutdown).await;
    Ok(())
}

/// The base of URLs colleagues can open: the first LAN address, or the address bound if it is one.
fn lan_base(bound: SocketAddr, lan: &[Ipv4Addr]) -> Option<String> {
    let port = bound.port();
    if bound.ip().is_unspecified() {
        lan.first().map(|ip| format!("http://{ip}:{port}"))
    } else if share::listens_beyond_loopback(bound.ip()) {
        Some(format!("http://{bound}"))
    } else {
        None
    }
}

fn print_banner(
    corpus: &Corpus,
    folder: &str,
    bound: SocketAddr,
    lan: &[Ipv4Addr],
    share: &Share,
    lan_flag: bool,
) {
    let failed = corpus.skipped.iter().filter(|s| s.failed).count();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "讲坛 Rostrum: {} 篇讲话 speeches from {folder}",
        corpus.speeches.len()
    );
    if failed > 0 {
        let _ = writeln!(
            out,
            "  {failed} 个文件未能载入 files failed to load (see `rostrum check {folder}`)"
        );
    }
    for url in share::reachable_urls(bound, lan) {
        let label = if bound.ip().is_loopback() || url.starts_with("http://127.0.0.1:") {
            "本机 local"
        } else {
            "局域网 LAN"
        };
        let url = match &share.key {
            Some(key) => format!("{url}?{}={key}", super::guard::KEY_PARAMETER),
            None => url,
        };
        let _ = writeln!(out, "  {label}: {url}");
    }
    let mode = if share.key.is_some() {
        "访问控制 access: 需要链接中的密钥 key required (the links above carry it)"
    } else {
        "访问控制 access: 任何能访问此地址的人 anyone who can reach the address (--token to ask for a key)"
    };
    let _ = writeln!(out, "  {mode}");
    if bound.ip().is_unspecified() && lan.is_empty() {
        let _ = writeln!(
            out,
            "  局域网 LAN: no network address found on this machine"
        );
    }
    if lan_flag
        && std::io::stdout().is_terminal()
        && let Some(qr) = share.url("/").and_then(|url| share::qr_text(&url))
    {
        let _ = writeln!(out, "{qr}");
    }
    let _ = writeln!(out, "按 Ctrl-C 停止 · press Ctrl-C to stop");
    let _ = out.flush();
}

/// Listens for Ctrl-C and SIGTERM from the moment it is called, so that a signal sent as soon as
/// the banner is out still stops the server gracefully; the future ends at the first signal.
#[cfg(unix)]
fn shutdown_signal() -> impl Future<Output = ()> + Send {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let [interrupt, terminate] = [SignalKind::interrupt(), SignalKind::terminate()].map(|kind| {
        signal(kind)
            .map_err(|error| tracing::error!("cannot listen for signal {kind:?}: {error}"))
            .ok()
    });
    let received = |listening: Option<Signal>| async move {
        match listening {
            Some(mut signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    async move {
        tokio::select! {
            () = received(interrupt) => {},
            () = received(terminate) => {},
        }
        tracing::info!("shutting down");
    }
}

/// Listens for Ctrl-C; the future ends when it comes.
#[cfg(not(unix))]
fn shutdown_signal() -> impl Future<Output = ()> + Send {
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    }
}
