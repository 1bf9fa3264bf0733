//! The diffusion model influence maximisation runs on: who can activate
//! whom, with which probability (independent cascade) or weight (linear
//! threshold), in both directions.

use crate::LayerGraph;
use crate::kernels::SpreadDirection;
use portevoix_core::{Error, NodeId, Result};
use rayon::prelude::*;

/// Which diffusion process the influence graph describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiffusionModel {
    /// Independent cascade (Kempe, Kleinberg & Tardos 2003): a node
    /// activated at step `t` gets one chance, at `t + 1`, to activate each
    /// contact `u` it can reach, with probability `p(v, u)`, independently.
    #[default]
    IndependentCascade,
    /// Linear threshold: every node draws a threshold uniformly in `[0, 1]`
    /// and becomes active once the weights of its active activators sum to
    /// at least it. Incoming weights sum to at most 1 per node (larger sums
    /// are scaled down to 1 when the model is built). Equivalent to the
    /// live-edge process in which each node keeps at most one incoming edge,
    /// edge `(v, u)` with probability `w(v, u)` (Kempe et al. 2003, Thm 2.5).
    LinearThreshold,
}

/// How an edge's activation probability (or threshold weight) is obtained
/// from the interaction data.
#[derive(Debug, Clone, PartialEq)]
pub enum EdgeProbability {
    /// The weighted cascade of Kempe et al.: `1 / d(u)`, with `d(u)` the
    /// number of distinct accounts that can activate the receiver `u`. For
    /// the linear threshold model it is the uniform weight `1 / d(u)`, whose
    /// incoming weights sum to exactly 1.
    WeightedCascade,
    /// The same probability on every edge, in `[0, 1]`.
    Constant(f64),
    /// `1 - (1 - p0)^w` for an edge of weight `w` (for example `w` merged
    /// interactions, each an independent chance `p0`); 0 when `w <= 0`.
    FromWeight {
        /// Probability per unit of weight, in `[0, 1]`.
        p0: f64,
    },
    /// One probability per **out-edge position** of the layer (the order of
    /// [`LayerGraph::out_csr`], as [`fit_reshare_rates`](super::fit_reshare_rates)
    /// returns them), each in `[0, 1]`.
    PerEdge(Vec<f32>),
}

/// Options of [`InfluenceGraph::build`].
#[derive(Debug, Clone, PartialEq)]
pub struct InfluenceModelOptions {
    /// Independent cascade or linear threshold (default independent cascade).
    pub model: DiffusionModel,
    /// The edge probabilities (default [`EdgeProbability::WeightedCascade`]).
    pub probability: EdgeProbability,
    /// Which way influence travels along the stored edges (default
    /// [`SpreadDirection::InformationFlow`]: "A retweeted B", `A → B`, lets
    /// B activate A). [`SpreadDirection::Undirected`] is refused: build a
    /// symmetric layer first.
    pub direction: SpreadDirection,
}

impl Default for InfluenceModelOptions {
    fn default() -> Self {
        InfluenceModelOptions {
            model: DiffusionModel::IndependentCascade,
            probability: EdgeProbability::WeightedCascade,
            direction: SpreadDirection::InformationFlow,
        }
    }
}

/// Compressed rows of `(neighbour, probability)`, neighbours sorted by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProbRows {
    pub(crate) offsets: Vec<u64>,
    pub(crate) nodes: Vec<u32>,
    pub(crate) probs: Vec<f32>,
}

impl ProbRows {
    #[inline]
    pub(crate) fn range(&self, v: usize) -> std::ops::Range<usize> {
        self.offsets[v] as usize..self.offsets[v + 1] as usize
    }

    fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 8 + self.nodes.capacity() * 4 + self.probs.capacity() * 4
    }
}

/// A frozen diffusion model over `n` nodes, stored in both directions:
///
/// * **forward** rows: row `v` lists the nodes `v` can activate, with
///   `p(v, u)` (used by Monte Carlo simulation and the coverage model);
/// * **reverse** rows: row `u` lists the nodes that can activate `u` (its
///   *activators*), with the same probabilities (used to sample
///   reverse-reachable sets).
///
/// Rows are sorted by node id. For the linear threshold model the
/// probabilities are the threshold weights (each reverse row sums to at
/// most 1), and each forward edge also keeps where its weight starts in the
/// receiver's cumulative weights, so that a live-edge world is decided per
/// edge in `O(1)`.
///
/// Memory: 16 bytes per edge (8 per direction) plus 8 per edge for the
/// linear threshold, 20 bytes per node; [`InfluenceGraph::heap_bytes`]
/// measures it. The graph is read-only and `Send + Sync`.
#[derive(Debug, Clone)]
pub struct InfluenceGraph {
    pub(crate) model: DiffusionModel,
    pub(crate) forward: ProbRows,
    pub(crate) reverse: ProbRows,
    /// For each reverse row: the common probability of its entries when
    /// they are all equal (then trials jump from success to success), else
    /// NaN. Empty rows hold 0.
    pub(crate) reverse_uniform: Vec<f32>,
    /// Linear threshold only: for each forward edge `(v, u)`, the sum of the
    /// weights of `u`'s activators with a smaller id than `v`.
    pub(crate) forward_lt_start: Vec<f64>,
    /// Linear threshold only: cumulative weights of each reverse row
    /// (entry `i` = sum of the weights of entries `0..=i` of the row).
    pub(crate) reverse_cumulative: Vec<f64>,
}

impl InfluenceGraph {
    /// Builds the diffusion model of a layer (or merged view).
    ///
    /// # Arguments
    /// * `graph`: the interactions, stored actor → target.
    /// * `options`: model, edge probabilities and direction. Under the
    ///   default [`SpreadDirection::InformationFlow`] the stored edge
    ///   `u → v` ("u re-shared v") lets `v` activate `u`.
    ///
    /// # Returns
    /// The model, or [`Error::InvalidArgument`] for a probability outside
    /// `[0, 1]` (or not finite), a [`EdgeProbability::PerEdge`] vector whose
    /// length is not the number of edges, or an undirected direction.
    ///
    /// # Complexity
    /// `O(n + m log d)` time (each forward edge finds its reverse position
    /// by binary search), parallel over nodes; 16 to 24 bytes per edge.
    ///
    /// # Example
    /// ```
    /// use portevoix_core::NodeId;
    /// use portevoix_graph::{BuildOptions, LayerGraph};
    /// use portevoix_graph::kernels::influence_max::{InfluenceGraph, InfluenceModelOptions};
    ///
    /// // 1 and 2 retweeted 0; 2 also retweeted 1.
    /// let g = LayerGraph::from_edges(3, &[(1, 0), (2, 0), (2, 1)], &BuildOptions::default())?;
    /// let model = InfluenceGraph::build(&g, &InfluenceModelOptions::default())?;
    /// // 0's content can reach 1 and 2; 2 has two activators, so 1/2 each (weighted cascade).
    /// assert_eq!(model.activates(NodeId(0)), vec![(NodeId(1), 1.0), (NodeId(2), 0.5)]);
    /// assert_eq!(model.activators(NodeId(2)), vec![(NodeId(0), 0.5), (NodeId(1), 0.5)]);
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    pub fn build(graph: &LayerGraph, options: &InfluenceModelOptions) -> Result<InfluenceGraph> {
        let n = graph.num_nodes();
        // The reverse rows are one CSR of the layer; the position of each
        // entry in the out-CSR names the edge for PerEdge probabilities.
        let (rev_csr, fwd_csr, rev_is_out) = match options.direction {
            SpreadDirection::InformationFlow => (graph.out_csr(), graph.in_csr(), true),
            SpreadDirection::Forward => (graph.in_csr(), graph.out_csr(), false),
            SpreadDirection::Undirected => {
                return Err(Error::argument(
                    "model",
                    "influence maximisation needs a directed spreading direction; \
                     build a symmetric layer for undirected spreading",
                ));
            }
        };
        let rule = Rule::new(&options.probability, graph.num_edges())?;
        let out = graph.out_csr();
        // Out-edge position of the stored edge behind reverse entry `pos` of
        // row `u` (activator `v`): the entry itself when the reverse rows are
        // the out-CSR, else found by binary search (PerEdge only).
        let out_position = |u: usize, v: u32, pos: usize, rows_are_out: bool| -> usize {
            if rows_are_out {
                pos
            } else {
                out.find(v as usize, u as u32).expect("transpose edge")
            }
        };
        let mut reverse = ProbRows {
            offsets: rev_csr.offsets().to_vec(),
            nodes: rev_csr.neighbors().to_vec(),
            probs: vec![0.0; rev_csr.num_edges()],
        };
        split_rows(&mut reverse.probs, rev_csr.offsets())
            .into_par_iter()
            .enumerate()
            .for_each(|(u, row)| {
                let range = rev_csr.range(u);
                let d = range.len();
                for (i, slot) in row.iter_mut().enumerate() {
                    let pos = range.start + i;
                    let v = rev_csr.neighbors()[pos];
                    let edge = match rule {
                        Rule::PerEdge(_) => out_position(u, v, pos, rev_is_out),
                        _ => pos,
                    };
                    *slot = rule.probability(edge, rev_csr.weights()[pos], d) as f32;
                }
            });
        // Linear threshold: receivers whose weights sum above 1 are scaled down.
        let scale: Vec<f32> = if options.model == DiffusionModel::LinearThreshold {
            (0..n)
                .into_par_iter()
                .map(|u| {
                    let sum: f64 = reverse.probs[reverse.range(u)]
                        .iter()
                        .map(|&p| p as f64)
                        .sum();
                    if sum > 1.0 { (1.0 / sum) as f32 } else { 1.0 }
                })
                .collect()
        } else {
            Vec::new()
        };
        if !scale.is_empty() {
            let offsets = reverse.offsets.clone();
            split_rows(&mut reverse.probs, &offsets)
                .into_par_iter()
                .zip(scale.par_iter())
                .for_each(|(row, &s)| {
                    if s != 1.0 {
                        row.iter_mut()
                            .for_each(|p| *p = (*p as f64 * s as f64) as f32);
                    }
                });
        }
        let reverse_uniform = uniform_rows(&reverse);
        // Forward rows: the other CSR of the layer, with each entry's
        // probability computed from its receiver the same way (the exact same
        // f32 as the reverse entry).
        let mut forward = ProbRows {
            offsets: fwd_csr.offsets().to_vec(),
            nodes: fwd_csr.neighbors().to_vec(),
            probs: vec![0.0; fwd_csr.num_edges()],
        };
        split_rows(&mut forward.probs, fwd_csr.offsets())
            .into_par_iter()
            .enumerate()
            .for_each(|(v, row)| {
                let range = fwd_csr.range(v);
                for (i, slot) in row.iter_mut().enumerate() {
                    let pos = range.start + i;
                    let u = fwd_csr.neighbors()[pos] as usize;
                    let edge = match rule {
                        // Forward rows are the out-CSR exactly when the reverse rows are not.
                        Rule::PerEdge(_) => out_position(v, u as u32, pos, !rev_is_out),
                        _ => pos,
                    };
                    let d = rev_csr.degree(u);
                    let mut p = rule.probability(edge, fwd_csr.weights()[pos], d) as f32;
                    if let Some(&s) = scale.get(u) {
                        if s != 1.0 {
                            p = (p as f64 * s as f64) as f32;
                        }
                    }
                    *slot = p;
                }
            });
        let mut model = InfluenceGraph {
            model: options.model,
            forward,
            reverse,
            reverse_uniform,
            forward_lt_start: Vec::new(),
            reverse_cumulative: Vec::new(),
        };
        if options.model == DiffusionModel::LinearThreshold {
            model.prepare_lt();
        }
        debug_assert_eq!(model.num_nodes(), n);
        Ok(model)
    }

    /// Number of nodes.
    #[inline]
    pub fn num_nodes(&self) -> usize {
        self.forward.offsets.len() - 1
    }

    /// Number of edges that can carry influence (probability above 0
    /// included or not: every stored edge).
    #[inline]
    pub fn num_edges(&self) -> usize {
        self.forward.nodes.len()
    }

    /// The diffusion model.
    pub fn model(&self) -> DiffusionModel {
        self.model
    }

    /// The nodes `v` can activate, with the probability (or weight) of each.
    ///
    /// # Panics
    /// If `v` is not below [`InfluenceGraph::num_nodes`].
    pub fn activates(&self, v: NodeId) -> Vec<(NodeId, f32)> {
        let r = self.forward.range(v.index());
        self.forward.nodes[r.clone()]
            .iter()
            .zip(&self.forward.probs[r])
            .map(|(&u, &p)| (NodeId(u), p))
            .collect()
    }

    /// The nodes that can activate `u`, with the probability (or weight) of each.
    ///
    /// # Panics
    /// If `u` is not below [`InfluenceGraph::num_nodes`].
    pub fn activators(&self, u: NodeId) -> Vec<(NodeId, f32)> {
        let r = self.reverse.range(u.index());
        self.reverse.nodes[r.clone()]
            .iter()
            .zip(&self.reverse.probs[r])
            .map(|(&v, &p)| (NodeId(v), p))
            .collect()
    }

    /// Number of nodes `v` can activate.
    #[inline]
    pub fn out_degree(&self, v: NodeId) -> usize {
        self.forward.range(v.index()).len()
    }

    /// Heap bytes held by the model.
    pub fn heap_bytes(&self) -> usize {
        self.forward.heap_bytes()
            + self.reverse.heap_bytes()
            + self.reverse_uniform.capacity() * 4
            + self.forward_lt_start.capacity() * 8
            + self.reverse_cumulative.capacity() * 8
    }

    /// Linear threshold: cumulative weights per reverse row, and each
    /// forward edge's start in its receiver's row.
    fn prepare_lt(&mut self) {
        let rev = &self.reverse;
        let mut cumulative = vec![0.0f64; rev.nodes.len()];
        split_rows(&mut cumulative, &rev.offsets)
            .into_par_iter()
            .enumerate()
            .for_each(|(u, row)| {
                let mut acc = 0.0f64;
                for (slot, &p) in row.iter_mut().zip(&rev.probs[rev.range(u)]) {
                    acc += p as f64;
                    *slot = acc;
                }
            });
        let fwd = &self.forward;
        let mut start = vec![0.0f64; fwd.nodes.len()];
        split_rows(&mut start, &fwd.offsets)
            .into_par_iter()
            .enumerate()
            .for_each(|(v, row)| {
                for (slot, &u) in row.iter_mut().zip(&fwd.nodes[fwd.range(v)]) {
                    let r = rev.range(u as usize);
                    let i = rev.nodes[r.clone()]
                        .binary_search(&(v as u32))
                        .expect("forward edge has a reverse entry");
                    *slot = if i == 0 {
                        0.0
                    } else {
                        cumulative[r.start + i - 1]
                    };
                }
            });
        self.reverse_cumulative = cumulative;
        self.forward_lt_start = start;
    }
}

/// The validated probability rule.
enum Rule<'a> {
    WeightedCascade,
    Constant(f64),
    Weight { ln_q: f64 },
    PerEdge(&'a [f32]),
}

impl<'a> Rule<'a> {
    fn new(p: &'a EdgeProbability, edges: usize) -> Result<Rule<'a>> {
        let check = |name: &str, p: f64| {
            if p.is_finite() && (0.0..=1.0).contains(&p) {
                Ok(())
            } else {
                Err(Error::argument(
                    "model",
                    format!("{name} must be in [0, 1], got {p}"),
                ))
            }
        };
        Ok(match p {
            EdgeProbability::WeightedCascade => Rule::WeightedCascade,
            EdgeProbability::Constant(p) => {
                check("edge probability", *p)?;
                Rule::Constant(*p)
            }
            EdgeProbability::FromWeight { p0 } => {
                check("probability per unit of weight p0", *p0)?;
                Rule::Weight {
                    ln_q: (-p0).ln_1p(),
                }
            }
            EdgeProbability::PerEdge(ps) => {
                if ps.len() != edges {
                    return Err(Error::argument(
                        "model",
                        format!(
                            "{} edge probabilities for a layer of {edges} edges",
                            ps.len()
                        ),
                    ));
                }
                if let Some((e, p)) = ps
                    .iter()
                    .enumerate()
                    .find(|(_, p)| !(p.is_finite() && (0.0..=1.0).contains(*p)))
                {
                    return Err(Error::argument(
                        "model",
                        format!("edge probability {p} of edge {e} is not in [0, 1]"),
                    ));
                }
                Rule::PerEdge(ps)
            }
        })
    }

    /// Probability of stored edge `edge` with weight `weight`, whose
    /// receiver has `d` activators.
    #[inline]
    fn probability(&self, edge: usize, weight: f32, d: usize) -> f64 {
        match self {
            Rule::WeightedCascade => 1.0 / d as f64,
            Rule::Constant(p) => *p,
            Rule::Weight { ln_q } => {
                if weight > 0.0 {
                    -(weight as f64 * ln_q).exp_m1()
                } else {
                    0.0
                }
            }
            Rule::PerEdge(ps) => ps[edge] as f64,
        }
    }
}

/// Mutable row slices of `values` cut at `offsets`.
pub(crate) fn split_rows<'a, T>(values: &'a mut [T], offsets: &[u64]) -> Vec<&'a mut [T]> {
    let mut rows = Vec::with_capacity(offsets.len().saturating_sub(1));
    let mut rest = values;
    for w in offsets.windows(2) {
        let (head, tail) = rest.split_at_mut((w[1] - w[0]) as usize);
        rows.push(head);
        rest = tail;
    }
    rows
}

/// The common probability of each row when all its entries are equal, NaN
/// otherwise (0 for empty rows).
fn uniform_rows(rows: &ProbRows) -> Vec<f32> {
    (0..rows.offsets.len() - 1)
        .into_par_iter()
        .map(|u| {
            let ps = &rows.probs[rows.range(u)];
            match ps.first() {
                None => 0.0,
                Some(&p) if ps.iter().all(|&q| q == p) => p,
                Some(_) => f32::NAN,
            }
        })
        .collect()
}
