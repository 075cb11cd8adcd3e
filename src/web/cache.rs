//! Rendered pages, kept: a state's corpus never changes (a change to the collection makes a
//! new state with an empty cache), so once the statistics are counted a page depends only on
//! its path and the reader's language (before, a page may lack what they add,
//! such as the collection's washed-wording badges, so none is kept). The first request renders and compresses it (gzip and brotli); every
//! later one is served from memory, in the encoding the browser accepts. Downloads
//! (attachments) are made each time.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex, RwLock};

use super::AppState;
use super::i18n::Lang;

/// Bytes of cached pages (all encodings) kept at most; past this, pages are rendered each time.
const MAX_CACHE_BYTES: usize = 96 * 1024 * 1024;
/// Bodies larger than this are not kept.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// One page in every encoding.
struct CachedPage {
    content_type: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl CachedPage {
    fn size(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.len()
    }
}

type PageKey = (String, Lang);

/// The cache of rendered pages, keyed by path and language.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<PageKey, Arc<CachedPage>>>,
    bytes: RwLock<usize>,
    /// Pages being rendered to be kept: one request renders and compresses a page, and the
    /// others that want it meanwhile are answered without keeping it (many connections asking
    /// for a page of a new state at once would otherwise each compress it at the best level).
    rendering: Mutex<HashSet<PageKey>>,
}

/// A page being rendered to be kept, until dropped.
struct Rendering<'a> {
    cache: &'a PageCache,
    key: PageKey,
}

impl<'a> Rendering<'a> {
    /// Claims `key`, unless another request is rendering it.
    fn claim(cache: &'a PageCache, key: &PageKey) -> Option<Rendering<'a>> {
        let mut rendering = cache.rendering.lock().ok()?;
        rendering.insert(key.clone()).then(|| Rendering {
            cache,
            key: key.clone(),
        })
    }
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        if let Ok(mut rendering) = self.cache.rendering.lock() {
            rendering.remove(&self.key);
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// The best encoding the request accepts (a `q=0` refusal is honoured).
fn accepted_encoding(request: &Request) -> Encoding {
    let accepted: Vec<&str> = request
        .headers()
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|item| {
            let mut parts = item.split(';').map(str::trim);
            let _name = parts.next();
            !parts.any(|p| matches!(p, "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
        })
        .map(|item| item.split(';').next().unwrap_or_default().trim())
        .collect();
    if accepted.contains(&"br") {
        Encoding::Brotli
    } else if accepted.contains(&"gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// A request whose answer depends only on its path and language: GET or HEAD, with no query
/// other than `lang=`.
fn cache_key(request: &Request) -> Option<(String, Lang)> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return None;
    }
    let only_language = request
        .uri()
        .query()
        .is_none_or(|q| q.split('&').all(|pair| pair.starts_with("lang=")));
    if !only_language || request.uri().path().starts_with("/static/") {
        return None;
    }
    let lang = Lang::negotiate(request.uri().query(), request.headers());
    Some((request.uri().path().to_owned(), lang))
}

fn compress_gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Brotli's quality for kept pages. At 9, compressing a reader's page (28 kB) took 14–22 ms
/// and 21 MB more memory, for every page's first view; at 5 it takes about 2 ms, and the page
/// is 2% larger (a statistics page 7%). (Windows of 16 bits or less take another, slower
/// path at this quality.)
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW_BITS: u32 = 22;

fn compress_brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut output = Vec::new();
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut output, 4096, BROTLI_QUALITY, BROTLI_WINDOW_BITS);
        writer.write_all(bytes)?;
    }
    Ok(output)
}

/// The page with its gzip and brotli forms; `None` if compressing failed.
fn compressed(content_type: HeaderValue, identity: Bytes) -> Option<CachedPage> {
    Some(CachedPage {
        content_type,
        gzip: compress_gzip(&identity).ok()?.into(),
        brotli: compress_brotli(&identity).ok()?.into(),
        identity,
    })
}

/// The page in `encoding`; a HEAD request gets the headers alone.
fn respond(page: &CachedPage, encoding: Encoding, head: bool) -> Response {
    let (body, content_encoding) = match encoding {
        Encoding::Identity => (page.identity.clone(), None),
        Encoding::Gzip => (page.gzip.clone(), Some("gzip")),
        Encoding::Brotli => (page.brotli.clone(), Some("br")),
    };
    let length = body.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, page.content_type.clone());
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        VARY,
        HeaderValue::from_static("accept-encoding, accept-language, cookie"),
    );
    if let Some(name) = content_encoding {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    response
}

/// Middleware: answers from the cache, or renders, keeps and answers.
pub async fn serve_cached(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = cache_key(&request).filter(|_| state.statistics().is_ok()) else {
        return next.run(request).await;
    };
    let encoding = accepted_encoding(&request);
    let head = request.method() == Method::HEAD;
    let cache = &state.pages;
    if let Some(page) = cache
        .pages
        .read()
        .ok()
        .and_then(|pages| pages.get(&key).cloned())
    {
        return respond(&page, encoding, head);
    }
    let Some(_rendering) = Rendering::claim(cache, &key) else {
        return next.run(request).await;
    };
    // Rendered plain, to be compressed here once (the compression below would do it on every
    // miss, and the cache could not keep its answer).
    let mut request = request;
    request.headers_mut().remove(ACCEPT_ENCODING);
    let response = next.run(request).await;
    let attachment = response.headers().contains_key(CONTENT_DISPOSITION);
    // An event stream never ends: it cannot be kept.
    let stream = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
    if response.status() != StatusCode::OK
        || response.headers().contains_key(CONTENT_ENCODING)
        || attachment
        || stream
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(collected) = body.collect().await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read",
        )
            .into_response();
    };
    let identity = collected.to_bytes();
    let content_type = parts.headers.get(CONTENT_TYPE).cloned();
    let fits = identity.len() <= MAX_PAGE_BYTES
        && cache
            .bytes
            .read()
            .map(|b| *b + identity.len() * 2 <= MAX_CACHE_BYTES)
            .unwrap_or(false);
    let page = match (content_type, fits) {
        // Best-level compression takes milliseconds of CPU: off the async workers, so that
        // it never stalls the requests they are serving.
        (Some(content_type), true) => {
            let identity = identity.clone();
            tokio::task::spawn_blocking(move || compressed(content_type, identity))
                .await
                .ok()
                .flatten()
        }
        _ => None,
    };
    match page {
        Some(page) => {
            let page = Arc::new(page);
            if let (Ok(mut pages), Ok(mut bytes)) = (cache.pages.write(), cache.bytes.write())
                && pages.insert(key, page.clone()).is_none()
            {
                *bytes += page.size();
            }
            respond(&page, encoding, head)
        }
        None => Response::from_parts(parts, Body::from(identity)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_at_a_time_renders_a_page_to_keep() {
        let cache = PageCache::default();
        let key = ("/".to_owned(), Lang::Zh);
        let first = Rendering::claim(&cache, &key).expect("the first claims it");
        assert!(
            Rendering::claim(&cache, &key).is_none(),
            "the second does not"
        );
        let other = ("/stats".to_owned(), Lang::Zh);
        assert!(
            Rendering::claim(&cache, &other).is_some(),
            "another page can"
        );
        drop(first);
        assert!(
            Rendering::claim(&cache, &key).is_some(),
            "free once rendered"
        );
    }

    #[test]
    fn pages_of_any_size_come_back_whole_from_brotli() {
        let line = "第一，坚持稳中求进工作总基调。<p id=\"p1\">二〇二四年</p>\n";
        for page in [String::new(), line.to_owned(), line.repeat(100_000)] {
            let compressed = compress_brotli(page.as_bytes()).expect("compressed");
            let mut restored = Vec::new();
            std::io::copy(
                &mut brotli::Decompressor::new(&compressed[..], 4096),
                &mut restored,
            )
            .expect("decompressed");
            assert_eq!(restored, page.as_bytes());
        }
    }
}
