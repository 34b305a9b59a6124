//! Domain values to and from SQLite columns. Times are fixed-width RFC 3339
//! UTC text, dates YYYY-MM-DD, choices their lowercase word.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::Row;
use rusqlite::types::{Type, Value};

use crate::domain::time::format_timestamp;
use crate::domain::{Choice, Recurrence};

pub fn ts(at: Timestamp) -> String {
    format_timestamp(at)
}

pub fn opt_ts(at: Option<Timestamp>) -> Option<String> {
    at.map(format_timestamp)
}

pub fn date(on: Date) -> String {
    on.to_string()
}

pub fn opt_date(on: Option<Date>) -> Option<String> {
    on.map(|d| d.to_string())
}

fn conversion_error(idx: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        format!("stored {what} {text:?} cannot be read").into(),
    )
}

/// The text at `idx`, borrowed from the row (`None` for NULL): read as a
/// time, a date or a word, it needs no copy of its own.
pub fn opt_text_at<'r>(row: &'r Row, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(idx)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn text_at<'r>(row: &'r Row, idx: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(idx)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

pub fn get_ts(row: &Row, idx: usize) -> rusqlite::Result<Timestamp> {
    let text = text_at(row, idx)?;
    text.parse()
        .map_err(|_| conversion_error(idx, "time", text))
}

pub fn get_opt_ts(row: &Row, idx: usize) -> rusqlite::Result<Option<Timestamp>> {
    match opt_text_at(row, idx)? {
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| conversion_error(idx, "time", text)),
        None => Ok(None),
    }
}

pub fn get_date(row: &Row, idx: usize) -> rusqlite::Result<Date> {
    let text = text_at(row, idx)?;
    text.parse()
        .map_err(|_| conversion_error(idx, "date", text))
}

pub fn get_opt_date(row: &Row, idx: usize) -> rusqlite::Result<Option<Date>> {
    match opt_text_at(row, idx)? {
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| conversion_error(idx, "date", text)),
        None => Ok(None),
    }
}

pub fn get_choice<T: Choice>(row: &Row, idx: usize) -> rusqlite::Result<T> {
    let text = text_at(row, idx)?;
    T::parse_word(text).map_err(|_| conversion_error(idx, "value", text))
}

pub fn get_recurrence(row: &Row, idx: usize) -> rusqlite::Result<Option<Recurrence>> {
    match opt_text_at(row, idx)? {
        Some(text) => {
            Recurrence::parse(text).map_err(|_| conversion_error(idx, "recurrence", text))
        }
        None => Ok(None),
    }
}

/// `Value` of an optional text, for field diffs.
pub fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::Text(v.to_string()))
}

pub fn int(value: Option<i64>) -> Value {
    value.map_or(Value::Null, Value::Integer)
}

/// Splits the unit-separator-joined tag list from `group_concat`.
pub fn split_tags(joined: Option<String>) -> Vec<String> {
    let mut tags: Vec<String> = joined
        .map(|j| j.split('\u{1f}').map(str::to_string).collect())
        .unwrap_or_default();
    tags.sort_by_key(|t| t.to_lowercase());
    tags
}
