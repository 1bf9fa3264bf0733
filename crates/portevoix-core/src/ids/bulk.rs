//! Bulk interning of numeric id columns ([`Interner::intern_u32_pairs`]):
//! the same dense ids as interning every value one at a time, without the
//! per-value hash or bounds logic, and in parallel.
//!
//! When the values are small enough for a direct table (SNAP and Graph500
//! ids are `0..n`), the interner's own table (`dense[v]` = dense id + 1)
//! is sized once to the largest value and filled in place:
//!
//! - **Few rows** (below [`GROUPED_MIN_ROWS`]): one scan in order; a value
//!   whose slot is empty takes the next id, and each endpoint is replaced as
//!   it is read.
//! - **Otherwise**, over `G` contiguous groups of rows (`G` = threads):
//!   1. each group lists, in parallel, the values that first appear in it,
//!      in order (a group-local bitmap, small enough for the cache; the
//!      list is written branch-free);
//!   2. the bitmaps are OR-ed into prefixes (`cum[g]` = values of groups
//!      `0..=g`), and each group keeps from its list the values absent from
//!      `cum[g − 1]` (and from the interner): those are the global first
//!      appearances, in order;
//!   3. the kept counts give each group its first id; the groups write
//!      their ids into the table and their values into the interner's name
//!      column, in parallel (every value belongs to exactly one group);
//!   4. every endpoint is replaced by its slot − 1, in parallel.
//!
//!   Even on one thread (`G` = 1) this beats the one-pass scan on large
//!   inputs: the scan's table probes decide a branch, so each cache miss on
//!   a table larger than the cache stalls it, while here only the bitmap
//!   (in cache) decides branches and the table is written and read by
//!   independent accesses. Single-threaded CPU time of the interning of the
//!   Higgs retweet graph (656k endpoints, ids up to 456k), minimum of 40:
//!   8.9 ms before this module (group bitmaps, then one-at-a-time interning
//!   of the first appearances, then a lookup table of its own), 4.9 ms here
//!   (Slashdot 4.8 → 4.3, Epinions 5.2 → 3.9).
//!
//! Both give the ids of the first-appearance order whatever the number of
//! threads or groups (`tests` compare them with one-at-a-time interning).
//! Values too large for a direct table, and interners that already hold
//! text ids or moved to their hash table, take the one-at-a-time path.

use super::{DENSE_FACTOR, DENSE_MIN_SPAN, Interner, InternerFull, Repr, next_id};
use rayon::prelude::*;

/// Rows below which the one-pass scan interns: the grouped passes'
/// set-up (a bitmap per group) costs more than it saves.
const GROUPED_MIN_ROWS: usize = 1 << 14;

/// How the direct-table path dedups (every choice gives the same ids).
#[derive(Debug, Clone, Copy)]
pub(super) enum Passes {
    /// One scan in order: a value with an empty slot takes the next id.
    OnePass,
    /// Steps 1–4 of the module documentation with this many groups.
    Grouped(usize),
}

impl Interner {
    /// Replaces every raw numeric id of two columns by its dense id,
    /// interning new ids in order of first appearance: row by row, `first[i]`
    /// before `second[i]`. The result (ids and interner) is exactly that of
    ///
    /// ```text
    /// for i in 0..rows {
    ///     first[i] = interner.intern_u64(first[i])?.0;
    ///     second[i] = interner.intern_u64(second[i])?.0;
    /// }
    /// ```
    ///
    /// whatever the number of threads, but the values are deduplicated in
    /// parallel with a direct table instead of one hash or table probe per
    /// endpoint (see the module documentation of `ids/bulk.rs`).
    ///
    /// # Arguments
    /// `first` and `second`: the raw ids of one row per index, replaced in
    /// place. They must have the same length.
    ///
    /// # Returns
    /// `Err(InternerFull)` when the dense id space overflows (more than
    /// `u32::MAX - 1` distinct accounts); the columns and the interner are
    /// then partly updated, as after the loop above.
    ///
    /// # Panics
    /// If the columns have different lengths (a programming error).
    ///
    /// # Complexity
    /// O(rows + max value / 64 × groups) work, O(rows / threads) span, when
    /// the largest value is below max(2²⁴, 8 × distinct ids so far, 2 ×
    /// rows) (the direct table then costs at most the columns' bytes); else
    /// O(rows) expected, sequential (the interner's own table or hash).
    ///
    /// # Example
    /// ```
    /// use portevoix_core::Interner;
    /// let mut ids = Interner::new();
    /// let (mut src, mut dst) = (vec![7, 3, 7], vec![3, 9, 1]);
    /// ids.intern_u32_pairs(&mut src, &mut dst).unwrap();
    /// assert_eq!((src, dst), (vec![0, 1, 0], vec![1, 2, 3]));
    /// assert_eq!(ids.name(portevoix_core::NodeId(2)).to_string(), "9");
    /// ```
    pub fn intern_u32_pairs(
        &mut self,
        first: &mut [u32],
        second: &mut [u32],
    ) -> Result<(), InternerFull> {
        let passes = if first.len() < GROUPED_MIN_ROWS {
            Passes::OnePass
        } else {
            Passes::Grouped(rayon::current_num_threads().clamp(1, 64))
        };
        self.intern_u32_pairs_with(first, second, passes)
    }

    /// [`Interner::intern_u32_pairs`] with the given passes on the
    /// direct-table path (tests compare them all).
    pub(super) fn intern_u32_pairs_with(
        &mut self,
        first: &mut [u32],
        second: &mut [u32],
        passes: Passes,
    ) -> Result<(), InternerFull> {
        assert_eq!(
            first.len(),
            second.len(),
            "intern_u32_pairs: columns of different lengths"
        );
        let rows = first.len();
        if rows == 0 {
            return Ok(());
        }
        let max = first
            .par_iter()
            .chain(second.par_iter())
            .copied()
            .max()
            .unwrap_or(0);
        let Some(mut table) = self.take_direct_table(max, rows) else {
            for (a, b) in first.iter_mut().zip(second.iter_mut()) {
                *a = self.intern_u64(u64::from(*a))?.0;
                *b = self.intern_u64(u64::from(*b))?.0;
            }
            return Ok(());
        };
        let Repr::Numeric { values, .. } = &mut self.repr else {
            unreachable!("take_direct_table returns a table only for numeric ids")
        };
        let done = match passes {
            Passes::OnePass => intern_one_pass(first, second, &mut table, values),
            Passes::Grouped(groups) => {
                intern_in_groups(first, second, &mut table, values, max, groups.max(1))
            }
        };
        if let Repr::Numeric { dense, .. } = &mut self.repr {
            *dense = Some(table);
        }
        done
    }

    /// The interner's direct table, with a slot for every value up to
    /// `max`, taken out of the interner (the caller puts it back); `None`
    /// when the interner holds text ids, uses its hash table, or `max` is
    /// too large for a direct table (see [`Interner::intern_u32_pairs`]).
    fn take_direct_table(&mut self, max: u32, rows: usize) -> Option<Vec<u32>> {
        let Repr::Numeric { values, dense, .. } = &mut self.repr else {
            return None;
        };
        let table = dense.as_mut()?;
        let bound = DENSE_MIN_SPAN
            .max(DENSE_FACTOR * (values.len() as u64 + 1))
            .max(2 * rows as u64);
        if u64::from(max) >= bound {
            return None;
        }
        let len = max as usize + 1;
        if table.len() >= len {
            return Some(std::mem::take(table));
        }
        // A zeroed allocation (pages mapped lazily) rather than `resize`,
        // which writes every new slot.
        let mut grown = vec![super::ABSENT; len];
        grown[..table.len()].copy_from_slice(table);
        *table = Vec::new();
        Some(grown)
    }
}

/// One pass in order: a value with an empty slot takes the next id.
fn intern_one_pass(
    first: &mut [u32],
    second: &mut [u32],
    table: &mut [u32],
    values: &mut Vec<u64>,
) -> Result<(), InternerFull> {
    let mut lookup = |v: u32| -> Result<u32, InternerFull> {
        let slot = &mut table[v as usize];
        if *slot != super::ABSENT {
            return Ok(*slot - 1);
        }
        let id = next_id(values.len())?;
        *slot = id + 1;
        values.push(u64::from(v));
        Ok(id)
    };
    for (a, b) in first.iter_mut().zip(second.iter_mut()) {
        *a = lookup(*a)?;
        *b = lookup(*b)?;
    }
    Ok(())
}

/// The bitmap of one group of rows: bit `v` set when `v` occurs in it.
type Bitmap = Vec<u64>;

/// Steps 1–4 of the module documentation over `groups` groups of rows.
fn intern_in_groups(
    first: &mut [u32],
    second: &mut [u32],
    table: &mut [u32],
    values: &mut Vec<u64>,
    max: u32,
    groups: usize,
) -> Result<(), InternerFull> {
    let rows = first.len();
    let cuts: Vec<usize> = (0..=groups).map(|g| g * rows / groups).collect();
    // 1. Per group, its bitmap and the values first seen in it, in order.
    let words = (max as usize >> 6) + 1;
    let (first_ro, second_ro) = (&*first, &*second);
    let (mut bitmaps, mut lists): (Vec<Bitmap>, Vec<Vec<u32>>) = cuts
        .par_windows(2)
        .map(|w| group_firsts(&first_ro[w[0]..w[1]], &second_ro[w[0]..w[1]], words))
        .unzip();
    // 2. Prefix unions, then the global first appearances of each group.
    for g in 1..groups - 1 {
        let (done, rest) = bitmaps.split_at_mut(g);
        rest[0]
            .par_iter_mut()
            .zip(done[g - 1].par_iter())
            .for_each(|(w, &p)| *w |= p);
    }
    let known: &[u32] = table;
    let fresh = values.is_empty();
    lists.par_iter_mut().enumerate().for_each(|(g, list)| {
        if g == 0 && fresh {
            return;
        }
        let earlier = g.checked_sub(1).map(|p| &bitmaps[p]);
        list.retain(|&v| {
            let seen_before = earlier.is_some_and(|b| b[(v >> 6) as usize] >> (v & 63) & 1 == 1);
            !seen_before && (fresh || known[v as usize] == super::ABSENT)
        });
    });
    drop(bitmaps);
    // 3. Ids: group g's values follow those of groups 0..g.
    let base = values.len();
    let total: usize = lists.iter().map(Vec::len).sum();
    if total > 0 {
        next_id(base + total - 1)?;
    }
    values.resize(base + total, 0);
    let mut names: Vec<&mut [u64]> = Vec::with_capacity(groups);
    let (mut rest, mut start) = (&mut values[base..], base);
    let mut starts = Vec::with_capacity(groups);
    for list in &lists {
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(list.len());
        names.push(head);
        starts.push(start);
        rest = tail;
        start += list.len();
    }
    {
        let slots = DisjointSlots::new(table);
        lists
            .par_iter()
            .zip(names)
            .zip(starts)
            .for_each(|((list, names), start)| {
                for ((k, &v), name) in list.iter().enumerate().zip(names.iter_mut()) {
                    // `start + k < u32::MAX - 1`, checked above.
                    // SAFETY: each value is in exactly one group's list
                    // (step 2 kept only its first appearance), and no one
                    // reads the table during this pass.
                    unsafe { slots.write(v as usize, (start + k) as u32 + 1) };
                    *name = u64::from(v);
                }
            });
    }
    drop(lists);
    // 4. Every endpoint becomes its dense id.
    let table: &[u32] = table;
    first
        .par_chunks_mut(1 << 15)
        .chain(second.par_chunks_mut(1 << 15))
        .for_each(|c| {
            for x in c {
                *x = table[*x as usize] - 1;
            }
        });
    Ok(())
}

/// Step 1 for one group of rows: its bitmap (`words` words) and its values
/// in order of first appearance within the group.
fn group_firsts(first: &[u32], second: &[u32], words: usize) -> (Bitmap, Vec<u32>) {
    let mut seen = vec![0u64; words];
    let mut out: Vec<u32> = Vec::with_capacity(2 * first.len());
    let spare = &mut out.spare_capacity_mut()[..2 * first.len()];
    let mut len = 0;
    for (&a, &b) in first.iter().zip(second) {
        for v in [a, b] {
            // Branch-free: every value is written at `len`, which only
            // moves past a new one (a branch here mispredicts on about a
            // third of the endpoints of a social graph).
            let (word, bit) = (&mut seen[(v >> 6) as usize], 1u64 << (v & 63));
            let new = *word & bit == 0;
            *word |= bit;
            spare[len].write(v);
            len += usize::from(new);
        }
    }
    // SAFETY: the first `len` slots were written above (each slot below
    // `len` was written before `len` moved past it).
    unsafe { out.set_len(len) };
    (seen, out)
}

/// A table written by several threads at distinct slots.
struct DisjointSlots<'a> {
    ptr: *mut u32,
    len: usize,
    _borrow: std::marker::PhantomData<&'a mut [u32]>,
}

// SAFETY: `write` only ever touches distinct slots from distinct threads
// (its contract), so sharing the pointer is as safe as sending `&mut u32`s.
unsafe impl Sync for DisjointSlots<'_> {}

impl<'a> DisjointSlots<'a> {
    fn new(slice: &'a mut [u32]) -> Self {
        DisjointSlots {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _borrow: std::marker::PhantomData,
        }
    }

    /// Writes `value` at `index` (bounds-checked).
    ///
    /// # Safety
    /// No other thread reads or writes `index` while `self` is alive.
    #[inline]
    unsafe fn write(&self, index: usize, value: u32) {
        assert!(index < self.len, "slot {index} out of {}", self.len);
        // SAFETY: in bounds (checked), and exclusive by the caller's contract.
        unsafe { self.ptr.add(index).write(value) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;
    use proptest::prelude::*;

    /// Interns the pairs one value at a time (the contract's reference).
    fn one_at_a_time(ids: &mut Interner, first: &[u32], second: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let (mut a, mut b) = (first.to_vec(), second.to_vec());
        for (x, y) in a.iter_mut().zip(b.iter_mut()) {
            *x = ids.intern_u64(u64::from(*x)).unwrap().0;
            *y = ids.intern_u64(u64::from(*y)).unwrap().0;
        }
        (a, b)
    }

    fn names(ids: &Interner) -> Vec<String> {
        ids.iter().map(|(_, n)| n.to_string()).collect()
    }

    /// Every group count gives the reference's ids and names, starting
    /// from `prefix` already interned (empty, dense, sparse or text).
    fn assert_all_groups_agree(prefix: &[&str], first: &[u32], second: &[u32]) {
        let mut start = Interner::new();
        for p in prefix {
            start.intern(p).unwrap();
        }
        let mut reference = start.clone();
        let want = one_at_a_time(&mut reference, first, second);
        let all = [1, 2, 3, 7, 64].map(Passes::Grouped);
        for groups in std::iter::once(Passes::OnePass).chain(all) {
            let mut ids = start.clone();
            let (mut a, mut b) = (first.to_vec(), second.to_vec());
            ids.intern_u32_pairs_with(&mut a, &mut b, groups).unwrap();
            assert_eq!((&a, &b), (&want.0, &want.1), "{groups:?}");
            assert_eq!(names(&ids), names(&reference), "{groups:?}");
            assert_eq!(ids.is_numeric(), reference.is_numeric());
            // Lookups and later interning keep working on the handed-back table.
            for (i, n) in names(&reference).iter().enumerate() {
                assert_eq!(ids.get(n), Some(NodeId(i as u32)), "{groups:?}, {n}");
            }
            let next = ids.len() as u32;
            assert!(ids.intern_u64(u64::from(u32::MAX)).unwrap().0 <= next);
        }
    }

    #[test]
    fn empty_and_single_rows() {
        assert_all_groups_agree(&[], &[], &[]);
        assert_all_groups_agree(&[], &[5], &[5]);
        assert_all_groups_agree(&[], &[0], &[u32::MAX]);
        assert_all_groups_agree(&["9"], &[9], &[3]);
    }

    #[test]
    fn duplicates_and_self_loops_keep_first_appearance() {
        let first = [4, 4, 2, 9, 2, 4, 0, 0];
        let second = [4, 2, 4, 9, 9, 1, 0, 4];
        assert_all_groups_agree(&[], &first, &second);
        assert_all_groups_agree(&["1", "4"], &first, &second);
    }

    #[test]
    fn huge_values_take_the_one_at_a_time_path() {
        // Values near u32::MAX with few rows: no direct table.
        let first = [u32::MAX, 3, u32::MAX - 1, 3];
        let second = [0, u32::MAX, 17, u32::MAX - 1];
        assert_all_groups_agree(&[], &first, &second);
        // An interner already on its hash table (a value near u64::MAX) or
        // holding text ids stays on it.
        assert_all_groups_agree(&["18446744073709551615", "2"], &first, &second);
        assert_all_groups_agree(&["alice", "3"], &first, &second);
        let mut ids = Interner::new();
        let (mut a, mut b) = (first.to_vec(), second.to_vec());
        ids.intern_u32_pairs(&mut a, &mut b).unwrap();
        assert_eq!((a, b), (vec![0, 2, 3, 2], vec![1, 0, 4, 3]));
        assert_eq!(ids.name(NodeId(0)).to_string(), u32::MAX.to_string());
    }

    #[test]
    fn a_prefix_dense_table_grows_and_keeps_its_ids() {
        let first: Vec<u32> = (0..5000).map(|i| (i * 7919) % 3001).collect();
        let second: Vec<u32> = (0..5000).map(|i| (i * 104_729) % 6007).collect();
        assert_all_groups_agree(&["6000", "12", "0"], &first, &second);
        // A table already longer than the largest value is reused as is.
        assert_all_groups_agree(&["6100", "5"], &first, &second);
        assert_all_groups_agree(&[], &first, &second);
    }

    #[test]
    fn the_public_entry_point_matches_at_parallel_sizes() {
        // Above `GROUPED_MIN_ROWS`, so the grouped passes run.
        let rows = GROUPED_MIN_ROWS * 3 + 17;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 200_003) as u32
        };
        let first: Vec<u32> = (0..rows).map(|_| next()).collect();
        let second: Vec<u32> = (0..rows).map(|_| next()).collect();
        let mut reference = Interner::new();
        let want = one_at_a_time(&mut reference, &first, &second);
        let mut ids = Interner::new();
        let (mut a, mut b) = (first.clone(), second.clone());
        ids.intern_u32_pairs(&mut a, &mut b).unwrap();
        assert_eq!((a, b), want);
        assert_eq!(names(&ids), names(&reference));
        assert_all_groups_agree(&[], &first, &second);
    }

    #[test]
    #[should_panic(expected = "different lengths")]
    fn columns_of_different_lengths_are_a_programming_error() {
        let _ = Interner::new().intern_u32_pairs(&mut [1, 2], &mut [1]);
    }

    proptest! {
        /// Any mix of small, repeated and huge values, after any prefix.
        #[test]
        fn matches_one_at_a_time(
            rows in proptest::collection::vec(
                (prop_oneof![0u32..50, any::<u32>()], prop_oneof![0u32..50, any::<u32>()]),
                0..120),
            prefix in proptest::collection::vec(prop_oneof![
                (0u64..60).prop_map(|v| v.to_string()),
                Just(u64::MAX.to_string()),
                Just("x".to_string()),
            ], 0..3),
        ) {
            let (first, second): (Vec<u32>, Vec<u32>) = rows.into_iter().unzip();
            let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
            assert_all_groups_agree(&prefix, &first, &second);
        }
    }
}
