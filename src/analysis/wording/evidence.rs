//! How often words and pairs of neighbouring words are used: in the official texts of the
//! tables, and in the collection's other speeches, which add evidence of how its own genre
//! is written.

use jieba_rs::Jieba;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::tables::{Tables, Token, clause_tokens};
use crate::model::Speech;

/// Word and neighbouring-word counts of some speeches, clause boundaries counted as words, as
/// in the tables; pairs are kept only where one word has candidates.
#[derive(Default)]
pub struct Counts<'a> {
    unigrams: FxHashMap<&'a str, u32>,
    bigrams: FxHashMap<(&'a str, &'a str), u32>,
    total: u32,
}

impl<'a> Counts<'a> {
    /// The counts of every speech, in parallel.
    pub fn of_speeches(speeches: &'a [Speech], jieba: &Jieba, tables: &Tables) -> Counts<'a> {
        speeches
            .par_iter()
            .fold(Counts::default, |mut counts, speech| {
                for (_, paragraph) in speech.paragraphs() {
                    counts.add(&clause_tokens(jieba, &paragraph.text), tables);
                }
                counts
            })
            .reduce(Counts::default, Counts::merge)
    }

    /// Counts the words of one paragraph.
    pub fn add(&mut self, tokens: &[Token<'a>], tables: &Tables) {
        for token in tokens {
            *self.unigrams.entry(token.text).or_default() += 1;
            self.total += 1;
        }
        for pair in tokens.windows(2) {
            let (first, second) = (pair[0].text, pair[1].text);
            if tables.has_candidates(first) || tables.has_candidates(second) {
                *self.bigrams.entry((first, second)).or_default() += 1;
            }
        }
    }

    fn merge(mut self, other: Counts<'a>) -> Counts<'a> {
        let (mut larger, smaller) = if self.unigrams.len() >= other.unigrams.len() {
            (std::mem::take(&mut self), other)
        } else {
            (other, self)
        };
        for (word, count) in smaller.unigrams {
            *larger.unigrams.entry(word).or_default() += count;
        }
        for (pair, count) in smaller.bigrams {
            *larger.bigrams.entry(pair).or_default() += count;
        }
        larger.total += smaller.total;
        larger
    }
}

/// The evidence one speech is judged by: the official texts, and the collection without the
/// speech itself (its own wording is what is in question).
pub struct Evidence<'t, 'a> {
    pub tables: &'t Tables,
    pub collection: &'t Counts<'a>,
    pub own: &'t Counts<'a>,
}

impl Evidence<'_, '_> {
    fn collection_count<K: Eq + std::hash::Hash>(
        collection: &FxHashMap<K, u32>,
        own: &FxHashMap<K, u32>,
        key: &K,
    ) -> f64 {
        let all = collection.get(key).copied().unwrap_or(0);
        f64::from(all.saturating_sub(own.get(key).copied().unwrap_or(0)))
    }

    /// Uses of `word`.
    pub fn unigram(&self, word: &str) -> f64 {
        f64::from(self.tables.unigram(word))
            + Self::collection_count(&self.collection.unigrams, &self.own.unigrams, &word)
    }

    /// Uses of `first` followed by `second`.
    pub fn bigram(&self, first: &str, second: &str) -> f64 {
        f64::from(self.tables.bigram(first, second))
            + Self::collection_count(
                &self.collection.bigrams,
                &self.own.bigrams,
                &(first, second),
            )
    }

    /// Uses of `first` next to `second`: as two words, or as the one word they make together
    /// (`具体措施` is one word to the segmenter, `详细措施` two).
    pub fn pair(&self, first: &str, second: &str) -> f64 {
        let mut joined = String::with_capacity(first.len() + second.len());
        joined.push_str(first);
        joined.push_str(second);
        self.bigram(first, second) + self.unigram(&joined)
    }

    /// Words counted.
    pub fn total(&self) -> f64 {
        self.tables.total + f64::from(self.collection.total.saturating_sub(self.own.total))
    }
}
