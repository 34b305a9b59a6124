//! Everything a key can ask for. Names are what the config file binds keys to;
//! descriptions are what `?` shows.

use crate::config::keymap::KeyContext;

macro_rules! actions {
    ($($variant:ident => $name:literal, $description:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            pub fn describe(self) -> &'static str {
                match self { $(Action::$variant => $description),+ }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|a| a.name() == name)
            }
        }
    };
}

actions! {
    Quit => "quit", "Quit tuicrm";
    Help => "help", "Show the keys and what they do";
    TabCustomers => "tab_customers", "Customers tab";
    TabTickets => "tab_tickets", "Tickets tab";
    TabFollowups => "tab_followups", "Follow-ups tab";
    TabAgenda => "tab_agenda", "Agenda tab";
    TabReports => "tab_reports", "Reports tab";
    NextTab => "next_tab", "Next tab";
    PrevTab => "prev_tab", "Previous tab";
    NextPane => "next_pane", "Focus the next pane";
    PrevPane => "prev_pane", "Focus the previous pane";
    SelectNext => "select_next", "Move down";
    SelectPrev => "select_prev", "Move up";
    SelectFirst => "select_first", "Go to the first row";
    SelectLast => "select_last", "Go to the last row";
    PageDown => "page_down", "Page down";
    PageUp => "page_up", "Page up";
    Filter => "filter", "Filter the list as you type (Esc clears)";
    Open => "open", "Open the selected record";
    Add => "add", "Add a record";
    Edit => "edit", "Edit the selected record";
    Delete => "delete", "Move the selected record to the trash";
    Undo => "undo", "Undo the last change";
    LogInteraction => "log_interaction", "Log an interaction with the selected customer";
    NewTicket => "new_ticket", "Open a ticket for the selected customer";
    NewFollowup => "new_followup", "Plan a follow-up with the selected customer";
    SetStatus => "set_status", "Change a ticket's status, or finish a follow-up (done, skipped, cancelled)";
    CompleteFollowup => "complete_followup", "Mark the selected follow-up done, with its outcome";
    CycleSort => "cycle_sort", "Change the sort order";
    CycleScope => "cycle_scope", "Tickets and follow-ups: show open, finished or all";
    AgendaWindow => "agenda_window", "Agenda: look 7, 14 or 30 days ahead";
    ReportBy => "report_by", "Reports: rows by week, month, assignee, priority, channel or segment";
    ReportPeriod => "report_period", "Reports: the last 12, 26 or 52 weeks";
    PlanRenewal => "plan_renewal", "Plan the suggested renewal follow-up";
    Merge => "merge", "Show the selected customer's likely duplicates and merge one into it";
    LoadDemo => "load_demo", "Load demo data (empty database only)";
    NextField => "next_field", "Next field";
    PrevField => "prev_field", "Previous field";
    ChoiceNext => "choice_next", "Next choice (or cursor right)";
    ChoicePrev => "choice_prev", "Previous choice (or cursor left)";
    Submit => "submit", "Save / apply";
    Cancel => "cancel", "Cancel / close / clear the filter";
    ExternalEditor => "external_editor", "Edit this text in $EDITOR";
    Reload => "reload", "Show the record as saved now (after another process changed it)";
    Rate1 => "rate_1", "Rate the ticket 1 (in the satisfaction popup)";
    Rate2 => "rate_2", "Rate the ticket 2 (in the satisfaction popup)";
    Rate3 => "rate_3", "Rate the ticket 3 (in the satisfaction popup)";
    Rate4 => "rate_4", "Rate the ticket 4 (in the satisfaction popup)";
    Rate5 => "rate_5", "Rate the ticket 5 (in the satisfaction popup)";
    Confirm => "confirm", "Yes";
    Deny => "deny", "No";
}

impl Action {
    /// The rating a `rate_N` action gives.
    pub fn rating(self) -> Option<u8> {
        match self {
            Action::Rate1 => Some(1),
            Action::Rate2 => Some(2),
            Action::Rate3 => Some(3),
            Action::Rate4 => Some(4),
            Action::Rate5 => Some(5),
            _ => None,
        }
    }
}

impl Action {
    /// What this action does where it is bound: in a form, the filter or a
    /// popup the same action does something else than on the list, and the
    /// help says what.
    pub fn describe_in(self, context: KeyContext) -> &'static str {
        use Action::*;
        match (context, self) {
            (KeyContext::Form, Submit) => {
                "Save the form (Enter is a new line in a multi-line field)"
            }
            (KeyContext::Form, Cancel) => "Close the form; asks first when something was typed",
            (KeyContext::Form, ChoiceNext) => {
                "In a choice field the next choice, in text the cursor right"
            }
            (KeyContext::Form, ChoicePrev) => {
                "In a choice field the previous choice, in text the cursor left"
            }
            (KeyContext::List, Cancel) => "Clear a filter kept with Enter",
            (KeyContext::Filter, Submit) => {
                "Keep the filter and go back to the list; #123 goes to record 123"
            }
            (KeyContext::Filter, Cancel) => "Clear the filter",
            (KeyContext::Filter, SelectNext) => "Move down the matching rows while typing",
            (KeyContext::Filter, SelectPrev) => "Move up the matching rows while typing",
            (KeyContext::Popup, SelectNext) => {
                "Next option; scroll the help or an interaction down"
            }
            (KeyContext::Popup, SelectPrev) => {
                "Previous option; scroll the help or an interaction up"
            }
            (KeyContext::Popup, Submit) => {
                "Take the selected option (a status, a rating, the duplicate to merge)"
            }
            (KeyContext::Popup, Confirm) => "Yes: merge the two customers, or discard the changes",
            (KeyContext::Popup, Deny) => "No: keep both customers, or go on editing",
            (KeyContext::Popup, Cancel) => {
                "Close the popup and change nothing (a rating stays unset)"
            }
            (KeyContext::List, Open) => {
                "Open the selected record, the log row's interaction, or the ticket or \
                 follow-up picked in a customer's detail"
            }
            // The interaction opened from the log (Enter on a log row).
            (KeyContext::Popup, Edit) => "Edit the interaction shown",
            (KeyContext::Popup, Delete) => "Delete the interaction shown (undo brings it back)",
            (KeyContext::Popup, Undo) => "Close the interaction and undo the last change",
            _ => self.describe(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(*action));
            assert!(!action.describe().is_empty());
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
