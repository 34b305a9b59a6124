//! End-to-end tests of the command line: the built binary, a private temp DB,
//! a pinned clock (`TUICRM_NOW`, `TZ=UTC`) and no stdin, as a script or CI
//! would run it. Records are read back through `--json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-11-25T10:00:00Z";

/// One temp folder with a DB in it, and the clock the next commands see.
struct Cli {
    dir: TempDir,
    db: PathBuf,
    now: String,
}

impl Cli {
    fn new() -> Cli {
        let dir = TempDir::new().expect("temp dir");
        let db = dir.path().join("crm.db");
        Cli {
            dir,
            db,
            now: NOW.to_string(),
        }
    }

    /// Moves the pinned clock for the commands that follow.
    fn at(&mut self, now: &str) {
        self.now = now.to_string();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tuicrm` with a clean, pinned environment; no `--db` yet.
    fn bare(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tuicrm"));
        let home = self.dir.path();
        cmd.env_remove("TUICRM_DB")
            .env_remove("TUICRM_CONFIG")
            .env_remove("RUST_LOG")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TUICRM_NOW", &self.now)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "1")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `tuicrm --db <this DB> ARGS...`.
    fn run(&self, args: &[&str]) -> Output {
        self.run_on(&self.db, args)
    }

    fn run_on(&self, db: &Path, args: &[&str]) -> Output {
        self.bare()
            .arg("--db")
            .arg(db)
            .args(args)
            .output()
            .expect("run tuicrm")
    }

    /// Stdout of a command that must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_success(args, &out);
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// The `--json` output of a command that must succeed.
    fn json(&self, args: &[&str]) -> Value {
        self.json_on(&self.db, args)
    }

    fn json_on(&self, db: &Path, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run_on(db, &all);
        assert_success(&all, &out);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stdout is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// A command that must fail with one clear line on stderr: (exit code, stderr).
    fn fail(&self, args: &[&str]) -> (i32, String) {
        self.fail_on(&self.db, args)
    }

    fn fail_on(&self, db: &Path, args: &[&str]) -> (i32, String) {
        let (code, stderr) = self.fail_raw_on(db, args);
        assert!(
            stderr.starts_with("error: "),
            "{args:?}: stderr should start with 'error: ', got {stderr:?}"
        );
        assert!(
            stderr.ends_with('\n') && stderr.lines().count() == 1,
            "{args:?}: stderr should be exactly one line, got {stderr:?}"
        );
        (code, stderr)
    }

    /// A command that must fail without a panic; stderr may have several lines (clap usage).
    fn fail_raw(&self, args: &[&str]) -> (i32, String) {
        self.fail_raw_on(&self.db, args)
    }

    fn fail_raw_on(&self, db: &Path, args: &[&str]) -> (i32, String) {
        let out = self.run_on(db, args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            !out.status.success(),
            "{args:?} should fail; stdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
            "{args:?} panicked:\n{stderr}"
        );
        let code = out.status.code().expect("exited, not killed by a signal");
        (code, stderr)
    }

    /// Adds a person and returns its id.
    fn person(&self, name: &str, flags: &[&str]) -> i64 {
        let mut args = vec!["customer", "add", name];
        args.extend_from_slice(flags);
        id(&self.json(&args))
    }

    fn organization(&self, name: &str) -> i64 {
        id(&self.json(&["customer", "add", name, "--organization"]))
    }

    /// Opens a ticket and returns its id.
    fn ticket(&self, customer: i64, subject: &str, flags: &[&str]) -> i64 {
        let customer = customer.to_string();
        let mut args = vec!["ticket", "add", customer.as_str(), subject];
        args.extend_from_slice(flags);
        id(&self.json(&args))
    }

    fn ids(&self, args: &[&str]) -> Vec<i64> {
        array(&self.json(args)).iter().map(id).collect()
    }
}

fn assert_success(args: &[&str], out: &Output) {
    assert!(
        out.status.success(),
        "{args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn id(value: &Value) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value:#}"))
}

fn array(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {value:#}"))
}

fn names(value: &Value) -> Vec<&str> {
    array(value)
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

/// True when this process can write a file it made read-only: it runs as root
/// (or with CAP_DAC_OVERRIDE), so permission tests prove nothing.
fn ignores_permissions(path: &Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

// ---------------------------------------------------------------- happy paths

#[test]
fn init_prints_the_path_and_creates_a_private_file() {
    let cli = Cli::new();
    let stdout = cli.ok(&["init"]);
    assert_eq!(stdout, format!("{}\n", cli.db.display()));
    assert!(cli.db.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cli.db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "new DB mode is {mode:o}");
    }
    // Again: the file is kept, and --json names it too.
    let report = cli.json(&["init"]);
    assert_eq!(report["path"].as_str(), Some(cli.db.to_str().unwrap()));
    assert_eq!(array(&cli.json(&["customer", "list"])).len(), 0);
}

#[test]
fn customer_add_with_every_flag() {
    let cli = Cli::new();
    let acme = cli.organization("Acme Corp");
    let jane = cli.json(&[
        "customer",
        "add",
        "  Jane Doe ",
        "--org",
        "Acme Corp",
        "--email",
        "jane@example.com",
        "--phone",
        "+1 555 0100",
        "--segment",
        "SMB",
        "--tag",
        "vip",
        "--tag",
        "beta",
        "--stage",
        "active",
        "--owner",
        "bob",
        "--renewal",
        "+30d",
        "--value",
        "1,200.50 EUR",
    ]);
    assert!(jane["id"].as_i64().unwrap() > acme);
    assert_eq!(jane["name"], "Jane Doe");
    assert_eq!(jane["kind"], "person");
    assert_eq!(jane["organization_id"], acme);
    assert_eq!(jane["organization"], "Acme Corp");
    assert_eq!(jane["email"], "jane@example.com");
    assert_eq!(jane["phone"], "+1 555 0100");
    assert_eq!(jane["segment"], "SMB");
    assert_eq!(jane["stage"], "active");
    assert_eq!(jane["owner"], "bob");
    assert_eq!(jane["renewal_on"], "2026-12-25");
    assert_eq!(jane["contract_value"], 120050);
    assert_eq!(jane["currency"], "EUR");
    let mut tags: Vec<&str> = jane["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    tags.sort_unstable();
    assert_eq!(tags, ["beta", "vip"]);
    assert_eq!(jane["created_at"], NOW);
    assert_eq!(jane["deleted_at"], Value::Null);

    // --org by id, and by name in another case.
    let by_id = cli.json(&["customer", "add", "Joe", "--org", &acme.to_string()]);
    assert_eq!(by_id["organization_id"], acme);
    let by_name = cli.json(&["customer", "add", "Ann", "--org", "acme corp"]);
    assert_eq!(by_name["organization_id"], acme);

    let org = cli.json(&["customer", "show", &acme.to_string()]);
    assert_eq!(org["kind"], "organization");
    // Without a currency the config default applies.
    assert_eq!(
        cli.json(&["customer", "add", "Bo", "--value", "12000"])["currency"],
        "USD"
    );
}

#[test]
fn customer_list_filters() {
    let cli = Cli::new();
    cli.person(
        "Jane Doe",
        &["--segment", "SMB", "--tag", "vip", "--stage", "active"],
    );
    cli.person(
        "Janet Roe",
        &["--segment", "Enterprise", "--stage", "active"],
    );
    cli.person(
        "Bob Stone",
        &["--segment", "SMB", "--tag", "vip", "--stage", "churned"],
    );
    cli.person("Carl Vik", &[]);

    let all = cli.json(&["customer", "list"]);
    assert_eq!(
        names(&all),
        ["Bob Stone", "Carl Vik", "Jane Doe", "Janet Roe"]
    );
    // Each with its health, reasons included, as in the TUI.
    assert_eq!(all[0]["health"]["score"], 100, "{}", all[0]);
    assert!(all[0]["health"]["reasons"].is_array());
    let table = cli.ok(&["customer", "list"]);
    assert!(table.lines().next().unwrap().contains("HEALTH"), "{table}");
    assert_eq!(
        names(&cli.json(&["customer", "list", "--segment", "SMB"])),
        ["Bob Stone", "Jane Doe"]
    );
    assert_eq!(
        names(&cli.json(&["customer", "list", "--tag", "vip"])),
        ["Bob Stone", "Jane Doe"]
    );
    assert_eq!(
        names(&cli.json(&["customer", "list", "--stage", "active"])),
        ["Jane Doe", "Janet Roe"]
    );
    assert_eq!(
        names(&cli.json(&["customer", "list", "--search", "jan"])),
        ["Jane Doe", "Janet Roe"]
    );
    assert_eq!(
        names(&cli.json(&["customer", "list", "--segment", "SMB", "--stage", "churned"])),
        ["Bob Stone"]
    );
    assert_eq!(
        array(&cli.json(&["customer", "list", "--limit", "2"])).len(),
        2
    );
    assert_eq!(
        array(&cli.json(&["customer", "list", "--search", "nobody"])).len(),
        0
    );
}

#[test]
fn customer_show_includes_people_tickets_followups_and_log() {
    let cli = Cli::new();
    let acme = cli.organization("Acme Corp");
    let jane = cli.person("Jane Doe", &["--org", &acme.to_string()]);
    let a = acme.to_string();
    let ticket = cli.ticket(acme, "Invoices are wrong", &[]);
    let followup = id(&cli.json(&["followup", "add", &a, "--kind", "review"]));
    let logged = id(&cli.json(&["log", &a, "Called the CFO", "--kind", "call"]));

    let view = cli.json(&["customer", "show", &a]);
    assert_eq!(view["id"], acme);
    assert_eq!(view["name"], "Acme Corp");
    assert_eq!(
        array(&view["people"]).iter().map(id).collect::<Vec<_>>(),
        [jane]
    );
    assert_eq!(
        array(&view["tickets"]).iter().map(id).collect::<Vec<_>>(),
        [ticket]
    );
    assert_eq!(
        array(&view["followups"]).iter().map(id).collect::<Vec<_>>(),
        [followup]
    );
    assert_eq!(
        array(&view["interactions"])
            .iter()
            .map(id)
            .collect::<Vec<_>>(),
        [logged]
    );

    let person = cli.json(&["customer", "show", &jane.to_string()]);
    assert_eq!(person["organization_id"], acme);
    assert_eq!(array(&person["people"]).len(), 0);
    assert_eq!(array(&person["tickets"]).len(), 0);
}

#[test]
fn customer_edit_changes_clears_and_untags() {
    let cli = Cli::new();
    let jane = cli.person(
        "Jane Doe",
        &[
            "--email",
            "jane@example.com",
            "--tag",
            "vip",
            "--tag",
            "beta",
        ],
    );
    let j = jane.to_string();
    let edited = cli.json(&[
        "customer",
        "edit",
        &j,
        "--name",
        "Jane Smith",
        "--email",
        "",
        "--untag",
        "VIP",
    ]);
    assert_eq!(edited["id"], jane);
    assert_eq!(edited["name"], "Jane Smith");
    assert_eq!(edited["email"], Value::Null);
    assert_eq!(edited["tags"], serde_json::json!(["beta"]));
    // What edit printed is what is stored.
    let shown = cli.json(&["customer", "show", &j]);
    assert_eq!(shown["name"], "Jane Smith");
    assert_eq!(shown["email"], Value::Null);
    assert_eq!(shown["tags"], serde_json::json!(["beta"]));
}

#[test]
fn customer_delete_and_restore() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let bob = cli.person("Bob Stone", &[]);
    let j = jane.to_string();
    let deleted = cli.json(&["customer", "delete", &j]);
    assert_eq!(deleted["id"], jane);
    assert_eq!(deleted["deleted_at"], NOW);
    assert_eq!(cli.ids(&["customer", "list"]), [bob]);
    assert_eq!(cli.ids(&["customer", "list", "--trash"]), [jane]);

    let restored = cli.json(&["customer", "restore", &j]);
    assert_eq!(restored["deleted_at"], Value::Null);
    assert_eq!(cli.ids(&["customer", "list"]), [bob, jane]);
    assert_eq!(cli.ids(&["customer", "list", "--trash"]), Vec::<i64>::new());
}

#[test]
fn ticket_defaults_status_csat_and_priority() {
    let mut cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let ticket = cli.json(&["ticket", "add", &jane.to_string(), "Printer on fire"]);
    assert_eq!(ticket["customer_id"], jane);
    assert_eq!(ticket["subject"], "Printer on fire");
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["priority"], "normal");
    assert_eq!(ticket["channel"], "other");
    assert_eq!(ticket["opened_at"], NOW);
    assert_eq!(ticket["due_at"], "2026-11-28T10:00:00Z"); // normal: 3 days
    assert_eq!(ticket["resolved_at"], Value::Null);
    let t = id(&ticket).to_string();

    // A new priority moves the due time, counted from when it was opened.
    cli.at("2026-11-25T11:00:00Z");
    let urgent = cli.json(&["ticket", "set", &t, "--priority", "urgent"]);
    assert_eq!(urgent["priority"], "urgent");
    assert_eq!(urgent["due_at"], "2026-11-25T14:00:00Z");

    cli.at("2026-11-25T12:30:00Z");
    let resolved = cli.json(&["ticket", "set", &t, "--status", "resolved"]);
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["resolved_at"], "2026-11-25T12:30:00Z");
    let rated = cli.json(&["ticket", "set", &t, "--csat", "5"]);
    assert_eq!(rated["csat"], 5);
    assert_eq!(rated["resolved_at"], "2026-11-25T12:30:00Z");

    let reopened = cli.json(&["ticket", "set", &t, "--status", "open"]);
    assert_eq!(reopened["resolved_at"], Value::Null);
    assert_eq!(reopened["csat"], Value::Null);

    let other = cli.json(&[
        "ticket",
        "add",
        &jane.to_string(),
        "Slow",
        "--priority",
        "low",
        "--channel",
        "email",
    ]);
    assert_eq!(other["priority"], "low");
    assert_eq!(other["channel"], "email");
    assert_eq!(other["due_at"], "2026-12-02T12:30:00Z"); // low: 7 days
}

#[test]
fn ticket_list_filters_and_overdue() {
    let mut cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let bob = cli.person("Bob Stone", &[]);
    let old = cli.ticket(jane, "Old problem", &[]);
    cli.at("2026-11-27T10:00:00Z");
    let fresh = cli.ticket(bob, "New problem", &[]);
    let done = cli.ticket(bob, "Fixed problem", &[]);
    cli.json(&["ticket", "set", &done.to_string(), "--status", "resolved"]);

    let mut all = cli.ids(&["ticket", "list"]);
    all.sort_unstable();
    assert_eq!(all, [old, fresh, done]);
    assert_eq!(cli.ids(&["ticket", "list", "--status", "resolved"]), [done]);
    let mut unfinished = cli.ids(&["ticket", "list", "--status", "new,open"]);
    unfinished.sort_unstable();
    assert_eq!(unfinished, [old, fresh]);
    assert_eq!(
        cli.ids(&["ticket", "list", "--customer", &jane.to_string()]),
        [old]
    );
    // The first one has waited two days for an answer: past its first
    // response (8h), not its resolution (3d).
    assert_eq!(cli.ids(&["ticket", "list", "--overdue"]), [old]);
    let reply = |cli: &Cli, customer: i64, ticket: i64| {
        let (c, t) = (customer.to_string(), ticket.to_string());
        cli.ok(&[
            "log",
            &c,
            "Looking into it",
            "--kind",
            "email",
            "--ticket",
            &t,
        ]);
    };
    reply(&cli, jane, old);
    reply(&cli, bob, fresh);
    assert_eq!(cli.ids(&["ticket", "list", "--overdue"]), Vec::<i64>::new());

    // Four days after the first was opened, only it is past its 3-day SLA.
    cli.at("2026-11-29T10:00:00Z");
    assert_eq!(cli.ids(&["ticket", "list", "--overdue"]), [old]);
    // Later still, both unfinished ones are, most overdue first; the resolved one never is.
    cli.at("2026-12-10T10:00:00Z");
    assert_eq!(cli.ids(&["ticket", "list", "--overdue"]), [old, fresh]);
}

#[test]
fn the_trash_of_tickets_and_follow_ups_is_listed() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let bob = cli.person("Bob Stone", &[]);
    let kept = cli.ticket(jane, "Kept", &[]);
    let deleted = cli.ticket(jane, "Deleted", &[]);
    let bobs = cli.ticket(bob, "Bob's", &[]);
    let (j, b) = (jane.to_string(), bob.to_string());
    cli.json(&["followup", "add", &j]);
    let bobs_followup = cli.json(&["followup", "add", &b])["id"].as_i64().unwrap();
    cli.ok(&["ticket", "delete", &deleted.to_string()]);
    cli.ok(&["customer", "delete", &b]);
    // Deleted ones, and those of customers in the trash; never the live ones.
    let mut trash = cli.ids(&["ticket", "list", "--trash"]);
    trash.sort_unstable();
    assert_eq!(trash, [deleted, bobs]);
    assert_eq!(cli.ids(&["ticket", "list"]), [kept]);
    assert_eq!(cli.ids(&["followup", "list", "--trash"]), [bobs_followup]);
    // Restored, a ticket leaves the trash.
    cli.ok(&["ticket", "restore", &deleted.to_string()]);
    assert_eq!(cli.ids(&["ticket", "list", "--trash"]), [bobs]);
}

#[test]
fn tickets_are_assigned_to_the_owner_to_me_or_to_nobody() {
    let cli = Cli::new();
    let acme = id(&cli.json(&[
        "customer",
        "add",
        "Acme",
        "--organization",
        "--owner",
        "Alice",
    ]));
    let a = acme.to_string();
    let alices = cli.ticket(acme, "Down", &[]);
    let config = cli.path("config.toml");
    std::fs::write(&config, "[user]\nname = \"Bob\"\n").unwrap();
    let config = config.to_str().unwrap();
    let bobs = cli.json(&[
        "--config",
        config,
        "ticket",
        "add",
        &a,
        "Slow",
        "--assignee",
        "me",
    ]);
    assert_eq!(bobs["assignee"], "Bob");
    let shown = cli.json(&["ticket", "show", &alices.to_string()]);
    assert_eq!(
        shown["assignee"], "Alice",
        "the customer's owner by default"
    );
    // By name in any case, or as me.
    let mine = cli.ids(&["--config", config, "ticket", "list", "--assignee", "me"]);
    assert_eq!(mine, [bobs["id"].as_i64().unwrap()]);
    assert_eq!(
        cli.ids(&["ticket", "list", "--assignee", "alice"]),
        [alices]
    );
    // "" is nobody; undo gives it back.
    let t = alices.to_string();
    assert_eq!(
        cli.json(&["ticket", "set", &t, "--assignee", ""])["assignee"],
        Value::Null
    );
    cli.ok(&["undo"]);
    assert_eq!(cli.json(&["ticket", "show", &t])["assignee"], "Alice");
    let long = "x".repeat(101);
    let (code, stderr) = cli.fail(&["ticket", "set", &t, "--assignee", &long]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("assignee"), "{stderr}");
}

#[test]
fn followups_are_assigned_like_tickets_and_set_changes_them() {
    let cli = Cli::new();
    let acme = id(&cli.json(&[
        "customer",
        "add",
        "Acme",
        "--organization",
        "--owner",
        "Alice",
    ]));
    let a = acme.to_string();
    let weekly = cli.json(&["followup", "add", &a, "--every", "1w"]);
    assert_eq!(
        weekly["assignee"], "Alice",
        "the customer's owner by default"
    );
    let config = cli.path("config.toml");
    std::fs::write(&config, "[user]\nname = \"Bob\"\n").unwrap();
    let config = config.to_str().unwrap();
    let bobs = cli.json(&[
        "--config",
        config,
        "followup",
        "add",
        &a,
        "--assignee",
        "me",
    ]);
    assert_eq!(bobs["assignee"], "Bob");
    let mine = cli.ids(&["--config", config, "followup", "list", "--assignee", "ME"]);
    assert_eq!(mine, [id(&bobs)]);
    // set changes what is planned; "" is nobody; undo gives it back.
    let w = id(&weekly).to_string();
    let set = cli.json(&[
        "followup",
        "set",
        &w,
        "--assignee",
        "",
        "--note",
        "Weekly sync",
    ]);
    assert_eq!(
        (set["assignee"].clone(), set["note"].clone()),
        (Value::Null, "Weekly sync".into())
    );
    cli.ok(&["undo"]);
    assert_eq!(cli.json(&["followup", "show", &w])["assignee"], "Alice");
    // The next of a series stays with whoever had it.
    cli.ok(&["followup", "set", &w, "--assignee", "Chen"]);
    cli.ok(&["followup", "done", &w]);
    let next = cli.json(&["followup", "list", "--assignee", "chen"]);
    assert_eq!(next.as_array().unwrap().len(), 1, "{next}");
    assert_eq!(next[0]["due_on"], "2026-12-09");
    // Nothing to change, or a finished one: said, and nothing saved.
    let (code, stderr) = cli.fail(&["followup", "set", &w]);
    assert_eq!(code, 2, "{stderr}");
    let (code, stderr) = cli.fail(&["followup", "set", &w, "--note", "late"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("only a planned one"), "{stderr}");
}

#[test]
fn followups_recur_and_skip() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let j = jane.to_string();
    let check_in = cli.json(&["followup", "add", &j]);
    assert_eq!(check_in["kind"], "check_in");
    assert_eq!(check_in["due_on"], "2026-12-02");
    assert_eq!(check_in["status"], "planned");
    assert_eq!(check_in["recurrence"], Value::Null);

    let renewal = cli.json(&[
        "followup",
        "add",
        &j,
        "--kind",
        "renewal",
        "--due",
        "2026-12-01",
        "--every",
        "1m",
    ]);
    assert_eq!(renewal["kind"], "renewal");
    assert_eq!(renewal["due_on"], "2026-12-01");
    assert_eq!(renewal["recurrence"], "1m");

    let done = cli.json(&[
        "followup",
        "done",
        &id(&renewal).to_string(),
        "--outcome",
        "signed",
    ]);
    assert_eq!(done["id"], id(&renewal));
    assert_eq!(done["status"], "done");
    assert_eq!(done["completed_at"], NOW);
    assert_eq!(done["outcome"], "signed");

    let planned = cli.json(&["followup", "list"]);
    let next = array(&planned)
        .iter()
        .find(|f| f["kind"] == "renewal")
        .unwrap_or_else(|| panic!("no next renewal in {planned:#}"));
    assert_eq!(next["due_on"], "2027-01-01");
    assert_eq!(next["status"], "planned");
    assert_eq!(next["recurrence"], "1m");
    assert_ne!(id(next), id(&renewal));

    let skipped = cli.json(&["followup", "skip", &id(&check_in).to_string()]);
    assert_eq!(skipped["status"], "skipped");
    // A one-off that is skipped plans nothing new.
    assert_eq!(cli.ids(&["followup", "list"]), [id(next)]);
    assert_eq!(
        cli.ids(&["followup", "list", "--due-before", "2026-12-31"]),
        Vec::<i64>::new()
    );
    assert_eq!(array(&cli.json(&["followup", "list", "--all"])).len(), 3);

    // The outcome went into Jane's log, linked to the follow-up; the skip had none.
    let shown = cli.json(&["customer", "show", &j]);
    let log = array(&shown["interactions"]);
    assert_eq!(log.len(), 1, "{shown:#}");
    assert_eq!(log[0]["summary"], "Renewal done: signed");
    assert_eq!(log[0]["followup_id"], id(&renewal));
    // Said so to a person too.
    let out = cli.ok(&[
        "followup",
        "done",
        &id(next).to_string(),
        "--outcome",
        "renewed",
    ]);
    assert!(out.contains("logged the outcome with Jane Doe"), "{out}");
}

#[test]
fn log_interactions() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let j = jane.to_string();
    let note = cli.json(&["log", &j, "Prefers mornings"]);
    assert_eq!(note["kind"], "note");
    assert_eq!(note["direction"], "internal");
    assert_eq!(note["occurred_at"], NOW);

    let email = cli.json(&["log", &j, "Sent the price list", "--kind", "email"]);
    assert_eq!(email["kind"], "email");
    assert_eq!(email["direction"], "outbound");

    let ticket = cli.ticket(jane, "Cannot log in", &[]);
    let t = ticket.to_string();
    let inbound = cli.json(&[
        "log",
        &j,
        "She wrote again",
        "--kind",
        "email",
        "--direction",
        "inbound",
        "--ticket",
        &t,
    ]);
    assert_eq!(inbound["direction"], "inbound");
    assert_eq!(
        cli.json(&["ticket", "show", &t])["first_response_at"],
        Value::Null
    );

    let reply = cli.json(&[
        "log",
        &j,
        "Reset her password",
        "--kind",
        "email",
        "--ticket",
        &t,
    ]);
    assert_eq!(reply["ticket_id"], ticket);
    let shown = cli.json(&["ticket", "show", &t]);
    assert_eq!(shown["first_response_at"], NOW);
    assert_eq!(array(&shown["interactions"]).len(), 2);

    let earlier = cli.json(&[
        "log",
        &j,
        "Met at the fair",
        "--kind",
        "meeting",
        "--at",
        "2026-11-20 14:30",
    ]);
    assert_eq!(earlier["occurred_at"], "2026-11-20T14:30:00Z");
}

#[test]
fn search_finds_customers_tickets_and_interactions() {
    let cli = Cli::new();
    let zep = cli.person("Zeppelin Works", &[]);
    let other = cli.person("Jane Doe", &[]);
    let ticket = cli.ticket(other, "Zeppelin is leaking", &[]);
    let logged = id(&cli.json(&["log", &other.to_string(), "Asked about zeppelins"]));
    cli.ticket(other, "Unrelated", &[]);

    let hits = cli.json(&["search", "zepp"]);
    let mut found: Vec<(String, i64)> = array(&hits)
        .iter()
        .map(|h| (h["kind"].as_str().unwrap().to_string(), id(h)))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("customer".to_string(), zep),
            ("interaction".to_string(), logged),
            ("ticket".to_string(), ticket)
        ]
    );
    assert_eq!(array(&cli.json(&["search", "nothinglikethis"])).len(), 0);
}

#[test]
fn agenda_puts_overdue_first_with_reason() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let j = jane.to_string();
    let soon = id(&cli.json(&["followup", "add", &j, "--due", "+2d"]));
    let late = id(&cli.json(&[
        "followup",
        "add",
        &j,
        "--kind",
        "renewal",
        "--due",
        "2026-11-20",
    ]));
    let far = id(&cli.json(&["followup", "add", &j, "--due", "+30d"]));

    let agenda = cli.json(&["agenda", "--days", "7"]);
    let lines = array(&agenda);
    assert_eq!(lines[0]["id"], late);
    assert_eq!(lines[0]["kind"], "followup");
    assert_eq!(lines[0]["section"], "overdue");
    assert_eq!(lines[0]["reason"], "overdue 5d");
    assert_eq!(lines[0]["customer_id"], jane);
    let ids: Vec<i64> = lines.iter().map(id).collect();
    assert!(ids.contains(&soon), "{agenda:#}");
    assert!(
        !ids.contains(&far),
        "a follow-up 30 days out is not on a 7-day agenda: {agenda:#}"
    );
}

#[test]
fn undo_reverses_the_last_change_repeatedly() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let j = jane.to_string();
    cli.json(&[
        "customer",
        "edit",
        &j,
        "--name",
        "Jane Smith",
        "--tag",
        "vip",
    ]);

    let first = cli.json(&["undo"]);
    assert_eq!(first["record_id"], jane, "{first:#}");
    let back = cli.json(&["customer", "show", &j]);
    assert_eq!(back["name"], "Jane Doe");
    assert_eq!(back["tags"], serde_json::json!([]));

    cli.json(&["undo"]);
    let (code, stderr) = cli.fail(&["customer", "show", &j]);
    assert_eq!(
        (code, stderr.as_str()),
        (1, format!("error: customer {jane} not found\n").as_str())
    );
    assert_eq!(array(&cli.json(&["customer", "list"])).len(), 0);
    assert_eq!(array(&cli.json(&["customer", "list", "--trash"])).len(), 0);

    // Nothing left: not an error.
    assert_eq!(cli.json(&["undo"]), Value::Null);
    assert_eq!(cli.ok(&["undo"]), "nothing to undo\n");
}

#[test]
fn undo_brings_back_a_deleted_customer() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    cli.json(&["customer", "delete", &jane.to_string()]);
    assert_eq!(cli.ids(&["customer", "list"]), Vec::<i64>::new());
    cli.json(&["undo"]);
    assert_eq!(cli.ids(&["customer", "list"]), [jane]);
}

#[test]
fn backup_writes_a_readable_copy() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &["--tag", "vip"]);
    cli.ticket(jane, "Printer on fire", &[]);
    let copy = cli.path("copy.db");
    let report = cli.json(&["backup", "--out", copy.to_str().unwrap()]);
    assert_eq!(report["path"].as_str(), Some(copy.to_str().unwrap()));
    assert!(copy.is_file());

    let out = cli.run_on(&copy, &["check"]);
    assert_success(&["check"], &out);
    let customers = cli.json_on(&copy, &["customer", "list"]);
    assert_eq!(names(&customers), ["Jane Doe"]);
    assert_eq!(customers[0]["tags"], serde_json::json!(["vip"]));
    assert_eq!(array(&cli.json_on(&copy, &["ticket", "list"])).len(), 1);
}

#[test]
fn check_passes_on_a_healthy_db() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    cli.ticket(jane, "Printer on fire", &[]);
    cli.json(&["log", &jane.to_string(), "Called"]);
    let out = cli.run(&["check"]);
    assert_success(&["check"], &out);
    let report = cli.json(&["check"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["problems"], serde_json::json!([]));
}

#[test]
fn demo_is_deterministic_and_refuses_a_full_db() {
    let cli = Cli::new();
    let one = cli.path("one.db");
    let two = cli.path("two.db");
    for db in [&one, &two] {
        let out = cli.run_on(db, &["demo", "--customers", "200", "--seed", "7"]);
        assert_success(&["demo"], &out);
    }
    let list = |db: &Path| {
        let out = cli.run_on(db, &["--json", "customer", "list", "--limit", "500"]);
        assert_success(&["customer", "list"], &out);
        out.stdout
    };
    let first = list(&one);
    assert_eq!(first, list(&two), "same seed, same clock: same customers");
    let customers: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(array(&customers).len(), 200);

    let before = std::fs::read(&one).unwrap();
    let (code, stderr) = cli.fail_on(&one, &["demo", "--customers", "10", "--seed", "7"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read(&one).unwrap(),
        before,
        "a refused demo leaves the file as it was"
    );
    assert_eq!(
        array(&cli.json_on(&one, &["customer", "list", "--limit", "500"])).len(),
        200
    );
}

// ---------------------------------------------------------------- bad input

#[test]
fn unknown_ids_are_not_found() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let j = jane.to_string();
    for args in [
        &["customer", "show", "42"][..],
        &["customer", "edit", "42", "--name", "X"],
        &["customer", "delete", "42"],
        &["customer", "restore", "42"],
        &["ticket", "add", "42", "Subject"],
        &["ticket", "list", "--customer", "42"],
        &["followup", "add", "42"],
        &["log", "42", "Called"],
        &["--json", "customer", "show", "42"],
    ] {
        let (code, stderr) = cli.fail(args);
        assert_eq!(
            (code, stderr.as_str()),
            (1, "error: customer 42 not found\n"),
            "{args:?}"
        );
    }
    for args in [
        &["ticket", "show", "42"][..],
        &["ticket", "set", "42", "--status", "open"],
        &["log", &j, "Called", "--ticket", "42"],
    ] {
        let (code, stderr) = cli.fail(args);
        assert_eq!(
            (code, stderr.as_str()),
            (1, "error: ticket 42 not found\n"),
            "{args:?}"
        );
    }
    for args in [
        &["followup", "done", "42"][..],
        &["followup", "skip", "42"],
        &["followup", "show", "42"],
    ] {
        let (code, stderr) = cli.fail(args);
        assert_eq!(
            (code, stderr.as_str()),
            (1, "error: follow-up 42 not found\n"),
            "{args:?}"
        );
    }
}

#[test]
fn blank_names_are_refused() {
    let cli = Cli::new();
    let (code, stderr) = cli.fail(&["customer", "add", "   "]);
    assert_eq!(code, 2);
    assert!(stderr.contains("name must not be blank"), "{stderr}");
    let jane = cli.person("Jane Doe", &[]);
    let (code, stderr) = cli.fail(&["customer", "edit", &jane.to_string(), "--name", ""]);
    assert_eq!(code, 2);
    assert!(stderr.contains("name must not be blank"), "{stderr}");
    let (code, stderr) = cli.fail(&["ticket", "add", &jane.to_string(), " "]);
    assert_eq!(code, 2);
    assert!(stderr.contains("subject must not be blank"), "{stderr}");
    assert_eq!(names(&cli.json(&["customer", "list"])), ["Jane Doe"]);
}

#[test]
fn bad_choices_dates_and_amounts_are_usage_errors() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    let j = jane.to_string();
    let t = cli.ticket(jane, "Printer on fire", &[]).to_string();

    for args in [
        &["ticket", "add", &j, "Other", "--priority", "soon"][..],
        &["ticket", "set", &t, "--priority", "soon"],
    ] {
        let (code, stderr) = cli.fail(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            stderr.contains("priority must be one of low, normal, high, urgent"),
            "{stderr}"
        );
    }
    let cases: &[(&[&str], &str)] = &[
        (
            &["followup", "add", &j, "--due", "soon"],
            "due must be a date",
        ),
        (
            &["customer", "add", "Bob", "--renewal", "soon"],
            "renewal must be a date",
        ),
        (
            &["customer", "add", "Bob", "--value", "lots"],
            "error: value ",
        ),
        (
            &["customer", "add", "Bob", "--value", "1.234"],
            "value must be",
        ),
        (
            &["customer", "add", "Bob", "--value=-5"],
            "value must not be negative",
        ),
        (
            &["customer", "add", "Bob", "--stage", "happy"],
            "stage must be one of",
        ),
        (
            &["customer", "add", "Bob", "--email", "not an email"],
            "email must look like",
        ),
        (
            &["followup", "add", &j, "--kind", "party"],
            "kind must be one of",
        ),
        (
            &["followup", "add", &j, "--every", "sometimes"],
            "recurrence must be like",
        ),
        (
            &["ticket", "list", "--status", "done"],
            "status must be one of",
        ),
        (
            &["log", &j, "Called", "--at", "whenever"],
            "at must be a time",
        ),
        (
            &["log", &j, "Called", "--kind", "telegram"],
            "kind must be one of",
        ),
        (
            &["ticket", "set", &t, "--csat", "4"],
            "csat can only be set on a resolved or closed ticket",
        ),
        (
            &["ticket", "set", &t, "--status", "closed", "--csat", "6"],
            "csat must be from 1 to 5",
        ),
        (&["ticket", "set", &t], "nothing to change"),
    ];
    for (args, message) in cases {
        let (code, stderr) = cli.fail(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: expected {message:?} in {stderr:?}"
        );
    }
    // None of it changed anything.
    assert_eq!(names(&cli.json(&["customer", "list"])), ["Jane Doe"]);
    let ticket = cli.json(&["ticket", "show", &t]);
    assert_eq!(
        (ticket["status"].as_str(), ticket["csat"].as_i64()),
        (Some("new"), None)
    );
}

#[test]
fn negative_offsets_are_accepted_as_values() {
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]).to_string();
    let logged = cli.json(&["log", &jane, "Called", "--at", "-2h"]);
    assert_eq!(logged["occurred_at"], "2026-11-25T08:00:00Z");
    let planned = cli.json(&["followup", "add", &jane, "--due", "-2d"]);
    assert_eq!(planned["due_on"], "2026-11-23");
}

#[test]
fn clap_usage_errors_exit_2() {
    let cli = Cli::new();
    for args in [
        &["customer", "add", "Bob", "--colour", "red"][..],
        &["bogus"],
        &["customer", "frobnicate"],
        &["customer", "add"],
        &["customer", "show", "abc"],
        &["ticket", "set"],
        &["ticket", "set", "1", "--csat", "many"],
        &["--nope"],
    ] {
        let (code, _stderr) = cli.fail_raw(args);
        assert_eq!(code, 2, "{args:?}");
    }
}

#[test]
fn a_text_file_is_not_a_database() {
    let cli = Cli::new();
    let path = cli.path("notes.txt");
    let text = b"shopping list\nmilk\neggs\n";
    std::fs::write(&path, text).unwrap();
    for args in [
        &["customer", "list"][..],
        &["customer", "add", "Bob"],
        &["init"],
    ] {
        let (code, stderr) = cli.fail_on(&path, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(stderr.contains("not a tuicrm database"), "{stderr}");
        assert!(stderr.contains("notes.txt"), "{stderr}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), text);
}

#[test]
fn another_programs_sqlite_db_is_refused_untouched() {
    let cli = Cli::new();
    let path = cli.path("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO songs (title) VALUES ('Hey Jude');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for args in [
        &["customer", "list"][..],
        &["customer", "add", "Bob"],
        &["init"],
        &["demo", "--customers", "5"],
    ] {
        let (code, stderr) = cli.fail_on(&path, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(stderr.contains("not a tuicrm database"), "{stderr}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let title: String = conn
        .query_row("SELECT title FROM songs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Hey Jude");
}

#[test]
fn a_db_from_a_newer_version_is_refused_untouched() {
    let cli = Cli::new();
    cli.person("Jane Doe", &[]);
    {
        let conn = rusqlite::Connection::open(&cli.db).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&cli.db).unwrap();
    for args in [
        &["customer", "list"][..],
        &["customer", "add", "Bob"],
        &["check"],
    ] {
        let (code, stderr) = cli.fail(args);
        assert_eq!(code, 1, "{args:?}");
        assert!(stderr.contains("newer"), "{stderr}");
        assert!(stderr.contains("999"), "{stderr}");
    }
    assert_eq!(std::fs::read(&cli.db).unwrap(), before);
}

#[test]
#[cfg(unix)]
fn a_read_only_db_can_be_read_but_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    let jane = cli.person("Jane Doe", &[]);
    cli.ticket(jane, "Printer on fire", &[]);
    std::fs::set_permissions(&cli.db, std::fs::Permissions::from_mode(0o400)).unwrap();
    if ignores_permissions(&cli.db) {
        eprintln!("skipped: this process ignores file permissions (root?)");
        return;
    }
    let before = std::fs::read(&cli.db).unwrap();
    assert_eq!(names(&cli.json(&["customer", "list"])), ["Jane Doe"]);
    assert_eq!(array(&cli.json(&["ticket", "list"])).len(), 1);
    assert_eq!(
        cli.json(&["customer", "show", &jane.to_string()])["name"],
        "Jane Doe"
    );
    for args in [
        &["customer", "add", "Bob"][..],
        &["customer", "edit", &jane.to_string(), "--name", "Bob"],
        &["log", &jane.to_string(), "Called"],
        &["undo"],
    ] {
        let (code, stderr) = cli.fail(args);
        assert_eq!(code, 1, "{args:?}");
        assert!(stderr.contains("read-only"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read(&cli.db).unwrap(), before);
}

#[test]
fn a_broken_config_names_the_file_and_line() {
    let cli = Cli::new();
    let config = cli.path("config.toml");
    std::fs::write(&config, "currency = \"EUR\"\ncolour = \"red\"\n").unwrap();
    let (code, stderr) = cli.fail(&["--config", config.to_str().unwrap(), "customer", "list"]);
    assert_eq!(code, 1);
    assert!(stderr.contains(config.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("colour"), "{stderr}");

    // A named config that does not exist is an error too; a good one is used.
    let (code, stderr) = cli.fail(&[
        "--config",
        cli.path("missing.toml").to_str().unwrap(),
        "customer",
        "list",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("missing.toml"), "{stderr}");
    std::fs::write(&config, "currency = \"EUR\"\n").unwrap();
    let added = cli.json(&[
        "--config",
        config.to_str().unwrap(),
        "customer",
        "add",
        "Bob",
        "--value",
        "100",
    ]);
    assert_eq!(added["currency"], "EUR");
}

#[test]
fn a_config_in_the_home_folder_is_read() {
    let cli = Cli::new();
    let dir = cli.path("config").join("tuicrm");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "currency = \"GBP\"\n").unwrap();
    let added = cli.json(&["customer", "add", "Bob", "--value", "100"]);
    assert_eq!(added["currency"], "GBP");
}

// ---------------------------------------------------------------- plain output

#[test]
fn plain_customer_list_is_an_aligned_table() {
    let cli = Cli::new();
    cli.person("Jane Doe", &["--segment", "SMB"]);
    cli.person("Bo", &["--segment", "Enterprise"]);
    let stdout = cli.ok(&["customer", "list"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with("ID"), "{stdout}");
    for header in ["NAME", "SEGMENT"] {
        let column = lines[0]
            .find(header)
            .unwrap_or_else(|| panic!("no {header} in {stdout}"));
        for (row, value) in lines[1..]
            .iter()
            .zip([["Bo", "Enterprise"], ["Jane Doe", "SMB"]])
        {
            let value = if header == "NAME" { value[0] } else { value[1] };
            assert_eq!(
                row.find(value),
                Some(column),
                "{header} column misaligned:\n{stdout}"
            );
        }
    }
}

#[test]
fn hostile_text_is_never_printed_raw() {
    let cli = Cli::new();
    let name = "Evil\u{1b}[2J\u{202e}Corp";
    let evil = cli.person(name, &["--notes", "line\u{1b}]0;owned\u{7}"]);
    let e = evil.to_string();
    cli.ticket(evil, "Sub\u{1b}[31mject", &[]);
    cli.json(&["log", &e, "Sum\u{202e}mary"]);
    for args in [
        &["customer", "list"][..],
        &["customer", "show", &e],
        &["ticket", "list"],
        &["search", "evil"],
        &["agenda"],
    ] {
        let stdout = cli.ok(args);
        assert!(
            !stdout.contains('\u{1b}'),
            "{args:?} printed an ESC byte: {stdout:?}"
        );
        assert!(
            !stdout.contains('\u{202e}'),
            "{args:?} printed U+202E: {stdout:?}"
        );
        assert!(
            !stdout.contains('\u{7}'),
            "{args:?} printed BEL: {stdout:?}"
        );
    }
    // Errors quoting what was typed are cleaned too.
    let (code, stderr) = cli.fail(&[
        "customer",
        "add",
        "Bob",
        "--org",
        "No\u{1b}[2JSuch\u{202e}Org",
    ]);
    assert_eq!(code, 1);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
        "{stderr:?}"
    );
}

#[test]
fn a_late_first_response_is_shown_as_late() {
    let mut cli = Cli::new();
    cli.ok(&["customer", "add", "Late Co", "--organization"]);
    cli.ok(&["ticket", "add", "1", "Slow answer"]);
    // Normal priority: 8h to a first answer; this one comes after 10h30.
    cli.at("2026-11-25T20:30:00Z");
    cli.ok(&[
        "log",
        "1",
        "Sorry for the wait",
        "--kind",
        "email",
        "--ticket",
        "1",
    ]);
    let shown = cli.ok(&["ticket", "show", "1"]);
    assert!(shown.contains("(! met 2h late)"), "{shown}");
    let json = cli.json(&["ticket", "show", "1"]);
    assert_eq!(json["sla"]["first_response"]["state"], "met late");
    assert_eq!(json["sla"]["first_response"]["minutes_over"], 150);
}
