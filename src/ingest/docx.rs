//! Word documents (`.docx`): paragraphs and heading styles from `word/document.xml`.

use super::structure::SourceLine;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// The text of a Word document: its title from the document properties, and its paragraphs.
pub struct DocxText {
    pub title: Option<String>,
    pub lines: Vec<SourceLine>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("not a Word document (no readable zip archive): {0}")]
    Archive(#[from] zip::result::ZipError),
    #[error("the Word document's XML is broken: {0}")]
    Xml(#[from] quick_xml::Error),
    #[error("could not read the Word document: {0}")]
    Io(#[from] std::io::Error),
}

/// Word's XML is small next to its limit; a larger part is a zip bomb, not a speech.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

pub fn read(bytes: &[u8]) -> Result<DocxText, DocxError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let document = read_part(&mut archive, "word/document.xml")?;
    let title = read_part(&mut archive, "docProps/core.xml")
        .ok()
        .and_then(|core| core_title(&core));
    Ok(DocxText {
        title,
        lines: paragraphs(&document)?,
    })
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<String, DocxError> {
    let part = archive.by_name(name)?;
    let mut text = String::new();
    part.take(MAX_PART_BYTES).read_to_string(&mut text)?;
    Ok(text)
}

/// One line per `<w:p>`, text from `<w:t>`, headings from `Heading N`/`TitleN` paragraph styles.
fn paragraphs(xml: &str) -> Result<Vec<SourceLine>, DocxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut lines = Vec::new();
    let mut text = String::new();
    let mut heading = None;
    let mut in_text = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Text(t) if in_text => text.push_str(&t.unescape()?),
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == b"w:pStyle" => {
                heading = e
                    .try_get_attribute("w:val")
                    .ok()
                    .flatten()
                    .and_then(|a| heading_level(&String::from_utf8_lossy(&a.value)));
            }
            Event::Empty(e) if matches!(e.name().as_ref(), b"w:tab" | b"w:br") => text.push(' '),
            Event::End(e) if e.name().as_ref() == b"w:p" => {
                let line = text.trim();
                if !line.is_empty() {
                    lines.push(SourceLine {
                        text: line.to_owned(),
                        declared_heading: heading,
                    });
                }
                text.clear();
                heading = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(lines)
}

/// `Heading2` → 2; Chinese Word saves 标题 2 as style id `2`.
fn heading_level(style: &str) -> Option<u8> {
    let digits = style.strip_prefix("Heading").unwrap_or(style);
    digits
        .parse::<u8>()
        .ok()
        .filter(|level| (1..=6).contains(level))
}

fn core_title(xml: &str) -> Option<String> {
    let start = xml.find("<dc:title>")? + "<dc:title>".len();
    let end = xml[start..].find("</dc:title>")? + start;
    let title = quick_xml::escape::unescape(xml[start..end].trim()).ok()?;
    (!title.is_empty()).then(|| title.into_owned())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal real .docx: the parts Word writes that Rostrum reads.
    pub(crate) fn make_docx(title: &str, paragraphs: &[(&str, Option<&str>)]) -> Vec<u8> {
        let body: String = paragraphs
            .iter()
            .map(|(text, style)| {
                let style = style
                    .map(|s| format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#))
                    .unwrap_or_default();
                format!(r#"<w:p>{style}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
            })
            .collect();
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let core = format!(
            r#"<?xml version="1.0"?><cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>"#
        );
        let mut buffer = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        for (name, content) in [("word/document.xml", document), ("docProps/core.xml", core)] {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn paragraphs_headings_and_title() {
        let bytes = make_docx(
            "在全县大会上的讲话",
            &[
                ("同志们：", None),
                ("一、总体要求", Some("Heading1")),
                ("要抓好落实 &amp; 推进。", None),
            ],
        );
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.title.as_deref(), Some("在全县大会上的讲话"));
        assert_eq!(doc.lines.len(), 3);
        assert_eq!(doc.lines[1].declared_heading, Some(1));
        assert_eq!(doc.lines[2].text, "要抓好落实 & 推进。");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read(b"PK\x03\x04 not really a zip").is_err());
    }
}
