//! Whole listings as a script runs them: every record of a list printed by
//! the release binary, with its time and peak memory.

use std::path::Path;

use crate::figures::run_tuicrm;

/// Everything a list holds (no limit a user has to guess).
const EVERYTHING: &str = "1000000000";

pub fn listings(path: &Path, customers: usize) {
    let db = path.to_string_lossy().into_owned();
    let of = |what: &str| format!("{what}, {customers} customers (whole process)");
    // Untimed: the first command would read the file from disk, and a
    // user's commands meet it in the system's cache.
    run_tuicrm(&["--db", &db, "export", "--format", "csv"]);
    for (args, what) in [
        (&["customer", "list"][..], "customer list, every row, table"),
        (
            &["--json", "customer", "list"],
            "customer list, every row, JSON",
        ),
        (&["ticket", "list"], "ticket list, every open ticket"),
        (&["followup", "list"], "followup list, every planned one"),
        (
            &["customer", "list", "--health-below", "60"],
            "customer list --health-below 60",
        ),
        (&["interaction", "list"], "interaction list, the whole log"),
        (&["search", "renewal"], "search renewal, every match"),
    ] {
        let mut full = vec!["--db", &db];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--limit", EVERYTHING]);
        run_tuicrm(&full).record(&of(what));
    }
    // A view of the worst accounts: the first screenful, and every one.
    let by_health = ["--db", &db, "customer", "list", "--sort", "health"];
    run_tuicrm(&[&by_health[..], &["--limit", "50"]].concat())
        .record(&of("customer list --sort health --limit 50"));
    run_tuicrm(&[&by_health[..], &["--limit", EVERYTHING]].concat())
        .record(&of("customer list --sort health, every row"));
    run_tuicrm(&["--db", &db, "agenda"]).record(&of("agenda"));
    for format in ["json", "csv"] {
        run_tuicrm(&["--db", &db, "export", "--format", format])
            .record(&of(&format!("export, {format}")));
    }
}
