//! Statistics of every speech and of the collection, computed when the collection loads and
//! brought up to date for what changed when it changes: lengths and times, terms and keywords,
//! figures, places, structure, the trends of the leading terms, and washed wording.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::corpus::Digest;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::figures::{Figure, figures_in};
use super::keywords::{Keyword, KeywordBasis, dictionary_keywords, distinctive};
use super::kwic::{Trend, trend};
use super::places::{PlaceReport, places_in};
use super::profile::Profile;
use super::segment::{SegmentedSpeech, Segmenter, is_filler, is_term};
use super::wording::evidence::Counts;
use super::wording::tables::{TABLES, Token, clause_tokens};
use super::wording::{Rewording, Wording, detect, looks_washed};
use crate::corpus::Corpus;
use crate::corpus::update::Delta;
use crate::model::{SectionId, Speech};
use crate::text::{is_han, lowercase, sentences};

/// Characters a reader reads in a minute, and a speaker says.
const READING_CHARS_PER_MINUTE: f64 = 400.0;
const SPEAKING_CHARS_PER_MINUTE: f64 = 220.0;
/// The same for English, in words.
const READING_WORDS_PER_MINUTE: f64 = 250.0;
const SPEAKING_WORDS_PER_MINUTE: f64 = 130.0;
/// Terms listed per speech and for the collection.
const TOP_TERMS: usize = 60;
/// More terms selected than shown, so that leaving the filler out still leaves enough.
const FILLER_MARGIN: usize = 100;
/// Terms kept per speech for keywords and comparisons.
pub const PROFILE_TERMS: usize = 300;
/// How many folds each thread's share of the speeches is counted in: enough to balance the
/// threads' work, few enough that their term maps are not copied over and over.
const FOLDS_PER_THREAD: usize = 4;
/// Leading terms whose trends are shown.
const TRENDS: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TermCount {
    pub term: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Overview {
    /// Characters other than whitespace.
    pub characters: usize,
    /// Han characters.
    pub cjk_characters: usize,
    pub words: usize,
    pub distinct_words: usize,
    pub sentences: usize,
    pub average_sentence_characters: f64,
    pub paragraphs: usize,
    pub sections: usize,
    pub reading_minutes: f64,
    pub speaking_minutes: f64,
    pub present_pages: Option<u32>,
    pub declared_pages: Option<u32>,
}

/// A section's length, for the structure chart.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SectionLength {
    pub id: SectionId,
    pub label: String,
    pub level: u8,
    /// Characters in the section with its subsections.
    pub characters: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpeechStats {
    pub overview: Overview,
    pub structure: Vec<SectionLength>,
    pub keywords: Vec<Keyword>,
    pub keyword_basis: KeywordBasis,
    pub figures: Vec<Figure>,
    pub places: PlaceReport,
    /// How likely the speech is to have been washed (洗稿), from 0 to 1.
    pub washed: f64,
    /// The words a spinner probably put in place of the original ones.
    pub rewordings: Vec<Rewording>,
    /// The most frequent terms, for keywords and comparisons.
    #[serde(skip)]
    pub profile: Profile,
}

impl SpeechStats {
    /// Whether the speech looks washed (its `washed` score is 0.5 or more).
    pub fn looks_washed(&self) -> bool {
        looks_washed(self.washed)
    }

    /// The most frequent terms, filler aside: `TOP_TERMS` of them at most, from the profile
    /// (kept once, not twice).
    pub fn top_terms(&self) -> impl Iterator<Item = (&str, u32)> {
        let terms = self.profile.iter().filter(|(term, _)| !is_filler(term));
        terms.take(TOP_TERMS)
    }

    /// The leading terms, whose trends are shown.
    pub fn trend_terms(&self) -> impl Iterator<Item = &str> {
        self.top_terms().take(TRENDS).map(|(term, _)| term)
    }

    /// The section-by-section frequency of the leading terms in `speech`, the speech these
    /// statistics are of: computed when asked (cheap for one speech), not kept for every one.
    pub fn trends(&self, speech: &Speech) -> Vec<Trend> {
        self.trend_terms().map(|term| trend(speech, term)).collect()
    }

    /// The statistics of `speech` measured alone, as a page may show them before the
    /// collection is counted: its keywords against jieba's dictionary, and its wording not
    /// judged (that needs the other speeches).
    pub fn alone(speech: &Speech, segmenter: &Segmenter) -> SpeechStats {
        let mut stats = measure(speech, segmenter, None).stats;
        stats.set_dictionary_keywords(speech, segmenter);
        stats
    }

    /// Keywords of `speech`, the speech these statistics are of, against jieba's dictionary:
    /// what a speech alone has.
    fn set_dictionary_keywords(&mut self, speech: &Speech, segmenter: &Segmenter) {
        self.keywords = dictionary_keywords(speech, segmenter);
        self.keyword_basis = KeywordBasis::Dictionary;
    }

    fn set_wording(&mut self, wording: Wording) {
        self.washed = wording.washed;
        self.rewordings = wording.rewordings;
    }
}

/// How far a count of the statistics has got: the speeches measured, then the speeches judged
/// for washed wording, which waits for every speech to be measured.
#[derive(Debug, Default)]
pub struct Progress {
    pub measured: AtomicUsize,
    pub judged: AtomicUsize,
}

impl Progress {
    /// A count of `speeches` that is over.
    pub fn done(speeches: usize) -> Progress {
        Progress {
            measured: AtomicUsize::new(speeches),
            judged: AtomicUsize::new(speeches),
        }
    }
}

/// One speech measured: its statistics (keywords aside, which need the collection) and how
/// often it uses each term, which the collection's totals are summed from.
#[derive(Debug, Serialize, Deserialize)]
pub struct Measured {
    pub stats: SpeechStats,
    pub terms: FxHashMap<String, u32>,
}

/// Where what was measured of each speech is kept between runs, so that a restart measures
/// only the files that changed (the cache's parts).
pub trait Memory: Sync {
    /// What an earlier run measured of `speech`, from a file whose bytes have `digest`, with
    /// its washed-wording verdict if that was kept.
    fn recall(&self, speech: &Speech, digest: &Digest) -> Option<(Measured, Option<Wording>)>;
    /// Keeps what was measured of `speech`, from a file whose bytes have `digest`.
    fn keep(&self, speech: &Speech, digest: &Digest, measured: &Measured);
    /// Keeps the washed-wording verdict of every speech file (name and digest) of the
    /// collection, in place of those kept before.
    fn keep_verdicts(&self, verdicts: Vec<(&str, Digest, Wording)>);
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct CollectionStats {
    pub speeches: usize,
    pub characters: usize,
    pub words: usize,
    pub paragraphs: usize,
    pub sections: usize,
    pub figures: usize,
    pub partial: usize,
    /// Speeches that look washed, and the suspect words in them all.
    pub washed: usize,
    pub rewordings: usize,
    pub top_terms: Vec<TermCount>,
}

/// The statistics of a collection: one entry per speech, in the corpus' order (shared with
/// the statistics of the collection before a change, for the speeches it did not touch).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Statistics {
    pub speeches: Vec<Arc<SpeechStats>>,
    pub collection: CollectionStats,
    /// Every term's speeches and occurrences in the whole collection.
    #[serde(skip)]
    terms: TermTotals,
    /// The collection's `PROFILE_TERMS` most frequent terms.
    #[serde(skip)]
    pub profile: Profile,
}

/// The `limit` most frequent terms, ties by term: selected, then only those sorted.
fn top<'t>(counts: impl Iterator<Item = (&'t str, u32)>, limit: usize) -> Vec<(&'t str, u32)> {
    let mut terms: Vec<(&str, u32)> = counts.collect();
    let order = |a: &(&str, u32), b: &(&str, u32)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    if terms.len() > limit {
        terms.select_nth_unstable_by(limit, order);
        terms.truncate(limit);
    }
    terms.sort_unstable_by(order);
    terms
}

/// The counts of a map of them, as `top` takes them.
fn term_counts<K: AsRef<str>>(counts: &FxHashMap<K, u32>) -> impl Iterator<Item = (&str, u32)> {
    counts.iter().map(|(term, count)| (term.as_ref(), *count))
}

impl From<(&str, u32)> for TermCount {
    fn from((term, count): (&str, u32)) -> TermCount {
        TermCount {
            term: term.to_owned(),
            count,
        }
    }
}

/// One speech's statistics (keywords aside, which need the collection) and its term counts.
fn speech_stats(
    speech: &Speech,
    segmented: &SegmentedSpeech,
) -> (SpeechStats, FxHashMap<String, u32>) {
    // Every distinct word with its count; terms are filtered from it once per distinct word.
    let mut all_words: FxHashMap<Cow<str>, u32> = FxHashMap::default();
    let mut words = 0;
    let mut sentence_count = 0;
    let mut cjk = 0;
    let mut figures = Vec::new();
    let texts = speech
        .paragraphs()
        .map(|(_, p)| p.text.as_str())
        .zip(&segmented.paragraphs)
        .chain(
            speech
                .sections_flat()
                .into_iter()
                .map(|s| s.title.as_str())
                .zip(&segmented.headings),
        );
    for (text, text_words) in texts {
        for word in text_words {
            words += 1;
            *all_words.entry(lowercase(word)).or_default() += 1;
        }
        cjk += text.chars().filter(|c| is_han(*c)).count();
    }
    let distinct_words = all_words.len();
    let counts: FxHashMap<Cow<str>, u32> = all_words
        .into_iter()
        .filter(|(word, _)| is_term(word))
        .collect();
    for (_, paragraph) in speech.paragraphs() {
        sentence_count += sentences(&paragraph.text)
            .iter()
            .filter(|s| s.chars().any(|c| is_han(c) || c.is_alphanumeric()))
            .count();
        figures.extend(figures_in(&paragraph.text, paragraph.id));
    }
    let characters = speech.char_count();
    let chinese = cjk * 2 >= characters;
    let (reading_minutes, speaking_minutes) = if chinese {
        (
            characters as f64 / READING_CHARS_PER_MINUTE,
            characters as f64 / SPEAKING_CHARS_PER_MINUTE,
        )
    } else {
        (
            words as f64 / READING_WORDS_PER_MINUTE,
            words as f64 / SPEAKING_WORDS_PER_MINUTE,
        )
    };
    let flat = speech.sections_flat();
    let leading = top(term_counts(&counts), PROFILE_TERMS);
    let profile = Profile::of(leading);
    let stats = SpeechStats {
        overview: Overview {
            characters,
            cjk_characters: cjk,
            words,
            distinct_words,
            sentences: sentence_count,
            average_sentence_characters: if sentence_count == 0 {
                0.0
            } else {
                characters as f64 / sentence_count as f64
            },
            paragraphs: speech.paragraph_count(),
            sections: flat.len(),
            reading_minutes,
            speaking_minutes,
            present_pages: speech.source.present_pages,
            declared_pages: speech.source.declared_pages,
        },
        structure: flat
            .iter()
            .map(|s| SectionLength {
                id: s.id.clone(),
                label: s.label(),
                level: s.level,
                characters: s.char_count(),
            })
            .collect(),
        keywords: Vec::new(),
        keyword_basis: KeywordBasis::Collection,
        washed: 0.0,
        rewordings: Vec::new(),
        figures,
        places: places_in(
            speech
                .paragraphs()
                .zip(&segmented.paragraphs)
                .map(|((_, p), words)| (p.id, p.text.as_str(), words.as_slice())),
        ),
        profile,
    };
    let counts = counts
        .into_iter()
        .map(|(term, count)| (term.into_owned(), count))
        .collect();
    (stats, counts)
}

/// One speech measured: its statistics (keywords and washed wording aside, which need the
/// collection) and its term counts. Its clause tokens are added to `wording` if given: one
/// segmentation serves the statistics and the washed-wording counts.
fn measure<'a>(
    speech: &'a Speech,
    segmenter: &Segmenter,
    wording: Option<&mut Counts<'a>>,
) -> Measured {
    let clauses: Vec<Vec<Token>> = speech
        .paragraphs()
        .map(|(_, p)| clause_tokens(segmenter.jieba(), &p.text))
        .collect();
    if let Some(wording) = wording {
        for tokens in &clauses {
            wording.add(tokens, &TABLES);
        }
    }
    let words = clauses
        .iter()
        .map(|tokens| tokens.iter().filter(|t| !t.is_boundary()).map(|t| t.text))
        .map(Iterator::collect)
        .collect();
    let segmented = segmenter.segment_with(speech, words);
    let (stats, terms) = speech_stats(speech, &segmented);
    Measured { stats, terms }
}

/// Every speech's keywords: its distinctive terms against the collection, or jieba's
/// dictionary keywords for a speech alone.
fn set_keywords(
    speeches: &mut [Arc<SpeechStats>],
    terms: &TermTotals,
    corpus: &Corpus,
    segmenter: &Segmenter,
) {
    let count = speeches.len();
    if count >= 2 {
        speeches.par_iter_mut().for_each(|stats| {
            let stats = Arc::make_mut(stats);
            stats.keywords = distinctive(&stats.profile, |term| terms.speeches_using(term), count);
            stats.keyword_basis = KeywordBasis::Collection;
        });
    } else if let (Some(stats), Some(speech)) = (speeches.first_mut(), corpus.speeches.first()) {
        Arc::make_mut(stats).set_dictionary_keywords(speech, segmenter);
    }
}

/// What `memory` kept of `speech`, a speech of `corpus`, if it has it.
fn recalled(
    memory: Option<&dyn Memory>,
    corpus: &Corpus,
    speech: &Speech,
) -> Option<(Measured, Option<Wording>)> {
    let digest = corpus.digest_of(&speech.source.file)?;
    memory?.recall(speech, &digest)
}

/// Keeps what was measured of `speech`, a speech of `corpus`, in `memory` if there is one.
fn keep(memory: Option<&dyn Memory>, corpus: &Corpus, speech: &Speech, measured: &Measured) {
    if let (Some(memory), Some(digest)) = (memory, corpus.digest_of(&speech.source.file)) {
        memory.keep(speech, &digest, measured);
    }
}

/// Every speech file's washed-wording verdict, for `Memory::keep_verdicts`.
fn verdicts<'c>(
    corpus: &'c Corpus,
    speeches: &[Arc<SpeechStats>],
) -> Vec<(&'c str, Digest, Wording)> {
    corpus
        .speeches
        .iter()
        .zip(speeches)
        .filter_map(|(speech, stats)| {
            let file = speech.source.file.as_str();
            let wording = Wording {
                washed: stats.washed,
                rewordings: stats.rewordings.clone(),
            };
            Some((file, corpus.digest_of(file)?, wording))
        })
        .collect()
}

/// Which speech this is: the same `Arc` in two versions of the collection is the same speech,
/// untouched.
fn identity(speech: &Arc<Speech>) -> usize {
    Arc::as_ptr(speech) as usize
}

/// How many speeches use each term, and how often it is used in all: what keywords and the
/// collection's terms are computed from, kept so that a change to the collection is a
/// subtraction and an addition. One map for both: a collection has a great many terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermTotals {
    terms: FxHashMap<Box<str>, TermTotal>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct TermTotal {
    speeches: u32,
    occurrences: u32,
}

impl TermTotals {
    fn add(&mut self, counts: FxHashMap<String, u32>) {
        for (term, count) in counts {
            let total = self.terms.entry(term.into_boxed_str()).or_default();
            total.speeches += 1;
            total.occurrences += count;
        }
    }

    fn subtract(&mut self, counts: &FxHashMap<String, u32>) {
        for (term, count) in counts {
            if let Some(total) = self.terms.get_mut(term.as_str()) {
                total.speeches = total.speeches.saturating_sub(1);
                total.occurrences = total.occurrences.saturating_sub(*count);
                if total.speeches == 0 {
                    self.terms.remove(term.as_str());
                }
            }
        }
    }

    fn merge(self, other: TermTotals) -> TermTotals {
        let (mut larger, smaller) = if self.terms.len() >= other.terms.len() {
            (self, other)
        } else {
            (other, self)
        };
        for (term, counted) in smaller.terms {
            let total = larger.terms.entry(term).or_default();
            total.speeches += counted.speeches;
            total.occurrences += counted.occurrences;
        }
        larger
    }

    /// How many speeches use `term`.
    fn speeches_using(&self, term: &str) -> Option<u32> {
        self.terms.get(term).map(|total| total.speeches)
    }

    /// Every term with its occurrences.
    fn occurrences(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms
            .iter()
            .map(|(term, total)| (&**term, total.occurrences))
    }
}

/// Speech statistics with the collection's term totals, and the word counts washed-wording
/// detection judges by, folded in parallel.
#[derive(Default)]
struct Partial<'a> {
    speeches: Vec<(usize, SpeechStats, Option<Wording>)>,
    terms: TermTotals,
    wording: Counts<'a>,
}

impl<'a> Partial<'a> {
    fn merge(mut self, other: Partial<'a>) -> Partial<'a> {
        self.speeches.extend(other.speeches);
        self.wording = std::mem::take(&mut self.wording).merge(other.wording);
        self.terms = std::mem::take(&mut self.terms).merge(other.terms);
        self
    }
}

impl Statistics {
    /// How often `term` is used in the whole collection.
    pub fn occurrences(&self, term: &str) -> u32 {
        self.terms
            .terms
            .get(term)
            .map_or(0, |total| total.occurrences)
    }

    /// Computes every speech's statistics, in parallel, adding to `progress` as each speech is
    /// measured and judged. What `memory` kept of a file is used as it is; what is measured is
    /// kept in it. The speeches measured here are judged for washed wording against the
    /// official texts and each other; a speech recalled keeps the verdict it had.
    pub fn build(
        corpus: &Corpus,
        segmenter: &Segmenter,
        progress: &Progress,
        memory: Option<&dyn Memory>,
    ) -> Statistics {
        // A few speeches to a fold, not one: each fold has maps of (nearly) every term.
        let per_fold = corpus
            .speeches
            .len()
            .div_ceil(rayon::current_num_threads() * FOLDS_PER_THREAD);
        let partial = corpus
            .speeches
            .par_iter()
            .enumerate()
            .with_min_len(per_fold.max(1))
            .fold(Partial::default, |mut partial, (index, speech)| {
                let (measured, verdict) = match recalled(memory, corpus, speech) {
                    Some((mut measured, verdict)) => {
                        measured.stats.profile =
                            Profile::of(top(term_counts(&measured.terms), PROFILE_TERMS));
                        (measured, verdict)
                    }
                    None => {
                        let measured = measure(speech, segmenter, Some(&mut partial.wording));
                        keep(memory, corpus, speech, &measured);
                        (measured, None)
                    }
                };
                partial.terms.add(measured.terms);
                partial.speeches.push((index, measured.stats, verdict));
                progress.measured.fetch_add(1, Ordering::Relaxed);
                partial
            })
            .reduce(Partial::default, Partial::merge);
        let Partial {
            mut speeches,
            terms,
            wording,
        } = partial;
        speeches.sort_by_key(|(index, _, _)| *index);
        let started = std::time::Instant::now();
        let mut speeches: Vec<Arc<SpeechStats>> = speeches
            .into_par_iter()
            .zip(&corpus.speeches)
            .map(|((_, mut stats, verdict), speech)| {
                let verdict =
                    verdict.unwrap_or_else(|| detect(speech, segmenter.jieba(), &TABLES, &wording));
                stats.set_wording(verdict);
                progress.judged.fetch_add(1, Ordering::Relaxed);
                Arc::new(stats)
            })
            .collect();
        tracing::info!(
            "washed wording: {} of {} speeches look washed ({:.2} s)",
            speeches.iter().filter(|s| s.looks_washed()).count(),
            speeches.len(),
            started.elapsed().as_secs_f64()
        );
        if let Some(memory) = memory {
            memory.keep_verdicts(verdicts(corpus, &speeches));
        }
        set_keywords(&mut speeches, &terms, corpus, segmenter);
        Statistics::assemble(speeches, terms, corpus)
    }

    /// The statistics of `corpus`, the collection these were counted for after `delta`:
    /// only the speeches that came are measured (and kept in `memory`); the others'
    /// statistics are kept, and the collection's totals lose the speeches that left and gain
    /// those that came. Two things are judged against the collection as it is now for the
    /// speeches that came, and left as they were for the others until they change: keywords
    /// (one speech more or less moves a term's document frequency by one in the
    /// collection's), and washed wording, which a speech that came is judged for against the
    /// official texts alone (the collection's own word counts are not kept between changes).
    pub fn updated(
        &self,
        previous: &Corpus,
        corpus: &Corpus,
        delta: &Delta,
        segmenter: &Segmenter,
        memory: Option<&dyn Memory>,
    ) -> Statistics {
        let mut terms = self.terms.clone();
        let departed: Vec<FxHashMap<String, u32>> = delta
            .removed
            .par_iter()
            .map(|speech| {
                recalled(memory, previous, speech)
                    .map_or_else(|| measure(speech, segmenter, None).terms, |(m, _)| m.terms)
            })
            .collect();
        for counts in &departed {
            terms.subtract(counts);
        }
        let measured: Vec<(usize, Measured)> = delta
            .added
            .par_iter()
            .map(|speech| {
                let mut measured = measure(speech, segmenter, None);
                keep(memory, corpus, speech, &measured);
                measured.stats.set_wording(detect(
                    speech,
                    segmenter.jieba(),
                    &TABLES,
                    &Counts::default(),
                ));
                (identity(speech), measured)
            })
            .collect();
        let mut arrived: FxHashMap<usize, SpeechStats> = FxHashMap::default();
        for (speech, measured) in measured {
            terms.add(measured.terms);
            arrived.insert(speech, measured.stats);
        }
        let before: FxHashMap<usize, usize> = previous
            .speeches
            .iter()
            .enumerate()
            .map(|(position, speech)| (identity(speech), position))
            .collect();
        let count = corpus.speeches.len();
        let mut speeches: Vec<Arc<SpeechStats>> = corpus
            .speeches
            .iter()
            .map(|speech| {
                let key = identity(speech);
                if let Some(mut stats) = arrived.remove(&key) {
                    stats.keywords =
                        distinctive(&stats.profile, |term| terms.speeches_using(term), count);
                    return Arc::new(stats);
                }
                before
                    .get(&key)
                    .and_then(|&position| self.speeches.get(position))
                    .cloned()
                    .unwrap_or_else(|| Arc::new(measure(speech, segmenter, None).stats))
            })
            .collect();
        if count < 2 || previous.speeches.len() < 2 {
            // Between one speech and two, every speech's keywords change their basis.
            set_keywords(&mut speeches, &terms, corpus, segmenter);
        }
        if let Some(memory) = memory {
            memory.keep_verdicts(verdicts(corpus, &speeches));
        }
        Statistics::assemble(speeches, terms, corpus)
    }

    /// Every term's speeches and occurrences, which the cache keeps with the speeches'.
    pub fn term_totals(&self) -> &TermTotals {
        &self.terms
    }

    /// The statistics of `corpus` the cache kept: each speech's with its profile, in order,
    /// and the term totals; `None` if they are not of as many speeches.
    pub fn from_kept(
        speeches: Vec<(SpeechStats, Profile)>,
        terms: TermTotals,
        corpus: &Corpus,
    ) -> Option<Statistics> {
        if speeches.len() != corpus.speeches.len() {
            return None;
        }
        let speeches = speeches
            .into_iter()
            .map(|(mut stats, profile)| {
                stats.profile = profile;
                Arc::new(stats)
            })
            .collect();
        Some(Statistics::assemble(speeches, terms, corpus))
    }

    /// The statistics from every speech's: the collection's totals.
    fn assemble(speeches: Vec<Arc<SpeechStats>>, terms: TermTotals, corpus: &Corpus) -> Statistics {
        let count = speeches.len();
        let collection = CollectionStats {
            speeches: count,
            characters: speeches.iter().map(|s| s.overview.characters).sum(),
            words: speeches.iter().map(|s| s.overview.words).sum(),
            paragraphs: speeches.iter().map(|s| s.overview.paragraphs).sum(),
            sections: speeches.iter().map(|s| s.overview.sections).sum(),
            figures: speeches.iter().map(|s| s.figures.len()).sum(),
            partial: corpus.speeches.iter().filter(|s| s.source.partial).count(),
            washed: speeches.iter().filter(|s| s.looks_washed()).count(),
            rewordings: speeches.iter().map(|s| s.rewordings.len()).sum(),
            top_terms: top(terms.occurrences(), TOP_TERMS + FILLER_MARGIN)
                .into_iter()
                .filter(|(term, _)| !is_filler(term))
                .take(TOP_TERMS)
                .map(TermCount::from)
                .collect(),
        };
        Statistics {
            speeches,
            collection,
            profile: Profile::of(top(terms.occurrences(), PROFILE_TERMS)),
            terms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/samples");

    fn copy(folder: &std::path::Path, sample: &str, name: &str) {
        std::fs::copy(
            std::path::Path::new(SAMPLES).join(sample),
            folder.join(name),
        )
        .expect("a sample copied");
    }

    #[test]
    fn statistics_brought_up_to_date_count_what_a_full_count_counts() {
        let folder = tempfile::tempdir().expect("a folder");
        let root = folder.path();
        copy(root, "105_mao-ten-major-relationships.txt", "a.txt");
        copy(
            root,
            "303_gov-work-report-1964-abstract-fullwidth-digits.txt",
            "b.txt",
        );
        copy(root, "307_gov-work-report-2014-mixed-indent.txt", "c.txt");
        let (segmenter, _) = Segmenter::new(None);
        let before = crate::corpus::load(root).expect("loads");
        let progress = Progress::default();
        let statistics = Statistics::build(&before, &segmenter, &progress, None);
        // Every speech was measured, then judged.
        assert_eq!(progress.measured.load(Ordering::Relaxed), 3);
        assert_eq!(progress.judged.load(Ordering::Relaxed), 3);

        let text = std::fs::read_to_string(root.join("a.txt")).expect("read");
        std::fs::write(
            root.join("a.txt"),
            text.replacen("。", "。改革开放要继续推进。", 1),
        )
        .expect("edited");
        std::fs::remove_file(root.join("b.txt")).expect("deleted");
        copy(root, "301_gov-work-report-2022-bom-crlf.txt", "d.txt");
        let files: Vec<String> = ["a.txt", "b.txt", "d.txt"].map(String::from).to_vec();
        let (after, delta) = before.updated(before.read_changes(root, &files));
        let updated = statistics.updated(&before, &after, &delta, &segmenter, None);
        let counted = Statistics::build(&after, &segmenter, &Progress::default(), None);

        assert_eq!(
            updated.terms, counted.terms,
            "term totals and document frequencies"
        );
        assert_eq!(updated.profile, counted.profile);
        let (mut mine, mut full) = (updated.collection.clone(), counted.collection.clone());
        // Washed wording is judged differently for the speech that came (official texts only).
        (mine.washed, mine.rewordings, full.washed, full.rewordings) = (0, 0, 0, 0);
        assert_eq!(mine, full);
        for (mine, full) in updated.speeches.iter().zip(&counted.speeches) {
            assert_eq!(mine.overview, full.overview);
            assert!(mine.top_terms().eq(full.top_terms()));
            assert_eq!(mine.figures, full.figures);
        }
        let kept = after.speeches.iter().position(|s| s.source.file == "c.txt");
        let kept = kept.expect("c.txt is still there");
        assert!(
            Arc::ptr_eq(&updated.speeches[kept], &statistics.speeches[2]),
            "an untouched speech's statistics are shared, not counted again"
        );
    }
}
