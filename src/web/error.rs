//! Errors as pages: one `AppError` for handlers, and one middleware that turns every 4xx/5xx
//! response (handlers', extractors' rejections, the fallback, 405s, timeouts) into an HTML page
//! in the site's layout, or into JSON under `/api/`.

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

use super::AppState;
use super::i18n::Lang;
use super::pages::Layout;
use crate::analysis::StillCounting;

/// What went wrong in a handler; the status of each variant is in its doc comment.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no speech, section or asset by that name.
    #[error("not found: {0}")]
    NotFound(String),
    /// 400: a parameter the request cannot have.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 503: the statistics are still being counted (a large collection, just started).
    #[error("statistics still being counted: {} of {}", .0.counted, .0.total)]
    StillCounting(StillCounting),
    /// 500: a bug or an I/O failure; logged, never shown in detail.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds after which a client should ask again for what is still being counted.
const RETRY_AFTER_SECONDS: &str = "2";

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::StillCounting(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The detail of an error the user may see, carried from the handler to the middleware.
#[derive(Debug, Clone)]
struct ErrorDetail(String);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let detail = match &self {
            AppError::Internal(message) => {
                tracing::error!("{message}");
                None
            }
            AppError::NotFound(what) | AppError::BadRequest(what) => Some(what.clone()),
            AppError::StillCounting(progress) => {
                Some(format!("{} / {}", progress.counted, progress.total))
            }
        };
        let mut response = self.status().into_response();
        if let Some(detail) = detail {
            response.extensions_mut().insert(ErrorDetail(detail));
        }
        if let AppError::StillCounting(progress) = self {
            response.extensions_mut().insert(progress);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
        response
    }
}

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
    let (parts, body) = request.into_parts();
    let lang = Lang::of_request(&parts);
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let detail = response
        .extensions()
        .get::<ErrorDetail>()
        .map(|d| d.0.clone());
    let counting = response.extensions().get::<StillCounting>().copied();
    let t = lang.strings();
    let message = match status {
        StatusCode::NOT_FOUND => t.not_found,
        StatusCode::METHOD_NOT_ALLOWED => t.method_not_allowed,
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
            layout: Layout::new(&state, lang, title, &uri),
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
