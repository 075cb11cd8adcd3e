//! Helpers shared by the integration tests: a request through the real router, without sockets.
//! Shared by several test crates, each of which uses part of it.
#![allow(dead_code)]

use axum::body::Body;
use axum::body::Bytes;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use rostrum::web::{AppState, app};
use std::sync::Arc;
use tower::ServiceExt;

/// Sends `request` through the app; its status, headers and body.
pub async fn respond(
    state: &Arc<AppState>,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Bytes) {
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, headers, body)
}

/// GET `uri` from the app; its status and body as text.
pub async fn get(state: &Arc<AppState>, uri: &str) -> (StatusCode, String) {
    let request = Request::get(uri)
        .body(Body::empty())
        .expect("a valid request");
    let (status, _, body) = respond(state, request).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}
