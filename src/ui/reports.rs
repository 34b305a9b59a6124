//! The Reports tab: charts where a look says more than the figures (SLA
//! met per bucket as bars, the backlog as a sparkline, CSAT as a line) over
//! the table `tuicrm report` prints. Group reports (by assignee ...) chart
//! only the SLA bars: a trend needs time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Chart, Dataset, GraphType, Paragraph, Sparkline,
};

use super::Theme;
use super::text::{sanitize_line, truncate, width};
use crate::app::State;
use crate::domain::calendar::Calendar;
use crate::domain::report::{Report, ReportBy, ReportColumn, ReportRow, table_columns};

/// Below this many rows inside the pane, the charts give way to the table.
const ROOM_FOR_CHARTS: u16 = 18;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let view = &state.reports;
    let block = Block::bordered()
        .title(title(state))
        .border_style(theme.border(true));
    let inside = block.inner(area);
    frame.render_widget(block, area);
    let Some(report) = &view.report else {
        let text = if view.loading() {
            " reading the report…"
        } else {
            " the report could not be read"
        };
        let text = Line::styled(text, theme.muted());
        frame.render_widget(Paragraph::new(text), inside);
        return;
    };
    let table_area = if inside.height >= ROOM_FOR_CHARTS {
        let charts = (inside.height * 2 / 5).max(8);
        let [top, rest] =
            Layout::vertical([Constraint::Length(charts), Constraint::Min(1)]).areas(inside);
        draw_charts(frame, top, report, state.reports.by.is_time(), theme);
        rest
    } else {
        inside
    };
    draw_table(frame, table_area, report, view.by, view.scroll, theme);
}

/// " Reports · by week · last 12 weeks, 2026-09-14 to 2026-12-06 · 24x7 "
fn title(state: &State) -> String {
    let view = &state.reports;
    let hours = if state.sla.calendar == Calendar::Always {
        "times 24x7"
    } else {
        "business hours"
    };
    let reading = if view.loading() { " · reading…" } else { "" };
    match &view.report {
        Some(r) => format!(
            " Reports · by {} · last {} weeks, {} to {} · {hours}{reading} ",
            r.by,
            view.weeks(),
            r.from,
            r.to
        ),
        None => format!(" Reports{reading} "),
    }
}

fn draw_charts(frame: &mut Frame, area: Rect, report: &Report, over_time: bool, theme: &Theme) {
    if !over_time {
        draw_sla_bars(frame, area, report, theme);
        return;
    }
    let [bars, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let [backlog, csat] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
    draw_sla_bars(frame, bars, report, theme);
    draw_backlog(frame, backlog, report, theme);
    draw_csat(frame, csat, report, theme);
}

/// Two bars per bucket: the share of first replies and of resolutions in
/// time; a bucket with nothing decided shows none.
fn draw_sla_bars(frame: &mut Frame, area: Rect, report: &Report, theme: &Theme) {
    let title = Line::from(vec![
        Span::raw(" SLA met % · "),
        Span::styled("reply", theme.accent()),
        Span::raw(" · "),
        Span::styled("resolve", theme.good()),
        Span::raw(" "),
    ]);
    let block = Block::bordered().title(title).border_style(theme.muted());
    let inner = usize::from(block.inner(area).width);
    // The latest buckets that fit at a column a bar and one between.
    let fit = (inner / 3).max(1);
    let rows = &report.rows[report.rows.len().saturating_sub(fit)..];
    let buckets = rows.len().max(1);
    // Each bucket: two bars a column apart and a gap, as wide as the pane
    // allows; the bars touch (and go without figures) when there is no
    // room between.
    let per_bucket = inner / buckets;
    let bar_gap = usize::from(per_bucket >= 6);
    let bar_width = (per_bucket.saturating_sub(1 + bar_gap) / 2).clamp(1, 6);
    let label_room = bar_width * 2 + bar_gap;
    let groups: Vec<BarGroup> = rows
        .iter()
        .map(|row| {
            let bar = |share: Option<f64>, style: ratatui::style::Style| {
                let value = share.map_or(0, |p| p.round() as u64);
                let text = share.map_or_else(String::new, |p| format!("{p:.0}"));
                let text = if bar_gap > 0 && width(&text) <= bar_width {
                    text
                } else {
                    String::new()
                };
                Bar::default()
                    .value(value)
                    .text_value(text)
                    .style(style)
                    .value_style(style.add_modifier(Modifier::REVERSED))
            };
            BarGroup::default()
                .label(Line::from(short_label(&row.bucket, label_room)))
                .bars(&[
                    bar(row.first_response_sla.percent(), theme.accent()),
                    bar(row.resolution_sla.percent(), theme.good()),
                ])
        })
        .collect();
    let mut chart = BarChart::default()
        .block(block)
        .bar_width(bar_width as u16)
        .bar_gap(bar_gap as u16)
        .group_gap(1)
        .max(100);
    for group in groups {
        chart = chart.data(group);
    }
    frame.render_widget(chart, area);
}

/// "W48" of "2026-W48" ("48" where that is all there is room for), "11"
/// of "2026-11", a name cut to fit.
fn short_label(bucket: &str, room: usize) -> String {
    let short = match bucket.split_once('-') {
        Some((year, rest)) if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => bucket,
    };
    let short = match short.strip_prefix('W') {
        Some(week) if short.len() > room => week,
        _ => short,
    };
    truncate(&sanitize_line(short), room).into_owned()
}

/// The backlog at each bucket's end, stretched to the pane's width.
fn draw_backlog(frame: &mut Frame, area: Rect, report: &Report, theme: &Theme) {
    let now = report.total.backlog.open;
    let block = Block::bordered()
        .title(format!(" Backlog · {now} open now "))
        .border_style(theme.muted());
    let inner = usize::from(block.inner(area).width);
    let values: Vec<u64> = report.rows.iter().map(|r| r.backlog.open).collect();
    let each = (inner / values.len().max(1)).max(1);
    let stretched: Vec<u64> = values
        .iter()
        .flat_map(|v| std::iter::repeat_n(*v, each))
        .collect();
    let sparkline = Sparkline::default()
        .block(block)
        .data(&stretched)
        .style(theme.warning());
    frame.render_widget(sparkline, area);
}

/// The average rating per bucket as a line on the 1–5 scale.
fn draw_csat(frame: &mut Frame, area: Rect, report: &Report, theme: &Theme) {
    let points: Vec<(f64, f64)> = report
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| row.csat_average.map(|avg| (i as f64, avg)))
        .collect();
    let overall = report.total.csat_text();
    let block = Block::bordered()
        .title(format!(" CSAT · {overall} "))
        .border_style(theme.muted());
    let last = report.rows.len().saturating_sub(1).max(1) as f64;
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(theme.accent())
        .data(&points);
    let chart = Chart::new(vec![dataset])
        .block(block)
        .x_axis(Axis::default().bounds([0.0, last]))
        .y_axis(
            Axis::default()
                .bounds([1.0, 5.0])
                .labels(["1", "3", "5"])
                .style(theme.muted()),
        );
    frame.render_widget(chart, area);
}

/// How much a column is wanted when the pane is narrow (lower goes first).
fn keep(heading: &str) -> u8 {
    match heading {
        "OPENED" | "REPLY MET" | "RESOLVE MET" => 8,
        "RESOLVED" => 7,
        "BACKLOG" => 6,
        "REPLY MED/P90" => 5,
        "RESOLVE MED/P90" => 4,
        "CSAT (N)" => 3,
        "<1D/<7D/<30D/OLDER" => 2,
        "FROM" => 1,
        // The bucket's own column.
        _ => 9,
    }
}

/// Every bucket and the total, from `scroll`; columns dropped least
/// wanted first until the rest fit.
fn draw_table(
    frame: &mut Frame,
    area: Rect,
    report: &Report,
    by: ReportBy,
    scroll: usize,
    theme: &Theme,
) {
    let rows: Vec<&ReportRow> = report.rows.iter().chain([&report.total]).collect();
    let columns = table_columns(by);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let cell = |c: &ReportColumn| sanitize_line(&(c.cell)(row)).into_owned();
            columns.iter().map(cell).collect()
        })
        .collect();
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|row| width(&row[i]))
                .chain([width(c.heading)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // The most wanted columns that fit, in their order; one too wide for
    // what is left leaves room for a narrower one less wanted.
    let room = usize::from(area.width);
    let mut wanted: Vec<usize> = (0..columns.len()).collect();
    wanted.sort_by_key(|&i| std::cmp::Reverse(keep(columns[i].heading)));
    let mut shown: Vec<usize> = Vec::new();
    let mut used = 0;
    for i in wanted {
        if shown.is_empty() || used + widths[i] + 2 <= room {
            used += widths[i] + 2;
            shown.push(i);
        }
    }
    shown.sort_unstable();
    // The first column gives way last, and is cut rather than the screen.
    let others: usize = shown.iter().skip(1).map(|&i| widths[i] + 2).sum();
    if let Some(first) = widths.first_mut() {
        *first = (*first).min(room.saturating_sub(others + 2)).max(1);
    }
    let line = |cells: Vec<(String, usize)>| -> String {
        cells
            .into_iter()
            .map(|(text, w)| {
                let cut = truncate(&text, w).into_owned();
                let pad = w.saturating_sub(width(&cut));
                format!(" {cut}{} ", " ".repeat(pad))
            })
            .collect()
    };
    let header = line(
        shown
            .iter()
            .map(|&i| (columns[i].heading.to_string(), widths[i]))
            .collect(),
    );
    let mut lines = vec![Line::styled(header, theme.muted())];
    let last = rows.len().saturating_sub(1);
    for (index, row_cells) in cells.iter().enumerate().skip(scroll) {
        let text = line(
            shown
                .iter()
                .map(|&i| (row_cells[i].clone(), widths[i]))
                .collect(),
        );
        let style = if index == last {
            theme.title()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
