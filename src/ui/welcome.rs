//! An empty database: what tuicrm is and the two ways to start.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Theme;

pub fn draw(frame: &mut Frame, area: Rect, theme: &Theme) {
    // The keys first: on a small screen they are what must stay visible.
    let lines = vec![
        Line::from(Span::styled("Welcome to tuicrm", theme.title())),
        Line::from(""),
        Line::from(vec![
            Span::styled("  a ", theme.accent()),
            Span::raw("add your first customer"),
        ]),
        Line::from(vec![
            Span::styled("  D ", theme.accent()),
            Span::raw("load 1,000 demo customers to look around"),
        ]),
        Line::from(vec![
            Span::styled("  ? ", theme.accent()),
            Span::raw("every key"),
        ]),
        Line::from(vec![
            Span::styled("  q ", theme.accent()),
            Span::raw("quit"),
        ]),
        Line::from(""),
        Line::from("Customers and the organizations they belong to, their support tickets,"),
        Line::from("the follow-ups that keep them successful, and every call, email and note"),
        Line::from("in one log — in your terminal, on the keyboard."),
    ];
    let block = Block::bordered()
        .title(" Welcome ")
        .border_style(theme.border(true));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
