//! A living collection: the real binary serves a folder while the test changes it (creates,
//! edits, deletes, renames, writes half a file, makes one unreadable, changes many at once),
//! and each change shows in the pages, search and statistics; open pages hear of it. On
//! loopback, every wait bounded.

#[path = "common/binary.rs"]
mod binary;

use binary::{Server, http_get, http_get_bytes, serve, status_of, urls};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a change may take to show; far more than it takes (well under a second), so that
/// a loaded CI machine does not fail the test.
const PATIENCE: Duration = Duration::from_secs(15);

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/samples");

/// A served copy of some of the real samples, in a folder of its own.
struct Collection {
    /// Declared first, so dropped first: the server stops before its folder is deleted.
    _server: Server,
    folder: tempfile::TempDir,
    base: String,
}

impl Collection {
    /// Serves the samples named (copied under the names given) with `extra` arguments.
    fn serve(files: &[(&str, &str)], extra: &[&str]) -> Collection {
        let folder = tempfile::tempdir().expect("a folder");
        for (sample, name) in files {
            std::fs::copy(Path::new(SAMPLES).join(sample), folder.path().join(name))
                .expect("a sample copied");
        }
        let path = folder.path().to_str().expect("a UTF-8 path").to_owned();
        let mut args = vec![path.as_str(), "--port", "0"];
        args.extend(extra);
        let server = serve(&args);
        let base = urls(&server.banner)[0].clone();
        let collection = Collection {
            _server: server,
            folder,
            base,
        };
        // Changes are taken in once the statistics are counted.
        collection.eventually("statistics counted", || {
            (status_of(&collection.get("/api/stats")) == 200).then_some(())
        });
        collection
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    fn get(&self, path: &str) -> String {
        http_get(&self.base, path)
    }

    /// The first `Some` that `check` gives, polling; fails the test after `PATIENCE`.
    fn eventually<T>(&self, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(found) = check() {
                return found;
            }
            assert!(started.elapsed() < PATIENCE, "not seen in time: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Copies the sample `sample` into the folder as `name`.
    fn add(&self, sample: &str, name: &str) {
        std::fs::copy(Path::new(SAMPLES).join(sample), self.path(name)).expect("a file added");
    }

    /// Waits until the speech at `slug` is served.
    fn until_served(&self, slug: &str) {
        let path = format!("/speeches/{slug}");
        self.eventually(&path, || (status_of(&self.get(&path)) == 200).then_some(()));
    }

    /// Adds a file and waits until it is served: every change made before it has been taken in.
    fn until_later_change_is_in(&self) {
        self.add(REPORT_2022, "later.txt");
        self.until_served("later");
    }

    /// The number of speeches the statistics count.
    fn counted(&self) -> usize {
        let answer = self.get("/api/stats");
        let body = &answer[answer.find("\r\n\r\n").expect("a body") + 4..];
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON statistics");
        json["collection"]["speeches"].as_u64().expect("a count") as usize
    }

    /// The slugs of the speeches a search finds.
    fn found(&self, term: &str) -> Vec<String> {
        let answer = self.get(&format!("/api/search?q={term}"));
        let body = &answer[answer.find("\r\n\r\n").expect("a body") + 4..];
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON results");
        json["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|group| group["slug"].as_str().expect("a slug").to_owned())
            .collect()
    }
}

const MAO: &str = "105_mao-ten-major-relationships.txt";
const REPORT_1964: &str = "303_gov-work-report-1964-abstract-fullwidth-digits.txt";
const REPORT_2022: &str = "301_gov-work-report-2022-bom-crlf.txt";

fn two_speeches() -> Collection {
    Collection::serve(&[(MAO, "mao.txt"), (REPORT_1964, "report-1964.txt")], &[])
}

/// The term "%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7", 疫情防控, only the 2022 report uses.
const ONLY_2022: &str = "%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7";

#[test]
fn a_new_file_shows_in_its_page_the_collection_search_and_statistics() {
    let collection = two_speeches();
    assert_eq!(collection.counted(), 2);
    assert!(collection.found(ONLY_2022).is_empty());
    collection.add(REPORT_2022, "report-2022.txt");
    collection.until_served("report-2022");
    assert!(collection.get("/").contains("/speeches/report-2022"));
    assert_eq!(collection.found(ONLY_2022), vec!["report-2022"]);
    assert_eq!(collection.counted(), 3);
    assert_eq!(
        status_of(&collection.get("/speeches/report-2022/stats")),
        200
    );
}

#[test]
fn an_edit_keeps_the_address_and_changes_the_text_search_and_statistics() {
    let collection = two_speeches();
    let before = collection.get("/api/speeches/mao");
    assert!(!before.contains("这是编辑后新加的一段"));
    let text = std::fs::read_to_string(collection.path("mao.txt")).expect("the file");
    let edited = text.replacen("。", "。这是编辑后新加的一段，讲疫情防控。", 1);
    std::fs::write(collection.path("mao.txt"), edited).expect("edited");
    collection.eventually("the edited text", || {
        collection
            .get("/speeches/mao")
            .contains("这是编辑后新加的一段")
            .then_some(())
    });
    assert_eq!(collection.found(ONLY_2022), vec!["mao"]);
    assert_eq!(collection.counted(), 2);
    let stats = collection.get("/api/speeches/mao/stats");
    assert_eq!(status_of(&stats), 200);
    let anchor_kept = collection.get("/speeches/mao");
    assert!(
        anchor_kept.contains("id=\"p1\""),
        "the first paragraph keeps its anchor"
    );
}

#[test]
fn a_deleted_speech_answers_gone_and_leaves_search_and_statistics() {
    let collection = two_speeches();
    assert!(
        !collection.found("%E5%8D%81%E5%A4%A7").is_empty(),
        "十大 is in mao.txt"
    );
    std::fs::remove_file(collection.path("mao.txt")).expect("deleted");
    let page = collection.eventually("410 for the deleted speech", || {
        let page = collection.get("/speeches/mao");
        (status_of(&page) == 410).then_some(page)
    });
    assert!(
        page.contains("href=\"/\""),
        "the page links to the collection"
    );
    assert_eq!(status_of(&collection.get("/api/speeches/mao")), 410);
    assert_eq!(status_of(&collection.get("/speeches/never-was")), 404);
    assert!(
        !collection
            .found("%E5%8D%81%E5%A4%A7")
            .contains(&"mao".to_owned())
    );
    assert_eq!(collection.counted(), 1);
    assert!(!collection.get("/").contains("/speeches/mao\""));
}

#[test]
fn a_renamed_file_redirects_its_old_address_for_good() {
    let collection = two_speeches();
    std::fs::rename(
        collection.path("mao.txt"),
        collection.path("ten-relationships.txt"),
    )
    .expect("renamed");
    let answer = collection.eventually("a redirect from the old address", || {
        let answer = collection.get("/speeches/mao/sections/1?lang=en");
        (status_of(&answer) == 301).then_some(answer)
    });
    assert!(
        answer.contains("location: /speeches/ten-relationships/sections/1?lang=en"),
        "{answer}"
    );
    assert_eq!(
        status_of(&collection.get("/speeches/ten-relationships")),
        200
    );
    assert_eq!(collection.counted(), 2);
    assert_eq!(
        collection.found("%E5%8D%81%E5%A4%A7"),
        vec!["ten-relationships"]
    );
}

#[test]
fn a_half_written_file_waits_for_the_rest_and_a_broken_one_keeps_its_last_version() {
    let collection = two_speeches();
    // A real Word file: the server's own of a speech.
    let answer = http_get_bytes(&collection.base, "/speeches/report-1964.docx");
    let body = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a body")
        + 4;
    let docx = answer[body..].to_vec();
    assert!(docx.starts_with(b"PK"), "a zip");
    // Half a Word file, as a copy in progress leaves it: not loaded, nothing breaks.
    std::fs::write(collection.path("copy.docx"), &docx[..docx.len() / 2]).expect("written");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(status_of(&collection.get("/speeches/copy")), 404);
    assert_eq!(status_of(&collection.get("/")), 200);
    std::fs::write(collection.path("copy.docx"), &docx).expect("the rest written");
    collection.until_served("copy");

    // A speech whose file turns to garbage keeps its last good version.
    std::fs::write(collection.path("copy.docx"), &docx[..docx.len() / 3]).expect("broken");
    collection.until_later_change_is_in();
    assert_eq!(status_of(&collection.get("/speeches/copy")), 200);
    assert_eq!(collection.counted(), 4);
}

#[test]
fn a_file_that_becomes_unreadable_keeps_its_last_good_version() {
    let collection = two_speeches();
    // A file that cannot be read (whoever runs the test): a link to nothing.
    std::fs::remove_file(collection.path("mao.txt")).expect("removed");
    std::os::unix::fs::symlink(collection.path("nowhere.txt"), collection.path("mao.txt"))
        .expect("linked");
    collection.until_later_change_is_in();
    assert_eq!(status_of(&collection.get("/speeches/mao")), 200);
    assert!(!collection.found("%E5%8D%81%E5%A4%A7").is_empty());
    assert_eq!(collection.counted(), 3);
}

#[test]
fn a_burst_of_changes_is_taken_in_whole() {
    let collection = two_speeches();
    let report = std::fs::read(Path::new(SAMPLES).join(REPORT_1964)).expect("a sample");
    for n in 0..30 {
        let mut text = report.clone();
        text.extend(format!("\n第{n}号补充说明：编号{n}的文件。\n").as_bytes());
        std::fs::write(collection.path(&format!("copy-{n:02}.txt")), text).expect("written");
    }
    std::fs::remove_file(collection.path("mao.txt")).expect("deleted");
    // The deletion is the last change: once it is in, so is every write before it. (A count
    // alone could be met halfway: 29 copies with the deleted speech still counted are 31 too.)
    collection.eventually("the deleted speech gone", || {
        (status_of(&collection.get("/speeches/mao")) == 410).then_some(())
    });
    collection.eventually("31 speeches counted", || {
        (collection.counted() == 31).then_some(())
    });
    for n in 0..30 {
        assert_eq!(
            status_of(&collection.get(&format!("/speeches/copy-{n:02}"))),
            200,
            "copy-{n:02} is served"
        );
    }
    let listed = collection
        .get("/")
        .matches("href=\"/speeches/copy-")
        .count();
    assert_eq!(listed, 30, "every new speech is on the collection page");
}

#[test]
fn open_pages_hear_of_changes_and_only_watched_collections_ask() {
    let collection = two_speeches();
    let page = collection.get("/speeches/mao");
    assert!(page.contains("data-live=\"mao\""), "the reader listens");
    assert!(collection.get("/").contains("data-live=\"\""));

    let address = collection
        .base
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("a read timeout");
    write!(stream, "GET /events HTTP/1.1\r\nHost: {address}\r\n\r\n").expect("asked");
    let mut lines = BufReader::new(stream.try_clone().expect("a clone"));
    let mut status = String::new();
    lines.read_line(&mut status).expect("a status line");
    assert!(status.contains(" 200 "), "{status}");
    // Once the stream is open, a change is announced with the speech's slug.
    let mut text = std::fs::read_to_string(collection.path("mao.txt")).expect("the file");
    text.push_str("\n新加的一段。\n");
    std::fs::write(collection.path("mao.txt"), text).expect("edited");
    let started = Instant::now();
    let mut line = String::new();
    loop {
        line.clear();
        lines.read_line(&mut line).expect("an event line");
        if line.starts_with("data:") && line.contains("\"mao\"") {
            break;
        }
        assert!(started.elapsed() < PATIENCE, "no event for the edit");
    }

    let unwatched = Collection::serve(&[(MAO, "mao.txt")], &["--no-watch"]);
    assert!(!unwatched.get("/speeches/mao").contains("data-live"));
    assert_eq!(status_of(&unwatched.get("/events")), 404);
    unwatched.add(REPORT_2022, "new.txt");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        status_of(&unwatched.get("/speeches/new")),
        404,
        "with --no-watch the collection stays as it started"
    );
}
