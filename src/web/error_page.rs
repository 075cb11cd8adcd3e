//! Errors as pages: one middleware that turns every 4xx/5xx response (handlers' `AppError`s,
//! extractors' rejections, the fallback, 405s, timeouts) into an HTML page in the site's
//! layout, or into JSON under `/api/`.

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::{ACCEPT_LANGUAGE, ALLOW, COOKIE, RETRY_AFTER};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

use super::AppState;
use super::error::{ErrorDetail, RETRY_AFTER_SECONDS};
use super::i18n::Lang;
use super::layout::Layout;
use crate::analysis::StillCounting;

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorJson,
}

#[derive(Serialize)]
struct ErrorJson {
    status: u16,
    message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    message: &'a str,
    detail: Option<String>,
    /// Set while the statistics are counted: the page shows the progress and reloads itself.
    counting: Option<StillCounting>,
    retry_after: &'static str,
}

/// Middleware: renders every error response that has no body of its own making.
pub async fn render_errors(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let uri = request.uri().clone();
    // What the language is negotiated from, kept (cheap clones) for the rare error.
    let language_headers: HeaderMap = [COOKIE, ACCEPT_LANGUAGE]
        .into_iter()
        .filter_map(|name| Some((name.clone(), request.headers().get(&name)?.clone())))
        .collect();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let lang = Lang::negotiate(uri.query(), &language_headers);
    let detail = response
        .extensions()
        .get::<ErrorDetail>()
        .map(|d| d.0.clone());
    let counting = response.extensions().get::<StillCounting>().copied();
    let t = lang.strings();
    let message = match status {
        StatusCode::NOT_FOUND => t.not_found,
        StatusCode::GONE => t.gone,
        StatusCode::METHOD_NOT_ALLOWED => t.method_not_allowed,
        StatusCode::UNAUTHORIZED => t.key_required,
        StatusCode::MISDIRECTED_REQUEST => t.wrong_host,
        _ if counting.is_some() => t.still_counting,
        s if s.is_server_error() => t.server_error,
        _ => t.bad_request,
    };
    let mut rendered = if is_api {
        let message = detail.map_or_else(|| message.to_owned(), |d| format!("{message} ({d})"));
        Json(ErrorBody {
            error: ErrorJson {
                status: status.as_u16(),
                message,
            },
        })
        .into_response()
    } else {
        let title = if counting.is_some() {
            t.counting_title
        } else {
            t.error_title
        };
        let page = ErrorPage {
            layout: match status {
                StatusCode::UNAUTHORIZED | StatusCode::MISDIRECTED_REQUEST => {
                    Layout::for_outsider(&state, lang, title, &uri)
                }
                _ => Layout::new(&state, lang, title, &uri),
            },
            status: status.as_u16(),
            message,
            detail,
            counting,
            retry_after: RETRY_AFTER_SECONDS,
        };
        match page.render() {
            Ok(html) => Html(html).into_response(),
            Err(error) => {
                tracing::error!("rendering the error page failed: {error}");
                message.into_response()
            }
        }
    };
    *rendered.status_mut() = status;
    for (name, value) in response.headers() {
        if name == ALLOW || name == RETRY_AFTER {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    rendered
}
