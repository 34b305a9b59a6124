//! Customers listed worst health first (`each_customer_by_health`): the
//! same customers as the listing, ordered by score, then by name, then by
//! id, for every filter, limit and threshold, both the few found under a
//! threshold and the many ranked in one walk.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::demo::DemoGenerator;
use tuicrm::domain::health::HealthWeights;
use tuicrm::domain::{Clock, CustomerKind, SlaPolicy, Stage};
use tuicrm::store::{CustomerQuery, Store, StoreError};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// Every customer of `query` with its score, scored one at a time, in the
/// order a list by health gives: score, then name (ASCII letters without
/// case, as SQLite's NOCASE), then id.
fn expected(store: &Store, query: &CustomerQuery, weights: &HealthWeights) -> Vec<(i64, u8)> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store.customers_page(query, after.as_ref(), 500).unwrap();
        for c in &page.items {
            let score = store.health(c.id, weights).unwrap().score;
            all.push((score, c.name.to_ascii_lowercase(), c.id));
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    all.sort();
    all.into_iter().map(|(score, _, id)| (id, score)).collect()
}

fn by_health(
    store: &Store,
    query: &CustomerQuery,
    (limit, below): (usize, Option<u8>),
    weights: &HealthWeights,
) -> (Vec<(i64, u8)>, bool) {
    let mut got = Vec::new();
    let cut_short = store
        .each_customer_by_health(query, (limit, below), weights, |batch, _| {
            got.extend(batch.iter().map(|(c, h)| (c.id, h.score)));
            Ok::<_, StoreError>(())
        })
        .unwrap();
    (got, cut_short)
}

fn check(store: &Store, query: &CustomerQuery, weights: &HealthWeights) {
    let whole = expected(store, query, weights);
    assert!(whole.len() > 50, "{query:?}");
    for below in [None, Some(30), Some(60), Some(71), Some(90)] {
        let kept: Vec<_> = whole
            .iter()
            .copied()
            .filter(|(_, score)| below.is_none_or(|b| *score < b))
            .collect();
        // Short lists come from under a threshold, long ones (and `all`)
        // from every account ranked at once.
        for limit in [0, 1, 7, 50, 999, 1_000, 1_001, kept.len(), usize::MAX] {
            let (got, cut_short) = by_health(store, query, (limit, below), weights);
            let want: Vec<_> = kept.iter().copied().take(limit).collect();
            assert_eq!(got, want, "{query:?} below {below:?} limit {limit}");
            assert_eq!(
                cut_short,
                limit < kept.len(),
                "{query:?} below {below:?} limit {limit}"
            );
        }
    }
}

#[test]
fn a_list_by_health_is_the_listing_ordered_by_score_then_name() {
    let dir = TempDir::new().unwrap();
    let now = "2026-11-25T10:00:00Z";
    let mut store = Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(now), TimeZone::UTC));
    let accounts: Vec<_> =
        DemoGenerator::new(2_500, 5, at(now), TimeZone::UTC, SlaPolicy::default()).collect();
    store.insert_accounts("demo", &accounts).unwrap();
    let live = store
        .customers_page(&CustomerQuery::default(), None, 10_000)
        .unwrap();
    for c in live.items.iter().step_by(23) {
        store.delete_customer(c.id).unwrap();
    }
    let weights = HealthWeights::default();
    let queries = [
        CustomerQuery::default(),
        CustomerQuery {
            stage: Some(Stage::Active),
            ..CustomerQuery::default()
        },
        CustomerQuery {
            kind: Some(CustomerKind::Organization),
            ..CustomerQuery::default()
        },
        CustomerQuery {
            search: Some("a".to_string()),
            ..CustomerQuery::default()
        },
        CustomerQuery {
            trash: true,
            ..CustomerQuery::default()
        },
    ];
    for query in &queries {
        check(&store, query, &weights);
    }
    // Other weights move who is under a threshold.
    let heavy = HealthWeights {
        breached_ticket: 30,
        overdue_followup: 25,
        quiet_days: 7,
        days_per_point: 1,
        silence_max: 45,
        ..HealthWeights::default()
    };
    check(&store, &queries[0], &heavy);
    // Later on, most accounts' dates straddle the moment.
    let store = store.with_clock(Clock::fixed(at("2027-02-10T00:00:00Z"), TimeZone::UTC));
    check(&store, &queries[0], &weights);
}
