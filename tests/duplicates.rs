//! `customer duplicates` and the imports that feed it (issue 12.12): the
//! same phone written two ways, near-identical names in one organization,
//! each group with its reason; an empty vCard property is passed over.

mod common;

use common::Cli;
use serde_json::Value;

const DB: &str = "crm.db";

fn add(cli: &Cli, name: &str, flags: &[&str]) -> i64 {
    let mut args = vec!["customer", "add", name];
    args.extend_from_slice(flags);
    cli.json(DB, &args)["id"].as_i64().expect("an id")
}

fn ids(group: &Value) -> Vec<i64> {
    group["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .map(|c| c["id"].as_i64().expect("an id"))
        .collect()
}

fn groups(cli: &Cli) -> Vec<Value> {
    cli.json(DB, &["customer", "duplicates"])
        .as_array()
        .expect("a JSON array")
        .clone()
}

#[test]
fn the_same_phone_digits_are_one_number() {
    let cli = Cli::new();
    let ann = add(&cli, "Ann Berg", &["--phone", "+1 (555) 010-2000"]);
    let bo = add(&cli, "Bo Carlsson", &["--phone", "15550102000"]);
    add(&cli, "Cy Dahl", &["--phone", "+1 (555) 010-2001"]);
    let found = groups(&cli);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["rule"], "same_phone");
    assert_eq!(found[0]["reason"], "same phone 15550102000");
    assert_eq!(ids(&found[0]), [ann, bo]);

    // The TUI's merge offer and `customer merge` agree with the list.
    let out = cli.ok(DB, &["customer", "duplicates"]);
    assert!(out.starts_with("same phone 15550102000:\n"), "{out}");
    assert!(
        out.contains("Ann Berg") && out.contains("Bo Carlsson") && !out.contains("Cy Dahl"),
        "{out}"
    );
}

#[test]
fn near_identical_names_in_one_organization_are_a_group() {
    let cli = Cli::new();
    add(&cli, "Acme Corporation", &["--organization"]);
    add(&cli, "Globex", &["--organization"]);
    let meyers = add(&cli, "Kathryn Meyers", &["--org", "Acme Corporation"]);
    let meyer = add(&cli, "Kathryn Meyer", &["--org", "Acme Corporation"]);
    // The namesake of another organization, and a short near-name, are not.
    add(&cli, "Kathryn Meyer", &["--org", "Globex"]);
    add(&cli, "Ann Li", &["--org", "Acme Corporation"]);
    add(&cli, "Ian Li", &["--org", "Acme Corporation"]);
    let found = groups(&cli);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["rule"], "similar_name");
    assert_eq!(
        found[0]["reason"],
        "similar names in Acme Corporation: Kathryn Meyer, Kathryn Meyers"
    );
    assert_eq!(ids(&found[0]), [meyers, meyer]);
}

#[test]
fn every_rule_gives_its_own_group_and_reason() {
    let cli = Cli::new();
    let jane = add(&cli, "Jane Doe", &["--email", "jane@example.com"]);
    let j = add(&cli, "J. Doe", &["--email", "JANE@example.com"]);
    let twin = add(&cli, "jane doe", &[]);
    let found = groups(&cli);
    let reasons: Vec<&str> = found.iter().filter_map(|g| g["reason"].as_str()).collect();
    assert_eq!(
        reasons,
        ["same email jane@example.com", "same name Jane Doe"]
    );
    assert_eq!(ids(&found[0]), [jane, j]);
    assert_eq!(ids(&found[1]), [jane, twin]);
    // --limit counts groups.
    let first = cli.json(DB, &["customer", "duplicates", "--limit", "1"]);
    assert_eq!(first.as_array().map(Vec::len), Some(1));
}

#[test]
fn an_empty_vcard_property_gives_way_to_the_filled_one() {
    let cli = Cli::new();
    // As SyncML phones write them: an empty EMAIL and TEL first.
    let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Meyers;Kathryn\r\nFN:Kathryn Meyers\r\n\
                EMAIL;INTERNET:\r\nEMAIL;INTERNET:kathryn@acme.example\r\n\
                TEL;CELL:\r\nTEL;WORK:+1 (555) 010-2000\r\nEND:VCARD\r\n";
    let file = cli.path("phone.vcf");
    std::fs::write(&file, card).expect("card written");
    cli.ok(DB, &["import", file.to_str().expect("utf-8 path")]);
    let listed = cli.json(DB, &["customer", "list"]);
    let kathryn = &listed[0];
    assert_eq!(kathryn["email"], "kathryn@acme.example", "{kathryn}");
    assert_eq!(kathryn["phone"], "+1 (555) 010-2000", "{kathryn}");
    // And the number matches one written the other way.
    add(&cli, "Front Desk", &["--phone", "15550102000"]);
    let found = groups(&cli);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["reason"], "same phone 15550102000");
}

/// The TUI's merge offer (`M`) asks the store for one customer's duplicates:
/// the same rules, the whole reason with each.
#[test]
fn the_merge_offer_finds_them_by_the_same_rules() {
    use tuicrm::domain::{CustomerDraft, CustomerKind};
    let dir = tempfile::TempDir::new().expect("a temp dir");
    let mut store = tuicrm::store::Store::open(&dir.path().join("crm.db")).expect("a store");
    let add =
        |store: &mut tuicrm::store::Store, name: &str, org: Option<i64>, phone: Option<&str>| {
            let mut draft = CustomerDraft::new(CustomerKind::Person, name);
            draft.organization_id = org;
            draft.phone = phone.map(str::to_string);
            store.add_customer(draft).expect("added").id
        };
    let acme = store
        .add_customer(CustomerDraft::new(CustomerKind::Organization, "Acme"))
        .expect("added")
        .id;
    let meyers = add(
        &mut store,
        "Kathryn Meyers",
        Some(acme),
        Some("+1 (555) 010-2000"),
    );
    let meyer = add(&mut store, "Kathryn Meyer", Some(acme), None);
    let desk = add(&mut store, "Front Desk", None, Some("15550102000"));
    add(
        &mut store,
        "Someone Else",
        Some(acme),
        Some("+1 (555) 010-9999"),
    );
    let found: Vec<(i64, String)> = store
        .duplicates_of(meyers)
        .expect("found")
        .into_iter()
        .map(|(c, why)| (c.id, why))
        .collect();
    assert_eq!(
        found,
        [
            (
                meyer,
                "similar names in Acme: Kathryn Meyer, Kathryn Meyers".to_string()
            ),
            (desk, "same phone 15550102000".to_string()),
        ]
    );
}
