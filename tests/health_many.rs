//! Health inputs of many customers at once (`health_inputs_many`, the grouped
//! queries listings use) against one at a time (`health_inputs`): the same
//! figures for every customer.

use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::demo::DemoGenerator;
use tuicrm::domain::health::HealthWeights;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, FollowupDraft, FollowupKind, InteractionDraft, SlaPolicy,
    TicketDraft, TicketStatus,
};
use tuicrm::store::{CustomerQuery, CustomerSort, Store};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn open(dir: &TempDir, when: &str) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(when), TimeZone::UTC))
}

/// Every id of `trash` or live customers, in list order.
fn ids(store: &Store, trash: bool) -> Vec<i64> {
    let query = CustomerQuery {
        trash,
        ..CustomerQuery::default()
    };
    let page = store.customers_page(&query, None, 1_000_000).unwrap();
    page.items.iter().map(|c| c.id).collect()
}

/// Compares both ways for `ids`, in pages as a listing reads them; and
/// the listing's own way (kept stats joined to each row, trash and live)
/// for every customer, scores and reasons alike.
fn assert_same(store: &Store, ids: &[i64], csat_days: u32) {
    for page in ids.chunks(1_000) {
        let many = store.health_inputs_many(page, csat_days).unwrap();
        for id in page {
            let one = store.health_inputs(*id, csat_days).unwrap();
            assert_eq!(many.get(id), Some(&one), "customer {id}");
        }
    }
    let weights = HealthWeights {
        csat_days,
        ..HealthWeights::default()
    };
    for trash in [false, true] {
        let query = CustomerQuery {
            trash,
            ..CustomerQuery::default()
        };
        store
            .each_customer_with_health(&query, (usize::MAX, None), &weights, |batch, _| {
                for (customer, health) in &batch {
                    let one = store.health(customer.id, &weights).unwrap();
                    assert_eq!(health, &one, "customer {} listed", customer.id);
                }
                Ok::<_, tuicrm::store::StoreError>(())
            })
            .unwrap();
    }
}

#[test]
fn the_demo_scores_the_same_both_ways() {
    let dir = TempDir::new().unwrap();
    let now = "2026-11-25T10:00:00Z";
    let mut store = open(&dir, now);
    let accounts: Vec<_> =
        DemoGenerator::new(3_000, 7, at(now), TimeZone::UTC, SlaPolicy::default()).collect();
    store.insert_accounts("demo", &accounts).unwrap();
    let live = ids(&store, false);
    assert_eq!(live.len(), 3_000);
    // Some people and organizations in the trash, so members drop out.
    for id in live.iter().step_by(37) {
        store.delete_customer(*id).unwrap();
    }
    let everyone: Vec<i64> = ids(&store, false)
        .into_iter()
        .chain(ids(&store, true))
        .collect();
    assert_eq!(everyone.len(), 3_000);
    // Something to tell apart: organizations, open and breached tickets,
    // overdue follow-ups, recent ratings.
    let many = store.health_inputs_many(&everyone, 90).unwrap();
    assert!(many.values().any(|h| h.breached_tickets > 0));
    assert!(many.values().any(|h| h.overdue_renewals > 0));
    assert!(many.values().any(|h| h.overdue_followups > 0));
    assert!(many.values().any(|h| h.rated_tickets > 0));
    assert!(many.values().any(|h| !h.contacted));
    for csat_days in [90, 7, 3650] {
        assert_same(&store, &everyone, csat_days);
    }
    // A later clock: more overdue, older ratings.
    let store = store.with_clock(Clock::fixed(at("2027-03-01T00:00:00Z"), TimeZone::UTC));
    assert_same(&store, &everyone, 90);
}

#[test]
fn edge_cases_score_the_same_both_ways() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, "2026-06-01T09:00:00Z");
    let add = |store: &mut Store, kind, name: &str, org: Option<i64>| {
        let mut draft = CustomerDraft::new(kind, name);
        draft.organization_id = org;
        store.add_customer(draft).unwrap().id
    };
    let org = add(&mut store, CustomerKind::Organization, "Acme", None);
    let kept = add(&mut store, CustomerKind::Person, "Kept", Some(org));
    let gone = add(&mut store, CustomerKind::Person, "Gone", Some(org));
    let alone = add(&mut store, CustomerKind::Person, "Alone", None);
    let empty_org = add(&mut store, CustomerKind::Organization, "Empty", None);
    let trashed = add(&mut store, CustomerKind::Person, "Trashed", None);

    // An old rating (outside 90 days later on) and tickets for each.
    let rate = |store: &mut Store, customer: i64, csat: u8| {
        let t = store
            .add_ticket(TicketDraft::new(customer, "help"))
            .unwrap();
        let change = TicketChange {
            status: Some(TicketStatus::Resolved),
            csat: Some(csat),
            ..TicketChange::default()
        };
        store.change_ticket(t.id, &change).unwrap();
    };
    rate(&mut store, kept, 2);
    rate(&mut store, gone, 1);
    let mut store = store.with_clock(Clock::fixed(at("2026-11-20T09:00:00Z"), TimeZone::UTC));
    rate(&mut store, kept, 5);
    rate(&mut store, org, 3);
    rate(&mut store, trashed, 1);
    for customer in [org, kept, gone, trashed] {
        store
            .add_ticket(TicketDraft::new(customer, "open"))
            .unwrap();
    }
    let deleted = store.add_ticket(TicketDraft::new(kept, "deleted")).unwrap();
    store.delete_ticket(deleted.id).unwrap();
    for (customer, kind) in [
        (kept, FollowupKind::Renewal),
        (gone, FollowupKind::CheckIn),
        (org, FollowupKind::Review),
        (trashed, FollowupKind::Renewal),
    ] {
        let mut draft = FollowupDraft::new(customer, date(2026, 11, 1));
        draft.kind = kind;
        draft.due_on = date(2026, 11, 10);
        store.add_followup(draft).unwrap();
    }
    for (customer, when) in [
        (gone, "2026-11-24T12:00:00Z"),
        (kept, "2026-10-01T12:00:00Z"),
        (trashed, "2026-11-22T12:00:00Z"),
    ] {
        let draft = InteractionDraft::new(customer, "call", at(when));
        store.log_interaction(draft).unwrap();
    }
    store.delete_customer(gone).unwrap();
    store.delete_customer(trashed).unwrap();
    let store = store.with_clock(Clock::fixed(at("2026-11-25T10:00:00Z"), TimeZone::UTC));

    // An unknown id, and one given twice, too.
    let ids = [org, kept, gone, alone, empty_org, trashed, 999, org];
    assert_same(&store, &ids, 90);
    assert_same(&store, &ids, 1);
    let many = store.health_inputs_many(&ids, 90).unwrap();
    // The organization counts its live person, not the one in the trash.
    let acme = &many[&org];
    assert_eq!((acme.open_tickets, acme.overdue_renewals), (2, 1));
    assert_eq!(acme.overdue_followups, 1);
    assert_eq!((acme.recent_csat, acme.rated_tickets), (Some(4.0), 2));
    assert!(acme.contacted);
    assert_eq!(acme.days_since_contact, 54);
    assert!(!many[&alone].contacted);
    assert_eq!(many[&trashed].open_tickets, 1);
    assert_eq!(many[&999], store.health_inputs(999, 90).unwrap());
    assert!(store.health_inputs_many(&[], 90).unwrap().is_empty());
}

/// Every customer of `query` with its health, walked a page at a time and
/// scored one at a time.
fn paged(store: &Store, query: &CustomerQuery, weights: &HealthWeights) -> Vec<(i64, u8)> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store.customers_page(query, after.as_ref(), 250).unwrap();
        all.extend(
            page.items
                .iter()
                .map(|c| (c.id, store.health(c.id, weights).unwrap().score)),
        );
        match page.next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

#[test]
fn a_streamed_listing_gives_what_the_pages_give() {
    let dir = TempDir::new().unwrap();
    let now = "2026-11-25T10:00:00Z";
    let mut store = open(&dir, now);
    let accounts: Vec<_> =
        DemoGenerator::new(2_500, 11, at(now), TimeZone::UTC, SlaPolicy::default()).collect();
    store.insert_accounts("demo", &accounts).unwrap();
    let weights = HealthWeights::default();
    let queries = [
        CustomerQuery::default(),
        CustomerQuery {
            sort: CustomerSort::RecentlyUpdated,
            ..CustomerQuery::default()
        },
        CustomerQuery {
            sort: CustomerSort::Newest,
            kind: Some(CustomerKind::Organization),
            ..CustomerQuery::default()
        },
        CustomerQuery {
            search: Some("a".to_string()),
            ..CustomerQuery::default()
        },
    ];
    for query in &queries {
        check_streamed(&store, query, &weights);
    }
    // Other weights: the filter by what counts could cost follows them.
    let heavy = HealthWeights {
        breached_ticket: 30,
        open_ticket: 8,
        overdue_followup: 25,
        quiet_days: 7,
        days_per_point: 1,
        silence_max: 20,
        csat_point: 10,
        csat_max: 25,
        ..HealthWeights::default()
    };
    check_streamed(&store, &queries[0], &heavy);
    // Later on, more accounts have dates straddling the moment.
    let store = store.with_clock(Clock::fixed(at("2027-02-10T00:00:00Z"), TimeZone::UTC));
    for query in &queries[..2] {
        check_streamed(&store, query, &weights);
    }
}

/// A streamed listing of `query` against its pages: every limit, every
/// threshold.
fn check_streamed(store: &Store, query: &CustomerQuery, weights: &HealthWeights) {
    let whole = paged(store, query, weights);
    assert!(whole.len() > 100, "{query:?}");
    // Short limits read the index, long ones the whole table sorted;
    // batches end at 1,000 rows.
    for limit in [0, 1, 999, 1_000, 1_001, whole.len(), usize::MAX] {
        let mut got = Vec::new();
        let cut_short = store
            .each_customer_with_health(query, (limit, None), weights, |batch, _| {
                got.extend(batch.iter().map(|(c, h)| (c.id, h.score)));
                Ok::<_, tuicrm::store::StoreError>(())
            })
            .unwrap();
        let expected: Vec<_> = whole.iter().copied().take(limit).collect();
        assert_eq!(got, expected, "{query:?} limit {limit}");
        assert_eq!(cut_short, limit < whole.len(), "{query:?} limit {limit}");
    }
    // Only those scoring below a threshold: found from the kept stats
    // when no customer without records can score that low (60, 70),
    // by a look at every customer otherwise (71, 90); the limit counts
    // those kept.
    for below in [40u8, 60, 70, 71, 90] {
        let low: Vec<_> = whole.iter().copied().filter(|(_, s)| *s < below).collect();
        for limit in [3, low.len(), usize::MAX] {
            let mut got = Vec::new();
            store
                .each_customer_with_health(query, (limit, Some(below)), weights, |batch, _| {
                    got.extend(batch.iter().map(|(c, h)| (c.id, h.score)));
                    Ok::<_, tuicrm::store::StoreError>(())
                })
                .unwrap();
            let expected: Vec<_> = low.iter().copied().take(limit).collect();
            assert_eq!(got, expected, "{query:?} below {below}, limit {limit}");
        }
    }
}
