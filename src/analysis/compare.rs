//! Two speeches compared: how often each uses the leading terms of both.

use serde::Serialize;

use super::keywords::rounded;
use super::stats::{PROFILE_TERMS, SpeechStats};

/// Two speeches' term profiles side by side: frequency per 10,000 words of each.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    pub rows: Vec<ComparisonRow>,
}

/// A term's rate in each speech; `None` where the term is not among the speech's kept
/// `PROFILE_TERMS` terms, so its rate is below them but not known.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComparisonRow {
    pub term: String,
    pub first: Option<f64>,
    pub second: Option<f64>,
}

impl ComparisonRow {
    /// Both rates in order, each with whether it is the larger.
    pub fn cells(&self) -> [(Option<f64>, bool); 2] {
        let (first, second) = (self.first.unwrap_or(0.0), self.second.unwrap_or(0.0));
        [(self.first, first > second), (self.second, second > first)]
    }
}

/// The union of both speeches' leading terms, by their combined rate.
pub fn compare(first: &SpeechStats, second: &SpeechStats, limit: usize) -> Comparison {
    let rate = |stats: &SpeechStats, term: &str| {
        let per_10k =
            |count: u32| rounded(f64::from(count) * 10_000.0 / stats.overview.words.max(1) as f64);
        match stats.profile.iter().find(|t| t.term == term) {
            Some(found) => Some(per_10k(found.count)),
            None if stats.profile.len() < PROFILE_TERMS => Some(0.0),
            None => None,
        }
    };
    let mut terms: Vec<&str> = Vec::new();
    for term in first
        .profile
        .iter()
        .take(limit)
        .chain(second.profile.iter().take(limit))
    {
        if !terms.contains(&term.term.as_str()) {
            terms.push(&term.term);
        }
    }
    let mut rows: Vec<ComparisonRow> = terms
        .into_iter()
        .map(|term| ComparisonRow {
            term: term.to_owned(),
            first: rate(first, term),
            second: rate(second, term),
        })
        .collect();
    let combined = |row: &ComparisonRow| row.first.unwrap_or(0.0) + row.second.unwrap_or(0.0);
    rows.sort_by(|a, b| {
        combined(b)
            .total_cmp(&combined(a))
            .then_with(|| a.term.cmp(&b.term))
    });
    rows.truncate(limit);
    Comparison { rows }
}
