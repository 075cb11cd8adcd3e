//! Generates a large test collection: N distinct speeches made by shuffling the sections and
//! sentences of the bundled seed and the samples, every fifth one written as a docshare scrape.
//! A speech averages about 8.6 KB of text, close to the seed, so that 10,000 of them are the
//! "about 80 MB" the search issue sets its targets for (86 MB).
//!
//!   cargo run --release --example generate -- OUT_DIR N [SAMPLES_DIR]

use rostrum::corpus;
use rostrum::text::sentences;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*): the same N gives the same collection.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// One generated speech as plain text with its headings on their own lines.
fn speech(
    random: &mut Random,
    number: usize,
    titles: &[String],
    headings: &[String],
    pool: &[String],
) -> String {
    let mut text = format!("{}（第 {number} 篇）\n同志们：\n", random.pick(titles));
    for _ in 0..2 {
        text.push_str(&paragraph(random, pool));
    }
    for top in NUMERALS.iter().take(2 + random.below(3)) {
        let _ = writeln!(text, "{top}、{}", random.pick(headings));
        for sub in NUMERALS.iter().take(1 + random.below(3)) {
            let _ = writeln!(text, "（{sub}）{}", random.pick(headings));
            for _ in 0..(2 + random.below(3)) {
                text.push_str(&paragraph(random, pool));
            }
        }
    }
    text
}

fn paragraph(random: &mut Random, pool: &[String]) -> String {
    let mut text: String = (0..(2 + random.below(5)))
        .map(|_| random.pick(pool).as_str())
        .collect();
    text.push('\n');
    text
}

/// The same speech as a document-sharing site shows it: no line breaks, ~800-character pages.
fn as_scrape(text: &str, title: &str) -> String {
    let run: Vec<char> = text.lines().collect::<Vec<_>>().join(" ").chars().collect();
    let pages: Vec<String> = run.chunks(797).map(|c| c.iter().collect()).collect();
    let mut scrape = format!(
        "{title}.docx\n《{title}.docx》由会员分享,可在线阅读,更多相关《{title}.docx({}页珍藏版)》请在淘文阁 - 分享文档赚钱的网站上搜索。\n",
        pages.len()
    );
    for (index, page) in pages.iter().enumerate() {
        let _ = writeln!(scrape, "{}、{page}", index + 1);
    }
    scrape.push_str("- 关 键 词:\n- 讲话 工作\n限制150内\n");
    scrape
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(count)) = (args.next(), args.next()) else {
        return Err("usage: generate OUT_DIR N [SAMPLES_DIR]".into());
    };
    let count: usize = count.parse()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let samples = args
        .next()
        .map_or_else(|| root.join("tests/fixtures/samples"), PathBuf::from);
    let mut sources = corpus::load(&root.join("seeds"))?.speeches;
    sources.extend(corpus::load(&samples)?.speeches);
    let titles: Vec<String> = sources.iter().map(|s| s.title.clone()).collect();
    let headings: Vec<String> = sources
        .iter()
        .flat_map(|s| {
            s.sections_flat()
                .into_iter()
                .map(|section| section.title.clone())
        })
        .filter(|title| !title.is_empty() && !title.contains('。'))
        .collect();
    let pool: Vec<String> = sources
        .iter()
        .flat_map(|s| {
            s.paragraphs()
                .map(|(_, p)| p.text.clone())
                .collect::<Vec<_>>()
        })
        .flat_map(|text| {
            sentences(&text)
                .into_iter()
                .map(str::trim)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|sentence| sentence.chars().count() >= 8)
        .collect();
    std::fs::create_dir_all(&out)?;
    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ count as u64);
    let mut bytes = 0;
    for number in 1..=count {
        let text = speech(&mut random, number, &titles, &headings, &pool);
        let (name, body) = if number % 5 == 0 {
            let title = text.lines().next().unwrap_or_default().to_owned();
            (format!("{number:06}-scrape.txt"), as_scrape(&text, &title))
        } else {
            (format!("{number:06}.txt"), text)
        };
        bytes += body.len();
        std::fs::write(Path::new(&out).join(name), body)?;
    }
    println!(
        "{count} speeches, {:.1} MB of files, in {out}",
        bytes as f64 / 1e6
    );
    Ok(())
}
