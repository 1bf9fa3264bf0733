//! The build of a layer whose rows all weigh the same and carry no times
//! or values: every plain edge list (SNAP, Graph500), whose rows the ingest
//! crate gives weight 1.
//!
//! The general build moves a packed `(target, weight)` word per row through
//! every pass. Here a weight says nothing about its row, so the passes move
//! the bare `u32` target (half the bytes), each actor's targets are sorted
//! with an unstable sort (equal targets are indistinguishable), the merged
//! weight of a run of `k` equal rows is the policy applied to `k` copies of
//! the weight, and the transposition moves bare sources. When no row merges,
//! the partitioned targets already sit at their final out-CSR positions and
//! are kept as they are.
//!
//! **Direct scatter.** When the rows are few (at most [`DIRECT_MAX_ITEMS`],
//! so the arrays written stay in cache) or grouped by actor (files sorted
//! by source: the writes are sequential), the rows skip the two-level
//! partition: pass A's per-chunk histograms become per-chunk cursors, each
//! chunk writes its targets straight to their out-CSR slots, and each
//! actor's targets are sorted and merged in place ([`direct_rows`]); the
//! in-CSR is one scatter through per-chunk cursors too
//! ([`transpose_direct`]). On the 2-core machine, single-threaded CPU time
//! of the build, Slashdot / Epinions / Higgs retweet: rows 16.8 / 17.7 /
//! 6.2 ms → 13.6 / 14.3 / 5.3, transposition 14.4 / 15.1 / 8.1 →
//! 11.9 / 11.8 / 5.9 (see BENCHMARKS.md).
//!
//! The output is the general build's, bit for bit, on every path
//! (`tests::uniform_path_matches_the_general_build` checks each).

use super::{coarse_count, coarse_shift};
use crate::csr::Csr;
use crate::options::DuplicatePolicy;
use crate::par::{
    SharedSlice, block_grain, node_blocks, prefix_offsets, scatter_chunks, split_at_cuts,
};
use rayon::prelude::*;
use std::ops::Range;

/// The common weight of `weights`, if they are all bitwise equal (a
/// parallel scan, about a millisecond per 10 million rows).
pub(super) fn common_weight(weights: &[f32]) -> Option<f32> {
    let first = *weights.first()?;
    let bits = first.to_bits();
    weights
        .par_chunks(1 << 16)
        .all(|c| c.iter().all(|w| w.to_bits() == bits))
        .then_some(first)
}

/// What pass A and the offsets computed, shared with the general build.
pub(super) struct Partition<'a> {
    pub actor: &'a [u32],
    pub target: &'a [u32],
    pub keep_loops: bool,
    pub shift: u32,
    pub coarse: usize,
    pub ranges: Vec<Range<usize>>,
    /// Per chunk, the first slot of each coarse bucket.
    pub cursors: Vec<Vec<u32>>,
    /// Kept rows per actor, as offsets (`n + 1` entries).
    pub bucket_off: Vec<u64>,
    /// Per chunk of `ranges`, the slot of its first kept row of each actor
    /// (`n` cursors a chunk), when the rows go straight to their slots (see
    /// [`direct_rows`]) instead of through the two-level partition.
    pub direct: Option<Vec<Vec<u32>>>,
}

/// The out-CSR and the merged-row counts (`None` when no row merged).
pub(super) struct OutRows {
    pub out: Csr,
    pub counts: Option<Vec<u32>>,
    /// The scratch column of the partition, reused by the transposition.
    pub scratch: Vec<u32>,
}

/// Weight of an edge merged from `k` rows of weight `w`, as the general
/// build's `merge_runs` computes it.
fn run_weight(policy: DuplicatePolicy, w: f32, k: u32) -> f32 {
    if k == 1 && policy != DuplicatePolicy::Count {
        w
    } else {
        policy.merge(std::iter::repeat_n(w, k as usize))
    }
}

/// Pass B: stable partition of the kept rows' targets (and actors, as keys)
/// by coarse bucket of actor.
fn partition(p: &mut Partition<'_>, kept: usize) -> (Vec<u32>, Vec<u32>) {
    let mut targets = vec![0u32; kept];
    let mut keys = vec![0u32; kept];
    {
        let t_out = SharedSlice::new(&mut targets);
        let k_out = SharedSlice::new(&mut keys);
        let (actor, target, shift, keep_loops) = (p.actor, p.target, p.shift, p.keep_loops);
        p.ranges
            .par_iter()
            .zip(p.cursors.par_iter_mut())
            .for_each(|(r, cur)| {
                for i in r.clone() {
                    let (a, t) = (actor[i], target[i]);
                    if a == t && !keep_loops {
                        continue;
                    }
                    let c = (a >> shift) as usize;
                    let d = cur[c] as usize;
                    cur[c] += 1;
                    // SAFETY: the prefix sums gave every (chunk, coarse
                    // bucket) a disjoint range of slots, and each row
                    // advances its cursor.
                    unsafe {
                        t_out.write(d, t);
                        k_out.write(d, a);
                    }
                }
            });
    }
    (targets, keys)
}

/// Pass C on one coarse bucket of actors: a local counting sort by actor,
/// then per actor a sort of the targets and the merge of equal ones; the
/// merged targets go to the start of the actor's slots in `targets`, their
/// counts to the same slots of `keys`.
fn sort_block(
    actors: Range<usize>,
    bucket_off: &[u64],
    targets: &mut [u32],
    keys: &mut [u32],
    merged_len: &mut [u32],
    scratch: &mut (Vec<usize>, Vec<u32>),
) {
    let (cursors, local) = scratch;
    let base = bucket_off[actors.start];
    cursors.clear();
    cursors.extend(actors.clone().map(|a| (bucket_off[a] - base) as usize));
    local.clear();
    local.resize(targets.len(), 0);
    for (&t, &a) in targets.iter().zip(keys.iter()) {
        let slot = &mut cursors[a as usize - actors.start];
        local[*slot] = t;
        *slot += 1;
    }
    for (j, a) in actors.clone().enumerate() {
        let s = (bucket_off[a] - base) as usize;
        let e = (bucket_off[a + 1] - base) as usize;
        let row = &mut local[s..e];
        if !row.is_sorted() {
            row.sort_unstable();
        }
        let mut k = 0;
        let mut i = 0;
        while i < row.len() {
            let t = row[i];
            let mut end = i + 1;
            while end < row.len() && row[end] == t {
                end += 1;
            }
            targets[s + k] = t;
            keys[s + k] = (end - i) as u32;
            k += 1;
            i = end;
        }
        merged_len[j] = k as u32;
    }
}

/// Merges the runs of equal targets of one sorted row in place: the
/// distinct targets go to `row[..k]`, their counts to `counts[..k]`;
/// returns `k`.
fn merge_sorted_row(row: &mut [u32], counts: &mut [u32]) -> u32 {
    let mut k = 0;
    let mut i = 0;
    while i < row.len() {
        let t = row[i];
        let mut end = i + 1;
        while end < row.len() && row[end] == t {
            end += 1;
        }
        // `k <= i`: the write lands on a slot already read.
        row[k] = t;
        counts[k] = (end - i) as u32;
        k += 1;
        i = end;
    }
    k as u32
}

/// Most rows (and in-CSR edges) scattered straight to their final slots:
/// 4 Mi `u32` slots (16 MiB) and a few per-chunk cursor arrays stay in the
/// caches of the machines measured (2 MiB L2 per core and a large L3), so
/// one scattering pass beats the two-level partition there. Above it, on a
/// scale-20 Kronecker graph (16.8M rows), the direct scatter measured twice
/// as slow. Files grouped by source take the direct path at any size: their
/// writes are sequential.
pub(super) const DIRECT_MAX_ITEMS: usize = 1 << 22;

/// Passes B and C when the rows go straight to their slots: each chunk
/// writes its kept targets through its own cursors (one per actor, from
/// pass A), which is stable; then each actor's targets are sorted (skipped
/// when already sorted) and merged in place, in parallel over blocks of
/// actors. Returns the targets, the run counts and the merged lengths, laid
/// out as [`sort_block`] leaves them.
fn direct_rows(
    p: &Partition<'_>,
    mut cursors: Vec<Vec<u32>>,
    n: usize,
    kept: usize,
) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let mut targets = vec![0u32; kept];
    {
        let out = SharedSlice::new(&mut targets);
        let (actor, target, keep_loops) = (p.actor, p.target, p.keep_loops);
        p.ranges
            .par_iter()
            .zip(cursors.par_iter_mut())
            .for_each(|(r, cur)| {
                for i in r.clone() {
                    let (a, t) = (actor[i], target[i]);
                    if a == t && !keep_loops {
                        continue;
                    }
                    let slot = &mut cur[a as usize];
                    // SAFETY: pass A gave every (chunk, actor) a disjoint
                    // range of slots, and each row advances its cursor.
                    unsafe { out.write(*slot as usize, t) };
                    *slot += 1;
                }
            });
    }
    drop(cursors);
    let mut keys = vec![0u32; kept];
    let mut merged_len = vec![0u32; n];
    let off = &p.bucket_off;
    let blocks = node_blocks(off, block_grain(kept), 1 << 16);
    let cuts: Vec<usize> = blocks.iter().map(|&b| off[b] as usize).collect();
    split_at_cuts(&mut targets, &cuts)
        .into_iter()
        .zip(split_at_cuts(&mut keys, &cuts))
        .zip(split_at_cuts(&mut merged_len, &blocks))
        .zip(blocks.windows(2))
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each(|(((t, k), m), b)| {
            let base = off[b[0]] as usize;
            for (j, a) in (b[0]..b[1]).enumerate() {
                let (s, e) = (off[a] as usize - base, off[a + 1] as usize - base);
                let row = &mut t[s..e];
                if row.is_sorted_by(|a, b| a < b) {
                    // Nothing merges: the counts are implied (see
                    // `out_rows`), so this row's count slots stay
                    // untouched (zeroed pages that are never written).
                    m[j] = row.len() as u32;
                    continue;
                }
                if !row.is_sorted() {
                    row.sort_unstable();
                }
                m[j] = merge_sorted_row(row, &mut k[s..e]);
            }
        });
    (targets, keys, merged_len)
}

/// Passes B and C of rows in any order: the partition by coarse bucket,
/// then [`sort_block`] on every bucket in parallel.
fn partition_and_sort(
    p: &mut Partition<'_>,
    n: usize,
    kept: usize,
) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let (mut targets, mut keys) = partition(p, kept);
    let bucket_off = &p.bucket_off;
    let mut merged_len = vec![0u32; n];
    let bounds: Vec<usize> = (0..=p.coarse).map(|c| (c << p.shift).min(n)).collect();
    let row_cuts: Vec<usize> = bounds.iter().map(|&b| bucket_off[b] as usize).collect();
    split_at_cuts(&mut targets, &row_cuts)
        .into_iter()
        .zip(split_at_cuts(&mut keys, &row_cuts))
        .zip(split_at_cuts(&mut merged_len, &bounds))
        .zip(bounds.windows(2))
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each_init(
            || (Vec::new(), Vec::new()),
            |sc, (((t, k), m), b)| sort_block(b[0]..b[1], bucket_off, t, k, m, sc),
        );
    (targets, keys, merged_len)
}

/// Passes B and C and the compaction: the out-CSR of the partitioned rows.
pub(super) fn out_rows(
    mut p: Partition<'_>,
    n: usize,
    policy: DuplicatePolicy,
    weight: f32,
) -> OutRows {
    let kept = p.bucket_off[n] as usize;
    let (targets, keys, merged_len) = match p.direct.take() {
        Some(cursors) => direct_rows(&p, cursors, n, kept),
        None => partition_and_sort(&mut p, n, kept),
    };
    let merged: u64 = merged_len.par_iter().map(|&m| u64::from(m)).sum();
    if merged == kept as u64 {
        // Nothing merged: every actor's targets fill its slots already, and
        // its offsets are the partition's.
        let out = Csr {
            offsets: std::mem::take(&mut p.bucket_off),
            neighbors: targets,
            weights: vec![run_weight(policy, weight, 1); kept],
        };
        return OutRows {
            out,
            counts: None,
            scratch: keys,
        };
    }
    let bucket_off = &p.bucket_off;
    let out_off = prefix_offsets(&merged_len);
    let num_edges = out_off[n] as usize;
    let blocks = node_blocks(bucket_off, block_grain(kept), 1 << 16);
    let edge_cuts: Vec<usize> = blocks.iter().map(|&b| out_off[b] as usize).collect();
    let mut neighbors = vec![0u32; num_edges];
    let mut weights = vec![0f32; num_edges];
    let mut counts = vec![0u32; num_edges];
    split_at_cuts(&mut neighbors, &edge_cuts)
        .into_iter()
        .zip(split_at_cuts(&mut weights, &edge_cuts))
        .zip(split_at_cuts(&mut counts, &edge_cuts))
        .zip(blocks.windows(2))
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each(|(((nb, ws), cs), b)| {
            let first_edge = out_off[b[0]] as usize;
            for u in b[0]..b[1] {
                let src = bucket_off[u] as usize;
                let m = merged_len[u] as usize;
                let dst = out_off[u] as usize - first_edge;
                nb[dst..dst + m].copy_from_slice(&targets[src..src + m]);
                if m == (bucket_off[u + 1] - bucket_off[u]) as usize {
                    // No run merged in this row: every count is 1 (the
                    // sort skipped writing them).
                    cs[dst..dst + m].fill(1);
                } else {
                    cs[dst..dst + m].copy_from_slice(&keys[src..src + m]);
                }
                for x in 0..m {
                    ws[dst + x] = run_weight(policy, weight, cs[dst + x]);
                }
            }
        });
    OutRows {
        out: Csr {
            offsets: out_off,
            neighbors,
            weights,
        },
        counts: Some(counts),
        scratch: keys,
    }
}

/// The in-CSR of `out` when all its weights equal `weight`: for at most
/// `direct_max` edges, one direct scatter ([`transpose_direct`]); above, the
/// two-level counting sort of the general transposition, moving bare source
/// ids (`scratch` is reused as one of its buffers).
pub(super) fn transpose_uniform(
    out: &Csr,
    weight: f32,
    mut scratch: Vec<u32>,
    direct_max: usize,
) -> Csr {
    let n = out.num_nodes();
    let m = out.num_edges();
    if m <= direct_max {
        drop(scratch);
        return transpose_direct(out, weight);
    }
    let chunks = scatter_chunks(m, n);
    let shift = coarse_shift(n, m);
    let coarse = coarse_count(n, shift);
    let cuts = super::source_cuts(out, chunks);
    let hists: Vec<(Vec<u32>, Vec<u32>)> = cuts
        .par_windows(2)
        .map(|w| {
            let mut fine = vec![0u32; n];
            let (s, e) = (out.offsets[w[0]] as usize, out.offsets[w[1]] as usize);
            for &v in &out.neighbors[s..e] {
                fine[v as usize] += 1;
            }
            let coarse_h: Vec<u32> = super::coarse_sums(&fine, shift, coarse);
            (fine, coarse_h)
        })
        .collect();
    let mut offsets = vec![0u64; n + 1];
    let mut acc = 0u64;
    for (v, off) in offsets[..n].iter_mut().enumerate() {
        *off = acc;
        for h in &hists {
            acc += h.0[v] as u64;
        }
    }
    offsets[n] = acc;
    let mut cursors: Vec<Vec<u32>> = hists.into_iter().map(|h| h.1).collect();
    let mut pos = 0u32;
    for c in 0..coarse {
        for cur in cursors.iter_mut() {
            let count = cur[c];
            cur[c] = pos;
            pos += count;
        }
    }
    scratch.resize(m, 0);
    let mut sources = vec![0u32; m];
    {
        let s_out = SharedSlice::new(&mut sources);
        let k_out = SharedSlice::new(&mut scratch[..m]);
        cuts.par_windows(2)
            .zip(cursors.par_iter_mut())
            .for_each(|(w, cur)| {
                for s in w[0]..w[1] {
                    for &v in &out.neighbors[out.range(s)] {
                        let c = (v >> shift) as usize;
                        let d = cur[c] as usize;
                        cur[c] += 1;
                        // SAFETY: disjoint cursor ranges per (chunk, coarse bucket).
                        unsafe {
                            s_out.write(d, s as u32);
                            k_out.write(d, v);
                        }
                    }
                }
            });
    }
    drop(cursors);
    let mut neighbors = vec![0u32; m];
    let bounds: Vec<usize> = (0..=coarse).map(|c| (c << shift).min(n)).collect();
    let edge_cuts: Vec<usize> = bounds.iter().map(|&b| offsets[b] as usize).collect();
    let keys = &scratch[..m];
    let sources = &sources;
    split_at_cuts(&mut neighbors, &edge_cuts)
        .into_iter()
        .zip(bounds.windows(2))
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each_init(Vec::new, |cur: &mut Vec<usize>, (nb, b)| {
            let base = offsets[b[0]];
            cur.clear();
            cur.extend((b[0]..b[1]).map(|v| (offsets[v] - base) as usize));
            for i in base as usize..offsets[b[1]] as usize {
                let slot = &mut cur[keys[i] as usize - b[0]];
                nb[*slot] = sources[i];
                *slot += 1;
            }
        });
    Csr {
        offsets,
        neighbors,
        weights: vec![weight; m],
    }
}

/// The in-CSR of `out` by one scattering pass (for graphs of at most
/// [`DIRECT_MAX_ITEMS`] edges in the build, whose in-CSR stays in cache): the sources
/// are cut into chunks of about equal edge counts, each chunk counts its
/// targets, the counts become per-chunk cursors (chunk `k`'s sources of a
/// target after chunk `k − 1`'s), and each chunk writes its sources through
/// them. Sources are visited in increasing order, so each in-row comes out
/// sorted, as the two-level sort leaves it, for any number of chunks.
fn transpose_direct(out: &Csr, weight: f32) -> Csr {
    let n = out.num_nodes();
    let m = out.num_edges();
    let chunks = scatter_chunks(m, n);
    let cuts = super::source_cuts(out, chunks);
    let mut cursors: Vec<Vec<u32>> = cuts
        .par_windows(2)
        .map(|w| {
            let mut fine = vec![0u32; n];
            let (s, e) = (out.offsets[w[0]] as usize, out.offsets[w[1]] as usize);
            for &v in &out.neighbors[s..e] {
                fine[v as usize] += 1;
            }
            fine
        })
        .collect();
    let mut offsets = vec![0u64; n + 1];
    let mut acc = 0u64;
    for (v, off) in offsets[..n].iter_mut().enumerate() {
        *off = acc;
        for cur in cursors.iter_mut() {
            let count = cur[v] as u64;
            // `acc` stays below the edge count, at most `u32::MAX`.
            cur[v] = acc as u32;
            acc += count;
        }
    }
    offsets[n] = acc;
    let mut neighbors = vec![0u32; m];
    {
        let nb = SharedSlice::new(&mut neighbors);
        cuts.par_windows(2)
            .zip(cursors.par_iter_mut())
            .for_each(|(w, cur)| {
                for s in w[0]..w[1] {
                    for &v in &out.neighbors[out.range(s)] {
                        let slot = &mut cur[v as usize];
                        // SAFETY: disjoint slot ranges per (chunk, target),
                        // each written once as its cursor advances.
                        unsafe { nb.write(*slot as usize, s as u32) };
                        *slot += 1;
                    }
                }
            });
    }
    Csr {
        offsets,
        neighbors,
        weights: vec![weight; m],
    }
}
