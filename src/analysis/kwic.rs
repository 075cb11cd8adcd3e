//! Keyword in context and term trends: where a term occurs in one speech or the whole
//! collection, matched the way search
//! matches (character tokens), so a term that spans the segmenter's word boundaries is found.

use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use super::segment::{char_tokens, occurrences};
use crate::corpus::Corpus;
use crate::model::{SectionId, Speech};
use crate::text::is_han;

/// Characters of context on each side of an occurrence.
const CONTEXT_CHARS: usize = 24;

/// One occurrence with its context.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConcordanceLine {
    pub paragraph: u32,
    /// The section holding the paragraph; `None` in the preamble.
    pub section: Option<SectionId>,
    pub left: String,
    /// The occurrence as written in the text.
    pub keyword: String,
    pub right: String,
}

/// How concordance lines are ordered.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, Serialize, strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum ConcordanceOrder {
    /// Reading order.
    #[default]
    Text,
    /// By the words just before the term (read backwards from it).
    Left,
    /// By the words just after the term.
    Right,
}

/// Every occurrence of `term` in the speech, one line each, ordered as asked.
pub fn concordance(speech: &Speech, term: &str, order: ConcordanceOrder) -> Vec<ConcordanceLine> {
    let wanted = char_tokens(term);
    let mut lines = Vec::new();
    for (section, paragraph) in speech.paragraphs() {
        let text = paragraph.text.as_str();
        for (start, end) in occurrences(text, &wanted) {
            let left: String = text[..start]
                .chars()
                .rev()
                .take(CONTEXT_CHARS)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let right: String = text[end..].chars().take(CONTEXT_CHARS).collect();
            lines.push(ConcordanceLine {
                paragraph: paragraph.id,
                section: section.map(|s| s.id.clone()),
                left,
                keyword: text[start..end].to_owned(),
                right,
            });
        }
    }
    order_lines(&mut lines, order, |line| line);
    lines
}

/// Orders concordance lines, or anything that holds one, as asked; reading order is kept as is.
fn order_lines<T>(lines: &mut [T], order: ConcordanceOrder, line: impl Fn(&T) -> &ConcordanceLine) {
    match order {
        ConcordanceOrder::Text => {}
        ConcordanceOrder::Left => lines.sort_by(|a, b| {
            let (a, b) = (line(a), line(b));
            a.left.chars().rev().cmp(b.left.chars().rev())
        }),
        ConcordanceOrder::Right => lines.sort_by(|a, b| line(a).right.cmp(&line(b).right)),
    }
}

/// A term's concordance across the collection: the first `limit` lines in the collection's
/// order, each with its speech's index, and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionConcordance {
    pub lines: Vec<(usize, ConcordanceLine)>,
    pub total: usize,
    pub speeches: usize,
}

/// Every speech's concordance of `term`, ordered as asked, at most `limit` lines kept.
pub fn collection_concordance(
    corpus: &Corpus,
    term: &str,
    order: ConcordanceOrder,
    limit: usize,
) -> CollectionConcordance {
    let per_speech: Vec<Vec<ConcordanceLine>> = corpus
        .speeches
        .par_iter()
        .map(|speech| concordance(speech, term, ConcordanceOrder::Text))
        .collect();
    let total = per_speech.iter().map(Vec::len).sum();
    let speeches = per_speech.iter().filter(|lines| !lines.is_empty()).count();
    let mut lines: Vec<(usize, ConcordanceLine)> = per_speech
        .into_iter()
        .enumerate()
        .flat_map(|(index, lines)| lines.into_iter().map(move |line| (index, line)))
        .collect();
    order_lines(&mut lines, order, |(_, line)| line);
    lines.truncate(limit);
    CollectionConcordance {
        lines,
        total,
        speeches,
    }
}

/// A term's frequency section by section, in the outline's order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Trend {
    pub term: String,
    /// Occurrences in the preamble (before the first section).
    pub preamble: usize,
    pub sections: Vec<SectionCount>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SectionCount {
    pub id: SectionId,
    pub label: String,
    pub level: u8,
    /// Occurrences in the section's own heading and paragraphs (not its subsections).
    pub count: usize,
}

pub fn trend(speech: &Speech, term: &str) -> Trend {
    let wanted = char_tokens(term);
    // A term of Han characters alone matches its tokens exactly where it occurs as a substring.
    let han_only = term.chars().all(is_han);
    let count = |text: &str| {
        if han_only {
            text.matches(term).count()
        } else {
            occurrences(text, &wanted).len()
        }
    };
    Trend {
        term: term.to_owned(),
        preamble: speech.preamble.iter().map(|p| count(&p.text)).sum(),
        sections: speech
            .sections_flat()
            .into_iter()
            .map(|section| SectionCount {
                id: section.id.clone(),
                label: section.label(),
                level: section.level,
                count: count(&section.title)
                    + section
                        .paragraphs
                        .iter()
                        .map(|p| count(&p.text))
                        .sum::<usize>(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse;

    fn seed() -> Speech {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seeds/000_fd25136dcbaff602.txt"
        );
        parse("seed.txt", &std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn one_line_per_occurrence_with_context() {
        let speech = seed();
        let lines = concordance(&speech, "低保", ConcordanceOrder::Text);
        let expected: usize = speech
            .paragraphs()
            .map(|(_, p)| p.text.matches("低保").count())
            .sum();
        assert_eq!(lines.len(), expected);
        assert!(lines.iter().all(|l| l.keyword == "低保"));
        assert!(lines[0].right.starts_with("资金11134 万元"));
    }

    #[test]
    fn terms_across_word_boundaries_and_sorting() {
        let speech = seed();
        let lines = concordance(&speech, "保民生", ConcordanceOrder::Text);
        assert!(!lines.is_empty());
        let by_right = concordance(&speech, "低保", ConcordanceOrder::Right);
        assert!(by_right.windows(2).all(|w| w[0].right <= w[1].right));
        let by_left = concordance(&speech, "低保", ConcordanceOrder::Left);
        assert!(
            by_left
                .windows(2)
                .all(|w| w[0].left.chars().rev().le(w[1].left.chars().rev()))
        );
    }

    #[test]
    fn trend_follows_the_outline() {
        let speech = seed();
        let trend = trend(&speech, "低保");
        let ids: Vec<String> = trend.sections.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, vec!["1", "1.1", "1.2", "1.3"]);
        let total: usize = trend.preamble + trend.sections.iter().map(|s| s.count).sum::<usize>();
        assert_eq!(
            total,
            concordance(&speech, "低保", ConcordanceOrder::Text).len()
        );
    }
}
