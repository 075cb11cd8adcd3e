//! Full-text search with tantivy, built at load time (in the cache when there is one, in
//! memory otherwise): one document per paragraph and per heading, and one per speech holding
//! its words, which counts the speeches that use a word. A term that is a dictionary word is
//! looked up in a field holding every dictionary word of the text (jieba's full mode, so every
//! occurrence is there); any other term (a single character, a phrase, a name, digits, Latin)
//! is an exact phrase of a character-level field, where the dictionary words it contains add
//! relevance. Until the index is built, searches read the collection itself (`scan`) and
//! find the same matches.
//!
//! One file a job: `tokenizers` (what the fields hold), `build` (schema and building), `store`
//! (the on-disk cache), `query` (parsing what the user typed, and the tantivy query),
//! `rank` (ranking speeches and filling a page without reading every match), `results` (hits,
//! breadcrumbs and snippets), `scan` (searching without the index). A change to the
//! collection makes a new index (`updated`).

mod build;
mod query;
mod rank;
mod results;
mod scan;
mod store;
mod tokenizers;

pub use build::SearchIndexBuilder;
pub use query::{MAX_QUERY_CHARS, ParsedQuery, QueryTerm, SearchRequest, parse_query};
pub use results::{Hit, HitGroup, SearchResults, SnippetPart, matched_ranges, snippet};
pub use scan::search as scan;
pub use store::{CacheError, IndexCache};

use rustc_hash::FxHashMap;
use std::path::PathBuf;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::Field;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use super::segment::Segmenter;
use crate::corpus::Corpus;
use crate::corpus::update::Delta;
use crate::model::Speech;
use rank::{Match, SegmentDocuments, count_matches};
use results::describe_hit;

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// Hits shown on one results page.
pub const HITS_PER_PAGE: usize = 20;
/// Hits gathered for one query, best first; the count of all matches is exact.
const MAX_HITS: usize = 5_000;

#[derive(Clone, Copy)]
struct Fields {
    /// The speech's key, `speech_key` of its slug (fast, indexed: filters, results, updates).
    speech: Field,
    /// Paragraph id; 0 for a heading.
    paragraph: Field,
    /// Position of the section in `sections_flat()` plus one; 0 for the preamble.
    section: Field,
    /// The section's id and its ancestors' (`1`, `1.2`): the section filter.
    section_path: Field,
    chars: Field,
    words: Field,
    /// In one more document per speech, the words of the whole speech:
    /// how many speeches use a word is its document frequency there.
    speech_words: Field,
}

/// The key a speech's documents carry: its slug hashed, which outlives an edit of its file.
pub fn speech_key(slug: &str) -> u64 {
    let hash = blake3::hash(slug.as_bytes());
    let mut first = [0; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// A document whose speech is not in the collection (deleted since, or never).
const NO_SPEECH: u32 = u32::MAX;

/// Where an index's files are.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    /// In memory, when nothing is kept on disk.
    Memory,
    /// In a folder of the cache, as built, until it takes the stored index's place
    /// (`SearchIndex::store`): the index is built where it is kept, not in memory.
    Staged(PathBuf),
    /// The index stored in the cache.
    Stored,
}

/// The collection's search index at one moment: a new one is made when the collection changes.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// What every document is, by segment and document id.
    segments: Vec<SegmentDocuments>,
    fields: Fields,
    segmenter: Segmenter,
    /// Where its files are.
    place: Place,
}

impl SearchIndex {
    fn ready(
        index: Index,
        fields: Fields,
        segmenter: Segmenter,
        place: Place,
        corpus: &Corpus,
    ) -> Result<SearchIndex, SearchError> {
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let position: FxHashMap<u64, u32> = corpus
            .speeches
            .iter()
            .enumerate()
            .map(|(position, speech)| (speech_key(&speech.slug), position as u32))
            .collect();
        let segments = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|segment| SegmentDocuments::read(segment, &position))
            .collect::<tantivy::Result<_>>()?;
        Ok(SearchIndex {
            index,
            reader,
            segments,
            fields,
            segmenter,
            place,
        })
    }

    /// Logs the index's size.
    fn log_size(&self) {
        if let Ok(usage) = self.reader.searcher().space_usage() {
            let megabytes = usage.total().get_bytes() as f64 / 1e6;
            let segments = self.segment_count();
            tracing::info!("search index: {megabytes:.1} MB, {segments} segments");
        }
    }

    /// The segments every search reads, each in turn.
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// The index of `corpus`, the collection after `delta`: the documents of the speeches that
    /// left are deleted and those of the speeches that came are added, in one commit. This
    /// index, and every search already holding it, keep seeing the collection as it was.
    pub fn updated(&self, delta: &Delta, corpus: &Corpus) -> Result<SearchIndex, SearchError> {
        let removed: Vec<u64> = delta.removed.iter().map(|s| speech_key(&s.slug)).collect();
        let added: Vec<&Speech> = delta.added.iter().map(|speech| &**speech).collect();
        self.changed(&removed, &added, corpus)
    }

    /// The index of `corpus` after deleting the documents of the speeches keyed `removed` and
    /// adding those of `added`, in one commit.
    fn changed(
        &self,
        removed: &[u64],
        added: &[&Speech],
        corpus: &Corpus,
    ) -> Result<SearchIndex, SearchError> {
        let mut writer = build::writer_for(&self.index, added.len())?;
        for &key in removed {
            writer.delete_term(Term::from_field_u64(self.fields.speech, key));
        }
        for speech in added {
            build::add_documents(&writer, self.fields, speech)?;
        }
        writer.commit()?;
        self.reopened(corpus)
    }

    /// The index this one reads, opened again as it now is, for searching `corpus`.
    fn reopened(&self, corpus: &Corpus) -> Result<SearchIndex, SearchError> {
        SearchIndex::ready(
            self.index.clone(),
            self.fields,
            self.segmenter.clone(),
            self.place.clone(),
            corpus,
        )
    }

    /// This index with its segments merged into one, which every search then reads instead
    /// of each; `None` if it has one already. Searches meanwhile use this one.
    pub fn merged(&self, corpus: &Corpus) -> Result<Option<SearchIndex>, SearchError> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() < 2 {
            return Ok(None);
        }
        let mut writer = build::writer_for(&self.index, 1)?;
        writer.merge(&segments).wait()?;
        writer.wait_merging_threads()?;
        let merged = self.reopened(corpus)?;
        merged.log_size();
        Ok(Some(merged))
    }

    /// Answers a request: every match counted, and one page of the best `MAX_HITS`, grouped
    /// by speech, speeches in the order of their best match.
    pub fn search(
        &self,
        corpus: &Corpus,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let parsed = parse_query(&request.query);
        let mut results = SearchResults::empty(parsed.clone(), request.page);
        if parsed.terms.is_empty() {
            return Ok(results);
        }
        let speech_filter = match &request.speech {
            Some(slug) if corpus.speech(slug).is_some() => Some(speech_key(slug)),
            Some(_) => return Ok(results),
            None => None,
        };
        let query = self.query(&parsed, speech_filter, request.section.as_ref());
        let searcher = self.reader.searcher();
        let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
        results.total_hits = count_matches(&searcher, weight.as_ref())?;
        let listed = results.total_hits.min(MAX_HITS);
        results.truncated = results.total_hits > MAX_HITS;
        results.pages = listed.div_ceil(HITS_PER_PAGE);
        let word = self.speech_count_term(&parsed, request);
        results.total_speeches = self.count_speeches(&searcher, weight.as_ref(), word)?;
        let start = (results.page - 1).saturating_mul(HITS_PER_PAGE);
        if start >= listed {
            return Ok(results);
        }
        let (on_page, skip) = self.speeches_on_page(&searcher, query.as_ref(), corpus, start)?;
        let rank: FxHashMap<usize, usize> = on_page
            .iter()
            .enumerate()
            .map(|(rank, speech)| (speech.speech, rank))
            .collect();
        let page_matches: Vec<&Match> = on_page.iter().flat_map(|s| &s.matches).collect();
        let mut hits = self.locate(&page_matches);
        hits.sort_unstable_by_key(|hit| (rank.get(&hit.speech), hit.section, hit.paragraph));
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
                    matches: rank
                        .get(&hit.speech)
                        .and_then(|&rank| on_page.get(rank))
                        .map_or(0, |speech| speech.matches.len()),
                    hits: vec![shown],
                }),
            }
        }
        Ok(results)
    }
}
