//! Keyness on the collection's statistics page: which two sides are compared, and their
//! distinctive terms with a chart, ready to draw.

use super::AppState;
use super::charts::{KeynessChart, keyness_chart};
use super::error::AppError;
use super::i18n::Lang;
use super::layout::find_speech_with_stats;
use super::trend::trend_href;
use crate::analysis::compare::{KeyTerm, Keyness, Side, keyness};
use crate::analysis::stats::Statistics;

/// The second selector's value for the rest of the collection, the default side to compare with.
pub const REST: &str = "rest";

/// Distinctive terms shown on each side of a comparison.
const KEY_TERMS: usize = 25;

/// Terms per side drawn in the keyness chart.
const CHARTED_KEY_TERMS: usize = 12;

/// A comparison ready to draw: both sides' names, their distinctive terms and a chart.
pub struct Compared {
    pub first: String,
    pub second: String,
    pub keyness: Keyness,
    pub chart: KeynessChart,
}

impl Compared {
    /// Each side's name with the terms it uses more.
    pub fn sides(&self) -> [(&str, &[KeyTerm]); 2] {
        [
            (&self.first, &self.keyness.first),
            (&self.second, &self.keyness.second),
        ]
    }
}

/// The two sides to compare: those asked for, else the first speech against the rest of the
/// collection; none when the collection has a single speech.
pub fn chosen_pair(state: &AppState, a: &str, b: &str) -> Option<(String, String)> {
    let (a, b) = (a.trim(), b.trim());
    if !a.is_empty() || !b.is_empty() {
        let first = state.corpus.speeches.first().map(|s| s.slug.as_str());
        let a = if a.is_empty() { first? } else { a };
        let b = if b.is_empty() { REST } else { b };
        return Some((a.to_owned(), b.to_owned()));
    }
    match state.corpus.speeches.as_slice() {
        [first, _, ..] => Some((first.slug.clone(), REST.to_owned())),
        _ => None,
    }
}

/// The keyness of speech `a` against speech `b` or, for `REST`, against the rest of the collection.
pub fn compared(
    state: &AppState,
    statistics: &Statistics,
    a: &str,
    b: &str,
    with_filler: bool,
    lang: Lang,
) -> Result<Compared, AppError> {
    let speech = |slug: &str| match find_speech_with_stats(state, slug) {
        Err(AppError::NotFound(_)) => {
            Err(AppError::BadRequest(format!("no speech {slug} to compare")))
        }
        found => found,
    };
    let (first, first_stats) = speech(a)?;
    let (second_name, second_side) = if b == REST {
        let rest = Side::RestOf {
            speech: first_stats,
            totals: &statistics.totals,
            leading: &statistics.profile,
            words: statistics.collection.words,
        };
        (lang.strings().rest_of_collection.to_owned(), rest)
    } else {
        let (second, second_stats) = speech(b)?;
        (second.title.clone(), Side::Speech(second_stats))
    };
    let keyness = keyness(
        &Side::Speech(first_stats),
        &second_side,
        KEY_TERMS,
        with_filler,
    );
    let chart = keyness_chart(
        &keyness.first[..keyness.first.len().min(CHARTED_KEY_TERMS)],
        &keyness.second[..keyness.second.len().min(CHARTED_KEY_TERMS)],
        trend_href,
    );
    Ok(Compared {
        first: first.title.clone(),
        second: second_name,
        keyness,
        chart,
    })
}
