//! The baseline for `bench/load.sh`: tantivy alone indexing the collection's paragraphs in RAM,
//! one token per character with its built-in 1-gram tokenizer (one field, with positions, no
//! word segmentation): how fast this machine indexes Chinese with tantivy at the moment, to
//! set beside Rostrum's own start in the same run.
//!
//!   cargo run --release --example baseline -- DIR

use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::NgramTokenizer;
use tantivy::{Index, TantivyDocument};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder = std::env::args().nth(1).ok_or("usage: baseline DIR")?;
    let corpus = rostrum::corpus::load(Path::new(&folder))?;
    let texts: Vec<&str> = corpus
        .speeches
        .iter()
        .flat_map(|s| s.paragraphs().map(|(_, p)| p.text.as_str()))
        .collect();
    let megabytes = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    let mut schema = Schema::builder();
    let characters = TextFieldIndexing::default()
        .set_tokenizer("characters")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = schema.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(characters),
    );
    let index = Index::create_in_ram(schema.build());
    index
        .tokenizers()
        .register("characters", NgramTokenizer::new(1, 1, false)?);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let started = Instant::now();
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(threads, 256 << 20)?;
    texts.par_iter().try_for_each(|paragraph| {
        let mut document = TantivyDocument::default();
        document.add_text(text, paragraph);
        writer.add_document(document).map(|_| ())
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{seconds:.2} s for {megabytes:.1} MB of text ({:.1} MB/s)",
        megabytes / seconds
    );
    Ok(())
}
