//! Many processes on one database at the same moment: creating it, upgrading
//! an older one, and an upgrade that waits for another writer. Every process
//! must succeed, the schema version must end at the latest and never go back,
//! and only the process that really upgrades leaves a backup.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use common::Cli;
use rusqlite::Connection;
use tuicrm::store::migrations::{self, latest_version};

const PROCESSES: usize = 8;

fn spawn_add(db: &Path, name: &str) -> Child {
    let home = db.parent().unwrap_or(Path::new("."));
    common::command_at(home, db, &["customer", "add", name])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts `PROCESSES` adds on `db` together; returns the stderr of those that failed.
fn race_adds(db: &Path) -> Vec<String> {
    let children: Vec<Child> = (0..PROCESSES)
        .map(|i| spawn_add(db, &format!("Racer {i}")))
        .collect();
    children
        .into_iter()
        .filter_map(|child| {
            let out = child.wait_with_output().unwrap();
            (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
        })
        .collect()
}

fn version_of(db: &Path) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn files_ending(dir: &Path, ending: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ending))
        .collect()
}

/// A database as an older tuicrm left it: schema `version`, one customer, WAL.
fn older_database(db: &Path, version: i64) {
    let mut conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    migrations::migrate_to(&mut conn, version).unwrap();
    conn.execute(
        "INSERT INTO customers (kind, name, stage, created_at, updated_at)
         VALUES ('person', 'From Before', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    if version >= 2 {
        // From version 2 on the app indexes what it writes.
        conn.execute(
            "INSERT INTO customers_fts (rowid, name, email, notes) VALUES (last_insert_rowid(), 'From Before', '', '')",
            [],
        )
        .unwrap();
    }
}

fn customer_count(cli: &Cli, db: &str) -> usize {
    cli.json(db, &["customer", "list", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn eight_processes_create_a_new_database_together() {
    let cli = Cli::new();
    for round in 0..12 {
        let name = format!("round{round}/new.db");
        let failures = race_adds(&cli.path(&name));
        assert!(failures.is_empty(), "round {round}: {failures:?}");
        assert_eq!(version_of(&cli.path(&name)), latest_version());
        assert_eq!(customer_count(&cli, &name), PROCESSES, "round {round}");
        assert!(cli.ok(&name, &["check"]).contains("ok"));
    }
}

#[test]
fn eight_processes_upgrade_an_older_database_together() {
    let cli = Cli::new();
    for (round, version) in [1, 3, 5, 7, 8, 1, 4, 6].into_iter().enumerate() {
        let folder = cli.path(&format!("round{round}"));
        std::fs::create_dir_all(&folder).unwrap();
        let db = folder.join("old.db");
        older_database(&db, version);
        let failures = race_adds(&db);
        assert!(
            failures.is_empty(),
            "round {round} (v{version}): {failures:?}"
        );
        assert_eq!(version_of(&db), latest_version());
        let name = format!("round{round}/old.db");
        assert_eq!(customer_count(&cli, &name), PROCESSES + 1);
        assert!(cli.ok(&name, &["check"]).contains("ok"));
        // One backup, by the one process that upgraded, holding the old version.
        let backups = files_ending(&folder, ".bak");
        assert_eq!(backups.len(), 1, "round {round}: {backups:?}");
        assert!(
            backups[0]
                .to_string_lossy()
                .contains(&format!(".v{version}-")),
            "{backups:?}"
        );
        assert_eq!(version_of(&backups[0]), version);
        assert!(
            std::fs::read_dir(&folder).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")),
            "a temporary copy was left"
        );
    }
}

#[test]
fn an_upgrade_waiting_for_another_writer_applies_only_what_is_still_missing() {
    let cli = Cli::new();
    let db = cli.path("old.db");
    older_database(&db, 5);
    // Another process holds the write lock while ours opens the older file...
    let mut other = Connection::open(&db).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let waiting = spawn_add(&db, "Waited");
    std::thread::sleep(Duration::from_millis(400));
    // ... and commits the newer schema itself.
    for (version, sql) in migrations::MIGRATIONS {
        if *version > 5 {
            tx.execute_batch(sql).unwrap();
            tx.pragma_update(None, "user_version", version).unwrap();
        }
    }
    tx.commit().unwrap();
    let out = waiting.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(version_of(&db), latest_version());
    // It did not upgrade, so it made no backup.
    assert!(files_ending(cli.dir.path(), ".bak").is_empty());
    assert_eq!(customer_count(&cli, "old.db"), 2);
}

#[test]
fn an_upgrade_never_lowers_the_version() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations::migrate_to(&mut conn, latest_version()).unwrap();
    // Asked for an older target, it leaves the newer schema alone.
    migrations::migrate_to(&mut conn, 3).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_version());
}

#[test]
fn commands_that_only_read_create_nothing_where_there_is_no_database() {
    let cli = Cli::new();
    for args in [
        &["customer", "list"][..],
        &["customer", "show", "1"],
        &["ticket", "list"],
        &["followup", "list"],
        &["search", "acme"],
        &["agenda"],
        &["export", "--format", "json"],
        &["check"],
        &["backup", "--out", "copy.db"],
    ] {
        let out = cli.run_on("missing/crm.db", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("no database at") && stderr.contains("tuicrm init creates one"),
            "{args:?}: {stderr}"
        );
        assert!(!cli.path("missing").exists(), "{args:?} made a folder");
    }
    // Writing commands still create it on first use.
    cli.ok("missing/crm.db", &["customer", "add", "First"]);
    assert_eq!(customer_count(&cli, "missing/crm.db"), 1);
}
