//! A fresh load (`load_into_empty`: ids given ahead, many rows per statement,
//! stats counted in hand, search filled at the end) writes exactly the rows
//! the record-by-record path (`insert_accounts`) writes, and a search index
//! that finds the same records.

use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rusqlite::Connection;
use rusqlite::types::Value;
use tempfile::TempDir;

use tuicrm::demo::DemoGenerator;
use tuicrm::domain::{Clock, CustomerDraft, CustomerKind, SlaPolicy};
use tuicrm::store::Store;

const NOW: &str = "2026-11-25T10:00:00Z";

fn open(path: &Path) -> Store {
    Store::open(path).unwrap().with_clock(Clock::fixed(
        NOW.parse::<Timestamp>().unwrap(),
        TimeZone::UTC,
    ))
}

fn generate(customers: usize) -> DemoGenerator {
    DemoGenerator::new(
        customers,
        11,
        NOW.parse().unwrap(),
        TimeZone::UTC,
        SlaPolicy::default(),
    )
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |r| (0..width).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

const TABLES: &[&str] = &[
    "customers",
    "tags",
    "customer_tags",
    "customer_emails",
    "tickets",
    "followups",
    "interactions",
    "customer_stats",
    "sqlite_sequence",
    "changes",
    "history",
];

/// Record ids a search of each table finds for `word`.
fn found(conn: &Connection, word: &str) -> Vec<Vec<Value>> {
    ["customers_fts", "tickets_fts", "interactions_fts"]
        .iter()
        .flat_map(|fts| {
            rows(
                conn,
                &format!("SELECT rowid FROM {fts} WHERE {fts} MATCH '{word}*' ORDER BY rowid"),
            )
        })
        .collect()
}

fn assert_same_database(fresh: &Path, batched: &Path) {
    let (fresh, batched) = (
        Connection::open(fresh).unwrap(),
        Connection::open(batched).unwrap(),
    );
    for table in TABLES {
        let sql = format!("SELECT * FROM {table} ORDER BY 1");
        let (a, b) = (rows(&fresh, &sql), rows(&batched, &sql));
        assert_eq!(a.len(), b.len(), "{table}: row count");
        assert!(a == b, "{table}: the rows differ");
    }
    for word in [
        "acme", "sofia", "invoice", "renewal", "vip", "example", "call",
    ] {
        assert_eq!(
            found(&fresh, word),
            found(&batched, word),
            "search {word:?}"
        );
    }
    for fts in ["customers_fts", "tickets_fts", "interactions_fts"] {
        fresh
            .execute(
                &format!("INSERT INTO {fts} ({fts}) VALUES ('integrity-check')"),
                [],
            )
            .unwrap();
    }
}

#[test]
fn a_fresh_load_writes_the_rows_of_the_batched_path() {
    let dir = TempDir::new().unwrap();
    let (fresh, batched) = (dir.path().join("fresh.db"), dir.path().join("batched.db"));
    let accounts: Vec<_> = generate(3_000).collect();
    open(&batched).insert_accounts("demo", &accounts).unwrap();
    let added = open(&fresh)
        .load_into_empty("demo", generate(3_000))
        .unwrap();
    assert_eq!(added, 3_000);
    assert_same_database(&fresh, &batched);
    assert_eq!(open(&fresh).check().unwrap(), Vec::<String>::new());
}

/// Ids continue above those an emptied database gave out before, tags made
/// by hand are reused, and extra emails are indexed, as on the batched path.
#[test]
fn a_fresh_load_into_an_emptied_database_continues_its_ids() {
    let dir = TempDir::new().unwrap();
    let (fresh, batched) = (dir.path().join("fresh.db"), dir.path().join("batched.db"));
    let mut accounts: Vec<_> = generate(500).collect();
    if let Some(org) = accounts.iter_mut().find_map(|a| a.organization.as_mut()) {
        org.draft
            .extra
            .insert("EMAIL".into(), vec!["billing@other.example".into()]);
        org.draft.tags.push("VIP".into());
        org.draft.tags.push("vip".into());
    }
    for path in [&fresh, &batched] {
        let mut store = open(path);
        let mut gone = CustomerDraft::new(CustomerKind::Person, "Gone");
        gone.tags = vec!["vip".into()];
        store.add_customer(gone).unwrap();
        store.undo_last().unwrap();
    }
    open(&batched).insert_accounts("demo", &accounts).unwrap();
    open(&fresh)
        .load_into_empty("demo", accounts.into_iter())
        .unwrap();
    assert_same_database(&fresh, &batched);
    assert_eq!(open(&fresh).check().unwrap(), Vec::<String>::new());
}

/// Stats counted as a fresh load writes are those a recount gives (`check`
/// compares them).
#[test]
fn a_fresh_load_keeps_the_stats_a_recount_gives() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("fresh.db");
    open(&path)
        .load_into_empty("demo", generate(20_000))
        .unwrap();
    assert_eq!(open(&path).check().unwrap(), Vec::<String>::new());
    let conn = Connection::open(&path).unwrap();
    let kept: i64 = conn
        .query_row("SELECT count(*) FROM customer_stats", [], |r| r.get(0))
        .unwrap();
    assert!(kept > 15_000, "{kept} accounts with stats");
}
