//! What is computed from the collection once, when it loads: word segmentation, the full-text
//! search index and the statistics.

pub mod figures;
pub mod kwic;
pub mod places;
pub mod search;
pub mod segment;
pub mod stats;

use crate::corpus::Corpus;
use rayon::prelude::*;
use search::{SearchError, SearchIndex, SearchIndexBuilder};
use segment::Segmenter;
use stats::Statistics;
use std::time::Instant;

/// The collection's analysis, immutable once built.
pub struct Analysis {
    pub segmenter: Segmenter,
    pub search: SearchIndex,
    pub statistics: Statistics,
    /// Problems with the collection's `userdict.txt`, if any.
    pub warnings: Vec<String>,
}

impl Analysis {
    /// Segments, indexes and counts the collection, logging how long each step took.
    pub fn build(corpus: &Corpus) -> Result<Analysis, SearchError> {
        let started = Instant::now();
        let (segmenter, warnings) = Segmenter::new(corpus.user_dictionary.as_deref());
        tracing::info!(
            "dictionary loaded in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        let megabytes = corpus
            .speeches
            .iter()
            .flat_map(|s| s.paragraphs().map(|(_, p)| p.text.len()))
            .sum::<usize>() as f64
            / 1e6;
        let started = Instant::now();
        let index = SearchIndexBuilder::new(&segmenter)?;
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
        let started = Instant::now();
        let statistics = Statistics::build(corpus, &segmenter);
        tracing::info!("statistics in {:.2} s", started.elapsed().as_secs_f64());
        Ok(Analysis {
            segmenter,
            search,
            statistics,
            warnings,
        })
    }
}
