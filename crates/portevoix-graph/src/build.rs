//! Parallel CSR construction from a columnar [`LayerLog`].
//!
//! The algorithm (summarised for users on [`LayerGraph::build`]) is a
//! **two-level stable counting sort** of the rows by actor, followed by a
//! per-actor sort by target and an in-place merge of duplicates:
//!
//! * **Pass A** (parallel over fixed row chunks): validate ids, count
//!   self-loops, and count rows per actor in one histogram per chunk.
//! * **Offsets** (sequential, `O(n · chunks)`): prefix sums give each actor
//!   its bucket, and each (chunk, coarse bucket of `2^shift` actors) a write
//!   cursor. Chunk `k`'s rows land after chunk `k − 1`'s in every coarse
//!   bucket, so the partition is **stable** whatever the number of chunks.
//! * **Pass B** (parallel over chunks): each kept row is written once, as a
//!   packed `(target, weight)` word plus its actor, into its coarse bucket.
//!   There are at most a few thousand coarse buckets, so writes go to few
//!   streams and the caches combine them; a direct scatter to a million
//!   actor buckets misses the cache on every row (on a scale-20 Kronecker
//!   graph, the direct version of the transposition took twice as long).
//! * **Pass C** (parallel over coarse buckets, each about 32 Ki rows, in
//!   cache): a local stable counting sort by actor, then per actor a stable
//!   sort by target (skipped when already sorted, as in SNAP files), and the
//!   merge of runs of equal targets **in input order** with the
//!   [`DuplicatePolicy`](crate::DuplicatePolicy), written back in place.
//! * **Compaction** (parallel over blocks of actors): merged buckets are
//!   copied into the final out-CSR arrays.
//! * **Transposition** ([`transpose_with`]): the in-CSR by the same
//!   two-level counting sort, by target, reusing the row buffers.
//!
//! **Uniform weights** ([`uniform`]): when every row has the same weight and
//! no time or value is kept (every plain edge list), the same passes move
//! bare `u32` ids instead of packed words, sort each actor's targets with an
//! unstable sort (equal targets cannot be told apart), skip the compaction
//! when no row merges and fill the weights; the output is bit-identical.
//! When the rows are few (their arrays stay in cache) or grouped by actor
//! (pass A counts the runs), they skip passes B and C for a **direct
//! scatter** through per-chunk cursors (pass A's histograms, turned into
//! cursors in place), and the in-CSR is one scatter too; see [`uniform`].
//! Measured on the 2-core machine under heavy load from other builds (load
//! average 12-19, so only the ratios mean something; re-run on a quiet
//! machine), best of 7, ms: Slashdot build 194 → 127, Epinions 186 → 133
//! (`PV_STAGES`-style stage timers, not committed). Stages before the
//! change on Slashdot: pass A 5, pass B 31, pass C 52, compaction 20,
//! transposition 34, statistics 16; after: passes B + C + compaction 54,
//! transposition 31, statistics 12.
//!
//! No step allocates per edge or per node: every buffer is a flat array sized
//! from the histograms, plus one reusable scratch per worker for pass C.
//! Every sort is stable and every merge follows input order, so the result,
//! floating-point sums included, is bit-identical for any number of threads.

use crate::csr::{Csr, EdgeTimes};
use crate::layer_graph::{Extras, LayerGraph};
use crate::options::{BuildOptions, DuplicatePolicy};
use crate::par::{
    SharedSlice, block_grain, even_ranges, node_blocks, prefix_offsets, scatter_chunks,
    split_at_cuts,
};
use crate::stats::LayerStats;
use portevoix_core::{Error, LayerLog, NO_TIME, Result, Timestamp};
use rayon::prelude::*;
use std::ops::Range;

mod uniform;

/// Packs a neighbour id and a weight into one word, so that the random
/// writes of the scatter touch one cache line per row instead of two.
#[inline]
pub(crate) fn pack(nbr: u32, w: f32) -> u64 {
    nbr as u64 | ((w.to_bits() as u64) << 32)
}

/// Neighbour id of a packed word.
#[inline]
pub(crate) fn nbr(e: u64) -> u32 {
    e as u32
}

/// Weight of a packed word.
#[inline]
pub(crate) fn wt(e: u64) -> f32 {
    f32::from_bits((e >> 32) as u32)
}

/// Most rows one layer may hold: bucket positions and cursors are `u32`.
/// That is 4.29 billion rows, 51 GB of log, more than the machine holds.
const MAX_ROWS: usize = u32::MAX as usize;

/// Checks everything that would otherwise make the build index out of bounds.
fn validate(log: &LayerLog, num_nodes: usize) -> Result<()> {
    let rows = log.actor.len();
    if num_nodes > u32::MAX as usize {
        return Err(Error::argument(
            "num_nodes",
            format!(
                "a network holds at most {} nodes, {num_nodes} were asked for",
                u32::MAX
            ),
        ));
    }
    if rows > MAX_ROWS {
        return Err(Error::argument(
            "log",
            format!("a layer holds at most {MAX_ROWS} rows, this one has {rows}"),
        ));
    }
    let misaligned = |name: &str, len: usize| -> Result<()> {
        if len != rows {
            return Err(Error::argument(
                "log",
                format!("layer log columns are misaligned: {rows} actors but {len} {name}"),
            ));
        }
        Ok(())
    };
    misaligned("targets", log.target.len())?;
    misaligned("weights", log.weight.len())?;
    if let Some(t) = &log.time {
        misaligned("times", t.len())?;
    }
    if let Some(v) = &log.value {
        misaligned("values", v.len())?;
    }
    Ok(())
}

/// Sums of `fine` over each coarse bucket of ids (`id >> shift`).
fn coarse_sums<T: Copy + Into<u64>, U: Copy + TryFrom<u64> + Default>(
    fine: &[T],
    shift: u32,
    coarse: usize,
) -> Vec<U> {
    let mut sums = vec![U::default(); coarse];
    for (c, chunk) in fine.chunks(1 << shift).enumerate() {
        let total: u64 = chunk.iter().map(|&x| x.into()).sum();
        // Totals never exceed the item count, which fits the counter type.
        sums[c] = U::try_from(total).unwrap_or_default();
    }
    sums
}

/// Pass A output for one chunk of rows.
struct ChunkHistogram {
    fine: Vec<u32>,
    coarse: Vec<u32>,
    self_loops: u64,
    span: Option<(i64, i64)>,
    /// Runs of kept rows with one actor, and the first and last kept actor:
    /// with the other chunks', they tell whether every actor's rows form
    /// one run (a file grouped by source).
    runs: Runs,
}

/// The runs of equal actors among a chunk's kept rows.
#[derive(Clone, Copy, Default)]
struct Runs {
    count: u64,
    first: Option<u32>,
    last: Option<u32>,
}

impl Runs {
    /// Counts the kept row of actor `a`.
    #[inline]
    fn push(&mut self, a: u32) {
        if self.last != Some(a) {
            self.count += 1;
            self.first.get_or_insert(a);
            self.last = Some(a);
        }
    }
}

/// Runs of all chunks together, in row order: a run cut by a chunk
/// boundary counts once.
fn total_runs(runs: impl Iterator<Item = Runs>) -> u64 {
    let (mut total, mut last) = (0u64, None);
    for r in runs {
        total += r.count;
        if r.first.is_some() && r.first == last {
            total -= 1;
        }
        if r.last.is_some() {
            last = r.last;
        }
    }
    total
}

fn histogram_rows(
    log: &LayerLog,
    rows: Range<usize>,
    n: usize,
    shift: u32,
    coarse: usize,
    keep_self_loops: bool,
) -> Result<ChunkHistogram> {
    let mut fine = vec![0u32; n];
    let mut self_loops = 0u64;
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let times = log.time.as_deref().map(|t| &t[rows.clone()]);
    let actors = &log.actor[rows.clone()];
    let targets = &log.target[rows.clone()];
    // Rows of one actor often come in runs (files sorted by source): count
    // runs, so that increments of one counter do not wait on each other.
    let (mut prev, mut run) = (0u32, 0u32);
    let mut runs = Runs::default();
    for (i, (&a, &t)) in actors.iter().zip(targets).enumerate() {
        if a as usize >= n || t as usize >= n {
            let bad = if a as usize >= n { a } else { t };
            return Err(Error::argument(
                "log",
                format!(
                    "row {}: node id {bad} is out of range for a network of {n} nodes",
                    rows.start + i
                ),
            ));
        }
        if a == t {
            self_loops += 1;
            if !keep_self_loops {
                continue;
            }
        }
        runs.push(a);
        if a == prev {
            run += 1;
        } else {
            fine[prev as usize] += run;
            prev = a;
            run = 1;
        }
        if let Some(ts) = times {
            let x = ts[i];
            if x != NO_TIME {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    if run > 0 {
        fine[prev as usize] += run;
    }
    let coarse_h = coarse_sums(&fine, shift, coarse);
    Ok(ChunkHistogram {
        fine,
        coarse: coarse_h,
        self_loops,
        span: (lo <= hi).then_some((lo, hi)),
        runs,
    })
}

/// Log2 of the number of ids per coarse bucket of the two-level counting
/// sorts: about 32 Ki items per bucket, so that a bucket's items (256 KiB of
/// packed words) stay in the cache while they are sorted by fine key, and
/// at most 4096 buckets, so that the partitioning pass writes to few enough
/// streams for the caches to combine its writes.
fn coarse_shift(n: usize, items: usize) -> u32 {
    let per = ((n as u128) << 15) / items.max(1) as u128;
    let per = per.clamp(1, 1 << 31) as u64;
    let shift = per.next_power_of_two().trailing_zeros();
    let log_n = usize::BITS - n.saturating_sub(1).leading_zeros();
    shift.max(log_n.saturating_sub(12)).min(31)
}

/// Number of coarse buckets covering ids `0..n` with `shift`.
fn coarse_count(n: usize, shift: u32) -> usize {
    if n == 0 { 1 } else { ((n - 1) >> shift) + 1 }
}

/// Reusable per-worker buffers of pass C.
#[derive(Default)]
struct Scratch {
    cursors: Vec<usize>,
    entries: Vec<u64>,
    times: Vec<i64>,
    values: Vec<f32>,
}

/// Reorders `data` as `keys` say (the low 32 bits of each key are a position).
fn permute<T: Copy>(data: &mut [T], keys: &[u64], buf: &mut Vec<T>) {
    buf.clear();
    buf.extend(keys.iter().map(|&k| data[k as u32 as usize]));
    data.copy_from_slice(buf);
}

/// The pieces of one coarse bucket of actors during pass C: row-space
/// slices of the partitioned rows, and the actors' merged lengths.
struct Block<'a> {
    actors: Range<usize>,
    entries: &'a mut [u64],
    keys: &'a mut [u32],
    times: Option<&'a mut [i64]>,
    time_counts: Option<&'a mut [u32]>,
    values: Option<&'a mut [f32]>,
    merged_len: &'a mut [u32],
}

/// Sorts one actor's rows (in input order) stably by target, in place.
fn sort_bucket(
    ent: &mut [u64],
    times: Option<&mut [i64]>,
    values: Option<&mut [f32]>,
    id_bits: u32,
    sc: &mut SortBufs,
) {
    if ent.windows(2).all(|p| nbr(p[0]) <= nbr(p[1])) {
        return; // already in order: common for edge lists sorted by source and target
    }
    if times.is_none() && values.is_none() {
        if ent.len() <= 256 {
            // Stable sort on the packed words; short slices need no heap buffer.
            ent.sort_by_key(|&e| nbr(e));
        } else {
            radix_sort_by_target(ent, id_bits, &mut sc.entries);
        }
        return;
    }
    // (target, position) keys are unique, so an unstable sort of them is the
    // stable sort by target, with no allocation beyond the reused buffers.
    sc.keys.clear();
    sc.keys.extend(
        ent.iter()
            .enumerate()
            .map(|(i, &e)| ((nbr(e) as u64) << 32) | i as u64),
    );
    sc.keys.sort_unstable();
    permute(ent, &sc.keys, &mut sc.entries);
    if let Some(t) = times {
        permute(t, &sc.keys, &mut sc.times);
    }
    if let Some(v) = values {
        permute(v, &sc.keys, &mut sc.values);
    }
}

/// Stable LSD radix sort of packed words by their target (the low
/// `id_bits` bits), 11 bits per pass. For the long rows of hubs it does two
/// linear passes where a comparison sort would do `log2(len)` (and, being
/// stable, it keeps duplicates in input order like the other paths).
fn radix_sort_by_target(ent: &mut [u64], id_bits: u32, buf: &mut Vec<u64>) {
    const DIGIT: u32 = 11;
    let len = ent.len();
    buf.clear();
    buf.resize(len, 0);
    let mut counts = [0usize; 1 << DIGIT];
    let mut in_ent = true; // where the data currently is
    let mut shift = 0;
    while shift < id_bits.max(1) {
        let (src, dst): (&[u64], &mut [u64]) = if in_ent {
            (&*ent, &mut buf[..])
        } else {
            (&buf[..], &mut *ent)
        };
        let digit = |e: u64| ((nbr(e) >> shift) & ((1 << DIGIT) - 1)) as usize;
        counts.fill(0);
        for &e in src {
            counts[digit(e)] += 1;
        }
        let mut acc = 0;
        for c in counts.iter_mut() {
            let k = *c;
            *c = acc;
            acc += k;
        }
        for &e in src {
            let d = digit(e);
            dst[counts[d]] = e;
            counts[d] += 1;
        }
        in_ent = !in_ent;
        shift += DIGIT;
    }
    if !in_ent {
        ent.copy_from_slice(buf);
    }
}

/// Buffers of [`sort_bucket`].
#[derive(Default)]
struct SortBufs {
    keys: Vec<u64>,
    entries: Vec<u64>,
    times: Vec<i64>,
    values: Vec<f32>,
}

/// Merges runs of equal targets of one sorted actor bucket `src` (input
/// order within runs) into `dst[0..k]` with the policy, and returns `k`.
/// Counts, value means and time counts go to position `0..k` of their
/// outputs; times are copied to `dst_times` at row positions, sorted within
/// each run with missing times first.
#[allow(clippy::too_many_arguments)]
fn merge_runs(
    src: &[u64],
    src_times: Option<&mut [i64]>,
    src_values: Option<&[f32]>,
    dst: &mut [u64],
    dst_counts: &mut [u32],
    mut dst_times: Option<&mut [i64]>,
    mut dst_time_counts: Option<&mut [u32]>,
    mut dst_values: Option<&mut [f32]>,
    policy: DuplicatePolicy,
) -> u32 {
    let len = src.len();
    let mut src_times = src_times;
    let (mut i, mut k) = (0usize, 0usize);
    while i < len {
        let target = nbr(src[i]);
        let mut j = i + 1;
        while j < len && nbr(src[j]) == target {
            j += 1;
        }
        let w = if j - i == 1 && policy != DuplicatePolicy::Count {
            wt(src[i])
        } else {
            policy.merge(src[i..j].iter().map(|&e| wt(e)))
        };
        dst[k] = pack(target, w);
        dst_counts[k] = (j - i) as u32;
        if let (Some(vals), Some(out)) = (src_values, dst_values.as_deref_mut()) {
            let (sum, c) = vals[i..j]
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0f64, 0u32), |(s, c), &v| (s + v as f64, c + 1));
            out[k] = if c > 0 {
                (sum / c as f64) as f32
            } else {
                f32::NAN
            };
        }
        if let (Some(ts), Some(out)) = (src_times.as_deref_mut(), dst_times.as_deref_mut()) {
            let run = &mut ts[i..j];
            run.sort_unstable();
            out[i..j].copy_from_slice(run);
            if let Some(tc) = dst_time_counts.as_deref_mut() {
                tc[k] = run.iter().filter(|&&t| t != NO_TIME).count() as u32;
            }
        }
        k += 1;
        i = j;
    }
    k as u32
}

/// Pass C on one coarse bucket: a local stable counting sort of its rows by
/// actor (in cache), then per actor a stable sort by target and the merge of
/// duplicate runs, written back to the bucket's own slices.
fn process_block(
    blk: Block<'_>,
    bucket_off: &[u64],
    id_bits: u32,
    policy: DuplicatePolicy,
    sc: &mut (Scratch, SortBufs),
) {
    let (sc, bufs) = sc;
    let Block {
        actors,
        entries,
        keys,
        mut times,
        mut time_counts,
        mut values,
        merged_len,
    } = blk;
    let base = bucket_off[actors.start];
    let len = entries.len();
    sc.cursors.clear();
    sc.cursors
        .extend(actors.clone().map(|a| (bucket_off[a] - base) as usize));
    sc.entries.resize(len, 0);
    if times.is_some() {
        sc.times.resize(len, 0);
    }
    if values.is_some() {
        sc.values.resize(len, 0.0);
    }
    for i in 0..len {
        let a = keys[i] as usize - actors.start;
        let d = sc.cursors[a];
        sc.cursors[a] = d + 1;
        sc.entries[d] = entries[i];
        if let Some(t) = times.as_deref() {
            sc.times[d] = t[i];
        }
        if let Some(v) = values.as_deref() {
            sc.values[d] = v[i];
        }
    }
    let (has_times, has_values) = (times.is_some(), values.is_some());
    for (j, a) in actors.clone().enumerate() {
        let s = (bucket_off[a] - base) as usize;
        let e = (bucket_off[a + 1] - base) as usize;
        if s == e {
            continue;
        }
        if e - s == 1 && !has_times && !has_values && policy != DuplicatePolicy::Count {
            // One row: already sorted and merged (what `merge_runs` would
            // write). Sparse layers are mostly such actors (a retweet
            // forest has 1.3 rows per actor).
            entries[s] = sc.entries[s];
            keys[s] = 1;
            merged_len[j] = 1;
            continue;
        }
        sort_bucket(
            &mut sc.entries[s..e],
            if has_times {
                Some(&mut sc.times[s..e])
            } else {
                None
            },
            if has_values {
                Some(&mut sc.values[s..e])
            } else {
                None
            },
            id_bits,
            bufs,
        );
        merged_len[j] = merge_runs(
            &sc.entries[s..e],
            if has_times {
                Some(&mut sc.times[s..e])
            } else {
                None
            },
            if has_values {
                Some(&sc.values[s..e])
            } else {
                None
            },
            &mut entries[s..e],
            &mut keys[s..e],
            times.as_deref_mut().map(|t| &mut t[s..e]),
            time_counts.as_deref_mut().map(|t| &mut t[s..e]),
            values.as_deref_mut().map(|v| &mut v[s..e]),
            policy,
        );
    }
}

/// Splits an optional column at `cuts`, giving `None` pieces when absent.
fn split_opt<'a, T>(col: &'a mut Option<Vec<T>>, cuts: &[usize]) -> Vec<Option<&'a mut [T]>> {
    match col {
        Some(v) => split_at_cuts(v, cuts).into_iter().map(Some).collect(),
        None => (1..cuts.len()).map(|_| None).collect(),
    }
}

/// Builds one layer. See [`LayerGraph::build`] for the contract.
pub(crate) fn build_layer(log: &LayerLog, n: usize, opts: &BuildOptions) -> Result<LayerGraph> {
    build_layer_with(log, n, opts, Some(uniform::DIRECT_MAX_ITEMS))
}

/// [`build_layer`], with the uniform-weight path allowed or not, and the
/// most rows and edges it scatters directly (the tests compare every path):
/// `None` takes the general path.
fn build_layer_with(
    log: &LayerLog,
    n: usize,
    opts: &BuildOptions,
    uniform_direct_max: Option<usize>,
) -> Result<LayerGraph> {
    validate(log, n)?;
    let rows = log.len();
    let policy = opts.duplicates;
    let keep_loops = opts.keep_self_loops;
    let times_in = if opts.keep_times {
        log.time.as_deref()
    } else {
        None
    };
    let values_in = log.value.as_deref();
    let shift = coarse_shift(n, rows);
    let coarse = coarse_count(n, shift);
    // Significant bits of a node id, for the radix sort of long rows.
    let id_bits = u32::BITS - (n.saturating_sub(1) as u32).leading_zeros();

    // Pass A: per-chunk histograms by actor (fine) and coarse bucket.
    let ranges = even_ranges(rows, scatter_chunks(rows, n));
    let partial: Vec<Result<ChunkHistogram>> = ranges
        .par_iter()
        .map(|r| histogram_rows(log, r.clone(), n, shift, coarse, keep_loops))
        .collect();
    let mut hists = Vec::with_capacity(partial.len());
    let (mut self_loops, mut span) = (0u64, None::<(i64, i64)>);
    for p in partial {
        // The first failing chunk in row order, so the message is deterministic.
        let h = p?;
        self_loops += h.self_loops;
        span = match (span, h.span) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (s, None) | (None, s) => s,
        };
        hists.push(h);
    }

    // Actor offsets, and coarse cursors: chunk k's rows of coarse bucket c
    // start after chunk k-1's, which makes the partition stable. Each
    // chunk's fine histogram becomes, in place, its write cursors per actor
    // in the same way (for the direct scatter of the uniform build).
    let mut bucket_off = vec![0u64; n + 1];
    let (mut acc, mut active) = (0u64, 0u64);
    for (v, off) in bucket_off[..n].iter_mut().enumerate() {
        *off = acc;
        for h in hists.iter_mut() {
            let count = h.fine[v] as u64;
            // `acc` stays below the row count, which `validate` bounds by `u32::MAX`.
            h.fine[v] = acc as u32;
            acc += count;
        }
        active += u64::from(acc > *off);
    }
    bucket_off[n] = acc;
    let kept = acc as usize;
    let grouped = total_runs(hists.iter().map(|h| h.runs)) == active;
    let mut cursors: Vec<Vec<u32>> = hists.iter().map(|h| h.coarse.clone()).collect();
    let row_cursors: Vec<Vec<u32>> = hists.into_iter().map(|h| h.fine).collect();
    let mut pos = 0u32;
    for c in 0..coarse {
        for cur in cursors.iter_mut() {
            let count = cur[c];
            cur[c] = pos;
            pos += count;
        }
    }
    let common = match uniform_direct_max {
        Some(limit) if times_in.is_none() && values_in.is_none() => {
            uniform::common_weight(&log.weight).map(|w| (w, limit))
        }
        _ => None,
    };
    if let Some((weight, direct_max)) = common {
        // Rows go straight to their slots when the file is grouped by actor
        // (the writes are sequential) or when they are few (the writes stay
        // in cache); many scattered rows take the two-level partition.
        let direct = (grouped || kept <= direct_max).then_some(row_cursors);
        let partition = uniform::Partition {
            actor: &log.actor,
            target: &log.target,
            keep_loops,
            shift,
            coarse,
            ranges,
            cursors,
            bucket_off,
            direct,
        };
        let rows_out = uniform::out_rows(partition, n, policy, weight);
        let out = rows_out.out;
        let mut scratch = rows_out.scratch;
        let inn = match uniform::common_weight(&out.weights) {
            Some(w) => uniform::transpose_uniform(&out, w, scratch, direct_max),
            None => transpose_with(&out, &mut Vec::new(), &mut scratch),
        };
        let partial = LayerStats {
            input_rows: rows as u64,
            self_loops_dropped: if keep_loops { 0 } else { self_loops },
            duplicates_merged: (kept - out.num_edges()) as u64,
            time_span: span.map(|(a, b)| (Timestamp(a), Timestamp(b))),
            ..LayerStats::default()
        };
        let extras = Extras {
            counts: rows_out.counts,
            times: None,
            values: None,
        };
        return Ok(LayerGraph::assemble(out, inn, extras, partial));
    }
    drop(row_cursors);
    // Pass B: stable partition of the kept rows by coarse bucket of actor.
    // Few output streams, so the writes are mostly sequential.
    let mut entries = vec![0u64; kept];
    let mut keys = vec![0u32; kept];
    let mut times: Option<Vec<i64>> = times_in.map(|_| vec![0i64; kept]);
    let mut values: Option<Vec<f32>> = values_in.map(|_| vec![0f32; kept]);
    {
        let e_out = SharedSlice::new(&mut entries);
        let k_out = SharedSlice::new(&mut keys);
        let t_out = times.as_deref_mut().map(SharedSlice::new);
        let v_out = values.as_deref_mut().map(SharedSlice::new);
        ranges
            .par_iter()
            .zip(cursors.par_iter_mut())
            .for_each(|(r, cur)| {
                for i in r.clone() {
                    let (a, t) = (log.actor[i], log.target[i]);
                    if a == t && !keep_loops {
                        continue;
                    }
                    let c = (a >> shift) as usize;
                    let d = cur[c] as usize;
                    cur[c] += 1;
                    // SAFETY: the prefix sums gave every (chunk, coarse bucket) a
                    // disjoint range of `kept` slots, and each row advances its cursor.
                    unsafe {
                        e_out.write(d, pack(t, log.weight[i]));
                        k_out.write(d, a);
                        if let (Some(o), Some(src)) = (&t_out, times_in) {
                            o.write(d, src[i]);
                        }
                        if let (Some(o), Some(src)) = (&v_out, values_in) {
                            o.write(d, src[i]);
                        }
                    }
                }
            });
    }
    drop(cursors);

    // Pass C: per coarse bucket, in cache: sort by actor, then by target,
    // and merge duplicates. Merged words land at the start of each actor's
    // bucket; `keys` then holds the merged-row counts.
    let mut time_counts: Option<Vec<u32>> = times.as_ref().map(|_| vec![0u32; kept]);
    let mut merged_len = vec![0u32; n];
    let bounds: Vec<usize> = (0..=coarse).map(|c| (c << shift).min(n)).collect();
    let row_cuts: Vec<usize> = bounds.iter().map(|&b| bucket_off[b] as usize).collect();
    {
        let blocks: Vec<Block<'_>> = split_at_cuts(&mut entries, &row_cuts)
            .into_iter()
            .zip(split_at_cuts(&mut keys, &row_cuts))
            .zip(split_opt(&mut times, &row_cuts))
            .zip(split_opt(&mut time_counts, &row_cuts))
            .zip(split_opt(&mut values, &row_cuts))
            .zip(split_at_cuts(&mut merged_len, &bounds))
            .zip(bounds.windows(2))
            .map(|((((((e, k), t), tc), v), m), b)| Block {
                actors: b[0]..b[1],
                entries: e,
                keys: k,
                times: t,
                time_counts: tc,
                values: v,
                merged_len: m,
            })
            .collect();
        blocks.into_par_iter().for_each_init(
            || (Scratch::default(), SortBufs::default()),
            |sc, blk| process_block(blk, &bucket_off, id_bits, policy, sc),
        );
    }
    let counts_rows = keys;

    // Compaction of the merged buckets into the final out-CSR.
    let out_off = prefix_offsets(&merged_len);
    let num_edges = out_off[n] as usize;
    let blocks = node_blocks(&bucket_off, block_grain(kept), 1 << 16);
    let edge_cuts: Vec<usize> = blocks.iter().map(|&b| out_off[b] as usize).collect();
    let mut neighbors = vec![0u32; num_edges];
    let mut weights = vec![0f32; num_edges];
    let mut counts: Option<Vec<u32>> = (num_edges < kept).then(|| vec![0u32; num_edges]);
    let mut values_out: Option<Vec<f32>> = values.as_ref().map(|_| vec![0f32; num_edges]);
    let mut tcounts: Option<Vec<u32>> = times.as_ref().map(|_| vec![0u32; num_edges]);
    split_at_cuts(&mut neighbors, &edge_cuts)
        .into_iter()
        .zip(split_at_cuts(&mut weights, &edge_cuts))
        .zip(split_opt(&mut counts, &edge_cuts))
        .zip(split_opt(&mut values_out, &edge_cuts))
        .zip(split_opt(&mut tcounts, &edge_cuts))
        .zip(blocks.windows(2))
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each(|(((((nb, ws), mut cs), mut vs), mut tcs), b)| {
            let first_edge = out_off[b[0]] as usize;
            for u in b[0]..b[1] {
                let src = bucket_off[u] as usize;
                let m = merged_len[u] as usize;
                let dst = out_off[u] as usize - first_edge;
                for x in 0..m {
                    nb[dst + x] = nbr(entries[src + x]);
                    ws[dst + x] = wt(entries[src + x]);
                }
                if let Some(cs) = cs.as_deref_mut() {
                    cs[dst..dst + m].copy_from_slice(&counts_rows[src..src + m]);
                }
                if let (Some(vs), Some(vals)) = (vs.as_deref_mut(), values.as_deref()) {
                    vs[dst..dst + m].copy_from_slice(&vals[src..src + m]);
                }
                if let (Some(tcs), Some(tc)) = (tcs.as_deref_mut(), time_counts.as_deref()) {
                    tcs[dst..dst + m].copy_from_slice(&tc[src..src + m]);
                }
            }
        });

    // Times: a CSR per out-edge of the present times (the last ones of each run).
    let edge_times = match (times, tcounts) {
        (Some(row_times), Some(tcounts)) => {
            let toff = prefix_offsets(&tcounts);
            let total = toff[num_edges] as usize;
            if total == 0 {
                None
            } else {
                let mut all = vec![0i64; total];
                let time_cuts: Vec<usize> = edge_cuts.iter().map(|&e| toff[e] as usize).collect();
                split_at_cuts(&mut all, &time_cuts)
                    .into_iter()
                    .zip(blocks.windows(2))
                    .collect::<Vec<_>>()
                    .into_par_iter()
                    .for_each(|(dst, b)| {
                        let mut w = 0usize;
                        for u in b[0]..b[1] {
                            let mut run = bucket_off[u] as usize;
                            for x in 0..merged_len[u] as usize {
                                let c = counts_rows[bucket_off[u] as usize + x] as usize;
                                let tc = tcounts[out_off[u] as usize + x] as usize;
                                dst[w..w + tc].copy_from_slice(&row_times[run + c - tc..run + c]);
                                w += tc;
                                run += c;
                            }
                        }
                    });
                Some(EdgeTimes {
                    offsets: toff,
                    times: all,
                })
            }
        }
        _ => None,
    };
    let values_out = values_out.filter(|v| v.par_iter().any(|x| !x.is_nan()));

    let out = Csr {
        offsets: out_off,
        neighbors,
        weights,
    };
    // The row buffers are free again: the transposition reuses them, which
    // spares the page faults of fresh allocations.
    let mut scratch_keys = counts_rows;
    let inn = transpose_with(&out, &mut entries, &mut scratch_keys);
    drop((entries, scratch_keys));
    let partial = LayerStats {
        input_rows: rows as u64,
        self_loops_dropped: if keep_loops { 0 } else { self_loops },
        duplicates_merged: (kept - num_edges) as u64,
        time_span: span.map(|(a, b)| (Timestamp(a), Timestamp(b))),
        ..LayerStats::default()
    };
    Ok(LayerGraph::assemble(
        out,
        inn,
        Extras {
            counts,
            times: edge_times,
            values: values_out,
        },
        partial,
    ))
}

/// Builds the in-direction CSR of `out`. See [`transpose_with`].
pub(crate) fn transpose(out: &Csr) -> Csr {
    transpose_with(out, &mut Vec::new(), &mut Vec::new())
}

/// Source cut points of the transposition: `chunks + 1` account indices, from
/// 0 to `n`, with about `m / chunks` out-edges between two consecutive cuts.
fn source_cuts(out: &Csr, chunks: usize) -> Vec<usize> {
    let (n, m) = (out.num_nodes(), out.num_edges());
    let mut cuts: Vec<usize> = (0..=chunks)
        .map(|k| {
            let goal = (k * m / chunks) as u64;
            out.offsets.partition_point(|&o| o < goal).min(n)
        })
        .collect();
    cuts[0] = 0;
    cuts[chunks] = n;
    cuts
}

/// Builds the in-direction CSR of `out` by a parallel, stable, two-level
/// counting sort of its edges by target, using `scratch_entries` and
/// `scratch_keys` as buffers (grown to the edge count if needed).
///
/// Sources are split into chunks of about equal edge counts. Pass A counts
/// targets per chunk; pass B partitions `(source, weight)` words by coarse
/// bucket of target (a few thousand sequential streams); pass C, per coarse
/// bucket and in cache, places each word at its final position in the
/// in-CSR arrays. Chunks, and sources within a chunk, are visited in
/// increasing order and every pass is stable, so each in-row comes out
/// sorted by source, for any number of chunks or threads.
///
/// Complexity: `O(m + n · chunks)` work, `O(m / threads + n · chunks)` time.
pub(crate) fn transpose_with(
    out: &Csr,
    scratch_entries: &mut Vec<u64>,
    scratch_keys: &mut Vec<u32>,
) -> Csr {
    let n = out.num_nodes();
    let m = out.num_edges();
    let chunks = scatter_chunks(m, n);
    let shift = coarse_shift(n, m);
    let coarse = coarse_count(n, shift);
    let cuts = source_cuts(out, chunks);
    let hists: Vec<(Vec<u64>, Vec<u64>)> = cuts
        .par_windows(2)
        .map(|w| {
            let mut fine = vec![0u64; n];
            let (s, e) = (out.offsets[w[0]] as usize, out.offsets[w[1]] as usize);
            for &v in &out.neighbors[s..e] {
                fine[v as usize] += 1;
            }
            let coarse_h: Vec<u64> = coarse_sums(&fine, shift, coarse);
            (fine, coarse_h)
        })
        .collect();
    let mut offsets = vec![0u64; n + 1];
    let mut acc = 0u64;
    for (v, off) in offsets[..n].iter_mut().enumerate() {
        *off = acc;
        for h in &hists {
            acc += h.0[v];
        }
    }
    offsets[n] = acc;
    let mut cursors: Vec<Vec<u64>> = hists.into_iter().map(|h| h.1).collect();
    let mut pos = 0u64;
    for c in 0..coarse {
        for cur in cursors.iter_mut() {
            let count = cur[c];
            cur[c] = pos;
            pos += count;
        }
    }
    if scratch_entries.len() < m {
        scratch_entries.resize(m, 0);
    }
    if scratch_keys.len() < m {
        scratch_keys.resize(m, 0);
    }
    {
        let e_out = SharedSlice::new(&mut scratch_entries[..m]);
        let k_out = SharedSlice::new(&mut scratch_keys[..m]);
        cuts.par_windows(2)
            .zip(cursors.par_iter_mut())
            .for_each(|(w, cur)| {
                for s in w[0]..w[1] {
                    for e in out.range(s) {
                        let v = out.neighbors[e];
                        let c = (v >> shift) as usize;
                        let d = cur[c] as usize;
                        cur[c] += 1;
                        // SAFETY: disjoint cursor ranges per (chunk, coarse bucket).
                        unsafe {
                            e_out.write(d, pack(s as u32, out.weights[e]));
                            k_out.write(d, v);
                        }
                    }
                }
            });
    }
    drop(cursors);
    let mut neighbors = vec![0u32; m];
    let mut weights = vec![0f32; m];
    let bounds: Vec<usize> = (0..=coarse).map(|c| (c << shift).min(n)).collect();
    let edge_cuts: Vec<usize> = bounds.iter().map(|&b| offsets[b] as usize).collect();
    let entries = &scratch_entries[..m];
    let keys = &scratch_keys[..m];
    split_at_cuts(&mut neighbors, &edge_cuts)
        .into_iter()
        .zip(split_at_cuts(&mut weights, &edge_cuts))
        .zip(bounds.windows(2))
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each_init(Vec::new, |cur: &mut Vec<usize>, ((nb, ws), b)| {
            let base = offsets[b[0]];
            cur.clear();
            cur.extend((b[0]..b[1]).map(|v| (offsets[v] - base) as usize));
            for i in base as usize..offsets[b[1]] as usize {
                let v = keys[i] as usize - b[0];
                let d = cur[v];
                cur[v] = d + 1;
                nb[d] = nbr(entries[i]);
                ws[d] = wt(entries[i]);
            }
        });
    Csr {
        offsets,
        neighbors,
        weights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portevoix_core::Layer;
    use portevoix_ingest::{FormatKind, ReadOptions, load};

    /// Rows from a small xorshift generator: ids below `n`, many duplicates
    /// and self-loops when `n` is small.
    fn random_log(rows: usize, n: u32, weight: f32, seed: u64) -> LayerLog {
        let mut x = seed | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as u32
        };
        let mut log = LayerLog::default();
        for _ in 0..rows {
            let (a, t) = (next(), next());
            log.actor.push(a);
            log.target.push(t);
            log.weight.push(weight);
        }
        log
    }

    fn assert_paths_agree(log: &LayerLog, n: usize, label: &str) {
        let policies = [
            DuplicatePolicy::Sum,
            DuplicatePolicy::Max,
            DuplicatePolicy::Mean,
            DuplicatePolicy::Count,
            DuplicatePolicy::First,
        ];
        for duplicates in policies {
            for keep_self_loops in [false, true] {
                let o = BuildOptions {
                    duplicates,
                    keep_self_loops,
                    ..BuildOptions::default()
                };
                let general = build_layer_with(log, n, &o, None).expect("valid rows");
                // Two-level partition (unless grouped), direct scatter.
                for direct_max in [0, usize::MAX] {
                    let fast = build_layer_with(log, n, &o, Some(direct_max)).expect("valid rows");
                    assert_eq!(
                        fast, general,
                        "{label}: {duplicates:?} loops {keep_self_loops} direct up to {direct_max}"
                    );
                }
            }
        }
    }

    #[test]
    fn uniform_path_matches_the_general_build() {
        // Small id spaces: runs of duplicates and self-loops; large: none.
        for (rows, n, w, seed) in [
            (50_000, 30, 1.0, 1),
            (200_000, 5_000, 1.0, 2),
            (300_000, 1 << 20, 2.5, 3),
            (100_000, 100, 0.0, 4),
            (1, 1, 1.0, 5),
        ] {
            let log = random_log(rows, n, w, seed);
            assert_paths_agree(&log, n as usize, &format!("random {rows}x{n}"));
        }
        // Rows sorted by actor and target, as in SNAP files.
        let mut log = random_log(100_000, 3_000, 1.0, 6);
        let mut pairs: Vec<(u32, u32)> =
            log.actor.iter().copied().zip(log.target.clone()).collect();
        pairs.sort_unstable();
        (log.actor, log.target) = pairs.into_iter().unzip();
        assert_paths_agree(&log, 3_000, "sorted");
        // Grouped by actor but in no order of actor or target, with
        // self-loops inside the runs: the direct path at any size.
        let mut log = random_log(150_000, 4_000, 1.0, 7);
        let mut rows: Vec<(u32, u32, usize)> = (0..log.len())
            .map(|i| (log.actor[i].wrapping_mul(2_654_435_761), log.target[i], i))
            .collect();
        rows.sort_unstable_by_key(|&(key, _, i)| (key, i));
        log.actor = rows.iter().map(|&(_, _, i)| log.actor[i]).collect();
        log.target = rows.iter().map(|&(_, t, _)| t).collect();
        let grouped = log.actor.windows(2).filter(|w| w[0] != w[1]).count() + 1;
        let actors: std::collections::HashSet<u32> = log.actor.iter().copied().collect();
        assert_eq!(grouped, actors.len(), "one run per actor");
        assert!(!log.actor.is_sorted() && log.target.windows(2).any(|w| w[0] > w[1]));
        assert_paths_agree(&log, 4_000, "grouped");
        assert_paths_agree(&LayerLog::default(), 10, "empty");
    }

    #[test]
    fn uniform_path_matches_the_general_build_on_real_edge_lists() {
        for file in [
            "slashdot-zoo/soc-Slashdot0902.txt.gz",
            "higgs-twitter/higgs-retweet_network.edgelist.gz",
        ] {
            let path = portevoix_testdata::shared_dataset(file);
            let mut ds = load(
                &[(path.as_path(), Some(FormatKind::EdgeList))],
                &ReadOptions::default(),
            )
            .expect("the shared dataset loads");
            let n = ds.num_nodes();
            let mut log = std::mem::take(ds.interactions.layer_mut(Layer::Follow));
            assert!(log.len() > 300_000, "{file}: {} rows", log.len());
            // Higgs's third column is a count: the weighted rows take the
            // general path, the same rows with unit weights the uniform one.
            assert_paths_agree(&log, n, file);
            log.weight.iter_mut().for_each(|w| *w = 1.0);
            assert_paths_agree(&log, n, file);
        }
    }
}
