//! Lists printed as their records arrive: the store streams one statement
//! up to `--limit` a batch at a time, each batch printed (a table row or a
//! JSON element per record) before the next is read, so memory stays flat
//! in the rows.

use std::io;
use std::sync::mpsc;

use serde::Serialize;

use super::output::{Column, JsonArray, StreamedTable, cells_of, note};
use super::{CliError, Context, more_note};

/// A whole list as a table (`cells` gives a record's row) or, with
/// `--json`, a JSON array, of the records `stream` hands to the function it
/// is given, a batch at a time with whether more follow (it returns whether
/// the limit left some out); `none` is said when there is nothing, and the
/// stop-early note when the limit cut it short.
///
/// The records are printed on a second thread while the store reads the
/// next batch: a long list costs about the longer of the two, not their sum.
/// Two batches at most wait between them, so memory stays flat.
pub fn print_stream<T: Serialize + Send>(
    ctx: &Context,
    limit: usize,
    stream: impl FnOnce(&mut dyn FnMut(Vec<T>, bool) -> Result<(), CliError>) -> Result<bool, CliError>,
    columns: &[Column],
    cells: impl Fn(&T) -> Vec<String> + Sync,
    none: &str,
) -> Result<(), CliError> {
    let json = ctx.json;
    let (streamed, printed) = std::thread::scope(|scope| {
        let (batches, arriving) = mpsc::sync_channel::<(Vec<T>, bool)>(2);
        let printer = scope.spawn(|| print_batches(json, arriving, columns, &cells, none));
        let streamed = stream(&mut |batch, more| {
            // The printer stopped (its error says why): so does the reading.
            batches
                .send((batch, more))
                .map_err(|_| CliError::output(io::ErrorKind::BrokenPipe.into()))
        });
        drop(batches);
        let printed = printer
            .join()
            .unwrap_or_else(|_| Err(CliError::runtime("printing the list failed".to_string())));
        (streamed, printed)
    });
    // What stopped the printer stopped the reading too: its error first.
    printed?;
    more_note(streamed?, limit, json);
    Ok(())
}

/// The printing side of `print_stream`: every batch until the reading ends.
fn print_batches<T: Serialize>(
    json: bool,
    arriving: mpsc::Receiver<(Vec<T>, bool)>,
    columns: &[Column],
    cells: &impl Fn(&T) -> Vec<String>,
    none: &str,
) -> Result<(), CliError> {
    if json {
        let mut out = JsonArray::start();
        for (batch, _) in arriving {
            batch.iter().try_for_each(|item| out.push(item))?;
        }
        return out.finish();
    }
    let mut table: Option<StreamedTable> = None;
    for (batch, more) in arriving {
        let rows = batch.iter().map(|item| cells_of(cells(item)));
        match table.as_mut() {
            Some(table) => rows.into_iter().try_for_each(|row| table.row(row))?,
            None if batch.is_empty() => {}
            None => {
                let rows: Vec<_> = rows.collect();
                table = Some(StreamedTable::start(columns, &rows, more)?);
            }
        }
    }
    match table {
        Some(table) => table.finish(),
        None => {
            note(none);
            Ok(())
        }
    }
}
