//! What is computed from the collection once, when it loads: the dictionary, and the search
//! index a cache kept, which serving needs; then the search index, if none was kept (searches
//! read the collection meanwhile), and the statistics, which may follow.

pub mod compare;
pub mod figures;
pub mod keywords;
pub mod kwic;
pub mod places;
pub mod profile;
pub mod search;
pub mod segment;
pub mod stats;
pub mod timeline;
pub mod wording;

use crate::cache::CollectionCache;
use crate::corpus::Corpus;
use crate::corpus::update::Delta;
use search::{SearchError, SearchIndex, SearchIndexBuilder, SearchRequest, SearchResults};
use segment::Segmenter;
use stats::{Memory, Progress, Statistics};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

/// The collection's analysis at one moment. The search index is there from the start if the
/// cache kept it, and is set once built otherwise (merged, then stored, it is replaced); the
/// statistics are set once, when counted. A change to the collection makes a new analysis
/// (`updated`).
pub struct Analysis {
    pub segmenter: Segmenter,
    /// `None` until the index is built: searches read the collection.
    search: RwLock<Option<Arc<SearchIndex>>>,
    statistics: OnceLock<Statistics>,
    /// How far `count_statistics` has got, of `speeches`.
    progress: Progress,
    /// Whether `count_statistics` has begun.
    counting: AtomicBool,
    speeches: usize,
    /// Problems with the collection's `userdict.txt`, if any.
    pub warnings: Vec<String>,
    /// Where what is measured of each file, and the statistics, are kept between runs, if
    /// anywhere.
    cache: Option<CollectionCache>,
}

/// The statistics are still being counted: `measured`, then `judged` for washed wording, of
/// `total` speeches so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StillCounting {
    pub measured: usize,
    pub judged: usize,
    pub total: usize,
    /// Whether counting has begun: on a first start it waits for the search index.
    pub started: bool,
}

impl std::fmt::Display for StillCounting {
    /// `40 / 100 measured, 0 / 100 judged`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (measured, judged, total) = (self.measured, self.judged, self.total);
        write!(
            f,
            "{measured} / {total} measured, {judged} / {total} judged"
        )
    }
}

impl StillCounting {
    /// The count's steps done and in all, for a progress bar: each speech is measured, then
    /// judged.
    pub fn steps(&self) -> (usize, usize) {
        (self.measured + self.judged, 2 * self.total)
    }
}

impl Analysis {
    /// Loads the dictionary and opens the search index `cache` holds for this collection (with
    /// the speeches changed since applied), if it holds one: all that serving needs; and
    /// reads the statistics if `cache` kept them for the collection as it is. Building the
    /// index, if none was kept, is left to `build_index`, the statistics, if not kept, to
    /// `count_statistics`, which takes what it can from the cache's parts.
    pub fn open(corpus: &Corpus, cache: Option<CollectionCache>) -> Analysis {
        let started = Instant::now();
        let (segmenter, warnings) = Segmenter::new(corpus.user_dictionary.as_deref());
        tracing::info!(
            "dictionary ready in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        // The statistics kept whole, if any, are read meanwhile: on another core, in the
        // second or so that opening the stored index takes.
        let (stored, kept) = rayon::join(
            || {
                let started = Instant::now();
                let stored = cache.as_ref()?.index.open(&segmenter, corpus)?;
                if stored.is_ok() {
                    let seconds = started.elapsed().as_secs_f64();
                    tracing::info!("search index: opened from the cache in {seconds:.2} s");
                }
                Some(stored)
            },
            || {
                let started = Instant::now();
                let kept = cache.as_ref()?.statistics.recall(corpus)?;
                let seconds = started.elapsed().as_secs_f64();
                tracing::info!("statistics: read from the cache in {seconds:.2} s");
                Some(kept)
            },
        );
        let search = match stored {
            Some(Ok(search)) => Some(Arc::new(search)),
            Some(Err(error)) => {
                tracing::warn!("the cached search index cannot be used ({error}); building it");
                None
            }
            None => None,
        };
        Analysis {
            segmenter,
            search: RwLock::new(search),
            statistics: kept.map_or_else(OnceLock::new, OnceLock::from),
            progress: Progress::default(),
            counting: AtomicBool::new(false),
            speeches: corpus.speeches.len(),
            warnings,
            cache,
        }
    }

    /// The cache's parts, as statistics use them.
    fn memory(&self) -> Option<&dyn Memory> {
        self.cache
            .as_ref()
            .map(|cache| &*cache.parts as &dyn Memory)
    }

    /// The search index, once there is one.
    pub fn search_index(&self) -> Option<Arc<SearchIndex>> {
        match self.search.read() {
            Ok(search) => search.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Answers `request` on `corpus`, the collection this analysis is of: from the index, or
    /// by reading the collection while there is none.
    pub fn search(
        &self,
        corpus: &Corpus,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        match self.search_index() {
            Some(index) => index.search(corpus, request),
            None => Ok(search::scan(corpus, request)),
        }
    }

    /// Builds the search index of `corpus` and puts it in place, then merges its segments
    /// into one; does nothing if there is an index already. Searches read the collection
    /// until it is in place, then use it unmerged.
    pub fn build_index(&self, corpus: &Corpus) -> Result<(), SearchError> {
        if self.search_index().is_some() {
            return Ok(());
        }
        // Built where it is kept, when there is a cache: not in memory.
        let folder = self.cache.as_ref().and_then(|cache| {
            cache
                .index
                .staging()
                .inspect_err(|error| tracing::warn!("{error}; indexing in memory"))
                .ok()
        });
        let built = Arc::new(build_index(corpus, &self.segmenter, folder)?);
        self.replace_search(Arc::clone(&built));
        let started = Instant::now();
        if let Some(merged) = built.merged(corpus)? {
            self.replace_search(Arc::new(merged));
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!("search index: merged into one segment in {seconds:.2} s");
        }
        Ok(())
    }

    /// Puts `search` in place of the index searches use; the one it replaces is let go when
    /// the last search holding it ends.
    fn replace_search(&self, search: Arc<SearchIndex>) {
        let search = Some(search);
        match self.search.write() {
            Ok(mut current) => *current = search,
            Err(poisoned) => *poisoned.into_inner() = search,
        }
    }

    /// Puts a freshly built search index of `corpus`, built in a folder of the cache, in
    /// place of the one stored there for the next start, and searches it there; nothing to
    /// do when there is no cache or no index, or the index came from the cache.
    pub fn store_index(&self, corpus: &Corpus) {
        let (Some(cache), Some(index)) = (&self.cache, self.search_index()) else {
            return;
        };
        let started = Instant::now();
        match index.store(&cache.index, corpus) {
            Ok(Some(stored)) => {
                self.replace_search(Arc::new(stored));
                tracing::info!(
                    "search index stored in the cache in {:.2} s",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(None) => {}
            Err(error) => tracing::warn!("{error}"),
        }
    }

    /// Counts the statistics of `corpus`, the collection this analysis was built from, unless
    /// they were read from the cache; then keeps in the cache the speeches it did not have.
    /// The server calls it on a background thread once it is serving; a second call does
    /// nothing.
    pub fn count_statistics(&self, corpus: &Corpus) {
        if self.statistics.get().is_none() {
            self.count_statistics_afresh(corpus);
        }
        if let Some(cache) = &self.cache {
            cache.parts.keep_speeches_not_found(corpus);
        }
    }

    /// Counts the statistics from every speech, or its measurement the cache's parts kept, and
    /// keeps them whole in the cache.
    fn count_statistics_afresh(&self, corpus: &Corpus) {
        self.counting.store(true, Ordering::Relaxed);
        let started = Instant::now();
        let statistics = Statistics::build(corpus, &self.segmenter, &self.progress, self.memory());
        if self.statistics.set(statistics).is_ok() {
            tracing::info!("statistics in {:.2} s", started.elapsed().as_secs_f64());
        }
        let (Some(cache), Some(statistics)) = (&self.cache, self.statistics.get()) else {
            return;
        };
        cache.statistics.keep(corpus, statistics);
        cache.parts.forget_all_but(corpus);
        if cache.parts.damaged() > 0 {
            tracing::warn!(
                "{} damaged entries in the cache were computed again",
                cache.parts.damaged()
            );
        }
    }

    /// The analysis of `corpus`, which is `previous` after `delta`: the search index and the
    /// statistics are brought up to date for what changed. The statistics must have been
    /// counted (`None` otherwise: the caller waits for them).
    pub fn updated(
        &self,
        previous: &Corpus,
        corpus: &Corpus,
        delta: &Delta,
    ) -> Result<Option<Analysis>, SearchError> {
        let Some(statistics) = self.statistics.get() else {
            return Ok(None);
        };
        let started = Instant::now();
        // Without an index (building it failed), searches go on reading the collection.
        let search = match self.search_index() {
            Some(index) => {
                let update = || index.updated(delta, corpus);
                Some(Arc::new(match &self.cache {
                    // The stored index is changed in place, and its manifest with it.
                    Some(cache) if index.is_stored() => cache.index.changing(delta, update)?,
                    _ => update()?,
                }))
            }
            None => None,
        };
        let indexed = started.elapsed();
        let statistics =
            statistics.updated(previous, corpus, delta, &self.segmenter, self.memory());
        tracing::info!(
            "updated: search index in {:.0} ms, statistics in {:.0} ms",
            indexed.as_secs_f64() * 1000.0,
            (started.elapsed() - indexed).as_secs_f64() * 1000.0
        );
        Ok(Some(Analysis {
            segmenter: self.segmenter.clone(),
            search: RwLock::new(search),
            progress: Progress::done(corpus.speeches.len()),
            counting: AtomicBool::new(true),
            speeches: corpus.speeches.len(),
            statistics: OnceLock::from(statistics),
            warnings: self.warnings.clone(),
            cache: self.cache.clone(),
        }))
    }

    /// The statistics, or how far counting them has got.
    pub fn statistics(&self) -> Result<&Statistics, StillCounting> {
        self.statistics.get().ok_or_else(|| StillCounting {
            measured: self.progress.measured.load(Ordering::Relaxed),
            judged: self.progress.judged.load(Ordering::Relaxed),
            total: self.speeches,
            started: self.counting.load(Ordering::Relaxed),
        })
    }
}

/// Builds a search index of `corpus` in `folder` (a staging folder of the cache) or in memory,
/// in parallel.
fn build_index(
    corpus: &Corpus,
    segmenter: &Segmenter,
    folder: Option<std::path::PathBuf>,
) -> Result<SearchIndex, SearchError> {
    let megabytes = corpus
        .speeches
        .iter()
        .flat_map(|s| s.paragraphs().map(|(_, p)| p.text.len()))
        .sum::<usize>() as f64
        / 1e6;
    let started = Instant::now();
    let mut index = SearchIndexBuilder::new(segmenter, folder)?;
    index.add_all(&corpus.speeches)?;
    let search = index.finish(corpus)?;
    let seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        "search index built: {megabytes:.1} MB of text in {seconds:.2} s ({:.1} MB/s)",
        megabytes / seconds.max(1e-9)
    );
    Ok(search)
}
