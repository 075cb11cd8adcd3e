//! A collection after some of its files changed: the speeches it did not touch are shared, an
//! edited file keeps its slug, a renamed one (same bytes) leaves a redirect behind, a deleted
//! one a tombstone, and a file that fails to read keeps its last good version.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::{
    Corpus, Departed, Digest, Fingerprint, Loaded, Skipped, free_slug, parse_file, read_file,
};
use crate::model::Speech;

/// What a file of the collection holds now.
#[derive(Debug)]
pub enum Reading {
    /// It parsed.
    Loaded(Box<Loaded>),
    /// It holds the same bytes as the speech the collection has of it.
    Unchanged,
    /// It exists but could not be read or parsed.
    Failed(Skipped),
    /// It is no longer there.
    Missing,
}

/// What an update changed.
#[derive(Debug, Default)]
pub struct Delta {
    /// Versions of speeches that left the collection: deleted, renamed or edited.
    pub removed: Vec<Arc<Speech>>,
    /// Versions that entered it: new, renamed or edited.
    pub added: Vec<Arc<Speech>>,
    /// Files that failed to read, whether or not a good version of them is kept.
    pub failed: Vec<Skipped>,
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty()
    }

    /// The slugs a reader may have open that changed: each speech removed or added, once.
    pub fn slugs(&self) -> Vec<String> {
        let mut slugs: Vec<String> = self
            .removed
            .iter()
            .chain(&self.added)
            .map(|speech| speech.slug.clone())
            .collect();
        slugs.sort();
        slugs.dedup();
        slugs
    }
}

/// A speech with the fingerprint of its file, where known.
type Entry = (Arc<Speech>, Option<Fingerprint>);

impl Corpus {
    /// Reads the files named (paths under the collection folder `root`) as they are now, in
    /// parallel. A file whose size and time are those it was read with is not opened (so
    /// that looking over every file is cheap, and opens no file a watch would report); one
    /// with the bytes the collection has of it is not parsed.
    pub fn read_changes(&self, root: &Path, files: &[String]) -> Vec<(String, Reading)> {
        files
            .par_iter()
            .map(|file| {
                let path = root.join(file);
                let known = self.fingerprints.get(file);
                // A dangling symbolic link is a file that cannot be read, not one that is gone.
                let reading = if std::fs::symlink_metadata(&path).is_err() {
                    Reading::Missing
                } else if let (Some(known), Ok(metadata)) = (known, std::fs::metadata(&path))
                    && known.unchanged(&metadata)
                {
                    Reading::Unchanged
                } else {
                    match read_file(file, &path) {
                        Err(skipped) => Reading::Failed(skipped),
                        Ok((_, read)) if known.is_some_and(|k| k.digest == read.digest) => {
                            Reading::Unchanged
                        }
                        Ok((bytes, read)) => match parse_file(file.clone(), &bytes, read) {
                            Ok(loaded) => Reading::Loaded(Box::new(loaded)),
                            Err(skipped) => Reading::Failed(skipped),
                        },
                    }
                };
                (file.clone(), reading)
            })
            .collect()
    }

    /// The collection with `readings` applied, and what changed. Deletions are applied first,
    /// so that a file renamed within one batch of changes is recognised by its bytes.
    pub fn updated(&self, readings: Vec<(String, Reading)>) -> (Corpus, Delta) {
        let mut files: BTreeMap<String, Entry> = self
            .speeches
            .iter()
            .map(|speech| {
                let fingerprint = self.fingerprints.get(&speech.source.file).copied();
                (
                    speech.source.file.clone(),
                    (Arc::clone(speech), fingerprint),
                )
            })
            .collect();
        let changed: HashSet<&str> = readings.iter().map(|(file, _)| file.as_str()).collect();
        let mut next = Corpus {
            skipped: self
                .skipped
                .iter()
                .filter(|skip| !changed.contains(skip.file.as_str()))
                .cloned()
                .collect(),
            user_dictionary: self.user_dictionary.clone(),
            moved: self.moved.clone(),
            gone: self.gone.clone(),
            ..Corpus::default()
        };
        let mut delta = Delta::default();
        let (missing, present): (Vec<_>, Vec<_>) = readings
            .into_iter()
            .partition(|(_, reading)| matches!(reading, Reading::Missing));
        for (file, _) in missing {
            if let Some((speech, fingerprint)) = files.remove(&file) {
                next.depart(&speech, fingerprint.map(|f| f.digest));
                delta.removed.push(speech);
            }
        }
        let mut taken: HashSet<String> = files.values().map(|(s, _)| s.slug.clone()).collect();
        for (file, reading) in present {
            match reading {
                Reading::Missing | Reading::Unchanged => {}
                Reading::Failed(skipped) => {
                    if !files.contains_key(&file) {
                        next.skipped.push(skipped.clone());
                    }
                    delta.failed.push(skipped);
                }
                Reading::Loaded(loaded) => {
                    let Loaded {
                        mut speech,
                        fingerprint,
                    } = *loaded;
                    let old = files.get(&file);
                    speech.slug = match old {
                        Some((old, _)) => old.slug.clone(),
                        None => {
                            let slug = free_slug(&speech.slug, |slug| taken.contains(slug));
                            next.arrive(&slug, fingerprint.digest);
                            slug
                        }
                    };
                    taken.insert(speech.slug.clone());
                    let speech = Arc::new(speech);
                    if let Some((old, _)) =
                        files.insert(file, (Arc::clone(&speech), Some(fingerprint)))
                    {
                        delta.removed.push(old);
                    }
                    delta.added.push(speech);
                }
            }
        }
        next.skipped.sort_by(|a, b| a.file.cmp(&b.file));
        for (speech, fingerprint) in files.into_values() {
            next.push(speech, fingerprint);
        }
        (next, delta)
    }

    /// Leaves a tombstone for a deleted speech; redirects to it become tombstones too.
    fn depart(&mut self, speech: &Speech, digest: Option<Digest>) {
        let departed = Departed {
            title: speech.title.clone(),
            digest,
        };
        let pointing: Vec<String> = self
            .moved
            .iter()
            .filter(|(_, to)| **to == speech.slug)
            .map(|(from, _)| from.clone())
            .collect();
        for from in pointing {
            self.moved.remove(&from);
            self.gone.insert(from, departed.clone());
        }
        self.gone.insert(speech.slug.clone(), departed);
    }

    /// Records a new speech at `slug`: a departed speech with the same bytes was renamed to
    /// it, and its old slug (and those that redirected to it) now redirect here.
    fn arrive(&mut self, slug: &str, digest: Digest) {
        self.gone.remove(slug);
        self.moved.remove(slug);
        let renamed: Vec<String> = self
            .gone
            .iter()
            .filter(|(_, departed)| departed.digest == Some(digest))
            .map(|(from, _)| from.clone())
            .collect();
        for from in renamed {
            self.gone.remove(&from);
            self.moved.insert(from, slug.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load;

    fn write(folder: &Path, name: &str, text: &str) {
        std::fs::write(folder.join(name), text).expect("a file written");
    }

    fn apply(corpus: &Corpus, folder: &Path, files: &[&str]) -> (Corpus, Delta) {
        let files: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
        corpus.updated(corpus.read_changes(folder, &files))
    }

    const FIRST: &str = "关于工作的讲话\n\n一、总体情况\n\n今年工作取得新进展。\n";
    const SECOND: &str = "在会议上的讲话\n\n一、形势\n\n我们要坚定信心。\n";

    #[test]
    fn an_edit_keeps_the_slug_and_shares_the_other_speeches() {
        let folder = tempfile::tempdir().expect("a folder");
        write(folder.path(), "a.txt", FIRST);
        write(folder.path(), "b.txt", SECOND);
        let corpus = load(folder.path()).expect("loads");
        let slug = corpus.speeches[0].slug.clone();
        write(
            folder.path(),
            "a.txt",
            &FIRST.replace("新进展", "新的重大进展"),
        );
        let (next, delta) = apply(&corpus, folder.path(), &["a.txt"]);
        assert_eq!(next.speeches[0].slug, slug);
        assert!(next.speech(&slug).is_some_and(|s| {
            s.paragraphs().any(|(_, p)| p.text.contains("新的重大进展"))
        }));
        assert!(Arc::ptr_eq(&next.speeches[1], &corpus.speeches[1]));
        assert_eq!((delta.removed.len(), delta.added.len()), (1, 1));

        let readings = next.read_changes(folder.path(), &["a.txt".to_owned()]);
        assert!(matches!(readings[0].1, Reading::Unchanged));
        let (unchanged, delta) = next.updated(readings);
        assert!(delta.is_empty(), "the same bytes again change nothing");
        assert!(Arc::ptr_eq(&unchanged.speeches[0], &next.speeches[0]));
    }

    #[test]
    fn a_rename_redirects_and_a_deletion_leaves_a_tombstone() {
        let folder = tempfile::tempdir().expect("a folder");
        write(folder.path(), "a.txt", FIRST);
        write(folder.path(), "b.txt", SECOND);
        let corpus = load(folder.path()).expect("loads");
        let old = corpus.speeches[0].slug.clone();
        std::fs::rename(folder.path().join("a.txt"), folder.path().join("c.txt")).expect("renamed");
        let (renamed, _) = apply(&corpus, folder.path(), &["c.txt", "a.txt"]);
        let new = renamed.speeches[1].slug.clone();
        assert_ne!(old, new);
        assert_eq!(renamed.moved_to(&old), Some(new.as_str()));
        assert!(renamed.speech(&old).is_none());

        std::fs::remove_file(folder.path().join("c.txt")).expect("deleted");
        let (deleted, delta) = apply(&renamed, folder.path(), &["c.txt"]);
        assert_eq!(delta.removed.len(), 1);
        assert_eq!(deleted.speeches.len(), 1);
        assert!(deleted.departed(&new).is_some());
        assert!(
            deleted.departed(&old).is_some() && deleted.moved_to(&old).is_none(),
            "the redirect to a deleted speech becomes a tombstone"
        );
    }

    #[test]
    fn a_file_that_fails_keeps_its_last_good_version() {
        let folder = tempfile::tempdir().expect("a folder");
        write(folder.path(), "a.txt", FIRST);
        let corpus = load(folder.path()).expect("loads");
        std::fs::write(
            folder.path().join("a.txt"),
            [0u8, 159, 146, 150, 0, 0, 1, 2],
        )
        .expect("written");
        let (next, delta) = apply(&corpus, folder.path(), &["a.txt"]);
        assert!(Arc::ptr_eq(&next.speeches[0], &corpus.speeches[0]));
        assert_eq!(delta.failed.len(), 1);
        assert!(
            next.skipped.is_empty(),
            "a kept file is not listed as skipped"
        );

        write(folder.path(), "new.txt", "");
        let (next, delta) = apply(&next, folder.path(), &["new.txt"]);
        assert_eq!(next.speeches.len(), 1);
        assert_eq!((delta.failed.len(), next.skipped.len()), (1, 1));
    }
}
