//! Search before the index is built, by reading the collection, against the index once built,
//! on the same collection and the same queries: the median time of each and their ratio.
//!
//!   cargo run --release --example generate -- /tmp/speeches 10000
//!   cargo run --release --example scan-bench -- /tmp/speeches

use rostrum::analysis::search::{SearchRequest, scan};
use rostrum::web::AppState;
use rostrum::web::share::Share;
use std::time::Instant;

/// Common words, a rare one, two terms, Latin letters and digits, a quoted phrase.
const QUERIES: [&str; 7] = [
    "发展",
    "党",
    "低保",
    "人民 群众",
    "ppt",
    "2023",
    "\"三院合一\"",
];
const RUNS: usize = 7;

/// The median of `RUNS` runs of `search`, in milliseconds, and its total of matches.
fn median_ms(mut search: impl FnMut() -> usize) -> (f64, usize) {
    let mut matches = 0;
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            matches = search();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[RUNS / 2], matches)
}

fn main() -> anyhow::Result<()> {
    let folder = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: scan-bench FOLDER"))?;
    let corpus = rostrum::corpus::load(std::path::Path::new(&folder))?;
    let state = AppState::build(corpus, Share::default())?;
    let corpus = &state.corpus;
    println!("{} speeches; median of {RUNS} runs", corpus.speeches.len());
    // The query last: a terminal shows ideographs twice as wide as `{:12}` counts them.
    println!(
        "{:>9} {:>11} {:>11} {:>7}  query",
        "matches", "read (ms)", "index (ms)", "ratio"
    );
    for query in QUERIES {
        let request = SearchRequest {
            query: query.to_owned(),
            page: 1,
            ..SearchRequest::default()
        };
        let (read, read_matches) = median_ms(|| scan(corpus, &request).total_hits);
        let (indexed, matches) = median_ms(|| {
            state
                .analysis
                .search(corpus, &request)
                .map_or(0, |r| r.total_hits)
        });
        anyhow::ensure!(
            read_matches == matches,
            "{query}: {read_matches} read, {matches} indexed"
        );
        let ratio = read / indexed.max(1e-6);
        println!("{matches:>9} {read:>11.1} {indexed:>11.2} {ratio:>6.0}×  {query}");
    }
    Ok(())
}
