//! Taking speeches away, read back by independent readers: every `.docx` through pandoc and
//! through Rostrum's own Word reader, Markdown and text, CSVs through Python's `csv` module,
//! the collection's archive, and quotations with their source. pandoc and python3 are
//! required (`.ci/run` installs pandoc): without them these tests fail, they never skip.

mod common;
use common::respond;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rostrum::corpus;
use rostrum::ingest::parse;
use rostrum::model::Speech;
use rostrum::web::AppState;
use rostrum::web::share::Share;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, LazyLock};

/// The bundled collection and the outline texts, in one folder: scrapes, notes, pieces,
/// nested and unnumbered headings.
static STATE: LazyLock<Arc<AppState>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = tempfile::tempdir().expect("a temporary folder");
    for source in ["tests/fixtures/outline/texts", "seeds"] {
        for entry in std::fs::read_dir(root.join(source)).expect("a fixture folder") {
            let path = entry.expect("an entry").path();
            std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let corpus = corpus::load(folder.path()).expect("loads");
    Arc::new(AppState::build(corpus, Share::default()).expect("analysed"))
});

/// A download: its status, headers and bytes.
async fn download(uri: &str) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let request = Request::get(uri)
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::empty())
        .unwrap();
    let (status, headers, bytes) = respond(&STATE, request).await;
    (status, headers, bytes.to_vec())
}

fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .collect()
}

/// Runs `program` on a file holding `bytes`; its standard output.
fn read_back(program: &str, args: &[&str], bytes: &[u8], extension: &str) -> String {
    let mut file = tempfile::Builder::new()
        .suffix(extension)
        .tempfile()
        .unwrap();
    file.write_all(bytes).unwrap();
    let path = file.path().to_str().unwrap().to_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&path);
    let output = Command::new(program)
        .args(&all)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} must be installed (apt-get install pandoc python3): {e}")
        });
    assert!(
        output.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The outline as `(level, label)`, then every paragraph, in reading order.
fn outline_of(speech: &Speech) -> Vec<(usize, String)> {
    speech
        .sections_flat()
        .iter()
        .map(|s| (usize::from(s.level), comparable(&s.label())))
        .collect()
}

fn speeches() -> Vec<&'static Speech> {
    STATE.corpus.speeches.iter().map(|s| &**s).collect()
}

#[tokio::test]
async fn word_downloads_read_back_by_pandoc_have_the_outline_paragraphs_and_notes() {
    for speech in speeches() {
        let (status, headers, docx) = download(&format!("/speeches/{}.docx", speech.slug)).await;
        assert_eq!(status, StatusCode::OK, "{}", speech.slug);
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("wordprocessingml")
        );
        assert!(
            headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        let markdown = read_back(
            "pandoc",
            &["-f", "docx", "-t", "markdown-smart", "--wrap=none", "-s"],
            &docx,
            ".docx",
        );
        let headings: Vec<(usize, String)> = markdown
            .lines()
            .filter(|line| line.starts_with('#'))
            .map(|line| {
                let level = line.chars().take_while(|c| *c == '#').count();
                (level, comparable(&line[level..]))
            })
            .collect();
        let mut expected = outline_of(speech);
        if !speech.notes.is_empty() {
            expected.push((1, "注释".to_owned()));
        }
        assert_eq!(
            headings, expected,
            "{}: Heading 1…n as the outline",
            speech.slug
        );
        assert!(
            markdown.contains(&format!("title: {}", speech.title)),
            "{}",
            speech.slug
        );
        let text = comparable(&markdown);
        let mut from = 0;
        for (_, paragraph) in speech.paragraphs() {
            let wanted = comparable(&paragraph.text);
            let at = text[from..].find(&wanted).unwrap_or_else(|| {
                panic!("{}: ¶{} missing or out of order", speech.slug, paragraph.id)
            });
            from += at + wanted.len();
        }
        for note in &speech.notes {
            assert!(
                text.contains(&comparable(&note.text)),
                "{}: note {}",
                speech.slug,
                note.id
            );
        }
        assert!(
            text.contains(&comparable(&speech.source.file)),
            "the source line names the file"
        );
    }
}

#[tokio::test]
async fn word_downloads_read_back_by_rostrum_give_the_same_outline() {
    for speech in speeches() {
        let (_, _, docx) = download(&format!("/speeches/{}.docx", speech.slug)).await;
        let again = parse("again.docx", &docx).expect("Rostrum reads its own Word file");
        assert_eq!(outline_of(&again), outline_of(speech), "{}", speech.slug);
        assert_eq!(again.title, speech.title);
        assert_eq!(again.notes.len(), speech.notes.len(), "{}", speech.slug);
    }
}

#[tokio::test]
async fn markdown_and_text_downloads_hold_the_outline_and_every_paragraph() {
    for speech in speeches() {
        let (_, headers, md) = download(&format!("/speeches/{}.md", speech.slug)).await;
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/markdown")
        );
        let md = String::from_utf8(md).unwrap();
        assert!(md.starts_with(&format!("# {}\n", speech.title)));
        for section in speech.sections_flat() {
            let heading = format!(
                "{} {}\n",
                "#".repeat(usize::from(section.level) + 1),
                section.label()
            );
            assert!(md.contains(&heading), "{}: {heading}", speech.slug);
        }
        let (_, _, txt) = download(&format!("/speeches/{}.txt", speech.slug)).await;
        let txt = String::from_utf8(txt).unwrap();
        for (_, paragraph) in speech.paragraphs() {
            assert!(
                txt.contains(&paragraph.text),
                "{}: ¶{}",
                speech.slug,
                paragraph.id
            );
            assert!(comparable(&md).contains(&comparable(&paragraph.text)));
        }
    }
}

#[tokio::test]
async fn one_section_downloads_alone_with_its_subsections() {
    let (status, headers, docx) =
        download("/speeches/309-gov-work-report-1955-toc-nested/sections/3.docx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("309%2Dgov%2Dwork%2Dreport%2D1955%2Dtoc%2Dnested%2D3%2Edocx")
    );
    let markdown = read_back(
        "pandoc",
        &["-f", "docx", "-t", "markdown-smart", "--wrap=none"],
        &docx,
        ".docx",
    );
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings.len(),
        10,
        "三 and its nine (一)…(九): {headings:?}"
    );
    assert!(headings[0].starts_with("# 三 第一个五年计划的若干问题"));
    assert!(headings[1].starts_with("## （一）"));
    let (missing, _, _) =
        download("/speeches/309-gov-work-report-1955-toc-nested/sections/9.docx").await;
    assert_eq!(missing, StatusCode::NOT_FOUND);
}

/// A CSV as Python's `csv` module reads it (the byte-order mark taken off).
fn python_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a byte-order mark"
    );
    let json = read_back(
        "python3",
        &[
            "-c",
            "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))",
        ],
        bytes,
        ".csv",
    );
    serde_json::from_str(&json).unwrap()
}

async fn json(uri: &str) -> serde_json::Value {
    let (_, _, bytes) = download(uri).await;
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn csv_tables_parse_to_the_same_rows_as_the_json_api() {
    let slug = "000-fd25136dcbaff602";
    let stats = json(&format!("/api/speeches/{slug}/stats")).await;
    let (_, _, figures) = download(&format!("/speeches/{slug}/figures.csv?lang=en")).await;
    let rows = python_rows(&figures);
    assert_eq!(rows[0][0], "figure");
    let api_figures = stats["figures"].as_array().unwrap();
    assert_eq!(rows.len() - 1, api_figures.len());
    for (row, figure) in rows[1..].iter().zip(api_figures) {
        assert_eq!(row[0], figure["text"].as_str().unwrap());
        assert_eq!(
            row[1].parse::<f64>().unwrap(),
            figure["value"].as_f64().unwrap()
        );
        assert_eq!(row[3], figure["unit"].as_str().unwrap());
        assert_eq!(row[8], figure["clause"].as_str().unwrap());
        assert_eq!(row[9], figure["paragraph"].to_string());
    }
    let (_, _, terms) = download(&format!("/speeches/{slug}/terms.csv")).await;
    let rows = python_rows(&terms);
    assert_eq!(
        rows[0],
        vec!["词语", "次数"],
        "the header in the reader's language"
    );
    let api_terms: Vec<Vec<String>> = stats["top_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            vec![
                t["term"].as_str().unwrap().to_owned(),
                t["count"].to_string(),
            ]
        })
        .collect();
    assert_eq!(rows[1..].to_vec(), api_terms);

    let collection = json("/api/stats").await;
    let (_, _, table) = download("/stats.csv").await;
    let rows = python_rows(&table);
    let api_rows: Vec<Vec<String>> = collection["speeches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let keywords: Vec<&str> = s["keywords"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["term"].as_str().unwrap())
                .collect();
            vec![
                s["slug"].as_str().unwrap().to_owned(),
                s["title"].as_str().unwrap().to_owned(),
                s["characters"].to_string(),
                s["sections"].to_string(),
                s["figures"].to_string(),
                s["partial"].to_string(),
                keywords.join(" "),
            ]
        })
        .collect();
    assert_eq!(rows[1..].to_vec(), api_rows);
}

#[tokio::test]
async fn the_collection_archive_holds_every_speech_and_the_tables() {
    let (status, headers, bytes) = download("/export.zip").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for speech in speeches() {
        let mut md = String::new();
        archive
            .by_name(&format!("rostrum/speeches/{}.md", speech.slug))
            .unwrap_or_else(|_| panic!("{}.md", speech.slug))
            .read_to_string(&mut md)
            .unwrap();
        assert!(md.starts_with(&format!("# {}", speech.title)));
        assert!(
            archive
                .by_name(&format!("rostrum/figures/{}.csv", speech.slug))
                .is_ok()
        );
        assert!(
            archive
                .by_name(&format!("rostrum/terms/{}.csv", speech.slug))
                .is_ok()
        );
    }
    assert!(archive.by_name("rostrum/stats.csv").is_ok());
}

#[tokio::test]
async fn quotations_carry_their_source_with_and_without_javascript() {
    let seed = "000-fd25136dcbaff602";
    let (status, headers, text) = download(&format!("/speeches/{seed}/quote/p4?format=text")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = String::from_utf8(text).unwrap();
    let speech = STATE.corpus.speech(seed).unwrap();
    let paragraph = speech.paragraphs().find(|(_, p)| p.id == 4).unwrap().1;
    assert_eq!(
        text,
        format!(
            "{}\n——《全市民政系统深化忠诚主题教育活动工作会议上讲话》，第一部分(一)，http://127.0.0.1:8080/speeches/{seed}#p4",
            paragraph.text
        )
    );
    let (_, _, english) =
        download(&format!("/speeches/{seed}/quote/s1-2?format=text&lang=en")).await;
    let english = String::from_utf8(english).unwrap();
    assert!(english.starts_with("(二) 勤勤恳恳保发展"));
    assert!(english.ends_with(&format!("— “全市民政系统深化忠诚主题教育活动工作会议上讲话”, section 1.2, http://127.0.0.1:8080/speeches/{seed}#s1-2")));

    let (status, _, page) = download(&format!("/speeches/{seed}/quote/p4")).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(r#"<textarea id="quote-text" class="quote-text" readonly"#));
    assert!(page.contains("——《全市民政系统深化忠诚主题教育活动工作会议上讲话》，第一部分(一)，"));
    let dated = String::from_utf8(
        download("/speeches/305-gov-work-report-1983-unnumbered-headings/quote/p3?format=text")
            .await
            .2,
    )
    .unwrap();
    assert!(dated.contains("，国务院总理 赵紫阳，1983年6月6日在第六届全国人民代表大会第一次会议上，「过去五年的回顾」，"), "{dated}");
    for missing in ["p999", "s9", "x1", "p"] {
        assert_eq!(
            download(&format!("/speeches/{seed}/quote/{missing}"))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn the_reader_links_every_download_and_quotation() {
    let reader = String::from_utf8(download("/speeches/000-fd25136dcbaff602").await.2).unwrap();
    for extension in ["docx", "md", "txt"] {
        assert!(reader.contains(&format!(
            r#"href="/speeches/000-fd25136dcbaff602.{extension}" download"#
        )));
    }
    assert!(reader.contains(
        r#"<a class="quote-link" href="/speeches/000-fd25136dcbaff602/quote/p4" data-quote"#
    ));
    assert!(reader.contains(r#"href="/speeches/000-fd25136dcbaff602/quote/s1-2" data-quote"#));
    let stats =
        String::from_utf8(download("/speeches/000-fd25136dcbaff602/stats").await.2).unwrap();
    assert!(stats.contains(r#"href="/speeches/000-fd25136dcbaff602/figures.csv" download"#));
    assert!(stats.contains(r#"href="/speeches/000-fd25136dcbaff602/terms.csv" download"#));
    let collection = String::from_utf8(download("/stats").await.2).unwrap();
    assert!(collection.contains(r#"href="/stats.csv" download"#));
}
