//! Keys as data: the `[keys.<context>]` tables of the config become a lookup
//! from (context, key) to `Action`. The only place that reads key codes.

use std::collections::{BTreeMap, HashMap};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::Action;

/// Where the keyboard focus is; each has its own table, `global` applies everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyContext {
    Global,
    List,
    Form,
    Filter,
    Popup,
}

impl KeyContext {
    pub const ALL: [KeyContext; 5] = [
        KeyContext::Global,
        KeyContext::List,
        KeyContext::Form,
        KeyContext::Filter,
        KeyContext::Popup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            KeyContext::Global => "global",
            KeyContext::List => "list",
            KeyContext::Form => "form",
            KeyContext::Filter => "filter",
            KeyContext::Popup => "popup",
        }
    }

    fn parse(name: &str) -> Option<KeyContext> {
        KeyContext::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Where typing is text: plain keys must not fall through to global
    /// bindings (a `q` in a name is a letter, not quit).
    pub fn takes_text(self) -> bool {
        matches!(self, KeyContext::Form | KeyContext::Filter)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

impl Key {
    /// Shift is part of the character itself ("G", "?"), so it is ignored for
    /// characters: terminals disagree on whether they report it.
    fn normalized(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let modifiers = match code {
            KeyCode::Char(_) => modifiers - KeyModifiers::SHIFT,
            KeyCode::BackTab => KeyModifiers::NONE,
            _ => modifiers,
        };
        Key { code, modifiers }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: HashMap<(KeyContext, Key), Action>,
    /// For the help popup: (context, key as written, action), in config order.
    listing: Vec<(KeyContext, String, Action)>,
}

impl Keymap {
    /// Every binding must be right; the first problem is the error.
    pub fn from_config(
        keys: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<Keymap, String> {
        let (keymap, problems) = Keymap::from_config_lenient(keys);
        match problems.into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(keymap),
        }
    }

    /// Binds what is right and lists what is not.
    pub fn from_config_lenient(
        keys: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let problems = keymap.overlay(keys);
        (keymap, problems)
    }

    /// Adds `keys` over the bindings already here. A wrong entry is skipped
    /// and listed, so one typo in a user's file costs nothing: the binding
    /// underneath (the default) stays.
    pub fn overlay(&mut self, keys: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<String> {
        let mut problems = Vec::new();
        for (context_name, bindings) in keys {
            let Some(context) = KeyContext::parse(context_name) else {
                problems.push(format!(
                    "[keys.{context_name}]: unknown context (use global, list, form, filter or popup)"
                ));
                continue;
            };
            for (spelling, action_name) in bindings {
                let Some(key) = parse_key(spelling) else {
                    problems.push(format!("[keys.{context_name}]: unknown key {spelling:?}"));
                    continue;
                };
                let Some(action) = Action::from_name(action_name) else {
                    problems.push(format!(
                        "[keys.{context_name}] {spelling:?}: unknown action {action_name:?}"
                    ));
                    continue;
                };
                self.bindings.insert((context, key), action);
                self.listing
                    .retain(|(c, s, _)| !(*c == context && s == spelling));
                self.listing.push((context, spelling.clone(), action));
            }
        }
        problems
    }

    pub fn action_for(&self, context: KeyContext, event: KeyEvent) -> Option<Action> {
        let key = Key::normalized(event.code, event.modifiers);
        let own = self.bindings.get(&(context, key)).copied();
        if own.is_some() || context.takes_text() || context == KeyContext::Popup {
            return own;
        }
        self.bindings.get(&(KeyContext::Global, key)).copied()
    }

    pub fn listing(&self) -> &[(KeyContext, String, Action)] {
        &self.listing
    }
}

/// "j", "G", "?", "ctrl-d", "shift-tab", "enter", "pgdown", "f5", "space".
fn parse_key(spelling: &str) -> Option<Key> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = spelling;
    loop {
        let lower = rest.to_ascii_lowercase();
        let (prefix, flag) = if lower.starts_with("ctrl-") && rest.len() > 5 {
            (5, KeyModifiers::CONTROL)
        } else if lower.starts_with("alt-") && rest.len() > 4 {
            (4, KeyModifiers::ALT)
        } else if lower.starts_with("shift-") && rest.len() > 6 {
            (6, KeyModifiers::SHIFT)
        } else {
            break;
        };
        modifiers |= flag;
        rest = &rest[prefix..];
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => KeyCode::Char(c),
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdown" | "pagedown" => KeyCode::PageDown,
            f if f.starts_with('f') => {
                KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
            }
            _ => return None,
        },
    };
    Some(Key::normalized(code, modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_bind_the_spec_keys() {
        let keymap = Keymap::from_config(&Config::defaults().keys).unwrap();
        let list = KeyContext::List;
        assert_eq!(
            keymap.action_for(list, key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.action_for(list, key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.action_for(list, key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::SelectLast)
        );
        assert_eq!(
            keymap.action_for(list, key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            keymap.action_for(list, key(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::PageDown)
        );
        assert_eq!(
            keymap.action_for(list, key(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn bad_entries_are_named() {
        let mut keys = BTreeMap::new();
        keys.insert(
            "list".to_string(),
            BTreeMap::from([("ctrl-".to_string(), "quit".to_string())]),
        );
        assert!(
            Keymap::from_config(&keys)
                .unwrap_err()
                .contains("unknown key")
        );
        keys.insert(
            "list".to_string(),
            BTreeMap::from([("x".to_string(), "explode".to_string())]),
        );
        assert!(
            Keymap::from_config(&keys)
                .unwrap_err()
                .contains("unknown action \"explode\"")
        );
    }

    #[test]
    fn a_bad_user_binding_keeps_the_default() {
        let mut keymap = Keymap::from_config(&Config::defaults().keys).unwrap();
        let mut user = Config::defaults().keys;
        user.get_mut("list")
            .unwrap()
            .insert("x".to_string(), "explode".to_string());
        user.get_mut("list")
            .unwrap()
            .insert("n".to_string(), "select_next".to_string());
        let problems = keymap.overlay(&user);
        assert_eq!(
            problems,
            vec!["[keys.list] \"x\": unknown action \"explode\"".to_string()]
        );
        let x = key(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            keymap.action_for(KeyContext::List, x),
            Some(Action::CompleteFollowup)
        );
        let n = key(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(
            keymap.action_for(KeyContext::List, n),
            Some(Action::SelectNext)
        );
    }

    #[test]
    fn key_spellings() {
        assert_eq!(
            parse_key("F5"),
            Some(Key {
                code: KeyCode::F(5),
                modifiers: KeyModifiers::NONE
            })
        );
        assert_eq!(
            parse_key("shift-tab"),
            Some(Key {
                code: KeyCode::BackTab,
                modifiers: KeyModifiers::NONE
            })
        );
        assert_eq!(
            parse_key("ctrl-alt-x").map(|k| k.modifiers),
            Some(KeyModifiers::CONTROL | KeyModifiers::ALT)
        );
        assert_eq!(parse_key("f13"), None);
        assert_eq!(parse_key(""), None);
    }
}
