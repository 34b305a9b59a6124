//! An interaction opened from the log: what kind, which way, when, with
//! whom, what it belongs to, the summary and the whole body wrapped to the
//! popup, scrolling when long. The footer's keys come from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::interaction::InteractionView;
use crate::app::{Action, State};
use crate::domain::time::relative_time;
use crate::ui::Theme;
use crate::ui::layout::centered;
use crate::ui::text::{fit, sanitize_block, sanitize_line, truncate, wrap};

const WIDTH: u16 = 84;
const LABEL: usize = 10;

fn area(screen: Rect, lines: usize) -> Rect {
    let height = u16::try_from(lines.saturating_add(2)).unwrap_or(u16::MAX);
    centered(screen, WIDTH, height.min(screen.height.saturating_sub(2)))
}

fn inner_width(screen: Rect) -> usize {
    usize::from(WIDTH.min(screen.width).saturating_sub(2))
}

/// "j/k scroll · e edit · d delete · u undo · esc close", as bound now.
pub fn footer(state: &State) -> String {
    let key = |action| state.key_for("popup", action);
    format!(
        "{}/{} scroll · {} edit · {} delete · {} undo · {} close",
        key(Action::SelectNext),
        key(Action::SelectPrev),
        key(Action::Edit),
        key(Action::Delete),
        key(Action::Undo),
        key(Action::Cancel),
    )
}

fn local(at: jiff::Timestamp, state: &State) -> String {
    at.to_zoned_datetime(state.tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The popup's lines at `width` columns inside its border.
fn content<'a>(
    view: &InteractionView,
    state: &State,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'a>> {
    let i = &view.interaction;
    let value_width = width.saturating_sub(LABEL + 1);
    let field = |label: &str, value: &str| {
        Line::from(vec![
            Span::styled(fit(label, LABEL), theme.muted()),
            Span::raw(" "),
            Span::raw(truncate(&sanitize_line(value), value_width).into_owned()),
        ])
    };
    let arrow = match i.direction {
        crate::domain::Direction::Inbound => "← inbound",
        crate::domain::Direction::Outbound => "→ outbound",
        crate::domain::Direction::Internal => "· internal",
    };
    let mut lines = vec![
        field("Kind", &format!("{} {arrow}", i.kind)),
        field(
            "When",
            &format!(
                "{} · {}",
                local(i.occurred_at, state),
                relative_time(i.occurred_at, state.now)
            ),
        ),
        field("Who", i.customer.as_deref().unwrap_or("")),
    ];
    if let Some(ticket) = &view.ticket {
        lines.push(field("Ticket", ticket));
    }
    if let Some(followup) = &view.followup {
        lines.push(field("Follow-up", followup));
    }
    let mut logged = local(i.created_at, state);
    if i.updated_at != i.created_at {
        logged.push_str(&format!(" · changed {}", local(i.updated_at, state)));
    }
    lines.push(field("Logged", &logged));
    lines.push(Line::from(""));
    let bold = theme.title().add_modifier(Modifier::BOLD);
    for part in wrap(&sanitize_line(&i.summary), width) {
        lines.push(Line::styled(part, bold));
    }
    lines.push(Line::from(""));
    match i.body.as_deref() {
        Some(body) => {
            for paragraph in sanitize_block(body).split('\n') {
                lines.extend(wrap(paragraph, width).into_iter().map(Line::from));
            }
        }
        None => lines.push(Line::styled("no body", theme.muted())),
    }
    lines
}

/// How far the popup's text scrolls on `screen`.
pub fn max_scroll(view: &InteractionView, state: &State, screen: Rect) -> usize {
    let lines = content(view, state, &Theme::plain(), inner_width(screen)).len();
    let inner = usize::from(area(screen, lines).height.saturating_sub(2));
    lines.saturating_sub(inner)
}

pub fn draw(frame: &mut Frame, screen: Rect, state: &State, view: &InteractionView, theme: &Theme) {
    let lines = content(view, state, theme, inner_width(screen));
    let area = area(screen, lines.len());
    let scroll = view.scroll.min(max_scroll(view, state, screen));
    let block = Block::bordered()
        .title(format!(" Interaction #{} ", view.interaction.id))
        .title_bottom(format!(" {} ", footer(state)))
        .border_style(theme.accent());
    super::clear(frame, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
}
