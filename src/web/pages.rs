//! HTML pages: the collection, the reader, and one section alone. Each page is an askama template
//! over borrowed view types built from the immutable corpus.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::{Lang, Strings};
use crate::analysis::figures::figures_in;
use crate::analysis::search::{SearchRequest, SearchResults};
use crate::corpus::{Corpus, Skipped};
use crate::model::{Paragraph, Section, Speech};

/// What every page's layout needs: language, assets, the language switch and the share box.
pub struct Layout {
    pub t: &'static Strings,
    pub lang: Lang,
    pub title: String,
    pub css: String,
    pub js: String,
    pub icon: String,
    /// The LAN base URL that copied links use; empty when the server listens on loopback only.
    pub share_base: String,
    /// This page's LAN URL and its QR code, when colleagues can reach the server.
    pub share_url: Option<String>,
    pub qr_src: Option<String>,
    /// This page in the other language.
    pub switch_href: String,
}

impl Layout {
    pub fn new(state: &AppState, lang: Lang, title: &str, uri: &Uri) -> Layout {
        let path = uri.path();
        let other_query: Vec<&str> = uri
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
            .collect();
        let page_path = match other_query.is_empty() {
            true => path.to_owned(),
            false => format!("{path}?{}", other_query.join("&")),
        };
        let separator = if other_query.is_empty() { '?' } else { '&' };
        let qr_path: String = form_urlencoded::byte_serialize(page_path.as_bytes()).collect();
        let share_url = state.share.url(&page_path);
        Layout {
            t: lang.strings(),
            lang,
            title: title.to_owned(),
            css: state.assets.style.href(),
            js: state.assets.script.href(),
            icon: state.assets.icon.href(),
            share_base: state.share.lan_base.clone().unwrap_or_default(),
            qr_src: share_url
                .as_ref()
                .map(|_| format!("/share/qr.svg?path={qr_path}")),
            share_url,
            switch_href: format!("{page_path}{separator}lang={}", lang.other().short()),
        }
    }
}

/// A link with its text.
pub struct Link {
    pub href: String,
    pub label: String,
}

/// The HTML id of a section: `1.2` → `s1-2`.
pub fn section_anchor(id: &str) -> String {
    format!("s{}", id.replace('.', "-"))
}

/// The start of every breadcrumb trail below a speech: the collection, then the speech.
pub fn speech_trail(t: &Strings, speech: &Speech) -> Vec<Link> {
    vec![
        Link {
            href: "/".to_owned(),
            label: t.collection.to_owned(),
        },
        Link {
            href: speech_href(speech),
            label: speech.title.clone(),
        },
    ]
}

pub fn speech_href(speech: &Speech) -> String {
    format!("/speeches/{}", encode_path_segment(&speech.slug))
}

fn section_href(speech: &Speech, section: &Section) -> String {
    format!("{}/sections/{}", speech_href(speech), section.id)
}

/// Percent-encodes a path segment (slugs may hold Han characters).
fn encode_path_segment(segment: &str) -> String {
    form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    File,
    Title,
    Length,
}

#[derive(Debug, Deserialize)]
pub struct CollectionParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: Sort,
}

/// One speech in the collection table.
pub struct SpeechRow<'a> {
    pub href: String,
    pub speech: &'a Speech,
    pub pages: String,
    pub chars: usize,
    pub sections: usize,
}

#[derive(Template)]
#[template(path = "collection.html")]
pub struct CollectionPage<'a> {
    layout: Layout,
    rows: Vec<SpeechRow<'a>>,
    total: usize,
    filter: &'a str,
    sort_links: Vec<(Link, bool)>,
    skipped: &'a [Skipped],
}

/// Filters longer than this are not titles or keywords.
const MAX_FILTER_CHARS: usize = 200;

/// `GET /`: every speech, filtered and sorted as asked.
pub async fn collection(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<CollectionParams>,
) -> Result<Html<String>, AppError> {
    let filter = params.q.trim();
    if filter.chars().count() > MAX_FILTER_CHARS {
        return Err(AppError::BadRequest(format!(
            "the filter is longer than {MAX_FILTER_CHARS} characters"
        )));
    }
    let needle = filter.to_lowercase();
    let mut rows: Vec<SpeechRow> = state
        .corpus
        .speeches
        .iter()
        .filter(|s| needle.is_empty() || matches_filter(s, &needle))
        .map(|speech| SpeechRow {
            href: speech_href(speech),
            speech,
            pages: pages_label(speech),
            chars: speech.char_count(),
            sections: speech.sections_flat().len(),
        })
        .collect();
    match params.sort {
        Sort::File => {}
        Sort::Title => rows.sort_by(|a, b| a.speech.title.cmp(&b.speech.title)),
        Sort::Length => rows.sort_by_key(|row| std::cmp::Reverse(row.chars)),
    }
    let t = lang.strings();
    let sort_links = [
        (Sort::File, t.sort_file),
        (Sort::Title, t.sort_title),
        (Sort::Length, t.sort_length),
    ]
    .into_iter()
    .map(|(sort, label)| {
        let name = match sort {
            Sort::File => "file",
            Sort::Title => "title",
            Sort::Length => "length",
        };
        let q: String = form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        let href = if q.is_empty() {
            format!("/?sort={name}")
        } else {
            format!("/?q={q}&sort={name}")
        };
        (
            Link {
                href,
                label: label.to_owned(),
            },
            sort == params.sort,
        )
    })
    .collect();
    render(CollectionPage {
        layout: Layout::new(&state, lang, t.collection, &uri),
        rows,
        total: state.corpus.speeches.len(),
        filter,
        sort_links,
        skipped: &state.corpus.skipped,
    })
}

/// Renders a page; a template error is a bug, logged and answered with a 500.
pub fn render(page: impl Template) -> Result<Html<String>, AppError> {
    page.render()
        .map(Html)
        .map_err(|error| AppError::Internal(format!("rendering a page failed: {error}")))
}

fn matches_filter(speech: &Speech, needle: &str) -> bool {
    speech.title.to_lowercase().contains(needle)
        || speech.source.file.to_lowercase().contains(needle)
        || speech
            .keywords
            .iter()
            .any(|k| k.to_lowercase().contains(needle))
}

fn pages_label(speech: &Speech) -> String {
    match (speech.source.present_pages, speech.source.declared_pages) {
        (Some(present), Some(declared)) => format!("{present}/{declared}"),
        (Some(present), None) => present.to_string(),
        _ => "—".to_owned(),
    }
}

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

/// Builds the views of `sections` (in reading order); `link` makes a neighbour's href.
fn section_views<'a>(
    speech: &Speech,
    sections: &[&'a Section],
    mark_figures: bool,
    link: impl Fn(&Section) -> String,
) -> Vec<SectionView<'a>> {
    sections
        .iter()
        .enumerate()
        .map(|(index, section)| {
            let neighbour = |other: Option<&&Section>| {
                other.map(|s| Link {
                    href: link(s),
                    label: s.label(),
                })
            };
            SectionView {
                anchor: section_anchor(&section.id),
                section,
                paragraphs: paragraph_views(&section.paragraphs, mark_figures),
                heading_level: (section.level + 1).min(6),
                page_href: section_href(speech, section),
                previous: neighbour(index.checked_sub(1).and_then(|i| sections.get(i))),
                next: neighbour(sections.get(index + 1)),
            }
        })
        .collect()
}

/// Notices a reader must see before trusting the text: missing pages, a cut-off ending.
fn completeness_notices(speech: &Speech, t: &Strings) -> Vec<String> {
    let source = &speech.source;
    let mut notices = Vec::new();
    match (source.present_pages, source.declared_pages) {
        (Some(present), Some(declared)) if present < declared => notices.push(
            t.partial_pages
                .replace("{present}", &present.to_string())
                .replace("{declared}", &declared.to_string()),
        ),
        _ if source.partial && !source.ends_mid_sentence => {
            notices.push(t.partial_unknown.to_owned())
        }
        _ => {}
    }
    if source.ends_mid_sentence {
        notices.push(t.ends_mid_sentence.to_owned());
    }
    notices
}

fn find_speech<'a>(state: &'a AppState, slug: &str) -> Result<&'a Speech, AppError> {
    state
        .corpus
        .speech(slug)
        .ok_or_else(|| AppError::NotFound(format!("speech {slug}")))
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
    let speech = find_speech(&state, &slug)?;
    let mark_figures = params.highlight == Some(Highlight::Figures);
    let flat = speech.sections_flat();
    let outline = flat
        .iter()
        .map(|s| OutlineEntry {
            href: format!("#{}", section_anchor(&s.id)),
            label: s.label(),
            level: s.level,
        })
        .collect();
    let t = lang.strings();
    render(SpeechPage {
        layout: Layout::new(&state, lang, &speech.title, &uri),
        speech,
        pages: pages_label(speech),
        chars: speech.char_count(),
        notices: completeness_notices(speech, t),
        preamble: paragraph_views(&speech.preamble, mark_figures),
        figures_marked: mark_figures,
        outline,
        sections: section_views(speech, &flat, mark_figures, |s| {
            format!("#{}", section_anchor(&s.id))
        }),
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
    let speech = find_speech(&state, &slug)?;
    let flat = speech.sections_flat();
    let position = flat
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| AppError::NotFound(format!("section {id} of {slug}")))?;
    let section = flat[position];
    let page_link = |s: &Section| Link {
        href: section_href(speech, s),
        label: s.label(),
    };
    let t = lang.strings();
    let mut trail = speech_trail(t, speech);
    trail.extend(
        flat.iter()
            .filter(|s| id.starts_with(&format!("{}.", s.id)))
            .map(|s| page_link(s)),
    );
    let own: Vec<&Section> = flat
        .iter()
        .copied()
        .filter(|s| s.id == id || s.id.starts_with(&format!("{id}.")))
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
        sections: section_views(speech, &own, false, |s| {
            format!("#{}", section_anchor(&s.id))
        }),
        previous: position.checked_sub(1).map(|i| page_link(flat[i])),
        next: flat.get(position + 1).map(|s| page_link(s)),
        notices: completeness_notices(speech, t),
    })
}

/// The parameters of `/search` and `/api/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    speech: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    page: Option<usize>,
}

impl SearchParams {
    /// Runs the search these parameters ask for.
    pub fn run(self, state: &AppState) -> Result<(SearchRequest, SearchResults), AppError> {
        let request = self.into_request(&state.corpus)?;
        let results = state
            .analysis
            .search()
            .search(&state.corpus, &request)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((request, results))
    }

    /// The request these parameters make; a filter naming no speech or section of the
    /// collection, or a section without its speech, is a bad request.
    fn into_request(self, corpus: &Corpus) -> Result<SearchRequest, AppError> {
        let optional = |value: String| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let request = SearchRequest {
            query: self.q,
            speech: optional(self.speech),
            section: optional(self.section),
            page: self.page.unwrap_or(1).max(1),
        };
        match (&request.speech, &request.section) {
            (None, Some(_)) => Err(AppError::BadRequest(
                "a section filter needs a speech filter".to_owned(),
            )),
            (Some(slug), section) => {
                let speech = corpus.speech(slug).ok_or_else(|| {
                    AppError::BadRequest(format!("no speech {slug} to search in"))
                })?;
                match section {
                    Some(id) if speech.section(id).is_none() => {
                        Err(AppError::BadRequest(format!("no section {id} in {slug}")))
                    }
                    _ => Ok(request),
                }
            }
            (None, None) => Ok(request),
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage<'a> {
    layout: Layout,
    query: &'a str,
    results: SearchResults,
    summary: String,
    speeches: Vec<(&'a str, &'a str, bool)>,
    sections: Vec<(String, String, bool)>,
    previous_page: Option<String>,
    next_page: Option<String>,
}

/// `GET /search`: results grouped by speech, each hit linking to its paragraph.
pub async fn search(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, AppError> {
    let (request, results) = params.run(&state)?;
    let t = lang.strings();
    let chosen_speech = request
        .speech
        .as_deref()
        .and_then(|slug| state.corpus.speech(slug));
    let speeches = state
        .corpus
        .speeches
        .iter()
        .map(|s| {
            (
                s.slug.as_str(),
                s.title.as_str(),
                Some(s.slug.as_str()) == request.speech.as_deref(),
            )
        })
        .collect();
    let sections = chosen_speech
        .map(|speech| {
            speech
                .sections_flat()
                .iter()
                .map(|s| {
                    (
                        s.id.clone(),
                        s.label(),
                        Some(s.id.as_str()) == request.section.as_deref(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let page_link = |page: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &request.query);
        if let Some(speech) = &request.speech {
            query.append_pair("speech", speech);
        }
        if let Some(section) = &request.section {
            query.append_pair("section", section);
        }
        query.append_pair("page", &page.to_string());
        format!("/search?{}", query.finish())
    };
    let summary = t
        .search_summary
        .replace("{hits}", &results.total_hits.to_string())
        .replace("{speeches}", &results.total_speeches.to_string());
    let title = if request.query.trim().is_empty() {
        t.search.to_owned()
    } else {
        format!("{} · {}", request.query.trim(), t.search)
    };
    render(SearchPage {
        layout: Layout::new(&state, lang, &title, &uri),
        query: request.query.trim(),
        previous_page: (results.page > 1).then(|| page_link(results.page - 1)),
        next_page: (results.page < results.pages).then(|| page_link(results.page + 1)),
        results,
        summary,
        speeches,
        sections,
    })
}
