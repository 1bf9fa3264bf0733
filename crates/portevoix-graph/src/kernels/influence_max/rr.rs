//! Reverse-reachable (RR) sets restricted to a target audience (Borgs,
//! Brautbar, Chayes & Lucier, SODA 2014; Tang, Xiao & Shi, SIGMOD 2014).
//!
//! An RR set is sampled by drawing a root uniformly from the **audience**
//! and collecting the nodes that reach it in a random live-edge world: a
//! reverse breadth-first search that keeps each activator edge `(v, u)` with
//! probability `p(v, u)` (independent cascade), or a reverse random walk in
//! which each node keeps at most one activator, `v` with probability
//! `w(v, u)` (linear threshold). For any seed set `S`,
//! `σ_A(S) = |A| · Pr[S ∩ R ≠ ∅]`: the expected number of audience members
//! `S` activates is the audience size times the chance that a random RR set
//! meets `S` (Borgs et al., Observation 3.2, with roots drawn from `A`
//! instead of all nodes).
//!
//! Set `i` is sampled from its own generator, stream `i` of the collection's
//! seed, so a collection of `θ` sets is the same for any number of threads;
//! sets are made in fixed blocks of [`RR_BLOCK`] in parallel and kept in
//! block order.

use super::model::{DiffusionModel, InfluenceGraph};
use super::targets::{Audience, CandidateGate};
use super::workspace::Workspace;
use crate::generate::{SplitMix64, Xoshiro256StarStar};
use crate::par::SharedSlice;
use portevoix_core::NodeId;
use rayon::prelude::*;

/// Sets per block: the unit of parallel work and of storage.
pub const RR_BLOCK: usize = 1024;

/// Trials on a uniform row with a probability below this jump from success
/// to success (geometric gaps) instead of drawing one number per activator.
const SKIP_BELOW: f32 = 0.5;

/// One block of consecutive RR sets.
#[derive(Debug, Clone, Default)]
struct Block {
    /// End of each set in `nodes`.
    ends: Vec<u32>,
    /// The sets' nodes, set after set, each set in discovery order (root first).
    nodes: Vec<u32>,
}

/// A collection of RR sets, grown in blocks, stored flat (4 bytes per node
/// entry plus 4 per set).
#[derive(Debug, Clone)]
pub struct RrSets {
    blocks: Vec<Block>,
    len: usize,
    seed: u64,
    audience_size: usize,
    num_nodes: usize,
    entries: u64,
}

impl RrSets {
    /// An empty collection for `model` and an audience of `audience_size`
    /// members, drawing set `i` from stream `i` of `seed`.
    pub(crate) fn new(num_nodes: usize, audience_size: usize, seed: u64) -> RrSets {
        RrSets {
            blocks: Vec::new(),
            len: 0,
            seed,
            audience_size,
            num_nodes,
            entries: 0,
        }
    }

    /// Number of sets.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no set.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Total number of node entries over all sets.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Size of the audience the roots were drawn from.
    pub fn audience_size(&self) -> usize {
        self.audience_size
    }

    /// Heap bytes held by the sets (not counting the inverted index a
    /// selection builds: about as much again, see [`RrSets::selection_bytes`]).
    pub fn heap_bytes(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| b.ends.capacity() * 4 + b.nodes.capacity() * 4)
            .sum::<usize>()
            + self.blocks.capacity() * std::mem::size_of::<Block>()
    }

    /// Peak bytes of a greedy selection over these sets: the sets, the
    /// inverted index (4 bytes per entry, 8 per node) and the covered flags.
    pub fn selection_bytes(&self) -> usize {
        self.heap_bytes() + self.entries as usize * 4 + (self.num_nodes + 1) * 8 + self.len
    }

    /// Set `i` (root first).
    ///
    /// # Panics
    /// If `i >= len()`.
    pub fn set(&self, i: usize) -> &[u32] {
        let b = &self.blocks[i / RR_BLOCK];
        let j = i % RR_BLOCK;
        let start = if j == 0 { 0 } else { b.ends[j - 1] as usize };
        &b.nodes[start..b.ends[j] as usize]
    }

    /// Grows the collection to `target` sets (no-op if it has as many).
    pub(crate) fn extend_to(&mut self, model: &InfluenceGraph, audience: &Audience, target: usize) {
        if target <= self.len || audience.is_empty() {
            return;
        }
        let n = model.num_nodes();
        // Complete a partial last block first (sequentially: at most a block).
        if self.len % RR_BLOCK != 0 {
            let stop = target.min((self.len / RR_BLOCK + 1) * RR_BLOCK);
            let mut ws = Workspace::new(n);
            let first = self.len;
            let block = self.blocks.last_mut().expect("partial block");
            for i in first..stop {
                sample_set(
                    model,
                    audience,
                    self.seed,
                    i as u64,
                    &mut ws,
                    &mut block.nodes,
                );
                block.ends.push(block.nodes.len() as u32);
            }
            self.entries = self.blocks.iter().map(|b| b.nodes.len() as u64).sum();
            self.len = stop;
            if self.len >= target {
                return;
            }
        }
        let first_block = self.len / RR_BLOCK;
        let last_block = target.div_ceil(RR_BLOCK);
        let seed = self.seed;
        let new: Vec<Block> = (first_block..last_block)
            .into_par_iter()
            .map_init(
                || Workspace::new(n),
                |ws, b| {
                    let lo = b * RR_BLOCK;
                    let hi = target.min(lo + RR_BLOCK);
                    let mut block = Block {
                        ends: Vec::with_capacity(hi - lo),
                        nodes: Vec::new(),
                    };
                    for i in lo..hi {
                        sample_set(model, audience, seed, i as u64, ws, &mut block.nodes);
                        block.ends.push(block.nodes.len() as u32);
                    }
                    block.nodes.shrink_to_fit();
                    block
                },
            )
            .collect();
        self.entries += new.iter().map(|b| b.nodes.len() as u64).sum::<u64>();
        self.blocks.extend(new);
        self.len = target;
    }

    /// Number of sets that contain at least one of `seeds`.
    pub fn covered_by(&self, seeds: &[NodeId]) -> u64 {
        let mut is_seed = vec![false; self.num_nodes];
        for s in seeds {
            if let Some(f) = is_seed.get_mut(s.index()) {
                *f = true;
            }
        }
        self.blocks
            .par_iter()
            .map(|b| {
                let mut start = 0usize;
                let mut c = 0u64;
                for &end in &b.ends {
                    c += b.nodes[start..end as usize]
                        .iter()
                        .any(|&v| is_seed[v as usize]) as u64;
                    start = end as usize;
                }
                c
            })
            .sum()
    }

    /// Estimated audience reached by `seeds`: `|A| · covered / θ`.
    pub fn reach(&self, seeds: &[NodeId]) -> f64 {
        if self.len == 0 {
            return 0.0;
        }
        self.covered_by(seeds) as f64 * self.audience_size as f64 / self.len as f64
    }

    /// Estimated reach of every prefix of `order`: element `i` is the reach
    /// of `order[..=i]`. One pass over the sets (each set counts for the
    /// first node of `order` it contains; a repeated node adds nothing).
    pub fn reach_curve(&self, order: &[NodeId]) -> Vec<f64> {
        let mut position = vec![u32::MAX; self.num_nodes];
        for (i, s) in order.iter().enumerate().rev() {
            if let Some(p) = position.get_mut(s.index()) {
                *p = i as u32;
            }
        }
        let hist = self
            .blocks
            .par_iter()
            .map(|b| {
                let mut h = vec![0u64; order.len()];
                let mut start = 0usize;
                for &end in &b.ends {
                    let first = b.nodes[start..end as usize]
                        .iter()
                        .map(|&v| position[v as usize])
                        .min()
                        .unwrap_or(u32::MAX);
                    if first != u32::MAX {
                        h[first as usize] += 1;
                    }
                    start = end as usize;
                }
                h
            })
            .reduce(
                || vec![0u64; order.len()],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        let scale = if self.len == 0 {
            0.0
        } else {
            self.audience_size as f64 / self.len as f64
        };
        let mut acc = 0u64;
        hist.iter()
            .map(|&h| {
                acc += h;
                acc as f64 * scale
            })
            .collect()
    }

    /// Estimated audience reached by both `seeds[i]` and `seeds[j]` (the
    /// diagonal: by `seeds[i]` alone), as a dense matrix by rows.
    pub fn overlap_matrix(&self, seeds: &[NodeId]) -> Vec<Vec<f64>> {
        let k = seeds.len();
        let mut index = vec![u32::MAX; self.num_nodes];
        for (i, s) in seeds.iter().enumerate() {
            if let Some(p) = index.get_mut(s.index()) {
                *p = i as u32;
            }
        }
        let counts = self
            .blocks
            .par_iter()
            .map(|b| {
                let mut m = vec![0u64; k * k];
                let mut present = Vec::new();
                let mut start = 0usize;
                for &end in &b.ends {
                    present.clear();
                    present.extend(
                        b.nodes[start..end as usize]
                            .iter()
                            .map(|&v| index[v as usize])
                            .filter(|&i| i != u32::MAX),
                    );
                    for &i in &present {
                        for &j in &present {
                            m[i as usize * k + j as usize] += 1;
                        }
                    }
                    start = end as usize;
                }
                m
            })
            .reduce(
                || vec![0u64; k * k],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        let scale = if self.len == 0 {
            0.0
        } else {
            self.audience_size as f64 / self.len as f64
        };
        (0..k)
            .map(|i| (0..k).map(|j| counts[i * k + j] as f64 * scale).collect())
            .collect()
    }
}

/// Samples RR set number `index` into `out` (appended, root first).
fn sample_set(
    model: &InfluenceGraph,
    audience: &Audience,
    seed: u64,
    index: u64,
    ws: &mut Workspace,
    out: &mut Vec<u32>,
) {
    let mut rng = Xoshiro256StarStar::from_stream(seed, index);
    let members = audience.members();
    let root = members[rng.below(members.len() as u64) as usize];
    ws.begin();
    ws.visit(root);
    out.push(root);
    match model.model {
        DiffusionModel::IndependentCascade => reverse_bfs(model, root, &mut rng, ws, out),
        DiffusionModel::LinearThreshold => reverse_walk(model, root, &mut rng, ws, out),
    }
}

/// Independent cascade: reverse breadth-first search over live edges.
fn reverse_bfs(
    model: &InfluenceGraph,
    root: u32,
    rng: &mut Xoshiro256StarStar,
    ws: &mut Workspace,
    out: &mut Vec<u32>,
) {
    let rev = &model.reverse;
    ws.queue.push(root);
    let mut head = 0;
    while head < ws.queue.len() {
        let u = ws.queue[head] as usize;
        head += 1;
        let r = rev.range(u);
        if r.is_empty() {
            continue;
        }
        let uniform = model.reverse_uniform[u];
        let row = &rev.nodes[r.clone()];
        if uniform >= 1.0 {
            for &v in row {
                if ws.visit(v) {
                    ws.queue.push(v);
                    out.push(v);
                }
            }
        } else if uniform > 0.0 && uniform < SKIP_BELOW {
            // Gaps between successes are Geometric(p): floor(ln U / ln(1 - p)).
            let ln_q = (-(uniform as f64)).ln_1p();
            let mut i = 0usize;
            loop {
                let gap = ((1.0 - rng.next_f64()).ln() / ln_q).floor();
                if gap >= (row.len() - i) as f64 {
                    break;
                }
                i += gap as usize;
                let v = row[i];
                if ws.visit(v) {
                    ws.queue.push(v);
                    out.push(v);
                }
                i += 1;
            }
        } else if uniform == 0.0 {
            continue;
        } else {
            for (&v, &p) in row.iter().zip(&rev.probs[r]) {
                if rng.next_f64() < p as f64 && ws.visit(v) {
                    ws.queue.push(v);
                    out.push(v);
                }
            }
        }
    }
}

/// Linear threshold: reverse random walk, each node keeping at most one
/// activator (`v` with probability `w(v, u)`), until no activator is kept
/// or the walk meets a node it has visited.
fn reverse_walk(
    model: &InfluenceGraph,
    root: u32,
    rng: &mut Xoshiro256StarStar,
    ws: &mut Workspace,
    out: &mut Vec<u32>,
) {
    let rev = &model.reverse;
    let mut u = root as usize;
    loop {
        let r = rev.range(u);
        if r.is_empty() {
            return;
        }
        let x = rng.next_f64();
        let cumulative = &model.reverse_cumulative[r.clone()];
        let i = cumulative.partition_point(|&c| c <= x);
        if i == cumulative.len() {
            return;
        }
        let v = rev.nodes[r.start + i];
        if !ws.visit(v) {
            return;
        }
        out.push(v);
        u = v as usize;
    }
}

/// Node → the sets that contain it, for the candidates of a gate only.
pub(crate) struct Inverted {
    offsets: Vec<u64>,
    sets: Vec<u32>,
}

impl Inverted {
    /// Builds the index by a two-pass parallel counting sort over chunks of
    /// consecutive blocks: per-chunk counts, prefix sums over (node, chunk),
    /// then each chunk writes its entries into its own slots. No atomics;
    /// each node's list comes out sorted by set index, so the index is the
    /// same bits for any thread count (the chunk count only splits work).
    pub(crate) fn build(sets: &RrSets, gate: &CandidateGate) -> Inverted {
        let n = sets.num_nodes;
        let blocks = &sets.blocks;
        // Chunk counters cost 4 bytes per node each: at most 256 MiB of them.
        let max_chunks = ((256usize << 20) / (4 * n.max(1))).max(1);
        let chunks = (rayon::current_num_threads() * 2)
            .min(max_chunks)
            .min(blocks.len())
            .max(1);
        let per_chunk = blocks.len().div_ceil(chunks).max(1);
        let ranges: Vec<(usize, usize)> = (0..blocks.len())
            .step_by(per_chunk)
            .map(|s| (s, (s + per_chunk).min(blocks.len())))
            .collect();
        let mut counts: Vec<Vec<u32>> = ranges
            .par_iter()
            .map(|&(lo, hi)| {
                let mut c = vec![0u32; n];
                for b in &blocks[lo..hi] {
                    for &v in &b.nodes {
                        if gate.allows(v) {
                            c[v as usize] += 1;
                        }
                    }
                }
                c
            })
            .collect();
        // Offsets per node, and each chunk's first slot within each node.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut acc = 0u64;
        offsets.push(0);
        for v in 0..n {
            for c in counts.iter_mut() {
                let k = c[v];
                // From here on, counts hold the chunk's cursor relative to
                // the node's start.
                c[v] = (acc - offsets[v]) as u32;
                acc += k as u64;
            }
            offsets.push(acc);
        }
        let mut lists = vec![0u32; acc as usize];
        {
            let shared = SharedSlice::new(&mut lists);
            ranges
                .par_iter()
                .zip(counts.par_iter_mut())
                .for_each(|(&(lo, hi), cursor)| {
                    for (bi, b) in blocks[lo..hi].iter().enumerate() {
                        let first = (lo + bi) * RR_BLOCK;
                        let mut start = 0usize;
                        for (j, &end) in b.ends.iter().enumerate() {
                            for &v in &b.nodes[start..end as usize] {
                                if gate.allows(v) {
                                    let pos = offsets[v as usize] + cursor[v as usize] as u64;
                                    cursor[v as usize] += 1;
                                    // SAFETY: each (node, chunk) pair owns
                                    // the slots between its prefix sum and
                                    // the next one; only this chunk writes them.
                                    unsafe { shared.write(pos as usize, (first + j) as u32) };
                                }
                            }
                            start = end as usize;
                        }
                    }
                });
        }
        Inverted {
            offsets,
            sets: lists,
        }
    }

    #[inline]
    fn row(&self, v: u32) -> &[u32] {
        &self.sets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }
}

/// The RR coverage oracle: gains are numbers of not-yet-covered sets.
pub(crate) struct RrOracle<'a> {
    inverted: &'a Inverted,
    covered: Vec<bool>,
}

impl<'a> RrOracle<'a> {
    pub(crate) fn new(inverted: &'a Inverted, sets: usize) -> RrOracle<'a> {
        RrOracle {
            inverted,
            covered: vec![false; sets],
        }
    }
}

impl super::greedy::GainOracle for RrOracle<'_> {
    fn solo_gains(&self, candidates: &[u32]) -> Vec<f64> {
        candidates
            .par_iter()
            .map(|&v| self.inverted.row(v).len() as f64)
            .collect()
    }

    fn marginal(&mut self, v: u32) -> f64 {
        self.inverted
            .row(v)
            .iter()
            .filter(|&&s| !self.covered[s as usize])
            .count() as f64
    }

    fn commit(&mut self, v: u32) {
        for &s in self.inverted.row(v) {
            self.covered[s as usize] = true;
        }
    }
}

/// A seed for the stream family of a purpose, so that the sets of phase 1,
/// phase 2 and any validation never share numbers.
pub(crate) fn family_seed(seed: u64, purpose: u64) -> u64 {
    SplitMix64::mix(seed ^ SplitMix64::mix(purpose.wrapping_add(0x243F_6A88_85A3_08D3)))
}
