//! Parse throughput on scraped text: decode + clean + structure + paragraphs, against decoding
//! alone as the baseline measured in the same run. `cargo bench --bench ingest`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rostrum::ingest::{decode::decode, parse};
use std::hint::black_box;

fn seed() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_fd25136dcbaff602.txt"
    );
    std::fs::read_to_string(path).expect("the seed is bundled")
}

/// A scrape of `pages` pages the way the seed's site writes them: its header, one line per page
/// with its `N、` marker (the seed's own pages, cycled), its footer.
fn scrape_of(pages: usize) -> String {
    let seed = seed();
    let lines: Vec<&str> = seed.lines().collect();
    let page_texts: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            l.split_once('、')
                .filter(|(n, _)| n.parse::<u32>().is_ok())
                .map(|(_, t)| t)
        })
        .collect();
    let mut out = format!("{}\n{}\n", lines[0], lines[1]);
    for page in 0..pages {
        out.push_str(&format!(
            "{}、{}\n",
            page + 1,
            page_texts[page % page_texts.len()]
        ));
    }
    out.push_str("- 关 键 词:\n- 全市 民政\n限制150内\n");
    out
}

fn throughput(c: &mut Criterion) {
    let inputs = [
        ("seed 8 KB", seed()),
        ("scrape 1 MB", scrape_of(1100)),
        ("scrape 10 MB", scrape_of(11_000)),
    ];
    for (name, text) in &inputs {
        let mut group = c.benchmark_group(*name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(if text.len() > 5_000_000 { 10 } else { 30 });
        group.bench_function("baseline: decode only", |b| {
            b.iter(|| decode(black_box(text.as_bytes())))
        });
        group.bench_function("parse", |b| {
            b.iter(|| parse("bench.txt", black_box(text.as_bytes())))
        });
        group.finish();
    }
}

criterion_group!(benches, throughput);
criterion_main!(benches);
