//! The terminal side: set-up and restore (on every exit path, panics
//! included), and the event loop: event → keymap → Action → update → draw.
//! The screen is drawn again only after input or a change.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::mpsc;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::Rect;

use crate::app::reports::ReportAsk;
use crate::app::{self, Action, Effect, State};
use crate::config::Config;
use crate::config::keymap::Keymap;
use crate::domain::report::Report;
use crate::store::Store;
use crate::ui::{self, Theme, layout};

/// How long one statement of the TUI waits for another process's lock: short
/// enough that no key waits on it; a save that meets the lock retries in the
/// event loop instead (`app::update::retry_waiting_save`).
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(40);

pub fn run(mut store: Store, config: Config) -> io::Result<()> {
    // The built-in bindings first, then the configured ones over them.
    let (mut keymap, _) = Keymap::from_config_lenient(&Config::defaults().keys);
    let key_problems = keymap.overlay(&config.keys);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::from_config(&config.theme, no_color);
    let lock_wait = store.set_busy_timeout(LOCK_WAIT);
    let mut state = State::with_health_weights(&store, &keymap, &config.currency, config.health);
    if let Err(e) = lock_wait {
        state.set_error(e.to_string());
    }
    // Lives as long as the screen: dropped (and stopped) when run returns.
    let _checkpointer = match store.checkpoint_in_background() {
        Ok(guard) => guard,
        Err(e) => {
            state.set_error(e.to_string());
            None
        }
    };
    if let Some(problem) = key_problems.first() {
        let more = match key_problems.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        state.set_error(format!("config: {problem}{more}; the default keys stay"));
    }

    // ratatui::init restores the terminal in its panic hook; ours, around it,
    // also turns mouse reporting off so a crash never leaves the shell eating clicks.
    let mut terminal = ratatui::init();
    let restore_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
        restore_hook(info);
    }));
    // A paste arrives as one event, text only: never as keys that save,
    // delete or undo.
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut state, &mut store, &keymap, &theme);
    let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
    result
}

/// How often an idle TUI looks for changes made by other processes: one
/// cheap pragma, so a second is plenty quick and costs nothing.
const OUTSIDE_CHANGE_LOOK: std::time::Duration = std::time::Duration::from_secs(1);

/// How often a report being read is looked for.
const REPORT_LOOK: std::time::Duration = std::time::Duration::from_millis(30);

/// Reads the Reports tab's figures on a thread with a connection of its
/// own, so the keys go on while a big database is summed up. Started the
/// first time a report is asked for; ends with the screen (its channel
/// closes).
#[derive(Default)]
struct ReportThread {
    ask: Option<mpsc::Sender<ReportAsk>>,
    answers: Option<mpsc::Receiver<(ReportAsk, crate::store::Result<Report>)>>,
}

impl ReportThread {
    /// Sends the report the state wants to the thread; where no thread
    /// can start, reads it here.
    fn ask(&mut self, state: &mut State, store: &Store) {
        let Some(ask) = state.reports.wanted.take() else {
            return;
        };
        if self.ask.is_none() {
            match store.reader() {
                Ok(reader) => self.start(reader),
                Err(e) => state.fail(&e),
            }
        }
        let sent = self.ask.as_ref().map(|tx| tx.send(ask.clone()));
        if !matches!(sent, Some(Ok(()))) {
            self.ask = None;
            self.answers = None;
            let read = store.report(&ask.spec);
            app::reports::received(state, &ask, read);
        }
    }

    fn start(&mut self, reader: Store) {
        let (ask, questions) = mpsc::channel::<ReportAsk>();
        let (tell, answers) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("report".to_string())
            .spawn(move || {
                while let Ok(mut question) = questions.recv() {
                    // Questions asked meanwhile (an import committing in
                    // another process asks at every commit): only the last
                    // is worth reading.
                    while let Ok(later) = questions.try_recv() {
                        question = later;
                    }
                    let read = reader.report(&question.spec);
                    if tell.send((question, read)).is_err() {
                        return;
                    }
                }
            });
        if started.is_ok() {
            self.ask = Some(ask);
            self.answers = Some(answers);
        }
    }

    /// Hands over what the thread read; whether anything arrived. A thread
    /// gone (it failed) is let go.
    fn answer(&mut self, state: &mut State) -> bool {
        let Some(answers) = &self.answers else {
            return false;
        };
        let mut any = false;
        loop {
            match answers.try_recv() {
                Ok((ask, read)) => {
                    app::reports::received(state, &ask, read);
                    any = true;
                }
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    // Not started again at once: what broke it would again.
                    self.ask = None;
                    self.answers = None;
                    state.reports.gave_up();
                    state.set_error("the report could not be read: open the tab again to retry");
                    break;
                }
            }
        }
        any
    }
}

const SAVE_RETRY: std::time::Duration =
    std::time::Duration::from_millis(app::forms::SAVE_RETRY_MS as u64);

fn event_loop(
    terminal: &mut DefaultTerminal,
    state: &mut State,
    store: &mut Store,
    keymap: &Keymap,
    theme: &Theme,
) -> io::Result<()> {
    let mut screen: Rect = terminal.size()?.into();
    fit_to_screen(state, store, screen);
    terminal.draw(|frame| ui::draw(frame, state, theme))?;
    let mut last_retry = std::time::Instant::now();
    let mut reports = ReportThread::default();
    while !state.should_quit {
        reports.ask(state, store);
        if reports.answer(state) {
            fit_to_screen(state, store, screen);
            terminal.draw(|frame| ui::draw(frame, state, theme))?;
        }
        // A save waiting for another process's lock is tried again on time,
        // however busy the keyboard is.
        if state.save_waiting() && last_retry.elapsed() >= SAVE_RETRY {
            last_retry = std::time::Instant::now();
            if app::update::retry_waiting_save(state, store) {
                fit_to_screen(state, store, screen);
                terminal.draw(|frame| ui::draw(frame, state, theme))?;
            }
            continue;
        }
        // Idle for a moment: look whether another process wrote meanwhile.
        let idle = if state.save_waiting() {
            SAVE_RETRY.saturating_sub(last_retry.elapsed())
        } else if state.reports.loading() {
            REPORT_LOOK
        } else {
            OUTSIDE_CHANGE_LOOK
        };
        if !event::poll(idle)? {
            if !state.save_waiting() && app::update::outside_change(state, store) {
                fit_to_screen(state, store, screen);
                terminal.draw(|frame| ui::draw(frame, state, theme))?;
            }
            continue;
        }
        let changed = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let effect = on_key(state, store, keymap, key);
                if let Effect::EditText(text) = effect {
                    let edited = edit_externally(terminal, &text);
                    app::update::editor_done(state, edited);
                }
                true
            }
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::ScrollDown => repeat(state, store, Action::SelectNext, 3),
                MouseEventKind::ScrollUp => repeat(state, store, Action::SelectPrev, 3),
                MouseEventKind::Down(MouseButton::Left) => {
                    match layout::list_row_at(screen, mouse.column, mouse.row) {
                        Some(row) => app::update::click_list_row(state, store, row),
                        None => false,
                    }
                }
                _ => false,
            },
            Event::Paste(text) => app::update::paste(state, store, &text),
            Event::Resize(width, height) => {
                screen = Rect::new(0, 0, width, height);
                fit_to_screen(state, store, screen);
                true
            }
            _ => false,
        };
        if changed && !state.should_quit {
            fit_to_screen(state, store, screen);
            terminal.draw(|frame| ui::draw(frame, state, theme))?;
        }
    }
    Ok(())
}

fn on_key(state: &mut State, store: &mut Store, keymap: &Keymap, key: KeyEvent) -> Effect {
    if state.takes_text() && app::update::key_is_text(state, &key) {
        app::update::type_key(state, store, key);
        return Effect::None;
    }
    match keymap.action_for(state.key_context(), key) {
        Some(action) => app::update(state, store, action),
        None if state.takes_text() => {
            app::update::type_key(state, store, key);
            Effect::None
        }
        None => Effect::None,
    }
}

fn repeat(state: &mut State, store: &mut Store, action: Action, times: usize) -> bool {
    if state.popup.is_some() {
        return false;
    }
    for _ in 0..times {
        app::update(state, store, action);
    }
    true
}

/// Fits the state to the screen, then reads what the now visible rows need.
fn fit_to_screen(state: &mut State, store: &Store, screen: Rect) {
    ui::fit(state, screen);
    state.fill_health(store);
}

/// Leaves the screen to the editor, then takes it back. `None` when the
/// editor could not run or failed; the form then keeps its text.
fn edit_externally(terminal: &mut DefaultTerminal, text: &str) -> Option<String> {
    let path = private_temp_file(text).ok()?;
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
    let _ = disable_raw_mode();
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    // $EDITOR may carry arguments ("code --wait"), as git allows.
    let mut words = editor.split_whitespace();
    let status = words
        .next()
        .map(|program| Command::new(program).args(words).arg(&path).status());
    let edited = match status {
        Some(Ok(s)) if s.success() => std::fs::read_to_string(&path).ok(),
        _ => None,
    };
    let _ = std::fs::remove_file(&path);
    let _ = enable_raw_mode();
    let _ = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    );
    let _ = terminal.clear();
    edited
}

fn private_temp_file(text: &str) -> io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!("tuicrm-{}-{nanos}.txt", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    file.write_all(text.as_bytes())?;
    Ok(path)
}
