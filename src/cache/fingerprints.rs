//! Every speech file's fingerprint as last read (its size, its times and the hash of its
//! bytes), kept so that a restart knows the hash of a file that has not changed without
//! reading it: at 100,000 speeches, a gigabyte not read.

use rustc_hash::FxHashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use super::entry::Entry;
use crate::corpus::{Corpus, Fingerprint};

/// A file modified this shortly before it was read may have been modified again within its
/// file system's time resolution (two seconds on FAT), showing the same time with other
/// bytes: its fingerprint is not kept, and it is read again at the next start.
const SETTLED: Duration = Duration::from_secs(2);

/// The fingerprints kept for one collection, in one file of the cache.
pub struct KeptFingerprints {
    path: PathBuf,
    /// What the key starts from (`super::salt`): an entry of another build is not trusted.
    salt: [u8; 32],
    /// The fingerprints read from the file, once, when first asked for.
    kept: OnceLock<FxHashMap<String, Fingerprint>>,
    /// Files found unchanged so far.
    unchanged: AtomicUsize,
}

impl KeptFingerprints {
    /// The fingerprints kept at `path` for the collection in folder `collection`.
    pub fn new(path: PathBuf, collection: &Path) -> KeptFingerprints {
        KeptFingerprints {
            path,
            salt: *super::salt(collection).finalize().as_bytes(),
            kept: OnceLock::new(),
            unchanged: AtomicUsize::new(0),
        }
    }

    /// The fingerprint `file` was last read with, if the file, as `metadata` shows it, has not
    /// changed since.
    pub fn of(&self, file: &str, metadata: &Metadata) -> Option<Fingerprint> {
        let kept = self.kept.get_or_init(|| self.read().unwrap_or_default());
        let fingerprint = kept.get(file).filter(|f| f.unchanged(metadata)).copied();
        self.unchanged
            .fetch_add(usize::from(fingerprint.is_some()), Ordering::Relaxed);
        fingerprint
    }

    /// How many files `of` found unchanged so far.
    pub fn unchanged(&self) -> usize {
        self.unchanged.load(Ordering::Relaxed)
    }

    fn read(&self) -> Option<FxHashMap<String, Fingerprint>> {
        let entry = Entry::read(&self.path)??;
        let [salt, fingerprints] = entry.sections()?;
        if salt != self.salt {
            return None;
        }
        postcard::from_bytes(fingerprints).ok()
    }

    /// Keeps the fingerprints of `corpus`'s files, read from `loaded_at` on, in place of
    /// those kept before; not those of files modified shortly before (`SETTLED`).
    pub fn keep(&self, corpus: &Corpus, loaded_at: SystemTime) {
        let settled_by = loaded_at.checked_sub(SETTLED).unwrap_or(loaded_at);
        let settled: FxHashMap<&str, &Fingerprint> = corpus
            .fingerprints()
            .filter(|(_, fingerprint)| fingerprint.modified_before(settled_by))
            .collect();
        let written = postcard::to_stdvec(&settled)
            .map_err(std::io::Error::other)
            .and_then(|bytes| Entry::write(&self.path, &[&self.salt, &bytes]));
        if let Err(error) = written {
            let path = self.path.display();
            tracing::warn!("cannot keep the files' fingerprints in {path}: {error}");
        }
    }
}
