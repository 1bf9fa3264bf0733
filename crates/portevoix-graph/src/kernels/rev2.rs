//! REV2: fairness of raters, goodness of the rated, reliability of ratings
//! (Kumar, Hooi, Makhija, Kumar, Faloutsos & Subrahmanian, WSDM 2018).
//!
//! # Formula
//!
//! Every edge `u → p` is a rating `score(u, p)` in `[-1, 1]` (raw values
//! divided by the [`RatingScale`]). Three interdependent scores, each
//! smoothed toward a prior for the cold start ("Laplace smoothing" in the
//! paper) and optionally toward a behavioural score:
//!
//! ```text
//! F(u)    = (α1·μF + α2·IF(u) + Σ_{p ∈ out(u)} R(u, p)) / (α1 + α2 + |out(u)|)              in [0, 1]
//! G(p)    = (β1·μG + β2·IG(p) + Σ_{u ∈ in(p)} R(u, p)·score(u, p)) / (β1 + β2 + |in(p)|)    in [-1, 1]
//! R(u, p) = (γ1·F(u) + γ2·(1 − |score(u, p) − G(p)| / 2) + γ3·IR(u, p)) / (γ1 + γ2 + γ3)   in [0, 1]
//! ```
//!
//! * `F(u)`: fairness of `u` as a rater; `G(p)`: goodness of `p` as rated
//!   (on a who-rates-whom network such as Bitcoin OTC every account is both);
//!   `R(u, p)`: reliability of one rating.
//! * `μF`, `μG`: the prior fairness and goodness, recomputed at every
//!   iteration as the **median** of the current fairness of the raters
//!   (nodes with an out-edge) and goodness of the rated (nodes with an
//!   in-edge), as the authors' reference implementation does
//!   ([`Rev2Prior::Median`]; the paper allows the mean,
//!   [`Rev2Prior::Mean`]). `α1`, `β1` are their weights in pseudo-ratings.
//! * `IF`, `IG`, `IR`: behavioural normality scores in `[0, 1]` (1 = normal),
//!   given by the caller ([`Rev2Behaviour`]); the paper takes them from
//!   BIRDNEST (Hooi et al., SDM 2016: rating and inter-arrival-time
//!   distributions), whose anomaly score `b` gives `1 − b`. A product's
//!   normality `q` enters goodness as `2q − 1` (the reference code's
//!   mapping to `[-1, 1]`). A behavioural part that is not given is left
//!   out of its formula (its `α2`, `β2` or `γ3` acts as 0).
//! * An account that rated nobody gets the prior `(α1·μF + α2·IF(u)) /
//!   (α1 + α2)` (1 when both weights are 0); one nobody rated gets
//!   `(β1·μG + β2·IG(p)) / (β1 + β2)` (0 when both are 0). That is the
//!   cold-start treatment of the paper.
//!
//! Iterated from `F = 1`, `G = 1`, `R = 1` (or the behavioural scores when
//! given, as the reference code starts), in the reference order: goodness
//! from the current reliabilities, then reliabilities from the current
//! fairness and the new goodness, then fairness from the new reliabilities.
//!
//! The reference implementation divides goodness by `β1 + β2 + 1` whatever
//! the number of ratings received (its `ftotal += 1` sits outside the loop)
//! and clips the three scores to their ranges; here goodness follows the
//! paper's formula, a weighted mean that never leaves `[-1, 1]`, so no clip
//! is needed. REV2's unsupervised ranking of users in that code is
//! `(F(u) − median F)·ln(1 + |out(u)|)`; the fairness itself is returned
//! here.
//!
//! # Vertex program
//!
//! Per-node state `F`, `G`, per-edge state `R` held by the rater. Three
//! supersteps per iteration: (1) along in-edges, messages `R·score`,
//! combined by **sum**, then `G`; (2) every rated node sends `G(p)` back
//! along its in-edges, every rater updates the reliability of its out-edges
//! from its own `F`; (3) along out-edges, messages `R`, combined by sum,
//! then `F`. Global aggregates: `μG` and `μF` (an exact median, or a mean)
//! and the L1 changes of `F`, `G` and `R` (the residual). The rayon engine
//! pulls over the in-CSR and the out-CSR, rows in neighbour-id order, sums
//! over fixed chunks: bit-identical for any number of threads.
//!
//! # Convergence
//!
//! The paper proves that the iteration converges. It stops when `‖F − F_prev‖₁ + ‖G − G_prev‖₁ + ‖R − R_prev‖₁` falls below
//! [`Rev2Options::tolerance`] (the reference code stops when each of the
//! three is below 0.01, after at most 500 iterations).
//!
//! # Reference
//!
//! S. Kumar, B. Hooi, D. Makhija, M. Kumar, C. Faloutsos, V. S.
//! Subrahmanian, "REV2: Fraudulent User Prediction in Rating Platforms",
//! *ACM WSDM* 2018, 333–341; reference code `rev2code.py`
//! (<https://cs.stanford.edu/~srijan/rev2/>).

use super::ratings::{RatingScale, Ratings, median};
use super::reduce::{NODE_CHUNK, det_l1_diff, det_sum};
use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

/// How the priors `μF` and `μG` are computed at each iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rev2Prior {
    /// The median of the current scores (the reference implementation's).
    #[default]
    Median,
    /// Their mean (the alternative the reference code names).
    Mean,
}

/// Options of [`rev2`]: the smoothing weights of the paper, the prior, the
/// rating scale and the stopping rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rev2Options {
    /// `α1`: weight of the prior fairness `μF` (default 1).
    pub alpha1: f64,
    /// `α2`: weight of the behavioural fairness `IF` (default 1; no effect
    /// without [`Rev2Behaviour::fairness`]).
    pub alpha2: f64,
    /// `β1`: weight of the prior goodness `μG` (default 1).
    pub beta1: f64,
    /// `β2`: weight of the behavioural goodness `IG` (default 1; no effect
    /// without [`Rev2Behaviour::goodness`]).
    pub beta2: f64,
    /// `γ1`: weight of the rater's fairness in a rating's reliability
    /// (default 1).
    pub gamma1: f64,
    /// `γ2`: weight of the rating's agreement with the goodness (default 1).
    pub gamma2: f64,
    /// `γ3`: weight of the behavioural reliability `IR` (default 1; no
    /// effect without [`Rev2Behaviour::reliability`]).
    pub gamma3: f64,
    /// How `μF` and `μG` are computed (default: median).
    pub prior: Rev2Prior,
    /// How raw rating values become scores in `[-1, 1]` (default: divide
    /// by the largest absolute value present).
    pub scale: RatingScale,
    /// Stop when the total L1 change of `F`, `G` and `R` is below this
    /// (default `1e-12`).
    pub tolerance: f64,
    /// Iteration cap (default 1 000); hitting it is not an error.
    pub max_iterations: usize,
}

impl Default for Rev2Options {
    fn default() -> Self {
        Rev2Options {
            alpha1: 1.0,
            alpha2: 1.0,
            beta1: 1.0,
            beta2: 1.0,
            gamma1: 1.0,
            gamma2: 1.0,
            gamma3: 1.0,
            prior: Rev2Prior::Median,
            scale: RatingScale::MaxAbsolute,
            tolerance: 1e-12,
            max_iterations: 1000,
        }
    }
}

/// Behavioural normality scores in `[0, 1]` (1 = normal), e.g. one minus
/// BIRDNEST's anomaly scores; each part is optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rev2Behaviour {
    /// `IF(u)` per node, as a rater.
    pub fairness: Option<Vec<f64>>,
    /// Normality `q(p)` per node, as rated; enters goodness as `2q − 1`.
    pub goodness: Option<Vec<f64>>,
    /// `IR(u, p)` per out-edge position ([`LayerGraph::out_edge_range`]).
    pub reliability: Option<Vec<f64>>,
}

/// The scores from [`rev2`].
#[derive(Debug, Clone, PartialEq)]
pub struct Rev2Result {
    /// `F(u)` per node, in `[0, 1]`.
    pub fairness: Vec<f64>,
    /// `G(p)` per node, in `[-1, 1]`.
    pub goodness: Vec<f64>,
    /// `R(u, p)` per out-edge position, in `[0, 1]`.
    pub reliability: Vec<f64>,
    /// Iterations run (one iteration updates all three).
    pub iterations: usize,
    /// Final residual `‖ΔF‖₁ + ‖ΔG‖₁ + ‖ΔR‖₁`.
    pub residual: f64,
    /// Whether the residual fell below the tolerance.
    pub converged: bool,
}

/// Validated options and behavioural inputs, as the supersteps use them.
struct Setup<'a> {
    options: Rev2Options,
    /// `IF` when given (else `α2` is 0).
    fairness_prior: Option<&'a [f64]>,
    /// `2q − 1` when given (else `β2` is 0).
    goodness_prior: Option<Vec<f64>>,
    /// `IR` when given (else `γ3` is 0).
    reliability_prior: Option<&'a [f64]>,
}

fn check_weights(o: &Rev2Options) -> Result<()> {
    let named = [
        ("alpha1", o.alpha1),
        ("alpha2", o.alpha2),
        ("beta1", o.beta1),
        ("beta2", o.beta2),
        ("gamma1", o.gamma1),
        ("gamma2", o.gamma2),
        ("gamma3", o.gamma3),
    ];
    for (name, w) in named {
        if !(w.is_finite() && w >= 0.0) {
            return Err(Error::argument(
                "rev2",
                format!("REV2 {name} must be finite and >= 0, got {w}"),
            ));
        }
    }
    if o.tolerance.is_nan() || o.tolerance < 0.0 {
        return Err(Error::argument(
            "rev2",
            format!("REV2 tolerance must be >= 0, got {}", o.tolerance),
        ));
    }
    Ok(())
}

fn check_scores(what: &str, v: &[f64], len: usize) -> Result<()> {
    if v.len() != len {
        return Err(Error::argument(
            "rev2",
            format!(
                "REV2 behavioural {what}: {} values for {len} entries",
                v.len()
            ),
        ));
    }
    if let Some(i) = v.iter().position(|x| !(0.0..=1.0).contains(x)) {
        return Err(Error::argument(
            "rev2",
            format!(
                "REV2 behavioural {what} {i} is {}; it must be in [0, 1]",
                v[i]
            ),
        ));
    }
    Ok(())
}

impl<'a> Setup<'a> {
    fn new(
        graph: &LayerGraph,
        options: &Rev2Options,
        behaviour: Option<&'a Rev2Behaviour>,
    ) -> Result<Setup<'a>> {
        check_weights(options)?;
        let (n, m) = (graph.num_nodes(), graph.num_edges());
        let mut o = *options;
        let fairness_prior = behaviour.and_then(|b| b.fairness.as_deref());
        let reliability_prior = behaviour.and_then(|b| b.reliability.as_deref());
        match fairness_prior {
            Some(v) => check_scores("fairness", v, n)?,
            None => o.alpha2 = 0.0,
        }
        let goodness = behaviour.and_then(|b| b.goodness.as_deref());
        match goodness {
            Some(v) => check_scores("goodness", v, n)?,
            None => o.beta2 = 0.0,
        }
        match reliability_prior {
            Some(v) => check_scores("reliability", v, m)?,
            None => o.gamma3 = 0.0,
        }
        if o.gamma1 + o.gamma2 + o.gamma3 == 0.0 {
            return Err(Error::argument(
                "rev2",
                "REV2 needs gamma1 + gamma2 (+ gamma3 with behavioural reliabilities) > 0",
            ));
        }
        let goodness_prior = goodness.map(|q| q.iter().map(|x| 2.0 * x - 1.0).collect());
        Ok(Setup {
            options: o,
            fairness_prior,
            goodness_prior,
            reliability_prior,
        })
    }

    /// The prior of the current scores of the nodes selected by `keep`.
    fn prior(&self, values: &[f64], keep: impl Fn(usize) -> bool + Sync, empty: f64) -> f64 {
        let picked: Vec<f64> = (0..values.len())
            .into_par_iter()
            .filter(|&i| keep(i))
            .map(|i| values[i])
            .collect();
        if picked.is_empty() {
            return empty;
        }
        match self.options.prior {
            Rev2Prior::Median => median(picked).unwrap_or(empty),
            Rev2Prior::Mean => det_sum(&picked) / picked.len() as f64,
        }
    }
}

/// REV2 fairness, goodness and reliability on a rating layer (see the
/// [module](self) docs for the formulas, the vertex program and the paper).
///
/// # Arguments
///
/// * `graph`: a layer whose edges are ratings `rater → rated` (the rating
///   layer of a [`Network`](crate::Network), or a layer whose weights are
///   signed ratings).
/// * `options`: `α1, α2, β1, β2, γ1, γ2, γ3`, the prior, the rating scale,
///   tolerance and iteration cap.
/// * `behaviour`: optional behavioural normality scores (BIRDNEST's role in
///   the paper); a missing part drops its term.
///
/// # Returns
///
/// Fairness and goodness per node, reliability per out-edge position, the
/// iteration count, the residual and whether it converged.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for a negative or non-finite weight, a
/// negative or NaN tolerance, `γ1 + γ2 (+ γ3) = 0`, behavioural scores of
/// the wrong length or outside `[0, 1]`, or a rating that is not finite or
/// beyond a fixed scale.
///
/// # Complexity
///
/// `O(n + m)` per iteration (the two medians by selection, `O(n)`), `O(n +
/// m)` memory (aligned ratings and two reliability vectors, 40 bytes per
/// edge).
///
/// # Example
///
/// ```
/// use portevoix_core::{LayerLog, NodeId};
/// use portevoix_graph::kernels::{RatingScale, Rev2Options, rev2};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // Honest raters 0, 1, 2 rate 3 well and 4 badly; 5 says the opposite.
/// let mut log = LayerLog::default();
/// for u in 0..3 {
///     log.push(NodeId(u), NodeId(3), 1.0, None, Some(9.0), None);
///     log.push(NodeId(u), NodeId(4), 1.0, None, Some(-9.0), None);
/// }
/// log.push(NodeId(5), NodeId(3), 1.0, None, Some(-10.0), None);
/// log.push(NodeId(5), NodeId(4), 1.0, None, Some(10.0), None);
/// let g = LayerGraph::build(&log, 6, &BuildOptions::default())?;
/// let options = Rev2Options { scale: RatingScale::Fixed(10.0), ..Default::default() };
/// let r = rev2(&g, &options, None)?;
/// assert!(r.converged);
/// assert!(r.goodness[3] > 0.0 && r.goodness[4] < 0.0);
/// assert!(r.fairness[0] > r.fairness[5]);
/// // The dissenting ratings are the least reliable.
/// let dissent = g.find_edge(NodeId(5), NodeId(3)).unwrap();
/// assert!(r.reliability.iter().all(|&x| x >= r.reliability[dissent]));
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn rev2(
    graph: &LayerGraph,
    options: &Rev2Options,
    behaviour: Option<&Rev2Behaviour>,
) -> Result<Rev2Result> {
    let setup = Setup::new(graph, options, behaviour)?;
    let ratings = Ratings::of(graph, options.scale)?;
    let (n, m) = (graph.num_nodes(), graph.num_edges());
    let mut fairness = setup
        .fairness_prior
        .map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
    let mut goodness = setup.goodness_prior.clone().unwrap_or_else(|| vec![1.0; n]);
    let mut reliability = setup
        .reliability_prior
        .map_or_else(|| vec![1.0; m], <[f64]>::to_vec);
    let mut next_f = vec![0.0; n];
    let mut next_g = vec![0.0; n];
    let mut next_r = vec![0.0; m];
    let (mut iterations, mut residual, mut converged) = (0, f64::INFINITY, false);
    while !converged && iterations < options.max_iterations {
        iterations += 1;
        let mu_g = setup.prior(&goodness, |v| graph.in_csr().degree(v) > 0, 0.0);
        update_goodness(graph, &ratings, &setup, &reliability, mu_g, &mut next_g);
        update_reliability(graph, &ratings, &setup, &fairness, &next_g, &mut next_r);
        let mu_f = setup.prior(&fairness, |u| graph.out_csr().degree(u) > 0, 1.0);
        update_fairness(graph, &setup, &next_r, mu_f, &mut next_f);
        residual = det_l1_diff(&next_f, &fairness)
            + det_l1_diff(&next_g, &goodness)
            + det_l1_diff(&next_r, &reliability);
        std::mem::swap(&mut fairness, &mut next_f);
        std::mem::swap(&mut goodness, &mut next_g);
        std::mem::swap(&mut reliability, &mut next_r);
        converged = residual < options.tolerance || residual == 0.0;
    }
    Ok(Rev2Result {
        fairness,
        goodness,
        reliability,
        iterations,
        residual,
        converged,
    })
}

/// Superstep 1: goodness from the reliabilities of the ratings received.
fn update_goodness(
    graph: &LayerGraph,
    ratings: &Ratings,
    setup: &Setup<'_>,
    reliability: &[f64],
    mu_g: f64,
    out: &mut [f64],
) {
    let o = &setup.options;
    let offsets = graph.in_csr().offsets();
    out.par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (i, g) in chunk.iter_mut().enumerate() {
                let p = c * NODE_CHUNK + i;
                let (s, e) = (offsets[p] as usize, offsets[p + 1] as usize);
                let mut acc = o.beta1 * mu_g;
                if let Some(prior) = &setup.goodness_prior {
                    acc += o.beta2 * prior[p];
                }
                for pos in s..e {
                    acc += reliability[ratings.in_to_out[pos]] * ratings.inn[pos];
                }
                let weight = o.beta1 + o.beta2 + (e - s) as f64;
                *g = if weight > 0.0 { acc / weight } else { 0.0 };
            }
        });
}

/// Superstep 2: the reliability of every rating, held by its rater.
fn update_reliability(
    graph: &LayerGraph,
    ratings: &Ratings,
    setup: &Setup<'_>,
    fairness: &[f64],
    goodness: &[f64],
    out: &mut [f64],
) {
    let o = &setup.options;
    let weight = o.gamma1 + o.gamma2 + o.gamma3;
    let (offsets, rated) = (graph.out_csr().offsets(), graph.out_csr().neighbors());
    let n = graph.num_nodes();
    // Chunks of raters; their out-edges are contiguous in the out-CSR.
    let bounds: Vec<(usize, usize)> = (0..n.div_ceil(NODE_CHUNK))
        .map(|c| (c * NODE_CHUNK, ((c + 1) * NODE_CHUNK).min(n)))
        .collect();
    let mut pieces: Vec<&mut [f64]> = Vec::with_capacity(bounds.len());
    let mut rest = out;
    for &(a, b) in &bounds {
        let len = (offsets[b] - offsets[a]) as usize;
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(len);
        pieces.push(head);
        rest = tail;
    }
    pieces
        .into_par_iter()
        .zip(bounds)
        .for_each(|(piece, (a, b))| {
            let base = offsets[a] as usize;
            for u in a..b {
                for e in offsets[u] as usize..offsets[u + 1] as usize {
                    let agreement =
                        1.0 - (ratings.out[e] - goodness[rated[e] as usize]).abs() / 2.0;
                    let mut acc = o.gamma1 * fairness[u] + o.gamma2 * agreement;
                    if let Some(prior) = setup.reliability_prior {
                        acc += o.gamma3 * prior[e];
                    }
                    piece[e - base] = acc / weight;
                }
            }
        });
}

/// Superstep 3: fairness from the reliabilities of the ratings given.
fn update_fairness(
    graph: &LayerGraph,
    setup: &Setup<'_>,
    reliability: &[f64],
    mu_f: f64,
    out: &mut [f64],
) {
    let o = &setup.options;
    let offsets = graph.out_csr().offsets();
    out.par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (i, f) in chunk.iter_mut().enumerate() {
                let u = c * NODE_CHUNK + i;
                let (s, e) = (offsets[u] as usize, offsets[u + 1] as usize);
                let mut acc = o.alpha1 * mu_f;
                if let Some(prior) = setup.fairness_prior {
                    acc += o.alpha2 * prior[u];
                }
                acc += reliability[s..e].iter().sum::<f64>();
                let weight = o.alpha1 + o.alpha2 + (e - s) as f64;
                *f = if weight > 0.0 { acc / weight } else { 1.0 };
            }
        });
}
