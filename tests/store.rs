//! Integration tests of the SQLite store on temporary files: CRUD, search
//! index sync, trash, history and undo, keyset paging, migrations and file
//! safety, bulk loads, integrity check and backup.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use rusqlite::Connection;
use tempfile::TempDir;

use tuicrm::demo::DemoGenerator;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Channel, Clock, CustomerDraft, CustomerKind, Direction, Entity, FollowupDraft, FollowupKind,
    FollowupStatus, InteractionDraft, InteractionKind, Money, Priority, Recurrence, SlaPolicy,
    Stage, TicketDraft, TicketStatus,
};
use tuicrm::store::migrations::{MIGRATIONS, latest_version, migrate_to};
use tuicrm::store::{
    Cursor, CustomerQuery, CustomerSort, FollowupQuery, Page, Store, StoreError, TicketQuery,
};

// ---------------------------------------------------------------- helpers

fn now() -> Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn today() -> Date {
    date(2026, 11, 25)
}

fn clock(at: Timestamp) -> Clock {
    Clock::fixed(at, TimeZone::UTC)
}

fn open_at(path: &Path, when: Timestamp) -> Store {
    Store::open(path)
        .unwrap_or_else(|e| panic!("opening {}: {e}", path.display()))
        .with_clock(clock(when))
}

fn open(path: &Path) -> Store {
    open_at(path, now())
}

/// A fresh store in its own temporary folder (kept alive by the `TempDir`).
fn fresh() -> (TempDir, PathBuf, Store) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("crm.db");
    let store = open(&path);
    (dir, path, store)
}

fn person(name: &str) -> CustomerDraft {
    CustomerDraft::new(CustomerKind::Person, name)
}

fn org(name: &str) -> CustomerDraft {
    CustomerDraft::new(CustomerKind::Organization, name)
}

fn note(customer_id: i64, summary: &str) -> InteractionDraft {
    InteractionDraft::new(customer_id, summary, now())
}

/// (kind, id) of every hit for `query`.
fn hits(store: &Store, query: &str) -> Vec<(Entity, i64)> {
    store
        .search(query, 1000)
        .unwrap_or_else(|e| panic!("search {query:?}: {e}"))
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect()
}

fn finds(store: &Store, query: &str, kind: Entity, id: i64) -> bool {
    hits(store, query).contains(&(kind, id))
}

fn all_customers(store: &Store, query: &CustomerQuery) -> Vec<i64> {
    walk(|after| store.customers_page(query, after, 1000).unwrap())
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// Follows `next` cursors until the end, refusing to loop forever.
fn walk<T>(mut page: impl FnMut(Option<&Cursor>) -> Page<T>) -> Vec<T> {
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    for _ in 0..10_000 {
        let Page { items, next } = page(cursor.as_ref());
        assert!(
            next.is_none() || !items.is_empty(),
            "a page with a next cursor must not be empty"
        );
        out.extend(items);
        match next {
            Some(n) => cursor = Some(n),
            None => return out,
        }
    }
    panic!("paging did not end");
}

fn assert_unique(ids: &[i64]) {
    let set: HashSet<_> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "duplicates in {ids:?}");
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn user_version(path: &Path) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

// ---------------------------------------------------------------- CRUD

#[test]
fn customers_people_and_organizations() {
    let (_dir, _path, mut store) = fresh();
    let mut draft = person("  Jane Doe ");
    draft.email = Some(" jane@example.com ".into());
    draft.phone = Some("+1 555 0100".into());
    draft.segment = Some("SMB".into());
    draft.stage = Stage::Active;
    draft.renewal_on = Some(date(2027, 1, 31));
    draft.contract_value = Some(Money {
        minor: 1_200_050,
        currency: "EUR".into(),
    });
    draft.notes = Some("Likes mornings".into());
    let jane = store.add_customer(draft).unwrap();
    assert_eq!(jane.name, "Jane Doe");
    assert_eq!(jane.kind, CustomerKind::Person);
    assert_eq!(jane.email.as_deref(), Some("jane@example.com"));
    assert_eq!(jane.stage, Stage::Active);
    assert_eq!(jane.renewal_on, Some(date(2027, 1, 31)));
    assert_eq!(
        jane.money(),
        Some(Money {
            minor: 1_200_050,
            currency: "EUR".into()
        })
    );
    assert_eq!(jane.created_at, now());
    assert_eq!(jane.updated_at, now());
    assert_eq!(jane.deleted_at, None);
    assert_eq!(store.customer(jane.id).unwrap(), jane);

    let acme = store.add_customer(org("Acme Corp")).unwrap();
    assert_eq!(acme.kind, CustomerKind::Organization);
    let mut bob = person("Bob Builder");
    bob.organization_id = Some(acme.id);
    let bob = store.add_customer(bob).unwrap();
    assert_eq!(bob.organization_id, Some(acme.id));
    assert_eq!(bob.organization.as_deref(), Some("Acme Corp"));
    let people = CustomerQuery {
        organization_id: Some(acme.id),
        ..Default::default()
    };
    assert_eq!(all_customers(&store, &people), vec![bob.id]);
    let orgs = CustomerQuery {
        kind: Some(CustomerKind::Organization),
        ..Default::default()
    };
    assert_eq!(all_customers(&store, &orgs), vec![acme.id]);

    // Linking to a person as organization is refused, at add and at edit.
    let mut wrong = person("Carol");
    wrong.organization_id = Some(jane.id);
    assert!(matches!(
        store.add_customer(wrong.clone()),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.replace_customer(bob.id, wrong),
        Err(StoreError::Conflict(_))
    ));
    // A missing organization is NotFound.
    let mut missing = person("Dave");
    missing.organization_id = Some(9999);
    assert!(matches!(
        store.add_customer(missing),
        Err(StoreError::NotFound { id: 9999, .. })
    ));
    // An organization cannot belong to an organization; a person cannot be its own org.
    let mut nested = org("Sub Corp");
    nested.organization_id = Some(acme.id);
    assert!(matches!(
        store.add_customer(nested),
        Err(StoreError::Invalid(_))
    ));
    let mut own = bob.draft();
    own.organization_id = Some(bob.id);
    assert!(matches!(
        store.replace_customer(bob.id, own),
        Err(StoreError::Conflict(_))
    ));
    // An organization with people cannot become a person.
    let mut demoted = acme.draft();
    demoted.kind = CustomerKind::Person;
    assert!(matches!(
        store.replace_customer(acme.id, demoted),
        Err(StoreError::Conflict(_))
    ));
    // Validation errors come back as Invalid.
    assert!(matches!(
        store.add_customer(person("   ")),
        Err(StoreError::Invalid(_))
    ));
    let mut bad_email = person("Eve");
    bad_email.email = Some("not an email".into());
    assert!(matches!(
        store.add_customer(bad_email),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.customer(424_242),
        Err(StoreError::NotFound {
            entity: "customer",
            id: 424_242
        })
    ));
    assert!(matches!(
        store.replace_customer(424_242, person("Ghost")),
        Err(StoreError::NotFound { .. })
    ));

    // Edit: fields change, updated_at moves with the clock.
    let mut store = store.with_clock(clock(at("2026-11-26T08:00:00Z")));
    let mut edit = jane.draft();
    edit.name = "Jane Smith".into();
    edit.title = Some("CTO".into());
    edit.email = None;
    let edited = store.replace_customer(jane.id, edit).unwrap();
    assert_eq!(edited.name, "Jane Smith");
    assert_eq!(edited.title.as_deref(), Some("CTO"));
    assert_eq!(edited.email, None);
    assert_eq!(edited.created_at, now());
    assert_eq!(edited.updated_at, at("2026-11-26T08:00:00Z"));
}

#[test]
fn tags_add_and_remove() {
    let (_dir, _path, mut store) = fresh();
    let mut draft = person("Tagged");
    draft.tags = vec!["vip".into(), " beta ".into(), "VIP".into()];
    let c = store.add_customer(draft).unwrap();
    assert_eq!(c.tags, vec!["beta", "vip"]);
    let other = store.add_customer(person("Untagged")).unwrap();

    let by_tag = |store: &Store, tag: &str| {
        all_customers(
            store,
            &CustomerQuery {
                tag: Some(tag.into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(by_tag(&store, "vip"), vec![c.id]);
    assert_eq!(by_tag(&store, "beta"), vec![c.id]);

    let mut edit = c.draft();
    edit.tags = vec!["beta".into(), "gold".into()];
    let c2 = store.replace_customer(c.id, edit).unwrap();
    assert_eq!(c2.tags, vec!["beta", "gold"]);
    assert!(by_tag(&store, "vip").is_empty());
    assert_eq!(by_tag(&store, "gold"), vec![c.id]);

    // The same tag on another customer is shared, not duplicated.
    let mut edit = other.draft();
    edit.tags = vec!["gold".into()];
    store.replace_customer(other.id, edit).unwrap();
    let mut gold = by_tag(&store, "gold");
    gold.sort();
    assert_eq!(gold, vec![c.id, other.id]);

    let mut edit = c2.draft();
    edit.tags.clear();
    assert!(store.replace_customer(c.id, edit).unwrap().tags.is_empty());
    assert_eq!(by_tag(&store, "gold"), vec![other.id]);
}

#[test]
fn tickets_follow_the_rules() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Ticket Owner")).unwrap();
    let mut draft = TicketDraft::new(c.id, "  Printer on fire ");
    draft.body = Some("It smells".into());
    draft.channel = Channel::Email;
    let t = store.add_ticket(draft).unwrap();
    assert_eq!(t.subject, "Printer on fire");
    assert_eq!(t.customer.as_deref(), Some("Ticket Owner"));
    assert_eq!(t.status, TicketStatus::New);
    assert_eq!(t.priority, Priority::Normal);
    assert_eq!(t.channel, Channel::Email);
    assert_eq!(t.opened_at, now());
    assert_eq!(t.due_at, at("2026-11-28T10:00:00Z"));
    assert_eq!(store.ticket(t.id).unwrap(), t);

    let urgent = TicketChange {
        priority: Some(Priority::Urgent),
        ..Default::default()
    };
    assert_eq!(
        store.change_ticket(t.id, &urgent).unwrap().due_at,
        at("2026-11-25T14:00:00Z")
    );

    let mut store = store.with_clock(clock(at("2026-11-25T12:00:00Z")));
    let resolve = TicketChange {
        status: Some(TicketStatus::Resolved),
        csat: Some(5),
        ..Default::default()
    };
    let resolved = store.change_ticket(t.id, &resolve).unwrap();
    assert_eq!(resolved.resolved_at, Some(at("2026-11-25T12:00:00Z")));
    assert_eq!(resolved.csat, Some(5));
    let reopen = TicketChange {
        status: Some(TicketStatus::Open),
        ..Default::default()
    };
    let reopened = store.change_ticket(t.id, &reopen).unwrap();
    assert_eq!(reopened.resolved_at, None);
    assert_eq!(reopened.csat, None);

    let bad_csat = TicketChange {
        csat: Some(4),
        ..Default::default()
    };
    assert!(matches!(
        store.change_ticket(t.id, &bad_csat),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_ticket(TicketDraft::new(c.id, " ")),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_ticket(TicketDraft::new(9999, "Nobody")),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.change_ticket(9999, &reopen),
        Err(StoreError::NotFound { .. })
    ));

    store.delete_ticket(t.id).unwrap();
    assert!(matches!(
        store.delete_ticket(t.id),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.change_ticket(t.id, &reopen),
        Err(StoreError::Conflict(_))
    ));
    let listed = walk(|a| store.tickets_page(&TicketQuery::default(), a, 10).unwrap());
    assert!(listed.is_empty());
    store.restore_ticket(t.id).unwrap();
    assert!(matches!(
        store.restore_ticket(t.id),
        Err(StoreError::Conflict(_))
    ));
    let listed = walk(|a| store.tickets_page(&TicketQuery::default(), a, 10).unwrap());
    assert_eq!(listed.len(), 1);
}

#[test]
fn followups_finish_and_recur() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Followed")).unwrap();
    let mut draft = FollowupDraft::new(c.id, today());
    assert_eq!(draft.due_on, date(2026, 12, 2));
    draft.kind = FollowupKind::Review;
    draft.recurrence = Recurrence::parse("2w").unwrap();
    draft.note = Some("QBR".into());
    let f = store.add_followup(draft).unwrap();
    assert_eq!(f.status, FollowupStatus::Planned);
    assert_eq!(f.kind, FollowupKind::Review);
    assert_eq!(f.recurrence.map(|r| r.to_string()).as_deref(), Some("2w"));
    assert_eq!(store.followup(f.id).unwrap(), f);

    let (done, next) = store
        .finish_followup(f.id, FollowupStatus::Done, Some("went well"))
        .unwrap();
    assert_eq!(done.status, FollowupStatus::Done);
    assert_eq!(done.completed_at, Some(now()));
    assert_eq!(done.outcome.as_deref(), Some("went well"));
    let next = next.expect("a recurring follow-up plans the next one");
    assert_eq!(next.due_on, date(2026, 12, 16));
    assert_eq!(next.status, FollowupStatus::Planned);
    assert_eq!(next.note.as_deref(), Some("QBR"));
    assert!(matches!(
        store.finish_followup(f.id, FollowupStatus::Done, None),
        Err(StoreError::Invalid(_))
    ));

    let (cancelled, none) = store
        .finish_followup(next.id, FollowupStatus::Cancelled, None)
        .unwrap();
    assert_eq!(cancelled.status, FollowupStatus::Cancelled);
    assert!(none.is_none(), "cancelling ends the series");

    let one_off = store
        .add_followup(FollowupDraft::new(c.id, today()))
        .unwrap();
    let (_, none) = store
        .finish_followup(one_off.id, FollowupStatus::Skipped, None)
        .unwrap();
    assert!(none.is_none());
    let planned = walk(|a| {
        store
            .followups_page(&FollowupQuery::default(), a, 10)
            .unwrap()
    });
    assert!(planned.is_empty());
    let every = FollowupQuery {
        statuses: vec![],
        ..Default::default()
    };
    assert_eq!(
        walk(|a| store.followups_page(&every, a, 10).unwrap()).len(),
        3
    );
    assert!(matches!(
        store.add_followup(FollowupDraft::new(9999, today())),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn interactions_log_and_first_response() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Chatty")).unwrap();
    let other = store.add_customer(person("Other")).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Cannot log in"))
        .unwrap();

    let mut inbound = note(c.id, "Customer wrote in");
    inbound.ticket_id = Some(t.id);
    inbound.kind = InteractionKind::Email;
    inbound.direction = Direction::Inbound;
    let i1 = store.log_interaction(inbound).unwrap();
    assert_eq!(i1.summary, "Customer wrote in");
    assert_eq!(i1.ticket_id, Some(t.id));
    assert_eq!(store.interaction(i1.id).unwrap(), i1);
    assert_eq!(
        store.ticket(t.id).unwrap().first_response_at,
        None,
        "inbound is no response"
    );

    let mut reply = note(c.id, "  We replied  ");
    reply.ticket_id = Some(t.id);
    reply.kind = InteractionKind::Email;
    reply.direction = Direction::Outbound;
    reply.occurred_at = at("2026-11-25T09:30:00Z");
    reply.body = Some("Try resetting the password".into());
    let i2 = store.log_interaction(reply.clone()).unwrap();
    assert_eq!(i2.summary, "We replied");
    assert_eq!(
        store.ticket(t.id).unwrap().first_response_at,
        Some(at("2026-11-25T09:30:00Z"))
    );
    // A later response does not move the first one.
    reply.occurred_at = at("2026-11-25T09:45:00Z");
    store.log_interaction(reply.clone()).unwrap();
    assert_eq!(
        store.ticket(t.id).unwrap().first_response_at,
        Some(at("2026-11-25T09:30:00Z"))
    );
    // A reply logged afterwards with an earlier time is the first one, and
    // undo puts the previous first response back.
    reply.occurred_at = at("2026-11-25T09:15:00Z");
    store.log_interaction(reply).unwrap();
    assert_eq!(
        store.ticket(t.id).unwrap().first_response_at,
        Some(at("2026-11-25T09:15:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        store.ticket(t.id).unwrap().first_response_at,
        Some(at("2026-11-25T09:30:00Z"))
    );
    assert_eq!(store.ticket_interactions(t.id).unwrap().len(), 3);

    let log = walk(|a| store.interactions_page(c.id, a, 2).unwrap());
    assert_eq!(log.len(), 3);

    let mut foreign = note(other.id, "Wrong ticket");
    foreign.ticket_id = Some(t.id);
    assert!(matches!(
        store.log_interaction(foreign),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.log_interaction(note(c.id, "  ")),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.log_interaction(note(9999, "Ghost")),
        Err(StoreError::NotFound { .. })
    ));
}

// ---------------------------------------------------------------- search

#[test]
fn search_follows_adds_edits_deletes_and_restores() {
    let (_dir, _path, mut store) = fresh();
    let mut draft = person("Zebulon Quartermaine");
    draft.email = Some("zq@pigeonpost.example".into());
    draft.notes = Some("Prefers carrier owls".into());
    let c = store.add_customer(draft).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Printer jam"))
        .unwrap();
    let mut logged = note(c.id, "Discussed wombats");
    logged.body = Some("Long talk about marsupials".into());
    let i = store.log_interaction(logged).unwrap();

    for q in [
        "Zebu",
        "zebulon quart",
        "QUARTERMAINE",
        "pigeonp",
        "zq@pigeon",
        "carrier ow",
    ] {
        assert!(finds(&store, q, Entity::Customer, c.id), "{q}");
    }
    assert!(finds(&store, "printer", Entity::Ticket, t.id));
    assert!(finds(&store, "wombat", Entity::Interaction, i.id));
    assert!(finds(&store, "marsupial", Entity::Interaction, i.id));
    assert!(hits(&store, "nonexistentword").is_empty());
    let by_search = CustomerQuery {
        search: Some("zebu".into()),
        ..Default::default()
    };
    assert_eq!(all_customers(&store, &by_search), vec![c.id]);

    // Rename: the old name is gone from the index, the new one is there.
    let mut edit = c.draft();
    edit.name = "Xavier Quartermaine".into();
    store.replace_customer(c.id, edit).unwrap();
    assert!(!finds(&store, "zebulon", Entity::Customer, c.id));
    assert!(finds(&store, "xavier", Entity::Customer, c.id));
    assert!(all_customers(&store, &by_search).is_empty());

    // Ticket subject edits are indexed.
    let change = TicketChange {
        subject: Some("Scanner smoking".into()),
        ..Default::default()
    };
    store.change_ticket(t.id, &change).unwrap();
    assert!(!finds(&store, "printer", Entity::Ticket, t.id));
    assert!(finds(&store, "scanner", Entity::Ticket, t.id));

    // Soft delete hides the customer and everything that belongs to it.
    store.delete_customer(c.id).unwrap();
    for q in ["xavier", "scanner", "wombat", "quartermaine"] {
        assert!(
            hits(&store, q).is_empty(),
            "{q} after delete: {:?}",
            hits(&store, q)
        );
    }
    assert!(all_customers(&store, &CustomerQuery::default()).is_empty());
    assert!(walk(|a| store.tickets_page(&TicketQuery::default(), a, 10).unwrap()).is_empty());
    let trash = CustomerQuery {
        trash: true,
        ..Default::default()
    };
    assert_eq!(all_customers(&store, &trash), vec![c.id]);
    assert!(matches!(
        store.add_ticket(TicketDraft::new(c.id, "x")),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.log_interaction(note(c.id, "x")),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.add_followup(FollowupDraft::new(c.id, today())),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.replace_customer(c.id, person("x")),
        Err(StoreError::Conflict(_))
    ));

    store.restore_customer(c.id).unwrap();
    assert!(finds(&store, "xavier", Entity::Customer, c.id));
    assert!(finds(&store, "scanner", Entity::Ticket, t.id));
    assert!(finds(&store, "wombat", Entity::Interaction, i.id));
    assert_eq!(all_customers(&store, &CustomerQuery::default()), vec![c.id]);
    assert!(all_customers(&store, &trash).is_empty());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

#[test]
fn search_ranks_names_and_respects_limit() {
    let (_dir, _path, mut store) = fresh();
    let mut by_note = person("Somebody Else");
    by_note.notes = Some("talked to walrus team".into());
    let by_note = store.add_customer(by_note).unwrap();
    let by_name = store.add_customer(person("Walrus Industries")).unwrap();
    let found = store.search("walrus", 10).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].id, by_name.id,
        "a name match ranks above a notes match"
    );
    assert_eq!(found[1].id, by_note.id);
    assert_eq!(store.search("walrus", 1).unwrap().len(), 1);
    assert!(store.search("", 10).unwrap().is_empty());
    assert!(store.search("   ", 10).unwrap().is_empty());
}

#[test]
fn hostile_search_syntax_never_errors() {
    let (_dir, _path, mut store) = fresh();
    let mut c = person("Alpha Beta");
    c.notes = Some("a:b NEAR OR AND NOT -x".into());
    let c = store.add_customer(c).unwrap();
    store
        .add_ticket(TicketDraft::new(c.id, "Quote \" inside"))
        .unwrap();
    store
        .log_interaction(note(c.id, "Star * and (parens)"))
        .unwrap();
    let nasty = [
        "\"",
        "\"\"",
        "OR",
        "AND",
        "NOT",
        "OR OR",
        "alpha OR",
        "NEAR(",
        "NEAR(a b, 2)",
        "*",
        "**",
        "a:b",
        "name:alpha",
        "-x",
        "- -",
        "+",
        "^alpha",
        "(",
        ")",
        "(alpha",
        "{name}: alpha",
        "'",
        "a\"b",
        "alpha*beta",
        "\u{0}",
        "\\",
        "%",
        "_",
        "a AND (b OR",
        "🙂",
        "ʼ",
        "\t\n",
    ];
    for q in nasty {
        store
            .search(q, 50)
            .unwrap_or_else(|e| panic!("search {q:?}: {e}"));
        let query = CustomerQuery {
            search: Some(q.into()),
            ..Default::default()
        };
        store
            .customers_page(&query, None, 50)
            .unwrap_or_else(|e| panic!("list {q:?}: {e}"));
    }
    // Operators are plain words: "OR" matches the note that contains it.
    assert!(finds(&store, "OR", Entity::Customer, c.id));
    assert!(finds(&store, "a:b", Entity::Customer, c.id));
}

// ---------------------------------------------------------------- trash

#[test]
fn soft_delete_and_restore_conflicts() {
    let (_dir, _path, mut store) = fresh();
    let a = store.add_customer(person("Alice")).unwrap();
    let b = store.add_customer(person("Bob")).unwrap();
    assert!(matches!(
        store.restore_customer(a.id),
        Err(StoreError::Conflict(_))
    ));
    let deleted = store.delete_customer(a.id).unwrap();
    assert_eq!(deleted.deleted_at, Some(now()));
    assert!(matches!(
        store.delete_customer(a.id),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.delete_customer(9999),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.restore_customer(9999),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(all_customers(&store, &CustomerQuery::default()), vec![b.id]);
    let trash = CustomerQuery {
        trash: true,
        ..Default::default()
    };
    assert_eq!(all_customers(&store, &trash), vec![a.id]);
    assert_eq!(store.counts().unwrap().customers, 1);

    // An organization in the trash cannot gain people.
    let acme = store.add_customer(org("Acme")).unwrap();
    store.delete_customer(acme.id).unwrap();
    let mut p = person("Late Joiner");
    p.organization_id = Some(acme.id);
    assert!(matches!(
        store.add_customer(p),
        Err(StoreError::Conflict(_))
    ));

    let restored = store.restore_customer(a.id).unwrap();
    assert_eq!(restored.deleted_at, None);
    assert!(matches!(
        store.restore_customer(a.id),
        Err(StoreError::Conflict(_))
    ));
    let mut live = all_customers(&store, &CustomerQuery::default());
    live.sort();
    assert_eq!(live, vec![a.id, b.id]);
}

#[test]
fn trash_pages_newest_deleted_first() {
    let (_dir, _path, mut store) = fresh();
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(store.add_customer(person(&format!("Gone {i}"))).unwrap().id);
    }
    for (i, id) in ids.iter().enumerate() {
        // Pairs share a deletion time.
        let when = Timestamp::from_second(now().as_second() + (i as i64 / 2) * 60).unwrap();
        store = store.with_clock(clock(when));
        store.delete_customer(*id).unwrap();
    }
    let trash = CustomerQuery {
        trash: true,
        ..Default::default()
    };
    let got: Vec<i64> = walk(|a| store.customers_page(&trash, a, 3).unwrap())
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut want = ids.clone();
    want.reverse();
    assert_eq!(got, want);
}

#[test]
fn trashed_customers_work_leaves_every_list() {
    let (_dir, _path, mut store) = fresh();
    let keep = store.add_customer(person("Kept")).unwrap();
    let gone = store.add_customer(person("Trashed")).unwrap();
    for c in [&keep, &gone] {
        store
            .add_ticket(TicketDraft::new(c.id, "Old ticket"))
            .unwrap();
        let mut f = FollowupDraft::new(c.id, today());
        f.due_on = date(2026, 11, 1);
        store.add_followup(f).unwrap();
        store.log_interaction(note(c.id, "A note")).unwrap();
    }
    store.delete_customer(gone.id).unwrap();
    let tickets = walk(|a| store.tickets_page(&TicketQuery::default(), a, 10).unwrap());
    assert_eq!(
        tickets.iter().map(|t| t.customer_id).collect::<Vec<_>>(),
        vec![keep.id]
    );
    let followups = walk(|a| {
        store
            .followups_page(&FollowupQuery::default(), a, 10)
            .unwrap()
    });
    assert_eq!(
        followups.iter().map(|f| f.customer_id).collect::<Vec<_>>(),
        vec![keep.id]
    );
    assert!(
        hits(&store, "ticket")
            .iter()
            .all(|(_, id)| tickets.iter().any(|t| t.id == *id))
    );
    assert_eq!(hits(&store, "note").len(), 1);
}

/// The status bar ("3 overdue · 2 breaching") comes from `counts`, the agenda
/// from the lists: they must agree once a customer is in the trash.
#[test]
fn counts_agree_with_lists_when_a_customer_is_trashed() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Breaching")).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Urgent thing"))
        .unwrap();
    let mut f = FollowupDraft::new(c.id, today());
    f.due_on = date(2026, 11, 1);
    store.add_followup(f).unwrap();
    store.log_interaction(note(c.id, "Logged")).unwrap();
    let store_later = |store: Store| store.with_clock(clock(at("2026-12-31T00:00:00Z")));
    let mut store = store_later(store);
    assert!(
        store
            .ticket(t.id)
            .unwrap()
            .is_breached(store.sla(), store.clock().now())
    );
    store.delete_customer(c.id).unwrap();
    let counts = store.counts().unwrap();
    let now = store.clock().now();
    let open = walk(|a| store.tickets_page(&TicketQuery::default(), a, 10).unwrap());
    let breached = walk(|a| {
        store
            .tickets_page(
                &TicketQuery {
                    due_before: Some(now),
                    ..Default::default()
                },
                a,
                10,
            )
            .unwrap()
    });
    let planned = walk(|a| {
        store
            .followups_page(&FollowupQuery::default(), a, 10)
            .unwrap()
    });
    assert_eq!(counts.customers, 0);
    assert_eq!(counts.open_tickets, open.len() as i64, "open tickets");
    assert_eq!(
        counts.breached_tickets,
        breached.len() as i64,
        "breached tickets"
    );
    assert_eq!(
        counts.planned_followups,
        planned.len() as i64,
        "planned follow-ups"
    );
    assert_eq!(counts.overdue_followups, 0, "overdue follow-ups");
}

/// Trashing an organization must not freeze its (live) people: editing a
/// person's phone does not touch their organization link.
#[test]
fn people_of_a_trashed_organization_stay_editable() {
    let (_dir, _path, mut store) = fresh();
    let acme = store.add_customer(org("Acme")).unwrap();
    let mut p = person("Employee");
    p.organization_id = Some(acme.id);
    let p = store.add_customer(p).unwrap();
    store.delete_customer(acme.id).unwrap();
    let mut edit = p.draft();
    edit.phone = Some("555 0199".into());
    let edited = store
        .replace_customer(p.id, edit)
        .expect("editing the phone of a live person");
    assert_eq!(edited.phone.as_deref(), Some("555 0199"));
}

// ---------------------------------------------------------------- undo

#[test]
fn undo_with_nothing_to_undo() {
    let (_dir, _path, mut store) = fresh();
    assert_eq!(store.undo_last().unwrap(), None);
    assert_eq!(store.undo_last().unwrap(), None);
}

#[test]
fn undo_add_removes_the_record() {
    let (_dir, _path, mut store) = fresh();
    let mut draft = person("Undone Person");
    draft.tags = vec!["temp".into()];
    let c = store.add_customer(draft).unwrap();
    assert!(finds(&store, "undone", Entity::Customer, c.id));
    let undone = store.undo_last().unwrap().expect("something to undo");
    assert_eq!(undone.action, "customer.add");
    assert_eq!(undone.record_id, c.id);
    assert!(matches!(
        store.customer(c.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(hits(&store, "undone").is_empty());
    assert!(
        all_customers(
            &store,
            &CustomerQuery {
                tag: Some("temp".into()),
                ..Default::default()
            }
        )
        .is_empty()
    );
    assert_eq!(store.undo_last().unwrap(), None);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

#[test]
fn undo_edit_restores_every_field_and_tags() {
    let (_dir, _path, mut store) = fresh();
    let acme = store.add_customer(org("Acme")).unwrap();
    let globex = store.add_customer(org("Globex")).unwrap();
    let mut draft = person("Original Name");
    draft.organization_id = Some(acme.id);
    draft.email = Some("orig@example.com".into());
    draft.phone = Some("555 0100".into());
    draft.title = Some("Engineer".into());
    draft.segment = Some("SMB".into());
    draft.tags = vec!["alpha".into(), "beta".into()];
    draft.stage = Stage::Onboarding;
    draft.owner = Some("sam".into());
    draft.renewal_on = Some(date(2027, 3, 1));
    draft.contract_value = Some(Money {
        minor: 50_000,
        currency: "USD".into(),
    });
    draft.notes = Some("original notes".into());
    let original = store.add_customer(draft).unwrap();

    let mut store = store.with_clock(clock(at("2026-11-26T10:00:00Z")));
    let edit = CustomerDraft {
        kind: CustomerKind::Person,
        name: "Changed Name".into(),
        organization_id: Some(globex.id),
        email: Some("changed@example.com".into()),
        phone: None,
        title: Some("Manager".into()),
        segment: Some("Enterprise".into()),
        tags: vec!["beta".into(), "gamma".into()],
        stage: Stage::AtRisk,
        owner: None,
        renewal_on: Some(date(2028, 1, 1)),
        contract_value: Some(Money {
            minor: 90_000,
            currency: "EUR".into(),
        }),
        notes: None,
        extra: Default::default(),
    };
    let changed = store.replace_customer(original.id, edit.clone()).unwrap();
    assert_eq!(changed.draft(), edit);
    assert!(finds(&store, "changed", Entity::Customer, original.id));

    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.action, "customer.edit");
    let back = store.customer(original.id).unwrap();
    assert_eq!(back.draft(), original.draft());
    assert_eq!(back.organization.as_deref(), Some("Acme"));
    assert!(finds(&store, "original", Entity::Customer, original.id));
    assert!(!finds(&store, "changed", Entity::Customer, original.id));
    assert!(finds(&store, "notes", Entity::Customer, original.id));
    let gamma = CustomerQuery {
        tag: Some("gamma".into()),
        ..Default::default()
    };
    assert!(all_customers(&store, &gamma).is_empty());
    let alpha = CustomerQuery {
        tag: Some("alpha".into()),
        ..Default::default()
    };
    assert_eq!(all_customers(&store, &alpha), vec![original.id]);
}

#[test]
fn undo_delete_restores() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Phoenix Rising")).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Ashes everywhere"))
        .unwrap();
    store.delete_customer(c.id).unwrap();
    assert!(hits(&store, "phoenix").is_empty());
    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.action, "customer.delete");
    assert_eq!(store.customer(c.id).unwrap().deleted_at, None);
    assert!(finds(&store, "phoenix", Entity::Customer, c.id));
    assert!(finds(&store, "ashes", Entity::Ticket, t.id));
    let trash = CustomerQuery {
        trash: true,
        ..Default::default()
    };
    assert!(all_customers(&store, &trash).is_empty());

    // Restore can be undone too (back into the trash).
    store.delete_customer(c.id).unwrap();
    store.restore_customer(c.id).unwrap();
    assert_eq!(
        store.undo_last().unwrap().unwrap().action,
        "customer.restore"
    );
    assert!(store.customer(c.id).unwrap().deleted_at.is_some());
    assert!(hits(&store, "phoenix").is_empty());
}

#[test]
fn undo_ticket_status_change() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Ticketed")).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Broken widget"))
        .unwrap();
    let open = TicketChange {
        status: Some(TicketStatus::Open),
        ..Default::default()
    };
    let opened = store.change_ticket(t.id, &open).unwrap();
    let mut store = store.with_clock(clock(at("2026-11-27T10:00:00Z")));
    let close = TicketChange {
        status: Some(TicketStatus::Closed),
        csat: Some(2),
        ..Default::default()
    };
    let closed = store.change_ticket(t.id, &close).unwrap();
    assert_eq!(closed.resolved_at, Some(at("2026-11-27T10:00:00Z")));

    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.action, "ticket.set");
    assert_eq!(undone.table, "tickets");
    assert_eq!(undone.record_id, t.id);
    let back = store.ticket(t.id).unwrap();
    assert_eq!(back.status, TicketStatus::Open);
    assert_eq!(back.resolved_at, None);
    assert_eq!(back.csat, None);
    assert_eq!(back.due_at, opened.due_at);

    // Subject edit → undo: the old subject is searchable again.
    let rename = TicketChange {
        subject: Some("Shiny gadget".into()),
        ..Default::default()
    };
    store.change_ticket(t.id, &rename).unwrap();
    store.undo_last().unwrap().unwrap();
    assert_eq!(store.ticket(t.id).unwrap().subject, "Broken widget");
    assert!(finds(&store, "widget", Entity::Ticket, t.id));
    assert!(!finds(&store, "gadget", Entity::Ticket, t.id));

    // Deleting a ticket → undo brings it back into lists and search.
    store.delete_ticket(t.id).unwrap();
    assert!(hits(&store, "widget").is_empty());
    assert_eq!(store.undo_last().unwrap().unwrap().action, "ticket.delete");
    assert_eq!(store.ticket(t.id).unwrap().deleted_at, None);
    assert!(finds(&store, "widget", Entity::Ticket, t.id));

    // Adding a ticket → undo removes it.
    store.undo_last().unwrap().unwrap(); // status open → new
    assert_eq!(store.ticket(t.id).unwrap().status, TicketStatus::New);
    assert_eq!(store.undo_last().unwrap().unwrap().action, "ticket.add");
    assert!(matches!(
        store.ticket(t.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(hits(&store, "widget").is_empty());
}

#[test]
fn undo_finishing_a_recurring_followup() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Recurring")).unwrap();
    let mut draft = FollowupDraft::new(c.id, today());
    draft.recurrence = Recurrence::parse("1m").unwrap();
    let f = store.add_followup(draft).unwrap();
    let (_, next) = store
        .finish_followup(f.id, FollowupStatus::Done, Some("fine"))
        .unwrap();
    let next = next.unwrap();
    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.action, "followup.done");
    assert!(matches!(
        store.followup(next.id),
        Err(StoreError::NotFound { .. })
    ));
    let back = store.followup(f.id).unwrap();
    assert_eq!(back.status, FollowupStatus::Planned);
    assert_eq!(back.completed_at, None);
    assert_eq!(back.outcome, None);
    let planned = walk(|a| {
        store
            .followups_page(&FollowupQuery::default(), a, 10)
            .unwrap()
    });
    assert_eq!(planned.iter().map(|f| f.id).collect::<Vec<_>>(), vec![f.id]);
    // Deleting a follow-up → undo brings it back.
    store.delete_followup(f.id).unwrap();
    assert!(
        walk(|a| store
            .followups_page(&FollowupQuery::default(), a, 10)
            .unwrap())
        .is_empty()
    );
    assert_eq!(
        store.undo_last().unwrap().unwrap().action,
        "followup.delete"
    );
    assert_eq!(store.followup(f.id).unwrap().deleted_at, None);
    // It can be finished again afterwards.
    let (_, again) = store
        .finish_followup(f.id, FollowupStatus::Skipped, None)
        .unwrap();
    assert_eq!(again.unwrap().due_on, next.due_on);
}

#[test]
fn undo_log_removes_interaction_and_first_response() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Logged")).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Need help"))
        .unwrap();
    let mut reply = note(c.id, "Answered the hedgehog question");
    reply.ticket_id = Some(t.id);
    reply.direction = Direction::Outbound;
    let i = store.log_interaction(reply).unwrap();
    assert_eq!(store.ticket(t.id).unwrap().first_response_at, Some(now()));
    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.action, "interaction.log");
    assert!(matches!(
        store.interaction(i.id),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.ticket(t.id).unwrap().first_response_at, None);
    assert!(hits(&store, "hedgehog").is_empty());
    assert!(walk(|a| store.interactions_page(c.id, a, 5).unwrap()).is_empty());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

#[test]
fn repeated_undo_walks_back_in_order() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Step Zero")).unwrap();
    let mut edit = c.draft();
    edit.name = "Step One".into();
    store.replace_customer(c.id, edit).unwrap();
    let mut edit = store.customer(c.id).unwrap().draft();
    edit.name = "Step Two".into();
    edit.tags = vec!["two".into()];
    store.replace_customer(c.id, edit).unwrap();
    let t = store
        .add_ticket(TicketDraft::new(c.id, "Step three ticket"))
        .unwrap();
    let i = store.log_interaction(note(c.id, "Step four log")).unwrap();

    assert_eq!(
        store.undo_last().unwrap().unwrap().action,
        "interaction.log"
    );
    assert!(store.interaction(i.id).is_err());
    assert!(store.ticket(t.id).is_ok());
    assert_eq!(store.undo_last().unwrap().unwrap().action, "ticket.add");
    assert!(store.ticket(t.id).is_err());
    assert_eq!(store.customer(c.id).unwrap().name, "Step Two");
    assert_eq!(store.undo_last().unwrap().unwrap().action, "customer.edit");
    let one = store.customer(c.id).unwrap();
    assert_eq!(one.name, "Step One");
    assert!(one.tags.is_empty());
    assert_eq!(store.undo_last().unwrap().unwrap().action, "customer.edit");
    assert_eq!(store.customer(c.id).unwrap().name, "Step Zero");
    assert!(finds(&store, "zero", Entity::Customer, c.id));
    assert!(!finds(&store, "one", Entity::Customer, c.id));
    assert_eq!(store.undo_last().unwrap().unwrap().action, "customer.add");
    assert!(store.customer(c.id).is_err());
    assert_eq!(store.undo_last().unwrap(), None);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

#[test]
fn undo_works_across_reopen() {
    let (_dir, path, mut store) = fresh();
    let c = store.add_customer(person("Persistent Pat")).unwrap();
    let mut edit = c.draft();
    edit.name = "Ephemeral Pat".into();
    store.replace_customer(c.id, edit).unwrap();
    drop(store);

    let mut store = open(&path);
    assert_eq!(store.undo_last().unwrap().unwrap().action, "customer.edit");
    assert_eq!(store.customer(c.id).unwrap().name, "Persistent Pat");
    drop(store);

    let mut store = open(&path);
    assert_eq!(store.customer(c.id).unwrap().name, "Persistent Pat");
    assert!(finds(&store, "persistent", Entity::Customer, c.id));
    assert_eq!(store.undo_last().unwrap().unwrap().action, "customer.add");
    assert_eq!(store.undo_last().unwrap(), None);
}

#[test]
fn no_op_edit_records_no_change() {
    let (_dir, _path, mut store) = fresh();
    let mut draft = person("Same Same");
    draft.tags = vec!["x".into()];
    let c = store.add_customer(draft).unwrap();
    let mut edit = c.draft();
    edit.name = "Different".into();
    let edited = store.replace_customer(c.id, edit).unwrap();

    let mut store = store.with_clock(clock(at("2026-12-01T00:00:00Z")));
    // Identical values (also with cosmetic whitespace and tag case) change nothing.
    let mut same = edited.draft();
    same.name = "  Different ".into();
    same.tags = vec!["X".into()];
    let after = store.replace_customer(c.id, same).unwrap();
    assert_eq!(
        after.updated_at, edited.updated_at,
        "a no-op edit does not touch updated_at"
    );
    let ticket = store.add_ticket(TicketDraft::new(c.id, "t")).unwrap();
    store
        .change_ticket(ticket.id, &TicketChange::default())
        .unwrap();
    let same_status = TicketChange {
        status: Some(TicketStatus::New),
        ..Default::default()
    };
    store.change_ticket(ticket.id, &same_status).unwrap();

    assert_eq!(store.undo_last().unwrap().unwrap().action, "ticket.add");
    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.action, "customer.edit");
    assert_eq!(store.customer(c.id).unwrap().name, "Same Same");
    assert_eq!(store.undo_last().unwrap().unwrap().action, "customer.add");
    assert_eq!(store.undo_last().unwrap(), None);
}

// ---------------------------------------------------------------- paging

fn by_name_key(name: &str, id: i64) -> (String, i64) {
    (name.to_ascii_lowercase(), id)
}

#[test]
fn customers_keyset_paging_with_colliding_names() {
    let (_dir, _path, mut store) = fresh();
    let spellings = [
        "Same Name",
        "same name",
        "SAME NAME",
        "Same name",
        "Same Name",
    ];
    let others = [
        "alpha",
        "Alpha",
        "ALPHA",
        "beta",
        "Zed",
        "zed",
        "Mid Point",
        "mid point",
        "a",
        "B",
    ];
    let mut created = Vec::new();
    for i in 0..250 {
        // Ten customers share each updated_at, so that order has ties too.
        let when = Timestamp::from_second(now().as_second() - 3600 + (i as i64 / 10) * 60).unwrap();
        store = store.with_clock(clock(when));
        let name = if i % 2 == 0 {
            spellings[i % spellings.len()].to_string()
        } else if i % 3 == 0 {
            others[i % others.len()].to_string()
        } else {
            format!("Customer {:03}", (i * 37) % 101)
        };
        created.push(store.add_customer(person(&name)).unwrap());
    }
    // Touch a few so updated_at is not insertion order.
    store = store.with_clock(clock(now()));
    for c in created.iter().step_by(17) {
        let mut d = c.draft();
        d.title = Some("touched".into());
        store.replace_customer(c.id, d).unwrap();
    }
    let current: Vec<_> = created
        .iter()
        .map(|c| store.customer(c.id).unwrap())
        .collect();

    let mut want_name: Vec<_> = current
        .iter()
        .map(|c| (by_name_key(&c.name, c.id), c.id))
        .collect();
    want_name.sort();
    let want_name: Vec<i64> = want_name.into_iter().map(|(_, id)| id).collect();
    let mut want_recent: Vec<_> = current.iter().map(|c| (c.updated_at, c.id)).collect();
    want_recent.sort_by(|a, b| b.cmp(a));
    let want_recent: Vec<i64> = want_recent.into_iter().map(|(_, id)| id).collect();

    for (sort, want) in [
        (CustomerSort::Name, want_name),
        (CustomerSort::RecentlyUpdated, want_recent),
    ] {
        let query = CustomerQuery {
            sort,
            ..Default::default()
        };
        let got: Vec<i64> = walk(|a| store.customers_page(&query, a, 7).unwrap())
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_unique(&got);
        assert_eq!(got.len(), 250, "{sort:?}");
        assert_eq!(got, want, "{sort:?}");
        // One big page agrees with the small ones.
        let one: Vec<i64> = store
            .customers_page(&query, None, 1000)
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(one, got, "{sort:?}");
        // Walking backward from the end gives the same rows, in display order.
        let mut backward: Vec<i64> = Vec::new();
        let mut before: Option<Cursor> = None;
        loop {
            let page = store
                .customers_page_before(&query, before.as_ref(), 7)
                .unwrap();
            let mut ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
            ids.extend(backward);
            backward = ids;
            match page.next {
                Some(cursor) => before = Some(cursor),
                None => break,
            }
        }
        assert_eq!(backward, got, "backward {sort:?}");
    }

    // Filtered paging (search) also visits each match once.
    let same = CustomerQuery {
        search: Some("same name".into()),
        ..Default::default()
    };
    let got: Vec<i64> = walk(|a| store.customers_page(&same, a, 7).unwrap())
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_unique(&got);
    assert_eq!(got.len(), 125);

    // An exact multiple of the page size ends without an empty page.
    let page = store
        .customers_page(&CustomerQuery::default(), None, 250)
        .unwrap();
    assert_eq!(page.items.len(), 250);
    assert!(page.next.is_none());
}

#[test]
fn tickets_keyset_paging() {
    let (_dir, _path, mut store) = fresh();
    let a = store.add_customer(person("Ticket A")).unwrap();
    let b = store.add_customer(person("Ticket B")).unwrap();
    let priorities = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];
    let mut tickets = Vec::new();
    for i in 0..60 {
        // Groups of 4 share opened_at.
        let when = Timestamp::from_second(now().as_second() - 86_400 * 10 + (i as i64 / 4) * 3600)
            .unwrap();
        store = store.with_clock(clock(when));
        let mut draft =
            TicketDraft::new(if i % 3 == 0 { b.id } else { a.id }, format!("Ticket {i}"));
        draft.priority = priorities[i % 4];
        tickets.push(store.add_ticket(draft).unwrap());
    }
    store = store.with_clock(clock(now()));

    let mut want: Vec<_> = tickets.iter().map(|t| (t.opened_at, t.id)).collect();
    want.sort_by(|x, y| y.cmp(x));
    let want: Vec<i64> = want.into_iter().map(|(_, id)| id).collect();
    let got: Vec<i64> = walk(|c| store.tickets_page(&TicketQuery::default(), c, 7).unwrap())
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_unique(&got);
    assert_eq!(got, want);

    let only_b = TicketQuery {
        customer_id: Some(b.id),
        ..Default::default()
    };
    let got_b: Vec<i64> = walk(|c| store.tickets_page(&only_b, c, 7).unwrap())
        .into_iter()
        .map(|t| t.id)
        .collect();
    let want_b: Vec<i64> = want
        .iter()
        .copied()
        .filter(|id| tickets.iter().any(|t| t.id == *id && t.customer_id == b.id))
        .collect();
    assert_eq!(got_b, want_b);

    // Due before now (breached SLA): soonest due first, with due_at ties.
    let breached = TicketQuery {
        due_before: Some(now()),
        ..Default::default()
    };
    let mut want_due: Vec<_> = tickets
        .iter()
        .filter(|t| t.due_at < now())
        .map(|t| (t.due_at, t.id))
        .collect();
    want_due.sort();
    let want_due: Vec<i64> = want_due.into_iter().map(|(_, id)| id).collect();
    assert!(want_due.len() > 7);
    let got_due: Vec<i64> = walk(|c| store.tickets_page(&breached, c, 7).unwrap())
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(got_due, want_due);
}

#[test]
fn followups_keyset_paging() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Followups")).unwrap();
    let mut made = Vec::new();
    for i in 0..45 {
        let mut draft = FollowupDraft::new(c.id, today());
        // Five distinct dates, many follow-ups each; inserted out of date order.
        draft.due_on = today()
            .checked_add(jiff::Span::new().days((i * 7 % 5) as i64))
            .unwrap();
        made.push(store.add_followup(draft).unwrap());
    }
    let mut want: Vec<_> = made.iter().map(|f| (f.due_on, f.id)).collect();
    want.sort();
    let want: Vec<i64> = want.into_iter().map(|(_, id)| id).collect();
    let got: Vec<i64> = walk(|a| {
        store
            .followups_page(&FollowupQuery::default(), a, 7)
            .unwrap()
    })
    .into_iter()
    .map(|f| f.id)
    .collect();
    assert_unique(&got);
    assert_eq!(got, want);

    let before = FollowupQuery {
        due_before: Some(today().checked_add(jiff::Span::new().days(2)).unwrap()),
        ..Default::default()
    };
    let got: Vec<i64> = walk(|a| store.followups_page(&before, a, 4).unwrap())
        .into_iter()
        .map(|f| f.id)
        .collect();
    let want_before: Vec<i64> = want
        .iter()
        .copied()
        .filter(|id| {
            made.iter()
                .any(|f| f.id == *id && f.due_on < date(2026, 11, 27))
        })
        .collect();
    assert_eq!(got, want_before);
}

#[test]
fn interactions_keyset_paging() {
    let (_dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Log Heavy")).unwrap();
    let other = store.add_customer(person("Someone Else")).unwrap();
    store.log_interaction(note(other.id, "not mine")).unwrap();
    let mut made = Vec::new();
    for i in 0..30 {
        let mut d = note(c.id, &format!("Entry {i}"));
        // Six distinct instants, five entries each, not in insertion order.
        d.occurred_at =
            Timestamp::from_second(now().as_second() - ((i * 11 % 6) as i64) * 600).unwrap();
        made.push(store.log_interaction(d).unwrap());
    }
    let mut want: Vec<_> = made.iter().map(|i| (i.occurred_at, i.id)).collect();
    want.sort_by(|a, b| b.cmp(a));
    let want: Vec<i64> = want.into_iter().map(|(_, id)| id).collect();
    for limit in [1, 4, 7, 30] {
        let got: Vec<i64> = walk(|a| store.interactions_page(c.id, a, limit).unwrap())
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_unique(&got);
        assert_eq!(got, want, "limit {limit}");
    }
}

// ---------------------------------------------------------------- migrations and files

#[test]
fn fresh_file_gets_latest_schema_and_reopens() {
    let (_dir, path, store) = fresh();
    drop(store);
    assert_eq!(user_version(&path), latest_version());
    assert_eq!(latest_version(), MIGRATIONS.last().unwrap().0);
    let mut store = open(&path);
    store.add_customer(person("Second Open")).unwrap();
    drop(store);
    let store = open(&path);
    assert_eq!(store.counts().unwrap().customers, 1);
    assert_eq!(user_version(&path), latest_version());
}

#[test]
fn missing_folders_are_created() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("a").join("b").join("crm.db");
    let store = open(&path);
    assert_eq!(store.path(), path.as_path());
    assert!(path.exists());
}

#[test]
fn newer_schema_is_refused_untouched() {
    let (_dir, path, mut store) = fresh();
    store.add_customer(person("From The Future")).unwrap();
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 5)
            .unwrap();
    }
    let before = bytes(&path);
    match Store::open(&path) {
        Err(StoreError::TooNew {
            found, supported, ..
        }) => {
            assert_eq!(found, latest_version() + 5);
            assert_eq!(supported, latest_version());
        }
        Err(e) => panic!("expected TooNew, got {e}"),
        Ok(_) => panic!("expected TooNew, got a store"),
    }
    assert_eq!(bytes(&path), before, "the file must not change");
    assert!(!path.with_extension("db.bak").exists());
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["crm.db"], "no backup or side files left behind");
    assert_eq!(user_version(&path), latest_version() + 5);
}

#[test]
fn text_file_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "Dear diary,\nthis is not a database.\n").unwrap();
    let before = bytes(&path);
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotTuicrm { .. })
    ));
    assert_eq!(bytes(&path), before);
    // Short files too.
    std::fs::write(&path, "x").unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotTuicrm { .. })
    ));
    assert_eq!(bytes(&path), b"x");
}

#[test]
fn folder_is_refused() {
    let dir = TempDir::new().unwrap();
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::NotTuicrm { .. })
    ));
}

#[test]
fn empty_file_is_initialised() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::File::create(&path).unwrap();
    let mut store = open(&path);
    store.add_customer(person("First")).unwrap();
    drop(store);
    assert_eq!(user_version(&path), latest_version());
}

#[test]
fn other_programs_database_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO songs (title) VALUES ('la');")
            .unwrap();
        let app: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, 0);
    }
    let before = bytes(&path);
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotTuicrm { .. })
    ));
    assert_eq!(bytes(&path), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["other.sqlite"],
        "no backup or side files left behind"
    );

    // Another program's id on an otherwise empty file is refused as well.
    let path2 = dir.path().join("other2.sqlite");
    {
        let conn = Connection::open(&path2).unwrap();
        conn.pragma_update(None, "application_id", 42).unwrap();
    }
    let before = bytes(&path2);
    assert!(matches!(
        Store::open(&path2),
        Err(StoreError::NotTuicrm { .. })
    ));
    assert_eq!(bytes(&path2), before);
}

#[test]
fn older_schema_is_backed_up_and_upgraded() {
    assert!(
        MIGRATIONS.len() >= 2,
        "needs an older version to upgrade from"
    );
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrate_to(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO customers (kind, name, email, stage, created_at, updated_at)
             VALUES ('person', 'Legacy Larry', 'larry@old.example', 'active',
                     '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        conn.pragma_update(
            None,
            "application_id",
            tuicrm::store::migrations::APPLICATION_ID,
        )
        .unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let store = open(&path);
    let found = store.search("legacy", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Legacy Larry");
    assert!(finds(&store, "larry@old", Entity::Customer, found[0].id));
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    drop(store);
    assert_eq!(user_version(&path), latest_version());

    let backups: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("old.db.v1-") && name.ends_with(".bak")
        })
        .collect();
    assert_eq!(backups.len(), 1, "one old.db.v1-*.bak beside the DB");
    assert_eq!(
        user_version(&backups[0]),
        1,
        "the backup keeps the old schema"
    );
    let conn = Connection::open(&backups[0]).unwrap();
    let name: String = conn
        .query_row("SELECT name FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Legacy Larry");
}

#[cfg(unix)]
#[test]
fn new_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path, store) = fresh();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "db mode {mode:o}");
    let backup = dir.path().join("copy.db");
    store.backup_to(&backup).unwrap();
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "backup mode {mode:o}");
}

#[cfg(unix)]
#[test]
fn read_only_file_opens_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path, mut store) = fresh();
    store.add_customer(person("Frozen")).unwrap();
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    if std::fs::OpenOptions::new().append(true).open(&path).is_ok() {
        return; // running as root: permissions do not apply
    }
    let mut store = open(&path);
    assert!(store.is_read_only());
    assert_eq!(store.counts().unwrap().customers, 1);
    assert!(matches!(
        store.add_customer(person("Nope")),
        Err(StoreError::ReadOnly { .. })
    ));
}

// ---------------------------------------------------------------- bulk, check, backup

#[test]
fn demo_accounts_load_consistently() {
    let (_dir, _path, mut store) = fresh();
    let accounts: Vec<_> =
        DemoGenerator::new(300, 1, now(), TimeZone::UTC, SlaPolicy::default()).collect();
    let people: Vec<_> = accounts
        .iter()
        .flat_map(|a| a.organization.iter().chain(&a.people))
        .collect();
    assert_eq!(people.len(), 300);
    let added = store.insert_accounts("demo", &accounts).unwrap();
    assert_eq!(added, 300);

    let counts = store.counts().unwrap();
    assert_eq!(counts.customers, 300);
    let tickets = people.iter().flat_map(|p| &p.tickets);
    let open: Vec<_> = tickets.filter(|t| !t.status.is_finished()).collect();
    assert_eq!(counts.open_tickets, open.len() as i64);
    // Either clock past due, as each ticket's clocks tell.
    let sla = store.sla().clone();
    assert_eq!(
        counts.breached_tickets,
        open.iter().filter(|t| t.is_breached(&sla, now())).count() as i64
    );
    let planned: Vec<_> = people
        .iter()
        .flat_map(|p| &p.followups)
        .filter(|f| f.status == FollowupStatus::Planned)
        .collect();
    assert_eq!(counts.planned_followups, planned.len() as i64);
    assert_eq!(
        counts.overdue_followups,
        planned.iter().filter(|f| f.due_on < today()).count() as i64
    );
    assert_eq!(
        counts.interactions,
        people.iter().map(|p| p.interactions.len()).sum::<usize>() as i64
    );

    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let name = &people[people.len() / 2].draft.name;
    let found = store.search(name, 1000).unwrap();
    assert!(
        found
            .iter()
            .any(|h| h.kind == Entity::Customer && &h.title == name),
        "search {name:?} found {found:?}"
    );
    // A bulk load is not undoable, and says so.
    assert!(matches!(store.undo_last(), Err(StoreError::Conflict(_))));
    assert_eq!(store.counts().unwrap().customers, 300);
}

#[test]
fn a_fresh_load_builds_the_same_database_as_batches() {
    let generate = || DemoGenerator::new(300, 7, now(), TimeZone::UTC, SlaPolicy::default());
    let (_dir, batched_path, mut batched) = fresh();
    let batches: Vec<_> = generate().collect();
    batched.insert_accounts("demo", &batches).unwrap();
    let (_dir2, path, mut store) = fresh();
    assert_eq!(store.load_into_empty("demo", generate()).unwrap(), 300);
    assert_eq!(store.counts().unwrap(), batched.counts().unwrap());
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let schema = |path: &Path| -> Vec<(String, String)> {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(schema(&path), schema(&batched_path), "every index is back");
    let journal: String = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let name = "Sofia";
    assert_eq!(
        hits(&store, name).len(),
        hits(&batched, name).len(),
        "the search index is filled"
    );
    // Only into an empty database.
    assert!(matches!(
        store.load_into_empty("demo", generate()),
        Err(StoreError::Conflict(_))
    ));
}

#[test]
fn check_finds_planted_problems() {
    let (_dir, path, mut store) = fresh();
    let c = store.add_customer(person("Healthy")).unwrap();
    let t = store.add_ticket(TicketDraft::new(c.id, "Fine")).unwrap();
    assert!(store.check().unwrap().is_empty());
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE tickets SET csat = 3, status = 'open' WHERE id = ?1",
            [t.id],
        )
        .unwrap();
    }
    let store = open(&path);
    let problems = store.check().unwrap();
    assert!(!problems.is_empty());
    assert!(problems.iter().any(|p| p.contains("CSAT")), "{problems:?}");
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute("DELETE FROM customers_fts WHERE rowid = ?1", [c.id])
            .unwrap();
    }
    let problems = open(&path).check().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("search index")),
        "{problems:?}"
    );
}

#[test]
fn backup_copies_and_never_overwrites() {
    let (dir, _path, mut store) = fresh();
    let c = store.add_customer(person("Backed Up")).unwrap();
    store
        .add_ticket(TicketDraft::new(c.id, "Copied ticket"))
        .unwrap();
    store.log_interaction(note(c.id, "Copied log")).unwrap();
    store
        .add_followup(FollowupDraft::new(c.id, today()))
        .unwrap();
    let target = dir.path().join("backup.db");
    store.backup_to(&target).unwrap();
    let copy = open(&target);
    assert_eq!(copy.counts().unwrap(), store.counts().unwrap());
    assert!(finds(&copy, "backed", Entity::Customer, c.id));
    assert!(copy.check().unwrap().is_empty());
    drop(copy);

    let before = bytes(&target);
    assert!(store.backup_to(&target).is_err());
    assert_eq!(bytes(&target), before, "an existing file is left alone");
    let other = dir.path().join("exists.txt");
    std::fs::write(&other, "keep me").unwrap();
    assert!(store.backup_to(&other).is_err());
    assert_eq!(bytes(&other), b"keep me");
}

/// A search listed newest first streams from the index; paging forward and
/// backward visits every match once, in id order, and skips the trash.
#[test]
fn search_newest_first_pages_through_every_match() {
    let (_dir, _path, mut store) = fresh();
    let mut ids = Vec::new();
    for i in 0..40 {
        let name = if i % 3 == 0 {
            format!("Other {i}")
        } else {
            format!("Maple {i}")
        };
        let c = store.add_customer(person(&name)).unwrap();
        if i % 3 != 0 {
            ids.push(c.id);
        }
    }
    let trashed = ids.remove(4);
    store.delete_customer(trashed).unwrap();
    ids.reverse();
    let query = CustomerQuery {
        search: Some("map".into()),
        sort: CustomerSort::Newest,
        ..Default::default()
    };
    let forward: Vec<i64> = walk(|a| store.customers_page(&query, a, 4).unwrap())
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(forward, ids);
    let mut backward: Vec<i64> = Vec::new();
    let mut before: Option<Cursor> = None;
    loop {
        let page = store
            .customers_page_before(&query, before.as_ref(), 4)
            .unwrap();
        let mut chunk: Vec<i64> = page.items.iter().map(|c| c.id).collect();
        chunk.extend(backward);
        backward = chunk;
        match page.next {
            Some(cursor) => before = Some(cursor),
            None => break,
        }
    }
    assert_eq!(backward, ids);
}

#[test]
fn merging_keeps_the_others_email_phone_and_details() {
    let (_dir, path, mut store) = fresh();
    let mut keep = person("Jane Doe");
    keep.email = Some("jane@new.example".into());
    keep.extra.insert("UID".into(), vec!["keep-uid".into()]);
    let keep = store.add_customer(keep).unwrap();
    let mut other = person("Jane Doe");
    other.email = Some("jane@old.example".into());
    other.phone = Some("+1 555 0100".into());
    other.extra.insert("BDAY".into(), vec!["1980-01-02".into()]);
    other.extra.insert("UID".into(), vec!["other-uid".into()]);
    let other = store.add_customer(other).unwrap();
    let merged = store.merge_customers(keep.id, other.id).unwrap();
    assert_eq!(merged.email.as_deref(), Some("jane@new.example"));
    assert_eq!(
        merged.phone.as_deref(),
        Some("+1 555 0100"),
        "an empty field filled"
    );
    assert_eq!(
        merged.extra["EMAIL"],
        ["jane@old.example"],
        "kept, not lost"
    );
    assert_eq!(merged.extra["BDAY"], ["1980-01-02"]);
    assert_eq!(
        merged.extra["UID"],
        ["keep-uid"],
        "the kept card's UID stays"
    );
    let emails_of = |id: i64| -> Vec<String> {
        let conn = Connection::open(&path).unwrap();
        let mut stmt = conn
            .prepare("SELECT email FROM customer_emails WHERE customer_id = ?1 ORDER BY email")
            .unwrap();
        stmt.query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        emails_of(keep.id),
        ["jane@old.example"],
        "looked up by index"
    );
    store.undo_last().unwrap();
    assert!(!store.customer(keep.id).unwrap().extra.contains_key("EMAIL"));
    assert!(
        emails_of(keep.id).is_empty(),
        "undo keeps the index in step"
    );
}

/// A search listed by name that matches many customers walks the name
/// index instead of sorting every match: the pages are the same as sorting,
/// forward and backward, for a dense word, a clustered one and a rare one.
#[test]
fn search_by_name_pages_like_a_sort_of_every_match() {
    let (_dir, _path, mut store) = fresh();
    let generate = DemoGenerator::new(12_000, 3, now(), TimeZone::UTC, SlaPolicy::default());
    store.load_into_empty("demo", generate).unwrap();
    let by_name = all_customers(&store, &CustomerQuery::default());
    for words in ["example", "ma", "a", "zz"] {
        let newest = CustomerQuery {
            search: Some(words.into()),
            sort: CustomerSort::Newest,
            ..Default::default()
        };
        let matching: std::collections::HashSet<i64> =
            all_customers(&store, &newest).into_iter().collect();
        let expected: Vec<i64> = by_name
            .iter()
            .copied()
            .filter(|id| matching.contains(id))
            .collect();
        let query = CustomerQuery {
            search: Some(words.into()),
            ..Default::default()
        };
        for size in [7, 100] {
            let forward: Vec<i64> = walk(|a| store.customers_page(&query, a, size).unwrap())
                .into_iter()
                .map(|c| c.id)
                .collect();
            assert_eq!(forward, expected, "{words:?} forward by {size}");
        }
        let mut backward: Vec<i64> = Vec::new();
        let mut before: Option<Cursor> = None;
        loop {
            let page = store
                .customers_page_before(&query, before.as_ref(), 100)
                .unwrap();
            let mut chunk: Vec<i64> = page.items.iter().map(|c| c.id).collect();
            chunk.extend(backward);
            backward = chunk;
            match page.next {
                Some(cursor) => before = Some(cursor),
                None => break,
            }
        }
        assert_eq!(backward, expected, "{words:?} backward");
    }
}

/// Every pass of a search finds again what an earlier one took; each hit is
/// listed once, in pass order: whole words in a name, prefixes in a name,
/// whole words elsewhere, prefixes elsewhere (newest first within each),
/// and ranks count up from 0 however large the limit.
#[test]
fn search_lists_each_hit_once_in_pass_order() {
    let (_dir, _path, mut store) = fresh();
    let mut add = |name: &str, notes: &str| {
        let mut draft = person(name);
        draft.notes = Some(notes.into());
        store.add_customer(draft).unwrap().id
    };
    let name_prefix_old = add("Walruses Old", "walrus in the notes too");
    let elsewhere_prefix = add("Somebody", "walruses only");
    let name_whole_old = add("Walrus One", "walrus again");
    let elsewhere_whole = add("Nobody", "a walrus");
    let name_prefix_new = add("Walrusy New", "nothing");
    let name_whole_new = add("Walrus Two", "walruses");
    let found = store.search("walrus", 1000).unwrap();
    let ids: Vec<i64> = found.iter().map(|h| h.id).collect();
    assert_eq!(
        ids,
        [
            name_whole_new,
            name_whole_old,
            name_prefix_new,
            name_prefix_old,
            elsewhere_whole,
            elsewhere_prefix
        ]
    );
    let ranks: Vec<usize> = found.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, (0..ids.len()).collect::<Vec<_>>());
    let first_three: Vec<i64> = store
        .search("walrus", 3)
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(first_three, ids[..3]);
}
