//! Ingest across modules: the seed end to end, a golden snapshot, text survival, synthetic scrapes
//! built from the real samples, bad files in a folder, and random input that must not panic.

#[path = "common/scrape.rs"]
mod scrape;

use proptest::prelude::*;
use rostrum::corpus;
use rostrum::ingest::{self, parse};
use rostrum::model::{Section, Speech};
use std::path::{Path, PathBuf};

fn project_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn seed_bytes() -> Vec<u8> {
    std::fs::read(project_file("seeds/000_fd25136dcbaff602.txt")).expect("the seed is bundled")
}

fn seed() -> Speech {
    parse("000_fd25136dcbaff602.txt", &seed_bytes()).expect("the seed parses")
}

fn sample_path(name: &str) -> PathBuf {
    project_file("tests/fixtures/samples").join(name)
}

/// Every text of a speech in reading order: headings as `number title`, then paragraphs.
fn reading_order(speech: &Speech) -> Vec<String> {
    fn walk(sections: &[Section], out: &mut Vec<String>) {
        for section in sections {
            out.push(format!("{}{}", section.number, section.title));
            out.extend(section.paragraphs.iter().map(|p| p.text.clone()));
            walk(&section.children, out);
        }
    }
    let front = &speech.front;
    let mut out: Vec<String> = [
        front.heading.clone(),
        front.dateline.clone(),
        front.speaker_line(),
        front.salutation.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.extend(speech.preamble.iter().map(|p| p.text.clone()));
    walk(&speech.sections, &mut out);
    out
}

/// Text without whitespace and the punctuation that structure consumes: the `。` that ends a
/// heading's title, the colon of a salutation, the `、` of a heading number (`一、` is number `一`).
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '。' | ':' | '：' | '、'))
        .collect()
}

#[test]
fn seed_matches_what_its_readers_expect() {
    let speech = seed();
    assert_eq!(
        speech.title,
        "全市民政系统深化忠诚主题教育活动工作会议上讲话"
    );
    assert_eq!(speech.source.site.as_deref(), Some("淘文阁"));
    assert_eq!(speech.source.declared_pages, Some(11));
    assert_eq!(speech.source.present_pages, Some(9));
    assert!(speech.source.partial);
    assert!(speech.source.ends_mid_sentence);
    assert_eq!(
        speech.keywords.join(" "),
        "全市 民政 系统 深化 忠诚 主题教育活动 工作会议 讲话"
    );
    assert_eq!(
        speech.front.heading.as_deref(),
        Some("在全市民政系统深化忠诚主题教化活动工作会议上的讲话")
    );
    assert_eq!(speech.front.salutation.as_deref(), Some("同志们"));
    assert!(speech.preamble[0].text.starts_with("这次会议的主要任务是"));

    assert_eq!(speech.sections.len(), 1);
    let top = &speech.sections[0];
    assert_eq!(
        (top.id.to_string().as_str(), top.number.as_str()),
        ("1", "一")
    );
    assert_eq!(top.title, "关于前段全市民政工作状况");
    let children: Vec<(String, &str, &str)> = top
        .children
        .iter()
        .map(|c| (c.id.to_string(), c.number.as_str(), c.title.as_str()))
        .collect();
    assert_eq!(
        children,
        vec![
            (
                "1.1".to_owned(),
                "(一)",
                "兢兢业业保民生,保障了困难群体的基本生活"
            ),
            (
                "1.2".to_owned(),
                "(二)",
                "勤勤恳恳保发展,开创了民政事业的良好局面"
            ),
            (
                "1.3".to_owned(),
                "(三)",
                "扎扎实实保稳定,发挥了促进和谐的重要作用"
            ),
        ]
    );
    assert!(top.children[0].paragraphs.len() >= 4);
    assert!(top.children.iter().all(|c| c.paragraphs.len() >= 2));
    assert!(top.children.iter().all(|c| c.level == 2));

    let everything = reading_order(&speech).join("\n");
    for banned in [
        "由会员分享",
        "配套讲稿",
        "特殊限制",
        "关 键 词",
        "限制150内",
        "淘文阁",
        ".docx",
    ] {
        assert!(!everything.contains(banned), "{banned} survived cleaning");
    }
    for (index, line) in everything.lines().enumerate() {
        let starts_like_a_page = line
            .split_once('、')
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
        assert!(
            !starts_like_a_page,
            "line {index} starts with a page marker: {line}"
        );
    }
    assert!(everything.contains("医疗保障信息管理软件"));
    assert!(everything.contains("春荒救济资金 600 万元"));
}

#[test]
fn seed_paragraph_ids_are_sequential_and_stable() {
    let speech = seed();
    let ids: Vec<u32> = speech.paragraphs().map(|(_, p)| p.id).collect();
    assert_eq!(ids, (1..=ids.len() as u32).collect::<Vec<_>>());
    assert_eq!(seed(), speech, "the same input gives the same ids");
}

#[test]
fn seed_body_text_survives_parsing() {
    let raw = String::from_utf8(seed_bytes()).unwrap();
    let pages: String = raw
        .lines()
        .filter_map(|line| {
            let (number, rest) = line.split_once('、')?;
            number.parse::<u32>().ok().map(|_| rest)
        })
        .collect();
    let title = "全市民政系统深化忠诚主题教育活动工作会议上讲话";
    let original = comparable(pages.strip_prefix(title).expect("page 1 repeats the title"));
    let parsed = comparable(&reading_order(&seed()).concat());
    assert_eq!(parsed, original);
}

/// The seed's whole parsed structure, as a snapshot reviewed in the diff
/// (`INSTA_UPDATE=always cargo test --test ingest golden`, or `cargo insta review`).
#[test]
fn golden_structure_of_the_seed() {
    insta::assert_json_snapshot!("seed", seed());
}

/// Makes a scrape the way document-sharing sites do: the clean text's line breaks removed (a
/// space after headings, as sites leave), cut into ~800-character pages at arbitrary points,
/// each page a line with its `N、` marker, between the site's header and footer.
fn make_scrape(clean: &Speech, pages_shown: usize) -> (String, usize) {
    let front = &clean.front;
    let mut run = clean.title.clone();
    for line in [
        front.heading.clone(),
        front.dateline.clone(),
        front.speaker_line(),
    ]
    .into_iter()
    .flatten()
    {
        run.push_str(&line);
    }
    if let Some(salutation) = &front.salutation {
        run.push_str(&format!("{salutation}："));
    }
    run.extend(clean.preamble.iter().map(|p| p.text.as_str()));
    for section in clean.sections_flat() {
        if !run.ends_with(['。', '！', '？', '：']) {
            run.push('。');
        }
        let chinese_numeral = section
            .number
            .chars()
            .all(|c| "一二三四五六七八九十".contains(c));
        let separator = if chinese_numeral { "、" } else { "" };
        run.push_str(&format!("{}{separator}{} ", section.number, section.title));
        run.extend(section.paragraphs.iter().map(|p| p.text.as_str()));
    }
    scrape::scrape_of(&clean.title, &run, pages_shown)
}

#[test]
fn synthetic_scrapes_of_real_reports_give_back_text_and_headings() {
    for name in [
        "301_gov-work-report-2022-bom-crlf.txt",
        "307_gov-work-report-2014-mixed-indent.txt",
    ] {
        let clean = parse(name, &std::fs::read(sample_path(name)).unwrap()).unwrap();
        let (scrape, declared) = make_scrape(&clean, usize::MAX);
        let scraped = parse("scrape.txt", scrape.as_bytes()).unwrap();
        assert_eq!(scraped.source.site.as_deref(), Some("淘文阁"), "{name}");
        assert_eq!(scraped.source.present_pages, Some(declared as u32));
        assert_eq!(scraped.title, clean.title);
        let labels = |s: &Speech| {
            s.sections_flat()
                .iter()
                .map(|x| (x.id.clone(), x.title.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(&scraped), labels(&clean), "{name}: headings differ");
        let clean_text = comparable(&reading_order(&clean).concat());
        let scraped_text = comparable(&reading_order(&scraped).concat());
        assert_eq!(scraped_text, clean_text, "{name}: text differs");
        assert!(scraped.paragraph_count() > clean.sections_flat().len());
    }
}

#[test]
fn synthetic_partial_preview_is_marked_partial() {
    let name = "301_gov-work-report-2022-bom-crlf.txt";
    let clean = parse(name, &std::fs::read(sample_path(name)).unwrap()).unwrap();
    let (scrape, declared) = make_scrape(&clean, 5);
    let scraped = parse("scrape.txt", scrape.as_bytes()).unwrap();
    assert_eq!(scraped.source.present_pages, Some(5));
    assert_eq!(scraped.source.declared_pages, Some(declared as u32));
    assert!(scraped.source.partial);
    assert!(
        scraped
            .warnings
            .iter()
            .any(|w| w.to_string().contains(&format!("5 of {declared} pages")))
    );
}

#[test]
fn every_sample_loads() {
    let corpus = corpus::load(&project_file("tests/fixtures/samples")).unwrap();
    assert_eq!(corpus.speeches.len(), 7);
    assert!(
        corpus.skipped.iter().all(|s| !s.failed),
        "{:?}",
        corpus.skipped
    );
    let encodings: Vec<&str> = corpus
        .speeches
        .iter()
        .map(|s| s.source.encoding.as_str())
        .collect();
    assert!(encodings.contains(&"GBK") && encodings.contains(&"UTF-16LE"));
}

#[test]
fn bad_files_are_warnings_and_never_stop_the_rest() {
    let folder = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = folder.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("good.txt", &seed_bytes());
    let mut truncated = "各位代表：现在，我代表国务院向大会报告政府工作。"
        .as_bytes()
        .to_vec();
    truncated.pop();
    write("truncated-utf8.txt", &truncated);
    write("marker-without-text.txt", "1、\n2、\n3、".as_bytes());
    write(
        "heading-without-body.txt",
        "讲话\n同志们：\n一、总体要求\n二、重点任务".as_bytes(),
    );
    write(
        "one-line-10mb.txt",
        "同志们，今天开会。"
            .repeat(10 * 1024 * 1024 / 27)
            .as_bytes(),
    );
    write(
        "only-boilerplate.txt",
        "《x.docx》由会员分享,可在线阅读,更多相关《x.docx(3页珍藏版)》请在淘文阁 - 分享文档赚钱的网站上搜索。\n- 配套讲稿:\n限制150内".as_bytes(),
    );
    write("empty.txt", b"");
    write("binary.txt", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    write("images/photo.png", b"\x89PNG\r\n\x1a\n");
    write("images/scan.jpg", b"\xff\xd8\xff\xe0");
    write("old/讲话稿.DOC", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
    write("old/讲话稿.pdf", b"%PDF-1.4");
    let korean_text = "대한민국 헌법 제1조 대한민국은 민주공화국이다. ".repeat(20);
    let (korean, _, _) = encoding_rs::EUC_KR.encode(&korean_text);
    write("korean-euc-kr.txt", &korean);

    let corpus = corpus::load(folder.path()).unwrap();
    let loaded: Vec<&str> = corpus
        .speeches
        .iter()
        .map(|s| s.source.file.as_str())
        .collect();
    assert_eq!(
        loaded,
        vec![
            "good.txt",
            "heading-without-body.txt",
            "one-line-10mb.txt",
            "truncated-utf8.txt"
        ]
    );
    let reason = |file: &str| {
        corpus
            .skipped
            .iter()
            .find(|s| s.file == file)
            .map(|s| (s.failed, s.reason.clone()))
            .unwrap_or_else(|| panic!("{file} has no warning"))
    };
    assert_eq!(reason("empty.txt"), (true, "the file is empty".to_owned()));
    assert!(reason("binary.txt").1.contains("binary"));
    assert!(reason("only-boilerplate.txt").1.contains("no speech text"));
    assert!(
        reason("marker-without-text.txt")
            .1
            .contains("no speech text")
    );
    assert!(
        reason("korean-euc-kr.txt")
            .1
            .contains("not Chinese or English")
    );
    assert!(!reason("images/photo.png").0 && !reason("images/scan.jpg").0);
    // Speeches saved in formats Rostrum does not read are listed with what to do.
    for document in ["old/讲话稿.DOC", "old/讲话稿.pdf"] {
        let (failed, why) = reason(document);
        assert!(!failed && why.contains("save it as .docx or .txt"), "{why}");
    }
    assert!(reason("images/photo.png").1.contains("not a speech file"));
    let heading_only = corpus.speech("heading-without-body").unwrap();
    assert_eq!(heading_only.sections.len(), 2);
    let warnings: Vec<String> = heading_only
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        warnings,
        vec!["headings with no text under them: 一 总体要求; 二 重点任务"]
    );
}

#[test]
fn oversized_files_are_skipped_with_the_limit_named() {
    let folder = tempfile::tempdir().unwrap();
    let big = std::fs::File::create(folder.path().join("huge.txt")).unwrap();
    big.set_len(corpus::MAX_FILE_BYTES + 1).unwrap();
    let corpus = corpus::load(folder.path()).unwrap();
    assert!(corpus.speeches.is_empty());
    assert!(
        corpus.skipped[0].reason.contains("too large"),
        "{:?}",
        corpus.skipped
    );
}

#[test]
fn slugs_are_unique_across_folders() {
    let folder = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir_all(folder.path().join(sub)).unwrap();
        std::fs::write(
            folder.path().join(sub).join("讲话.txt"),
            "讲话\n同志们：\n今天开会。",
        )
        .unwrap();
    }
    let corpus = corpus::load(folder.path()).unwrap();
    let slugs: Vec<&str> = corpus.speeches.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(slugs, vec!["讲话", "讲话-2"]);
}

fn marker_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "一、",
        "(一)",
        "（二）",
        "1.",
        "1、",
        "2、",
        "(1)",
        "第一部分",
        "同志们:",
        "。",
        ",",
        " ",
        "\n",
        "\u{3000}",
        "由会员分享",
        "- 关 键 词:",
        "第1页 / 共3页",
        "_第2页",
        "10%",
        "3300 多人",
        "注释",
        "——",
        "．",
        "二 ",
        "\r\n",
        "讲话",
        "民政",
        "a",
        "Z.",
        "”",
    ]);
    prop::collection::vec(pieces, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse("random.txt", &bytes);
        let _ = parse("random.md", &bytes);
        let _ = parse("random.docx", &bytes);
    }

    #[test]
    fn random_markers_and_headings_never_panic_and_keep_ids_sequential(text in marker_soup()) {
        if let Ok(speech) = parse("soup.txt", text.as_bytes()) {
            let ids: Vec<u32> = speech.paragraphs().map(|(_, p)| p.id).collect();
            prop_assert_eq!(ids, (1..=speech.paragraph_count() as u32).collect::<Vec<_>>());
            prop_assert!(!speech.slug.is_empty());
        }
        let _ = ingest::docshare::recognise(&text);
    }
}
