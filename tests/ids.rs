//! Ids and vCard UIDs are never given out twice (migration 10): undoing an
//! add and adding again gives a new id, and a database of any older version
//! is rebuilt with every row, index, link and search entry it had.

mod common;

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;
use serde_json::Value as Json;
use tuicrm::store::migrations::{latest_version, migrate_to};

use common::Cli;

/// The tables whose ids are shown (to scripts, in vCard UIDs, in undo).
const NEVER_REUSED: &[&str] = &[
    "customers",
    "tickets",
    "followups",
    "interactions",
    "changes",
];

fn id(value: &Json) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value:#}"))
}

/// `args` with `--json` on db.db; returns the id of the record printed.
fn add(cli: &Cli, args: &[&str]) -> i64 {
    id(&cli.json("db.db", args))
}

fn undo(cli: &Cli) {
    assert_ne!(
        cli.json("db.db", &["undo"]),
        Json::Null,
        "something to undo"
    );
}

#[test]
fn an_undone_customer_id_is_not_given_out_again() {
    let cli = Cli::new();
    let first = add(&cli, &["customer", "add", "Ada Lovelace"]);
    undo(&cli);
    let second = add(&cli, &["customer", "add", "Ada Lovelace"]);
    assert_eq!(second, first + 1);
    // Undoing the newest of several adds, too.
    undo(&cli);
    let third = add(&cli, &["customer", "add", "Grace Hopper"]);
    assert_eq!(third, second + 1);
}

#[test]
fn undone_ticket_followup_and_interaction_ids_are_not_given_out_again() {
    let cli = Cli::new();
    let customer = add(&cli, &["customer", "add", "Ada Lovelace"]).to_string();
    let cases: [&[&str]; 3] = [
        &["ticket", "add", &customer, "Printer on fire"],
        &[
            "followup", "add", &customer, "--kind", "review", "--due", "+3d",
        ],
        &["log", &customer, "Called about the invoice"],
    ];
    for args in cases {
        let first = add(&cli, args);
        undo(&cli);
        let second = add(&cli, args);
        assert_eq!(second, first + 1, "{args:?}");
    }
}

fn card_uids(cli: &Cli) -> Vec<String> {
    cli.ok("db.db", &["export", "--format", "vcard"])
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_customer_added_again_after_an_undo_gets_another_card_uid() {
    let cli = Cli::new();
    add(&cli, &["customer", "add", "Ada Lovelace"]);
    let before = card_uids(&cli);
    assert_eq!(before.len(), 1);
    undo(&cli);
    add(&cli, &["customer", "add", "Ada Lovelace"]);
    let after = card_uids(&cli);
    assert_eq!(after.len(), 1);
    assert_ne!(
        before, after,
        "an address book that kept the first card must not take the second for it"
    );
}

#[test]
fn undo_change_ids_keep_growing() {
    let cli = Cli::new();
    add(&cli, &["customer", "add", "Ada Lovelace"]);
    let first = cli.json("db.db", &["undo"])["change_id"].as_i64();
    add(&cli, &["customer", "add", "Ada Lovelace"]);
    let second = cli.json("db.db", &["undo"])["change_id"].as_i64();
    assert!(first.is_some() && second > first, "{first:?} {second:?}");
}

// ---- migrating older databases ---------------------------------------------

const T: &str = "'2026-01-01T00:00:00Z'";

/// What the app would have written at `version`: an organization and its
/// person (with tags, extra emails and a card UID once those exist), a
/// trashed customer, a ticket, a follow-up, linked interactions, and the
/// history of an add that was undone (customer 9, ticket 7), whose row is
/// gone but whose id was shown.
fn fill(conn: &Connection, version: i64) {
    let extra = if version >= 4 { "extra, " } else { "" };
    let extra_value = if version >= 4 {
        r#"'{"EMAIL":["ada@home.example","ada@work.example"],"UID":["urn:uuid:abc"]}', "#
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO customers (id, kind, name, created_at, updated_at)
             VALUES (1, 'organization', 'Analytical Engines', {T}, {T});
         INSERT INTO customers (id, kind, name, organization_id, email, phone, notes, {extra}created_at, updated_at)
             VALUES (2, 'person', 'Ada Lovelace', 1, 'ada@engines.example', '+44 20 7946 0000',
                     'Wrote the first program', {extra_value}{T}, {T});
         INSERT INTO customers (id, kind, name, created_at, updated_at, deleted_at)
             VALUES (3, 'person', 'Charles Babbage', {T}, {T}, {T});
         INSERT INTO tags (id, name, created_at, updated_at) VALUES (1, 'vip', {T}, {T});
         INSERT INTO customer_tags (customer_id, tag_id, created_at, updated_at) VALUES (2, 1, {T}, {T});
         INSERT INTO tickets (id, customer_id, subject, body, status, priority, channel, opened_at, due_at, created_at, updated_at)
             VALUES (4, 2, 'Difference engine jammed', 'Gears stuck', 'open', 'high', 'email', {T}, {T}, {T}, {T});
         INSERT INTO followups (id, customer_id, kind, due_on, status, created_at, updated_at)
             VALUES (5, 2, 'review', '2026-02-01', 'planned', {T}, {T});
         INSERT INTO interactions (id, customer_id, ticket_id, kind, direction, occurred_at, summary, body, created_at, updated_at)
             VALUES (6, 2, 4, 'email', 'inbound', {T}, 'Engine question', 'About Bernoulli numbers', {T}, {T});
         INSERT INTO interactions (id, customer_id, followup_id, kind, direction, occurred_at, summary, created_at, updated_at)
             VALUES (8, 2, 5, 'call', 'outbound', {T}, 'Review planned', {T}, {T});
         INSERT INTO changes (id, action, undone_at, created_at, updated_at)
             VALUES (1, 'customer.add', {T}, {T}, {T}), (2, 'ticket.add', {T}, {T}, {T}), (3, 'customer.edit', NULL, {T}, {T});
         INSERT INTO history (change_id, table_name, record_id, op, at, created_at, updated_at)
             VALUES (1, 'customers', 9, 'insert', {T}, {T}, {T}), (2, 'tickets', 7, 'insert', {T}, {T}, {T});
         INSERT INTO history (change_id, table_name, record_id, op, field, old, new, at, created_at, updated_at)
             VALUES (3, 'customers', 2, 'update', 'title', NULL, 'Countess', {T}, {T}, {T});"
    );
    conn.execute_batch(&sql).unwrap();
    if version >= 2 {
        // From version 2 on the app indexes what it writes (live rows only).
        conn.execute_batch(
            "INSERT INTO customers_fts (rowid, name, email, notes) VALUES
                 (1, 'Analytical Engines', '', ''),
                 (2, 'Ada Lovelace', 'ada@engines.example', 'Wrote the first program');
             INSERT INTO tickets_fts (rowid, subject, body) VALUES (4, 'Difference engine jammed', 'Gears stuck');
             INSERT INTO interactions_fts (rowid, summary, body) VALUES
                 (6, 'Engine question', 'About Bernoulli numbers'), (8, 'Review planned', '');",
        )
        .unwrap();
    }
    if version >= 9 {
        // Without its triggers (version 9) the app keeps customer_emails.
        conn.execute_batch(&format!(
            "INSERT INTO customer_emails (customer_id, email, created_at, updated_at) VALUES
                 (2, 'ada@home.example', {T}, {T}), (2, 'ada@work.example', {T}, {T});"
        ))
        .unwrap();
    }
}

fn database_at(version: i64) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate_to(&mut conn, version).unwrap();
    conn
}

/// Every schema object as (type, name, table, SQL), SQL with whitespace
/// and identifier quotes evened out and without AUTOINCREMENT when
/// `ignore_autoincrement`: how a table was rebuilt or renamed does not show.
fn schema(conn: &Connection, ignore_autoincrement: bool) -> Vec<(String, String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
              WHERE name != 'sqlite_sequence' ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(|row| {
            let (kind, name, table, sql): (String, String, String, String) = row.unwrap();
            (kind, name, table, normalise(&sql, ignore_autoincrement))
        })
        .collect()
}

fn normalise(sql: &str, ignore_autoincrement: bool) -> String {
    let sql = if ignore_autoincrement {
        sql.replace(" AUTOINCREMENT", "")
    } else {
        sql.to_string()
    };
    let words = sql
        .replace('"', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = words;
    for mark in ["(", ")", ","] {
        out = out
            .replace(&format!(" {mark}"), mark)
            .replace(&format!("{mark} "), mark);
    }
    out
}

/// Every row of every table, FTS shadow tables included, as text, sorted:
/// equal dumps mean equal data, ids and search index alike.
fn dump(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'
               AND name != 'sqlite_sequence' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let width = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..width)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap()
                .map(|r| format!("{:?}", r.unwrap()))
                .collect();
            rows.sort();
            (table, rows)
        })
        .collect()
}

fn search(conn: &Connection, table: &str, query: &str) -> Vec<i64> {
    conn.prepare(&format!(
        "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid"
    ))
    .unwrap()
    .query_map([query], |r| r.get(0))
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

fn searches(conn: &Connection) -> Vec<Vec<i64>> {
    vec![
        search(conn, "customers_fts", "ada"),
        search(conn, "customers_fts", "engi*"),
        search(conn, "tickets_fts", "gears"),
        search(conn, "interactions_fts", "bernoulli OR review"),
    ]
}

fn emails(conn: &Connection) -> Vec<(i64, String)> {
    conn.prepare("SELECT customer_id, email FROM customer_emails ORDER BY email")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn sequence(conn: &Connection) -> Vec<(String, i64)> {
    conn.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn every_older_database_gets_the_schema_of_a_fresh_one() {
    let fresh = schema(&database_at(latest_version()), false);
    for start in 0..latest_version() {
        let mut conn = database_at(start);
        if start >= 1 {
            fill(&conn, start);
        }
        migrate_to(&mut conn, latest_version()).unwrap();
        assert_eq!(schema(&conn, false), fresh, "migrated from version {start}");
    }
}

#[test]
fn the_rebuilt_schema_is_version_9_with_autoincrement() {
    let before = schema(&database_at(9), true);
    let mut conn = database_at(9);
    migrate_to(&mut conn, 10).unwrap();
    assert_eq!(schema(&conn, true), before);

    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut expected: Vec<&str> = NEVER_REUSED.to_vec();
    expected.sort();
    assert_eq!(tables, expected);
}

#[test]
fn links_still_name_the_rebuilt_tables() {
    let mut conn = database_at(9);
    migrate_to(&mut conn, 10).unwrap();
    let sql = |name: &str| -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    let all: String = conn
        .query_row(
            "SELECT group_concat(sql, ' ') FROM sqlite_master",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!all.contains("new_"), "{all}");
    for (child, parents) in [
        ("customers", &["customers(id)"][..]),
        (
            "customer_tags",
            &["customers(id) ON DELETE CASCADE", "tags(id)"],
        ),
        ("customer_emails", &["customers(id) ON DELETE CASCADE"]),
        ("tickets", &["customers(id)"]),
        ("followups", &["customers(id)"]),
        (
            "interactions",
            &["customers(id)", "tickets(id)", "followups(id)"],
        ),
        ("history", &["changes(id)"]),
    ] {
        let text = sql(child);
        for parent in parents {
            assert!(
                text.contains(&format!("REFERENCES {parent}")),
                "{child}: {text}"
            );
        }
    }
    // And SQLite reads them so: each link resolves to the table it names.
    let links: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f
              WHERE m.type = 'table' AND f.\"table\" IN ('customers', 'tickets', 'followups', 'changes', 'tags')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(links, 10);
}

#[test]
fn every_row_id_and_search_entry_survives_from_every_older_version() {
    for start in 1..latest_version() {
        let mut conn = database_at(start);
        fill(&conn, start);
        migrate_to(&mut conn, 9).unwrap();
        let (rows, found, kept_emails) = (dump(&conn), searches(&conn), emails(&conn));
        assert_eq!(found, [vec![2], vec![1, 2], vec![4], vec![6, 8]].to_vec());
        if start >= 4 {
            assert_eq!(kept_emails.len(), 2, "from version {start}");
        }

        migrate_to(&mut conn, 10).unwrap();
        assert_eq!(dump(&conn), rows, "from version {start}");
        assert_eq!(searches(&conn), found, "from version {start}");
        assert_eq!(emails(&conn), kept_emails, "from version {start}");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let broken: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0);
    }
}

#[test]
fn the_next_id_is_above_every_id_ever_shown() {
    let mut conn = database_at(9);
    fill(&conn, 9);
    migrate_to(&mut conn, 10).unwrap();
    // Customer 9 and ticket 7 were added and undone: history still names them.
    assert_eq!(
        sequence(&conn),
        [
            ("changes".to_string(), 3),
            ("customers".to_string(), 9),
            ("followups".to_string(), 5),
            ("interactions".to_string(), 8),
            ("tickets".to_string(), 7),
        ]
    );
    conn.execute_batch(&format!(
        "INSERT INTO customers (kind, name, created_at, updated_at) VALUES ('person', 'New', {T}, {T});
         INSERT INTO tickets (customer_id, subject, status, priority, channel, opened_at, due_at, created_at, updated_at)
             VALUES (2, 'New', 'new', 'low', 'web', {T}, {T}, {T}, {T});"
    ))
    .unwrap();
    let ids: (i64, i64) = conn
        .query_row(
            "SELECT (SELECT max(id) FROM customers), (SELECT max(id) FROM tickets)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(ids, (10, 8));
}

#[test]
fn an_empty_database_starts_at_one() {
    let conn = database_at(latest_version());
    for (_, seq) in sequence(&conn) {
        assert_eq!(seq, 0);
    }
}

/// A version 9 file with `fill`'s data, as an older tuicrm left it.
fn version_9_file(path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    migrate_to(&mut conn, 9).unwrap();
    fill(&conn, 9);
}

#[test]
fn the_app_upgrades_a_version_9_file_and_keeps_counting_from_there() {
    let cli = Cli::new();
    version_9_file(&cli.path("db.db"));

    let report = cli.json("db.db", &["check"]);
    assert_eq!(report["ok"], true, "{report:#}");
    let hits = cli.json("db.db", &["search", "bernoulli"]);
    assert_eq!(hits[0]["id"], 6, "{hits:#}");
    let ada = cli.json("db.db", &["customer", "show", "2"]);
    assert_eq!(ada["name"], "Ada Lovelace");
    assert_eq!(ada["tags"], serde_json::json!(["vip"]));

    assert_eq!(add(&cli, &["customer", "add", "Mary Somerville"]), 10);
    assert_eq!(add(&cli, &["ticket", "add", "2", "Punched cards"]), 8);
    assert_eq!(
        add(
            &cli,
            &["followup", "add", "2", "--kind", "review", "--due", "+3d"]
        ),
        6
    );
    assert_eq!(add(&cli, &["log", "2", "Sent the notes"]), 9);
    let hits = cli.json("db.db", &["search", "somerville"]);
    assert_eq!(hits[0]["id"], 10, "{hits:#}");
}
