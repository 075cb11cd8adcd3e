//! Builds the tables that washed-wording detection reads (`data/wording/`): the synonym groups
//! of the HIT Cilin extended thesaurus and word counts of how official Chinese is written.
//!
//!   cargo run --release --example wording-tables -- REFERENCE_DIR data/wording
//!
//! `REFERENCE_DIR` holds `cilin_ex.txt` (同义词词林扩展版: an 8-character code per line, then
//! its words; a code ending in `=` marks a row of synonyms) and the public-domain official
//! texts `government_work_reports.jsonl` and `cpc_congress_reports.jsonl` (JSON Lines with a
//! `content` field, from Wikisource). It writes:
//!
//! - `synonyms.txt`: the `=` rows, each cut to its words of two or more Han characters, kept
//!   when two such words remain and one of them is used in the official texts at least
//!   `MIN_LIKELY_COUNT` times (a substitute is judged against an original official prose uses).
//! - `ngrams.txt`: how often each word, and each pair of neighbouring words with a synonym
//!   (in Cilin or in the hand-made `spinner.tsv` that `OUTPUT_DIR` holds) among them, occurs in the official texts, counted on Rostrum's own segmentation. `|`
//!   stands for a clause boundary (punctuation, a line break), so that `| 特别 是` is a count.
//!
//! The documents `HELD_OUT` names are not counted: they are the clean texts of the tests and
//! benchmark (`tests/fixtures/wording`, and the samples that are reports of those years).

use rostrum::analysis::segment::Segmenter;
use rostrum::analysis::wording::tables::{BOUNDARY, clause_tokens};
use rostrum::text::is_han;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::Path;

/// Work reports left out of the counts, by year: the samples and seeds (1955, 1964, 1983,
/// 2008, 2014, 2022) and the benchmark's clean texts (1959, 1986, 2000, 2011, 2019).
const HELD_OUT_YEARS: &[u64] = &[
    1955, 1959, 1964, 1983, 1986, 2000, 2008, 2011, 2014, 2019, 2022,
];
/// Congress reports left out of the counts: the benchmark's report to the 16th congress.
const HELD_OUT_CONGRESSES: &[u64] = &[16];
/// Uses in the official texts a synonym group needs for one of its words.
const MIN_LIKELY_COUNT: u32 = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(reference), Some(output)) = (args.next(), args.next()) else {
        return Err("usage: wording REFERENCE_DIR OUTPUT_DIR".into());
    };
    let reference = Path::new(&reference);
    let (segmenter, _) = Segmenter::new(None);
    let mut unigrams: FxHashMap<String, u32> = FxHashMap::default();
    let mut bigrams: FxHashMap<(String, String), u32> = FxHashMap::default();
    let mut documents = 0;
    for name in [
        "government_work_reports.jsonl",
        "cpc_congress_reports.jsonl",
    ] {
        let file = std::fs::File::open(reference.join(name))?;
        for line in std::io::BufReader::new(file).lines() {
            let record: serde_json::Value = serde_json::from_str(&line?)?;
            // The fields are numbers in one file and strings in the other.
            let held_out = |field: &str, list: &[u64]| {
                let value = &record[field];
                value
                    .as_u64()
                    .or_else(|| value.as_str().and_then(|v| v.parse().ok()))
                    .is_some_and(|v| list.contains(&v))
            };
            if held_out("year", HELD_OUT_YEARS) || held_out("congress", HELD_OUT_CONGRESSES) {
                continue;
            }
            documents += 1;
            let tokens = tokens(&segmenter, record["content"].as_str().unwrap_or_default());
            for token in &tokens {
                *unigrams.entry(token.clone()).or_default() += 1;
            }
            for pair in tokens.windows(2) {
                *bigrams
                    .entry((pair[0].clone(), pair[1].clone()))
                    .or_default() += 1;
            }
        }
    }
    let groups = synonym_groups(&reference.join("cilin_ex.txt"), &unigrams)?;
    let output = Path::new(&output);
    let spinner = std::fs::read_to_string(output.join("spinner.tsv")).unwrap_or_default();
    let mut vocabulary: FxHashSet<&str> = groups.iter().flatten().map(String::as_str).collect();
    vocabulary.extend(
        spinner
            .lines()
            .filter(|line| !line.starts_with('#'))
            .skip(1)
            .flat_map(|line| line.split('\t').take(2)),
    );

    std::fs::create_dir_all(output)?;
    let mut text = format!(
        "# Synonym rows (=) of HIT Cilin extended, words of 2+ Han characters, one used ≥ {MIN_LIKELY_COUNT} times\n# in official texts (scripts/wording.rs). {} groups.\n",
        groups.len()
    );
    for group in &groups {
        writeln!(text, "{}", group.join(" "))?;
    }
    std::fs::write(output.join("synonyms.txt"), text)?;

    let mut words: Vec<(&String, &u32)> = unigrams.iter().collect();
    words.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut pairs: Vec<(&(String, String), &u32)> = bigrams
        .iter()
        .filter(|((a, b), _)| vocabulary.contains(a.as_str()) || vocabulary.contains(b.as_str()))
        .collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut text = format!(
        "# Word and neighbouring-word counts of {documents} official texts (scripts/wording.rs): `count<TAB>word`\n# or `count<TAB>word word`; `{BOUNDARY}` is a clause boundary. Pairs only where one word has a synonym.\n"
    );
    for (word, count) in words {
        writeln!(text, "{count}\t{word}")?;
    }
    for ((first, second), count) in pairs {
        writeln!(text, "{count}\t{first} {second}")?;
    }
    std::fs::write(output.join("ngrams.txt"), text)?;
    Ok(())
}

/// The words of `text`, line by line as the detector reads a paragraph, with one `BOUNDARY`
/// between lines.
fn tokens(segmenter: &Segmenter, text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for line in text.lines() {
        for token in clause_tokens(segmenter.jieba(), line) {
            if !(token.is_boundary() && tokens.last().is_some_and(|last| last == BOUNDARY)) {
                tokens.push(token.text.to_owned());
            }
        }
    }
    tokens
}

/// Cilin's synonym rows, cut to words of two or more Han characters, that official texts can
/// judge: two words remain and one is used at least `MIN_LIKELY_COUNT` times.
fn synonym_groups(
    cilin: &Path,
    counts: &FxHashMap<String, u32>,
) -> Result<Vec<Vec<String>>, std::io::Error> {
    let mut groups = Vec::new();
    for line in std::fs::read_to_string(cilin)?.lines() {
        let mut fields = line.split_whitespace();
        if !fields.next().is_some_and(|code| code.ends_with('=')) {
            continue;
        }
        let mut words: Vec<String> = Vec::new();
        for word in fields {
            if word.chars().count() >= 2
                && word.chars().all(is_han)
                && !words.iter().any(|w| w == word)
            {
                words.push(word.to_owned());
            }
        }
        let judged = words
            .iter()
            .any(|w| counts.get(w).copied().unwrap_or(0) >= MIN_LIKELY_COUNT);
        if words.len() >= 2 && judged {
            groups.push(words);
        }
    }
    Ok(groups)
}
