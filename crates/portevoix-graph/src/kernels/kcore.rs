//! k-core decomposition: undirected coreness and directed in- and out-cores
//! (a level-synchronous parallel peel, with the Batagelj–Zaversnik bucket
//! peel as the reference).
//!
//! # Definition
//!
//! The *k-core* is the largest subgraph in which every node has degree at
//! least `k`; the *core number* (coreness) of a node is the largest `k`
//! whose k-core contains it. Three views of a [`LayerGraph`]:
//!
//! * [`CoreMode::Undirected`]: edges taken without direction, self-loops
//!   ignored, `u → v` and `v → u` counted once (the simple undirected graph).
//!   Identical to NetworkX's `nx.core_number(G.to_undirected())`.
//! * [`CoreMode::In`]: degree = in-degree within the subgraph (how many of
//!   the remaining nodes point at it), self-loops ignored. igraph's
//!   `coreness(mode="in")`.
//! * [`CoreMode::Out`]: degree = out-degree within the subgraph.
//!
//! # Algorithm
//!
//! Both peels rest on the same fact: with `deg_H(v)` the degree of `v` in
//! the subgraph `H` of the nodes not yet removed, repeatedly removing a node
//! of smallest `deg_H` and recording
//!
//! `core(v) = max(deg_H(v) at its removal, core of every node removed before v)`
//!
//! gives the core numbers, whatever the order among equal degrees. Core
//! numbers are unique, so every order, and every number of threads, gives
//! the same values.
//!
//! * **Level-synchronous parallel peel** ([`core_numbers_parallel`], used
//!   by [`core_numbers`] from [`PARALLEL_MIN_EDGES`] edges). For each level
//!   `k = 0, 1, …` in turn, a parallel scan collects the remaining nodes of
//!   degree `k`; the threads remove them, lowering with atomic decrements
//!   the degree of every neighbour still above `k`, and remove in turn the
//!   neighbours that reach `k` (the decrement that returns `k + 1` claims
//!   the node; one that would go below `k` is undone). Each node ends with
//!   its degree at removal, `k`, which is its core number. The undirected
//!   degrees are counted in parallel as `|out ∪ in| − [self-loop]` with a
//!   branch-free intersection of the two sorted rows.
//! * **Bucket peel** ([`core_numbers_sequential`], the reference, and the
//!   path of small graphs): nodes sorted by current degree in bins (a
//!   counting sort), processed in increasing degree; removing a node lowers
//!   by one the degree of each neighbour whose degree is still larger,
//!   which moves it one bin down in `O(1)`. Sequential; its degrees are
//!   counted in parallel.
//!
//! Both are `O(n + m)` (see each function's Complexity).
//!
//! # References
//!
//! * V. Batagelj and M. Zaversnik, "An O(m) algorithm for cores
//!   decomposition of networks", arXiv:cs/0310049, 2003.
//! * N. S. Dasari, R. Desh and M. Zubair, "ParK: An efficient algorithm for
//!   k-core decomposition on multicore processors", IEEE BigData 2014.
//! * H. Kabir and K. Madduri, "Parallel k-core decomposition on multicore
//!   platforms", IEEE IPDPSW 2017 (PKC).

use crate::LayerGraph;
use crate::csr::Csr;
use rayon::prelude::*;
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::Relaxed;

/// Which degree defines the cores (see the [module](self) docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CoreMode {
    /// Edges without direction, self-loops and reciprocal pairs counted once.
    #[default]
    Undirected,
    /// In-degree (in-core numbers).
    In,
    /// Out-degree (out-core numbers).
    Out,
}

/// Calls `f` on every neighbour of `v` in the union of its out- and in-rows
/// (both sorted), once each, skipping `v` itself.
#[inline]
fn for_union(out: &Csr, inn: &Csr, v: usize, mut f: impl FnMut(usize)) {
    let (a, _) = out.row(v);
    let (b, _) = inn.row(v);
    let (mut i, mut j) = (0, 0);
    let me = v as u32;
    while i < a.len() || j < b.len() {
        let next = if j == b.len() || (i < a.len() && a[i] < b[j]) {
            i += 1;
            a[i - 1]
        } else if i == a.len() || b[j] < a[i] {
            j += 1;
            b[j - 1]
        } else {
            i += 1;
            j += 1;
            a[i - 1]
        };
        if next != me {
            f(next as usize);
        }
    }
}

/// Calls `f` on every neighbour of `v` in `csr` except `v` itself.
#[inline]
fn for_row(csr: &Csr, v: usize, mut f: impl FnMut(usize)) {
    let (a, _) = csr.row(v);
    for &u in a {
        if u as usize != v {
            f(u as usize);
        }
    }
}

/// Graphs with fewer stored edges than this are peeled sequentially by
/// [`core_numbers`]: below it, the level synchronisation costs more than the
/// second thread saves.
pub const PARALLEL_MIN_EDGES: usize = 1 << 16;

/// Nodes per task when counting undirected degrees.
const DEGREE_GRAIN: usize = 2048;
/// Below this many remaining nodes, a level's scan runs on one thread.
const SCAN_PARALLEL_MIN: usize = 1 << 14;
/// Remaining nodes per task of a parallel scan.
const SCAN_CHUNK: usize = 1 << 13;
/// A frontier is split into this many tasks per thread (a few nodes of the
/// dense cores can cost as much as thousands of leaves).
const TASKS_PER_THREAD: usize = 4;
/// A task stops following the nodes it brought down to the current level
/// once more than this many are pending, and hands them to the next round,
/// so that the threads share a cascade (the collapse of a dense core often
/// starts from a single node).
const HANDOFF: usize = 32;

/// Neighbour lists of the peel: `visit(v, f)` calls `f` once on every node
/// whose degree counts `v`, never on `v` itself.
trait Affected: Sync {
    fn visit(&self, v: usize, f: impl FnMut(u32));
}

/// One CSR direction, self-loops skipped.
struct Row<'a>(&'a Csr);

impl Affected for Row<'_> {
    #[inline]
    fn visit(&self, v: usize, mut f: impl FnMut(u32)) {
        let me = v as u32;
        for &u in &self.0.neighbors[self.0.range(v)] {
            if u != me {
                f(u);
            }
        }
    }
}

/// The union of the out- and in-rows (the simple undirected graph).
struct Union<'a> {
    out: &'a Csr,
    inn: &'a Csr,
}

impl Affected for Union<'_> {
    #[inline]
    fn visit(&self, v: usize, f: impl FnMut(u32)) {
        merge_union(
            &self.out.neighbors[self.out.range(v)],
            &self.inn.neighbors[self.inn.range(v)],
            v as u32,
            f,
        );
    }
}

/// Calls `f` once on every value of the union of the sorted, repeat-free
/// `a` and `b`, except `me`. The merge advances without data-dependent
/// branches (both cursors move by a comparison result), which matters on
/// social graphs where the two rows interleave unpredictably.
#[inline(always)]
fn merge_union(a: &[u32], b: &[u32], me: u32, mut f: impl FnMut(u32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let m = x.min(y);
        if m != me {
            f(m);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    for &x in a[i..].iter().chain(&b[j..]) {
        if x != me {
            f(x);
        }
    }
}

/// Number of values common to the sorted, repeat-free `a` and `b`: a
/// branch-free merge, or binary searches of the shorter row in the longer
/// one when their lengths differ enough.
fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0;
    }
    let log_long = (usize::BITS - long.len().leading_zeros()) as usize;
    if short.len() * log_long < long.len() {
        let mut rest = long;
        let mut common = 0;
        for &x in short {
            match rest.binary_search(&x) {
                Ok(p) => {
                    common += 1;
                    rest = &rest[p + 1..];
                }
                Err(p) => rest = &rest[p..],
            }
        }
        return common;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        common += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    common
}

/// Undirected simple degree of `v`: `|out ∪ in| − [v is a neighbour of
/// itself]`, from the two sorted rows.
#[inline]
fn union_degree(out: &Csr, inn: &Csr, v: usize) -> u32 {
    let a = &out.neighbors[out.range(v)];
    let b = &inn.neighbors[inn.range(v)];
    let me = v as u32;
    let has_loop = a.binary_search(&me).is_ok() || b.binary_search(&me).is_ok();
    (a.len() + b.len() - intersection_len(a, b) - usize::from(has_loop)) as u32
}

/// Degree of every node in one CSR direction, self-loops not counted.
fn row_degrees(csr: &Csr) -> Vec<u32> {
    (0..csr.num_nodes())
        .into_par_iter()
        .with_min_len(DEGREE_GRAIN)
        .map(|v| {
            let a = &csr.neighbors[csr.range(v)];
            (a.len() - usize::from(a.binary_search(&(v as u32)).is_ok())) as u32
        })
        .collect()
}

/// One level's scan: moves the nodes of degree `level` from `alive` to
/// `frontier`, drops the nodes already peeled (degree below `level`), keeps
/// the others in their order, and returns their smallest degree
/// (`u32::MAX` when none is left).
fn scan_level(deg: &[AtomicU32], alive: &mut Vec<u32>, level: u32, frontier: &mut Vec<u32>) -> u32 {
    frontier.clear();
    let split = |chunk: &mut [u32], frontier: &mut Vec<u32>| -> (usize, u32) {
        let (mut kept, mut min) = (0, u32::MAX);
        for i in 0..chunk.len() {
            let v = chunk[i];
            let d = deg[v as usize].load(Relaxed);
            if d == level {
                frontier.push(v);
            } else if d > level {
                min = min.min(d);
                chunk[kept] = v;
                kept += 1;
            }
        }
        (kept, min)
    };
    if alive.len() < SCAN_PARALLEL_MIN {
        let (kept, min) = split(alive, frontier);
        alive.truncate(kept);
        return min;
    }
    let parts: Vec<(usize, Vec<u32>, u32)> = alive
        .par_chunks_mut(SCAN_CHUNK)
        .map(|chunk| {
            let mut found = Vec::new();
            let (kept, min) = split(chunk, &mut found);
            (kept, found, min)
        })
        .collect();
    let (mut len, mut min) = (0, u32::MAX);
    for (c, (kept, found, m)) in parts.into_iter().enumerate() {
        let start = c * SCAN_CHUNK;
        alive.copy_within(start..start + kept, len);
        len += kept;
        frontier.extend_from_slice(&found);
        min = min.min(m);
    }
    alive.truncate(len);
    min
}

/// Removes the nodes of `frontier` (all of degree `level`) and, transitively,
/// every node their removal brings down to `level`.
fn peel_level(deg: &[AtomicU32], nb: &impl Affected, frontier: &[u32], level: u32) {
    // Removing `v` lowers by one the degree of each neighbour still above
    // `level`. Two tasks may both see `u` at `level + 1`: the one whose
    // decrement returns `level + 1` owns `u`, the other undoes its own.
    let visit = |v: u32, pending: &mut Vec<u32>| {
        nb.visit(v as usize, |u| {
            let d = &deg[u as usize];
            if d.load(Relaxed) > level {
                let old = d.fetch_sub(1, Relaxed);
                if old == level + 1 {
                    pending.push(u);
                } else if old <= level {
                    d.fetch_add(1, Relaxed);
                }
            }
        });
    };
    let threads = rayon::current_num_threads();
    let round = |current: &[u32]| -> Vec<Vec<u32>> {
        let grain = current.len().div_ceil(TASKS_PER_THREAD * threads);
        current
            .par_chunks(grain)
            .map(|chunk| {
                let mut pending = Vec::new();
                for &v in chunk {
                    visit(v, &mut pending);
                    while pending.len() <= HANDOFF {
                        match pending.pop() {
                            Some(u) => visit(u, &mut pending),
                            None => break,
                        }
                    }
                }
                pending
            })
            .filter(|p| !p.is_empty())
            .collect()
    };
    let mut handed = round(frontier);
    while !handed.is_empty() {
        let next = handed.concat();
        handed = round(&next);
    }
}

/// The level-synchronous parallel peel (ParK / PKC): for each level `k`
/// in increasing order, the nodes of degree `k` and those their removal
/// brings down to `k` are removed, in parallel, with atomic decrements.
/// `deg` holds the initial degrees and becomes the core numbers.
fn par_peel(deg: Vec<u32>, nb: &impl Affected) -> Vec<u32> {
    let n = deg.len();
    let deg: Vec<AtomicU32> = deg.into_iter().map(AtomicU32::new).collect();
    let mut alive: Vec<u32> = (0..n as u32).collect();
    let mut frontier = Vec::new();
    let mut level = 0u32;
    while !alive.is_empty() {
        let next = scan_level(&deg, &mut alive, level, &mut frontier);
        if frontier.is_empty() {
            // No node at this level: jump to the smallest remaining degree.
            level = next;
            continue;
        }
        peel_level(&deg, nb, &frontier, level);
        level += 1;
    }
    deg.into_iter().map(AtomicU32::into_inner).collect()
}

/// The bucket peel. `deg` holds the initial degrees; `for_affected(v, f)`
/// calls `f` on every node whose degree counts `v`.
fn peel(mut deg: Vec<u32>, for_affected: impl Fn(usize, &mut dyn FnMut(usize))) -> Vec<u32> {
    let n = deg.len();
    let max_deg = deg.iter().copied().max().unwrap_or(0) as usize;
    // bin[d] = first position of degree d in `vert`.
    let mut bin = vec![0usize; max_deg + 2];
    for &d in &deg {
        bin[d as usize + 1] += 1;
    }
    for d in 1..bin.len() {
        bin[d] += bin[d - 1];
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0u32; n];
    {
        let mut next = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = next[d];
            vert[next[d]] = v as u32;
            next[d] += 1;
        }
    }
    for i in 0..n {
        let v = vert[i] as usize;
        let dv = deg[v];
        for_affected(v, &mut |u| {
            let du = deg[u];
            if du > dv {
                let du = du as usize;
                let pu = pos[u];
                let pw = bin[du];
                let w = vert[pw] as usize;
                if u != w {
                    vert[pu] = w as u32;
                    pos[w] = pu;
                    vert[pw] = u as u32;
                    pos[u] = pw;
                }
                bin[du] += 1;
                deg[u] -= 1;
            }
        });
    }
    deg
}

/// Core number of every node of `graph` in the given [`CoreMode`] (see the
/// [module](self) docs for the definitions, the algorithms and the
/// references).
///
/// Graphs with at least [`PARALLEL_MIN_EDGES`] edges are peeled level by
/// level in parallel ([`core_numbers_parallel`], also the faster of the two
/// on one thread at that size); smaller graphs use the sequential bucket
/// peel ([`core_numbers_sequential`]). Core numbers are unique, so both give
/// the same values, for any number of threads.
///
/// # Arguments
///
/// * `graph`: any layer or merged view (weights are ignored).
/// * `mode`: undirected coreness, in-cores or out-cores.
///
/// # Returns
///
/// The core number of every node, indexed by node id (0 for isolated nodes).
///
/// # Complexity
///
/// `O(n + m)` time and `O(n)` extra memory on either path (see
/// [`core_numbers_parallel`] and [`core_numbers_sequential`]).
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::kcore::{CoreMode, core_numbers};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // A triangle 0-1-2 (one pair reciprocal) with a pendant 3 and isolated 4.
/// let edges = [(0, 1), (1, 0), (1, 2), (2, 0), (2, 3)];
/// let g = LayerGraph::from_edges(5, &edges, &BuildOptions::default())?;
/// assert_eq!(core_numbers(&g, CoreMode::Undirected), vec![2, 2, 2, 1, 0]);
/// assert_eq!(core_numbers(&g, CoreMode::In), vec![1, 1, 1, 1, 0]);
/// assert_eq!(core_numbers(&g, CoreMode::Out), vec![1, 1, 1, 0, 0]);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn core_numbers(graph: &LayerGraph, mode: CoreMode) -> Vec<u32> {
    if graph.num_edges() < PARALLEL_MIN_EDGES {
        core_numbers_sequential(graph, mode)
    } else {
        core_numbers_parallel(graph, mode)
    }
}

/// Core numbers by the level-synchronous parallel peel, whatever the size of
/// the graph (ParK, Dasari et al. 2014; PKC, Kabir and Madduri 2017).
///
/// Level `k = 0, 1, …`: one scan of the nodes not yet removed collects
/// those of degree `k` (the frontier) and compacts the others; the frontier
/// is split between the threads, and each removes its nodes, lowering
/// with an atomic decrement the degree of every neighbour still above `k`.
/// A neighbour whose decrement returns `k + 1` has just reached `k`: its
/// thread removes it in turn (long cascades are shared again between the
/// threads). Decrements that would take a degree below `k` are undone, so
/// every node ends with its degree at the level it was removed, which is
/// its core number. A level with no node is skipped straight to the
/// smallest remaining degree. The values are the same as
/// [`core_numbers_sequential`]'s for any number of threads.
///
/// # Complexity
///
/// `O(n + m)` work: a node takes part in at most two scans per level up to
/// its core number plus one (and a core number is at most the degree), each
/// removed node reads its neighbours once and each edge is decremented at
/// most once from each end; undirected neighbours are the branch-free merge
/// of the sorted out- and in-rows. The synchronisation rounds are the
/// levels that hold a node (as many as distinct core numbers) plus one per
/// hand-off of a cascade. `O(n)` extra memory (degrees,
/// remaining nodes and frontier).
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::kcore::{CoreMode, core_numbers_parallel, core_numbers_sequential};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// let edges = [(0, 1), (1, 0), (1, 2), (2, 0), (2, 3), (3, 3)];
/// let g = LayerGraph::from_edges(5, &edges, &BuildOptions::default())?;
/// for mode in [CoreMode::Undirected, CoreMode::In, CoreMode::Out] {
///     assert_eq!(core_numbers_parallel(&g, mode), core_numbers_sequential(&g, mode));
/// }
/// assert_eq!(core_numbers_parallel(&g, CoreMode::Undirected), vec![2, 2, 2, 1, 0]);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn core_numbers_parallel(graph: &LayerGraph, mode: CoreMode) -> Vec<u32> {
    let out = graph.out_csr();
    let inn = graph.in_csr();
    // Run on a pool thread, so that the many small parallel calls of the
    // levels do not each cross from an outside thread into the pool.
    rayon::scope(|_| match mode {
        CoreMode::Undirected => {
            let deg = (0..graph.num_nodes())
                .into_par_iter()
                .with_min_len(DEGREE_GRAIN)
                .map(|v| union_degree(out, inn, v))
                .collect();
            par_peel(deg, &Union { out, inn })
        }
        // Removing v lowers the in-degree of the nodes v points at.
        CoreMode::In => par_peel(row_degrees(inn), &Row(out)),
        // Removing v lowers the out-degree of the nodes pointing at v.
        CoreMode::Out => par_peel(row_degrees(out), &Row(inn)),
    })
}

/// Core numbers by the sequential bucket peel of Batagelj and Zaversnik, the
/// reference of [`core_numbers_parallel`] (degrees are counted in parallel,
/// the peel runs on one thread).
///
/// Nodes are sorted by degree into bins (a counting sort) and removed in
/// increasing degree; removing a node lowers by one the degree of each
/// neighbour whose degree is still larger, which moves it one bin down in
/// `O(1)`. The order in which equal degrees are processed does not change
/// the result.
///
/// # Complexity
///
/// `O(n + m)` time, `O(n)` extra memory (four `n`-long arrays).
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::kcore::{CoreMode, core_numbers_sequential};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // A 4-clique 0-1-2-3 with a path 3-4-5.
/// let edges = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3), (3, 4), (4, 5)];
/// let g = LayerGraph::from_edges(6, &edges, &BuildOptions::default())?;
/// assert_eq!(core_numbers_sequential(&g, CoreMode::Undirected), vec![3, 3, 3, 3, 1, 1]);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn core_numbers_sequential(graph: &LayerGraph, mode: CoreMode) -> Vec<u32> {
    let n = graph.num_nodes();
    let out = graph.out_csr();
    let inn = graph.in_csr();
    let count = |csr: &Csr| -> Vec<u32> {
        (0..n)
            .into_par_iter()
            .map(|v| {
                let (a, _) = csr.row(v);
                (a.len() - usize::from(a.binary_search(&(v as u32)).is_ok())) as u32
            })
            .collect()
    };
    match mode {
        CoreMode::Undirected => {
            let deg: Vec<u32> = (0..n)
                .into_par_iter()
                .map(|v| {
                    let mut d = 0u32;
                    for_union(out, inn, v, |_| d += 1);
                    d
                })
                .collect();
            peel(deg, |v, f| for_union(out, inn, v, f))
        }
        // Removing v lowers the in-degree of the nodes v points at.
        CoreMode::In => peel(count(inn), |v, f| for_row(out, v, f)),
        // Removing v lowers the out-degree of the nodes pointing at v.
        CoreMode::Out => peel(count(out), |v, f| for_row(inn, v, f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuildOptions;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn sorted_set(max: u32, len: usize) -> impl Strategy<Value = Vec<u32>> {
        prop::collection::btree_set(0..max, 0..len).prop_map(|s| s.into_iter().collect())
    }

    proptest! {
        #[test]
        fn union_and_intersection_match_sets(
            a in sorted_set(300, 120),
            b in sorted_set(300, 8),
            me in 0u32..300,
            swap in any::<bool>(),
        ) {
            // Lengths as different as a hub's two rows, in either order, so
            // that both the merge and the binary-search paths run.
            let (a, b) = if swap { (b, a) } else { (a, b) };
            let sa: BTreeSet<u32> = a.iter().copied().collect();
            let sb: BTreeSet<u32> = b.iter().copied().collect();
            prop_assert_eq!(intersection_len(&a, &b), sa.intersection(&sb).count());
            let mut seen = Vec::new();
            merge_union(&a, &b, me, |u| seen.push(u));
            let expected: Vec<u32> = sa.union(&sb).copied().filter(|&u| u != me).collect();
            prop_assert_eq!(seen, expected);
        }
    }

    #[test]
    fn union_degree_counts_reciprocal_pairs_once_and_skips_loops() {
        // 0 <-> 1, 0 -> 2, 3 -> 0, 0 -> 0.
        let edges = [(0, 1), (1, 0), (0, 2), (3, 0), (0, 0)];
        let opts = BuildOptions {
            keep_self_loops: true,
            ..BuildOptions::default()
        };
        let g = LayerGraph::from_edges(5, &edges, &opts).unwrap();
        let (out, inn) = (g.out_csr(), g.in_csr());
        let deg: Vec<u32> = (0..5).map(|v| union_degree(out, inn, v)).collect();
        assert_eq!(deg, vec![3, 1, 1, 1, 0]);
        assert_eq!(row_degrees(inn), vec![2, 1, 1, 0, 0]);
    }

    #[test]
    fn scan_level_splits_compacts_and_finds_the_next_level() {
        for n in [10usize, SCAN_PARALLEL_MIN + 3 * SCAN_CHUNK + 5] {
            let deg: Vec<AtomicU32> = (0..n).map(|v| AtomicU32::new((v % 7) as u32)).collect();
            let mut alive: Vec<u32> = (0..n as u32).collect();
            let mut frontier = Vec::new();
            let next = scan_level(&deg, &mut alive, 3, &mut frontier);
            let want_frontier: Vec<u32> = (0..n as u32).filter(|v| v % 7 == 3).collect();
            let want_alive: Vec<u32> = (0..n as u32).filter(|v| v % 7 > 3).collect();
            assert_eq!((frontier, alive, next), (want_frontier, want_alive, 4));
        }
        let deg = [AtomicU32::new(1)];
        let (mut alive, mut frontier) = (vec![0u32], Vec::new());
        assert_eq!(scan_level(&deg, &mut alive, 1, &mut frontier), u32::MAX);
        assert!(alive.is_empty() && frontier == vec![0]);
    }
}
