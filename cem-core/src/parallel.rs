//! Large inputs split across threads: contiguous chunks of rows, each counted on its own thread into its
//! own counts, merged in chunk order (tallies are mergeable, so the result is the one pass's exactly).
//!
//! Only the passes whose result does not depend on how rows are split run here — counting integer
//! answers, their bounds, the largest segment code. Anything that can fail row by row (a bad code, a
//! missing or non-integer answer, a weight) falls back to the single-threaded checked loop, so the error
//! reported is still the first bad row's and nothing is added. Weighted sums are never split, so they
//! stay bit-for-bit those of one pass. `std::thread::scope` only: no pool, no global state, no new
//! dependency; single-threaded on wasm32, where there are no threads.

use std::ops::Range;

/// Rows below which one thread is faster: spawning a thread and merging its counts costs about as much
/// as counting this many rows (measured on the 2-core reference machine, see docs/src/benchmarks.md).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) const CROSSOVER: usize = 1 << 19;

/// At most this many threads, whatever the machine offers: the passes are close to memory-bound, so more
/// threads stop paying well before a large server's core count.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const MAX_THREADS: usize = 8;

/// The threads to use for `rows` rows whose per-thread counts have `bins` cells: one below the
/// crossover, otherwise as many as the machine offers (at most [`MAX_THREADS`]) while each thread keeps
/// at least [`CROSSOVER`] / 2 rows and 16 rows per bin (its counts cost O(bins) to zero and merge).
pub(crate) fn threads(rows: usize, bins: usize) -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = (rows, bins);
        1
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        if rows < CROSSOVER {
            return 1;
        }
        let cores = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS);
        let by_rows = rows / (CROSSOVER / 2).max(bins.saturating_mul(16));
        cores.min(by_rows).max(1)
    }
}

/// Runs `f` on contiguous, non-empty ranges covering `0..n` and returns the results in range order. With
/// more than one thread, `threads` − 1 are started and the ranges (up to 4 per thread, of at least 2¹⁶
/// rows) are claimed in turn by whichever thread is free, this one included: a thread that starts late
/// (another program holding the core) takes fewer ranges, or none, instead of making the others wait for
/// a fixed half. With one thread (always on wasm32) it is `f(0..n)`.
pub(crate) fn split<R: Send>(n: usize, threads: usize, f: impl Fn(Range<usize>) -> R + Sync) -> Vec<R> {
    let threads = threads.clamp(1, n.max(1));
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let chunks = (threads * 4).min(n >> 16).max(threads);
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= chunks {
                    return done;
                }
                done.push((i, f(n * i / chunks..n * (i + 1) / chunks)));
            }
        };
        let mut done = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut done = work();
            // A panic on a helper is re-raised here (the bindings catch it); cem-core does not panic.
            for h in helpers {
                done.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            done
        });
        done.sort_unstable_by_key(|&(i, _)| i);
        return done.into_iter().map(|(_, r)| r).collect();
    }
    let _ = threads;
    vec![f(0..n)]
}

/// As [`split`], but each thread adds every range it claims into one accumulator of its own (`start()`),
/// so there are as many results as threads that did any work, not as ranges: for counts whose merge
/// costs about as much as their counting (a term tally), and whose result does not depend on which rows
/// went into which accumulator.
pub(crate) fn fold<A: Send>(
    n: usize,
    threads: usize,
    start: impl Fn() -> A + Sync,
    f: impl Fn(&mut A, Range<usize>) + Sync,
) -> Vec<A> {
    let threads = threads.clamp(1, n.max(1));
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let chunks = (threads * 4).min(n >> 16).max(threads);
        let next = AtomicUsize::new(0);
        let work = || {
            let mut acc: Option<A> = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= chunks {
                    return acc;
                }
                f(acc.get_or_insert_with(&start), n * i / chunks..n * (i + 1) / chunks);
            }
        };
        return std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut done: Vec<A> = work().into_iter().collect();
            for h in helpers {
                done.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            done
        });
    }
    let _ = threads;
    let mut acc = start();
    f(&mut acc, 0..n);
    vec![acc]
}

/// `a()` and `b()`, on two threads when `two` (and off wasm32), else one after the other.
pub(crate) fn both<A: Send, B: Send>(two: bool, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    if two {
        return std::thread::scope(|scope| {
            let other = scope.spawn(b);
            let first = a();
            (first, other.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        });
    }
    let _ = two;
    (a(), b())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_the_rows_in_order() {
        for (n, t) in [(0, 1), (0, 3), (1, 4), (10, 3), (1000, 7)] {
            let parts = split(n, t, |r| r);
            assert_eq!(parts.first().map(|r| r.start), Some(0));
            assert_eq!(parts.last().map(|r| r.end), Some(n));
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start && w[0].start < w[0].end));
        }
    }

    #[test]
    fn folded_ranges_cover_each_row_once() {
        for (n, t) in [(0, 1), (10, 3), (1 << 20, 2), (1 << 20, 3)] {
            let parts = fold(n, t, Vec::new, |acc: &mut Vec<Range<usize>>, r| acc.push(r));
            assert!(!parts.is_empty() && parts.len() <= t);
            let mut all: Vec<Range<usize>> = parts.into_iter().flatten().collect();
            all.sort_by_key(|r| r.start);
            assert_eq!(all.iter().map(|r| r.len()).sum::<usize>(), n);
            assert!(all.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    #[test]
    fn small_inputs_stay_on_one_thread() {
        assert_eq!(threads(CROSSOVER - 1, 11), 1);
        // Many rows and small counts: one thread per core, at most MAX_THREADS (one on wasm32).
        let cores = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS);
        assert_eq!(threads(1 << 26, 11), if cfg!(target_arch = "wasm32") { 1 } else { cores });
        // Per-thread counts as large as the rows: one thread.
        assert_eq!(threads(CROSSOVER, CROSSOVER), 1);
    }
}
