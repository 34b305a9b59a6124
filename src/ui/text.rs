//! Text from the DB or an imported file is untrusted: before it reaches a
//! terminal, control characters, escape sequences and bidi overrides are made
//! inert, and widths are measured in terminal columns (CJK and emoji are two).

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Characters that reorder or hide text: bidi marks, embeddings, overrides
/// and isolates, and zero-width characters (the word joiner and invisible
/// operators too) that can disguise a name. `--json` escapes the same set.
pub fn is_invisible_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

/// One line of text, safe to print: C0/C1 controls (ESC included, so no CSI or
/// OSC sequence can start) are shown as visible symbols, newlines and tabs
/// become spaces, bidi and zero-width controls are dropped.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .all(|c| !c.is_control() && !is_invisible_control(c))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_invisible_control(c) => {}
            c if c.is_control() => out.push(control_picture(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Several lines (notes, bodies): like `sanitize_line` but keeps line breaks
/// and expands tabs to spaces.
pub fn sanitize_block(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split('\n')
        .map(|line| sanitize_line(&line.replace('\t', "    ")).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// U+2400.. "control pictures" for C0 (␛ for ESC), U+FFFD for DEL and C1.
fn control_picture(c: char) -> char {
    let code = c as u32;
    if code < 0x20 {
        char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')
    } else {
        '\u{FFFD}'
    }
}

/// Columns `text` takes in a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts `text` to at most `max` columns, ending with "…" when cut; never splits
/// a wide character across the limit.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `text` cut or padded with spaces to exactly `columns` columns.
/// The longest start of `text` that fits `columns` (at least one character,
/// so a caller cutting a long word always moves on).
pub fn truncate_exact(text: &str, columns: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > columns && !out.is_empty() {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

pub fn fit(text: &str, columns: usize) -> String {
    let cut = truncate(text, columns);
    let pad = columns.saturating_sub(width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// `text` cut or padded to exactly `columns` columns like `fit`, but a cut
/// falls after a whole word when one ends in the last third of the room:
/// "Invoices export…" rather than "Invoices export ti…".
pub fn fit_words(text: &str, columns: usize) -> String {
    if width(text) <= columns || columns < 6 {
        return fit(text, columns);
    }
    let head = truncate_exact(text, columns - 1);
    let whole_words = text[head.len()..].starts_with(' ');
    let cut = match head.rfind(' ') {
        _ if whole_words => head.trim_end(),
        Some(at) if width(&head[..at]) * 3 >= (columns - 1) * 2 => head[..at].trim_end(),
        _ => head.as_str(),
    };
    fit(&format!("{cut}…"), columns)
}

/// `text` broken at spaces into lines of at most `columns` display columns
/// (a word longer than that is cut), for messages that must be read whole.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = width(&line) + usize::from(!line.is_empty()) + width(word);
        if !line.is_empty() && needed > columns {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while width(&line) > columns {
            let head = truncate_exact(&line, columns);
            let rest = line[head.len()..].to_string();
            lines.push(head);
            line = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_inert() {
        let hostile = "Evil\u{1b}[2J\u{1b}]0;owned\u{7}Corp\u{9b}31m";
        let clean = sanitize_line(hostile);
        assert!(!clean.chars().any(|c| c.is_control()), "{clean:?}");
        assert_eq!(clean, "Evil␛[2J␛]0;owned␇Corp\u{FFFD}31m");
    }

    #[test]
    fn bidi_overrides_are_dropped() {
        assert_eq!(sanitize_line("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(sanitize_line("a\u{2066}b\u{2069}c\u{200B}"), "abc");
        assert_eq!(
            sanitize_line("w\u{2060}o\u{FEFF}r\u{200E}d\u{061C}"),
            "word"
        );
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize_line("Zoë 王芳 🎉"), Cow::Borrowed(_)));
    }

    #[test]
    fn blocks_keep_lines() {
        assert_eq!(sanitize_block("a\r\nb\tc\u{1b}"), "a\nb    c␛");
    }

    #[test]
    fn widths_count_columns() {
        assert_eq!(width("王芳"), 4);
        assert_eq!(truncate("王芳王芳", 5), "王芳…");
        assert_eq!(fit("王芳", 6), "王芳  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(width(&fit("🎉🎉🎉", 5)), 5);
    }

    #[test]
    fn cuts_fall_between_words_when_one_ends_near_the_edge() {
        assert_eq!(
            fit_words("Invoices export times out", 18),
            "Invoices export…  "
        );
        assert_eq!(fit_words("Supercalifragilistic", 10), "Supercali…");
        assert_eq!(fit_words("short", 8), "short   ");
        assert_eq!(
            fit_words("SSO login loops back to", 21),
            "SSO login loops back…"
        );
        assert_eq!(width(&fit_words("王芳 王芳王芳王芳", 9)), 9);
    }
}
