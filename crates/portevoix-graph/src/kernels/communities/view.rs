//! The undirected weighted view: a symmetric CSR built once per graph.

use crate::LayerGraph;
use crate::kernels::reduce::det_sum;
use rayon::prelude::*;

/// Nodes per parallel task (fixed, so results never depend on the thread count).
const NODE_CHUNK: usize = 4096;

/// The undirected weighted view of a [`LayerGraph`]:
/// `A_uv = w(u → v) + w(v → u)` for `u ≠ v`, self-loops ignored, stored as a
/// symmetric CSR with rows sorted by neighbour id (see the
/// [module](super) docs).
#[derive(Debug, Clone, PartialEq)]
pub struct UndirectedView {
    pub(super) offsets: Vec<u64>,
    pub(super) neighbors: Vec<u32>,
    pub(super) weights: Vec<f64>,
    pub(super) strength: Vec<f64>,
    pub(super) total: f64,
}

impl UndirectedView {
    /// Builds the view of `graph` in `O(n + m)` time, in parallel.
    pub fn new(graph: &LayerGraph) -> UndirectedView {
        let n = graph.num_nodes();
        let out = graph.out_csr();
        let inn = graph.in_csr();
        // One pass per fixed chunk of nodes: merge the sorted out- and
        // in-rows, summing the weights of a pair present in both.
        let chunks: Vec<(Vec<u64>, Vec<u32>, Vec<f64>)> = (0..n.div_ceil(NODE_CHUNK))
            .into_par_iter()
            .map(|c| {
                let lo = c * NODE_CHUNK;
                let hi = (lo + NODE_CHUNK).min(n);
                let mut lens = Vec::with_capacity(hi - lo);
                let mut nb = Vec::new();
                let mut wt = Vec::new();
                for u in lo..hi {
                    let (on, ow) = out.row(u);
                    let (inb, iw) = inn.row(u);
                    let before = nb.len();
                    let (mut i, mut j) = (0, 0);
                    while i < on.len() || j < inb.len() {
                        let (v, w) = if j == inb.len() || (i < on.len() && on[i] < inb[j]) {
                            i += 1;
                            (on[i - 1], ow[i - 1] as f64)
                        } else if i == on.len() || inb[j] < on[i] {
                            j += 1;
                            (inb[j - 1], iw[j - 1] as f64)
                        } else {
                            i += 1;
                            j += 1;
                            (on[i - 1], ow[i - 1] as f64 + iw[j - 1] as f64)
                        };
                        if v as usize != u {
                            nb.push(v);
                            wt.push(w);
                        }
                    }
                    lens.push((nb.len() - before) as u64);
                }
                (lens, nb, wt)
            })
            .collect();
        let m: usize = chunks.iter().map(|c| c.1.len()).sum();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u64);
        let mut neighbors = Vec::with_capacity(m);
        let mut weights = Vec::with_capacity(m);
        for (lens, nb, wt) in chunks {
            for l in lens {
                offsets.push(offsets.last().unwrap() + l);
            }
            neighbors.extend_from_slice(&nb);
            weights.extend_from_slice(&wt);
        }
        let strength: Vec<f64> = (0..n)
            .into_par_iter()
            .with_min_len(NODE_CHUNK)
            .map(|u| {
                weights[offsets[u] as usize..offsets[u + 1] as usize]
                    .iter()
                    .sum()
            })
            .collect();
        let total = det_sum(&strength);
        UndirectedView {
            offsets,
            neighbors,
            weights,
            strength,
            total,
        }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of stored (directed) entries: twice the undirected edges.
    pub fn num_entries(&self) -> usize {
        self.neighbors.len()
    }

    /// Neighbours of `u` (sorted, without `u`) and the weights `A_uv`.
    pub fn row(&self, u: usize) -> (&[u32], &[f64]) {
        let (s, e) = (self.offsets[u] as usize, self.offsets[u + 1] as usize);
        (&self.neighbors[s..e], &self.weights[s..e])
    }

    /// Strength `k_u = Σ_v A_uv` of every node.
    pub fn strengths(&self) -> &[f64] {
        &self.strength
    }

    /// `2m = Σ_u k_u`, twice the total undirected weight.
    pub fn total_weight(&self) -> f64 {
        self.total
    }

    /// Weighted modularity of `membership` (one community id per node, any
    /// `u32` values) with resolution `resolution`; see the [module](super)
    /// docs. `O(n + m)`, parallel with a fixed reduction order.
    ///
    /// # Panics
    /// If `membership.len()` differs from the number of nodes.
    pub fn modularity(&self, membership: &[u32], resolution: f64) -> f64 {
        let n = self.num_nodes();
        assert_eq!(membership.len(), n, "membership length");
        if self.total <= 0.0 {
            return 0.0;
        }
        let internal: Vec<f64> = (0..n)
            .into_par_iter()
            .with_min_len(NODE_CHUNK)
            .map(|u| {
                let (nb, wt) = self.row(u);
                let cu = membership[u];
                nb.iter()
                    .zip(wt)
                    .filter(|(v, _)| membership[**v as usize] == cu)
                    .map(|(_, w)| *w)
                    .sum::<f64>()
            })
            .collect();
        let internal = det_sum(&internal);
        let k = membership
            .iter()
            .map(|&c| c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut tot = vec![0.0f64; k];
        for (u, &c) in membership.iter().enumerate() {
            tot[c as usize] += self.strength[u];
        }
        let squares: f64 = tot.iter().map(|t| t * t).sum();
        internal / self.total - resolution * squares / (self.total * self.total)
    }
}
