//! JSON under `/api/`: the same serde model as `rostrum export`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::pages::SearchParams;

/// `GET /api/speeches`: every speech, as `rostrum export` prints them.
pub async fn speeches(State(state): State<Arc<AppState>>) -> Response {
    Json(&state.corpus.speeches).into_response()
}

/// `GET /api/speeches/{slug}`: one speech.
pub async fn speech(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let speech = state
        .corpus
        .speech(&slug)
        .ok_or_else(|| AppError::NotFound(format!("speech {slug}")))?;
    Ok(Json(speech).into_response())
}

/// `GET /api/search?q=…&speech=…&section=…&page=…`: the same results as `/search`, as JSON.
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let request = params.into_request(&state.corpus)?;
    let results = state
        .analysis
        .search
        .search(&state.corpus, &request)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Json(results).into_response())
}
