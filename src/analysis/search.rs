//! Full-text search with tantivy, built in RAM at load time: one document per paragraph and
//! per heading. A character-level field answers every term as an exact phrase (so a word the
//! segmenter splits, a single character, digits and Latin all match their text); a jieba word
//! field adds relevance for whole words.

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Score, TantivyDocument, Term};

use super::segment::{CharTokenWalker, Segmenter, char_tokens};
use crate::corpus::Corpus;
use crate::model::{Section, Speech};
use std::collections::HashMap;
use std::sync::Mutex;
use tantivy::IndexWriter;

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// Queries longer than this are trimmed, with a notice.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many terms of a query are used.
const MAX_TERMS: usize = 16;
/// Hits gathered for one query, best first; the count of all matches is exact.
const MAX_HITS: usize = 5_000;
/// Hits shown on one results page.
pub const HITS_PER_PAGE: usize = 20;
/// Characters shown around the first match in a snippet.
const SNIPPET_CONTEXT_CHARS: usize = 60;
/// A whole-word match counts this much more than the characters alone.
const WORD_BOOST: f32 = 2.0;

const CHARS_TOKENIZER: &str = "rostrum_chars";
const WORDS_TOKENIZER: &str = "rostrum_words";

#[derive(Clone, Copy)]
struct Fields {
    /// Position of the speech in the corpus (fast, indexed: filters and results).
    speech: Field,
    /// Paragraph id; 0 for a heading.
    paragraph: Field,
    /// Position of the section in `sections_flat()` plus one; 0 for the preamble.
    section: Field,
    /// The section's id and its ancestors' (`1`, `1.2`): the section filter.
    section_path: Field,
    chars: Field,
    words: Field,
}

/// The collection's search index, immutable once built.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    segmenter: Segmenter,
}

/// Character tokens streamed into one reused tantivy token.
struct CharTokenStream<'a> {
    walker: CharTokenWalker<'a>,
    token: Token,
}

impl TokenStream for CharTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.walker.next_into(&mut self.token.text) {
            Some((start, end)) => {
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position = self.token.position.wrapping_add(1);
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[derive(Clone)]
struct CharTokenizer;

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharTokenStream<'a> {
        CharTokenStream {
            walker: CharTokenWalker::new(text),
            token: Token::default(),
        }
    }
}

/// jieba's words streamed into one reused tantivy token, lowercased.
struct WordTokenStream<'a> {
    base: usize,
    words: std::vec::IntoIter<&'a str>,
    token: Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(word) = self.words.next() else {
            return false;
        };
        let start = word.as_ptr() as usize - self.base;
        self.token.text.clear();
        self.token
            .text
            .extend(word.chars().flat_map(char::to_lowercase));
        self.token.offset_from = start;
        self.token.offset_to = start + word.len();
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[derive(Clone)]
struct WordTokenizer(Segmenter);

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            base: text.as_ptr() as usize,
            words: self.0.words(text).into_iter(),
            token: Token::default(),
        }
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let numeric = NumericOptions::default().set_fast();
    let indexed_numeric = NumericOptions::default().set_fast().set_indexed();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        speech: builder.add_u64_field("speech", indexed_numeric),
        paragraph: builder.add_u64_field("paragraph", numeric.clone()),
        section: builder.add_u64_field("section", numeric),
        section_path: builder.add_text_field("section_path", STRING),
        chars: builder.add_text_field(
            "chars",
            text(CHARS_TOKENIZER, IndexRecordOption::WithFreqsAndPositions),
        ),
        words: builder.add_text_field("words", text(WORDS_TOKENIZER, IndexRecordOption::WithFreqs)),
    };
    (builder.build(), fields)
}

/// Memory for tantivy's indexing threads while the index is built (freed afterwards).
const WRITER_MEMORY_BYTES: usize = 256 * 1024 * 1024;

/// Builds the index; speeches may be added from many threads at once.
pub struct SearchIndexBuilder {
    index: Index,
    writer: IndexWriter,
    fields: Fields,
    segmenter: Segmenter,
    failure: Mutex<Option<SearchError>>,
}

impl SearchIndexBuilder {
    pub fn new(segmenter: &Segmenter) -> Result<SearchIndexBuilder, SearchError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(CHARS_TOKENIZER, CharTokenizer);
        index
            .tokenizers()
            .register(WORDS_TOKENIZER, WordTokenizer(segmenter.clone()));
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 8);
        let writer =
            index.writer_with_num_threads::<TantivyDocument>(threads, WRITER_MEMORY_BYTES)?;
        Ok(SearchIndexBuilder {
            index,
            writer,
            fields,
            segmenter: segmenter.clone(),
            failure: Mutex::new(None),
        })
    }

    /// Adds a speech's headings and paragraphs. A failure is kept and reported by `finish`.
    pub fn add(&self, speech_index: usize, speech: &Speech) {
        if let Err(error) = self.add_documents(speech_index, speech)
            && let Ok(mut failure) = self.failure.lock()
        {
            failure.get_or_insert(error);
        }
    }

    fn add_documents(&self, speech_index: usize, speech: &Speech) -> Result<(), SearchError> {
        let fields = self.fields;
        let flat = speech.sections_flat();
        let add = |section: Option<usize>, paragraph: u32, text: &str| {
            let mut document = TantivyDocument::default();
            document.add_u64(fields.speech, speech_index as u64);
            document.add_u64(fields.paragraph, u64::from(paragraph));
            document.add_u64(fields.section, section.map_or(0, |s| s as u64 + 1));
            if let Some(position) = section {
                for ancestor in ancestors(&flat[position].id) {
                    document.add_text(fields.section_path, ancestor);
                }
            }
            document.add_text(fields.chars, text);
            document.add_text(fields.words, text);
            self.writer.add_document(document).map(|_| ())
        };
        for (position, section) in flat.iter().enumerate() {
            add(Some(position), 0, &section.label())?;
        }
        for (section, paragraph) in speech.paragraphs() {
            let position = section.and_then(|s| flat.iter().position(|f| std::ptr::eq(*f, s)));
            add(position, paragraph.id, &paragraph.text)?;
        }
        Ok(())
    }

    /// Commits everything added and opens the index for searching.
    pub fn finish(mut self) -> Result<SearchIndex, SearchError> {
        if let Some(error) = self.failure.lock().ok().and_then(|mut f| f.take()) {
            return Err(error);
        }
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        if let Ok(usage) = reader.searcher().space_usage() {
            let megabytes = usage.total().get_bytes() as f64 / 1e6;
            tracing::info!("search index: {megabytes:.1} MB in memory");
        }
        Ok(SearchIndex {
            reader,
            fields: self.fields,
            segmenter: self.segmenter,
        })
    }
}

impl SearchIndex {
    /// Answers a request: every match counted, the best `MAX_HITS` grouped by speech.
    pub fn search(
        &self,
        corpus: &Corpus,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let parsed = parse_query(&request.query);
        let mut results = SearchResults {
            query: parsed.clone(),
            total_hits: 0,
            total_speeches: 0,
            page: request.page.max(1),
            pages: 0,
            truncated: false,
            groups: Vec::new(),
        };
        if parsed.terms.is_empty() {
            return Ok(results);
        }
        let speech_filter = match &request.speech {
            Some(slug) => match corpus.index_of(slug) {
                Some(index) => Some(index),
                None => return Ok(results),
            },
            None => None,
        };
        let query = self.query(&parsed, speech_filter, request.section.as_deref());
        let searcher = self.reader.searcher();
        let (total, top) = searcher.search(
            &query,
            &(Count, TopDocs::with_limit(MAX_HITS).order_by_score()),
        )?;
        let mut hits = self.locate(&searcher, &top)?;
        results.total_hits = total;
        results.truncated = total > hits.len();
        // Speeches by their best hit; within a speech, reading order.
        let mut best_of_speech: HashMap<usize, Score> = HashMap::new();
        for hit in &hits {
            let best = best_of_speech.entry(hit.speech).or_insert(hit.score);
            *best = best.max(hit.score);
        }
        let mut best: Vec<(usize, Score)> = best_of_speech.into_iter().collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        results.total_speeches = best.len();
        let rank: HashMap<usize, usize> = best
            .iter()
            .enumerate()
            .map(|(rank, (speech, _))| (*speech, rank))
            .collect();
        hits.sort_by_key(|hit| (rank.get(&hit.speech).copied(), hit.section, hit.paragraph));
        results.pages = hits.len().div_ceil(HITS_PER_PAGE);
        let start = (results.page - 1).saturating_mul(HITS_PER_PAGE);
        for hit in hits.iter().skip(start).take(HITS_PER_PAGE) {
            let Some(speech) = corpus.speeches.get(hit.speech) else {
                continue;
            };
            let shown = describe_hit(speech, hit, &parsed);
            match results.groups.last_mut() {
                Some(group) if group.slug == speech.slug => group.hits.push(shown),
                _ => results.groups.push(HitGroup {
                    slug: speech.slug.clone(),
                    title: speech.title.clone(),
                    hits: vec![shown],
                }),
            }
        }
        Ok(results)
    }

    fn query(
        &self,
        parsed: &ParsedQuery,
        speech: Option<usize>,
        section: Option<&str>,
    ) -> BooleanQuery {
        let fields = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &parsed.terms {
            let tokens: Vec<Term> = term
                .tokens
                .iter()
                .map(|t| Term::from_field_text(fields.chars, t))
                .collect();
            let exact: Box<dyn Query> = match tokens.as_slice() {
                [single] => Box::new(TermQuery::new(single.clone(), IndexRecordOption::WithFreqs)),
                _ => Box::new(PhraseQuery::new(tokens)),
            };
            clauses.push((Occur::Must, exact));
            for word in self.segmenter.words(&term.text) {
                let word = Term::from_field_text(fields.words, &word.to_lowercase());
                let word_query = TermQuery::new(word, IndexRecordOption::WithFreqs);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(word_query), WORD_BOOST)),
                ));
            }
        }
        if let Some(speech) = speech {
            let term = Term::from_field_u64(fields.speech, speech as u64);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(section) = section {
            let term = Term::from_field_text(fields.section_path, section);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        BooleanQuery::new(clauses)
    }

    /// Where each hit is: speech, section and paragraph, from the fast fields.
    fn locate(
        &self,
        searcher: &tantivy::Searcher,
        top: &[(Score, DocAddress)],
    ) -> Result<Vec<RawHit>, SearchError> {
        let mut hits = Vec::with_capacity(top.len());
        let mut columns = std::collections::HashMap::new();
        for (score, address) in top {
            let (speech, section, paragraph) = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                    entry.insert((
                        fast.u64("speech")?,
                        fast.u64("section")?,
                        fast.u64("paragraph")?,
                    ))
                }
            };
            let value = |column: &tantivy::columnar::Column<u64>| {
                column.first(address.doc_id).unwrap_or_default()
            };
            hits.push(RawHit {
                score: *score,
                speech: value(speech) as usize,
                section: value(section) as usize,
                paragraph: value(paragraph) as u32,
            });
        }
        Ok(hits)
    }
}

/// `1.2.3` → `1`, `1.2`, `1.2.3`.
fn ancestors(id: &str) -> impl Iterator<Item = &str> {
    id.match_indices('.')
        .map(|(at, _)| &id[..at])
        .chain(std::iter::once(id))
}

struct RawHit {
    score: Score,
    speech: usize,
    /// Section position plus one; 0 for the preamble.
    section: usize,
    /// Paragraph id; 0 for a heading.
    paragraph: u32,
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Only this speech (slug).
    pub speech: Option<String>,
    /// Only this section (id) and its subsections; goes with `speech`.
    pub section: Option<String>,
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
    tokens: Vec<String>,
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
        let tokens: Vec<String> = char_tokens(text).into_iter().map(|t| t.text).collect();
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
}

#[derive(Debug, Clone, Serialize)]
pub struct HitGroup {
    pub slug: String,
    pub title: String,
    pub hits: Vec<Hit>,
}

/// One matching paragraph or heading.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `None` for the preamble.
    pub section: Option<String>,
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

fn describe_hit(speech: &Speech, hit: &RawHit, query: &ParsedQuery) -> Hit {
    let flat = speech.sections_flat();
    let section: Option<&Section> = hit
        .section
        .checked_sub(1)
        .and_then(|i| flat.get(i).copied());
    let breadcrumb = section
        .map(|s| {
            ancestors(&s.id)
                .filter_map(|id| speech.section(id))
                .map(Section::label)
                .collect()
        })
        .unwrap_or_default();
    let (text, anchor) = match (hit.paragraph, section) {
        (0, Some(section)) => (
            section.label(),
            format!("s{}", section.id.replace('.', "-")),
        ),
        (id, _) => (
            speech
                .paragraphs()
                .find(|(_, p)| p.id == id)
                .map(|(_, p)| p.text.clone())
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

/// The text around the first match, with every match marked. Matching is token by token, the
/// same way the index matches, so `80%` marks `80%` and `11134万元` marks `11134 万元`.
pub fn snippet(text: &str, query: &ParsedQuery) -> Vec<SnippetPart> {
    let tokens = char_tokens(text);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in &query.terms {
        let length = term.tokens.len();
        for window in tokens.windows(length) {
            if window
                .iter()
                .zip(&term.tokens)
                .all(|(token, wanted)| token.text == *wanted)
            {
                ranges.push((window[0].start, window[length - 1].end));
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
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
