//! `tuicrm demo --customers 1000000` into a fresh database, as a user runs
//! it: the whole process, generating, writing, indexing and committing.

use crate::figures::run_tuicrm;

const CUSTOMERS: &str = "1000000";

pub fn demo_load() {
    // A new folder each run: the demo goes only into an empty database.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("demo.db").to_string_lossy().into_owned();
    run_tuicrm(&["--db", &db, "demo", "--customers", CUSTOMERS]).record(&format!(
        "demo --customers {CUSTOMERS} into a fresh DB (whole process)"
    ));
}
