//! Where each pane goes. Shared by drawing and by the event loop (to know how
//! many rows the list shows and which row a click hits).

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// Below this width the panes stack instead of standing side by side.
const SIDE_BY_SIDE: u16 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub list: Rect,
    pub detail: Rect,
    /// Empty on narrow screens, where the log shares the detail's place.
    pub log: Rect,
    pub status: Rect,
}

pub fn areas(screen: Rect) -> Areas {
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(screen);
    if screen.width >= SIDE_BY_SIDE {
        let [list, right] =
            Layout::horizontal([Constraint::Percentage(46), Constraint::Percentage(54)])
                .areas(body);
        let [detail, log] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        Areas {
            header,
            list,
            detail,
            log,
            status,
        }
    } else {
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        Areas {
            header,
            list,
            detail,
            log: Rect::default(),
            status,
        }
    }
}

pub fn too_small(screen: Rect) -> bool {
    screen.width < MIN_WIDTH || screen.height < MIN_HEIGHT
}

/// Rows of records the list pane shows (inside its border, below its header row).
pub fn list_rows(screen: Rect) -> usize {
    usize::from(areas(screen).list.height.saturating_sub(3))
}

/// The list row under a click at (column, row) of the screen, if any.
pub fn list_row_at(screen: Rect, column: u16, row: u16) -> Option<usize> {
    let list = areas(screen).list;
    let inside = column > list.x && column < list.right().saturating_sub(1);
    let first = list.y + 2;
    (inside && row >= first && row < list.bottom().saturating_sub(1))
        .then(|| usize::from(row - first))
}

/// A box of at most `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
