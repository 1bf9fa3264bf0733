//! Label propagation (Raghavan, Albert and Kumara 2007).

use super::{Accumulator, Partition, UndirectedView, shuffled};
use crate::LayerGraph;
use crate::generate::Xoshiro256StarStar;

/// Options of [`label_propagation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelPropagationOptions {
    /// Seed of the visiting orders (default 0).
    pub seed: u64,
    /// Cap on the number of sweeps (default 100).
    pub max_iterations: usize,
}

impl Default for LabelPropagationOptions {
    fn default() -> Self {
        LabelPropagationOptions {
            seed: 0,
            max_iterations: 100,
        }
    }
}

/// Label propagation communities of `graph` (Raghavan, Albert and Kumara
/// 2007; asynchronous, weighted, deterministic tie breaking — see the
/// [module](super) docs).
///
/// # Arguments
///
/// * `graph`: any layer or merged view, used through its undirected weighted
///   view.
/// * `options`: seed of the visiting orders and sweep cap.
///
/// # Returns
///
/// A [`Partition`] (dense labels by first appearance, modularity at γ = 1,
/// sweeps run). Isolated nodes keep their own label.
///
/// # Complexity
///
/// `O(n + m)` per sweep, sequential; a few sweeps on social graphs.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::communities::{LabelPropagationOptions, label_propagation};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // Two 4-cliques (0..4 and 4..8) without edges between them.
/// let mut edges = Vec::new();
/// for base in [0, 4] {
///     for a in 0..4 {
///         for b in 0..4 {
///             if a != b {
///                 edges.push((base + a, base + b));
///             }
///         }
///     }
/// }
/// let g = LayerGraph::from_edges(8, &edges, &BuildOptions::default())?;
/// let p = label_propagation(&g, &LabelPropagationOptions::default());
/// assert_eq!(p.membership, vec![0, 0, 0, 0, 1, 1, 1, 1]);
/// assert!((p.modularity - 0.5).abs() < 1e-12);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn label_propagation(graph: &LayerGraph, options: &LabelPropagationOptions) -> Partition {
    label_propagation_view(&UndirectedView::new(graph), options)
}

/// [`label_propagation`] on an already built [`UndirectedView`].
pub fn label_propagation_view(
    view: &UndirectedView,
    options: &LabelPropagationOptions,
) -> Partition {
    let n = view.num_nodes();
    let mut label: Vec<u32> = (0..n as u32).collect();
    let mut rng = Xoshiro256StarStar::seed_from_u64(options.seed);
    let mut acc = Accumulator::new(n);
    let mut sweeps = 0;
    while sweeps < options.max_iterations {
        sweeps += 1;
        let mut changed = 0usize;
        for v in shuffled(n, &mut rng) {
            let v = v as usize;
            let (nb, wt) = view.row(v);
            if nb.is_empty() {
                continue;
            }
            for (&u, &w) in nb.iter().zip(wt) {
                acc.add(label[u as usize], w);
            }
            let own = label[v];
            let mut best = u32::MAX;
            let mut best_w = f64::NEG_INFINITY;
            for &(c, w) in &acc.entries {
                if w > best_w || (w == best_w && c < best) {
                    best = c;
                    best_w = w;
                }
            }
            let own_w = acc.get(own);
            acc.clear();
            if own_w < best_w && best != own {
                label[v] = best;
                changed += 1;
            }
        }
        if changed == 0 {
            break;
        }
    }
    Partition::from_labels(view, &label, 1.0, sweeps)
}
