//! vCard 4.0 (RFC 6350) for export: one card per live customer, with the
//! escaping and line folding the RFC asks for.

use crate::domain::{Customer, CustomerKind};

/// A UID that stays the same for a customer across exports and edits: the
/// customer's id in a UUID's shape (version 4 bits set, so readers accept it).
pub fn uid(id: i64) -> String {
    format!("urn:uuid:00000000-0000-4000-8000-{:012x}", id.max(0))
}

/// Escapes a text value: backslash, comma, semicolon and line breaks.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (CRLF + space), never inside a UTF-8
/// character, and ends it with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        // Continuation lines start with a space, which counts toward their 75.
        if used + size > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += size;
    }
    out.push_str("\r\n");
    out
}

pub fn card(c: &Customer) -> String {
    let mut lines: Vec<String> = vec!["BEGIN:VCARD".into(), "VERSION:4.0".into()];
    // A card imported from another address book keeps the UID it came with.
    let kept_uid = c.extra.get("UID").and_then(|u| u.first());
    lines.push(format!(
        "UID:{}",
        kept_uid.map_or_else(|| uid(c.id), |u| escape(u))
    ));
    if c.kind == CustomerKind::Organization {
        lines.push("KIND:org".into());
    }
    lines.push(format!("FN:{}", escape(&c.name)));
    match c.kind {
        CustomerKind::Person => {
            // "Jane van Doe": the last word as family name, the rest as given names.
            let (given, family) = c.name.rsplit_once(' ').unwrap_or(("", c.name.as_str()));
            lines.push(format!("N:{};{};;;", escape(family), escape(given)));
            if let Some(org) = &c.organization {
                lines.push(format!("ORG:{}", escape(org)));
            }
        }
        CustomerKind::Organization => lines.push(format!("ORG:{}", escape(&c.name))),
    }
    let mut add = |property: &str, value: &Option<String>| {
        if let Some(v) = value {
            lines.push(format!("{property}:{}", escape(v)));
        }
    };
    add("EMAIL", &c.email);
    add("TEL", &c.phone);
    add("TITLE", &c.title);
    add("NOTE", &c.notes);
    for (property, values) in c.extra.iter().filter(|(p, _)| *p != "UID") {
        // ADR and NICKNAME were kept as read, escapes and all: their `;` and
        // `,` are structure. Everything else is plain text.
        let raw = matches!(property.as_str(), "ADR" | "NICKNAME");
        for value in values {
            let value = if raw { value.clone() } else { escape(value) };
            lines.push(format!("{property}:{value}"));
        }
    }
    if !c.tags.is_empty() {
        let tags: Vec<String> = c.tags.iter().map(|t| escape(t)).collect();
        lines.push(format!("CATEGORIES:{}", tags.join(",")));
    }
    lines.push(format!("REV:{}", c.updated_at.strftime("%Y%m%dT%H%M%SZ")));
    lines.push("END:VCARD".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_four_specials() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let long = format!("NOTE:{}", "é".repeat(60));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
        assert_eq!(fold("FN:Jane"), "FN:Jane\r\n");
    }

    #[test]
    fn uid_is_stable_and_uuid_shaped() {
        assert_eq!(uid(42), "urn:uuid:00000000-0000-4000-8000-00000000002a");
        assert_eq!(uid(42), uid(42));
    }
}
