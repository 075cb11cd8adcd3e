//! The washed-wording benchmark, shared by `tests/wording.rs` and `bench/wording.rs`: a spinner
//! that washes clean texts as document-sharing sites do and keeps the truth, the seed's hand
//! labels, and the scores of a detector against both.

use rostrum::analysis::wording::tables::{TABLES, clause_tokens};
use rostrum::analysis::wording::{Rewording, Wording};
use rostrum::model::Speech;
use rostrum::text::is_han;
use std::path::Path;

/// The clean texts held out of the tables' counts (`tests/fixtures/wording/SOURCES.tsv`).
pub const HELD_OUT: &[&str] = &[
    "held-out-1959-report.txt",
    "held-out-1986-report.txt",
    "held-out-2000-report.txt",
    "held-out-2011-report.txt",
    "held-out-2019-report.txt",
    "held-out-16th-congress-report.txt",
];

/// Clean real speeches besides the held-out reports, neither washed nor counted: Mao's
/// speech and the reports of 2022, 1964 and 2014, which the tables leave out.
pub const CLEAN_SAMPLES: &[&str] = &[
    "samples/105_mao-ten-major-relationships.txt",
    "samples/301_gov-work-report-2022-bom-crlf.txt",
    "samples/303_gov-work-report-1964-abstract-fullwidth-digits.txt",
    "samples/307_gov-work-report-2014-mixed-indent.txt",
];

/// Shares of the words with a synonym that the spinner replaces: heavy washing, and light.
pub const SPIN_RATES: [f64; 2] = [0.3, 0.1];

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// Parses a fixture file (`wording/…`, `samples/…`) as the collection would.
pub fn fixture_speech(relative: &str) -> Speech {
    let bytes = std::fs::read(fixtures().join(relative)).expect("the fixture exists");
    rostrum::ingest::parse(relative, &bytes).expect("the fixture parses")
}

/// A held-out report (`HELD_OUT`).
pub fn held_out_speech(name: &str) -> Speech {
    fixture_speech(&format!("wording/{name}"))
}

/// The seed, the real washed speech the product was created from.
pub fn seed_speech() -> Speech {
    let file = "000_fd25136dcbaff602.txt";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(file);
    let bytes = std::fs::read(path).expect("the seed exists");
    rostrum::ingest::parse(file, &bytes).expect("the seed parses")
}

/// The held-out reports washed by `spin` at `rate`, each with its own dice, and the truth of
/// each.
pub fn spun_held_out(clean: &[Speech], rate: f64) -> (Vec<Speech>, Vec<Vec<Swap>>) {
    let mut spun = clean.to_vec();
    let truth = spun
        .iter_mut()
        .zip(1u64..)
        .map(|(speech, dice)| spin(speech, rate, dice))
        .collect();
    (spun, truth)
}

/// A word the spinner replaced: where the substitute now stands, and what stood there.
#[derive(Debug, Clone, PartialEq)]
pub struct Swap {
    pub paragraph: u32,
    pub start: usize,
    pub end: usize,
    pub original: String,
}

/// A small deterministic generator (SplitMix64), so that every run spins alike.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn chance(&mut self, probability: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= probability
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// Washes the paragraphs of `speech` as a spinner does, leaving its title and headings alone:
/// `rate` of the words that have a synonym are replaced by one picked at random among their
/// Cilin synonyms and the swaps spinners are seen to make. Returns the truth.
pub fn spin(speech: &mut Speech, rate: f64, seed: u64) -> Vec<Swap> {
    let jieba = jieba_rs::Jieba::new();
    let mut dice = Dice(seed);
    let mut swaps = Vec::new();
    for paragraph in speech.paragraphs_mut() {
        let mut spun = String::with_capacity(paragraph.text.len());
        let mut copied = 0;
        for token in clause_tokens(&jieba, &paragraph.text) {
            let substitutes: Vec<&str> = TABLES
                .substitutes(token.text)
                .filter(|s| s.chars().all(is_han))
                .collect();
            if token.is_boundary() || substitutes.is_empty() || !dice.chance(rate) {
                continue;
            }
            let substitute = *dice.pick(&substitutes);
            spun.push_str(&paragraph.text[copied..token.start]);
            swaps.push(Swap {
                paragraph: paragraph.id,
                start: spun.len(),
                end: spun.len() + substitute.len(),
                original: token.text.to_owned(),
            });
            spun.push_str(substitute);
            copied = token.end();
        }
        spun.push_str(&paragraph.text[copied..]);
        paragraph.text = spun;
    }
    swaps
}

/// How a detector did against the truth.
#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub reported: usize,
    pub true_swaps: usize,
    /// Reports that are at a true swap.
    pub correct: usize,
    /// Correct reports whose likely original is the true one.
    pub restored: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.reported.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.true_swaps.max(1) as f64
    }
    pub fn restoration(&self) -> f64 {
        self.restored as f64 / self.correct.max(1) as f64
    }
    pub fn add(&mut self, other: Score) {
        self.reported += other.reported;
        self.true_swaps += other.true_swaps;
        self.correct += other.correct;
        self.restored += other.restored;
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "true {:4} reported {:4} precision {:.3} recall {:.3} restored {:.3}",
            self.true_swaps,
            self.reported,
            self.precision(),
            self.recall(),
            self.restoration()
        )
    }
}

/// Scores `reported` against `truth`: a report is correct where it overlaps a true swap.
pub fn score(reported: &[Rewording], truth: &[Swap]) -> Score {
    let mut score = Score {
        reported: reported.len(),
        true_swaps: truth.len(),
        ..Score::default()
    };
    for report in reported {
        if let Some(swap) = truth.iter().find(|s| {
            s.paragraph == report.paragraph && s.start < report.end && report.start < s.end
        }) {
            score.correct += 1;
            if swap.original == report.likely {
                score.restored += 1;
            }
        }
    }
    score
}

/// The seed's hand labels (`tests/fixtures/wording/seed-labels.tsv`), found in its paragraphs.
pub fn seed_labels(seed: &Speech) -> Vec<Swap> {
    let table = std::fs::read_to_string(fixtures().join("wording/seed-labels.tsv"))
        .expect("the labels exist");
    table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
        .map(|line| {
            let (passage, likely) = line.split_once('\t').expect("two columns");
            let open = passage.find('[').expect("a [ in the passage");
            let close = passage.find(']').expect("a ] in the passage");
            let plain = passage.replace(['[', ']'], "");
            let (id, at) = seed
                .paragraphs()
                .find_map(|(_, p)| p.text.find(&plain).map(|at| (p.id, at)))
                .unwrap_or_else(|| panic!("the seed has {plain}"));
            Swap {
                paragraph: id,
                start: at + open,
                end: at + close - 1,
                original: likely.to_owned(),
            }
        })
        .collect()
}

/// Characters of Han script in the paragraphs of a speech.
pub fn han_characters(speech: &Speech) -> usize {
    speech
        .paragraphs()
        .flat_map(|(_, p)| p.text.chars())
        .filter(|&c| is_han(c))
        .count()
}

/// Reports per 1,000 Han characters.
pub fn per_thousand(wordings: &[Wording], speeches: &[Speech]) -> f64 {
    let reported: usize = wordings.iter().map(|w| w.rewordings.len()).sum();
    let characters: usize = speeches.iter().map(han_characters).sum();
    reported as f64 * 1000.0 / characters.max(1) as f64
}
