//! The agenda says what a follow-up is about (issue 12.12): its note is on
//! the line of the table (`check-in · Ask about the Q3 rollout`) and in the
//! `note` field of `agenda --json`, made safe like every text.

mod common;

use common::Cli;

const DB: &str = "crm.db";

fn with_followups() -> Cli {
    let cli = Cli::new();
    let id = cli.json(DB, &["customer", "add", "Acme Corp", "--organization"])["id"].to_string();
    cli.ok(
        DB,
        &[
            "followup",
            "add",
            &id,
            "--kind",
            "check_in",
            "--due",
            "tomorrow",
            "--note",
            "Ask about the Q3 rollout\nand the Leeds site",
        ],
    );
    cli.ok(
        DB,
        &[
            "followup",
            "add",
            &id,
            "--kind",
            "renewal",
            "--due",
            "+2d",
            "--note",
            "Quote \u{1b}[31mred\u{1b}[0m \u{202e}txt.exe",
        ],
    );
    cli.ok(
        DB,
        &["followup", "add", &id, "--kind", "review", "--due", "+3d"],
    );
    cli.ok(DB, &["ticket", "add", &id, "Cannot log in"]);
    cli
}

#[test]
fn agenda_json_items_carry_the_followups_note() {
    let cli = with_followups();
    let items = cli.json(DB, &["agenda"]);
    let items = items.as_array().expect("an array");
    let note_of = |kind: &str| {
        items
            .iter()
            .find(|i| i["what"] == format!("{kind} follow-up").as_str())
            .map(|i| i["note"].clone())
            .unwrap_or_else(|| panic!("no {kind} line in {items:?}"))
    };
    assert_eq!(
        note_of("check-in"),
        "Ask about the Q3 rollout\nand the Leeds site"
    );
    assert!(note_of("review").is_null());
    let ticket = items
        .iter()
        .find(|i| i["kind"] == "ticket")
        .expect("the ticket");
    assert!(ticket["note"].is_null(), "{ticket}");
}

#[test]
fn agenda_table_lines_say_what_the_followup_is_about_safely() {
    let cli = with_followups();
    let out = cli.ok(DB, &["agenda"]);
    assert!(out.contains("check-in · Ask about the Q3 rollout"), "{out}");
    assert!(
        !out.contains("and the Leeds site"),
        "first line only:\n{out}"
    );
    assert!(out.contains("review follow-up"), "{out}");
    // The escape sequence and the bidi override never reach the terminal.
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202e}'),
        "{out:?}"
    );
    assert!(
        out.contains("renewal · Quote ␛[31mred␛[0m txt.exe"),
        "{out}"
    );
    let json = cli.ok(DB, &["--json", "agenda"]);
    assert!(
        !json.contains('\u{1b}') && !json.contains('\u{202e}'),
        "{json:?}"
    );
}
