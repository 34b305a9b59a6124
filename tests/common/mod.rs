//! The built binary run on a database in a temporary folder, at a fixed
//! time, with no settings or database of the machine's leaking in.
//! (Each test file uses part of it.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// `tuicrm --db DB ARGS...` with `home` as its home and settings folder.
pub fn command_at(home: &Path, db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tuicrm"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("TUICRM_NOW", "2026-11-25T10:00:00Z")
        .env("TZ", "UTC")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env_remove("TUICRM_DB")
        .env_remove("TUICRM_CONFIG")
        .stdin(Stdio::null());
    cmd
}

pub struct Cli {
    pub dir: TempDir,
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            dir: TempDir::new().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tuicrm --db DB ARGS...` at the fixed time, with no settings or
    /// database of the machine's, no stdin; not started yet.
    pub fn command(&self, db: &str, args: &[&str]) -> Command {
        command_at(self.dir.path(), &self.path(db), args)
    }

    pub fn run_on(&self, db: &str, args: &[&str]) -> Output {
        self.command(db, args).output().unwrap()
    }

    pub fn ok(&self, db: &str, args: &[&str]) -> String {
        let out = self.run_on(db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `export --format FORMAT --out OUT` on `db`, which must succeed.
    pub fn export_to(&self, db: &str, format: &str, out: &Path) {
        let out = out.to_str().unwrap();
        self.ok(db, &["export", "--format", format, "--out", out]);
    }

    pub fn json(&self, db: &str, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(db, &all)).unwrap()
    }
}
