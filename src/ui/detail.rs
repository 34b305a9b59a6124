//! The detail pane: every field of the selected record and what belongs to it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Theme;
use super::layout::Areas;
use super::list::sla_cell;
use super::text::{self, sanitize_block, sanitize_line};
use crate::app::{Detail, Pane, State};
use crate::domain::customer::{extra_display, extra_label};
use crate::domain::health::{Health, HealthBand};
use crate::domain::sla_clock::{ClockState, SlaClock};
use crate::domain::ticket_sla::ClockKind;
use crate::domain::time::{relative_date, relative_time};
use crate::domain::{Customer, Followup, Ticket};

pub fn draw(frame: &mut Frame, areas: Areas, state: &State, theme: &Theme) {
    let narrow = areas.log.height == 0;
    if narrow && state.focus == Pane::Log {
        super::log::draw(frame, areas.detail, state, theme);
        return;
    }
    draw_detail(frame, areas.detail, state, theme);
    if !narrow {
        super::log::draw(frame, areas.log, state, theme);
    }
}

/// The pane's title and lines for the selected record, and which of the
/// lines are the ones `Detail::picks` names (in that order).
fn content<'a>(state: &State, theme: &Theme) -> (String, Vec<Line<'a>>, Vec<usize>) {
    let (title, lines) = match &state.detail {
        Detail::None => (
            " Detail ".to_string(),
            vec![Line::styled("nothing selected", theme.muted())],
        ),
        Detail::Customer {
            customer,
            health,
            csat,
            people,
            tickets,
            followups,
        } => {
            let (lines, picks) = customer_lines(
                state,
                theme,
                CustomerView {
                    customer,
                    health,
                    csat: *csat,
                    people,
                    tickets,
                    followups,
                },
            );
            return (" Customer ".to_string(), lines, picks);
        }
        Detail::Ticket { ticket, customer } => (
            format!(" Ticket {} ", ticket.id),
            ticket_lines(state, theme, ticket, customer),
        ),
        Detail::Followup { followup, customer } => (
            format!(" Follow-up {} ", followup.id),
            followup_lines(state, theme, followup, customer),
        ),
    };
    (title, lines, Vec::new())
}

/// The detail for a pane `area` wide: field values that do not fit wrap
/// under themselves, not under their labels.
fn wrapped_content<'a>(state: &State, theme: &Theme, area: Rect) -> (String, Vec<Line<'a>>) {
    let (title, lines, _) = wrapped_with_picks(state, theme, area);
    (title, lines)
}

/// `wrapped_content` and the index of each picked line in it.
fn wrapped_with_picks<'a>(
    state: &State,
    theme: &Theme,
    area: Rect,
) -> (String, Vec<Line<'a>>, Vec<usize>) {
    let (title, lines, picks) = content(state, theme);
    let inner = usize::from(area.width.saturating_sub(2));
    let mut out = Vec::with_capacity(lines.len());
    let mut moved = Vec::with_capacity(picks.len());
    for (i, line) in lines.into_iter().enumerate() {
        if picks.contains(&i) {
            moved.push(out.len());
        }
        out.extend(hang_field(line, inner));
    }
    (title, out, moved)
}

/// The row (once wrapped) where each picked line starts, and how many rows
/// the pane shows: for `ui::fit`, so a key can keep the picked line in view.
pub fn pick_rows(state: &State, area: Rect) -> (Vec<usize>, usize) {
    let (_, lines, picks) = wrapped_with_picks(state, &Theme::plain(), area);
    let width = area.width.saturating_sub(2);
    let mut rows = Vec::with_capacity(picks.len());
    let mut row = 0;
    for (i, line) in lines.into_iter().enumerate() {
        if picks.contains(&i) {
            rows.push(row);
        }
        row += Paragraph::new(line)
            .wrap(Wrap { trim: false })
            .line_count(width);
    }
    (rows, usize::from(area.height.saturating_sub(2)))
}

/// Width of a field's label column: 12 columns right-aligned and a space.
const LABEL: usize = 13;

/// A field line ("      address 12 Main St, …") wider than `width`, cut
/// into rows whose continuations start under the value. Other lines as they are.
fn hang_field<'a>(line: Line<'a>, width: usize) -> Vec<Line<'a>> {
    let is_field = line.spans.len() >= 2
        && line.spans[0].content.ends_with(' ')
        && text::width(&line.spans[0].content) == LABEL;
    if !is_field || line.width() <= width || width < LABEL + 10 {
        return vec![line];
    }
    let room = width - LABEL;
    let mut rows: Vec<Vec<Span<'a>>> = vec![vec![line.spans[0].clone()]];
    let mut used = 0;
    for span in &line.spans[1..] {
        for word in span.content.split_inclusive(' ') {
            let mut word = word.to_string();
            loop {
                let w = text::width(word.trim_end());
                if used + w <= room || (used == 0 && w <= room) {
                    break;
                }
                if used > 0 {
                    // The word starts the next row.
                    rows.push(vec![Span::raw(" ".repeat(LABEL))]);
                    used = 0;
                    continue;
                }
                // A word longer than a whole row: cut it.
                let head = text::truncate_exact(&word, room);
                let tail = word[head.len()..].to_string();
                if let Some(row) = rows.last_mut() {
                    row.push(Span::styled(head, span.style));
                }
                rows.push(vec![Span::raw(" ".repeat(LABEL))]);
                word = tail;
            }
            used += text::width(&word);
            if let Some(row) = rows.last_mut() {
                row.push(Span::styled(word, span.style));
            }
        }
    }
    rows.into_iter().map(Line::from).collect()
}

/// How far the detail in `area` can scroll: rows after wrapping, less the rows shown.
pub fn max_scroll(state: &State, area: Rect) -> usize {
    let (_, lines) = wrapped_content(state, &Theme::plain(), area);
    // ratatui's own count of wrapped rows (word wrap leaves ragged ends).
    let rows = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .line_count(area.width.saturating_sub(2));
    rows.saturating_sub(usize::from(area.height.saturating_sub(2)).max(1))
}

fn draw_detail(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Detail;
    let (title, lines) = wrapped_content(state, theme, area);
    let scroll = state.detail_scroll.min(max_scroll(state, area));
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border(focused));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(0), 0));
    frame.render_widget(paragraph, area);
}

/// A field line whose label is not a literal (an imported property name).
fn field_owned<'a>(label: String, value: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{:>12} ", sanitize_line(&label)), theme.muted()),
        Span::raw(sanitize_line(&value).into_owned()),
    ])
}

fn field<'a>(label: &'a str, value: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:>12} "), theme.muted()),
        Span::raw(sanitize_line(&value).into_owned()),
    ])
}

fn heading<'a>(text: String, theme: &Theme) -> Line<'a> {
    Line::styled(text, theme.accent().add_modifier(Modifier::BOLD))
}

/// Notes and bodies keep their lines, each made safe.
fn block_lines<'a>(label: &str, text: &str, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(format!("{label:>12}"), theme.muted())];
    lines.extend(
        sanitize_block(text)
            .lines()
            .map(|l| Line::from(format!("             {l}"))),
    );
    lines
}

fn health_style(health: &Health, theme: &Theme) -> Style {
    match health.band() {
        HealthBand::Good => theme.good(),
        HealthBand::Watch => theme.warning(),
        HealthBand::AtRisk => theme.danger(),
    }
}

/// "72 ok", "55 ~ watch", "30 ! at risk": the band in words and symbol, not colour alone.
pub fn health_label(health: &Health) -> String {
    match health.band() {
        HealthBand::Good => format!("{} ok", health.score),
        HealthBand::Watch => format!("{} ~ watch", health.score),
        HealthBand::AtRisk => format!("{} ! at risk", health.score),
    }
}

struct CustomerView<'d> {
    customer: &'d Customer,
    health: &'d Health,
    csat: Option<(f64, u32)>,
    people: &'d [Customer],
    tickets: &'d [Ticket],
    followups: &'d [Followup],
}

/// What needs doing first (health, open work), then the fields, then people
/// and notes; and the indexes of the ticket and follow-up lines, which j/k
/// pick (the picked one drawn selected while the pane has focus).
fn customer_lines<'a>(
    state: &State,
    theme: &Theme,
    view: CustomerView,
) -> (Vec<Line<'a>>, Vec<usize>) {
    let c = view.customer;
    let picked = if state.focus == Pane::Detail {
        state.detail_pick
    } else {
        None
    };
    let mut picks = Vec::new();
    let pick_style = |line: Line<'a>, n: usize| -> Line<'a> {
        if picked != Some(n) {
            return line;
        }
        let selected = theme.selected(true);
        let spans: Vec<Span<'a>> = line
            .spans
            .into_iter()
            .map(|span| {
                let style = span.style.patch(selected);
                span.style(style)
            })
            .collect();
        Line::from(spans).style(selected)
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(sanitize_line(&c.name).into_owned(), theme.title()),
        Span::styled(format!("  {} #{}", c.kind, c.id), theme.muted()),
    ])];
    lines.push(Line::from(vec![
        Span::styled(format!("{:>12} ", "health"), theme.muted()),
        Span::styled(health_label(view.health), health_style(view.health, theme)),
    ]));
    for reason in &view.health.reasons {
        lines.push(Line::styled(
            format!("{:>13}{} −{}", "", reason.reason, -reason.points),
            theme.muted(),
        ));
    }
    if let Some((avg, count)) = view.csat {
        lines.push(field(
            "csat",
            format!(
                "{avg:.1} average of {count} recent rating{}",
                if count == 1 { "" } else { "s" }
            ),
            theme,
        ));
    }
    let owner = |t: &Ticket| {
        if t.customer_id == c.id {
            String::new()
        } else {
            format!(" — {}", t.customer.clone().unwrap_or_default())
        }
    };
    lines.push(heading(
        format!("Open tickets ({})", view.tickets.len()),
        theme,
    ));
    for t in view.tickets {
        let (sla, style) = sla_cell(t, &state.sla, state.now, theme);
        let line = Line::from(vec![
            Span::raw(format!(
                "  #{} {}{} ",
                t.id,
                sanitize_line(&t.subject),
                sanitize_line(&owner(t))
            )),
            Span::styled(format!("[{} · {sla}]", t.priority), style),
        ]);
        picks.push(lines.len());
        lines.push(pick_style(line, picks.len() - 1));
    }
    lines.push(heading(
        format!("Planned follow-ups ({})", view.followups.len()),
        theme,
    ));
    for f in view.followups {
        let style = if f.due_on < state.today {
            theme.danger()
        } else {
            Style::new()
        };
        let mark = if f.due_on < state.today { "! " } else { "" };
        let whose = if f.customer_id == c.id {
            String::new()
        } else {
            format!(" — {}", f.customer.clone().unwrap_or_default())
        };
        let line = Line::from(vec![
            Span::raw(format!(
                "  #{} {}{} ",
                f.id,
                f.kind.label(),
                sanitize_line(&whose)
            )),
            Span::styled(
                format!(
                    "{mark}{} ({})",
                    f.due_on,
                    relative_date(f.due_on, state.today)
                ),
                style,
            ),
        ]);
        picks.push(lines.len());
        lines.push(pick_style(line, picks.len() - 1));
    }
    if let Some(due) = renewal_suggestion(state, c, view.followups) {
        lines.push(Line::styled(
            format!("  suggested: renewal follow-up due {due} — R to plan it"),
            theme.accent(),
        ));
    }
    lines.push(Line::from(""));
    let mut add = |label: &'a str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            lines.push(field(label, v, theme));
        }
    };
    add("organization", c.organization.clone());
    add("email", c.email.clone());
    add("phone", c.phone.clone());
    add("title", c.title.clone());
    add("segment", c.segment.clone());
    add("stage", Some(c.stage.to_string().replace('_', " ")));
    add("tags", Some(c.tags.join(", ")));
    add("owner", c.owner.clone());
    add(
        "renewal",
        c.renewal_on
            .map(|d| format!("{d} ({})", relative_date(d, state.today))),
    );
    add("value", c.money().map(|m| m.display()));
    add("created", Some(relative_time(c.created_at, state.now)));
    add("updated", Some(relative_time(c.updated_at, state.now)));
    // The UID another address book gave the card means nothing to a reader.
    for (property, values) in c.extra.iter().filter(|(p, _)| *p != "UID") {
        for value in values {
            lines.push(field_owned(
                extra_label(property),
                extra_display(property, value),
                theme,
            ));
        }
    }
    if !view.people.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading(format!("People ({})", view.people.len()), theme));
        for p in view.people {
            let title = p
                .title
                .as_deref()
                .map(|t| format!(" — {t}"))
                .unwrap_or_default();
            let open = view
                .tickets
                .iter()
                .filter(|t| t.customer_id == p.id)
                .count();
            let open = if open > 0 {
                format!("  ({open} open)")
            } else {
                String::new()
            };
            lines.push(Line::from(format!(
                "  {}{}{open}",
                sanitize_line(&p.name),
                sanitize_line(&title)
            )));
        }
    }
    if let Some(notes) = &c.notes {
        lines.extend(block_lines("notes", notes, theme));
    }
    (lines, picks)
}

fn renewal_suggestion(
    state: &State,
    c: &Customer,
    followups: &[Followup],
) -> Option<jiff::civil::Date> {
    crate::domain::followup::renewal_suggestion(c.renewal_on, followups, state.today)
}

fn ticket_lines<'a>(
    state: &State,
    theme: &Theme,
    t: &Ticket,
    customer: &Customer,
) -> Vec<Line<'a>> {
    // Absolute times here, relative beside them.
    let absolute = |at: jiff::Timestamp| {
        at.to_zoned_datetime(state.tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let when = |at: jiff::Timestamp| format!("{} ({})", absolute(at), relative_time(at, state.now));
    let clocks = t.clocks(&state.sla, state.now);
    // Both clocks, each with where it stands: "· ! reply 1h over".
    let clock_line = |label: &str, head: String, clock: &SlaClock, kind: ClockKind| {
        Line::from(vec![
            Span::styled(format!("{label:>12} "), theme.muted()),
            Span::styled(
                format!("{head} · {}", clock.told(kind, state.now)),
                clock_style(clock, theme),
            ),
        ])
    };
    let first = &clocks.first_response;
    let answer = match t.first_response_at {
        Some(at) => clock_line("responded", when(at), first, ClockKind::FirstResponse),
        None => clock_line(
            "answer by",
            absolute(first.due_at),
            first,
            ClockKind::FirstResponse,
        ),
    };
    let resolution = clock_line(
        "resolve by",
        absolute(clocks.resolution.due_at),
        &clocks.resolution,
        ClockKind::Resolution,
    );
    let mut lines = vec![
        Line::styled(sanitize_line(&t.subject).into_owned(), theme.title()),
        field("customer", customer.name.clone(), theme),
        field("status", t.status.to_string(), theme),
        field("priority", t.priority.to_string(), theme),
        field("channel", t.channel.to_string(), theme),
        field("assignee", assignee_of(t.assignee.as_deref()), theme),
        field("opened", when(t.opened_at), theme),
        answer,
        resolution,
    ];
    if let Some(at) = t.resolved_at {
        lines.push(field("resolved", when(at), theme));
    }
    if let Some(csat) = t.csat {
        lines.push(field("csat", format!("{csat}/5"), theme));
    }
    if let Some(body) = &t.body {
        lines.extend(block_lines("body", body, theme));
    }
    lines
}

fn followup_lines<'a>(
    state: &State,
    theme: &Theme,
    f: &Followup,
    customer: &Customer,
) -> Vec<Line<'a>> {
    let due_style = if f.due_on < state.today {
        theme.danger()
    } else {
        Style::new()
    };
    let mut lines = vec![
        Line::styled(
            format!("{} with {}", f.kind.label(), sanitize_line(&customer.name)),
            theme.title(),
        ),
        Line::from(vec![
            Span::styled(format!("{:>12} ", "due"), theme.muted()),
            Span::styled(
                format!("{} ({})", f.due_on, relative_date(f.due_on, state.today)),
                due_style,
            ),
        ]),
        field("status", f.status.to_string(), theme),
        field("assignee", assignee_of(f.assignee.as_deref()), theme),
    ];
    if let Some(at) = f.completed_at {
        lines.push(field("finished", relative_time(at, state.now), theme));
    }
    if let Some(outcome) = &f.outcome {
        lines.push(field("outcome", outcome.clone(), theme));
    }
    if let Some(every) = f.recurrence {
        lines.push(field("every", every.to_string(), theme));
    }
    if let Some(note) = &f.note {
        lines.extend(block_lines("note", note, theme));
    }
    lines
}

/// Who works on it, or that nobody does.
fn assignee_of(name: Option<&str>) -> String {
    name.unwrap_or("nobody").to_string()
}

/// A clock's colour: red past due (also finished late), yellow close to
/// it, muted paused.
fn clock_style(clock: &SlaClock, theme: &Theme) -> Style {
    match clock.state {
        ClockState::Breached | ClockState::MetLate => theme.danger(),
        ClockState::Warning => theme.warning(),
        ClockState::Paused => theme.muted(),
        ClockState::Ok | ClockState::Met => Style::new(),
    }
}
