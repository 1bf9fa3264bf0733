//! Leiden: fast local moving, refinement and aggregation.

use super::{Accumulator, Partition, UndirectedView, relabel, shuffled};
use crate::LayerGraph;
use crate::generate::Xoshiro256StarStar;
use portevoix_core::{Error, Result};
use rayon::prelude::*;
use std::borrow::Cow;

/// Row lengths, neighbours, weights and node weights of a chunk of groups.
type RowChunk = (Vec<usize>, Vec<u32>, Vec<f64>, Vec<f64>);
/// Groups per parallel task when aggregating a level.
const GROUP_CHUNK: usize = 256;
/// RNG stream tag of the seeds of starts after the first.
const START_STREAM: u64 = 0x5354_4152_5400_0000;

/// How [`leiden`] refines the communities found by local moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Refinement {
    /// The paper's randomised merge: a well-connected sub-community is drawn
    /// with probability `∝ exp(ΔQ / θ)` from the seeded RNG.
    Random,
    /// Greedy merge (the default): the best sub-community (largest `ΔQ ≥ 0`,
    /// ties to the one whose first node comes first in the visiting order).
    /// Measured against [`Refinement::Random`] over seeds 0–9 (Slashdot) and
    /// 0–7 (Epinions), 2 passes: mean modularity 0.3569 vs 0.3560 and 0.5025
    /// vs 0.5010, minimum 0.3511 vs 0.3505 and 0.5002 vs 0.4937, at equal or
    /// lower CPU time (no exponentials, no draws).
    #[default]
    Greedy,
}

/// Options of [`leiden`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeidenOptions {
    /// Resolution `γ > 0` of the modularity (default 1).
    pub resolution: f64,
    /// Randomness `θ > 0` of [`Refinement::Random`] (default 0.01, the
    /// paper's and igraph's value).
    pub theta: f64,
    /// Refinement variant (default [`Refinement::Greedy`]).
    pub refinement: Refinement,
    /// Seed of the node orders and of the refinement RNG (default 0).
    pub seed: u64,
    /// Cap on the number of passes (default 2, igraph's default
    /// `n_iterations`); passes stop earlier when one moves no node, so
    /// `usize::MAX` runs until convergence (igraph's `n_iterations = -1`).
    /// On Slashdot Zoo (seed 0, release build, 2 threads) one pass reaches
    /// Q = 0.3581 in about 0.12 s, two 0.3623 in 0.18 s, and convergence
    /// 0.3645 after 55 passes in 3.2 s.
    pub max_iterations: usize,
    /// Independent starts (default 1): whole Leiden runs from singletons,
    /// start 0 with [`seed`](Self::seed) and start `i > 0` with a seed
    /// derived from it and `i`, run in parallel; the partition of highest
    /// modularity is returned (ties to the earliest start, so the result
    /// does not depend on the thread count). One start is the single-run
    /// algorithm, and more starts never give a lower modularity. They cost
    /// CPU in proportion (1.8–2.0× for two starts, measured), so the
    /// default stays 1: see the [module](super) docs, *Measurements*.
    pub starts: usize,
    /// Multilevel refinement (default `true`): at the end of every pass,
    /// the final partition is carried back down the levels of the pass,
    /// from the coarsest to the original graph, and fast local moving runs
    /// again at each level (the aggregate nodes of a level are the refined
    /// sub-communities, so whole sub-communities change community), as in
    /// Rotta and Noack (2011). With it, one pass reaches the modularity of
    /// two passes without it, and two passes raised the mean and minimum
    /// modularity over seeds 0–7 on Slashdot, Epinions and Higgs for about
    /// 10% more CPU time: see the [module](super) docs, *Measurements*.
    /// `false` is the paper's pass (each level's local moving runs once).
    pub multilevel_moves: bool,
}

impl Default for LeidenOptions {
    fn default() -> Self {
        LeidenOptions {
            resolution: 1.0,
            theta: 0.01,
            refinement: Refinement::Greedy,
            seed: 0,
            max_iterations: 2,
            starts: 1,
            multilevel_moves: true,
        }
    }
}

/// A weighted symmetric graph of one level: no self-loop entries (internal
/// weight only matters through the node weights). The first level borrows
/// the view's arrays (no copy); aggregate levels own theirs.
struct Level<'a> {
    offsets: Cow<'a, [u64]>,
    neighbors: Cow<'a, [u32]>,
    weights: Cow<'a, [f64]>,
    node_weight: Cow<'a, [f64]>,
}

impl<'a> Level<'a> {
    fn n(&self) -> usize {
        self.node_weight.len()
    }

    #[inline]
    fn row(&self, u: usize) -> (&[u32], &[f64]) {
        let (s, e) = (self.offsets[u] as usize, self.offsets[u + 1] as usize);
        (&self.neighbors[s..e], &self.weights[s..e])
    }

    fn from_view(view: &'a UndirectedView) -> Level<'a> {
        Level {
            offsets: Cow::Borrowed(&view.offsets),
            neighbors: Cow::Borrowed(&view.neighbors),
            weights: Cow::Borrowed(&view.weights),
            node_weight: Cow::Borrowed(&view.strength),
        }
    }

    /// The graph whose nodes are the groups `group[u]` (dense `0..k`).
    fn aggregate(&self, group: &[u32], k: usize) -> Level<'static> {
        let n = self.n();
        // Members of every group, in node order (counting sort).
        let mut start = vec![0usize; k + 1];
        for &g in group {
            start[g as usize + 1] += 1;
        }
        for i in 0..k {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; n];
        for (u, &g) in group.iter().enumerate() {
            members[fill[g as usize]] = u as u32;
            fill[g as usize] += 1;
        }
        // Rows of fixed chunks of groups in parallel (each row summed in
        // member order), concatenated in order.
        let chunks: Vec<RowChunk> = (0..k.div_ceil(GROUP_CHUNK))
            .into_par_iter()
            .map_init(
                || Accumulator::new(k),
                |acc, c| {
                    let lo = c * GROUP_CHUNK;
                    let hi = (lo + GROUP_CHUNK).min(k);
                    let mut lens = Vec::with_capacity(hi - lo);
                    let mut nbs = Vec::new();
                    let mut wts = Vec::new();
                    let mut nws = Vec::with_capacity(hi - lo);
                    for g in lo..hi {
                        let mut nw = 0.0;
                        for &u in &members[start[g]..start[g + 1]] {
                            nw += self.node_weight[u as usize];
                            let (nb, wt) = self.row(u as usize);
                            for (&v, &w) in nb.iter().zip(wt) {
                                let h = group[v as usize];
                                if h as usize != g {
                                    acc.add(h, w);
                                }
                            }
                        }
                        // Row in first-touch order (members in node
                        // order, each member's row in order): deterministic,
                        // and nothing reads aggregate rows in id order, so
                        // no sort (it was a tenth of Leiden's time).
                        for &(h, w) in &acc.entries {
                            nbs.push(h);
                            wts.push(w);
                        }
                        lens.push(acc.entries.len());
                        acc.clear();
                        nws.push(nw);
                    }
                    (lens, nbs, wts, nws)
                },
            )
            .collect();
        let mut offsets: Vec<u64> = Vec::with_capacity(k + 1);
        offsets.push(0);
        let total: usize = chunks.iter().map(|c| c.1.len()).sum();
        let mut neighbors = Vec::with_capacity(total);
        let mut weights = Vec::with_capacity(total);
        let mut node_weight = Vec::with_capacity(k);
        for (lens, nbs, wts, nws) in chunks {
            for l in lens {
                offsets.push(offsets.last().unwrap() + l as u64);
            }
            neighbors.extend_from_slice(&nbs);
            weights.extend_from_slice(&wts);
            node_weight.extend_from_slice(&nws);
        }
        Level {
            offsets: Cow::Owned(offsets),
            neighbors: Cow::Owned(neighbors),
            weights: Cow::Owned(weights),
            node_weight: Cow::Owned(node_weight),
        }
    }
}

/// Queue-based fast local moving; returns the number of moves.
fn local_moving(
    level: &Level,
    community: &mut [u32],
    gamma: f64,
    two_m: f64,
    rng: &mut Xoshiro256StarStar,
) -> usize {
    let n = level.n();
    let mut tot = vec![0.0f64; n];
    for u in 0..n {
        tot[community[u] as usize] += level.node_weight[u];
    }
    let mut queue: std::collections::VecDeque<u32> = shuffled(n, rng).into();
    let mut queued = vec![true; n];
    let mut acc = Accumulator::new(n);
    let mut moves = 0;
    let scale = gamma / two_m;
    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        queued[v] = false;
        let kv = level.node_weight[v];
        let own = community[v];
        let (nb, wt) = level.row(v);
        for (&u, &w) in nb.iter().zip(wt) {
            acc.add(community[u as usize], w);
        }
        tot[own as usize] -= kv;
        let own_gain = acc.get(own) - scale * kv * tot[own as usize];
        let mut best = own;
        let mut best_gain = own_gain;
        for &(c, w) in &acc.entries {
            if c == own {
                continue;
            }
            let gain = w - scale * kv * tot[c as usize];
            if gain > best_gain || (gain == best_gain && best != own && c < best) {
                best = c;
                best_gain = gain;
            }
        }
        acc.clear();
        tot[best as usize] += kv;
        if best != own {
            community[v] = best;
            moves += 1;
            for &u in nb {
                if !queued[u as usize] && community[u as usize] != best {
                    queued[u as usize] = true;
                    queue.push_back(u);
                }
            }
        }
    }
    moves
}

/// Per-thread buffers of [`refine_community`], sized for the largest
/// community and reused from one community to the next.
struct RefineScratch {
    tot_r: Vec<f64>,
    ext: Vec<f64>,
    singleton: Vec<bool>,
    acc: Accumulator,
    cand: Vec<(u32, f64)>,
}

impl RefineScratch {
    fn new(max_size: usize) -> RefineScratch {
        RefineScratch {
            tot_r: Vec::with_capacity(max_size),
            ext: Vec::with_capacity(max_size),
            singleton: Vec::with_capacity(max_size),
            acc: Accumulator::new(max_size),
            cand: Vec::new(),
        }
    }
}

/// What every community's refinement reads.
struct RefineContext<'a, 'l> {
    level: &'a Level<'l>,
    community: &'a [u32],
    /// Each node's index in its community's visiting order.
    local: &'a [u32],
    options: &'a LeidenOptions,
    /// `γ / 2m`.
    scale: f64,
    /// Seed of the per-community RNG streams.
    seed: u64,
}

/// Refines community `c` (its `nodes` in visiting order, total strength
/// `tc`): writes into `refined[i]` the local index of the sub-community of
/// `nodes[i]` (named by its first node in the visiting order).
fn refine_community(
    ctx: &RefineContext,
    c: usize,
    nodes: &[u32],
    tc: f64,
    refined: &mut [u32],
    scratch: &mut RefineScratch,
) {
    let s = nodes.len();
    for (i, r) in refined.iter_mut().enumerate() {
        *r = i as u32;
    }
    if s == 1 {
        return;
    }
    let (level, community, local, scale) = (ctx.level, ctx.community, ctx.local, ctx.scale);
    let RefineScratch {
        tot_r,
        ext,
        singleton,
        acc,
        cand,
    } = scratch;
    tot_r.clear();
    tot_r.extend(nodes.iter().map(|&v| level.node_weight[v as usize]));
    singleton.clear();
    singleton.resize(s, true);
    // ext[r] = w(r, C − r) for the sub-community r.
    ext.clear();
    ext.extend(nodes.iter().map(|&v| {
        let (nb, wt) = level.row(v as usize);
        nb.iter()
            .zip(wt)
            .filter(|(u, _)| community[**u as usize] as usize == c)
            .map(|(_, w)| *w)
            .sum::<f64>()
    }));
    let mut rng = match ctx.options.refinement {
        Refinement::Random => Some(Xoshiro256StarStar::from_stream(ctx.seed, c as u64)),
        Refinement::Greedy => None,
    };
    for (i, &v) in nodes.iter().enumerate() {
        if !singleton[i] {
            continue;
        }
        let kv = level.node_weight[v as usize];
        if ext[i] < scale * kv * (tc - kv) {
            continue;
        }
        let (nb, wt) = level.row(v as usize);
        for (&u, &w) in nb.iter().zip(wt) {
            if community[u as usize] as usize == c {
                acc.add(refined[local[u as usize] as usize], w);
            }
        }
        cand.clear();
        cand.push((i as u32, 0.0));
        for &(r, w) in &acc.entries {
            if r as usize == i {
                continue;
            }
            let tr = tot_r[r as usize];
            if ext[r as usize] < scale * tr * (tc - tr) {
                continue;
            }
            let gain = w - scale * kv * tr;
            if gain >= 0.0 {
                cand.push((r, gain));
            }
        }
        cand.sort_unstable_by_key(|&(r, _)| r);
        let chosen = match rng.as_mut() {
            None => {
                let mut best = cand[0];
                for &(r, g) in &cand[1..] {
                    if g > best.1 {
                        best = (r, g);
                    }
                }
                best.0
            }
            Some(rng) => draw_candidate(cand, ctx.options.theta, rng),
        };
        if chosen as usize != i {
            // v joins T: w(T ∪ v, C − T − v) = ext_T + ext_v − 2 w(v, T).
            let wvt = acc.get(chosen);
            ext[chosen as usize] += ext[i] - 2.0 * wvt;
            tot_r[chosen as usize] += kv;
            refined[i] = chosen;
            singleton[i] = false;
            singleton[chosen as usize] = false;
        }
        acc.clear();
    }
}

/// The paper's randomised choice among `cand` (sorted by sub-community):
/// probability `∝ exp(ΔQ / θ)`.
fn draw_candidate(cand: &[(u32, f64)], theta: f64, rng: &mut Xoshiro256StarStar) -> u32 {
    let max = cand.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
    // exp(x) is exactly 0 below -745.2 (IEEE underflow): skipping it there
    // gives the same bits, and with θ = 0.01 it is nearly every candidate
    // but the best.
    let prob = |g: f64| {
        let x = (g - max) / theta;
        if x < -746.0 { 0.0 } else { x.exp() }
    };
    let total: f64 = cand.iter().map(|&(_, g)| prob(g)).sum();
    let mut x = rng.next_f64() * total;
    for &(r, g) in cand {
        let p = prob(g);
        if x < p {
            return r;
        }
        x -= p;
    }
    cand[cand.len() - 1].0
}

/// Leiden refinement inside the communities `community` (dense ids
/// `0..k`); returns the refined labels (dense, by first appearance) and
/// their count.
///
/// Communities are refined independently, in parallel: community `c` visits
/// its nodes in the order of `order` (a seeded permutation) and draws from
/// its own RNG stream `(seed, c)`, so the result does not depend on the
/// thread count. Sub-communities are named by their first node in the
/// visiting order; greedy ties go to the earliest such node.
fn refine(
    level: &Level,
    community: &[u32],
    k: usize,
    options: &LeidenOptions,
    two_m: f64,
    order: &[u32],
    seed: u64,
) -> (Vec<u32>, usize) {
    let n = level.n();
    let scale = options.resolution / two_m;
    let mut tot_c = vec![0.0f64; k];
    let mut start = vec![0usize; k + 1];
    for u in 0..n {
        tot_c[community[u] as usize] += level.node_weight[u];
        start[community[u] as usize + 1] += 1;
    }
    for c in 0..k {
        start[c + 1] += start[c];
    }
    // Members of every community in visiting order, and each node's local
    // index in its community.
    let mut fill = start.clone();
    let mut members = vec![0u32; n];
    let mut local = vec![0u32; n];
    for &v in order {
        let c = community[v as usize] as usize;
        local[v as usize] = (fill[c] - start[c]) as u32;
        members[fill[c]] = v;
        fill[c] += 1;
    }
    // Refined labels (local indices) of every community, written into the
    // community's own slice of one flat array.
    let mut refined_flat = vec![0u32; n];
    let mut slices: Vec<(usize, &mut [u32])> = Vec::with_capacity(k);
    let mut rest: &mut [u32] = &mut refined_flat;
    for c in 0..k {
        let (head, tail) = rest.split_at_mut(start[c + 1] - start[c]);
        slices.push((c, head));
        rest = tail;
    }
    let max_size = (0..k).map(|c| start[c + 1] - start[c]).max().unwrap_or(0);
    slices.into_par_iter().with_min_len(64).for_each_init(
        || RefineScratch::new(max_size),
        |scratch, (c, refined)| {
            let nodes = &members[start[c]..start[c + 1]];
            let ctx = RefineContext {
                level,
                community,
                local: &local,
                options,
                scale,
                seed,
            };
            refine_community(&ctx, c, nodes, tot_c[c], refined, scratch);
        },
    );
    // Name every sub-community by its first node, then relabel densely.
    let mut label = vec![0u32; n];
    for c in 0..k {
        let nodes = &members[start[c]..start[c + 1]];
        for (i, &r) in refined_flat[start[c]..start[c + 1]].iter().enumerate() {
            label[nodes[i] as usize] = nodes[r as usize];
        }
    }
    relabel(&label)
}

/// Splits every community into its connected components; returns dense
/// labels numbered by first appearance.
fn split_disconnected(view: &UndirectedView, membership: &[u32]) -> Vec<u32> {
    let n = view.num_nodes();
    let mut label = vec![u32::MAX; n];
    let mut next = 0u32;
    let mut stack = Vec::new();
    for s in 0..n {
        if label[s] != u32::MAX {
            continue;
        }
        label[s] = next;
        stack.push(s as u32);
        while let Some(u) = stack.pop() {
            for &v in view.row(u as usize).0 {
                if label[v as usize] == u32::MAX && membership[v as usize] == membership[s] {
                    label[v as usize] = next;
                    stack.push(v);
                }
            }
        }
        next += 1;
    }
    label
}

/// Validates the Leiden options.
fn check(options: &LeidenOptions) -> Result<()> {
    if !(options.resolution > 0.0 && options.resolution.is_finite()) {
        return Err(Error::argument(
            "resolution",
            format!(
                "leiden: resolution must be positive and finite, got {}",
                options.resolution
            ),
        ));
    }
    // θ is checked whatever the refinement: an invalid value is an error
    // even when the greedy default does not read it.
    if !(options.theta > 0.0 && options.theta.is_finite()) {
        return Err(Error::argument(
            "theta",
            format!(
                "leiden: theta must be positive and finite, got {}",
                options.theta
            ),
        ));
    }
    if options.starts == 0 {
        return Err(Error::argument(
            "starts",
            "leiden: at least one start is needed, got 0",
        ));
    }
    Ok(())
}

/// Leiden communities of `graph` maximising modularity (see the
/// [module](super) docs for the algorithm, its determinism and the reference).
///
/// # Arguments
///
/// * `graph`: any layer or merged view; communities are found on its
///   undirected weighted view ([`UndirectedView`]).
/// * `options`: resolution `γ`, refinement variant and `θ`, seed, pass cap,
///   starts, multilevel moves.
///
/// # Returns
///
/// A [`Partition`] with connected communities, its modularity at `γ` and
/// the number of passes. An error for a non-positive resolution or `θ`.
///
/// # Complexity
///
/// Each pass is `O(m)` per level of local moving in practice (each node is
/// re-queued only when a neighbour moves) plus `O(n + m)` for refinement and
/// aggregation, and with [`LeidenOptions::multilevel_moves`] local moving
/// once more per level on the way down (from a near-optimal partition, about
/// one sweep); the levels shrink geometrically on real graphs. `O(n + m)`
/// extra memory: a pass keeps its aggregate levels until it ends.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::communities::{LeidenOptions, leiden};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // Two triangles joined by the edge 2 → 3.
/// let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)];
/// let g = LayerGraph::from_edges(6, &edges, &BuildOptions::default())?;
/// let p = leiden(&g, &LeidenOptions::default())?;
/// assert_eq!(p.membership, vec![0, 0, 0, 1, 1, 1]);
/// assert_eq!(p.num_communities, 2);
/// assert!((p.modularity - 5.0 / 14.0).abs() < 1e-12);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn leiden(graph: &LayerGraph, options: &LeidenOptions) -> Result<Partition> {
    leiden_view(&UndirectedView::new(graph), options)
}

/// [`leiden`] on an already built [`UndirectedView`].
pub fn leiden_view(view: &UndirectedView, options: &LeidenOptions) -> Result<Partition> {
    check(options)?;
    let n = view.num_nodes();
    if view.total <= 0.0 {
        return Ok(Partition::from_labels(
            view,
            &(0..n as u32).collect::<Vec<_>>(),
            options.resolution,
            0,
        ));
    }
    // Every start is a whole run on its own seed, in parallel; the highest
    // modularity wins, ties to the earliest start, so the choice does not
    // depend on scheduling, and start 0 (the options' seed) is a lower
    // bound. (Choosing after the first pass instead was measured to lose on
    // Epinions and Higgs: see `LeidenOptions::starts`.)
    let runs: Vec<Partition> = (0..options.starts)
        .into_par_iter()
        .map(|i| {
            let (membership, passes) = leiden_start(view, options, start_seed(options.seed, i));
            Partition::from_labels(view, &membership, options.resolution, passes)
        })
        .collect();
    let mut best: Option<Partition> = None;
    for p in runs {
        if best.as_ref().is_none_or(|b| p.modularity > b.modularity) {
            best = Some(p);
        }
    }
    Ok(best.expect("check() requires at least one start"))
}

/// Seed of start `i`: the options' seed itself for the first start (so one
/// start is the single-run algorithm), a derived stream for the others.
fn start_seed(seed: u64, i: usize) -> u64 {
    if i == 0 {
        seed
    } else {
        Xoshiro256StarStar::from_stream(seed, START_STREAM | i as u64).next_u64()
    }
}

/// One Leiden run from singletons with `seed`: passes until the cap or a
/// pass that moves no node; returns the membership split into connected
/// communities and the number of passes.
fn leiden_start(view: &UndirectedView, options: &LeidenOptions, seed: u64) -> (Vec<u32>, usize) {
    let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
    let mut membership: Vec<u32> = (0..view.num_nodes() as u32).collect();
    let mut passes = 0;
    // A pass with multilevel moves ends with local moving converged on the
    // original graph, so the next pass's first local moving would move no
    // node: it is skipped.
    let mut settled = false;
    while passes < options.max_iterations {
        passes += 1;
        let moves = leiden_pass(view, &mut membership, options, &mut rng, settled);
        settled = options.multilevel_moves;
        if moves == 0 {
            break;
        }
    }
    (split_disconnected(view, &membership), passes)
}

/// One Leiden pass from `membership` (local moving, refinement and
/// aggregation, level by level until local moving leaves every aggregate
/// node alone; then, with [`LeidenOptions::multilevel_moves`], local moving
/// again on every level back down to the original graph); updates
/// `membership` and returns the number of moves. `settled`: `membership`
/// is already a local optimum of local moving on the original graph (the
/// first local moving is skipped).
fn leiden_pass(
    view: &UndirectedView,
    membership: &mut Vec<u32>,
    options: &LeidenOptions,
    rng: &mut Xoshiro256StarStar,
    settled: bool,
) -> usize {
    let two_m = view.total;
    let gamma = options.resolution;
    let mut level = Level::from_view(view);
    let mut community = std::mem::take(membership);
    let mut moves = 0;
    let mut skip_moves = settled;
    // The finer levels of the pass, each with the aggregate node (at the
    // next level) of every one of its nodes.
    let mut finer: Vec<(Level, Vec<u32>)> = Vec::new();
    loop {
        if !skip_moves {
            moves += local_moving(&level, &mut community, gamma, two_m, rng);
        }
        skip_moves = false;
        let (dense, k) = relabel(&community);
        community = dense;
        if k == level.n() {
            break;
        }
        let order = shuffled(level.n(), rng);
        let stream_seed = rng.next_u64();
        let (mut groups, mut r) =
            refine(&level, &community, k, options, two_m, &order, stream_seed);
        if r == level.n() {
            groups.clone_from(&community);
            r = k;
        }
        // Initial community of each aggregate node: that of its members.
        let mut next_comm = vec![0u32; r];
        for (u, &g) in groups.iter().enumerate() {
            next_comm[g as usize] = community[u];
        }
        let coarser = level.aggregate(&groups, r);
        finer.push((std::mem::replace(&mut level, coarser), groups));
        community = next_comm;
    }
    // Back down: each level's nodes take the community of their aggregate
    // node, then (multilevel refinement) move again where it pays.
    while let Some((lower, groups)) = finer.pop() {
        community = groups.iter().map(|&g| community[g as usize]).collect();
        level = lower;
        if options.multilevel_moves {
            moves += local_moving(&level, &mut community, gamma, two_m, rng);
        }
    }
    *membership = community;
    moves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuildOptions;

    /// A planted partition: 8 groups of 40, each pair linked with
    /// probability 0.2 inside a group and 0.01 across.
    fn planted(seed: u64) -> LayerGraph {
        let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
        let n = 320u32;
        let mut edges = Vec::new();
        for u in 0..n {
            for v in u + 1..n {
                let p = if u / 40 == v / 40 { 0.2 } else { 0.01 };
                if rng.next_f64() < p {
                    edges.push((u, v));
                }
            }
        }
        LayerGraph::from_edges(n as usize, &edges, &BuildOptions::default()).unwrap()
    }

    /// Largest modularity gain (in weight units) of moving one node to a
    /// neighbouring community or out on its own.
    fn best_single_move_gain(view: &UndirectedView, membership: &[u32], gamma: f64) -> f64 {
        let scale = gamma / view.total;
        let n = view.num_nodes();
        let mut tot = vec![0.0; n];
        for u in 0..n {
            tot[membership[u] as usize] += view.strength[u];
        }
        let mut best = f64::NEG_INFINITY;
        for v in 0..n {
            let (kv, own) = (view.strength[v], membership[v] as usize);
            let mut w = std::collections::BTreeMap::new();
            let (nb, wt) = view.row(v);
            for (&u, &x) in nb.iter().zip(wt) {
                *w.entry(membership[u as usize] as usize).or_insert(0.0) += x;
            }
            let stay = w.get(&own).copied().unwrap_or(0.0) - scale * kv * (tot[own] - kv);
            // Alone: no weight to the community, which has no strength.
            best = best.max(-stay);
            for (&c, &x) in &w {
                if c != own {
                    best = best.max(x - scale * kv * tot[c] - stay);
                }
            }
        }
        best
    }

    /// With multilevel moves a pass ends with local moving converged on the
    /// original graph: no single node move improves modularity, after the
    /// first pass (from singletons) and after the second (started settled).
    #[test]
    fn multilevel_moves_end_at_a_local_optimum() {
        let options = LeidenOptions::default();
        assert!(options.multilevel_moves);
        for seed in 0..4 {
            let view = UndirectedView::new(&planted(seed));
            let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
            let mut membership: Vec<u32> = (0..view.num_nodes() as u32).collect();
            let moves = leiden_pass(&view, &mut membership, &options, &mut rng, false);
            assert!(moves > 0);
            let gain = best_single_move_gain(&view, &membership, 1.0);
            assert!(gain <= 1e-9, "seed {seed}: a move gains {gain}");
            let q = view.modularity(&membership, 1.0);
            leiden_pass(&view, &mut membership, &options, &mut rng, true);
            let gain = best_single_move_gain(&view, &membership, 1.0);
            assert!(gain <= 1e-9, "seed {seed}, pass 2: a move gains {gain}");
            assert!(view.modularity(&membership, 1.0) >= q - 1e-12);
        }
    }
}
