//! Each way a database can fail to open gets its own true sentence and exit
//! status 1: a foreign file, an empty or cut-off one, a damaged one, a lock
//! held by another process, a full disk, a folder or file we may not use.
//! Only the first is "not a tuicrm database"; `check` never says `ok` of the rest.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::Cli;
use rusqlite::Connection;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs the command and asserts exit 1 with one `error:` line containing `needle`.
fn fails_with(cli: &Cli, db: &str, args: &[&str], needle: &str) {
    let out = cli.run_on(db, args);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
    assert!(text.contains(needle), "{args:?}: {text}");
    let foreign = needle.contains("not a") || needle.contains("another program");
    assert!(foreign || !text.contains("not a tuicrm database"), "{text}");
    assert_eq!(text.trim_end().lines().count(), 1, "{args:?}: {text}");
}

fn demo_db(cli: &Cli, name: &str) {
    cli.ok(name, &["demo", "--customers", "200"]);
}

#[test]
fn a_file_that_is_not_ours_is_not_a_tuicrm_database_and_stays_as_it_was() {
    let cli = Cli::new();
    std::fs::write(cli.path("notes.db"), "just some text\n").unwrap();
    fails_with(&cli, "notes.db", &["check"], "not a tuicrm database");
    fails_with(
        &cli,
        "notes.db",
        &["customer", "add", "X"],
        "not a SQLite file",
    );
    assert_eq!(
        std::fs::read(cli.path("notes.db")).unwrap(),
        b"just some text\n"
    );
    let other = Connection::open(cli.path("other.db")).unwrap();
    other.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(other);
    fails_with(&cli, "other.db", &["customer", "list"], "another program");
}

#[test]
fn an_empty_file_is_no_database_for_reading_and_is_adopted_privately_for_writing() {
    let cli = Cli::new();
    let path = cli.path("empty.db");
    std::fs::write(&path, "").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [&["check"][..], &["customer", "list"], &["export"]] {
        fails_with(&cli, "empty.db", args, "is empty");
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "reading wrote");
    cli.ok("empty.db", &["customer", "add", "Adopted"]);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert!(cli.ok("empty.db", &["check"]).contains("ok"));
}

#[test]
fn a_cut_off_file_is_called_cut_off_by_every_command() {
    let cli = Cli::new();
    demo_db(&cli, "crm.db");
    let path = cli.path("crm.db");
    let len = std::fs::metadata(&path).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(len / 2).unwrap();
    for args in [
        &["check"][..],
        &["customer", "list"],
        &["customer", "add", "X"],
    ] {
        fails_with(&cli, "crm.db", args, "is cut off");
    }
    std::fs::write(cli.path("stub.db"), b"SQLite format 3\0abc").unwrap();
    fails_with(&cli, "stub.db", &["check"], "is cut off");
}

#[test]
fn a_damaged_file_is_never_ok() {
    let cli = Cli::new();
    demo_db(&cli, "crm.db");
    let path = cli.path("crm.db");
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    // Scribble over pages in the middle, leaving the header whole.
    for b in &mut bytes[page * 8..page * 14] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let out = cli.run_on("crm.db", &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(": ok"), "{stdout}");
    assert!(!stderr(&out).contains("not a tuicrm database"));
}

#[test]
fn a_lock_held_by_another_process_is_named_as_such() {
    let cli = Cli::new();
    demo_db(&cli, "crm.db");
    // Like a demo load: a rollback journal and an exclusive lock.
    let conn = Connection::open(cli.path("crm.db")).unwrap();
    conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })
    .unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    fails_with(
        &cli,
        "crm.db",
        &["customer", "list"],
        "locked by another process",
    );
    fails_with(
        &cli,
        "crm.db",
        &["customer", "add", "X"],
        "locked by another process",
    );
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    cli.ok("crm.db", &["customer", "add", "After"]);
}

#[test]
fn reading_goes_on_while_another_process_holds_the_write_lock() {
    let cli = Cli::new();
    demo_db(&cli, "crm.db");
    let conn = Connection::open(cli.path("crm.db")).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    for args in [
        &["customer", "list", "--limit", "3"][..],
        &["search", "acme"],
        &["agenda"],
        &["check"],
        &["export", "--format", "csv"],
    ] {
        let out = cli.run_on("crm.db", args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    fails_with(
        &cli,
        "crm.db",
        &["customer", "add", "X"],
        "locked by another process",
    );
    conn.execute_batch("ROLLBACK").unwrap();
}

/// A small filesystem that fills up: a tmpfs where we may mount one (root),
/// with room for the schema (about 250 KB) but not the demo, else a file
/// size limit, which SQLite meets as a refused write.
fn run_on_full_disk(cli: &Cli, args: &[&str]) -> Option<(Output, String)> {
    let mount = cli.path("small");
    std::fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(&mount)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if mounted {
        let out = cli.run_on("small/crm.db", args);
        let after = cli.run_on("small/crm.db", &["check"]);
        let check = String::from_utf8_lossy(&after.stdout).into_owned();
        let _ = Command::new("umount").arg(&mount).status();
        return Some((out, check));
    }
    let script = format!(
        "trap '' XFSZ; ulimit -f 128; exec \"$0\" --db {} \"$@\"",
        cli.path("limited.db").display()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tuicrm"))
        .args(args)
        .env("TUICRM_NOW", "2026-11-25T10:00:00Z")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let check = cli.ok("limited.db", &["check"]);
    Some((out, check))
}

#[test]
fn a_full_disk_is_named_and_loses_nothing_saved_before() {
    let cli = Cli::new();
    let Some((out, check)) = run_on_full_disk(&cli, &["demo", "--customers", "5000"]) else {
        return;
    };
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("the disk is full") || text.contains("file size limit"),
        "{text}"
    );
    assert!(
        text.contains("was not saved") || text.contains("was saved"),
        "{text}"
    );
    assert!(check.contains("ok"), "{check}");
}

/// `tuicrm` without the power to ignore file permissions, as a user who is
/// not root would run it (CI runs as root).
fn run_unprivileged(db: &Path, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_tuicrm");
    let privileged = nix_is_root();
    let mut cmd = if privileged {
        let mut c = Command::new("setpriv");
        c.args([
            "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search",
            bin,
        ]);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("TUICRM_NOW", "2026-11-25T10:00:00Z")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

fn setpriv_works() -> bool {
    !nix_is_root()
        || Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
}

#[test]
fn a_read_only_folder_is_named_and_still_read_without_leaving_files() {
    if !setpriv_works() {
        return;
    }
    let cli = Cli::new();
    std::fs::create_dir_all(cli.path("ro")).unwrap();
    demo_db(&cli, "ro/crm.db");
    let folder = cli.path("ro");
    let db = folder.join("crm.db");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let listed = run_unprivileged(&db, &["customer", "list", "--limit", "2"]);
    let added = run_unprivileged(&db, &["customer", "add", "X"]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(added.status.code(), Some(1));
    assert!(
        stderr(&added).contains("the folder is not writable"),
        "{}",
        stderr(&added)
    );
    let left: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["crm.db"], "reading left files behind");
}

#[test]
fn a_read_only_file_is_read_leaving_no_wal_behind_and_a_file_we_may_not_read_says_so() {
    if !setpriv_works() {
        return;
    }
    let cli = Cli::new();
    demo_db(&cli, "crm.db");
    let db = cli.path("crm.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let listed = run_unprivileged(&db, &["customer", "list", "--limit", "2"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(!cli.path("crm.db-wal").exists());
    assert!(!cli.path("crm.db-shm").exists());
    let added = run_unprivileged(&db, &["customer", "add", "X"]);
    assert_eq!(added.status.code(), Some(1));
    assert!(stderr(&added).contains("read-only"), "{}", stderr(&added));

    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = run_unprivileged(&db, &["check"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("cannot read") && text.contains("ermission denied"),
        "{text}"
    );
    assert!(!text.contains("not a tuicrm database"), "{text}");
}
