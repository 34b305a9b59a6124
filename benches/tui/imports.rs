//! `tuicrm import` of 100,000 contacts (one .vcf file, one CSV file) as a
//! user runs it: into a new database, and into a copy of the bench's
//! database. The files are the export of the 100,000-customer bench DB made
//! into somebody else's address book: no UIDs of ours (some of another
//! writer's), emails and phones that differ from the DB's, and one contact
//! in twenty a repeat of an earlier one (an update of what the import added).
//! Made once, kept in target/bench/.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::figures::run_tuicrm;

const CONTACTS: usize = 100_000;

pub fn imports(bench_db: &Path) {
    let (vcf, csv) = fixtures();
    for (file, what) in [(&vcf, "vCards"), (&csv, "CSV rows")] {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("new.db");
        run_tuicrm(&["--db", &text(&db), "import", &text(file)])
            .record(&format!("import {CONTACTS} {what} into a new DB"));
    }
    // A copy: the bench DB stays as it is. The copy is not timed.
    let dir = tempfile::tempdir_in(bench_db.parent().expect("a folder")).expect("a folder");
    let db = dir.path().join("copy.db");
    std::fs::copy(bench_db, &db).expect("a copy of the bench DB");
    run_tuicrm(&["--db", &text(&db), "import", &text(&vcf)]).record(&format!(
        "import {CONTACTS} vCards into the bench DB (a copy)"
    ));
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The .vcf and .csv files, made from an export of the 100k bench DB.
fn fixtures() -> (PathBuf, PathBuf) {
    let source = crate::bench_db(CONTACTS);
    let dir = source.parent().expect("the bench folder").to_path_buf();
    let vcf = dir.join(format!("import-{CONTACTS}.vcf"));
    let csv = dir.join(format!("import-{CONTACTS}.csv"));
    if vcf.exists() && csv.exists() {
        return (vcf, csv);
    }
    let exported = |format: &str| {
        let out = dir.join(format!("export-{CONTACTS}.{format}"));
        let run = run_tuicrm(&[
            "--db",
            &text(&source),
            "export",
            "--format",
            format,
            "--out",
            &text(&out),
        ]);
        assert!(run.ok, "export --format {format}");
        out
    };
    // Streamed, line by line: the bench process's own peak stays small,
    // and a child's peak (from wait4) starts from it.
    let export = exported("vcard");
    write_from(&export, &vcf, foreign_cards);
    let _ = std::fs::remove_file(&export);
    let export = exported("csv");
    write_from(&export, &csv, foreign_rows);
    let _ = std::fs::remove_file(&export);
    (vcf, csv)
}

/// `to`, written by `make` from the lines of `from`.
fn write_from(from: &Path, to: &Path, make: fn(&mut dyn Iterator<Item = String>, &mut dyn Write)) {
    let input = BufReader::new(File::open(from).expect("the export"));
    let mut lines = input.lines().map(|l| l.expect("the export reads"));
    let mut out = BufWriter::new(File::create(to).expect("a fixture"));
    make(&mut lines, &mut out);
    out.flush().expect("the fixture is written");
}

/// A small fixed-seed generator (xorshift64*): the same files every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The `i`th contact's email, changed: not the DB's, the same domain.
fn other_email(email: &str, i: usize) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{local}.i{}@{domain}", i % 97),
        None => email.to_string(),
    }
}

/// Repeats of earlier contacts, one in twenty, from the last 2,000 passed.
struct Repeats {
    dice: Dice,
    seen: VecDeque<String>,
}

impl Repeats {
    fn new(seed: u64) -> Self {
        Repeats {
            dice: Dice(seed),
            seen: VecDeque::new(),
        }
    }

    /// `item`, or now and then one passed before it.
    fn pass(&mut self, item: String) -> String {
        if !self.seen.is_empty() && self.dice.chance(5) {
            let back = self.dice.next() as usize % self.seen.len();
            return self.seen[back].clone();
        }
        if self.seen.len() == 2_000 {
            self.seen.pop_front();
        }
        self.seen.push_back(item.clone());
        item
    }
}

fn foreign_cards(lines: &mut dyn Iterator<Item = String>, out: &mut dyn Write) {
    let mut repeats = Repeats::new(0x9e37_79b9_7f4a_7c15);
    let mut card = String::new();
    let mut i = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        if line.starts_with("UID:") {
            // Three in ten carry another writer's UID.
            if repeats.dice.chance(30) {
                let tail = repeats.dice.next() % 65_536;
                card.push_str(&format!("UID:ext-{i:06}-{tail:04x}\r\n"));
            }
        } else if let Some(email) = line.strip_prefix("EMAIL:") {
            card.push_str(&format!("EMAIL:{}\r\n", other_email(email, i)));
        } else if line.starts_with("TEL:") {
            card.push_str(&format!("{line}{}\r\n", i % 10));
        } else {
            card.push_str(&line);
            card.push_str("\r\n");
        }
        if line == "END:VCARD" {
            let card = repeats.pass(std::mem::take(&mut card));
            out.write_all(card.as_bytes())
                .expect("the fixture is written");
            i += 1;
        }
    }
}

/// Our CSV, columns uid,kind,name,organization,email,phone,…: the uid
/// emptied, email and phone changed as for the cards. The demo's cells hold
/// no line breaks, so a line is a row.
fn foreign_rows(lines: &mut dyn Iterator<Item = String>, out: &mut dyn Write) {
    let mut repeats = Repeats::new(0x2545_f491_4f6c_dd1d);
    let header = lines.next().unwrap_or_default();
    writeln!(out, "{header}").expect("the fixture is written");
    for (i, row) in lines.enumerate() {
        let mut cells: Vec<String> = split_csv(&row).into_iter().map(str::to_string).collect();
        if cells.len() > 5 {
            cells[0].clear();
            if !cells[4].is_empty() {
                cells[4] = other_email(&cells[4], i);
            }
            if !cells[5].is_empty() {
                cells[5].push_str(&(i % 10).to_string());
            }
        }
        let row = repeats.pass(format!("{}\n", cells.join(",")));
        out.write_all(row.as_bytes())
            .expect("the fixture is written");
    }
}

/// A CSV row's cells as written (quotes kept), split on commas outside quotes.
fn split_csv(row: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (at, c) in row.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                cells.push(&row[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    cells.push(&row[start..]);
    cells
}
