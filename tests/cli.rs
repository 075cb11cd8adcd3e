//! The real binary: `check` and `export` output and exit codes, the startup banner's URLs, a busy
//! port, a graceful stop on SIGTERM, where the server keeps its work, and its memory settings.

#[path = "common/binary.rs"]
mod binary;

use binary::{BINARY, PROJECT, http_get, serve, start, status_of, urls};
use rostrum::web::share::{lan_addresses, system_interfaces};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

fn run(args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .current_dir(PROJECT)
        .output()
        .expect("the binary runs")
}

#[test]
fn check_prints_one_line_per_file_and_fails_on_bad_files() {
    let samples = format!("{PROJECT}/tests/fixtures/samples");
    let output = run(&["check", &samples]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().filter(|l| l.starts_with("ok ")).count(), 7);
    assert!(stdout.contains("401_udhr-chinese-gbk.txt | 世界人权宣言 | text GBK"));

    let seeds = String::from_utf8(run(&["check"]).stdout).unwrap();
    assert!(
        seeds.contains("docshare UTF-8 | pages 9/11 | 4 sections"),
        "{seeds}"
    );
    assert!(seeds.contains("partial preview: 9 of 11 pages"));

    let hostile = run(&["check", "tests/fixtures/hostile"]);
    assert_eq!(hostile.status.code(), Some(1));
    let report = String::from_utf8(hostile.stdout).unwrap();
    assert!(report.contains("FAILED  empty.txt: the file is empty"));
    assert!(report.contains("skipped image.png"));
    assert!(
        report.ends_with("2 speeches loaded, 1 failed, 1 other file skipped\n"),
        "{report}"
    );
}

#[test]
fn check_outline_prints_each_tree_and_what_looks_wrong() {
    let output = run(&["check", "--outline", "tests/fixtures/outline/texts"]);
    assert!(output.status.success());
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("\n            3.1 [（一） 关于工业和运输业的基本建设问题] (33 ¶)\n"),
        "{report}"
    );
    assert!(
        report.contains("\n          1 [一] (14 ¶)\n"),
        "a lone numeral heading"
    );
    assert!(report.contains("notes: 5"));
    assert!(
        report.contains("warning: no headings found in"),
        "a long text without headings"
    );
    let samples = run(&["check", "--outline", "tests/fixtures/samples"]);
    assert!(
        String::from_utf8(samples.stdout)
            .unwrap()
            .contains("          2 [第一条] (1 ¶)")
    );
}

/// The speeches of the bundled collection, which `rostrum` alone serves: the seed and a few
/// real speeches, one text file each.
fn bundled_speeches() -> usize {
    std::fs::read_dir(Path::new(PROJECT).join("seeds"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "txt"))
        })
        .count()
}

#[test]
fn export_prints_the_collection_as_json() {
    let output = run(&["export"]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let speeches = json.as_array().expect("an array of speeches");
    assert_eq!(speeches.len(), bundled_speeches());
    assert_eq!(
        speeches[0]["title"],
        "全市民政系统深化忠诚主题教育活动工作会议上讲话"
    );
    assert_eq!(speeches[0]["source"]["site"], "淘文阁");
}

#[test]
fn banner_prints_the_loopback_url_that_serves_the_collection() {
    let server = serve(&["--port", "0"]);
    assert!(
        server.banner[0].contains(&format!("{} 篇讲话", bundled_speeches())),
        "{:?}",
        server.banner
    );
    let urls = urls(&server.banner);
    assert_eq!(urls.len(), 1, "loopback only: {urls:?}");
    assert!(urls[0].starts_with("http://127.0.0.1:") && !urls[0].ends_with(":0/"));
    let answer = http_get(&urls[0], "/");
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert!(answer.contains("全市民政系统深化忠诚主题教育活动工作会议上讲话"));
}

#[test]
fn banner_with_lan_lists_every_reachable_address() {
    let server = serve(&["--lan", "--port", "0"]);
    let urls = urls(&server.banner);
    let port = urls[0]
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let mut expected = vec![format!("http://127.0.0.1:{port}/")];
    expected.extend(
        lan_addresses(&system_interfaces())
            .iter()
            .map(|ip| format!("http://{ip}:{port}/")),
    );
    assert_eq!(urls, expected);
    assert!(urls.iter().all(|u| !u.contains("169.254.")));
    assert_eq!(status_of(&http_get(&urls[0], "/")), 200);
}

#[test]
fn a_busy_port_is_one_clear_line_and_a_failing_exit() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = run(&["serve", "--port", &port]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.contains(" WARN ")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains(&format!("port {port} is already in use")) && lines[0].contains("--port")
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut server = serve(&["--port", "0"]);
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    for _ in 0..100 {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not stop within 10 s of SIGTERM");
}

#[cfg(target_os = "linux")]
#[test]
fn the_server_turns_transparent_huge_pages_off_for_itself() {
    let server = serve(&["--port", "0"]);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .expect("the server's status");
    let line = status
        .lines()
        .find(|line| line.starts_with("THP_enabled:"))
        .expect("the kernel reports THP_enabled (Linux 5.0 and later)");
    assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
}

/// Whether, within 10 s, a search index, the verdicts of the parts and the statistics (both
/// written once the statistics are counted) are stored under the cache root `cache`.
fn work_stored_in(cache: &std::path::Path) -> bool {
    (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        std::fs::read_dir(cache)
            .into_iter()
            .flatten()
            .flatten()
            .any(|entry| {
                let collection = entry.path();
                collection.join("index/rostrum-manifest").is_file()
                    && collection.join("parts/verdicts").is_file()
                    && collection.join("statistics").is_file()
            })
    })
}

/// Whether the server at `base` has counted its statistics within 60 s.
fn statistics_counted(base: &str) -> bool {
    (0..600).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        status_of(&http_get(base, "/api/stats")) == 200
    })
}

#[test]
fn the_server_keeps_its_work_in_the_users_cache_directory_unless_told_otherwise() {
    let default = serve(&["--port", "0"]);
    let root = default.cache_home.path().join("rostrum");
    assert!(work_stored_in(&root), "nothing stored under {root:?}");

    let elsewhere = tempfile::tempdir().unwrap();
    let moved = serve(&[
        "--port",
        "0",
        "--cache-dir",
        elsewhere.path().to_str().unwrap(),
    ]);
    assert!(work_stored_in(elsewhere.path()), "--cache-dir moves it");
    let default_root = moved.cache_home.path().join("rostrum");
    assert!(!default_root.exists(), "and nothing goes to the default");

    let nothing = serve(&["--port", "0", "--no-cache"]);
    assert!(statistics_counted(&urls(&nothing.banner)[0]));
    let written: Vec<_> = std::fs::read_dir(nothing.cache_home.path())
        .unwrap()
        .collect();
    assert!(written.is_empty(), "--no-cache writes nothing: {written:?}");
}

#[test]
fn the_cache_is_never_written_inside_the_collection() {
    let collection = tempfile::tempdir().unwrap();
    let sample = "105_mao-ten-major-relationships.txt";
    std::fs::copy(
        format!("tests/fixtures/samples/{sample}"),
        collection.path().join(sample),
    )
    .unwrap();
    let inside = collection.path().join(".cache");
    let folder = collection.path().to_str().unwrap();
    let server = serve(&[
        folder,
        "--port",
        "0",
        "--cache-dir",
        inside.to_str().unwrap(),
    ]);
    assert!(statistics_counted(&urls(&server.banner)[0]));
    let files: Vec<_> = std::fs::read_dir(collection.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, [sample], "nothing but the speech in the collection");
}

#[test]
fn without_a_subcommand_the_environment_sets_folder_host_port_and_cache() {
    let cache = tempfile::tempdir().unwrap();
    let server = start(
        &[],
        &[
            ("ROSTRUM_DIR", "tests/fixtures/samples"),
            ("ROSTRUM_HOST", "127.0.0.2"),
            ("ROSTRUM_PORT", "0"),
            ("ROSTRUM_CACHE_DIR", cache.path().to_str().unwrap()),
        ],
    );
    assert!(server.banner[0].contains("7 篇讲话"), "{:?}", server.banner);
    let urls = urls(&server.banner);
    assert!(
        urls.iter().any(|u| u.starts_with("http://127.0.0.2:")),
        "{urls:?}"
    );
    let answer = http_get(&urls[0], "/");
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert!(answer.contains("世界人权宣言"), "the samples are served");
    assert!(work_stored_in(cache.path()), "ROSTRUM_CACHE_DIR is used");
}
