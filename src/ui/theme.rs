//! Colours from the config, or none at all when NO_COLOR is set: then
//! emphasis is carried by bold, reverse and symbols alone.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub accent: Color,
    pub good: Color,
    pub warning: Color,
    pub danger: Color,
    pub muted: Color,
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            accent: Color::Cyan,
            good: Color::Green,
            warning: Color::Yellow,
            danger: Color::LightRed,
            muted: Color::DarkGray,
            color: true,
        }
    }
}

impl Theme {
    /// From `[theme]`; an unknown colour name keeps the default for that slot.
    pub fn from_config(names: &BTreeMap<String, String>, no_color: bool) -> Theme {
        if no_color {
            return Theme::plain();
        }
        let mut theme = Theme::default();
        let pick = |key: &str, slot: &mut Color| {
            if let Some(color) = names.get(key).and_then(|n| n.parse::<Color>().ok()) {
                *slot = color;
            }
        };
        pick("accent", &mut theme.accent);
        pick("good", &mut theme.good);
        pick("warning", &mut theme.warning);
        pick("danger", &mut theme.danger);
        pick("muted", &mut theme.muted);
        theme
    }

    pub fn plain() -> Theme {
        Theme {
            accent: Color::Reset,
            good: Color::Reset,
            warning: Color::Reset,
            danger: Color::Reset,
            muted: Color::Reset,
            color: false,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn accent(&self) -> Style {
        self.fg(self.accent)
    }

    pub fn good(&self) -> Style {
        self.fg(self.good)
    }

    pub fn warning(&self) -> Style {
        self.fg(self.warning)
    }

    pub fn danger(&self) -> Style {
        self.fg(self.danger).add_modifier(Modifier::BOLD)
    }

    pub fn muted(&self) -> Style {
        if self.color {
            self.fg(self.muted)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn title(&self) -> Style {
        self.accent().add_modifier(Modifier::BOLD)
    }

    /// The selected row: reversed when its pane has focus, underlined otherwise.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused { self.accent() } else { self.muted() }
    }
}
