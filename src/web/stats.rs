//! Statistics pages: one speech's (`/speeches/{slug}/stats`), its concordance
//! (`/speeches/{slug}/kwic`), and the collection's (`/stats`), drawn from the statistics
//! computed at load.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::charts::{self, BarChart, ColumnChart, WordCloud};
use super::error::AppError;
use super::i18n::Lang;
use super::pages::{Layout, Link, render, section_anchor, speech_href, speech_trail};
use crate::analysis::figures::Figure;
use crate::analysis::kwic::{self, ConcordanceLine, ConcordanceOrder, Trend};
use crate::analysis::segment::char_tokens;
use crate::analysis::stats::{Comparison, KeywordBasis, SpeechStats, compare};
use crate::model::Speech;

/// Terms longer than this are not terms.
const MAX_TERM_CHARS: usize = 50;
/// Terms in the table and the cloud of a speech's page.
const TERMS_SHOWN: usize = 30;
const CLOUD_WORDS: usize = 60;
/// Speeches per page of the collection table.
const SPEECHES_PER_PAGE: usize = 200;

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A number with thousands separators and no needless decimals: `111,340,000`, `4.5`.
pub fn grouped(value: f64) -> String {
    let text = format!("{:.2}", value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            digits.push(',');
        }
        digits.push(digit);
    }
    let fraction = fraction.trim_end_matches('0');
    let sign = if value < 0.0 { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{digits}")
    } else {
        format!("{sign}{digits}.{fraction}")
    }
}

fn find<'a>(state: &'a AppState, slug: &str) -> Result<(&'a Speech, &'a SpeechStats), AppError> {
    let index = state
        .corpus
        .index_of(slug)
        .ok_or_else(|| AppError::NotFound(format!("speech {slug}")))?;
    Ok((
        &state.corpus.speeches[index],
        &state.statistics()?.speeches[index],
    ))
}

fn kwic_href(speech: &Speech, term: &str) -> String {
    format!("{}/kwic?term={}", speech_href(speech), encode(term))
}

fn trend_chart(speech: &Speech, trend: &Trend, lang: Lang) -> ColumnChart {
    let opening = lang.strings().introduction;
    let href = speech_href(speech);
    let mut columns = vec![(
        opening.to_owned(),
        opening.to_owned(),
        trend.preamble,
        href.clone(),
    )];
    columns.extend(trend.sections.iter().map(|s| {
        let number = s
            .label
            .split_whitespace()
            .next()
            .unwrap_or(&s.label)
            .to_owned();
        (
            number,
            s.label.clone(),
            s.count,
            format!("{href}#{}", section_anchor(&s.id)),
        )
    }));
    charts::column_chart(&columns)
}

#[derive(Debug, Deserialize)]
pub struct SpeechStatsParams {
    #[serde(default)]
    term: String,
    #[serde(default)]
    figures: FigureOrder,
}

/// How the figures table is ordered.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FigureOrder {
    /// As they occur.
    #[default]
    Text,
    /// Largest normalised value first, by kind.
    Value,
}

#[derive(Template)]
#[template(path = "speech_stats.html")]
struct SpeechStatsPage<'a> {
    layout: Layout,
    speech: &'a Speech,
    speech_href: String,
    trail: Vec<Link>,
    stats: &'a SpeechStats,
    structure: BarChart,
    cloud: WordCloud,
    terms: Vec<(&'a str, u32, String)>,
    keywords_from_collection: bool,
    trend_term: String,
    trend: ColumnChart,
    trend_links: Vec<(String, String)>,
    /// Each figure with its kind and normalised value as shown.
    figures: Vec<(&'a Figure, &'static str, String)>,
    figures_by_value: bool,
    places: Vec<(&'a crate::analysis::places::Place, String)>,
}

/// `GET /speeches/{slug}/stats`.
pub async fn speech_stats(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(params): Query<SpeechStatsParams>,
) -> Result<Html<String>, AppError> {
    let (speech, stats) = find(&state, &slug)?;
    let href = speech_href(speech);
    let term = params.term.trim();
    if term.chars().count() > MAX_TERM_CHARS {
        return Err(AppError::BadRequest(format!(
            "a term has at most {MAX_TERM_CHARS} characters"
        )));
    }
    let trend = if term.is_empty() {
        stats.trends.first().cloned()
    } else {
        Some(kwic::trend(speech, term))
    };
    let structure_rows: Vec<(String, u8, usize, String)> = stats
        .structure
        .iter()
        .map(|s| {
            (
                s.label.clone(),
                s.level,
                s.characters,
                format!("{href}#{}", section_anchor(&s.id)),
            )
        })
        .collect();
    let cloud_words: Vec<(String, u32, String)> = stats
        .top_terms
        .iter()
        .take(CLOUD_WORDS)
        .map(|t| (t.term.clone(), t.count, kwic_href(speech, &t.term)))
        .collect();
    let mut figures: Vec<&Figure> = stats.figures.iter().collect();
    if params.figures == FigureOrder::Value {
        figures.sort_by(|a, b| {
            a.kind.cmp(&b.kind).then(
                b.normalized
                    .unwrap_or(b.value)
                    .total_cmp(&a.normalized.unwrap_or(a.value)),
            )
        });
    }
    let t = lang.strings();
    render(SpeechStatsPage {
        layout: Layout::new(
            &state,
            lang,
            &format!("{} · {}", t.stats, speech.title),
            &uri,
        ),
        speech,
        speech_href: href.clone(),
        trail: speech_trail(t, speech),
        stats,
        structure: charts::bar_chart(&structure_rows),
        cloud: charts::word_cloud(&cloud_words),
        terms: stats
            .top_terms
            .iter()
            .take(TERMS_SHOWN)
            .map(|t| (t.term.as_str(), t.count, kwic_href(speech, &t.term)))
            .collect(),
        keywords_from_collection: stats.keyword_basis == KeywordBasis::Collection,
        trend_term: trend.as_ref().map(|t| t.term.clone()).unwrap_or_default(),
        trend: trend.as_ref().map_or_else(
            || charts::column_chart(&[]),
            |t| trend_chart(speech, t, lang),
        ),
        trend_links: stats
            .trends
            .iter()
            .map(|t| {
                (
                    t.term.clone(),
                    format!("{href}/stats?term={}#trend", encode(&t.term)),
                )
            })
            .collect(),
        figures: figures
            .into_iter()
            .map(|f| {
                let normalized = match (f.normalized, f.base_unit) {
                    (Some(value), Some(unit)) => format!("{} {unit}", grouped(value)),
                    _ => String::new(),
                };
                (f, f.kind.label(lang == Lang::Zh), normalized)
            })
            .collect(),
        figures_by_value: params.figures == FigureOrder::Value,
        places: stats
            .places
            .places
            .iter()
            .map(|p| (p, kwic_href(speech, &p.name)))
            .collect(),
    })
}

/// The parameters of a concordance.
#[derive(Debug, Deserialize)]
pub struct ConcordanceParams {
    #[serde(default)]
    term: String,
    #[serde(default)]
    pub sort: ConcordanceOrder,
}

impl ConcordanceParams {
    /// The term asked for: present, and not too long.
    pub fn term(&self) -> Result<String, AppError> {
        let term = self.term.trim();
        if term.is_empty() || char_tokens(term).is_empty() {
            return Err(AppError::BadRequest(
                "the concordance needs a term (?term=…)".to_owned(),
            ));
        }
        if term.chars().count() > MAX_TERM_CHARS {
            return Err(AppError::BadRequest(format!(
                "a term has at most {MAX_TERM_CHARS} characters"
            )));
        }
        Ok(term.to_owned())
    }
}

#[derive(Template)]
#[template(path = "kwic.html")]
struct ConcordancePage {
    layout: Layout,
    speech_href: String,
    trail: Vec<Link>,
    term: String,
    lines: Vec<ConcordanceLine>,
    sort_links: Vec<(String, &'static str, bool)>,
    count_label: String,
}

/// `GET /speeches/{slug}/kwic?term=…&sort=text|left|right`.
pub async fn concordance(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(params): Query<ConcordanceParams>,
) -> Result<Html<String>, AppError> {
    let (speech, _) = find(&state, &slug)?;
    let term = params.term()?;
    let lines = kwic::concordance(speech, &term, params.sort);
    let t = lang.strings();
    let href = speech_href(speech);
    let sort_links = [
        (ConcordanceOrder::Text, "text", t.sort_text),
        (ConcordanceOrder::Left, "left", t.sort_left),
        (ConcordanceOrder::Right, "right", t.sort_right),
    ]
    .into_iter()
    .map(|(order, name, label)| {
        (
            format!("{href}/kwic?term={}&sort={name}", encode(&term)),
            label,
            order == params.sort,
        )
    })
    .collect();
    render(ConcordancePage {
        layout: Layout::new(&state, lang, &format!("{term} · {}", speech.title), &uri),
        trail: {
            let mut trail = speech_trail(t, speech);
            trail.push(Link {
                href: format!("{href}/stats"),
                label: t.stats.to_owned(),
            });
            trail
        },
        speech_href: href,
        count_label: t.kwic_count.replace("{n}", &lines.len().to_string()),
        term,
        lines,
        sort_links,
    })
}

#[derive(Debug, Deserialize)]
pub struct CollectionStatsParams {
    #[serde(default)]
    sort: CollectionOrder,
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    #[serde(default)]
    page: Option<usize>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CollectionOrder {
    #[default]
    File,
    Title,
    Length,
    Sections,
    Figures,
}

/// One row of the collection table.
struct SpeechRow<'a> {
    speech: &'a Speech,
    stats: &'a SpeechStats,
    href: String,
}

#[derive(Template)]
#[template(path = "collection_stats.html")]
struct CollectionStatsPage<'a> {
    layout: Layout,
    statistics: &'a crate::analysis::stats::Statistics,
    rows: Vec<SpeechRow<'a>>,
    sort_links: Vec<(String, &'static str, bool)>,
    speeches: Vec<(&'a str, &'a str)>,
    chosen: (String, String),
    comparison: Option<(String, String, Comparison)>,
    previous_page: Option<String>,
    next_page: Option<String>,
}

/// `GET /stats`: totals, every speech, the collection's terms, and a comparison of two speeches.
pub async fn collection_stats(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<CollectionStatsParams>,
) -> Result<Html<String>, AppError> {
    let statistics = state.statistics()?;
    let mut rows: Vec<SpeechRow> = state
        .corpus
        .speeches
        .iter()
        .zip(&statistics.speeches)
        .map(|(speech, stats)| SpeechRow {
            speech,
            stats,
            href: speech_href(speech),
        })
        .collect();
    match params.sort {
        CollectionOrder::File => {}
        CollectionOrder::Title => rows.sort_by(|a, b| a.speech.title.cmp(&b.speech.title)),
        CollectionOrder::Length => {
            rows.sort_by_key(|r| std::cmp::Reverse(r.stats.overview.characters))
        }
        CollectionOrder::Sections => {
            rows.sort_by_key(|r| std::cmp::Reverse(r.stats.overview.sections))
        }
        CollectionOrder::Figures => rows.sort_by_key(|r| std::cmp::Reverse(r.stats.figures.len())),
    }
    let page = params.page.unwrap_or(1).max(1);
    let pages = rows.len().div_ceil(SPEECHES_PER_PAGE).max(1);
    let rows: Vec<SpeechRow> = rows
        .into_iter()
        .skip((page - 1).saturating_mul(SPEECHES_PER_PAGE))
        .take(SPEECHES_PER_PAGE)
        .collect();
    let comparison = match (params.a.trim(), params.b.trim()) {
        ("", "") => None,
        (a, b) => {
            let (first, first_stats) = find(&state, a)
                .map_err(|_| AppError::BadRequest(format!("no speech {a} to compare")))?;
            let (second, second_stats) = find(&state, b)
                .map_err(|_| AppError::BadRequest(format!("no speech {b} to compare")))?;
            Some((
                first.title.clone(),
                second.title.clone(),
                compare(first_stats, second_stats, 40),
            ))
        }
    };
    let t = lang.strings();
    let sort_name = |order: CollectionOrder| match order {
        CollectionOrder::File => "file",
        CollectionOrder::Title => "title",
        CollectionOrder::Length => "length",
        CollectionOrder::Sections => "sections",
        CollectionOrder::Figures => "figures",
    };
    let sort_links = [
        (CollectionOrder::File, t.sort_file),
        (CollectionOrder::Title, t.sort_title),
        (CollectionOrder::Length, t.sort_length),
        (CollectionOrder::Sections, t.column_sections),
        (CollectionOrder::Figures, t.figures),
    ]
    .into_iter()
    .map(|(order, label)| {
        (
            format!("/stats?sort={}", sort_name(order)),
            label,
            order == params.sort,
        )
    })
    .collect();
    let page_link = |page: usize| format!("/stats?sort={}&page={page}", sort_name(params.sort));
    render(CollectionStatsPage {
        layout: Layout::new(&state, lang, t.collection_stats, &uri),
        statistics,
        rows,
        sort_links,
        speeches: state
            .corpus
            .speeches
            .iter()
            .map(|s| (s.slug.as_str(), s.title.as_str()))
            .collect(),
        chosen: (params.a.trim().to_owned(), params.b.trim().to_owned()),
        comparison,
        previous_page: (page > 1).then(|| page_link(page - 1)),
        next_page: (page < pages).then(|| page_link(page + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn numbers_are_grouped_without_needless_decimals() {
        assert_eq!(grouped(111_340_000.0), "111,340,000");
        assert_eq!(grouped(4.5), "4.5");
        assert_eq!(grouped(61_000.0), "61,000");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1234.567), "1,234.57");
    }
}
