//! Collecting matches and ranking them: every match with its score and speech, speeches by
//! their best match, and where the hits on one page are.

use rustc_hash::FxHashMap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::{HITS_PER_PAGE, NO_SPEECH, SearchError, SearchIndex};

impl SearchIndex {
    /// Where each match is: its section and paragraph, from the fast fields.
    pub(super) fn locate(
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
pub(super) struct Match {
    pub(super) score: Score,
    pub(super) speech: usize,
    pub(super) address: DocAddress,
}

impl Match {
    /// Higher scores first; ties in index order, so that a cut at `MAX_HITS` is repeatable.
    pub(super) fn best_first(a: &Match, b: &Match) -> std::cmp::Ordering {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.address.cmp(&b.address))
    }
}

/// Collects every match with its score and speech.
pub(super) struct AllMatches<'a> {
    pub(super) speech_of_doc: &'a [Arc<[u32]>],
}

pub(super) struct SegmentMatches {
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
        let speech = self
            .speech_of_doc
            .get(doc as usize)
            .copied()
            .unwrap_or(NO_SPEECH);
        if speech != NO_SPEECH {
            self.matches.push(Match {
                score,
                speech: speech as usize,
                address: DocAddress::new(self.segment, doc),
            });
        }
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}

/// A speech among the results: its best score and how many hits it has.
pub(super) struct SpeechHits {
    speech: usize,
    best: Score,
    hits: usize,
}

/// The speeches hit, and the `wanted` best of them in order (best score first, ties by
/// collection order): enough to fill the pages up to the one asked for.
pub(super) struct SpeechRanking {
    pub(super) total: usize,
    pub(super) best: Vec<SpeechHits>,
}

impl SpeechRanking {
    /// The speeches whose hits fall on the page that starts at hit `start`, each with its
    /// place on the page; and how many hits of the first of them earlier pages showed.
    pub(super) fn on_page(&self, start: usize) -> (FxHashMap<usize, usize>, usize) {
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

pub(super) fn rank_speeches(matches: &[Match], wanted: usize) -> SpeechRanking {
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
