//! Housekeeping off the interactive path. SQLite copies the WAL back into the
//! DB (with an fsync) inside whichever commit crosses a threshold, and FTS5
//! merges index segments inside whichever insert crosses another; either makes
//! one save in a hundred slow. The TUI instead lets a background thread, on
//! its own connection, merge a little and checkpoint every second.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::Store;
use super::error::{Context, Result};

const EVERY: Duration = Duration::from_secs(1);
/// The search indexes, merged in small steps (automerge is off: migration 3).
const MERGED: [&str; 3] = ["customers_fts", "tickets_fts", "interactions_fts"];
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
                while !stopping.load(Ordering::Relaxed) {
                    std::thread::sleep(POLL);
                    waited += POLL;
                    if waited >= EVERY {
                        waited = Duration::ZERO;
                        // Small merge steps hold the write lock for a few
                        // milliseconds at most. Failures (a busy DB) only
                        // postpone the work, so they are not reported.
                        for table in MERGED {
                            let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('merge', {MERGE_PAGES})");
                            let _ = conn.execute(&sql, []);
                        }
                        // PASSIVE never waits for or blocks a writer.
                        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
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

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
