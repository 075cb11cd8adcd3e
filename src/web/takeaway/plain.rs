//! Plain text: one block a paragraph, headings on their own lines, a blank line between.

use super::{Block, Document};

/// The document as plain UTF-8 text.
pub fn write(document: &Document) -> String {
    let mut out = String::new();
    for block in &document.blocks {
        let written = match block {
            Block::Title(title) => (*title).to_owned(),
            Block::Front(line) => line.clone(),
            Block::Dateline(line) | Block::Paragraph(line) => (*line).to_owned(),
            Block::Salutation(salutation) => format!("{salutation}："),
            Block::Heading { text, .. } => text.clone(),
            Block::NotesHeading(heading) => (*heading).to_owned(),
            Block::Note(note) => format!("{} {}", note.mark, note.text),
            Block::Source(line) => line.clone(),
        };
        out.push_str(&written);
        out.push_str("\n\n");
    }
    out
}
