//! Running the real binary in a test: start it, read its banner up to its last line, and stop
//! it when the test is done. Shared by several test crates, each of which uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BINARY: &str = env!("CARGO_BIN_EXE_rostrum");
pub const PROJECT: &str = env!("CARGO_MANIFEST_DIR");

/// A running server whose stdout banner has been read up to its last line; killed when
/// dropped.
pub struct Server {
    pub child: Child,
    pub banner: Vec<String>,
    /// The user's cache directory as the server sees it (`XDG_CACHE_HOME`): a folder of its
    /// own, so that no test writes into the real one.
    pub cache_home: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `rostrum serve ARGS`, once its banner is printed.
pub fn serve(args: &[&str]) -> Server {
    let mut command = vec!["serve"];
    command.extend(args);
    start(&command, &[])
}

/// The binary with `args` and the environment variables `env`, once its banner is printed.
pub fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut command = Command::new(BINARY);
    command.args(args).envs(env.iter().copied());
    start_command(command)
}

/// `command` (which runs the binary), in the project folder, once its banner is printed.
pub fn start_command(mut command: Command) -> Server {
    let cache_home = tempfile::tempdir().expect("a cache directory");
    let mut child = command
        .current_dir(PROJECT)
        .env("RUST_LOG", "warn")
        .env("XDG_CACHE_HOME", cache_home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("a piped stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut banner = Vec::new();
    while let Ok(line) = received.recv_timeout(Duration::from_secs(30)) {
        let last = line.contains("Ctrl-C");
        banner.push(line);
        if last {
            break;
        }
    }
    assert!(
        banner.last().is_some_and(|l| l.contains("Ctrl-C")),
        "no full banner: {banner:?}"
    );
    Server {
        child,
        banner,
        cache_home,
    }
}

/// The URLs a banner lists, in order.
pub fn urls(banner: &[String]) -> Vec<String> {
    banner
        .iter()
        .filter_map(|line| line.find("http://").map(|at| line[at..].trim().to_owned()))
        .collect()
}

/// The raw answer (status line, headers, body) to `GET path` from the server at `base`
/// (`http://127.0.0.1:PORT/`), as text.
pub fn http_get(base: &str, path: &str) -> String {
    String::from_utf8_lossy(&http_get_bytes(base, path)).into_owned()
}

/// The same as bytes. HTTP/1.0, so that the body is neither chunked nor compressed.
pub fn http_get_bytes(base: &str, path: &str) -> Vec<u8> {
    let address = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").expect("a request sent");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("an answer");
    answer
}

/// The status code of a raw answer; 0 if it has none.
pub fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}
