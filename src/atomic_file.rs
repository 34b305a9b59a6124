//! A file that appears at its final name whole or not at all: written under a
//! hidden temporary name beside it (`.NAME.tmp-XXXXXX`, mode 0600), synced,
//! renamed into place, and the folder synced so the rename survives a crash.
//! Export and backup both write this way.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

pub struct AtomicFile {
    temp: NamedTempFile,
    target: PathBuf,
}

/// What to do when the final name already exists at the moment of the rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Replace,
    Refuse,
}

impl AtomicFile {
    /// An empty private file in `target`'s folder, under a name no one else
    /// uses; it is removed again if this value is dropped before `commit`.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        // Hidden and not ending like the real file, so a leftover from a
        // killed run never passes for a finished one.
        let prefix = format!(".{name}.tmp-");
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .rand_bytes(8)
            .tempfile_in(folder_of(target))?;
        Ok(AtomicFile {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// Where the content goes until `commit`.
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    pub fn file_mut(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Syncs the content, moves it to the final name and syncs the folder.
    /// With `Existing::Refuse`, a file that appeared there in the meantime is
    /// left alone and the error is `AlreadyExists`.
    pub fn commit(self, existing: Existing) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        let persisted = match existing {
            Existing::Replace => self.temp.persist(&self.target),
            Existing::Refuse => self.temp.persist_noclobber(&self.target),
        };
        // On failure the temporary file comes back in the error and is
        // removed when it is dropped here.
        persisted.map_err(|e| e.error)?;
        sync_folder(folder_of(&self.target))
    }
}

impl AtomicFile {
    /// `commit` under the first of `names` that is free (never replacing a
    /// file), for copies named by a time that may repeat. Returns the name.
    pub fn commit_unique(self, names: impl IntoIterator<Item = PathBuf>) -> io::Result<PathBuf> {
        self.temp.as_file().sync_all()?;
        let mut temp = self.temp;
        for name in names {
            match temp.persist_noclobber(&name) {
                Ok(_) => {
                    sync_folder(folder_of(&name))?;
                    return Ok(name);
                }
                Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => temp = e.file,
                Err(e) => return Err(e.error),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "every name for the copy is taken",
        ))
    }
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A rename is only durable once the folder holding the name is on disk.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn nothing_at_the_final_name_until_commit() {
        let dir = tempfile::TempDir::new().unwrap();
        let target = dir.path().join("out.txt");
        let mut file = AtomicFile::create(&target).unwrap();
        let temp = file.temp_path().to_path_buf();
        assert!(
            temp.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".out.txt.tmp-")
        );
        file.file_mut().write_all(b"hello").unwrap();
        assert!(!target.exists());
        file.commit(Existing::Refuse).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"hello");
        assert!(!temp.exists());
    }

    #[test]
    fn refuse_keeps_what_is_there() {
        let dir = tempfile::TempDir::new().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        let temp = file.temp_path().to_path_buf();
        file.file_mut().write_all(b"new").unwrap();
        let err = file.commit(Existing::Refuse).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert!(!temp.exists(), "the temporary file is cleaned up");

        let mut file = AtomicFile::create(&target).unwrap();
        file.file_mut().write_all(b"new").unwrap();
        file.commit(Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::TempDir::new().unwrap();
        let target = dir.path().join("out.txt");
        AtomicFile::create(&target)
            .unwrap()
            .commit(Existing::Replace)
            .unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
