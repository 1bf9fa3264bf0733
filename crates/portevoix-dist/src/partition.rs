//! Which worker owns which account, and the deterministic global sums.
//!
//! Dense ids are cut into **units** of consecutive ids, and every unit has
//! one owner. A worker's accounts, in increasing dense id, are its local
//! indices `0..owned()`: its units in increasing order, each unit's ids in
//! order.
//!
//! # Which worker owns which unit
//!
//! Dense ids follow first appearance in the input, so the heavy accounts
//! (the hubs, which appear early) crowd into the first units: on a Kronecker
//! graph of scale 20 the first of 40 units holds about a fifth of every row
//! copy. Dealing units round-robin ([`Partition::new`]) therefore gives
//! worker 0 most of the edges, hence most of the memory and of the work.
//! [`Partition::balanced`] instead assigns units by their **load** (the row
//! copies the unit's accounts receive, plus one per account), counted by
//! every reader over its parts and summed (one global aggregate of one
//! number per unit): the units in decreasing load (ties: increasing unit),
//! each to the worker with the least load so far (ties: the lowest worker),
//! the longest-processing-time rule, within 4/3 of the best split (Graham
//! 1969) and deterministic, so every worker computes the same assignment.
//! A unit heavier than `1/W` of the total still lands on one worker: the
//! unit is the grain of balance.
//!
//! # The same sums as the local engine
//!
//! With the default unit of [`DEFAULT_UNIT`] = 16,384 accounts (a multiple
//! of the local engine's reduction chunks: 2,048 for PageRank, 16,384 for
//! the other kernels), every chunk the local engine sums left to right lies
//! on one worker, which sums it the same way; the chunk sums are then
//! gathered and added in chunk (dense-id) order on every worker, whichever
//! worker owns them. Global aggregates (residuals, dangling mass,
//! normalisations) are then **bit-identical** to the local engine's, hence so
//! are convergence decisions and, for the pull kernels, every score. Smaller
//! units (tests use them to spread small graphs over many workers) give the
//! same numbers up to rounding.

use crate::comm::{Comm, Packet};
use std::sync::Arc;

/// Default number of consecutive dense ids per unit of ownership.
pub const DEFAULT_UNIT: usize = 16_384;

/// The ownership of `n` dense ids by `workers` workers in units of `unit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// Number of accounts.
    pub n: usize,
    /// Ids per unit.
    pub unit: usize,
    /// Number of workers.
    pub workers: usize,
    /// This worker.
    pub me: usize,
    /// `log2(unit)` when the unit is a power of two (the default): the
    /// per-edge lookups then shift instead of dividing.
    shift: Option<u32>,
    /// Owner of each unit.
    unit_owner: Arc<[u32]>,
    /// Position of each unit among its owner's units (increasing unit).
    unit_slot: Arc<[u32]>,
    /// Each worker's units, increasing.
    units_of: Arc<[Vec<u32>]>,
}

impl Partition {
    /// The partition seen from worker `me`, units dealt round-robin: unit
    /// `k` belongs to worker `k mod W`.
    pub fn new(n: usize, unit: usize, workers: usize, me: usize) -> Partition {
        let unit = unit.max(1);
        let workers = workers.max(1);
        let owners: Vec<u32> = (0..n.div_ceil(unit))
            .map(|k| (k % workers) as u32)
            .collect();
        Partition::with_owners(n, unit, workers, me, owners)
    }

    /// The partition seen from worker `me`, units assigned by load (see the
    /// module docs): `loads[k]` is the load of unit `k` (one per unit of
    /// `n` ids; missing units weigh 0).
    pub fn balanced(n: usize, unit: usize, workers: usize, me: usize, loads: &[u64]) -> Partition {
        let unit = unit.max(1);
        let workers = workers.max(1);
        let units = n.div_ceil(unit);
        let mut order: Vec<usize> = (0..units).collect();
        let load = |k: usize| loads.get(k).copied().unwrap_or(0);
        order.sort_by(|&a, &b| load(b).cmp(&load(a)).then(a.cmp(&b)));
        let mut total = vec![0u64; workers];
        let mut owners = vec![0u32; units];
        for k in order {
            let w = (0..workers).min_by_key(|&w| (total[w], w)).unwrap_or(0);
            total[w] += load(k);
            owners[k] = w as u32;
        }
        Partition::with_owners(n, unit, workers, me, owners)
    }

    fn with_owners(
        n: usize,
        unit: usize,
        workers: usize,
        me: usize,
        owners: Vec<u32>,
    ) -> Partition {
        let mut units_of = vec![Vec::new(); workers];
        let mut slots = vec![0u32; owners.len()];
        for (k, &w) in owners.iter().enumerate() {
            slots[k] = units_of[w as usize].len() as u32;
            units_of[w as usize].push(k as u32);
        }
        Partition {
            n,
            unit,
            workers,
            me,
            shift: unit.is_power_of_two().then_some(unit.trailing_zeros()),
            unit_owner: owners.into(),
            unit_slot: slots.into(),
            units_of: units_of.into(),
        }
    }

    /// The unit of dense id `v` and `v`'s offset in it (also: the unit slot
    /// and offset of a local index).
    #[inline]
    fn split(&self, v: u32) -> (usize, usize) {
        let v = v as usize;
        match self.shift {
            Some(s) => (v >> s, v & (self.unit - 1)),
            None => (v / self.unit, v % self.unit),
        }
    }

    /// The worker owning dense id `v`.
    #[inline]
    pub fn owner(&self, v: u32) -> usize {
        self.unit_owner[self.split(v).0] as usize
    }

    /// Local index of `v` on its owner.
    #[inline]
    pub fn local(&self, v: u32) -> usize {
        let (k, r) = self.split(v);
        self.unit_slot[k] as usize * self.unit + r
    }

    /// Dense id of local index `i` of worker `w`.
    #[inline]
    pub fn global_of(&self, w: usize, i: usize) -> u32 {
        let (slot, r) = self.split(i as u32);
        let k = self.units_of[w][slot] as usize;
        (k * self.unit + r) as u32
    }

    /// Dense id of this worker's local index `i`.
    #[inline]
    pub fn global(&self, i: usize) -> u32 {
        self.global_of(self.me, i)
    }

    /// Number of ids owned by worker `w`.
    pub fn owned_by(&self, w: usize) -> usize {
        self.units_of[w]
            .iter()
            .map(|&k| (self.n - k as usize * self.unit).min(self.unit))
            .sum()
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

    /// This worker's pieces for the sums of [`Partition::sums`]: ranges of
    /// local indices, in local order. A kernel that sums its values piece
    /// by piece, left to right, and hands the sums to
    /// [`Partition::add_pieces`] gets the same bits as [`Partition::sums`]
    /// without materialising the columns.
    pub fn pieces(&self, chunk: usize) -> Vec<std::ops::Range<usize>> {
        let piece = self.piece(chunk);
        let owned = self.owned();
        let mut out = Vec::with_capacity(owned.div_ceil(piece));
        let mut start = 0;
        while start < owned {
            // Pieces never cross a unit boundary.
            let unit_end = (start / self.unit + 1) * self.unit;
            let end = (start + piece).min(unit_end).min(owned);
            out.push(start..end);
            start = end;
        }
        out
    }

    /// Per-piece sums of several columns over this worker's local values:
    /// `columns[c][i]` for local index `i`; pieces in local order.
    fn local_pieces(&self, chunk: usize, columns: &[&[f64]]) -> Vec<f64> {
        let pieces = self.pieces(chunk);
        let mut out = Vec::with_capacity(pieces.len() * columns.len());
        for r in pieces {
            for col in columns {
                out.push(col[r.clone()].iter().sum::<f64>());
            }
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
        let mine = self.local_pieces(chunk, columns);
        self.add_pieces(comm, chunk, columns.len(), mine)
    }

    /// The global sums of `k` columns from this worker's piece sums
    /// (`mine[p·k + c]`: column `c` summed left to right over piece `p` of
    /// [`Partition::pieces`]), added in dense-id order as
    /// [`Partition::sums`] does. Every worker gets the same sums.
    pub fn add_pieces(
        &self,
        comm: &mut Comm<'_>,
        chunk: usize,
        k: usize,
        mine: Vec<f64>,
    ) -> Vec<f64> {
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

    fn loads(n: usize, unit: usize) -> Vec<u64> {
        // Heavy first units, as first-appearance ids give.
        (0..n.div_ceil(unit))
            .map(|k| 1000 / (k as u64 + 1) + (k as u64 % 3))
            .collect()
    }

    #[test]
    fn local_and_global_are_inverse() {
        for &(n, unit, workers) in &[(100usize, 7usize, 3usize), (50, 64, 2), (1000, 16, 5)] {
            for balanced in [false, true] {
                let mut seen = vec![false; n];
                for w in 0..workers {
                    let p = if balanced {
                        Partition::balanced(n, unit, workers, w, &loads(n, unit))
                    } else {
                        Partition::new(n, unit, workers, w)
                    };
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

    #[test]
    fn balanced_units_go_to_the_least_loaded_worker() {
        // Loads 10, 1, 1, ..., 1 (12 units) over 2 workers: unit 0 alone on
        // one worker would leave 11 on the other; the rule gives 10 + 1 = 11
        // against 10 (units 0 and 11 on worker 0: largest first, then the
        // ones in increasing unit to the lighter worker).
        let mut l = vec![1u64; 12];
        l[0] = 10;
        let p = Partition::balanced(12 * 4, 4, 2, 0, &l);
        let on = |w: usize| -> u64 {
            (0..12)
                .filter(|&k| p.owner((k * 4) as u32) == w)
                .map(|k| l[k])
                .sum()
        };
        assert_eq!((on(0), on(1)), (11, 10));
        assert_eq!(p.owner(0), 0);
        assert_eq!(p.owner(4), 1, "ties on load go to the lowest worker");
        // The same loads give the same owners on every worker.
        let q = Partition::balanced(12 * 4, 4, 2, 1, &l);
        assert!((0..48u32).all(|v| p.owner(v) == q.owner(v)));
        // Round-robin would give 10 + 5 = 15 against 6.
        let r = Partition::new(12 * 4, 4, 2, 0);
        let rr: u64 = (0..12)
            .filter(|&k| r.owner((k * 4) as u32) == 0)
            .map(|k| l[k])
            .sum();
        assert_eq!(rr, 15);
    }
}
