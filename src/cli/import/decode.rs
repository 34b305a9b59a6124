//! A file read as UTF-8 text a piece at a time, whatever its character set:
//! memory stays the size of a buffer, not of the file.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_8};

use crate::cli::CliError;

const CHUNK: usize = 64 * 1024;

/// UTF-8 text decoded from `inner`. Bytes that are not valid in the
/// encoding end the reading with an error naming their offset.
pub struct Decoded<R> {
    inner: R,
    decoder: Decoder,
    /// Without `--encoding`: the error suggests Windows-1252.
    guessed_utf8: bool,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    /// Bytes of the file decoded so far, for error offsets.
    consumed: u64,
    output: Vec<u8>,
    output_start: usize,
    done: bool,
}

impl<R: Read> Decoded<R> {
    fn new(inner: R, decoder: Decoder, guessed_utf8: bool) -> Self {
        Decoded {
            inner,
            decoder,
            guessed_utf8,
            input: vec![0; CHUNK],
            input_start: 0,
            input_end: 0,
            consumed: 0,
            output: Vec::with_capacity(CHUNK * 3 + 16),
            output_start: 0,
            done: false,
        }
    }

    /// Decodes the next piece into `output`; false at the end of the file.
    fn fill(&mut self) -> io::Result<bool> {
        self.output.clear();
        self.output_start = 0;
        while self.output.is_empty() {
            if self.done {
                return Ok(false);
            }
            if self.input_start == self.input_end {
                self.input_start = 0;
                self.input_end = loop {
                    match self.inner.read(&mut self.input) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        other => break other?,
                    }
                };
            }
            let last = self.input_end == 0;
            let src = &self.input[self.input_start..self.input_end];
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(CHUNK * 3)
                .max(16);
            self.output.resize(room, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut self.output, last);
            self.output.truncate(written);
            self.input_start += read;
            self.consumed += read as u64;
            match result {
                DecoderResult::InputEmpty if last => self.done = true,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let at = self.consumed - u64::from(bad) - u64::from(after);
                    // NUL bytes near the bad one: a picture or an archive, not text.
                    let binary = self.input[..self.input_end].contains(&0);
                    let why = if binary {
                        format!("binary data, not text (byte {at})")
                    } else {
                        self.malformed(at)
                    };
                    return Err(io::Error::new(io::ErrorKind::InvalidData, why));
                }
            }
        }
        Ok(true)
    }

    fn malformed(&self, at: u64) -> String {
        let name = self.decoder.encoding().name();
        if self.guessed_utf8 {
            format!(
                "not UTF-8 (byte {at}); Excel and Outlook often write Windows-1252: try --encoding windows-1252"
            )
        } else {
            format!("not valid {name} (byte {at})")
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output.len() && !self.fill()? {
            return Ok(0);
        }
        let available = &self.output[self.output_start..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.output_start += n;
        Ok(n)
    }
}

/// The decoder for `--encoding NAME` (UTF-8 when none), a BOM dropped.
pub fn decoder(encoding: Option<&str>) -> Result<(Decoder, bool), CliError> {
    match encoding {
        // UTF-8 unless a BOM says UTF-16 (what Windows tools often write).
        None => Ok((UTF_8.new_decoder(), true)),
        Some(label) => {
            let encoding = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown encoding {label:?} (try utf-8 or windows-1252)"
                ))
            })?;
            // A BOM, when there is one, wins over the name given.
            Ok((encoding.new_decoder(), false))
        }
    }
}

/// `path` opened as buffered UTF-8 text.
/// Text a reader thread may own (imports parse ahead of their writes).
pub type Text = Box<dyn BufRead + Send>;

pub fn open(path: &Path, encoding: Option<&str>) -> Result<Text, CliError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::runtime(format!("cannot read {}: {e}", path.display())))?;
    text(file, encoding)
}

/// Any bytes as buffered UTF-8 text.
pub fn text<R: Read + Send + 'static>(input: R, encoding: Option<&str>) -> Result<Text, CliError> {
    let (decoder, guessed) = decoder(encoding)?;
    Ok(Box::new(BufReader::with_capacity(
        CHUNK,
        Decoded::new(input, decoder, guessed),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: Option<&str>) -> io::Result<String> {
        let (decoder, guessed) = decoder(encoding).unwrap();
        let mut text = String::new();
        Decoded::new(bytes, decoder, guessed).read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn utf8_loses_its_bom_and_windows_1252_is_decoded() {
        assert_eq!(decode(b"\xef\xbb\xbfJos\xc3\xa9", None).unwrap(), "José");
        assert_eq!(
            decode(b"Ren\xe9 \x80", Some("windows-1252")).unwrap(),
            "René €"
        );
    }

    #[test]
    fn a_utf16_bom_is_followed() {
        let text: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&text, None).unwrap(), "Zoë");
    }

    #[test]
    fn bad_utf8_names_the_byte_and_the_way_out() {
        let e = decode(b"abc\xe9def", None).unwrap_err().to_string();
        assert!(e.starts_with("not UTF-8 (byte 3)"), "{e}");
        assert!(e.contains("--encoding windows-1252"), "{e}");
    }

    #[test]
    fn characters_split_across_chunks_survive() {
        let text = "ü".repeat(CHUNK);
        assert_eq!(decode(text.as_bytes(), None).unwrap(), text);
    }

    #[test]
    fn binary_files_are_called_binary() {
        let e = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("binary data, not text (byte 0)"), "{e}");
    }

    #[test]
    fn unknown_encodings_are_refused() {
        assert!(decoder(Some("klingon")).is_err());
    }
}
