//! A form popup: one line per field (label, value, hint), the reason beside
//! a field that is wrong, the cursor in the field being typed.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::form::{FieldValue, Form};
use crate::ui::Theme;
use crate::ui::layout::centered;
use crate::ui::text::{sanitize_line, truncate, width, wrap};

const LABEL: usize = 15;
/// Lines a multi-line field shows in the form.
const BLOCK_LINES: usize = 4;

pub fn draw(frame: &mut Frame, screen: Rect, form: &Form, footer: &str, theme: &Theme) {
    // A form-wide message (another process changed the record, the database
    // is locked) is read whole: it wraps inside the form.
    let inner = usize::from(screen.width.min(76).saturating_sub(2));
    let error_lines = form
        .error
        .as_ref()
        .map(|e| wrap(&format!("! {}", sanitize_line(e)), inner))
        .unwrap_or_default();
    // A field's problem wraps under the value, beside its label.
    let field_error_lines = |error: &str| {
        wrap(
            &format!("! {}", sanitize_line(error)),
            inner.saturating_sub(LABEL + 2),
        )
    };
    let rows: usize = form
        .fields
        .iter()
        .filter(|f| !f.hidden)
        .map(|f| {
            let value = if f.is_multiline() { BLOCK_LINES } else { 1 };
            value + f.error.as_deref().map_or(0, |e| field_error_lines(e).len())
        })
        .sum::<usize>()
        + error_lines.len()
        + 4;
    let area = centered(screen, 76, u16::try_from(rows).unwrap_or(u16::MAX));
    let value_width = usize::from(area.width.saturating_sub(2)).saturating_sub(LABEL + 2);
    let mut lines: Vec<Line> = Vec::new();
    // (line, column) of the cursor inside the form, and the last line of the focused field.
    let mut cursor: Option<(usize, usize)> = None;
    let mut focus_end = 0;
    for (i, field) in form.fields.iter().enumerate().filter(|(_, f)| !f.hidden) {
        let focused = i == form.focus;
        let label_style = if focused {
            theme.accent().add_modifier(Modifier::BOLD)
        } else {
            theme.muted()
        };
        let marker = if focused { "›" } else { " " };
        let label = Span::styled(
            format!("{marker}{:>width$} ", field.label, width = LABEL),
            label_style,
        );
        match &field.value {
            FieldValue::Choice { options, index } => {
                let word = options.get(*index).copied().unwrap_or("");
                let shown = if focused {
                    format!("‹ {word} ›")
                } else {
                    word.to_string()
                };
                let mut spans = vec![
                    label,
                    Span::styled(shown, Style::new().add_modifier(Modifier::BOLD)),
                ];
                if focused {
                    spans.push(Span::styled(format!("  {}", field.hint), theme.muted()));
                }
                lines.push(Line::from(spans));
            }
            FieldValue::Text(input) if input.is_multiline() => {
                let text = input.value();
                let all: Vec<&str> = text.split('\n').collect();
                for (n, part) in all.iter().take(BLOCK_LINES).enumerate() {
                    let head = if n == 0 {
                        label.clone()
                    } else {
                        Span::raw(" ".repeat(LABEL + 2))
                    };
                    let mut shown = truncate(&sanitize_line(part), value_width).into_owned();
                    if n + 1 == BLOCK_LINES && all.len() > BLOCK_LINES {
                        shown = format!(
                            "… {} more lines (Ctrl-e to edit all)",
                            all.len() - BLOCK_LINES
                        );
                    }
                    lines.push(Line::from(vec![head, Span::raw(shown)]));
                }
                for _ in all.len()..BLOCK_LINES {
                    lines.push(Line::from(Span::raw(" ".repeat(LABEL + 2))));
                }
                if focused {
                    let before: Vec<char> = text.chars().take(input.cursor()).collect();
                    let before: String = before.into_iter().collect();
                    let row = before.matches('\n').count().min(BLOCK_LINES - 1);
                    let col = width(&sanitize_line(before.rsplit('\n').next().unwrap_or("")));
                    cursor = Some((
                        lines.len() - BLOCK_LINES + row,
                        LABEL + 2 + col.min(value_width),
                    ));
                }
            }
            FieldValue::Text(input) => {
                let value = sanitize_line(input.value());
                let mut spans = vec![label, Span::raw(truncate(&value, value_width).into_owned())];
                if value.is_empty() && !field.hint.is_empty() {
                    spans.push(Span::styled(field.hint, theme.muted()));
                }
                lines.push(Line::from(spans));
                if focused {
                    let before: String = input.value().chars().take(input.cursor()).collect();
                    let col = width(&sanitize_line(&before)).min(value_width);
                    cursor = Some((lines.len() - 1, LABEL + 2 + col));
                }
            }
        }
        if let Some(error) = &field.error {
            for part in field_error_lines(error) {
                lines.push(Line::styled(
                    format!("{:>width$}{part}", "", width = LABEL + 2),
                    theme.danger(),
                ));
            }
        }
        if focused {
            focus_end = lines.len().saturating_sub(1);
        }
    }
    for line in error_lines {
        lines.push(Line::styled(line, theme.danger()));
    }
    lines.push(Line::from(""));
    let footer = if form.confirming_discard {
        Line::styled(
            "Discard your changes? y discard · n keep editing",
            theme.warning().add_modifier(Modifier::BOLD),
        )
    } else {
        Line::styled(footer.to_string(), theme.muted())
    };
    lines.push(footer);
    let block = Block::bordered()
        .title(format!(" {} ", sanitize_line(&form.title)))
        .border_style(theme.accent());
    // On a short screen the form scrolls so the field in focus (or the
    // question at the bottom) stays in view.
    let inner = usize::from(area.height.saturating_sub(2)).max(1);
    let shown_to = if form.confirming_discard {
        lines.len().saturating_sub(1)
    } else {
        focus_end
    };
    let scroll = (shown_to + 1).saturating_sub(inner);
    super::clear(frame, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        area,
    );
    if let Some((line, column)) = cursor.filter(|_| !form.confirming_discard)
        && line >= scroll
        && line - scroll < inner
    {
        frame.set_cursor_position(position(area, line - scroll, column));
    }
}

fn position(area: Rect, line: usize, column: usize) -> Position {
    let x = area.x + 1 + u16::try_from(column).unwrap_or(0);
    let y = area.y + 1 + u16::try_from(line).unwrap_or(0);
    Position {
        x: x.min(area.right().saturating_sub(2)),
        y,
    }
}
