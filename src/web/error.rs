//! What can go wrong in a handler: one `AppError`, whose variants name their status. It answers
//! with the bare status and the detail the reader may see; `error_page` words it.

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::analysis::StillCounting;

/// What went wrong in a handler; the status of each variant is in its doc comment.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no speech, section or asset by that name.
    #[error("not found: {0}")]
    NotFound(String),
    /// 410: a speech whose file was deleted while serving; the detail is its title.
    #[error("gone: {0}")]
    Gone(String),
    /// 400: a parameter the request cannot have.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: the server asks for a key (`--token`) that the request does not carry.
    #[error("the access key is missing or wrong")]
    KeyRequired,
    /// 421: the request names a host this server is not (DNS rebinding, a stray proxy).
    #[error("not a host this server answers for")]
    WrongHost,
    /// 503: the statistics are still being counted (a large collection, just started).
    #[error("statistics still being counted: {0}")]
    StillCounting(StillCounting),
    /// 500: a bug or an I/O failure; logged with its cause, never shown in detail.
    #[error("{context} failed: {source}")]
    Internal {
        context: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Seconds after which a client should ask again for what is still being counted.
pub const RETRY_AFTER_SECONDS: &str = "2";

impl AppError {
    /// A failure of `context` (e.g. "rendering a page"), keeping its cause for the log.
    pub fn internal(
        context: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> AppError {
        AppError::Internal {
            context,
            source: Box::new(source),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::KeyRequired => StatusCode::UNAUTHORIZED,
            AppError::WrongHost => StatusCode::MISDIRECTED_REQUEST,
            AppError::StillCounting(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The detail of an error the user may see, carried from the handler to the middleware.
#[derive(Debug, Clone)]
pub struct ErrorDetail(pub String);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let detail = match &self {
            AppError::Internal { .. } => {
                tracing::error!("{self}");
                None
            }
            AppError::NotFound(what) | AppError::BadRequest(what) | AppError::Gone(what) => {
                Some(what.clone())
            }
            AppError::KeyRequired | AppError::WrongHost => None,
            AppError::StillCounting(progress) => Some(progress.to_string()),
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
