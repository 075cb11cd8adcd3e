//! A Word document: the title in Word's `Title` style, the outline as `Heading 1…6` (so that
//! the navigation pane of Word, WPS and LibreOffice shows it), paragraphs indented two
//! characters, the notes, and the source line; written by `docx-rs`.

use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Style, StyleType};

use super::{Block, Document};

/// Word's deepest heading style used; deeper sections take it too.
const DEEPEST_HEADING: u8 = 6;
/// Font sizes in half-points: the title, then headings by level, then body text.
const TITLE_SIZE: usize = 44;
const HEADING_SIZES: [usize; 6] = [32, 30, 28, 26, 24, 24];
const BODY_SIZE: usize = 24;
/// A first-line indent of two characters of body text, in twentieths of a point.
const FIRST_LINE_INDENT: i32 = 480;

fn run(text: &str) -> Run {
    Run::new()
        .add_text(text)
        .fonts(RunFonts::new().east_asia("SimSun"))
        .size(BODY_SIZE)
}

/// The styles a reader's Word knows by name: Title and Heading 1…6.
fn with_styles(mut docx: Docx) -> Docx {
    docx = docx.add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .size(TITLE_SIZE)
            .bold()
            .align(AlignmentType::Center),
    );
    for level in 1..=DEEPEST_HEADING {
        let size = HEADING_SIZES[usize::from(level - 1)];
        docx = docx.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("Heading {level}"))
                .size(size)
                .bold()
                .outline_lvl(usize::from(level - 1)),
        );
    }
    docx
}

/// The document as the bytes of a `.docx` file.
pub fn write(document: &Document) -> Vec<u8> {
    let mut docx = with_styles(Docx::new());
    for block in &document.blocks {
        let paragraph = match block {
            Block::Title(title) => Paragraph::new()
                .add_run(Run::new().add_text(*title))
                .style("Title"),
            Block::Front(line) => Paragraph::new()
                .add_run(run(line))
                .align(AlignmentType::Center),
            Block::Dateline(line) => Paragraph::new()
                .add_run(run(line))
                .align(AlignmentType::Center),
            Block::Salutation(salutation) => {
                Paragraph::new().add_run(run(&format!("{salutation}：")))
            }
            Block::Heading { level, text } => Paragraph::new()
                .add_run(Run::new().add_text(text.as_str()))
                .style(&format!("Heading{}", (*level).min(DEEPEST_HEADING))),
            Block::Paragraph(text) => Paragraph::new().add_run(run(text)).indent(
                None,
                Some(docx_rs::SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
                None,
                None,
            ),
            Block::NotesHeading(heading) => Paragraph::new()
                .add_run(Run::new().add_text(*heading))
                .style("Heading1"),
            Block::Note(note) => {
                Paragraph::new().add_run(run(&format!("{} {}", note.mark, note.text)))
            }
            Block::Source(line) => Paragraph::new().add_run(run(line).italic()),
        };
        docx = docx.add_paragraph(paragraph);
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    // Writing into memory cannot fail but for a bug in the zip writer; an empty file is then
    // what the reader gets, and the failure is logged.
    if let Err(error) = docx.pack(&mut bytes) {
        tracing::error!("writing a .docx failed: {error}");
    }
    bytes.into_inner()
}
