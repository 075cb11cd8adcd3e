//! Command-line arguments (clap derive): `serve`, `check` and `export`, each over a collection folder.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Rostrum (讲坛): a reading room for Chinese official speeches.
///
/// With no subcommand it serves, taking `serve`'s arguments and environment variables.
#[derive(Debug, Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

impl Cli {
    /// The command to run: the subcommand given, or `serve` with the top-level arguments.
    pub fn command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve a collection to browsers (the default: `rostrum` alone serves the bundled seeds).
    Serve(ServeArgs),
    /// Parse every file and print one line per file; exit 1 if any file failed.
    Check(CheckArgs),
    /// Print the whole collection as JSON, the same model as `/api/speeches`.
    Export(CollectionArg),
}

#[derive(Debug, Clone, Args)]
pub struct CollectionArg {
    /// Folder of speech files (.txt, .md, .docx), read recursively. Default: the bundled seeds.
    #[arg(env = "ROSTRUM_DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub collection: CollectionArg,
    /// Print each file's outline as an indented tree: number, title, paragraphs, notes, and
    /// what looks wrong (numbering gaps, headings with no text, a long text with no headings).
    #[arg(long)]
    pub outline: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub collection: CollectionArg,
    /// Address to listen on.
    #[arg(long, env = "ROSTRUM_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on.
    #[arg(long, short, env = "ROSTRUM_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Listen on every interface so that colleagues on the local network can open it.
    #[arg(long)]
    pub lan: bool,
    /// Keep what is computed of each file (its parse, statistics and search index) in this
    /// folder between runs, so that a restart computes only the files that changed. Default:
    /// `rostrum` in the user's cache directory (e.g. `~/.cache/rostrum`). Never written
    /// inside the collection folder.
    #[arg(long, env = "ROSTRUM_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Keep nothing on disk: every start computes everything afresh.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
    /// Ask every visitor for a key: the one given, or (with no value) one made up at start and
    /// printed in the banner's links. The links and QR codes carry it once; the browser then
    /// keeps it in a cookie.
    #[arg(long, env = "ROSTRUM_TOKEN", num_args = 0..=1, default_missing_value = "")]
    pub token: Option<String>,
    /// Another name requests may use for this server (besides localhost, its addresses and
    /// host name), e.g. a DNS name colleagues use; repeatable.
    #[arg(long, env = "ROSTRUM_ALLOW_HOST", value_delimiter = ',')]
    pub allow_host: Vec<String>,
    /// Do not watch the folder: files added, edited, renamed or deleted while serving are seen
    /// only at the next start. By default every change is taken in within a second.
    #[arg(long)]
    pub no_watch: bool,
    /// No log line per request; warnings and errors only.
    #[arg(long, short)]
    pub quiet: bool,
}

impl ServeArgs {
    /// The folder to keep work in between runs: the one given, or the user's cache
    /// directory's; `None` with `--no-cache`.
    pub fn cache_root(&self) -> Option<PathBuf> {
        if self.no_cache {
            None
        } else {
            self.cache_dir.clone().or_else(crate::cache::default_root)
        }
    }
}

impl CollectionArg {
    /// The folder given, or `seeds` here, or the seeds bundled beside the sources this was built from.
    pub fn folder(&self) -> PathBuf {
        if let Some(dir) = &self.dir {
            return dir.clone();
        }
        let here = PathBuf::from("seeds");
        if here.is_dir() {
            here
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")
        }
    }
}
