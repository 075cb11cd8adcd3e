//! Search over HTTP: `/search` (results grouped by speech, each hit linking to its paragraph)
//! and `/api/search` (the same results as JSON), from one set of parameters.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{Layout, PageNumber, page_numbers, render, with_query};
use crate::analysis::search::{SearchRequest, SearchResults};
use crate::corpus::Corpus;
use crate::model::{SectionId, Speech};

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
    /// Runs the search these parameters ask for: on a blocking thread while there is no index
    /// yet, since reading the whole collection takes a while.
    async fn run(self, state: &Arc<AppState>) -> Result<(SearchRequest, SearchResults), AppError> {
        let request = self.into_request(&state.corpus)?;
        let search = |state: &AppState, request: &SearchRequest| {
            state.analysis.search(&state.corpus, request)
        };
        let results = match state.analysis.search_index() {
            Some(_) => search(state, &request),
            None => {
                let asked = request.clone();
                state
                    .scan("searching", move |state| search(state, &asked))
                    .await?
            }
        };
        let results = results.map_err(|error| AppError::internal("searching", error))?;
        Ok((request, results))
    }

    /// The request these parameters make; a filter naming no speech or section of the
    /// collection, or a section without its speech, is a bad request.
    fn into_request(self, corpus: &Corpus) -> Result<SearchRequest, AppError> {
        let optional = |value: String| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let speech = optional(self.speech);
        let section = match (&speech, optional(self.section)) {
            (None, None) => None,
            (None, Some(_)) => {
                let message = "a section filter needs a speech filter".to_owned();
                return Err(AppError::BadRequest(message));
            }
            (Some(slug), section) => {
                let speech = corpus.speech(slug).ok_or_else(|| {
                    AppError::BadRequest(format!("no speech {slug} to search in"))
                })?;
                let in_speech = |id: &str| {
                    id.parse::<SectionId>()
                        .ok()
                        .filter(|id| speech.section(id).is_some())
                        .ok_or_else(|| AppError::BadRequest(format!("no section {id} in {slug}")))
                };
                section.as_deref().map(in_speech).transpose()?
            }
        };
        Ok(SearchRequest {
            query: self.q,
            speech,
            section,
            page: self.page.unwrap_or(1).max(1),
        })
    }
}

/// A choice in a filter's drop-down.
pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage<'a> {
    layout: Layout,
    query: &'a str,
    results: SearchResults,
    summary: String,
    speeches: Vec<FilterOption>,
    sections: Vec<FilterOption>,
    previous_page: Option<String>,
    next_page: Option<String>,
    page_numbers: Vec<PageNumber>,
}

/// `GET /search`: results grouped by speech, each hit linking to its paragraph.
/// Speeches offered one by one in the search form's speech filter, at most.
const MAX_SPEECH_CHOICES: usize = 200;

pub async fn search_page(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, AppError> {
    let (request, results) = params.run(&state).await?;
    let t = lang.strings();
    let chosen_speech = request
        .speech
        .as_deref()
        .and_then(|slug| state.corpus.speech(slug));
    // Every speech is a choice in a small collection; in a large one, only the speech chosen
    // (from its reader's search box), so that the page does not grow with the collection.
    let choices: Vec<&Speech> = if state.corpus.speeches.len() <= MAX_SPEECH_CHOICES {
        state.corpus.speeches.iter().map(|s| &**s).collect()
    } else {
        chosen_speech.into_iter().collect()
    };
    let speeches = choices
        .into_iter()
        .map(|s| FilterOption {
            value: s.slug.clone(),
            label: s.title.clone(),
            chosen: Some(s.slug.as_str()) == request.speech.as_deref(),
        })
        .collect();
    let sections = chosen_speech
        .map(|speech| {
            speech
                .sections_flat()
                .iter()
                .map(|s| FilterOption {
                    value: s.id.to_string(),
                    label: s.label(),
                    chosen: Some(&s.id) == request.section.as_ref(),
                })
                .collect()
        })
        .unwrap_or_default();
    let page_link = |page: usize| {
        let mut pairs = vec![("q", request.query.clone())];
        if let Some(speech) = &request.speech {
            pairs.push(("speech", speech.clone()));
        }
        if let Some(section) = &request.section {
            pairs.push(("section", section.to_string()));
        }
        pairs.push(("page", page.to_string()));
        with_query("/search", &pairs)
    };
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
        page_numbers: page_numbers(results.page, results.pages, page_link),
        summary: lang.search_summary(results.total_hits, results.total_speeches),
        results,
        speeches,
        sections,
    })
}

/// `GET /api/search?q=…&speech=…&section=…&page=…`: the same results as `/search`, as JSON.
pub async fn search_json(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let (_, results) = params.run(&state).await?;
    Ok(Json(results).into_response())
}
