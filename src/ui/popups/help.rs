//! `?`: the live keymap, with what each key does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::State;
use crate::ui::Theme;
use crate::ui::layout::centered;
use crate::ui::text::fit;

pub fn draw(frame: &mut Frame, screen: Rect, state: &State, scroll: usize, theme: &Theme) {
    let area = centered(screen, 70, screen.height.saturating_sub(2));
    let mut lines = Vec::new();
    let mut context = "";
    for line in &state.help {
        if line.context != context {
            context = line.context;
            if !lines.is_empty() {
                lines.push(Line::from(""));
            }
            lines.push(Line::styled(heading(context), theme.title()));
        }
        lines.push(Line::from(vec![
            Span::styled(fit(&line.key, 10), theme.accent()),
            Span::raw(" "),
            Span::raw(line.description),
        ]));
    }
    let inner = usize::from(area.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(inner));
    let block = Block::bordered()
        .title(" Keys — j/k scroll, Esc close ")
        .title_bottom(" rebind in config.toml [keys.*] ")
        .border_style(theme.accent());
    frame.render_widget(Clear, area);
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
