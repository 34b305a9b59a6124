//! `tuicrm interaction list|show|edit|delete` (issue 12.7): the log from a
//! script, with the conventions of the other lists.

mod common;

use serde_json::Value;

// -------------------------------------------------------------------- CLI

fn cli_with_log() -> common::Cli {
    let cli = common::Cli::new();
    cli.ok("c.db", &["customer", "add", "Jane Doe"]);
    cli.ok("c.db", &["ticket", "add", "1", "Login broken"]);
    cli.ok(
        "c.db",
        &[
            "log",
            "1",
            "Replied with the fix",
            "--kind",
            "email",
            "--ticket",
            "1",
            "--at",
            "-2h",
            "--body",
            "Dear Jane,\nthe fix is live.\nRegards",
        ],
    );
    cli.ok(
        "c.db",
        &[
            "interaction",
            "add",
            "1",
            "Called back",
            "--kind",
            "call",
            "--at",
            "-1h",
        ],
    );
    cli
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn cli_lists_newest_first_and_says_when_it_stops_early() {
    let cli = cli_with_log();
    let table = cli.ok("c.db", &["interaction", "list"]);
    let rows: Vec<&str> = table.lines().collect();
    assert!(rows[0].starts_with("ID"), "{table}");
    assert!(rows[1].contains("Called back"), "{table}");
    assert!(rows[2].contains("Replied with the fix"), "{table}");

    let json = cli.json("c.db", &["interaction", "list", "--ticket", "1"]);
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["summary"], "Replied with the fix");
    assert_eq!(items[0]["direction"], "outbound");

    let out = cli.run_on("c.db", &["--json", "interaction", "list", "--limit", "1"]);
    assert!(out.status.success());
    let items: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert!(
        stderr(&out).contains("truncated: first 1 shown"),
        "{}",
        stderr(&out)
    );

    // A script reading a pipe gets every character of a long summary.
    let long = "A summary far longer than a table cell at a terminal would show whole";
    cli.ok("c.db", &["log", "1", long]);
    let piped = cli.ok("c.db", &["interaction", "list", "--customer", "1"]);
    assert!(piped.contains(long), "{piped}");

    let out = cli.run_on("c.db", &["interaction", "list", "--customer", "42"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: customer 42 not found\n");
}

#[test]
fn cli_shows_one_whole_and_edits_and_deletes_it() {
    let cli = cli_with_log();
    let shown = cli.ok("c.db", &["interaction", "show", "1"]);
    for line in [
        "kind: email",
        "direction: outbound",
        "when: 2026-11-25 08:00 (2h ago)",
        "ticket: 1: Login broken",
        "body: Dear Jane,",
        "the fix is live.",
    ] {
        assert!(shown.contains(line), "{line:?} in\n{shown}");
    }
    let json = cli.json("c.db", &["interaction", "show", "1"]);
    assert_eq!(json["body"], "Dear Jane,\nthe fix is live.\nRegards");

    let edited = cli.json(
        "c.db",
        &[
            "interaction",
            "edit",
            "1",
            "--summary",
            "Sent the fix",
            "--kind",
            "note",
        ],
    );
    assert_eq!(edited["summary"], "Sent the fix");
    assert_eq!(edited["kind"], "note");
    assert_eq!(
        edited["direction"], "internal",
        "the direction followed the kind"
    );
    let ticket = cli.json("c.db", &["ticket", "show", "1"]);
    assert_eq!(ticket["first_response_at"], Value::Null);
    cli.ok("c.db", &["undo"]);

    let said = cli.ok("c.db", &["interaction", "delete", "2"]);
    assert_eq!(said, "deleted interaction 2: outbound call with Jane Doe\n");
    let left = cli.json("c.db", &["interaction", "list"]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    let shown = cli.ok("c.db", &["interaction", "show", "2"]);
    assert!(shown.contains("deleted: 2026-11-25 10:00"), "{shown}");
    cli.ok("c.db", &["undo"]);
    let back = cli.json("c.db", &["interaction", "list"]);
    assert_eq!(back.as_array().unwrap().len(), 2);
}

#[test]
fn cli_errors_are_one_line_with_the_right_exit_code() {
    let cli = cli_with_log();
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["interaction", "show", "99"],
            1,
            "error: interaction 99 not found",
        ),
        (
            &["interaction", "edit", "1"],
            2,
            "error: nothing to change: give --summary, --body, --kind, --direction or --at",
        ),
        (
            &["interaction", "edit", "1", "--summary", " "],
            2,
            "error: summary must not be blank",
        ),
        (
            &["interaction", "delete", "99"],
            1,
            "error: interaction 99 not found",
        ),
    ];
    for (args, code, message) in cases {
        let out = cli.run_on("c.db", args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert_eq!(stderr(&out), format!("{message}\n"), "{args:?}");
    }
    // system is not offered, nor taken.
    let out = cli.run_on("c.db", &["interaction", "edit", "1", "--kind", "system"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kind must be one of call, email, meeting, chat, note"));
    let bash = cli.ok("c.db", &["completions", "bash"]);
    assert!(bash.contains("interaction"), "completions name the command");
    let page = cli.ok("c.db", &["man", "interaction", "edit"]);
    assert!(page.contains("summary"), "{page}");
}

#[test]
fn an_export_leaves_a_deleted_interaction_out_and_importing_it_again_adds_nothing() {
    let cli = cli_with_log();
    cli.ok("c.db", &["interaction", "delete", "2"]);
    let file = cli.path("export.json");
    cli.export_to("c.db", "json", &file);
    let export: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let summaries: Vec<&str> = export["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["summary"].as_str())
        .collect();
    assert_eq!(summaries, ["Replied with the fix"]);
    cli.ok("c.db", &["import", file.to_str().unwrap()]);
    let log = cli.json("c.db", &["interaction", "list"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
}
