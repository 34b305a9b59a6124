//! Ticket and follow-up lists streamed from one statement (`each_ticket`,
//! `each_followup`, what `ticket list` and `followup list` print) give what
//! their pages give, at every limit: short walks read the list's index,
//! long ones the whole table sorted, and batches end at 1,000 rows.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::demo::DemoGenerator;
use tuicrm::domain::{Clock, FollowupStatus, SlaPolicy, TicketStatus};
use tuicrm::store::{FollowupOrder, FollowupQuery, Store, StoreError, TicketQuery};

fn demo(dir: &TempDir) -> Store {
    let now: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
    let mut store = Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(now, TimeZone::UTC));
    let accounts: Vec<_> =
        DemoGenerator::new(3_000, 3, now, TimeZone::UTC, SlaPolicy::default()).collect();
    store.insert_accounts("demo", &accounts).unwrap();
    store
}

/// Walks `page` to the end; the ids in order.
fn walk<T>(
    mut page: impl FnMut(Option<&tuicrm::store::Cursor>) -> tuicrm::store::Page<T>,
    id: fn(&T) -> i64,
) -> Vec<i64> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let p = page(after.as_ref());
        all.extend(p.items.iter().map(id));
        match p.next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

/// `stream` at each limit against `whole`.
fn check(whole: &[i64], what: &str, mut stream: impl FnMut(usize, &mut Vec<i64>) -> bool) {
    assert!(whole.len() > 1_001, "{what}: {}", whole.len());
    for limit in [0, 1, 999, 1_000, 1_001, whole.len(), usize::MAX] {
        let mut got = Vec::new();
        let cut_short = stream(limit, &mut got);
        let expected: Vec<i64> = whole.iter().copied().take(limit).collect();
        assert_eq!(got, expected, "{what} limit {limit}");
        assert_eq!(cut_short, limit < whole.len(), "{what} limit {limit}");
    }
}

#[test]
fn tickets_stream_as_they_page() {
    let dir = TempDir::new().unwrap();
    let store = demo(&dir);
    let every = TicketQuery {
        statuses: TicketStatus::ALL.to_vec(),
        ..TicketQuery::default()
    };
    for query in [TicketQuery::default(), every] {
        let whole = walk(|a| store.tickets_page(&query, a, 300).unwrap(), |t| t.id);
        check(&whole, &format!("{query:?}"), |limit, got| {
            store
                .each_ticket(&query, limit, |batch, _| {
                    got.extend(batch.iter().map(|t| t.id));
                    Ok::<_, StoreError>(())
                })
                .unwrap()
        });
    }
}

#[test]
fn followups_stream_as_they_page() {
    let dir = TempDir::new().unwrap();
    let store = demo(&dir);
    let planned = FollowupQuery {
        statuses: vec![FollowupStatus::Planned],
        ..FollowupQuery::default()
    };
    let every = FollowupQuery {
        order: FollowupOrder::default(),
        ..FollowupQuery::default()
    };
    for query in [planned, every] {
        let whole = walk(|a| store.followups_page(&query, a, 300).unwrap(), |f| f.id);
        check(&whole, &format!("{query:?}"), |limit, got| {
            store
                .each_followup(&query, limit, |batch, _| {
                    got.extend(batch.iter().map(|f| f.id));
                    Ok::<_, StoreError>(())
                })
                .unwrap()
        });
    }
}

#[test]
fn search_hits_stream_as_a_search_gives_them() {
    let dir = TempDir::new().unwrap();
    let store = demo(&dir);
    for words in ["call", "re", "example"] {
        let whole: Vec<i64> = store
            .search(words, usize::MAX)
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect();
        check(&whole, words, |limit, got| {
            store
                .each_search_hit(words, limit, |batch, _| {
                    got.extend(batch.iter().map(|h| h.id));
                    Ok::<_, StoreError>(())
                })
                .unwrap()
        });
        // Ranks count from 0 across batches.
        let hits = store.search(words, usize::MAX).unwrap();
        assert!(
            hits.iter().enumerate().all(|(at, h)| h.rank == at),
            "{words}"
        );
    }
}
