//! `customer list` streams its pages: the output of a listing stays what it
//! was when the whole list was held (fixtures written by the version before
//! streaming, on the same demo at the same time), and a listing of many
//! pages keeps every row and score.

mod common;

use common::Cli;
use serde_json::Value;

const TABLE: &str = include_str!("fixtures/listing/customers.txt");
const JSON: &str = include_str!("fixtures/listing/customers.json");

fn demo(cli: &Cli, customers: &str) {
    cli.ok("crm.db", &["demo", "--customers", customers, "--seed", "3"]);
}

#[test]
fn a_listing_prints_as_before_streaming() {
    let cli = Cli::new();
    demo(&cli, "120");
    let table = cli.ok("crm.db", &["customer", "list", "--limit", "500"]);
    assert_eq!(table, TABLE);
    let json = cli.ok("crm.db", &["--json", "customer", "list", "--limit", "500"]);
    assert_eq!(json, JSON);
    // Cut by the limit: the first rows, the same widths as a list of them.
    let first: Vec<&str> = TABLE.lines().take(11).collect();
    let short = cli.run_on("crm.db", &["customer", "list", "--limit", "10"]);
    let stderr = String::from_utf8_lossy(&short.stderr);
    assert!(stderr.contains("first 10 shown"), "{stderr}");
    let lines: Vec<String> = String::from_utf8_lossy(&short.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 11);
    for (line, whole) in lines.iter().zip(&first) {
        // Narrower columns may pad less; the cells are the same.
        let cells = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(cells(line), cells(whole));
    }
}

#[test]
fn a_listing_of_many_pages_keeps_every_row_and_score() {
    let cli = Cli::new();
    demo(&cli, "2500");
    let all = cli.json("crm.db", &["customer", "list", "--all"]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2500);
    let names: Vec<String> = all
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "by name");
    let mut ids: Vec<i64> = all.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 2500, "no row twice");
    // Scores of later pages as `customer show` gives them one at a time.
    for listed in all.iter().step_by(97) {
        let id = listed["id"].to_string();
        let shown: Value = cli.json("crm.db", &["customer", "show", &id]);
        assert_eq!(listed["health"], shown["health"], "customer {id}");
    }
    // A limit inside the second page stops there and says so.
    let cut = cli.run_on("crm.db", &["--json", "customer", "list", "--limit", "1500"]);
    let cut_rows: Value = serde_json::from_slice(&cut.stdout).unwrap();
    assert_eq!(cut_rows.as_array().unwrap()[..], all[..1500]);
    assert!(String::from_utf8_lossy(&cut.stderr).contains("truncated: first 1500 shown"));
    // The table has a line per customer and a header; ids are never cut.
    let table = cli.ok("crm.db", &["customer", "list", "--limit", "1000000"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2501);
    let mut listed: Vec<i64> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, ids);
}

#[test]
fn a_ticket_listing_prints_as_before_streaming() {
    let cli = Cli::new();
    demo(&cli, "120");
    let table = cli.ok("crm.db", &["ticket", "list", "--limit", "500"]);
    assert_eq!(table, include_str!("fixtures/listing/tickets.txt"));
    let json = cli.ok("crm.db", &["--json", "ticket", "list", "--limit", "500"]);
    assert_eq!(json, include_str!("fixtures/listing/tickets.json"));
}

#[test]
fn a_ticket_listing_of_many_pages_keeps_every_row() {
    let cli = Cli::new();
    demo(&cli, "2500");
    let all = cli.json("crm.db", &["ticket", "list", "--limit", "1000000"]);
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(ids.len() > 1_000, "more than a page: {}", ids.len());
    let opened: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["opened_at"].as_str().unwrap())
        .collect();
    assert!(opened.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no ticket twice");
    let table = cli.ok("crm.db", &["ticket", "list", "--limit", "1000000"]);
    let listed: Vec<i64> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(listed, ids);
    let cut = cli.run_on("crm.db", &["ticket", "list", "--limit", "1001"]);
    assert_eq!(String::from_utf8_lossy(&cut.stdout).lines().count(), 1002);
    assert!(String::from_utf8_lossy(&cut.stderr).contains("first 1001 shown"));
}

#[test]
fn a_followup_listing_prints_as_before_streaming() {
    let cli = Cli::new();
    demo(&cli, "120");
    let args = ["followup", "list", "--all", "--limit", "500"];
    assert_eq!(
        cli.ok("crm.db", &args),
        include_str!("fixtures/listing/followups.txt")
    );
    let mut json = vec!["--json"];
    json.extend(args);
    assert_eq!(
        cli.ok("crm.db", &json),
        include_str!("fixtures/listing/followups.json")
    );
}

/// `--all` on every list that takes `--limit`: every row (what a limit
/// above the list's length gives), no note that it was cut, and refused
/// beside `--limit`. Follow-ups, whose `--all` means every status, take
/// `--no-limit`.
#[test]
fn all_lists_every_row_without_a_number() {
    let cli = Cli::new();
    demo(&cli, "120");
    let run = |list: &[&str], extra: &[&str]| {
        let mut args = vec!["--json"];
        args.extend(list);
        args.extend(extra);
        cli.run_on("crm.db", &args)
    };
    let lists: [(&[&str], &str); 7] = [
        (&["customer", "list"], "--all"),
        (&["customer", "duplicates"], "--all"),
        (&["ticket", "list"], "--all"),
        (&["interaction", "list"], "--all"),
        (&["search", "a"], "--all"),
        (&["agenda"], "--all"),
        (&["followup", "list", "--all"], "--no-limit"),
    ];
    for (list, flag) in lists {
        let all = run(list, &[flag]);
        let stderr = String::from_utf8_lossy(&all.stderr);
        assert!(all.status.success(), "{list:?} {flag}: {stderr}");
        assert!(!stderr.contains("truncated"), "{list:?} {flag}: {stderr}");
        let many = run(list, &["--limit", "1000000"]);
        assert_eq!(all.stdout, many.stdout, "{list:?} {flag}");
        let clash = run(list, &[flag, "--limit", "3"]);
        let stderr = String::from_utf8_lossy(&clash.stderr);
        assert_eq!(clash.status.code(), Some(2), "{list:?} {flag}: {stderr}");
        assert!(stderr.contains("cannot be used with"), "{stderr}");
    }
    // More than the default limits of 50 and 20.
    let customers: Value =
        serde_json::from_slice(&run(&["customer", "list"], &["--all"]).stdout).expect("JSON");
    assert_eq!(customers.as_array().map(Vec::len), Some(120));
    let hits: Value =
        serde_json::from_slice(&run(&["search", "a"], &["--no-limit"]).stdout).expect("JSON");
    assert!(hits.as_array().map_or(0, Vec::len) > 20, "{hits}");
}

#[test]
fn health_below_keeps_the_order_and_only_the_low_scores_across_pages() {
    let cli = Cli::new();
    demo(&cli, "2500");
    let ids = |v: &Value, below: u64| -> Vec<u64> {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|c| c["health"]["score"].as_u64().unwrap() < below)
            .map(|c| c["id"].as_u64().unwrap())
            .collect()
    };
    let everyone: Value =
        serde_json::from_str(&cli.ok("crm.db", &["--json", "customer", "list", "--all"])).unwrap();
    let low = ids(&everyone, 60);
    assert!(!low.is_empty() && low.len() < 2500, "{}", low.len());
    let args = [
        "--json",
        "customer",
        "list",
        "--all",
        "--health-below",
        "60",
    ];
    let filtered: Value = serde_json::from_str(&cli.ok("crm.db", &args)).unwrap();
    assert_eq!(ids(&filtered, 101), low);
    // A limit counts the customers shown, not those read.
    let args = [
        "--json",
        "customer",
        "list",
        "--limit",
        "5",
        "--health-below",
        "60",
    ];
    let first: Value = serde_json::from_str(&cli.ok("crm.db", &args)).unwrap();
    assert_eq!(ids(&first, 101), low[..5]);
    let bad = cli.run_on("crm.db", &["customer", "list", "--health-below", "200"]);
    assert!(!bad.status.success());
}

#[test]
fn sort_health_lists_the_lowest_scores_first_then_by_name() {
    let cli = Cli::new();
    demo(&cli, "1500");
    let rows = |args: &[&str]| -> Vec<(u64, String, u64)> {
        let mut all = vec!["--json", "customer", "list"];
        all.extend_from_slice(args);
        let v: Value = serde_json::from_str(&cli.ok("crm.db", &all)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let score = c["health"]["score"].as_u64().unwrap();
                let name = c["name"].as_str().unwrap().to_ascii_lowercase();
                (score, name, c["id"].as_u64().unwrap())
            })
            .collect()
    };
    let mut everyone = rows(&["--all"]);
    everyone.sort();
    assert_eq!(rows(&["--all", "--sort", "health"]), everyone);
    assert_eq!(rows(&["--limit", "10", "--sort", "health"]), everyone[..10]);
    let low: Vec<_> = everyone.iter().filter(|r| r.0 < 60).cloned().collect();
    let args = ["--all", "--sort", "health", "--health-below", "60"];
    assert_eq!(rows(&args), low);
    // The table says the same, worst first.
    let table = cli.ok(
        "crm.db",
        &["customer", "list", "--sort", "health", "--limit", "3"],
    );
    let first_ids: Vec<String> = table
        .lines()
        .skip(1)
        .map(|line| {
            line.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let want: Vec<String> = everyone[..3].iter().map(|r| r.2.to_string()).collect();
    assert_eq!(first_ids, want, "{table}");
    let bad = cli.run_on("crm.db", &["customer", "list", "--sort", "healthy"]);
    assert!(!bad.status.success());
}

#[test]
fn a_reader_that_goes_away_stops_a_long_list_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let cli = Cli::new();
    demo(&cli, "3000");
    for json in [false, true] {
        let mut args = vec!["customer", "list", "--all"];
        if json {
            args.insert(0, "--json");
        }
        let mut child = cli
            .command("crm.db", &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // One line read, then the pipe is closed: `tuicrm customer list | head -1`.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "json {json}");
    }
}
