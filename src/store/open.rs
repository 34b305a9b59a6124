//! Opening a DB file safely: never write to a file before we know it is ours,
//! new files are private (0600), a newer schema is refused untouched, and the
//! file is backed up before its schema is upgraded. Any number of processes
//! may open the same file at once: creation tolerates a racing creator and the
//! upgrade happens under SQLite's write lock (see `migrations::upgrade`).

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::Store;
use super::error::{Context, Result, StoreError};
use super::migrations::{self, APPLICATION_ID};
use crate::atomic_file::AtomicFile;
use crate::domain::{Clock, SlaPolicy};

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const HEADER_LEN: usize = 100;

/// What opening may do to a path that holds no database yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Commands that write, and the TUI: a missing database is created.
    Create,
    /// Commands that only read: nothing is created, the journal mode is left
    /// as it is, and a missing or empty file is said to be so.
    Existing,
}

/// What `prepare_file` learnt about the file before SQLite opens it.
struct FileState {
    read_only: bool,
}

/// `path` read-only through a `file:...?immutable=1` URI: SQLite then makes no
/// -wal or -shm file, which a read-only folder would not let it make anyway.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(&uri, flags)
}

impl Store {
    /// Opens (creating if missing) the DB at `path` with the app's pragmas,
    /// upgrading its schema when it is older than this build.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, OpenMode::Create)
    }

    /// Opens the DB at `path` for a command that only reads: a missing or
    /// empty file is an error, and nothing is created.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::open_with(path, OpenMode::Existing)
    }

    /// Another connection to this store's database, with its clock and
    /// service levels: for reading on a thread of its own (a report) while
    /// this one serves the screen.
    pub fn reader(&self) -> Result<Store> {
        Ok(Store::open_with(&self.path, OpenMode::Existing)?
            .with_clock(self.clock.clone())
            .with_sla(self.sla.clone()))
    }

    pub fn open_with(path: &Path, mode: OpenMode) -> Result<Store> {
        Store::open_telling(path, mode, |_, _| {})
    }

    /// `open_with`, calling `upgrading(from, to)` when this process is about
    /// to upgrade the schema (a one-off that takes a while on a large file),
    /// so that the caller can say so.
    pub fn open_telling(
        path: &Path,
        mode: OpenMode,
        upgrading: impl FnOnce(i64, i64),
    ) -> Result<Store> {
        let file = prepare_file(path, mode)?;
        let read_only = file.read_only;
        // A read-only file nobody has open (no -wal beside it) is read as
        // immutable, so reading it leaves no -wal/-shm files behind.
        let mut conn = if read_only && !wal_path(path).exists() {
            open_immutable(path)
        } else {
            let flags = if read_only {
                OpenFlags::SQLITE_OPEN_READ_ONLY
            } else {
                OpenFlags::SQLITE_OPEN_READ_WRITE
            } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| opening_error(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .context("setting the busy timeout")?;

        // Reads only, so a foreign or damaged file stays byte-for-byte as it was.
        let identity = match retry_while_busy(|| read_identity(&conn)) {
            // SQLite cannot make the WAL's shared-memory file beside a file
            // in a read-only folder (a backup mount): read it as immutable.
            Err(e) if (read_only || mode == OpenMode::Existing) && cannot_make_journal(&e) => {
                conn = open_immutable(path).map_err(|e| opening_error(path, e))?;
                read_identity(&conn)
            }
            other => other,
        };
        let (app_id, version, objects) = identity.map_err(|e| opening_error(path, e))?;
        let fresh = app_id == 0 && version == 0 && objects == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(StoreError::NotTuicrm {
                path: path.to_path_buf(),
                reason: "it is a SQLite database of another program".to_string(),
            });
        }
        if fresh && mode == OpenMode::Existing {
            return Err(StoreError::Empty {
                path: path.to_path_buf(),
            });
        }
        let latest = migrations::latest_version();
        if version > latest {
            return Err(too_new(path, version));
        }

        if read_only {
            conn.pragma_update(None, "query_only", true)
                .context("opening read-only")?;
            if version < latest {
                return Err(StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    what: format!("upgrading its schema from version {version} to {latest}"),
                });
            }
        } else if mode == OpenMode::Create {
            // The answer is the mode in force: a demo load in another
            // process keeps a rollback journal for its length and turns WAL
            // back on when it is done.
            retry_while_busy(|| {
                conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            })
            .map_err(|e| opening_error(path, e))?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .context("setting synchronous")?;
        }
        // Bulk loads raise it briefly (`Store::with_cache`).
        super::set_cache(&conn, super::CACHE_KIB)?;
        // Lists, lookups and an import's dozen statements stay prepared;
        // rusqlite's default of 16 made imports re-parse SQL for every row.
        conn.set_prepared_statement_cache_capacity(64);
        // A statement kept prepared stays so: without this SQLite re-plans a
        // statement whenever a bound value might pick another partial index,
        // which re-parsed the health query for every customer listed (most of
        // a listing's time). Our partial indexes are matched by literals.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .context("keeping query plans")?;

        if fresh || version < latest {
            let found = migrations::upgrade(&mut conn, latest, |found| {
                upgrading(found, latest);
                backup_before_migration(path, found).map(drop)
            })
            .map_err(|e| match e {
                StoreError::TooNew { found, .. } => too_new(path, found),
                StoreError::Busy { .. } => StoreError::Busy {
                    context: format!("upgrading {}", path.display()),
                },
                other => other,
            })?;
            if found == Some(0) {
                make_private(path)?;
            }
        }
        conn.pragma_update(None, "foreign_keys", true)
            .context("enabling foreign keys")?;
        // A long sorted walk (a whole list, an export) sorts its next share
        // of rows on a helper thread while this one reads: a third faster at
        // a million rows, for one more share of memory (~16 MB) during it.
        conn.pragma_update(None, "threads", 1)
            .context("letting the sorter use a helper thread")?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            clock: Clock::system(),
            sla: SlaPolicy::default(),
        })
    }
}

/// How long a command waits for another process's write lock before it says
/// the database is locked. An upgrade of a large file may take longer; then
/// the waiting process says so and the user runs it again.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `work` again while another connection's lock is in the way, up to
/// `BUSY_TIMEOUT`. SQLite's own busy handler does not cover these cases: a
/// change of journal mode, or a read meeting a rollback journal's lock, is
/// refused at once when waiting could deadlock, and then we wait instead.
fn retry_while_busy<T>(mut work: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = std::time::Duration::from_millis(2);
    loop {
        match work() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

fn too_new(path: &Path, found: i64) -> StoreError {
    StoreError::TooNew {
        path: path.to_path_buf(),
        found,
        supported: migrations::latest_version(),
    }
}

fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push("-wal");
    PathBuf::from(name)
}

fn cannot_make_journal(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
    )
}

/// One true sentence for what went wrong while SQLite opened or first read
/// `path`: by now we know the file starts like a SQLite file, so SQLite
/// refusing to read it means it is damaged, not that it is someone else's.
fn opening_error(path: &Path, err: rusqlite::Error) -> StoreError {
    let context = format!("opening {}", path.display());
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            context: format!("{} cannot be read as a database", path.display()),
            source: Box::new(err),
        },
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly) if !folder_is_writable(path) => {
            StoreError::FolderReadOnly {
                path: path.to_path_buf(),
            }
        }
        Some(ErrorCode::PermissionDenied) => StoreError::io(
            format!("cannot open {}", path.display()),
            std::io::Error::from(ErrorKind::PermissionDenied),
        ),
        _ => super::error::classify(err, &context),
    }
}

fn folder_is_writable(path: &Path) -> bool {
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    // Asking the kernel is the only honest test: mode bits lie for root and
    // for read-only mounts.
    tempfile::Builder::new()
        .prefix(".tuicrm-probe-")
        .tempfile_in(&dir)
        .is_ok()
}

/// Application id, schema version and number of schema objects, read in one
/// statement so that all three come from one snapshot even while another
/// process upgrades the file.
fn read_identity(conn: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id),
                (SELECT user_version FROM pragma_user_version),
                (SELECT count(*) FROM sqlite_master)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Makes sure `path` can be handed to SQLite: creates a missing file (and its
/// folder) private to the user when `mode` allows, refuses anything that is
/// not a SQLite file before SQLite touches it, and tells a cut-off file from
/// a foreign one.
fn prepare_file(path: &Path, mode: OpenMode) -> Result<FileState> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(StoreError::NotTuicrm {
            path: path.to_path_buf(),
            reason: "it is a folder".to_string(),
        }),
        Ok(meta) => {
            let mut header = Vec::with_capacity(HEADER_LEN);
            File::open(path)
                .and_then(|f| f.take(HEADER_LEN as u64).read_to_end(&mut header))
                .map_err(|e| read_error(path, e))?;
            if meta.len() == 0 {
                if mode == OpenMode::Existing {
                    return Err(StoreError::Empty {
                        path: path.to_path_buf(),
                    });
                }
            } else {
                check_header(path, &header, meta.len())?;
            }
            Ok(FileState {
                read_only: !is_writable(path),
            })
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if mode == OpenMode::Existing {
                return Err(StoreError::Missing {
                    path: path.to_path_buf(),
                });
            }
            create_database_file(path)?;
            Ok(FileState { read_only: false })
        }
        Err(e) => Err(read_error(path, e)),
    }
}

fn read_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::io(format!("cannot read {}", path.display()), e)
}

/// The first bytes of a non-empty file: SQLite's, whole, and as long as the
/// header says (when no WAL holds pages the main file has not got yet).
fn check_header(path: &Path, header: &[u8], len: u64) -> Result<()> {
    let cut_off = |expected: Option<u64>| StoreError::CutOff {
        path: path.to_path_buf(),
        len,
        expected,
    };
    if header.len() < SQLITE_MAGIC.len() || header.len() < HEADER_LEN {
        return if SQLITE_MAGIC.starts_with(header) || header.starts_with(SQLITE_MAGIC) {
            Err(cut_off(None))
        } else {
            Err(not_sqlite(path))
        };
    }
    if &header[..SQLITE_MAGIC.len()] != SQLITE_MAGIC {
        return Err(not_sqlite(path));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The page count is valid only while it was written with the current
    // change counter (offsets 24 and 92), as SQLite itself decides.
    let valid = header[24..28] == header[92..96];
    // Pages in a WAL, or a hot rollback journal SQLite will play back, may
    // make up the difference: only a file with neither is judged here.
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        fs::metadata(PathBuf::from(name)).is_ok_and(|m| m.len() > 0)
    };
    let journaled = beside("-wal") || beside("-journal");
    if valid && !journaled && pages > 0 && len < pages * page_size {
        return Err(cut_off(Some(pages * page_size)));
    }
    Ok(())
}

fn not_sqlite(path: &Path) -> StoreError {
    StoreError::NotTuicrm {
        path: path.to_path_buf(),
        reason: "it is not a SQLite file".to_string(),
    }
}

fn is_writable(path: &Path) -> bool {
    OpenOptions::new().append(true).open(path).is_ok()
}

/// A new, empty database file private to the user. Another process creating
/// the same file at the same moment is no error: both then open the one file.
fn create_database_file(path: &Path) -> Result<()> {
    match create_private_file(path) {
        Err(StoreError::Io { source, .. }) if source.kind() == ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// A new, empty file private to the user; one that exists is an error.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(|e| StoreError::io(format!("creating {}", path.display()), e))
}

/// A file adopted as a new database (one made empty by hand, or by `touch`)
/// becomes private like the ones we create.
fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path)
            .map_err(|e| StoreError::io(format!("reading {}", path.display()), e))?;
        if meta.permissions().mode() & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))
                .map_err(|e| StoreError::io(format!("making {} private", path.display()), e))?;
        }
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| StoreError::io(format!("creating folder {}", dir.display()), e))
}

/// `<db>.v<N>-<time>.bak` beside the DB, so an upgrade can always be undone by
/// hand. Called while the upgrading connection holds the write lock, so the
/// copy, read through a second connection, holds exactly version `version`.
/// It is written under a hidden temporary name and appears under its final
/// name only when complete; a name taken already gets a `-2`, `-3`, ... suffix.
fn backup_before_migration(path: &Path, version: i64) -> Result<PathBuf> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let name = |n: u32| {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        path.with_file_name(format!("{file_name}.v{version}-{stamp}{suffix}.bak"))
    };
    let saving = |e| {
        StoreError::io(
            format!("saving a backup of {} before upgrading it", path.display()),
            e,
        )
    };
    let copy = AtomicFile::create(&name(1)).map_err(saving)?;
    let reader = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .context("opening the database to back it up")?;
    reader
        .busy_timeout(BUSY_TIMEOUT)
        .context("setting the busy timeout")?;
    // VACUUM INTO wants a file that does not exist or is empty: it is empty.
    reader
        .execute("VACUUM INTO ?1", [copy.temp_path().to_string_lossy()])
        .map_err(|e| {
            super::error::classify(
                e,
                &format!("backing up {} before upgrading it", path.display()),
            )
        })?;
    drop(reader);
    copy.commit_unique((1..=1000).map(name)).map_err(saving)
}
