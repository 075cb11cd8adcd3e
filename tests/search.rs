//! Search over the seed, the samples and two small speeches: exact Chinese matching (every
//! paragraph that contains a term, and no other), phrases, words the segmenter splits, single
//! characters, digits and Latin, filters, paging, escaping, and bad queries.

mod common;

use axum::http::StatusCode;
use regex::Regex;
use rostrum::analysis::search::{SearchIndexBuilder, SearchRequest};
use rostrum::analysis::segment::Segmenter;
use rostrum::corpus::{self, Corpus};
use rostrum::ingest::parse;
use rostrum::web::AppState;
use rostrum::web::share::Share;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, LazyLock};

const SEED: &str = "000-fd25136dcbaff602";

static STATE: LazyLock<Arc<AppState>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut speeches = corpus::load(&root.join("seeds")).unwrap().speeches;
    speeches.extend(
        corpus::load(&root.join("tests/fixtures/samples"))
            .unwrap()
            .speeches,
    );
    let extra = [
        (
            "ppt.txt",
            "培训讲话\n同志们：\n请把PPT发给大家，共印2009份。\n",
        ),
        (
            "html.txt",
            "讲话\n同志们：\n不要<script>alert(1)</script>低保。\n",
        ),
        (
            "edges.txt",
            "边界讲话\n同志们：\n农村低保户要逐户核实。\n城市低 保标准再提高。\n收费降低，保障水平不降。\n今年拨付1.5亿元。\n",
        ),
    ];
    for (file, text) in extra {
        speeches.push(Arc::new(parse(file, text.as_bytes()).unwrap()));
    }
    let speeches = speeches.into_iter().map(Arc::unwrap_or_clone).collect();
    let corpus = Corpus::from_speeches(speeches, Vec::new());
    Arc::new(AppState::build(corpus, Share::default()).unwrap())
});

async fn get(uri: &str) -> (StatusCode, String) {
    common::get(&STATE, uri).await
}

fn encode(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

/// Every hit of a query through `/api/search`, all pages: (slug, anchor).
async fn all_hits(query: &str, filters: &str) -> BTreeSet<(String, String)> {
    all_hits_in(&STATE, query, filters).await
}

/// The same on any app state.
async fn all_hits_in(
    state: &Arc<AppState>,
    query: &str,
    filters: &str,
) -> BTreeSet<(String, String)> {
    let mut hits = BTreeSet::new();
    let mut page = 1;
    loop {
        let (status, body) = common::get(
            state,
            &format!("/api/search?q={}{filters}&page={page}", encode(query)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        for group in json["groups"].as_array().unwrap() {
            for hit in group["hits"].as_array().unwrap() {
                hits.insert((
                    group["slug"].as_str().unwrap().to_owned(),
                    hit["anchor"].as_str().unwrap().to_owned(),
                ));
            }
        }
        if page >= json["pages"].as_u64().unwrap() as usize {
            assert_eq!(json["total_hits"].as_u64().unwrap() as usize, hits.len());
            return hits;
        }
        page += 1;
    }
}

/// Every paragraph and heading whose text contains `needle` (after `normalise`), as (slug, anchor).
fn containing(needle: &str, normalise: impl Fn(&str) -> String) -> BTreeSet<(String, String)> {
    let mut expected = BTreeSet::new();
    for speech in &STATE.corpus.speeches {
        for (_, paragraph) in speech.paragraphs() {
            if normalise(&paragraph.text).contains(needle) {
                expected.insert((speech.slug.clone(), format!("p{}", paragraph.id)));
            }
        }
        for section in speech.sections_flat() {
            if normalise(&section.label()).contains(needle) {
                expected.insert((
                    speech.slug.clone(),
                    format!("s{}", section.id.to_string().replace('.', "-")),
                ));
            }
        }
    }
    expected
}

fn as_is(text: &str) -> String {
    text.to_owned()
}

/// Search reads through whitespace (`11134 万元`, `低 保` wrapped in a scrape).
fn without_whitespace(text: &str) -> String {
    text.split_whitespace().collect()
}

#[tokio::test]
async fn a_term_finds_every_paragraph_that_contains_it_and_no_other() {
    let hits = all_hits("低保", "").await;
    let expected = containing("低保", without_whitespace);
    assert!(expected.len() >= 6, "the seed speaks of 低保 often");
    assert_eq!(hits, expected);
}

/// The number of speeches that use a dictionary word comes from the index's speech-level
/// field, whose words are those found in the speech's paragraphs and headings as they were
/// indexed: it must be the number of speeches with a paragraph or heading containing it.
#[tokio::test]
async fn the_speeches_counted_for_a_word_are_those_that_contain_it() {
    for word in ["低保", "民政", "发展", "工作", "敬老院"] {
        let (_, body) = get(&format!("/api/search?q={}", encode(word))).await;
        let results: Value = serde_json::from_str(&body).unwrap();
        let speeches: BTreeSet<String> = containing(word, without_whitespace)
            .into_iter()
            .map(|(slug, _)| slug)
            .collect();
        assert!(!speeches.is_empty(), "{word} is in the collection");
        assert_eq!(
            results["total_speeches"].as_u64(),
            Some(speeches.len() as u64),
            "{word}"
        );
    }
}

/// The anchors of the paragraphs of `file` whose text contains one of `fragments`.
fn paragraphs_of(file: &str, fragments: &[&str]) -> BTreeSet<(String, String)> {
    let speech = STATE
        .corpus
        .speeches
        .iter()
        .find(|s| s.source.file == file)
        .unwrap();
    speech
        .paragraphs()
        .filter(|(_, p)| fragments.iter().any(|f| p.text.contains(f)))
        .map(|(_, p)| (speech.slug.clone(), format!("p{}", p.id)))
        .collect()
}

#[tokio::test]
async fn a_word_is_found_inside_longer_words_and_across_spaces_never_across_punctuation() {
    let slug = paragraphs_of("edges.txt", &["低保户"])
        .pop_first()
        .unwrap()
        .0;
    let in_edges = |query: &'static str| {
        let filter = format!("&speech={}", encode(&slug));
        async move { all_hits(query, &filter).await }
    };
    // 低保 is a dictionary word; 低保标 is not, so it is matched character by character.
    let expected = paragraphs_of("edges.txt", &["低保户", "低 保标"]);
    assert_eq!(expected.len(), 2);
    assert_eq!(in_edges("低保").await, expected);
    assert_eq!(
        in_edges("低保标").await,
        paragraphs_of("edges.txt", &["低 保标"])
    );
    assert!(
        in_edges("低保障").await.is_empty(),
        "降低，保障 is not 低保障"
    );
    assert_eq!(
        in_edges("1.5亿元").await,
        paragraphs_of("edges.txt", &["1.5亿元"])
    );
    assert!(in_edges("15亿元").await.is_empty());
}

#[tokio::test]
async fn every_hit_links_to_an_anchor_on_its_reader_page() {
    let hits = all_hits("低保", "").await;
    for slug in hits.iter().map(|(slug, _)| slug).collect::<BTreeSet<_>>() {
        let (_, page) = get(&format!("/speeches/{}", encode(slug))).await;
        for (_, anchor) in hits.iter().filter(|(s, _)| s == slug) {
            assert!(
                page.contains(&format!(" id=\"{anchor}\"")),
                "{slug}#{anchor} is not on the page"
            );
        }
    }
    let (_, html) = get("/search?q=%E4%BD%8E%E4%BF%9D").await;
    assert!(
        html.contains(&format!("href=\"/speeches/{SEED}?q=%E4%BD%8E%E4%BF%9D#p")),
        "results link straight to paragraphs, carrying the search to mark"
    );
}

#[tokio::test]
async fn phrases_split_words_single_characters_digits_and_latin() {
    assert_eq!(
        all_hits("\"三院合一\"", "").await,
        containing("三院合一", as_is)
    );
    assert_eq!(
        all_hits("“城市低保资金”", "").await,
        containing("城市低保资金", as_is)
    );
    assert_eq!(all_hits("敬老院", "").await, containing("敬老院", as_is));
    let party = all_hits("党", "").await;
    assert!(party.len() > 20);
    assert_eq!(party, containing("党", as_is));
    assert_eq!(all_hits("2009", "").await, containing("2009", as_is));
    assert_eq!(
        all_hits("80%", "").await,
        containing("80%", without_whitespace)
    );
    assert_eq!(
        all_hits("11134万元", "").await,
        containing("11134万元", without_whitespace)
    );
    let ppt = all_hits("PPT", "").await;
    assert_eq!(ppt, BTreeSet::from([("ppt".to_owned(), "p1".to_owned())]));
    assert_eq!(all_hits("ppt", "").await, ppt, "Latin matches in any case");
}

#[tokio::test]
async fn several_terms_must_all_be_in_the_paragraph() {
    let both = all_hits("低保 君山区", "").await;
    let expected: BTreeSet<_> = containing("低保", as_is)
        .intersection(&containing("君山区", as_is))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(both, expected);
}

#[tokio::test]
async fn filters_narrow_to_one_speech_or_one_section() {
    let in_seed = all_hits("低保", &format!("&speech={SEED}")).await;
    assert!(in_seed.iter().all(|(slug, _)| slug == SEED));
    assert_eq!(
        in_seed,
        containing("低保", as_is)
            .into_iter()
            .filter(|(s, _)| s == SEED)
            .collect()
    );

    let seed = STATE.corpus.speech(SEED).unwrap();
    let section = seed.section(&"1.1".parse().unwrap()).unwrap();
    let in_section = all_hits("低保", &format!("&speech={SEED}&section=1.1")).await;
    let expected: BTreeSet<_> = section
        .paragraphs
        .iter()
        .filter(|p| p.text.contains("低保"))
        .map(|p| (SEED.to_owned(), format!("p{}", p.id)))
        .collect();
    assert_eq!(in_section, expected);
    let in_parent = all_hits("低保", &format!("&speech={SEED}&section=1")).await;
    assert!(
        in_parent.is_superset(&in_section) && in_parent.len() > in_section.len(),
        "a section includes its subsections"
    );
}

#[tokio::test]
async fn results_are_grouped_by_speech_paged_and_highlighted() {
    let (status, body) = get(&format!("/api/search?q={}", encode("党"))).await;
    assert_eq!(status, StatusCode::OK);
    let first: Value = serde_json::from_str(&body).unwrap();
    assert!(first["pages"].as_u64().unwrap() > 1);
    let slugs: Vec<&str> = first["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    let distinct: BTreeSet<&&str> = slugs.iter().collect();
    assert_eq!(
        distinct.len(),
        slugs.len(),
        "one group per speech on a page"
    );
    let hit = &first["groups"][0]["hits"][0];
    let marked: Vec<&str> = hit["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["matched"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(!marked.is_empty() && marked.iter().all(|m| *m == "党"));

    let (_, page_two) = get(&format!("/api/search?q={}&page=2", encode("党"))).await;
    assert_ne!(page_two, body);
    let (_, html) = get(&format!("/search?q={}", encode("党"))).await;
    assert!(html.contains("<mark>党</mark>"));
    assert!(html.contains("rel=\"next\" href=\"/search?q=%E5%85%9A&#38;page=2\""));
    assert!(html.contains(
        r#"<span aria-current="page">1</span><a href="/search?q=%E5%85%9A&#38;page=2">2</a>"#
    ));

    // Each speech's match count is its share of the total: over all pages, once per speech.
    assert_eq!(first["truncated"], false);
    let mut per_speech: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for page in 1..=first["pages"].as_u64().unwrap() {
        let (_, body) = get(&format!("/api/search?q={}&page={page}", encode("党"))).await;
        let results: Value = serde_json::from_str(&body).unwrap();
        for group in results["groups"].as_array().unwrap() {
            let entry = per_speech
                .entry(group["slug"].as_str().unwrap().to_owned())
                .or_default();
            entry.0 = group["matches"].as_u64().unwrap();
            entry.1 += group["hits"].as_array().unwrap().len() as u64;
        }
    }
    for (slug, (matches, shown)) in &per_speech {
        assert_eq!(
            matches, shown,
            "{slug}: its count is the hits listed for it"
        );
    }
    let counted: u64 = per_speech.values().map(|(matches, _)| matches).sum();
    assert_eq!(counted, first["total_hits"].as_u64().unwrap());
    assert!(html.contains("处</small>"));
}

#[tokio::test]
async fn snippets_are_escaped_with_only_the_highlight_added() {
    let (status, html) = get(&format!("/search?q={}", encode("alert"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert"));
    assert!(
        html.contains("&#60;script&#62;<mark>alert</mark>(1)&#60;/script&#62;"),
        "{html}"
    );
    let tags = Regex::new(r"<(/?)([a-z0-9]+)").unwrap();
    let snippet = html
        .split("class=\"snippet\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    let names: BTreeSet<String> = tags
        .captures_iter(snippet)
        .map(|c| c[2].to_owned())
        .collect();
    assert_eq!(names, BTreeSet::from(["mark".to_owned()]));
}

#[tokio::test]
async fn bad_queries_never_fail() {
    let (status, empty) = get("/search?q=").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        empty.contains("用引号括起来的内容按原样连续匹配"),
        "an empty query gets help"
    );
    let (status, _) = get("/search").await;
    assert_eq!(status, StatusCode::OK);

    // 10,000 characters; a URI over 64 KB is refused by hyper itself with 414.
    let long = "低保2009 "
        .repeat(10_000 / 7 + 1)
        .chars()
        .take(10_000)
        .collect::<String>();
    let (status, page) = get(&format!("/search?q={}", encode(&long))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("查询太长，只使用了前 200 个字。"));
    let (status, json) = get(&format!("/api/search?q={}", encode(&long))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&json).unwrap()["query"]["trimmed"],
        true
    );

    assert_eq!(
        all_hits("\"低保", "").await,
        containing("低保", without_whitespace),
        "an unbalanced quote is plain text"
    );
    for odd in [
        "AND(",
        "*:",
        "\"",
        "低保 OR",
        "((",
        "-",
        "title:低保",
        "\\",
        "~2",
        "^",
    ] {
        for route in ["/search", "/api/search"] {
            let (status, _) = get(&format!("{route}?q={}", encode(odd))).await;
            assert_eq!(status, StatusCode::OK, "{route} {odd}");
        }
    }
    for bad in [
        "/search?q=a&page=x",
        "/search?q=a&section=1",
        "/api/search?q=a&speech=nobody",
        "/search?q=a&speech=nobody",
        "/api/search?q=a&page=-1",
    ] {
        let (status, _) = get(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (status, _) = get("/search?q=%E4%BD%8E&page=999").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a page past the end is empty, not an error"
    );
}

#[tokio::test]
async fn every_page_has_the_search_box() {
    for uri in [
        "/",
        &format!("/speeches/{SEED}"),
        &format!("/speeches/{SEED}/sections/1"),
        "/search",
        "/missing",
    ] {
        let (_, html) = get(uri).await;
        assert!(
            html.contains(
                "<form class=\"header-search\" method=\"get\" action=\"/search\" role=\"search\" aria-label=\"搜索全部讲话\">"
            ),
            "{uri}"
        );
    }
}

/// The index as built, a segment for each batch of speeches and indexing thread,
/// answers every page exactly as it does once its segments are merged into one.
#[test]
fn merging_the_index_into_one_segment_changes_no_answer() {
    let corpus = &STATE.corpus;
    let (segmenter, _) = Segmenter::new(None);
    let mut builder = SearchIndexBuilder::new(&segmenter, None).unwrap();
    let (first, rest) = corpus.speeches.split_at(corpus.speeches.len() / 2);
    builder.add_all(first).unwrap();
    builder.add_all(rest).unwrap();
    let built = builder.finish(corpus).unwrap();
    assert!(built.segment_count() >= 2, "each batch is a segment");
    let merged = built.merged(corpus).unwrap().expect("segments to merge");
    assert_eq!(merged.segment_count(), 1);
    for query in ["低保", "党", "人民", "发展", "\"三院合一\"", "1.5亿", "PPT"] {
        for page in 1..=3 {
            let request = SearchRequest {
                query: query.to_owned(),
                page,
                ..SearchRequest::default()
            };
            let answer = |index: &rostrum::analysis::search::SearchIndex| {
                serde_json::to_value(index.search(corpus, &request).unwrap()).unwrap()
            };
            let before = answer(&built);
            assert!(before["total_hits"].as_u64().unwrap() > 0, "{query}");
            assert_eq!(answer(&merged), before, "{query}, page {page}");
        }
    }
}

/// A collection folder of the seed, the sample fixtures and three small speeches of our own,
/// which a test may change: thirteen speeches.
fn collection_with_own_files() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for from in [root.join("seeds"), root.join("tests/fixtures/samples")] {
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            if corpus::is_speech_file(&path.to_string_lossy()) {
                std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    for (file, text) in [
        ("own-1.txt", "自己的讲话\n同志们：\n今年要把敬老院建好。\n"),
        ("own-2.txt", "第二篇讲话\n同志们：\n低保要应保尽保。\n"),
        ("own-3.txt", "第三篇讲话\n同志们：\n党的建设要加强。\n"),
    ] {
        std::fs::write(folder.path().join(file), text).unwrap();
    }
    folder
}

/// A start of the server on `collection` with the cache in `cache_root`: serving, statistics
/// counted, and whether its index is the one stored in the cache.
fn start_with_cache(collection: &Path, cache_root: &Path) -> (bool, Arc<AppState>) {
    let corpus = corpus::load(collection).unwrap();
    let cache = rostrum::cache::CollectionCache::new(cache_root, collection).unwrap();
    let state = AppState::ready_to_serve(corpus, Share::default(), Some(cache));
    state.count_statistics();
    (is_stored(&state), Arc::new(state))
}

/// Whether the index `state` searches is the one stored in the cache.
fn is_stored(state: &AppState) -> bool {
    state
        .analysis
        .search_index()
        .is_some_and(|index| index.is_stored())
}

/// Checks that `state` finds for every query what an index built afresh, without a cache,
/// finds in the collection as it is now.
async fn assert_finds_what_a_fresh_index_finds(
    state: &Arc<AppState>,
    collection: &Path,
    when: &str,
) {
    let fresh =
        Arc::new(AppState::build(corpus::load(collection).unwrap(), Share::default()).unwrap());
    for query in ["低保", "党", "11134万元", "敬老院", "\"三院合一\"", "人民"] {
        let expected = all_hits_in(&fresh, query, "").await;
        assert!(!expected.is_empty(), "{when}: {query}");
        assert_eq!(
            all_hits_in(state, query, "").await,
            expected,
            "{when}: {query}"
        );
    }
}

#[tokio::test]
async fn a_restart_applies_what_changed_since_to_the_stored_index() {
    let collection = collection_with_own_files();
    let folder = collection.path();
    let cache_root = tempfile::tempdir().unwrap();
    let start = || start_with_cache(folder, cache_root.path());

    let (stored, first) = start();
    assert!(!stored, "nothing is stored before the first start");
    assert_eq!(first.corpus.speeches.len(), 13);
    first.build_index().unwrap();
    first.store_index();
    assert!(
        is_stored(&first),
        "the index is built in the cache and searched there once stored"
    );
    let entry = std::fs::read_dir(cache_root.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap()
        .join("index");
    let (stored, second) = start();
    assert!(stored, "the second start opens the index of the first");
    assert_finds_what_a_fresh_index_finds(&second, folder, "unchanged").await;

    // One speech in thirteen changed: applied to the stored index, not built again.
    std::fs::write(
        folder.join("own-1.txt"),
        "自己的讲话\n同志们：\n今年要把敬老院建好，低保按时发放。\n",
    )
    .unwrap();
    let (stored, edited) = start();
    assert!(stored, "one change is applied to the stored index");
    assert_finds_what_a_fresh_index_finds(&edited, folder, "one file edited").await;
    assert!(
        all_hits_in(&edited, "低保", "").await.len() > all_hits_in(&first, "低保", "").await.len()
    );
    let (stored, again) = start();
    assert!(stored, "the updated index was stored with what it holds");
    assert_finds_what_a_fresh_index_finds(&again, folder, "after the update").await;

    // An edit while serving changes the stored index in place, and what it says it holds.
    std::fs::remove_file(folder.join("own-2.txt")).unwrap();
    let readings = again.corpus.read_changes(folder, &["own-2.txt".to_owned()]);
    let (corpus, delta) = again.corpus.updated(readings);
    let served = Arc::new(again.updated(corpus, &delta).unwrap().unwrap());
    assert_finds_what_a_fresh_index_finds(&served, folder, "deleted while serving").await;
    let (stored, after_serving) = start();
    assert!(stored, "the stored index followed the edit while serving");
    assert_finds_what_a_fresh_index_finds(&after_serving, folder, "restart after serving").await;

    // Two speeches in twelve changed: too many, so the index is built again.
    for file in ["own-1.txt", "own-3.txt"] {
        std::fs::write(folder.join(file), "又一篇讲话\n同志们：\n党要管党。\n").unwrap();
    }
    let (stored, rebuilt) = start();
    assert!(!stored, "two changes in twelve are built afresh");
    assert_finds_what_a_fresh_index_finds(&rebuilt, folder, "two files changed").await;

    // A folder a stopped build left is removed by the next build, which leaves none.
    let unfinished = entry.with_extension("new-4294967295");
    std::fs::create_dir_all(&unfinished).unwrap();
    rebuilt.build_index().unwrap();
    rebuilt.store_index();
    let beside: Vec<_> = std::fs::read_dir(entry.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("index"))
        .collect();
    assert_eq!(beside, ["index"]);

    // A damaged index is built again, not served.
    for file in std::fs::read_dir(&entry).unwrap() {
        let path = file.unwrap().path();
        if path.file_name().unwrap() != "rostrum-manifest" {
            std::fs::write(&path, b"not an index").unwrap();
        }
    }
    let (stored, damaged) = start();
    assert!(!stored, "a damaged index is not opened");
    assert_finds_what_a_fresh_index_finds(&damaged, folder, "damaged index").await;
}

/// What `/api/search` says first of a query: matches and speeches in all, and whether the
/// collection was read for it.
async fn totals_in(state: &Arc<AppState>, query: &str, filters: &str) -> (u64, u64, bool) {
    let uri = format!("/api/search?q={}{filters}", encode(query));
    let (status, body) = common::get(state, &uri).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    (
        json["total_hits"].as_u64().unwrap(),
        json["total_speeches"].as_u64().unwrap(),
        json["scanned"].as_bool().unwrap(),
    )
}

/// Until its index is built, a collection is searched by reading it, and that finds exactly
/// what the index then finds: every hit and the number of speeches, filtered or not, through
/// whitespace, punctuation, full-width forms and case.
#[tokio::test]
async fn searching_before_the_index_is_built_finds_what_the_index_finds() {
    let mut speeches: Vec<_> = STATE
        .corpus
        .speeches
        .iter()
        .map(|s| (**s).clone())
        .collect();
    let wide = "全角讲话\n同志们：\n请把ＰＰＴ发给大家，机房温度３００\u{212A}，经费８０％。\n";
    speeches.push(parse("wide.txt", wide.as_bytes()).unwrap());
    let state = Arc::new(AppState::ready_to_serve(
        Corpus::from_speeches(speeches, Vec::new()),
        Share::default(),
        None,
    ));
    let seed = format!("&speech={SEED}");
    let seed_section = format!("&speech={SEED}&section=1");
    let queries = [
        ("低保", ""),
        ("党", ""),
        ("发展", ""),
        ("敬老院 资金", ""),
        ("\"三院合一\"", ""),
        ("11134万元", ""),
        ("80%", ""),
        ("ppt", ""),
        ("300k", ""),
        ("民政 工作", ""),
        ("1.5亿元", ""),
        ("低保障", ""),
        ("<script>", ""),
        ("低保", seed.as_str()),
        ("低保", seed_section.as_str()),
    ];
    let mut read = Vec::new();
    for (query, filters) in queries {
        let (hits, speeches, scanned) = totals_in(&state, query, filters).await;
        assert!(scanned, "{query}: no index yet");
        read.push(((hits, speeches), all_hits_in(&state, query, filters).await));
    }
    let (_, page) = common::get(&state, &format!("/search?q={}", encode("低保"))).await;
    assert!(
        page.contains("索引正在建立"),
        "the page says how it was searched"
    );

    state.build_index().unwrap();
    for ((query, filters), (totals, hits)) in queries.into_iter().zip(read) {
        let (indexed_hits, indexed_speeches, scanned) = totals_in(&state, query, filters).await;
        assert!(!scanned, "{query}: the index is built");
        assert_eq!((indexed_hits, indexed_speeches), totals, "{query}{filters}");
        assert_eq!(
            all_hits_in(&state, query, filters).await,
            hits,
            "{query}{filters}"
        );
    }
    for query in ["ppt", "300k", "80%", "低保"] {
        assert!(totals_in(&state, query, "").await.0 > 0, "{query} is found");
    }
    let (_, page) = common::get(&state, &format!("/search?q={}", encode("低保"))).await;
    assert!(!page.contains("索引正在建立"));
}

/// More matches than the ranking first looks at (64), so that later pages look deeper.
#[tokio::test]
async fn deep_pages_keep_each_speech_whole_and_in_rank_order() {
    let query = encode("发展");
    let (_, body) = get(&format!("/api/search?q={query}")).await;
    let first: Value = serde_json::from_str(&body).unwrap();
    let total = first["total_hits"].as_u64().unwrap();
    assert!(
        total > 256,
        "the test needs a deep ranking: {total} matches"
    );
    assert_eq!(first["truncated"], false);
    let mut order: Vec<String> = Vec::new();
    let mut hits = 0;
    for page in 1..=first["pages"].as_u64().unwrap() {
        let (_, body) = get(&format!("/api/search?q={query}&page={page}")).await;
        let results: Value = serde_json::from_str(&body).unwrap();
        for group in results["groups"].as_array().unwrap() {
            let slug = group["slug"].as_str().unwrap().to_owned();
            hits += group["hits"].as_array().unwrap().len() as u64;
            if order.last() != Some(&slug) {
                assert!(!order.contains(&slug), "{slug} comes back on a later page");
                order.push(slug);
            }
        }
    }
    assert_eq!(hits, total, "every match once");
    assert_eq!(
        order.len() as u64,
        first["total_speeches"].as_u64().unwrap()
    );
}

/// A large collection's search page does not list every speech in its filter: only the one
/// chosen, so that the page does not grow with the collection.
#[tokio::test]
async fn the_speech_filter_of_a_large_collection_offers_only_the_chosen_speech() {
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/samples/303_gov-work-report-1964-abstract-fullwidth-digits.txt"),
    )
    .unwrap();
    let speeches = (0..201)
        .map(|n| parse(&format!("copy-{n:03}.txt"), &text).unwrap())
        .collect();
    let state = Arc::new(AppState::ready_to_serve(
        Corpus::from_speeches(speeches, Vec::new()),
        Share::default(),
        None,
    ));
    let query = encode("工业");
    let (status, page) = common::get(&state, &format!("/search?q={query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("<option value=\"copy-").count(), 0);
    let (_, page) = common::get(&state, &format!("/search?q={query}&speech=copy-150")).await;
    assert_eq!(page.matches("<option value=\"copy-").count(), 1);
    assert!(page.contains("<option value=\"copy-150\" selected>"));

    let few = Arc::new(AppState::ready_to_serve(
        Corpus::from_speeches(
            (0..3)
                .map(|n| parse(&format!("copy-{n}.txt"), &text).unwrap())
                .collect(),
            Vec::new(),
        ),
        Share::default(),
        None,
    ));
    let (_, page) = common::get(&few, &format!("/search?q={query}")).await;
    assert_eq!(
        page.matches("<option value=\"copy-").count(),
        3,
        "a small one lists all"
    );
}
