//! `cargo bench`: the spec's targets measured on a big demo DB, printed as
//! figures (never asserted). The DB is generated once and kept at
//! `target/bench/tuicrm-<N>.db`; set TUICRM_BENCH_CUSTOMERS (default 1,000,000)
//! for another size.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tuicrm::app::{Action, State, update};
use tuicrm::config::Config;
use tuicrm::config::keymap::Keymap;
use tuicrm::demo::DemoGenerator;
use tuicrm::domain::{Clock, InteractionDraft, SlaPolicy};
use tuicrm::store::{CustomerQuery, CustomerSort, Store};
use tuicrm::ui::{self, Theme};

const BATCH: usize = 10_000;

fn main() {
    let customers: usize = std::env::var("TUICRM_BENCH_CUSTOMERS")
        .ok()
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let path = bench_db(customers);
    println!("tuicrm bench on {} ({customers} customers)", path.display());
    // TUICRM_BENCH_ONLY=search (or first_frame, keys, save, pages) runs one part.
    let only = std::env::var("TUICRM_BENCH_ONLY").unwrap_or_default();
    let wanted = |part: &str| only.is_empty() || only == part;
    if wanted("first_frame") {
        first_frame(&path);
    }
    if wanted("keys") {
        keystrokes(&path);
    }
    if wanted("search") {
        search(&path);
    }
    if wanted("save") {
        save_interaction(&path);
    }
    if wanted("pages") {
        customer_pages(&path);
    }
    println!("peak resident memory of this process: {}", peak_rss());
}

fn bench_db(customers: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench");
    let path = dir.join(format!("tuicrm-{customers}.db"));
    let ready = dir.join(format!("tuicrm-{customers}.ready"));
    if ready.exists() {
        return path;
    }
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path).expect("bench DB opens");
    let clock = store.clock().clone();
    let started = Instant::now();
    let mut batch = Vec::new();
    let mut in_batch = 0;
    for account in DemoGenerator::new(
        customers,
        1,
        clock.now(),
        clock.tz().clone(),
        SlaPolicy::default(),
    ) {
        in_batch += account.customer_count();
        batch.push(account);
        if in_batch >= BATCH {
            store.insert_accounts("demo", &batch).expect("demo batch");
            batch.clear();
            in_batch = 0;
        }
    }
    store.insert_accounts("demo", &batch).expect("demo batch");
    println!(
        "generated {customers} demo customers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    std::fs::write(&ready, "").expect("marker");
    path
}

struct Samples(Vec<Duration>);

impl Samples {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    }

    fn report(&self, what: &str) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{what:<44} n={:<5} p50 {:>7.3} ms  p95 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
            self.0.len(),
            ms(self.percentile(0.5)),
            ms(self.percentile(0.95)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
        );
    }
}

fn time(n: usize, mut f: impl FnMut()) -> Samples {
    Samples(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn keymap() -> Keymap {
    Keymap::from_config(&Config::defaults().keys).expect("default keys")
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(120, 40)).expect("test terminal")
}

/// Open the DB, read what the first screen shows, draw it.
fn first_frame(path: &Path) {
    let keymap = keymap();
    let theme = Theme::default();
    time(20, || {
        let store = Store::open(path).expect("open");
        let state = State::new(&store, &keymap, "USD");
        terminal()
            .draw(|f| ui::draw(f, &state, &theme))
            .expect("draw");
    })
    .report("open DB to first frame");
}

/// update + draw per key, as the event loop does it.
fn keystrokes(path: &Path) {
    let mut store = Store::open(path).expect("open");
    let keymap = keymap();
    let theme = Theme::default();
    let mut state = State::new(&store, &keymap, "USD");
    state.list_height = ui::layout::list_rows(ratatui::layout::Rect::new(0, 0, 120, 40));
    let mut terminal = terminal();
    let mut press = |state: &mut State, store: &mut Store, action: Action| {
        update(state, store, action);
        terminal.draw(|f| ui::draw(f, state, &theme)).expect("draw");
    };
    time(3000, || press(&mut state, &mut store, Action::SelectNext))
        .report("move selection down (j), customers");
    time(3000, || press(&mut state, &mut store, Action::SelectPrev))
        .report("move selection up (k), customers");
    time(200, || press(&mut state, &mut store, Action::PageDown)).report("page down, customers");
    time(20, || {
        press(&mut state, &mut store, Action::SelectLast);
        press(&mut state, &mut store, Action::SelectFirst);
    })
    .report("last then first (G, g), customers");
    press(&mut state, &mut store, Action::TabTickets);
    time(1000, || press(&mut state, &mut store, Action::SelectNext))
        .report("move selection down (j), tickets");
    press(&mut state, &mut store, Action::TabFollowups);
    time(1000, || press(&mut state, &mut store, Action::SelectNext))
        .report("move selection down (j), follow-ups");
    time(20, || {
        press(&mut state, &mut store, Action::TabAgenda);
        press(&mut state, &mut store, Action::TabCustomers);
    })
    .report("switch to agenda and back");
}

fn search(path: &Path) {
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

/// A page of the customer list as the TUI reads it, each organization's
/// people counted in the same query: at the start, and from the middle.
fn customer_pages(path: &Path) {
    let store = Store::open(path).expect("open");
    let newest = CustomerQuery {
        sort: CustomerSort::Newest,
        ..Default::default()
    };
    let last_id = store.customers_page(&newest, None, 1).expect("page").items[0].id;
    let middle = store
        .customer(last_id / 2)
        .expect("a customer in the middle");
    for (sort, label) in [
        (CustomerSort::Name, "by name"),
        (CustomerSort::Newest, "newest first"),
    ] {
        let query = CustomerQuery {
            sort,
            ..Default::default()
        };
        time(50, || {
            store.customers_page(&query, None, 100).expect("page");
        })
        .report(&format!("customer page of 100, {label}, first"));
        let cursor = query.cursor_of(&middle);
        time(50, || {
            store
                .customers_page(&query, Some(&cursor), 100)
                .expect("page");
        })
        .report(&format!("customer page of 100, {label}, middle"));
    }
}

fn save_interaction(path: &Path) {
    let now: jiff::Timestamp = "2026-11-25T10:00:00Z".parse().expect("time");
    let mut store = Store::open(path)
        .expect("open")
        .with_clock(Clock::fixed(now, jiff::tz::TimeZone::UTC));
    let customer = store
        .customers_page(&Default::default(), None, 1)
        .expect("a customer")
        .items[0]
        .id;
    // As in the TUI: checkpoints on a background thread, not inside a save.
    let checkpointer = store.checkpoint_in_background().expect("checkpointer");
    time(300, || {
        store
            .log_interaction(InteractionDraft::new(customer, "Benchmark call", now))
            .expect("log");
    })
    .report("save interaction (one transaction)");
    drop(checkpointer);
    // Leave the bench DB as it was.
    for _ in 0..300 {
        store.undo_last().expect("undo");
    }
}

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}
