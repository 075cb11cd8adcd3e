//! JSON under `/api/`: the same serde model as `rostrum export`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::pages::SearchParams;
use super::stats::ConcordanceParams;
use crate::analysis::kwic;
use crate::export::{ExportedSpeech, exported};

/// `GET /api/speeches`: every speech with its statistics, as `rostrum export` prints them.
pub async fn speeches(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    Ok(Json(exported(&state.corpus, state.statistics()?)).into_response())
}

/// `GET /api/speeches/{slug}`: one speech with its statistics.
pub async fn speech(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let index = speech_index(&state, &slug)?;
    let speech = ExportedSpeech {
        speech: &state.corpus.speeches[index],
        stats: &state.statistics()?.speeches[index],
    };
    Ok(Json(speech).into_response())
}

/// `GET /api/speeches/{slug}/stats`: one speech's statistics.
pub async fn speech_stats(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let index = speech_index(&state, &slug)?;
    Ok(Json(&state.statistics()?.speeches[index]).into_response())
}

/// `GET /api/speeches/{slug}/kwic?term=…&sort=text|left|right`: the term's concordance.
pub async fn concordance(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    Query(params): Query<ConcordanceParams>,
) -> Result<Response, AppError> {
    let speech = &state.corpus.speeches[speech_index(&state, &slug)?];
    let term = params.term()?;
    let lines = kwic::concordance(speech, &term, params.sort);
    Ok(Json(serde_json::json!({ "term": term, "lines": lines })).into_response())
}

/// `GET /api/stats`: the collection's totals and each speech's summary.
pub async fn collection_stats(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    let statistics = state.statistics()?;
    let speeches: Vec<serde_json::Value> = state
        .corpus
        .speeches
        .iter()
        .zip(&statistics.speeches)
        .map(|(speech, stats)| {
            serde_json::json!({
                "slug": speech.slug,
                "title": speech.title,
                "characters": stats.overview.characters,
                "sections": stats.overview.sections,
                "figures": stats.figures.len(),
                "partial": speech.source.partial,
                "keywords": stats.keywords,
            })
        })
        .collect();
    Ok(
        Json(serde_json::json!({ "collection": statistics.collection, "speeches": speeches }))
            .into_response(),
    )
}

fn speech_index(state: &AppState, slug: &str) -> Result<usize, AppError> {
    state
        .corpus
        .index_of(slug)
        .ok_or_else(|| AppError::NotFound(format!("speech {slug}")))
}

/// `GET /api/search?q=…&speech=…&section=…&page=…`: the same results as `/search`, as JSON.
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let (_, results) = params.run(&state)?;
    Ok(Json(results).into_response())
}
