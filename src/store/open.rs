//! Opening a DB file safely: never write to a file before we know it is ours,
//! new files are private (0600), a newer schema is refused untouched, and the
//! file is backed up before its schema is upgraded.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::Store;
use super::error::{Context, Result, StoreError};
use super::migrations::{self, APPLICATION_ID};
use crate::domain::{Clock, SlaPolicy};

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// `path` read-only through a `file:...?immutable=1` URI.
fn open_immutable(path: &Path) -> Result<Connection> {
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
    Connection::open_with_flags(&uri, flags).map_err(|e| StoreError::Sql {
        context: format!("opening {}", path.display()),
        source: Box::new(e),
    })
}

impl Store {
    /// Opens (creating if missing) the DB at `path` with the app's pragmas,
    /// upgrading its schema when it is older than this build.
    pub fn open(path: &Path) -> Result<Store> {
        let read_only = prepare_file(path)?;
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Sql {
            context: format!("opening {}", path.display()),
            source: Box::new(e),
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .context("setting the busy timeout")?;

        let not_ours = |reason: &str| StoreError::NotTuicrm {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        // Reads only, so a foreign or damaged file stays byte-for-byte as it was.
        let identity = match read_identity(&conn) {
            // A read-only file in a read-only folder (a backup mount): SQLite
            // cannot make the WAL's shared-memory file beside it, so it is
            // opened as immutable, which needs none.
            Err(_) if read_only => {
                conn = open_immutable(path)?;
                read_identity(&conn)
            }
            other => other,
        };
        let (app_id, version, objects) =
            identity.map_err(|_| not_ours("SQLite cannot read it as a database"))?;
        let fresh = app_id == 0 && version == 0 && objects == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(not_ours("it is a SQLite database of another program"));
        }
        let latest = migrations::latest_version();
        if version > latest {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: latest,
            });
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
        } else {
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .context("switching to WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .context("setting synchronous")?;
        }
        conn.pragma_update(None, "foreign_keys", true)
            .context("enabling foreign keys")?;
        // Bulk loads raise it briefly (`Store::with_cache`).
        super::set_cache(&conn, super::CACHE_KIB)?;
        // Lists, lookups and an import's dozen statements stay prepared;
        // rusqlite's default of 16 made imports re-parse SQL for every row.
        conn.set_prepared_statement_cache_capacity(64);

        if version < latest {
            if version > 0 {
                backup_before_migration(&conn, path, version)?;
            }
            migrations::migrate_to(&mut conn, latest)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            clock: Clock::system(),
            sla: SlaPolicy::default(),
        })
    }
}

fn read_identity(conn: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok((app_id, version, objects))
}

/// Makes sure `path` can be handed to SQLite: creates a missing file (and its
/// folder) private to the user, refuses anything that is not a SQLite file
/// before SQLite touches it. Returns whether the file must be opened read-only.
fn prepare_file(path: &Path) -> Result<bool> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(StoreError::NotTuicrm {
            path: path.to_path_buf(),
            reason: "it is a folder".to_string(),
        }),
        Ok(meta) => {
            let mut header = Vec::with_capacity(SQLITE_MAGIC.len());
            File::open(path)
                .and_then(|f| f.take(SQLITE_MAGIC.len() as u64).read_to_end(&mut header))
                .map_err(|e| StoreError::io(format!("reading {}", path.display()), e))?;
            if meta.len() > 0 && header != SQLITE_MAGIC {
                return Err(StoreError::NotTuicrm {
                    path: path.to_path_buf(),
                    reason: "it is not a SQLite file".to_string(),
                });
            }
            Ok(!is_writable(path))
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            create_private_file(path)?;
            Ok(false)
        }
        Err(e) => Err(StoreError::io(format!("opening {}", path.display()), e)),
    }
}

fn is_writable(path: &Path) -> bool {
    OpenOptions::new().append(true).open(path).is_ok()
}

pub(super) fn create_private_file(path: &Path) -> Result<()> {
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

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| StoreError::io(format!("creating folder {}", dir.display()), e))
}

/// `<db>.v<N>-<time>.bak` beside the DB, so an upgrade can always be undone by hand.
fn backup_before_migration(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}-{stamp}.bak"));
    let target = path.with_file_name(name);
    vacuum_into(conn, &target)?;
    Ok(target)
}

/// A consistent copy of the open DB at `target`, a new file with mode 0600.
pub(super) fn vacuum_into(conn: &Connection, target: &Path) -> Result<()> {
    create_private_file(target)?;
    let target_text = target.to_string_lossy().to_string();
    conn.execute("VACUUM INTO ?1", [&target_text])
        .map_err(|e| {
            let _ = fs::remove_file(target);
            super::error::classify(e, &format!("writing the copy {}", target.display()))
        })?;
    Ok(())
}
