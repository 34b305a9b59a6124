//! `tuicrm report`: how the desk did per week, month, assignee, priority,
//! channel or segment, as a table, JSON or CSV, with a total row. The
//! figures and what each counts are `domain::report`'s.

use std::io::{self, IsTerminal, Write};

use clap::Args;

use super::export::neutralize_formula;
use super::output::{Table, note, print_json};
use super::{CliError, Context};
use crate::domain::calendar::Calendar;
use crate::domain::report::{MetShare, Report, ReportBy, ReportRow, ReportSpec, table_columns};
use crate::domain::time::parse_date;
use crate::ui::text::sanitize_line;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the period (YYYY-MM-DD, -4w, yesterday ...) [default:
    /// 12 weeks back, or 12 months by month]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    from: Option<String>,
    /// Last day of the period, included [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    to: Option<String>,
    /// One row per week, month, assignee, priority, channel or segment
    #[arg(long, value_name = "WHAT", default_value = "week", value_parser = parse_by)]
    by: ReportBy,
    /// Print CSV (one row per bucket, then the total)
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// Print JSON (also the global --json)
    #[arg(long)]
    json: bool,
}

fn parse_by(text: &str) -> Result<ReportBy, String> {
    ReportBy::parse(text).map_err(|e| e.reason)
}

/// The spec the arguments name, today being `today`.
pub fn spec_of(args: &ReportArgs, ctx: &Context) -> Result<ReportSpec, CliError> {
    let today = ctx.clock().today();
    let to = match &args.to {
        Some(text) => parse_date("--to", text, today)?,
        None => today,
    };
    let from = match &args.from {
        Some(text) => parse_date("--from", text, today)?,
        None => args.by.default_period(to).0,
    };
    if from > to {
        return Err(CliError::usage(format!(
            "--from {from} is after --to {to}: the period must not end before it starts"
        )));
    }
    Ok(ReportSpec {
        by: args.by,
        from,
        to,
        tz: ctx.clock().tz().clone(),
    })
}

pub fn report(ctx: &Context, args: ReportArgs) -> Result<(), CliError> {
    if args.csv && ctx.json {
        return Err(CliError::usage("--csv and --json: choose one"));
    }
    let spec = spec_of(&args, ctx)?;
    let report = ctx.store.report(&spec)?;
    if ctx.json || args.json {
        return print_json(&report);
    }
    if args.csv {
        return print_csv(&report);
    }
    note(&summary(
        &report,
        ctx.store.sla().calendar != Calendar::Always,
    ));
    print_table(&report, args.by)
}

/// "tickets from 2026-09-14 to 2026-12-06, by week; times in business hours"
fn summary(report: &Report, business: bool) -> String {
    let hours = if business {
        "times count business hours"
    } else {
        "times count every hour (24x7)"
    };
    format!(
        "tickets from {} to {}, by {}; {hours}; MED/P90: median and 90th percentile",
        report.from, report.to, report.by
    )
}

fn print_table(report: &Report, by: ReportBy) -> Result<(), CliError> {
    let columns = table_columns(by);
    let headers: Vec<&'static str> = columns.iter().map(|c| c.heading).collect();
    let mut table = Table::new(&headers);
    for row in report.rows.iter().chain([&report.total]) {
        table.row(columns.iter().map(|c| (c.cell)(row)).collect());
    }
    table.print()
}

const CSV_HEADER: [&str; 24] = [
    "bucket",
    "from",
    "to",
    "opened",
    "resolved",
    "first_response_count",
    "first_response_median_minutes",
    "first_response_p90_minutes",
    "resolution_count",
    "resolution_median_minutes",
    "resolution_p90_minutes",
    "first_response_met",
    "first_response_missed",
    "first_response_met_percent",
    "resolution_met",
    "resolution_missed",
    "resolution_met_percent",
    "backlog",
    "backlog_under_1d",
    "backlog_1d_to_7d",
    "backlog_7d_to_30d",
    "backlog_over_30d",
    "csat_average",
    "csat_ratings",
];

fn csv_cells(row: &ReportRow) -> [String; 24] {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let share = |s: &MetShare| s.percent().map(|p| format!("{p:.1}")).unwrap_or_default();
    let b = &row.backlog;
    [
        row.bucket.clone(),
        row.from.map(|d| d.to_string()).unwrap_or_default(),
        row.to.map(|d| d.to_string()).unwrap_or_default(),
        row.opened.to_string(),
        row.resolved.to_string(),
        row.first_response.count.to_string(),
        opt(row.first_response.median_minutes),
        opt(row.first_response.p90_minutes),
        row.resolution.count.to_string(),
        opt(row.resolution.median_minutes),
        opt(row.resolution.p90_minutes),
        row.first_response_sla.met.to_string(),
        row.first_response_sla.missed.to_string(),
        share(&row.first_response_sla),
        row.resolution_sla.met.to_string(),
        row.resolution_sla.missed.to_string(),
        share(&row.resolution_sla),
        b.open.to_string(),
        b.under_1d.to_string(),
        b.days_1_to_7.to_string(),
        b.days_7_to_30.to_string(),
        b.over_30d.to_string(),
        row.csat_average
            .map(|a| format!("{a:.2}"))
            .unwrap_or_default(),
        row.csat_ratings.to_string(),
    ]
}

fn print_csv(report: &Report) -> Result<(), CliError> {
    let to_terminal = io::stdout().is_terminal();
    let mut writer = csv::Writer::from_writer(io::stdout().lock());
    let fail = |e: csv::Error| CliError::runtime(format!("cannot write CSV: {e}"));
    writer.write_record(CSV_HEADER).map_err(fail)?;
    for row in report.rows.iter().chain([&report.total]) {
        // An assignee or a segment is typed text: never a formula, never a
        // control character on a terminal.
        let cells = csv_cells(row).map(|cell| {
            let safe = neutralize_formula(&cell);
            if to_terminal {
                sanitize_line(&safe).into_owned()
            } else {
                safe
            }
        });
        writer.write_record(cells).map_err(fail)?;
    }
    writer
        .flush()
        .map_err(|e| CliError::runtime(format!("cannot write CSV: {e}")))?;
    let _ = io::stdout().flush();
    Ok(())
}
