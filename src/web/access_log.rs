//! The access log: one compact line per request at `info` (client address, method, path,
//! status, bytes, duration), without the query, which may carry a search or the access key.
//! The subscriber writes it through a non-blocking writer (`main.rs`), so a slow terminal
//! never slows serving.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::Response;

/// Middleware: logs each request once it is answered.
pub async fn log_request(request: Request, next: Next) -> Response {
    if !tracing::enabled!(target: "rostrum::access", tracing::Level::INFO) {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "-".to_owned(), |info| info.0.ip().to_string());
    let response = next.run(request).await;
    let bytes = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    tracing::info!(
        target: "rostrum::access",
        "{client} {method} {path} {} {bytes} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
