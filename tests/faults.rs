//! Faults a shared network brings, against the real binary on loopback only, every loop
//! bounded in count and time: slow-header clients and a low open-file limit while a normal
//! client still gets its page, clients that vanish mid-response, oversized heads, odd
//! methods, foreign hosts, HTTP/1.0, pipelining, a small request fuzzer, and token mode.
//! Attackers connect from 127.0.0.3 and the normal client from 127.0.0.2, so the per-address
//! cap is what keeps the door open, as on an office network.

#[path = "common/binary.rs"]
mod binary;

use binary::{BINARY, Server, serve, start_command, urls};
use std::net::{IpAddr, SocketAddr};
use std::process::Command;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const NORMAL_CLIENT: &str = "127.0.0.2";
const ATTACKER: &str = "127.0.0.3";

/// The server's socket address, from its banner.
fn address(server: &Server) -> SocketAddr {
    let url = urls(&server.banner)[0].clone();
    let authority = url.trim_start_matches("http://");
    authority[..authority.find('/').unwrap_or(authority.len())]
        .parse()
        .expect("a socket address")
}

/// Waits (10 s at most) until the statistics are counted, after which nothing answers 503.
async fn wait_for_statistics(server: SocketAddr, cookie: &str) {
    let request = format!(
        "GET /api/stats HTTP/1.1\r\nHost: {server}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    for _ in 0..100 {
        let answer = exchange(
            NORMAL_CLIENT,
            server,
            request.as_bytes(),
            Duration::from_secs(5),
        )
        .await;
        if answer.starts_with("HTTP/1.1 200") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the statistics were not counted within 10 s");
}

/// A connection to `server` from the loopback address `from`.
async fn connect(from: &str, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from.parse::<IpAddr>().unwrap(), 0))?;
    socket.connect(server).await
}

/// Sends `request` raw and reads the answer until the server closes or `limit` passes.
async fn exchange(from: &str, server: SocketAddr, request: &[u8], limit: Duration) -> String {
    let attempt = async {
        let mut stream = connect(from, server).await.ok()?;
        stream.write_all(request).await.ok()?;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        Some(String::from_utf8_lossy(&answer).into_owned())
    };
    tokio::time::timeout(limit, attempt)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn get(path: &str, host: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

/// The time a normal client takes to get the collection page, or `None` if it does not.
async fn normal_page_time(server: SocketAddr) -> Option<Duration> {
    let started = Instant::now();
    let answer = exchange(
        NORMAL_CLIENT,
        server,
        &get("/", &server.to_string()),
        Duration::from_secs(5),
    )
    .await;
    answer
        .starts_with("HTTP/1.1 200")
        .then(|| started.elapsed())
}

/// `count` connections from the attacker that send the start of a request head and then one
/// header line every few seconds, never finishing it.
async fn slow_clients(server: SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut open = Vec::new();
    for _ in 0..count {
        if let Ok(mut stream) = connect(ATTACKER, server).await
            && stream
                .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
                .await
                .is_ok()
        {
            open.push(stream);
        }
    }
    open
}

/// Whether the server has closed `stream` (or refused it): a read returns its end.
async fn closed(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 512];
    loop {
        match tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // a 503 refusal, then the end
            Err(_) => return false,
        }
    }
}

async fn trickle(streams: &mut [TcpStream]) {
    for stream in streams.iter_mut() {
        let _ = stream.write_all(b"X-Slow: 1\r\n").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_header_clients_neither_lock_others_out_nor_stay_forever() {
    let server = serve(&["--port", "0", "--quiet"]);
    let at = address(&server);
    let mut slow = slow_clients(at, 300).await;
    trickle(&mut slow).await;
    let took = normal_page_time(at)
        .await
        .expect("a normal client gets its page");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    // Keep trickling for past the 10 s deadline for a whole request head.
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        trickle(&mut slow).await;
    }
    let mut still_open = 0;
    for stream in &mut slow {
        if !closed(stream).await {
            still_open += 1;
        }
    }
    assert_eq!(
        still_open, 0,
        "every slow connection is closed by the head deadline"
    );
    assert!(normal_page_time(at).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_low_open_file_limit_still_leaves_room_for_a_normal_client() {
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("ulimit -n 256 && exec {BINARY} serve --port 0 --quiet"),
    ]);
    let server = start_command(command);
    let at = address(&server);
    let mut slow = slow_clients(at, 400).await;
    trickle(&mut slow).await;
    let took = normal_page_time(at)
        .await
        .expect("a normal client gets its page under a 256-file limit");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    let refused = {
        let mut refused = 0;
        for stream in &mut slow {
            if closed(stream).await {
                refused += 1;
            }
        }
        refused
    };
    assert!(
        refused >= 300,
        "connections past the caps are refused at once ({refused})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_foreign_and_vanishing_requests_get_clean_answers() {
    let server = serve(&["--port", "0", "--quiet"]);
    let at = address(&server);
    let host = at.to_string();
    let limit = Duration::from_secs(5);

    let huge = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    assert!(
        exchange(NORMAL_CLIENT, at, huge.as_bytes(), limit)
            .await
            .starts_with("HTTP/1.1 431")
    );

    for method in ["POST", "DELETE", "BREW", "PUT"] {
        let request = format!(
            "{method} / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let answer = exchange(NORMAL_CLIENT, at, request.as_bytes(), limit).await;
        assert!(answer.starts_with("HTTP/1.1 405"), "{method}: {answer:.60}");
    }

    let foreign = exchange(
        NORMAL_CLIENT,
        at,
        &get("/api/speeches", "evil.example"),
        limit,
    )
    .await;
    assert!(foreign.starts_with("HTTP/1.1 421"), "{foreign:.60}");
    assert!(!foreign.contains("\"slug\""), "nothing of the collection");
    let rebound = exchange(
        NORMAL_CLIENT,
        at,
        &get("/", &format!("evil.example:{}", at.port())),
        limit,
    )
    .await;
    assert!(rebound.starts_with("HTTP/1.1 421"));

    let old = exchange(NORMAL_CLIENT, at, b"GET / HTTP/1.0\r\n\r\n", limit).await;
    assert!(
        old.starts_with("HTTP/1.0 200") || old.starts_with("HTTP/1.1 200"),
        "{old:.60}"
    );

    let pipelined = format!(
        "GET /api/stats HTTP/1.1\r\nHost: {host}\r\n\r\nGET /speeches/000-fd25136dcbaff602 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    );
    let answers = exchange(NORMAL_CLIENT, at, pipelined.as_bytes(), limit).await;
    assert_eq!(
        answers.matches("HTTP/1.1 ").count(),
        2,
        "two answers to two pipelined requests"
    );

    // Clients that ask for the largest answers and vanish after a few bytes.
    for _ in 0..20 {
        let mut stream = connect(NORMAL_CLIENT, at).await.unwrap();
        stream.write_all(&get("/export.zip", &host)).await.unwrap();
        let mut first = [0u8; 16];
        let _ = stream.read(&mut first).await;
        drop(stream);
    }
    assert!(
        normal_page_time(at).await.is_some(),
        "still serving after they vanished"
    );
}

/// A tiny deterministic generator, so that the fuzzer's requests are the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }

    fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
        choices[self.next(choices.len())]
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_fuzzer_never_sees_a_server_error() {
    let server = serve(&["--port", "0", "--quiet"]);
    let at = address(&server);
    let host = at.to_string();
    wait_for_statistics(at, "").await;
    let mut random = Lcg(20261202);
    let methods = [
        "GET", "HEAD", "POST", "OPTIONS", "GE\tT", "get", "TRACE", "PATCH",
    ];
    let paths = [
        "/",
        "/speeches/000-fd25136dcbaff602",
        "/speeches/%FF",
        "/speeches/..%2f..%2fetc%2fpasswd",
        "/search?q=%E4%BD%8E%E4%BF%9D",
        "/search?q=%00",
        "/stats?sort=🙂",
        "/api/search?q=((",
        "/speeches/000-fd25136dcbaff602/quote/p99999999999",
        "/speeches/x/sections/1.docx",
        "/static/../Cargo.toml",
        "//",
        "/export.zip?lang=xx",
        "/speeches/000-fd25136dcbaff602/kwic?term=",
        "/share/qr.svg?path=//evil",
        "/%",
        "/speeches/000-fd25136dcbaff602.docx",
    ];
    let headers = [
        "",
        "Accept-Encoding: br, gzip\r\n",
        "Cookie: lang=en; rostrum_key=x\r\n",
        "Accept-Language: *;q=0, en;q=\r\n",
        "Content-Length: 5\r\n",
        "Range: bytes=0-10\r\n",
        "Transfer-Encoding: chunked\r\n",
        "X-Forwarded-For: 1.2.3.4\r\n",
    ];
    let bodies = ["", "hello", "0\r\n\r\n", "\u{0}\u{1}\u{2}"];
    let mut answered = 0;
    for _ in 0..200 {
        let request = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\n{}{}Connection: close\r\n\r\n{}",
            random.pick(&methods),
            random.pick(&paths),
            random.pick(&headers),
            random.pick(&headers),
            random.pick(&bodies),
        );
        let answer = exchange(
            NORMAL_CLIENT,
            at,
            request.as_bytes(),
            Duration::from_secs(5),
        )
        .await;
        let status: Option<u16> = answer.get(9..12).and_then(|s| s.parse().ok());
        if let Some(status) = status {
            answered += 1;
            assert!(status < 500, "{status} for {request:?}");
        }
    }
    assert!(
        answered > 150,
        "the fuzzer's requests are answered ({answered})"
    );
    assert!(normal_page_time(at).await.is_some(), "still serving");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_mode_asks_for_the_key_once_then_remembers_it() {
    let server = serve(&["--port", "0", "--quiet", "--token", "open-sesame"]);
    let at = address(&server);
    let host = at.to_string();
    assert!(
        server
            .banner
            .iter()
            .any(|line| line.contains("?key=open-sesame")),
        "{:?}",
        server.banner
    );
    let limit = Duration::from_secs(10);

    let refused = exchange(NORMAL_CLIENT, at, &get("/", &host), limit).await;
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused:.60}");
    assert!(
        refused.contains("访问密钥"),
        "a short page saying to ask for the link"
    );
    assert!(!refused.contains("open-sesame") && !refused.contains("全市民政"));
    let api = exchange(NORMAL_CLIENT, at, &get("/api/speeches", &host), limit).await;
    assert!(api.starts_with("HTTP/1.1 401") && !api.contains("\"slug\""));

    let with_key = exchange(
        NORMAL_CLIENT,
        at,
        &get("/search?q=%E4%BD%8E%E4%BF%9D&key=open-sesame", &host),
        limit,
    )
    .await;
    assert!(with_key.starts_with("HTTP/1.1 303"), "{with_key:.80}");
    let lower = with_key.to_ascii_lowercase();
    assert!(
        lower.contains("\r\nlocation: /search?q=%e4%bd%8e%e4%bf%9d\r\n"),
        "{with_key}"
    );
    let cookie_line = with_key
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: rostrum_key=")
        })
        .expect("a cookie holds the key");
    assert!(
        cookie_line.contains("HttpOnly") && cookie_line.contains("SameSite=Strict"),
        "{cookie_line}"
    );
    let cookie = cookie_line["set-cookie: ".len()..]
        .split(';')
        .next()
        .unwrap();

    for path in [
        "/",
        "/speeches/000-fd25136dcbaff602",
        "/stats",
        "/api/stats",
    ] {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        );
        let answer = exchange(NORMAL_CLIENT, at, request.as_bytes(), limit).await;
        assert!(
            answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.1 503"),
            "{path}: {answer:.60}"
        );
    }

    let mut waits = Vec::new();
    for _ in 0..4 {
        let started = Instant::now();
        let wrong = exchange(NORMAL_CLIENT, at, &get("/?key=guess", &host), limit).await;
        assert!(wrong.starts_with("HTTP/1.1 401"));
        waits.push(started.elapsed());
    }
    assert!(
        waits[3] >= Duration::from_millis(700),
        "wrong keys are slowed: {waits:?}"
    );
    assert!(waits[3] > waits[0], "{waits:?}");
}
