//! A quotation with its source: a paragraph's (or a section's) text, and a citation line in the
//! reader's language, `——《标题》，讲话人，日期，第一部分（二），<permalink>`.

use crate::model::{Section, SectionId, Speech};
use crate::web::i18n::Lang;
use crate::web::layout::speech_href;

/// What a reader copies: the words and where they come from.
pub struct Quotation {
    pub text: String,
    pub citation: String,
    pub permalink: String,
}

impl Quotation {
    /// The quotation as copied: the text, then the citation line.
    pub fn as_text(&self) -> String {
        format!("{}\n{}", self.text, self.citation)
    }
}

/// What can be quoted: a paragraph (`p17`) or a section (`s1-2`), by its anchor.
pub enum QuoteTarget {
    Paragraph(u32),
    Section(SectionId),
}

impl QuoteTarget {
    /// The target an anchor names: `p17`, `s1-2`.
    pub fn parse(anchor: &str) -> Option<QuoteTarget> {
        if let Some(id) = anchor.strip_prefix('p') {
            return id.parse().ok().map(QuoteTarget::Paragraph);
        }
        let dotted = anchor.strip_prefix('s')?.replace('-', ".");
        dotted.parse().ok().map(QuoteTarget::Section)
    }
}

/// The quotation of `target` in `speech`, its permalink under `base` (`http://host:port`).
pub fn quotation(
    speech: &Speech,
    target: &QuoteTarget,
    lang: Lang,
    base: &str,
) -> Option<Quotation> {
    let (text, section, anchor) = match target {
        QuoteTarget::Paragraph(id) => {
            let (section, paragraph) = speech.paragraphs().find(|(_, p)| p.id == *id)?;
            (paragraph.text.clone(), section, format!("p{id}"))
        }
        QuoteTarget::Section(id) => {
            let section = speech.section(id)?;
            (section_text(section), Some(section), id.anchor())
        }
    };
    let permalink = format!("{base}{}#{anchor}", speech_href(speech));
    let citation = citation_line(speech, section, lang, &permalink);
    Some(Quotation {
        text,
        citation,
        permalink,
    })
}

/// A section's heading and paragraphs, its subsections' after.
fn section_text(section: &Section) -> String {
    let mut lines = vec![section.label()];
    lines.extend(section.paragraphs.iter().map(|p| p.text.clone()));
    lines.extend(section.children.iter().map(section_text));
    lines.join("\n")
}

/// The date as the front matter gives it, without its dashes and brackets.
fn date_of(speech: &Speech) -> Option<String> {
    let dateline = speech.front.dateline.as_deref()?;
    let date = dateline.trim_matches(|c: char| {
        matches!(c, '—' | '－' | '-' | '(' | ')' | '（' | '）') || c.is_whitespace()
    });
    (!date.is_empty()).then(|| date.to_owned())
}

/// Where in the speech a section stands: `第一部分（二）` in Chinese, `section 1.2` in English.
fn place_of(speech: &Speech, section: &Section, lang: Lang) -> String {
    match lang {
        Lang::En => format!("section {}", section.id),
        Lang::Zh => {
            let flat = speech.sections_flat();
            section
                .id
                .lineage()
                .filter_map(|id| flat.iter().find(|s| s.id == id))
                .enumerate()
                .map(|(depth, s)| match (depth, s.number.as_str()) {
                    (_, "") => format!("「{}」", s.title),
                    (0, number)
                        if !number.starts_with(['第', '(', '（']) && !number.ends_with('.') =>
                    {
                        format!("第{number}部分")
                    }
                    (_, number) => number.to_owned(),
                })
                .collect()
        }
    }
}

fn citation_line(
    speech: &Speech,
    section: Option<&Section>,
    lang: Lang,
    permalink: &str,
) -> String {
    let title = match lang {
        Lang::Zh => format!("《{}》", speech.title),
        Lang::En => format!("“{}”", speech.title),
    };
    let mut parts = vec![title];
    parts.extend(speech.front.speaker_line());
    parts.extend(date_of(speech));
    parts.extend(section.map(|s| place_of(speech, s, lang)));
    parts.push(permalink.to_owned());
    let separator = match lang {
        Lang::Zh => "，",
        Lang::En => ", ",
    };
    let dash = match lang {
        Lang::Zh => "——",
        Lang::En => "— ",
    };
    format!("{dash}{}", parts.join(separator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_name_paragraphs_and_sections() {
        assert!(matches!(
            QuoteTarget::parse("p17"),
            Some(QuoteTarget::Paragraph(17))
        ));
        assert!(matches!(
            QuoteTarget::parse("s1-2"),
            Some(QuoteTarget::Section(id)) if id.to_string() == "1.2"
        ));
        assert!(QuoteTarget::parse("x1").is_none());
        assert!(QuoteTarget::parse("p").is_none());
        assert!(QuoteTarget::parse("s1--2").is_none());
    }
}
