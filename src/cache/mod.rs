//! Work kept between runs, in the user's cache directory (never in the collection folder):
//! for each collection, every file's fingerprint (`fingerprints`), parse and statistics
//! (`parts`), the collection's statistics as last counted (`statistics`) and the search index.

pub mod entry;
pub mod fingerprints;
pub mod parts;
pub mod statistics;

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::SystemTime;

use crate::analysis::search::IndexCache;
use crate::corpus::{self, Corpus, CorpusError, Digest, Earlier, Fingerprint, USER_DICTIONARY};
use crate::model::Speech;
use fingerprints::KeptFingerprints;
use parts::Parts;
use statistics::KeptStatistics;

/// The folder in the user's cache directory that Rostrum keeps its work in, e.g.
/// `~/.cache/rostrum`; `None` where the system names none.
pub fn default_root() -> Option<PathBuf> {
    dirs::cache_dir().map(|folder| folder.join("rostrum"))
}

/// One collection's place in the cache, a folder under the cache root named after the
/// collection's own folder: its files' parts and its search index.
#[derive(Clone)]
pub struct CollectionCache {
    pub fingerprints: Arc<KeptFingerprints>,
    pub parts: Arc<Parts>,
    pub statistics: Arc<KeptStatistics>,
    pub index: Arc<IndexCache>,
}

impl CollectionCache {
    /// The cache of the collection in folder `collection`, under the cache root `root`;
    /// `None` if `root` lies inside the collection, which Rostrum never writes into.
    pub fn new(root: &Path, collection: &Path) -> Option<CollectionCache> {
        let collection = absolute(collection);
        if absolute(root).starts_with(&collection) {
            tracing::warn!(
                "the cache folder {} is inside the collection {}: nothing is cached",
                root.display(),
                collection.display()
            );
            return None;
        }
        let name = blake3::hash(collection.as_os_str().as_encoded_bytes()).to_hex();
        let folder = root.join(&name[..16]);
        Some(CollectionCache {
            fingerprints: Arc::new(KeptFingerprints::new(folder.join("files"), &collection)),
            parts: Arc::new(Parts::new(folder.join("parts"), &collection)),
            statistics: Arc::new(KeptStatistics::new(folder.join("statistics"), &collection)),
            index: Arc::new(IndexCache::new(folder.join("index"), &collection)),
        })
    }

    /// Loads the collection in folder `root` with what this cache kept of its files, and keeps
    /// their fingerprints for the next start.
    pub fn load(&self, root: &Path) -> Result<Corpus, CorpusError> {
        let loaded_at = SystemTime::now();
        let corpus = corpus::load_reusing(root, self)?;
        self.fingerprints.keep(&corpus, loaded_at);
        Ok(corpus)
    }
}

impl Earlier for CollectionCache {
    fn fingerprint(&self, file: &str, metadata: &Metadata) -> Option<Fingerprint> {
        self.fingerprints.of(file, metadata)
    }

    fn speech(&self, file: &str, digest: &Digest) -> Option<Speech> {
        self.parts.speech(file, digest)
    }
}

/// What every key of the collection in folder `collection` starts from: this build, and the
/// collection's user dictionary, which segmentation depends on.
pub(crate) fn salt(collection: &Path) -> blake3::Hasher {
    let mut salt = blake3::Hasher::new();
    let identity = build_identity();
    salt.update(&(identity.len() as u64).to_le_bytes());
    salt.update(identity);
    salt.update(&std::fs::read(collection.join(USER_DICTIONARY)).unwrap_or_default());
    salt
}

/// `path` made absolute with its links resolved, as far as it exists; as given otherwise.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_owned();
    let mut rest = Vec::new();
    while !existing.as_os_str().is_empty() {
        if let Ok(resolved) = std::fs::canonicalize(&existing) {
            return rest
                .into_iter()
                .rev()
                .fold(resolved, |path, part| path.join(part));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => break,
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// This build of Rostrum, which what it cached depends on (the parser, the tokenizers, the
/// schema): its version, and the size and time of its executable, so that any new build
/// computes afresh.
pub fn build_identity() -> &'static [u8] {
    static IDENTITY: LazyLock<Vec<u8>> = LazyLock::new(|| {
        let mut identity = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
        if let Ok(binary) = std::env::current_exe().and_then(std::fs::metadata) {
            identity.extend(binary.len().to_le_bytes());
            let modified = binary.modified().ok();
            let since_epoch = modified.and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
            identity.extend(since_epoch.unwrap_or_default().as_nanos().to_le_bytes());
        }
        identity
    });
    &IDENTITY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_inside_the_collection_is_refused() {
        let collection = tempfile::tempdir().expect("a folder");
        let inside = collection.path().join("sub/cache");
        assert!(CollectionCache::new(&inside, collection.path()).is_none());
        let elsewhere = tempfile::tempdir().expect("a folder");
        assert!(CollectionCache::new(elsewhere.path(), collection.path()).is_some());
    }
}
