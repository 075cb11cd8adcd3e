//! The search index kept in the cache between runs, built in a folder beside it and then put
//! in its place. Beside the index files, a manifest says what they hold: the build of Rostrum
//! and the dictionary they were made with, and a digest of each speech's documents. A restart
//! opens the index and applies what changed in the files since; a change while serving is
//! applied to it in place, and its manifest follows.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::Index;

use super::build::{register_tokenizers, schema};
use super::{Place, SearchError, SearchIndex, speech_key};
use crate::analysis::segment::Segmenter;
use crate::cache::entry::Entry;
use crate::corpus::Corpus;
use crate::corpus::update::Delta;
use crate::model::Speech;

/// The file in an entry that says what it holds; written last, so an entry without it is
/// unfinished, and taken away while the index changes in place.
const MANIFEST_FILE: &str = "rostrum-manifest";
/// What the name of a folder an index is built in has after the stored index's name, before
/// the process id.
const STAGING: &str = "new-";
/// A stored index is brought up to date if at most one speech in this many changed; with
/// more, building it afresh (searches reading the collection meanwhile) costs less than the wait.
const UPDATE_AT_MOST_ONE_IN: usize = 10;

/// The search index of one collection in the cache: a folder holding the index files and
/// their manifest.
pub struct IndexCache {
    folder: PathBuf,
    /// This build of Rostrum and the collection's user dictionary (`crate::cache::salt`).
    build: [u8; 32],
    /// The manifest of the index in the folder, once this run has read or written it.
    manifest: Mutex<Option<Manifest>>,
}

/// What a stored index holds.
#[derive(Serialize, Deserialize)]
struct Manifest {
    /// This build of Rostrum and the collection's user dictionary, which every document
    /// depends on.
    build: [u8; 32],
    /// A digest of each speech's documents, by the speech's key.
    speeches: FxHashMap<u64, [u8; 32]>,
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot write the search index cache {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the search index cache: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// A failure to write `path`, for `map_err`.
fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> CacheError {
    let path = path.to_owned();
    move |source| CacheError::Write { path, source }
}

impl IndexCache {
    /// The index kept in `folder` for the collection in folder `collection`.
    pub fn new(folder: PathBuf, collection: &Path) -> IndexCache {
        IndexCache {
            folder,
            build: *crate::cache::salt(collection).finalize().as_bytes(),
            manifest: Mutex::new(None),
        }
    }

    /// Opens the index stored for this collection, first bringing it up to date with `corpus`
    /// if only a few of its speeches changed since; `None` if there is none, or none worth
    /// updating (then the caller builds one).
    pub fn open(
        &self,
        segmenter: &Segmenter,
        corpus: &Corpus,
    ) -> Option<Result<SearchIndex, SearchError>> {
        let stored = self.read_manifest()?;
        let now = self.manifest_of(corpus);
        if stored.build != now.build {
            return None;
        }
        let removed: Vec<u64> = stored
            .speeches
            .iter()
            .filter(|&(key, digest)| now.speeches.get(key) != Some(digest))
            .map(|(&key, _)| key)
            .collect();
        let added: Vec<&Speech> = corpus
            .speeches
            .iter()
            .filter(|speech| {
                let key = speech_key(&speech.slug);
                stored.speeches.get(&key) != now.speeches.get(&key)
            })
            .map(|speech| &**speech)
            .collect();
        let changed = removed.len().max(added.len());
        if changed * UPDATE_AT_MOST_ONE_IN > corpus.speeches.len().max(1) {
            tracing::info!("{changed} speeches changed since the search index was stored");
            return None;
        }
        let opened = SearchIndex::open(&self.folder, segmenter, corpus);
        if changed == 0 || opened.is_err() {
            *self.lock() = opened.is_ok().then_some(stored);
            return Some(opened);
        }
        self.remove_manifest();
        let updated = opened.and_then(|search| search.changed(&removed, &added, corpus));
        if updated.is_ok() {
            tracing::info!("search index: {changed} changed speeches applied to the stored one");
            self.write_manifest(now);
        }
        Some(updated)
    }

    /// A fresh folder beside the stored index to build a new one in, which `keep` then puts in
    /// its place, so that a reader never sees half an index. Folders an earlier run left
    /// unfinished (stopped while building) are removed first.
    pub fn staging(&self) -> Result<PathBuf, CacheError> {
        let staging = self
            .folder
            .with_extension(format!("{STAGING}{}", std::process::id()));
        if let (Some(parent), Some(name)) = (self.folder.parent(), self.folder.file_name()) {
            let unfinished = format!("{}.{STAGING}", name.to_string_lossy());
            for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
                if entry.file_name().to_string_lossy().starts_with(&unfinished) {
                    let path = entry.path();
                    std::fs::remove_dir_all(&path).map_err(write_error(&path))?;
                }
            }
        }
        std::fs::create_dir_all(&staging).map_err(write_error(&staging))?;
        Ok(staging)
    }

    /// Puts the index built in `staging` for `corpus` in place of the stored one, with its
    /// manifest.
    fn keep(&self, staging: &Path, corpus: &Corpus) -> Result<(), CacheError> {
        let manifest = self.manifest_of(corpus);
        Entry::write(&staging.join(MANIFEST_FILE), &[&manifest.encoded()])
            .map_err(write_error(staging))?;
        if self.folder.exists() {
            std::fs::remove_dir_all(&self.folder).map_err(write_error(&self.folder))?;
        }
        std::fs::rename(staging, &self.folder).map_err(write_error(&self.folder))?;
        *self.lock() = Some(manifest);
        Ok(())
    }

    /// Runs `change`, which applies `delta` to the stored index in place, and updates the
    /// manifest to match. The manifest is taken away meanwhile: an index whose change was
    /// interrupted is built afresh at the next start.
    pub fn changing<T, E>(
        &self,
        delta: &Delta,
        change: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.remove_manifest();
        let changed = change();
        let manifest = self.lock().take();
        if let (Ok(_), Some(mut manifest)) = (&changed, manifest) {
            for speech in &delta.removed {
                manifest.speeches.remove(&speech_key(&speech.slug));
            }
            for speech in &delta.added {
                manifest
                    .speeches
                    .insert(speech_key(&speech.slug), documents_digest(speech));
            }
            self.write_manifest(manifest);
        }
        changed
    }

    /// The manifest of an index of `corpus` made by this build.
    fn manifest_of(&self, corpus: &Corpus) -> Manifest {
        Manifest {
            build: self.build,
            speeches: corpus
                .speeches
                .par_iter()
                .map(|speech| (speech_key(&speech.slug), documents_digest(speech)))
                .collect(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Manifest>> {
        self.manifest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn read_manifest(&self) -> Option<Manifest> {
        let entry = Entry::read(&self.folder.join(MANIFEST_FILE))??;
        let [manifest] = entry.sections()?;
        postcard::from_bytes(manifest).ok()
    }

    fn write_manifest(&self, manifest: Manifest) {
        let path = self.folder.join(MANIFEST_FILE);
        match Entry::write(&path, &[&manifest.encoded()]) {
            Ok(()) => *self.lock() = Some(manifest),
            Err(error) => tracing::warn!("cannot write {}: {error}", path.display()),
        }
    }

    fn remove_manifest(&self) {
        let path = self.folder.join(MANIFEST_FILE);
        if let Err(error) = std::fs::remove_file(&path)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!("cannot remove {}: {error}", path.display());
        }
    }
}

impl Manifest {
    fn encoded(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }
}

/// A digest of everything a speech's documents are made of.
fn documents_digest(speech: &Speech) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(speech.slug.as_bytes());
    for section in speech.sections_flat() {
        field(section.id.to_string().as_bytes());
        field(section.label().as_bytes());
    }
    for (section, paragraph) in speech.paragraphs() {
        field(
            section
                .map_or_else(String::new, |s| s.id.to_string())
                .as_bytes(),
        );
        field(&paragraph.id.to_le_bytes());
        field(paragraph.text.as_bytes());
    }
    *hasher.finalize().as_bytes()
}

impl SearchIndex {
    /// Opens the index stored in `folder` for `corpus`, if it has this version's schema.
    fn open(
        folder: &Path,
        segmenter: &Segmenter,
        corpus: &Corpus,
    ) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(folder)?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            let message = "the stored index has another schema".to_owned();
            return Err(tantivy::TantivyError::SchemaError(message).into());
        }
        register_tokenizers(&index, segmenter);
        let search = SearchIndex::ready(index, fields, segmenter.clone(), Place::Stored, corpus)?;
        search.log_size();
        Ok(search)
    }

    /// Whether the index is the one stored in the cache (opened from it, or stored since).
    pub fn is_stored(&self) -> bool {
        self.place == Place::Stored
    }

    /// Puts an index built in a folder of `cache` in place of the one stored there,
    /// for `corpus`, the collection it was built from, and opens it there: `None` if there was
    /// nothing to store (the index is in memory, or stored already).
    pub fn store(
        &self,
        cache: &IndexCache,
        corpus: &Corpus,
    ) -> Result<Option<SearchIndex>, CacheError> {
        let Place::Staged(staging) = &self.place else {
            return Ok(None);
        };
        cache.keep(staging, corpus)?;
        let stored = SearchIndex::open(&cache.folder, &self.segmenter, corpus)
            .map_err(|SearchError(error)| CacheError::Index(error))?;
        Ok(Some(stored))
    }
}
