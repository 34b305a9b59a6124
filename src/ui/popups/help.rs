//! `?`: the live keymap, with what each key does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::{Action, State};
use crate::ui::Theme;
use crate::ui::layout::centered;
use crate::ui::text::{fit, sanitize_line, wrap};

fn area(screen: Rect) -> Rect {
    centered(screen, 70, screen.height.saturating_sub(2))
}

/// The help's lines for a popup `width` columns wide inside: the database
/// first, then each context's keys; a description too long wraps under itself.
fn content<'a>(state: &State, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(
        format!("database {}", sanitize_line(&state.db_path)),
        theme.muted(),
    )];
    let mut context = "";
    for line in &state.help {
        if line.context != context {
            context = line.context;
            if !lines.is_empty() {
                lines.push(Line::from(""));
            }
            lines.push(Line::styled(heading(context), theme.title()));
        }
        let parts = wrap(line.description, width.saturating_sub(KEY_COLUMN + 1));
        for (i, part) in parts.into_iter().enumerate() {
            let key = if i == 0 {
                fit(&line.key, KEY_COLUMN)
            } else {
                " ".repeat(KEY_COLUMN)
            };
            lines.push(Line::from(vec![
                Span::styled(key, theme.accent()),
                Span::raw(" "),
                Span::raw(part),
            ]));
        }
    }
    lines
}

const KEY_COLUMN: usize = 10;

fn inner_width(screen: Rect) -> usize {
    usize::from(area(screen).width.saturating_sub(2))
}

/// How far the help popup on `screen` can scroll.
pub fn max_scroll(state: &State, screen: Rect) -> usize {
    let inner = usize::from(area(screen).height.saturating_sub(2));
    content(state, &Theme::plain(), inner_width(screen))
        .len()
        .saturating_sub(inner)
}

pub fn draw(frame: &mut Frame, screen: Rect, state: &State, scroll: usize, theme: &Theme) {
    let area = area(screen);
    let lines = content(state, theme, inner_width(screen));
    let scroll = scroll.min(max_scroll(state, screen));
    let block = Block::bordered()
        .title(format!(
            " Keys — {}/{} scroll, {} close ",
            state.key_for("popup", Action::SelectNext),
            state.key_for("popup", Action::SelectPrev),
            state.key_for("popup", Action::Cancel),
        ))
        .title_bottom(" rebind in config.toml [keys.*] ")
        .border_style(theme.accent());
    super::clear(frame, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        area,
    );
}

fn heading(context: &str) -> &'static str {
    match context {
        "global" => "Everywhere",
        "list" => "Lists and panes",
        "form" => "In a form",
        "filter" => "While filtering",
        "popup" => "In a popup",
        _ => "Other",
    }
}
