//! A file of the cache, written whole or not at all and read only if whole: a magic number
//! with the layout's version, a checksum, then sections of bytes.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// The first bytes of every entry, with the version of its layout.
const MAGIC: &[u8; 8] = b"rostrum1";

/// The bytes of an entry whose checksum matched: the layout's magic, the BLAKE3 hash of the
/// rest, then sections, each after its length.
pub struct Entry {
    bytes: Vec<u8>,
}

impl Entry {
    const HEADER: usize = MAGIC.len() + 32;

    /// Writes an entry of `sections` to `path`: beside it, then renamed over it, so that a
    /// reader finds the old entry or the new one.
    pub fn write(path: &Path, sections: &[&[u8]]) -> std::io::Result<()> {
        Entry::write_each(path, sections.iter().map(Ok))
    }

    /// Writes an entry to `path` as `write` does, of sections made one after the other: each
    /// is written, and let go, before the next is made (an entry may be large).
    pub fn write_each<S: AsRef<[u8]>>(
        path: &Path,
        sections: impl IntoIterator<Item = std::io::Result<S>>,
    ) -> std::io::Result<()> {
        // Beside it under its whole name: a speech's entry and its measurement's differ only
        // in their extensions.
        let mut staging = path.as_os_str().to_owned();
        staging.push(format!(".new-{}", std::process::id()));
        let staging = std::path::PathBuf::from(staging);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                let mut file = std::io::BufWriter::new(std::fs::File::create(&staging)?);
                Entry::seal(sections, &mut file)?;
                file.into_inner()
                    .map_err(std::io::IntoInnerError::into_error)?;
                Ok(())
            })
            .and_then(|()| std::fs::rename(&staging, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&staging);
        }
        written
    }

    /// The entry at `path`: `None` if there is none, `Some(None)` if it is damaged.
    pub fn read(path: &Path) -> Option<Option<Entry>> {
        std::fs::read(path).ok().map(Entry::open)
    }

    /// Writes an entry of `sections` to `out`, section by section: the checksum, which comes
    /// first, is written last, once every section has gone through it.
    fn seal<S: AsRef<[u8]>>(
        sections: impl IntoIterator<Item = std::io::Result<S>>,
        out: &mut (impl Write + Seek),
    ) -> std::io::Result<()> {
        let start = out.stream_position()?;
        out.write_all(MAGIC)?;
        out.write_all(&[0; 32])?;
        let mut checksum = blake3::Hasher::new();
        for section in sections {
            let section = section?;
            let section = section.as_ref();
            let length = (section.len() as u64).to_le_bytes();
            checksum.update(&length);
            checksum.update_rayon(section);
            out.write_all(&length)?;
            out.write_all(section)?;
        }
        let end = out.stream_position()?;
        out.seek(SeekFrom::Start(start + MAGIC.len() as u64))?;
        out.write_all(checksum.finalize().as_bytes())?;
        out.seek(SeekFrom::Start(end))?;
        Ok(())
    }

    /// The entry, if `bytes` are one, whole.
    pub fn open(bytes: Vec<u8>) -> Option<Entry> {
        let (header, body) = bytes.split_at_checked(Entry::HEADER)?;
        let (magic, checksum) = header.split_at(MAGIC.len());
        let whole = magic == MAGIC
            && checksum
                == blake3::Hasher::new()
                    .update_rayon(body)
                    .finalize()
                    .as_bytes();
        whole.then_some(Entry { bytes })
    }

    /// The `N` sections, if the entry has exactly that many.
    pub fn sections<const N: usize>(&self) -> Option<[&[u8]; N]> {
        self.all_sections()?.try_into().ok()
    }

    /// Every section, however many.
    pub fn all_sections(&self) -> Option<Vec<&[u8]>> {
        let mut rest = &self.bytes[Entry::HEADER..];
        let mut sections = Vec::new();
        while !rest.is_empty() {
            let (length, after) = rest.split_at_checked(8)?;
            let length = usize::try_from(u64::from_le_bytes(length.try_into().ok()?)).ok()?;
            let (section, after) = after.split_at_checked(length)?;
            sections.push(section);
            rest = after;
        }
        Some(sections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_opens_whole_or_not_at_all() {
        let mut sealed = std::io::Cursor::new(Vec::new());
        let sections: [&[u8]; 3] = [b"speech", b"", b"measured"];
        Entry::seal(sections.iter().map(Ok), &mut sealed).expect("sealed");
        let sealed = sealed.into_inner();
        let entry = Entry::open(sealed.clone()).expect("whole");
        assert_eq!(
            entry.sections::<3>(),
            Some([&b"speech"[..], b"", b"measured"])
        );
        assert_eq!(entry.sections::<2>(), None, "three sections, not two");
        for damaged in [
            sealed[..sealed.len() - 1].to_vec(),
            [&sealed[..Entry::HEADER], b"x", &sealed[Entry::HEADER + 1..]].concat(),
            [b"rostrum0", &sealed[MAGIC.len()..]].concat(),
            Vec::new(),
        ] {
            assert!(Entry::open(damaged).is_none());
        }
    }
}
