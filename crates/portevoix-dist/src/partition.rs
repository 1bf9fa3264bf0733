//! Which worker owns which account, and the deterministic global sums.
//!
//! Dense ids are cut into **units** of consecutive ids; unit `k` belongs to
//! worker `k mod W`. A worker's accounts, in increasing dense id, are its
//! local indices `0..owned()`. With the default unit of
//! [`DEFAULT_UNIT`] = 16,384 accounts (a multiple of the local engine's
//! reduction chunks: 2,048 for PageRank, 16,384 for the other kernels), every
//! chunk the local engine sums left to right lies on one worker, which sums
//! it the same way; the chunk sums are then gathered and added in chunk
//! order on every worker. Global aggregates (residuals, dangling mass,
//! normalisations) are then **bit-identical** to the local engine's, hence so
//! are convergence decisions and, for the pull kernels, every score. Smaller
//! units (tests use them to spread small graphs over many workers) give the
//! same numbers up to rounding.

use crate::comm::{Comm, Packet};

/// Default number of consecutive dense ids per unit of ownership.
pub const DEFAULT_UNIT: usize = 16_384;

/// The ownership of `n` dense ids by `workers` workers in units of `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// Number of accounts.
    pub n: usize,
    /// Ids per unit.
    pub unit: usize,
    /// Number of workers.
    pub workers: usize,
    /// This worker.
    pub me: usize,
}

impl Partition {
    /// The partition seen from worker `me`.
    pub fn new(n: usize, unit: usize, workers: usize, me: usize) -> Partition {
        Partition {
            n,
            unit: unit.max(1),
            workers: workers.max(1),
            me,
        }
    }

    /// The worker owning dense id `v`.
    #[inline]
    pub fn owner(&self, v: u32) -> usize {
        (v as usize / self.unit) % self.workers
    }

    /// Local index of `v` on its owner.
    #[inline]
    pub fn local(&self, v: u32) -> usize {
        let v = v as usize;
        (v / self.unit / self.workers) * self.unit + v % self.unit
    }

    /// Dense id of local index `i` of worker `w`.
    #[inline]
    pub fn global_of(&self, w: usize, i: usize) -> u32 {
        let k = (i / self.unit) * self.workers + w;
        (k * self.unit + i % self.unit) as u32
    }

    /// Dense id of this worker's local index `i`.
    #[inline]
    pub fn global(&self, i: usize) -> u32 {
        self.global_of(self.me, i)
    }

    /// Number of ids owned by worker `w`.
    pub fn owned_by(&self, w: usize) -> usize {
        let units = self.n.div_ceil(self.unit);
        let mut count = 0;
        let mut k = w;
        while k < units {
            count += (self.n - k * self.unit).min(self.unit);
            k += self.workers;
        }
        count
    }

    /// Number of ids this worker owns.
    pub fn owned(&self) -> usize {
        self.owned_by(self.me)
    }

    /// The size of the pieces whose sums are gathered: the local engine's
    /// chunk when it divides the unit, else the unit.
    fn piece(&self, chunk: usize) -> usize {
        if self.unit % chunk == 0 {
            chunk
        } else {
            self.unit.min(chunk)
        }
    }

    /// Per-piece sums of several columns over this worker's local values:
    /// `columns[c][i]` for local index `i`; pieces in local order.
    fn local_pieces(&self, chunk: usize, columns: &[&[f64]]) -> Vec<f64> {
        let piece = self.piece(chunk);
        let owned = self.owned();
        let mut out = Vec::with_capacity(owned.div_ceil(piece) * columns.len());
        let mut start = 0;
        while start < owned {
            // Pieces never cross a unit boundary.
            let unit_end = (start / self.unit + 1) * self.unit;
            let end = (start + piece).min(unit_end).min(owned);
            for col in columns {
                out.push(col[start..end].iter().sum::<f64>());
            }
            start = end;
        }
        out
    }

    /// The global order of every worker's pieces: `(worker, position)` of
    /// each piece, in increasing dense id.
    fn piece_order(&self, chunk: usize) -> Vec<(usize, usize)> {
        let piece = self.piece(chunk);
        let mut order = Vec::new();
        let mut next = vec![0usize; self.workers];
        let mut v = 0;
        while v < self.n {
            let w = self.owner(v as u32);
            let unit_end = (v / self.unit + 1) * self.unit;
            let end = (v + piece).min(unit_end).min(self.n);
            order.push((w, next[w]));
            next[w] += 1;
            v = end;
        }
        order
    }

    /// Global sums of several per-account columns, in the local engine's
    /// order: pieces of `chunk` ids summed left to right, piece sums added in
    /// dense-id order. Every worker gets the same sums.
    pub fn sums(&self, comm: &mut Comm<'_>, chunk: usize, columns: &[&[f64]]) -> Vec<f64> {
        let k = columns.len();
        let mine = self.local_pieces(chunk, columns);
        let all = comm.all_gather(Packet::of_f64s(mine));
        let mut total = vec![0.0f64; k];
        for (w, pos) in self.piece_order(chunk) {
            for (c, t) in total.iter_mut().enumerate() {
                *t += all[w].f64s[pos * k + c];
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_global_are_inverse() {
        for &(n, unit, workers) in &[(100usize, 7usize, 3usize), (50, 64, 2), (1000, 16, 5)] {
            let mut seen = vec![false; n];
            for w in 0..workers {
                let p = Partition::new(n, unit, workers, w);
                for i in 0..p.owned() {
                    let v = p.global(i);
                    assert_eq!(p.owner(v), w);
                    assert_eq!(p.local(v), i);
                    assert!(!seen[v as usize]);
                    seen[v as usize] = true;
                }
            }
            assert!(seen.iter().all(|s| *s));
        }
    }
}
