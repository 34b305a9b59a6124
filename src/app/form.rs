//! A popup form: labelled fields (text or a choice that cycles), one in focus,
//! errors shown beside the field they concern. What the fields mean and how a
//! form is saved lives in `forms.rs`.

use super::input::TextInput;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(TextInput),
    Choice {
        options: Vec<&'static str>,
        index: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name validation errors use ("name", "email", "due", ...).
    pub key: &'static str,
    pub label: &'static str,
    pub value: FieldValue,
    pub error: Option<String>,
    /// Shown dimmed after the value: what may be typed.
    pub hint: &'static str,
    /// Not asked for the record as it is now (an organization has no
    /// organization or job title): not drawn, not visited, not saved.
    pub hidden: bool,
}

impl Field {
    pub fn text(key: &'static str, label: &'static str, value: &str, hint: &'static str) -> Field {
        Field {
            key,
            label,
            value: FieldValue::Text(TextInput::new(value)),
            error: None,
            hint,
            hidden: false,
        }
    }

    pub fn long_text(key: &'static str, label: &'static str, value: &str) -> Field {
        Field {
            key,
            label,
            value: FieldValue::Text(TextInput::multiline(value)),
            error: None,
            hint: "Enter: new line · Ctrl-s: save · Ctrl-e: $EDITOR",
            hidden: false,
        }
    }

    pub fn choice(
        key: &'static str,
        label: &'static str,
        options: Vec<&'static str>,
        current: &str,
    ) -> Field {
        let index = options.iter().position(|o| *o == current).unwrap_or(0);
        Field {
            key,
            label,
            value: FieldValue::Choice { options, index },
            error: None,
            hint: "←/→ to change",
            hidden: false,
        }
    }

    /// The text typed, or the chosen word.
    pub fn as_str(&self) -> &str {
        match &self.value {
            FieldValue::Text(input) => input.value(),
            FieldValue::Choice { options, index } => options.get(*index).copied().unwrap_or(""),
        }
    }

    pub fn is_multiline(&self) -> bool {
        matches!(&self.value, FieldValue::Text(input) if input.is_multiline())
    }
}

/// What saving the form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    AddCustomer,
    EditCustomer(i64),
    AddTicket {
        customer_id: i64,
    },
    EditTicket(i64),
    AddFollowup {
        customer_id: i64,
    },
    EditFollowup {
        id: i64,
        customer_id: i64,
    },
    LogInteraction {
        customer_id: i64,
        ticket_id: Option<i64>,
        followup_id: Option<i64>,
    },
    /// Correcting a logged interaction.
    EditInteraction(i64),
    /// Done, skipped or cancelled, with what came of it.
    FinishFollowup {
        id: i64,
        status: crate::domain::FollowupStatus,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem that belongs to no single field ("organization 3 is in the trash").
    pub error: Option<String>,
    /// Esc was pressed with unsaved changes: the form asks before discarding.
    pub confirming_discard: bool,
    /// The record as it was when an edit form opened: saving writes only what
    /// the user changed from it, and notices what another process changed.
    pub base: Option<Base>,
    /// Another process changed a field the user changed too, and the user was
    /// told: saving again writes theirs over it.
    pub conflict_shown: bool,
    /// Saving found the database locked by another process: how many times
    /// it has tried. The form stays open (nothing typed is lost) and the
    /// event loop tries again until it saves or gives up.
    pub waiting: Option<u32>,
    initial: Vec<String>,
}

/// What an edit form started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Customer(Box<crate::domain::CustomerDraft>),
    Ticket(Box<crate::domain::Ticket>),
    Followup(crate::domain::FollowupDraft),
    Interaction(Box<crate::domain::InteractionEdit>),
}

impl Form {
    /// A form with the cursor in its first field, the main one.
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(|f| f.as_str().to_string()).collect();
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            confirming_discard: false,
            base: None,
            conflict_shown: false,
            waiting: None,
            initial,
        }
    }

    pub fn with_base(mut self, base: Base) -> Form {
        self.base = Some(base);
        self
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", Field::as_str)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, initial)| f.as_str() != initial)
    }

    pub fn next_field(&mut self) {
        self.step_focus(1);
    }

    pub fn prev_field(&mut self) {
        self.step_focus(self.fields.len().max(1) - 1);
    }

    /// Moves the focus `step` fields on (modulo their number), over hidden ones.
    fn step_focus(&mut self, step: usize) {
        let n = self.fields.len().max(1);
        for _ in 0..n {
            self.focus = (self.focus + step) % n;
            if !self.fields.get(self.focus).is_some_and(|f| f.hidden) {
                return;
            }
        }
    }

    /// Hides or shows the field `key`.
    pub fn set_hidden(&mut self, key: &str, hidden: bool) {
        if let Some(field) = self.fields.iter_mut().find(|f| f.key == key) {
            field.hidden = hidden;
        }
    }

    /// The value of `key`, or "" when the field is hidden.
    pub fn shown_value(&self, key: &str) -> &str {
        match self.fields.iter().find(|f| f.key == key) {
            Some(field) if !field.hidden => field.as_str(),
            _ => "",
        }
    }

    /// Left/Right: a choice cycles; in text the cursor moves.
    pub fn cycle(&mut self, forward: bool) {
        let Some(field) = self.focused_mut() else {
            return;
        };
        match &mut field.value {
            FieldValue::Choice { options, index } => {
                let n = options.len().max(1);
                *index = if forward {
                    (*index + 1) % n
                } else {
                    (*index + n - 1) % n
                };
            }
            FieldValue::Text(input) if forward => input.right(),
            FieldValue::Text(input) => input.left(),
        }
    }

    pub fn clear_errors(&mut self) {
        self.error = None;
        for field in &mut self.fields {
            field.error = None;
        }
    }

    /// Puts `message` beside the field named `key` (and moves there), or on
    /// the form when no field has that name.
    pub fn set_error(&mut self, key: &str, message: String) {
        match self.fields.iter().position(|f| f.key == key) {
            Some(i) => {
                self.fields[i].error = Some(message);
                self.focus = i;
            }
            None => self.error = Some(message),
        }
    }

    /// Replaces the focused text field's value (after `$EDITOR`).
    /// Picks `word` in the choice field `key` (nothing if it is no option).
    pub fn set_choice(&mut self, key: &str, word: &str) {
        if let Some(FieldValue::Choice { options, index }) = self
            .fields
            .iter_mut()
            .find(|f| f.key == key)
            .map(|f| &mut f.value)
            && let Some(i) = options.iter().position(|o| *o == word)
        {
            *index = i;
        }
    }

    pub fn set_focused_text(&mut self, text: &str) {
        if let Some(Field {
            value: FieldValue::Text(input),
            ..
        }) = self.focused_mut()
        {
            input.set(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        Form::new(
            FormKind::AddCustomer,
            "Add customer",
            vec![
                Field::text("name", "Name", "", ""),
                Field::choice("kind", "Kind", vec!["person", "organization"], "person"),
            ],
        )
    }

    #[test]
    fn focus_wraps_and_choices_cycle() {
        let mut f = form();
        assert_eq!(f.focus, 0);
        f.prev_field();
        assert_eq!(f.focus, 1);
        f.cycle(true);
        assert_eq!(f.value("kind"), "organization");
        f.cycle(true);
        assert_eq!(f.value("kind"), "person");
        assert!(!f.is_dirty());
        f.cycle(false);
        assert!(f.is_dirty());
    }

    #[test]
    fn errors_land_on_their_field() {
        let mut f = form();
        f.set_error("kind", "is wrong".into());
        assert_eq!(f.focus, 1);
        assert_eq!(f.fields[1].error.as_deref(), Some("is wrong"));
        f.set_error("organization", "is in the trash".into());
        assert_eq!(f.error.as_deref(), Some("is in the trash"));
        f.clear_errors();
        assert!(f.error.is_none() && f.fields[1].error.is_none());
    }
}
