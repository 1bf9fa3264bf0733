//! Small internal helpers for the parallel builders: disjoint shared writes,
//! block partitions and deterministic floating-point sums.

use rayon::prelude::*;
use std::marker::PhantomData;

/// A slice that several rayon tasks write at **disjoint** positions.
///
/// Counting-sort scatters compute, before any write, a distinct destination
/// for every item (prefix sums of per-chunk histograms), so no two tasks ever
/// touch the same slot; the borrow checker cannot see that, hence this thin
/// wrapper around a raw pointer.
pub(crate) struct SharedSlice<'a, T> {
    ptr: *mut T,
    len: usize,
    _borrow: PhantomData<&'a mut [T]>,
}

// SAFETY: the wrapper only hands out writes to distinct indices (see
// `write`), so sharing it between threads is as safe as sending `&mut T`s.
unsafe impl<T: Send> Send for SharedSlice<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for SharedSlice<'_, T> {}

impl<'a, T> SharedSlice<'a, T> {
    /// Wraps a mutable slice for the duration of a scatter.
    pub(crate) fn new(slice: &'a mut [T]) -> Self {
        SharedSlice {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _borrow: PhantomData,
        }
    }

    /// Writes `value` at `index`.
    ///
    /// # Safety
    /// `index < len`, and no other thread reads or writes `index` while the
    /// wrapper is alive.
    #[inline]
    pub(crate) unsafe fn write(&self, index: usize, value: T) {
        debug_assert!(
            index < self.len,
            "scatter index {index} out of {}",
            self.len
        );
        // SAFETY: guaranteed by the caller.
        unsafe { self.ptr.add(index).write(value) }
    }
}

/// Splits `slice` into consecutive pieces at the given cut points (relative
/// to the start of `slice`, non-decreasing, last one at most `slice.len()`).
/// Returns `cuts.len() - 1` pieces: `[cuts[0]..cuts[1]), [cuts[1]..cuts[2]), ...`.
pub(crate) fn split_at_cuts<'a, T>(mut slice: &'a mut [T], cuts: &[usize]) -> Vec<&'a mut [T]> {
    let mut pieces = Vec::with_capacity(cuts.len().saturating_sub(1));
    let Some(&first) = cuts.first() else {
        return pieces;
    };
    let mut pos = first;
    slice = &mut slice[first..];
    for &cut in &cuts[1..] {
        let (head, tail) = slice.split_at_mut(cut - pos);
        pieces.push(head);
        slice = tail;
        pos = cut;
    }
    pieces
}

/// Boundaries `b_0 = 0 < b_1 < ... < b_k = n` of node blocks holding roughly
/// `grain` items each, where node `v` holds `offsets[v+1] - offsets[v]` items.
/// Blocks also hold at most `max_nodes` nodes so that node-proportional work
/// stays balanced on graphs with many isolated nodes.
///
/// Block boundaries only decide how work is spread over threads; every
/// builder produces the same output whatever they are.
pub(crate) fn node_blocks<O: Copy + Into<u64>>(
    offsets: &[O],
    grain: u64,
    max_nodes: usize,
) -> Vec<usize> {
    let n = offsets.len().saturating_sub(1);
    let grain = grain.max(1);
    let max_nodes = max_nodes.max(1);
    let mut bounds = vec![0];
    let mut start = 0usize;
    while start < n {
        let base: u64 = offsets[start].into();
        // First node whose end offset reaches base + grain, then clamp by node count.
        let goal = base.saturating_add(grain);
        let rel = offsets[start + 1..=n].partition_point(|&o| o.into() < goal);
        let end = (start + 1 + rel)
            .min(n)
            .min(start + max_nodes)
            .max(start + 1);
        bounds.push(end);
        start = end;
    }
    bounds
}

/// Grain (items per block) for node-block loops: enough blocks for work
/// stealing to balance skewed degrees, few enough to keep per-block costs low.
pub(crate) fn block_grain(items: usize) -> u64 {
    let threads = rayon::current_num_threads().max(1);
    ((items / (threads * 16)).max(1 << 14)) as u64
}

/// Number of chunks for a parallel counting sort of `items` items into
/// `buckets` buckets. Each chunk costs a histogram of `buckets` counters, so
/// a chunk is only added for every half as many items as buckets (the Higgs
/// retweet graph, 328k rows over 256k accounts, gets two on two threads:
/// its single-chunk histogram and scatter passes were a third of its build,
/// all on one core); the sort is stable, hence its output does not depend
/// on this number.
pub(crate) fn scatter_chunks(items: usize, buckets: usize) -> usize {
    if items < (1 << 16) {
        return 1;
    }
    let threads = rayon::current_num_threads().max(1);
    threads.min((2 * items / buckets.max(1)).max(1))
}

/// Equal ranges `[i*len/k, (i+1)*len/k)` of `0..len`.
pub(crate) fn even_ranges(len: usize, k: usize) -> Vec<std::ops::Range<usize>> {
    let k = k.max(1);
    (0..k).map(|i| (i * len / k)..((i + 1) * len / k)).collect()
}

/// Sum of `values` in `f64`, identical for any number of threads: the values
/// are cut into fixed 64 Ki chunks (independent of the thread count), each
/// chunk is summed left to right, and the chunk sums are added in order.
/// A plain rayon `sum()` would associate differently depending on work
/// stealing and give sums that differ in the last bits.
pub(crate) fn deterministic_sum(values: &[f32]) -> f64 {
    let partial: Vec<f64> = values
        .par_chunks(1 << 16)
        .map(|c| c.iter().map(|&v| v as f64).sum::<f64>())
        .collect();
    partial.iter().sum()
}

/// Exclusive prefix sums of `counts`, as `u64` offsets of length `counts.len() + 1`.
pub(crate) fn prefix_offsets<C: Copy + Into<u64>>(counts: &[C]) -> Vec<u64> {
    let mut offsets = Vec::with_capacity(counts.len() + 1);
    let mut acc = 0u64;
    offsets.push(0);
    for &c in counts {
        acc += c.into();
        offsets.push(acc);
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_all_nodes_in_order() {
        let offsets: Vec<u64> = vec![0, 5, 5, 5, 100, 101, 101];
        let b = node_blocks(&offsets, 10, 2);
        assert_eq!(b.first(), Some(&0));
        assert_eq!(b.last(), Some(&6));
        assert!(b.windows(2).all(|w| w[0] < w[1] && w[1] - w[0] <= 2));
        assert_eq!(node_blocks::<u64>(&[0], 10, 4), vec![0]);
    }

    #[test]
    fn split_at_cuts_gives_consecutive_pieces() {
        let mut v: Vec<u32> = (0..10).collect();
        let pieces = split_at_cuts(&mut v, &[2, 2, 5, 10]);
        let lens: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
        assert_eq!(lens, vec![0, 3, 5]);
        assert_eq!(pieces[1][0], 2);
    }
}
