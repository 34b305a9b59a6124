//! What the interaction tests share: a store at a fixed time, customers,
//! log entries and what the log, search and tickets say.
#![allow(dead_code)]

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, Direction, Interaction, InteractionDraft, InteractionKind,
};
use tuicrm::store::Store;

pub const NOW: &str = "2026-11-25T10:00:00Z";

pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub fn store_in(dir: &TempDir) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(NOW), TimeZone::UTC))
}

pub fn person(store: &mut Store, name: &str, org: Option<i64>) -> i64 {
    let mut draft = CustomerDraft::new(CustomerKind::Person, name);
    draft.organization_id = org;
    store.add_customer(draft).unwrap().id
}

pub fn log(
    store: &mut Store,
    customer: i64,
    summary: &str,
    when: &str,
    kind: InteractionKind,
    direction: Direction,
    ticket: Option<i64>,
) -> Interaction {
    let mut draft = InteractionDraft::new(customer, summary, at(when));
    draft.kind = kind;
    draft.direction = direction;
    draft.ticket_id = ticket;
    store.log_interaction(draft).unwrap()
}

pub fn log_ids(store: &Store, customer: i64) -> Vec<i64> {
    let page = store.interactions_page(customer, None, 100).unwrap();
    page.items.iter().map(|i| i.id).collect()
}

pub fn search_ids(store: &Store, words: &str) -> Vec<i64> {
    store
        .search(words, 20)
        .unwrap()
        .iter()
        .filter(|h| h.kind == tuicrm::domain::Entity::Interaction)
        .map(|h| h.id)
        .collect()
}

pub fn first_response(store: &Store, ticket: i64) -> Option<Timestamp> {
    store.ticket(ticket).unwrap().first_response_at
}
