//! The public JSON model: each speech with its statistics, as `rostrum export` prints and
//! `/api/speeches` serves.

use serde::Serialize;

use crate::analysis::stats::{SpeechStats, Statistics};
use crate::corpus::Corpus;
use crate::model::Speech;

/// A speech and its statistics, flattened into one JSON object.
#[derive(Serialize)]
pub struct ExportedSpeech<'a> {
    #[serde(flatten)]
    pub speech: &'a Speech,
    pub stats: &'a SpeechStats,
}

/// Every speech of the collection with its statistics, in the collection's order.
pub fn exported<'a>(corpus: &'a Corpus, statistics: &'a Statistics) -> Vec<ExportedSpeech<'a>> {
    corpus
        .speeches
        .iter()
        .zip(&statistics.speeches)
        .map(|(speech, stats)| ExportedSpeech { speech, stats })
        .collect()
}
