//! The parsed speech: the one data model that ingest produces and the web, the API and `export` serve.

use serde::Serialize;

/// One speech, parsed from one file.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    /// What the parser noticed about this file (partial text, odd structure…).
    pub warnings: Vec<String>,
}

/// The lines that open a speech before its body.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FrontMatter {
    /// The speech's own heading when it differs from the title, e.g. `在…会议上的讲话`.
    pub heading: Option<String>,
    /// Where and when it was given, e.g. `——2022年3月5日在…会议上`.
    pub dateline: Option<String>,
    /// Who gave it, e.g. `国务院总理 李克强`.
    pub speaker: Option<String>,
    /// The salutation without its colon, e.g. `同志们`, `各位代表`.
    pub salutation: Option<String>,
}

/// Where a speech came from and how complete it is.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
}

/// The shape the file was recognised as.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
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
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    /// Position in the outline: `1`, `1.2`, `1.2.3`.
    pub id: String,
    /// The number as written, e.g. `一`, `(一)`, `1.`; empty for named parts such as `注释`.
    pub number: String,
    pub title: String,
    /// Depth in the outline, 1 for top-level sections.
    pub level: u8,
    pub paragraphs: Vec<Paragraph>,
    pub children: Vec<Section>,
}

/// A paragraph, numbered through the whole speech (preamble first).
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections_flat().into_iter().find(|s| s.id == id)
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
