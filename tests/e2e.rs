//! The real binary in a real pseudo-terminal: tmux runs a shell, the shell
//! runs `tuicrm` on a temp DB, keys go in with `send-keys` and the screen
//! comes back with `capture-pane`. What the TUI saved is then read with the
//! CLI's `--json`. Without tmux (some CI images) the test says so and passes.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-11-25T10:00:00Z";
const TIMEOUT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);
const SESSION: &str = "e2e";

fn tmux_installed() -> bool {
    Command::new("tmux")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A private tmux server (its own socket, no user config), killed on drop,
/// panics included.
struct Tmux {
    socket: String,
    /// The socket file, removed on drop: `kill-server` leaves it behind.
    socket_path: Option<String>,
}

impl Tmux {
    fn new() -> Tmux {
        Tmux {
            socket: format!("tuicrm-e2e-{}", std::process::id()),
            socket_path: None,
        }
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket, "-f", "/dev/null"])
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> String {
        let output = self
            .command()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"));
        assert!(
            output.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", SESSION])
    }

    /// Types `text` literally (no key names).
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Presses keys by tmux name ("Enter", "Escape", "C-c").
    fn press(&self, key: &str) {
        self.run(&["send-keys", "-t", SESSION, key]);
    }

    fn format(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", SESSION, format])
            .trim()
            .to_string()
    }

    /// Polls the screen until `done` says yes; panics with the last screen
    /// after the timeout.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("{what} did not show within {TIMEOUT:?}; the screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .command()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `tuicrm --db DB ARGS...` with the same pinned clock, as a script runs it.
fn cli(home: &Path, db: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_tuicrm"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TUICRM_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TUICRM_NOW", NOW)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .expect("run tuicrm");
    assert!(
        output.status.success(),
        "tuicrm {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Single quotes for sh.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[test]
fn add_a_customer_log_a_call_and_quit() {
    if !tmux_installed() {
        eprintln!("note: tmux is not installed; skipping the pseudo-terminal test");
        return;
    }
    let dir = TempDir::new().expect("temp dir");
    let home = dir.path();
    let db = home.join("crm.db");
    let bin = env!("CARGO_BIN_EXE_tuicrm");
    let env = |name: &str, value: &Path| format!("{name}={}", value.display());

    let mut tmux = Tmux::new();
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        SESSION,
        "-x",
        "100",
        "-y",
        "30",
        "-e",
        &env("TUICRM_DB", &db),
        "-e",
        &env("HOME", home),
        "-e",
        &env("XDG_CONFIG_HOME", &home.join("config")),
        "-e",
        &env("XDG_DATA_HOME", &home.join("data")),
        "-e",
        "TUICRM_CONFIG=",
        "-e",
        &format!("TUICRM_NOW={NOW}"),
        "-e",
        "TZ=UTC",
        "-e",
        "ENV=",
        "sh",
    ]);
    tmux.socket_path = Some(tmux.format("#{socket_path}"));
    tmux.wait_until("the shell prompt", |screen| !screen.trim().is_empty());
    // The shell runs the app and then says how it ended.
    tmux.type_text(&format!("{}; echo \"tuicrm-exit=$?\"", quoted(bin)));
    tmux.press("Enter");

    tmux.wait_for("Welcome");
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "1",
        "the TUI uses the alternate screen"
    );

    tmux.type_text("a");
    tmux.wait_for("Add customer");
    tmux.type_text("Zephyr Labs");
    tmux.press("Enter");
    let screen = tmux.wait_for("Saved Zephyr Labs");
    assert!(!screen.contains("Welcome"), "{screen}");
    assert!(screen.contains("Zephyr Labs"), "{screen}");

    tmux.type_text("l");
    tmux.wait_for("Log interaction with Zephyr Labs");
    tmux.type_text("Called about pricing");
    tmux.press("Enter");
    tmux.wait_for("Logged");
    tmux.wait_for("Called about pricing");

    // Too small, then back: redrawn on resize.
    tmux.run(&["resize-window", "-t", SESSION, "-x", "30", "-y", "10"]);
    tmux.wait_for("terminal too small");
    tmux.run(&["resize-window", "-t", SESSION, "-x", "100", "-y", "30"]);
    tmux.wait_for("Zephyr Labs");

    tmux.type_text("q");
    // (The command line shows the marker too, but not at a line's start.)
    let screen = tmux.wait_until("the exit status", |screen| {
        screen.lines().any(|line| line.starts_with("tuicrm-exit="))
    });
    assert!(
        screen.lines().any(|line| line == "tuicrm-exit=0"),
        "{screen}"
    );
    // The terminal is as the shell left it: main screen, no mouse reporting,
    // and none of the app's screen left over.
    assert_eq!(tmux.format("#{alternate_on}"), "0", "alternate screen left");
    assert_eq!(tmux.format("#{mouse_any_flag}"), "0", "mouse reporting off");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "cursor shown");
    assert!(!screen.contains("[1 Customers]"), "{screen}");
    drop(tmux);

    // What the TUI saved, read back by the CLI.
    let customers = json(&cli(home, &db, &["customer", "list", "--json"]));
    let customers = customers.as_array().expect("a JSON array");
    assert_eq!(customers.len(), 1, "{customers:?}");
    assert_eq!(customers[0]["name"], "Zephyr Labs");
    assert_eq!(customers[0]["id"], 1);

    let shown = json(&cli(home, &db, &["customer", "show", "1", "--json"]));
    assert_eq!(shown["name"], "Zephyr Labs");
    let log = shown["interactions"].as_array().expect("interactions");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["summary"], "Called about pricing");
    assert_eq!(log[0]["kind"], "note");
    assert_eq!(log[0]["direction"], "internal");
    assert_eq!(log[0]["occurred_at"], NOW);
}
