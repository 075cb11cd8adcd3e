//! Static assets compiled into the binary, served under fingerprinted names so that browsers
//! may cache them for a year; the server reads no file to serve them.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::AppState;
use super::error::AppError;

/// One compiled-in file.
pub struct Asset {
    /// The fingerprinted name it is served under, e.g. `style.3f9a0c1b2d4e5f60.css`.
    pub name: String,
    pub content_type: &'static str,
    pub body: &'static str,
    etag: String,
}

/// The app's stylesheet, script and icon.
pub struct Assets {
    pub style: Asset,
    pub script: Asset,
    pub icon: Asset,
}

impl Asset {
    fn new(stem: &str, extension: &str, content_type: &'static str, body: &'static str) -> Asset {
        // SipHash with fixed keys: the same bytes give the same name on every run of a build.
        let mut hasher = std::hash::DefaultHasher::new();
        body.hash(&mut hasher);
        let fingerprint = format!("{:016x}", hasher.finish());
        Asset {
            name: format!("{stem}.{fingerprint}.{extension}"),
            content_type,
            body,
            etag: format!("\"{fingerprint}\""),
        }
    }

    /// The URL path of the asset.
    pub fn href(&self) -> String {
        format!("/static/{}", self.name)
    }
}

impl Default for Assets {
    fn default() -> Self {
        Assets {
            style: Asset::new(
                "style",
                "css",
                "text/css; charset=utf-8",
                include_str!("../../static/style.css"),
            ),
            script: Asset::new(
                "app",
                "js",
                "text/javascript; charset=utf-8",
                include_str!("../../static/app.js"),
            ),
            icon: Asset::new(
                "icon",
                "svg",
                "image/svg+xml",
                include_str!("../../static/icon.svg"),
            ),
        }
    }
}

impl Assets {
    fn find(&self, name: &str) -> Option<&Asset> {
        [&self.style, &self.script, &self.icon]
            .into_iter()
            .find(|a| a.name == name)
    }
}

/// `GET /static/{name}`: an asset by its fingerprinted name, with ETag revalidation.
pub async fn serve_asset(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let asset = state
        .assets
        .find(&name)
        .ok_or_else(|| AppError::NotFound(format!("/static/{name}")))?;
    let cache = [
        (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (ETAG, asset.etag.as_str()),
    ];
    let revalidating = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == asset.etag));
    if revalidating {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, [(CONTENT_TYPE, asset.content_type)], asset.body).into_response())
}
