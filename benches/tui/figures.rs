//! How the bench measures and reports: each figure is printed as soon as it
//! is known and kept, so the end of a run prints all of them as one table.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Every figure of this run, in the order measured: (what, figure).
static TABLE: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Keeps a figure for the table at the end, and prints it now.
pub fn record(what: &str, figure: String) {
    println!("{what:<52} {figure}");
    if let Ok(mut table) = TABLE.lock() {
        table.push((what.to_string(), figure));
    }
}

/// A figure measured once (a whole load, a whole listing).
pub fn record_once(what: &str, took: Duration, memory: Option<String>) {
    let memory = memory.map(|m| format!("  peak {m}")).unwrap_or_default();
    record(what, format!("{:>9.3} s{memory}", took.as_secs_f64()));
}

/// All figures of the run together.
pub fn print_table() {
    let Ok(table) = TABLE.lock() else {
        return;
    };
    let width = table.iter().map(|(what, _)| what.len()).max().unwrap_or(0);
    println!("\n{:=<1$}", "", width + 60);
    println!("all figures of this run");
    println!("{:-<1$}", "", width + 60);
    for (what, figure) in table.iter() {
        println!("{what:<width$}  {figure}");
    }
}

pub struct Samples(pub Vec<Duration>);

impl Samples {
    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    }

    pub fn report(&self, what: &str) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        record(
            what,
            format!(
                "n={:<5} p50 {:>8.3} ms  p95 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms",
                self.0.len(),
                ms(self.percentile(0.5)),
                ms(self.percentile(0.95)),
                ms(self.percentile(0.99)),
                ms(self.percentile(1.0)),
            ),
        );
    }
}

pub fn time(n: usize, mut f: impl FnMut()) -> Samples {
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

/// Peak resident memory of this process so far ("123456 kB").
pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}
