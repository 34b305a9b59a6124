//! Lists printed as their records arrive: the store streams one statement
//! up to `--limit` a batch at a time, each batch printed (a table row or a
//! JSON element per record) before the next is read, so memory stays flat
//! in the rows.

use serde::Serialize;

use super::output::{Column, JsonArray, StreamedTable, cells_of, note};
use super::{CliError, Context, more_note};

/// A whole list as a table (`cells` gives a record's row) or, with
/// `--json`, a JSON array, of the records `stream` hands to the function it
/// is given, a batch at a time with whether more follow (it returns whether
/// the limit left some out); `none` is said when there is nothing, and the
/// stop-early note when the limit cut it short.
pub fn print_stream<T: Serialize>(
    ctx: &Context,
    limit: usize,
    stream: impl FnOnce(&mut dyn FnMut(Vec<T>, bool) -> Result<(), CliError>) -> Result<bool, CliError>,
    columns: &[Column],
    cells: impl Fn(&T) -> Vec<String>,
    none: &str,
) -> Result<(), CliError> {
    let cut_short = if ctx.json {
        let mut out = JsonArray::start();
        let cut_short = stream(&mut |batch, _| batch.iter().try_for_each(|item| out.push(item)))?;
        out.finish()?;
        cut_short
    } else {
        let mut table: Option<StreamedTable> = None;
        let cut_short = stream(&mut |batch, more| {
            let rows = batch.iter().map(|item| cells_of(cells(item)));
            match table.as_mut() {
                Some(table) => rows.into_iter().try_for_each(|row| table.row(row)),
                None if batch.is_empty() => Ok(()),
                None => {
                    let rows: Vec<_> = rows.collect();
                    table = Some(StreamedTable::start(columns, &rows, more)?);
                    Ok(())
                }
            }
        })?;
        match table {
            Some(table) => table.finish()?,
            None => note(none),
        }
        cut_short
    };
    more_note(cut_short, limit, ctx.json);
    Ok(())
}
