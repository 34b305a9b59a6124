//! `tuicrm agenda`: everything due in the window, streamed a page at a time
//! (a million customers' agenda never sits in memory), cut short only by
//! `--limit`, and then said so on stderr, for tables and JSON alike.

use std::io::{self, Write};

use clap::Args;

use super::output::{cells_of, note, table_line, widen};
use super::{CliError, Context};
use crate::domain::Priority;
use crate::domain::agenda::{AgendaCounts, AgendaLine, Section};
use crate::store::AgendaQuery;

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// How many days ahead to look
    #[arg(long, value_name = "N", default_value_t = 7,
          allow_negative_numbers = true, value_parser = parse_days)]
    days: u16,
    /// Print at most N lines [default: all]
    #[arg(long, value_name = "N",
          allow_negative_numbers = true, value_parser = super::parse_limit)]
    limit: Option<usize>,
    /// Print every line (the default; for scripts that say so on every list)
    #[arg(long, visible_alias = "no-limit", conflicts_with = "limit")]
    all: bool,
}

fn parse_days(text: &str) -> Result<u16, String> {
    let days = super::whole_number(text, 0, u64::from(u16::MAX))?;
    u16::try_from(days).map_err(|e| e.to_string())
}

pub fn agenda(ctx: &Context, args: AgendaArgs) -> Result<(), CliError> {
    let query = ctx.store.agenda_query(args.days);
    let counts = ctx.store.agenda_counts(&query)?;
    let limit = match args.limit {
        Some(n) if !args.all => n,
        _ => usize::MAX,
    };
    let shown = if ctx.json {
        print_json_lines(ctx, &query, limit)?
    } else {
        if counts.total() == 0 {
            note(&format!("nothing due in the next {} days", args.days));
            return Ok(());
        }
        note(&summary(&counts, args.days));
        print_table(ctx, &query, limit)?
    };
    if shown.more {
        let total = counts.total();
        let text = if ctx.json {
            format!(
                "truncated: first {} of {total} lines shown; drop --limit for all",
                shown.count
            )
        } else {
            format!(
                "(first {} of {total} shown; drop --limit for all)",
                shown.count
            )
        };
        note(&text);
    }
    Ok(())
}

/// "852 overdue (640 follow-ups, 212 tickets) · 30 today · 120 coming, next 7 days"
fn summary(counts: &AgendaCounts, days: u16) -> String {
    let parts: Vec<String> = [Section::Overdue, Section::Today, Section::Upcoming]
        .iter()
        .map(|s| {
            let c = counts.of(*s);
            format!(
                "{} {} ({} follow-ups, {} tickets)",
                c.total(),
                s.title(),
                c.followups,
                c.tickets
            )
        })
        .collect();
    format!("{}, next {days} days", parts.join(" · "))
}

/// How many lines went out, and whether the limit left some behind.
struct Shown {
    count: usize,
    more: bool,
}

/// Calls `each` on the agenda's lines in order, up to `limit`, as the store
/// streams them.
fn walk(
    ctx: &Context,
    query: &AgendaQuery,
    limit: usize,
    mut each: impl FnMut(&AgendaLine) -> Result<(), CliError>,
) -> Result<Shown, CliError> {
    let mut lines = ctx.store.agenda_lines(query)?;
    let mut count = 0;
    while count < limit {
        let Some(line) = lines.next().transpose()? else {
            return Ok(Shown { count, more: false });
        };
        each(&line)?;
        count += 1;
    }
    let more = lines.next().transpose()?.is_some();
    Ok(Shown { count, more })
}

/// A JSON array written line by line, in the same layout `print_json` gives.
fn print_json_lines(ctx: &Context, query: &AgendaQuery, limit: usize) -> Result<Shown, CliError> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut first = true;
    let shown = walk(ctx, query, limit, |line| {
        let text = super::json::json_string(line, true)?;
        let sep = if first { "[\n" } else { ",\n" };
        first = false;
        let indented = text.replace('\n', "\n  ");
        write!(out, "{sep}  {indented}").map_err(CliError::output)
    })?;
    let end = if first { "[]\n" } else { "\n]\n" };
    write!(out, "{end}")
        .and_then(|()| out.flush())
        .map_err(CliError::output)?;
    Ok(shown)
}

const HEADERS: [&str; 5] = ["WHEN", "WHY", "WHAT", "CUSTOMER", "ID"];

/// Two passes over the pages: one to measure the columns, one to print, so
/// the table lines up without holding its rows.
fn print_table(ctx: &Context, query: &AgendaQuery, limit: usize) -> Result<Shown, CliError> {
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| h.len()).collect();
    walk(ctx, query, limit, |line| {
        widen(&mut widths, &cells(line));
        Ok(())
    })?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let headers: Vec<String> = HEADERS.iter().map(|h| h.to_string()).collect();
    writeln!(out, "{}", table_line(&headers, &widths)).map_err(CliError::output)?;
    let shown = walk(ctx, query, limit, |line| {
        writeln!(out, "{}", table_line(&cells(line), &widths)).map_err(CliError::output)
    })?;
    out.flush().map_err(CliError::output)?;
    Ok(shown)
}

fn cells(line: &AgendaLine) -> Vec<String> {
    let section = match line.section {
        Section::Overdue => "overdue",
        Section::Today => "today",
        Section::Upcoming => "upcoming",
    };
    let marker = if line.what.starts_with(Priority::Urgent.as_str()) {
        "!"
    } else {
        ""
    };
    cells_of(vec![
        section.to_string(),
        line.reason.clone(),
        format!("{marker}{}", line.headline()),
        line.customer.clone(),
        format!("{} {}", line.kind.noun(), line.id),
    ])
}
