//! Washed wording (洗稿): the words a document-sharing site's spinner put in place of the
//! original ones to escape duplicate detection, each with the word that likely stood there.
//!
//! A word is suspect when a word that may have stood in its place (a Cilin synonym, or a swap
//! spinners are seen to make) fits its neighbours far better in how official Chinese is
//! written: the official texts the tables count, the collection's other speeches, and the
//! speech's own title, keywords and headings, which sites often leave unwashed. A speech with
//! many clear suspects is probably washed, and there weaker suspects are reported too.

pub mod evidence;
pub mod restore;
pub mod tables;

use jieba_rs::Jieba;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::model::Speech;
use crate::text::is_han;
use evidence::{Counts, Evidence, Seen, Word};
use tables::{Candidate, Kinship, Known, Tables, Token, clause_tokens};

/// A word that is probably a spinner's substitute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rewording {
    /// The paragraph it is in.
    pub paragraph: u32,
    /// Byte range of the word in the paragraph's text.
    pub start: usize,
    pub end: usize,
    /// The word as found.
    pub found: String,
    /// The word that likely stood there.
    pub likely: String,
    /// How sure the judgement is, from 0 to 1.
    pub confidence: f64,
}

/// What washed-wording detection says of a speech.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Wording {
    /// How likely the speech is to have been washed, from 0 to 1: its clear suspects per
    /// 1,000 characters against what clean official texts show; 0.5 and above looks washed.
    pub washed: f64,
    pub rewordings: Vec<Rewording>,
}

/// One substitution and where a speech has it: every suspect `found` with the same `likely`.
#[derive(Debug, Clone, PartialEq)]
pub struct Substitution<'a> {
    pub found: &'a str,
    pub likely: &'a str,
    pub occurrences: usize,
    /// The paragraphs it is in, each once, in order.
    pub paragraphs: Vec<u32>,
    /// The highest confidence among its occurrences.
    pub confidence: f64,
}

/// The suspects of a speech by substitution, the most frequent first (ties by first place).
pub fn substitutions(rewordings: &[Rewording]) -> Vec<Substitution<'_>> {
    let mut grouped: Vec<Substitution> = Vec::new();
    for r in rewordings {
        match grouped
            .iter_mut()
            .find(|s| s.found == r.found && s.likely == r.likely)
        {
            Some(group) => {
                group.occurrences += 1;
                if group.paragraphs.last() != Some(&r.paragraph) {
                    group.paragraphs.push(r.paragraph);
                }
                group.confidence = group.confidence.max(r.confidence);
            }
            None => grouped.push(Substitution {
                found: &r.found,
                likely: &r.likely,
                occurrences: 1,
                paragraphs: vec![r.paragraph],
                confidence: r.confidence,
            }),
        }
    }
    grouped.sort_by_key(|s| std::cmp::Reverse(s.occurrences));
    grouped
}

/// Whether a speech with this `Wording::washed` looks washed.
pub fn looks_washed(washed: f64) -> bool {
    washed >= 0.5
}

// The weights below were chosen on half of the benchmark's spun texts and on the seed
// (`bench/wording.rs`); the other half checks them (`tests/wording.rs`).

/// How much a pair never seen borrows from the neighbour's own frequency.
const SMOOTHING: f64 = 5.0;
/// Standard deviations by which counts are taken down (for the candidate) or up (for the
/// found word), so that one chance co-occurrence is no proof.
const DOUBT: f64 = 0.5;
/// Weight of how much more often official texts use the candidate than the found word.
const PRIOR_WEIGHT: f64 = 1.5;
/// A found word official texts use often is seldom a substitute: its score loses
/// `COMMON_PENALTY · ln(1 + uses / COMMON_USES)`.
const COMMON_PENALTY: f64 = 2.0;
const COMMON_USES: f64 = 50.0;
/// Evidence a candidate gains by being in the speech's title, keywords or headings while the
/// found word is not.
const HEADLINE_BONUS: f64 = 3.0;
/// Evidence a candidate gains when spinners were seen to make exactly this swap.
const SEEN_SWAP_BONUS: f64 = 4.0;
/// Score on the official texts alone from which a candidate is judged with the collection too.
const PROMISING: f64 = 0.0;
/// Score from which a suspect counts as clear, for judging the whole speech.
const CLEAR: f64 = 6.0;
/// Clear suspects per 1,000 Han characters from which a speech looks washed. Clean official
/// texts show 2 to 3, the seed 14.
const WASHED_DENSITY: f64 = 8.0;
/// Score a suspect needs to be reported in a speech that looks washed, and in one that
/// does not.
const IN_WASHED: f64 = 4.5;
const IN_CLEAN: f64 = 14.0;
// A word none of whose candidates reaches `PROMISING` on the official texts is left out: it
// could neither count as clear nor be reported.
const _: () = assert!(PROMISING < CLEAR && PROMISING < IN_WASHED && PROMISING < IN_CLEAN);

/// A suspect before the speech as a whole is judged.
struct Suspect<'a> {
    paragraph: u32,
    token: Token<'a>,
    likely: &'static str,
    score: f64,
}

/// Finds the washed words of `speech`. `collection` counts the whole collection, the speech
/// included (its own counts are taken out).
pub fn detect<'s>(
    speech: &'s Speech,
    jieba: &Jieba,
    tables: &Tables,
    collection: &Counts,
) -> Wording {
    let paragraphs: Vec<(u32, Vec<Token<'s>>)> = speech
        .paragraphs()
        .map(|(_, p)| (p.id, clause_tokens(jieba, &p.text)))
        .collect();
    let headline = headline_words(speech, jieba);
    // Each word is judged on the official texts first; the few whose candidates do well there
    // are judged again with the collection's counts, once the speech's own are known. The
    // others are no suspects: none could count as clear or be reported.
    let mut suspects = Vec::new();
    let mut promising = Vec::new();
    for (paragraph, tokens) in &paragraphs {
        // Every token looked up once, not once for each of the three words it is judged in.
        let known: Vec<&Known> = tokens.iter().map(|t| tables.known(t.text)).collect();
        let word = |i: usize| Word {
            text: tokens[i].text,
            id: known[i].id,
        };
        // Every token with a neighbour on each side.
        for i in 1..tokens.len().saturating_sub(1) {
            let candidates = &known[i].candidates;
            if candidates.is_empty() {
                continue;
            }
            let (found, left, right) = (word(i), word(i - 1), word(i + 1));
            if is_promising(found, left, right, candidates, tables, &headline) {
                promising.push((*paragraph, tokens[i], found, left, right));
            }
        }
    }
    if !promising.is_empty() {
        let mut own = Counts::default();
        for (_, tokens) in &paragraphs {
            own.add(tokens, tables);
        }
        let evidence = Evidence {
            tables,
            collection,
            own: &own,
        };
        for (paragraph, token, found, left, right) in promising {
            if let Some((likely, score)) = best_candidate(found, left, right, &evidence, &headline)
            {
                suspects.push(Suspect {
                    paragraph,
                    token,
                    likely,
                    score,
                });
            }
        }
    }
    let characters = speech
        .paragraphs()
        .flat_map(|(_, p)| p.text.chars())
        .filter(|&c| is_han(c))
        .count();
    let clear = suspects.iter().filter(|s| s.score >= CLEAR).count();
    let density = clear as f64 * 1000.0 / characters.max(1) as f64;
    let washed = logistic((density - WASHED_DENSITY) / 1.5);
    let threshold = if density >= WASHED_DENSITY {
        IN_WASHED
    } else {
        IN_CLEAN
    };
    let rewordings = suspects
        .into_iter()
        .filter(|s| s.score >= threshold)
        .map(|s| Rewording {
            paragraph: s.paragraph,
            start: s.token.start,
            end: s.token.end(),
            found: s.token.text.to_owned(),
            likely: s.likely.to_owned(),
            confidence: round2(logistic((s.score - CLEAR) / 2.0) * (0.5 + 0.5 * washed)),
        })
        .collect();
    Wording {
        washed: round2(washed),
        rewordings,
    }
}

/// The words of the speech's title, heading, keywords and section titles.
fn headline_words<'s>(speech: &'s Speech, jieba: &Jieba) -> FxHashSet<&'s str> {
    let sections = speech.sections_flat();
    std::iter::once(speech.title.as_str())
        .chain(speech.front.heading.as_deref())
        .chain(speech.keywords.iter().map(String::as_str))
        .chain(sections.iter().map(|s| s.title.as_str()))
        .flat_map(|text| jieba.cut(text, true).into_iter().map(|t| t.word))
        .collect()
}

/// What a candidate is judged against, the same for every candidate of one word.
#[derive(Clone, Copy)]
struct Context<'h> {
    found: Seen,
    found_in_headline: bool,
    headline: &'h FxHashSet<&'h str>,
    /// `SMOOTHING` times how often the neighbours are used, of every word counted.
    left_prior: f64,
    right_prior: f64,
    /// Whether the word after counts: a number says nothing (figures differ between texts).
    right_counts: bool,
    /// The found word's side of the comparison with each neighbour (see `judge`), and what
    /// it loses for being common: worked out once, not once for each candidate.
    found_after_left: f64,
    found_before_right: f64,
    common_penalty: f64,
}

impl<'h> Context<'h> {
    fn new(
        found: Seen,
        found_in_headline: bool,
        headline: &'h FxHashSet<&'h str>,
        (left_prior, right_prior): (f64, f64),
        right_counts: bool,
    ) -> Context<'h> {
        let fit = |with_found: f64, prior: f64| {
            ((more(with_found) + prior) / (found.uses + SMOOTHING)).ln()
        };
        Context {
            found,
            found_in_headline,
            headline,
            left_prior,
            right_prior,
            right_counts,
            found_after_left: fit(found.after_left, left_prior),
            found_before_right: fit(found.before_right, right_prior),
            common_penalty: COMMON_PENALTY * (found.uses / COMMON_USES).ln_1p(),
        }
    }
}

/// A candidate's score against the found word: roughly the log-odds that it, not the found
/// word, stood there.
fn judge(candidate: &Candidate, seen: Seen, context: &Context) -> f64 {
    let found = context.found;
    // How well the candidate fits beside a neighbour, against how well the found word does.
    let side = |with_candidate: f64, prior: f64, found_side: f64| {
        ((less(with_candidate) + prior) / (seen.uses + SMOOTHING)).ln() - found_side
    };
    let mut score = PRIOR_WEIGHT * ((less(seen.uses) + 0.5) / (more(found.uses) + 0.5)).ln()
        + side(
            seen.after_left,
            context.left_prior,
            context.found_after_left,
        )
        - context.common_penalty;
    if context.right_counts {
        score += side(
            seen.before_right,
            context.right_prior,
            context.found_before_right,
        );
    }
    if context.headline.contains(candidate.word) && !context.found_in_headline {
        score += HEADLINE_BONUS;
    }
    if candidate.kinship == Kinship::Spinner {
        score += SEEN_SWAP_BONUS;
    }
    score
}

/// The context of a word as the official texts alone show it.
fn official_context<'h>(
    found: Word,
    left: Word,
    right: Word,
    tables: &Tables,
    headline: &'h FxHashSet<&'h str>,
) -> Context<'h> {
    let prior = |word: Word| SMOOTHING * (f64::from(tables.uses(word.id)) + 0.5) / tables.total;
    Context::new(
        Seen::in_official_texts(tables, found, left, right),
        headline.contains(found.text),
        headline,
        (prior(left), prior(right)),
        !right.text.chars().any(|c| c.is_ascii_digit()),
    )
}

fn candidate_word(candidate: &Candidate) -> Word<'static> {
    Word {
        text: candidate.word,
        id: candidate.id,
    }
}

/// Whether one of `candidates`, those of `found`, does well enough on the official texts
/// alone (quick integer lookups) to be judged with the collection's counts too.
fn is_promising(
    found: Word,
    left: Word,
    right: Word,
    candidates: &[Candidate],
    tables: &Tables,
    headline: &FxHashSet<&str>,
) -> bool {
    let context = official_context(found, left, right, tables, headline);
    candidates.iter().any(|candidate| {
        let seen = Seen::in_official_texts(tables, candidate_word(candidate), left, right);
        judge(candidate, seen, &context) >= PROMISING
    })
}

/// The candidate that fits between `left` and `right` best, with its score against `found`,
/// on all the evidence: the candidates that do well on the official texts alone, judged
/// again with the collection's counts too.
fn best_candidate(
    found: Word,
    left: Word,
    right: Word,
    evidence: &Evidence,
    headline: &FxHashSet<&str>,
) -> Option<(&'static str, f64)> {
    let tables = evidence.tables;
    let official = official_context(found, left, right, tables, headline);
    let total = evidence.total();
    let prior = |word: Word| SMOOTHING * (evidence.uses(word) + 0.5) / total;
    let context = Context::new(
        evidence.seen(found, left, right),
        official.found_in_headline,
        headline,
        (prior(left), prior(right)),
        official.right_counts,
    );
    tables
        .candidates(found.text)
        .iter()
        .filter(|candidate| {
            let seen = Seen::in_official_texts(tables, candidate_word(candidate), left, right);
            judge(candidate, seen, &official) >= PROMISING
        })
        .map(|candidate| {
            let seen = evidence.seen(candidate_word(candidate), left, right);
            (candidate.word, judge(candidate, seen, &context))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// A count taken down by `DOUBT` standard deviations.
fn less(count: f64) -> f64 {
    (count - DOUBT * count.sqrt()).max(0.0)
}

/// A count taken up by `DOUBT` standard deviations (none for nothing seen).
fn more(count: f64) -> f64 {
    count + DOUBT * ((count + 1.0).sqrt() - 1.0)
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
/// The wording of every speech of a collection, each judged with the others as evidence.
pub fn detect_all(speeches: &[Speech], jieba: &Jieba, tables: &Tables) -> Vec<Wording> {
    let collection = Counts::of_speeches(speeches, jieba, tables);
    speeches
        .par_iter()
        .map(|speech| detect(speech, jieba, tables, &collection))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A suspect at the first place `found` is in `text`.
    pub(crate) fn rewording(paragraph: u32, text: &str, found: &str, likely: &str) -> Rewording {
        let start = text.find(found).expect("the word is in the text");
        Rewording {
            paragraph,
            start,
            end: start + found.len(),
            found: found.to_owned(),
            likely: likely.to_owned(),
            confidence: 0.9,
        }
    }

    #[test]
    fn substitutions_group_occurrences_most_frequent_first() {
        let first = "特殊是君山区";
        let rewordings = [
            rewording(3, "工作支配", "支配", "部署"),
            rewording(5, first, "特殊", "特别"),
            rewording(9, first, "特殊", "特别"),
        ];
        let grouped = substitutions(&rewordings);
        assert_eq!(grouped.len(), 2);
        assert_eq!(
            (grouped[0].found, grouped[0].likely, &grouped[0].paragraphs),
            ("特殊", "特别", &vec![5, 9])
        );
        assert_eq!(grouped[1].found, "支配");
    }

    #[test]
    fn counts_are_doubted_so_one_chance_pair_proves_little() {
        assert_eq!(less(0.0), 0.0);
        assert!(less(1.0) < 0.6 && less(100.0) > 90.0);
        assert_eq!(more(0.0), 0.0);
        assert!(more(1.0) > 1.2);
    }
}
