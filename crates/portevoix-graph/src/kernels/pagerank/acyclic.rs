//! The acyclic ends of a graph: the nodes that no cycle reaches
//! (*upstream*) and those that reach no cycle (*downstream*), in
//! topological levels, around the *core* that holds every cycle.
//!
//! PageRank's linear system `y = p + d·Pᵀy` is solved exactly on both ends
//! by one substitution each, in level order: an upstream node's
//! in-neighbours all sit in earlier levels, and a downstream node's
//! in-neighbours are upstream, in the core, or in later downstream levels.
//! Only the core needs an iterative solver. On a retweet graph (a forest
//! of stars) the core is under 1% of the nodes.
//!
//! Self-loops are ignored here: they only put a coefficient on the
//! diagonal, which the substitution divides out. The levels are the
//! longest-path layers, computed level-synchronously with atomic counters
//! and each level sorted, so they do not depend on the thread count.

use crate::LayerGraph;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// [`Acyclic::class`] of an upstream node.
pub(super) const UP: u32 = u32::MAX;
/// [`Acyclic::class`] of a downstream node.
pub(super) const DOWN: u32 = u32::MAX - 1;

/// Frontiers below this size are expanded without rayon.
const SEQUENTIAL: usize = 1024;

/// The levels of both acyclic ends and the core.
pub(super) struct Acyclic {
    /// Upstream levels, first to last: level 0 has no in-edge.
    pub up: Vec<Vec<u32>>,
    /// Downstream levels in discovery order: level 0 has no out-edge;
    /// values are computed from the last level back to level 0.
    pub down: Vec<Vec<u32>>,
    /// Per node: [`UP`], [`DOWN`], or its index in [`Acyclic::core`].
    pub class: Vec<u32>,
    /// The core nodes, by increasing id.
    pub core: Vec<u32>,
}

/// Whether row `v` (sorted by neighbour id) holds `v` itself.
#[inline]
fn has_loop(row: &[u32], v: usize) -> bool {
    row.binary_search(&(v as u32)).is_ok()
}

/// Degrees without self-loops, as atomic counters.
fn counters(graph: &LayerGraph, out: bool) -> Vec<AtomicU32> {
    let csr = if out { graph.out_csr() } else { graph.in_csr() };
    (0..graph.num_nodes())
        .into_par_iter()
        .with_min_len(4096)
        .map(|v| {
            let (row, _) = csr.row(v);
            AtomicU32::new((row.len() - usize::from(has_loop(row, v))) as u32)
        })
        .collect()
}

/// Peels level after level: a node joins the next level when its counter
/// (incoming dependencies) drops to zero; `follow(v)` lists the nodes that
/// depend on `v`.
fn peel<'a, F, I>(first: Vec<u32>, count: &[AtomicU32], follow: F) -> Vec<Vec<u32>>
where
    F: Fn(u32) -> I + Sync,
    I: Iterator<Item = u32> + 'a,
{
    let mut levels = Vec::new();
    let mut frontier = first;
    while !frontier.is_empty() {
        let release = |w: u32| count[w as usize].fetch_sub(1, Ordering::Relaxed) == 1;
        let mut next: Vec<u32> = if frontier.len() < SEQUENTIAL {
            frontier
                .iter()
                .flat_map(|&v| follow(v))
                .filter(|&w| release(w))
                .collect()
        } else {
            frontier
                .par_iter()
                .flat_map_iter(|&v| follow(v))
                .filter(|&w| release(w))
                .collect()
        };
        next.par_sort_unstable();
        levels.push(std::mem::replace(&mut frontier, next));
    }
    levels
}

impl Acyclic {
    /// Finds both ends and the core. `O(n + m)` work; one synchronisation
    /// per level.
    pub(super) fn new(graph: &LayerGraph) -> Acyclic {
        let n = graph.num_nodes();
        let out = graph.out_csr();
        let inc = graph.in_csr();
        let mut class = vec![0u32; n];

        let in_count = counters(graph, false);
        let sources: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .filter(|&v| in_count[v as usize].load(Ordering::Relaxed) == 0)
            .collect();
        let up = peel(sources, &in_count, |v| {
            out.row(v as usize)
                .0
                .iter()
                .copied()
                .filter(move |&w| w != v)
        });
        drop(in_count);
        for level in &up {
            for &v in level {
                class[v as usize] = UP;
            }
        }

        // Downstream: out-degrees without self-loops. An upstream node never
        // has a non-upstream in-neighbour's edge pointing back to it, so
        // only edges from non-upstream nodes are counted down.
        let out_count = counters(graph, true);
        let sinks: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .filter(|&v| {
                class[v as usize] != UP && out_count[v as usize].load(Ordering::Relaxed) == 0
            })
            .collect();
        let class_ref = &class;
        let down = peel(sinks, &out_count, |v| {
            inc.row(v as usize)
                .0
                .iter()
                .copied()
                .filter(move |&u| u != v && class_ref[u as usize] != UP)
        });
        drop(out_count);
        for level in &down {
            for &v in level {
                class[v as usize] = DOWN;
            }
        }
        let core: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .filter(|&v| class[v as usize] != UP && class[v as usize] != DOWN)
            .collect();
        for (i, &v) in core.iter().enumerate() {
            class[v as usize] = i as u32;
        }
        Acyclic {
            up,
            down,
            class,
            core,
        }
    }
}
