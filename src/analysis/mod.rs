//! What is computed from the collection once, when it loads: word segmentation and the
//! full-text search index.

pub mod search;
pub mod segment;

use crate::corpus::Corpus;
use search::{SearchError, SearchIndex};
use segment::Segmenter;

/// The collection's analysis, immutable once built.
pub struct Analysis {
    pub segmenter: Segmenter,
    pub search: SearchIndex,
    /// Problems with the collection's `userdict.txt`, if any.
    pub warnings: Vec<String>,
}

impl Analysis {
    pub fn build(corpus: &Corpus) -> Result<Analysis, SearchError> {
        let (segmenter, warnings) = Segmenter::new(corpus.user_dictionary.as_deref());
        let search = SearchIndex::build(corpus, &segmenter)?;
        Ok(Analysis {
            segmenter,
            search,
            warnings,
        })
    }
}
