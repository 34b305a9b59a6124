//! `tuicrm backup`: the copy appears at its name whole or not at all, an
//! existing file is only replaced with `--force`, and the file is private.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

struct Dir {
    dir: TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            dir: TempDir::new().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, db: &Path, args: &[&str]) -> Command {
        common::command_at(self.dir.path(), db, args)
    }

    fn run(&self, db: &Path, args: &[&str]) -> Output {
        self.command(db, args).output().expect("run tuicrm")
    }

    fn ok(&self, db: &Path, args: &[&str]) -> String {
        let out = self.run(db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    }

    /// Names in the folder other than the database's own files.
    fn others(&self, db: &Path) -> Vec<String> {
        let db_name = db.file_name().unwrap().to_string_lossy().to_string();
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| !n.starts_with(&db_name))
            .collect();
        names.sort();
        names
    }
}

fn backup_args(out: &Path) -> Vec<&str> {
    vec!["backup", "--out", out.to_str().unwrap()]
}

/// A database with a few records.
fn small_db(dir: &Dir) -> PathBuf {
    let db = dir.path("crm.db");
    dir.ok(&db, &["customer", "add", "Jane Doe"]);
    db
}

#[test]
fn a_backup_is_private_and_leaves_nothing_else_behind() {
    let dir = Dir::new();
    let db = small_db(&dir);
    let out = dir.path("copy.db");
    let said = dir.ok(&db, &backup_args(&out));
    assert_eq!(said.trim(), format!("backed up to {}", out.display()));
    assert_eq!(dir.others(&db), ["copy.db"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    dir.ok(&out, &["check"]);
}

#[test]
fn an_existing_name_is_replaced_only_with_force() {
    let dir = Dir::new();
    let db = small_db(&dir);
    let out = dir.path("precious.txt");
    std::fs::write(&out, "do not lose me").unwrap();

    let refused = dir.run(&db, &backup_args(&out));
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("already exists")
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "do not lose me");
    assert_eq!(dir.others(&db), ["precious.txt"], "no temporary file left");

    let mut args = backup_args(&out);
    args.push("--force");
    let said = dir.ok(&db, &args);
    assert!(said.contains("replaced"), "{said}");
    dir.ok(&out, &["check"]);
    let names = dir.ok(&out, &["customer", "list"]);
    assert!(names.contains("Jane Doe"), "{names}");
}

#[test]
fn the_database_itself_is_never_a_backup_target() {
    let dir = Dir::new();
    let db = small_db(&dir);
    for name in ["crm.db", "crm.db-wal", "./crm.db-shm"] {
        let target = dir.dir.path().join(name);
        let mut args = backup_args(&target);
        args.push("--force");
        let out = dir.run(&db, &args);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("the database itself"), "{name}: {stderr}");
    }
    dir.ok(&db, &["check"]);
    assert!(dir.ok(&db, &["customer", "list"]).contains("Jane Doe"));
}

/// A few hundred thousand nanoseconds of noise: enough to spread the kills
/// over the run without a random-number crate.
fn jitter(round: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    let mut x = nanos ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

#[cfg(unix)]
#[test]
fn a_killed_backup_leaves_no_file_at_its_name() {
    let dir = Dir::new();
    let db = dir.path("big.db");
    dir.ok(&db, &["demo", "--customers", "20000"]);

    // How long a whole backup takes here, so the kills land inside one.
    let out = dir.path("copy.db");
    let started = Instant::now();
    dir.ok(&db, &backup_args(&out));
    let full = started.elapsed().as_micros().max(1_000) as u64;
    std::fs::remove_file(&out).unwrap();

    let mut killed_midway = 0;
    for round in 0..6 {
        let delay = Duration::from_micros(full / 10 + jitter(round) % (full * 9 / 10));
        let mut child = dir
            .command(&db, &backup_args(&out))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start backup");
        std::thread::sleep(delay);
        let finished = matches!(child.try_wait(), Ok(Some(_)));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let status = child.wait().expect("wait for backup");
        if out.exists() {
            // Only a finished rename puts a file there, and then it is whole.
            dir.ok(&out, &["check"]);
            for name in ["copy.db", "copy.db-wal", "copy.db-shm"] {
                let _ = std::fs::remove_file(dir.path(name));
            }
        } else {
            assert!(
                !(finished && status.success()),
                "a finished backup is there"
            );
            killed_midway += 1;
        }
        // Whatever is left is hidden and named as unfinished.
        for name in dir.others(&db) {
            assert!(name.starts_with(".copy.db.tmp-"), "round {round}: {name}");
            std::fs::remove_file(dir.path(&name)).unwrap();
        }
    }
    eprintln!("{killed_midway} of 6 backups were killed before they finished");
}
