//! Markdown: the title as `#`, the outline as `##` and deeper, paragraphs between blank lines,
//! the notes as a list, the source line last.

use super::{Block, Document};

/// Characters Markdown would read as markup at the start of a paragraph, escaped.
fn escaped(text: &str) -> String {
    let text = text.trim();
    match text.chars().next() {
        Some('#' | '>' | '-' | '*' | '+' | '|' | '=') => format!("\\{text}"),
        Some(c) if c.is_ascii_digit() && text.contains(". ") => text.replacen(". ", "\\. ", 1),
        _ => text.to_owned(),
    }
}

/// The document as Markdown text.
pub fn write(document: &Document) -> String {
    let mut out = String::new();
    for block in &document.blocks {
        let written = match block {
            Block::Title(title) => format!("# {title}"),
            Block::Front(line) => escaped(line),
            Block::Dateline(line) => escaped(line),
            Block::Salutation(salutation) => format!("{salutation}："),
            Block::Heading { level, text } => {
                format!("{} {text}", "#".repeat(usize::from(*level).min(5) + 1))
            }
            Block::Paragraph(text) => escaped(text),
            Block::NotesHeading(heading) => format!("## {heading}"),
            Block::Note(note) => format!("- {} {}", note.mark, note.text),
            Block::Source(line) => format!("*{line}*"),
        };
        out.push_str(&written);
        out.push_str("\n\n");
    }
    out
}
