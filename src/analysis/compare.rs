//! Keyness: which terms one side uses significantly more than the other, by Dunning's
//! log-likelihood (as AntConc reports it) with the log ratio as effect size.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::keywords::rounded;
use super::profile::Profile;
use super::segment::is_filler;
use super::stats::{PROFILE_TERMS, SpeechStats, Statistics};

/// Log-likelihood at which a difference is significant at p < 0.05 (χ², one degree of freedom).
pub const SIGNIFICANT: f64 = 3.84;

/// One side of a comparison: one speech or a group of them, or the rest of the collection
/// around them.
pub enum Side<'a> {
    /// The speeches' counts summed, and their leading terms.
    Speeches {
        members: Vec<&'a SpeechStats>,
        leading: Profile,
    },
    /// The collection's term totals and word count, less the speeches' own.
    RestOf {
        members: Vec<&'a SpeechStats>,
        statistics: &'a Statistics,
    },
}

impl<'a> Side<'a> {
    /// One speech or a group, with the `PROFILE_TERMS` terms they use most together.
    pub fn speeches(members: Vec<&'a SpeechStats>) -> Side<'a> {
        let mut summed: FxHashMap<&str, u32> = FxHashMap::default();
        for stats in &members {
            for (term, count) in stats.profile.iter() {
                *summed.entry(term).or_default() += count;
            }
        }
        let mut leading: Vec<(&str, u32)> = summed.into_iter().collect();
        leading.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        leading.truncate(PROFILE_TERMS);
        let leading = Profile::of(leading);
        Side::Speeches { members, leading }
    }

    /// The collection without these speeches.
    pub fn rest_of(members: Vec<&'a SpeechStats>, statistics: &'a Statistics) -> Side<'a> {
        Side::RestOf {
            members,
            statistics,
        }
    }

    fn members(&self) -> &[&'a SpeechStats] {
        match self {
            Side::Speeches { members, .. } | Side::RestOf { members, .. } => members,
        }
    }

    /// Words on this side: the denominator of every rate.
    fn words(&self) -> f64 {
        let own: usize = self.members().iter().map(|s| s.overview.words).sum();
        match self {
            Side::Speeches { .. } => own as f64,
            Side::RestOf { statistics, .. } => {
                statistics.collection.words.saturating_sub(own) as f64
            }
        }
    }

    /// The side's most frequent terms, where its distinctive terms are to be found.
    fn leading(&self) -> &Profile {
        match self {
            Side::Speeches { leading, .. } => leading,
            Side::RestOf { statistics, .. } => &statistics.profile,
        }
    }

    /// How often the side uses `term`. A speech keeps only its `PROFILE_TERMS` leading terms,
    /// so a term below them is taken at the most it could occur: the count of the last one
    /// kept. The candidates are each side's leading terms, whose counts are known on that side
    /// for a single speech or the rest, so an unknown count only ever understates how much
    /// more that side uses its own terms; for a group, a member's count below its profile is
    /// that upper bound too.
    fn count(&self, term: &str) -> f64 {
        let own: u32 = self.members().iter().map(|s| speech_count(s, term)).sum();
        match self {
            Side::Speeches { .. } => f64::from(own),
            Side::RestOf { statistics, .. } => {
                let total = statistics.occurrences(term);
                f64::from(total.saturating_sub(own))
            }
        }
    }
}

/// A speech's count of `term`, or the most it could be when the term is below its profile.
fn speech_count(stats: &SpeechStats, term: &str) -> u32 {
    match stats.profile.count_of(term) {
        Some(count) => count,
        None if stats.profile.len() < PROFILE_TERMS => 0,
        None => stats.profile.last_count().unwrap_or(0),
    }
}

/// A term's use on each side and how distinctive it is.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeyTerm {
    pub term: String,
    pub first_count: u32,
    pub second_count: u32,
    /// Occurrences per 10,000 words on each side.
    pub first_rate: f64,
    pub second_rate: f64,
    /// Dunning's G²: how unlikely the difference is by chance.
    pub log_likelihood: f64,
    /// log₂ of the ratio of the rates (zero counts taken as 0.5): how large the difference
    /// is. Positive where the first side uses the term more.
    pub log_ratio: f64,
}

impl KeyTerm {
    /// The smallest p-value threshold the difference passes, for display.
    pub fn significance(&self) -> &'static str {
        match self.log_likelihood {
            ll if ll >= 15.13 => "p < 0.0001",
            ll if ll >= 10.83 => "p < 0.001",
            ll if ll >= 6.63 => "p < 0.01",
            ll if ll >= SIGNIFICANT => "p < 0.05",
            _ => "n.s.",
        }
    }
}

/// The terms significantly more frequent on each side, most distinctive first.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Keyness {
    pub first: Vec<KeyTerm>,
    pub second: Vec<KeyTerm>,
}

/// Dunning's log-likelihood for `a` occurrences in `c` words against `b` in `d`.
pub fn log_likelihood(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let expected_first = c * (a + b) / (c + d);
    let expected_second = d * (a + b) / (c + d);
    let part = |observed: f64, expected: f64| {
        if observed > 0.0 && expected > 0.0 {
            observed * (observed / expected).ln()
        } else {
            0.0
        }
    };
    2.0 * (part(a, expected_first) + part(b, expected_second))
}

/// Hardie's log ratio: log₂ of the ratio of relative frequencies, zero counts as 0.5.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    ((a.max(0.5) / c) / (b.max(0.5) / d)).log2()
}

/// Keyness of the leading terms of both sides, `limit` significant terms per side;
/// `with_filler` keeps the filler of official speech.
pub fn keyness(first: &Side, second: &Side, limit: usize, with_filler: bool) -> Keyness {
    let (c, d) = (first.words(), second.words());
    if c == 0.0 || d == 0.0 {
        return Keyness::default();
    }
    let mut seen: FxHashMap<&str, ()> = FxHashMap::default();
    let mut terms: Vec<KeyTerm> = first
        .leading()
        .iter()
        .chain(second.leading().iter())
        .filter(|(term, _)| with_filler || !is_filler(term))
        .filter(|(term, _)| seen.insert(term, ()).is_none())
        .map(|(term, _)| {
            let (a, b) = (first.count(term), second.count(term));
            KeyTerm {
                term: term.to_owned(),
                first_count: a as u32,
                second_count: b as u32,
                first_rate: rounded(a * 10_000.0 / c),
                second_rate: rounded(b * 10_000.0 / d),
                log_likelihood: rounded(log_likelihood(a, b, c, d)),
                log_ratio: rounded(log_ratio(a, b, c, d)),
            }
        })
        .filter(|k| k.log_likelihood >= SIGNIFICANT)
        .collect();
    terms.sort_by(|x, y| {
        y.log_likelihood
            .total_cmp(&x.log_likelihood)
            .then_with(|| x.term.cmp(&y.term))
    });
    let (mut first_terms, mut second_terms): (Vec<KeyTerm>, Vec<KeyTerm>) =
        terms.into_iter().partition(|k| k.log_ratio > 0.0);
    first_terms.truncate(limit);
    second_terms.truncate(limit);
    Keyness {
        first: first_terms,
        second: second_terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_matches_the_worked_example_of_rayson_and_garside() {
        // 10 in 10,000 words against 100 in 100,000: the same rate, so no keyness.
        assert!(log_likelihood(10.0, 100.0, 10_000.0, 100_000.0).abs() < 1e-9);
        // Ucrel's calculator: a=50, b=10, c=d=100,000 gives G² = 29.11.
        let g2 = log_likelihood(50.0, 10.0, 100_000.0, 100_000.0);
        assert!((g2 - 29.11).abs() < 0.01, "{g2}");
        assert!((log_ratio(50.0, 10.0, 100_000.0, 100_000.0) - 5f64.log2()).abs() < 1e-9);
        assert!(log_ratio(0.0, 8.0, 1_000.0, 1_000.0) == -4.0);
    }
}
