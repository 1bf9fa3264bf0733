//! Edge probabilities fitted on observed re-shares with their times.
//!
//! # The estimator
//!
//! On a re-share layer ("u re-shared v", `u → v`, with event times), the
//! probability that `v`'s content activates `u` is estimated as the share of
//! `v`'s items, published after `u` first re-shared `v`, that `u` re-shared:
//!
//! 1. **Items of `v`.** The times at which anyone re-shared `v`, sorted, are
//!    cut into sessions wherever two consecutive re-shares are more than
//!    [`ReshareRateOptions::session_gap_ms`] apart; each session stands for
//!    one item of `v` (a post and its wave of re-shares). Let `m_v` be their
//!    number.
//! 2. **Exposures and hits of `u`.** The sessions in which `u` re-shared `v`
//!    are `u`'s hits. The first of them reveals the tie (the edge exists only
//!    because `u` re-shared at least once, so counting it would bias every
//!    rate upwards); the exposures are the `n_e` sessions of `v` after it,
//!    and the hits `h_e` are `u`'s re-shared sessions among those.
//! 3. **Shrinkage.** `p_e = (h_e + α) / (n_e + α + β)`: the posterior mean
//!    under a Beta(α, β) prior, fitted by empirical Bayes, i.e. maximising
//!    the beta-binomial likelihood of all `(h_e, n_e)` with `n_e ≥ 1`, the
//!    mean fixed at the pooled rate `Σh / Σn` and the strength `α + β` on a
//!    log grid from 0.1 to 1,000. An edge without any later exposure (or
//!    without times) gets the prior mean `α / (α + β)`.
//!
//! This is the Bernoulli estimator of Goyal, Bonchi & Lakshmanan (*Learning
//! influence probabilities in social networks*, WSDM 2010: actions of `v`
//! propagated to `u`, divided by actions of `v`), with items recovered from
//! re-share times when the posts themselves are not in the data, conditioned
//! on the tie existing, and shrunk towards the population rate as in
//! empirical-Bayes rate estimation (e.g. Efron, *Large-Scale Inference*, 2010).

use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Options of [`fit_reshare_rates`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReshareRateOptions {
    /// Re-shares of one account more than this apart belong to different
    /// items (default one hour, in milliseconds).
    pub session_gap_ms: i64,
    /// Only events strictly before this time (ms since the epoch) are used,
    /// for fitting on a past window and checking on a later one (default:
    /// all events).
    pub before_ms: i64,
}

impl Default for ReshareRateOptions {
    fn default() -> Self {
        ReshareRateOptions {
            session_gap_ms: 3_600_000,
            before_ms: i64::MAX,
        }
    }
}

/// Fitted probabilities and what the fit saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReshareRates {
    /// One probability per out-edge position of the layer
    /// ([`EdgeProbability::PerEdge`](super::EdgeProbability::PerEdge)).
    #[serde(skip)]
    pub probabilities: Vec<f32>,
    /// Prior α of the Beta prior.
    pub alpha: f64,
    /// Prior β of the Beta prior.
    pub beta: f64,
    /// Pooled rate `Σh / Σn` (the prior mean).
    pub pooled_rate: f64,
    /// Edges with at least one exposure after the tie appeared.
    pub edges_fitted: usize,
    /// Edges with times but no later exposure (prior mean).
    pub edges_prior_only: usize,
    /// Edges without any usable time (prior mean).
    pub edges_without_times: usize,
    /// Sum of exposures and of hits over the fitted edges.
    pub exposures: u64,
    /// Sum of hits.
    pub hits: u64,
}

/// Per-edge counts `(hits, exposures)`, or `None` when the edge has no time.
pub(crate) type EdgeCounts = Vec<Option<(u32, u32)>>;

/// Sessions of every target and `(h_e, n_e)` of every out-edge.
pub(crate) fn count_exposures(graph: &LayerGraph, options: &ReshareRateOptions) -> EdgeCounts {
    let out = graph.out_csr();
    let inn = graph.in_csr();
    let n = graph.num_nodes();
    let times_of = |e: usize| -> &[i64] {
        let t = graph.edge_times(e);
        &t[..t.partition_point(|&x| x < options.before_ms)]
    };
    // Session starts per target v: from all re-shares of v.
    let sessions: Vec<Vec<i64>> = (0..n)
        .into_par_iter()
        .map(|v| {
            let (sources, _) = inn.row(v);
            let mut all: Vec<i64> = Vec::new();
            for &u in sources {
                if let Some(e) = out.find(u as usize, v as u32) {
                    all.extend_from_slice(times_of(e));
                }
            }
            all.sort_unstable();
            let mut starts = Vec::new();
            let mut last = i64::MIN;
            for t in all {
                if starts.is_empty() || t - last > options.session_gap_ms {
                    starts.push(t);
                }
                last = t;
            }
            starts
        })
        .collect();
    (0..n)
        .into_par_iter()
        .flat_map_iter(|u| {
            let r = out.range(u);
            let sessions = &sessions;
            r.map(move |e| {
                let v = out.neighbors()[e] as usize;
                let t = times_of(e);
                if t.is_empty() {
                    return None;
                }
                let starts = &sessions[v];
                let mut hit: Vec<usize> = t
                    .iter()
                    .map(|&x| starts.partition_point(|&s| s <= x).saturating_sub(1))
                    .collect();
                hit.dedup(); // times are sorted, so session indices are too
                let first = hit[0];
                let exposures = (starts.len() - 1 - first) as u32;
                Some(((hit.len() - 1) as u32, exposures))
            })
        })
        .collect()
}

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, 9 terms; relative error ~1e-15).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Fits edge activation probabilities on a re-share layer with times.
///
/// # Arguments
/// * `graph`: a re-share layer (`u → v`: `u` re-shared `v`) built with its
///   event times ([`BuildOptions::keep_times`](crate::BuildOptions::keep_times)).
/// * `options`: the session gap that separates items, and an optional end
///   of the fitting window.
///
/// # Returns
/// One probability per out-edge (the chance that `v`'s content activates
/// `u`, for [`SpreadDirection::InformationFlow`](crate::kernels::SpreadDirection)),
/// the fitted prior and counts. See the [module docs](self) for the estimator.
///
/// # Errors
/// [`Error::InvalidArgument`] when the layer has no event times at all, or
/// the session gap is not positive.
///
/// # Complexity
/// `O(m log m)` time (sorting each target's re-share times, one binary
/// search per event), parallel over nodes; `O(events)` memory.
///
/// # Example
/// ```
/// use portevoix_core::{LayerLog, NodeId, Timestamp};
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::influence_max::{ReshareRateOptions, fit_reshare_rates};
///
/// // v = 0 posts four items (hours 0, 10, 20, 30); 1 re-shares all four, 2 only the first.
/// let mut log = LayerLog::default();
/// let h = |x: i64| Some(Timestamp(x * 3_600_000));
/// for t in [0, 10, 20, 30] {
///     log.push(NodeId(1), NodeId(0), 1.0, h(t), None, None);
/// }
/// log.push(NodeId(2), NodeId(0), 1.0, h(0), None, None);
/// let g = LayerGraph::build(&log, 3, &BuildOptions::default())?;
/// let rates = fit_reshare_rates(&g, &ReshareRateOptions::default())?;
/// let p = |u: u32| rates.probabilities[g.find_edge(NodeId(u), NodeId(0)).unwrap()];
/// // After its first re-share, 1 re-shared 3 of 3 later items, 2 none of 3.
/// assert!(p(1) > 0.5 && p(2) < 0.5 && p(1) > p(2));
/// assert_eq!((rates.hits, rates.exposures), (3, 6));
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn fit_reshare_rates(graph: &LayerGraph, options: &ReshareRateOptions) -> Result<ReshareRates> {
    if options.session_gap_ms <= 0 {
        return Err(Error::argument(
            "rates",
            format!(
                "the session gap must be positive, got {} ms",
                options.session_gap_ms
            ),
        ));
    }
    if graph.times().is_none_or(|t| t.times().is_empty()) {
        return Err(Error::argument(
            "rates",
            "fitting re-share rates needs event times: build the layer with keep_times from an input that has them",
        ));
    }
    let counts = count_exposures(graph, options);
    let (mut hits, mut exposures) = (0u64, 0u64);
    let mut groups: HashMap<(u32, u32), u64> = HashMap::new();
    let (mut fitted, mut prior_only, mut untimed) = (0usize, 0usize, 0usize);
    for c in &counts {
        match c {
            None => untimed += 1,
            Some((_, 0)) => prior_only += 1,
            Some((h, n)) => {
                fitted += 1;
                hits += *h as u64;
                exposures += *n as u64;
                *groups.entry((*h, *n)).or_insert(0) += 1;
            }
        }
    }
    let pooled = if exposures == 0 {
        0.5
    } else {
        (hits as f64 / exposures as f64).clamp(1e-6, 1.0 - 1e-6)
    };
    // Empirical Bayes: the prior strength of largest beta-binomial likelihood.
    let mut groups: Vec<((u32, u32), u64)> = groups.into_iter().collect();
    groups.sort_unstable();
    let likelihood = |kappa: f64| -> f64 {
        let (a, b) = (pooled * kappa, (1.0 - pooled) * kappa);
        let base = ln_beta(a, b);
        groups
            .iter()
            .map(|&((h, n), c)| c as f64 * (ln_beta(h as f64 + a, (n - h) as f64 + b) - base))
            .sum()
    };
    let kappa = (0..=40)
        .map(|i| 10f64.powf(-1.0 + i as f64 * 0.1))
        .map(|k| (k, likelihood(k)))
        .fold((1.0, f64::NEG_INFINITY), |best, (k, l)| {
            if l > best.1 { (k, l) } else { best }
        })
        .0;
    let (alpha, beta) = (pooled * kappa, (1.0 - pooled) * kappa);
    let probabilities = counts
        .par_iter()
        .map(|c| {
            let (h, n) = c.unwrap_or((0, 0));
            ((h as f64 + alpha) / (n as f64 + alpha + beta)) as f32
        })
        .collect();
    Ok(ReshareRates {
        probabilities,
        alpha,
        beta,
        pooled_rate: pooled,
        edges_fitted: fitted,
        edges_prior_only: prior_only,
        edges_without_times: untimed,
        exposures,
        hits,
    })
}

/// Log-likelihood per exposure of later re-shares under per-edge
/// probabilities: for every edge with `n` exposures after `after_ms` and
/// `h` hits among them (counted as in [`fit_reshare_rates`] on the events
/// from `after_ms` on, ties revealed before `after_ms` only),
/// `Σ h ln p + (n − h) ln(1 − p)`, divided by `Σ n`. Probabilities are
/// clamped to `[1e-6, 1 − 1e-6]`. Used to compare estimators on a held-out
/// window.
///
/// # Returns
/// `(log-likelihood per exposure, exposures, hits)`.
///
/// # Errors
/// [`Error::InvalidArgument`] when `probabilities` does not have one value
/// per edge.
pub fn heldout_log_likelihood(
    graph: &LayerGraph,
    probabilities: &[f32],
    after_ms: i64,
    session_gap_ms: i64,
) -> Result<(f64, u64, u64)> {
    if probabilities.len() != graph.num_edges() {
        return Err(Error::argument(
            "rates",
            format!(
                "{} probabilities for {} edges",
                probabilities.len(),
                graph.num_edges()
            ),
        ));
    }
    let out = graph.out_csr();
    let inn = graph.in_csr();
    let n = graph.num_nodes();
    // Later sessions of each target, from the events at or after `after_ms`.
    let sessions: Vec<Vec<i64>> = (0..n)
        .into_par_iter()
        .map(|v| {
            let mut all: Vec<i64> = Vec::new();
            for &u in inn.row(v).0 {
                if let Some(e) = out.find(u as usize, v as u32) {
                    all.extend(graph.edge_times(e).iter().filter(|&&t| t >= after_ms));
                }
            }
            all.sort_unstable();
            let mut starts = Vec::new();
            let mut last = i64::MIN;
            for t in all {
                if starts.is_empty() || t - last > session_gap_ms {
                    starts.push(t);
                }
                last = t;
            }
            starts
        })
        .collect();
    // Per-node partial sums, added in node order: the same for any thread count.
    let partial: Vec<(f64, u64, u64)> = (0..n)
        .into_par_iter()
        .map(|u| {
            let mut acc = (0.0f64, 0u64, 0u64);
            for e in out.range(u) {
                let v = out.neighbors()[e] as usize;
                let t = graph.edge_times(e);
                // Only ties revealed before the held-out window.
                if t.first().is_none_or(|&first| first >= after_ms) {
                    continue;
                }
                let starts = &sessions[v];
                let exposures = starts.len() as u64;
                if exposures == 0 {
                    continue;
                }
                let mut hit: Vec<usize> = t
                    .iter()
                    .filter(|&&x| x >= after_ms)
                    .map(|&x| starts.partition_point(|&s| s <= x).saturating_sub(1))
                    .collect();
                hit.dedup();
                let h = hit.len() as u64;
                let p = (probabilities[e] as f64).clamp(1e-6, 1.0 - 1e-6);
                acc.0 += h as f64 * p.ln() + (exposures - h) as f64 * (1.0 - p).ln();
                acc.1 += exposures;
                acc.2 += h;
            }
            acc
        })
        .collect();
    let (ll, exposures, hits) = partial
        .iter()
        .fold((0.0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    Ok((ll / exposures.max(1) as f64, exposures, hits))
}
