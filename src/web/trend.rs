//! A term's trend across the collection (`/trend?term=…`): a column per year, or per stretch of
//! an undated collection, each linked to the term in context where it is used most.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Html;
use std::sync::Arc;

use super::AppState;
use super::charts::{self, Column, ColumnChart};
use super::concordance::{ConcordanceParams, kwic_href};
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{Layout, render, with_query};
use crate::analysis::timeline::{Axis, TimePoint, Timeline, timeline};

/// A point of the timeline as the table shows it.
struct PointRow<'a> {
    point: &'a TimePoint,
    /// The speech that uses the term most, with the term in context there.
    leading: Option<(&'a str, String)>,
}

#[derive(Template)]
#[template(path = "trend.html")]
struct TrendPage<'a> {
    layout: Layout,
    timeline: &'a Timeline,
    axis_label: &'static str,
    chart: ColumnChart,
    rows: Vec<PointRow<'a>>,
    undated: Option<String>,
}

/// `GET /trend?term=…`: how often the collection uses a term, year by year.
pub async fn collection_trend(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<ConcordanceParams>,
) -> Result<Html<String>, AppError> {
    let term = params.term()?;
    let timeline = state
        .scan("counting a term across the collection", move |state| {
            timeline(&state.corpus, &term)
        })
        .await?;
    let t = lang.strings();
    let rows: Vec<PointRow> = timeline
        .points
        .iter()
        .map(|point| PointRow {
            point,
            leading: point.leading_speech.map(|index| {
                let speech = &state.corpus.speeches[index];
                (speech.title.as_str(), kwic_href(speech, &timeline.term))
            }),
        })
        .collect();
    let columns: Vec<Column> = rows
        .iter()
        .map(|row| {
            let rate = row.point.rate();
            Column {
                label: row.point.label.clone(),
                title: format!(
                    "{} · {}",
                    row.point.label,
                    lang.speech_count(row.point.speeches)
                ),
                value: rate,
                shown: format!("{rate:.1}"),
                href: match (&row.leading, timeline.axis) {
                    (Some((_, href)), _) => href.clone(),
                    (None, Axis::Year) => with_query("/", &[("q", &row.point.label)]),
                    (None, Axis::Position) => "/".to_owned(),
                },
            }
        })
        .collect();
    render(TrendPage {
        layout: Layout::new(
            &state,
            lang,
            &format!("{} · {}", timeline.term, t.collection_trend),
            &uri,
        ),
        axis_label: match timeline.axis {
            Axis::Year => t.by_year,
            Axis::Position => t.by_position,
        },
        chart: charts::column_chart(&columns, t.colon),
        rows,
        undated: (timeline.undated > 0).then(|| lang.undated(timeline.undated)),
        timeline: &timeline,
    })
}

/// The trend of `term` across the collection.
pub fn trend_href(term: &str) -> String {
    with_query("/trend", &[("term", term)])
}
