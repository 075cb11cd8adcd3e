//! What is computed from the collection once, when it loads: word segmentation and the
//! full-text search index (or the one a cache kept), which serving needs, then the statistics,
//! which may follow.

pub mod figures;
pub mod index_cache;
pub mod kwic;
pub mod places;
pub mod search;
pub mod segment;
pub mod stats;

use crate::corpus::Corpus;
use index_cache::IndexCache;
use rayon::prelude::*;
use search::{SearchError, SearchIndex, SearchIndexBuilder};
use segment::Segmenter;
use stats::Statistics;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The collection's analysis. The search index is there from the start; the statistics are
/// set once, when counted, and never change after.
pub struct Analysis {
    pub segmenter: Segmenter,
    pub search: SearchIndex,
    statistics: OnceLock<Statistics>,
    /// Speeches counted so far by `count_statistics`, of `speeches`.
    counted: AtomicUsize,
    speeches: usize,
    /// Problems with the collection's `userdict.txt`, if any.
    pub warnings: Vec<String>,
}

/// The statistics are still being counted: `counted` of `total` speeches so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StillCounting {
    pub counted: usize,
    pub total: usize,
}

impl Analysis {
    /// Loads the dictionary and builds the search index, or opens the one `cache` holds for
    /// this collection: all that serving needs. The statistics are left to `count_statistics`.
    pub fn index(corpus: &Corpus, cache: Option<&IndexCache>) -> Result<Analysis, SearchError> {
        let started = Instant::now();
        let (segmenter, warnings) = Segmenter::new(corpus.user_dictionary.as_deref());
        tracing::info!(
            "dictionary ready in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        let started = Instant::now();
        let stored = cache.and_then(|cache| cache.stored_for(corpus));
        let search = match stored.map(|folder| SearchIndex::open(folder, &segmenter)) {
            Some(Ok(search)) => {
                tracing::info!(
                    "search index: opened from the cache in {:.2} s",
                    started.elapsed().as_secs_f64()
                );
                search
            }
            Some(Err(error)) => {
                tracing::warn!("the cached search index cannot be used ({error}); building it");
                build_index(corpus, &segmenter)?
            }
            None => build_index(corpus, &segmenter)?,
        };
        Ok(Analysis {
            segmenter,
            search,
            statistics: OnceLock::new(),
            counted: AtomicUsize::new(0),
            speeches: corpus.speeches.len(),
            warnings,
        })
    }

    /// Counts the statistics of `corpus`, the collection this analysis was built from. The
    /// server calls it on a background thread once it is serving; a second call does nothing.
    pub fn count_statistics(&self, corpus: &Corpus) {
        if self.statistics.get().is_some() {
            return;
        }
        let started = Instant::now();
        let statistics = Statistics::build(corpus, &self.segmenter, &self.counted);
        if self.statistics.set(statistics).is_ok() {
            tracing::info!("statistics in {:.2} s", started.elapsed().as_secs_f64());
        }
    }

    /// The statistics, or how far counting them has got.
    pub fn statistics(&self) -> Result<&Statistics, StillCounting> {
        self.statistics.get().ok_or_else(|| StillCounting {
            counted: self.counted.load(Ordering::Relaxed),
            total: self.speeches,
        })
    }
}

/// Builds the search index of `corpus` in memory, in parallel.
fn build_index(corpus: &Corpus, segmenter: &Segmenter) -> Result<SearchIndex, SearchError> {
    let megabytes = corpus
        .speeches
        .iter()
        .flat_map(|s| s.paragraphs().map(|(_, p)| p.text.len()))
        .sum::<usize>() as f64
        / 1e6;
    let started = Instant::now();
    let index = SearchIndexBuilder::new(segmenter)?;
    corpus
        .speeches
        .par_iter()
        .enumerate()
        .for_each(|(position, speech)| index.add(position, speech));
    let search = index.finish()?;
    let seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        "search index: {megabytes:.1} MB of text in {seconds:.2} s ({:.1} MB/s)",
        megabytes / seconds.max(1e-9)
    );
    Ok(search)
}
