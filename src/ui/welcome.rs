//! An empty database: what tuicrm is and the two ways to start.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Theme;
use super::text::sanitize_line;
use crate::app::{Action, State};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    // The keys (as the keymap binds them) first: on a small screen they are
    // what must stay visible.
    let key = |context: &str, action: Action, what: &'static str| {
        Line::from(vec![
            Span::styled(
                format!("  {} ", state.key_for(context, action)),
                theme.accent(),
            ),
            Span::raw(what),
        ])
    };
    let lines = vec![
        Line::from(Span::styled("Welcome to tuicrm", theme.title())),
        Line::from(""),
        key("list", Action::Add, "add your first customer"),
        key(
            "list",
            Action::LoadDemo,
            "load 1,000 demo customers to look around",
        ),
        key("global", Action::Help, "every key"),
        key("global", Action::Quit, "quit"),
        Line::from(""),
        Line::from(Span::styled(
            format!("database {}", sanitize_line(&state.db_path)),
            theme.muted(),
        )),
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
