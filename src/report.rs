//! The `check` report: one line per file, for people checking a collection from a terminal.

use crate::corpus::Corpus;
use crate::model::Speech;
use std::fmt::Write;

/// One line per speech (title, format, encoding, pages, sections, paragraphs, characters,
/// warnings), then one line per skipped file, then a summary.
pub fn check(corpus: &Corpus) -> String {
    let mut out = String::new();
    for speech in &corpus.speeches {
        let _ = writeln!(out, "ok      {}", speech_line(speech));
    }
    for skipped in &corpus.skipped {
        let label = if skipped.failed { "FAILED" } else { "skipped" };
        let _ = writeln!(out, "{label:<7} {}: {}", skipped.file, skipped.reason);
    }
    let failed = corpus.skipped.iter().filter(|s| s.failed).count();
    let _ = writeln!(
        out,
        "{} speeches loaded, {} failed, {} other files skipped",
        corpus.speeches.len(),
        failed,
        corpus.skipped.len() - failed
    );
    out
}

fn speech_line(speech: &Speech) -> String {
    let source = &speech.source;
    let pages = match (source.present_pages, source.declared_pages) {
        (Some(present), Some(declared)) => format!("pages {present}/{declared}"),
        (Some(present), None) => format!("pages {present}"),
        _ => "pages -".to_owned(),
    };
    let warnings = if speech.warnings.is_empty() {
        String::new()
    } else {
        let warnings: Vec<String> = speech.warnings.iter().map(ToString::to_string).collect();
        format!(" | {}", warnings.join("; "))
    };
    format!(
        "{} | {} | {} {} | {} | {} sections | {} paragraphs | {} chars{}",
        source.file,
        speech.title,
        source.format.label(),
        source.encoding,
        pages,
        speech.sections_flat().len(),
        speech.paragraph_count(),
        speech.char_count(),
        warnings
    )
}
