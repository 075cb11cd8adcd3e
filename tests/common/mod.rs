//! Helpers shared by the integration tests: a request through the real router, without sockets.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use rostrum::web::{AppState, app};
use std::sync::Arc;
use tower::ServiceExt;

/// GET `uri` from the app; its status and body as text.
pub async fn get(state: &Arc<AppState>, uri: &str) -> (StatusCode, String) {
    let request = Request::get(uri)
        .body(Body::empty())
        .expect("a valid request");
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}
