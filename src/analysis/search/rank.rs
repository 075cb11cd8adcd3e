//! Ranking without reading every match. Speeches rank by their best match, so their order is
//! read off the best matches alone (tantivy's top-k collector, which skips the blocks of
//! postings that cannot make it); then only the speeches a page shows have all their matches
//! read. How many speeches match is counted skipping each speech's run of documents once one
//! of them matches.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED, Term};

use super::{HITS_PER_PAGE, NO_SPEECH, SearchError, SearchIndex, speech_key};
use crate::corpus::Corpus;

/// The best matches looked at first for the order of speeches; four times as many each time a
/// deeper page needs more.
const FIRST_LOOK: usize = 64;
/// Speeches whose matches are read in one query while a page is filled.
const SPEECHES_AT_ONCE: usize = 8;

/// What each document of a segment is: its speech, read from the fast field once, and where
/// in the speech it is, from the columns opened once (opening a column reads its block index:
/// at 100,000 speeches, opening two per search took 40% of its time).
pub(super) struct SegmentDocuments {
    /// The speech's position in the corpus; `NO_SPEECH` for one that is not in it.
    pub(super) speech_of_doc: Arc<[u32]>,
    /// The first document after the run of the speech's documents this one is in.
    pub(super) run_end: Arc<[u32]>,
    /// Section position plus one; 0 for the preamble.
    section: Column<u64>,
    /// Paragraph id; 0 for a heading.
    paragraph: Column<u64>,
}

impl SegmentDocuments {
    /// Reads the documents of `segment`, given the corpus positions of the speeches' keys.
    pub(super) fn read(
        segment: &SegmentReader,
        position: &FxHashMap<u64, u32>,
    ) -> tantivy::Result<SegmentDocuments> {
        let fast = segment.fast_fields();
        let speech = fast.u64("speech")?;
        let keys: Vec<u64> = (0..segment.max_doc())
            .map(|doc| speech.first(doc).unwrap_or_default())
            .collect();
        let (speech_of_doc, run_end) = speech_runs(&keys, position);
        Ok(SegmentDocuments {
            speech_of_doc,
            run_end,
            section: fast.u64("section")?,
            paragraph: fast.u64("paragraph")?,
        })
    }
}

/// From each document's speech key and the corpus positions of the keys: each document's
/// speech position, and the end of the run of documents of one speech it is in.
fn speech_runs(keys: &[u64], position: &FxHashMap<u64, u32>) -> (Arc<[u32]>, Arc<[u32]>) {
    let mut run_end = vec![0; keys.len()];
    let mut end = keys.len() as u32;
    for doc in (0..keys.len()).rev() {
        if keys.get(doc + 1).is_some_and(|next| *next != keys[doc]) {
            end = doc as u32 + 1;
        }
        run_end[doc] = end;
    }
    let speech_of_doc = keys
        .iter()
        .map(|key| position.get(key).copied().unwrap_or(NO_SPEECH))
        .collect();
    (speech_of_doc, run_end.into())
}

/// A speech on a results page, with all its matches.
pub(super) struct PageSpeech {
    pub(super) speech: usize,
    pub(super) matches: Vec<Match>,
}

/// The documents `weight` matches, in every segment: from document frequencies where tantivy
/// can (a term, with nothing deleted).
pub(super) fn count_matches(
    searcher: &tantivy::Searcher,
    weight: &dyn Weight,
) -> Result<usize, SearchError> {
    let mut count = 0;
    for segment in searcher.segment_readers() {
        count += weight.count(segment)? as usize;
    }
    Ok(count)
}

impl SearchIndex {
    /// How many speeches have a match for `weight`: the document frequency of `word` in the
    /// speech-level field when there is one (one dictionary word, the whole collection);
    /// otherwise one pass in which, a speech's documents being one run, the rest of its run
    /// is skipped after one match.
    pub(super) fn count_speeches(
        &self,
        searcher: &tantivy::Searcher,
        weight: &dyn Weight,
        word: Option<Term>,
    ) -> Result<usize, SearchError> {
        if let Some(word) = word {
            let speeches = TermQuery::new(word, IndexRecordOption::Basic)
                .weight(EnableScoring::disabled_from_searcher(searcher))?;
            return count_matches(searcher, speeches.as_ref());
        }
        let mut seen = FxHashSet::default();
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let Some(segment) = self.segments.get(ordinal) else {
                continue;
            };
            let alive = reader.alive_bitset();
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let index = doc as usize;
                if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                    doc = scorer.advance();
                    continue;
                }
                let speech = segment.speech_of_doc.get(index).copied();
                if let Some(speech) = speech.filter(|s| *s != NO_SPEECH) {
                    seen.insert(speech);
                }
                let end = segment.run_end.get(index).copied().unwrap_or(TERMINATED);
                doc = if end > doc + 1 {
                    scorer.seek(end)
                } else {
                    scorer.advance()
                };
            }
        }
        Ok(seen.len())
    }

    /// The speeches whose hits fall on the page that starts at hit `start`, in rank order
    /// (best match first), each with all its matches; and how many hits of the first of them
    /// earlier pages showed.
    pub(super) fn speeches_on_page(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        corpus: &Corpus,
        start: usize,
    ) -> Result<(Vec<PageSpeech>, usize), SearchError> {
        let wanted = start.saturating_add(HITS_PER_PAGE);
        let mut limit = FIRST_LOOK;
        loop {
            let best = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
            let every_match = best.len() < limit;
            let mut ranked = Vec::new();
            let mut seen = FxHashSet::default();
            for (_, address) in &best {
                let speech = self.speech_of(*address);
                if speech != NO_SPEECH && seen.insert(speech) {
                    ranked.push(speech as usize);
                }
            }
            // When the best matches are all the matches, the speeches' matches are known.
            let known: Option<Vec<Match>> = every_match.then(|| {
                best.iter()
                    .map(|(_, address)| (self.speech_of(*address), *address))
                    .filter(|(speech, _)| *speech != NO_SPEECH)
                    .map(|(speech, address)| Match {
                        speech: speech as usize,
                        address,
                    })
                    .collect()
            });
            let mut on_page = Vec::new();
            let mut skip = 0;
            let mut shown_before = 0;
            for speeches in ranked.chunks(SPEECHES_AT_ONCE) {
                let mut matches = match &known {
                    Some(all) => all
                        .iter()
                        .filter(|found| speeches.contains(&found.speech))
                        .copied()
                        .collect(),
                    None => self.matches_of(searcher, query, corpus, speeches)?,
                };
                for &speech in speeches {
                    let (own, rest): (Vec<Match>, Vec<Match>) =
                        matches.into_iter().partition(|m| m.speech == speech);
                    matches = rest;
                    let hits = own.len();
                    if shown_before + hits > start {
                        if on_page.is_empty() {
                            skip = start - shown_before;
                        }
                        on_page.push(PageSpeech {
                            speech,
                            matches: own,
                        });
                    }
                    shown_before += hits;
                    if shown_before >= wanted {
                        return Ok((on_page, skip));
                    }
                }
            }
            if every_match {
                return Ok((on_page, skip));
            }
            limit = limit.saturating_mul(4);
        }
    }

    /// Every match of `query` in the speeches at `speeches` (positions in `corpus`).
    fn matches_of(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        corpus: &Corpus,
        speeches: &[usize],
    ) -> Result<Vec<Match>, SearchError> {
        let keys = speeches
            .iter()
            .filter_map(|&position| corpus.speeches.get(position))
            .map(|speech| -> (Occur, Box<dyn Query>) {
                let key = Term::from_field_u64(self.fields.speech, speech_key(&speech.slug));
                (
                    Occur::Should,
                    Box::new(TermQuery::new(key, IndexRecordOption::Basic)),
                )
            })
            .collect();
        let within = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, Box::new(BooleanQuery::new(keys))),
        ]);
        let collector = AllMatches { index: self };
        Ok(searcher.search(&within, &collector)?)
    }

    fn speech_of(&self, address: DocAddress) -> u32 {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(|segment| segment.speech_of_doc.get(address.doc_id as usize))
            .copied()
            .unwrap_or(NO_SPEECH)
    }

    /// Where each match is: its section and paragraph, from the fast fields.
    pub(super) fn locate(&self, matches: &[&Match]) -> Vec<RawHit> {
        matches
            .iter()
            .filter_map(|found| {
                let address = found.address;
                let segment = self.segments.get(address.segment_ord as usize)?;
                let value = |column: &Column<u64>| column.first(address.doc_id).unwrap_or_default();
                Some(RawHit {
                    speech: found.speech,
                    section: value(&segment.section) as usize,
                    paragraph: value(&segment.paragraph) as u32,
                })
            })
            .collect()
    }
}

/// A match as the collector finds it: its speech and its place in the index.
#[derive(Debug, Clone, Copy)]
pub(super) struct Match {
    pub(super) speech: usize,
    pub(super) address: DocAddress,
}

/// Collects every match with its speech; used only on the few speeches a page shows.
struct AllMatches<'a> {
    index: &'a SearchIndex,
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
        let speeches = self.index.segments.get(segment as usize).ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("segment {segment} was not opened"))
        })?;
        Ok(SegmentMatches {
            segment,
            speech_of_doc: Arc::clone(&speeches.speech_of_doc),
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let speech = self
            .speech_of_doc
            .get(doc as usize)
            .copied()
            .unwrap_or(NO_SPEECH);
        if speech != NO_SPEECH {
            self.matches.push(Match {
                speech: speech as usize,
                address: DocAddress::new(self.segment, doc),
            });
        }
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}

pub(super) struct RawHit {
    pub(super) speech: usize,
    /// Section position plus one; 0 for the preamble.
    pub(super) section: usize,
    /// Paragraph id; 0 for a heading.
    pub(super) paragraph: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_document_knows_where_its_speech_run_ends() {
        let keys = [7, 7, 7, 9, 3, 3];
        let position = FxHashMap::from_iter([(7, 0), (3, 2)]);
        let (speech_of_doc, run_end) = speech_runs(&keys, &position);
        assert_eq!(&*run_end, &[3, 3, 3, 4, 6, 6]);
        assert_eq!(&*speech_of_doc, &[0, 0, 0, NO_SPEECH, 2, 2]);
    }
}
