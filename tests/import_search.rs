//! An import writes the search index of the customers it changed once, at
//! its end: what it changed is found by search afterwards, what it replaced
//! is not, and undo puts the index back.

use serde_json::Value;

mod common;
use common::Cli;

fn names_found(cli: &Cli, db: &str, words: &str) -> Vec<String> {
    let hits = cli.json(db, &["search", words]);
    let hits = hits.as_array().cloned().unwrap_or_default();
    hits.iter()
        .filter_map(|h| {
            h["customer"]
                .as_str()
                .or(h["title"].as_str())
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn customers_an_import_changed_are_found_by_what_it_wrote() {
    let cli = Cli::new();
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Qwerty Corp",
            "--organization",
            "--tag",
            "oldtag",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Zorbo Plimp",
            "--email",
            "zorbo@before.example",
        ],
    );
    let csv = cli.path("contacts.csv");
    std::fs::write(
        &csv,
        "name,kind,email,tags,notes\n\
         Qwerty Corp,organization,,newtagx,Wibblenote\n\
         Zorbo Plimp,person,zorbo@before.example,plimptag,\n\
         Fresh Person,person,fresh@new.example,plimptag,\n",
    )
    .unwrap();
    let summary = cli.json("a.db", &["import", csv.to_str().unwrap()]);
    assert_eq!(summary["updated"], 2, "{summary}");
    assert_eq!(summary["created"], 1, "{summary}");
    let found = names_found(&cli, "a.db", "newtagx");
    assert!(found.iter().any(|n| n == "Qwerty Corp"), "{found:?}");
    let found = names_found(&cli, "a.db", "wibblenote");
    assert!(found.iter().any(|n| n == "Qwerty Corp"), "{found:?}");
    let found = names_found(&cli, "a.db", "plimptag");
    assert_eq!(found.len(), 2, "the updated and the new one: {found:?}");
    let report = cli.json("a.db", &["check"]);
    assert_eq!(report["ok"], true, "{report}");

    cli.ok("a.db", &["undo"]);
    assert_eq!(
        cli.json("a.db", &["search", "newtagx"]),
        Value::Array(vec![])
    );
    assert_eq!(
        cli.json("a.db", &["search", "plimptag"]),
        Value::Array(vec![])
    );
    let found = names_found(&cli, "a.db", "oldtag");
    assert!(found.iter().any(|n| n == "Qwerty Corp"), "{found:?}");
    let report = cli.json("a.db", &["check"]);
    assert_eq!(report["ok"], true, "{report}");
}
