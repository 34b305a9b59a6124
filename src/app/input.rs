//! A line of text being typed: the value and a cursor counted in characters.
//! The one place besides the keymap that reads key codes, because typing
//! is not an action but text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// In characters, 0..=len.
    cursor: usize,
    multiline: bool,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput {
            value: value.to_string(),
            cursor: value.chars().count(),
            multiline: false,
        }
    }

    pub fn multiline(value: &str) -> TextInput {
        TextInput {
            multiline: true,
            ..TextInput::new(value)
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    pub fn set(&mut self, value: &str) {
        self.value = value.to_string();
        self.cursor = value.chars().count();
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    /// Pasted text, as text: line breaks stay only in a multi-line field
    /// (elsewhere they become spaces); tabs become spaces and other control
    /// characters are dropped. Returns whether anything was inserted.
    pub fn paste(&mut self, text: &str) -> bool {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let at = self.byte_at(self.cursor);
        let mut clean = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' if self.multiline => clean.push('\n'),
                '\n' | '\t' => clean.push(' '),
                c if c.is_control() => {}
                c => clean.push(c),
            }
        }
        if clean.is_empty() {
            return false;
        }
        self.value.insert_str(at, &clean);
        self.cursor += clean.chars().count();
        true
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    /// Applies a key that edits text; returns false when the key is not one.
    pub fn apply(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.value.replace_range(..at, "");
                self.cursor = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let end = self.byte_at(self.cursor);
                let head = self.value[..end].trim_end();
                let start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                self.cursor -= self.value[start..end].chars().count();
                self.value.replace_range(start..end, "");
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char(_) if ctrl => return false,
            KeyCode::Char(c) => self.insert(c),
            KeyCode::Enter if self.multiline => self.insert('\n'),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Delete if self.cursor < self.value.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Backspace | KeyCode::Delete => {}
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.value.chars().count(),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_and_editing_in_the_middle() {
        let mut input = TextInput::new("Zoë");
        input.apply(key(KeyCode::Left));
        input.apply(key(KeyCode::Char('x')));
        assert_eq!(input.value(), "Zoxë");
        input.apply(key(KeyCode::Backspace));
        input.apply(key(KeyCode::End));
        input.apply(key(KeyCode::Char('王')));
        assert_eq!(input.value(), "Zoë王");
        assert_eq!(input.cursor(), 4);
        input.apply(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(input.value(), "");
    }

    #[test]
    fn enter_is_text_only_in_multiline() {
        let mut line = TextInput::new("a");
        assert!(!line.apply(key(KeyCode::Enter)));
        let mut block = TextInput::multiline("a");
        assert!(block.apply(key(KeyCode::Enter)));
        assert_eq!(block.value(), "a\n");
    }
}
