//! The rules of who belongs to an organization hold on every path in: a
//! JSON import that breaks one names the record, as the command line
//! refuses the same link, and `--skip-invalid` imports the rest.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::Cli;

/// 1 Acme Corp (organization), 2 Jane Doe of Acme with a ticket, 3 Bob Roe
/// with a ticket, 4 Globex (organization), 5 Zed Park.
fn seeded() -> Cli {
    let cli = Cli::new();
    cli.ok("a.db", &["customer", "add", "Acme Corp", "--organization"]);
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Jane Doe",
            "--org",
            "1",
            "--email",
            "jane@acme.example",
        ],
    );
    cli.ok(
        "a.db",
        &["customer", "add", "Bob Roe", "--email", "bob@roe.example"],
    );
    cli.ok("a.db", &["customer", "add", "Globex", "--organization"]);
    cli.ok(
        "a.db",
        &["customer", "add", "Zed Park", "--phone", "+1 555 0105"],
    );
    cli.ok("a.db", &["ticket", "add", "2", "Jane's ticket"]);
    cli.ok("a.db", &["ticket", "add", "3", "Bob's ticket"]);
    cli
}

/// The export of a.db with `links` (customer id, organization id or null)
/// written into it, in our format's order (header first).
fn export_with(cli: &Cli, links: &[(i64, Option<i64>)]) -> PathBuf {
    let out = cli.path("all.json");
    cli.export_to("a.db", "json", &out);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    for customer in doc["customers"].as_array_mut().unwrap() {
        for (id, org) in links {
            if customer["id"] == *id {
                customer["organization_id"] = org.map_or(Value::Null, Value::from);
            }
        }
    }
    let text = format!(
        "{{\"format\":\"tuicrm\",\"version\":1,\"customers\":{},\"tickets\":{},\"followups\":{},\"interactions\":{}}}",
        doc["customers"], doc["tickets"], doc["followups"], doc["interactions"]
    );
    let path = cli.path("links.json");
    std::fs::write(&path, text).unwrap();
    path
}

/// Imports `file` into `db`, which must fail naming `expected`, and must
/// leave `db` as it was (`customers` of them).
fn refused(cli: &Cli, db: &str, file: &Path, expected: &str, customers: usize) {
    let out = cli.run_on(db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(expected) && stderr.contains("nothing was imported"),
        "wanted {expected:?} in {stderr}"
    );
    let listed = cli.json(db, &["customer", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), customers, "{listed}");
}

/// Imports `file` into `db` with `--skip-invalid`: the summary, with `check` clean after.
fn skipping(cli: &Cli, db: &str, file: &Path) -> Value {
    let summary = cli.json(db, &["import", file.to_str().unwrap(), "--skip-invalid"]);
    let report = cli.json(db, &["check"]);
    assert_eq!(report["ok"], true, "{report}");
    summary
}

fn names(cli: &Cli, db: &str) -> Vec<String> {
    let mut names: Vec<String> = cli
        .json(db, &["customer", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_person_that_is_its_own_organization_is_a_bad_record() {
    let cli = seeded();
    let file = export_with(&cli, &[(3, Some(3))]);
    refused(
        &cli,
        "b.db",
        &file,
        "customer 3: a customer cannot be its own organization",
        0,
    );
    let summary = skipping(&cli, "b.db", &file);
    // Bob, and his ticket that has no customer then.
    assert_eq!(summary["skipped"], 2, "{summary}");
    assert_eq!(summary["created"], 4, "{summary}");
    assert_eq!(
        names(&cli, "b.db"),
        ["Acme Corp", "Globex", "Jane Doe", "Zed Park"]
    );
}

#[test]
fn a_person_in_a_person_is_a_bad_record_before_or_after_it_in_the_file() {
    let cli = seeded();
    // Zed (5) names Bob (3), who came before him.
    let file = export_with(&cli, &[(5, Some(3))]);
    refused(
        &cli,
        "b.db",
        &file,
        "customer 5: customer 3 is a person, not an organization",
        0,
    );
    let summary = skipping(&cli, "b.db", &file);
    assert_eq!(summary["skipped"], 1, "{summary}");
    assert_eq!(summary["created"], 4, "{summary}");
    assert_eq!(
        names(&cli, "b.db"),
        ["Acme Corp", "Bob Roe", "Globex", "Jane Doe"]
    );

    // Bob (3) names Zed (5), who comes after him: found at the end of the
    // customers, and taken back with what he had.
    let file = export_with(&cli, &[(3, Some(5))]);
    refused(
        &cli,
        "c.db",
        &file,
        "customer 3: customer 5 is a person, not an organization",
        0,
    );
    let summary = skipping(&cli, "c.db", &file);
    assert_eq!(summary["skipped"], 2, "Bob and his ticket: {summary}");
    assert_eq!(summary["created"], 4, "{summary}");
    assert_eq!(summary["added"]["tickets"], 1, "{summary}");
    assert_eq!(
        names(&cli, "c.db"),
        ["Acme Corp", "Globex", "Jane Doe", "Zed Park"]
    );
    let hits = cli.json("c.db", &["search", "Bob"]);
    assert_eq!(hits, Value::Array(vec![]), "{hits}");
}

#[test]
fn an_organization_in_an_organization_and_a_cycle_are_bad_records() {
    let cli = seeded();
    let file = export_with(&cli, &[(4, Some(1))]);
    refused(
        &cli,
        "b.db",
        &file,
        "customer 4: an organization cannot belong to an organization",
        0,
    );
    let summary = skipping(&cli, "b.db", &file);
    assert_eq!(summary["skipped"], 1, "{summary}");
    assert_eq!(
        names(&cli, "b.db"),
        ["Acme Corp", "Bob Roe", "Jane Doe", "Zed Park"]
    );

    // Acme in Globex in Acme: both named; Jane, of Acme, comes in without it.
    let file = export_with(&cli, &[(1, Some(4)), (4, Some(1))]);
    refused(
        &cli,
        "c.db",
        &file,
        "customer 1: an organization cannot belong to an organization",
        0,
    );
    let out = cli.run_on(
        "c.db",
        &["import", file.to_str().unwrap(), "--skip-invalid"],
    );
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped customer 1: "), "{stderr}");
    assert!(stderr.contains("skipped customer 4: "), "{stderr}");
    assert!(
        stderr.contains("customer 2: its organization 1 is not in the file"),
        "{stderr}"
    );
    assert_eq!(names(&cli, "c.db"), ["Bob Roe", "Jane Doe", "Zed Park"]);
    let report = cli.json("c.db", &["check"]);
    assert_eq!(report["ok"], true, "{report}");
}

#[test]
fn a_known_person_named_in_a_person_is_refused_and_skipping_keeps_it_as_it_was() {
    let cli = seeded();
    let first = cli.path("first.json");
    cli.export_to("a.db", "json", &first);
    cli.ok("b.db", &["import", first.to_str().unwrap()]);
    // Jane (2) now names Zed (5), after her in the file, and has a new title.
    cli.ok("a.db", &["customer", "edit", "2", "--title", "CIO"]);
    let file = export_with(&cli, &[(2, Some(5))]);
    refused(
        &cli,
        "b.db",
        &file,
        "customer 2: customer 5 is a person, not an organization",
        5,
    );
    let summary = skipping(&cli, "b.db", &file);
    assert_eq!(summary["updated"], 0, "{summary}");
    let jane = cli.json("b.db", &["customer", "show", "2"]);
    assert_eq!(jane["title"], Value::Null, "{jane}");
    assert_eq!(jane["organization_id"], 1, "{jane}");
}

#[test]
fn the_command_line_refuses_the_same_links_in_the_same_words() {
    let cli = seeded();
    let refuse = |args: &[&str], expected: &str| {
        let out = cli.run_on("a.db", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    };
    refuse(
        &["customer", "add", "Ann", "--org", "3"],
        "customer 3 is a person, not an organization",
    );
    refuse(
        &["customer", "edit", "3", "--org", "3"],
        "a customer cannot be its own organization",
    );
    refuse(
        &["customer", "add", "Ann", "--org", "99"],
        "organization 99 not found",
    );
}

#[test]
fn every_import_leaves_check_clean() {
    let cli = seeded();
    // Globex in itself and Zed in Bob are skipped; Bob then names a
    // customer the file does not have, and comes in without it.
    let file = export_with(&cli, &[(3, Some(5)), (5, Some(3)), (4, Some(4))]);
    let summary = skipping(&cli, "b.db", &file);
    assert_eq!(summary["skipped"], 2, "{summary}");
    assert_eq!(names(&cli, "b.db"), ["Acme Corp", "Bob Roe", "Jane Doe"]);
    let csv = cli.path("people.csv");
    std::fs::write(
        &csv,
        "name,organization,email\nBob Roe,Bob Roe,bob@roe.example\nNew Person,Globex,new@globex.example\n",
    )
    .unwrap();
    cli.ok("b.db", &["import", csv.to_str().unwrap()]);
    let report = cli.json("b.db", &["check"]);
    assert_eq!(report["ok"], true, "{report}");
}
