//! Search without an index, while the index is built: every heading and paragraph is read and
//! matched token by token, as the index matches, so a scan finds exactly what the index will.
//! A term is looked for in the raw text first (a substring search): as it is written, when
//! that proves a match, and otherwise its characters, and only a text that has them all is
//! read further. Matches rank by BM25 of their terms' counts and their length, every term
//! weighing the same: how rare a term is is known only after the whole scan.

use memchr::memmem;
use rayon::prelude::*;

use super::query::{ParsedQuery, QueryTerm, SearchRequest, parse_query};
use super::rank::RawHit;
use super::results::describe_hit;
use super::{HITS_PER_PAGE, HitGroup, MAX_HITS, SearchResults};
use crate::analysis::segment::{join_ideographs, occurrences};
use crate::corpus::Corpus;
use crate::model::{SectionId, Speech};
use crate::text::is_han;

/// BM25's saturation of a term's count, and how much a text's length counts, as tantivy's.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Answers `request` by reading `corpus`: the same results as `SearchIndex::search` (every
/// match counted, one page of hits grouped by speech, speeches in the order of their best
/// match), but ranked without the collection's term statistics.
pub fn search(corpus: &Corpus, request: &SearchRequest) -> SearchResults {
    let parsed = parse_query(&request.query);
    let mut results = SearchResults::empty(parsed.clone(), request.page);
    results.scanned = true;
    if parsed.terms.is_empty() {
        return results;
    }
    let terms: Vec<TermScan> = parsed.terms.iter().map(TermScan::new).collect();
    let section = request.section.as_ref();
    let scanned: Vec<SpeechScan> = match &request.speech {
        Some(slug) => corpus
            .speeches
            .iter()
            .position(|speech| &speech.slug == slug)
            .map(|at| scan_speech(at, &corpus.speeches[at], &terms, section))
            .into_iter()
            .collect(),
        None => corpus
            .speeches
            .par_iter()
            .enumerate()
            .map(|(at, speech)| scan_speech(at, speech, &terms, section))
            .collect(),
    };
    let texts: usize = scanned.iter().map(|s| s.texts).sum();
    let bytes: usize = scanned.iter().map(|s| s.bytes).sum();
    let average_length = bytes as f32 / texts.max(1) as f32;
    let mut ranked: Vec<(f32, SpeechScan)> = scanned
        .into_iter()
        .filter(|speech| !speech.matches.is_empty())
        .map(|speech| (speech.best_score(average_length), speech))
        .collect();
    // Best first; among equals, in the collection's order.
    ranked.sort_by(|(a, x), (b, y)| b.total_cmp(a).then(x.speech.cmp(&y.speech)));

    results.total_hits = ranked.iter().map(|(_, s)| s.matches.len()).sum();
    results.total_speeches = ranked.len();
    results.truncated = results.total_hits > MAX_HITS;
    let listed = results.total_hits.min(MAX_HITS);
    results.pages = listed.div_ceil(HITS_PER_PAGE);
    let start = (results.page - 1).saturating_mul(HITS_PER_PAGE);
    let end = start.saturating_add(HITS_PER_PAGE).min(listed);
    let mut before = 0;
    for (_, speech) in &ranked {
        let count = speech.matches.len();
        if before + count > start && before < end {
            let shown = &speech.matches[start.saturating_sub(before)..(end - before).min(count)];
            let of = &corpus.speeches[speech.speech];
            results.groups.push(group(of, count, shown, &parsed));
        }
        before += count;
        if before >= end {
            break;
        }
    }
    results
}

/// A term of the query, ready to be looked for.
struct TermScan<'q> {
    term: &'q QueryTerm,
    /// For a term of ideographs side by side, the term as written: where it occurs, it is
    /// written so, once the whitespace between ideographs (`低 保`) is taken out.
    literal: Option<memmem::Finder<'static>>,
    /// For each token (some tokens have none), the ways its first character may be written:
    /// a text without any of them cannot match.
    needed: Vec<Vec<memmem::Finder<'static>>>,
}

impl<'q> TermScan<'q> {
    fn new(term: &'q QueryTerm) -> TermScan<'q> {
        let literal = term
            .ideographs_side_by_side()
            .map(|text| memmem::Finder::new(text.as_bytes()).into_owned());
        let needed = term
            .tokens
            .iter()
            .filter_map(|token| token.text.chars().next())
            .map(spellings)
            .filter(|ways| !ways.is_empty())
            .map(|ways| {
                ways.iter()
                    .map(|way| memmem::Finder::new(way.as_bytes()).into_owned())
                    .collect()
            })
            .collect();
        TermScan {
            term,
            literal,
            needed,
        }
    }

    /// How many times the term occurs in `text`: 0 if it does not.
    fn count_in(&self, text: &str) -> usize {
        let count =
            |literal: &memmem::Finder, text: &str| literal.find_iter(text.as_bytes()).count();
        let Some(literal) = &self.literal else {
            if !self.may_be_in(text) {
                return 0;
            }
            return occurrences(text, &self.term.tokens).len();
        };
        let as_written = count(literal, text);
        if as_written > 0 || self.term.tokens.len() == 1 || !self.may_be_in(text) {
            return as_written;
        }
        // Written with whitespace between its ideographs, or not at all.
        count(literal, &join_ideographs(text))
    }

    /// Whether `text` has a way of writing the first character of each token.
    fn may_be_in(&self, text: &str) -> bool {
        let has = |way: &memmem::Finder| way.find(text.as_bytes()).is_some();
        self.needed.iter().all(|ways| ways.iter().any(has))
    }
}

/// Every way a text may write the first character `c` of a character token: the characters
/// the tokenizer turns into `c`. Empty when they are not known, for a letter outside ASCII
/// whose case folding is not one to one: such a token is not looked for before tokenizing.
fn spellings(c: char) -> Vec<String> {
    let fullwidth = |c: char| char::from_u32(c as u32 + 0xFEE0);
    let mut ways: Vec<char> = if is_han(c) {
        vec![c]
    } else if c.is_ascii_alphanumeric() || c == '%' {
        let upper = c.to_ascii_uppercase();
        let mut ways = vec![c, upper];
        ways.extend(fullwidth(c));
        ways.extend(fullwidth(upper));
        // The two characters outside ASCII whose lower case begins with an ASCII letter.
        match c {
            'k' => ways.push('\u{212A}'),
            'i' => ways.push('\u{130}'),
            _ => {}
        }
        ways
    } else {
        Vec::new()
    };
    ways.dedup();
    ways.into_iter().map(String::from).collect()
}

/// One speech scanned: its texts that match every term, with how often each term occurs and
/// their length; and how many texts it has, and their bytes, for the average length.
struct SpeechScan {
    /// The speech's position in the corpus.
    speech: usize,
    /// In the order the index lists a speech's hits: preamble, then each section's heading
    /// and paragraphs.
    matches: Vec<RawHit>,
    /// For each match, each term's count and the text's length in bytes.
    counts: Vec<(Vec<usize>, usize)>,
    texts: usize,
    bytes: usize,
}

impl SpeechScan {
    /// The BM25 score of the speech's best match.
    fn best_score(&self, average_length: f32) -> f32 {
        self.counts
            .iter()
            .map(|(counts, length)| {
                let norm = K1 * (1.0 - B + B * *length as f32 / average_length.max(1.0));
                counts
                    .iter()
                    .map(|&count| {
                        let count = count as f32;
                        count * (K1 + 1.0) / (count + norm)
                    })
                    .sum::<f32>()
            })
            .fold(0.0, f32::max)
    }
}

/// Reads the headings and paragraphs of `speech` (those of `section` and its subsections, if
/// given) for `terms`.
fn scan_speech(
    at: usize,
    speech: &Speech,
    terms: &[TermScan],
    section: Option<&SectionId>,
) -> SpeechScan {
    let flat = speech.sections_flat();
    let within = |position: Option<usize>| match section {
        None => true,
        Some(wanted) => position
            .and_then(|p| flat.get(p))
            .is_some_and(|s| s.id.lineage().any(|id| &id == wanted)),
    };
    let mut scan = SpeechScan {
        speech: at,
        matches: Vec::new(),
        counts: Vec::new(),
        texts: 0,
        bytes: 0,
    };
    let mut read = |position: Option<usize>, paragraph: u32, text: &str| {
        if !within(position) {
            return;
        }
        scan.texts += 1;
        scan.bytes += text.len();
        let mut counts = Vec::with_capacity(terms.len());
        for term in terms {
            match term.count_in(text) {
                0 => return,
                count => counts.push(count),
            }
        }
        scan.matches.push(RawHit {
            speech: at,
            section: position.map_or(0, |p| p + 1),
            paragraph,
        });
        scan.counts.push((counts, text.len()));
    };
    for paragraph in &speech.preamble {
        read(None, paragraph.id, &paragraph.text);
    }
    for (position, section) in flat.iter().enumerate() {
        read(Some(position), 0, &section.label());
        for paragraph in &section.paragraphs {
            read(Some(position), paragraph.id, &paragraph.text);
        }
    }
    scan
}

/// The group of hits `shown` of `speech`, which has `matches` matches in all.
fn group(speech: &Speech, matches: usize, shown: &[RawHit], query: &ParsedQuery) -> HitGroup {
    HitGroup {
        slug: speech.slug.clone(),
        title: speech.title.clone(),
        matches,
        hits: shown
            .iter()
            .map(|hit| describe_hit(speech, hit, query))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse;
    use crate::text::fold_width;

    /// A speech's best match decides its rank: a short paragraph that says the term twice
    /// beats a long one that says it once; a deep page is empty, not an error.
    #[test]
    fn speeches_rank_by_their_best_match() {
        let texts = [
            (
                "once.txt",
                "一次讲话\n同志们：\n今年要把低保工作做细做实，把各项民生工作落到实处，让群众满意。\n",
            ),
            ("twice.txt", "两次讲话\n同志们：\n低保，低保。\n"),
            ("none.txt", "无关讲话\n同志们：\n今年要把养老工作做好。\n"),
        ];
        let speeches = texts
            .iter()
            .map(|(file, text)| parse(file, text.as_bytes()).unwrap())
            .collect();
        let corpus = Corpus::from_speeches(speeches, Vec::new());
        let mut request = SearchRequest {
            query: "低保".to_owned(),
            page: 1,
            ..SearchRequest::default()
        };
        let results = search(&corpus, &request);
        assert!(results.scanned);
        assert_eq!((results.total_hits, results.total_speeches), (2, 2));
        let titles: Vec<&str> = results.groups.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["两次讲话", "一次讲话"]);
        request.page = usize::MAX;
        let deep = search(&corpus, &request);
        assert_eq!((deep.total_hits, deep.groups.len()), (2, 0));
    }

    /// Every character the tokenizer lower-cases into an ASCII letter or digit is among that
    /// letter's spellings, so looking for them never misses a match.
    #[test]
    fn the_spellings_of_an_ascii_character_are_all_that_fold_into_it() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let folded = fold_width(c);
            if is_han(folded) || !folded.is_alphanumeric() {
                continue;
            }
            let Some(first) = folded.to_lowercase().next() else {
                continue;
            };
            if first.is_ascii() {
                assert!(
                    spellings(first).contains(&c.to_string()),
                    "{c:?} folds into {first:?}"
                );
            }
        }
        assert_eq!(spellings('％'), Vec::<String>::new());
        assert_eq!(spellings('%'), ["%", "％"]);
        assert_eq!(spellings('保'), ["保"]);
    }
}
