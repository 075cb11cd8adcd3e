//! The collection's statistics as last counted, kept whole: a restart with every file as it
//! was has them at once, instead of summing every file's parts again. They are kept under a
//! key of every speech file's name and bytes, in order (with this build and the user
//! dictionary): after any change to the collection they are stale, and the parts are summed.
//! The speeches' statistics are kept in chunks, encoded (a few at a time) and decoded in
//! parallel.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use super::entry::Entry;
use crate::analysis::profile::Profile;
use crate::analysis::stats::{SpeechStats, Statistics};
use crate::corpus::Corpus;

/// Speeches whose statistics are encoded together, in one section of the entry.
const SPEECHES_PER_CHUNK: usize = 1_000;

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
        let sections = entry.all_sections()?;
        let [kept_key, terms, chunks @ ..] = sections.as_slice() else {
            return None;
        };
        if *kept_key != key.as_slice() {
            return None;
        }
        let (terms, chunks) = rayon::join(
            || postcard::from_bytes(terms).ok(),
            || {
                chunks
                    .par_iter()
                    .map(|chunk| postcard::from_bytes::<Vec<(SpeechStats, Profile)>>(chunk).ok())
                    .collect::<Option<Vec<_>>>()
            },
        );
        let speeches = chunks?.into_iter().flatten().collect();
        Statistics::from_kept(speeches, terms?, corpus)
    }

    /// Keeps `statistics`, counted for `corpus`, in place of any kept before.
    pub fn keep(&self, corpus: &Corpus, statistics: &Statistics) {
        let Some(key) = self.key(corpus) else {
            return;
        };
        let speeches: Vec<(&SpeechStats, &Profile)> = statistics
            .speeches
            .iter()
            .map(|stats| (&**stats, &stats.profile))
            .collect();
        // A few chunks at a time, encoded in parallel, each few written before the next are
        // encoded: all of them at once were the peak of a first start (440 MB of encoded
        // statistics beside the statistics at 100,000 speeches).
        let at_once = SPEECHES_PER_CHUNK * rayon::current_num_threads();
        let chunks = speeches.chunks(at_once).flat_map(|some| {
            some.par_chunks(SPEECHES_PER_CHUNK)
                .map(|chunk| postcard::to_stdvec(chunk).map_err(std::io::Error::other))
                .collect::<Vec<_>>()
        });
        let written = postcard::to_stdvec(statistics.term_totals())
            .map_err(std::io::Error::other)
            .and_then(|terms| {
                let head = [Ok(key.to_vec()), Ok(terms)];
                Entry::write_each(&self.path, head.into_iter().chain(chunks))
            });
        match written {
            Ok(()) => tracing::info!("statistics kept in the cache"),
            Err(error) => {
                let path = self.path.display();
                tracing::warn!("cannot keep the statistics in {path}: {error}");
            }
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
