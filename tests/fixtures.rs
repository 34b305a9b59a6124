//! Importing files as real phones, address books and spreadsheets write
//! them (tests/fixtures/import), through the built binary: one test per
//! writer or quirk, then malformed files, importing twice, and a vCard
//! round trip that starts from a real writer's file.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::Cli;

impl Cli {
    /// `import FIXTURE ARGS...` with --json: the summary.
    fn import(&self, db: &str, name: &str, args: &[&str]) -> Value {
        let path = fixture(name);
        let mut all = vec!["import", path.to_str().unwrap()];
        all.extend_from_slice(args);
        self.json(db, &all)
    }

    /// `import FIXTURE ARGS...` expected to fail: exit status and stderr.
    fn import_fails(&self, db: &str, name: &str, args: &[&str]) -> (Option<i32>, String) {
        let path = fixture(name);
        let mut all = vec!["import", path.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = self.run_on(db, &all);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn customers(&self, db: &str) -> Vec<Value> {
        match self.json(db, &["customer", "list"]) {
            Value::Array(list) => list,
            other => panic!("not a list: {other}"),
        }
    }

    /// The one live customer of that exact name and kind.
    fn named(&self, db: &str, name: &str, kind: &str) -> Value {
        let found: Vec<Value> = self
            .customers(db)
            .into_iter()
            .filter(|c| c["name"] == name && c["kind"] == kind)
            .collect();
        assert_eq!(found.len(), 1, "one {kind} named {name:?}: {found:?}");
        found.into_iter().next().unwrap()
    }

    fn person(&self, db: &str, name: &str) -> Value {
        self.named(db, name, "person")
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn counts(summary: &Value) -> [u64; 4] {
    ["created", "updated", "unchanged", "skipped"].map(|k| summary[k].as_u64().unwrap())
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn names(cli: &Cli, db: &str) -> Vec<String> {
    let mut names: Vec<String> = cli
        .customers(db)
        .iter()
        .map(|c| format!("{} ({})", c["name"].as_str().unwrap(), c["kind"]))
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------- vCard writers

#[test]
fn android_2_1_quoted_printable_bare_types_and_photo() {
    let cli = Cli::new();
    let summary = cli.import("a.db", "android-2.1.vcf", &[]);
    assert_eq!(
        counts(&summary),
        [3, 0, 0, 0],
        "two people and their bakery"
    );
    let jurgen = cli.person("a.db", "Jürgen Müller");
    assert_eq!(jurgen["organization"], "Bäckerei Schön");
    assert_eq!(
        jurgen["phone"], "+49 170 1234567",
        "TEL;CELL;PREF wins over the first number"
    );
    assert_eq!(strings(&jurgen["extra"]["TEL"]), ["+49 30 1234567"]);
    assert_eq!(jurgen["email"], "juergen.mueller@example.com", "the first");
    assert_eq!(
        strings(&jurgen["extra"]["EMAIL"]),
        ["j.mueller@example.org"]
    );
    assert_eq!(jurgen["title"], "Einkauf");
    assert_eq!(
        jurgen["notes"],
        "Kunde seit 2019. Möchte vor der Verlängerung einen Rückruf, bitte nicht vor 10 Uhr.\n\n\
         Department: Vertrieb",
        "soft line breaks joined, UTF-8 decoded, the department kept"
    );
    assert!(jurgen["extra"].get("PHOTO").is_none());
    assert!(jurgen["extra"].get("X-ANDROID-CUSTOM").is_none());
    let chidi = cli.person("a.db", "Chidi Okafor");
    assert_eq!(chidi["phone"], "+1 555 0142");
    assert!(chidi["organization"].is_null());
}

#[test]
fn iphone_3_0_items_pref_departments_and_an_icloud_group() {
    let cli = Cli::new();
    let summary = cli.import("i.db", "iphone-3.0.vcf", &[]);
    assert_eq!(
        counts(&summary),
        [4, 0, 0, 0],
        "three people and Acme (ACME is the same one); the group is no customer"
    );
    assert_eq!(
        names(&cli, "i.db"),
        [
            "Acme (\"organization\")",
            "Astrid Lindqvist (\"person\")",
            "Claire Dubois (\"person\")",
            "Kwame Mensah (\"person\")",
        ]
    );
    let astrid = cli.person("i.db", "Astrid Lindqvist");
    assert_eq!(astrid["email"], "astrid@example.com", "type=pref");
    assert_eq!(
        strings(&astrid["extra"]["EMAIL"]),
        ["astrid.lindqvist@example.org"]
    );
    assert_eq!(astrid["phone"], "+1 (415) 555-0123", "type=pref");
    assert_eq!(strings(&astrid["extra"]["TEL"]), ["+1 (415) 555-0188"]);
    assert_eq!(astrid["organization"], "Acme");
    assert_eq!(astrid["title"], "Account Executive");
    assert_eq!(
        astrid["notes"],
        "Met at the Lisbon trade fair.\n\nDepartment: Sales"
    );
    assert_eq!(strings(&astrid["tags"]), ["Key Accounts"], "group member");
    assert_eq!(
        strings(&astrid["extra"]["ADR"]),
        [";;1 Harbour Street;San Francisco;CA;94105;United States"]
    );
    assert_eq!(strings(&astrid["extra"]["BDAY"]), ["1988-03-14"]);
    for skipped in ["PHOTO", "X-ABUID", "X-ABLABEL", "X-ABADR", "PRODID"] {
        assert!(astrid["extra"].get(skipped).is_none(), "{skipped}");
    }
    assert_eq!(
        astrid["extra"]["UID"].as_array().map(Vec::len),
        Some(1),
        "kept to find the card again"
    );
    let kwame = cli.person("i.db", "Kwame Mensah");
    assert_eq!(kwame["organization"], "Acme", "ORG:ACME found without case");
    assert_eq!(strings(&kwame["tags"]), ["Key Accounts"]);
    let claire = cli.person("i.db", "Claire Dubois");
    assert_eq!(claire["phone"], "+33 6 12 34 56 78", "item1.TEL");
    assert_eq!(claire["notes"], "Friend of Astrid, introduced 2025.");
    assert!(strings(&claire["tags"]).is_empty(), "not in the group");
}

#[test]
fn google_3_0_categories_and_details_kept() {
    let cli = Cli::new();
    let summary = cli.import("g.db", "google-3.0.vcf", &[]);
    assert_eq!(counts(&summary), [3, 0, 0, 0], "two people, Northwind once");
    let priya = cli.person("g.db", "Priya Raman");
    assert_eq!(
        priya["email"], "priya.raman@example.org",
        "no pref: the first"
    );
    assert_eq!(strings(&priya["extra"]["EMAIL"]), ["priya@example.com"]);
    assert_eq!(priya["phone"], "+44 7700 900123");
    assert_eq!(priya["organization"], "Northwind Traders");
    assert_eq!(priya["title"], "Procurement Lead");
    assert_eq!(
        strings(&priya["tags"]),
        ["Friends"],
        "myContacts is Google's own"
    );
    assert_eq!(
        strings(&priya["extra"]["ADR"]),
        [";;12 Orchard Lane;Cambridge;;CB1 2AB;GB"]
    );
    assert_eq!(strings(&priya["extra"]["BDAY"]), ["1990-07-02"]);
    assert_eq!(strings(&priya["extra"]["URL"]).len(), 1);
    let tomasz = cli.person("g.db", "Tomasz Nowak");
    assert_eq!(
        strings(&tomasz["tags"]),
        ["Customers"],
        "starred is Google's own"
    );
    assert_eq!(
        strings(&tomasz["extra"]["EMAIL"]),
        ["tomek@example.org", "t.nowak@example.net"]
    );
    assert_eq!(strings(&tomasz["extra"]["BDAY"]), ["--05-17"]);
    assert_eq!(strings(&tomasz["extra"]["NICKNAME"]), ["Tomek"]);
    assert_eq!(tomasz["organization"], "Northwind Traders");
}

#[test]
fn google_3_0_url_is_kept_without_its_escape() {
    let cli = Cli::new();
    cli.import("g.db", "google-3.0.vcf", &[]);
    let priya = cli.person("g.db", "Priya Raman");
    assert_eq!(
        strings(&priya["extra"]["URL"]),
        ["https://priya.example.org"]
    );
    // CSV export writes the kept URL as it should read.
    let csv = cli.ok("g.db", &["export", "--format", "csv"]);
    assert!(csv.contains("https://priya.example.org"), "{csv}");
}

#[test]
fn outlook_2_1_windows_1252_quoted_printable_and_blank_lines() {
    let cli = Cli::new();
    let summary = cli.import("o.db", "outlook-2.1.vcf", &[]);
    assert_eq!(counts(&summary), [3, 0, 0, 0], "two people, Contoso once");
    let rene = cli.person("o.db", "René Dupont");
    assert_eq!(rene["organization"], "Contoso Ltd");
    assert_eq!(rene["title"], "Controller");
    assert_eq!(
        rene["email"], "rene.dupont@example.com",
        "EMAIL;PREF;INTERNET"
    );
    assert_eq!(strings(&rene["extra"]["EMAIL"]), ["rene@example.org"]);
    assert_eq!(rene["phone"], "+33 1 23 45 67 89", "no PREF: the first");
    assert_eq!(strings(&rene["extra"]["TEL"]), ["+33 6 98 76 54 32"]);
    let notes = rene["notes"].as_str().unwrap();
    assert!(
        notes.starts_with("Budget 2027: 12 000 € approved."),
        "=80 is € in Windows-1252: {notes:?}"
    );
    assert!(
        notes.contains("Ask about the Müller account before the renewal."),
        "=FC is ü, the soft line break joined: {notes:?}"
    );
    assert!(notes.ends_with("Department: Finance"), "{notes:?}");
    assert_eq!(
        strings(&rene["extra"]["ADR"]),
        [";;15 rue de la Paix;Paris;;75002;France"]
    );
    for skipped in [
        "LABEL",
        "X-MS-OL-DESIGN",
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS",
        "REV",
    ] {
        assert!(rene["extra"].get(skipped).is_none(), "{skipped}");
    }
    let john = cli.person("o.db", "John Smith");
    assert_eq!(john["organization"], "Contoso Ltd");
    assert_eq!(john["title"], "Account Manager");
    assert_eq!(john["email"], "john.smith@example.com");
    assert_eq!(john["phone"], "(425) 555-0100");
    assert!(john["extra"].get("PHOTO").is_none());
}

#[test]
fn thunderbird_4_0_pref_1_value_text_and_escapes() {
    let cli = Cli::new();
    let summary = cli.import("t.db", "thunderbird-4.0.vcf", &[]);
    assert_eq!(counts(&summary), [3, 0, 0, 0]);
    let sofia = cli.person("t.db", "Sofía Márquez");
    assert_eq!(sofia["email"], "sofia.marquez@example.com", "PREF=1");
    assert_eq!(strings(&sofia["extra"]["EMAIL"]), ["smarquez@example.org"]);
    assert_eq!(sofia["phone"], "+34 612 345 678", "TEL;VALUE=TEXT");
    assert_eq!(sofia["organization"], "Example Logistics");
    assert_eq!(sofia["title"], "Head of Operations");
    assert_eq!(
        sofia["notes"],
        "Renewal call in March.\nBudget owner, not the signer; contracts go to legal.\n\
         Share: \\\\files\\sales\n\nDepartment: Operations"
    );
    let mut tags = strings(&sofia["tags"]);
    tags.sort_unstable();
    assert_eq!(tags, ["Customers", "Spain"]);
    assert_eq!(
        strings(&sofia["extra"]["URL"]),
        ["https://logistics.example.com"]
    );
    let lars = cli.person("t.db", "Lars Eriksson");
    assert_eq!(lars["email"], "lars.eriksson@example.com");
    assert_eq!(lars["phone"], "+46 70 123 45 67");
    assert_eq!(strings(&lars["tags"]), ["Partners"]);
}

#[test]
fn evolution_3_0_tab_folding_and_lf_line_ends() {
    let cli = Cli::new();
    let summary = cli.import("e.db", "evolution-3.0.vcf", &[]);
    assert_eq!(counts(&summary), [3, 0, 0, 0]);
    let kenji = cli.person("e.db", "Kenji Nakamura");
    assert_eq!(kenji["email"], "kenji.nakamura@example.com");
    assert_eq!(strings(&kenji["extra"]["EMAIL"]), ["kenji@example.org"]);
    assert_eq!(kenji["phone"], "+81 3 1234 5678");
    assert_eq!(kenji["organization"], "Example Robotics");
    assert_eq!(
        kenji["notes"],
        "Evaluating the enterprise plan for the whole robotics lab, decision expected after \
         the board meeting in December.\n\nDepartment: Research",
        "a line folded with a TAB is joined without it"
    );
    assert_eq!(strings(&kenji["tags"]), ["Partners"]);
    assert!(kenji["extra"].get("X-EVOLUTION-FILE-AS").is_none());
    assert_eq!(
        cli.person("e.db", "Ada Okonkwo")["email"],
        "ada.okonkwo@example.org"
    );
}

#[test]
fn khard_folder_of_4_0_cards_with_an_organization_card() {
    let cli = Cli::new();
    let summary = cli.import("k.db", "khard", &[]);
    assert_eq!(
        counts(&summary),
        [3, 0, 0, 0],
        "the KIND:org card is the organization Noor's ORG names; the backup and the note are no cards"
    );
    assert_eq!(
        names(&cli, "k.db"),
        [
            "Example Labs (\"organization\")",
            "Felix Wagner (\"person\")",
            "Noor Al-Sayed (\"person\")",
        ]
    );
    let labs = cli.named("k.db", "Example Labs", "organization");
    assert_eq!(labs["email"], "hello@example-labs.example.com");
    assert_eq!(labs["phone"], "+1 555 0190");
    let noor = cli.person("k.db", "Noor Al-Sayed");
    assert_eq!(noor["organization_id"], labs["id"]);
    assert_eq!(noor["notes"], "Department: Platform");
    assert_eq!(noor["title"], "CTO");
    let felix = cli.person("k.db", "Felix Wagner");
    assert_eq!(strings(&felix["extra"]["NICKNAME"]), ["Fex"]);
}

/// khard and vdirsyncer know a card by its UID: the UID is kept, a card
/// whose name and email changed in the address book is still found by it,
/// and our export writes the same UID back.
#[test]
fn a_card_is_found_again_by_its_uid_and_exported_with_it() {
    let cli = Cli::new();
    cli.import("u.db", "khard", &[]);
    let book = cli.path("book");
    std::fs::create_dir(&book).unwrap();
    let edited = std::fs::read_to_string(fixture("khard/c9d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f.vcf"))
        .unwrap()
        .replace("FN:Felix Wagner", "FN:Felix J. Wagner")
        .replace("felix.wagner@example.org", "felix@example.net");
    std::fs::write(book.join("felix.vcf"), edited).unwrap();
    let again = cli.json("u.db", &["import", book.to_str().unwrap()]);
    assert_eq!(counts(&again), [0, 1, 0, 0], "{again}");
    let felix = cli.person("u.db", "Felix Wagner");
    assert_eq!(felix["email"], "felix@example.net");
    let out = cli.path("out.vcf");
    cli.export_to("u.db", "vcard", &out);
    let cards = std::fs::read_to_string(&out).unwrap();
    assert!(
        cards.contains("UID:c9d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f\r\n"),
        "{cards}"
    );
    assert_eq!(cards.matches("UID:").count(), 3, "one UID a card");
}

#[test]
fn a_utf8_bom_before_begin_vcard() {
    let cli = Cli::new();
    assert_eq!(
        counts(&cli.import("b.db", "with-bom.vcf", &[])),
        [1, 0, 0, 0]
    );
    let elodie = cli.person("b.db", "Élodie Fournier");
    assert_eq!(elodie["email"], "elodie.fournier@example.com");
}

#[test]
fn tel_uris_are_stored_as_the_number() {
    let cli = Cli::new();
    assert_eq!(
        counts(&cli.import("u.db", "tel-uri-4.0.vcf", &[])),
        [2, 0, 0, 0]
    );
    assert_eq!(cli.person("u.db", "Maya Cohen")["phone"], "+1-555-0100");
    let omar = cli.person("u.db", "Omar Farouk");
    assert_eq!(
        omar["phone"], "+1-555-0111",
        "PREF=1 with a quoted TYPE list"
    );
    assert_eq!(strings(&omar["extra"]["TEL"]), ["+1-555-0110"]);
}

#[test]
fn a_tel_uri_with_an_extension_is_imported() {
    let cli = Cli::new();
    assert_eq!(
        counts(&cli.import("u.db", "tel-uri-ext-4.0.vcf", &[])),
        [1, 0, 0, 0]
    );
    let simon = cli.person("u.db", "Simon Perreault");
    let phone = simon["phone"].as_str().unwrap();
    assert!(
        phone.starts_with("+1-418-555-1212") && phone.contains("102"),
        "{phone:?}"
    );
}

#[test]
fn cards_without_a_name_fall_back_and_a_nameless_one_is_invalid() {
    let cli = Cli::new();
    let (code, stderr) = cli.import_fails("f.db", "fallback-names.vcf", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("fallback-names.vcf") && stderr.contains("line 19"),
        "{stderr}"
    );
    assert!(cli.customers("f.db").is_empty(), "nothing was written");

    let out = cli.run_on(
        "f.db",
        &[
            "--json",
            "import",
            fixture("fallback-names.vcf").to_str().unwrap(),
            "--skip-invalid",
        ],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 19"), "{stderr}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["skipped"], 1, "{summary}");
    assert_eq!(cli.person("f.db", "Layla Haddad")["phone"], "+1 555 0160");
    assert_eq!(
        cli.person("f.db", "orders@example.org")["email"],
        "orders@example.org"
    );
    assert_eq!(cli.person("f.db", "+1 555 0163")["phone"], "+1 555 0163");
    // The ORG-only card is that organization, not a person named like it.
    assert!(
        cli.customers("f.db")
            .iter()
            .any(|c| c["name"] == "Example Widgets"
                && c["phone"] == "+1 555 0161"
                && c["kind"] == "organization"),
        "{:?}",
        names(&cli, "f.db")
    );
    assert!(
        !cli.customers("f.db")
            .iter()
            .any(|c| c["notes"] == "Call back about the invoice")
    );
}

// ------------------------------------------------------------------- CSV writers

#[test]
fn google_csv_current_export() {
    let cli = Cli::new();
    let summary = cli.import("g.db", "google-current.csv", &[]);
    // Ana, Wei and Example Foods, and the Example Freight company contact.
    assert_eq!(counts(&summary), [4, 0, 0, 0], "{summary}");
    let ana = cli.person("g.db", "Ana Lucía Ferreira");
    assert_eq!(ana["email"], "ana.ferreira@example.com");
    assert_eq!(ana["phone"], "+351 912 345 678", "the first of ' ::: '");
    assert_eq!(ana["organization"], "Example Foods");
    assert_eq!(ana["title"], "Buyer");
    assert_eq!(strings(&ana["tags"]), ["Customers"]);
    assert_eq!(
        ana["notes"],
        "Met at the Porto food fair.\nWants a quote before January.\n\nDepartment: Procurement"
    );
    // The other columns are kept as vCard details, not dropped.
    assert_eq!(ana["extra"]["EMAIL"][0], "ana@example.org");
    assert_eq!(ana["extra"]["TEL"][0], "+351 913 000 111", "after ' ::: '");
    assert_eq!(ana["extra"]["BDAY"][0], "1987-09-21");
    assert_eq!(
        ana["extra"]["ADR"][0],
        ";;Rua Augusta 10;Lisboa;;1100-053;PT"
    );
    let wei = cli.person("g.db", "Wei Zhang");
    let mut tags = strings(&wei["tags"]);
    tags.sort_unstable();
    assert_eq!(
        tags,
        ["Customers", "Logistics"],
        "* starred is Google's own"
    );
    assert_eq!(
        wei["organization_id"], ana["organization_id"],
        "one Example Foods"
    );
    assert!(
        cli.customers("g.db")
            .iter()
            .any(|c| c["name"] == "Example Freight"
                && c["phone"] == "+1 555 0130"
                && c["kind"] == "organization"),
        "a company-only row is the organization itself"
    );
}

#[test]
fn google_csv_older_export() {
    let cli = Cli::new();
    let summary = cli.import("g.db", "google-older.csv", &[]);
    assert_eq!(counts(&summary), [3, 0, 0, 0]);
    let marta = cli.person("g.db", "Marta Kowalska");
    assert_eq!(marta["email"], "marta.kowalska@example.com");
    assert_eq!(marta["phone"], "+48 601 234 567");
    assert_eq!(marta["organization"], "Example Steel");
    assert_eq!(marta["title"], "Sales Manager");
    assert_eq!(strings(&marta["tags"]), ["Suppliers"]);
    assert_eq!(
        marta["notes"],
        "Annual contract, pays on time.\n\nDepartment: Export"
    );
    let luis = cli.person("g.db", "Luis Ortega");
    assert!(strings(&luis["tags"]).is_empty(), "only * myContacts");
    assert!(luis["organization"].is_null());
}

#[test]
fn outlook_csv_title_is_the_honorific() {
    let cli = Cli::new();
    let summary = cli.import("o.db", "outlook.csv", &[]);
    assert_eq!(
        counts(&summary),
        [5, 0, 0, 0],
        "three people, Contoso and Fabrikam"
    );
    let john = cli.person("o.db", "John Smith");
    assert_eq!(john["title"], "Account Manager", "Job Title, not Mr.");
    assert_eq!(john["organization"], "Contoso Ltd");
    assert_eq!(john["email"], "john.smith@example.com");
    assert_eq!(john["phone"], "(425) 555-0100", "Business Phone first");
    assert_eq!(
        john["notes"], "Prefers calls after 3pm.\nRenewal in Q2.\n\nDepartment: Sales",
        "CRLF in notes read as LF"
    );
    // Outlook's other columns are kept, not dropped.
    let mut tags = strings(&john["tags"]);
    tags.sort_unstable();
    assert_eq!(tags, ["Customers", "VIP"], "Categories");
    assert_eq!(
        john["extra"]["ADR"][0],
        ";;1 Contoso Way;Redmond;WA;98052;United States of America"
    );
    assert!(john["extra"].get("BDAY").is_none(), "0/0/00 is no birthday");
    let grace = cli.person("o.db", "Grace Liu");
    assert_eq!(grace["phone"], "+1 425 555 0199", "Mobile Phone");
    assert_eq!(grace["title"], "CFO");
    assert_eq!(grace["organization_id"], john["organization_id"]);
    let amir = cli.person("o.db", "Amir K. Haddadi");
    assert_eq!(amir["organization"], "Fabrikam Inc");
    assert_eq!(amir["title"], "Research Director");
}

#[test]
fn outlook_csv_in_windows_1252_needs_the_encoding() {
    let cli = Cli::new();
    let (code, stderr) = cli.import_fails("w.db", "outlook-windows-1252.csv", &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("outlook-windows-1252.csv")
            && stderr.contains("not UTF-8")
            && stderr.contains("--encoding windows-1252"),
        "{stderr}"
    );
    assert!(cli.customers("w.db").is_empty());

    let summary = cli.import(
        "w.db",
        "outlook-windows-1252.csv",
        &["--encoding", "windows-1252"],
    );
    assert_eq!(counts(&summary), [4, 0, 0, 0]);
    let jurgen = cli.person("w.db", "Jürgen Müller");
    assert_eq!(jurgen["organization"], "Bäckerei Schön GmbH");
    assert_eq!(jurgen["title"], "Geschäftsführer");
    let notes = jurgen["notes"].as_str().unwrap();
    assert!(
        notes.contains("über 12.000 € pro Jahr") && notes.contains("Nächster Termin: März."),
        "{notes:?}"
    );
    let rene = cli.person("w.db", "René Dupont");
    assert_eq!(rene["organization"], "Société Générale d'Exemple");
    assert_eq!(rene["notes"], "Budget: 5 000 €");
    assert_eq!(rene["title"], "Directeur financier", "not M.");
}

#[test]
fn our_csv_formula_quotes_come_off_and_t_hooft_stays() {
    let cli = Cli::new();
    let summary = cli.import("f.db", "formula.csv", &[]);
    assert_eq!(counts(&summary), [4, 0, 0, 0]);
    let holdings = cli.named("f.db", "Example Holdings", "organization");
    assert_eq!(holdings["phone"], "+44 20 7946 0000");
    assert_eq!(holdings["segment"], "enterprise");
    assert_eq!(holdings["stage"], "active");
    assert_eq!(holdings["owner"], "alice");
    assert_eq!(holdings["renewal_on"], "2027-01-31");
    assert_eq!(holdings["contract_value"], 1_200_000);
    assert_eq!(holdings["currency"], "GBP");
    let mut tags = strings(&holdings["tags"]);
    tags.sort_unstable();
    assert_eq!(tags, ["finance", "vip"]);
    let formula = cli.person("f.db", "=HYPERLINK(\"https://example.com\";\"click\")");
    assert_eq!(formula["organization"], "Example Holdings");
    assert_eq!(formula["notes"], "-5% discount agreed");
    let hooft = cli.person("f.db", "'t Hooft");
    assert_eq!(hooft["phone"], "+31 20 555 0100");
    assert_eq!(hooft["notes"], "@sales please call");
    assert_eq!(hooft["stage"], "onboarding");
    let handle = cli.person("f.db", "@handle");
    assert_eq!(handle["notes"], "'t is just a note");
}

#[test]
fn our_csv_from_another_database_does_not_update_unrelated_customers() {
    let cli = Cli::new();
    cli.ok(
        "x.db",
        &[
            "customer",
            "add",
            "Zed Unrelated",
            "--email",
            "zed@example.net",
        ],
    );
    cli.ok("x.db", &["customer", "add", "Yara Other"]);
    let before = cli.customers("x.db");
    let summary = cli.import("x.db", "formula.csv", &[]);
    assert_eq!(counts(&summary), [4, 0, 0, 0], "{summary}");
    for old in &before {
        let now = cli.person("x.db", old["name"].as_str().unwrap());
        for field in ["email", "phone", "segment", "stage", "tags", "notes"] {
            assert_eq!(now[field], old[field], "{} {field}", old["name"]);
        }
    }
    cli.named("x.db", "Example Holdings", "organization");
}

// ----------------------------------------------------------------- broken files

#[test]
fn malformed_files_import_nothing_and_name_the_file_and_line() {
    let cases: &[(&str, &str)] = &[
        ("cut-off.vcf", "line 7"),
        ("nested-begin.vcf", "line 1"),
        ("broken-quoting.csv", "line 3"),
        ("record-3-bad.csv", "line 4"),
        // Not text at all: the position is a byte offset.
        ("binary.vcf", "byte 0"),
    ];
    let cli = Cli::new();
    cli.ok("m.db", &["init"]);
    for (name, place) in cases {
        let (code, stderr) = cli.import_fails("m.db", name, &[]);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(name) && stderr.contains(place),
            "{name}: {stderr}"
        );
        assert!(cli.customers("m.db").is_empty(), "{name} wrote something");
    }
    let (_, stderr) = cli.import_fails("m.db", "nested-begin.vcf", &[]);
    assert!(stderr.contains("line 5"), "the second BEGIN: {stderr}");
    let (_, stderr) = cli.import_fails("m.db", "record-3-bad.csv", &[]);
    assert!(stderr.contains("31/31/2026"), "{stderr}");
    // Read as Windows-1252 the PNG is text, but not a card.
    let (code, stderr) = cli.import_fails("m.db", "binary.vcf", &["--encoding", "windows-1252"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("binary.vcf") && stderr.contains("line 1"),
        "{stderr}"
    );
    assert!(cli.customers("m.db").is_empty());
}

#[test]
fn an_unclosed_quote_in_the_last_column_is_an_error() {
    let cli = Cli::new();
    let (code, stderr) = cli.import_fails("q.db", "unclosed-quote-in-notes.csv", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("unclosed-quote-in-notes.csv") && stderr.contains("line 3"),
        "{stderr}"
    );
    assert!(cli.customers("q.db").is_empty());
}

#[test]
fn skip_invalid_imports_the_other_records_and_names_the_line() {
    let cli = Cli::new();
    let out = cli.run_on(
        "s.db",
        &[
            "--json",
            "import",
            fixture("record-3-bad.csv").to_str().unwrap(),
            "--skip-invalid",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 4") && stderr.contains("renewal_on"),
        "{stderr}"
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts(&summary), [3, 0, 0, 1]);
    assert_eq!(
        names(&cli, "s.db"),
        [
            "Hannah Becker (\"person\")",
            "Ivan Petrov (\"person\")",
            "Karim Benali (\"person\")",
        ]
    );
    assert_eq!(
        cli.person("s.db", "Ivan Petrov")["renewal_on"],
        "2027-04-15"
    );
}

#[test]
fn empty_files_have_no_contacts() {
    let cli = Cli::new();
    for name in ["empty.vcf", "no-records.csv"] {
        let (code, stderr) = cli.import_fails("n.db", name, &[]);
        assert_eq!(code, Some(1), "{name}");
        assert!(
            stderr.contains("no contacts found in") && stderr.contains(name),
            "{name}: {stderr}"
        );
    }
    assert!(cli.customers("n.db").is_empty());
}

// ------------------------------------------------------------- again and back

/// Every good fixture: created once, and importing it again creates and
/// changes nothing. (None: the count is left open.)
#[test]
fn importing_each_good_fixture_again_creates_nothing() {
    let cases: &[(&str, &[&str], Option<u64>)] = &[
        ("android-2.1.vcf", &[], Some(3)),
        ("iphone-3.0.vcf", &[], Some(4)),
        ("google-3.0.vcf", &[], Some(3)),
        ("outlook-2.1.vcf", &[], Some(3)),
        ("thunderbird-4.0.vcf", &[], Some(3)),
        ("evolution-3.0.vcf", &[], Some(3)),
        ("khard", &[], Some(3)),
        ("with-bom.vcf", &[], Some(1)),
        ("tel-uri-4.0.vcf", &[], Some(2)),
        ("fallback-names.vcf", &["--skip-invalid"], None),
        ("google-current.csv", &[], Some(4)),
        ("google-older.csv", &[], Some(3)),
        ("outlook.csv", &[], Some(5)),
        (
            "outlook-windows-1252.csv",
            &["--encoding", "windows-1252"],
            Some(4),
        ),
        ("formula.csv", &[], Some(4)),
    ];
    let cli = Cli::new();
    for (i, (name, args, created)) in cases.iter().enumerate() {
        let db = format!("twice-{i}.db");
        let first = cli.import(&db, name, args);
        if let Some(created) = created {
            assert_eq!(first["created"], *created, "{name}: {first}");
        }
        assert!(first["created"].as_u64().unwrap() > 0, "{name}: {first}");
        let count = cli.customers(&db).len();
        let second = cli.import(&db, name, args);
        assert_eq!(
            (second["created"].as_u64(), second["updated"].as_u64()),
            (Some(0), Some(0)),
            "{name}: {second}"
        );
        assert_eq!(cli.customers(&db).len(), count, "{name}");
    }
}

#[test]
fn dry_run_of_a_real_writer_file_leaves_the_database_bytes_alone() {
    let cli = Cli::new();
    cli.ok("d.db", &["init"]);
    cli.ok("d.db", &["check"]);
    let before = std::fs::read(cli.path("d.db")).unwrap();
    let summary = cli.import("d.db", "android-2.1.vcf", &["--dry-run"]);
    assert_eq!(counts(&summary), [3, 0, 0, 0]);
    assert_eq!(std::fs::read(cli.path("d.db")).unwrap(), before);
}

/// iPhone file in, vCard out, into a fresh database, vCard out again: the
/// same records and the same cards (but for UID and REV).
#[test]
fn vcard_round_trip_from_an_iphone_export() {
    let cli = Cli::new();
    cli.import("a.db", "iphone-3.0.vcf", &[]);
    let first = cli.path("first.vcf");
    cli.export_to("a.db", "vcard", &first);
    let summary = cli.json("b.db", &["import", first.to_str().unwrap()]);
    assert_eq!(counts(&summary), [4, 0, 0, 0]);
    let second = cli.path("second.vcf");
    cli.export_to("b.db", "vcard", &second);
    let cards = |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap();
        let mut lines: Vec<String> = text
            .replace("\r\n ", "")
            .lines()
            .filter(|l| !l.starts_with("UID:") && !l.starts_with("REV:"))
            .map(str::to_string)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(cards(&first), cards(&second));
    let records = |db: &str| {
        let mut list: Vec<String> = cli
            .customers(db)
            .into_iter()
            .map(|mut c| {
                let c = c.as_object_mut().unwrap();
                for volatile in ["id", "organization_id", "created_at", "updated_at"] {
                    c.remove(volatile);
                }
                serde_json::to_string(c).unwrap()
            })
            .collect();
        list.sort();
        list
    };
    let (a, b) = (records("a.db"), records("b.db"));
    assert_eq!(a, b);
    assert!(
        a.iter()
            .any(|c| c.contains("Key Accounts") && c.contains("Astrid")),
        "{a:?}"
    );
    // The export goes back into the database it came from as nothing new.
    let same = cli.json("a.db", &["import", first.to_str().unwrap()]);
    assert_eq!(same["created"], 0, "{same}");
}

/// A broken file in an address-book folder is named with its own line;
/// `--skip-invalid` imports the other cards, the rest of that file included.
#[test]
fn a_broken_card_in_a_folder_names_its_file() {
    let cli = Cli::new();
    let book = cli.path("book");
    std::fs::create_dir(&book).unwrap();
    for (file, text) in [
        (
            "a.vcf",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n",
        ),
        (
            "b.vcf",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Broken\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bea\r\nEND:VCARD\r\n",
        ),
        (
            "c.vcf",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cy\r\nEND:VCARD\r\n",
        ),
    ] {
        std::fs::write(book.join(file), text).unwrap();
    }
    let out = cli.run_on("f.db", &["import", book.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}/b.vcf, line 1: a card begins and does not end",
            book.display()
        )),
        "{stderr}"
    );
    assert!(cli.customers("f.db").is_empty());
    let summary = cli.json(
        "f.db",
        &["import", book.to_str().unwrap(), "--skip-invalid"],
    );
    assert_eq!(counts(&summary), [3, 0, 0, 1], "{summary}");
}
