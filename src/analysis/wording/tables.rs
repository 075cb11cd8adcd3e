//! The data washed-wording detection reads, committed in `data/wording/` (see
//! `data/README.md`): Cilin's synonym rows, the substitutions spinners are seen to make, and
//! word counts of official Chinese. Parsed once, on first use.

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

use crate::text::is_han;

/// The token that stands for a clause boundary: punctuation, a line break, a paragraph's ends.
pub const BOUNDARY: &str = "|";

/// A word of a text and where it starts, in bytes; or a `BOUNDARY`, whose `start` is that of
/// the punctuation (or the text's end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
}

impl Token<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    pub fn is_boundary(&self) -> bool {
        self.text == BOUNDARY
    }
}

/// The words of `text` as the tables count them: jieba's words with Han characters, letters
/// or digits, and one `BOUNDARY` for every run of anything else, at both ends too.
pub fn clause_tokens<'a>(jieba: &Jieba, text: &'a str) -> Vec<Token<'a>> {
    let boundary = |start| Token {
        text: BOUNDARY,
        start,
    };
    let mut tokens = vec![boundary(0)];
    let mut start = 0;
    for word in jieba.cut(text, true) {
        let word = word.word;
        if word.chars().any(|c| is_han(c) || c.is_alphanumeric()) {
            tokens.push(Token { text: word, start });
        } else if !word.trim().is_empty() && tokens.last().is_some_and(|t| !t.is_boundary()) {
            tokens.push(boundary(start));
        }
        start += word.len();
    }
    if tokens.last().is_some_and(|t| !t.is_boundary()) {
        tokens.push(boundary(text.len()));
    }
    tokens
}

/// Where a proposed original comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kinship {
    /// The two words share a synonym row (`=`) of Cilin.
    Cilin,
    /// Spinners were seen to put the found word for this one (`spinner.tsv`).
    Spinner,
}

/// A word that may have stood where another is found.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub word: &'static str,
    pub kinship: Kinship,
    /// Its number in the counts, if the official texts use it.
    pub id: Option<u32>,
}

/// What the tables know of a word: its number in the counts, if the official texts use it,
/// the words that may have stood in its place, and whether the pairs it is in are counted.
/// One lookup gives all three.
#[derive(Debug, Default)]
pub struct Known {
    pub id: Option<u32>,
    pub candidates: Vec<Candidate>,
    /// Whether it is in a synonym row with a word official texts use (perhaps only itself:
    /// then it is a candidate, with none of its own), or spinners were seen to put it in
    /// another's place: the words whose neighbours are worth counting.
    pub paired: bool,
}

/// What the tables know of a word they do not know.
static UNKNOWN: Known = Known {
    id: None,
    candidates: Vec::new(),
    paired: false,
};

/// The tables, parsed.
pub struct Tables {
    /// Every word the counts know or that is paired.
    words: FxHashMap<&'static str, Known>,
    /// Uses of each word in the official texts, by number.
    unigrams: Vec<u32>,
    /// Words counted.
    pub total: f64,
    /// Uses of a word next to another, by their numbers: as two words (counted only where one
    /// of them has a synonym), and as the one word they make together (`具体措施` of `具体`
    /// and `措施`).
    pairs: FxHashMap<(u32, u32), u32>,
    /// For each word, all its Cilin synonyms, used or not.
    synonyms_of: FxHashMap<&'static str, Vec<&'static str>>,
    /// For each word, what spinners were seen to put in its place (`spinner.tsv` read back).
    spun_as: FxHashMap<&'static str, Vec<&'static str>>,
}

/// The committed tables as text: Cilin's synonym rows, the swaps spinners were seen to make,
/// and the counts of official texts.
pub const SYNONYMS: &str = include_str!("../../../data/wording/synonyms.txt");
pub const SPINNER: &str = include_str!("../../../data/wording/spinner.tsv");
pub const NGRAMS: &str = include_str!("../../../data/wording/ngrams.txt");

/// The committed tables.
pub static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables::parse(SYNONYMS, SPINNER, NGRAMS));

/// The lines of a table that hold data: not blank, not `#` comments.
fn data_lines(table: &str) -> impl Iterator<Item = &str> {
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

impl Tables {
    /// Parses the three tables. Malformed lines (there are none in the committed data, which a
    /// test checks) are skipped.
    pub fn parse(synonyms: &'static str, spinner: &'static str, ngrams: &'static str) -> Tables {
        let mut ids: FxHashMap<&'static str, u32> = FxHashMap::default();
        let mut unigrams = Vec::new();
        let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for line in data_lines(ngrams) {
            let Some((count, words)) = line.split_once('\t') else {
                continue;
            };
            let Ok(count) = count.parse::<u32>() else {
                continue;
            };
            match words.split_once(' ') {
                None => {
                    ids.insert(words, unigrams.len() as u32);
                    unigrams.push(count);
                }
                Some((first, second)) => {
                    if let (Some(&a), Some(&b)) = (ids.get(first), ids.get(second)) {
                        pairs.insert((a, b), count);
                    }
                }
            }
        }
        for (word, &id) in &ids {
            for (split, _) in word.char_indices().skip(1) {
                if let (Some(&a), Some(&b)) = (ids.get(&word[..split]), ids.get(&word[split..])) {
                    *pairs.entry((a, b)).or_default() += unigrams[id as usize];
                }
            }
        }
        let used = |word: &str| ids.contains_key(word);
        let mut candidates: FxHashMap<&'static str, Vec<Candidate>> = FxHashMap::default();
        let mut link = |found: &'static str, likely: &'static str, kinship| {
            let list = candidates.entry(found).or_default();
            if found != likely && !list.iter().any(|c| c.word == likely) {
                list.push(Candidate {
                    word: likely,
                    kinship,
                    id: ids.get(likely).copied(),
                });
            }
        };
        // A Cilin synonym official texts never use is no likely original: it could not score
        // high enough to be reported, and leaving it out halves the work.
        let mut synonyms_of: FxHashMap<&'static str, Vec<&'static str>> = FxHashMap::default();
        for line in data_lines(synonyms) {
            let group: Vec<&str> = line.split_whitespace().collect();
            for found in &group {
                for likely in group.iter().filter(|w| used(w)) {
                    link(found, likely, Kinship::Cilin);
                }
                let others = group.iter().filter(|w| *w != found);
                synonyms_of.entry(found).or_default().extend(others);
            }
        }
        let mut spun_as: FxHashMap<&'static str, Vec<&'static str>> = FxHashMap::default();
        // The first line of spinner.tsv names its columns.
        for line in data_lines(spinner).skip(1) {
            let mut fields = line.split('\t');
            if let (Some(found), Some(likely)) = (fields.next(), fields.next()) {
                link(found.trim(), likely.trim(), Kinship::Spinner);
                spun_as.entry(likely.trim()).or_default().push(found.trim());
            }
        }
        let total = unigrams.iter().map(|&c| f64::from(c)).sum();
        let mut words: FxHashMap<&'static str, Known> = ids
            .into_iter()
            .map(|(word, id)| {
                (
                    word,
                    Known {
                        id: Some(id),
                        ..Known::default()
                    },
                )
            })
            .collect();
        for (word, candidates) in candidates {
            let known = words.entry(word).or_default();
            known.candidates = candidates;
            known.paired = true;
        }
        Tables {
            words,
            unigrams,
            total,
            pairs,
            synonyms_of,
            spun_as,
        }
    }

    /// What the tables know of `word`.
    pub fn known(&self, word: &str) -> &Known {
        self.words.get(word).unwrap_or(&UNKNOWN)
    }

    /// The words that may have stood where `word` is found.
    pub fn candidates(&self, word: &str) -> &[Candidate] {
        &self.known(word).candidates
    }

    /// What a spinner may put in place of `word`: its Cilin synonyms and the substitutes
    /// spinners were seen to choose for it.
    pub fn substitutes<'t>(&'t self, word: &str) -> impl Iterator<Item = &'static str> + 't {
        let cilin = self.synonyms_of.get(word).into_iter().flatten().copied();
        let seen = self.spun_as.get(word).into_iter().flatten().copied();
        cilin.chain(seen)
    }

    /// The number of `word` in the counts, if the official texts use it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.known(word).id
    }

    /// Uses of the word numbered `id` in the official texts.
    pub fn uses(&self, id: Option<u32>) -> u32 {
        id.and_then(|id| self.unigrams.get(id as usize).copied())
            .unwrap_or(0)
    }

    /// Uses in the official texts of the word numbered `first` next to the one numbered
    /// `second`: as two words (counted only where one of them has candidates), or as the one
    /// word they make together.
    pub fn pair(&self, first: Option<u32>, second: Option<u32>) -> u32 {
        let (Some(first), Some(second)) = (first, second) else {
            return 0;
        };
        self.pairs.get(&(first, second)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_committed_line_parses() {
        let tables = &*TABLES;
        for line in data_lines(NGRAMS) {
            let (count, words) = line.split_once('\t').expect("a count and words");
            let count: u32 = count.parse().expect("a count");
            match words.split_once(' ') {
                None => assert_eq!(tables.uses(tables.id(words)), count, "{line}"),
                Some((first, second)) => {
                    let pair = tables.pair(tables.id(first), tables.id(second));
                    assert!(pair >= count, "{line}: {pair}");
                }
            }
        }
        let (a, b) = (tables.id("具体"), tables.id("措施"));
        assert!(
            tables.pair(a, b) > 0,
            "具体措施, one word to the segmenter, counts as a pair"
        );
        for line in data_lines(SPINNER).skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "spinner.tsv: {line}");
            assert!(
                tables
                    .candidates(fields[0])
                    .iter()
                    .any(|c| c.word == fields[1]),
                "{line}"
            );
        }
    }

    #[test]
    fn cilin_rows_link_both_ways_to_used_words_and_spinner_rows_one_way() {
        let tables = Tables::parse(
            "最后 最终\n",
            "found\tlikely\tevidence\n详细\t具体\tx\n",
            "5\t最后\n2\t最终\n",
        );
        assert_eq!(tables.candidates("最终")[0].word, "最后");
        assert_eq!(tables.candidates("最后")[0].word, "最终");
        assert_eq!(tables.candidates("详细")[0].kinship, Kinship::Spinner);
        assert!(tables.candidates("具体").is_empty());
        let unused = Tables::parse("最后 最终\n", "found\tlikely\tevidence\n", "5\t最后\n");
        assert!(
            unused.candidates("最后").is_empty(),
            "a synonym official texts never use is no candidate"
        );
        assert_eq!(unused.candidates("最终")[0].word, "最后");
        assert!(
            unused.known("最后").paired,
            "a candidate's neighbours are counted, though it has no candidates of its own"
        );
        assert!(!unused.known("其他").paired);
    }

    #[test]
    fn tokens_mark_clause_boundaries_and_keep_byte_offsets() {
        let jieba = Jieba::new();
        let text = "特别是君山区，成效显著。";
        let tokens = clause_tokens(&jieba, text);
        let words: Vec<&str> = tokens.iter().map(|t| t.text).collect();
        assert_eq!(words.first(), Some(&BOUNDARY));
        assert_eq!(words.last(), Some(&BOUNDARY));
        assert_eq!(words.iter().filter(|w| **w == BOUNDARY).count(), 3);
        for token in tokens.iter().filter(|t| !t.is_boundary()) {
            assert_eq!(&text[token.start..token.end()], token.text);
        }
    }
}
