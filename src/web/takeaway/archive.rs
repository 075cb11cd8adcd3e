//! The whole collection to take away: every speech as Markdown in one folder, with the
//! collection's table and each speech's figures and terms as CSV, in one zip archive.

use std::io::Write;

use super::{Document, markdown, tables};
use crate::analysis::stats::Statistics;
use crate::corpus::Corpus;
use crate::web::i18n::Lang;

/// The folder every file of the archive is in.
const FOLDER: &str = "rostrum";

/// The archive's bytes.
pub fn write(
    corpus: &Corpus,
    statistics: &Statistics,
    lang: Lang,
) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut add = |name: String, bytes: &[u8]| -> zip::result::ZipResult<()> {
        zip.start_file(format!("{FOLDER}/{name}"), options)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    add(
        "stats.csv".to_owned(),
        &tables::collection(corpus, statistics, lang),
    )?;
    for (speech, stats) in corpus.speeches.iter().zip(&statistics.speeches) {
        let text = markdown::write(&Document::of_speech(speech, lang));
        add(format!("speeches/{}.md", speech.slug), text.as_bytes())?;
        add(
            format!("figures/{}.csv", speech.slug),
            &tables::figures(stats, lang),
        )?;
        add(
            format!("terms/{}.csv", speech.slug),
            &tables::terms(stats, lang),
        )?;
    }
    Ok(zip.finish()?.into_inner())
}
