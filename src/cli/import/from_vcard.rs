//! Contacts from vCard 2.1, 3.0 and 4.0 files as phones and address books
//! write them: folded lines, CRLF or LF, escapes, `item1.` groups, several
//! EMAIL/TEL with a preferred one, QUOTED-PRINTABLE in any charset.

use std::io::BufRead;

use super::vcard_lines::{Lines, Property, parse_property, split_unescaped, unescape};
use super::{Entry, Row};
use crate::domain::{CustomerDraft, CustomerKind};

/// The cards of a vCard file, read one at a time. A broken card (BEGIN and
/// no END, a line that is no property) or text outside cards is an
/// `Entry::Invalid` naming its line, and reading goes on at the next card;
/// only a file that cannot be read as text ends the cards with an `Err`.
pub struct Cards<R> {
    lines: Lines<R>,
    /// A BEGIN:VCARD seen while closing the card before it.
    begun: Option<usize>,
    /// After text outside any card: lines up to the next card are skipped.
    outside: bool,
    failed: bool,
}

impl<R: BufRead> Cards<R> {
    pub fn new(input: R) -> Self {
        Cards {
            lines: Lines::new(input),
            begun: None,
            outside: false,
            failed: false,
        }
    }

    fn next_card(&mut self) -> Result<Option<Entry>, String> {
        let invalid = |line: usize, reason: String| Entry::Invalid {
            at: format!("line {line}"),
            reason,
        };
        let mut card: Option<(usize, Vec<Property>)> = self.begun.take().map(|at| (at, Vec::new()));
        // Why the open card cannot be a contact (its first bad line).
        let mut broken: Option<String> = None;
        while let Some((line_no, line)) = self.lines.next_logical()? {
            // A BOM of a second file in a folder, or one the decoder left.
            let line = line.trim_start_matches('\u{feff}');
            if line.trim().is_empty() {
                continue;
            }
            // Compared in place: an uppercased copy of every line was a
            // good part of reading a big file.
            let bare = line.trim();
            if bare.eq_ignore_ascii_case("BEGIN:VCARD") {
                if let Some((start, _)) = card {
                    self.begun = Some(line_no);
                    return Ok(Some(invalid(
                        start,
                        format!(
                            "a card begins and does not end (BEGIN:VCARD again at line {line_no})"
                        ),
                    )));
                }
                card = Some((line_no, Vec::new()));
                self.outside = false;
                continue;
            }
            if bare.eq_ignore_ascii_case("END:VCARD") {
                let Some((start, properties)) = card.take() else {
                    return Ok(Some(invalid(
                        line_no,
                        "END:VCARD without BEGIN:VCARD".into(),
                    )));
                };
                return Ok(Some(match broken {
                    Some(reason) => invalid(start, reason),
                    None => entry_of(start, &properties),
                }));
            }
            match (&mut card, parse_property(line)) {
                (None, _) if self.outside => {}
                (None, _) => {
                    self.outside = true;
                    let reason = format!("text outside a card: {:?}", shorten(line));
                    return Ok(Some(invalid(line_no, reason)));
                }
                (Some(_), _) if broken.is_some() => {}
                (Some(_), None) => {
                    broken = Some(format!(
                        "line {line_no} is not a vCard property: {:?}",
                        shorten(line)
                    ));
                }
                // Pictures and sounds are not kept: dropped at once, not held.
                (Some(_), Some(p)) if SKIPPED.contains(&p.name.as_str()) => {}
                (Some((_, properties)), Some(p)) => properties.push(p),
            }
        }
        Ok(card.map(|(start, _)| {
            invalid(
                start,
                "a card begins and does not end (the file is cut off?)".into(),
            )
        }))
    }
}

impl<R: BufRead> Iterator for Cards<R> {
    type Item = Result<Entry, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_card().transpose();
        self.failed = matches!(next, Some(Err(_)));
        next
    }
}

const SKIPPED: &[&str] = &["PHOTO", "LOGO", "SOUND", "KEY"];

/// A card that starts at line `start`: a group, a contact, or invalid.
fn entry_of(start: usize, properties: &[Property]) -> Entry {
    let line = start as u64;
    if let Some((name, members)) = group_of(properties) {
        return Entry::Group { name, members };
    }
    match row_of(properties) {
        Ok(mut row) => {
            row.line = line;
            row.card_uid = properties
                .iter()
                .find(|p| p.name == "UID")
                .map(|p| member_key(&p.value))
                .filter(|u| !u.is_empty());
            Entry::Contact(Box::new(row))
        }
        Err(reason) => Entry::Invalid {
            at: format!("line {line}"),
            reason,
        },
    }
}

fn shorten(line: &str) -> String {
    line.chars().take(40).collect()
}

/// How a UID and a MEMBER reference compare: without "urn:uuid:", any case.
fn member_key(value: &str) -> String {
    let value = value.trim().to_ascii_lowercase();
    value
        .strip_prefix("urn:uuid:")
        .map(str::to_string)
        .unwrap_or(value)
}

/// A group card (`KIND:group`, or Apple's `X-ADDRESSBOOKSERVER-KIND:group`):
/// its name and its members' UIDs. Not a customer.
fn group_of(properties: &[Property]) -> Option<(String, Vec<String>)> {
    let kind = properties
        .iter()
        .find(|p| p.name == "KIND" || p.name == "X-ADDRESSBOOKSERVER-KIND")?;
    if !kind.value.trim().eq_ignore_ascii_case("group") {
        return None;
    }
    // A group without a name is still not a customer; it tags nobody.
    let name = properties
        .iter()
        .find(|p| p.name == "FN")
        .map(|p| unescape(p.text().trim()))
        .unwrap_or_default();
    let members = properties
        .iter()
        .filter(|p| p.name == "MEMBER" || p.name == "X-ADDRESSBOOKSERVER-MEMBER")
        .map(|p| member_key(&p.value))
        .collect();
    Some((name, members))
}

/// A TEL value as a number: a `tel:` URI loses its scheme and parameters,
/// except an extension (`tel:+1-418-555-1212;ext=102` → "+1-418-555-1212 ext 102").
fn phone_number(value: String) -> String {
    let Some(uri) = value.strip_prefix("tel:") else {
        return value;
    };
    let mut parts = uri.split(';');
    let number = parts.next().unwrap_or_default().to_string();
    let extension = parts.find_map(|p| {
        p.split_once('=')
            .filter(|(k, _)| k.eq_ignore_ascii_case("ext"))
            .map(|(_, v)| v.to_string())
    });
    match extension {
        Some(ext) => format!("{number} ext {ext}"),
        None => number,
    }
}

/// Our own UID, "urn:uuid:00000000-0000-4000-8000-<id in hex>", back to the id.
fn our_id(uid: &str) -> Option<i64> {
    let hex = uid.strip_prefix("urn:uuid:00000000-0000-4000-8000-")?;
    i64::from_str_radix(hex, 16).ok()
}

fn row_of(properties: &[Property]) -> Result<Row, String> {
    fn all<'p>(
        properties: &'p [Property],
        name: &'static str,
    ) -> impl Iterator<Item = &'p Property> {
        properties.iter().filter(move |p| p.name == name)
    }
    let all = |name: &'static str| all(properties, name);
    // An empty property says nothing: SyncML phones write `EMAIL;INTERNET:`
    // before the filled one, which must then be the value.
    let first = |name: &'static str| {
        all(name)
            .map(|p| unescape(p.text().trim()))
            .find(|v| !v.is_empty())
    };
    let kind = first("KIND")
        .or_else(|| first("X-ADDRESSBOOKSERVER-KIND"))
        .map(|k| k.to_ascii_lowercase());
    // The preferred filled value, else the first filled one (an empty one,
    // even marked preferred, is passed over as in `first`).
    let best = |name: &'static str| {
        let mut values: Vec<(bool, String)> = all(name)
            .map(|p| (p.preferred(), phone_number(unescape(p.text().trim()))))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        // Stable: among equals the card's order stands.
        values.sort_by_key(|(preferred, _)| !preferred);
        values.into_iter().next().map(|(_, v)| v)
    };
    let org_parts = all("ORG")
        .next()
        .map(|p| split_unescaped(&p.text(), ';'))
        .unwrap_or_default();
    let organization = org_parts.first().filter(|o| !o.is_empty()).cloned();
    let departments: Vec<String> = org_parts
        .iter()
        .skip(1)
        .filter(|d| !d.is_empty())
        .cloned()
        .collect();
    let n = all("N")
        .next()
        .map(|p| split_unescaped(&p.text(), ';'))
        .unwrap_or_default();
    let from_n = {
        let given = n.get(1).cloned().unwrap_or_default();
        let family = n.first().cloned().unwrap_or_default();
        let joined = format!("{given} {family}");
        Some(joined.trim().to_string()).filter(|s| !s.is_empty())
    };
    let email = best("EMAIL");
    let phone = best("TEL");
    let fn_name = first("FN");
    // A company card: KIND:org, Apple's X-ABShowAs:COMPANY, or a card whose
    // only name is its organization's (no person's name in N).
    let is_org = matches!(kind.as_deref(), Some("org" | "organization"))
        || first("X-ABSHOWAS").is_some_and(|v| v.eq_ignore_ascii_case("company"))
        || (from_n.is_none()
            && organization.is_some()
            && fn_name
                .as_ref()
                .is_none_or(|f| Some(f) == organization.as_ref()));
    let name = fn_name
        .or(from_n)
        .or_else(|| organization.clone())
        .or_else(|| email.clone())
        .or_else(|| phone.clone())
        .ok_or("no FN, N, ORG, EMAIL or TEL to name the contact")?;
    let mut draft = CustomerDraft::new(
        if is_org {
            CustomerKind::Organization
        } else {
            CustomerKind::Person
        },
        name,
    );
    draft.email = email;
    draft.phone = phone;
    draft.title = first("TITLE");
    let mut notes: Vec<String> = all("NOTE")
        .map(|p| unescape(p.text().trim()))
        .filter(|n| !n.is_empty())
        .collect();
    if !departments.is_empty() {
        notes.push(format!("Department: {}", departments.join(", ")));
    }
    draft.notes = (!notes.is_empty()).then(|| notes.join("\n\n"));
    for p in all("CATEGORIES") {
        for tag in split_unescaped(&p.text(), ',') {
            // Google's system labels are not tags.
            if !tag.is_empty() && !tag.starts_with('*') && tag != "myContacts" && tag != "starred" {
                draft.tags.push(tag);
            }
        }
    }
    // Known details without a field of their own are kept so an export gives
    // them back; X- and unknown properties are not. ADR (components split by
    // `;`) and NICKNAME (a list split by `,`) keep their escapes, which carry
    // that structure; the others are plain text.
    for p in properties {
        let structured = matches!(p.name.as_str(), "ADR" | "NICKNAME");
        let keep = structured
            || matches!(
                p.name.as_str(),
                "URL" | "BDAY" | "ANNIVERSARY" | "IMPP" | "ROLE"
            );
        if !keep {
            continue;
        }
        let text = p.text();
        let value = if structured {
            text.trim().to_string()
        } else {
            unescape(text.trim())
        };
        if !value.is_empty() {
            draft.extra.entry(p.name.clone()).or_default().push(value);
        }
    }
    for (name, kept) in [
        ("EMAIL", draft.email.clone()),
        ("TEL", draft.phone.clone()),
        ("TITLE", draft.title.clone()),
    ] {
        let others: Vec<String> = all(name)
            .map(|p| {
                let v = unescape(p.text().trim());
                phone_number(v)
            })
            .filter(|v| !v.is_empty() && Some(v) != kept.as_ref())
            .collect();
        if !others.is_empty() {
            draft
                .extra
                .entry(name.to_string())
                .or_default()
                .extend(others);
        }
    }
    let mut draft = draft.normalized().map_err(|e| e.to_string())?;
    let organization = if is_org { None } else { organization };
    let card_uid = first("UID");
    let uid = card_uid.as_deref().and_then(our_id);
    // Another writer's UID is kept, to find the card again and to write it back.
    if uid.is_none()
        && let Some(card_uid) = card_uid
    {
        draft.extra.insert("UID".into(), vec![card_uid]);
    }
    Ok(Row {
        line: 0,
        uid,
        card_uid: None,
        draft,
        organization,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<super::super::Collected, String> {
        super::super::collect(Cards::new(text.as_bytes()))
    }

    #[test]
    fn phone_style_cards_read() {
        let text = "\u{feff}BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\r\n=C3=BCrgen;;;\r\nTEL;CELL:+49 170 1234567\r\nTEL;WORK;PREF:+49 30 123\r\nEMAIL;HOME:j@home.example\r\nORG:Initech;Sales\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n AAAA\r\nEND:VCARD\r\n";
        let read = read(text).unwrap();
        let row = &read.rows[0];
        assert_eq!(row.draft.name, "Jürgen Müller");
        assert_eq!(
            row.draft.phone.as_deref(),
            Some("+49 30 123"),
            "the preferred number"
        );
        assert_eq!(row.organization.as_deref(), Some("Initech"));
        assert_eq!(row.draft.notes.as_deref(), Some("Department: Sales"));
    }

    #[test]
    fn empty_properties_are_passed_over() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Meyers;Kathryn\r\nFN:\r\nEMAIL;INTERNET:\r\nEMAIL;INTERNET:kathryn@acme.example\r\nTEL;CELL;PREF:\r\nTEL;WORK: \r\nTEL;HOME:+1 555 0102\r\nTITLE:\r\nEND:VCARD\r\n";
        let read = read(text).unwrap();
        let row = &read.rows[0];
        assert_eq!(
            row.draft.name, "Kathryn Meyers",
            "an empty FN does not hide N"
        );
        assert_eq!(row.draft.email.as_deref(), Some("kathryn@acme.example"));
        assert_eq!(row.draft.phone.as_deref(), Some("+1 555 0102"));
        assert_eq!(row.draft.title, None);
        assert!(
            !row.draft.extra.contains_key("EMAIL"),
            "{:?}",
            row.draft.extra
        );
        assert!(
            !row.draft.extra.contains_key("TEL"),
            "{:?}",
            row.draft.extra
        );
    }

    #[test]
    fn vcard_4_groups_escapes_and_our_uid() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:00000000-0000-4000-8000-00000000002a\nFN:Doe\\, Jane\nitem1.EMAIL;TYPE=work:jane@acme.example\nitem1.X-ABLabel:Work\nTEL;VALUE=uri:tel:+1-555-0100\nNOTE:Line one\\nLine two\nCATEGORIES:vip,myContacts,Board\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Acme\nEND:VCARD\nBEGIN:VCARD\nKIND:group\nFN:Friends\nEND:VCARD\n";
        let read = read(text).unwrap();
        assert_eq!(read.rows.len(), 2, "the group card is not a customer");
        let jane = &read.rows[0];
        assert_eq!(jane.uid, Some(42));
        assert_eq!(jane.draft.name, "Doe, Jane");
        assert_eq!(jane.draft.email.as_deref(), Some("jane@acme.example"));
        assert_eq!(jane.draft.phone.as_deref(), Some("+1-555-0100"));
        assert_eq!(jane.draft.notes.as_deref(), Some("Line one\nLine two"));
        assert_eq!(jane.draft.tags, ["vip", "Board"]);
        assert_eq!(read.rows[1].draft.kind, CustomerKind::Organization);
    }

    #[test]
    fn group_cards_name_their_members() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:AAA\nFN:Ada\nEND:VCARD\n\
                    BEGIN:VCARD\nVERSION:4.0\nUID:bbb\nFN:Bob\nEND:VCARD\n\
                    BEGIN:VCARD\nVERSION:3.0\nX-ADDRESSBOOKSERVER-KIND:group\nFN:Board\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:aaa\nEND:VCARD\n";
        let read = read(text).unwrap();
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].card_uid.as_deref(), Some("aaa"));
        assert_eq!(
            read.groups,
            [("Board".to_string(), vec!["aaa".to_string()])]
        );
    }

    #[test]
    fn broken_cards_name_their_line_and_reading_goes_on() {
        let invalid = |text: &str| read(text).unwrap().invalid;
        assert_eq!(
            invalid("BEGIN:VCARD\nFN:Cut off\n"),
            [(
                "line 1".to_string(),
                "a card begins and does not end (the file is cut off?)".to_string()
            )]
        );
        let nested = read("BEGIN:VCARD\nFN:Open\nBEGIN:VCARD\nFN:Closed\nEND:VCARD\n").unwrap();
        assert_eq!(nested.invalid[0].0, "line 1");
        assert!(nested.invalid[0].1.contains("BEGIN:VCARD again at line 3"));
        assert_eq!(nested.rows.len(), 1, "the next card is read");
        let outside = read("FN:Nobody\nmore junk\nBEGIN:VCARD\nFN:Ok\nEND:VCARD\n").unwrap();
        assert_eq!(outside.invalid.len(), 1, "one report for a run of junk");
        assert!(outside.invalid[0].1.starts_with("text outside a card"));
        assert_eq!(outside.rows.len(), 1);
        assert_eq!(invalid("END:VCARD\n")[0].1, "END:VCARD without BEGIN:VCARD");
        let bad_line = read("BEGIN:VCARD\nFN:X\nno colon here\nEND:VCARD\n").unwrap();
        assert!(
            bad_line.invalid[0]
                .1
                .starts_with("line 3 is not a vCard property")
        );
        let nameless = read("BEGIN:VCARD\nVERSION:3.0\nNOTE:who?\nEND:VCARD\n").unwrap();
        assert_eq!(nameless.invalid.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_or_refused(text in ".{0,400}") {
            let _ = read(&text);
        }

        #[test]
        fn card_shaped_text_is_read_or_refused(body in "[A-Z:;=\\\\,.a-z0-9 \\n\\r\\t-]{0,300}") {
            let _ = read(&format!("BEGIN:VCARD\n{body}\nEND:VCARD\n"));
        }
    }
}
