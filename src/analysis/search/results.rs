//! What a search answers: hits grouped by speech, each with its breadcrumb, its anchor on the
//! reader page and a snippet with every match marked.

use serde::Serialize;

use super::query::ParsedQuery;
use super::rank::RawHit;
use crate::analysis::segment::occurrences;
use crate::model::{Section, SectionId, Speech};

/// Characters shown around the first match in a snippet.
const SNIPPET_CONTEXT_CHARS: usize = 60;

/// The results of one query.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: ParsedQuery,
    /// Paragraphs and headings that match, in all.
    pub total_hits: usize,
    pub total_speeches: usize,
    pub page: usize,
    pub pages: usize,
    /// More matched than were ranked (`MAX_HITS`).
    pub truncated: bool,
    /// This page's hits, grouped by speech, best speech first.
    pub groups: Vec<HitGroup>,
    /// Found by reading the collection while its index is built: the same matches, ranked
    /// without knowing how rare each term is.
    pub scanned: bool,
}

impl SearchResults {
    /// No results yet for `query`, on page `page` (1 if 0).
    pub(super) fn empty(query: ParsedQuery, page: usize) -> SearchResults {
        SearchResults {
            query,
            total_hits: 0,
            total_speeches: 0,
            page: page.max(1),
            pages: 0,
            truncated: false,
            groups: Vec::new(),
            scanned: false,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HitGroup {
    pub slug: String,
    pub title: String,
    /// The speech's paragraphs and headings that match, on this page and others.
    pub matches: usize,
    pub hits: Vec<Hit>,
}

/// One matching paragraph or heading.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `None` for the preamble.
    pub section: Option<SectionId>,
    /// `None` for a heading.
    pub paragraph: Option<u32>,
    /// The section labels from the top down.
    pub breadcrumb: Vec<String>,
    /// The anchor on the reader page: `p17` or `s1-2`.
    pub anchor: String,
    pub snippet: Vec<SnippetPart>,
}

/// A piece of a snippet; `matched` pieces are what the query found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

pub(super) fn describe_hit(speech: &Speech, hit: &RawHit, query: &ParsedQuery) -> Hit {
    let flat = speech.sections_flat();
    let section: Option<&Section> = hit
        .section
        .checked_sub(1)
        .and_then(|i| flat.get(i).copied());
    let breadcrumb = section
        .map(|s| {
            s.id.lineage()
                .filter_map(|id| flat.iter().find(|f| f.id == id))
                .map(|f| f.label())
                .collect()
        })
        .unwrap_or_default();
    let (text, anchor) = match (hit.paragraph, section) {
        (0, Some(section)) => (section.label(), section.id.anchor()),
        (id, _) => (
            section
                .map_or(speech.preamble.as_slice(), |s| s.paragraphs.as_slice())
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.text.clone())
                .unwrap_or_default(),
            format!("p{id}"),
        ),
    };
    Hit {
        section: section.map(|s| s.id.clone()),
        paragraph: (hit.paragraph > 0).then_some(hit.paragraph),
        breadcrumb,
        anchor,
        snippet: snippet(&text, query),
    }
}

/// Where `query` matches in `text`, as sorted byte ranges that do not overlap. Matching is
/// token by token, the same way the index matches, so `80%` marks `80%` and `11134万元` marks
/// `11134 万元`.
pub fn matched_ranges(text: &str, query: &ParsedQuery) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = query
        .terms
        .iter()
        .flat_map(|term| occurrences(text, &term.tokens))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The text around the first match, with every match marked.
pub fn snippet(text: &str, query: &ParsedQuery) -> Vec<SnippetPart> {
    let merged = matched_ranges(text, query);
    let (from, to) = snippet_window(text, merged.first().map_or(0, |r| r.0));
    let mut parts = Vec::new();
    let mut cursor = from;
    if from > 0 {
        parts.push(SnippetPart {
            text: "…".to_owned(),
            matched: false,
        });
    }
    for (start, end) in merged.into_iter().filter(|(s, e)| *s >= from && *e <= to) {
        if start > cursor {
            parts.push(SnippetPart {
                text: text[cursor..start].to_owned(),
                matched: false,
            });
        }
        parts.push(SnippetPart {
            text: text[start..end].to_owned(),
            matched: true,
        });
        cursor = end;
    }
    if cursor < to {
        parts.push(SnippetPart {
            text: text[cursor..to].to_owned(),
            matched: false,
        });
    }
    if to < text.len() {
        parts.push(SnippetPart {
            text: "…".to_owned(),
            matched: false,
        });
    }
    parts
}

/// Byte range of about `2 × SNIPPET_CONTEXT_CHARS` characters around `focus`.
fn snippet_window(text: &str, focus: usize) -> (usize, usize) {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let focus_char = boundaries.iter().position(|b| *b >= focus).unwrap_or(0);
    let start_char = focus_char.saturating_sub(SNIPPET_CONTEXT_CHARS);
    let end_char = (start_char + 2 * SNIPPET_CONTEXT_CHARS + 40).min(boundaries.len() - 1);
    (boundaries[start_char], boundaries[end_char])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::search::parse_query;

    fn marked(parts: &[SnippetPart]) -> Vec<&str> {
        parts
            .iter()
            .filter(|p| p.matched)
            .map(|p| p.text.as_str())
            .collect()
    }

    #[test]
    fn every_match_is_marked_token_by_token() {
        let text = "全市共发放城市低保资金11134 万元,农村低保资金 4200 万元,覆盖率达80%以上。";
        let parts = snippet(text, &parse_query("低保 11134万元 80%"));
        assert_eq!(marked(&parts), vec!["低保", "11134 万元", "低保", "80%"]);
        let whole: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(whole, text, "a short text is shown whole");
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{}低保{}", "甲".repeat(300), "乙".repeat(300));
        let parts = snippet(&text, &parse_query("低保"));
        assert_eq!(parts.first().map(|p| p.text.as_str()), Some("…"));
        assert_eq!(parts.last().map(|p| p.text.as_str()), Some("…"));
        assert_eq!(marked(&parts), vec!["低保"]);
        let shown: usize = parts.iter().map(|p| p.text.chars().count()).sum();
        assert!(shown < 2 * SNIPPET_CONTEXT_CHARS + 50, "{shown} characters");
    }

    #[test]
    fn overlapping_matches_merge_and_no_match_shows_the_start() {
        let parts = snippet("慈善一日捐活动", &parse_query("慈善一日 一日捐"));
        assert_eq!(marked(&parts), vec!["慈善一日捐"]);
        let parts = snippet("没有这个词", &parse_query("低保"));
        assert!(marked(&parts).is_empty());
        assert_eq!(parts[0].text, "没有这个词");
    }
}
