//! The reader: a whole speech with its outline (`/speeches/{slug}`), and one section alone
//! (`/speeches/{slug}/sections/{id}`), over borrowed views of the immutable corpus.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::downloads;
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{
    Layout, Link, Watch, completeness_notices, encode_path_segment, find_speech,
    find_speech_with_stats, pages_label, render, section_href, speech_href, speech_trail,
};
use super::takeaway::{DownloadFormat, TextChoice};
use crate::analysis::figures::figures_in;
use crate::analysis::search::{ParsedQuery, matched_ranges, parse_query};
use crate::analysis::wording::Rewording;
use crate::ingest::apparatus::note_marks;
use crate::model::{Note, Paragraph, Section, SectionId, Speech};
use std::collections::BTreeSet;

/// A paragraph as the reader shows it: its text in pieces, with note marks as links and, when
/// the reader asked, figures marked.
pub struct ParagraphView<'a> {
    pub id: u32,
    pub pieces: Vec<Piece<'a>>,
    /// The page that quotes this paragraph with its source.
    pub quote_href: String,
}

/// A piece of a paragraph: plain text, a figure, a search term, a suspect word, or a note mark.
pub struct Piece<'a> {
    pub text: &'a str,
    pub figure: bool,
    /// What the search that opened the page found.
    pub hit: bool,
    pub note: Option<NoteLink>,
    /// When this piece is probably a spinner's substitute: the word that likely stood here.
    pub suspect: Option<SuspectMark<'a>>,
}

/// A suspect word as the reader shows it.
pub struct SuspectMark<'a> {
    pub likely: &'a str,
    /// The restored view shows `likely` in place, the found word on request; the wording view
    /// marks the found word with `likely` beside it.
    pub restored: bool,
}

/// What a marked span of a paragraph is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Note(u32),
    Figure,
    Hit,
    /// A suspect word, by its place in `Marking::rewordings`.
    Reworded(usize),
}

/// A note mark as a link to its note; the first mark of each note is the target of the
/// note's link back.
pub struct NoteLink {
    pub href: String,
    pub id: Option<String>,
}

/// What the paragraphs of a page link and mark.
struct Marking<'a> {
    /// The speech's address, under which its quotations are.
    speech_href: String,
    figures: bool,
    /// The search whose terms are marked, when the reader came from one.
    search: Option<ParsedQuery>,
    /// The suspect words to mark, when the reader asked for the wording or restored view.
    rewordings: &'a [Rewording],
    /// Whether the suspects show their likely original in place.
    restored: bool,
    notes: &'a [Note],
    /// Where the notes are: `` on the reader, the reader's address on a section page.
    notes_page: String,
    /// Notes whose first mark was already shown, which holds their link back (`#r3`).
    referenced: BTreeSet<u32>,
    /// Whether marks may be link-back targets: only where the notes are on the same page.
    targets: bool,
}

impl<'a> Marking<'a> {
    /// The pieces of one paragraph's text.
    fn pieces<'t>(&mut self, paragraph: &'t Paragraph) -> Vec<Piece<'t>>
    where
        'a: 't,
    {
        let text = paragraph.text.as_str();
        let mut spans: Vec<(usize, usize, Mark)> = note_marks(text, self.notes)
            .into_iter()
            .map(|mark| (mark.start, mark.end, Mark::Note(mark.number)))
            .collect();
        // Marks where no earlier one is: notes first, then search hits, suspects, figures.
        let mut add = |found: Vec<(usize, usize, Mark)>| {
            let free: Vec<(usize, usize, Mark)> = found
                .into_iter()
                .filter(|f| !spans.iter().any(|s| f.0 < s.1 && s.0 < f.1))
                .collect();
            spans.extend(free);
        };
        if let Some(search) = &self.search {
            add(matched_ranges(text, search)
                .into_iter()
                .map(|(start, end)| (start, end, Mark::Hit))
                .collect());
        }
        add(self
            .rewordings
            .iter()
            .enumerate()
            .filter(|(_, r)| r.paragraph == paragraph.id)
            .map(|(index, r)| (r.start, r.end, Mark::Reworded(index)))
            .collect());
        if self.figures {
            add(figures_in(text, paragraph.id)
                .iter()
                .map(|f| (f.start, f.end, Mark::Figure))
                .collect());
        }
        spans.sort_unstable();
        let mut pieces = Vec::new();
        let mut cursor = 0;
        for (start, end, mark) in spans {
            let (Some(before), Some(marked)) = (text.get(cursor..start), text.get(start..end))
            else {
                continue;
            };
            pieces.push(Piece::plain(before));
            let note = match mark {
                Mark::Note(number) => Some(number),
                _ => None,
            };
            let suspect = match mark {
                Mark::Reworded(index) => self.rewordings.get(index).map(|r| SuspectMark {
                    likely: r.likely.as_str(),
                    restored: self.restored,
                }),
                _ => None,
            };
            pieces.push(Piece {
                text: marked,
                figure: mark == Mark::Figure,
                hit: mark == Mark::Hit,
                note: note.map(|number| NoteLink {
                    href: format!("{}#n{number}", self.notes_page),
                    id: (self.targets && self.referenced.insert(number))
                        .then(|| format!("r{number}")),
                }),
                suspect,
            });
            cursor = end;
        }
        pieces.push(Piece::plain(text.get(cursor..).unwrap_or_default()));
        pieces
    }

    /// The text quotations of this page quote.
    fn quoted_text(&self) -> TextChoice {
        if self.restored {
            TextChoice::Restored
        } else {
            TextChoice::Found
        }
    }

    fn paragraphs<'t>(&mut self, paragraphs: &'t [Paragraph]) -> Vec<ParagraphView<'t>>
    where
        'a: 't,
    {
        paragraphs
            .iter()
            .map(|paragraph| ParagraphView {
                id: paragraph.id,
                pieces: self.pieces(paragraph),
                quote_href: format!(
                    "{}/quote/p{}{}",
                    self.speech_href,
                    paragraph.id,
                    self.quoted_text().query()
                ),
            })
            .collect()
    }
}

impl<'a> Piece<'a> {
    fn plain(text: &'a str) -> Piece<'a> {
        Piece {
            text,
            figure: false,
            hit: false,
            note: None,
            suspect: None,
        }
    }
}

/// A note at the end of the reader, with its link back to its first mark when there is one.
pub struct NoteView<'a> {
    pub note: &'a Note,
    pub back: Option<String>,
}

/// A section as the reader shows it: heading, paragraphs, and its neighbours in reading order.
pub struct SectionView<'a> {
    pub anchor: String,
    pub section: &'a Section,
    pub paragraphs: Vec<ParagraphView<'a>>,
    /// `h2` for top-level sections, down to `h6`.
    pub heading_level: u8,
    pub page_href: String,
    pub quote_href: String,
    pub previous: Option<Link>,
    pub next: Option<Link>,
}

/// An entry of the outline sidebar.
pub struct OutlineEntry {
    pub href: String,
    pub label: String,
    pub level: u8,
}

/// The link to a section on the page that shows it: `#s1-2`.
fn anchor_href(section: &Section) -> String {
    format!("#{}", section.id.anchor())
}

/// Builds the views of `sections` (in reading order), each linking to its neighbours.
fn section_views<'a>(
    speech: &Speech,
    sections: &[&'a Section],
    marking: &mut Marking<'a>,
) -> Vec<SectionView<'a>> {
    let neighbour = |other: Option<&&Section>| {
        other.map(|s| Link {
            href: anchor_href(s),
            label: s.label(),
        })
    };
    sections
        .iter()
        .enumerate()
        .map(|(index, section)| SectionView {
            anchor: section.id.anchor(),
            section,
            paragraphs: marking.paragraphs(&section.paragraphs),
            heading_level: (section.level + 1).min(6),
            page_href: section_href(speech, section),
            quote_href: format!("{}/quote/{}", speech_href(speech), section.id.anchor()),
            previous: neighbour(index.checked_sub(1).and_then(|i| sections.get(i))),
            next: neighbour(sections.get(index + 1)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "speech.html")]
pub struct SpeechPage<'a> {
    layout: Layout,
    speech: &'a Speech,
    pages: String,
    chars: usize,
    notices: Vec<String>,
    /// Marks the end of a partial preview's text.
    preview_ends: Option<String>,
    preamble: Vec<ParagraphView<'a>>,
    figures_marked: bool,
    /// The wording or restored view, when the reader asked for one.
    wording: Option<WordingView>,
    /// Whether the speech's wording is judged yet: not while the collection is counted.
    wording_judged: bool,
    /// The search whose terms are marked.
    searched: Option<String>,
    outline: Vec<OutlineEntry>,
    sections: Vec<SectionView<'a>>,
    notes: Vec<NoteView<'a>>,
    json_href: String,
    stats_href: String,
    reader_href: String,
    downloads: Vec<Link>,
}

/// What the wording and restored views say above the text.
pub struct WordingView {
    pub restored: bool,
    /// Suspect words in the speech.
    pub suspects: usize,
    /// Whether the speech as a whole looks washed.
    pub washed: bool,
}

/// The links that download `base` (a speech or section address) as Word, Markdown and text,
/// in the wording the reader reads.
fn download_links(base: &str, text: TextChoice, lang: Lang) -> Vec<Link> {
    let t = lang.strings();
    [
        (DownloadFormat::Docx, t.download_docx),
        (DownloadFormat::Md, t.download_md),
        (DownloadFormat::Txt, t.download_txt),
    ]
    .into_iter()
    .map(|(format, label)| Link {
        href: format!("{base}.{}{}", format.extension(), text.query()),
        label: label.to_owned(),
    })
    .collect()
}

/// What the reader may mark in the text.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Highlight {
    Figures,
    /// The words a spinner probably substituted, each with its likely original.
    Rewording,
}

#[derive(Debug, Deserialize)]
pub struct ReaderParams {
    highlight: Option<Highlight>,
    /// `restored` reads the likely original wording in place of suspect words.
    #[serde(default)]
    text: TextChoice,
    /// The search that led here: its terms are marked in the text.
    #[serde(default)]
    q: String,
}

/// `GET /speeches/{slug}`: the whole speech with its outline; `?highlight=figures` marks figures,
/// `?highlight=rewording` the suspect words with their likely originals, and `?text=restored`
/// reads those originals in place.
pub async fn speech(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(params): Query<ReaderParams>,
) -> Result<Response, AppError> {
    if state.corpus.speech(&slug).is_none()
        && let Some((stem, format)) = DownloadFormat::of_file_name(&slug)
    {
        return downloads::speech(&state, lang, stem, format, params.text);
    }
    let (_, speech) = find_speech(&state, &slug)?;
    let mark_figures = params.highlight == Some(Highlight::Figures);
    let restored = params.text == TextChoice::Restored;
    let stats = if restored || params.highlight == Some(Highlight::Rewording) {
        Some(find_speech_with_stats(&state, &slug)?.1)
    } else {
        None
    };
    let wording = stats.map(|stats| WordingView {
        restored,
        suspects: stats.rewordings.len(),
        washed: stats.looks_washed(),
    });
    let flat = speech.sections_flat();
    let mut outline: Vec<OutlineEntry> = flat
        .iter()
        .map(|s| OutlineEntry {
            href: anchor_href(s),
            label: s.label(),
            level: s.level,
        })
        .collect();
    if !speech.notes.is_empty() {
        outline.push(OutlineEntry {
            href: "#notes".to_owned(),
            label: lang.strings().notes.to_owned(),
            level: 1,
        });
    }
    let search = Some(parse_query(&params.q)).filter(|query| !query.terms.is_empty());
    let searched = search.as_ref().map(|_| params.q.trim().to_owned());
    let mut marking = Marking {
        speech_href: speech_href(speech),
        figures: mark_figures,
        search,
        rewordings: stats.map_or(&[], |stats| stats.rewordings.as_slice()),
        restored,
        notes: &speech.notes,
        notes_page: String::new(),
        referenced: BTreeSet::new(),
        targets: true,
    };
    let preamble = marking.paragraphs(&speech.preamble);
    let sections = section_views(speech, &flat, &mut marking);
    let notes = speech
        .notes
        .iter()
        .map(|note| NoteView {
            note,
            back: marking
                .referenced
                .contains(&note.id)
                .then(|| format!("#r{}", note.id)),
        })
        .collect();
    render(SpeechPage {
        layout: Layout::new(&state, lang, &speech.title, &uri)
            .watching(&state, Watch::Speech(speech.slug.clone())),
        speech,
        pages: pages_label(speech),
        chars: speech.char_count(),
        notices: completeness_notices(speech, lang),
        preview_ends: speech
            .source
            .partial
            .then(|| lang.preview_ends(speech.source.present_pages, speech.source.declared_pages)),
        preamble,
        figures_marked: mark_figures,
        wording,
        wording_judged: state.analysis.statistics().is_ok(),
        searched,
        outline,
        sections,
        notes,
        json_href: format!("/api/speeches/{}", encode_path_segment(&speech.slug)),
        stats_href: format!("{}/stats", speech_href(speech)),
        reader_href: speech_href(speech),
        downloads: download_links(&speech_href(speech), params.text, lang),
    })
    .map(IntoResponse::into_response)
}

#[derive(Debug, Deserialize)]
pub struct SectionParams {
    /// `restored` downloads the section with the likely original wording.
    #[serde(default)]
    text: TextChoice,
}

#[derive(Template)]
#[template(path = "section.html")]
pub struct SectionPage<'a> {
    layout: Layout,
    speech_href: String,
    /// Collection, speech, then the section's ancestors.
    trail: Vec<Link>,
    section: &'a Section,
    sections: Vec<SectionView<'a>>,
    previous: Option<Link>,
    next: Option<Link>,
    notices: Vec<String>,
    downloads: Vec<Link>,
}

/// `GET /speeches/{slug}/sections/{id}`: one section with its subsections, for sharing one part.
pub async fn section(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path((slug, id)): Path<(String, String)>,
    Query(params): Query<SectionParams>,
) -> Result<Response, AppError> {
    if let Some((id, format)) = DownloadFormat::of_file_name(&id) {
        return downloads::section(&state, lang, &slug, id, format, params.text);
    }
    let (_, speech) = find_speech(&state, &slug)?;
    let missing = || AppError::NotFound(format!("section {id} of {slug}"));
    let id: SectionId = id.parse().map_err(|_| missing())?;
    let flat = speech.sections_flat();
    let position = flat.iter().position(|s| s.id == id).ok_or_else(missing)?;
    let section = flat[position];
    let page_link = |s: &Section| Link {
        href: section_href(speech, s),
        label: s.label(),
    };
    let mut trail = speech_trail(lang.strings(), speech);
    trail.extend(
        flat.iter()
            .filter(|s| s.id.contains(&id) && s.id != id)
            .map(|s| page_link(s)),
    );
    let own: Vec<&Section> = flat
        .iter()
        .copied()
        .filter(|s| id.contains(&s.id))
        .collect();
    render(SectionPage {
        layout: Layout::new(
            &state,
            lang,
            &format!("{} · {}", section.label(), speech.title),
            &uri,
        )
        .watching(&state, Watch::Speech(speech.slug.clone())),
        speech_href: speech_href(speech),
        trail,
        section,
        sections: section_views(
            speech,
            &own,
            &mut Marking {
                speech_href: speech_href(speech),
                figures: false,
                search: None,
                rewordings: &[],
                restored: false,
                notes: &speech.notes,
                notes_page: speech_href(speech),
                referenced: BTreeSet::new(),
                targets: false,
            },
        ),
        previous: position.checked_sub(1).map(|i| page_link(flat[i])),
        next: flat.get(position + 1).map(|s| page_link(s)),
        notices: completeness_notices(speech, lang),
        downloads: download_links(&section_href(speech, section), TextChoice::Found, lang),
    })
    .map(IntoResponse::into_response)
}
