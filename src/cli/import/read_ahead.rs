//! A file's records read on a thread of their own while the import writes
//! the ones before them: decoding, parsing and checking are about a fifth of
//! an import, and the writes need not wait for them.

use std::sync::mpsc::sync_channel;

/// Records handed over at a time: few enough to keep memory flat, enough
/// that the hand-over costs nothing next to the records themselves.
const BATCH: usize = 256;
/// Batches read but not yet written, at most.
const AHEAD: usize = 4;

/// Runs `work` over `items`, which are read on another thread, in order.
/// When `work` stops early (an invalid record, an error), the reader stops
/// at its next batch.
pub(super) fn read_ahead<I, T>(
    items: I,
    work: impl FnOnce(&mut dyn Iterator<Item = I::Item>) -> T,
) -> T
where
    I: Iterator + Send,
    I::Item: Send,
{
    std::thread::scope(|scope| {
        let (send, receive) = sync_channel::<Vec<I::Item>>(AHEAD);
        scope.spawn(move || {
            let mut items = items;
            loop {
                let batch: Vec<_> = items.by_ref().take(BATCH).collect();
                let last = batch.len() < BATCH;
                // A closed channel: `work` is done with the records.
                if batch.is_empty() || send.send(batch).is_err() || last {
                    break;
                }
            }
        });
        // Dropped when `work` returns, which tells the reader to stop.
        let mut received = receive.into_iter().flatten();
        work(&mut received)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_arrives_in_order() {
        for count in [0, 1, BATCH - 1, BATCH, BATCH + 1, BATCH * AHEAD * 3 + 7] {
            let seen: Vec<usize> = read_ahead(0..count, |items| items.collect());
            assert_eq!(seen, (0..count).collect::<Vec<_>>(), "{count} items");
        }
    }

    #[test]
    fn stopping_early_stops_the_reader() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let read = AtomicUsize::new(0);
        let endless = std::iter::repeat_with(|| read.fetch_add(1, Ordering::Relaxed));
        let first: Vec<usize> = read_ahead(endless, |items| items.take(3).collect());
        assert_eq!(first, vec![0, 1, 2]);
        // The reader got at most the batches the channel holds, and the
        // one it was filling, past what was taken.
        assert!(read.load(Ordering::Relaxed) <= BATCH * (AHEAD + 3));
    }
}
