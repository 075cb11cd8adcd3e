//! The `rostrum` binary: parses arguments, loads the collection, and runs the command.

use anyhow::Context;
use clap::Parser;
use rostrum::analysis::segment::Segmenter;
use rostrum::analysis::stats::Statistics;
use rostrum::cli::{Cli, Command, ServeArgs};
use rostrum::corpus;
use rostrum::export::exported;
use rostrum::web::server::{self, ServeError};
use std::process::ExitCode;

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeArgs::default()))
    {
        Command::Check(collection) => {
            let corpus = corpus::load(&collection.folder())?;
            print!("{}", rostrum::report::check(&corpus));
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
            let statistics = Statistics::build(&corpus, &segmenter);
            let json = serde_json::to_string_pretty(&exported(&corpus, &statistics))
                .context("serialising the collection")?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => serve(&args),
    }
}

fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "rostrum=info,tower_http=debug".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let folder = args.collection.folder();
    let corpus = corpus::load(&folder)?;
    for skipped in corpus.skipped.iter().filter(|s| s.failed) {
        tracing::warn!("{}: {}", skipped.file, skipped.reason);
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    match runtime.block_on(server::run(args, corpus, &folder.display().to_string())) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(
            error @ (ServeError::PortInUse { .. } | ServeError::Host(_) | ServeError::Bind { .. }),
        ) => {
            eprintln!("rostrum: {error}");
            Ok(ExitCode::from(2))
        }
        Err(error) => Err(error.into()),
    }
}
