//! `tuicrm agenda` through the built binary on a demo database of a few
//! thousand customers: it lists everything due in its window (the counts
//! equal what `followup list` and `ticket list` find), and a list cut short
//! by `--limit` says so on stderr, for tables and JSON alike.

mod common;

use std::collections::HashSet;

use serde_json::Value;

use common::Cli;

const DB: &str = "demo.db";
/// `TUICRM_NOW` of `common::command_at`, and the ends of its 1- and 7-day windows.
const NOW: &str = "2026-11-25T10:00:00Z";
const IN_A_DAY: &str = "2026-11-26T10:00:00Z";
const IN_A_WEEK: &str = "2026-12-02T10:00:00Z";

fn demo() -> Cli {
    let cli = Cli::new();
    cli.ok(DB, &["demo", "--customers", "5000"]);
    cli
}

fn array(value: &Value) -> &Vec<Value> {
    value.as_array().expect("a JSON array")
}

fn text<'a>(line: &'a Value, key: &str) -> &'a str {
    line[key].as_str().unwrap_or_default()
}

/// How many follow-ups `followup list --due-before DATE` finds, all of them.
fn followups_due_before(cli: &Cli, date: &str) -> usize {
    array(&cli.json(
        DB,
        &[
            "followup",
            "list",
            "--due-before",
            date,
            "--limit",
            "1000000",
        ],
    ))
    .len()
}

fn stderr_of(cli: &Cli, args: &[&str]) -> (String, String) {
    let out = cli.run_on(DB, args);
    assert!(out.status.success(), "{args:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_agenda_lists_everything_due_as_the_lists_count_it() {
    let cli = demo();
    let agenda = cli.json(DB, &["agenda"]);
    let lines = array(&agenda);
    let count = |section: &str, kind: &str| {
        lines
            .iter()
            .filter(|l| text(l, "section") == section && text(l, "kind") == kind)
            .count()
    };

    // Follow-ups: overdue, today and the next 7 days, as `followup list` has them.
    let overdue = followups_due_before(&cli, "today");
    let to_tomorrow = followups_due_before(&cli, "tomorrow");
    let to_a_week = followups_due_before(&cli, "2026-12-03");
    assert_eq!(count("overdue", "followup"), overdue);
    assert_eq!(count("today", "followup"), to_tomorrow - overdue);
    assert_eq!(count("upcoming", "followup"), to_a_week - to_tomorrow);
    assert!(overdue > 100, "a demo with real work overdue: {overdue}");

    // Tickets: past their SLA as `ticket list --overdue`, the rest by due time.
    let breached =
        array(&cli.json(DB, &["ticket", "list", "--overdue", "--limit", "1000000"])).len();
    assert_eq!(count("overdue", "ticket"), breached);
    let open = cli.json(
        DB,
        &[
            "ticket",
            "list",
            "--status",
            "new,open,pending",
            "--limit",
            "1000000",
        ],
    );
    // By when each needs us: an answer owed, else the resolution unless
    // it waits on the customer (`Ticket::attention_due`).
    let attention = |t: &Value| -> Option<String> {
        let answer = t["first_response_at"]
            .is_null()
            .then(|| text(t, "first_response_due_at").to_string());
        let clock = &t["sla"]["resolution"];
        let waiting = clock["state"] == "paused";
        let resolve = (!waiting).then(|| text(t, "due_at").to_string());
        match (answer, resolve) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        }
    };
    let due_in = |from: &str, to: &str| {
        array(&open)
            .iter()
            .filter_map(attention)
            .filter(|due| (from..to).contains(&due.as_str()))
            .count()
    };
    assert_eq!(count("today", "ticket"), due_in(NOW, IN_A_DAY));
    assert_eq!(count("upcoming", "ticket"), due_in(IN_A_DAY, IN_A_WEEK));

    // Each line once, sections in order.
    let keys: HashSet<(&str, i64)> = lines
        .iter()
        .map(|l| (text(l, "kind"), l["id"].as_i64().unwrap_or_default()))
        .collect();
    assert_eq!(keys.len(), lines.len());
    let rank = |l: &Value| {
        ["overdue", "today", "upcoming"]
            .iter()
            .position(|s| *s == text(l, "section"))
    };
    assert!(lines.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
    assert!(
        lines.len() > 500,
        "more than one page of the stream: {}",
        lines.len()
    );

    // The header's counts are the agenda's overdue section.
    let (_, stderr) = stderr_of(&cli, &["agenda"]);
    let header = format!(
        "{} overdue ({} follow-ups, {} tickets)",
        overdue + breached,
        overdue,
        breached
    );
    assert!(stderr.contains(&header), "{stderr}");
    assert!(!stderr.contains("first"), "nothing was cut: {stderr}");
    let (_, stderr) = stderr_of(&cli, &["--json", "agenda"]);
    assert!(!stderr.contains("truncated"), "{stderr}");
}

#[test]
fn limit_prints_that_many_and_says_it_cut_the_list() {
    let cli = demo();
    let all = cli.json(DB, &["agenda"]);
    let total = array(&all).len();

    let (stdout, stderr) = stderr_of(&cli, &["--json", "agenda", "--limit", "7"]);
    let first: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(array(&first)[..], array(&all)[..7], "the first 7, in order");
    assert!(
        stderr.contains(&format!("truncated: first 7 of {total} lines shown")),
        "{stderr}"
    );

    let (stdout, stderr) = stderr_of(&cli, &["agenda", "--limit", "7"]);
    assert_eq!(stdout.lines().count(), 8, "a header and 7 lines:\n{stdout}");
    assert!(
        stderr.contains(&format!("(first 7 of {total} shown")),
        "{stderr}"
    );

    // A limit the agenda fits in cuts nothing and says nothing.
    let limit = total.to_string();
    let (stdout, stderr) = stderr_of(&cli, &["--json", "agenda", "--limit", &limit]);
    assert_eq!(array(&serde_json::from_str(&stdout).unwrap()).len(), total);
    assert!(!stderr.contains("truncated"), "{stderr}");
}

#[test]
fn every_list_cut_short_says_so_also_in_json() {
    let cli = demo();
    for args in [
        &["--json", "followup", "list", "--limit", "3"][..],
        &["--json", "ticket", "list", "--limit", "3"],
        &["--json", "search", "a", "--limit", "3"],
    ] {
        let (stdout, stderr) = stderr_of(&cli, args);
        assert_eq!(array(&serde_json::from_str(&stdout).unwrap()).len(), 3);
        assert!(
            stderr.contains("truncated: first 3 shown"),
            "{args:?}: {stderr}"
        );
    }
    let (_, stderr) = stderr_of(&cli, &["followup", "list", "--limit", "3"]);
    assert!(stderr.contains("(first 3 shown"), "{stderr}");
}

/// Pages of any size, forward or backward, put together give the same
/// agenda: the merge of the two tables loses or repeats no line at a page's
/// edge, in every section.
#[test]
fn pages_of_any_size_in_either_direction_make_the_same_agenda() {
    use jiff::tz::TimeZone;
    use tuicrm::domain::agenda::AgendaLine;
    use tuicrm::domain::{Clock, FollowupDraft};
    use tuicrm::store::Store;

    let cli = Cli::new();
    cli.ok(DB, &["demo", "--customers", "600"]);
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let mut store = Store::open(&cli.path(DB))
        .unwrap()
        .with_clock(Clock::fixed(now, TimeZone::UTC));
    // One more due today, so "today" has follow-ups to merge with tickets.
    let customer = store
        .agenda_page(&store.agenda_query(7), None, 1)
        .unwrap()
        .items[0]
        .customer_id;
    store
        .add_followup(FollowupDraft::new(
            customer,
            jiff::civil::date(2026, 11, 25),
        ))
        .unwrap();

    let query = store.agenda_query(30);
    let key = |l: &AgendaLine| (l.kind.noun(), l.id);
    let all: Vec<_> = store
        .agenda_page(&query, None, 1_000_000)
        .unwrap()
        .items
        .iter()
        .map(key)
        .collect();
    assert!(all.len() > 100, "{}", all.len());
    let streamed: Vec<_> = store
        .agenda_lines(&query)
        .unwrap()
        .map(|l| key(&l.unwrap()))
        .collect();
    assert_eq!(streamed, all, "the CLI's stream");
    for size in [1, 2, 7, 50] {
        let mut forward = Vec::new();
        let mut last: Option<AgendaLine> = None;
        loop {
            let page = store.agenda_page(&query, last.as_ref(), size).unwrap();
            assert!(page.items.len() <= size);
            forward.extend(page.items.iter().map(key));
            last = page.items.last().cloned();
            if page.next.is_none() {
                break;
            }
        }
        assert_eq!(forward, all, "forward in pages of {size}");
        let mut backward = Vec::new();
        let mut first: Option<AgendaLine> = None;
        loop {
            let page = store
                .agenda_page_before(&query, first.as_ref(), size)
                .unwrap();
            let mut keys: Vec<_> = page.items.iter().map(key).collect();
            keys.append(&mut backward);
            backward = keys;
            first = page.items.first().cloned();
            if page.next.is_none() {
                break;
            }
        }
        assert_eq!(backward, all, "backward in pages of {size}");
    }
}

#[test]
fn customer_list_json_cut_short_says_so() {
    let cli = Cli::new();
    for name in ["Ann", "Bob", "Cy"] {
        cli.ok("crm.db", &["customer", "add", name]);
    }
    let out = cli.run_on("crm.db", &["--json", "customer", "list", "--limit", "2"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("truncated: first 2 shown"), "{stderr}");
    let out = cli.run_on("crm.db", &["--json", "customer", "list", "--limit", "3"]);
    assert!(String::from_utf8_lossy(&out.stderr).trim().is_empty());
}
