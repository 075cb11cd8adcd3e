//! The HTTP layer: the router that `app()` builds, its shared state, and the layers every
//! response goes through (errors as pages, security headers, compression, logs, timeouts).

pub mod access_log;
pub mod api;
pub mod assets;
pub mod cache;
pub mod charts;
pub mod collection;
pub mod concordance;
pub mod connections;
pub mod downloads;
pub mod error;
pub mod error_page;
pub mod guard;
pub mod i18n;
pub mod keyness;
pub mod layout;
pub mod live;
pub mod reader;
pub mod search;
pub mod server;
pub mod share;
pub mod stats;
pub mod takeaway;
pub mod trend;

use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::routing::get;
use axum::{Router, middleware};
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::analysis::Analysis;
use crate::analysis::search::SearchError;
use crate::analysis::stats::Statistics;
use crate::cache::CollectionCache;
use crate::corpus::Corpus;
use crate::corpus::update::Delta;
use assets::Assets;
use error::AppError;
use share::Share;

/// Everything a request may read: the collection at one moment, never changed except that
/// the search index (unless the cache kept it) and the statistics each arrive once. A change
/// to the collection makes a new state (`updated`), which the server then answers with
/// (`live`).
pub struct AppState {
    pub corpus: Corpus,
    pub analysis: Analysis,
    pub share: Share,
    pub assets: Arc<Assets>,
    /// Pages rendered so far from this state, in every encoding.
    pub pages: cache::PageCache,
    /// Which hosts requests may name, and the key token mode asks for.
    pub access: Arc<guard::Access>,
    /// Where open pages hear of changes to the collection; `None` when it is not watched.
    pub changes: Option<live::Changes>,
}

impl AppState {
    /// Runs `work` on a blocking thread: a pass over the whole collection must not hold up the
    /// requests the runtime is serving meanwhile.
    pub async fn scan<T, F>(self: &Arc<Self>, what: &'static str, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> T + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&state))
            .await
            .map_err(|error| AppError::internal(what, error))
    }

    /// Analyses the corpus completely, without a cache: search index and statistics.
    pub fn build(corpus: Corpus, share: Share) -> Result<Self, SearchError> {
        let state = AppState::ready_to_serve(corpus, share, None);
        state.build_index()?;
        state.count_statistics();
        Ok(state)
    }

    /// Opens the search index `cache` kept for the corpus, if any: enough to serve (searches
    /// read the collection until `build_index` has run). Until `count_statistics` has run,
    /// statistics pages answer 503 with their progress.
    pub fn ready_to_serve(corpus: Corpus, share: Share, cache: Option<CollectionCache>) -> Self {
        AppState {
            analysis: Analysis::open(&corpus, cache),
            corpus,
            share,
            assets: Arc::default(),
            pages: cache::PageCache::default(),
            access: Arc::default(),
            changes: None,
        }
    }

    /// The state of `corpus`, this state's collection after `delta`, with no page rendered
    /// yet; `None` while this state's statistics are still being counted.
    pub fn updated(&self, corpus: Corpus, delta: &Delta) -> Result<Option<AppState>, SearchError> {
        let Some(analysis) = self.analysis.updated(&self.corpus, &corpus, delta)? else {
            return Ok(None);
        };
        Ok(Some(AppState {
            corpus,
            analysis,
            share: self.share.clone(),
            assets: Arc::clone(&self.assets),
            pages: cache::PageCache::default(),
            access: Arc::clone(&self.access),
            changes: self.changes.clone(),
        }))
    }

    /// Builds the search index, if the cache did not keep it.
    pub fn build_index(&self) -> Result<(), SearchError> {
        self.analysis.build_index(&self.corpus)
    }

    /// Keeps a freshly built search index in the cache for the next start.
    pub fn store_index(&self) {
        self.analysis.store_index(&self.corpus);
    }

    /// Counts the statistics of the collection (once; later calls return at once).
    pub fn count_statistics(&self) {
        self.analysis.count_statistics(&self.corpus);
    }

    /// The statistics, or a 503 while they are still being counted.
    pub fn statistics(&self) -> Result<&Statistics, AppError> {
        self.analysis.statistics().map_err(AppError::StillCounting)
    }
}

/// Only the app's own origin: no inline script or style, no plugins, no framing.
const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A request that takes longer than this is answered with 408 so that it cannot hold shutdown.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The whole application as one router, ready for `axum::serve` or `oneshot` in tests.
pub fn app(state: Arc<AppState>) -> Router {
    let header =
        |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    Router::new()
        .route("/", get(collection::collection))
        .route("/speeches/{slug}", get(reader::speech))
        .route("/speeches/{slug}/sections/{id}", get(reader::section))
        .route("/speeches/{slug}/stats", get(stats::speech_stats))
        .route("/speeches/{slug}/kwic", get(concordance::concordance))
        .route("/speeches/{slug}/quote/{anchor}", get(downloads::quote))
        .route("/speeches/{slug}/figures.csv", get(downloads::figures_csv))
        .route("/speeches/{slug}/terms.csv", get(downloads::terms_csv))
        .route("/stats.csv", get(downloads::stats_csv))
        .route("/export.zip", get(downloads::export_zip))
        .route("/stats", get(stats::collection_stats))
        .route("/trend", get(trend::collection_trend))
        .route("/kwic", get(concordance::collection_concordance))
        .route("/api/stats", get(api::collection_stats))
        .route("/api/speeches/{slug}/stats", get(api::speech_stats))
        .route("/api/speeches/{slug}/kwic", get(api::concordance))
        .route("/search", get(search::search_page))
        .route("/api/search", get(search::search_json))
        .route("/api/speeches", get(api::speeches))
        .route("/api/speeches/{slug}", get(api::speech))
        .route("/static/{name}", get(assets::serve_asset))
        .route("/share/qr.svg", get(share::qr_code))
        .route("/events", get(live::events))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // Answers that are not kept (searches, JSON) are compressed here; kept pages were
        // compressed once, and a page served from the cache passes nothing below it.
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            cache::serve_cached,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            live::redirect_moved,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::check_access,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error_page::render_errors,
        ))
        .layer(middleware::from_fn(i18n::remember_choice))
        .layer(header(
            CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY_VALUE,
        ))
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(REFERRER_POLICY, "same-origin"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        .layer(middleware::from_fn(access_log::log_request))
        .with_state(state)
}
