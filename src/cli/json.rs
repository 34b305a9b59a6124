//! JSON as we write it: serde_json's, with more characters escaped (see
//! `SafeText`) so no JSON we print can drive or deceive a terminal.

use std::io::{self, Write};

use serde::Serialize;

use super::CliError;

/// `value` as JSON text, through `SafeText`.
pub fn json_string<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    write_json(&mut bytes, value, pretty)
        .map_err(|e| CliError::runtime(format!("cannot write JSON: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CliError::runtime(format!("cannot write JSON: {e}")))
}

/// Writes `value` as JSON with every string through `SafeText`.
pub fn write_json<W: Write, T: Serialize + ?Sized>(
    out: W,
    value: &T,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        let formatter = SafeText(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
    } else {
        let formatter = SafeText(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
    }
}

/// serde_json escapes only `"`, `\` and C0 controls. JSON read in a terminal
/// or a viewer would still pass on C1 controls (CSI is U+009B) and be
/// disguised by bidi and zero-width characters, so those are written as
/// `\uXXXX` too: the same characters `sanitize_line` neutralises.
struct SafeText<F>(F);

fn needs_escape(c: char) -> bool {
    c.is_control() || crate::ui::text::is_invisible_control(c)
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeText<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Printable ASCII (most text) needs nothing: told a byte at a time.
        if fragment.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| needs_escape(c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            // Every such character is in the Basic Multilingual Plane: one \u.
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // The layout is the inner formatter's.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn hidden_and_controlling_characters_are_escaped() {
        for (c, escaped) in [
            ('\u{1b}', "\\u001b"),
            ('\u{7f}', "\\u007f"),
            ('\u{80}', "\\u0080"),
            ('\u{9b}', "\\u009b"),
            ('\u{9f}', "\\u009f"),
            ('\u{200b}', "\\u200b"),
            ('\u{200d}', "\\u200d"),
            ('\u{200e}', "\\u200e"),
            ('\u{200f}', "\\u200f"),
            ('\u{202a}', "\\u202a"),
            ('\u{202e}', "\\u202e"),
            ('\u{2060}', "\\u2060"),
            ('\u{2066}', "\\u2066"),
            ('\u{2069}', "\\u2069"),
            ('\u{061c}', "\\u061c"),
            ('\u{feff}', "\\ufeff"),
            ('\u{2028}', "\\u2028"),
        ] {
            let text = format!("a{c}b");
            let json = json_string(&text, false).unwrap();
            assert_eq!(json, format!("\"a{escaped}b\""), "{:04x}", u32::from(c));
        }
    }

    #[test]
    fn ordinary_text_is_left_as_it_is() {
        let text = "Zoë 王芳 🎉 \"quoted\" back\\slash";
        let json = json_string(&text, false).unwrap();
        assert_eq!(json, serde_json::to_string(text).unwrap());
    }

    #[test]
    fn keys_and_nesting_are_escaped_and_pretty_keeps_its_layout() {
        let value = serde_json::json!({"k\u{202e}": ["v\u{9b}", {"n": 1}]});
        let pretty = json_string(&value, true).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"k\\u202e\": [\n    \"v\\u009b\",\n    {\n      \"n\": 1\n    }\n  ]\n}"
        );
    }

    /// Mostly the characters that matter here, mixed with any others.
    fn risky_text() -> impl Strategy<Value = String> {
        let risky = prop::sample::select(vec![
            '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{200b}', '\u{200e}', '\u{202e}',
            '\u{2060}', '\u{2068}', '\u{061c}', '\u{feff}', '"', '\\', 'é', '王', '🎉',
        ]);
        let c = prop_oneof![any::<char>(), risky, prop::char::range('\u{80}', '\u{9f}')];
        prop::collection::vec(c, 0..24).prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_text_round_trips_with_nothing_dangerous_left(text in risky_text()) {
            for pretty in [false, true] {
                let json = json_string(&text, pretty).unwrap();
                prop_assert!(!json.chars().any(needs_escape), "{json:?}");
                let back: String = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &text);
            }
        }
    }
}
