//! What the user typed, as terms, and the tantivy query that matches them: a dictionary word
//! looked up whole, anything else a phrase of character tokens, plus the speech and section
//! filters.

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::SearchIndex;
use crate::analysis::segment::{CharToken, char_tokens, is_term};
use crate::model::SectionId;
use crate::text::{is_han, lowercase};

/// Queries longer than this are trimmed, with a notice.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many terms of a query are used.
const MAX_TERMS: usize = 16;
/// A whole-word match counts this much more than the characters alone.
const WORD_BOOST: f32 = 2.0;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Only this speech (slug).
    pub speech: Option<String>,
    /// Only this section (id) and its subsections; goes with `speech`.
    pub section: Option<SectionId>,
    /// 1-based.
    pub page: usize,
}

/// A query as understood: its terms, and whether it was trimmed.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ParsedQuery {
    pub terms: Vec<QueryTerm>,
    /// The query was longer than `MAX_QUERY_CHARS` and was cut.
    pub trimmed: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueryTerm {
    pub text: String,
    pub quoted: bool,
    #[serde(skip)]
    pub(super) tokens: Vec<CharToken>,
}

/// Splits a query into terms: `"quoted phrases"` (straight or curly quotes) and runs between
/// spaces. Every term must match, as a phrase. Query syntax means nothing here: an unbalanced
/// quote or `AND(`, `*:` is plain text, and text with no searchable characters is dropped.
pub fn parse_query(raw: &str) -> ParsedQuery {
    let trimmed = raw.chars().count() > MAX_QUERY_CHARS;
    let query: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let is_quote = |c: char| matches!(c, '"' | '“' | '”' | '「' | '」');
    let mut terms = Vec::new();
    let mut rest = query.as_str();
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let first = rest.chars().next().unwrap_or(' ');
        let closing = is_quote(first)
            .then(|| {
                rest[first.len_utf8()..]
                    .find(is_quote)
                    .map(|at| at + first.len_utf8())
            })
            .flatten();
        let (text, quoted, consumed) = match closing {
            Some(end) => (
                &rest[first.len_utf8()..end],
                true,
                end + rest[end..].chars().next().map_or(0, char::len_utf8),
            ),
            None => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..end], false, end)
            }
        };
        rest = &rest[consumed..];
        let tokens = char_tokens(text);
        if !tokens.is_empty() && terms.len() < MAX_TERMS {
            terms.push(QueryTerm {
                text: text.trim().to_owned(),
                quoted,
                tokens,
            });
        }
    }
    ParsedQuery { terms, trimmed }
}

impl QueryTerm {
    /// The term written as one word, if it is ideographs side by side (no punctuation between
    /// them): so it is written wherever it occurs, once the whitespace between ideographs is
    /// taken out.
    pub(super) fn ideographs_side_by_side(&self) -> Option<String> {
        let ideographs_only = self
            .tokens
            .iter()
            .all(|token| token.text.chars().all(is_han));
        let adjacent = self
            .tokens
            .windows(2)
            .all(|w| w[1].span.position == w[0].span.position + 1);
        (ideographs_only && adjacent).then(|| self.tokens.iter().map(|t| t.text.as_str()).collect())
    }
}

impl SearchIndex {
    pub(super) fn query(
        &self,
        parsed: &ParsedQuery,
        speech: Option<u64>,
        section: Option<&SectionId>,
    ) -> Box<dyn Query> {
        let fields = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &parsed.terms {
            let whole_word = self.as_indexed_word(term);
            let origin = term.tokens.first().map_or(0, |t| t.span.position);
            let tokens: Vec<(usize, Term)> = term
                .tokens
                .iter()
                .map(|t| {
                    let offset = (t.span.position - origin) as usize;
                    (offset, Term::from_field_text(fields.chars, &t.text))
                })
                .collect();
            let exact: Box<dyn Query> = match (&whole_word, tokens.as_slice()) {
                (Some(word), _) => Box::new(TermQuery::new(
                    Term::from_field_text(fields.words, word),
                    IndexRecordOption::WithFreqs,
                )),
                (None, [(_, single)]) => {
                    Box::new(TermQuery::new(single.clone(), IndexRecordOption::WithFreqs))
                }
                (None, _) => Box::new(PhraseQuery::new_with_offset(tokens)),
            };
            clauses.push((Occur::Must, exact));
            if whole_word.is_some() {
                continue;
            }
            let words = self.segmenter.all_dictionary_words(&term.text);
            for word in words.into_iter().map(|word| &term.text[word]) {
                if !is_term(word) {
                    continue;
                }
                let word = Term::from_field_text(fields.words, &lowercase(word));
                let word_query = TermQuery::new(word, IndexRecordOption::WithFreqs);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(word_query), WORD_BOOST)),
                ));
            }
        }
        if let Some(speech) = speech {
            let term = Term::from_field_u64(fields.speech, speech);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(section) = section {
            let term = Term::from_field_text(fields.section_path, &section.to_string());
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        // One word alone is asked as a term, not a query of one clause: tantivy counts a
        // term's matches from its document frequency, without reading them.
        match <[_; 1]>::try_from(clauses) {
            Ok([(Occur::Must, only)]) => only,
            Ok(one) => Box::new(BooleanQuery::new(one.into())),
            Err(clauses) => Box::new(BooleanQuery::new(clauses)),
        }
    }

    /// For a request of one dictionary word in the whole collection, the term whose document
    /// frequency in the speech-level field is the number of speeches that use it.
    pub(super) fn speech_count_term(
        &self,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Option<Term> {
        let ([term], None, None) = (parsed.terms.as_slice(), &request.speech, &request.section)
        else {
            return None;
        };
        let word = self.as_indexed_word(term)?;
        Some(Term::from_field_text(self.fields.speech_words, &word))
    }

    /// The term as one token of the words field, if it is one: a dictionary word of ideographs
    /// that is a term. Jieba's full mode indexed such a word wherever it occurs, so looking it
    /// up finds exactly the texts that contain it, much faster than matching its characters.
    fn as_indexed_word(&self, term: &QueryTerm) -> Option<String> {
        let word = term.ideographs_side_by_side()?;
        (is_term(&word) && self.segmenter.is_dictionary_word(&word)).then_some(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(query: &ParsedQuery) -> Vec<(&str, bool)> {
        query
            .terms
            .iter()
            .map(|t| (t.text.as_str(), t.quoted))
            .collect()
    }

    #[test]
    fn terms_split_at_spaces_and_quotes_keep_phrases() {
        let parsed = parse_query(r#"敬老院  资金 "三院 合一" “慈善一日捐”"#);
        assert_eq!(
            texts(&parsed),
            vec![
                ("敬老院", false),
                ("资金", false),
                ("三院 合一", true),
                ("慈善一日捐", true)
            ]
        );
        assert!(!parsed.trimmed);
    }

    #[test]
    fn query_syntax_is_plain_text_and_empty_terms_are_dropped() {
        assert_eq!(
            texts(&parse_query("AND( 低保")),
            vec![("AND(", false), ("低保", false)]
        );
        assert_eq!(texts(&parse_query(r#""低保"#)), vec![(r#""低保"#, false)]);
        assert!(parse_query("*: (( \\ ^ ~").terms.is_empty());
        assert!(parse_query("   ").terms.is_empty());
    }

    #[test]
    fn long_queries_are_trimmed_and_terms_capped() {
        let long = "民".repeat(MAX_QUERY_CHARS + 10);
        let parsed = parse_query(&long);
        assert!(parsed.trimmed);
        assert_eq!(parsed.terms[0].text.chars().count(), MAX_QUERY_CHARS);
        let many = (0..40)
            .map(|i| format!("词{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(parse_query(&many).terms.len(), MAX_TERMS);
    }
}
