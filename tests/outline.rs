//! The outline benchmark: real public texts of many shapes (`tests/fixtures/outline/texts/`,
//! the samples and the seed), each with an outline written by hand
//! (`tests/fixtures/outline/expected/*.outline`). It reports heading recall, precision and
//! depth over the set, as the texts are and wrapped into run-on docshare scrapes, and fails
//! below the targets. `cargo test --test outline -- --nocapture` prints the figures.

#[path = "common/scrape.rs"]
mod scrape;

use rostrum::ingest::parse;
use rostrum::model::Speech;
use std::path::{Path, PathBuf};

const RECALL_TARGET: f64 = 0.95;
const PRECISION_TARGET: f64 = 0.97;
const DEPTH_TARGET: f64 = 0.95;
const SCRAPE_PRECISION_TARGET: f64 = 0.95;

/// A heading: its depth (1 for top level), and its number and title without whitespace.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Heading {
    depth: usize,
    number: String,
    title: String,
}

impl Heading {
    fn key(&self) -> (String, String) {
        (self.number.clone(), self.title.clone())
    }
}

fn comparable(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One fixture: the text's path and its hand-written outline.
struct Fixture {
    name: String,
    text: PathBuf,
    expected: Vec<Heading>,
}

fn fixtures() -> Vec<Fixture> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/outline/expected");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("the expected outlines are in the repository")
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "outline"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let written = std::fs::read_to_string(&path).expect("a readable outline");
            let mut lines = written.lines();
            let header = lines.next().expect("a first line naming the text");
            let relative = header.strip_prefix("# ").expect("`# PATH` first");
            let expected = lines
                .filter(|line| !line.trim().is_empty())
                .map(|line| {
                    let indent = line.len() - line.trim_start().len();
                    let (number, title) = line.trim().split_once('|').expect("`number|title`");
                    Heading {
                        depth: indent / 2 + 1,
                        number: comparable(number),
                        title: comparable(title),
                    }
                })
                .collect();
            Fixture {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                text: folder.join(relative),
                expected,
            }
        })
        .collect()
}

fn headings_of(speech: &Speech) -> Vec<Heading> {
    speech
        .sections_flat()
        .iter()
        .map(|section| Heading {
            depth: usize::from(section.level),
            number: comparable(&section.number),
            title: comparable(&section.title),
        })
        .collect()
}

/// Matches found headings to expected ones by number and title, in order.
#[derive(Debug, Default, Clone, Copy)]
struct Score {
    expected: usize,
    found: usize,
    matched: usize,
    right_depth: usize,
}

impl Score {
    fn of(expected: &[Heading], found: &[Heading]) -> Score {
        let mut unmatched: Vec<&Heading> = expected.iter().collect();
        let mut score = Score {
            expected: expected.len(),
            found: found.len(),
            ..Score::default()
        };
        for heading in found {
            if let Some(at) = unmatched.iter().position(|e| e.key() == heading.key()) {
                score.matched += 1;
                score.right_depth += usize::from(unmatched[at].depth == heading.depth);
                unmatched.remove(at);
            }
        }
        score
    }

    fn add(self, other: Score) -> Score {
        Score {
            expected: self.expected + other.expected,
            found: self.found + other.found,
            matched: self.matched + other.matched,
            right_depth: self.right_depth + other.right_depth,
        }
    }

    fn recall(&self) -> f64 {
        ratio(self.matched, self.expected)
    }
    fn precision(&self) -> f64 {
        ratio(self.matched, self.found)
    }
    fn depth(&self) -> f64 {
        ratio(self.right_depth, self.matched)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn outlines_of_real_texts_match_the_hand_written_ones() {
    let mut total = Score::default();
    for fixture in fixtures() {
        let speech = parse(&fixture.name, &read(&fixture.text)).expect("the text parses");
        let found = headings_of(&speech);
        let score = Score::of(&fixture.expected, &found);
        println!(
            "{:<55} expected {:>3} found {:>3} matched {:>3} depth {:>3}",
            fixture.name, score.expected, score.found, score.matched, score.right_depth
        );
        if score.matched < score.expected.max(score.found) {
            println!(
                "    expected {:?}",
                fixture
                    .expected
                    .iter()
                    .map(Heading::key)
                    .collect::<Vec<_>>()
            );
            println!(
                "    found    {:?}",
                found.iter().map(Heading::key).collect::<Vec<_>>()
            );
        }
        total = total.add(score);
    }
    println!(
        "clean texts: recall {:.3}, precision {:.3}, depth right {:.3} ({} headings)",
        total.recall(),
        total.precision(),
        total.depth(),
        total.expected
    );
    assert!(
        total.recall() >= RECALL_TARGET,
        "recall {:.3}",
        total.recall()
    );
    assert!(
        total.precision() >= PRECISION_TARGET,
        "precision {:.3}",
        total.precision()
    );
    assert!(total.depth() >= DEPTH_TARGET, "depth {:.3}", total.depth());
}

/// A text as a document-sharing site serves it: its lines joined into one run (a space left
/// where a line that does not end a sentence was, as sites leave after headings).
fn run_on(text: &str) -> (String, String) {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let title = lines.first().copied().unwrap_or_default().to_owned();
    let mut run = String::new();
    for line in &lines {
        run.push_str(line);
        if !line.ends_with(['。', '！', '？', '；', '：', '”']) {
            run.push(' ');
        }
    }
    (title, run)
}

#[test]
fn outlines_of_the_same_texts_wrapped_as_scrapes_find_no_false_headings() {
    let mut total = Score::default();
    for fixture in fixtures() {
        let bytes = read(&fixture.text);
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // GBK and UTF-16 samples: sites serve UTF-8 text
        };
        let text = text.trim_start_matches('\u{feff}');
        let already_a_scrape =
            parse(&fixture.name, text.as_bytes()).is_ok_and(|speech| speech.source.site.is_some());
        if already_a_scrape || !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            continue;
        }
        let (title, run) = run_on(text);
        let (scrape, _) = scrape::scrape_of(&title, &run, usize::MAX);
        let speech = parse("scrape.txt", scrape.as_bytes()).expect("the scrape parses");
        assert!(
            speech.source.site.is_some(),
            "{}: read as a scrape",
            fixture.name
        );
        // Only headings written with `、` or brackets can be told from the text in a run.
        let findable: Vec<Heading> = fixture
            .expected
            .iter()
            .filter(|h| {
                h.number.starts_with(['(', '（'])
                    || comparable(text).contains(&format!("{}、{}", h.number, h.title))
            })
            .cloned()
            .collect();
        let found = headings_of(&speech);
        let mut score = Score::of(&findable, &found);
        score.right_depth = score.matched;
        println!(
            "{:<55} findable {:>3} found {:>3} matched {:>3}",
            fixture.name, score.expected, score.found, score.matched
        );
        if score.matched < score.found {
            println!(
                "    found    {:?}",
                found.iter().map(Heading::key).collect::<Vec<_>>()
            );
        }
        total = total.add(score);
    }
    println!(
        "wrapped scrapes: precision {:.3}, recall of headings with 、 or brackets {:.3} ({} headings)",
        total.precision(),
        total.recall(),
        total.expected
    );
    assert!(
        total.precision() >= SCRAPE_PRECISION_TARGET,
        "precision {:.3}",
        total.precision()
    );
    assert!(
        total.recall() >= RECALL_TARGET,
        "recall {:.3}",
        total.recall()
    );
}
