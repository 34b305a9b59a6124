//! Drawing. `draw(frame, &state)` renders from state alone; nothing here
//! writes to the DB or the terminal directly.

pub mod text;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use crate::app::{State, Tab};
use text::sanitize_line;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        frame.render_widget(Paragraph::new("terminal too small"), area);
        return;
    }
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let mut tabs: Vec<Span> = vec![Span::styled(
        " tuicrm ",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == state.tab {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        tabs.push(Span::styled(label, style));
    }
    tabs.push(Span::raw(format!(
        "  {} overdue · {} breaching",
        state.counts.overdue_followups, state.counts.breached_tickets
    )));
    frame.render_widget(Line::from(tabs), header);

    if state.customers.is_empty() {
        let welcome = Paragraph::new(vec![
            Line::from("Welcome to tuicrm: customers, tickets and follow-ups in your terminal."),
            Line::from(""),
            Line::from("The database is empty. Add data from the command line for now:"),
            Line::from("  tuicrm demo            load realistic sample data"),
            Line::from("  tuicrm customer add    add your first customer"),
        ])
        .block(Block::bordered().title(" Welcome "));
        frame.render_widget(welcome, body);
    } else {
        let items: Vec<ListItem> = state
            .customers
            .iter()
            .map(|c| ListItem::new(sanitize_line(&c.name).into_owned()))
            .collect();
        let list = List::new(items)
            .block(Block::bordered().title(format!(" Customers ({}) ", state.counts.customers)))
            .highlight_symbol("› ")
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut list_state = ListState::default().with_selected(Some(state.selected));
        frame.render_stateful_widget(list, body, &mut list_state);
    }

    let message = match &state.status {
        Some(m) => sanitize_line(m).into_owned(),
        None => "j/k move · 1-4 tabs · q quit".to_string(),
    };
    frame.render_widget(Paragraph::new(message), status);
}
