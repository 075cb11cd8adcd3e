//! Full-text search with tantivy, built in RAM at load time: one document per paragraph and
//! per heading. In a complete index, a term that is a dictionary word is looked up in a field holding every
//! dictionary word of the text (jieba's full mode, so every occurrence is there); any other term
//! (a single character, a phrase, a name, digits, Latin) is an exact phrase of a character-level
//! field, where the dictionary words it contains add relevance. A quick index, built first,
//! has the character field alone and answers every term there.

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::directory::{MmapDirectory, RamDirectory};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexSettings, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term,
};

use super::index_cache::{CacheError, IndexCache};
use super::segment::{
    CharToken, CharTokenWalker, Segmenter, char_tokens, is_term, join_ideographs, occurrences,
};
use crate::corpus::Corpus;
use crate::model::{Section, Speech};
use crate::text::{is_han, lowercase};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex};
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
    /// The speech of every document, by segment and document id: read from the fast field
    /// once, so that collecting a match costs a lookup.
    speech_of_doc: Vec<Arc<[u32]>>,
    fields: Fields,
    segmenter: Segmenter,
    /// The index as built in memory, until stored; `None` when opened from the cache.
    memory: Option<RamDirectory>,
    pub completeness: Completeness,
}

/// Character tokens streamed into one reused tantivy token.
struct CharTokenStream<'a> {
    walker: CharTokenWalker<'a>,
    token: Token,
}

impl TokenStream for CharTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.walker.next_into(&mut self.token.text) {
            Some(span) => {
                self.token.offset_from = span.start;
                self.token.offset_to = span.end;
                self.token.position = span.position as usize;
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

/// Every dictionary word of a text that is a term (as the statistics count them: two characters
/// or more, not a stop word), overlapping words included, streamed into one reused tantivy
/// token, lowercased. Single characters and stop words are left to the character field.
struct WordTokenStream<'a> {
    /// The text with whitespace between ideographs removed; offsets are into it.
    text: Cow<'a, str>,
    words: std::vec::IntoIter<Range<usize>>,
    token: Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let text = &self.text;
        let Some(word) = self.words.find(|word| is_term(&text[word.clone()])) else {
            return false;
        };
        self.token.text.clear();
        self.token
            .text
            .push_str(&lowercase(&self.text[word.clone()]));
        self.token.offset_from = word.start;
        self.token.offset_to = word.end;
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
        let text = join_ideographs(text);
        WordTokenStream {
            words: self.0.all_dictionary_words(&text).into_iter(),
            text,
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
    /// Where the index is built: in memory, then stored in the cache as it is.
    memory: RamDirectory,
    writer: IndexWriter,
    fields: Fields,
    segmenter: Segmenter,
    completeness: Completeness,
    failure: Mutex<Option<SearchError>>,
}

/// What an index holds: both fields, or the character field alone. A quick index matches
/// exactly the same paragraphs, but every term is a character phrase (slower for common
/// words) and no dictionary word adds to the score. It takes about half the time to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    CharactersOnly,
}

impl SearchIndexBuilder {
    pub fn new(
        segmenter: &Segmenter,
        completeness: Completeness,
    ) -> Result<SearchIndexBuilder, SearchError> {
        let (schema, fields) = schema();
        let memory = RamDirectory::create();
        let index = Index::create(memory.clone(), schema, IndexSettings::default())?;
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
            memory,
            writer,
            fields,
            segmenter: segmenter.clone(),
            completeness,
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
            if self.completeness == Completeness::Complete {
                document.add_text(fields.words, text);
            }
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
        SearchIndex::ready(
            &self.index,
            self.fields,
            self.segmenter,
            Some(self.memory),
            self.completeness,
        )
    }
}

impl SearchIndex {
    /// Opens the index stored in `folder` by `store`, if it has this version's schema.
    pub fn open(folder: &Path, segmenter: &Segmenter) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(folder)?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            let message = "the stored index has another schema".to_owned();
            return Err(tantivy::TantivyError::SchemaError(message).into());
        }
        SearchIndex::ready(
            &index,
            fields,
            segmenter.clone(),
            None,
            Completeness::Complete,
        )
    }

    fn ready(
        index: &Index,
        fields: Fields,
        segmenter: Segmenter,
        memory: Option<RamDirectory>,
        completeness: Completeness,
    ) -> Result<SearchIndex, SearchError> {
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        if let Ok(usage) = reader.searcher().space_usage() {
            let megabytes = usage.total().get_bytes() as f64 / 1e6;
            let segments = reader.searcher().segment_readers().len();
            tracing::info!("search index: {megabytes:.1} MB, {segments} segments");
        }
        let speech_of_doc = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|segment| {
                let speech = segment.fast_fields().u64("speech")?;
                Ok((0..segment.max_doc())
                    .map(|doc| speech.first(doc).unwrap_or_default() as u32)
                    .collect())
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SearchIndex {
            reader,
            speech_of_doc,
            fields,
            segmenter,
            memory,
            completeness,
        })
    }

    /// Stores the index in `cache` for `corpus`, the collection it was built from; `false` if
    /// there was nothing to store: the index was opened from the cache, or is a quick one.
    pub fn store(&self, cache: &IndexCache, corpus: &Corpus) -> Result<bool, CacheError> {
        let (Some(memory), Completeness::Complete) = (&self.memory, self.completeness) else {
            return Ok(false);
        };
        cache.store(corpus, |folder| {
            memory.persist(&MmapDirectory::open(folder)?)
        })?;
        Ok(true)
    }

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
        let collector = AllMatches {
            speech_of_doc: &self.speech_of_doc,
        };
        let mut matches = searcher.search(&query, &collector)?;
        results.total_hits = matches.len();
        if matches.len() > MAX_HITS {
            matches.select_nth_unstable_by(MAX_HITS, Match::best_first);
            matches.truncate(MAX_HITS);
            results.truncated = true;
        }
        results.pages = matches.len().div_ceil(HITS_PER_PAGE);
        let start = (results.page - 1).saturating_mul(HITS_PER_PAGE);
        let ranking = rank_speeches(&matches, start.saturating_add(HITS_PER_PAGE));
        results.total_speeches = ranking.total;
        let (on_page, skip) = ranking.on_page(start);
        let page_matches: Vec<&Match> = matches
            .iter()
            .filter(|m| on_page.contains_key(&m.speech))
            .collect();
        let mut hits = self.locate(&searcher, &page_matches)?;
        hits.sort_unstable_by_key(|hit| (on_page.get(&hit.speech), hit.section, hit.paragraph));
        for hit in hits.iter().skip(skip).take(HITS_PER_PAGE) {
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
            if whole_word.is_some() || self.completeness == Completeness::CharactersOnly {
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

    /// The term as one token of the words field, if it is one: a dictionary word of ideographs
    /// that is a term. Jieba's full mode indexed such a word wherever it occurs, so looking it
    /// up finds exactly the texts that contain it, much faster than matching its characters.
    fn as_indexed_word(&self, term: &QueryTerm) -> Option<String> {
        if self.completeness == Completeness::CharactersOnly {
            return None;
        }
        let ideographs_only = term
            .tokens
            .iter()
            .all(|token| token.text.chars().all(is_han));
        let adjacent = term
            .tokens
            .windows(2)
            .all(|w| w[1].span.position == w[0].span.position + 1);
        let word: String = term.tokens.iter().map(|t| t.text.as_str()).collect();
        (ideographs_only && adjacent && is_term(&word) && self.segmenter.is_dictionary_word(&word))
            .then_some(word)
    }

    /// Where each match is: its section and paragraph, from the fast fields.
    fn locate(
        &self,
        searcher: &tantivy::Searcher,
        matches: &[&Match],
    ) -> Result<Vec<RawHit>, SearchError> {
        let mut columns = FxHashMap::default();
        let mut hits = Vec::with_capacity(matches.len());
        for found in matches {
            let address = found.address;
            let (section, paragraph) = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                    entry.insert((fast.u64("section")?, fast.u64("paragraph")?))
                }
            };
            let value = |column: &Column<u64>| column.first(address.doc_id).unwrap_or_default();
            hits.push(RawHit {
                speech: found.speech,
                section: value(section) as usize,
                paragraph: value(paragraph) as u32,
            });
        }
        Ok(hits)
    }
}

/// A match as the collector finds it: its score, its speech, and its place in the index.
#[derive(Debug, Clone, Copy)]
struct Match {
    score: Score,
    speech: usize,
    address: DocAddress,
}

impl Match {
    /// Higher scores first; ties in index order, so that a cut at `MAX_HITS` is repeatable.
    fn best_first(a: &Match, b: &Match) -> std::cmp::Ordering {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.address.cmp(&b.address))
    }
}

/// Collects every match with its score and speech.
struct AllMatches<'a> {
    speech_of_doc: &'a [Arc<[u32]>],
}

struct SegmentMatches {
    segment: SegmentOrdinal,
    speech_of_doc: Arc<[u32]>,
    matches: Vec<Match>,
}

impl Collector for AllMatches<'_> {
    type Fruit = Vec<Match>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let speech_of_doc = self.speech_of_doc.get(segment as usize).ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("segment {segment} was not opened"))
        })?;
        Ok(SegmentMatches {
            segment,
            speech_of_doc: Arc::clone(speech_of_doc),
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches.push(Match {
            score,
            speech: self
                .speech_of_doc
                .get(doc as usize)
                .copied()
                .unwrap_or_default() as usize,
            address: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}

/// A speech among the results: its best score and how many hits it has.
struct SpeechHits {
    speech: usize,
    best: Score,
    hits: usize,
}

/// The speeches hit, and the `wanted` best of them in order (best score first, ties by
/// collection order): enough to fill the pages up to the one asked for.
struct SpeechRanking {
    total: usize,
    best: Vec<SpeechHits>,
}

impl SpeechRanking {
    /// The speeches whose hits fall on the page that starts at hit `start`, each with its
    /// place on the page; and how many hits of the first of them earlier pages showed.
    fn on_page(&self, start: usize) -> (FxHashMap<usize, usize>, usize) {
        let mut on_page = FxHashMap::default();
        let mut shown_before = 0;
        let mut skip = 0;
        for speech in &self.best {
            if shown_before + speech.hits > start {
                if on_page.is_empty() {
                    skip = start - shown_before;
                }
                on_page.insert(speech.speech, on_page.len());
            }
            shown_before += speech.hits;
            if shown_before >= start.saturating_add(HITS_PER_PAGE) {
                break;
            }
        }
        (on_page, skip)
    }
}

fn rank_speeches(matches: &[Match], wanted: usize) -> SpeechRanking {
    let mut by_speech: FxHashMap<usize, SpeechHits> = FxHashMap::default();
    for found in matches {
        let speech = by_speech.entry(found.speech).or_insert(SpeechHits {
            speech: found.speech,
            best: found.score,
            hits: 0,
        });
        speech.best = speech.best.max(found.score);
        speech.hits += 1;
    }
    let total = by_speech.len();
    let mut best: Vec<SpeechHits> = by_speech.into_values().collect();
    let order = |a: &SpeechHits, b: &SpeechHits| {
        b.best
            .total_cmp(&a.best)
            .then_with(|| a.speech.cmp(&b.speech))
    };
    if best.len() > wanted {
        best.select_nth_unstable_by(wanted, order);
        best.truncate(wanted);
    }
    best.sort_unstable_by(order);
    SpeechRanking { total, best }
}

/// `1.2.3` → `1`, `1.2`, `1.2.3`.
fn ancestors(id: &str) -> impl Iterator<Item = &str> {
    id.match_indices('.')
        .map(|(at, _)| &id[..at])
        .chain(std::iter::once(id))
}

struct RawHit {
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
    tokens: Vec<CharToken>,
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
                .filter_map(|id| flat.iter().find(|f| f.id == id))
                .map(|f| f.label())
                .collect()
        })
        .unwrap_or_default();
    let (text, anchor) = match (hit.paragraph, section) {
        (0, Some(section)) => (
            section.label(),
            format!("s{}", section.id.replace('.', "-")),
        ),
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

/// The text around the first match, with every match marked. Matching is token by token, the
/// same way the index matches, so `80%` marks `80%` and `11134万元` marks `11134 万元`.
pub fn snippet(text: &str, query: &ParsedQuery) -> Vec<SnippetPart> {
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

    /// `hits` matches of `speech`, the first scoring `best` and the rest less.
    fn matches_of(speech: usize, best: Score, hits: usize, next_doc: &mut u32) -> Vec<Match> {
        (0..hits)
            .map(|i| {
                *next_doc += 1;
                Match {
                    score: if i == 0 { best } else { best / 2.0 },
                    speech,
                    address: DocAddress::new(0, *next_doc),
                }
            })
            .collect()
    }

    #[test]
    fn speeches_rank_by_best_hit_and_pages_split_a_speech_where_they_must() {
        let mut doc = 0;
        let mut matches = matches_of(7, 1.0, 25, &mut doc);
        matches.extend(matches_of(9, 1.0, 3, &mut doc));
        matches.extend(matches_of(3, 2.0, 5, &mut doc));

        let ranking = rank_speeches(&matches, 100);
        assert_eq!(ranking.total, 3);
        let order: Vec<usize> = ranking.best.iter().map(|s| s.speech).collect();
        assert_eq!(
            order,
            vec![3, 7, 9],
            "best score first, ties in collection order"
        );

        let (first, skip) = ranking.on_page(0);
        assert_eq!(
            (first.get(&3), first.get(&7), first.len(), skip),
            (Some(&0), Some(&1), 2, 0)
        );
        let (second, skip) = ranking.on_page(HITS_PER_PAGE);
        assert_eq!(
            (second.get(&7), second.get(&9), second.len()),
            (Some(&0), Some(&1), 2)
        );
        assert_eq!(
            skip, 15,
            "speech 7's first 15 hits were on page 1, after speech 3's 5"
        );
        assert!(ranking.on_page(2 * HITS_PER_PAGE).0.is_empty());

        let only_best = rank_speeches(&matches, 1);
        assert_eq!((only_best.total, only_best.best.len()), (3, 1));
        assert_eq!(only_best.best[0].speech, 3);
    }
}
