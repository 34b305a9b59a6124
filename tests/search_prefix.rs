//! Search of words still being typed: a prefix is looked up as the whole
//! terms it begins in each index (few of them) or as a prefix (many, a
//! length the index keeps prefixes of, or not plain ASCII); either way the
//! hits and their order are the documented ones, checked here against a
//! model of the ranking.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use tempfile::TempDir;

use tuicrm::domain::{Clock, CustomerDraft, CustomerKind, Entity, InteractionDraft, TicketDraft};
use tuicrm::store::Store;

fn now() -> Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

fn store_in(dir: &TempDir) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(now(), TimeZone::UTC))
}

fn customer(store: &mut Store, name: &str) -> i64 {
    store
        .add_customer(CustomerDraft::new(CustomerKind::Person, name))
        .unwrap()
        .id
}

fn log(store: &mut Store, customer: i64, summary: &str, body: &str) -> i64 {
    let mut draft = InteractionDraft::new(customer, summary, now());
    draft.body = (!body.is_empty()).then(|| body.to_string());
    store.log_interaction(draft).unwrap().id
}

/// (kind, id) of every hit, in order.
fn hits(store: &Store, query: &str, limit: usize) -> Vec<(Entity, i64)> {
    store
        .search(query, limit)
        .unwrap_or_else(|e| panic!("search {query:?}: {e}"))
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect()
}

fn interactions(store: &Store, query: &str) -> Vec<i64> {
    hits(store, query, 1000)
        .into_iter()
        .filter(|(kind, _)| *kind == Entity::Interaction)
        .map(|(_, id)| id)
        .collect()
}

#[test]
fn prefixes_rank_summaries_then_bodies_whole_words_first_newest_first() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let c = customer(&mut store, "Zed Quill");
    let body_prefix = log(&mut store, c, "Call", "asked about renewals");
    let title_prefix_old = log(&mut store, c, "Renewal quote", "");
    let body_whole = log(&mut store, c, "Call", "wants to renew");
    let title_whole = log(&mut store, c, "Renew now", "renewal");
    let title_prefix_new = log(&mut store, c, "RENEWED contract", "");
    let unrelated = log(&mut store, c, "Lunch", "rene was there");
    assert_eq!(
        interactions(&store, "renew"),
        [
            title_whole,
            title_prefix_new,
            title_prefix_old,
            body_whole,
            body_prefix
        ]
    );
    assert_eq!(
        interactions(&store, "RENEWA"),
        [title_prefix_old, title_whole, body_prefix]
    );
    assert_eq!(interactions(&store, "rene"), {
        let mut all = vec![title_prefix_new, title_whole, title_prefix_old];
        all.extend([unrelated, body_whole, body_prefix]);
        all
    });
    // Every word must match; each may be still being typed.
    let in_body = log(&mut store, c, "Roadmap", "a preview");
    let both = log(&mut store, c, "Roadmap preview", "");
    let apart = log(&mut store, c, "Roadmaps", "previous one");
    assert_eq!(interactions(&store, "roadmap prev"), [both, apart, in_body]);
    assert_eq!(interactions(&store, "roadm previe"), [both, in_body]);
    // A limit keeps the best.
    let first: Vec<i64> = interactions(&store, "renew").into_iter().take(2).collect();
    let limited: Vec<i64> = hits(&store, "renew", 2).into_iter().map(|h| h.1).collect();
    assert_eq!(limited, first);
    // Deleted entries are not found by either path.
    store.delete_interaction(title_whole).unwrap();
    assert!(!interactions(&store, "renew").contains(&title_whole));
    assert!(!interactions(&store, "re").contains(&title_whole));
}

#[test]
fn a_prefix_of_many_words_finds_them_all() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let c = customer(&mut store, "Zed Quill");
    let ids: Vec<i64> = (0..50)
        .map(|n| log(&mut store, c, &format!("Code mx{n:02}"), ""))
        .collect();
    let newest_first: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(interactions(&store, "mx"), newest_first);
    assert_eq!(interactions(&store, "mx4"), newest_first[..10]);
    assert_eq!(interactions(&store, "code mx0"), newest_first[40..]);
}

#[test]
fn words_beyond_ascii_still_match_as_prefixes() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let c = customer(&mut store, "Zed Quill");
    let accented = log(&mut store, c, "Éclairs ordered", "");
    let plain = log(&mut store, c, "eclair tasting", "");
    assert_eq!(interactions(&store, "écla"), [plain, accented]);
    assert_eq!(interactions(&store, "ecla"), [plain, accented]);
    assert_eq!(interactions(&store, "ÉCLAIRS"), [accented]);
    assert_eq!(interactions(&store, "ord"), [accented]);
}

#[test]
fn a_prefix_no_interaction_has_leaves_the_other_hits() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let renata = customer(&mut store, "Renata Quill");
    log(&mut store, renata, "Renewal", "");
    assert_eq!(hits(&store, "renat", 10), [(Entity::Customer, renata)]);
    assert!(hits(&store, "qzx", 10).is_empty());
}

// ------------------------------------------------------------- the model

/// Words that share beginnings, one beyond ASCII.
const WORDS: &[&str] = &[
    "renew", "renewal", "renewals", "renewed", "rene", "roadmap", "roadmaps", "preview", "prevent",
    "previous", "invoice", "invoiced", "invoke", "in", "éclair", "eclairs", "r2d2",
];

/// As unicode61 with remove_diacritics folds a token (for these words).
fn fold(word: &str) -> String {
    word.to_lowercase().replace('é', "e")
}

fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect()
}

/// A record as search sees it: kind, id, title (name, subject, summary)
/// and the rest (notes, body).
type Record = (Entity, i64, String, String);

/// The documented order: titles before the rest, whole words before
/// prefixes, customers then tickets then interactions, newest first, each
/// record once.
fn expected(live: &[Record], query: &[String]) -> Vec<(Entity, i64)> {
    let query: Vec<String> = query.iter().map(|w| fold(w)).collect();
    let mut out: Vec<(Entity, i64)> = Vec::new();
    for title_only in [true, false] {
        for as_prefix in [false, true] {
            for kind in [Entity::Customer, Entity::Ticket, Entity::Interaction] {
                let mut pass: Vec<i64> = live
                    .iter()
                    .filter(|(k, _, title, rest)| {
                        let mut words = tokens(title);
                        if !title_only {
                            words.extend(tokens(rest));
                        }
                        *k == kind
                            && query.iter().all(|q| {
                                words
                                    .iter()
                                    .any(|w| if as_prefix { w.starts_with(q) } else { w == q })
                            })
                    })
                    .map(|(_, id, _, _)| *id)
                    .collect();
                pass.sort_unstable_by(|a, b| b.cmp(a));
                for id in pass {
                    if !out.contains(&(kind, id)) {
                        out.push((kind, id));
                    }
                }
            }
        }
    }
    out
}

fn phrase(picks: &[(usize, bool)]) -> String {
    picks
        .iter()
        .map(|&(i, upper)| {
            let w = WORDS[i % WORDS.len()];
            if upper {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds a record of `kind` (0 customer, 1 ticket, else interaction).
fn add(store: &mut Store, owner: i64, kind: u8, title: &str, rest: &str) -> (Entity, i64) {
    let rest = (!rest.is_empty()).then(|| rest.to_string());
    match kind {
        0 => {
            let mut draft = CustomerDraft::new(CustomerKind::Person, title);
            draft.notes = rest;
            (Entity::Customer, store.add_customer(draft).unwrap().id)
        }
        1 => {
            let mut draft = TicketDraft::new(owner, title);
            draft.body = rest;
            (Entity::Ticket, store.add_ticket(draft).unwrap().id)
        }
        _ => {
            let mut draft = InteractionDraft::new(owner, title, now());
            draft.body = rest;
            (
                Entity::Interaction,
                store.log_interaction(draft).unwrap().id,
            )
        }
    }
}

fn delete(store: &mut Store, (kind, id): (Entity, i64)) {
    match kind {
        Entity::Customer => drop(store.delete_customer(id).unwrap()),
        Entity::Ticket => drop(store.delete_ticket(id).unwrap()),
        _ => drop(store.delete_interaction(id).unwrap()),
    }
}

proptest! {
    // Failures are reported, not saved into the source tree.
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prefix_search_matches_the_model(
        records in prop::collection::vec(
            (0..3u8,
             prop::collection::vec((0..100usize, any::<bool>()), 1..4),
             prop::collection::vec((0..100usize, any::<bool>()), 0..4)),
            1..30,
        ),
        deleted in prop::collection::vec(0..30usize, 0..5),
        queries in prop::collection::vec(
            prop::collection::vec((0..100usize, 1..9usize), 1..3),
            6,
        ),
    ) {
        let dir = TempDir::new().unwrap();
        let mut store = store_in(&dir);
        // Owns the tickets and interactions; no query word begins its name.
        let owner = customer(&mut store, "Zed Quill");
        let mut live: Vec<Record> = Vec::new();
        for (kind, title, rest) in &records {
            let (title, rest) = (phrase(title), phrase(rest));
            let (kind, id) = add(&mut store, owner, *kind, &title, &rest);
            live.push((kind, id, title, rest));
        }
        for i in deleted {
            if i < live.len() {
                let (kind, id, _, _) = live.remove(i);
                delete(&mut store, (kind, id));
            }
        }
        for words in queries {
            let query: Vec<String> = words
                .iter()
                .map(|&(i, len)| WORDS[i % WORDS.len()].chars().take(len).collect())
                .collect();
            let typed = query.join(" ");
            prop_assert_eq!(hits(&store, &typed, 1000), expected(&live, &query), "{:?}", typed);
            // A limit keeps the best.
            let best = hits(&store, &typed, 3);
            prop_assert_eq!(&best[..], &expected(&live, &query)[..best.len()]);
        }
    }
}
