//! Housekeeping off the interactive path. SQLite copies the WAL back into the
//! DB (with an fsync) inside whichever commit crosses a threshold, and FTS5
//! merges index segments inside whichever insert crosses another; either makes
//! one save in a hundred slow. The TUI instead lets a background thread, on
//! its own connection, merge a little and checkpoint every second — until
//! there is nothing left to merge, and then not again before the next write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::Store;
use super::error::{Context, Result};

const EVERY: Duration = Duration::from_secs(1);
/// The search indexes, merged in small steps (automerge is off: migration 3).
const MERGED: [&str; 5] = [
    "customers_fts",
    "customer_names_fts",
    "tickets_fts",
    "ticket_subjects_fts",
    "interactions_fts",
];
/// Pages of index merged per table per step.
const MERGE_PAGES: i64 = 64;
const POLL: Duration = Duration::from_millis(50);

/// Stops (and checkpoints once more) when dropped.
pub struct Checkpointer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Store {
    /// Moves checkpoints to a background thread for as long as the returned
    /// guard lives. A read-only store needs none: `None`.
    pub fn checkpoint_in_background(&mut self) -> Result<Option<Checkpointer>> {
        if self.read_only {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .context("opening the checkpoint connection")?;
        conn.busy_timeout(Duration::from_secs(5))
            .context("setting the busy timeout")?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .context("moving checkpoints off the main connection")?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("tuicrm-checkpoint".into())
            .spawn(move || {
                let mut waited = Duration::ZERO;
                // The data version when merging last found nothing to do:
                // until someone writes again there is nothing to merge or
                // checkpoint, and an idle app stays idle.
                let mut settled_at: Option<i64> = None;
                while !stopping.load(Ordering::Relaxed) {
                    std::thread::sleep(POLL);
                    waited += POLL;
                    if waited >= EVERY {
                        waited = Duration::ZERO;
                        let version = data_version(&conn);
                        if version.is_some() && version == settled_at {
                            continue;
                        }
                        let merged = merge_a_little(&conn);
                        // PASSIVE never waits for or blocks a writer.
                        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                        settled_at = if merged { None } else { version };
                    }
                }
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            })
            .map_err(|e| super::StoreError::io("starting the checkpoint thread", e))?;
        Ok(Some(Checkpointer {
            stop,
            thread: Some(thread),
        }))
    }
}

/// One small merge step per search index; whether any of them had work.
/// Small steps hold the write lock for a few milliseconds at most. Failures
/// (a busy DB) only postpone the work, so they are not reported.
fn merge_a_little(conn: &Connection) -> bool {
    let mut merged = false;
    for table in MERGED {
        let before = conn.total_changes();
        let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('merge', {MERGE_PAGES})");
        let result = conn.execute(&sql, []);
        // FTS5: a merge that found segments to merge changes two or more rows.
        merged |= result.is_err() || conn.total_changes() - before >= 2;
    }
    merged
}

/// Changes when another connection commits (this one's own merges do not).
fn data_version(conn: &Connection) -> Option<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
