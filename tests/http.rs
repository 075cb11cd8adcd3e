//! Every route through the real router with `tower::ServiceExt::oneshot` (no sockets): status,
//! content type, content, links that resolve, escaping, headers, and odd requests.

mod common;
use common::respond;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use regex::Regex;
use rostrum::corpus;
use rostrum::web::AppState;
use rostrum::web::share::Share;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, LazyLock};

const SEED_SLUG: &str = "000-fd25136dcbaff602";

static HOSTILE: LazyLock<Arc<AppState>> =
    LazyLock::new(|| state("tests/fixtures/hostile", Share::default()));
static SEEDS: LazyLock<Arc<AppState>> = LazyLock::new(|| state("seeds", Share::default()));
static OUTLINE_TEXTS: LazyLock<Arc<AppState>> =
    LazyLock::new(|| state("tests/fixtures/outline/texts", Share::default()));
static ON_LAN: LazyLock<Arc<AppState>> = LazyLock::new(|| {
    state(
        "seeds",
        Share {
            lan_base: Some("http://192.168.1.20:8080".to_owned()),
            key: None,
        },
    )
});

fn state(folder: &str, share: Share) -> Arc<AppState> {
    let corpus = corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(folder))
        .expect("fixture folder loads");
    Arc::new(AppState::build(corpus, share).expect("the collection is analysed"))
}

struct Answer {
    status: StatusCode,
    headers: header::HeaderMap,
    body: String,
}

async fn send(state: &Arc<AppState>, request: Request<Body>) -> Answer {
    let (status, headers, bytes) = respond(state, request).await;
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(state: &Arc<AppState>, uri: &str) -> Answer {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn content_type(answer: &Answer) -> &str {
    answer
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The text a browser shows for escaped HTML: numeric and named entities decoded.
fn unescape(html: &str) -> String {
    let entity = Regex::new(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);").unwrap();
    entity
        .replace_all(html, |c: &regex::Captures| match &c[1] {
            "lt" => "<".to_owned(),
            "gt" => ">".to_owned(),
            "amp" => "&".to_owned(),
            "quot" => "\"".to_owned(),
            "apos" => "'".to_owned(),
            code => {
                let number = code.strip_prefix("#x").map_or_else(
                    || code[1..].parse().ok(),
                    |hex| u32::from_str_radix(hex, 16).ok(),
                );
                number
                    .and_then(char::from_u32)
                    .map(String::from)
                    .unwrap_or_default()
            }
        })
        .into_owned()
}

fn ids(html: &str) -> HashSet<String> {
    let id = Regex::new(r#"\sid="([^"]+)""#).unwrap();
    id.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

fn fragment_links(html: &str) -> Vec<String> {
    let href = Regex::new(r##"href="#([^"]*)""##).unwrap();
    href.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

fn assert_fragments_resolve(html: &str) {
    let ids = ids(html);
    for fragment in fragment_links(html) {
        assert!(
            ids.contains(&fragment),
            "href=\"#{fragment}\" points to no id on the page"
        );
    }
}

#[tokio::test]
async fn collection_lists_speeches_with_partial_badge_and_skipped_files() {
    let answer = get(&HOSTILE, "/").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(content_type(&answer), "text/html; charset=utf-8");
    let html = &answer.body;
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains("全市民政系统深化忠诚主题教育活动工作会议上讲话"));
    assert!(html.contains("部分预览"));
    assert!(html.contains("9/11"));
    assert!(html.contains("淘文阁"));
    let failed_at = html
        .find("以下讲话文件未能载入")
        .expect("failed files are listed");
    assert!(
        failed_at < html.find("speech-list").unwrap(),
        "failed files come before the speeches"
    );
    assert!(html.contains("<code>empty.txt</code> — 空文件"));
    assert!(html.contains("image.png"));
    let english = get(&HOSTILE, "/?lang=en").await;
    assert!(
        english
            .body
            .contains("<code>empty.txt</code> — The file is empty")
    );
    assert_fragments_resolve(html);
}

/// A search hit opens the reader with the search's terms marked, every one of them, and a way
/// to clear them; the reader has its own search box for this speech.
#[tokio::test]
async fn a_search_hit_opens_the_reader_with_its_terms_marked() {
    let results = get(&SEEDS, "/search?q=%E4%BD%8E%E4%BF%9D").await.body;
    let link = Regex::new(r#"<p class="hit-where"><a href="([^"]+)">"#).unwrap();
    let href = link.captures(&results).expect("a hit")[1].replace("&amp;", "&");
    assert!(href.contains("?q=%E4%BD%8E%E4%BF%9D#p"), "{href}");
    let html = get(&SEEDS, href.split('#').next().unwrap()).await.body;
    let text_occurrences: usize = html
        .split("<p id=\"p")
        .skip(1)
        .map(|para| {
            let text = Regex::new("<[^>]+>")
                .unwrap()
                .replace_all(para.split("</p>").next().unwrap(), "");
            text.matches("低保").count()
        })
        .sum();
    let marked = html.matches(r#"<mark class="hit">低保</mark>"#).count();
    assert!(marked > 3, "{marked}");
    assert_eq!(
        marked, text_occurrences,
        "every occurrence in the text is marked"
    );
    assert!(html.contains("已标出搜索词：“低保”"));
    assert!(html.contains(&format!(
        r#"<input type="hidden" name="speech" value="{SEED_SLUG}">"#
    )));
    let plain = get(&SEEDS, &format!("/speeches/{SEED_SLUG}")).await.body;
    assert!(!plain.contains(r#"class="hit""#) && !plain.contains("已标出搜索词"));
}

/// Titles sort by their pinyin, as a Chinese reader looks them up: 论 (lùn) before 全 (quán)
/// before 在 (zài), where code points put 论 last.
#[tokio::test]
async fn titles_sort_by_pinyin_on_both_collection_pages() {
    for uri in ["/?sort=title", "/stats?sort=title"] {
        let html = get(&SEEDS, uri).await.body;
        let at = |title: &str| html.find(title).unwrap_or_else(|| panic!("{uri}: {title}"));
        assert!(at("论十大关系") < at("全市民政系统"), "{uri}");
        assert!(at("全市民政系统") < at("在晋绥干部会议上的讲话"), "{uri}");
    }
}

/// The seed is a preview of 9 of 11 pages: the reader marks where its text stops.
#[tokio::test]
async fn a_partial_preview_is_marked_where_its_text_stops() {
    let html = get(&SEEDS, &format!("/speeches/{SEED_SLUG}")).await.body;
    let marker = html
        .find(r#"<p class="preview-ends" role="note">预览到此为止：原文共 11 页，这份文件只有前 9 页。</p>"#)
        .expect("the end of the preview is marked");
    let last_paragraph = html.rfind(r#"<p id="p"#).unwrap();
    assert!(last_paragraph < marker, "the marker follows the text");
}

#[tokio::test]
async fn collection_filters_and_sorts() {
    let filtered = get(&HOSTILE, "/?q=%E6%B0%91%E6%94%BF").await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(filtered.body.contains("民政系统"));
    assert!(
        !filtered.body.contains("加强领导"),
        "the filter keeps only matching speeches"
    );
    assert!(!filtered.body.contains("/speeches/xss\""));

    let by_length = get(&HOSTILE, "/?sort=length").await;
    let seed_at = by_length.body.find("/speeches/seed\"").unwrap();
    let xss_at = by_length.body.find("/speeches/xss\"").unwrap();
    assert!(seed_at < xss_at, "the longest speech comes first");

    let bad = get(&HOSTILE, "/?sort=sideways").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("返回讲话库"));
}

#[tokio::test]
async fn reader_shows_front_matter_headings_in_order_and_anchors_that_resolve() {
    let answer = get(&SEEDS, &format!("/speeches/{SEED_SLUG}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let html = &answer.body;
    let headings = [
        "关于前段全市民政工作状况",
        "兢兢业业保民生,保障了困难群体的基本生活",
        "勤勤恳恳保发展,开创了民政事业的良好局面",
        "扎扎实实保稳定,发挥了促进和谐的重要作用",
    ];
    let heading_tag =
        Regex::new(r#"<h[2-6] id="(s[0-9-]+)"[^>]*>(?s:.*?)<span class="title">([^<]*)</span>"#)
            .unwrap();
    let found: Vec<String> = heading_tag
        .captures_iter(html)
        .map(|c| c[2].to_owned())
        .collect();
    assert_eq!(found, headings);
    assert!(html.contains("在全市民政系统深化忠诚主题教化活动工作会议上的讲话"));
    assert!(html.contains("同志们："));
    assert!(html.contains("部分预览：原文共 11 页，这里只有 9 页。"));
    assert!(html.contains("文本在句子中间中断。"));
    for id in ["s1", "s1-1", "s1-2", "s1-3", "p1", "p14"] {
        assert!(ids(html).contains(id), "no id {id}");
    }
    assert_fragments_resolve(html);
    let outline = html
        .split("<nav class=\"outline\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    let outline_links = fragment_links(outline);
    assert_eq!(outline_links, vec!["top", "s1", "s1-1", "s1-2", "s1-3"]);
    assert!(outline.contains("aria-label=\"目录\""));
}

#[tokio::test]
async fn notes_link_both_ways_and_the_source_line_is_in_the_front_matter() {
    let reader = get(&OUTLINE_TEXTS, "/speeches/109-mao-jinsui-cadres-conference").await;
    assert_eq!(reader.status, StatusCode::OK);
    let html = &reader.body;
    assert_fragments_resolve(html);
    // The text marks its notes ⑴ ⑵ …, the notes are written 〔1〕 〔2〕 …: linked by number.
    assert!(
        html.contains(r##"<a class="note-ref" href="#n1" id="r1""##),
        "{html}"
    );
    assert!(html.contains(">⑴</a>"));
    let notes =
        Regex::new(r#"<li id="n([0-9]+)"><span class="note-mark">〔([0-9]+)〕</span>"#).unwrap();
    let numbers: Vec<(String, String)> = notes
        .captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    assert_eq!(numbers.len(), 5);
    assert!(numbers.iter().all(|(id, mark)| id == mark));
    assert!(html.contains(r##"<a class="note-back" href="#r1""##));
    assert!(
        html.contains(r##"<a href="#notes">注释</a>"##),
        "the outline lists the notes"
    );
    assert!(!html.contains("------------------"));

    let section = get(
        &OUTLINE_TEXTS,
        "/speeches/109-mao-jinsui-cadres-conference/sections/1",
    )
    .await;
    assert_fragments_resolve(&section.body);
    assert!(
        section
            .body
            .contains(r#"href="/speeches/109-mao-jinsui-cadres-conference#n"#),
        "a section alone links its marks to the notes on the reader"
    );

    let two_talks = get(
        &OUTLINE_TEXTS,
        "/speeches/107-mao-provincial-party-secretaries",
    )
    .await;
    assert!(
        two_talks
            .body
            .contains(r#"<p class="citation">（《毛泽东选集》第五卷，人民出版社1977年4月第1版，第330--362页）</p>"#)
    );
    let ten = get(
        &OUTLINE_TEXTS,
        "/api/speeches/107-mao-provincial-party-secretaries",
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&ten.body).unwrap();
    assert_eq!(json["notes"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["notes"][0]["mark"], "（1）");
    assert!(
        json["source"]["citation"]
            .as_str()
            .is_some_and(|c| c.starts_with("（《毛泽东选集》第五卷"))
    );
}

#[tokio::test]
async fn pieces_show_their_date_lines() {
    let reader = get(&OUTLINE_TEXTS, "/speeches/composed-two-pieces").await;
    assert_eq!(reader.status, StatusCode::OK);
    assert!(
        reader
            .body
            .contains(r#"<p class="dateline">（一九四八年四月一日）</p>"#)
    );
    assert_fragments_resolve(&reader.body);
}

#[tokio::test]
async fn section_page_has_breadcrumbs_neighbours_and_its_subsections() {
    let answer = get(&SEEDS, &format!("/speeches/{SEED_SLUG}/sections/1.2")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let html = &answer.body;
    assert!(html.contains("勤勤恳恳保发展"));
    assert!(!html.contains("兢兢业业保民生,保障了困难群体的基本生活</span>"));
    assert!(html.contains(&format!(
        r#"<a rel="prev" href="/speeches/{SEED_SLUG}/sections/1.1">"#
    )));
    assert!(html.contains(&format!(
        r#"<a rel="next" href="/speeches/{SEED_SLUG}/sections/1.3">"#
    )));
    assert!(html.contains(&format!(
        r#"<li><a href="/speeches/{SEED_SLUG}/sections/1">一 关于前段全市民政工作状况</a></li>"#
    )));
    assert!(html.contains("基础建设有新成效"));
    assert_fragments_resolve(html);

    let parent = get(&SEEDS, &format!("/speeches/{SEED_SLUG}/sections/1")).await;
    assert!(
        parent.body.contains("扎扎实实保稳定"),
        "a section page holds its subsections"
    );

    let missing = get(&SEEDS, &format!("/speeches/{SEED_SLUG}/sections/9.9")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_section_page_linked_from_the_reader_exists() {
    let reader = get(&SEEDS, &format!("/speeches/{SEED_SLUG}")).await;
    let section_link = Regex::new(r#"href="(/speeches/[^"]+/sections/[^"]+)""#).unwrap();
    let links: HashSet<String> = section_link
        .captures_iter(&reader.body)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(links.len(), 4);
    for link in links {
        assert_eq!(get(&SEEDS, &link).await.status, StatusCode::OK, "{link}");
    }
}

#[tokio::test]
async fn api_serves_the_export_model() {
    let list = get(&SEEDS, "/api/speeches").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(content_type(&list), "application/json");
    let speeches: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let exported = serde_json::to_value(rostrum::export::exported(
        &SEEDS.corpus,
        SEEDS.statistics().expect("statistics are counted"),
    ))
    .unwrap();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_rostrum"))
        .arg("export")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let printed: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(
        printed, exported,
        "the API serves what `rostrum export` prints"
    );
    assert_eq!(speeches, exported);
    let speech = &speeches[0];
    for field in [
        "slug", "title", "source", "keywords", "preamble", "sections", "warnings", "stats",
    ] {
        assert!(speech.get(field).is_some(), "no {field}");
    }
    assert_eq!(speech["source"]["declared_pages"], 11);
    assert_eq!(speech["sections"][0]["children"][1]["id"], "1.2");

    let one = get(&SEEDS, &format!("/api/speeches/{SEED_SLUG}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&one.body).unwrap(),
        exported[0]
    );
}

#[tokio::test]
async fn errors_are_pages_for_browsers_and_json_under_api() {
    let page = get(&SEEDS, "/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(content_type(&page), "text/html; charset=utf-8");
    assert!(
        page.body.contains("找不到这个页面") && page.body.contains(r#"<a href="/">返回讲话库</a>"#)
    );
    assert!(
        page.body.contains("class=\"site-header\""),
        "the error page has the site's layout"
    );

    let api = get(&SEEDS, "/api/speeches/nobody").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(content_type(&api), "application/json");
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["error"]["status"], 404);

    let api_unknown = get(&SEEDS, "/api/nothing").await;
    assert_eq!(api_unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(content_type(&api_unknown), "application/json");

    let english = get(&SEEDS, "/missing?lang=en").await;
    assert!(english.body.contains("There is no such page."));
}

#[tokio::test]
async fn only_get_and_head() {
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let request = Request::builder()
            .method(method.clone())
            .uri("/")
            .body(Body::empty())
            .unwrap();
        let answer = send(&SEEDS, request).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert!(answer.body.contains("讲坛只提供阅读"));
    }
    let head = send(
        &SEEDS,
        Request::head(format!("/speeches/{SEED_SLUG}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn file_text_is_escaped_everywhere() {
    let collection = get(&HOSTILE, "/").await;
    let reader = get(&HOSTILE, "/speeches/xss").await;
    let section = get(&HOSTILE, "/speeches/xss/sections/1").await;
    assert_eq!(reader.status, StatusCode::OK);
    for answer in [&collection, &reader, &section] {
        let html = &answer.body;
        assert!(
            !html.contains("<script>alert"),
            "a script from the file reached the page"
        );
        assert!(
            !html.contains("<img src=x"),
            "markup from the file reached the page"
        );
        assert!(!html.contains("<b>不是粗体</b>"));
    }
    let shown = unescape(&reader.body);
    assert!(
        shown.contains("开头一段<script>alert(2)</script>文字。"),
        "the text is shown, as text"
    );
    assert!(shown.contains(r#""><img src=x onerror=alert(3)>加强领导"#));
    assert!(shown.contains("要加强领导<b>不是粗体</b>，落实 & 推进。"));
    let scripts = Regex::new(r"<script[^>]*>").unwrap();
    for tag in scripts.find_iter(&reader.body) {
        assert!(
            tag.as_str().contains("src=\"/static/app."),
            "only the app's own script: {}",
            tag.as_str()
        );
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    for uri in [
        "/",
        &format!("/speeches/{SEED_SLUG}"),
        "/api/speeches",
        "/nope",
        "/static/nope.css",
    ] {
        let answer = get(&SEEDS, uri).await;
        let header = |name: &str| {
            answer
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let csp = header("content-security-policy");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
            "{uri}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(header("referrer-policy"), "same-origin", "{uri}");
    }
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style_that_the_policy_would_block() {
    let inline_handler = Regex::new(r#"\son[a-z]+=""#).unwrap();
    for uri in [
        "/",
        &format!("/speeches/{SEED_SLUG}"),
        &format!("/speeches/{SEED_SLUG}/sections/1.1"),
        "/nope",
    ] {
        let html = get(&SEEDS, uri).await.body;
        assert!(
            !html.contains(" style=\""),
            "{uri} has an inline style attribute"
        );
        assert!(!html.contains("<script>"), "{uri} has an inline script");
        assert!(
            !inline_handler.is_match(&html),
            "{uri} has an inline handler"
        );
    }
}

#[tokio::test]
async fn assets_are_fingerprinted_cached_revalidated_and_compressed() {
    let page = get(&SEEDS, "/").await.body;
    let css = Regex::new(r#"href="(/static/style\.[0-9a-f]{16}\.css)""#)
        .unwrap()
        .captures(&page)
        .unwrap()[1]
        .to_owned();
    let answer = get(&SEEDS, &css).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(content_type(&answer), "text/css; charset=utf-8");
    assert!(
        answer.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = answer.headers[header::ETAG].to_str().unwrap().to_owned();

    let revalidate = Request::get(&css)
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&SEEDS, revalidate).await.status,
        StatusCode::NOT_MODIFIED
    );

    for encoding in ["gzip", "br"] {
        let request = Request::get(format!("/speeches/{SEED_SLUG}"))
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let compressed = send(&SEEDS, request).await;
        assert_eq!(compressed.headers[header::CONTENT_ENCODING], encoding);
    }
    assert_eq!(
        get(&SEEDS, "/static/style.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn odd_paths_and_queries_get_4xx_never_5xx() {
    let long_path = format!("/speeches/{}", "a".repeat(10_000));
    let long_query = format!("/?q={}", "民".repeat(10_000));
    let odd = [
        "/speeches/..%2f..%2fetc%2fpasswd",
        "/static/..%2f..%2fCargo.toml",
        "/static/../../Cargo.toml",
        "/speeches/%ZZ",
        "/speeches/%FF%FE",
        "/speeches/a%00b",
        "/speeches/seed/sections/%2e%2e",
        "/speeches/seed/sections/1.1.1.1.1.1",
        "/?sort=%00",
        "/share/qr.svg?path=//evil.example",
        "/share/qr.svg",
        "/api/speeches/%2e%2e%2fsecret",
        long_path.as_str(),
        long_query.as_str(),
    ];
    for uri in odd {
        let answer = get(&HOSTILE, uri).await;
        assert!(
            answer.status.is_client_error(),
            "{uri} gave {}",
            answer.status
        );
        assert!(
            !answer.body.contains("root:x:0:0") && !answer.body.contains("[package]"),
            "{uri} leaked a file"
        );
    }
    // Not valid UTF-8, read leniently: answered, never a server error.
    for uri in ["/?q=%FF", "/?q=%E6%B0", "/?lang=%FF", "/?q=a&q=b"] {
        let answer = get(&HOSTILE, uri).await;
        assert!(
            !answer.status.is_server_error(),
            "{uri} gave {}",
            answer.status
        );
    }
}

#[tokio::test]
async fn english_on_request_and_remembered() {
    let answer = get(&SEEDS, "/?lang=en").await;
    assert!(answer.body.contains(r#"<html lang="en">"#));
    assert!(answer.body.contains("Collection"));
    let cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;"));

    let remembered = send(
        &SEEDS,
        Request::get("/")
            .header(header::COOKIE, "lang=en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(remembered.body.contains(r#"<html lang="en">"#));
    let browser = send(
        &SEEDS,
        Request::get("/")
            .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(browser.body.contains(r#"<html lang="en">"#));
    assert!(browser.body.contains(r#"href="/?lang=zh""#));
}

#[tokio::test]
async fn share_box_offers_the_lan_url_and_its_qr_code() {
    let page = get(&ON_LAN, &format!("/speeches/{SEED_SLUG}")).await.body;
    let url = format!("http://192.168.1.20:8080/speeches/{SEED_SLUG}");
    assert!(page.contains(&format!(r#"<a href="{url}">{url}</a>"#)));
    assert!(page.contains(r#"data-share-base="http://192.168.1.20:8080""#));
    let qr_src = format!("/share/qr.svg?path=%2Fspeeches%2F{SEED_SLUG}");
    assert!(page.contains(&qr_src));
    let qr = get(&ON_LAN, &qr_src).await;
    assert_eq!(qr.status, StatusCode::OK);
    assert_eq!(content_type(&qr), "image/svg+xml");
    assert!(qr.body.contains("<svg"));

    let local = get(&SEEDS, "/").await.body;
    assert!(
        local.contains("--lan"),
        "a loopback-only server says how to share"
    );
    assert_eq!(
        get(&SEEDS, "/share/qr.svg?path=/").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_are_rendered_once_and_served_in_the_accepted_encoding() {
    let state = state("seeds", Share::default());
    let uri = format!("/speeches/{SEED_SLUG}");
    let first = get(&state, &uri).await;
    let again = get(&state, &uri).await;
    assert_eq!(first.body, again.body);
    assert!(
        again.headers[header::VARY]
            .to_str()
            .unwrap()
            .contains("accept-encoding")
    );
    for encoding in ["gzip", "br"] {
        let request = Request::get(&uri)
            .header(header::ACCEPT_ENCODING, format!("{encoding};q=1"))
            .body(Body::empty())
            .unwrap();
        let (_, headers, compressed) = respond(&state, request).await;
        assert_eq!(headers[header::CONTENT_ENCODING], encoding);
        let mut decoded = Vec::new();
        match encoding {
            "gzip" => std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(&compressed[..]),
                &mut decoded,
            ),
            _ => std::io::Read::read_to_end(
                &mut brotli::Decompressor::new(&compressed[..], 4096),
                &mut decoded,
            ),
        }
        .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), first.body);
    }
    let refused = Request::get(&uri)
        .header(header::ACCEPT_ENCODING, "gzip;q=0, identity")
        .body(Body::empty())
        .unwrap();
    let plain = send(&state, refused).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.body, first.body);

    let english = get(&state, &format!("{uri}?lang=en")).await;
    assert!(
        english.body.contains(r#"<html lang="en">"#),
        "the language is part of the key"
    );
    assert!(
        get(&state, &uri)
            .await
            .body
            .contains(r#"<html lang="zh-CN">"#)
    );
    let head = send(&state, Request::head(&uri).body(Body::empty()).unwrap()).await;
    assert!(head.body.is_empty());
    assert_eq!(
        head.headers[header::CONTENT_LENGTH],
        first.body.len().to_string()
    );
}

#[tokio::test]
async fn the_filler_of_official_speech_shows_only_on_request() {
    let uri = "/speeches/000-fd25136dcbaff602/stats";
    let terms = |html: &str| -> Vec<String> {
        let cell = Regex::new(
            r#"<tr><td><a href="[^"]*">([^<]+)</a> <a class="trend-link" href="/trend\?term="#,
        )
        .unwrap();
        cell.captures_iter(html).map(|c| c[1].to_owned()).collect()
    };
    let plain = get(&SEEDS, uri).await;
    assert!(plain.body.contains("?filler=show#terms"));
    assert!(!terms(&plain.body).iter().any(|t| t == "进行"));
    let shown = get(&SEEDS, &format!("{uri}?filler=show")).await;
    assert!(
        terms(&shown.body).iter().any(|t| t == "进行"),
        "{:?}",
        terms(&shown.body)
    );
}

#[tokio::test]
async fn places_say_national_or_name_one_region_with_its_share() {
    let national = get(
        &OUTLINE_TEXTS,
        "/speeches/305-gov-work-report-1983-unnumbered-headings/stats",
    )
    .await;
    assert!(
        national.body.contains("不属于某一个地区"),
        "a national report has no region"
    );
    let local = get(&SEEDS, "/speeches/000-fd25136dcbaff602/stats").await;
    assert!(
        local
            .body
            .contains("<strong>湖南省岳阳市</strong> <small>（所提地名中 100% 在此）</small>")
    );
    let json: serde_json::Value = serde_json::from_str(
        &get(
            &OUTLINE_TEXTS,
            "/api/speeches/309-gov-work-report-1955-toc-nested/stats",
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(json["places"]["scope"], "national");
    assert!(json["places"]["region"].is_null());
    let names: Vec<&str> = json["places"]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"解放区") && !names.contains(&"海城市") && !names.contains(&"国外"),
        "{names:?}"
    );
}
