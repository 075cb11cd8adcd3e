//! Word documents (`.docx`): paragraphs from `word/document.xml`, headings from their outline
//! level or their style as `word/styles.xml` defines it.

use super::structure::SourceLine;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
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
    // A document without styles, or with styles Rostrum cannot read, still has its text.
    let styles = read_part(&mut archive, "word/styles.xml")
        .ok()
        .and_then(|styles| HeadingStyles::read(&styles).ok())
        .unwrap_or_default();
    Ok(DocxText {
        title,
        lines: paragraphs(&document, &styles)?,
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

/// One line per `<w:p>`, text from `<w:t>`. A paragraph is a heading by its own outline level
/// or by its style's. A text box's paragraphs are lines of their own, and the copy of it Word
/// keeps for older readers (`mc:Fallback`) is skipped.
fn paragraphs(xml: &str, styles: &HeadingStyles) -> Result<Vec<SourceLine>, DocxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut lines = Vec::new();
    let mut paragraph = Paragraph::default();
    // The paragraphs a text box interrupts, innermost last.
    let mut outer: Vec<Paragraph> = Vec::new();
    let mut in_text = false;
    let mut fallbacks = 0usize;
    loop {
        let event = reader.read_event()?;
        match &event {
            Event::Start(e) if e.name().as_ref() == b"mc:Fallback" => fallbacks += 1,
            Event::End(e) if e.name().as_ref() == b"mc:Fallback" => {
                fallbacks = fallbacks.saturating_sub(1);
            }
            Event::Eof => break,
            _ if fallbacks > 0 => {}
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Text(t) if in_text => paragraph.text.push_str(&t.unescape()?),
            Event::Empty(e) | Event::Start(e) => match e.name().as_ref() {
                b"w:pStyle" => paragraph.style = value(e).and_then(|id| styles.level(&id)),
                b"w:outlineLvl" => paragraph.outline = value(e).map(|level| outline_level(&level)),
                b"w:tab" | b"w:br" => paragraph.text.push(' '),
                b"w:txbxContent" if matches!(event, Event::Start(_)) => {
                    outer.push(std::mem::take(&mut paragraph));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:p" => std::mem::take(&mut paragraph).end(&mut lines),
                b"w:txbxContent" => paragraph = outer.pop().unwrap_or_default(),
                _ => {}
            },
            _ => {}
        }
    }
    Ok(lines)
}

/// A paragraph as it is read.
#[derive(Default)]
struct Paragraph {
    text: String,
    /// The heading level of its style.
    style: Option<u8>,
    /// Its own outline level, which overrides its style's: `None` inside for body text.
    outline: Option<Option<u8>>,
}

impl Paragraph {
    /// Adds the paragraph to `lines`, unless it has no text.
    fn end(self, lines: &mut Vec<SourceLine>) {
        let text = self.text.trim();
        if !text.is_empty() {
            lines.push(SourceLine {
                text: text.to_owned(),
                declared_heading: self.outline.unwrap_or(self.style),
            });
        }
    }
}

/// The `w:val` attribute of an element.
fn value(element: &BytesStart) -> Option<String> {
    attribute(element, "w:val")
}

/// An attribute of an element, by its qualified name.
fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    let attribute = element.try_get_attribute(name).ok()??;
    Some(String::from_utf8_lossy(&attribute.value).into_owned())
}

/// `w:outlineLvl`: 0 for a first-level heading, 9 for body text.
fn outline_level(value: &str) -> Option<u8> {
    value
        .parse::<u8>()
        .ok()
        .map(|level| level + 1)
        .filter(|level| (1..=6).contains(level))
}

/// Heading levels of a document's paragraph styles, by style id, from `word/styles.xml`.
#[derive(Default)]
struct HeadingStyles(HashMap<String, Option<u8>>);

/// A paragraph style as `word/styles.xml` defines it.
#[derive(Default)]
struct StyleDefinition {
    id: String,
    name: String,
    based_on: Option<String>,
    outline: Option<Option<u8>>,
}

impl HeadingStyles {
    /// Reads every paragraph style: a style is a heading by its outline level, by its name
    /// (Word keeps the English name, `heading 2`, whatever the language it shows), or by
    /// the style it is based on.
    fn read(xml: &str) -> Result<HeadingStyles, DocxError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut definitions = HashMap::new();
        let mut style: Option<StyleDefinition> = None;
        loop {
            match reader.read_event()? {
                Event::Start(e) if e.name().as_ref() == b"w:style" => {
                    style = (attribute(&e, "w:type").as_deref() == Some("paragraph"))
                        .then(|| attribute(&e, "w:styleId"))
                        .flatten()
                        .map(|id| StyleDefinition {
                            id,
                            ..StyleDefinition::default()
                        });
                }
                Event::Empty(e) | Event::Start(e) => {
                    if let Some(style) = style.as_mut() {
                        match e.name().as_ref() {
                            b"w:name" => style.name = value(&e).unwrap_or_default(),
                            b"w:basedOn" => style.based_on = value(&e),
                            b"w:outlineLvl" => {
                                style.outline = value(&e).map(|level| outline_level(&level));
                            }
                            _ => {}
                        }
                    }
                }
                Event::End(e) if e.name().as_ref() == b"w:style" => {
                    if let Some(style) = style.take() {
                        definitions.insert(style.id.clone(), style);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let levels = definitions
            .keys()
            .map(|id| (id.clone(), Self::resolve(&definitions, id)))
            .collect();
        Ok(HeadingStyles(levels))
    }

    /// The heading level of style `id`, following what it is based on (a few steps at most:
    /// a loop in a broken file ends).
    fn resolve(definitions: &HashMap<String, StyleDefinition>, id: &str) -> Option<u8> {
        let mut style = definitions.get(id)?;
        for _ in 0..8 {
            if let Some(outline) = style.outline {
                return outline;
            }
            if let Some(level) = named_level(&style.name) {
                return Some(level);
            }
            style = definitions.get(style.based_on.as_deref()?)?;
        }
        None
    }

    /// The heading level of the paragraph style `id`. A style the document does not define
    /// is judged by its id as Word writes them: `Heading2`, or `2` in Chinese Word.
    fn level(&self, id: &str) -> Option<u8> {
        match self.0.get(id) {
            Some(level) => *level,
            None => named_level(id),
        }
    }
}

/// `heading 2`, `标题 2` or a bare `2` → 2.
fn named_level(name: &str) -> Option<u8> {
    let lowercase = name.to_lowercase();
    let digits = ["heading", "标题"]
        .iter()
        .find_map(|prefix| lowercase.strip_prefix(prefix))
        .unwrap_or(&lowercase);
    digits
        .trim()
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
        let core = format!(
            r#"<?xml version="1.0"?><cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>"#
        );
        zip_parts(&[
            ("word/document.xml", document(&body)),
            ("docProps/core.xml", core),
        ])
    }

    /// `word/document.xml` with `body`.
    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        )
    }

    /// A zip archive of the named parts.
    fn zip_parts(parts: &[(&str, String)]) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        buffer.into_inner()
    }

    /// A paragraph with `properties` (the inside of `w:pPr`) and `text`.
    fn paragraph(properties: &str, text: &str) -> String {
        format!(r#"<w:p><w:pPr>{properties}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    }

    #[test]
    fn headings_by_style_definition_and_outline_level() {
        // As Chinese Word saves them: built-in headings keep their English names under ids
        // of digits, a table of contents line is `toc 1` under id 11, and a house style may
        // be a heading by its outline level or by the style it is based on.
        let styles = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>
            <w:style w:type="paragraph" w:styleId="11"><w:name w:val="toc 1"/><w:basedOn w:val="a"/></w:style>
            <w:style w:type="paragraph" w:styleId="a5"><w:name w:val="公文一级标题"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="a6"><w:name w:val="公文标题居中"/><w:basedOn w:val="a5"/></w:style>
            <w:style w:type="character" w:styleId="10"><w:name w:val="heading 1 Char"/></w:style>
        </w:styles>"#;
        let body = [
            paragraph(r#"<w:pStyle w:val="11"/>"#, "一、总体要求……1"),
            paragraph(r#"<w:pStyle w:val="a5"/>"#, "一、总体要求"),
            paragraph(r#"<w:pStyle w:val="2"/>"#, "（一）抓好落实"),
            paragraph(r#"<w:pStyle w:val="a6"/>"#, "二、保障措施"),
            paragraph(r#"<w:outlineLvl w:val="1"/>"#, "（一）加强领导"),
            paragraph(
                r#"<w:pStyle w:val="a5"/><w:outlineLvl w:val="9"/>"#,
                "正文。",
            ),
            paragraph(r#"<w:pStyle w:val="a"/>"#, "同志们。"),
        ]
        .concat();
        let bytes = zip_parts(&[
            ("word/document.xml", document(&body)),
            ("word/styles.xml", styles.to_owned()),
        ]);
        let levels: Vec<Option<u8>> = read(&bytes)
            .unwrap()
            .lines
            .iter()
            .map(|line| line.declared_heading)
            .collect();
        assert_eq!(
            levels,
            [None, Some(1), Some(2), Some(1), Some(2), None, None]
        );
    }

    #[test]
    fn a_text_box_is_read_once_and_apart_from_its_paragraph() {
        let text_box =
            r#"<w:txbxContent><w:p><w:r><w:t>框内标题</w:t></w:r></w:p></w:txbxContent>"#;
        let body = format!(
            r#"<w:p><w:r><w:t>前文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{text_box}</w:drawing></mc:Choice><mc:Fallback><w:pict>{text_box}</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后文</w:t></w:r></w:p>"#
        );
        let bytes = zip_parts(&[("word/document.xml", document(&body))]);
        let lines: Vec<String> = read(&bytes)
            .unwrap()
            .lines
            .into_iter()
            .map(|line| line.text)
            .collect();
        assert_eq!(lines, ["框内标题", "前文后文"]);
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
