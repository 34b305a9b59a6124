//! Tags are searched like names: the `/` filter in every order, `customer
//! list --search`, the tickets filter (by their customer) and `search` find
//! a customer by a tag, and stay right after a tag is changed, undone,
//! imported or the database upgraded.

use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::domain::edit::OnConflict;
use tuicrm::domain::{Clock, CustomerDraft, CustomerKind, Entity, TicketDraft};
use tuicrm::store::{CustomerQuery, CustomerSort, Store, TicketQuery};

fn open(path: &Path) -> Store {
    let now: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
    Store::open(path)
        .unwrap()
        .with_clock(Clock::fixed(now, TimeZone::UTC))
}

fn tagged(store: &mut Store, name: &str, tags: &[&str]) -> i64 {
    let mut draft = CustomerDraft::new(CustomerKind::Person, name);
    draft.tags = tags.iter().map(|t| t.to_string()).collect();
    store.add_customer(draft).unwrap().id
}

/// Ids the customers list finds for `words`, in each of its orders.
fn found(store: &Store, words: &str) -> Vec<Vec<i64>> {
    [
        CustomerSort::Name,
        CustomerSort::RecentlyUpdated,
        CustomerSort::Newest,
    ]
    .into_iter()
    .map(|sort| {
        let query = CustomerQuery {
            search: Some(words.to_string()),
            sort,
            ..CustomerQuery::default()
        };
        let mut ids: Vec<i64> = store
            .customers_page(&query, None, 50)
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect();
        ids.sort();
        ids
    })
    .collect()
}

#[test]
fn a_tag_is_found_in_every_order_and_with_other_words() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir.path().join("crm.db"));
    let jane = tagged(&mut store, "Jane Doe", &["vip", "enterprise"]);
    let bob = tagged(&mut store, "Bob Stone", &["trial"]);
    let _zoe = tagged(&mut store, "Zoë Müller", &[]);
    assert_eq!(found(&store, "vip"), vec![vec![jane]; 3]);
    assert_eq!(found(&store, "enter"), vec![vec![jane]; 3], "as a prefix");
    assert_eq!(found(&store, "jane vip"), vec![vec![jane]; 3]);
    assert_eq!(found(&store, "bob vip"), vec![Vec::<i64>::new(); 3]);
    assert_eq!(found(&store, "trial"), vec![vec![bob]; 3]);

    // The tickets filter looks at their customer, tags too.
    store
        .add_ticket(TicketDraft::new(jane, "Export fails"))
        .unwrap();
    let bobs = store
        .add_ticket(TicketDraft::new(bob, "Login loop"))
        .unwrap();
    let query = TicketQuery {
        search: Some("trial".into()),
        ..TicketQuery::default()
    };
    let tickets = store.tickets_page(&query, None, 10).unwrap().items;
    assert_eq!(tickets.iter().map(|t| t.id).collect::<Vec<_>>(), [bobs.id]);

    // `search` finds the customer by its tag.
    let hits = store.search("enterprise", 10).unwrap();
    assert!(
        hits.iter()
            .any(|h| h.kind == Entity::Customer && h.id == jane),
        "{hits:?}"
    );
}

#[test]
fn a_changed_tag_is_searched_at_once_and_undo_puts_the_old_one_back() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir.path().join("crm.db"));
    let jane = tagged(&mut store, "Jane Doe", &["vip"]);
    let before = store.customer(jane).unwrap();
    let mut draft = before.draft();
    draft.tags = vec!["churn-risk".into()];
    store
        .update_customer(jane, &before.draft(), draft, OnConflict::Refuse)
        .unwrap();
    assert_eq!(found(&store, "vip"), vec![Vec::<i64>::new(); 3]);
    assert_eq!(found(&store, "churn"), vec![vec![jane]; 3]);
    store.undo_last().unwrap().unwrap();
    assert_eq!(found(&store, "vip"), vec![vec![jane]; 3]);
    assert_eq!(found(&store, "churn"), vec![Vec::<i64>::new(); 3]);
    // A customer in the trash is found by nothing, its tags neither.
    store.delete_customer(jane).unwrap();
    assert_eq!(found(&store, "vip"), vec![Vec::<i64>::new(); 3]);
    store.undo_last().unwrap().unwrap();
    assert_eq!(found(&store, "vip"), vec![vec![jane]; 3]);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn customer_list_search_and_the_search_command_find_tags() {
    let cli = TempDir::new().unwrap();
    let db = cli.path().join("crm.db");
    let run = |args: &[&str]| {
        let out = common::command_at(cli.path(), &db, args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["customer", "add", "Jane Doe", "--tag", "vip"]);
    run(&["customer", "add", "Bob Stone"]);
    let listed = run(&["customer", "list", "--search", "vip"]);
    assert!(
        listed.contains("Jane Doe") && !listed.contains("Bob Stone"),
        "{listed}"
    );
    let searched = run(&["search", "vip"]);
    assert!(searched.contains("Jane Doe"), "{searched}");
}

/// A database of version 11 (tags outside the index) upgraded: its tagged
/// customers are found by their tags, its others still by their names.
#[test]
fn an_upgraded_database_finds_the_tags_it_had() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("crm.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        tuicrm::store::migrations::migrate_to(&mut conn, 11).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, kind, name, stage, created_at, updated_at)
               VALUES (1, 'person', 'Jane Doe', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                      (2, 'person', 'Bob Stone', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO customers_fts (rowid, name, email, notes)
               VALUES (1, 'Jane Doe', '', ''), (2, 'Bob Stone', '', '');
             INSERT INTO tags (id, name, created_at, updated_at)
               VALUES (1, 'vip', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO customer_tags (customer_id, tag_id, created_at, updated_at)
               VALUES (1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let store = open(&path);
    assert_eq!(found(&store, "vip"), vec![vec![1]; 3]);
    assert_eq!(found(&store, "bob"), vec![vec![2]; 3]);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

mod common;
