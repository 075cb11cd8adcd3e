//! Every speech file's parts, kept between runs: the speech as parsed and what was measured of
//! it, each in an entry of its own, under a key made of the file's name, the hash of its bytes
//! and this build, so that a restart parses and measures only the files that changed. An entry
//! carries a checksum: a damaged one is computed again, never used.

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use super::entry::Entry;
use crate::analysis::stats::{Measured, Memory};
use crate::analysis::wording::Wording;
use crate::corpus::{Corpus, Digest};
use crate::ingest::slug_from_file_name;
use crate::model::Speech;

/// The file that holds every speech's washed-wording verdict.
const VERDICTS: &str = "verdicts";

/// An entry of a file's parts: a restart with nothing changed reads only the speeches, its
/// statistics being kept whole (`super::statistics`).
#[derive(Clone, Copy)]
enum Part {
    Speech,
    Measured,
}

/// The parts of one collection's files, in a folder of the cache.
pub struct Parts {
    folder: PathBuf,
    /// What every key starts from: this build, and the collection's user dictionary, which
    /// segmentation depends on.
    salt: blake3::Hasher,
    verdicts: OnceLock<FxHashMap<[u8; 32], Wording>>,
    /// Entries found damaged and computed again.
    damaged: AtomicUsize,
    /// Speeches found whole so far.
    recalled: AtomicUsize,
    /// Whether a failed write was reported: one warning is enough.
    write_failed: AtomicBool,
    /// The keys of the speeches asked for and not found whole, which `keep_speeches_not_found`
    /// writes once they are parsed.
    not_found: Mutex<FxHashSet<[u8; 32]>>,
}

impl Parts {
    /// The parts kept in `folder` for the collection in folder `collection`.
    pub fn new(folder: PathBuf, collection: &Path) -> Parts {
        Parts {
            folder,
            salt: super::salt(collection),
            verdicts: OnceLock::new(),
            damaged: AtomicUsize::new(0),
            recalled: AtomicUsize::new(0),
            write_failed: AtomicBool::new(false),
            not_found: Mutex::default(),
        }
    }

    /// The speech kept for the file `file` with bytes `digest`, if any.
    pub fn speech(&self, file: &str, digest: &Digest) -> Option<Speech> {
        let key = self.key(file, digest);
        let kept = self.read(&self.path(&key, Part::Speech)).and_then(|entry| {
            let [speech] = entry.sections()?;
            self.decoded::<Speech>(speech)
        });
        let Some(mut speech) = kept else {
            self.lock_not_found().insert(key);
            return None;
        };
        self.recalled.fetch_add(1, Ordering::Relaxed);
        // As parsing names it; the collection makes it unique.
        speech.slug = slug_from_file_name(file);
        Some(speech)
    }

    /// Keeps the speeches of `corpus` that `speech` was asked for and did not find: their
    /// measurements may be kept already, or the statistics whole, so counting may not.
    pub fn keep_speeches_not_found(&self, corpus: &Corpus) {
        let not_found = std::mem::take(&mut *self.lock_not_found());
        if not_found.is_empty() {
            return;
        }
        for speech in &corpus.speeches {
            let Some(digest) = corpus.digest_of(&speech.source.file) else {
                continue;
            };
            let key = self.key(&speech.source.file, &digest);
            if not_found.contains(&key)
                && let Ok(bytes) = postcard::to_stdvec(&**speech)
            {
                self.write(&self.path(&key, Part::Speech), &[&bytes]);
            }
        }
    }

    fn lock_not_found(&self) -> std::sync::MutexGuard<'_, FxHashSet<[u8; 32]>> {
        self.not_found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many speeches `speech` found whole so far.
    pub fn speeches_recalled(&self) -> usize {
        self.recalled.load(Ordering::Relaxed)
    }

    /// How many entries were found damaged (and computed again) so far.
    pub fn damaged(&self) -> usize {
        self.damaged.load(Ordering::Relaxed)
    }

    /// Deletes the entries of files that are not in `corpus` as it is, or not with these bytes.
    pub fn forget_all_but(&self, corpus: &Corpus) {
        let kept: std::collections::HashSet<PathBuf> = corpus
            .speeches
            .iter()
            .filter_map(|speech| {
                let digest = corpus.digest_of(&speech.source.file)?;
                Some(self.key(&speech.source.file, &digest))
            })
            .flat_map(|key| [Part::Speech, Part::Measured].map(|part| self.path(&key, part)))
            .collect();
        let Ok(groups) = std::fs::read_dir(&self.folder) else {
            return;
        };
        for group in groups.flatten() {
            let Ok(entries) = std::fs::read_dir(group.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if !kept.contains(&path) {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }

    fn key(&self, file: &str, digest: &Digest) -> [u8; 32] {
        let mut hasher = self.salt.clone();
        hasher.update(&(file.len() as u64).to_le_bytes());
        hasher.update(file.as_bytes());
        hasher.update(digest);
        *hasher.finalize().as_bytes()
    }

    fn path(&self, key: &[u8; 32], part: Part) -> PathBuf {
        let name = blake3::Hash::from_bytes(*key).to_hex();
        let extension = match part {
            Part::Speech => "speech",
            Part::Measured => "measured",
        };
        let file = format!("{name}.{extension}");
        self.folder.join(&name[..2]).join(file)
    }

    /// The entry at `path` if it is there and whole; a damaged one is counted.
    fn read(&self, path: &Path) -> Option<Entry> {
        let entry = Entry::read(path)?;
        if entry.is_none() {
            self.damaged.fetch_add(1, Ordering::Relaxed);
        }
        entry
    }

    fn decoded<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Option<T> {
        let decoded = postcard::from_bytes(bytes).ok();
        if decoded.is_none() {
            self.damaged.fetch_add(1, Ordering::Relaxed);
        }
        decoded
    }

    /// Writes `sections` to `path` as an entry; a failure is reported once.
    fn write(&self, path: &Path, sections: &[&[u8]]) {
        if let Err(error) = Entry::write(path, sections)
            && !self.write_failed.swap(true, Ordering::Relaxed)
        {
            tracing::warn!("cannot write to the cache {}: {error}", path.display());
        }
    }

    fn verdicts(&self) -> &FxHashMap<[u8; 32], Wording> {
        self.verdicts.get_or_init(|| {
            let path = self.folder.join(VERDICTS);
            let entry = self.read(&path);
            let kept = entry.and_then(|entry| {
                let [verdicts] = entry.sections()?;
                self.decoded::<Vec<([u8; 32], Wording)>>(verdicts)
            });
            kept.unwrap_or_default().into_iter().collect()
        })
    }
}

impl Memory for Parts {
    fn recall(&self, speech: &Speech, digest: &Digest) -> Option<(Measured, Option<Wording>)> {
        let key = self.key(&speech.source.file, digest);
        let entry = self.read(&self.path(&key, Part::Measured))?;
        let [measured] = entry.sections()?;
        let measured = self.decoded(measured)?;
        Some((measured, self.verdicts().get(&key).cloned()))
    }

    fn keep(&self, speech: &Speech, digest: &Digest, measured: &Measured) {
        let (Ok(speech_bytes), Ok(measured_bytes)) =
            (postcard::to_stdvec(speech), postcard::to_stdvec(measured))
        else {
            return;
        };
        let key = self.key(&speech.source.file, digest);
        self.write(&self.path(&key, Part::Speech), &[&speech_bytes]);
        self.write(&self.path(&key, Part::Measured), &[&measured_bytes]);
        self.lock_not_found().remove(&key);
    }

    fn keep_verdicts(&self, verdicts: Vec<(&str, Digest, Wording)>) {
        let keyed: Vec<([u8; 32], Wording)> = verdicts
            .into_iter()
            .map(|(file, digest, wording)| (self.key(file, &digest), wording))
            .collect();
        if let Ok(bytes) = postcard::to_stdvec(&keyed) {
            self.write(&self.folder.join(VERDICTS), &[&bytes]);
        }
    }
}
