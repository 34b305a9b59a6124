//! Undo goes on past an import: an import is one change that undo takes
//! back whole, a demo load is passed over, and a merge comes apart again.
//! Through the built binary; the database is compared row by row.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value as Sql;
use serde_json::Value;

mod common;
use common::Cli;

/// Every stored row that undo must put back, `updated_at` aside (an undo is
/// itself a change), tags by name (a tag taken away and back is a new row),
/// and the size of each search index.
fn snapshot(cli: &Cli, db: &str) -> Vec<String> {
    let conn = Connection::open(cli.path(db)).unwrap();
    let queries = [
        "SELECT * FROM customers ORDER BY id",
        "SELECT * FROM tickets ORDER BY id",
        "SELECT * FROM followups ORDER BY id",
        "SELECT * FROM interactions ORDER BY id",
        "SELECT name FROM tags ORDER BY name",
        "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id ORDER BY 1, 2",
        "SELECT customer_id, email FROM customer_emails ORDER BY 1, 2",
        "SELECT 'customers_fts', count(*) FROM customers_fts",
        "SELECT 'customer_names_fts', count(*) FROM customer_names_fts",
        "SELECT 'tickets_fts', count(*) FROM tickets_fts",
        "SELECT 'ticket_subjects_fts', count(*) FROM ticket_subjects_fts",
        "SELECT 'interactions_fts', count(*) FROM interactions_fts",
    ];
    let mut rows = Vec::new();
    for sql in queries {
        let mut stmt = conn.prepare(sql).unwrap();
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let mut found = stmt.query([]).unwrap();
        while let Some(row) = found.next().unwrap() {
            let mut line = format!("{sql}:");
            for (i, name) in names.iter().enumerate() {
                if name != "updated_at" {
                    let value: Sql = row.get(i).unwrap();
                    line.push_str(&format!(" {name}={value:?}"));
                }
            }
            rows.push(line);
        }
    }
    rows
}

fn assert_same(before: &[String], after: &[String]) {
    let gone: Vec<_> = before.iter().filter(|r| !after.contains(r)).collect();
    let new: Vec<_> = after.iter().filter(|r| !before.contains(r)).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "lost: {gone:#?}\nleft over: {new:#?}"
    );
}

fn assert_check_clean(cli: &Cli, db: &str) {
    let report = cli.json(db, &["check"]);
    assert_eq!(report["ok"], true, "{report}");
}

fn count(cli: &Cli, db: &str, sql: &str) -> i64 {
    Connection::open(cli.path(db))
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn orphan_tags(cli: &Cli, db: &str) -> i64 {
    count(
        cli,
        db,
        "SELECT count(*) FROM tags t WHERE NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.tag_id = t.id)",
    )
}

fn searches_empty(cli: &Cli, db: &str, word: &str) {
    let hits = cli.json(db, &["search", word]);
    assert_eq!(hits, Value::Array(vec![]), "search {word}");
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A database with a little of everything: an organization with a
/// person, tags, a ticket with its log, a follow-up.
fn seeded(cli: &Cli, db: &str) {
    cli.ok(
        db,
        &[
            "customer",
            "add",
            "Acme Corp",
            "--organization",
            "--tag",
            "vip",
        ],
    );
    cli.ok(
        db,
        &[
            "customer",
            "add",
            "Jane Doe",
            "--org",
            "1",
            "--email",
            "jane@acme.example",
            "--tag",
            "vip",
            "--phone",
            "+1 555 0100",
        ],
    );
    cli.ok(db, &["ticket", "add", "2", "Printer on fire"]);
    cli.ok(
        db,
        &[
            "log",
            "2",
            "Called back",
            "--kind",
            "call",
            "--direction",
            "outbound",
            "--ticket",
            "1",
        ],
    );
    cli.ok(
        db,
        &[
            "followup",
            "add",
            "1",
            "--kind",
            "review",
            "--due",
            "2026-12-10",
        ],
    );
}

const CSV: &str = "name,organization,email,phone,title,tags,notes,e-mail 2 address\n\
    Zyxwv Quux,Quuxcorp,zyxwv@quux.example,+1 555 0111,CTO,imported-only;vip,Met at Quuxconf,z2@quux.example\n\
    Ywxv Plok,Quuxcorp,ywxv@quux.example,,,imported-only,,\n\
    Jane Doe,,jane@acme.example,+1 555 0199,Head of IT,vip;quuxtag,Quuxnotes,jane.other@acme.example\n";

/// An import that only changes a counted person's details and adds a new
/// person to a counted organization recounts no account (a new customer
/// has no records, details count nothing): the kept rows stay exactly as
/// they were, and equal a recount.
#[test]
fn an_import_of_details_and_new_people_leaves_the_kept_counts_as_they_were() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    // Every kept row, whole, as text.
    let kept = |cli: &Cli| -> String {
        Connection::open(cli.path("a.db"))
            .unwrap()
            .query_row(
                "SELECT group_concat(r, char(10)) FROM (SELECT concat_ws(' ', customer_id, open_tickets,
                   first_open_due, last_open_due, planned_followups, next_followup_on, last_followup_on,
                   planned_renewals, next_renewal_on, last_renewal_on, last_contact_at, rated_tickets,
                   csat_sum, first_rated_at, last_rated_at) r FROM customer_stats ORDER BY customer_id)",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = kept(&cli);
    let csv = cli.path("details.csv");
    std::fs::write(
        &csv,
        "name,organization,email,phone,title,tags\n\
         Jane Doe,Acme Corp,jane@acme.example,+1 555 0177,CIO,vip;champion\n\
         Newt Person,Acme Corp,newt@acme.example,,,\n",
    )
    .unwrap();
    let summary = cli.json("a.db", &["import", path_str(&csv)]);
    assert_eq!(
        (summary["updated"].clone(), summary["created"].clone()),
        (1.into(), 1.into()),
        "{summary}"
    );
    assert_check_clean(&cli, "a.db");
    let after = kept(&cli);
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "the accounts there before score the same"
    );
    cli.json("a.db", &["undo"]);
    assert_check_clean(&cli, "a.db");
}

/// An import that moves a person with a ticket from one organization to
/// another keeps both organizations' counts right, and so does its undo.
#[test]
fn an_import_that_moves_a_person_keeps_the_kept_counts() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let csv = cli.path("moved.csv");
    std::fs::write(
        &csv,
        "name,organization,email\nJane Doe,Quuxcorp,jane@acme.example\n",
    )
    .unwrap();
    let summary = cli.json("a.db", &["import", path_str(&csv)]);
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_check_clean(&cli, "a.db");
    cli.json("a.db", &["undo"]);
    assert_check_clean(&cli, "a.db");
}

#[test]
fn a_csv_import_is_undone_whole_and_undo_goes_on_before_it() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let before = snapshot(&cli, "a.db");
    let csv = cli.path("contacts.csv");
    std::fs::write(&csv, CSV).unwrap();
    let summary = cli.json("a.db", &["import", path_str(&csv)]);
    assert_eq!(
        summary["created"], 3,
        "two people and their organization: {summary}"
    );
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_ne!(before, snapshot(&cli, "a.db"));
    assert_eq!(
        cli.json("a.db", &["search", "zyxwv"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_check_clean(&cli, "a.db");

    let undone = cli.json("a.db", &["undo"]);
    assert_eq!(undone["action"], "import", "{undone}");
    assert_eq!(undone["removed"], 3, "{undone}");
    assert_eq!(undone["restored"], 1, "{undone}");
    assert_same(&before, &snapshot(&cli, "a.db"));
    for word in ["zyxwv", "quuxcorp", "quuxnotes", "quuxconf"] {
        searches_empty(&cli, "a.db", word);
    }
    assert_eq!(orphan_tags(&cli, "a.db"), 0);
    assert_check_clean(&cli, "a.db");

    // Repeat to go further back: the follow-up added before the import.
    let again = cli.json("a.db", &["undo"]);
    assert_eq!(again["action"], "followup.add", "{again}");
    assert_eq!(
        cli.json("a.db", &["followup", "list"]),
        Value::Array(vec![])
    );
}

#[test]
fn the_words_of_an_undone_import() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let csv = cli.path("contacts.csv");
    std::fs::write(&csv, CSV).unwrap();
    cli.ok("a.db", &["import", path_str(&csv)]);
    assert_eq!(
        cli.ok("a.db", &["undo"]),
        "undid the import (removed 3 records it added, put back 1 it changed)\n"
    );
}

#[test]
fn an_import_that_changes_nothing_leaves_nothing_to_undo() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let csv = cli.path("contacts.csv");
    std::fs::write(&csv, CSV).unwrap();
    cli.ok("a.db", &["import", path_str(&csv)]);
    let after_first = snapshot(&cli, "a.db");
    let same = cli.json("a.db", &["import", path_str(&csv)]);
    assert_eq!(same["created"], 0, "{same}");
    assert_eq!(same["updated"], 0, "{same}");
    assert_same(&after_first, &snapshot(&cli, "a.db"));
    // The one undo takes back the first import, not an empty second one.
    let undone = cli.json("a.db", &["undo"]);
    assert_eq!(undone["action"], "import");
    assert_eq!(undone["removed"], 3, "{undone}");
    searches_empty(&cli, "a.db", "zyxwv");
}

#[test]
fn a_json_reimport_that_updates_fields_is_undone_to_the_old_values() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    // A trashed customer and a person linked to an organization that comes
    // after them in the file.
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Gone Away",
            "--email",
            "gone@away.example",
        ],
    );
    cli.ok("a.db", &["customer", "delete", "3"]);
    cli.ok("a.db", &["customer", "add", "Late Link"]);
    cli.ok("a.db", &["customer", "add", "Later Org", "--organization"]);
    cli.ok("a.db", &["customer", "edit", "4", "--org", "5"]);
    let first = cli.path("first.json");
    cli.export_to("a.db", "json", &first);
    cli.ok("b.db", &["import", path_str(&first)]);
    assert_check_clean(&cli, "b.db");
    let late = cli.json("b.db", &["customer", "show", "4"]);
    assert_eq!(late["organization_id"], 5, "linked at the end: {late}");
    let imported = snapshot(&cli, "b.db");

    // Jane changes in a; a new ticket and log there too.
    cli.ok(
        "a.db",
        &[
            "customer",
            "edit",
            "2",
            "--phone",
            "+1 555 0142",
            "--title",
            "CIO",
            "--tag",
            "renewal-risk",
            "--segment",
            "Enterprise",
        ],
    );
    cli.ok("a.db", &["ticket", "add", "2", "Quuxfail on login"]);
    cli.ok("a.db", &["log", "2", "Quuxlog entry", "--ticket", "2"]);
    let second = cli.path("second.json");
    cli.export_to("a.db", "json", &second);
    let summary = cli.json("b.db", &["import", path_str(&second)]);
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_eq!(summary["added"]["tickets"], 1, "{summary}");
    let jane = cli.json("b.db", &["customer", "show", "2"]);
    assert_eq!(jane["title"], "CIO", "{jane}");

    let undone = cli.json("b.db", &["undo"]);
    assert_eq!(undone["action"], "import", "{undone}");
    let jane = cli.json("b.db", &["customer", "show", "2"]);
    assert_eq!(jane["phone"], "+1 555 0100", "{jane}");
    assert_eq!(jane["title"], Value::Null, "{jane}");
    assert_eq!(jane["segment"], Value::Null, "{jane}");
    assert_same(&imported, &snapshot(&cli, "b.db"));
    searches_empty(&cli, "b.db", "quuxfail");
    searches_empty(&cli, "b.db", "quuxlog");
    assert_eq!(orphan_tags(&cli, "b.db"), 0);
    assert_check_clean(&cli, "b.db");

    // And the first import too: b is empty again.
    cli.json("b.db", &["undo"]);
    assert_eq!(count(&cli, "b.db", "SELECT count(*) FROM customers"), 0);
    assert_eq!(count(&cli, "b.db", "SELECT count(*) FROM tags"), 0);
    assert_eq!(
        count(&cli, "b.db", "SELECT count(*) FROM customer_emails"),
        0
    );
    assert_check_clean(&cli, "b.db");
    assert_eq!(cli.json("b.db", &["undo"]), Value::Null);
}

#[test]
fn changes_built_on_an_import_are_undone_first_then_the_import() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let before = snapshot(&cli, "a.db");
    let csv = cli.path("contacts.csv");
    std::fs::write(&csv, CSV).unwrap();
    cli.ok("a.db", &["import", path_str(&csv)]);
    let zyxwv = cli.json("a.db", &["customer", "list", "--search", "zyxwv"])[0]["id"]
        .as_i64()
        .unwrap();
    let z = zyxwv.to_string();
    cli.ok("a.db", &["ticket", "add", &z, "Quuxbroken"]);
    cli.ok("a.db", &["log", &z, "Quuxcalled"]);
    cli.ok(
        "a.db",
        &["customer", "edit", "2", "--org", &(zyxwv - 1).to_string()],
    );

    assert_eq!(cli.json("a.db", &["undo"])["action"], "customer.edit");
    assert_eq!(cli.json("a.db", &["undo"])["action"], "interaction.log");
    assert_eq!(cli.json("a.db", &["undo"])["action"], "ticket.add");
    assert_eq!(cli.json("a.db", &["undo"])["action"], "import");
    assert_same(&before, &snapshot(&cli, "a.db"));
    assert_check_clean(&cli, "a.db");
}

#[test]
fn an_undone_import_of_cards_untags_what_its_groups_tagged() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let before = snapshot(&cli, "a.db");
    let cards = cli.path("cards.vcf");
    std::fs::write(
        &cards,
        "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:jane-card\nFN:Jane Doe\nEMAIL:jane@acme.example\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:new-card\nFN:Quux Newcomer\nCATEGORIES:cardonly\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:Quuxgroup\nMEMBER:urn:uuid:jane-card\nMEMBER:urn:uuid:new-card\nEND:VCARD\n",
    )
    .unwrap();
    cli.ok("a.db", &["import", path_str(&cards)]);
    let jane = cli.json("a.db", &["customer", "show", "2"]);
    assert!(
        jane["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Quuxgroup")),
        "{jane}"
    );
    cli.json("a.db", &["undo"]);
    assert_same(&before, &snapshot(&cli, "a.db"));
    assert_eq!(orphan_tags(&cli, "a.db"), 0);
    assert_check_clean(&cli, "a.db");
}

#[test]
fn undoing_the_add_of_the_only_customer_with_a_tag_removes_the_tag() {
    let cli = Cli::new();
    cli.ok("a.db", &["customer", "add", "Solo", "--tag", "lonely"]);
    cli.ok("a.db", &["customer", "add", "Other", "--tag", "kept"]);
    cli.ok("a.db", &["customer", "edit", "2", "--tag", "also"]);
    cli.json("a.db", &["undo"]);
    cli.json("a.db", &["undo"]);
    cli.json("a.db", &["undo"]);
    assert_eq!(count(&cli, "a.db", "SELECT count(*) FROM tags"), 0);
    assert_check_clean(&cli, "a.db");
}

#[test]
fn undo_passes_over_a_demo_load_to_the_change_before() {
    let cli = Cli::new();
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Before Demo",
            "--email",
            "before@demo.example",
        ],
    );
    cli.ok("a.db", &["demo", "--customers", "20", "--force"]);
    let demo_customers = count(&cli, "a.db", "SELECT count(*) FROM customers");
    assert!(demo_customers > 20, "{demo_customers}");

    // A change after the load is undone as usual.
    cli.ok("a.db", &["ticket", "add", "2", "After the demo"]);
    assert_eq!(cli.json("a.db", &["undo"])["action"], "ticket.add");

    let undone = cli.run_on("a.db", &["undo"]);
    assert!(undone.status.success(), "{undone:?}");
    let said = String::from_utf8_lossy(&undone.stdout);
    assert_eq!(
        said,
        "undid adding customer 1; the demo data after it stays (a load cannot be undone)\n"
    );
    assert_eq!(
        count(&cli, "a.db", "SELECT count(*) FROM customers"),
        demo_customers - 1
    );
    searches_empty(&cli, "a.db", "before@demo.example");
    assert_check_clean(&cli, "a.db");

    // Nothing before it now: said, not stuck on an unreadable error.
    let nothing = cli.run_on("a.db", &["undo"]);
    assert_eq!(nothing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&nothing.stderr);
    assert!(
        stderr.contains(
            "the demo data stays (a load cannot be undone), and there is nothing before it to undo"
        ),
        "{stderr}"
    );
}

#[test]
fn undo_after_a_demo_load_into_an_empty_database_says_why_not() {
    let cli = Cli::new();
    cli.ok("a.db", &["demo", "--customers", "10"]);
    let out = cli.run_on("a.db", &["undo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the demo data stays"),
        "{out:?}"
    );
}

#[test]
fn a_merge_is_undone_whole() {
    let cli = Cli::new();
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Acme Corp",
            "--organization",
            "--tag",
            "vip",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "ACME Corporation",
            "--organization",
            "--tag",
            "partner",
            "--segment",
            "SMB",
        ],
    );
    cli.ok("a.db", &["customer", "add", "Ann Acme", "--org", "1"]);
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Bob Acme",
            "--org",
            "2",
            "--email",
            "bob@acme.example",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Jane Doe",
            "--email",
            "jane@acme.example",
            "--phone",
            "+1 555 0100",
            "--tag",
            "vip",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Jane Doe",
            "--email",
            "jane.doe@home.example",
            "--phone",
            "+1 555 0199",
            "--title",
            "CTO",
            "--notes",
            "Quuxnote from the duplicate",
            "--tag",
            "board",
        ],
    );
    cli.ok(
        "a.db",
        &["ticket", "add", "6", "Quuxticket of the duplicate"],
    );
    cli.ok(
        "a.db",
        &[
            "log",
            "6",
            "Quuxcall with the duplicate",
            "--ticket",
            "1",
            "--direction",
            "outbound",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "followup",
            "add",
            "6",
            "--kind",
            "check-in",
            "--due",
            "2026-12-20",
        ],
    );
    cli.ok("a.db", &["ticket", "add", "2", "Org ticket"]);
    let before = snapshot(&cli, "a.db");

    cli.ok("a.db", &["customer", "merge", "5", "6"]);
    cli.ok("a.db", &["customer", "merge", "1", "2"]);
    let kept = cli.json("a.db", &["customer", "show", "5"]);
    assert_eq!(kept["title"], "CTO", "{kept}");
    assert_eq!(
        cli.json("a.db", &["ticket", "list", "--customer", "5"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_check_clean(&cli, "a.db");

    assert_eq!(cli.json("a.db", &["undo"])["action"], "customer.merge");
    assert_eq!(cli.json("a.db", &["undo"])["action"], "customer.merge");
    assert_same(&before, &snapshot(&cli, "a.db"));
    let duplicate = cli.json("a.db", &["customer", "show", "6"]);
    assert_eq!(duplicate["deleted_at"], Value::Null, "{duplicate}");
    let hits = cli.json("a.db", &["search", "quuxnote"]);
    assert_eq!(hits[0]["id"], 6, "{hits}");
    assert_eq!(
        cli.json("a.db", &["ticket", "list", "--customer", "6"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_check_clean(&cli, "a.db");
}

#[test]
fn an_import_under_a_demo_load_is_undone_and_the_demo_data_stays() {
    let cli = Cli::new();
    seeded(&cli, "a.db");
    let before = snapshot(&cli, "a.db");
    let csv = cli.path("contacts.csv");
    std::fs::write(&csv, CSV).unwrap();
    cli.ok("a.db", &["import", path_str(&csv)]);
    let with_import = count(&cli, "a.db", "SELECT count(*) FROM customers");
    cli.ok("a.db", &["demo", "--customers", "15", "--force"]);
    let demo = count(&cli, "a.db", "SELECT count(*) FROM customers") - with_import;

    let undone = cli.json("a.db", &["undo"]);
    assert_eq!(undone["action"], "import", "{undone}");
    assert_eq!(
        undone["passed_over"],
        serde_json::json!(["bulk.demo"]),
        "{undone}"
    );
    assert_eq!(undone["removed"], 3, "only what the import added: {undone}");
    // What was there before, and the demo data above it (the search
    // indexes grew with it).
    let ids_before = before
        .iter()
        .filter(|r| r.starts_with("SELECT * FROM customers"))
        .count();
    assert_eq!(
        count(&cli, "a.db", "SELECT count(*) FROM customers"),
        ids_before as i64 + demo
    );
    let kept = snapshot(&cli, "a.db");
    let lost: Vec<_> = before
        .iter()
        .filter(|r| !r.starts_with("SELECT '") && !kept.contains(r))
        .collect();
    assert!(lost.is_empty(), "{lost:#?}");
    searches_empty(&cli, "a.db", "zyxwv");
    assert_eq!(orphan_tags(&cli, "a.db"), 0);
    assert_check_clean(&cli, "a.db");
}

#[test]
fn undo_passes_over_an_import_by_an_older_version_that_kept_no_history() {
    let cli = Cli::new();
    cli.ok("a.db", &["customer", "add", "First"]);
    Connection::open(cli.path("a.db"))
        .unwrap()
        .execute(
            "INSERT INTO changes (action, created_at, updated_at)
             VALUES ('bulk.import', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z')",
            [],
        )
        .unwrap();
    assert_eq!(
        cli.ok("a.db", &["undo"]),
        "undid adding customer 1; the import by an older tuicrm after it stays (it kept no history to undo)\n"
    );
    assert_eq!(count(&cli, "a.db", "SELECT count(*) FROM customers"), 0);
}
