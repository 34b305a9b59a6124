//! `cargo bench`: the spec's targets measured on a big demo DB, printed as
//! figures (never asserted). The DB is generated once and kept at
//! `target/bench/tuicrm-<N>.db`; set TUICRM_BENCH_CUSTOMERS (default 1,000,000)
//! for another size.

use std::path::{Path, PathBuf};
use std::time::Instant;

mod demo_load;
mod figures;
mod imports;
mod listings;
mod reports;
mod search;

use figures::{peak_rss, record, time};

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
    // TUICRM_BENCH_ONLY=search (or first_frame, keys, save, pages, listings, reports, imports, demo) runs one part.
    let only = std::env::var("TUICRM_BENCH_ONLY").unwrap_or_default();
    let wanted = |part: &str| only.is_empty() || only == part;
    if wanted("first_frame") {
        first_frame(&path);
    }
    if wanted("keys") {
        keystrokes(&path);
    }
    if wanted("search") {
        search::search(&path);
    }
    if wanted("save") {
        save_interaction(&path);
    }
    if wanted("pages") {
        customer_pages(&path);
    }
    if wanted("listings") {
        // The figures are at 100,000 and at 1,000,000 customers.
        if customers > 100_000 {
            listings::listings(&bench_db(100_000), 100_000);
        }
        listings::listings(&path, customers);
    }
    if wanted("reports") {
        reports::reports(&path);
    }
    if wanted("imports") {
        imports::imports(&path);
    }
    if wanted("demo") {
        demo_load::demo_load();
    }
    record("peak resident memory of the bench process", peak_rss());
    figures::print_table();
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
    figures::record_once(
        &format!("generate the bench DB ({customers} customers, batches)"),
        started.elapsed(),
        None,
    );
    std::fs::write(&ready, "").expect("marker");
    path
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
