//! Taking a speech away: the parsed speech (or one section) as a sequence of blocks, which
//! `docx`, `markdown` and `plain` write out; quotations with their source (`quote`); tables for
//! spreadsheets (`tables`); the whole collection as one archive (`archive`).

pub mod archive;
pub mod docx;
pub mod markdown;
pub mod plain;
pub mod quote;
pub mod tables;

use super::i18n::Lang;
use crate::ingest::apparatus::note_marks;
use crate::model::{Note, Section, Speech};

/// The formats a speech can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum DownloadFormat {
    Docx,
    Md,
    Txt,
}

impl DownloadFormat {
    /// The format a file name asks for by its extension, with the name without it.
    pub fn of_file_name(name: &str) -> Option<(&str, DownloadFormat)> {
        let (stem, extension) = name.rsplit_once('.')?;
        let format = match extension {
            "docx" => DownloadFormat::Docx,
            "md" => DownloadFormat::Md,
            "txt" => DownloadFormat::Txt,
            _ => return None,
        };
        Some((stem, format))
    }

    pub fn extension(self) -> &'static str {
        self.into()
    }

    pub fn content_type(self) -> &'static str {
        match self {
            DownloadFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DownloadFormat::Md => "text/markdown; charset=utf-8",
            DownloadFormat::Txt => "text/plain; charset=utf-8",
        }
    }

    /// The speech (or section) written in this format.
    pub fn write(self, document: &Document) -> Vec<u8> {
        match self {
            DownloadFormat::Docx => docx::write(document),
            DownloadFormat::Md => markdown::write(document).into_bytes(),
            DownloadFormat::Txt => plain::write(document).into_bytes(),
        }
    }
}

/// One piece of a document to take away, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block<'a> {
    Title(&'a str),
    /// A line of the front matter: heading, date line, speaker, source edition.
    Front(String),
    Salutation(&'a str),
    /// A heading of the outline, at depth `level` (1 for the top).
    Heading {
        level: u8,
        text: String,
    },
    /// A piece's date line, under its heading.
    Dateline(&'a str),
    Paragraph(&'a str),
    /// The heading of the notes.
    NotesHeading(&'static str),
    Note(&'a Note),
    /// Where the text came from and how complete it is.
    Source(String),
}

/// Which text to read or take away: as the file has it, or with the likely original wording
/// in place of suspect substitutions (`?text=restored`).
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TextChoice {
    #[default]
    Found,
    Restored,
}

impl TextChoice {
    /// The query that asks for this text, to add to a link (`?text=restored`, or nothing).
    pub fn query(self) -> &'static str {
        match self {
            TextChoice::Found => "",
            TextChoice::Restored => "?text=restored",
        }
    }
}

/// A speech, or one of its sections, as blocks.
pub struct Document<'a> {
    pub title: &'a str,
    pub blocks: Vec<Block<'a>>,
}

impl<'a> Document<'a> {
    /// The whole speech.
    pub fn of_speech(speech: &'a Speech, lang: Lang) -> Document<'a> {
        let front = &speech.front;
        let mut blocks = vec![Block::Title(&speech.title)];
        blocks.extend(
            [
                front.heading.clone(),
                front.dateline.clone(),
                front.speaker_line(),
                speech.source.citation.clone(),
            ]
            .into_iter()
            .flatten()
            .map(Block::Front),
        );
        if let Some(salutation) = &front.salutation {
            blocks.push(Block::Salutation(salutation));
        }
        blocks.extend(speech.preamble.iter().map(|p| Block::Paragraph(&p.text)));
        for section in &speech.sections {
            push_section(&mut blocks, section, 0);
        }
        push_notes(&mut blocks, &speech.notes, lang);
        blocks.push(Block::Source(source_line(speech, lang)));
        Document {
            title: &speech.title,
            blocks,
        }
    }

    /// One section with its subsections, the notes its text points to, and the source.
    pub fn of_section(speech: &'a Speech, section: &'a Section, lang: Lang) -> Document<'a> {
        let mut blocks = vec![Block::Title(&speech.title)];
        push_section(&mut blocks, section, section.level.saturating_sub(1));
        let marked: Vec<u32> = blocks
            .iter()
            .filter_map(|block| match block {
                Block::Paragraph(text) => Some(note_marks(text, &speech.notes)),
                _ => None,
            })
            .flatten()
            .map(|mark| mark.number)
            .collect();
        let notes: Vec<&'a Note> = speech
            .notes
            .iter()
            .filter(|note| marked.contains(&note.id))
            .collect();
        if !notes.is_empty() {
            blocks.push(Block::NotesHeading(lang.strings().notes));
            blocks.extend(notes.into_iter().map(Block::Note));
        }
        blocks.push(Block::Source(source_line(speech, lang)));
        Document {
            title: &speech.title,
            blocks,
        }
    }
}

impl Document<'_> {
    /// Says in the source line that the wording was restored to the likely original.
    pub fn restored(mut self, lang: Lang) -> Self {
        for block in &mut self.blocks {
            if let Block::Source(line) = block {
                line.push_str(lang.strings().list_separator);
                line.push_str(lang.strings().restored_source);
            }
        }
        self
    }
}

/// A section's heading (`above` levels less deep), paragraphs and subsections.
fn push_section<'a>(blocks: &mut Vec<Block<'a>>, section: &'a Section, above: u8) {
    blocks.push(Block::Heading {
        level: section.level.saturating_sub(above).max(1),
        text: section.label(),
    });
    if let Some(dateline) = &section.dateline {
        blocks.push(Block::Dateline(dateline));
    }
    blocks.extend(section.paragraphs.iter().map(|p| Block::Paragraph(&p.text)));
    for child in &section.children {
        push_section(blocks, child, above);
    }
}

fn push_notes<'a>(blocks: &mut Vec<Block<'a>>, notes: &'a [Note], lang: Lang) {
    if !notes.is_empty() {
        blocks.push(Block::NotesHeading(lang.strings().notes));
        blocks.extend(notes.iter().map(Block::Note));
    }
}

/// Where a speech came from: its file, the site, the pages present of those declared, and
/// whether it is a partial preview.
pub fn source_line(speech: &Speech, lang: Lang) -> String {
    let source = &speech.source;
    let t = lang.strings();
    let mut parts = vec![format!("{}{}", t.source_file_label, source.file)];
    if let Some(site) = &source.site {
        parts.push(format!("{}{site}", t.source_site_label));
    }
    match (source.present_pages, source.declared_pages) {
        (Some(present), Some(declared)) => {
            parts.push(format!("{}{present}/{declared}", t.source_pages_label))
        }
        (Some(present), None) => parts.push(format!("{}{present}", t.source_pages_label)),
        _ => {}
    }
    if source.partial {
        parts.push(t.partial_badge.to_owned());
    }
    parts.join(t.list_separator)
}

/// The file name a download is offered under: the slug (with the section, and `-restored` for
/// the restored wording) and the extension.
pub fn file_name(
    slug: &str,
    section: Option<&Section>,
    text: TextChoice,
    format: DownloadFormat,
) -> String {
    let section = section.map(|s| format!("-{}", s.id)).unwrap_or_default();
    let restored = match text {
        TextChoice::Found => "",
        TextChoice::Restored => "-restored",
    };
    format!("{slug}{section}{restored}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_choose_the_format() {
        assert_eq!(
            DownloadFormat::of_file_name("000-fd25.docx"),
            Some(("000-fd25", DownloadFormat::Docx))
        );
        assert_eq!(
            DownloadFormat::of_file_name("1.2.md"),
            Some(("1.2", DownloadFormat::Md))
        );
        assert_eq!(DownloadFormat::of_file_name("000-fd25"), None);
        assert_eq!(DownloadFormat::of_file_name("a.pdf"), None);
    }
}
