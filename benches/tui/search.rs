//! Full-text search at the bench's size: as the search command and the
//! TUI's filter run it.

use std::path::Path;

use tuicrm::store::{CustomerQuery, CustomerSort, Store};

use crate::figures::{Samples, time};

pub fn search(path: &Path) {
    let store = Store::open(path).expect("open");
    let queries = [
        "acme",
        "renewal",
        "login",
        "sofia garcia",
        "invoice vat",
        "zz",
        "ma",
        "roadmap preview",
        // Words still being typed: only prefixes match.
        "renew",
        "roadmap prev",
        "invo",
        // A word in most emails: every pass before the one that finds it
        // must not walk its whole index entry.
        "example",
        // Every keystroke of a word as it is typed.
        "r",
        "re",
        "ren",
        "rene",
        "renewa",
        "roadmap p",
        "roadmap pr",
        "roadmap pre",
        "roadmap previ",
        "i",
        "in",
        "inv",
        "invoi",
        "invoic",
        // A name as it is typed: a surname's first letter.
        "sofia g",
        "sofia ga",
    ];
    let mut all = Vec::new();
    for q in queries {
        let samples = time(20, || {
            store.search(q, 20).expect("search");
        });
        samples.report(&format!("search {q:?} (20 best)"));
        all.extend(samples.0);
    }
    // A large limit, as `search --limit 1000`: hits are told apart in
    // constant time, not against every hit so far.
    for q in ["ma", "example"] {
        let samples = time(20, || {
            store.search(q, 1000).expect("search");
        });
        samples.report(&format!("search {q:?} (1000 best)"));
        all.extend(samples.0);
    }
    Samples(all).report("search, all queries");
    for (sort, label) in [
        (CustomerSort::Newest, "newest first, as the TUI filters"),
        (CustomerSort::Name, "by name"),
    ] {
        // "ma": 150,000 matches; "sofia": 6,000, all under S by name;
        // "garcia": a surname, spread through the name order.
        for words in ["ma", "sofia", "garcia"] {
            let query = CustomerQuery {
                search: Some(words.into()),
                sort,
                ..Default::default()
            };
            time(20, || {
                store.customers_page(&query, None, 100).expect("filter");
            })
            .report(&format!("filter customers {words:?}, {label}"));
        }
    }
}
