//! How a report's figures read: durations in two units, shares as whole
//! percents, and the table's columns, one list for the CLI and the TUI.

use super::{Durations, MetShare, ReportBy, ReportRow};

impl Durations {
    /// "35m / 2h 10m" (median / 90th percentile), "-" with none.
    pub fn med_p90(&self) -> String {
        match (self.median_minutes, self.p90_minutes) {
            (Some(med), Some(p90)) => {
                format!("{} / {}", report_duration(med), report_duration(p90))
            }
            _ => "-".to_string(),
        }
    }
}

impl MetShare {
    /// "93%", "-" with nothing decided.
    pub fn percent_text(&self) -> String {
        self.percent()
            .map_or_else(|| "-".to_string(), |p| format!("{p:.0}%"))
    }
}

impl ReportRow {
    /// "4.2 (31)": the average rating and how many, "-" with none.
    pub fn csat_text(&self) -> String {
        match self.csat_average {
            Some(avg) => format!("{avg:.1} ({})", self.csat_ratings),
            None => "-".to_string(),
        }
    }

    /// "3/10/20/9": the backlog under a day, a week, a month, and older.
    pub fn ages_text(&self) -> String {
        let b = &self.backlog;
        format!(
            "{}/{}/{}/{}",
            b.under_1d, b.days_1_to_7, b.days_7_to_30, b.over_30d
        )
    }
}

/// "45m", "3h 20m", "2d 4h": a report's duration, two units at most.
pub fn report_duration(minutes: i64) -> String {
    let m = minutes.max(0);
    match m {
        m if m < 60 => format!("{m}m"),
        m if m < 24 * 60 && m % 60 == 0 => format!("{}h", m / 60),
        m if m < 24 * 60 => format!("{}h {}m", m / 60, m % 60),
        m if (m / 60) % 24 == 0 => format!("{}d", m / (24 * 60)),
        m => format!("{}d {}h", m / (24 * 60), (m / 60) % 24),
    }
}

/// A column of a report's table: its heading and its cell of a row.
pub struct ReportColumn {
    pub heading: &'static str,
    pub cell: fn(&ReportRow) -> String,
}

/// The table's columns, in order, for rows `by` that: the bucket (and its
/// first day, for spans of time), then every figure.
pub fn table_columns(by: ReportBy) -> Vec<ReportColumn> {
    let column = |heading, cell| ReportColumn { heading, cell };
    let mut all = vec![column(by.heading(), |r: &ReportRow| r.bucket.clone())];
    if by.is_time() {
        all.push(column("FROM", |r| {
            r.from.map(|d| d.to_string()).unwrap_or_default()
        }));
    }
    all.extend([
        column("OPENED", |r| r.opened.to_string()),
        column("RESOLVED", |r| r.resolved.to_string()),
        column("REPLY MED/P90", |r| r.first_response.med_p90()),
        column("RESOLVE MED/P90", |r| r.resolution.med_p90()),
        column("REPLY MET", |r| r.first_response_sla.percent_text()),
        column("RESOLVE MET", |r| r.resolution_sla.percent_text()),
        column("BACKLOG", |r| r.backlog.open.to_string()),
        column("<1D/<7D/<30D/OLDER", ReportRow::ages_text),
        column("CSAT (N)", ReportRow::csat_text),
    ]);
    all
}
