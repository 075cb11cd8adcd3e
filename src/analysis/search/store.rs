//! The search index kept in the cache between runs, so that a restart with nothing changed opens it
//! instead of building it again. An entry is keyed by all the index is built from: the
//! speeches as parsed, the user dictionary, and this build of Rostrum.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tantivy::Index;
use tantivy::directory::MmapDirectory;

use super::build::{Completeness, register_tokenizers, schema};
use super::{SearchError, SearchIndex};
use crate::analysis::segment::Segmenter;
use crate::corpus::Corpus;

/// The file in an entry that holds its key; written last, so an entry without it is unfinished.
const KEY_FILE: &str = "rostrum-key";

/// The search index of one collection in the cache: a folder holding the index files and
/// the key they were built for.
pub struct IndexCache {
    folder: PathBuf,
    key: OnceLock<String>,
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

impl IndexCache {
    /// The index kept in `folder`.
    pub fn new(folder: PathBuf) -> IndexCache {
        IndexCache {
            folder,
            key: OnceLock::new(),
        }
    }

    /// The folder of the index, if one was stored for exactly this `corpus`. An absent entry
    /// is seen without reading the collection again; otherwise its key is computed once.
    pub fn stored_for(&self, corpus: &Corpus) -> Option<&Path> {
        let stored = std::fs::read_to_string(self.folder.join(KEY_FILE)).ok()?;
        (stored == *self.key(corpus)).then_some(self.folder.as_path())
    }

    /// Stores an index for `corpus`: `write` fills a folder beside the entry, which then
    /// replaces it, so a reader never sees half an entry.
    pub fn store(
        &self,
        corpus: &Corpus,
        write: impl FnOnce(&Path) -> Result<(), tantivy::TantivyError>,
    ) -> Result<(), CacheError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| CacheError::Write { path, source }
        };
        let staging = self
            .folder
            .with_extension(format!("new-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        write(&staging)?;
        std::fs::write(staging.join(KEY_FILE), self.key(corpus)).map_err(io(&staging))?;
        if self.folder.exists() {
            std::fs::remove_dir_all(&self.folder).map_err(io(&self.folder))?;
        }
        std::fs::rename(&staging, &self.folder).map_err(io(&self.folder))
    }

    /// Forgets the stored index: it is about to be changed in place, and no longer matches
    /// its key. The next start builds and stores it again.
    pub fn forget(&self) {
        let key = self.folder.join(KEY_FILE);
        if let Err(error) = std::fs::remove_file(&key)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(
                "cannot forget the cached search index {}: {error}",
                key.display()
            );
        }
    }

    fn key(&self, corpus: &Corpus) -> &String {
        self.key.get_or_init(|| key_of(corpus))
    }
}

/// A digest of everything the index is built from, this build of Rostrum included.
fn key_of(corpus: &Corpus) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(crate::cache::build_identity());
    field(
        corpus
            .user_dictionary
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
    );
    for speech in &corpus.speeches {
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
    }
    hasher.finalize().to_hex().to_string()
}

impl SearchIndex {
    /// Opens the index stored in `folder` by `store` for `corpus`, if it has this version's
    /// schema.
    pub fn open(
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
        let search = SearchIndex::ready(
            index,
            fields,
            segmenter.clone(),
            None,
            Completeness::Complete,
            corpus,
        )?;
        search.log_size();
        Ok(search)
    }

    /// Whether the index is the one stored in the cache (opened from it, not built).
    pub fn is_stored(&self) -> bool {
        self.memory.is_none()
    }

    /// Stores the index in `cache` for `corpus`, the collection it was built from; `false` if
    /// there was nothing to store: the index was opened from the cache, or is a quick one.
    pub fn store(&self, cache: &IndexCache, corpus: &Corpus) -> Result<bool, CacheError> {
        let (Some(memory), Completeness::Complete) = (&self.memory, self.completeness) else {
            return Ok(false);
        };
        cache.store(corpus, |folder| {
            memory.persist(&MmapDirectory::open(folder)?)
        })?;
        Ok(true)
    }
}
