//! Communities: Leiden (modularity), label propagation and weighted
//! modularity on the undirected weighted view of a layer.
//!
//! # Undirected weighted view
//!
//! Community detection works on the symmetric graph [`UndirectedView`]:
//!
//! ```text
//! A_uv = w(u → v) + w(v → u)     for u ≠ v,      A_uu = 0 (self-loops ignored)
//! ```
//!
//! built once as a symmetric CSR (`f64` weights, rows sorted by neighbour id)
//! by merging each node's out-row and in-row, in parallel over fixed node
//! chunks. On an unweighted layer the weight of a pair is the number of
//! directed edges between the two accounts (1 or 2).
//!
//! # Modularity
//!
//! Newman's weighted modularity with resolution `γ` (Newman 2006; Reichardt
//! and Bornholdt 2006 for `γ`), with `k_u = Σ_v A_uv` the strength and
//! `2m = Σ_u k_u`:
//!
//! ```text
//! Q = 1/(2m) Σ_{u,v} [A_uv − γ k_u k_v / (2m)] δ(c_u, c_v)
//!   = Σ_c [ in_c / (2m) − γ (tot_c / (2m))² ]
//! ```
//!
//! where `in_c` sums `A_uv` over ordered pairs inside `c` (every internal
//! undirected edge twice) and `tot_c` the strengths of `c`. This is igraph's
//! `Graph.modularity(membership, weights)` and NetworkX's `modularity` on the
//! same undirected graph. An edgeless graph has `Q = 0`.
//!
//! # Leiden
//!
//! [`leiden`] follows Traag, Waltman and van Eck (2019). One *pass* repeats,
//! level by level on ever coarser graphs:
//!
//! 1. **Fast local moving**: every node, in a seeded random order, enters a
//!    queue; a popped node `v` moves to the neighbouring community `C`
//!    maximising `ΔQ ∝ w(v, C) − γ k_v tot_C / (2m)` (computed with `v`
//!    removed from its own community). It only moves on a *strict*
//!    improvement over staying; ties between other communities go to the
//!    smallest community id. When `v` moves, its neighbours outside its new
//!    community that are not queued are queued again.
//! 2. **Refinement**: inside every community `C` of step 1, start from
//!    singletons and visit the nodes of `C` in the seeded order; a node `v`
//!    still alone and *well connected* to `C`
//!    (`w(v, C − v) ≥ γ k_v (tot_C − k_v) / (2m)`) may join a refined
//!    sub-community `T ⊆ C` that is itself well connected
//!    (`w(T, C − T) ≥ γ tot_T (tot_C − tot_T) / (2m)`) with
//!    `ΔQ(v → T) ≥ 0` (staying alone, `ΔQ = 0`, is a candidate). With
//!    [`Refinement::Greedy`] (the default) the best `T` is taken, ties to
//!    the sub-community whose first node comes first in the visiting order;
//!    with [`Refinement::Random`] (the paper's algorithm) `T` is drawn with
//!    probability `∝ exp(ΔQ / θ)` (ΔQ in weight units, as in igraph's C
//!    implementation) from a seeded RNG. Greedy is the default because it
//!    measured a higher mean modularity over seeds at no more time (see
//!    [`Refinement::Greedy`] and *Measurements* below).
//! 3. **Aggregation**: every refined sub-community becomes one node; its
//!    initial community is the community of step 1 that contains it (so
//!    step 1 is not undone). If refinement left every node alone, the level
//!    aggregates the communities of step 1 instead (igraph's fallback), so
//!    every level shrinks the graph.
//! 4. **Multilevel moves** ([`LeidenOptions::multilevel_moves`], on by
//!    default): when local moving leaves every aggregate node in its own
//!    community, the final partition is carried back down the levels of the
//!    pass, from the coarsest to the original graph, and fast local moving
//!    (step 1) runs again at each level from the carried partition. The
//!    nodes of a level are the refined sub-communities of the level below,
//!    so whole sub-communities, then single nodes, change community where
//!    that strictly raises modularity: the multilevel refinement of Rotta
//!    and Noack (2011) on Leiden's refined levels. The pass then ends with
//!    local moving converged on the original graph, so the next pass skips
//!    its first local moving (it would move no node).
//!
//! A pass stops its way up when local moving leaves every (aggregate) node
//! in its own community. Passes repeat, each starting from the previous partition,
//! until [`LeidenOptions::max_iterations`] passes have run (default 2, as
//! igraph's `n_iterations`) or one moves no node (with `usize::MAX`, igraph's
//! `n_iterations = -1`). Finally communities
//! are split into their connected components (this never lowers modularity:
//! splitting two parts with no edge between them adds
//! `2γ tot_A tot_B / (2m)² ≥ 0`), which guarantees Leiden's connected
//! communities even after the aggregation fallback.
//!
//! **Starts.** [`LeidenOptions::starts`] whole runs (default 1) start from
//! singletons, start 0 with [`LeidenOptions::seed`] and start `i > 0` with a
//! seed derived from it and `i`; they run in parallel and the partition of
//! highest modularity is returned (ties to the earliest start). The seed
//! moves modularity more than extra passes do (see *Measurements*). Start 0
//! is the single-run algorithm, so more starts never return a lower
//! modularity; they cost CPU in proportion, which is why the default is 1.
//!
//! # Determinism and parallelism
//!
//! The view, the modularity and the aggregation run in parallel over fixed
//! chunks with a fixed reduction order. Refinement runs the communities in
//! parallel: each visits its nodes in the order of one seeded permutation
//! per level and draws from its own RNG stream (the level's seed, the
//! community id), so no result depends on scheduling. Local moving is
//! sequential (a seeded visiting order and queue). Starts run in parallel,
//! each as above, and the best is chosen by modularity, then start index.
//! The partition is therefore identical for any number of threads and
//! depends only on the graph, the options and the seed.
//!
//! # Measurements
//!
//! **Multilevel moves**, over seeds 0–7 (mean and minimum modularity; the
//! peers' Leiden with the seed set the same way as in `benches/peers`,
//! igraph `community_leiden(n_iterations=2)`, NetworKit
//! `ParallelLeiden(iterations=3)`), 2026-12-08, `cargo run --release -p
//! portevoix-graph --example leiden_quality -- FILE 2 8 greedy` with and
//! without `LEIDEN_QUALITY_PLAIN=1`:
//!
//! | graph | multilevel (default) | paper's pass | igraph | NetworKit |
//! |---|---|---|---|---|
//! | Slashdot | 0.3577 / 0.3519 | 0.3569 / 0.3511 | 0.3551 / 0.3535 | 0.3548 / 0.3520 |
//! | Epinions | 0.5035 / 0.5021 | 0.5025 / 0.5002 | 0.5026 / 0.4975 | 0.5027 / 0.4982 |
//! | Higgs retweet | 0.8179 / 0.8165 | 0.8173 / 0.8162 | 0.8170 / 0.8163 | 0.8173 / 0.8164 |
//!
//! One pass with multilevel moves reaches the mean of two passes without
//! them (Slashdot 0.3566, Epinions 0.5026, Higgs 0.8173), for 70–75% of
//! their CPU time; two passes with them cost about 10% more CPU than two
//! without (the aggregate rows are no longer sorted, which pays for most
//! of it). Running passes to convergence (`max_iterations = usize::MAX`)
//! only reaches 0.3589 / 0.3535 on Slashdot and 0.5044 / 0.5028 on
//! Epinions, at about ten times the time: the seed decides the basin, and
//! Slashdot's minimum stays below igraph's. On Kronecker 20 (seed 1, one
//! CLI run each, loaded machine) the kernel took 31.0 s against 31.7 s
//! without multilevel moves, for Q 0.0782 against 0.0777, at the same peak
//! memory (1.64 GB).
//!
//! Earlier (before multilevel moves), noisy (a shared 2-core machine at load 10–15; re-run on a quiet
//! machine): `python3 benches/peers/run.py --tasks leiden --datasets
//! slashdot,epinions,higgs-retweet,kron20 --peers networkit,igraph --repeat
//! 3`, 2026-12-07, medians of 3, in-process seconds (Porte-voix: view +
//! kernel, seed 1, 2 passes, greedy refinement, 1 start), modularity on the
//! same weighted view (NetworKit's varies from run to run):
//!
//! | graph | Porte-voix | NetworKit ParallelLeiden (2 threads) | igraph |
//! |---|---|---|---|
//! | Slashdot | 0.853 s, Q 0.3511 | 0.638 s, Q 0.3561 | 0.995 s, Q 0.3538 |
//! | Epinions | 0.835 s, Q 0.5008 | 1.03 s, Q 0.5023 | 1.28 s, Q 0.5037 |
//! | Higgs retweet | 0.487 s, Q 0.8182 | 2.46 s, Q 0.8167 | 5.74 s, Q 0.8181 |
//! | Kronecker 20 | 44.8 s, Q 0.0777 | 47.1 s, Q 0.0757 | 151 s, Q 0.0761 |
//!
//! Modularity depends mostly on the seed: over seeds 0–7 on Slashdot, two
//! passes give Q from 0.3509 to 0.3627 (seed 1 is the lowest); four passes
//! add 0.001 on average at twice the time, and running passes to
//! convergence from seed 1 stops at 0.3543. With `starts = 2` (CLI
//! `--starts 2`, seed 1) Slashdot reaches Q 0.3539 and Epinions and Higgs
//! keep 0.5008 and 0.8182 (start 0 stays the best), for 1.8–2.0× the CPU
//! time; on the loaded machine that was 1.7–1.9× the wall time as well.
//! Choosing the best start after its first pass and continuing only that
//! one (cheaper) ranks Slashdot's seeds well (first-pass and final
//! modularity agree in order) but lost on Epinions (0.5005) and Higgs
//! (0.8170), so starts are compared as whole runs.
//!
//! # Label propagation
//!
//! [`label_propagation`] is the asynchronous algorithm of Raghavan, Albert
//! and Kumara (2007) on the same view: each sweep visits the nodes in a
//! seeded random order (a new permutation per sweep) and gives each node the
//! label with the largest total edge weight among its neighbours, keeping its
//! own label when it is among the best (the paper's stopping rule) and
//! otherwise taking the smallest label among the best. It stops when a sweep
//! changes no label or after [`LabelPropagationOptions::max_iterations`]
//! sweeps. Sequential, hence deterministic for a seed.
//!
//! # References
//!
//! * V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden:
//!   guaranteeing well-connected communities", *Scientific Reports* 9, 5233,
//!   2019.
//! * R. Rotta, A. Noack, "Multilevel local search algorithms for
//!   modularity clustering", *ACM J. Experimental Algorithmics* 16, 2.3,
//!   2011.
//! * V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast
//!   unfolding of communities in large networks", *J. Stat. Mech.* P10008,
//!   2008.
//! * M. E. J. Newman, "Modularity and community structure in networks",
//!   *PNAS* 103(23), 8577–8582, 2006.
//! * U. N. Raghavan, R. Albert, S. Kumara, "Near linear time algorithm to
//!   detect community structures in large-scale networks", *Phys. Rev. E* 76,
//!   036106, 2007.

mod label_propagation;
mod leiden;
mod view;

pub use label_propagation::{LabelPropagationOptions, label_propagation, label_propagation_view};
pub use leiden::{LeidenOptions, Refinement, leiden, leiden_view};
pub use view::UndirectedView;

use crate::LayerGraph;
use crate::generate::Xoshiro256StarStar;

/// A partition of the nodes into communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Community of every node: dense ids `0..num_communities`, numbered by
    /// first appearance in node order (node 0 is in community 0).
    pub membership: Vec<u32>,
    /// Number of communities (isolated nodes are their own community).
    pub num_communities: usize,
    /// Weighted modularity of the partition on the undirected view, at the
    /// resolution used (γ = 1 for label propagation).
    pub modularity: f64,
    /// Leiden passes or label-propagation sweeps run.
    pub iterations: usize,
}

impl Partition {
    /// Builds a partition from arbitrary labels: relabels them densely by
    /// first appearance and computes the modularity on `view`.
    pub fn from_labels(
        view: &UndirectedView,
        labels: &[u32],
        resolution: f64,
        iterations: usize,
    ) -> Partition {
        let (membership, num_communities) = relabel(labels);
        let modularity = view.modularity(&membership, resolution);
        Partition {
            membership,
            num_communities,
            modularity,
            iterations,
        }
    }
}

/// Dense relabelling by first appearance; returns the labels and their count.
fn relabel(labels: &[u32]) -> (Vec<u32>, usize) {
    let k = labels.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut map = vec![u32::MAX; k];
    let mut next = 0u32;
    let out = labels
        .iter()
        .map(|&c| {
            let m = &mut map[c as usize];
            if *m == u32::MAX {
                *m = next;
                next += 1;
            }
            *m
        })
        .collect();
    (out, next as usize)
}

/// Weighted modularity of `partition` on the undirected view of `graph`
/// (Newman 2006; formula in the [module](self) docs).
///
/// # Arguments
///
/// * `graph`: any layer or merged view, made undirected as
///   `A_uv = w(u → v) + w(v → u)`, self-loops ignored.
/// * `partition`: one community per node (`membership.len() == n`).
/// * `resolution`: `γ`, 1 for the standard modularity.
///
/// # Returns
///
/// `Q` in `[−γ, 1)`, 0 on an edgeless graph.
///
/// # Complexity
///
/// `O(n + m)`, parallel with a fixed reduction order (the view is built
/// once; call [`UndirectedView::modularity`] to reuse it).
///
/// # Panics
/// If the membership length differs from the number of nodes.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::communities::{Partition, modularity};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // Two triangles joined by the edge 2 → 3.
/// let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)];
/// let g = LayerGraph::from_edges(6, &edges, &BuildOptions::default())?;
/// let p = Partition { membership: vec![0, 0, 0, 1, 1, 1], num_communities: 2, modularity: 0.0, iterations: 0 };
/// // 2m = 14, in = 12, tot = 7 and 7: Q = 12/14 − 2·(7/14)² = 5/14.
/// assert!((modularity(&g, &p, 1.0) - 5.0 / 14.0).abs() < 1e-12);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn modularity(graph: &LayerGraph, partition: &Partition, resolution: f64) -> f64 {
    UndirectedView::new(graph).modularity(&partition.membership, resolution)
}

/// Fisher–Yates permutation of `0..n` from `rng`.
fn shuffled(n: usize, rng: &mut Xoshiro256StarStar) -> Vec<u32> {
    let mut p: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        p.swap(i, j);
    }
    p
}

/// Sparse accumulator of weights towards communities: one slot index per
/// community (one 4-byte random access per added weight) and the touched
/// communities with their sums, in first-touch order.
struct Accumulator {
    slot: Vec<u32>,
    entries: Vec<(u32, f64)>,
}

impl Accumulator {
    fn new(n: usize) -> Accumulator {
        Accumulator {
            slot: vec![u32::MAX; n],
            entries: Vec::new(),
        }
    }

    #[inline]
    fn add(&mut self, c: u32, w: f64) {
        let s = self.slot[c as usize];
        if s == u32::MAX {
            self.slot[c as usize] = self.entries.len() as u32;
            self.entries.push((c, w));
        } else {
            self.entries[s as usize].1 += w;
        }
    }

    /// Weight summed towards `c` (0 when untouched).
    #[inline]
    fn get(&self, c: u32) -> f64 {
        match self.slot[c as usize] {
            u32::MAX => 0.0,
            s => self.entries[s as usize].1,
        }
    }

    fn clear(&mut self) {
        for &(c, _) in &self.entries {
            self.slot[c as usize] = u32::MAX;
        }
        self.entries.clear();
    }
}
