//! The `rostrum` binary: parses arguments, loads the collection, and runs the command.

use anyhow::Context;
use clap::Parser;
use rostrum::analysis::segment::{self, Segmenter};
use rostrum::analysis::stats::{Progress, Statistics};
use rostrum::cache::CollectionCache;
use rostrum::cli::{Cli, Command, ServeArgs};
use rostrum::corpus;
use rostrum::export::exported;
use rostrum::watch;
use rostrum::web::server;
use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc: parsing, indexing and counting allocate from many threads at once, and glibc's
/// allocator keeps much of what they free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<ExitCode> {
    give_back_freed_memory_at_once();
    no_transparent_huge_pages();
    match Cli::parse().command() {
        Command::Check(check) => {
            let corpus = corpus::load(&check.collection.folder())?;
            print!("{}", rostrum::report::check(&corpus, check.outline));
            let failed = corpus.skipped.iter().any(|s| s.failed);
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Export(collection) => {
            let corpus = corpus::load(&collection.folder())?;
            let (segmenter, _) = Segmenter::new(corpus.user_dictionary.as_deref());
            let statistics = Statistics::build(&corpus, &segmenter, &Progress::default(), None);
            let json = serde_json::to_string_pretty(&exported(&corpus, &statistics))
                .context("serialising the collection")?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => serve(&args),
    }
}

/// mimalloc gives memory back to the system some time after it is freed, but only when the
/// thread that freed it allocates again: the threads that parse, index and count sit idle after
/// a pass over the collection, and would keep hundreds of megabytes. So it is given back at
/// once (`mi_option_purge_delay` 0, the 16th option of `mimalloc.h` in its versions 2 and 3).
fn give_back_freed_memory_at_once() {
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, which it reads atomically; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

/// Transparent huge pages cost more than they give here: memory freed at once (above) is
/// given back in pieces of 2 MB pages, which the kernel must split, and taken again as whole
/// pages it must zero. Without them, a restart of 100,000 speeches had its statistics ready
/// about two seconds sooner (most of its time had been the kernel zeroing pages), and the
/// peak memory of a cold start of 10,000 fell by 40 MB.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: sets a flag of this process; no memory is passed.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

/// Logs at `info` by default (one line per request), `warn` with `--quiet`; `RUST_LOG`
/// overrides both.
fn default_log_filter(quiet: bool) -> &'static str {
    if quiet { "warn" } else { "rostrum=info" }
}

fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    // A non-blocking writer: a slow terminal never slows serving (lines are dropped instead).
    let (writer, _flush_on_exit) = tracing_appender::non_blocking(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_log_filter(args.quiet).into()),
        )
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let listener = match runtime.block_on(server::bind(args)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("rostrum: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    let folder = args.collection.folder();
    // Watched before it is read, so that nothing changed meanwhile is missed.
    let watch = if args.no_watch {
        None
    } else {
        watch::watch(&folder)
            .map_err(|error| {
                tracing::warn!(
                    "cannot watch {}: {error}; changes will be seen at the next start",
                    folder.display()
                );
            })
            .ok()
    };
    segment::preload_dictionary();
    let cache = args
        .cache_root()
        .and_then(|root| CollectionCache::new(&root, &folder));
    let started = std::time::Instant::now();
    let corpus = match &cache {
        Some(cache) => cache.load(&folder)?,
        None => corpus::load(&folder)?,
    };
    let (unchanged, recalled) = cache.as_ref().map_or((0, 0), |cache| {
        (
            cache.fingerprints.unchanged(),
            cache.parts.speeches_recalled(),
        )
    });
    tracing::info!(
        "{} speeches loaded in {:.2} s, {recalled} of them from the cache ({unchanged} files \
         known unchanged, not read)",
        corpus.speeches.len(),
        started.elapsed().as_secs_f64(),
    );
    for skipped in corpus.skipped.iter().filter(|s| s.failed) {
        tracing::warn!("{}: {}", skipped.file, skipped.reason);
    }
    runtime.block_on(server::run(listener, args, corpus, &folder, watch, cache))?;
    Ok(ExitCode::SUCCESS)
}
