//! Columns that share a list pane's width. Each column has a priority: as the
//! pane narrows, whole columns drop out, least important first, so the ones
//! left keep their values whole. One column takes the width the others
//! leave; the others are as wide as their widest value on screen, up to a cap.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::ui::text::{fit_words, sanitize_line, width};

pub struct Column {
    pub header: &'static str,
    /// Lower numbers stay longer; the flexible column always stays.
    pub priority: u8,
    pub width: Width,
}

#[derive(Clone, Copy)]
pub enum Width {
    /// Takes what the others leave, and keeps at least this much (or its
    /// widest value, when that is narrower) before another column may show.
    Flex(usize),
    /// As wide as its widest value or header, at most this; longer values
    /// end in "…".
    Fit(usize),
}

impl Column {
    pub const fn flex(header: &'static str, min: usize) -> Column {
        Column {
            header,
            priority: 0,
            width: Width::Flex(min),
        }
    }

    pub const fn fit(header: &'static str, priority: u8, cap: usize) -> Column {
        Column {
            header,
            priority,
            width: Width::Fit(cap),
        }
    }
}

/// One value, made safe for the terminal when it is built.
pub struct Cell {
    pub text: String,
    pub style: Style,
    /// A stand-in for column `n` (a finished ticket's status in its SLA
    /// cell): left blank while column `n` shows.
    pub repeats: Option<usize>,
}

impl Cell {
    pub fn new(text: &str, style: Style) -> Cell {
        Cell {
            text: sanitize_line(text).into_owned(),
            style,
            repeats: None,
        }
    }

    pub fn plain(text: &str) -> Cell {
        Cell::new(text, Style::new())
    }
}

pub enum Row {
    /// One cell per column.
    Cells(Vec<Cell>),
    /// A line across every column (a section's header).
    Banner(Cell),
}

/// The width of each column in `total` columns of pane, `None` for a column
/// that drops out. Columns are kept in priority order (ties: left first) for
/// as long as each fits; the first that does not fit drops with all after it,
/// so a narrower pane never shows a column a wider one hid.
pub fn widths(columns: &[Column], rows: &[Row], total: usize) -> Vec<Option<usize>> {
    let measured: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = rows
                .iter()
                .filter_map(|row| match row {
                    Row::Cells(cells) => cells.get(i).map(|cell| width(&cell.text)),
                    Row::Banner(_) => None,
                })
                .max()
                .unwrap_or(0);
            widest.max(width(c.header))
        })
        .collect();
    let wanted = |i: usize| match columns[i].width {
        Width::Flex(min) => measured[i].min(min),
        Width::Fit(cap) => measured[i].min(cap),
    };
    let flex = columns
        .iter()
        .position(|c| matches!(c.width, Width::Flex(_)));
    // Every cell is followed by one space.
    let mut used = flex.map_or(0, |f| wanted(f) + 1);
    let mut order: Vec<usize> = (0..columns.len()).filter(|i| Some(*i) != flex).collect();
    order.sort_by_key(|i| (columns[*i].priority, *i));
    let mut out = vec![None; columns.len()];
    for i in order {
        if used + wanted(i) + 1 > total {
            break;
        }
        used += wanted(i) + 1;
        out[i] = Some(wanted(i));
    }
    if let Some(f) = flex {
        out[f] = Some(total.saturating_sub(used) + wanted(f));
    }
    out
}

/// The header line and one line per row, each cell fitted to its column.
pub fn lines(
    columns: &[Column],
    rows: &[Row],
    total: usize,
    header_style: Style,
) -> Vec<Line<'static>> {
    let widths = widths(columns, rows, total);
    let header: Vec<Cell> = columns.iter().map(|c| Cell::plain(c.header)).collect();
    let mut out = vec![cells_line(&header, &widths).style(header_style)];
    out.extend(rows.iter().map(|row| match row {
        Row::Cells(cells) => cells_line(cells, &widths),
        Row::Banner(cell) => Line::from(Span::styled(
            fit_words(&cell.text, total.saturating_sub(1)),
            cell.style,
        )),
    }));
    out
}

fn cells_line(cells: &[Cell], widths: &[Option<usize>]) -> Line<'static> {
    let spans: Vec<Span> = cells
        .iter()
        .zip(widths)
        .filter_map(|(cell, w)| Some((cell, (*w)?)))
        .map(|(cell, w)| {
            let hidden = cell
                .repeats
                .is_some_and(|n| widths.get(n).is_some_and(Option::is_some));
            let text = if hidden { "" } else { cell.text.as_str() };
            Span::styled(fit_words(text, w) + " ", cell.style)
        })
        .collect();
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(texts: &[&str]) -> Row {
        Row::Cells(texts.iter().map(|t| Cell::plain(t)).collect())
    }

    const COLUMNS: [Column; 3] = [
        Column::flex("NAME", 10),
        Column::fit("EMAIL", 2, 20),
        Column::fit("STAGE", 1, 10),
    ];

    #[test]
    fn columns_drop_whole_by_priority_and_the_flexible_one_takes_the_rest() {
        let rows = [row(&["Jane Doe", "jane@acme.example", "active"])];
        // 9 + 18 + 7 columns wanted: all fit, the name takes the slack.
        assert_eq!(
            widths(&COLUMNS, &rows, 40),
            vec![Some(14), Some(17), Some(6)]
        );
        // The email goes first, the stage after it.
        assert_eq!(widths(&COLUMNS, &rows, 30), vec![Some(22), None, Some(6)]);
        assert_eq!(widths(&COLUMNS, &rows, 12), vec![Some(11), None, None]);
    }

    #[test]
    fn a_finished_tickets_status_in_the_sla_cell_blanks_while_its_column_shows() {
        let columns = [Column::flex("A", 4), Column::fit("B", 1, 6)];
        let mut cells = vec![Cell::plain("a"), Cell::plain("closed")];
        cells[1].repeats = Some(0);
        let rows = [Row::Cells(cells)];
        let text: String = lines(&columns, &rows, 20, Style::new())[1].to_string();
        assert_eq!(text.trim_end(), "a");
    }
}
