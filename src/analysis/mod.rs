//! What is computed from the collection once, when it loads: word segmentation and a quick
//! search index (or the complete one a cache kept), which serving needs; then the complete
//! index and the statistics, which may follow.

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
use search::{Completeness, SearchError, SearchIndex, SearchIndexBuilder};
use segment::Segmenter;
use stats::{Memory, Statistics};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

/// The collection's analysis at one moment. A search index is there from the start, and is
/// replaced once by the complete one if it was quick; the statistics are set once, when
/// counted. A change to the collection makes a new analysis (`updated`).
pub struct Analysis {
    pub segmenter: Segmenter,
    search: RwLock<Arc<SearchIndex>>,
    statistics: OnceLock<Statistics>,
    /// Speeches counted so far by `count_statistics`, of `speeches`.
    counted: AtomicUsize,
    speeches: usize,
    /// Problems with the collection's `userdict.txt`, if any.
    pub warnings: Vec<String>,
    /// Where what is measured of each file, and the statistics, are kept between runs, if
    /// anywhere.
    cache: Option<CollectionCache>,
}

/// The statistics are still being counted: `counted` of `total` speeches so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StillCounting {
    pub counted: usize,
    pub total: usize,
}

impl Analysis {
    /// Loads the dictionary and opens the complete search index `cache` holds for this
    /// collection (with the speeches changed since applied), or builds a quick one (characters
    /// only, the same matches): all that serving needs; and reads the statistics if `cache`
    /// kept them for the collection as it is. The complete index is left to `complete_index`,
    /// the statistics, if not kept, to `count_statistics`, which takes what it can from the
    /// cache's parts.
    pub fn index(corpus: &Corpus, cache: Option<CollectionCache>) -> Result<Analysis, SearchError> {
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
            Some(Ok(search)) => search,
            Some(Err(error)) => {
                tracing::warn!("the cached search index cannot be used ({error}); building it");
                build_index(corpus, &segmenter, Completeness::CharactersOnly, None)?
            }
            None => build_index(corpus, &segmenter, Completeness::CharactersOnly, None)?,
        };
        Ok(Analysis {
            segmenter,
            search: RwLock::new(Arc::new(search)),
            statistics: kept.map_or_else(OnceLock::new, OnceLock::from),
            counted: AtomicUsize::new(0),
            speeches: corpus.speeches.len(),
            warnings,
            cache,
        })
    }

    /// The cache's parts, as statistics use them.
    fn memory(&self) -> Option<&dyn Memory> {
        self.cache
            .as_ref()
            .map(|cache| &*cache.parts as &dyn Memory)
    }

    /// The search index: quick until `complete_index` has run, complete after.
    pub fn search(&self) -> Arc<SearchIndex> {
        match self.search.read() {
            Ok(search) => Arc::clone(&search),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Builds the complete search index of `corpus` and puts it in place of a quick one, then
    /// merges its segments into one; does nothing if the index is complete already. Searches
    /// meanwhile use the quick one, then the complete one unmerged: the quick one is let go
    /// before the merge, which holds the segments and their merge in memory at once.
    pub fn complete_index(&self, corpus: &Corpus) -> Result<(), SearchError> {
        if self.search().completeness == Completeness::Complete {
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
        let complete = build_index(corpus, &self.segmenter, Completeness::Complete, folder)?;
        self.replace_search(complete);
        let started = Instant::now();
        if let Some(merged) = self.search().merged(corpus)? {
            self.replace_search(merged);
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!("search index: merged into one segment in {seconds:.2} s");
        }
        Ok(())
    }

    /// Puts `search` in place of the index searches use; the one it replaces is let go when
    /// the last search holding it ends.
    fn replace_search(&self, search: SearchIndex) {
        let search = Arc::new(search);
        match self.search.write() {
            Ok(mut current) => *current = search,
            Err(poisoned) => *poisoned.into_inner() = search,
        }
    }

    /// Puts a freshly built complete search index of `corpus`, built in a folder of the cache,
    /// in place of the one stored there for the next start, and searches it there; nothing
    /// to do when there is no cache or the index came from it.
    pub fn store_index(&self, corpus: &Corpus) {
        let Some(cache) = &self.cache else {
            return;
        };
        let started = Instant::now();
        match self.search().store(&cache.index, corpus) {
            Ok(Some(stored)) => {
                self.replace_search(stored);
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
        let started = Instant::now();
        let statistics = Statistics::build(corpus, &self.segmenter, &self.counted, self.memory());
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
        let update = || self.search().updated(delta, corpus);
        let search = match &self.cache {
            // The stored index is changed in place, and its manifest with it.
            Some(cache) if self.search().is_stored() => cache.index.changing(delta, update)?,
            _ => update()?,
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
            search: RwLock::new(Arc::new(search)),
            counted: AtomicUsize::new(corpus.speeches.len()),
            speeches: corpus.speeches.len(),
            statistics: OnceLock::from(statistics),
            warnings: self.warnings.clone(),
            cache: self.cache.clone(),
        }))
    }

    /// The statistics, or how far counting them has got.
    pub fn statistics(&self) -> Result<&Statistics, StillCounting> {
        self.statistics.get().ok_or_else(|| StillCounting {
            counted: self.counted.load(Ordering::Relaxed),
            total: self.speeches,
        })
    }
}

/// Builds a search index of `corpus` in `folder` (a staging folder of the cache) or in memory,
/// in parallel.
fn build_index(
    corpus: &Corpus,
    segmenter: &Segmenter,
    completeness: Completeness,
    folder: Option<std::path::PathBuf>,
) -> Result<SearchIndex, SearchError> {
    let megabytes = corpus
        .speeches
        .iter()
        .flat_map(|s| s.paragraphs().map(|(_, p)| p.text.len()))
        .sum::<usize>() as f64
        / 1e6;
    let started = Instant::now();
    let mut index = SearchIndexBuilder::new(segmenter, completeness, folder)?;
    index.add_all(&corpus.speeches)?;
    let search = index.finish(corpus)?;
    let seconds = started.elapsed().as_secs_f64();
    let kind = match completeness {
        Completeness::Complete => "complete",
        Completeness::CharactersOnly => "quick",
    };
    tracing::info!(
        "search index ({kind}): {megabytes:.1} MB of text in {seconds:.2} s ({:.1} MB/s)",
        megabytes / seconds.max(1e-9)
    );
    Ok(search)
}
