//! The terminal side: set-up and restore (on every exit path, panics
//! included), and the event loop: event → keymap → Action → update → draw.

use std::io;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::app::State;
use crate::config::Config;
use crate::config::keymap::Keymap;
use crate::store::Store;

pub fn run(store: Store, config: Config) -> io::Result<()> {
    let keymap = Keymap::from_config(&config.keys).map_err(io::Error::other)?;
    let mut state = State::new(store);
    // ratatui::init installs a panic hook that restores the terminal before the
    // previous hook prints, and restore() below covers every other exit.
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut state, &keymap);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    state: &mut State,
    keymap: &Keymap,
) -> io::Result<()> {
    terminal.draw(|frame| crate::ui::draw(frame, state))?;
    while !state.should_quit {
        let changed = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                match keymap.action_for(state.key_context(), key) {
                    Some(action) => {
                        state.update(action);
                        true
                    }
                    None => false,
                }
            }
            Event::Resize(_, _) => true,
            _ => false,
        };
        if changed && !state.should_quit {
            terminal.draw(|frame| crate::ui::draw(frame, state))?;
        }
    }
    Ok(())
}
