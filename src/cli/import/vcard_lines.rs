//! The line layer of vCard files: logical lines (folding and
//! quoted-printable soft breaks joined) and their properties, with escapes,
//! parameters and charsets. What a card means is `from_vcard`'s business.

use std::borrow::Cow;
use std::io::BufRead;

/// A logical line longer than this is refused rather than held in memory
/// (a 16 MB note fits; a file without line breaks does not).
const MAX_LINE: usize = 32 * 1024 * 1024;

/// One property of a card: name (upper case, group removed), parameters, raw value.
pub(super) struct Property {
    pub(super) name: String,
    pub(super) params: Vec<(String, String)>,
    pub(super) value: String,
}

impl Property {
    pub(super) fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// PREF, TYPE=pref or PREF=1 (any case) marks the preferred value.
    pub(super) fn preferred(&self) -> bool {
        self.params.iter().any(|(k, v)| {
            let v = v.to_ascii_lowercase();
            (k == "PREF" && (v.is_empty() || v == "1"))
                || (k == "TYPE" && v.split(',').any(|t| t == "pref"))
        })
    }

    /// The value as text: quoted-printable decoded in its charset.
    pub(super) fn text(&self) -> Cow<'_, str> {
        let qp = self
            .param("ENCODING")
            .is_some_and(|e| e.eq_ignore_ascii_case("quoted-printable"));
        if !qp {
            // Borrowed: most values are read as they are, once.
            return Cow::Borrowed(&self.value);
        }
        let bytes = decode_quoted_printable(&self.value);
        let charset = self.param("CHARSET").unwrap_or("utf-8");
        let encoding =
            encoding_rs::Encoding::for_label(charset.as_bytes()).unwrap_or(encoding_rs::UTF_8);
        Cow::Owned(encoding.decode(&bytes).0.into_owned())
    }
}

fn decode_quoted_printable(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Undoes vCard escapes: \n, \N, \, \; \\.
pub(super) fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Splits at unescaped `sep`.
pub(super) fn split_unescaped(value: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            if let Some(p) = parts.last_mut() {
                p.push('\\');
                p.push(c);
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(String::new());
        } else if let Some(p) = parts.last_mut() {
            p.push(c);
        }
    }
    parts.into_iter().map(|p| unescape(p.trim())).collect()
}

/// Logical lines with the number of the physical line each starts on:
/// folded lines (a leading space or tab) and quoted-printable soft breaks
/// (a trailing `=`) joined. Reads one physical line ahead.
pub(super) struct Lines<R> {
    input: R,
    /// The physical line read ahead, and its number.
    ahead: Option<(usize, String)>,
    number: usize,
}

impl<R: BufRead> Lines<R> {
    pub(super) fn new(input: R) -> Self {
        Lines {
            input,
            ahead: None,
            number: 0,
        }
    }

    fn physical(&mut self) -> Result<Option<(usize, String)>, String> {
        if let Some(line) = self.ahead.take() {
            return Ok(Some(line));
        }
        let mut bytes = Vec::new();
        let read = std::io::Read::take(&mut self.input, MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut bytes)
            // A decoding error knows its byte offset, not its line (the
            // decoder reads ahead).
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if bytes.len() > MAX_LINE {
            return Err(format!(
                "line {}: longer than {} MB",
                self.number,
                MAX_LINE / 1024 / 1024
            ));
        }
        // The decoder gives UTF-8, and a line ends at a '\n', never inside a character.
        let mut line =
            String::from_utf8(bytes).map_err(|e| format!("line {}: {e}", self.number))?;
        let end = line.trim_end_matches(['\r', '\n']).len();
        line.truncate(end);
        Ok(Some((self.number, line)))
    }

    pub(super) fn next_logical(&mut self) -> Result<Option<(usize, String)>, String> {
        let Some((start, mut line)) = self.physical()? else {
            return Ok(None);
        };
        while let Some((number, next)) = self.physical()? {
            let soft_break =
                line.ends_with('=') && line.to_ascii_uppercase().contains("QUOTED-PRINTABLE");
            if let Some(rest) = next.strip_prefix([' ', '\t']) {
                line.push_str(rest);
            } else if soft_break {
                line.pop();
                line.push_str(&next);
            } else {
                self.ahead = Some((number, next));
                break;
            }
            if line.len() > MAX_LINE {
                return Err(format!(
                    "line {start}: longer than {} MB",
                    MAX_LINE / 1024 / 1024
                ));
            }
        }
        Ok(Some((start, line)))
    }
}

pub(super) fn parse_property(line: &str) -> Option<Property> {
    // The value starts after the first ':' outside a quoted parameter.
    let mut quoted = false;
    let colon = line
        .char_indices()
        .find(|(_, c)| {
            if *c == '"' {
                quoted = !quoted;
            }
            *c == ':' && !quoted
        })?
        .0;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts
        .next()?
        .rsplit('.')
        .next()?
        .trim()
        .to_ascii_uppercase();
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (
                k.trim().to_ascii_uppercase(),
                v.trim_matches('"').to_string(),
            ),
            // vCard 2.1 writes bare types: TEL;CELL;PREF:...
            None => {
                let bare = p.trim().to_ascii_uppercase();
                if bare == "PREF" || bare == "QUOTED-PRINTABLE" {
                    (
                        if bare == "PREF" {
                            "PREF".into()
                        } else {
                            "ENCODING".into()
                        },
                        if bare == "PREF" { String::new() } else { bare },
                    )
                } else {
                    ("TYPE".into(), bare.to_ascii_lowercase())
                }
            }
        })
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_string(),
    })
}
