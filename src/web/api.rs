//! JSON under `/api/`: the same serde model as `rostrum export`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

use super::AppState;
use super::concordance::ConcordanceParams;
use super::error::AppError;
use super::layout::{find_speech, find_speech_with_stats};
use crate::analysis::keywords::Keyword;
use crate::analysis::kwic;
use crate::analysis::stats::CollectionStats;
use crate::export::{ExportedSpeech, SpeechStatsJson, exported};

/// `GET /api/speeches`: every speech with its statistics, as `rostrum export` prints them.
pub async fn speeches(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    Ok(Json(exported(&state.corpus, state.statistics()?)).into_response())
}

/// `GET /api/speeches/{slug}`: one speech with its statistics.
pub async fn speech(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (speech, stats) = find_speech_with_stats(&state, &slug)?;
    Ok(Json(ExportedSpeech::new(speech, stats)).into_response())
}

/// `GET /api/speeches/{slug}/stats`: one speech's statistics.
pub async fn speech_stats(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (speech, stats) = find_speech_with_stats(&state, &slug)?;
    Ok(Json(SpeechStatsJson::new(speech, stats)).into_response())
}

/// `GET /api/speeches/{slug}/kwic?term=…&sort=text|left|right`: the term's concordance.
pub async fn concordance(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    Query(params): Query<ConcordanceParams>,
) -> Result<Response, AppError> {
    let (_, speech) = find_speech(&state, &slug)?;
    let term = params.term()?;
    let lines = kwic::concordance(speech, &term, params.sort);
    Ok(Json(serde_json::json!({ "term": term, "lines": lines })).into_response())
}

/// `GET /api/stats`: the collection's totals and each speech's summary.
pub async fn collection_stats(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    let statistics = state.statistics()?;
    let speeches: Vec<SpeechSummary> = state
        .corpus
        .speeches
        .iter()
        .zip(&statistics.speeches)
        .map(|(speech, stats)| SpeechSummary {
            slug: &speech.slug,
            title: &speech.title,
            characters: stats.overview.characters,
            sections: stats.overview.sections,
            figures: stats.figures.len(),
            washed: stats.washed,
            rewordings: stats.rewordings.len(),
            partial: speech.source.partial,
            keywords: &stats.keywords,
        })
        .collect();
    Ok(Json(CollectionSummary {
        collection: &statistics.collection,
        speeches,
    })
    .into_response())
}

/// The collection's totals and every speech's summary, written straight from the statistics
/// (a tree of JSON values for every speech of a large collection took hundreds of megabytes).
#[derive(Serialize)]
struct CollectionSummary<'a> {
    collection: &'a CollectionStats,
    speeches: Vec<SpeechSummary<'a>>,
}

#[derive(Serialize)]
struct SpeechSummary<'a> {
    slug: &'a str,
    title: &'a str,
    characters: usize,
    sections: usize,
    figures: usize,
    washed: f64,
    rewordings: usize,
    partial: bool,
    keywords: &'a [Keyword],
}
