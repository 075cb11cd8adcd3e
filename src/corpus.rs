//! Loading a collection folder: the only module that touches the file system.

use crate::ingest::{self, IngestError, decode::DecodeError};
use crate::model::Speech;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file of this name at the top of the collection holds words for the segmenter, one a line.
pub const USER_DICTIONARY: &str = "userdict.txt";

/// Files larger than this are not speeches.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The loaded collection: immutable once built.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Speeches in file-path order.
    pub speeches: Vec<Speech>,
    /// Files that were not loaded, with the reason.
    pub skipped: Vec<Skipped>,
    /// The collection's `userdict.txt`, if it has one.
    pub user_dictionary: Option<String>,
    by_slug: HashMap<String, usize>,
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
    UserDictionary,
}

impl Skipped {
    /// A file left out for `kind`; every kind but `NotSpeech` is a speech file that failed.
    fn new(file: String, kind: SkipKind, reason: String) -> Skipped {
        Skipped {
            file,
            kind,
            reason,
            failed: kind != SkipKind::NotSpeech,
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
    pub fn from_speeches(mut speeches: Vec<Speech>, skipped: Vec<Skipped>) -> Self {
        let mut by_slug = HashMap::new();
        for (index, speech) in speeches.iter_mut().enumerate() {
            let base = speech.slug.clone();
            let mut suffix = 2;
            while by_slug.contains_key(&speech.slug) {
                speech.slug = format!("{base}-{suffix}");
                suffix += 1;
            }
            by_slug.insert(speech.slug.clone(), index);
        }
        Corpus {
            speeches,
            skipped,
            user_dictionary: None,
            by_slug,
        }
    }

    pub fn speech(&self, slug: &str) -> Option<&Speech> {
        self.by_slug.get(slug).map(|&index| &self.speeches[index])
    }

    /// Position of a speech in the collection's order.
    pub fn index_of(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }
}

/// Loads every supported file under `root`, recursively and in parallel. Only an unreadable
/// folder is an error; a bad file is recorded in `skipped` and the rest load.
pub fn load(root: &Path) -> Result<Corpus, CorpusError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    walk(root, root, &mut files, &mut skipped).map_err(|source| CorpusError::Folder {
        path: root.to_owned(),
        source,
    })?;
    files.sort();
    let results: Vec<Result<Speech, Skipped>> =
        files.par_iter().map(|path| load_file(root, path)).collect();
    let mut speeches = Vec::new();
    for result in results {
        match result {
            Ok(speech) => speeches.push(speech),
            Err(skip) => skipped.push(skip),
        }
    }
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    let mut corpus = Corpus::from_speeches(speeches, skipped);
    corpus.user_dictionary = read_user_dictionary(root, &mut corpus.skipped);
    Ok(corpus)
}

fn relative_name(root: &Path, path: &Path) -> String {
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
            skipped.push(Skipped::new(
                relative_name(root, &path),
                SkipKind::NotSpeech,
                format!("not a speech file; Rostrum reads {}", supported_list()),
            ));
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

fn load_file(root: &Path, path: &Path) -> Result<Speech, Skipped> {
    let file = relative_name(root, path);
    let fail = |kind: SkipKind, reason: String| Skipped::new(file.clone(), kind, reason);
    let size = std::fs::metadata(path)
        .map_err(|e| fail(SkipKind::CannotRead, format!("cannot read: {e}")))?
        .len();
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
    ingest::parse(&file, &bytes).map_err(|e| fail(SkipKind::of(&e), e.to_string()))
}
