//! Taking a speech away over HTTP: `/speeches/{slug}.docx|.md|.txt` (and one section's),
//! a quotation with its source (`/speeches/{slug}/quote/p17`, as a page or `?format=text`),
//! figures and terms as CSV, the collection's table (`/stats.csv`) and the whole collection
//! (`/export.zip`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{
    Layout, Link, find_speech, find_speech_with_own_stats, find_speech_with_stats, render,
    speech_trail,
};
use super::takeaway::quote::{Quotation, QuoteTarget, quotation};
use super::takeaway::{Document, DownloadFormat, TextChoice, archive, file_name, tables};
use crate::analysis::stats::SpeechStats;
use crate::analysis::wording::restore::restored_speech;
use crate::model::{SectionId, Speech};
use std::borrow::Cow;

/// `bytes` offered as a file named `name`, of type `content_type`.
fn attachment(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
    let disposition = format!("attachment; filename*=UTF-8''{encoded}");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

const CSV: &str = "text/csv; charset=utf-8";

/// The speech as the reader chose to take it: as found, or with the likely original wording
/// (which needs the statistics: a 503 while they are counted).
fn chosen_text<'a>(
    state: &'a AppState,
    slug: &str,
    text: TextChoice,
) -> Result<Cow<'a, Speech>, AppError> {
    Ok(match text {
        TextChoice::Found => Cow::Borrowed(find_speech(state, slug)?.1),
        TextChoice::Restored => {
            let (speech, stats) = find_speech_with_stats(state, slug)?;
            Cow::Owned(restored_speech(speech, &stats.rewordings))
        }
    })
}

/// A document written in `format`, its source line saying so when the wording was restored.
fn written(document: Document, text: TextChoice, format: DownloadFormat, lang: Lang) -> Vec<u8> {
    match text {
        TextChoice::Found => format.write(&document),
        TextChoice::Restored => format.write(&document.restored(lang)),
    }
}

/// `GET /speeches/{slug}.docx` (or `.md`, `.txt`): the whole speech to take away;
/// `?text=restored` with the likely original wording.
pub fn speech(
    state: &AppState,
    lang: Lang,
    stem: &str,
    format: DownloadFormat,
    text: TextChoice,
) -> Result<Response, AppError> {
    let speech = chosen_text(state, stem, text)?;
    let bytes = written(Document::of_speech(&speech, lang), text, format, lang);
    Ok(attachment(
        bytes,
        format.content_type(),
        &file_name(&speech.slug, None, text, format),
    ))
}

/// `GET /speeches/{slug}/sections/{id}.docx` (or `.md`, `.txt`): one section alone.
pub fn section(
    state: &AppState,
    lang: Lang,
    slug: &str,
    id: &str,
    format: DownloadFormat,
    text: TextChoice,
) -> Result<Response, AppError> {
    let speech = chosen_text(state, slug, text)?;
    let section = id
        .parse::<SectionId>()
        .ok()
        .and_then(|id| speech.section(&id))
        .ok_or_else(|| AppError::NotFound(format!("section {id} of {slug}")))?;
    let bytes = written(
        Document::of_section(&speech, section, lang),
        text,
        format,
        lang,
    );
    Ok(attachment(
        bytes,
        format.content_type(),
        &file_name(&speech.slug, Some(section), text, format),
    ))
}

/// The address permalinks start with: the LAN address when serving there, else the host the
/// request came to.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    state.share.lan_base.clone().unwrap_or_else(|| {
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    })
}

#[derive(Debug, Deserialize)]
pub struct QuoteParams {
    #[serde(default)]
    format: Option<QuoteFormat>,
    #[serde(default)]
    text: TextChoice,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum QuoteFormat {
    Text,
}

#[derive(Template)]
#[template(path = "quote.html")]
struct QuotePage {
    layout: Layout,
    trail: Vec<Link>,
    quotation: Quotation,
    copied: String,
}

/// `GET /speeches/{slug}/quote/{p17|s1-2}`: the quotation with its source, as a page to copy
/// from (no JavaScript needed), or as text with `?format=text`.
pub async fn quote(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    headers: HeaderMap,
    Path((slug, anchor)): Path<(String, String)>,
    Query(params): Query<QuoteParams>,
) -> Result<Response, AppError> {
    let speech = chosen_text(&state, &slug, params.text)?;
    let missing = || AppError::NotFound(format!("{anchor} of {slug}"));
    let target = QuoteTarget::parse(&anchor).ok_or_else(missing)?;
    let mut quotation =
        quotation(&speech, &target, lang, &base_url(&state, &headers)).ok_or_else(missing)?;
    if params.text == TextChoice::Restored {
        quotation.citation.push_str(lang.strings().list_separator);
        quotation.citation.push_str(lang.strings().restored_source);
    }
    if params.format == Some(QuoteFormat::Text) {
        let mut response = quotation.as_text().into_response();
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return Ok(response);
    }
    let t = lang.strings();
    Ok(render(QuotePage {
        layout: Layout::new(
            &state,
            lang,
            &format!("{} · {}", t.quote_title, speech.title),
            &uri,
        ),
        trail: speech_trail(t, &speech),
        copied: quotation.as_text(),
        quotation,
    })?
    .into_response())
}

fn csv_name(speech: &Speech, table: &str) -> String {
    format!("{}-{table}.csv", speech.slug)
}

/// One of a speech's statistics tables as a CSV attachment named after the speech and
/// `table`: its own figures or terms, which need no other speech (nor wait for them).
async fn speech_table(
    state: &Arc<AppState>,
    slug: &str,
    table: &str,
    write: impl Fn(&SpeechStats) -> Vec<u8>,
) -> Result<Response, AppError> {
    let (speech, stats, _) = find_speech_with_own_stats(state, slug).await?;
    Ok(attachment(write(&stats), CSV, &csv_name(speech, table)))
}

/// `GET /speeches/{slug}/figures.csv`.
pub async fn figures_csv(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    speech_table(&state, &slug, "figures", |stats| {
        tables::figures(stats, lang)
    })
    .await
}

/// `GET /speeches/{slug}/terms.csv`.
pub async fn terms_csv(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    speech_table(&state, &slug, "terms", |stats| tables::terms(stats, lang)).await
}

/// `GET /stats.csv`: the collection's table.
pub async fn stats_csv(
    State(state): State<Arc<AppState>>,
    lang: Lang,
) -> Result<Response, AppError> {
    let statistics = state.statistics()?;
    Ok(attachment(
        tables::collection(&state.corpus, statistics, lang),
        CSV,
        "rostrum-stats.csv",
    ))
}

/// `GET /export.zip`: every speech as Markdown, with the CSV tables; built off the async
/// workers.
pub async fn export_zip(
    State(state): State<Arc<AppState>>,
    lang: Lang,
) -> Result<Response, AppError> {
    state.statistics()?;
    let built = tokio::task::spawn_blocking(move || {
        let statistics = state.statistics()?;
        archive::write(&state.corpus, statistics, lang)
            .map_err(|error| AppError::internal("writing the archive", error))
    })
    .await
    .map_err(|error| AppError::internal("writing the archive", error))??;
    Ok(attachment(built, "application/zip", "rostrum.zip"))
}
