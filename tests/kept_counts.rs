//! The per-account counts the store keeps (`customer_stats`: open tickets,
//! follow-ups, last contact, ratings; an organization's with its people's)
//! stay equal to a recount of the records after every kind of write and its
//! undo, and the health scores read from them equal those counted record by
//! record.

use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use rusqlite::Connection;
use tempfile::TempDir;

use tuicrm::demo::DemoGenerator;
use tuicrm::domain::edit::OnConflict;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, FollowupDraft, FollowupKind, FollowupStatus,
    InteractionDraft, Recurrence, SlaPolicy, TicketDraft, TicketStatus,
};
use tuicrm::store::Store;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

const NOW: &str = "2026-11-25T10:00:00Z";

fn open(dir: &TempDir) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(NOW), TimeZone::UTC))
}

/// The kept rows, as text, for messages and comparisons.
fn kept(dir: &TempDir) -> Vec<String> {
    let conn = Connection::open(dir.path().join("crm.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM customer_stats ORDER BY customer_id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((0..15)
            .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
            .collect::<Vec<_>>()
            .join(" "))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// `check` finds the kept counts equal to a recount, and both ways of
/// reading health agree, for every customer there is.
fn assert_kept(store: &Store, dir: &TempDir, after: &str) {
    let problems = store.check().unwrap();
    assert!(
        problems.is_empty(),
        "after {after}: {problems:?}\nkept: {:#?}",
        kept(dir)
    );
    let ids: Vec<i64> = (1..=store.largest_customer_id().unwrap()).collect();
    let many = store.health_inputs_many(&ids, 90).unwrap();
    for id in ids {
        assert_eq!(
            many.get(&id),
            Some(&store.health_inputs(id, 90).unwrap()),
            "after {after}: customer {id}"
        );
    }
}

#[test]
fn every_write_and_its_undo_keeps_the_counts() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir);
    let org = store
        .add_customer(CustomerDraft::new(CustomerKind::Organization, "Acme"))
        .unwrap()
        .id;
    let mut person = CustomerDraft::new(CustomerKind::Person, "Ana");
    person.organization_id = Some(org);
    let ana = store.add_customer(person).unwrap().id;
    let bob = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Bob"))
        .unwrap()
        .id;
    assert_kept(&store, &dir, "adding customers");
    assert!(kept(&dir).is_empty(), "no records, no rows");

    // Tickets: open, answered, resolved with a rating, reopened, deleted, restored.
    let old = store.add_ticket(TicketDraft::new(ana, "Old")).unwrap();
    assert_kept(&store, &dir, "opening a ticket");
    let ticket = store.add_ticket(TicketDraft::new(ana, "Login")).unwrap();
    let resolve = TicketChange {
        status: Some(TicketStatus::Resolved),
        csat: Some(2),
        ..TicketChange::default()
    };
    store.change_ticket(ticket.id, &resolve).unwrap();
    assert_kept(&store, &dir, "resolving with a rating");
    let reopen = TicketChange {
        status: Some(TicketStatus::Open),
        ..TicketChange::default()
    };
    store.change_ticket(ticket.id, &reopen).unwrap();
    assert_kept(&store, &dir, "reopening");
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing the reopening");
    store.delete_ticket(old.id).unwrap();
    assert_kept(&store, &dir, "deleting a ticket");
    store.restore_ticket(old.id).unwrap();
    assert_kept(&store, &dir, "restoring it");
    store.delete_ticket(old.id).unwrap();
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing a delete");

    // Follow-ups: planned (a renewal and a check-in), done, deleted, undone.
    let mut renewal = FollowupDraft::new(org, date(2026, 11, 1));
    renewal.kind = FollowupKind::Renewal;
    let renewal = store.add_followup(renewal).unwrap();
    let mut check_in = FollowupDraft::new(ana, date(2026, 12, 20));
    check_in.kind = FollowupKind::CheckIn;
    check_in.recurrence = Recurrence::parse("2w").unwrap();
    let check_in = store.add_followup(check_in).unwrap();
    assert_kept(&store, &dir, "planning follow-ups");
    store
        .finish_followup(check_in.id, FollowupStatus::Done, Some("Fine"))
        .unwrap();
    assert_kept(&store, &dir, "finishing a recurring follow-up");
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing it");
    let edited = FollowupDraft {
        due_on: date(2026, 10, 1),
        ..renewal.draft()
    };
    store
        .update_followup(renewal.id, &renewal.draft(), edited, OnConflict::Refuse)
        .unwrap();
    assert_kept(&store, &dir, "moving a due date");
    store.delete_followup(renewal.id).unwrap();
    assert_kept(&store, &dir, "deleting a follow-up");
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing that");

    // Interactions: logged, corrected to another time, deleted, undone.
    let call = store
        .log_interaction(InteractionDraft::new(
            bob,
            "Call",
            at("2026-11-20T09:00:00Z"),
        ))
        .unwrap();
    assert_kept(&store, &dir, "logging");
    let base = call.edit();
    let later = tuicrm::domain::InteractionEdit {
        occurred_at: at("2026-11-24T09:00:00Z"),
        ..base.clone()
    };
    store
        .edit_interaction(call.id, &base, later, OnConflict::Refuse)
        .unwrap();
    assert_kept(&store, &dir, "moving an interaction");
    store.delete_interaction(call.id).unwrap();
    assert_kept(&store, &dir, "deleting an interaction");
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing the delete");
    store
        .log_interaction(InteractionDraft::new(ana, "Note", at(NOW)))
        .unwrap();
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing a log entry");

    // Customers: one trashed (its organization counts it no more), a merge
    // that moves everything, and its undo.
    store.delete_customer(ana).unwrap();
    assert_kept(&store, &dir, "trashing a person");
    store.restore_customer(ana).unwrap();
    store.merge_customers(bob, ana).unwrap();
    assert_kept(&store, &dir, "merging");
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing the merge");
    assert!(!kept(&dir).is_empty());
}

#[test]
fn a_person_who_changes_organization_counts_for_the_new_one_only() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir);
    let org = |store: &mut Store, name: &str| {
        store
            .add_customer(CustomerDraft::new(CustomerKind::Organization, name))
            .unwrap()
            .id
    };
    let (acme, globex) = (org(&mut store, "Acme"), org(&mut store, "Globex"));
    let mut draft = CustomerDraft::new(CustomerKind::Person, "Ana");
    draft.organization_id = Some(acme);
    let ana = store.add_customer(draft.clone()).unwrap();
    store.add_ticket(TicketDraft::new(ana.id, "Help")).unwrap();
    let mut renewal = FollowupDraft::new(ana.id, date(2026, 11, 1));
    renewal.kind = FollowupKind::Renewal;
    store.add_followup(renewal).unwrap();
    store
        .log_interaction(InteractionDraft::new(ana.id, "Call", at(NOW)))
        .unwrap();
    assert_kept(&store, &dir, "a person's records");

    let mut moved = draft.clone();
    moved.organization_id = Some(globex);
    store
        .update_customer(ana.id, &draft, moved.clone(), OnConflict::Refuse)
        .unwrap();
    assert_kept(&store, &dir, "moving to another organization");
    let open_of = |store: &Store, id| store.health_inputs(id, 90).unwrap().open_tickets;
    assert_eq!((open_of(&store, acme), open_of(&store, globex)), (0, 1));
    let mut alone = moved.clone();
    alone.organization_id = None;
    store
        .update_customer(ana.id, &moved, alone, OnConflict::Refuse)
        .unwrap();
    assert_kept(&store, &dir, "leaving every organization");
    store.undo_last().unwrap();
    store.undo_last().unwrap();
    assert_kept(&store, &dir, "undoing both moves");
    assert_eq!((open_of(&store, acme), open_of(&store, globex)), (1, 0));

    // Ana is taken away whole (undoing her addition takes her records
    // first): her organization counts nothing of hers afterwards.
    for _ in 0..4 {
        store.undo_last().unwrap();
    }
    assert_kept(&store, &dir, "undoing the person and her records");
    assert!(kept(&dir).is_empty(), "{:?}", kept(&dir));
}

#[test]
fn loads_count_what_they_add_and_a_later_clock_reads_the_same() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir);
    let lonely = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Here before"))
        .unwrap()
        .id;
    store
        .log_interaction(InteractionDraft::new(lonely, "Hello", at(NOW)))
        .unwrap();
    let accounts: Vec<_> =
        DemoGenerator::new(400, 3, at(NOW), TimeZone::UTC, SlaPolicy::default()).collect();
    store.insert_accounts("demo", &accounts).unwrap();
    assert_kept(&store, &dir, "a demo load");
    // Time passes: tickets breach, follow-ups fall overdue, ratings age,
    // and the kept first due dates must still tell which.
    for later in ["2026-12-20T00:00:00Z", "2027-06-01T00:00:00Z"] {
        let store = open(&dir).with_clock(Clock::fixed(at(later), TimeZone::UTC));
        assert_kept(&store, &dir, later);
    }
}

#[test]
fn a_load_into_an_empty_database_counts_everything() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir);
    let accounts = DemoGenerator::new(300, 5, at(NOW), TimeZone::UTC, SlaPolicy::default());
    store.load_into_empty("demo", accounts).unwrap();
    assert_kept(&store, &dir, "a fresh load");
    assert!(kept(&dir).len() > 100);
}

#[test]
fn check_tells_when_the_counts_drifted() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir);
    let id = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Ana"))
        .unwrap()
        .id;
    store.add_ticket(TicketDraft::new(id, "Help")).unwrap();
    // Another program writes the table behind the store's back.
    let conn = Connection::open(dir.path().join("crm.db")).unwrap();
    conn.execute("UPDATE customer_stats SET open_tickets = 7", [])
        .unwrap();
    let problems = store.check().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("1: customers whose kept counts"),
        "{problems:?}"
    );
}
