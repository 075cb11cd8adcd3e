//! How often words and pairs of neighbouring words are used: in the official texts of the
//! tables, and in the collection's other speeches, which add evidence of how its own genre
//! is written.

use jieba_rs::Jieba;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::tables::{Tables, Token, clause_tokens};
use crate::model::Speech;

/// Word and neighbouring-word counts of some speeches, clause boundaries counted as words, as
/// in the tables; pairs are kept only where one word is paired (see `Known::paired`).
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
        // The word before, and whether its pairs are counted.
        let mut previous: Option<(&'a str, bool)> = None;
        for token in tokens {
            *self.unigrams.entry(token.text).or_default() += 1;
            self.total += 1;
            let paired = tables.known(token.text).paired;
            if let Some((first, first_paired)) = previous
                && (first_paired || paired)
            {
                *self.bigrams.entry((first, token.text)).or_default() += 1;
            }
            previous = Some((token.text, paired));
        }
    }

    /// The counts of both.
    pub fn merge(mut self, other: Counts<'a>) -> Counts<'a> {
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

thread_local! {
    /// Two words written together, for `Evidence::pair`, without allocating each time.
    static JOINED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// A word of a speech, with its number in the official texts' counts if they use it.
#[derive(Debug, Clone, Copy)]
pub struct Word<'w> {
    pub text: &'w str,
    pub id: Option<u32>,
}

/// How often a word is used, alone and between its neighbours.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    pub uses: f64,
    pub after_left: f64,
    pub before_right: f64,
}

impl Seen {
    /// How often `word` is used between `left` and `right` in the official texts alone:
    /// integer lookups, quicker than `Evidence::seen`, and never more.
    pub fn in_official_texts(tables: &Tables, word: Word, left: Word, right: Word) -> Seen {
        Seen {
            uses: f64::from(tables.uses(word.id)),
            after_left: f64::from(tables.pair(left.id, word.id)),
            before_right: f64::from(tables.pair(word.id, right.id)),
        }
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
    fn in_collection<K: Eq + std::hash::Hash>(
        collection: &FxHashMap<K, u32>,
        own: &FxHashMap<K, u32>,
        key: &K,
    ) -> f64 {
        let all = collection.get(key).copied().unwrap_or(0);
        f64::from(all.saturating_sub(own.get(key).copied().unwrap_or(0)))
    }

    /// Uses of `word`.
    pub fn uses(&self, word: Word) -> f64 {
        f64::from(self.tables.uses(word.id))
            + Self::in_collection(&self.collection.unigrams, &self.own.unigrams, &word.text)
    }

    /// Uses of `first` next to `second`: as two words, or as the one word they make together
    /// (`具体措施` is one word to the segmenter, `详细措施` two).
    pub fn pair(&self, first: Word, second: Word) -> f64 {
        let as_two = Self::in_collection(
            &self.collection.bigrams,
            &self.own.bigrams,
            &(first.text, second.text),
        );
        let as_one = JOINED.with_borrow_mut(|joined| {
            joined.clear();
            joined.push_str(first.text);
            joined.push_str(second.text);
            Self::in_collection(
                &self.collection.unigrams,
                &self.own.unigrams,
                &joined.as_str(),
            )
        });
        f64::from(self.tables.pair(first.id, second.id)) + as_two + as_one
    }

    /// How often `word` is used between `left` and `right`, everywhere.
    pub fn seen(&self, word: Word, left: Word, right: Word) -> Seen {
        Seen {
            uses: self.uses(word),
            after_left: self.pair(left, word),
            before_right: self.pair(word, right),
        }
    }

    /// Words counted.
    pub fn total(&self) -> f64 {
        self.tables.total + f64::from(self.collection.total.saturating_sub(self.own.total))
    }
}
