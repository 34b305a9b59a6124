//! The list pane: only the rows that fit are built, from the window the app
//! holds; columns are measured in terminal cells so wide names stay aligned.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::text::{fit, sanitize_line};
use crate::app::agenda::{AgendaRow, agenda_rows};
use crate::app::{Pane, State, Tab};
use crate::domain::agenda::Section;
use crate::domain::health::{Health, HealthBand};
use crate::domain::time::{compact_duration, relative_date};
use crate::domain::{CustomerKind, Priority, Stage, Ticket};

/// One cell: text, width in columns, style.
type Cell = (String, usize, Style);

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::List;
    let inner_width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(3));
    let view = View {
        width: inner_width,
        height,
    };
    let (title, header, rows, selected) = match state.tab {
        Tab::Customers => customers(state, theme, view),
        Tab::Tickets => tickets(state, theme, view),
        Tab::Followups => followups(state, theme, view),
        Tab::Agenda => agenda(state, theme, view),
    };
    let mut lines = vec![row_line(header, theme.muted())];
    for (i, cells) in rows {
        let style = if i == selected {
            theme.selected(focused)
        } else {
            Style::new()
        };
        lines.push(row_line(cells, style));
    }
    if lines.len() == 1 {
        let filter = state.filter().value().trim();
        let empty = if state.damaged.is_some() {
            "cannot be read: the database file is damaged".to_string()
        } else if filter.is_empty() {
            "nothing here yet".to_string()
        } else {
            format!("no match for “{}”", sanitize_line(filter))
        };
        lines.push(Line::styled(format!(" {empty}"), theme.muted()));
    }
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border(focused));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn row_line(cells: Vec<Cell>, style: Style) -> Line<'static> {
    let spans: Vec<Span> = cells
        .into_iter()
        .map(|(text, width, cell_style)| {
            Span::styled(
                fit(&sanitize_line(&text), width) + " ",
                cell_style.patch(style),
            )
        })
        .collect();
    Line::from(spans).style(style)
}

/// Title, header cells, the visible rows (with their index in the window), selected index.
type Listing = (String, Vec<Cell>, Vec<(usize, Vec<Cell>)>, usize);

/// The size of the list's inside: only rows that fit are formatted.
#[derive(Clone, Copy)]
struct View {
    width: usize,
    height: usize,
}

/// The rows of `items` from `offset` that fit in `view`, each formatted by `row`.
fn visible<T>(
    items: &[T],
    offset: usize,
    view: View,
    row: impl Fn(&T) -> Vec<Cell>,
) -> Vec<(usize, Vec<Cell>)> {
    items
        .iter()
        .enumerate()
        .skip(offset)
        .take(view.height)
        .map(|(i, item)| (i, row(item)))
        .collect()
}

/// Splits `width` into the flexible first column and fixed others.
fn first_width(total: usize, fixed: &[usize]) -> usize {
    total
        .saturating_sub(fixed.iter().map(|w| w + 1).sum::<usize>() + 1)
        .max(8)
}

fn title(state: &State, name: &str, sort: &str) -> String {
    let filter = state.filter().value();
    if filter.is_empty() {
        format!(" {name} · {sort} ")
    } else {
        format!(" {name} · /{} ", sanitize_line(filter))
    }
}

fn customers(state: &State, theme: &Theme, view: View) -> Listing {
    // Narrow panes keep the name readable by leaving the segment out.
    let with_segment = view.width >= 50;
    let fixed: &[usize] = if with_segment { &[6, 11, 10] } else { &[6, 10] };
    let name_w = first_width(view.width, fixed);
    let mut header = vec![
        ("NAME".into(), name_w, Style::new()),
        ("HEALTH".into(), 6, Style::new()),
    ];
    if with_segment {
        header.push(("SEGMENT".into(), 11, Style::new()));
    }
    header.push(("STAGE".into(), 10, Style::new()));
    let rows = visible(&state.customers.rows, state.customers.offset, view, |c| {
        let marker = if c.kind == CustomerKind::Organization {
            "▣ "
        } else {
            "  "
        };
        let (health, health_style) = match state.health.get(&c.id) {
            Some(scored) => health_cell(&scored.health, theme),
            None => (String::new(), Style::new()),
        };
        let mut cells = vec![
            (format!("{marker}{}", c.name), name_w, Style::new()),
            (health, 6, health_style),
        ];
        if with_segment {
            cells.push((c.segment.clone().unwrap_or_default(), 11, theme.muted()));
        }
        cells.push((stage_label(c.stage).into(), 10, stage_style(c.stage, theme)));
        cells
    });
    let sort = crate::app::update::sort_words(state.customer_sort());
    (
        title(state, "Customers", sort),
        header,
        rows,
        state.customers.selected,
    )
}

/// "  92", " ~55", " !30": the band shows as a symbol too, not by colour alone.
fn health_cell(health: &Health, theme: &Theme) -> (String, Style) {
    let band = health.band();
    let style = match band {
        HealthBand::Good => theme.good(),
        HealthBand::Watch => theme.warning(),
        HealthBand::AtRisk => theme.danger(),
    };
    (
        format!("{:>4}", format!("{}{}", band.mark(), health.score)),
        style,
    )
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Prospect => "prospect",
        Stage::Onboarding => "onboarding",
        Stage::Active => "active",
        Stage::AtRisk => "! at risk",
        Stage::Churned => "churned",
    }
}

fn stage_style(stage: Stage, theme: &Theme) -> Style {
    match stage {
        Stage::AtRisk => theme.warning(),
        Stage::Churned => theme.muted(),
        _ => Style::new(),
    }
}

/// "overdue 2h" (red, with "!") or "in 3d".
pub fn sla_cell(ticket: &Ticket, now: Timestamp, theme: &Theme) -> (String, Style) {
    if ticket.status.is_finished() {
        return (ticket.status.to_string(), theme.muted());
    }
    let seconds = ticket.due_at.as_second() - now.as_second();
    let span = compact_duration(seconds.unsigned_abs());
    if seconds < 0 {
        (format!("! {span} over"), theme.danger())
    } else if seconds < 4 * 3600 {
        (format!("~ in {span}"), theme.warning())
    } else {
        (format!("in {span}"), Style::new())
    }
}

fn tickets(state: &State, theme: &Theme, view: View) -> Listing {
    let width = view.width;
    let fixed = [12, 6, 10];
    let subject_w = first_width(width, &fixed);
    let header = vec![
        ("SUBJECT".into(), subject_w, Style::new()),
        ("CUSTOMER".into(), fixed[0], Style::new()),
        ("PRIO".into(), fixed[1], Style::new()),
        ("SLA".into(), fixed[2], Style::new()),
    ];
    let rows = visible(&state.tickets.rows, state.tickets.offset, view, |t| {
        let (sla, sla_style) = sla_cell(t, state.now, theme);
        let prio_style = if t.priority >= Priority::High {
            theme.warning()
        } else {
            Style::new()
        };
        vec![
            (t.subject.clone(), subject_w, Style::new()),
            (
                t.customer.clone().unwrap_or_default(),
                fixed[0],
                theme.muted(),
            ),
            (t.priority.to_string(), fixed[1], prio_style),
            (sla, fixed[2], sla_style),
        ]
    });
    let sort = if state.tickets.source.due_before.is_some() {
        "by SLA due"
    } else {
        "newest first"
    };
    (
        title(state, "Open tickets", sort),
        header,
        rows,
        state.tickets.selected,
    )
}

fn followups(state: &State, theme: &Theme, view: View) -> Listing {
    let width = view.width;
    let fixed = [11, 10];
    let customer_w = first_width(width, &fixed);
    let header = vec![
        ("CUSTOMER".into(), customer_w, Style::new()),
        ("KIND".into(), fixed[0], Style::new()),
        ("DUE".into(), fixed[1], Style::new()),
    ];
    let rows = visible(&state.followups.rows, state.followups.offset, view, |f| {
        let due = relative_date(f.due_on, state.today);
        let overdue = f.due_on < state.today;
        let (due, due_style) = if overdue {
            (format!("! {due}"), theme.danger())
        } else {
            (due, Style::new())
        };
        let every = if f.recurrence.is_some() { " ↻" } else { "" };
        vec![
            (
                f.customer.clone().unwrap_or_default(),
                customer_w,
                Style::new(),
            ),
            (format!("{}{every}", f.kind), fixed[0], theme.muted()),
            (due, fixed[1], due_style),
        ]
    });
    (
        title(state, "Planned follow-ups", "by due date"),
        header,
        rows,
        state.followups.selected,
    )
}

fn agenda(state: &State, theme: &Theme, view: View) -> Listing {
    let width = view.width;
    let fixed = [17, 12];
    let what_w = first_width(width, &fixed);
    let header = vec![
        ("WHAT".into(), what_w, Style::new()),
        ("WHY".into(), fixed[0], Style::new()),
        ("CUSTOMER".into(), fixed[1], Style::new()),
    ];
    let style_of = |section| match section {
        Section::Overdue => theme.danger(),
        Section::Today => theme.warning(),
        Section::Upcoming => Style::new(),
    };
    let lines = &state.agenda.rows;
    let rows = agenda_rows(&state.agenda, view.height)
        .into_iter()
        .filter_map(|row| match row {
            AgendaRow::Header(section) => {
                let count = state.agenda_counts.of(section);
                let text = format!(
                    "── {} · {} ({} follow-ups, {} tickets)",
                    section.title(),
                    count.total(),
                    count.followups,
                    count.tickets
                );
                // No index of a row: a header is never the selection.
                Some((
                    usize::MAX,
                    vec![(text, width.saturating_sub(1), style_of(section).bold())],
                ))
            }
            AgendaRow::Line(i) => {
                let line = lines.get(i)?;
                let mark = if line.section == Section::Overdue {
                    "! "
                } else {
                    "  "
                };
                Some((
                    i,
                    vec![
                        (format!("{mark}{}", line.what), what_w, Style::new()),
                        (line.reason.clone(), fixed[0], style_of(line.section)),
                        (line.customer.clone(), fixed[1], theme.muted()),
                    ],
                ))
            }
        })
        .collect();
    // The counts are in the section headers; the title says the window.
    (
        format!(" Agenda · next {} days ", state.agenda.source.days),
        header,
        rows,
        state.agenda.selected,
    )
}
