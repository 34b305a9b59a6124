//! Pick one of a few words (a ticket's status).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::app::ChoicePopup;
use crate::ui::Theme;
use crate::ui::layout::centered;

pub fn draw(frame: &mut Frame, screen: Rect, choice: &ChoicePopup, theme: &Theme) {
    let height = u16::try_from(choice.options.len()).unwrap_or(10) + 2;
    let width = u16::try_from(crate::ui::text::width(&choice.title) + 6)
        .unwrap_or(u16::MAX)
        .max(32);
    let area = centered(screen, width, height);
    let lines: Vec<Line> = choice
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let style = if i == choice.selected {
                theme.selected(true)
            } else {
                Style::new()
            };
            Line::styled(
                format!(
                    " {option:<width$}",
                    width = usize::from(width.saturating_sub(3))
                ),
                style,
            )
        })
        .collect();
    let block = Block::bordered()
        .title(format!(" {} ", choice.title))
        .border_style(theme.accent());
    super::clear(frame, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
