//! Builds `data/filler.txt`, the words of official speech that carry no topic: the terms that
//! are frequent and spread evenly across the public reference corpora (the State Council's
//! work reports 1954–2025 and the political reports to the CPC congresses, JSON Lines with a
//! `content` field, from Wikisource; see `data/README.md`).
//!
//!   cargo run --release --example filler -- REFERENCE_DIR JIEBA_DICT > data/filler.txt
//!
//! `JIEBA_DICT` is the `dict.txt` that jieba-rs ships (`src/data/dict.txt` in its crate:
//! `find ~/.cargo/registry -path '*jieba-rs-0.11*/src/data/dict.txt'`): each line a word, its
//! frequency in general Chinese and its part of speech.
//!
//! A word is filler when it is a term (as the statistics count terms), official speech uses it
//! throughout (in at least `MIN_DOCUMENT_SHARE` of the long documents, at least `MIN_RATE`
//! times per 10,000 words on average), and it names nothing: jieba's dictionary tags it as a
//! verb, adverb, adjective, pronoun, numeral or other function word, not a noun, a verbal
//! noun (`发展`, `改革`), a name or a place, and general Chinese uses it very often (at least
//! `MIN_GENERAL_FREQUENCY` in the dictionary: `进行`, `已经`, but not the topical verbs `就业`,
//! `创新`). A word the dictionary lacks (the segmenter's guess, e.g. `这是`) is filler when
//! each of its characters is a very frequent function word. Being frequent and even alone is
//! no evidence here: all the documents are of one genre, so its core topics (`发展`, `经济`)
//! are frequent and even in every one of them.

use rostrum::analysis::segment::{Segmenter, is_term};
use rustc_hash::FxHashMap;
use std::io::BufRead;
use std::path::Path;

/// Documents shorter than this (resolutions, fragments) are left out.
const MIN_DOCUMENT_CHARS: usize = 5000;
const MIN_DOCUMENT_SHARE: f64 = 0.3;
/// Words per 10,000 that a filler word reaches on average.
const MIN_RATE: f64 = 1.0;
/// Frequency in general Chinese (jieba's dictionary) of a filler word, and of each character
/// of a filler word the dictionary lacks.
const MIN_GENERAL_FREQUENCY: u64 = 12_000;
const MIN_CHARACTER_FREQUENCY: u64 = 100_000;
/// jieba's part-of-speech tags of words that name nothing.
const FUNCTION_TAGS: &[&str] = &[
    "v", "vd", "d", "a", "ad", "r", "m", "mq", "q", "p", "c", "u", "f", "y", "e", "z",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(folder), Some(dict)) = (args.next(), args.next()) else {
        return Err("usage: filler REFERENCE_DIR JIEBA_DICT".into());
    };
    let general: FxHashMap<String, (u64, String)> = std::fs::read_to_string(&dict)?
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let word = fields.next()?.to_owned();
            let frequency = fields.next()?.parse().ok()?;
            Some((word, (frequency, fields.next().unwrap_or("x").to_owned())))
        })
        .collect();
    let names_nothing = |word: &str| match general.get(word) {
        Some((frequency, tag)) => {
            *frequency >= MIN_GENERAL_FREQUENCY && FUNCTION_TAGS.contains(&tag.as_str())
        }
        None => word.chars().all(|c| {
            general.get(&c.to_string()).is_some_and(|(frequency, tag)| {
                *frequency >= MIN_CHARACTER_FREQUENCY && FUNCTION_TAGS.contains(&tag.as_str())
            })
        }),
    };
    let (segmenter, _) = Segmenter::new(None);
    let mut rates: Vec<FxHashMap<String, f64>> = Vec::new();
    for name in [
        "government_work_reports.jsonl",
        "cpc_congress_reports.jsonl",
    ] {
        let file = std::fs::File::open(Path::new(&folder).join(name))?;
        for line in std::io::BufReader::new(file).lines() {
            let record: serde_json::Value = serde_json::from_str(&line?)?;
            let content = record["content"].as_str().unwrap_or_default();
            if content.chars().count() < MIN_DOCUMENT_CHARS {
                continue;
            }
            let words = segmenter.words(content);
            let mut counts: FxHashMap<String, f64> = FxHashMap::default();
            for word in words.iter().filter(|w| is_term(w)) {
                *counts.entry((*word).to_owned()).or_default() += 1.0;
            }
            let total = words.len().max(1) as f64;
            rates.push(
                counts
                    .into_iter()
                    .map(|(w, c)| (w, c * 10_000.0 / total))
                    .collect(),
            );
        }
    }
    let documents = rates.len() as f64;
    let mut candidates: FxHashMap<&str, Vec<f64>> = FxHashMap::default();
    for document in &rates {
        for (word, rate) in document {
            candidates.entry(word).or_default().push(*rate);
        }
    }
    let mut filler: Vec<(&str, f64)> = candidates
        .into_iter()
        .filter(|(_, found)| found.len() as f64 >= MIN_DOCUMENT_SHARE * documents)
        .filter_map(|(word, found)| {
            let mean = found.iter().sum::<f64>() / documents;
            (mean >= MIN_RATE && names_nothing(word)).then_some((word, mean))
        })
        .collect();
    filler.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    println!(
        "# Filler of official speech: words that name nothing, used throughout {documents} reference documents"
    );
    println!(
        "# (scripts/filler.rs; in ≥ {MIN_DOCUMENT_SHARE} of them, ≥ {MIN_RATE} per 10,000 words, tagged {FUNCTION_TAGS:?}, general frequency ≥ {MIN_GENERAL_FREQUENCY})."
    );
    for (word, _) in filler {
        println!("{word}");
    }
    Ok(())
}
