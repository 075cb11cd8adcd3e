//! The `check` report: one line per file, for people checking a collection from a terminal;
//! with `--outline`, each file's outline as an indented tree.

use crate::corpus::Corpus;
use crate::model::{Section, Speech};
use crate::web::i18n::english_count;
use std::fmt::Write;

/// One line per speech (title, format, encoding, pages, sections, paragraphs, characters,
/// warnings), then one line per skipped file, then a summary.
pub fn check(corpus: &Corpus, with_outline: bool) -> String {
    let mut out = String::new();
    for speech in &corpus.speeches {
        let _ = writeln!(out, "ok      {}", speech_line(speech));
        if with_outline {
            write_outline(&mut out, speech);
        }
    }
    for skipped in &corpus.skipped {
        let label = if skipped.failed { "FAILED" } else { "skipped" };
        let _ = writeln!(out, "{label:<7} {}: {}", skipped.file, skipped.reason);
    }
    let failed = corpus.skipped.iter().filter(|s| s.failed).count();
    let _ = writeln!(
        out,
        "{} loaded, {failed} failed, {} skipped",
        english_count(corpus.speeches.len(), "speech", "speeches"),
        english_count(corpus.skipped.len() - failed, "other file", "other files"),
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

/// The outline under a file's line: one heading a line, indented by depth, with its
/// paragraph count; the notes; and each warning.
fn write_outline(out: &mut String, speech: &Speech) {
    fn walk(out: &mut String, sections: &[Section]) {
        for section in sections {
            let indent = "  ".repeat(usize::from(section.level));
            let dateline = section
                .dateline
                .as_deref()
                .map(|d| format!(" {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "        {indent}{} [{}]{dateline} ({} ¶)",
                section.id,
                section.label(),
                section.paragraphs.len()
            );
            walk(out, &section.children);
        }
    }
    if !speech.preamble.is_empty() {
        let _ = writeln!(out, "          (opening) ({} ¶)", speech.preamble.len());
    }
    walk(out, &speech.sections);
    if !speech.notes.is_empty() {
        let _ = writeln!(out, "          notes: {}", speech.notes.len());
    }
    for warning in &speech.warnings {
        let _ = writeln!(out, "          warning: {warning}");
    }
}
