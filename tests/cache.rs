//! The cache of every file's parts on real files: a restart parses and measures only what
//! changed, what it combines equals a full count, statistics of an unchanged collection are
//! read whole, and a damaged entry is never used.

use rostrum::analysis::segment::Segmenter;
use rostrum::analysis::stats::{Measured, Memory, Progress, Statistics};
use rostrum::analysis::wording::Wording;
use rostrum::cache::CollectionCache;
use rostrum::corpus::{self, Corpus, Digest};
use rostrum::model::Speech;
use rostrum::web::{AppState, share::Share};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A collection folder holding copies of real files, and a cache folder beside it.
struct Collection {
    folder: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Collection {
    fn of(files: &[&str]) -> Collection {
        let folder = tempfile::tempdir().expect("a folder");
        for file in files {
            let from = Path::new(FIXTURES).join(file);
            let name = from.file_name().expect("a file name");
            std::fs::copy(&from, folder.path().join(name)).expect("copied");
        }
        Collection {
            folder,
            cache: tempfile::tempdir().expect("a folder"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// A start: the collection loaded with what the cache kept, then its statistics counted.
    fn start(&self) -> Start {
        let cache = CollectionCache::new(self.cache.path(), self.folder.path()).expect("a cache");
        let corpus = cache.load(self.folder.path()).expect("loads");
        let memory = Counting {
            parts: &*cache.parts,
            recalled: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
        };
        let (segmenter, _) = Segmenter::new(None);
        let statistics =
            Statistics::build(&corpus, &segmenter, &Progress::default(), Some(&memory));
        cache.parts.forget_all_but(&corpus);
        cache.parts.keep_speeches_not_found(&corpus);
        Start {
            parsed_before: cache.parts.speeches_recalled(),
            known_unchanged: cache.fingerprints.unchanged(),
            recalled: memory.recalled.into_inner(),
            measured: memory.kept.into_inner(),
            damaged: cache.parts.damaged(),
            corpus,
            statistics,
        }
    }

    /// The collection loaded and counted afresh, with no cache.
    fn counted_afresh(&self) -> (Corpus, Statistics) {
        let corpus = corpus::load(self.folder.path()).expect("loads");
        let (segmenter, _) = Segmenter::new(None);
        let statistics = Statistics::build(&corpus, &segmenter, &Progress::default(), None);
        (corpus, statistics)
    }

    /// A start as the server makes it, up to serving: loaded with what the cache kept, the
    /// search index opened and the statistics read, if the cache kept them whole.
    fn ready_to_serve(&self) -> AppState {
        let root = self.folder.path();
        let cache = CollectionCache::new(self.cache.path(), root).expect("a cache");
        let corpus = cache.load(root).expect("loads");
        AppState::ready_to_serve(corpus, Share::default(), Some(cache))
    }

    /// A whole start: ready to serve, then the statistics counted if they were not read.
    fn serve(&self) -> AppState {
        let state = self.ready_to_serve();
        state.count_statistics();
        state
    }

    /// Every entry of the parts the cache holds: two for each file, its speech and its
    /// measurement.
    fn parts(&self) -> Vec<PathBuf> {
        let in_parts = |path: &PathBuf| {
            path.parent()
                .and_then(Path::parent)
                .is_some_and(|p| p.ends_with("parts"))
        };
        self.entries().into_iter().filter(in_parts).collect()
    }

    /// Every entry file the cache holds.
    fn entries(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut folders = vec![self.cache.path().to_owned()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("readable") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    found.push(path);
                }
            }
        }
        found
    }
}

struct Start {
    parsed_before: usize,
    /// Files whose bytes were not read, known unchanged by their fingerprints.
    known_unchanged: usize,
    recalled: usize,
    measured: usize,
    damaged: usize,
    corpus: Corpus,
    statistics: Statistics,
}

/// The cache's parts, counting what is recalled from them and kept in them.
struct Counting<'p> {
    parts: &'p dyn Memory,
    recalled: AtomicUsize,
    kept: AtomicUsize,
}

impl Memory for Counting<'_> {
    fn recall(&self, speech: &Speech, digest: &Digest) -> Option<(Measured, Option<Wording>)> {
        let recalled = self.parts.recall(speech, digest);
        self.recalled
            .fetch_add(usize::from(recalled.is_some()), Ordering::Relaxed);
        recalled
    }

    fn keep(&self, speech: &Speech, digest: &Digest, measured: &Measured) {
        self.kept.fetch_add(1, Ordering::Relaxed);
        self.parts.keep(speech, digest, measured);
    }

    fn keep_verdicts(&self, verdicts: Vec<(&str, Digest, Wording)>) {
        self.parts.keep_verdicts(verdicts);
    }
}

/// The statistics two counts must agree on. Washed wording is left out: a speech measured
/// at a restart is judged against the speeches measured with it, not the whole collection.
fn assert_same_statistics(mine: &Statistics, full: &Statistics) {
    let (mut mine_totals, mut full_totals) = (mine.collection.clone(), full.collection.clone());
    (mine_totals.washed, mine_totals.rewordings) = (0, 0);
    (full_totals.washed, full_totals.rewordings) = (0, 0);
    assert_eq!(mine_totals, full_totals, "the collection's totals");
    assert_eq!(mine.profile, full.profile, "the collection's terms");
    assert_eq!(mine.speeches.len(), full.speeches.len());
    for (mine, full) in mine.speeches.iter().zip(&full.speeches) {
        assert_eq!(mine.overview, full.overview);
        assert!(mine.top_terms().eq(full.top_terms()));
        assert_eq!(
            mine.keywords, full.keywords,
            "keywords, from combined totals"
        );
        assert_eq!(mine.figures, full.figures);
        assert_eq!(mine.places, full.places);
        assert_eq!(mine.structure, full.structure);
        assert_eq!(mine.profile, full.profile);
    }
}

const FILES: [&str; 4] = [
    "samples/105_mao-ten-major-relationships.txt",
    "samples/401_udhr-chinese-gbk.txt",
    "outline/texts/309_gov-work-report-1955-toc-nested.txt",
    "samples/307_gov-work-report-2014-mixed-indent.txt",
];

#[test]
fn a_restart_parses_and_measures_only_the_files_that_changed() {
    let collection = Collection::of(&FILES);
    let first = collection.start();
    assert_eq!((first.parsed_before, first.recalled), (0, 0));
    assert_eq!(first.measured, 4, "every file measured once, and kept");

    let second = collection.start();
    assert_eq!(
        (second.parsed_before, second.recalled, second.measured),
        (4, 4, 0),
        "nothing changed: nothing parsed or measured"
    );
    let speeches = |start: &Start| -> Vec<Speech> {
        start
            .corpus
            .speeches
            .iter()
            .map(|s| (**s).clone())
            .collect()
    };
    assert_eq!(
        speeches(&second),
        speeches(&first),
        "the speeches as parsed"
    );
    assert_eq!(
        second.statistics, first.statistics,
        "washed wording included"
    );

    let edited = collection.path("105_mao-ten-major-relationships.txt");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, text.replacen("。", "。我们要发展农业。", 3)).expect("edited");
    std::fs::remove_file(collection.path("401_udhr-chinese-gbk.txt")).expect("deleted");
    let third = collection.start();
    assert_eq!(
        (third.parsed_before, third.recalled, third.measured),
        (2, 2, 1),
        "only the edited file is parsed and measured"
    );
    let (corpus, full) = collection.counted_afresh();
    let fresh: Vec<Speech> = corpus.speeches.iter().map(|s| (**s).clone()).collect();
    assert_eq!(speeches(&third), fresh);
    assert_same_statistics(&third.statistics, &full);
    let parts = collection.parts().len();
    assert_eq!(parts, 2 * 3, "the entries of old versions are forgotten");
}

/// Sets the modification time of every file of `collection` back an hour, as a collection
/// looks long after it was written.
fn settle(collection: &Collection) {
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in std::fs::read_dir(collection.folder.path()).expect("readable") {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.expect("an entry").path())
            .expect("opened");
        file.set_modified(an_hour_ago).expect("time set");
    }
}

#[test]
fn a_restart_reads_only_the_files_that_changed_even_with_their_size_and_time() {
    let collection = Collection::of(&FILES);
    collection.start();
    assert_eq!(
        collection.start().known_unchanged,
        0,
        "files written just before they were read are read again"
    );
    settle(&collection);
    collection.start();
    let settled = collection.start();
    assert_eq!(settled.known_unchanged, 4, "no file read again");
    assert_eq!(settled.parsed_before, 4);

    // An edit of the same size, with the modification time set back as it was: only the
    // status-change time, which no program sets, tells.
    let edited = collection.path("105_mao-ten-major-relationships.txt");
    let modified = std::fs::metadata(&edited)
        .and_then(|m| m.modified())
        .expect("a time");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, text.replacen("十大关系", "十个问题", 1)).expect("edited");
    let file = std::fs::File::options()
        .write(true)
        .open(&edited)
        .expect("opened");
    file.set_modified(modified).expect("time set back");
    assert_eq!(
        std::fs::metadata(&edited).expect("metadata").len(),
        text.len() as u64
    );

    let after = collection.start();
    assert_eq!(after.known_unchanged, 3, "the edited file read again");
    let (corpus, full) = collection.counted_afresh();
    let fresh: Vec<Speech> = corpus.speeches.iter().map(|s| (**s).clone()).collect();
    let loaded: Vec<Speech> = after
        .corpus
        .speeches
        .iter()
        .map(|s| (**s).clone())
        .collect();
    assert_eq!(loaded, fresh, "the edit is in the speech");
    assert!(
        fresh.iter().any(|s| s.title.contains("十个问题")),
        "the edit is in the title"
    );
    assert_same_statistics(&after.statistics, &full);
}

#[test]
fn a_damaged_entry_is_computed_again_never_used() {
    let collection = Collection::of(&FILES[..2]);
    collection.start();
    // The same number of bytes, other words: only the checksum tells.
    let (genuine, forged) = ("十大关系", "十个问题");
    let mut forged_entries = 0;
    for entry in collection.entries() {
        let bytes = std::fs::read(&entry).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        if text.contains(genuine) {
            let changed = bytes
                .windows(genuine.len())
                .position(|w| w == genuine.as_bytes())
                .expect("found");
            let mut forged_bytes = bytes.clone();
            forged_bytes[changed..changed + forged.len()].copy_from_slice(forged.as_bytes());
            std::fs::write(&entry, forged_bytes).expect("written");
            forged_entries += 1;
        } else if entry.file_name().is_some_and(|name| name == "verdicts") {
            std::fs::write(&entry, &bytes[..bytes.len() / 2]).expect("cut short");
        }
    }
    assert!(forged_entries >= 1, "the speech's entry holds its text");

    let restarted = collection.start();
    assert!(
        restarted.damaged >= 2,
        "the forged entry and the cut verdicts"
    );
    let mao = restarted
        .corpus
        .speeches
        .iter()
        .find(|s| s.source.file.starts_with("105"));
    let title = &mao.expect("loaded").title;
    assert!(
        title.contains(genuine) && !title.contains(forged),
        "{title}"
    );
    let (corpus, full) = collection.counted_afresh();
    assert_eq!(corpus.speeches.len(), restarted.corpus.speeches.len());
    assert_same_statistics(&restarted.statistics, &full);

    let again = collection.start();
    assert_eq!(
        (again.damaged, again.parsed_before, again.recalled),
        (0, 2, 2),
        "the entries were written again, whole"
    );
}

#[test]
fn every_kind_of_file_comes_back_from_the_cache_as_it_was_parsed() {
    let mut files: Vec<String> = Vec::new();
    for folder in ["samples", "outline/texts", "hostile"] {
        for entry in std::fs::read_dir(Path::new(FIXTURES).join(folder)).expect("fixtures") {
            let name = entry.expect("an entry").file_name();
            let name = name.to_string_lossy();
            if name != "SOURCES.tsv" {
                files.push(format!("{folder}/{name}"));
            }
        }
    }
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let collection = Collection::of(&names);
    let first = collection.start();
    assert!(
        first.corpus.speeches.len() >= 15,
        "{}",
        first.corpus.speeches.len()
    );
    let second = collection.start();
    assert_eq!(second.parsed_before, first.corpus.speeches.len());
    for (cached, parsed) in second.corpus.speeches.iter().zip(&first.corpus.speeches) {
        assert_eq!(cached, parsed, "{}", parsed.source.file);
    }
}

#[test]
fn a_restart_with_nothing_changed_reads_the_statistics_kept_whole() {
    let collection = Collection::of(&FILES);
    let statistics = |state: &AppState| state.statistics().expect("counted").clone();
    let forget_parts = || {
        for part in collection.parts() {
            std::fs::remove_file(part).expect("removed");
        }
    };
    let measurements = || {
        let parts = collection.parts();
        let measured = parts
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "measured"));
        measured.count()
    };
    let counted = statistics(&collection.serve());
    assert_eq!(
        statistics(&collection.ready_to_serve()),
        counted,
        "read as serving starts, not counted after"
    );
    // Without the parts, statistics could only be counted again, which keeps measurements.
    forget_parts();
    let read = collection.serve();
    assert_eq!(statistics(&read), counted, "washed wording included");
    assert_eq!(measurements(), 0, "nothing was measured");
    assert_eq!(
        collection.parts().len(),
        FILES.len(),
        "the speeches parsed are kept"
    );

    let edited = collection.path("105_mao-ten-major-relationships.txt");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, text.replacen("。", "。我们要发展农业。", 3)).expect("edited");
    let after_edit = statistics(&collection.serve());
    assert_ne!(after_edit, counted, "stale statistics are not read");
    let (_, full) = collection.counted_afresh();
    assert_same_statistics(&after_edit, &full);
    forget_parts();
    assert_eq!(statistics(&collection.serve()), after_edit, "kept again");
    assert_eq!(measurements(), 0, "nothing was measured");

    let kept = collection
        .entries()
        .into_iter()
        .find(|path| path.file_name().is_some_and(|name| name == "statistics"))
        .expect("the statistics are kept");
    let bytes = std::fs::read(&kept).expect("read");
    std::fs::write(&kept, &bytes[..bytes.len() / 2]).expect("cut short");
    assert_same_statistics(&statistics(&collection.serve()), &full);
    assert_eq!(measurements(), FILES.len(), "counted from the files");
}

#[test]
fn an_edit_while_serving_is_kept_for_the_next_start() {
    let collection = Collection::of(&FILES[..3]);
    let root = collection.folder.path();
    let cache = CollectionCache::new(collection.cache.path(), root).expect("a cache");
    let corpus = cache.load(root).expect("loads");
    let state = AppState::ready_to_serve(corpus, Share::default(), Some(cache));
    state.count_statistics();

    let edited = "105_mao-ten-major-relationships.txt";
    let text = std::fs::read_to_string(collection.path(edited)).expect("read");
    std::fs::write(
        collection.path(edited),
        text.replacen("。", "。农业要发展。", 2),
    )
    .expect("edited");
    let readings = state.corpus.read_changes(root, &[edited.to_owned()]);
    let (corpus, delta) = state.corpus.updated(readings);
    let served = state
        .updated(corpus, &delta)
        .expect("updated")
        .expect("counted before");

    let restarted = collection.start();
    assert_eq!(
        (
            restarted.parsed_before,
            restarted.recalled,
            restarted.measured
        ),
        (3, 3, 0),
        "the edit's parts were kept while serving"
    );
    let statistics = served.statistics().expect("counted");
    for (mine, kept) in restarted
        .statistics
        .speeches
        .iter()
        .zip(&statistics.speeches)
    {
        assert_eq!(mine.overview, kept.overview);
        assert_eq!(
            (mine.washed, &mine.rewordings),
            (kept.washed, &kept.rewordings)
        );
    }
}
