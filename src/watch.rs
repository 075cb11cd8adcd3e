//! Watching the collection folder while serving: the file system's events (through `notify`
//! and its debouncer, which waits for a file to be quiet and pairs the two halves of a rename)
//! become batches of paths under the folder that may have changed.

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::corpus::relative_name;

/// How long a file must be quiet before its change is reported: long enough for an editor's
/// save (write, rename, attributes) to arrive as one change, short enough to feel immediate.
pub const QUIET: Duration = Duration::from_millis(200);

/// What may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// These paths under the folder (files or folders, present or not), `/`-separated.
    Paths(Vec<String>),
    /// Events were lost (the system's queue overflowed): anything may have changed.
    Everything,
}

/// A watch on a folder; it stops when dropped.
pub struct FolderWatch {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    pub batches: mpsc::Receiver<Batch>,
}

/// Starts watching `root` and everything under it.
pub fn watch(root: &Path) -> notify::Result<FolderWatch> {
    let root = std::fs::canonicalize(root).map_err(notify::Error::io)?;
    let (sender, batches) = mpsc::channel();
    let handler_root = root.clone();
    let mut debouncer = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
        let batch = match result {
            Ok(events) if events.iter().any(|event| event.need_rescan()) => Batch::Everything,
            Ok(events) => {
                let mut paths: Vec<String> = events
                    .iter()
                    .filter(|event| may_change(&event.kind))
                    .flat_map(|event| event.paths.iter())
                    .filter_map(|path| under(&handler_root, path))
                    .collect();
                paths.sort();
                paths.dedup();
                if paths.is_empty() {
                    return;
                }
                Batch::Paths(paths)
            }
            Err(errors) => {
                for error in errors {
                    tracing::warn!("watching the collection folder: {error}");
                }
                Batch::Everything
            }
        };
        let _ = sender.send(batch);
    })?;
    debouncer.watch(&root, RecursiveMode::Recursive)?;
    Ok(FolderWatch {
        _debouncer: debouncer,
        batches,
    })
}

/// Whether an event may mean a change: not a file opened or read (Rostrum's own reading
/// would report itself), but a file closed after writing is.
fn may_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => *access == AccessKind::Close(AccessMode::Write),
        _ => true,
    }
}

/// `path` as a path under `root`, if it is one (the folder itself is not).
fn under(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    (!relative.as_os_str().is_empty()).then(|| relative_name(root, path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{CreateKind, ModifyKind};

    #[test]
    fn reading_a_file_is_no_change_but_finishing_a_write_is() {
        assert!(!may_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!may_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(may_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(may_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(may_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn paths_are_named_under_the_folder() {
        let root = Path::new("/collection");
        assert_eq!(
            under(root, Path::new("/collection/2024/a.txt")).as_deref(),
            Some("2024/a.txt")
        );
        assert_eq!(under(root, root), None);
        assert_eq!(under(root, Path::new("/elsewhere/a.txt")), None);
    }
}
