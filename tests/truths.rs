//! Small truths of the command line (issue 11, point 10): JSON that cannot
//! drive a terminal, limits and times that say what is allowed, a CSV round
//! trip that keeps every name, a private dry run, add lines that read alike.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

struct Cli {
    dir: TempDir,
    db: PathBuf,
}

impl Cli {
    fn new() -> Cli {
        let dir = TempDir::new().expect("temp dir");
        let db = dir.path().join("crm.db");
        Cli { dir, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, db: &Path, args: &[&str]) -> Command {
        common::command_at(self.dir.path(), db, args)
    }

    fn run_on(&self, db: &Path, args: &[&str]) -> Output {
        self.command(db, args).output().expect("run tuicrm")
    }

    fn ok_on(&self, db: &Path, args: &[&str]) -> String {
        let out = self.run_on(db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_on(&self.db, args)
    }

    fn json_on(&self, db: &Path, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok_on(db, &all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}: {text}"))
    }

    fn json(&self, args: &[&str]) -> Value {
        self.json_on(&self.db, args)
    }

    /// A command that must fail with exactly one line on stderr.
    fn fail(&self, args: &[&str]) -> (i32, String) {
        let out = self.run_on(&self.db, args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "{args:?}: want one error line, got {stderr:?}"
        );
        (out.status.code().unwrap_or(-1), stderr)
    }
}

/// What no output may carry raw: C0/C1 controls, bidi marks, embeddings,
/// overrides and isolates, zero-width characters.
fn is_hidden_or_control(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'
            | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

const HOSTILE: &str = "Evil\u{1b}[2J\u{9b}31m\u{85}Corp\u{202e}gpj.exe\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}z\u{200b}w\u{200d}j\u{2060}\u{feff}";

#[test]
fn json_output_escapes_every_hidden_or_controlling_character() {
    let cli = Cli::new();
    let added = cli.json(&["customer", "add", HOSTILE, "--notes", HOSTILE]);
    let id = added["id"].as_i64().expect("id").to_string();
    cli.ok(&["ticket", "add", &id, HOSTILE]);
    cli.ok(&["log", &id, HOSTILE]);
    for args in [
        &["customer", "add", "Other", "--notes", HOSTILE][..],
        &["customer", "show", &id],
        &["customer", "list"],
        &["ticket", "list"],
        &["search", "evil"],
        &["export"],
    ] {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let raw = cli.ok(&all);
        let bad: Vec<String> = raw
            .chars()
            .filter(|&c| is_hidden_or_control(c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?} raw");
        assert!(
            raw.contains("\\u009b") && raw.contains("\\u202e"),
            "{args:?}"
        );
        serde_json::from_str::<Value>(&raw).expect("still JSON");
    }
    // Escaped, not lost: the exact name comes back.
    let shown = cli.json(&["customer", "show", &id]);
    assert_eq!(shown["name"].as_str(), Some(HOSTILE));
}

#[test]
fn plain_output_neutralises_the_same_characters() {
    let cli = Cli::new();
    cli.ok(&["customer", "add", HOSTILE]);
    for args in [&["customer", "list"][..], &["customer", "show", "1"]] {
        let raw = cli.ok(args);
        let bad: Vec<String> = raw
            .chars()
            .filter(|&c| is_hidden_or_control(c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?} raw");
    }
}

#[test]
fn an_out_of_range_limit_is_a_usage_error_that_names_the_range() {
    let cli = Cli::new();
    cli.ok(&["customer", "add", "Jane Doe"]);
    let lists: [&[&str]; 6] = [
        &["customer", "list"],
        &["customer", "duplicates"],
        &["ticket", "list"],
        &["followup", "list"],
        &["search", "jane"],
        &["--json", "customer", "list"],
    ];
    for list in lists {
        for bad in [
            "99999999999999999999",
            "18446744073709551615",
            "9223372036854775808",
            "9223372036854775807",
            "-1",
            "0",
            "2.5",
            "ten",
        ] {
            let mut args = list.to_vec();
            args.extend(["--limit", bad]);
            let (code, stderr) = cli.fail(&args);
            assert_eq!(code, 2, "{args:?}: {stderr}");
            assert!(
                stderr.contains("from 1 to 1000000000") && !stderr.contains("datatype"),
                "{args:?}: {stderr}"
            );
        }
        let mut args = list.to_vec();
        args.extend(["--limit", "1000000000"]);
        cli.ok(&args);
    }
    for bad in ["-1", "65536", "99999999999999999999"] {
        let (code, stderr) = cli.fail(&["agenda", "--days", bad]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("from 0 to 65535"), "{bad}: {stderr}");
    }
    cli.ok(&["agenda", "--days", "0"]);
}

#[test]
fn a_logged_time_is_between_1900_and_a_day_from_now() {
    let cli = Cli::new();
    cli.ok(&["customer", "add", "Jane Doe"]);
    for (at, reason) in [
        ("+2d", "more than a day ahead of now"),
        ("2026-11-26 10:01", "more than a day ahead of now"),
        ("2030-01-01T00:00:00Z", "more than a day ahead of now"),
        ("tomorrow", ""),
        ("1899-12-31 23:59", "before 1900"),
        ("0001-01-01T00:00:00Z", "before 1900"),
    ] {
        let args = ["log", "1", "Called", "--at", at];
        if reason.is_empty() {
            cli.ok(&args);
            continue;
        }
        let (code, stderr) = cli.fail(&args);
        assert_eq!(code, 2, "{at}: {stderr}");
        assert!(stderr.contains(reason), "{at}: {stderr}");
    }
    for at in ["+1d", "2026-11-26 10:00", "1900-01-01", "-50y"] {
        cli.ok(&["log", "1", "Called", "--at", at]);
    }
}

#[test]
fn the_time_parser_gives_the_bounds_to_every_caller() {
    use tuicrm::domain::time::parse_time;
    let tz = jiff::tz::TimeZone::UTC;
    let now: jiff::Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
    let day = jiff::SignedDuration::from_hours(24);
    let edge = now.checked_add(day).unwrap().to_string();
    assert!(parse_time("at", &edge, now, &tz).is_ok());
    let past_edge = now
        .checked_add(day + jiff::SignedDuration::from_secs(1))
        .unwrap()
        .to_string();
    let err = parse_time("at", &past_edge, now, &tz).unwrap_err();
    assert!(err.to_string().contains("a day ahead"), "{err}");
    let err = parse_time("at", "1899-12-31T23:59:59Z", now, &tz).unwrap_err();
    assert!(err.to_string().contains("before 1900"), "{err}");
    assert!(parse_time("at", "1900-01-01T00:00:00Z", now, &tz).is_ok());
}

#[test]
fn a_csv_round_trip_keeps_names_that_begin_with_a_quote() {
    let cli = Cli::new();
    let names = [
        "'=already quoted",
        "'tis a name",
        "''twice",
        "'",
        "=1+1",
        "+44 20 7946 0000",
        "-minus",
        "@home",
        "O'Brien",
        "plain",
    ];
    for name in names {
        let (notes, title) = (format!("--notes={name}"), format!("--title={name}"));
        cli.ok(&["customer", "add", &notes, &title, "--", name]);
    }
    let csv = cli.path("customers.csv");
    cli.ok(&["export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(!text.lines().any(|l| l.starts_with('=')), "{text}");

    let copy = cli.path("copy.db");
    cli.ok_on(&copy, &["import", csv.to_str().unwrap()]);
    let listed = cli.json_on(&copy, &["customer", "list", "--limit", "100"]);
    let mut got: Vec<(String, String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (field("name"), field("notes"), field("title"))
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String)> = names
        .iter()
        .map(|n| (n.to_string(), n.to_string(), n.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

/// The dry run's scratch database, seen while the run waits for its input
/// (a named pipe): a private folder with an unguessable name, gone after.
#[cfg(unix)]
#[test]
fn a_dry_run_rehearses_in_a_private_folder_that_is_removed() {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    let cli = Cli::new();
    let tmp = cli.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let fifo = cli.path("contacts.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !matches!(made, Ok(s) if s.success()) {
        eprintln!("no mkfifo here; skipped");
        return;
    }
    let missing = cli.path("new.db");
    let child = cli
        .command(&missing, &["import", fifo.to_str().unwrap(), "--dry-run"])
        .env("TMPDIR", &tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start import");

    let started = std::time::Instant::now();
    let folder = loop {
        let found = std::fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.join("dry-run.db").exists());
        if let Some(folder) = found {
            break folder;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no scratch database appeared in {}",
            tmp.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let name = folder.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("tuicrm-dry-run-"), "{name}");
    assert_ne!(
        name,
        format!("tuicrm-dry-run-{}", child.id()),
        "not just the pid"
    );
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{name}");

    std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .and_then(|mut f| f.write_all(b"name,email\nJane Doe,jane@example.com\n"))
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!folder.exists(), "the scratch folder is removed");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    assert!(!missing.exists(), "a dry run creates no database");
}

#[test]
fn add_lines_read_alike_from_the_first_record_on() {
    let cli = Cli::new();
    let said = |args: &[&str]| cli.ok(args).trim_end().to_string();
    // The first customer of a database that does not exist yet, and later ones.
    assert!(!cli.db.exists());
    assert_eq!(
        said(&["customer", "add", "Acme Corp", "--organization"]),
        "added customer 1: Acme Corp (organization)"
    );
    assert_eq!(
        said(&["customer", "add", "Jane Doe", "--org", "acme"]),
        "added customer 2: Jane Doe (person at Acme Corp)"
    );
    assert_eq!(
        said(&["customer", "add", "Bob"]),
        "added customer 3: Bob (person)"
    );
    // Ticket, follow-up and log lines: verb, record, what it is, with whom.
    assert_eq!(
        said(&["ticket", "add", "2", "Cannot log in"]),
        "opened ticket 1: Cannot log in for Jane Doe (new)"
    );
    assert_eq!(
        said(&[
            "followup",
            "add",
            "1",
            "--kind",
            "renewal",
            "--due",
            "2026-12-01"
        ]),
        "planned follow-up 1: renewal with Acme Corp, due 2026-12-01"
    );
    assert_eq!(
        said(&["log", "3", "Called"]),
        "logged interaction 1: internal note with Bob"
    );
}
