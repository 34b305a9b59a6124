//! Store errors, typed so the edge can pick an exit code and say one sentence.

use std::path::PathBuf;

use crate::domain::ValidationError;

type Source = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: i64 },

    #[error(transparent)]
    Invalid(#[from] ValidationError),

    /// A rule about existing records, such as linking to a person as organization.
    #[error("{0}")]
    Conflict(String),

    /// A field the user changed was changed by another process meanwhile.
    #[error(
        "{what} was changed by another process since you opened it: {}",
        crate::domain::edit::describe(conflicts)
    )]
    ChangedMeanwhile {
        what: String,
        conflicts: Vec<crate::domain::edit::FieldConflict>,
    },

    #[error("{} is not a tuicrm database ({reason}); it was not changed", path.display())]
    NotTuicrm { path: PathBuf, reason: String },

    #[error("no database at {} — tuicrm init creates one", path.display())]
    Missing { path: PathBuf },

    #[error("{} is empty: no tuicrm database is in it yet — tuicrm init makes one", path.display())]
    Empty { path: PathBuf },

    #[error("{} is cut off ({len} bytes{}): the database is damaged — restore a backup", path.display(), expected.map(|e| format!(" of the {e} its header promises")).unwrap_or_default())]
    CutOff {
        path: PathBuf,
        len: u64,
        expected: Option<u64>,
    },

    #[error(
        "SQLite cannot make its journal files beside {} (the folder is not writable); writing needs a writable folder",
        path.display()
    )]
    FolderReadOnly { path: PathBuf },

    #[error(
        "{} was written by a newer tuicrm (schema version {found}, this build knows up to {supported}); it was not changed — upgrade tuicrm",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("{} is read-only: {what} needs write access", path.display())]
    ReadOnly { path: PathBuf, what: String },

    #[error("the disk is full while {context}; nothing of this change was saved")]
    DiskFull { context: String },

    /// SQLite's "disk I/O error": the system refused a read or write.
    #[error(
        "the system refused to read or write the database while {context} (a full disk, a file size limit or a failing disk); a change in progress was not saved"
    )]
    DiskIo { context: String },

    #[error(
        "the database is locked by another process (an import, a demo load or another tuicrm is writing) while {context}; try again when it is done"
    )]
    Busy { context: String },

    #[error(
        "the database file is damaged ({context}: {source}); `tuicrm check` lists what is wrong — restore a backup"
    )]
    Corrupt { context: String, source: Source },

    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },

    #[error("{context}: {source}")]
    Sql { context: String, source: Source },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> StoreError {
        StoreError::Io {
            context: context.into(),
            source,
        }
    }

    /// The file itself is damaged or cut off, as opposed to busy, full or refused.
    pub fn is_damage(&self) -> bool {
        matches!(self, StoreError::Corrupt { .. } | StoreError::CutOff { .. })
    }

    /// Bad input (exit 2 on the command line) as opposed to a failure (exit 1).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, StoreError::Invalid(_))
    }
}

/// Adds what we were doing to a SQLite error and sorts the cases a person can
/// act on (full disk, read-only file, busy, damaged file) from the rest.
pub(crate) trait Context<T> {
    fn context(self, context: &str) -> Result<T>;
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn context(self, context: &str) -> Result<T> {
        self.map_err(|err| classify(err, context))
    }
}

pub(crate) fn classify(err: rusqlite::Error, context: &str) -> StoreError {
    use rusqlite::ErrorCode;
    let context = context.to_string();
    match err.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { context },
        Some(ErrorCode::SystemIoFailure) => StoreError::DiskIo { context },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { context },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: PathBuf::from("the database"),
            what: context,
        },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
            context,
            source: Box::new(err),
        },
        _ => StoreError::Sql {
            context,
            source: Box::new(err),
        },
    }
}
