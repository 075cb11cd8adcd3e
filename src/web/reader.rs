//! The reader: a whole speech with its outline (`/speeches/{slug}`), and one section alone
//! (`/speeches/{slug}/sections/{id}`), over borrowed views of the immutable corpus.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{
    Layout, Link, completeness_notices, encode_path_segment, find_speech, pages_label, render,
    section_href, speech_href, speech_trail,
};
use crate::analysis::figures::figures_in;
use crate::model::{Paragraph, Section, SectionId, Speech};

/// A paragraph as the reader shows it, its figures marked when the reader asked.
pub struct ParagraphView<'a> {
    pub id: u32,
    pub text: &'a str,
    /// The text in pieces, `true` for a figure; `None` when nothing is marked.
    pub marked: Option<Vec<(&'a str, bool)>>,
}

/// Paragraph views; with `mark_figures`, each paragraph's figures are found and marked.
fn paragraph_views(paragraphs: &[Paragraph], mark_figures: bool) -> Vec<ParagraphView<'_>> {
    paragraphs
        .iter()
        .map(|paragraph| {
            let text = paragraph.text.as_str();
            let marked = mark_figures.then(|| {
                let mut pieces = Vec::new();
                let mut cursor = 0;
                for figure in figures_in(text, paragraph.id) {
                    if let (Some(before), Some(figure_text)) = (
                        text.get(cursor..figure.start),
                        text.get(figure.start..figure.end),
                    ) {
                        pieces.push((before, false));
                        pieces.push((figure_text, true));
                        cursor = figure.end;
                    }
                }
                pieces.push((text.get(cursor..).unwrap_or_default(), false));
                pieces
            });
            ParagraphView {
                id: paragraph.id,
                text,
                marked,
            }
        })
        .collect()
}

/// A section as the reader shows it: heading, paragraphs, and its neighbours in reading order.
pub struct SectionView<'a> {
    pub anchor: String,
    pub section: &'a Section,
    pub paragraphs: Vec<ParagraphView<'a>>,
    /// `h2` for top-level sections, down to `h6`.
    pub heading_level: u8,
    pub page_href: String,
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
    mark_figures: bool,
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
            paragraphs: paragraph_views(&section.paragraphs, mark_figures),
            heading_level: (section.level + 1).min(6),
            page_href: section_href(speech, section),
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
    preamble: Vec<ParagraphView<'a>>,
    figures_marked: bool,
    outline: Vec<OutlineEntry>,
    sections: Vec<SectionView<'a>>,
    json_href: String,
    stats_href: String,
    reader_href: String,
}

/// What the reader may mark in the text.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Highlight {
    Figures,
}

#[derive(Debug, Deserialize)]
pub struct ReaderParams {
    highlight: Option<Highlight>,
}

/// `GET /speeches/{slug}`: the whole speech with its outline; `?highlight=figures` marks figures.
pub async fn speech(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(params): Query<ReaderParams>,
) -> Result<Html<String>, AppError> {
    let (_, speech) = find_speech(&state, &slug)?;
    let mark_figures = params.highlight == Some(Highlight::Figures);
    let flat = speech.sections_flat();
    let outline = flat
        .iter()
        .map(|s| OutlineEntry {
            href: anchor_href(s),
            label: s.label(),
            level: s.level,
        })
        .collect();
    render(SpeechPage {
        layout: Layout::new(&state, lang, &speech.title, &uri),
        speech,
        pages: pages_label(speech),
        chars: speech.char_count(),
        notices: completeness_notices(speech, lang),
        preamble: paragraph_views(&speech.preamble, mark_figures),
        figures_marked: mark_figures,
        outline,
        sections: section_views(speech, &flat, mark_figures),
        json_href: format!("/api/speeches/{}", encode_path_segment(&speech.slug)),
        stats_href: format!("{}/stats", speech_href(speech)),
        reader_href: speech_href(speech),
    })
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
}

/// `GET /speeches/{slug}/sections/{id}`: one section with its subsections, for sharing one part.
pub async fn section(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
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
        ),
        speech_href: speech_href(speech),
        trail,
        section,
        sections: section_views(speech, &own, false),
        previous: position.checked_sub(1).map(|i| page_link(flat[i])),
        next: flat.get(position + 1).map(|s| page_link(s)),
        notices: completeness_notices(speech, lang),
    })
}
