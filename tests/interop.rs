//! Export, import (our JSON), completions and the man page, through the
//! built binary.

use std::path::Path;

use serde_json::Value;

mod common;
use common::Cli;

fn seeded() -> Cli {
    let cli = Cli::new();
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "Acme Corp",
            "--organization",
            "--value",
            "1200.50 EUR",
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
            "--org",
            "1",
            "--email",
            "jane@acme.example",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "customer",
            "add",
            "=HYPERLINK(\"x\")",
            "--phone",
            "+1 555 0100",
        ],
    );
    cli.ok("a.db", &["customer", "add", "Gone Away"]);
    cli.ok("a.db", &["customer", "delete", "4"]);
    cli.ok(
        "a.db",
        &["ticket", "add", "2", "SSO broken", "--priority", "high"],
    );
    cli.ok(
        "a.db",
        &["log", "2", "Replied", "--kind", "email", "--ticket", "1"],
    );
    cli.ok(
        "a.db",
        &[
            "followup",
            "add",
            "1",
            "--kind",
            "renewal",
            "--due",
            "2026-12-01",
            "--every",
            "1m",
        ],
    );
    cli
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn json_round_trip_keeps_records_and_links() {
    let cli = seeded();
    let out = cli.path("all.json");
    cli.ok("a.db", &["export", "--out", out.to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&bytes(&out)).unwrap();
    assert_eq!(doc["format"], "tuicrm");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["customers"].as_array().unwrap().len(), 4);
    // The trashed customer is in the export, marked.
    assert!(doc["customers"][3]["deleted_at"].is_string());

    let summary = cli.json("b.db", &["import", out.to_str().unwrap()]);
    assert_eq!(summary["created"], 4);
    assert_eq!(summary["skipped"], 0);
    assert_eq!(summary["added"]["tickets"], 1);
    assert_eq!(summary["added"]["interactions"], 1);
    // The trashed customer comes back in the trash.
    let gone = cli.json("b.db", &["customer", "show", "4"]);
    assert_eq!(gone["name"], "Gone Away");
    assert!(gone["deleted_at"].is_string(), "{gone}");
    let jane = cli.json("b.db", &["customer", "show", "2"]);
    assert_eq!(jane["name"], "Jane Doe");
    assert_eq!(jane["organization"], "Acme Corp");
    assert_eq!(jane["tickets"][0]["subject"], "SSO broken");
    assert!(jane["tickets"][0]["first_response_at"].is_string());
    assert_eq!(
        jane["interactions"][0]["ticket_id"],
        jane["tickets"][0]["id"]
    );
    let acme = cli.json("b.db", &["customer", "show", "1"]);
    assert_eq!(acme["contract_value"], 120050);
    assert_eq!(acme["currency"], "EUR");
    assert_eq!(acme["tags"][0], "vip");
    assert_eq!(acme["followups"][0]["recurrence"], "1m");
    // Exporting the import gives the same customers, trash included.
    let again = cli.path("again.json");
    cli.ok("b.db", &["export", "--out", again.to_str().unwrap()]);
    let doc2: Value = serde_json::from_slice(&bytes(&again)).unwrap();
    let names = |d: &Value| {
        d["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].to_string(),
                    c["organization"].to_string(),
                    c["email"].to_string(),
                    c["deleted_at"].is_null(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&doc), names(&doc2));
}

#[test]
fn csv_export_neutralises_formulas_and_leaves_the_trash_out() {
    let cli = seeded();
    let out = cli.path("people.csv");
    cli.ok(
        "a.db",
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    let text = String::from_utf8(bytes(&out)).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "uid,kind,name,organization,email,phone,title,segment,tags,stage,owner,renewal_on,contract_value,notes"
    );
    assert!(text.contains("tuicrm-1,organization,Acme Corp"), "{text}");
    assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    assert!(text.contains(",'+1 555 0100,"), "{text}");
    assert!(text.contains("1200.50 EUR"), "{text}");
    assert!(!text.contains("Gone Away"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(cli.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn dry_run_and_bad_files_leave_the_database_as_it_was() {
    let cli = seeded();
    let out = cli.path("all.json");
    cli.ok("a.db", &["export", "--out", out.to_str().unwrap()]);
    cli.ok("b.db", &["init"]);
    cli.ok("b.db", &["check"]);
    let before = bytes(&cli.path("b.db"));
    let summary = cli.json("b.db", &["import", out.to_str().unwrap(), "--dry-run"]);
    assert_eq!(summary["created"], 4);
    assert_eq!(bytes(&cli.path("b.db")), before, "--dry-run wrote nothing");

    let broken = cli.path("broken.json");
    let mut text = String::from_utf8(bytes(&out)).unwrap();
    text.truncate(text.len() / 2);
    std::fs::write(&broken, text).unwrap();
    let failed = cli.run_on("b.db", &["import", broken.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("line"),
        "{stderr}"
    );
    assert_eq!(
        cli.json("b.db", &["customer", "list"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // An unknown format is a usage error.
    let vcf = cli.path("contacts.vcf");
    std::fs::write(&vcf, "BEGIN:VCARD\nVERSION:3.0\nFN:Jane\nEND:VCARD\n").unwrap();
    let unknown = cli.run_on(
        "b.db",
        &["import", vcf.to_str().unwrap(), "--format", "xml"],
    );
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn completions_and_man_page_need_no_database() {
    let cli = Cli::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = cli.ok("none.db", &["completions", shell]);
        assert!(script.contains("tuicrm"), "{shell}");
    }
    let man = cli.ok("none.db", &["man"]);
    assert!(man.contains(".TH tuicrm"), "{man}");
    assert!(!cli.path("none.db").exists(), "no database was created");
    assert_eq!(
        cli.run_on("none.db", &["completions", "tcsh"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn vcard_export_is_vcard_4_with_stable_uids() {
    let cli = seeded();
    cli.ok(
        "a.db",
        &[
            "customer",
            "edit",
            "2",
            "--notes",
            &"Long note, with; specials. ".repeat(5),
        ],
    );
    let out = cli.path("all.vcf");
    cli.export_to("a.db", "vcard", &out);
    let text = String::from_utf8(bytes(&out)).unwrap();
    assert_eq!(
        text.matches("BEGIN:VCARD\r\n").count(),
        3,
        "trashed customers are left out"
    );
    assert!(text.contains("VERSION:4.0\r\n"));
    assert!(text.contains("KIND:org\r\nFN:Acme Corp\r\n"), "{text}");
    assert!(
        text.contains("N:Doe;Jane;;;\r\nORG:Acme Corp\r\nEMAIL:jane@acme.example\r\n"),
        "{text}"
    );
    assert!(text.contains("CATEGORIES:vip\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    let unfolded = text.replace("\r\n ", "");
    assert!(
        unfolded.contains("NOTE:Long note\\, with\\; specials."),
        "{unfolded}"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    // The same customer keeps its UID across an edit and a new export.
    let uid = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("UID:") && l.ends_with("02"))
            .map(str::to_string)
    };
    cli.ok("a.db", &["customer", "edit", "2", "--title", "CTO"]);
    let second = cli.ok("a.db", &["export", "--format", "vcard"]);
    assert_eq!(uid(&text), uid(&second));
    assert!(uid(&text).is_some());
}

#[test]
fn csv_round_trip_and_contacts_from_google_and_outlook() {
    let cli = seeded();
    let out = cli.path("people.csv");
    cli.ok(
        "a.db",
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    let summary = cli.json("c.db", &["import", out.to_str().unwrap()]);
    assert_eq!(summary["created"], 3);
    let again = cli.path("again.csv");
    cli.export_to("c.db", "csv", &again);
    // Same rows (the uid column carries the new ids, so it is left out).
    let rows = |p: &Path| {
        let text = String::from_utf8(bytes(p)).unwrap();
        let mut rows: Vec<String> = text
            .lines()
            .map(|l| l.split_once(',').unwrap().1.to_string())
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(rows(&out), rows(&again));
    let formula = cli.json("c.db", &["customer", "list", "--search", "hyperlink"]);
    assert_eq!(formula[0]["name"], "=HYPERLINK(\"x\")");
    assert_eq!(formula[0]["phone"], "+1 555 0100");

    let google = cli.path("google.csv");
    std::fs::write(
        &google,
        "\u{feff}First Name,Middle Name,Last Name,Organization Name,Organization Title,Labels,E-mail 1 - Value,Phone 1 - Value,Birthday\n\
         Jane,,Roe,Umbrella,CFO,* myContacts ::: Board,jane@umbrella.example ::: jane@home.example,+44 20 7946 0000,1980-01-01\n\
         Ken,,Ito,Umbrella,,,ken@umbrella.example,,\n",
    )
    .unwrap();
    let summary = cli.json("g.db", &["import", google.to_str().unwrap()]);
    assert_eq!(
        summary["created"], 3,
        "two people and their organization, created once"
    );
    let jane = cli.json("g.db", &["customer", "list", "--search", "roe"]);
    assert_eq!(jane[0]["organization"], "Umbrella");
    assert_eq!(jane[0]["email"], "jane@umbrella.example");
    assert_eq!(jane[0]["tags"][0], "Board");

    let outlook = cli.path("outlook.csv");
    std::fs::write(&outlook, b"First Name,Last Name,Title,E-mail Address,Company,Job Title\r\nJos\xe9,M\xfcller,Dr.,jose@x.example,Initech,Engineer\r\n").unwrap();
    let refused = cli.run_on("o.db", &["import", outlook.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--encoding windows-1252"));
    cli.ok(
        "o.db",
        &[
            "import",
            outlook.to_str().unwrap(),
            "--encoding",
            "windows-1252",
        ],
    );
    let jose = cli.json("o.db", &["customer", "list", "--search", "jose"]);
    assert_eq!(jose[0]["name"], "José Müller");
    assert_eq!(
        jose[0]["title"], "Engineer",
        "Outlook's Title is the honorific, not the job"
    );
}

#[test]
fn a_bad_csv_record_imports_nothing_unless_told_to_skip_it() {
    let cli = Cli::new();
    let file = cli.path("contacts.csv");
    std::fs::write(&file, "name,email,stage\nGood One,good@x.example,active\nBad One,bad@x.example,sleeping\nAlso Good,,\n").unwrap();
    let failed = cli.run_on("d.db", &["import", file.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("line 3") && stderr.contains("stage must be one of"),
        "{stderr}"
    );
    assert_eq!(
        cli.json("d.db", &["customer", "list"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let summary = cli.json(
        "d.db",
        &["import", file.to_str().unwrap(), "--skip-invalid"],
    );
    assert_eq!(summary["created"], 2);
    assert_eq!(summary["skipped"], 1);
    let empty = cli.path("empty.csv");
    std::fs::write(&empty, "name,email\n").unwrap();
    let none = cli.run_on("d.db", &["import", empty.to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no contacts found"));
}

#[test]
fn importing_the_same_file_again_creates_nothing_new() {
    let cli = seeded();
    let out = cli.path("people.csv");
    cli.ok(
        "a.db",
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    // Into the database it came from: every row is a customer already.
    let same = cli.json("a.db", &["import", out.to_str().unwrap()]);
    assert_eq!(
        (same["created"].as_u64(), same["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{same}"
    );
    // Into a new one: created once, then unchanged.
    assert_eq!(
        cli.json("n.db", &["import", out.to_str().unwrap()])["created"],
        3
    );
    let again = cli.json("n.db", &["import", out.to_str().unwrap()]);
    assert_eq!(
        (again["created"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{again}"
    );
    // A row matching by email (any case) updates that customer; tags add up.
    let update = cli.path("update.csv");
    std::fs::write(&update, "name,email,phone,tags\nJane Doe,JANE@ACME.EXAMPLE,+1 555 0199,board\nNew Person,new@x.example,,\n")
        .unwrap();
    let summary = cli.json("n.db", &["import", update.to_str().unwrap()]);
    assert_eq!(
        (summary["created"].as_u64(), summary["updated"].as_u64()),
        (Some(1), Some(1)),
        "{summary}"
    );
    let jane = cli.json("n.db", &["customer", "list", "--search", "jane"]);
    assert_eq!(jane[0]["phone"], "+1 555 0199");
    assert_eq!(jane[0]["tags"][0], "board");
    assert_eq!(jane[0]["email"], "JANE@ACME.EXAMPLE");
}

#[test]
fn vcard_round_trip_and_a_folder_of_cards() {
    let cli = seeded();
    let out = cli.path("all.vcf");
    cli.export_to("a.db", "vcard", &out);
    let summary = cli.json("v.db", &["import", out.to_str().unwrap()]);
    assert_eq!(summary["created"], 3, "{summary}");
    let again = cli.path("again.vcf");
    cli.export_to("v.db", "vcard", &again);
    // Same cards, but for the UID and REV lines.
    let cards = |p: &Path| {
        let text = String::from_utf8(bytes(p)).unwrap();
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("UID:") && !l.starts_with("REV:"))
            .map(str::to_string)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(cards(&out), cards(&again));
    // Importing the export into the database it came from changes nothing.
    let same = cli.json("a.db", &["import", out.to_str().unwrap()]);
    assert_eq!(same["created"], 0, "{same}");

    // A khard / vdirsyncer folder: one card per file.
    let folder = cli.path("contacts");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.vcf"), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL;TYPE=INTERNET:ada@example.org\r\nEND:VCARD\r\n").unwrap();
    std::fs::write(
        folder.join("b.vcf"),
        "BEGIN:VCARD\nVERSION:4.0\nFN:Alan Turing\nORG:Bletchley;Hut 8\nEND:VCARD\n",
    )
    .unwrap();
    std::fs::write(folder.join("notes.txt"), "not a card").unwrap();
    let summary = cli.json(
        "k.db",
        &["import", folder.to_str().unwrap(), "--format", "vcard"],
    );
    assert_eq!(summary["created"], 3, "two people and Bletchley: {summary}");
    let alan = cli.json("k.db", &["customer", "list", "--search", "turing"]);
    assert_eq!(alan[0]["organization"], "Bletchley");
    assert_eq!(alan[0]["notes"], "Department: Hut 8");

    // A card cut off in the middle: nothing is written, the line is named.
    let cut = cli.path("cut.vcf");
    std::fs::write(
        &cut,
        "BEGIN:VCARD\nFN:One\nEND:VCARD\nBEGIN:VCARD\nFN:Two\n",
    )
    .unwrap();
    let failed = cli.run_on("k.db", &["import", cut.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("line 4"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert!(
        cli.json("k.db", &["customer", "list", "--search", "one"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn details_without_a_field_are_kept_and_written_back() {
    let cli = Cli::new();
    let card = cli.path("grace.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL;TYPE=INTERNET;TYPE=PREF:grace@navy.example\r\n\
         EMAIL;TYPE=HOME:grace@home.example\r\nTEL:+1 555 0100\r\nADR;TYPE=WORK:;;1 Main St;Arlington;VA;22201;USA\r\n\
         URL:https://navy.example\r\nBDAY:1906-12-09\r\nX-CUSTOM:ignored\r\nEND:VCARD\r\n",
    )
    .unwrap();
    cli.ok("x.db", &["import", card.to_str().unwrap()]);
    let grace = cli.json("x.db", &["customer", "show", "1"]);
    assert_eq!(
        grace["email"], "grace@navy.example",
        "the preferred email is the main one"
    );
    assert_eq!(
        grace["extra"]["EMAIL"][0], "grace@home.example",
        "the other is kept"
    );
    assert_eq!(
        grace["extra"]["ADR"][0],
        ";;1 Main St;Arlington;VA;22201;USA"
    );
    assert!(grace["extra"].get("X-CUSTOM").is_none());
    let vcf = cli.ok("x.db", &["export", "--format", "vcard"]);
    assert!(
        vcf.contains("ADR:;;1 Main St;Arlington;VA;22201;USA\r\n"),
        "{vcf}"
    );
    assert!(vcf.contains("EMAIL:grace@home.example\r\n"), "{vcf}");
    assert!(vcf.contains("BDAY:1906-12-09\r\n"), "{vcf}");
    // JSON carries them too.
    let json = cli.ok("x.db", &["export"]);
    assert!(
        json.contains("\"URL\":[\"https://navy.example\"]"),
        "{json}"
    );
}

#[test]
fn an_error_in_record_500_of_1000_leaves_the_database_as_it_was() {
    let cli = Cli::new();
    cli.ok("big.db", &["customer", "add", "Already Here"]);
    let mut csv = String::from("name,email,stage\n");
    for i in 1..=1000 {
        let stage = if i == 500 { "asleep" } else { "active" };
        csv.push_str(&format!("Person {i},p{i}@example.com,{stage}\n"));
    }
    let file = cli.path("thousand.csv");
    std::fs::write(&file, csv).unwrap();
    cli.ok("big.db", &["check"]);
    let before = bytes(&cli.path("big.db"));
    let failed = cli.run_on("big.db", &["import", file.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("line 501") && stderr.contains("stage"),
        "{stderr}"
    );
    assert_eq!(bytes(&cli.path("big.db")), before);
    assert_eq!(
        cli.json("big.db", &["customer", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same file with --skip-invalid brings the other 999.
    let summary = cli.json(
        "big.db",
        &["import", file.to_str().unwrap(), "--skip-invalid"],
    );
    assert_eq!(
        (summary["created"].as_u64(), summary["skipped"].as_u64()),
        (Some(999), Some(1))
    );
}

#[test]
fn the_format_comes_from_the_content_when_the_name_does_not_say() {
    let cli = Cli::new();
    let card = cli.path("contacts.txt");
    std::fs::write(
        &card,
        "\u{feff}BEGIN:VCARD\nVERSION:3.0\nFN:Sniffed Card\nEND:VCARD\n",
    )
    .unwrap();
    let table = cli.path("contacts.data");
    std::fs::write(&table, "name,email\nSniffed Row,row@example.com\n").unwrap();
    cli.ok("s.db", &["import", card.to_str().unwrap()]);
    cli.ok("s.db", &["import", table.to_str().unwrap()]);
    let names: Vec<String> = cli
        .json("s.db", &["customer", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Sniffed Card", "Sniffed Row"]);
}

#[test]
fn importing_the_same_json_export_again_creates_nothing_new() {
    let cli = seeded();
    let out = cli.path("all.json");
    cli.ok("a.db", &["export", "--out", out.to_str().unwrap()]);
    assert_eq!(
        cli.json("j.db", &["import", out.to_str().unwrap()])["created"],
        4
    );
    let again = cli.json("j.db", &["import", out.to_str().unwrap()]);
    assert_eq!(
        (again["created"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(4)),
        "{again}"
    );
    assert_eq!(
        again["added"],
        serde_json::json!({"tickets": 0, "followups": 0, "interactions": 0})
    );
    let count = |what: &str| cli.json("j.db", &[what, "list"]).as_array().unwrap().len();
    assert_eq!((count("customer"), count("ticket")), (3, 1));

    // A later export of the first database: only what is new comes in,
    // also for customers this database has already.
    cli.ok("a.db", &["ticket", "add", "2", "Invoice question"]);
    cli.ok("a.db", &["log", "1", "Renewal call", "--kind", "call"]);
    let later = cli.path("later.json");
    cli.ok("a.db", &["export", "--out", later.to_str().unwrap()]);
    let newer = cli.json("j.db", &["import", later.to_str().unwrap()]);
    assert_eq!(newer["created"], 0, "{newer}");
    assert_eq!(
        newer["added"],
        serde_json::json!({"tickets": 1, "followups": 0, "interactions": 1})
    );
    assert_eq!(count("ticket"), 2);
    let jane = cli.json("j.db", &["customer", "show", "2"]);
    assert_eq!(jane["tickets"].as_array().unwrap().len(), 2, "{jane}");
}

#[test]
fn csv_carries_extra_details_both_ways() {
    let cli = Cli::new();
    let card = cli.path("grace.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL;TYPE=PREF:grace@navy.example\r\nEMAIL:grace@home.example\r\n\
         URL:https://navy.example\r\nEND:VCARD\r\n",
    )
    .unwrap();
    cli.ok("x.db", &["import", card.to_str().unwrap()]);
    let out = cli.path("x.csv");
    cli.ok(
        "x.db",
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    let text = String::from_utf8(bytes(&out)).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",notes,extra email,extra url"),
        "{text}"
    );
    assert!(
        text.contains("grace@home.example,https://navy.example"),
        "{text}"
    );
    cli.ok("y.db", &["import", out.to_str().unwrap()]);
    let grace = cli.json("y.db", &["customer", "show", "1"]);
    assert_eq!(grace["extra"]["EMAIL"][0], "grace@home.example");
    assert_eq!(grace["extra"]["URL"][0], "https://navy.example");
}

#[test]
fn a_contact_matches_on_any_of_its_emails() {
    let cli = Cli::new();
    cli.ok(
        "m.db",
        &["customer", "add", "Jane Doe", "--email", "jane@old.example"],
    );
    let card = cli.path("jane.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nEMAIL;TYPE=pref:jane@new.example\r\nEMAIL:JANE@old.example\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let summary = cli.json("m.db", &["import", card.to_str().unwrap()]);
    assert_eq!(
        (summary["created"].as_u64(), summary["updated"].as_u64()),
        (Some(0), Some(1)),
        "{summary}"
    );
    let jane = cli.json("m.db", &["customer", "show", "1"]);
    assert_eq!(jane["email"], "jane@new.example");
    assert_eq!(jane["extra"]["EMAIL"][0], "JANE@old.example");
    // And on any of the customer's: the old address is one of Jane's now.
    let old = cli.path("old.vcf");
    std::fs::write(
        &old,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nEMAIL:jane@old.example\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let again = cli.json("m.db", &["import", old.to_str().unwrap()]);
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(
        cli.json("m.db", &["customer", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_16_mb_field_is_refused_with_a_reason_not_a_panic() {
    let cli = Cli::new();
    let card = cli.path("big.vcf");
    let note = "x".repeat(16 * 1024 * 1024);
    std::fs::write(
        &card,
        format!("BEGIN:VCARD\nVERSION:3.0\nFN:Big Note\nNOTE:{note}\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Small\nEND:VCARD\n"),
    )
    .unwrap();
    let out = cli.run_on("b.db", &["import", card.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 1") && stderr.contains("notes must be at most"),
        "{stderr}"
    );
    let skipped = cli.json(
        "b.db",
        &["import", card.to_str().unwrap(), "--skip-invalid"],
    );
    assert_eq!(
        (skipped["created"].as_u64(), skipped["skipped"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn namesakes_stay_two_customers() {
    let cli = Cli::new();
    cli.ok("a.db", &["customer", "add", "Acme", "--organization"]);
    cli.ok("a.db", &["customer", "add", "Globex", "--organization"]);
    cli.ok(
        "a.db",
        &[
            "customer", "add", "Alex Kim", "--org", "1", "--title", "CTO",
        ],
    );
    cli.ok(
        "a.db",
        &[
            "customer", "add", "Alex Kim", "--org", "2", "--title", "Intern",
        ],
    );
    cli.ok("a.db", &["ticket", "add", "4", "Intern laptop"]);
    cli.ok("a.db", &["ticket", "add", "3", "CTO contract"]);
    let out = cli.path("all.json");
    cli.ok("a.db", &["export", "--out", out.to_str().unwrap()]);
    // A whole-database export: each of its customers is somebody.
    let summary = cli.json("b.db", &["import", out.to_str().unwrap()]);
    assert_eq!(summary["created"], 4, "{summary}");
    for (id, title, ticket) in [(3, "CTO", "CTO contract"), (4, "Intern", "Intern laptop")] {
        let alex = cli.json("b.db", &["customer", "show", &id.to_string()]);
        assert_eq!(alex["title"], title);
        assert_eq!(alex["tickets"][0]["subject"], ticket, "{alex}");
    }
    // Contacts of one file: the same name in two organizations is two people.
    let csv = cli.path("people.csv");
    std::fs::write(
        &csv,
        "name,organization,title\nSam Lee,Acme,CTO\nSam Lee,Globex,Intern\nSam Lee,Acme,CTO\n",
    )
    .unwrap();
    let summary = cli.json("c.db", &["import", csv.to_str().unwrap()]);
    assert_eq!(
        (summary["created"].as_u64(), summary["unchanged"].as_u64()),
        (Some(4), Some(1)),
        "two organizations, two Sam Lees, the third row is the first: {summary}"
    );
}

#[test]
fn a_customer_restored_since_the_last_import_is_not_doubled() {
    let cli = Cli::new();
    cli.ok(
        "a.db",
        &["customer", "add", "Trashy", "--phone", "+1 555 0100"],
    );
    cli.ok("a.db", &["ticket", "add", "1", "Old issue"]);
    cli.ok("a.db", &["customer", "delete", "1"]);
    let first = cli.path("first.json");
    cli.ok("a.db", &["export", "--out", first.to_str().unwrap()]);
    cli.ok("b.db", &["import", first.to_str().unwrap()]);
    cli.ok("a.db", &["customer", "restore", "1"]);
    let second = cli.path("second.json");
    cli.ok("a.db", &["export", "--out", second.to_str().unwrap()]);
    let again = cli.json("b.db", &["import", second.to_str().unwrap()]);
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["added"]["tickets"], 0, "{again}");
}

#[test]
fn a_bad_record_in_our_json_is_named_and_can_be_skipped() {
    let cli = seeded();
    let out = cli.path("all.json");
    cli.ok("a.db", &["export", "--out", out.to_str().unwrap()]);
    let text = String::from_utf8(bytes(&out)).unwrap();
    let bad = text.replacen("\"stage\":\"prospect\"", "\"stage\":\"bogus\"", 1);
    assert_ne!(bad, text);
    std::fs::write(&out, bad).unwrap();
    let failed = cli.run_on("b.db", &["import", out.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains(": customer 1: stage must be one of") && !stderr.contains("not a tuicrm"),
        "{stderr}"
    );
    let skipped = cli.json("b.db", &["import", out.to_str().unwrap(), "--skip-invalid"]);
    // The bad customer, and its follow-up with it.
    assert_eq!(skipped["skipped"], 2, "{skipped}");
    assert_eq!(skipped["created"], 3, "{skipped}");

    let empty = cli.path("empty.json");
    std::fs::write(&empty, "").unwrap();
    let out = cli.run_on("c.db", &["import", empty.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no contacts found"));
    let cut = cli.path("cut.json");
    std::fs::write(&cut, "{\"format\":\"tuicrm\",\"version\":1,\"customers\":[").unwrap();
    let out = cli.run_on("c.db", &["import", cut.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cut off"),
        "{out:?}"
    );
}

#[test]
fn a_dry_run_creates_no_database() {
    let cli = Cli::new();
    let csv = cli.path("people.csv");
    std::fs::write(&csv, "name,email\nAda,ada@x.example\n").unwrap();
    let summary = cli.json("new.db", &["import", csv.to_str().unwrap(), "--dry-run"]);
    assert_eq!(summary["created"], 1);
    assert!(
        !cli.path("new.db").exists(),
        "nothing written, not even the file"
    );
    assert!(!cli.path("new.db-wal").exists());
}

#[test]
fn an_organizations_own_row_spells_its_name() {
    let cli = Cli::new();
    let csv = cli.path("people.csv");
    std::fs::write(
        &csv,
        "name,kind,organization,email\nAda Lovelace,person,acme corp,ada@x.example\nACME Corp,organization,,office@acme.example\n",
    )
    .unwrap();
    let summary = cli.json("o.db", &["import", csv.to_str().unwrap()]);
    assert_eq!(summary["created"], 2, "{summary}");
    let acme = cli.json("o.db", &["customer", "show", "1"]);
    assert_eq!(acme["name"], "ACME Corp");
    assert_eq!(acme["email"], "office@acme.example");
}
