//! Drawing. `draw(frame, &state)` renders from state alone; nothing here
//! writes to the DB or the terminal directly.

pub mod text;
