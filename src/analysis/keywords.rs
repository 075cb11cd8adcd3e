//! Keywords: the terms a speech stands out for, by TF-IDF against the other speeches of the
//! collection, or against jieba's dictionary when the collection has one speech.

use jieba_rs::{KeywordExtract, TfIdf};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use super::profile::Profile;
use super::segment::{Segmenter, is_filler, is_term};
use crate::model::Speech;

/// Keywords kept per speech.
const KEYWORDS: usize = 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Keyword {
    pub term: String,
    pub score: f64,
}

/// What the keywords were weighed against.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KeywordBasis {
    /// TF-IDF against the other speeches of the collection.
    Collection,
    /// TF-IDF against the document frequencies of jieba's dictionary (a one-speech collection).
    Dictionary,
}

/// TF-IDF of a speech's terms against the rest of the collection.
pub fn distinctive(
    profile: &Profile,
    speeches_using: impl Fn(&str) -> Option<u32>,
    speeches: usize,
) -> Vec<Keyword> {
    let total: u32 = profile.iter().map(|(_, count)| count).sum::<u32>().max(1);
    let keywords: Vec<Keyword> = profile
        .iter()
        .filter(|(term, _)| !is_filler(term))
        .map(|(term, count)| {
            let elsewhere = speeches_using(term).unwrap_or(1).saturating_sub(1);
            let idf = ((speeches as f64) / (1.0 + f64::from(elsewhere))).ln() + 1.0;
            Keyword {
                term: term.to_owned(),
                score: rounded(f64::from(count) / f64::from(total) * idf),
            }
        })
        .collect();
    best_keywords(keywords)
}

/// The `KEYWORDS` best, by score, ties by term; only as much memory as they need, since
/// every speech keeps them.
fn best_keywords(mut keywords: Vec<Keyword>) -> Vec<Keyword> {
    keywords.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.term.cmp(&b.term))
    });
    keywords.truncate(KEYWORDS);
    keywords.shrink_to_fit();
    keywords
}

/// A score to six decimals: enough to rank, and the same whatever order it was summed in.
pub fn rounded(score: f64) -> f64 {
    (score * 1e6).round() / 1e6
}

/// jieba's TF-IDF, whose document frequencies come with its dictionary.
static DICTIONARY_TF_IDF: LazyLock<TfIdf> = LazyLock::new(TfIdf::default);

pub fn dictionary_keywords(speech: &Speech, segmenter: &Segmenter) -> Vec<Keyword> {
    let text: String = speech
        .paragraphs()
        .map(|(_, p)| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let keywords: Vec<Keyword> = DICTIONARY_TF_IDF
        .extract_keywords(segmenter.jieba(), &text, KEYWORDS * 2, Vec::new())
        .into_iter()
        .filter(|k| is_term(&k.keyword) && !is_filler(&k.keyword))
        .map(|k| Keyword {
            term: k.keyword,
            score: rounded(k.weight),
        })
        .collect();
    // jieba sums weights in hash order: rounded and sorted, every run agrees.
    best_keywords(keywords)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speech_keeps_only_the_memory_its_keywords_need() {
        let terms: Vec<(String, u32)> =
            (0..300u32).map(|n| (format!("词语{n}"), 300 - n)).collect();
        let profile = Profile::of(terms.iter().map(|(term, count)| (term.as_str(), *count)));
        let keywords = distinctive(&profile, |_| Some(3), 100);
        assert_eq!(keywords.len(), KEYWORDS);
        assert_eq!(
            keywords[0].term, "词语0",
            "the most frequent, all else equal"
        );
        assert_eq!(
            keywords.capacity(),
            KEYWORDS,
            "not the room of all 300 candidates"
        );
    }
}
