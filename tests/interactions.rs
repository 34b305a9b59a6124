//! Log entries are records (issue 12.7), in the store: an interaction is
//! corrected and deleted like any other, every read leaves deleted ones out,
//! undo brings one back with its search entry, a ticket's first response
//! follows. The command line is in interaction_cli.rs, the TUI in
//! interaction_tui.rs.

mod interaction_helpers;

use jiff::tz::TimeZone;
use tempfile::TempDir;

use interaction_helpers::*;
use tuicrm::domain::edit::OnConflict;
use tuicrm::domain::{Clock, CustomerDraft, CustomerKind, Direction, InteractionKind, TicketDraft};
use tuicrm::store::{InteractionQuery, Store, StoreError};

// ------------------------------------------------------------------ store

#[test]
fn an_edit_merges_with_another_processs_change_and_refuses_a_clash_unless_told() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let call = log(
        &mut store,
        jane,
        "Asked for a discount",
        "2026-11-25T09:00:00Z",
        InteractionKind::Call,
        Direction::Inbound,
        None,
    );
    let base = call.edit();
    // Another process corrects the summary meanwhile.
    let mut theirs = base.clone();
    theirs.summary = "Asked for a 10% discount".into();
    store
        .edit_interaction(call.id, &base, theirs, OnConflict::Refuse)
        .unwrap();

    // Another field from the stale form: both changes stay.
    let mut body_only = base.clone();
    body_only.body = Some("Wants it before the renewal.".into());
    let saved = store
        .edit_interaction(call.id, &base, body_only, OnConflict::Refuse)
        .unwrap();
    assert_eq!(saved.summary, "Asked for a 10% discount");
    assert_eq!(saved.body.as_deref(), Some("Wants it before the renewal."));

    // The same field: refused, naming what it is now; overwritten when told.
    let mut mine = base.clone();
    mine.summary = "Asked for a discount again".into();
    let err = store
        .edit_interaction(call.id, &base, mine.clone(), OnConflict::Refuse)
        .unwrap_err();
    assert!(matches!(err, StoreError::ChangedMeanwhile { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("summary is now “Asked for a 10% discount”"),
        "{err}"
    );
    let saved = store
        .edit_interaction(call.id, &base, mine, OnConflict::Overwrite)
        .unwrap();
    assert_eq!(saved.summary, "Asked for a discount again");

    // Each edit is one undo step, field by field.
    store.undo_last().unwrap();
    assert_eq!(
        store.interaction(call.id).unwrap().summary,
        "Asked for a 10% discount"
    );
    store.undo_last().unwrap();
    assert_eq!(store.interaction(call.id).unwrap().body, None);
    // The search follows every step.
    assert_eq!(search_ids(&store, "10%"), vec![call.id]);
}

#[test]
fn an_edit_checks_what_it_saves() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let note = log(
        &mut store,
        jane,
        "Internal note",
        "2026-11-25T09:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        None,
    );
    let base = note.edit();
    let mut blank = base.clone();
    blank.summary = "   ".into();
    let err = store
        .edit_interaction(note.id, &base, blank, OnConflict::Refuse)
        .unwrap_err();
    assert_eq!(err.to_string(), "summary must not be blank");
    let mut system = base.clone();
    system.kind = InteractionKind::System;
    let err = store
        .edit_interaction(note.id, &base, system, OnConflict::Refuse)
        .unwrap_err();
    assert!(err.to_string().starts_with("kind must be"), "{err}");
    let err = store
        .edit_interaction(99, &base, base.clone(), OnConflict::Refuse)
        .unwrap_err();
    assert_eq!(err.to_string(), "interaction 99 not found");
}

#[test]
fn a_deleted_interaction_leaves_log_health_search_counts_and_export_and_undo_brings_it_back() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let acme = store
        .add_customer(CustomerDraft::new(CustomerKind::Organization, "Acme"))
        .unwrap()
        .id;
    let jane = person(&mut store, "Jane Doe", Some(acme));
    let old = log(
        &mut store,
        jane,
        "Kickoff meeting",
        "2026-10-01T09:00:00Z",
        InteractionKind::Meeting,
        Direction::Outbound,
        None,
    );
    let call = log(
        &mut store,
        jane,
        "Asked for a discount",
        "2026-11-24T09:00:00Z",
        InteractionKind::Call,
        Direction::Inbound,
        None,
    );
    let days = |store: &Store| store.health_inputs(jane, 90).unwrap().days_since_contact;
    assert_eq!(days(&store), 1);
    let counted = store.counts().unwrap().interactions;

    let deleted = store.delete_interaction(call.id).unwrap();
    assert!(deleted.deleted_at.is_some());
    assert_eq!(log_ids(&store, jane), vec![old.id]);
    assert_eq!(
        log_ids(&store, acme),
        vec![old.id],
        "the organization's log"
    );
    assert_eq!(days(&store), 55, "last contact is the meeting now");
    assert!(search_ids(&store, "discount").is_empty());
    assert_eq!(store.counts().unwrap().interactions, counted - 1);
    let exported: Vec<i64> = store
        .interactions_by_id(0, 100)
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(exported, vec![old.id]);
    let listed = store
        .interactions_list(&InteractionQuery::default(), 10)
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Once is enough.
    let again = store.delete_interaction(call.id).unwrap_err();
    assert_eq!(
        again.to_string(),
        format!("interaction {} is deleted", call.id)
    );
    let mut edit = call.edit();
    edit.summary = "x".into();
    assert!(
        store
            .edit_interaction(call.id, &call.edit(), edit, OnConflict::Refuse)
            .is_err()
    );

    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.table, "interactions");
    assert_eq!(
        undone.describe(),
        format!("deleting interaction {}", call.id)
    );
    assert_eq!(log_ids(&store, jane), vec![call.id, old.id]);
    assert_eq!(search_ids(&store, "discount"), vec![call.id]);
    assert_eq!(days(&store), 1);
    assert_eq!(store.counts().unwrap().interactions, counted);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn the_first_response_follows_when_it_is_deleted_or_edited_and_undo_puts_it_back() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let ticket = store
        .add_ticket(TicketDraft::new(jane, "Login broken"))
        .unwrap()
        .id;
    let outbound = |store: &mut Store, summary: &str, when: &str| {
        log(
            store,
            jane,
            summary,
            when,
            InteractionKind::Email,
            Direction::Outbound,
            Some(ticket),
        )
    };
    let first = outbound(&mut store, "First reply", "2026-11-25T07:00:00Z");
    let second = outbound(&mut store, "Second reply", "2026-11-25T08:00:00Z");
    let inbound = log(
        &mut store,
        jane,
        "Customer wrote back",
        "2026-11-25T06:00:00Z",
        InteractionKind::Email,
        Direction::Inbound,
        Some(ticket),
    );
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // Deleted: the next reply is the first response; undo puts it back.
    store.delete_interaction(first.id).unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // Away from outbound: the same.
    let mut internal = first.edit();
    internal.direction = Direction::Internal;
    store
        .edit_interaction(first.id, &first.edit(), internal, OnConflict::Refuse)
        .unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // To a later time than the next reply: the next reply answered first.
    let mut later = first.edit();
    later.occurred_at = at("2026-11-25T09:00:00Z");
    store
        .edit_interaction(first.id, &first.edit(), later, OnConflict::Refuse)
        .unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
    store.undo_last().unwrap();

    // An inbound message corrected to our earlier reply becomes the first response.
    let mut reply = inbound.edit();
    reply.direction = Direction::Outbound;
    store
        .edit_interaction(inbound.id, &inbound.edit(), reply, OnConflict::Refuse)
        .unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T06:00:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // A summary fixed changes nothing of the ticket.
    let before = store.ticket(ticket).unwrap();
    let mut typo = second.edit();
    typo.summary = "Second reply (fixed)".into();
    store
        .edit_interaction(second.id, &second.edit(), typo, OnConflict::Refuse)
        .unwrap();
    assert_eq!(store.ticket(ticket).unwrap(), before);

    // No reply left: not answered.
    store.delete_interaction(first.id).unwrap();
    store.delete_interaction(second.id).unwrap();
    assert_eq!(first_response(&store, ticket), None);
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
}

#[test]
fn interactions_list_reads_a_customers_a_tickets_or_the_whole_log_newest_first() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let bob = person(&mut store, "Bob Stone", None);
    let ticket = store
        .add_ticket(TicketDraft::new(jane, "Login"))
        .unwrap()
        .id;
    let a = log(
        &mut store,
        jane,
        "a",
        "2026-11-25T07:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        Some(ticket),
    );
    let b = log(
        &mut store,
        bob,
        "b",
        "2026-11-25T08:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        None,
    );
    let c = log(
        &mut store,
        jane,
        "c",
        "2026-11-25T09:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        None,
    );
    let ids = |q: InteractionQuery, n: usize| {
        let page = store.interactions_list(&q, n).unwrap();
        let ids: Vec<i64> = page.items.iter().map(|i| i.id).collect();
        (ids, page.next.is_some())
    };
    assert_eq!(
        ids(InteractionQuery::default(), 10),
        (vec![c.id, b.id, a.id], false)
    );
    assert_eq!(
        ids(InteractionQuery::default(), 2),
        (vec![c.id, b.id], true)
    );
    let of_jane = InteractionQuery {
        customer_id: Some(jane),
        ticket_id: None,
    };
    assert_eq!(ids(of_jane, 10), (vec![c.id, a.id], false));
    let of_ticket = InteractionQuery {
        customer_id: None,
        ticket_id: Some(ticket),
    };
    assert_eq!(ids(of_ticket, 10), (vec![a.id], false));
}

#[test]
fn an_interaction_logged_before_the_upgrade_is_live_after_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        // The schema just before interactions could be deleted (migration 13).
        tuicrm::store::migrations::migrate_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (kind, name, stage, created_at, updated_at)
               VALUES ('person', 'Jane Doe', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO customers_fts (rowid, name, email, notes) VALUES (1, 'Jane Doe', '', '');
             INSERT INTO interactions (customer_id, kind, direction, occurred_at, summary, created_at, updated_at)
               VALUES (1, 'call', 'inbound', '2026-11-01T09:00:00Z', 'Old call', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z');
             INSERT INTO interactions_fts (rowid, summary, body) VALUES (1, 'Old call', '');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path)
        .unwrap()
        .with_clock(Clock::fixed(at(NOW), TimeZone::UTC));
    assert_eq!(store.interaction(1).unwrap().deleted_at, None);
    assert_eq!(log_ids(&store, 1), vec![1]);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    store.delete_interaction(1).unwrap();
    assert!(search_ids(&store, "old call").is_empty());
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn a_streamed_log_gives_what_a_list_gives_at_every_limit() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let now: jiff::Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
    let accounts: Vec<_> = tuicrm::demo::DemoGenerator::new(
        400,
        5,
        now,
        TimeZone::UTC,
        tuicrm::domain::SlaPolicy::default(),
    )
    .collect();
    store.insert_accounts("demo", &accounts).unwrap();
    let whole = InteractionQuery::default();
    let all: Vec<i64> = store
        .interactions_list(&whole, usize::MAX)
        .unwrap()
        .items
        .iter()
        .map(|i| i.id)
        .collect();
    assert!(all.len() > 1_100, "{}", all.len());
    let one = InteractionQuery {
        customer_id: Some(accounts.len() as i64 / 2),
        ticket_id: None,
    };
    for query in [whole, one] {
        let listed: Vec<i64> = store
            .interactions_list(&query, usize::MAX)
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect();
        // Short walks read the time index, long ones the table sorted;
        // batches end at 1,000 entries.
        for limit in [0, 1, 999, 1_000, 1_001, listed.len(), usize::MAX] {
            let mut got = Vec::new();
            let cut_short = store
                .each_interaction(&query, limit, |batch, _| {
                    got.extend(batch.iter().map(|i| i.id));
                    Ok::<_, StoreError>(())
                })
                .unwrap();
            let expected: Vec<i64> = listed.iter().copied().take(limit).collect();
            assert_eq!(got, expected, "{query:?} limit {limit}");
            assert_eq!(cut_short, limit < listed.len(), "{query:?} limit {limit}");
        }
    }
}
