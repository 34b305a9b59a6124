//! The command line as scripts use it (issue 12.11): whole cells in a pipe,
//! stage words as shown, search by tag, help on every option, completions
//! that know the allowed words, and a manual with a page per command.

mod common;

use std::process::Command as Process;

use clap::CommandFactory;
use common::Cli;
use serde_json::Value;

const DB: &str = "crm.db";

fn ids(value: &Value) -> Vec<i64> {
    value
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| r["id"].as_i64().expect("an id"))
        .collect()
}

fn add(cli: &Cli, name: &str, flags: &[&str]) -> i64 {
    let mut args = vec!["customer", "add", name];
    args.extend_from_slice(flags);
    cli.json(DB, &args)["id"].as_i64().expect("an id")
}

const LONG_EMAIL: &str = "kathryn.meyers.procurement.department@very-long-company-name.example.com";

#[test]
fn a_table_in_a_pipe_keeps_every_character() {
    let cli = Cli::new();
    add(&cli, "Kathryn Meyers", &["--email", LONG_EMAIL]);
    assert!(LONG_EMAIL.chars().count() > 48, "longer than a cut cell");
    for flags in [&["customer", "list"][..], &["--wide", "customer", "list"]] {
        let out = cli.ok(DB, flags);
        assert!(out.contains(LONG_EMAIL), "{flags:?}:\n{out}");
        assert!(!out.contains('…'), "{flags:?}:\n{out}");
    }
}

/// `script` gives the command a terminal, where a person reads the table:
/// cells are cut there, unless --wide.
#[test]
fn at_a_terminal_cells_are_cut_unless_wide() {
    let probe = Process::new("script").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no util-linux `script` to give a terminal");
        return;
    }
    let cli = Cli::new();
    add(&cli, "Kathryn Meyers", &["--email", LONG_EMAIL]);
    let at_terminal = |extra: &str| {
        let line = format!(
            "{} --db {} {extra} customer list",
            env!("CARGO_BIN_EXE_tuicrm"),
            cli.path(DB).display()
        );
        let output = Process::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env("TUICRM_NOW", "2026-11-25T10:00:00Z")
            .env("TZ", "UTC")
            .env("HOME", cli.dir.path())
            .env("XDG_CONFIG_HOME", cli.dir.path())
            .env_remove("TUICRM_DB")
            .env_remove("TUICRM_CONFIG")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let cut = at_terminal("");
    assert!(cut.contains('…') && !cut.contains(LONG_EMAIL), "{cut}");
    let wide = at_terminal("--wide");
    assert!(wide.contains(LONG_EMAIL), "{wide}");
}

#[test]
fn stage_words_are_taken_as_the_tui_shows_them() {
    let cli = Cli::new();
    let kathryn = add(&cli, "Kathryn Meyers", &["--stage", "at risk"]);
    let bob = add(&cli, "Bob Stone", &["--stage", "at_risk"]);
    add(&cli, "Ann Active", &["--stage", "Active"]);
    let found = cli.json(DB, &["customer", "list", "--stage", "at risk"]);
    assert_eq!(ids(&found), [bob, kathryn], "by name");
    assert_eq!(found[0]["stage"], "at_risk");
    let edited = cli.json(
        DB,
        &["customer", "edit", &bob.to_string(), "--stage", "AT-RISK"],
    );
    assert_eq!(edited["stage"], "at_risk");

    // A wrong word still gets the domain's reason, on one line, as usage.
    let out = cli.run_on(DB, &["customer", "list", "--stage", "happy"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("stage must be one of prospect, onboarding, active, at_risk, churned"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn customer_search_also_matches_tags() {
    let cli = Cli::new();
    let jane = add(&cli, "Jane Doe", &["--tag", "vip-gold"]);
    let acme_vip = add(
        &cli,
        "Acme Buyer",
        &["--tag", "vip", "--notes", "likes tea"],
    );
    add(&cli, "Acme Other", &["--tag", "churn_risk"]);
    let search = |q: &str| ids(&cli.json(DB, &["customer", "list", "--search", q]));
    assert_eq!(search("vip"), [acme_vip, jane], "a tag's prefix, by name");
    assert_eq!(search("VIP-GOLD"), [jane], "any case");
    // Each word must match somewhere: the name, the notes or a tag.
    assert_eq!(search("acme vip"), [acme_vip]);
    assert_eq!(search("tea vip"), [acme_vip]);
    assert!(search("acme gold").is_empty());
    // LIKE's wildcards in a word match only themselves.
    assert!(search("v_p").is_empty());
    assert_eq!(
        search("churn_r"),
        ids(&cli.json(DB, &["customer", "list", "--tag", "churn_risk"]))
    );
}

/// Every option and argument of every command says what it is for, in
/// `--help`, in the man pages and in shell completions that show help.
#[test]
fn every_option_has_a_help_line() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        if cmd.get_about().is_none() && !path.is_empty() {
            missing.push(format!("command `{path}`"));
        }
        for arg in cmd.get_arguments() {
            // clap's own --help and --version bring their text.
            if matches!(arg.get_id().as_str(), "help" | "version") || arg.is_hide_set() {
                continue;
            }
            let help = arg.get_help().or(arg.get_long_help());
            if help.is_none_or(|h| h.to_string().trim().is_empty()) {
                missing.push(format!("`{path}` {}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let path = format!("{path} {}", sub.get_name()).trim().to_string();
            walk(sub, &path, missing);
        }
    }
    let mut root = tuicrm::cli::Cli::command();
    root.build();
    let mut missing = Vec::new();
    walk(&root, "", &mut missing);
    assert!(
        missing.is_empty(),
        "without a help line:\n{}",
        missing.join("\n")
    );
}

#[test]
fn completions_offer_the_allowed_words() {
    let cli = Cli::new();
    let bash = cli.ok("none.db", &["completions", "bash"]);
    for words in [
        "prospect onboarding active at_risk churned",
        "new open pending resolved closed",
        "low normal high urgent",
        "onboarding check_in review renewal upsell other",
        "call email meeting chat note system",
        "person organization",
    ] {
        assert!(bash.contains(words), "bash completions lack {words:?}");
    }
    let fish = cli.ok("none.db", &["completions", "fish"]);
    assert!(
        fish.contains("-l stage") && fish.contains("at_risk"),
        "{fish}"
    );
    assert!(!cli.path("none.db").exists(), "no database was created");
}

#[test]
fn man_gives_a_page_per_command_with_files_environment_and_exit_status() {
    let cli = Cli::new();
    let root = cli.ok("none.db", &["man"]);
    let page = cli.ok("none.db", &["man", "customer", "add"]);
    assert!(page.contains(".TH tuicrm-customer-add 1"), "{page}");
    assert!(page.contains("\\-\\-stage"), "its own options: {page}");
    for p in [&root, &page] {
        for section in [
            ".SH FILES",
            ".SH ENVIRONMENT",
            ".SH \"EXIT STATUS\"",
            "TUICRM_DB",
        ] {
            assert!(p.contains(section), "{section}: {p}");
        }
    }
    assert!(
        page.contains("tuicrm(1)"),
        "a command's page points back: {page}"
    );

    let out = cli.run_on("none.db", &["man", "customer", "fly"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no manual page"));

    // --dir writes every page; every page a page names exists.
    let dir = cli.path("man");
    let listed = cli.ok(
        "none.db",
        &["man", "--dir", dir.to_str().expect("utf-8 path")],
    );
    assert!(listed.lines().count() > 20, "{listed}");
    let mut names = 0;
    for entry in std::fs::read_dir(&dir).expect("pages written") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("a page");
        for word in text.split(|c: char| c.is_whitespace()) {
            if let Some(name) = word.strip_suffix("(1)") {
                let name = name.replace("\\-", "-");
                assert!(
                    dir.join(format!("{name}.1")).exists(),
                    "{name}(1) is named but missing"
                );
                names += 1;
            }
        }
    }
    assert!(names > 20, "pages name their commands");
    assert!(dir.join("tuicrm-customer-duplicates.1").exists());
    assert!(!cli.path("none.db").exists(), "no database was created");
}
