//! Pick one of a few words (a ticket's status) or records (a duplicate to
//! merge, with the whole reason it is one).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthChar;

use crate::app::ChoicePopup;
use crate::ui::Theme;
use crate::ui::layout::centered;
use crate::ui::text::width;

pub fn draw(frame: &mut Frame, screen: Rect, choice: &ChoicePopup, theme: &Theme) {
    // As wide as the title or the widest option needs (a border and a space
    // each side), so a duplicate's reason is read whole; the screen caps it.
    let widest = choice.options.iter().map(|o| width(o) + 4).max();
    let wanted = (width(&choice.title) + 6).max(widest.unwrap_or(0)).max(32);
    let popup_width = u16::try_from(wanted).unwrap_or(u16::MAX).min(screen.width);
    let columns = usize::from(popup_width.saturating_sub(3)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_end = 0;
    for (i, option) in choice.options.iter().enumerate() {
        let style = if i == choice.selected {
            theme.selected(true)
        } else {
            Style::new()
        };
        // What does not fit goes on to the next rows, in the same style.
        for piece in wrap(option, columns) {
            let pad = " ".repeat(columns.saturating_sub(width(&piece)));
            lines.push(Line::styled(format!(" {piece}{pad}"), style));
        }
        if i == choice.selected {
            selected_end = lines.len();
        }
    }
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let area = centered(screen, popup_width, height);
    // On a short screen the selected option is kept in view.
    let visible = usize::from(area.height.saturating_sub(2));
    let scroll = u16::try_from(selected_end.saturating_sub(visible)).unwrap_or(0);
    let block = Block::bordered()
        .title(format!(" {} ", choice.title))
        .border_style(theme.accent());
    super::clear(frame, area);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// `text` in rows of at most `columns`, broken after a space where one is
/// near the end of a row, else between characters.
fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > columns && !row.is_empty() {
            let rest = match row.rfind(' ') {
                // A break in the last third of the row keeps words whole.
                Some(at) if width(&row[..at]) * 3 >= columns * 2 => {
                    let rest = row[at + 1..].to_string();
                    row.truncate(at);
                    rest
                }
                _ => String::new(),
            };
            rows.push(std::mem::replace(&mut row, rest));
            used = width(&row);
        }
        row.push(c);
        used += w;
    }
    rows.push(row);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::ChoicePurpose;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen_text(choice: &ChoicePopup, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
        terminal
            .draw(|frame| draw(frame, frame.area(), choice, &Theme::default()))
            .expect("drawn");
        let buffer = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..h {
            for x in 0..w {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    #[test]
    fn a_merge_candidate_shows_its_whole_reason() {
        let reason =
            "near-identical name in organization Acme Corporation (Kathryn Meyers, Kathryn Meyer)";
        let choice = ChoicePopup {
            title: "Merge into Kathryn Meyers (#1)".to_string(),
            options: vec![format!("Kathryn Meyer (#2) — {reason}")],
            selected: 0,
            purpose: ChoicePurpose::MergeCandidate { keep: 1 },
            candidates: vec![2],
        };
        // Wide enough: on one row.
        let wide = screen_text(&choice, 140, 10);
        assert!(wide.contains(reason), "{wide}");
        // Narrow: on several rows, every word there.
        let narrow = screen_text(&choice, 50, 12);
        let words: String = narrow
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        for word in reason.split(' ') {
            assert!(words.contains(word), "{word:?} missing in\n{narrow}");
        }
    }

    #[test]
    fn wrap_keeps_words_and_splits_long_ones() {
        assert_eq!(
            wrap("same phone 15550102000", 12),
            ["same phone", "15550102000"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
