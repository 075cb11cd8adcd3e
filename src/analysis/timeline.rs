//! A term across the collection: how often each year's speeches use it (or, without dates,
//! each stretch of the collection in order), as a rate that years of unequal output can share.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use super::segment::{CharToken, char_tokens, occurrences};
use crate::corpus::Corpus;
use crate::model::Speech;

/// Stretches of the collection shown when no speech is dated.
const POSITION_GROUPS: usize = 40;

/// What the points of a timeline are.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// Calendar years of the speeches' dates.
    Year,
    /// Consecutive stretches of the collection in its order, for a collection without dates.
    Position,
}

/// One year, or one stretch of the collection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimePoint {
    /// `1957`, or `11–20` for speeches 11 to 20.
    pub label: String,
    pub speeches: usize,
    pub characters: usize,
    pub occurrences: usize,
    /// The speech of this point that uses the term most, by its index in the collection.
    pub leading_speech: Option<usize>,
}

impl TimePoint {
    /// Occurrences per 10,000 characters.
    pub fn rate(&self) -> f64 {
        self.occurrences as f64 * 10_000.0 / self.characters.max(1) as f64
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Timeline {
    pub term: String,
    pub axis: Axis,
    pub points: Vec<TimePoint>,
    /// Speeches left out of a year axis because they have no date.
    pub undated: usize,
    pub occurrences: usize,
}

/// How often `speech` uses the term whose character tokens are `wanted`, in its paragraphs,
/// matched as search and the concordance match.
fn uses(speech: &Speech, wanted: &[CharToken]) -> usize {
    speech
        .paragraphs()
        .map(|(_, paragraph)| occurrences(&paragraph.text, wanted).len())
        .sum()
}

/// `term` across the collection: by year when any speech is dated, else by position.
pub fn timeline(corpus: &Corpus, term: &str) -> Timeline {
    let wanted = char_tokens(term);
    let counts: Vec<usize> = corpus
        .speeches
        .par_iter()
        .map(|speech| uses(speech, &wanted))
        .collect();
    let dated = corpus.speeches.iter().any(|s| s.front.year().is_some());
    let mut groups: BTreeMap<(i32, usize), Vec<usize>> = BTreeMap::new();
    let group_size = corpus.speeches.len().div_ceil(POSITION_GROUPS).max(1);
    let mut undated = 0;
    for (index, speech) in corpus.speeches.iter().enumerate() {
        let key = match (dated, speech.front.year()) {
            (true, Some(year)) => (year, 0),
            (true, None) => {
                undated += 1;
                continue;
            }
            (false, _) => (0, index / group_size),
        };
        groups.entry(key).or_default().push(index);
    }
    let points = groups
        .into_iter()
        .map(|((year, group), members)| TimePoint {
            label: if dated {
                year.to_string()
            } else {
                let first = group * group_size + 1;
                let last = first + members.len() - 1;
                if first == last {
                    first.to_string()
                } else {
                    format!("{first}–{last}")
                }
            },
            speeches: members.len(),
            characters: members
                .iter()
                .map(|&i| corpus.speeches[i].char_count())
                .sum(),
            occurrences: members.iter().map(|&i| counts[i]).sum(),
            leading_speech: members
                .iter()
                .copied()
                .filter(|&i| counts[i] > 0)
                .max_by_key(|&i| (counts[i], std::cmp::Reverse(i))),
        })
        .collect();
    Timeline {
        term: term.to_owned(),
        axis: if dated { Axis::Year } else { Axis::Position },
        points,
        undated,
        occurrences: counts.iter().sum(),
    }
}
