//! The top line: tabs and what needs attention.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Theme;
use crate::app::{State, Tab};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut spans = vec![Span::styled("tuicrm ", theme.title())];
    let overdue = state.attention.overdue_followups;
    let breaching = state.attention.breached_tickets;
    let counters = format!("{overdue} overdue · {breaching} breaching");
    // Where the names and the counters do not all fit, the tabs not shown
    // are their numbers (the counters matter more than the names).
    let names: usize = Tab::ALL.iter().map(|t| t.title().len() + 4).sum();
    let wanted = names + 7 + super::text::width(&counters) + 1;
    let short = state.damaged.is_none() && wanted > usize::from(area.width)
        || names + 7 > usize::from(area.width);
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = if short && *tab != state.tab {
            format!("{}", i + 1)
        } else {
            format!("{} {}", i + 1, tab.title())
        };
        if *tab == state.tab {
            spans.push(Span::styled(
                format!("[{label}]"),
                theme.accent().add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
    }
    let left: usize = spans.iter().map(|s| s.width()).sum();
    if state.damaged.is_some() {
        // Stays up whatever else the status bar says meanwhile.
        let room = usize::from(area.width).saturating_sub(left + 1);
        let banner = "! database file damaged — see tuicrm check, restore a backup";
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            super::text::truncate(banner, room).into_owned(),
            theme.danger().add_modifier(Modifier::BOLD),
        ));
        frame.render_widget(Line::from(spans), area);
        return;
    }
    let style = if overdue + breaching > 0 {
        theme.warning()
    } else {
        theme.muted()
    };
    let room = usize::from(area.width).saturating_sub(left);
    let counters_width = super::text::width(&counters);
    if counters_width < room {
        spans.push(Span::raw(" ".repeat(room - counters_width)));
        spans.push(Span::styled(counters, style));
    }
    frame.render_widget(Line::from(spans), area);
}
