//! Running the real binary in a test: start it, read its banner up to its last line, and stop
//! it when the test is done. Shared by several test crates, each of which uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
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
    let mut child = command
        .current_dir(PROJECT)
        .env("RUST_LOG", "warn")
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
    Server { child, banner }
}

/// The URLs a banner lists, in order.
pub fn urls(banner: &[String]) -> Vec<String> {
    banner
        .iter()
        .filter_map(|line| line.find("http://").map(|at| line[at..].trim().to_owned()))
        .collect()
}
