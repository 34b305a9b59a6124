//! Writers killed with SIGKILL at random moments: every id a writer reported
//! is in the database afterwards, an import is all or nothing, and `check`
//! stays clean. Bounded: a few dozen rounds.

mod common;

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use common::Cli;

/// A small deterministic sequence of delays (no extra crate for randomness).
fn delays(seed: u64, n: usize, max_ms: u64) -> Vec<Duration> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            Duration::from_millis((x >> 33) % max_ms)
        })
        .collect()
}

fn reported_id(stdout: &str) -> Option<i64> {
    let rest = stdout.strip_prefix("added customer ")?;
    rest.split(':').next()?.trim().parse().ok()
}

#[test]
fn every_reported_write_survives_kill_9_and_check_stays_clean() {
    let cli = Cli::new();
    cli.ok("crm.db", &["customer", "add", "First"]);
    let mut reported = vec![1];
    for (round, delay) in delays(7, 40, 25).into_iter().enumerate() {
        let name = format!("Writer {round}");
        let mut child = cli
            .command("crm.db", &["customer", "add", &name, "--tag", "crash"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            let _ = stdout.read_to_string(&mut out);
        }
        if let Some(id) = reported_id(&out) {
            reported.push(id);
        }
    }
    let listed = cli.json("crm.db", &["customer", "list", "--limit", "1000"]);
    let ids: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    eprintln!(
        "{} of 41 writes reported, {} in the database",
        reported.len(),
        ids.len()
    );
    for id in &reported {
        assert!(ids.contains(id), "reported customer {id} is gone: {ids:?}");
    }
    assert!(cli.ok("crm.db", &["check"]).contains("ok"));
}

#[test]
fn an_import_killed_at_any_moment_is_all_or_nothing() {
    let cli = Cli::new();
    let csv = cli.path("contacts.csv");
    let mut text = String::from("name,email\n");
    for i in 0..3000 {
        text.push_str(&format!("Contact {i},c{i}@example.com\n"));
    }
    std::fs::write(&csv, text).unwrap();
    cli.ok("crm.db", &["customer", "add", "Before"]);
    for delay in delays(11, 8, 120) {
        let csv_arg = csv.to_string_lossy();
        let mut child = cli
            .command("crm.db", &["import", &csv_arg])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let count = cli
            .json("crm.db", &["customer", "list", "--limit", "10000"])
            .as_array()
            .unwrap()
            .len();
        assert!(count == 1 || count == 3001, "a partial import: {count}");
        assert!(cli.ok("crm.db", &["check"]).contains("ok"));
        if count == 3001 {
            break;
        }
    }
}
