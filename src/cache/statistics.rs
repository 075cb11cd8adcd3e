//! The collection's statistics as last counted, kept whole: a restart with every file as it
//! was has them at once, instead of summing every file's parts again. They are kept under a
//! key of every speech file's name and bytes, in order (with this build and the user
//! dictionary): after any change to the collection they are stale, and the parts are summed.

use std::path::{Path, PathBuf};

use super::entry::Entry;
use crate::analysis::stats::Statistics;
use crate::corpus::Corpus;

/// The statistics kept for one collection, in one file of the cache.
pub struct KeptStatistics {
    path: PathBuf,
    /// What the key starts from (`super::salt`).
    salt: blake3::Hasher,
}

impl KeptStatistics {
    /// The statistics kept at `path` for the collection in folder `collection`.
    pub fn new(path: PathBuf, collection: &Path) -> KeptStatistics {
        KeptStatistics {
            path,
            salt: super::salt(collection),
        }
    }

    /// The statistics kept for `corpus` as it is, if any, and whole.
    pub fn recall(&self, corpus: &Corpus) -> Option<Statistics> {
        let key = self.key(corpus)?;
        let entry = Entry::read(&self.path)??;
        let [kept_key, kept] = entry.sections()?;
        if kept_key != key.as_slice() {
            return None;
        }
        Statistics::from_kept(postcard::from_bytes(kept).ok()?, corpus)
    }

    /// Keeps `statistics`, counted for `corpus`, in place of any kept before.
    pub fn keep(&self, corpus: &Corpus, statistics: &Statistics) {
        let Some(key) = self.key(corpus) else {
            return;
        };
        let written = postcard::to_stdvec(&statistics.keeping())
            .map_err(std::io::Error::other)
            .and_then(|kept| Entry::write(&self.path, &[&key, &kept]));
        if let Err(error) = written {
            tracing::warn!(
                "cannot keep the statistics in {}: {error}",
                self.path.display()
            );
        }
    }

    /// The key of `corpus`: every speech's file, the digest of its bytes and its slug, in
    /// order; `None` if a speech's file is not known by its digest.
    fn key(&self, corpus: &Corpus) -> Option<[u8; 32]> {
        let mut hasher = self.salt.clone();
        for speech in &corpus.speeches {
            let file = &speech.source.file;
            let digest = corpus.digest_of(file)?;
            for field in [file.as_bytes(), &digest, speech.slug.as_bytes()] {
                hasher.update(&(field.len() as u64).to_le_bytes());
                hasher.update(field);
            }
        }
        Some(*hasher.finalize().as_bytes())
    }
}
