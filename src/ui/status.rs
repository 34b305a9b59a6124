//! The bottom line: the filter being typed, a message, or the keys that apply now.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::Theme;
use super::text::{sanitize_line, truncate, width};
use crate::app::scope::Scope;
use crate::app::{Action, ChoicePurpose, Pane, Popup, State, Tab};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let columns = usize::from(area.width);
    if state.filtering {
        let input = state.filter();
        let typed = sanitize_line(input.value());
        let keys = match number_hint(state) {
            Some(hint) => hint,
            None => "  Enter keep · Esc clear".to_string(),
        };
        let line = Line::from(vec![
            Span::styled("/", theme.accent()),
            Span::raw(truncate(&typed, columns.saturating_sub(30)).into_owned()),
            Span::styled(keys, theme.muted()),
        ]);
        frame.render_widget(line, area);
        let before: String = input.value().chars().take(input.cursor()).collect();
        let x = area.x + 1 + u16::try_from(width(&sanitize_line(&before))).unwrap_or(0);
        frame.set_cursor_position(Position {
            x: x.min(area.right().saturating_sub(1)),
            y: area.y,
        });
        return;
    }
    let (text, style) = match &state.status {
        Some(status) if status.is_error => (format!("error: {}", status.text), theme.danger()),
        Some(status) => (status.text.clone(), theme.accent()),
        None => (hints(state), theme.muted()),
    };
    let text = sanitize_line(&text);
    frame.render_widget(
        Span::styled(truncate(&text, columns).into_owned(), style),
        area,
    );
}

/// While `#123` is typed in the filter: what Enter does with it.
fn number_hint(state: &State) -> Option<String> {
    let id = crate::app::goto::number(state.filter().value())?;
    let noun = match state.tab {
        Tab::Customers => "customer",
        Tab::Tickets => "ticket",
        Tab::Followups => "follow-up",
        Tab::Agenda | Tab::Reports => return None,
    };
    let go = state.key_for("filter", Action::Submit);
    let clear = state.key_for("filter", Action::Cancel);
    Some(format!("  {go} go to {noun} #{id} · {clear} clear"))
}

/// The keys worth knowing in this place, most useful first, named as the
/// keymap binds them and said as what they do here.
fn hints(state: &State) -> String {
    let key = |context: &str, action| shown_key(state, context, action);
    let hint = |context: &str, action, what: &str| format!("{} {what}", key(context, action));
    let pair = |context: &str, first, second, what: &str| {
        format!("{}/{} {what}", key(context, first), key(context, second))
    };
    let help = hint("global", Action::Help, "help");
    let parts: Vec<String> = match (&state.popup, state.empty, state.focus, state.tab) {
        (Some(Popup::Form(form)), _, _, _) if form.confirming_discard => vec![
            hint("popup", Action::Confirm, "discard your changes"),
            hint("popup", Action::Deny, "keep editing"),
        ],
        (Some(Popup::Form(form)), _, _, _) => {
            let multiline = form.focused().is_some_and(|field| field.is_multiline());
            vec![
                hint("form", Action::NextField, "next field"),
                pair("form", Action::ChoicePrev, Action::ChoiceNext, "choose"),
                format!("{} save", state.save_key(multiline)),
                hint("form", Action::Cancel, "cancel"),
            ]
        }
        (Some(Popup::Help { .. }), _, _, _) => vec![
            pair("popup", Action::SelectNext, Action::SelectPrev, "scroll"),
            hint("popup", Action::Cancel, "close"),
        ],
        (Some(Popup::Choice(choice)), _, _, _) => choice_hints(state, choice.purpose),
        // An interaction opened from the log, and the log's rows: what can
        // be done to one.
        (Some(Popup::Interaction(_)), _, _, _) => vec![super::popups::interaction::footer(state)],
        (None, false, Pane::Log, _) => vec![
            hint("list", Action::Open, "open"),
            hint("list", Action::Edit, "edit"),
            hint("list", Action::Delete, "delete"),
            hint("list", Action::Undo, "undo"),
            pair("list", Action::SelectNext, Action::SelectPrev, "move"),
            hint("global", Action::NextPane, "next pane"),
            help,
        ],
        (None, true, _, _) => vec![
            hint("list", Action::Add, "add first customer"),
            hint("list", Action::LoadDemo, "load demo data"),
            help,
            hint("global", Action::Quit, "quit"),
        ],
        // A customer's ticket and follow-up lines are picked and opened.
        (None, false, Pane::Detail, _) if !state.detail.picks().is_empty() => vec![
            pair(
                "list",
                Action::SelectNext,
                Action::SelectPrev,
                "pick a ticket or follow-up",
            ),
            hint("list", Action::Open, "open it"),
            hint("global", Action::NextPane, "next pane"),
            hint("list", Action::Edit, "edit"),
            help,
        ],
        (None, false, Pane::Detail, _) => vec![
            pair("list", Action::SelectNext, Action::SelectPrev, "scroll"),
            hint("global", Action::NextPane, "next pane"),
            hint("list", Action::Edit, "edit"),
            hint("list", Action::LogInteraction, "log"),
            help,
        ],
        (None, false, Pane::List, Tab::Tickets) => vec![
            pair("list", Action::SelectNext, Action::SelectPrev, "move"),
            hint("list", Action::Filter, "filter"),
            hint("list", Action::SetStatus, "status"),
            hint(
                "list",
                Action::CycleScope,
                scope_word(state.ticket_scope.next_ticket()),
            ),
            hint("list", Action::LogInteraction, "log"),
            hint("list", Action::Edit, "edit"),
            hint("list", Action::CycleSort, "sort"),
            help,
        ],
        (None, false, Pane::List, Tab::Followups) => vec![
            pair("list", Action::SelectNext, Action::SelectPrev, "move"),
            hint("list", Action::CompleteFollowup, "done"),
            hint(
                "list",
                Action::CycleScope,
                scope_word(state.followup_scope.next()),
            ),
            hint("list", Action::LogInteraction, "log"),
            hint("list", Action::Edit, "edit"),
            hint("list", Action::Delete, "delete"),
            help,
        ],
        (None, false, Pane::List, Tab::Agenda) => vec![
            pair("list", Action::SelectNext, Action::SelectPrev, "move"),
            hint("list", Action::AgendaWindow, "7/14/30 days"),
            hint("list", Action::CompleteFollowup, "done"),
            hint("list", Action::SetStatus, "status"),
            hint("list", Action::LogInteraction, "log"),
            hint("list", Action::Edit, "edit"),
            help,
        ],
        (None, false, _, Tab::Reports) => vec![
            hint(
                "list",
                Action::ReportBy,
                &format!("by {}", state.reports.by.next().as_str()),
            ),
            hint("list", Action::ReportPeriod, "12/26/52 weeks"),
            pair("list", Action::SelectNext, Action::SelectPrev, "scroll"),
            hint("global", Action::NextTab, "next tab"),
            help,
        ],
        (None, false, Pane::List, Tab::Customers) => vec![
            pair("list", Action::SelectNext, Action::SelectPrev, "move"),
            hint("list", Action::Filter, "search"),
            hint("list", Action::Add, "add"),
            hint("list", Action::Edit, "edit"),
            hint("list", Action::LogInteraction, "log"),
            hint("list", Action::NewTicket, "ticket"),
            hint("list", Action::NewFollowup, "follow-up"),
            help,
        ],
    };
    parts.join(" · ")
}

/// The key to name in a hint, arrows as arrows.
fn shown_key(state: &State, context: &str, action: Action) -> String {
    let key = state.key_for(context, action);
    match key.as_str() {
        "left" => "←".to_string(),
        "right" => "→".to_string(),
        "up" => "↑".to_string(),
        "down" => "↓".to_string(),
        _ => key,
    }
}

/// What the scope key shows next.
fn scope_word(scope: Scope) -> &'static str {
    match scope {
        Scope::Open => "open",
        Scope::Resolved => "resolved",
        Scope::Closed => "closed",
        Scope::Finished => "finished",
        Scope::All => "all",
    }
}

/// A choice popup's keys, said as what choosing does in it.
fn choice_hints(state: &State, purpose: ChoicePurpose) -> Vec<String> {
    let key = |action| shown_key(state, "popup", action);
    let moving = format!(
        "{}/{} move",
        key(Action::SelectNext),
        key(Action::SelectPrev)
    );
    let (choose, close) = match purpose {
        ChoicePurpose::MergeCandidate { .. } => ("merge this one in", "cancel"),
        ChoicePurpose::ConfirmMerge { .. } => {
            return vec![
                format!("{} merge", key(Action::Confirm)),
                format!("{} keep both", key(Action::Deny)),
            ];
        }
        ChoicePurpose::TicketStatus(_) => ("set the status", "cancel"),
        ChoicePurpose::TicketCsat(_) => {
            return vec![
                format!("{}–{} rate", key(Action::Rate1), key(Action::Rate5)),
                moving,
                format!("{} rate the selected", key(Action::Submit)),
                format!("{} no rating", key(Action::Cancel)),
            ];
        }
        ChoicePurpose::FollowupStatus(_) => ("finish with this status", "cancel"),
    };
    vec![
        moving,
        format!("{} {choose}", key(Action::Submit)),
        format!("{} {close}", key(Action::Cancel)),
    ]
}
