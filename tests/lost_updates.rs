//! Two processes changing one record at the same moment: each writes only
//! what it changes, reading the record inside its own write, so nothing
//! either saved is lost, and undo takes back only its own change.

mod common;

use std::process::{Child, Stdio};

use common::Cli;

fn spawn(cli: &Cli, args: &[&str]) -> Child {
    cli.command("crm.db", args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait(child: Child) -> (bool, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn edits_of_different_fields_at_the_same_moment_both_survive() {
    let cli = Cli::new();
    cli.ok("crm.db", &["customer", "add", "Jane Doe"]);
    for round in 0..12 {
        let phone = format!("+46 8 555 {round:03}");
        let notes = format!("note {round}");
        let a = spawn(&cli, &["customer", "edit", "1", "--phone", &phone]);
        let b = spawn(&cli, &["customer", "edit", "1", "--notes", &notes]);
        let (c, d) = (wait(a), wait(b));
        assert!(c.0 && d.0, "round {round}: {} {}", c.1, d.1);
        let jane = cli.json("crm.db", &["customer", "show", "1"]);
        assert_eq!(jane["phone"], phone.as_str(), "round {round}: {jane}");
        assert_eq!(jane["notes"], notes.as_str(), "round {round}: {jane}");
    }
    // Undo takes back the newer of the last two edits, and only its field.
    cli.ok("crm.db", &["undo"]);
    let jane = cli.json("crm.db", &["customer", "show", "1"]);
    let phone_back = jane["phone"] == "+46 8 555 010";
    let notes_back = jane["notes"] == "note 10";
    assert!(
        phone_back != notes_back,
        "exactly one field went back: {jane}"
    );
    assert!(jane["phone"] == "+46 8 555 011" || phone_back, "{jane}");
    assert!(jane["notes"] == "note 11" || notes_back, "{jane}");
}

#[test]
fn a_follow_up_finished_by_two_processes_at_once_is_finished_once() {
    let cli = Cli::new();
    cli.ok("crm.db", &["customer", "add", "Jane Doe"]);
    for round in 0..6 {
        let planned = cli.json(
            "crm.db",
            &[
                "followup",
                "add",
                "1",
                "--due",
                "2026-11-30",
                "--every",
                "1w",
            ],
        );
        let id = planned["id"].as_i64().unwrap().to_string();
        let a = spawn(&cli, &["followup", "done", &id]);
        let b = spawn(&cli, &["followup", "done", &id]);
        let results = [wait(a), wait(b)];
        let succeeded = results.iter().filter(|r| r.0).count();
        assert_eq!(succeeded, 1, "round {round}: {results:?}");
        let refused = results.iter().find(|r| !r.0).unwrap();
        assert!(refused.1.contains("already done"), "{}", refused.1);
    }
    // Each round planned exactly one next occurrence.
    let planned = cli.json("crm.db", &["followup", "list", "--limit", "100"]);
    assert_eq!(planned.as_array().unwrap().len(), 6, "{planned}");
}

#[test]
fn ticket_changes_of_different_fields_at_once_both_survive() {
    let cli = Cli::new();
    cli.ok("crm.db", &["customer", "add", "Jane Doe"]);
    cli.ok("crm.db", &["ticket", "add", "1", "Printer on fire"]);
    for (round, (status, priority)) in [("open", "high"), ("pending", "low"), ("open", "urgent")]
        .into_iter()
        .enumerate()
    {
        let a = spawn(&cli, &["ticket", "set", "1", "--status", status]);
        let b = spawn(&cli, &["ticket", "set", "1", "--priority", priority]);
        let (c, d) = (wait(a), wait(b));
        assert!(c.0 && d.0, "round {round}: {} {}", c.1, d.1);
        let ticket = cli.json("crm.db", &["ticket", "show", "1"]);
        assert_eq!(ticket["status"], status, "{ticket}");
        assert_eq!(ticket["priority"], priority, "{ticket}");
    }
}

#[test]
fn tags_added_by_two_processes_at_once_are_both_kept() {
    let cli = Cli::new();
    cli.ok("crm.db", &["customer", "add", "Jane Doe", "--tag", "vip"]);
    for round in 0..8 {
        let (one, two) = (format!("a{round}"), format!("b{round}"));
        let a = spawn(&cli, &["customer", "edit", "1", "--tag", &one]);
        let b = spawn(&cli, &["customer", "edit", "1", "--tag", &two]);
        let (c, d) = (wait(a), wait(b));
        assert!(c.0 && d.0, "round {round}: {} {}", c.1, d.1);
    }
    let tags = cli.json("crm.db", &["customer", "show", "1"])["tags"].clone();
    let tags: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for round in 0..8 {
        for tag in [format!("a{round}"), format!("b{round}")] {
            assert!(tags.contains(&tag.as_str()), "{tag} lost: {tags:?}");
        }
    }
    assert!(tags.contains(&"vip"));
}
