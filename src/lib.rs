//! tuicrm: a keyboard-driven mini-CRM for the terminal.
//!
//! Layers depend one way: `domain` ← `store` ← `app` ← `ui`; `cli` and `main` wire them.

pub mod domain;
