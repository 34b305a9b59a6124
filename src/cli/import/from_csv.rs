//! Contacts from a CSV file: our own export, Google Contacts (current and
//! older headers) and Outlook, mapped by header name without regard to case.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use super::csv_columns::{Field, KNOWN, numbered};
use super::{Entry, Row};
use crate::cli::export::FORMULA_GUARDED;
use crate::domain::{CustomerDraft, CustomerKind, Money, Stage};

/// Our export puts `'` before a cell starting with = + - @ (against formula
/// injection) or with `'` itself; exactly that `'` comes off again. A lone
/// `'` before anything else is the text's own: "'t Hooft" from another
/// program stays as it is.
pub fn restore_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_GUARDED) => rest,
        _ => cell,
    }
}

/// Google joins several values of one field with " ::: ": the first is the main one.
fn first_value(cell: &str) -> &str {
    cell.split(" ::: ").next().unwrap_or("").trim()
}

/// Remembers the last byte that passes through, line breaks aside: a file
/// whose last field holds line breaks (so was quoted) must end with the
/// quote that closes it. When it does not, a quote opened there never
/// closed, and the `csv` crate read the rest of the file into that field.
struct Tail<R> {
    inner: R,
    last: Arc<AtomicU8>,
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(b) = buf[..n].iter().rev().find(|b| !matches!(b, b'\r' | b'\n')) {
            self.last.store(*b, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The rows of a CSV file, read one at a time.
pub struct Rows<R: Read> {
    reader: csv::Reader<Tail<R>>,
    last_byte: Arc<AtomicU8>,
    /// The line of the record just read, when its last field holds a line break.
    last_field_breaks: Option<u64>,
    record: csv::StringRecord,
    columns: Vec<Option<Field>>,
    extra_names: Vec<String>,
    /// Headers of the columns the reader does not know, and whether any
    /// row had something in them.
    unknown: Vec<Option<(String, bool)>>,
    currency: String,
    today: jiff::civil::Date,
}

impl<R: Read> Rows<R> {
    /// Reads the header row; an error when no column names a contact.
    pub fn new(input: R, currency: &str, today: jiff::civil::Date) -> Result<Self, String> {
        let last_byte = Arc::new(AtomicU8::new(0));
        let input = Tail {
            inner: input,
            last: Arc::clone(&last_byte),
        };
        let mut reader = csv::ReaderBuilder::new()
            // A row with too many or too few cells is one bad record
            // (skippable), not a broken file.
            .flexible(true)
            .from_reader(input);
        let headers = reader.headers().map_err(|e| csv_error(&e))?.clone();
        let mut columns: Vec<Option<Field>> = Vec::new();
        let mut unknown = Vec::new();
        let mut extra_names: Vec<String> = Vec::new();
        // Outlook writes the honorific as "Title" beside "Job Title"; ours has
        // only "title", the job.
        let outlook = headers
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case("job title"));
        for header in headers.iter() {
            let key = header.trim().to_ascii_lowercase();
            let field = if let Some(name) = key.strip_prefix("extra ") {
                extra_names.push(name.trim().to_ascii_uppercase());
                Some(Field::Extra(extra_names.len() - 1))
            } else if outlook && key == "title" {
                None
            } else {
                KNOWN
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, f)| *f)
                    .or_else(|| numbered(&key))
            };
            let not_known = field.is_none() && !key.is_empty();
            unknown.push(not_known.then(|| (header.trim().to_string(), false)));
            columns.push(field);
        }
        // An empty file has no header: no contacts, said as such later.
        if !headers.is_empty()
            && !columns.iter().any(|c| {
                matches!(
                    c,
                    Some(
                        Field::Name
                            | Field::First
                            | Field::Last
                            | Field::Organization
                            | Field::Email
                    )
                )
            })
        {
            return Err(
                "no column names a contact (name, first name, last name, organization, email)"
                    .into(),
            );
        }
        Ok(Rows {
            reader,
            last_byte,
            last_field_breaks: None,
            record: csv::StringRecord::new(),
            columns,
            extra_names,
            unknown,
            currency: currency.to_string(),
            today,
        })
    }

    /// Headers of the columns the reader does not know (so ignored) that
    /// had something in a row read so far. Empty columns lose nothing.
    pub fn ignored_columns(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .unknown
            .iter()
            .flatten()
            .filter(|(_, used)| *used)
            .map(|(name, _)| name.clone())
            .collect();
        names.dedup();
        names
    }

    fn note_unknown_cells(&mut self) {
        for (cell, slot) in self.record.iter().zip(&mut self.unknown) {
            // Outlook fills columns nobody set with its defaults.
            let blank = matches!(
                cell.trim(),
                "" | "0/0/00" | "Unspecified" | "Normal" | "False"
            );
            if let Some((_, used)) = slot
                && !*used
                && !blank
            {
                *used = true;
            }
        }
    }

    fn entry(&self) -> Option<Entry> {
        let line = self.record.position().map_or(0, |p| p.line());
        if self.record.len() != self.columns.len() {
            return Some(Entry::Invalid {
                at: format!("line {line}"),
                reason: format!(
                    "{} cells where the header has {} (a comma too many or too few?)",
                    self.record.len(),
                    self.columns.len()
                ),
            });
        }
        let mut cells: HashMap<Field, Vec<&str>> = HashMap::new();
        for (cell, field) in self.record.iter().zip(&self.columns) {
            let cell = restore_formula(cell.trim());
            if let Some(field) = field
                && *field != Field::Ignore
                && !cell.is_empty()
            {
                cells.entry(*field).or_default().push(cell);
            }
        }
        match row_of(&cells, &self.extra_names, &self.currency, self.today) {
            Ok(Some((draft, organization))) => {
                let uid = cells
                    .get(&Field::Uid)
                    .and_then(|v| v.first())
                    .and_then(|u| u.strip_prefix("tuicrm-"))
                    .and_then(|n| n.parse().ok());
                Some(Entry::Contact(Box::new(Row {
                    line,
                    uid,
                    card_uid: None,
                    draft,
                    organization,
                })))
            }
            Ok(None) => None,
            Err(reason) => Some(Entry::Invalid {
                at: format!("line {line}"),
                reason,
            }),
        }
    }
}

impl<R: Read> Iterator for Rows<R> {
    /// A broken file (bad quoting, a cut-off record) is an `Err` and ends the rows.
    type Item = Result<Entry, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Err(e) => return Some(Err(csv_error(&e))),
                // The last record's last field holds line breaks, so it was
                // quoted, and the file does not end with the closing quote:
                // that quote never closed and swallowed the rows after it.
                Ok(false)
                    if self.last_field_breaks.is_some()
                        && self.last_byte.load(Ordering::Relaxed) != b'"' =>
                {
                    let line = self.last_field_breaks.take().unwrap_or(0);
                    return Some(Err(format!(
                        "line {line}: a quoted field never closes (it runs to the end of the file)"
                    )));
                }
                Ok(false) => return None,
                Ok(true) => {
                    self.note_unknown_cells();
                    self.last_field_breaks = self
                        .record
                        .iter()
                        .next_back()
                        .is_some_and(|f| f.contains('\n'))
                        .then(|| self.record.position().map_or(0, |p| p.line()));
                    if let Some(entry) = self.entry() {
                        return Some(Ok(entry));
                    }
                }
            }
        }
    }
}

fn csv_error(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("line {}: {e}", p.line()),
        None => e.to_string(),
    }
}

type Cells<'a> = HashMap<Field, Vec<&'a str>>;

/// What does not fit a field is kept as a vCard would keep it: the other
/// emails and phones (Google joins several with " ::: "), birthday, website,
/// nickname, addresses as ADR.
fn keep_the_rest(cells: &Cells, draft: &mut CustomerDraft) {
    let main = [draft.email.clone(), draft.phone.clone()];
    let mut keep = |name: &str, value: &str| {
        let value = value.trim();
        // Outlook writes 0/0/00 for a date it does not have.
        if value.is_empty() || value == "0/0/00" || main.iter().flatten().any(|m| m == value) {
            return;
        }
        let list = draft.extra.entry(name.to_string()).or_default();
        if !list.iter().any(|v| v == value) {
            list.push(value.to_string());
        }
    };
    let values = |field: Field| {
        cells
            .get(&field)
            .into_iter()
            .flatten()
            .flat_map(|cell| cell.split(" ::: "))
    };
    for (field, name) in [(Field::Email, "EMAIL"), (Field::Phone, "TEL")] {
        for value in values(field) {
            keep(name, value);
        }
    }
    let mut kept: Vec<&'static str> = cells
        .keys()
        .filter_map(|f| match f {
            Field::Keep(name) => Some(*name),
            _ => None,
        })
        .collect();
    kept.sort_unstable();
    for name in kept {
        for value in values(Field::Keep(name)) {
            keep(name, value);
        }
    }
    let mut addresses: Vec<u8> = cells
        .keys()
        .filter_map(|f| match f {
            Field::Address(n, _) => Some(*n),
            _ => None,
        })
        .collect();
    addresses.sort_unstable();
    addresses.dedup();
    for n in addresses {
        let parts: Vec<String> = (0..7)
            .map(|part| {
                let lines: Vec<String> = values(Field::Address(n, part))
                    .map(|v| crate::cli::vcard::escape(v.trim()))
                    .collect();
                lines.join("\\, ")
            })
            .collect();
        if parts.iter().any(|p| !p.is_empty()) {
            keep("ADR", &parts.join(";"));
        }
    }
}

/// A contact from one row, or None for a row with nothing in it.
fn row_of(
    cells: &Cells,
    extra_names: &[String],
    currency: &str,
    today: jiff::civil::Date,
) -> Result<Option<(CustomerDraft, Option<String>)>, String> {
    let one = |f: Field| {
        cells
            .get(&f)
            .and_then(|v| v.first())
            // Outlook's notes break lines with CRLF.
            .map(|c| first_value(c).replace("\r\n", "\n"))
            .filter(|c| !c.is_empty())
    };
    if cells.is_empty() {
        return Ok(None);
    }
    let parts: Vec<String> = [Field::First, Field::Middle, Field::Last]
        .into_iter()
        .filter_map(one)
        .collect();
    let kind = match one(Field::Kind) {
        Some(k) => CustomerKind::parse(&k).map_err(|e| e.to_string())?,
        None => CustomerKind::Person,
    };
    let organization = one(Field::Organization);
    let personal = one(Field::Name).or_else(|| (!parts.is_empty()).then(|| parts.join(" ")));
    // A row whose only name is a company's is that company, not a person
    // named like it.
    let kind = match (one(Field::Kind), &personal, &organization) {
        (None, None, Some(_)) => CustomerKind::Organization,
        _ => kind,
    };
    // A card with no usable name takes, in turn, the name parts, the
    // organization, the email, the phone.
    let name = personal
        .or_else(|| organization.clone())
        .or_else(|| one(Field::Email))
        .or_else(|| one(Field::Phone))
        .ok_or("no name, organization, email or phone")?;
    let mut draft = CustomerDraft::new(kind, name);
    draft.email = one(Field::Email);
    draft.phone = one(Field::Phone);
    draft.title = one(Field::Title);
    draft.segment = one(Field::Segment);
    draft.owner = one(Field::Owner);
    draft.notes = one(Field::Notes);
    draft.tags = one(Field::Tags)
        .map(|t| t.split(';').map(str::to_string).collect())
        .unwrap_or_default();
    // Outlook's categories.
    if let Some(categories) = one(Field::Categories) {
        draft
            .tags
            .extend(categories.split([';', ',']).map(|c| c.trim().to_string()));
    }
    if let Some(department) = one(Field::Department) {
        let notes = draft
            .notes
            .take()
            .map(|n| format!("{n}\n\n"))
            .unwrap_or_default();
        draft.notes = Some(format!("{notes}Department: {department}"));
    }
    if let Some(labels) = cells.get(&Field::Labels).and_then(|v| v.first()) {
        // Google's own labels ("* myContacts", "* starred") are not tags.
        draft.tags.extend(
            labels
                .split(" ::: ")
                .map(str::trim)
                .filter(|l| !l.starts_with('*') && !l.is_empty())
                .map(String::from),
        );
    }
    if let Some(stage) = one(Field::Stage) {
        draft.stage = Stage::parse(&stage).map_err(|e| e.to_string())?;
    }
    if let Some(date) = one(Field::Renewal) {
        draft.renewal_on = Some(
            crate::domain::time::parse_date("renewal_on", &date, today)
                .map_err(|e| e.to_string())?,
        );
    }
    if let Some(value) = one(Field::Value) {
        draft.contract_value = Some(Money::parse(&value, currency).map_err(|e| e.to_string())?);
    }
    for (field, values) in cells {
        if let Field::Extra(index) = field
            && let Some(name) = extra_names.get(*index)
        {
            let list: Vec<String> = values
                .iter()
                .flat_map(|v| v.split(" ::: "))
                .map(|v| v.trim().to_string())
                .collect();
            draft.extra.insert(name.clone(), list);
        }
    }
    keep_the_rest(cells, &mut draft);
    let draft = draft.normalized().map_err(|e| e.to_string())?;
    // An organization's own row is the organization; a person's names it.
    let organization = if draft.kind == CustomerKind::Organization {
        None
    } else {
        organization
    };
    Ok(Some((draft, organization)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    struct Read {
        rows: Vec<Row>,
        invalid: Vec<(String, String)>,
        unknown_columns: Vec<String>,
    }

    fn read(text: &str, currency: &str, today: jiff::civil::Date) -> Result<Read, String> {
        let rows = Rows::new(text.as_bytes(), currency, today)?;
        let mut rows = rows;
        let collected = super::super::collect(&mut rows)?;
        let unknown_columns = rows.ignored_columns();
        Ok(Read {
            rows: collected.rows,
            invalid: collected.invalid,
            unknown_columns,
        })
    }

    #[test]
    fn formula_quote_comes_off_only_before_formula_characters() {
        assert_eq!(restore_formula("'=1+1"), "=1+1");
        assert_eq!(restore_formula("'+44 20"), "+44 20");
        assert_eq!(restore_formula("'t Hooft"), "'t Hooft");
        assert_eq!(restore_formula("''t Hooft"), "'t Hooft");
        assert_eq!(restore_formula("''=quoted"), "'=quoted");
        assert_eq!(restore_formula("plain"), "plain");
    }

    #[test]
    fn google_and_outlook_headers_map() {
        let google = "\u{feff}First Name,Middle Name,Last Name,Organization Name,Organization Title,Labels,E-mail 1 - Value,Phone 1 - Value,Nickname\n\
                      Jane,Q,Doe,Acme,CTO,* myContacts ::: VIP,jane@acme.example ::: j@home.example,+1 555 0100,JD\n";
        let read = read(
            google.trim_start_matches('\u{feff}'),
            "USD",
            date(2026, 11, 25),
        )
        .unwrap();
        assert!(
            read.unknown_columns.is_empty(),
            "{:?}",
            read.unknown_columns
        );
        let row = &read.rows[0];
        assert_eq!(row.draft.extra["NICKNAME"], ["JD"]);
        assert_eq!(row.draft.extra["EMAIL"], ["j@home.example"]);
        assert_eq!(row.draft.name, "Jane Q Doe");
        assert_eq!(row.draft.email.as_deref(), Some("jane@acme.example"));
        assert_eq!(row.draft.title.as_deref(), Some("CTO"));
        assert_eq!(row.draft.tags, ["VIP"]);
        assert_eq!(row.organization.as_deref(), Some("Acme"));
        let outlook = "First Name,Last Name,Title,E-mail Address,Mobile Phone,Company,Job Title\nJohn,Smith,Mr.,john@x.example,555 0199,Initech,Engineer\n";
        let read = self::read(outlook, "USD", date(2026, 11, 25)).unwrap();
        assert_eq!(read.unknown_columns, ["Title"]);
        assert_eq!(read.rows[0].draft.title.as_deref(), Some("Engineer"));
        assert_eq!(read.rows[0].organization.as_deref(), Some("Initech"));
    }

    proptest::proptest! {
        /// Any text gives rows or an error, never a panic.
        #[test]
        fn any_text_is_read_or_refused(text in ".{0,400}") {
            let _ = read(&text, "USD", date(2026, 11, 25));
        }

        /// Also for text shaped like CSV: quotes, commas, line breaks, our headers.
        #[test]
        fn csv_shaped_text_is_read_or_refused(body in "[a-z\",;'=@+ \n\r-]{0,300}") {
            let text = format!("name,email,tags,stage,renewal_on,contract_value\n{body}");
            let _ = read(&text, "USD", date(2026, 11, 25));
        }
    }

    #[test]
    fn a_huge_field_is_refused_with_a_reason() {
        let text = format!("name,notes\nBig,{}\n", "x".repeat(16 * 1024 * 1024));
        let read = read(&text, "USD", date(2026, 11, 25)).unwrap();
        assert!(read.rows.is_empty());
        assert!(
            read.invalid[0].1.starts_with("notes must be at most"),
            "{:?}",
            read.invalid[0].1
        );
    }

    #[test]
    fn rows_of_the_wrong_width_are_invalid_not_fatal() {
        let text = "name,email,phone\nAda,ada@x.example,555 0101\nDoe, Jane,jane@x.example,555 0102\nBob,bob@x.example\nCy,cy@x.example,555 0104\n";
        let read = read(text, "USD", date(2026, 11, 25)).unwrap();
        let names: Vec<_> = read.rows.iter().map(|r| r.draft.name.clone()).collect();
        assert_eq!(names, ["Ada", "Cy"]);
        assert_eq!(read.invalid.len(), 2);
        assert_eq!(read.invalid[0].0, "line 3");
        assert!(
            read.invalid[0]
                .1
                .starts_with("4 cells where the header has 3")
        );
    }

    #[test]
    fn a_literal_quote_is_not_an_unclosed_one() {
        let text = "name,email,notes\nBob 5\" Floppy,bob@x.example,\"first line\nsecond line\"\n";
        let read = read(text, "USD", date(2026, 11, 25)).unwrap();
        assert_eq!(read.rows.len(), 1);
        assert_eq!(
            read.rows[0].draft.notes.as_deref(),
            Some("first line\nsecond line")
        );
        let unclosed = "name,notes\nAda,\"open\nBob,x\n";
        assert!(read_err(unclosed).contains("never closes"));
    }

    fn read_err(text: &str) -> String {
        match read(text, "USD", date(2026, 11, 25)) {
            Ok(_) => String::new(),
            Err(e) => e,
        }
    }

    #[test]
    fn nameless_rows_fall_back_and_empty_ones_are_invalid() {
        let text = "Email,Phone,Company\nsolo@x.example,,\n,,Big Co\n,,\n";
        let read = read(text, "USD", date(2026, 11, 25)).unwrap();
        let names: Vec<_> = read.rows.iter().map(|r| r.draft.name.clone()).collect();
        assert_eq!(names, ["solo@x.example", "Big Co"]);
        assert!(read.invalid.is_empty(), "an empty row is skipped silently");
    }
}
