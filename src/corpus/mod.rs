//! Loading a collection folder: the only module that touches the file system.

use crate::ingest::{self, IngestError, decode::DecodeError};
use crate::model::Speech;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

pub mod update;

/// A file of this name at the top of the collection holds words for the segmenter, one a line.
pub const USER_DICTIONARY: &str = "userdict.txt";

/// Files larger than this are not speeches.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The loaded collection: immutable once built; a change to the folder builds a new one that
/// shares the speeches it did not touch (`update`).
#[derive(Debug, Default)]
pub struct Corpus {
    /// Speeches in file-path order.
    pub speeches: Vec<Arc<Speech>>,
    /// Files that were not loaded, with the reason.
    pub skipped: Vec<Skipped>,
    /// The collection's `userdict.txt`, if it has one.
    pub user_dictionary: Option<String>,
    by_slug: HashMap<String, usize>,
    /// Each speech file as read, by file: an unchanged file is not read or parsed again, and
    /// a file renamed without a change is known by its digest.
    fingerprints: HashMap<String, Fingerprint>,
    /// Speeches whose file was renamed: the old slug, and the slug that replaced it.
    moved: HashMap<String, String>,
    /// Speeches whose file was deleted, by slug, with their title.
    gone: HashMap<String, Departed>,
}

/// The BLAKE3 hash of a file's bytes.
pub type Digest = [u8; 32];

/// A file as it was read: the hash of its bytes, and its size and times, which tell without
/// opening it again that it has not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub digest: Digest,
    len: u64,
    modified: Option<SystemTime>,
    /// When the file's status last changed (Unix's ctime), which no program can set back:
    /// a copy that keeps a file's size and modification time still changes it.
    status_changed: Option<(i64, i64)>,
}

impl Fingerprint {
    /// The fingerprint of `bytes`, read from a file with `metadata`: their size, whatever
    /// the file holds since.
    fn of_read(bytes: &[u8], metadata: &Metadata) -> Fingerprint {
        Fingerprint {
            digest: *blake3::hash(bytes).as_bytes(),
            len: bytes.len() as u64,
            modified: metadata.modified().ok(),
            status_changed: status_changed(metadata),
        }
    }

    /// Whether a file with `metadata` is surely the one this fingerprint was taken of: same
    /// size, same modification and status-change times (to the nanosecond where the file
    /// system keeps them).
    pub fn unchanged(&self, metadata: &Metadata) -> bool {
        self.modified.is_some()
            && self.len == metadata.len()
            && self.modified == metadata.modified().ok()
            && self.status_changed == status_changed(metadata)
    }

    /// Whether the file was last modified before `time`.
    pub fn modified_before(&self, time: SystemTime) -> bool {
        self.modified.is_some_and(|modified| modified < time)
    }
}

#[cfg(unix)]
fn status_changed(metadata: &Metadata) -> Option<(i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.ctime(), metadata.ctime_nsec()))
}

#[cfg(not(unix))]
fn status_changed(_: &Metadata) -> Option<(i64, i64)> {
    None
}

/// What an earlier run kept of a collection's files, so that loading it again reads and
/// parses only the files that changed.
pub trait Earlier: Sync {
    /// The fingerprint `file` was last read with, if the file, as `metadata` shows it, has
    /// surely not changed since: its bytes need not be read to know their hash.
    fn fingerprint(&self, file: &str, metadata: &Metadata) -> Option<Fingerprint>;
    /// The speech parsed from `file` when its bytes hashed to `digest`.
    fn speech(&self, file: &str, digest: &Digest) -> Option<Speech>;
}

/// A first run: nothing kept.
struct NothingEarlier;

impl Earlier for NothingEarlier {
    fn fingerprint(&self, _: &str, _: &Metadata) -> Option<Fingerprint> {
        None
    }

    fn speech(&self, _: &str, _: &Digest) -> Option<Speech> {
        None
    }
}

/// A speech whose file was deleted: its title for the page that says so, its digest in case
/// the file comes back under another name.
#[derive(Debug, Clone)]
pub struct Departed {
    pub title: String,
    digest: Option<Digest>,
}

/// A speech file read and parsed, with the hash of its bytes.
#[derive(Debug)]
pub struct Loaded {
    pub speech: Speech,
    pub fingerprint: Fingerprint,
}

/// A file left out of the collection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Skipped {
    /// Path relative to the collection folder.
    pub file: String,
    /// What went wrong, for the reader in any language.
    pub kind: SkipKind,
    /// The particulars, in English: an operating-system error, an encoding, a size.
    pub reason: String,
    /// True for a speech file that could not be read; false for a file of a kind Rostrum ignores.
    pub failed: bool,
}

/// Why a file was left out, as the interface names it in the reader's language.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SkipKind {
    CannotRead,
    TooLarge,
    Empty,
    Binary,
    Undecodable,
    BrokenWord,
    NoText,
    NotSpeech,
    /// A document in a format Rostrum does not read (old Word, WPS, PDF…): saved again as
    /// `.docx` or `.txt`, it would be.
    NeedsConverting,
    UserDictionary,
}

impl Skipped {
    /// A file left out for `kind`; every kind is a speech file that failed, but a file Rostrum
    /// does not read, which is listed with what to do.
    pub(crate) fn new(file: String, kind: SkipKind, reason: String) -> Skipped {
        Skipped {
            file,
            kind,
            reason,
            failed: !matches!(kind, SkipKind::NotSpeech | SkipKind::NeedsConverting),
        }
    }
}

impl SkipKind {
    fn of(error: &IngestError) -> SkipKind {
        match error {
            IngestError::Decode(DecodeError::Empty) => SkipKind::Empty,
            IngestError::Decode(DecodeError::Binary) => SkipKind::Binary,
            IngestError::Decode(DecodeError::Unreadable { .. }) => SkipKind::Undecodable,
            IngestError::Docx(_) => SkipKind::BrokenWord,
            IngestError::NoText => SkipKind::NoText,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read the collection folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Corpus {
    /// Builds a collection from parsed speeches, making slugs unique (`name`, `name-2`, …) in order.
    pub fn from_speeches(speeches: Vec<Speech>, skipped: Vec<Skipped>) -> Self {
        Corpus::from_loaded(speeches.into_iter().map(|speech| (speech, None)), skipped)
    }

    /// The same from speeches with the digests of their files, where known.
    fn from_loaded(
        loaded: impl IntoIterator<Item = (Speech, Option<Fingerprint>)>,
        skipped: Vec<Skipped>,
    ) -> Self {
        let mut corpus = Corpus {
            skipped,
            ..Corpus::default()
        };
        for (mut speech, fingerprint) in loaded {
            speech.slug = free_slug(&speech.slug, |slug| corpus.by_slug.contains_key(slug));
            corpus.push(Arc::new(speech), fingerprint);
        }
        corpus
    }

    /// Adds a speech, whose slug no other has, at the end of the collection.
    fn push(&mut self, speech: Arc<Speech>, fingerprint: Option<Fingerprint>) {
        if let Some(fingerprint) = fingerprint {
            self.fingerprints
                .insert(speech.source.file.clone(), fingerprint);
        }
        self.by_slug
            .insert(speech.slug.clone(), self.speeches.len());
        self.speeches.push(speech);
    }

    pub fn speech(&self, slug: &str) -> Option<&Speech> {
        self.by_slug.get(slug).map(|&index| &*self.speeches[index])
    }

    /// Where a speech that is no longer at `slug` went: its new slug if its file was renamed.
    pub fn moved_to(&self, slug: &str) -> Option<&str> {
        self.moved.get(slug).map(String::as_str)
    }

    /// The speech that was at `slug`, if its file was deleted while serving.
    pub fn departed(&self, slug: &str) -> Option<&Departed> {
        self.gone.get(slug)
    }

    /// The hash of the bytes the speech of `file` was read from, if it was read from a file.
    pub fn digest_of(&self, file: &str) -> Option<Digest> {
        self.fingerprints.get(file).map(|f| f.digest)
    }

    /// Every speech file as it was read, by file.
    pub fn fingerprints(&self) -> impl Iterator<Item = (&str, &Fingerprint)> {
        self.fingerprints.iter().map(|(file, f)| (file.as_str(), f))
    }

    /// Position of a speech in the collection's order.
    pub fn index_of(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }
}

/// `wanted`, or the first of `wanted-2`, `wanted-3`, … that is not `taken`.
fn free_slug(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut slug = wanted.to_owned();
    let mut suffix = 2;
    while taken(&slug) {
        slug = format!("{wanted}-{suffix}");
        suffix += 1;
    }
    slug
}

/// Loads every supported file under `root`, recursively and in parallel. Only an unreadable
/// folder is an error; a bad file is recorded in `skipped` and the rest load.
pub fn load(root: &Path) -> Result<Corpus, CorpusError> {
    load_reusing(root, &NothingEarlier)
}

/// The same, taking what `earlier` kept of each file where it has it: a file it knows
/// unchanged is not read, and one whose bytes it parsed is not parsed again.
pub fn load_reusing(root: &Path, earlier: &dyn Earlier) -> Result<Corpus, CorpusError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    walk(root, root, &mut files, &mut skipped).map_err(|source| CorpusError::Folder {
        path: root.to_owned(),
        source,
    })?;
    files.sort_by_cached_key(|path| relative_name(root, path));
    let results: Vec<Result<Loaded, Skipped>> = files
        .par_iter()
        .map(|path| load_file(root, path, earlier))
        .collect();
    let mut speeches = Vec::new();
    for result in results {
        match result {
            Ok(loaded) => speeches.push((loaded.speech, Some(loaded.fingerprint))),
            Err(skip) => skipped.push(skip),
        }
    }
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    let mut corpus = Corpus::from_loaded(speeches, skipped);
    corpus.user_dictionary = read_user_dictionary(root, &mut corpus.skipped);
    Ok(corpus)
}

/// `path` under `root`, with `/` separators: how the collection names its files.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Collects speech files; hidden entries and symbolic links to folders are not followed.
fn walk(
    root: &Path,
    folder: &Path,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') || (folder == root && name == USER_DICTIONARY) {
            continue;
        }
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if let Err(error) = walk(root, &path, files, skipped) {
                skipped.push(Skipped::new(
                    relative_name(root, &path),
                    SkipKind::CannotRead,
                    format!("cannot read folder: {error}"),
                ));
            }
        } else if is_supported(&path) {
            files.push(path);
        } else if !file_type.is_symlink() || path.is_file() {
            skipped.push(not_read(relative_name(root, &path)));
        }
    }
    Ok(())
}

fn read_user_dictionary(root: &Path, skipped: &mut Vec<Skipped>) -> Option<String> {
    let path = root.join(USER_DICTIONARY);
    if !path.is_file() {
        return None;
    }
    match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            ingest::decode::decode(&bytes)
                .map(|d| d.text)
                .map_err(|e| e.to_string())
        }) {
        Ok(text) => Some(text),
        Err(reason) => {
            skipped.push(Skipped::new(
                USER_DICTIONARY.to_owned(),
                SkipKind::UserDictionary,
                format!("user dictionary not read: {reason}"),
            ));
            None
        }
    }
}

/// Documents that are often speeches, in formats Rostrum does not read.
const CONVERTIBLE_EXTENSIONS: &[&str] = &["doc", "wps", "rtf", "pdf", "odt", "pages"];

/// A file Rostrum does not read: a document to save again in a format it reads, or not a
/// speech file at all.
fn not_read(file: String) -> Skipped {
    let extension = Path::new(&file)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    match extension {
        Some(extension) if CONVERTIBLE_EXTENSIONS.contains(&extension.as_str()) => {
            let reason = format!("a .{extension} document: save it as .docx or .txt to read it");
            Skipped::new(file, SkipKind::NeedsConverting, reason)
        }
        _ => {
            let reason = format!("not a speech file; Rostrum reads {}", supported_list());
            Skipped::new(file, SkipKind::NotSpeech, reason)
        }
    }
}

fn supported_list() -> String {
    let extensions: Vec<String> = ingest::SUPPORTED_EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect();
    extensions.join(" ")
}

fn is_supported(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| ingest::SUPPORTED_EXTENSIONS.contains(&e.as_str()))
}

/// The speech files under `folder`, a path under the collection folder `root`, as the
/// collection names them; none if it is not a folder that can be read.
pub fn speech_files_under(root: &Path, folder: &Path) -> Vec<String> {
    let (mut files, mut ignored) = (Vec::new(), Vec::new());
    match walk(root, folder, &mut files, &mut ignored) {
        Ok(()) => files.iter().map(|path| relative_name(root, path)).collect(),
        Err(_) => Vec::new(),
    }
}

/// Whether `relative` (a path under the collection folder, with `/` separators) names a file
/// the collection would load: a speech file, not hidden, not the user dictionary.
pub fn is_speech_file(relative: &str) -> bool {
    relative != USER_DICTIONARY
        && !relative.split('/').any(|part| part.starts_with('.'))
        && is_supported(Path::new(relative))
}

fn load_file(root: &Path, path: &Path, earlier: &dyn Earlier) -> Result<Loaded, Skipped> {
    let file = relative_name(root, path);
    let known = std::fs::metadata(path)
        .ok()
        .and_then(|metadata| earlier.fingerprint(&file, &metadata));
    let known_speech = known.and_then(|fingerprint| {
        let speech = earlier.speech(&file, &fingerprint.digest)?;
        Some(Loaded {
            speech,
            fingerprint,
        })
    });
    if let Some(loaded) = known_speech {
        return Ok(loaded);
    }
    let (bytes, fingerprint) = read_file(&file, path)?;
    // A file known unchanged whose speech was not kept needs no second look.
    let kept = match known {
        Some(known) if known.digest == fingerprint.digest => None,
        _ => earlier.speech(&file, &fingerprint.digest),
    };
    match kept {
        Some(speech) => Ok(Loaded {
            speech,
            fingerprint,
        }),
        None => parse_file(file, &bytes, fingerprint),
    }
}

/// The bytes of the speech file `file` at `path`, and their fingerprint.
fn read_file(file: &str, path: &Path) -> Result<(Vec<u8>, Fingerprint), Skipped> {
    let fail = |kind: SkipKind, reason: String| Skipped::new(file.to_owned(), kind, reason);
    let metadata = std::fs::metadata(path)
        .map_err(|e| fail(SkipKind::CannotRead, format!("cannot read: {e}")))?;
    let size = metadata.len();
    if size > MAX_FILE_BYTES {
        return Err(fail(
            SkipKind::TooLarge,
            format!(
                "too large for a speech ({} MB; the limit is {} MB)",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| fail(SkipKind::CannotRead, format!("cannot read: {e}")))?;
    let fingerprint = Fingerprint::of_read(&bytes, &metadata);
    Ok((bytes, fingerprint))
}

fn parse_file(file: String, bytes: &[u8], fingerprint: Fingerprint) -> Result<Loaded, Skipped> {
    match ingest::parse(&file, bytes) {
        Ok(speech) => Ok(Loaded {
            speech,
            fingerprint,
        }),
        Err(error) => Err(Skipped::new(file, SkipKind::of(&error), error.to_string())),
    }
}
