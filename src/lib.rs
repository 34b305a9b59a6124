//! tuicrm: a keyboard-driven mini-CRM for the terminal.
//!
//! Layers depend one way: `domain` ← `store` ← `app` ← `ui`; `cli` and `main`
//! wire them, `config` holds settings and the keymap, `demo` makes sample data;
//! `atomic_file` is how files we write (exports, backups) reach their name.

pub mod app;
pub mod atomic_file;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod store;
pub mod tui;
pub mod ui;
