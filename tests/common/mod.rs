//! The built binary run on a database in a temporary folder, at a fixed
//! time, with no settings or database of the machine's leaking in.
//! (Each test file uses part of it.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

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

    pub fn run_on(&self, db: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tuicrm"))
            .arg("--db")
            .arg(self.path(db))
            .args(args)
            .env("TUICRM_NOW", "2026-11-25T10:00:00Z")
            .env("TZ", "UTC")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env_remove("TUICRM_DB")
            .env_remove("TUICRM_CONFIG")
            .stdin(Stdio::null())
            .output()
            .unwrap()
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
