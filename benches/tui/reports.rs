//! Service reports on the bench DB: the 12-week report the Reports tab and
//! `tuicrm report` open on, by week and the other groupings, in process
//! (what the tab's thread spends) and as a whole command.

use std::path::Path;

use tuicrm::domain::report::{ReportBy, ReportSpec};
use tuicrm::store::Store;

use crate::figures::{run_tuicrm, time};

pub fn reports(path: &Path) {
    let store = Store::open(path).expect("bench DB opens");
    for by in [
        ReportBy::Week,
        ReportBy::Month,
        ReportBy::Assignee,
        ReportBy::Segment,
    ] {
        let (from, to) = ReportBy::Week.default_period(store.clock().today());
        let spec = ReportSpec {
            by,
            from,
            to,
            tz: store.clock().tz().clone(),
        };
        // A first run warms the page cache, as the tab's second look would.
        store.report(&spec).expect("report");
        time(5, || {
            store.report(&spec).expect("report");
        })
        .report(&format!("report, 12 weeks by {}", by.as_str()));
    }
    let db = path.display().to_string();
    run_tuicrm(&["--db", &db, "report"]).record("tuicrm report (12 weeks by week)");
    run_tuicrm(&["--db", &db, "report", "--by", "month", "--json"])
        .record("tuicrm report --by month --json (12 months)");
}
