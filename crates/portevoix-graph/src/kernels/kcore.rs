//! k-core decomposition: undirected coreness and directed in- and out-cores
//! (Batagelj and Zaversnik 2003).
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
//! The `O(n + m)` bucket algorithm: nodes sorted by current degree in bins
//! (a counting sort), processed in increasing degree; removing a node lowers
//! by one the degree of each neighbour whose degree is still larger, which
//! moves it one bin down in `O(1)`. The peel is sequential (it is inherently
//! ordered, and `O(m)` with a small constant); degrees are computed in
//! parallel. The result does not depend on the processing order of equal
//! degrees, so it is identical for any number of threads.
//!
//! # Reference
//!
//! V. Batagelj and M. Zaversnik, "An O(m) algorithm for cores decomposition
//! of networks", arXiv:cs/0310049, 2003.

use crate::LayerGraph;
use crate::csr::Csr;
use rayon::prelude::*;

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
/// [module](self) docs for the definitions and the reference).
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
/// `O(n + m)` time, `O(n)` extra memory (four `n`-long arrays).
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
