//! What is computed from the collection once, when it loads: word segmentation, the full-text
//! search index and the statistics.

pub mod figures;
pub mod kwic;
pub mod places;
pub mod search;
pub mod segment;
pub mod stats;

use crate::corpus::Corpus;
use search::{SearchError, SearchIndex};
use segment::Segmenter;
use stats::Statistics;

/// The collection's analysis, immutable once built.
pub struct Analysis {
    pub segmenter: Segmenter,
    pub search: SearchIndex,
    pub statistics: Statistics,
    /// Problems with the collection's `userdict.txt`, if any.
    pub warnings: Vec<String>,
}

impl Analysis {
    pub fn build(corpus: &Corpus) -> Result<Analysis, SearchError> {
        let (segmenter, warnings) = Segmenter::new(corpus.user_dictionary.as_deref());
        let search = SearchIndex::build(corpus, &segmenter)?;
        let statistics = Statistics::build(corpus, &segmenter);
        Ok(Analysis {
            segmenter,
            search,
            statistics,
            warnings,
        })
    }
}
