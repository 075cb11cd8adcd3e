//! Statistics pages: one speech's (`/speeches/{slug}/stats`) and the collection's (`/stats`),
//! drawn from the statistics computed at load.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::charts::{self, BarChart, BarRow, CloudEntry, Column, ColumnChart, WordCloud};
use super::concordance::{checked_term_length, kwic_href};
use super::error::AppError;
use super::i18n::Lang;
use super::keyness::{Compared, REST, chosen_pair, compared, groups};
use super::layout::{
    Layout, Link, SortLink, find_speech_with_own_stats, render, sort_links, speech_href,
    speech_trail, with_query,
};
use crate::analysis::StillCounting;
use crate::analysis::figures::{Figure, FigureKind};
use crate::analysis::keywords::KeywordBasis;
use crate::analysis::kwic::{self, Trend};
use crate::analysis::places::{Place, Scope};
use crate::analysis::stats::{SpeechStats, Statistics};
use crate::analysis::wording::{Substitution, substitutions};
use crate::model::Speech;
use crate::text::pinyin_key;

/// Terms in the table and the cloud of a speech's page.
const TERMS_SHOWN: usize = 30;
const CLOUD_WORDS: usize = 60;
/// Speeches per page of the collection table.
const SPEECHES_PER_PAGE: usize = 200;

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

fn trend_chart(speech: &Speech, trend: &Trend, lang: Lang) -> ColumnChart {
    let opening = lang.strings().introduction;
    let href = speech_href(speech);
    let mut columns = vec![Column::counted(
        opening.to_owned(),
        opening.to_owned(),
        trend.preamble,
        href.clone(),
    )];
    columns.extend(trend.sections.iter().map(|s| {
        Column::counted(
            s.label
                .split_whitespace()
                .next()
                .unwrap_or(&s.label)
                .to_owned(),
            s.label.clone(),
            s.count,
            format!("{href}#{}", s.id.anchor()),
        )
    }));
    charts::column_chart(&columns, lang.strings().colon)
}

/// A term with its count and a link to its concordance.
pub struct TermLink<'a> {
    pub term: &'a str,
    pub count: u32,
    pub href: String,
}

/// A figure as the table shows it: its kind, and its value in the text's own unit.
pub struct FigureRow<'a> {
    pub figure: &'a Figure,
    pub kind: &'static str,
    pub value: String,
}

/// A figure's value in the unit the text uses (`24.66 万亿元`, `8 个月`, `2–3 个`); the value
/// normalised to a base unit only orders the table.
fn as_written(figure: &Figure) -> String {
    // A year is a name, not a quantity: 2008 年, never 2,008 年.
    let digits = |value: f64| match figure.kind {
        FigureKind::Date => value.to_string(),
        _ => grouped(value),
    };
    let upper = figure
        .value_to
        .map(|to| format!("–{}", digits(to)))
        .unwrap_or_default();
    format!("{}{upper} {}", digits(figure.value), figure.unit)
}

#[derive(Debug, Deserialize)]
pub struct SpeechStatsParams {
    #[serde(default)]
    term: String,
    #[serde(default)]
    figures: FigureOrder,
    /// `show` keeps the filler of official speech (`进行`, `没有` …) among the terms.
    #[serde(default)]
    filler: Option<FillerChoice>,
}

/// Whether the terms include the filler of official speech.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FillerChoice {
    Show,
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
    /// How far the collection's count has got, while these are the speech's statistics
    /// measured alone.
    counting: Option<StillCounting>,
    structure: BarChart,
    cloud: WordCloud,
    terms: Vec<TermLink<'a>>,
    /// The terms include the filler of official speech.
    with_filler: bool,
    keywords_from_collection: bool,
    trend_term: String,
    trend: ColumnChart,
    trend_links: Vec<Link>,
    figures: Vec<FigureRow<'a>>,
    figures_by_value: bool,
    places: Vec<(&'a Place, String)>,
    substitutions: Vec<Substitution<'a>>,
    washed: bool,
}

/// `GET /speeches/{slug}/stats`: while the collection is counted, what the speech alone shows.
pub async fn speech_stats(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(params): Query<SpeechStatsParams>,
) -> Result<Html<String>, AppError> {
    let (speech, stats, counting) = find_speech_with_own_stats(&state, &slug).await?;
    let stats = &*stats;
    let href = speech_href(speech);
    let term = params.term.trim();
    checked_term_length(term)?;
    let trend = if term.is_empty() {
        stats
            .trend_terms()
            .next()
            .map(|term| kwic::trend(speech, term))
    } else {
        Some(kwic::trend(speech, term))
    };
    let structure_rows: Vec<BarRow> = stats
        .structure
        .iter()
        .map(|s| BarRow {
            label: s.label.clone(),
            level: s.level,
            value: s.characters,
            href: format!("{href}#{}", s.id.anchor()),
        })
        .collect();
    let with_filler = params.filler == Some(FillerChoice::Show);
    let terms: Vec<(&str, u32)> = if with_filler {
        stats.profile.iter().collect()
    } else {
        stats.top_terms().collect()
    };
    let cloud_words: Vec<CloudEntry> = terms
        .iter()
        .take(CLOUD_WORDS)
        .map(|&(term, count)| CloudEntry {
            word: term.to_owned(),
            count,
            href: kwic_href(speech, term),
        })
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
        counting,
        structure: charts::bar_chart(&structure_rows, t.colon),
        cloud: charts::word_cloud(&cloud_words, t.colon),
        with_filler,
        terms: terms
            .iter()
            .take(TERMS_SHOWN)
            .map(|&(term, count)| TermLink {
                term,
                count,
                href: kwic_href(speech, term),
            })
            .collect(),
        keywords_from_collection: stats.keyword_basis == KeywordBasis::Collection,
        trend_term: trend.as_ref().map(|t| t.term.clone()).unwrap_or_default(),
        trend: trend.as_ref().map_or_else(
            || charts::column_chart(&[], t.colon),
            |t| trend_chart(speech, t, lang),
        ),
        trend_links: stats
            .trend_terms()
            .map(|term| Link {
                href: format!(
                    "{}#trend",
                    with_query(&format!("{href}/stats"), &[("term", term)])
                ),
                label: term.to_owned(),
            })
            .collect(),
        figures: figures
            .into_iter()
            .map(|figure| FigureRow {
                figure,
                kind: lang.figure_kind(figure.kind),
                value: as_written(figure),
            })
            .collect(),
        figures_by_value: params.figures == FigureOrder::Value,
        places: stats
            .places
            .places
            .iter()
            .map(|p| (p, kwic_href(speech, &p.name)))
            .collect(),
        substitutions: substitutions(&stats.rewordings),
        washed: stats.looks_washed(),
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
    /// `show` keeps the filler of official speech among the distinctive terms.
    #[serde(default)]
    filler: Option<FillerChoice>,
}

/// How the collection's table is ordered.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum CollectionOrder {
    #[default]
    File,
    Title,
    Length,
    Sections,
    Figures,
    /// The speeches with the most suspect substitutions first.
    Washed,
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
    statistics: &'a Statistics,
    rows: Vec<SpeechRow<'a>>,
    sort_links: Vec<SortLink>,
    speeches: Vec<(&'a str, &'a str)>,
    /// Speakers' and decades' speeches the first side may be, as `(value, name)`.
    groups: Vec<(String, String)>,
    chosen: (String, String),
    /// The value of the second selector that stands for the rest of the collection.
    rest: &'static str,
    with_filler: bool,
    comparison: Option<Compared>,
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
        CollectionOrder::Title => rows.sort_by_cached_key(|r| pinyin_key(&r.speech.title)),
        CollectionOrder::Length => {
            rows.sort_by_key(|r| std::cmp::Reverse(r.stats.overview.characters))
        }
        CollectionOrder::Sections => {
            rows.sort_by_key(|r| std::cmp::Reverse(r.stats.overview.sections))
        }
        CollectionOrder::Figures => rows.sort_by_key(|r| std::cmp::Reverse(r.stats.figures.len())),
        CollectionOrder::Washed => rows.sort_by(|a, b| b.stats.washed.total_cmp(&a.stats.washed)),
    }
    let page = params.page.unwrap_or(1).max(1);
    let pages = rows.len().div_ceil(SPEECHES_PER_PAGE).max(1);
    let rows: Vec<SpeechRow> = rows
        .into_iter()
        .skip((page - 1).saturating_mul(SPEECHES_PER_PAGE))
        .take(SPEECHES_PER_PAGE)
        .collect();
    let chosen = chosen_pair(&state, &params.a, &params.b);
    let comparison = match &chosen {
        Some((a, b)) => Some(compared(
            &state,
            statistics,
            a,
            b,
            params.filler.is_some(),
            lang,
        )?),
        None => None,
    };
    let t = lang.strings();
    let sort_links = sort_links(
        "/stats",
        &[],
        &[
            (CollectionOrder::File, t.sort_file),
            (CollectionOrder::Title, t.sort_title),
            (CollectionOrder::Length, t.sort_length),
            (CollectionOrder::Sections, t.column_sections),
            (CollectionOrder::Figures, t.figures),
            (CollectionOrder::Washed, t.washed_wording),
        ],
        params.sort,
    );
    let sort_name: &str = params.sort.into();
    let page_link = |page: usize| {
        with_query(
            "/stats",
            &[("sort", sort_name), ("page", &page.to_string())],
        )
    };
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
        groups: groups(&state, lang),
        chosen: chosen.unwrap_or_default(),
        rest: REST,
        with_filler: params.filler.is_some(),
        comparison,
        previous_page: (page > 1).then(|| page_link(page - 1)),
        next_page: (page < pages).then(|| page_link(page + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::{as_written, grouped};
    use crate::analysis::figures::figures_in;

    #[test]
    fn figures_are_shown_in_the_text_s_own_unit() {
        let shown: Vec<String> = figures_in(
            "增加到24.66万亿元,今年前 8 个月,各确定 2-3 个试点,对 2008 年评比。",
            1,
        )
        .iter()
        .map(as_written)
        .collect();
        assert_eq!(shown, vec!["24.66 万亿元", "8 个月", "2–3 个", "2008 年"]);
        let months = &figures_in("今年前 8 个月", 1)[0];
        assert_eq!(
            months.base_unit,
            Some(crate::analysis::figures::BaseUnit("个月")),
            "a duration, not August"
        );
    }

    #[test]
    fn numbers_are_grouped_without_needless_decimals() {
        assert_eq!(grouped(111_340_000.0), "111,340,000");
        assert_eq!(grouped(4.5), "4.5");
        assert_eq!(grouped(61_000.0), "61,000");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1234.567), "1,234.57");
    }
}
