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

/// A whole `tuicrm` process, as a user runs it: how long it took and its
/// peak resident memory (as `/usr/bin/time` reports it, else from `wait4`).
pub struct Run {
    pub took: Duration,
    pub peak_kib: i64,
    /// What it wrote to stdout, counted, not kept.
    pub output_bytes: u64,
    pub ok: bool,
}

/// Runs the release binary with `args`, its stdout counted and dropped.
pub fn run_tuicrm(args: &[&str]) -> Run {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    // A child's peak memory counts the image it was started from (this
    // bench process, a hundred megabytes after building its DB) until it
    // runs tuicrm: `time`, a small process, starts tuicrm and says its peak.
    let peak_file = tempfile::NamedTempFile::new().expect("a temporary file");
    let timed = std::path::Path::new("/usr/bin/time").exists();
    let mut command = if timed {
        let mut time = Command::new("/usr/bin/time");
        time.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(peak_file.path())
            .arg(env!("CARGO_BIN_EXE_tuicrm"));
        time
    } else {
        Command::new(env!("CARGO_BIN_EXE_tuicrm"))
    };
    let started = Instant::now();
    // Waited for by wait4 below, which std cannot do and still give rusage.
    #[allow(clippy::zombie_processes)]
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tuicrm starts");
    let mut output_bytes = 0;
    if let Some(mut out) = child.stdout.take() {
        let mut buf = vec![0; 1 << 16];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            output_bytes += n as u64;
        }
    }
    let mut status = 0;
    // SAFETY: a plain out-parameter struct, zeroed as wait4 expects.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; both pointers live.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    let told = std::fs::read_to_string(peak_file.path())
        .ok()
        .and_then(|text| text.lines().last()?.trim().parse().ok());
    Run {
        took,
        peak_kib: told.filter(|_| timed).unwrap_or(usage.ru_maxrss),
        output_bytes,
        ok: pid > 0 && std::process::ExitStatus::from_raw(status).success(),
    }
}

impl Run {
    /// Records the run as one figure: time, peak memory, output size.
    pub fn record(&self, what: &str) {
        let failed = if self.ok { "" } else { "  FAILED" };
        record(
            what,
            format!(
                "{:>9.3} s  peak {:>7.1} MiB  out {:>7.1} MiB{failed}",
                self.took.as_secs_f64(),
                self.peak_kib as f64 / 1024.0,
                self.output_bytes as f64 / (1024.0 * 1024.0),
            ),
        );
    }
}
