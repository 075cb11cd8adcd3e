//! The public JSON model: each speech with its statistics, as `rostrum export` prints and
//! `/api/speeches` serves.

use serde::Serialize;

use crate::analysis::kwic::Trend;
use crate::analysis::stats::{SpeechStats, Statistics, TermCount};
use crate::corpus::Corpus;
use crate::model::Speech;

/// A speech and its statistics, flattened into one JSON object.
#[derive(Serialize)]
pub struct ExportedSpeech<'a> {
    #[serde(flatten)]
    pub speech: &'a Speech,
    pub stats: SpeechStatsJson<'a>,
}

impl<'a> ExportedSpeech<'a> {
    pub fn new(speech: &'a Speech, stats: &'a SpeechStats) -> ExportedSpeech<'a> {
        ExportedSpeech {
            speech,
            stats: SpeechStatsJson::new(speech, stats),
        }
    }
}

/// A speech's statistics with what is computed from them when asked: its most frequent
/// terms and their trends.
#[derive(Serialize)]
pub struct SpeechStatsJson<'a> {
    #[serde(flatten)]
    pub stats: &'a SpeechStats,
    pub top_terms: Vec<TermCount>,
    pub trends: Vec<Trend>,
}

impl<'a> SpeechStatsJson<'a> {
    pub fn new(speech: &Speech, stats: &'a SpeechStats) -> SpeechStatsJson<'a> {
        SpeechStatsJson {
            stats,
            top_terms: stats.top_terms().map(TermCount::from).collect(),
            trends: stats.trends(speech),
        }
    }
}

/// Every speech of the collection with its statistics, in the collection's order.
pub fn exported<'a>(corpus: &'a Corpus, statistics: &'a Statistics) -> Vec<ExportedSpeech<'a>> {
    corpus
        .speeches
        .iter()
        .zip(&statistics.speeches)
        .map(|(speech, stats)| ExportedSpeech::new(speech, stats))
        .collect()
}
