//! The parsed speech: the one data model that ingest produces and the web, the API and `export` serve.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One speech, parsed from one file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Speech {
    /// URL-safe identifier from the file name, unique in the collection.
    pub slug: String,
    /// The document title (for scrapes, the site's title without `.docx`).
    pub title: String,
    /// Front matter: the speech's own heading, dateline, speaker and salutation.
    pub front: FrontMatter,
    pub source: Source,
    /// Keywords declared by the source (docshare footers); empty when none.
    pub keywords: Vec<String>,
    /// The introduction: paragraphs before the first heading.
    pub preamble: Vec<Paragraph>,
    /// Top-level sections, each with its subsections.
    pub sections: Vec<Section>,
    /// The notes at the end of the text, which its note marks (`〔1〕`, `[1]`, `⑴`, `①`) point to.
    pub notes: Vec<Note>,
    /// What the parser noticed about this file (partial text, odd structure…).
    pub warnings: Vec<Warning>,
}

/// The lines that open a speech before its body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FrontMatter {
    /// The speech's own heading when it differs from the title, e.g. `在…会议上的讲话`.
    pub heading: Option<String>,
    /// Where and when it was given, e.g. `——2022年3月5日在…会议上`.
    pub dateline: Option<String>,
    /// Who gave it: the person, e.g. `李克强`.
    pub speaker: Option<String>,
    /// The speaker's office where the text gives it, e.g. `国务院总理`.
    pub office: Option<String>,
    /// When, as ISO 8601 at the precision the text gives: `1942-05`, `1957-02-27`, `2014`.
    pub date: Option<String>,
    /// The meeting or event, e.g. `第十三届全国人民代表大会第五次会议`.
    pub occasion: Option<String>,
    /// The salutation without its colon, e.g. `同志们`, `各位代表`.
    pub salutation: Option<String>,
}

impl FrontMatter {
    /// The speaker as a front-matter line shows them: office and person, `国务院总理 李克强`.
    pub fn speaker_line(&self) -> Option<String> {
        match (&self.office, &self.speaker) {
            (Some(office), Some(person)) => Some(format!("{office} {person}")),
            (None, Some(person)) => Some(person.clone()),
            (Some(office), None) => Some(office.clone()),
            (None, None) => None,
        }
    }

    /// The year of the date, for grouping by year.
    pub fn year(&self) -> Option<i32> {
        self.date.as_deref()?.get(..4)?.parse().ok()
    }
}

/// Where a speech came from and how complete it is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// Path relative to the collection folder, with `/` separators.
    pub file: String,
    pub format: Format,
    /// The encoding the bytes were decoded from, e.g. `UTF-8`, `GBK`, `UTF-16LE`.
    pub encoding: String,
    /// The document-sharing site the text was scraped from, if recognised.
    pub site: Option<String>,
    /// Pages the site says the document has.
    pub declared_pages: Option<u32>,
    /// Pages present in the file (scrapes only).
    pub present_pages: Option<u32>,
    /// True when pages are missing or the text stops mid-sentence.
    pub partial: bool,
    /// True when the text stops in the middle of a sentence.
    pub ends_mid_sentence: bool,
    /// The edition the text says it was taken from: `（《毛泽东选集》第五卷，…第267--288页）`.
    pub citation: Option<String>,
}

/// The shape the file was recognised as.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text with line breaks between paragraphs.
    Text,
    /// Markdown (`.md`).
    Markdown,
    /// A Word document (`.docx`).
    Docx,
    /// Text scraped from a document-sharing site: boilerplate, page markers, no line breaks.
    Docshare,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Docshare => "docshare",
        }
    }
}

/// A numbered (or named) part of a speech, with its subsections.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Section {
    /// Position in the outline: `1`, `1.2`, `1.2.3`.
    pub id: SectionId,
    /// The number as written, e.g. `一`, `(一)`, `1.`; empty for named parts such as `注释`.
    pub number: String,
    pub title: String,
    /// When and where this part was given, for a file that holds several speeches.
    pub dateline: Option<String>,
    /// Depth in the outline, 1 for top-level sections.
    pub level: u8,
    pub paragraphs: Vec<Paragraph>,
    pub children: Vec<Section>,
}

/// A note at the end of a speech.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    /// The number its marks in the text stand for: `〔3〕`, `[3]`, `⑶` and `③` all point to 3.
    pub id: u32,
    /// The mark as the note is written, e.g. `〔3〕`.
    pub mark: String,
    pub text: String,
}

/// A paragraph, numbered through the whole speech (preamble first).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Paragraph {
    pub id: u32,
    pub text: String,
}

impl Speech {
    /// Every section in reading order (depth first).
    pub fn sections_flat(&self) -> Vec<&Section> {
        let mut out = Vec::new();
        fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Section>) {
            for section in sections {
                out.push(section);
                walk(&section.children, out);
            }
        }
        walk(&self.sections, &mut out);
        out
    }

    /// The section with outline id `id` (`1.2`).
    pub fn section(&self, id: &SectionId) -> Option<&Section> {
        self.sections_flat().into_iter().find(|s| s.id == *id)
    }

    /// Every paragraph in reading order with the id of the section holding it (`None` for the preamble).
    pub fn paragraphs(&self) -> impl Iterator<Item = (Option<&Section>, &Paragraph)> {
        let preamble = self.preamble.iter().map(|p| (None, p));
        let body = self
            .sections_flat()
            .into_iter()
            .flat_map(|s| s.paragraphs.iter().map(move |p| (Some(s), p)));
        preamble.chain(body)
    }

    /// Every paragraph, to change in place (in no particular order).
    pub fn paragraphs_mut(&mut self) -> Vec<&mut Paragraph> {
        let mut paragraphs: Vec<&mut Paragraph> = self.preamble.iter_mut().collect();
        let mut sections: Vec<&mut Section> = self.sections.iter_mut().collect();
        while let Some(section) = sections.pop() {
            paragraphs.extend(section.paragraphs.iter_mut());
            sections.extend(section.children.iter_mut());
        }
        paragraphs
    }

    /// Characters of body text: preamble, headings and paragraphs, without whitespace.
    pub fn char_count(&self) -> usize {
        let body: usize = self.paragraphs().map(|(_, p)| count_visible(&p.text)).sum();
        let headings: usize = self
            .sections_flat()
            .iter()
            .map(|s| count_visible(&s.title))
            .sum();
        body + headings
    }

    pub fn paragraph_count(&self) -> usize {
        self.paragraphs().count()
    }
}

impl Section {
    /// The number and title as shown in an outline, e.g. `(一) 兢兢业业保民生`.
    pub fn label(&self) -> String {
        if self.number.is_empty() {
            self.title.clone()
        } else if self.title.is_empty() {
            self.number.clone()
        } else {
            format!("{} {}", self.number, self.title)
        }
    }

    /// Characters in this section and its subsections, without whitespace.
    pub fn char_count(&self) -> usize {
        count_visible(&self.title)
            + self
                .paragraphs
                .iter()
                .map(|p| count_visible(&p.text))
                .sum::<usize>()
            + self.children.iter().map(Section::char_count).sum::<usize>()
    }
}

fn count_visible(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Where a section stands in the outline: its position among its siblings at every level from
/// the top, written `1.2.3`. Ids are positions, so the same file always gives the same ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionId(Vec<u32>);

impl SectionId {
    /// The `position`-th top-level section (from 1).
    pub fn top(position: u32) -> SectionId {
        SectionId(vec![position])
    }

    /// The `position`-th subsection of this one (from 1).
    pub fn child(&self, position: u32) -> SectionId {
        let mut path = self.0.clone();
        path.push(position);
        SectionId(path)
    }

    /// This section's ancestors from the top, then the section itself: `1`, `1.2`, `1.2.3`.
    pub fn lineage(&self) -> impl Iterator<Item = SectionId> + '_ {
        (1..=self.0.len()).map(|depth| SectionId(self.0[..depth].to_vec()))
    }

    /// Whether `other` is this section or one of its subsections.
    pub fn contains(&self, other: &SectionId) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The HTML id of the section on the reader page: `1.2` → `s1-2`.
    pub fn anchor(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        format!("s{}", parts.join("-"))
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, position) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            write!(f, "{position}")?;
        }
        Ok(())
    }
}

/// Text that is not a section id: empty, or not positive numbers joined by dots.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a section id: {0}")]
pub struct NotASectionId(String);

impl FromStr for SectionId {
    type Err = NotASectionId;

    fn from_str(text: &str) -> Result<SectionId, NotASectionId> {
        let fail = || NotASectionId(text.chars().take(40).collect());
        let path = text
            .split('.')
            .map(|part| match part.parse::<u32>() {
                Ok(position) if position > 0 && !part.starts_with('+') => Ok(position),
                _ => Err(fail()),
            })
            .collect::<Result<Vec<u32>, NotASectionId>>()?;
        Ok(SectionId(path))
    }
}

/// Written `1.2.3` in JSON; its positions as they are in the cache's binary form.
impl Serialize for SectionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            self.0.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for SectionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SectionId, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            text.parse().map_err(serde::de::Error::custom)
        } else {
            Vec::deserialize(deserializer).map(SectionId)
        }
    }
}

/// Something the parser noticed about a file that a reader should know. Serialised with a
/// stable `code` and an English `message`; the web layer words it in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Warning {
    /// The scrape holds `present` of the `declared` pages.
    PartialPages { present: u32, declared: u32 },
    /// The site's preview stops before the end; how many pages there are is not known.
    PartialPreview,
    /// The text stops in the middle of a sentence.
    EndsMidSentence,
    /// Headings with neither text nor subsections under them, by label.
    EmptyHeadings(Vec<String>),
    /// A heading whose number skips some: `found` follows `previous` among its siblings.
    NumberingGap {
        heading: String,
        previous: u32,
        found: u32,
    },
    /// A long text in which no heading was found.
    NoOutline { characters: usize },
}

/// Headings a warning names; the rest it only counts, so that a long table of contents
/// taken for headings makes one readable line, not hundreds.
const HEADINGS_NAMED: usize = 5;

/// The first `HEADINGS_NAMED` of `labels` joined by `separator`, and how many are left.
pub fn named_headings(labels: &[String], separator: &str) -> (String, usize) {
    let named = labels.len().min(HEADINGS_NAMED);
    (labels[..named].join(separator), labels.len() - named)
}

impl Warning {
    /// The stable name of the kind of warning, e.g. `partial_pages`.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// Whether the warning says the text is incomplete (shown above the text).
    pub fn is_about_completeness(&self) -> bool {
        matches!(
            self,
            Warning::PartialPages { .. } | Warning::PartialPreview | Warning::EndsMidSentence
        )
    }
}

impl fmt::Display for Warning {
    /// The English message of `check` and the JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::PartialPages { present, declared } => {
                write!(f, "partial preview: {present} of {declared} pages")
            }
            Warning::PartialPreview => {
                f.write_str("partial preview: the site's preview stops before the end")
            }
            Warning::EndsMidSentence => f.write_str("the text ends mid-sentence"),
            Warning::EmptyHeadings(labels) => {
                let (named, more) = named_headings(labels, "; ");
                write!(f, "headings with no text under them: {named}")?;
                if more > 0 {
                    write!(f, " and {more} more")?;
                }
                Ok(())
            }
            Warning::NumberingGap {
                heading,
                previous,
                found,
            } => write!(
                f,
                "numbering skips from {previous} to {found} at \"{heading}\""
            ),
            Warning::NoOutline { characters } => {
                write!(f, "no headings found in {characters} characters of text")
            }
        }
    }
}

/// A warning as its fields, for the cache's binary form (`serde(remote)` derives it for
/// `Warning`, whose JSON is its code and message instead).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Warning")]
enum WarningFields {
    PartialPages {
        present: u32,
        declared: u32,
    },
    PartialPreview,
    EndsMidSentence,
    EmptyHeadings(Vec<String>),
    NumberingGap {
        heading: String,
        previous: u32,
        found: u32,
    },
    NoOutline {
        characters: usize,
    },
}

/// In JSON, `{"code", "message"}`; in the cache's binary form, the warning's fields.
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if !serializer.is_human_readable() {
            return WarningFields::serialize(self, serializer);
        }
        let mut warning = serializer.serialize_struct("Warning", 2)?;
        warning.serialize_field("code", self.code())?;
        warning.serialize_field("message", &self.to_string())?;
        warning.end()
    }
}

/// Read back from the cache's binary form only: the JSON form is for people.
impl<'de> Deserialize<'de> for Warning {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Warning, D::Error> {
        WarningFields::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_ids_read_write_and_nest() {
        let id: SectionId = "1.2.3".parse().unwrap();
        assert_eq!(id.to_string(), "1.2.3");
        assert_eq!(id.anchor(), "s1-2-3");
        assert_eq!(SectionId::top(1).child(2).child(3), id);
        let lineage: Vec<String> = id.lineage().map(|a| a.to_string()).collect();
        assert_eq!(lineage, vec!["1", "1.2", "1.2.3"]);
        assert!(SectionId::top(1).contains(&id) && id.contains(&id));
        assert!(!id.contains(&SectionId::top(1)) && !SectionId::top(2).contains(&id));
        assert!(SectionId::top(1).child(10) > SectionId::top(1).child(9));
        for bad in [
            "",
            "0",
            "1.",
            ".1",
            "1..2",
            "a",
            "+1",
            "-1",
            "1.x",
            "99999999999",
        ] {
            assert!(bad.parse::<SectionId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn warnings_have_a_code_and_an_english_message() {
        let warning = Warning::PartialPages {
            present: 9,
            declared: 11,
        };
        assert_eq!(warning.code(), "partial_pages");
        assert_eq!(
            serde_json::to_value(&warning).unwrap(),
            serde_json::json!({"code": "partial_pages", "message": "partial preview: 9 of 11 pages"})
        );
        assert_eq!(Warning::EndsMidSentence.code(), "ends_mid_sentence");
        assert!(!Warning::EmptyHeadings(vec![]).is_about_completeness());
    }
}
