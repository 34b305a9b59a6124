//! Contacts from a CSV file: our own export, Google Contacts (current and
//! older headers) and Outlook, mapped by header name without regard to case.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::rc::Rc;

use super::{Entry, Row};
use crate::domain::{CustomerDraft, CustomerKind, Money, Stage};

/// Every header we understand, lowercased, and what it fills.
const KNOWN: &[(&str, Field)] = &[
    ("uid", Field::Uid),
    ("kind", Field::Kind),
    ("name", Field::Name),
    ("organization", Field::Organization),
    ("email", Field::Email),
    ("phone", Field::Phone),
    ("title", Field::Title),
    ("segment", Field::Segment),
    ("tags", Field::Tags),
    ("stage", Field::Stage),
    ("owner", Field::Owner),
    ("renewal_on", Field::Renewal),
    ("contract_value", Field::Value),
    ("notes", Field::Notes),
    // Google Contacts (current and older exports).
    ("first name", Field::First),
    ("middle name", Field::Middle),
    ("last name", Field::Last),
    ("given name", Field::First),
    ("additional name", Field::Middle),
    ("family name", Field::Last),
    ("organization name", Field::Organization),
    ("organization 1 - name", Field::Organization),
    ("organization title", Field::Title),
    ("organization 1 - title", Field::Title),
    ("labels", Field::Labels),
    ("group membership", Field::Labels),
    ("e-mail 1 - value", Field::Email),
    ("phone 1 - value", Field::Phone),
    // Outlook. Its "Title" is the honorific, so it is not the job title.
    ("e-mail address", Field::Email),
    ("business phone", Field::Phone),
    ("mobile phone", Field::Phone),
    ("company", Field::Organization),
    ("job title", Field::Title),
    ("notes", Field::Notes),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Uid,
    Kind,
    Name,
    First,
    Middle,
    Last,
    Organization,
    Email,
    Phone,
    Title,
    Segment,
    Tags,
    Labels,
    Stage,
    Owner,
    Renewal,
    Value,
    Notes,
    /// "extra adr" and the like: a detail without a field of its own; the
    /// index names it in `extra_names`.
    Extra(usize),
}

/// Our export puts `'` before a cell starting with = + - @ (against formula
/// injection); exactly that `'` comes off again. "'t Hooft" stays as it is.
pub fn restore_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// Google joins several values of one field with " ::: ": the first is the main one.
fn first_value(cell: &str) -> &str {
    cell.split(" ::: ").next().unwrap_or("").trim()
}

/// Counts the `"` that pass through: a file with an odd number has a quote
/// that never closes, which the `csv` crate reads as a field running to the
/// end of the file.
struct Quotes<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Quotes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let quotes = buf[..n].iter().filter(|b| **b == b'"').count() as u64;
        self.count.set(self.count.get() + quotes);
        Ok(n)
    }
}

/// The rows of a CSV file, read one at a time.
pub struct Rows<R: Read> {
    reader: csv::Reader<Quotes<R>>,
    quotes: Rc<Cell<u64>>,
    /// The line of the record just read, when its last field holds a line break.
    last_field_breaks: Option<u64>,
    record: csv::StringRecord,
    columns: Vec<Option<Field>>,
    extra_names: Vec<String>,
    unknown: Vec<String>,
    currency: String,
    today: jiff::civil::Date,
}

impl<R: Read> Rows<R> {
    /// Reads the header row; an error when no column names a contact.
    pub fn new(input: R, currency: &str, today: jiff::civil::Date) -> Result<Self, String> {
        let quotes = Rc::new(Cell::new(0));
        let input = Quotes {
            inner: input,
            count: Rc::clone(&quotes),
        };
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
        let headers = reader.headers().map_err(|e| csv_error(&e))?.clone();
        let mut columns: Vec<Option<Field>> = Vec::new();
        let mut unknown = BTreeSet::new();
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
                KNOWN.iter().find(|(name, _)| *name == key).map(|(_, f)| *f)
            };
            if field.is_none() && !key.is_empty() {
                unknown.insert(header.trim().to_string());
            }
            columns.push(field);
        }
        if !columns.iter().any(|c| {
            matches!(
                c,
                Some(Field::Name | Field::First | Field::Last | Field::Organization | Field::Email)
            )
        }) {
            return Err(
                "no column names a contact (name, first name, last name, organization, email)"
                    .into(),
            );
        }
        Ok(Rows {
            reader,
            quotes,
            last_field_breaks: None,
            record: csv::StringRecord::new(),
            columns,
            extra_names,
            unknown: unknown.into_iter().collect(),
            currency: currency.to_string(),
            today,
        })
    }

    /// Header names the reader does not know (ignored).
    pub fn unknown_columns(&self) -> &[String] {
        &self.unknown
    }

    fn entry(&self) -> Option<Entry> {
        let line = self.record.position().map_or(0, |p| p.line());
        let mut cells: HashMap<Field, Vec<&str>> = HashMap::new();
        for (cell, field) in self.record.iter().zip(&self.columns) {
            let cell = restore_formula(cell.trim());
            if let Some(field) = field
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
            Err(reason) => Some(Entry::Invalid { line, reason }),
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
                // The last record's last field holds line breaks and the file
                // has an odd number of quotes: a quote opened there never
                // closed and swallowed the rows after it.
                Ok(false) if self.quotes.get() % 2 == 1 && self.last_field_breaks.is_some() => {
                    let line = self.last_field_breaks.take().unwrap_or(0);
                    return Some(Err(format!(
                        "line {line}: a quoted field never closes (it runs to the end of the file)"
                    )));
                }
                Ok(false) => return None,
                Ok(true) => {
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
        invalid: Vec<(u64, String)>,
        unknown_columns: Vec<String>,
    }

    fn read(text: &str, currency: &str, today: jiff::civil::Date) -> Result<Read, String> {
        let rows = Rows::new(text.as_bytes(), currency, today)?;
        let unknown_columns = rows.unknown_columns().to_vec();
        let collected = super::super::collect(rows)?;
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
        assert_eq!(read.unknown_columns, ["Nickname"]);
        let row = &read.rows[0];
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
    fn nameless_rows_fall_back_and_empty_ones_are_invalid() {
        let text = "Email,Phone,Company\nsolo@x.example,,\n,,Big Co\n,,\n";
        let read = read(text, "USD", date(2026, 11, 25)).unwrap();
        let names: Vec<_> = read.rows.iter().map(|r| r.draft.name.clone()).collect();
        assert_eq!(names, ["solo@x.example", "Big Co"]);
        assert!(read.invalid.is_empty(), "an empty row is skipped silently");
    }
}
