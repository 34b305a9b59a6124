//! The interaction log pane: newest first, a symbol for kind and direction,
//! relative time, the summary.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::text::{fit, sanitize_line};
use crate::app::{Pane, State};
use crate::domain::time::relative_time;
use crate::domain::{Direction, InteractionKind};

fn kind_symbol(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Call => "call ",
        InteractionKind::Email => "email",
        InteractionKind::Meeting => "meet ",
        InteractionKind::Chat => "chat ",
        InteractionKind::Note => "note ",
        InteractionKind::System => "sys  ",
    }
}

fn direction_symbol(direction: Direction) -> &'static str {
    match direction {
        Direction::Inbound => "←",
        Direction::Outbound => "→",
        Direction::Internal => "·",
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Log;
    let width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(2));
    let first = state
        .log_scroll
        .min(state.log.len().saturating_sub(height.max(1)));
    let mut lines: Vec<Line> = state
        .log
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, entry)| {
            let when = fit(&relative_time(entry.occurred_at, state.now), 9);
            let head = format!(
                "{} {} {when} ",
                direction_symbol(entry.direction),
                kind_symbol(entry.kind)
            );
            let summary_width = width.saturating_sub(super::text::width(&head));
            let style = if focused && i == state.log_scroll {
                theme.selected(true)
            } else {
                Style::new()
            };
            // An organization's log shows its people's entries too, with their name.
            let who = match state.detail.customer() {
                Some(c) if c.id != entry.customer_id => {
                    format!("{}: ", entry.customer.clone().unwrap_or_default())
                }
                _ => String::new(),
            };
            let text = format!("{who}{}", entry.summary);
            Line::from(vec![
                Span::styled(head, theme.muted()),
                Span::raw(fit(&sanitize_line(&text), summary_width)),
            ])
            .style(style)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            "no interactions yet — l to log one",
            theme.muted(),
        ));
    }
    let title = format!(" Log ({}) ", state.log.len());
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border(focused));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
