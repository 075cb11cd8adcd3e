//! The collection kept current while serving: each batch of changed files becomes a new
//! `AppState`, swapped in whole (a request sees the collection before or after a change, never
//! a mix); open pages hear of it through Server-Sent Events (`/events`); the old URL of a
//! renamed speech redirects to its new one.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde::Serialize;
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;

use super::layout::encode_path_segment;
use super::{AppState, app};
use crate::corpus::{self, Corpus};
use crate::watch::Batch;

/// A file that failed to read is read again once after this long: it may have been caught
/// half-written.
const RETRY_AFTER: Duration = Duration::from_secs(1);
/// Changes announced but not yet sent to a slow page; past this it is told that everything
/// changed.
const ANNOUNCED: usize = 64;

/// What changed, as an open page hears it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Changed {
    /// The slugs of the speeches that changed, came or went.
    pub speeches: Vec<String>,
    /// True when the page missed changes and cannot tell which.
    pub everything: bool,
}

/// Where changes are announced, and when the server stops (which ends every event stream, so
/// that shutting down does not wait for open pages).
#[derive(Clone)]
pub struct Changes {
    announce: broadcast::Sender<Changed>,
    stopping: watch::Receiver<bool>,
}

impl Changes {
    /// Announcements, and the sender whose `true` ends every event stream.
    pub fn new() -> (Changes, watch::Sender<bool>) {
        let (stop, stopping) = watch::channel(false);
        let (announce, _) = broadcast::channel(ANNOUNCED);
        (Changes { announce, stopping }, stop)
    }

    fn announce(&self, speeches: Vec<String>) {
        // No page listening is not an error.
        let _ = self.announce.send(Changed {
            speeches,
            everything: false,
        });
    }
}

/// `GET /events`: the changes to the collection, as they happen, one `changed` event each.
pub async fn events(State(state): State<Arc<AppState>>) -> Response {
    let Some(changes) = state.changes.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut announced = changes.announce.subscribe();
    let mut stopping = changes.stopping;
    let (sender, stream) = mpsc::channel::<Result<Event, Infallible>>(4);
    tokio::spawn(async move {
        loop {
            let changed = tokio::select! {
                received = announced.recv() => match received {
                    Ok(changed) => changed,
                    Err(broadcast::error::RecvError::Lagged(_)) => Changed {
                        speeches: Vec::new(),
                        everything: true,
                    },
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                _ = stopping.wait_for(|stop| *stop) => break,
                () = sender.closed() => break,
            };
            let Ok(event) = Event::default().event("changed").json_data(&changed) else {
                break;
            };
            if sender.send(Ok(event)).await.is_err() {
                break;
            }
        }
    });
    Sse::new(ReceiverStream::new(stream))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Middleware: a request for a renamed speech is sent to its new address for good (301),
/// whatever page of it was asked for.
pub async fn redirect_moved(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let (prefix, rest) = match path.strip_prefix("/speeches/") {
        Some(rest) => ("/speeches/", rest),
        None => match path.strip_prefix("/api/speeches/") {
            Some(rest) => ("/api/speeches/", rest),
            None => return next.run(request).await,
        },
    };
    let (segment, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let slug = percent_decode_str(segment).decode_utf8_lossy();
    let Some(moved_to) = state
        .corpus
        .speech(&slug)
        .is_none()
        .then(|| state.corpus.moved_to(&slug))
        .flatten()
    else {
        return next.run(request).await;
    };
    let query = request
        .uri()
        .query()
        .map_or_else(String::new, |query| format!("?{query}"));
    let location = format!("{prefix}{}{tail}{query}", encode_path_segment(moved_to));
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::MOVED_PERMANENTLY, [(LOCATION, location)]).into_response(),
        Err(_) => next.run(request).await,
    }
}

/// The application the server answers with: the router of the latest state, replaced whole.
pub struct LiveApp {
    router: RwLock<Router>,
}

impl LiveApp {
    pub fn new(state: Arc<AppState>) -> LiveApp {
        LiveApp {
            router: RwLock::new(app(state)),
        }
    }

    /// The router of the latest state, for one request.
    pub fn current(&self) -> Router {
        match self.router.read() {
            Ok(router) => router.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, state: Arc<AppState>) {
        let router = app(state);
        match self.router.write() {
            Ok(mut current) => *current = router,
            Err(poisoned) => *poisoned.into_inner() = router,
        }
    }
}

/// Keeps the collection in folder `root` current: each batch of changes is read, applied to
/// the latest state, swapped in and announced; a file that failed to read is read once more
/// after `RETRY_AFTER`. Returns when the watch ends.
pub fn maintain(live: &LiveApp, mut state: Arc<AppState>, root: &Path, batches: &Receiver<Batch>) {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let mut retry: BTreeSet<String> = BTreeSet::new();
    loop {
        let wait = if retry.is_empty() {
            Duration::MAX
        } else {
            RETRY_AFTER
        };
        let (files, retrying) = match batches.recv_timeout(wait) {
            Ok(batch) => {
                let mut files = files_of(batch, &state.corpus, &root);
                // Batches that arrived meanwhile are applied at once.
                while let Ok(batch) = batches.try_recv() {
                    files.extend(files_of(batch, &state.corpus, &root));
                }
                (files, false)
            }
            Err(RecvTimeoutError::Timeout) => (std::mem::take(&mut retry), true),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let files: Vec<String> = files.into_iter().collect();
        let started = Instant::now();
        let (corpus, delta) = state
            .corpus
            .updated(state.corpus.read_changes(&root, &files));
        for failed in &delta.failed {
            let kept = corpus.speeches.iter().any(|s| s.source.file == failed.file);
            let kept = if kept {
                "; its last good version is kept"
            } else {
                ""
            };
            tracing::warn!("{}: {}{kept}", failed.file, failed.reason);
            if !retrying {
                retry.insert(failed.file.clone());
            }
        }
        if delta.is_empty() && corpus.skipped == state.corpus.skipped {
            continue;
        }
        match state.updated(corpus, &delta) {
            Ok(Some(next)) => {
                state = Arc::new(next);
                live.replace(Arc::clone(&state));
                let slugs = delta.slugs();
                tracing::info!(
                    "collection updated in {:.0} ms: {} speeches changed, came or went",
                    started.elapsed().as_secs_f64() * 1000.0,
                    slugs.len()
                );
                if let Some(changes) = &state.changes {
                    changes.announce(slugs);
                }
            }
            Ok(None) => tracing::error!("the collection changed before its statistics were ready"),
            Err(error) => tracing::error!("{error}; the collection is served as it was"),
        }
    }
}

/// The speech files a batch may have changed: the files named, the files under a folder
/// named, and the collection's files under a folder named that is gone; every file, known or
/// present, when events were lost.
fn files_of(batch: Batch, corpus: &Corpus, root: &Path) -> BTreeSet<String> {
    let known = || {
        let speeches = corpus.speeches.iter().map(|s| s.source.file.as_str());
        speeches.chain(corpus.skipped.iter().map(|s| s.file.as_str()))
    };
    let paths = match batch {
        Batch::Everything => {
            let mut files: BTreeSet<String> = known().map(str::to_owned).collect();
            files.extend(corpus::speech_files_under(root, root));
            return files
                .into_iter()
                .filter(|f| corpus::is_speech_file(f))
                .collect();
        }
        Batch::Paths(paths) => paths,
    };
    let mut files = BTreeSet::new();
    for path in paths {
        let folder: PathBuf = root.join(&path);
        if folder.is_dir() {
            files.extend(corpus::speech_files_under(root, &folder));
        }
        let inside = format!("{path}/");
        files.extend(
            known()
                .filter(|file| file.starts_with(&inside))
                .map(str::to_owned),
        );
        if corpus::is_speech_file(&path) {
            files.insert(path);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::update::Reading;

    #[test]
    fn after_lost_events_every_file_is_looked_at_and_only_changed_ones_are_read() {
        let folder = tempfile::tempdir().expect("a folder");
        let root = folder.path();
        std::fs::write(root.join("a.txt"), "讲话\n\n一、总体\n\n工作取得进展。\n")
            .expect("written");
        std::fs::write(root.join("b.txt"), "讲话\n\n一、形势\n\n坚定信心。\n").expect("written");
        let corpus = crate::corpus::load(root).expect("loads");
        std::fs::create_dir(root.join("more")).expect("a folder made");
        std::fs::write(root.join("more/c.txt"), "讲话\n\n一、任务\n\n抓好落实。\n")
            .expect("written");
        std::fs::remove_file(root.join("b.txt")).expect("deleted");

        let files: Vec<String> = files_of(Batch::Everything, &corpus, root)
            .into_iter()
            .collect();
        assert_eq!(files, ["a.txt", "b.txt", "more/c.txt"]);
        let readings = corpus.read_changes(root, &files);
        let kinds: Vec<&str> = readings
            .iter()
            .map(|(_, reading)| match reading {
                Reading::Unchanged => "unchanged",
                Reading::Missing => "missing",
                Reading::Loaded(_) => "loaded",
                Reading::Failed(_) => "failed",
            })
            .collect();
        assert_eq!(kinds, ["unchanged", "missing", "loaded"]);

        let moved = files_of(Batch::Paths(vec!["more".to_owned()]), &corpus, root);
        assert_eq!(
            moved.into_iter().collect::<Vec<_>>(),
            ["more/c.txt"],
            "a folder named stands for the speech files under it"
        );
    }
}
