//! Statistics on the seed and the samples: figures with their clauses, places and region,
//! terms, concordance, charts that are well-formed SVG, and collection totals that add up.

mod common;
use common::get;

use axum::http::StatusCode;
use quick_xml::Reader;
use quick_xml::events::Event;
use rostrum::analysis::compare::{KeyTerm, Side, keyness};
use rostrum::analysis::figures::FigureKind;
use rostrum::analysis::kwic::{self, ConcordanceOrder, collection_concordance};
use rostrum::analysis::stats::SpeechStats;
use rostrum::analysis::timeline::{Axis, timeline};
use rostrum::corpus::{self, Corpus};
use rostrum::model::Speech;
use rostrum::web::AppState;
use rostrum::web::share::Share;
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, LazyLock};
use tower::ServiceExt;

const SEED: &str = "000-fd25136dcbaff602";

/// The seed, the speech Rostrum was made from, alone of the bundled collection.
fn the_seed() -> Speech {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = corpus::load(&root.join("seeds")).unwrap();
    bundled
        .speeches
        .into_iter()
        .find(|s| s.slug == SEED)
        .map(Arc::unwrap_or_clone)
        .expect("the seed is bundled")
}

/// A collection of the seed and every speech in `folders`.
fn load(folders: &[&str]) -> Arc<AppState> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let speeches = std::iter::once(the_seed())
        .chain(
            folders
                .iter()
                .flat_map(|f| corpus::load(&root.join(f)).unwrap().speeches)
                .map(Arc::unwrap_or_clone),
        )
        .collect();
    Arc::new(
        AppState::build(
            Corpus::from_speeches(speeches, Vec::new()),
            Share::default(),
        )
        .unwrap(),
    )
}

static SEED_ONLY: LazyLock<Arc<AppState>> = LazyLock::new(|| load(&[]));
static WITH_SAMPLES: LazyLock<Arc<AppState>> = LazyLock::new(|| load(&["tests/fixtures/samples"]));

fn seed_stats(state: &AppState) -> &SpeechStats {
    let index = state.corpus.index_of(SEED).unwrap();
    &state.statistics().expect("statistics are counted").speeches[index]
}

#[test]
fn the_seed_figures_are_found_with_their_clauses() {
    let stats = seed_stats(&SEED_ONLY);
    let find = |text: &str| {
        stats
            .figures
            .iter()
            .find(|f| f.text == text)
            .unwrap_or_else(|| {
                panic!(
                    "{text} not among {:?}",
                    stats.figures.iter().map(|f| &f.text).collect::<Vec<_>>()
                )
            })
    };
    let money = find("11134 万元");
    assert_eq!(
        (money.kind, money.normalized),
        (FigureKind::Money, Some(111_340_000.0))
    );
    assert!(money.clause.contains("城市低保资金"));
    let visits = find("6.1 万人次");
    assert_eq!(
        (visits.kind, visits.normalized),
        (FigureKind::People, Some(61_000.0))
    );
    assert!(visits.clause.contains("救助灾民"));
    assert_eq!(find("80%").kind, FigureKind::Percentage);
    assert!(find("1.5 亿元").approximate, "以上 makes it approximate");
    let approximate = find("3300 多人");
    assert!(approximate.approximate && approximate.clause.contains("城市低保人数削减了"));
    let range = find("2-3 个");
    assert_eq!((range.value, range.value_to), (2.0, Some(3.0)));
    assert!(range.clause.contains("试点单位"));
    let date = find("3 月 16 日");
    assert_eq!(date.kind, FigureKind::Date);
    assert!(date.clause.contains("联合下发了"));
    for figure in &stats.figures {
        let speech = SEED_ONLY.corpus.speech(SEED).unwrap();
        let paragraph = speech
            .paragraphs()
            .find(|(_, p)| p.id == figure.paragraph)
            .unwrap()
            .1;
        assert_eq!(
            &paragraph.text[figure.start..figure.end],
            figure.text,
            "the figure points into its paragraph"
        );
    }
}

#[test]
fn the_seed_places_point_to_yueyang() {
    let places = &seed_stats(&SEED_ONLY).places;
    for name in [
        "君山区",
        "岳阳楼区",
        "湘阴县",
        "平江县",
        "华容县",
        "云溪区",
        "临湘市",
        "岳阳县",
    ] {
        assert!(
            places.places.iter().any(|p| p.name == name),
            "{name} missing: {:?}",
            places.places
        );
    }
    let yunxi = places.places.iter().find(|p| p.name == "云溪区").unwrap();
    assert_eq!(yunxi.count, 3);
    assert_eq!(places.region.as_deref(), Some("湖南省岳阳市"));
}

#[test]
fn the_seed_terms_and_overview() {
    let stats = seed_stats(&SEED_ONLY);
    let top3: Vec<&str> = stats.top_terms().take(3).map(|(term, _)| term).collect();
    assert!(top3.contains(&"民政"), "{top3:?}");
    assert!(
        stats
            .top_terms()
            .all(|(term, _)| term.chars().count() >= 2 && !term.contains(','))
    );
    let overview = &stats.overview;
    assert_eq!(
        overview.characters,
        SEED_ONLY.corpus.speech(SEED).unwrap().char_count()
    );
    assert!(overview.cjk_characters > 2000 && overview.cjk_characters < overview.characters);
    assert!(
        overview.sentences > 50
            && overview.words > 1000
            && overview.distinct_words < overview.words
    );
    assert_eq!(
        (overview.present_pages, overview.declared_pages),
        (Some(9), Some(11))
    );
    assert!((overview.reading_minutes - overview.characters as f64 / 400.0).abs() < 1e-9);
    assert_eq!(stats.structure.len(), 4);
    assert!(stats.structure[0].characters > stats.structure[1].characters);
    assert!(
        !stats.keywords.is_empty(),
        "keywords against the dictionary for a one-speech collection"
    );
}

#[tokio::test]
async fn the_concordance_has_one_line_per_occurrence() {
    let speech = SEED_ONLY.corpus.speech(SEED).unwrap();
    let occurrences: usize = speech
        .paragraphs()
        .map(|(_, p)| p.text.matches("低保").count())
        .sum();
    let (status, json) = get(
        &SEED_ONLY,
        &format!("/api/speeches/{SEED}/kwic?term=%E4%BD%8E%E4%BF%9D"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let lines: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(lines["lines"].as_array().unwrap().len(), occurrences);
    let (status, html) = get(
        &SEED_ONLY,
        &format!("/speeches/{SEED}/kwic?term=%E4%BD%8E%E4%BF%9D&sort=right"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        html.matches("<tr class=\"kwic-line\">").count(),
        occurrences
    );
    assert!(html.contains(&format!("href=\"/speeches/{SEED}#p")));
}

/// Every `<svg>…</svg>` in a page, parsed as XML.
fn assert_charts_well_formed(html: &str) -> usize {
    let mut charts = 0;
    for piece in html.split("<svg").skip(1) {
        let svg = format!("<svg{}</svg>", piece.split("</svg>").next().unwrap());
        let mut reader = Reader::from_str(&svg);
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(error) => panic!("chart {charts} is not well-formed: {error}\n{svg}"),
            }
        }
        assert_eq!(depth, 0, "chart {charts} leaves elements open");
        assert!(
            svg.contains("<title"),
            "chart {charts} has a text alternative"
        );
        charts += 1;
    }
    charts
}

#[tokio::test]
async fn the_stats_page_shows_everything_with_well_formed_charts() {
    let (status, html) = get(&SEED_ONLY, &format!("/speeches/{SEED}/stats")).await;
    assert_eq!(status, StatusCode::OK);
    let keyword_links = format!(r#"<a class="keyword" href="/speeches/{SEED}/kwic?term="#);
    assert!(
        html.matches(&keyword_links).count() >= 5,
        "keywords open their concordance"
    );
    for expected in [
        "11134 万元",
        "3300 多人",
        "湖南省岳阳市",
        "云溪区",
        "民政",
        "阅读",
    ] {
        assert!(
            html.contains(expected),
            "{expected} missing from the stats page"
        );
    }
    assert!(
        assert_charts_well_formed(&html) >= 3,
        "structure, word cloud and trend charts"
    );
    assert!(
        html.contains(&format!("href=\"/speeches/{SEED}#s1-1\"")),
        "structure bars link to their sections"
    );
    assert!(
        html.contains(&format!("/speeches/{SEED}/kwic?term=")),
        "terms link to their concordance"
    );

    let (status, trend) = get(
        &SEED_ONLY,
        &format!("/speeches/{SEED}/stats?term=%E6%95%AC%E8%80%81%E9%99%A2"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(trend.contains("敬老院"));
    assert_charts_well_formed(&trend);

    let (status, marked) = get(&SEED_ONLY, &format!("/speeches/{SEED}?highlight=figures")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(marked.contains("<mark class=\"figure\">11134 万元</mark>"));

    let (status, json) = get(&SEED_ONLY, &format!("/api/speeches/{SEED}/stats")).await;
    assert_eq!(status, StatusCode::OK);
    let stats: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(stats["places"]["region"], "湖南省岳阳市");
}

#[tokio::test]
async fn the_collection_page_sums_over_several_speeches() {
    let state = &*WITH_SAMPLES;
    let statistics = state.statistics().expect("statistics are counted");
    assert_eq!(statistics.collection.speeches, 8);
    let characters: usize = state.corpus.speeches.iter().map(|s| s.char_count()).sum();
    assert_eq!(statistics.collection.characters, characters);
    let paragraphs: usize = state
        .corpus
        .speeches
        .iter()
        .map(|s| s.paragraph_count())
        .sum();
    assert_eq!(statistics.collection.paragraphs, paragraphs);
    assert_eq!(
        statistics.collection.figures,
        statistics
            .speeches
            .iter()
            .map(|s| s.figures.len())
            .sum::<usize>()
    );

    let (status, html) = get(&WITH_SAMPLES.clone(), "/stats").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&characters.to_string()));
    let (_, json) = get(&WITH_SAMPLES.clone(), "/api/stats").await;
    let collection: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(collection["collection"]["characters"], characters);
    assert_eq!(collection["speeches"].as_array().unwrap().len(), 8);

    let seed = &statistics.speeches[state.corpus.index_of(SEED).unwrap()];
    assert!(!seed.keywords.is_empty());
    assert!(
        seed.keywords
            .iter()
            .any(|k| k.term == "民政" || k.term == "低保"),
        "{:?}",
        seed.keywords
    );
}

/// The seed (a municipal civil-affairs speech) against the 2022 government work report and
/// against the rest of the collection, by log-likelihood.
#[tokio::test]
async fn keyness_finds_each_sides_distinctive_terms_by_log_likelihood() {
    let state = WITH_SAMPLES.clone();
    let statistics = state.statistics().unwrap();
    let index = |slug: &str| state.corpus.index_of(slug).unwrap();
    let seed = &statistics.speeches[index(SEED)];
    let report = "301-gov-work-report-2022-bom-crlf";
    let against_report = keyness(
        &Side::speeches(vec![seed]),
        &Side::speeches(vec![&statistics.speeches[index(report)]]),
        25,
        false,
    );
    let terms = |keys: &[KeyTerm]| keys.iter().map(|k| k.term.clone()).collect::<Vec<_>>();
    assert!(terms(&against_report.first).contains(&"民政".to_owned()));
    for term in ["改革", "创新", "企业"] {
        assert!(
            terms(&against_report.second).contains(&term.to_owned()),
            "{term}"
        );
    }
    for key in against_report.first.iter().chain(&against_report.second) {
        assert!(key.log_likelihood >= 3.84, "{key:?}");
        assert_eq!(
            key.log_ratio > 0.0,
            key.first_rate > key.second_rate,
            "{key:?}"
        );
        assert!(!rostrum::analysis::segment::is_filler(&key.term), "{key:?}");
    }
    let ranked = |keys: &[KeyTerm]| {
        keys.windows(2)
            .all(|w| w[0].log_likelihood >= w[1].log_likelihood)
    };
    assert!(ranked(&against_report.first) && ranked(&against_report.second));

    let against_rest = keyness(
        &Side::speeches(vec![seed]),
        &Side::rest_of(vec![seed], statistics),
        25,
        false,
    );
    let seed_terms = terms(&against_rest.first);
    assert!(seed_terms.contains(&"民政".to_owned()), "{seed_terms:?}");
    assert!(!against_rest.second.is_empty());

    let (status, html) = get(&state, "/stats").await;
    assert_eq!(status, StatusCode::OK);
    let first_title = &state.corpus.speeches[0].title;
    assert!(
        html.contains(&format!("更常用于 {first_title}")) && html.contains("更常用于 其余全部讲话"),
        "the first speech against the rest by default"
    );
    let (status, html) = get(&state, &format!("/stats?a={SEED}&b={report}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("class=\"chart keyness-chart\"") && html.contains(">民政<"));
    assert_charts_well_formed(&html);
    let (status, _) = get(&state, "/stats?a=nobody&b=nobody").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A term by year over the dated samples: each year's count is the sum of its speeches'
/// counts, years ascend, undated speeches are set aside, and the page links every column.
#[tokio::test]
async fn a_terms_trend_across_the_collection_goes_year_by_year() {
    let state = WITH_SAMPLES.clone();
    let corpus = &state.corpus;
    let line = timeline(corpus, "社会主义");
    assert_eq!(line.axis, Axis::Year);
    let years: Vec<i32> = line
        .points
        .iter()
        .map(|p| p.label.parse().unwrap())
        .collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "{years:?}");
    let dated = corpus.speeches.iter().filter(|s| s.front.year().is_some());
    assert_eq!(line.undated, corpus.speeches.len() - dated.clone().count());
    for point in &line.points {
        let speeches: Vec<_> = dated
            .clone()
            .filter(|s| s.front.year().map(|y| y.to_string()) == Some(point.label.clone()))
            .collect();
        assert_eq!(point.speeches, speeches.len());
        let counted: usize = speeches
            .iter()
            .map(|s| kwic::concordance(s, "社会主义", ConcordanceOrder::Text).len())
            .sum();
        assert_eq!(point.occurrences, counted, "{}", point.label);
    }
    assert!(line.occurrences > 0);
    let report_year = line.points.iter().find(|p| p.label == "2022").unwrap();
    assert!(report_year.occurrences > 0 && report_year.rate() > 0.0);

    let undated = timeline(&SEED_ONLY.corpus, "民政");
    assert_eq!(undated.points.len(), 1);
    assert_eq!(undated.occurrences, undated.points[0].occurrences);
    // Matched as search matches: the text's `11134 万元` is the term `11134万元`.
    let spaced = timeline(&SEED_ONLY.corpus, "11134万元");
    assert_eq!(spaced.occurrences, 1);

    let (status, html) = get(&state, "/trend?term=%E7%A4%BE%E4%BC%9A%E4%B8%BB%E4%B9%89").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(assert_charts_well_formed(&html), 1);
    assert!(html.contains("2022") && html.contains("/kwic?term="));
    let (status, _) = get(&state, "/trend?term=").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// The collection's concordance is every speech's, each line naming its speech.
#[tokio::test]
async fn the_collection_concordance_gathers_every_speech() {
    let state = WITH_SAMPLES.clone();
    let corpus = &state.corpus;
    let whole = collection_concordance(corpus, "人民", ConcordanceOrder::Text, usize::MAX);
    let per_speech: Vec<usize> = corpus
        .speeches
        .iter()
        .map(|s| kwic::concordance(s, "人民", ConcordanceOrder::Text).len())
        .collect();
    assert_eq!(whole.total, per_speech.iter().sum::<usize>());
    assert_eq!(
        whole.speeches,
        per_speech.iter().filter(|n| **n > 0).count()
    );
    assert!(whole.speeches >= 3);
    assert!(
        whole.lines.windows(2).all(|w| w[0].0 <= w[1].0),
        "in the collection's order"
    );
    let cut = collection_concordance(corpus, "人民", ConcordanceOrder::Left, 10);
    assert_eq!((cut.lines.len(), cut.total), (10, whole.total));
    let lefts: Vec<String> = cut
        .lines
        .iter()
        .map(|(_, l)| l.left.chars().rev().collect())
        .collect();
    assert!(
        lefts.windows(2).all(|w| w[0] <= w[1]),
        "ordered by the left context"
    );

    let (status, html) = get(&state, "/kwic?term=%E4%BA%BA%E6%B0%91").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        html.matches(r#"<tr class="kwic-line">"#).count(),
        whole.total.min(500)
    );
    assert_eq!(
        html.matches(r#"<td class="kwic-speech">"#).count(),
        whole.total.min(500)
    );
    assert!(html.contains(&format!("共 {} 处", whole.total)));
    let (status, _) = get(&state, "/kwic?term=").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A decade's speeches taken together against the rest: counts summed over the group, and the
/// page offers the groups the collection has.
#[tokio::test]
async fn keyness_of_a_decade_against_the_rest_of_the_collection() {
    let state = load(&["tests/fixtures/samples", "tests/fixtures/outline/texts"]);
    let statistics = state.statistics().unwrap();
    let fifties: Vec<&SpeechStats> = state
        .corpus
        .speeches
        .iter()
        .zip(&statistics.speeches)
        .filter(|(s, _)| s.front.year().is_some_and(|y| (1950..1960).contains(&y)))
        .map(|(_, stats)| &**stats)
        .collect();
    assert!(
        fifties.len() >= 3,
        "1955, 1956 and 1957 are in the fixtures"
    );
    let found = keyness(
        &Side::speeches(fifties.clone()),
        &Side::rest_of(fifties.clone(), statistics),
        25,
        false,
    );
    assert!(!found.first.is_empty() && !found.second.is_empty());
    let words: usize = fifties.iter().map(|s| s.overview.words).sum();
    let mut summed = 0;
    for key in &found.first {
        let known: Vec<u32> = fifties
            .iter()
            .filter_map(|s| s.profile.count_of(&key.term))
            .collect();
        if known.len() == fifties.len() {
            assert_eq!(key.first_count, known.iter().sum::<u32>(), "{}", key.term);
            summed += 1;
        }
        let rate = f64::from(key.first_count) * 10_000.0 / words as f64;
        assert!((key.first_rate - rate).abs() < 0.01, "{key:?}");
    }
    assert!(
        summed > 0,
        "some distinctive terms are counted in every member"
    );

    let (_, page) = get(&state, "/stats").await;
    assert!(page.contains(r#"<option value="decade:1950">1950 年代的讲话</option>"#));
    let (status, html) = get(&state, "/stats?a=decade%3A1950&b=rest").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("更常用于 1950 年代的讲话"));
    assert!(html.contains(r#"<option value="decade:1950" selected>"#));
    let (status, _) = get(&state, "/stats?a=decade%3A1800").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[test]
fn export_includes_the_statistics() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rostrum"))
        .arg("export")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json[0]["stats"]["places"]["region"], "湖南省岳阳市");
    assert_eq!(json[0]["slug"], SEED);
}

#[test]
fn the_collections_user_dictionary_keeps_domain_words_whole() {
    let folder = tempfile::tempdir().unwrap();
    let seed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_fd25136dcbaff602.txt"))
            .unwrap();
    std::fs::write(folder.path().join("speech.txt"), &seed).unwrap();
    let profile_has = |state: &AppState, term: &str| {
        state.statistics().expect("statistics are counted").speeches[0]
            .profile
            .count_of(term)
            .is_some()
    };

    let without = AppState::build(corpus::load(folder.path()).unwrap(), Share::default()).unwrap();
    assert!(
        !profile_has(&without, "三院合一"),
        "jieba alone splits 三院合一"
    );

    std::fs::write(folder.path().join("userdict.txt"), "三院合一 10 n\n").unwrap();
    let corpus = corpus::load(folder.path()).unwrap();
    assert_eq!(
        corpus.speeches.len(),
        1,
        "userdict.txt is a dictionary, not a speech"
    );
    assert!(corpus.skipped.is_empty());
    let with = AppState::build(corpus, Share::default()).unwrap();
    assert!(profile_has(&with, "三院合一"));
}

#[tokio::test]
async fn collection_statistics_show_progress_until_counted_while_the_rest_is_served() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = corpus::load(&root.join("seeds")).unwrap();
    let speeches = corpus.speeches.len();
    let steps = 2 * speeches;
    let state = Arc::new(AppState::ready_to_serve(corpus, Share::default(), None));

    for uri in [
        "/".to_owned(),
        format!("/speeches/{SEED}"),
        "/search?q=%E4%BD%8E%E4%BF%9D".to_owned(),
    ] {
        assert_eq!(get(&state, &uri).await.0, StatusCode::OK, "{uri}");
    }
    let (_, marked) = get(&state, &format!("/speeches/{SEED}?highlight=figures")).await;
    assert!(marked.contains("<mark class=\"figure\">11134 万元</mark>"));

    let pages = ["/stats".to_owned()];
    for uri in &pages {
        let (status, html) = get(&state, uri).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert!(html.contains(r#"<meta http-equiv="refresh" content="2">"#));
        assert!(html.contains(&format!(
            r#"<progress id="counting" max="{steps}" value="0">"#
        )));
        assert!(
            html.contains("统计会在检索索引建好后开始"),
            "{uri}: counting has not begun"
        );
    }
    let apis = [
        "/api/stats".to_owned(),
        "/api/speeches".to_owned(),
        format!("/api/speeches/{SEED}"),
        format!("/api/speeches/{SEED}/stats"),
    ];
    for uri in &apis {
        let (status, json) = get(&state, uri).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        let error: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(error["error"]["status"], 503);
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("0 / {speeches}"))
        );
    }
    let response = rostrum::web::app(state.clone())
        .oneshot(
            axum::http::Request::get("/stats")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.headers()["retry-after"], "2");

    state.count_statistics();
    for uri in pages.iter().chain(&apis) {
        assert_eq!(get(&state, uri).await.0, StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn a_speech_s_statistics_are_shown_measured_alone_while_the_collection_is_counted() {
    let state = Arc::new(AppState::ready_to_serve(
        corpus::load(Path::new("tests/fixtures/samples")).unwrap(),
        Share::default(),
        None,
    ));
    let slug = "105-mao-ten-major-relationships";
    let speeches = state.corpus.speeches.len();
    let steps = 2 * speeches;
    let page = format!("/speeches/{slug}/stats");
    let tables = [
        format!("/speeches/{slug}/figures.csv"),
        format!("/speeches/{slug}/terms.csv"),
    ];

    let (status, alone) = get(&state, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(alone.contains("全部讲话的统计还在计算"));
    assert!(alone.contains(&format!(
        r#"<progress id="counting" max="{steps}" value="0">"#
    )));
    assert!(alone.contains("疑似洗稿用词要与其他讲话比较，全部讲话统计完成后给出"));
    assert!(!alone.contains("?text=restored"), "no restored text yet");
    assert!(
        !alone.contains(r#"http-equiv="refresh""#),
        "a page to read is not reloaded"
    );
    let mut tables_alone = Vec::new();
    for uri in &tables {
        let (status, csv) = get(&state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        tables_alone.push(csv);
    }
    let (status, _) = get(&state, &format!("/api/speeches/{slug}/stats")).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "the API gives only what is final"
    );
    let reader = format!("/speeches/{slug}");
    let wording_links = format!(r#"<a href="/speeches/{slug}?highlight=rewording">"#);
    let (_, page_while_counting) = get(&state, &reader).await;
    assert!(page_while_counting.contains("全部讲话统计完成后给出"));
    assert!(
        !page_while_counting.contains(&wording_links),
        "no link to a 503"
    );

    state.count_statistics();
    assert!(get(&state, &reader).await.1.contains(&wording_links));
    let (status, counted) = get(&state, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!counted.contains("全部讲话的统计还在计算"));
    assert!(counted.contains("?text=restored"));
    // The speech's own figures and terms are the same measured alone as counted with the
    // others; only its keywords (and washed wording) depend on them.
    for (uri, alone) in tables.iter().zip(&tables_alone) {
        assert_eq!(&get(&state, uri).await.1, alone, "{uri}");
    }
    let section = |html: &str, id: &str| {
        let start = html.find(&format!(r#"<section id="{id}""#)).unwrap();
        html[start..start + html[start..].find("</section>").unwrap()].to_owned()
    };
    for id in ["overview", "structure", "figures", "places"] {
        assert_eq!(section(&alone, id), section(&counted, id), "{id}");
    }
}

#[test]
fn filler_of_official_speech_leads_no_speech_s_terms_unless_asked_for() {
    let state = load(&["tests/fixtures/samples", "tests/fixtures/outline/texts"]);
    let statistics = state.statistics().expect("counted");
    let filler = ["进行", "得到", "没有", "这是", "一点", "已经"];
    let mut found_in_profiles = 0;
    for (speech, stats) in state.corpus.speeches.iter().zip(&statistics.speeches) {
        let top: Vec<&str> = stats.top_terms().take(30).map(|(term, _)| term).collect();
        for word in filler {
            assert!(
                !top.contains(&word),
                "{word} among the top terms of {}",
                speech.slug
            );
        }
        assert!(
            stats
                .keywords
                .iter()
                .all(|k| !filler.contains(&k.term.as_str()))
        );
        found_in_profiles += stats
            .profile
            .iter()
            .filter(|(term, _)| filler.contains(term))
            .count();
    }
    assert!(
        found_in_profiles > 20,
        "the filler is there to show on request"
    );
    let collection: Vec<&str> = statistics
        .collection
        .top_terms
        .iter()
        .map(|t| t.term.as_str())
        .collect();
    assert!(filler.iter().all(|word| !collection.contains(word)));
}
