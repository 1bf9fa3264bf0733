//! HITS, LeaderRank and Katz: the vertex programs of
//! `portevoix_graph::kernels::{hits, leaderrank, katz}`, one superstep per
//! pull (HITS has two per iteration: authorities along in-edges, hubs along
//! out-edges). Global sums are taken per 16,384 accounts and added in
//! account order, as the local engine's `det_sum` does.

use crate::comm::Comm;
use crate::halo::Halo;
use crate::load::DistGraph;
use crate::partition::Partition;
use portevoix_core::Error;
use portevoix_graph::kernels::{HitsOptions, KatzOptions, LeaderRankOptions};

/// The local engine's chunk of deterministic sums (`reduce::SUM_CHUNK`).
pub const SUM_CHUNK: usize = 1 << 14;

/// Scores of an iterative kernel on this worker, in local order.
#[derive(Debug, Clone, PartialEq)]
pub struct Iterated {
    /// One or two columns per owned account (HITS: hubs then authorities).
    pub columns: Vec<Vec<f64>>,
    /// Iterations.
    pub iterations: usize,
    /// Last residual.
    pub residual: f64,
    /// Whether it converged.
    pub converged: bool,
}

/// `out[i] = Σ w · x[halo col]` over row `i` of `(offsets, weights)`, or
/// without weights.
fn gather(
    offsets: &[u64],
    weights: &[f32],
    halo: &Halo,
    values: &[f64],
    weighted: bool,
    out: &mut [f64],
) {
    for (i, o) in out.iter_mut().enumerate() {
        let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
        let mut acc = 0.0f64;
        if weighted {
            for (&c, &w) in halo.cols[a..b].iter().zip(&weights[a..b]) {
                acc += w as f64 * values[c as usize];
            }
        } else {
            for &c in &halo.cols[a..b] {
                acc += values[c as usize];
            }
        }
        *o = acc;
    }
}

/// Global L1 distances `Σ |a − b|` of several pairs of owned columns, in
/// the order of [`Partition::sums`] (the same bits), without materialising
/// the differences.
fn l1_sums(comm: &mut Comm<'_>, part: &Partition, pairs: &[(&[f64], &[f64])]) -> Vec<f64> {
    let pieces = part.pieces(SUM_CHUNK);
    let mut mine = Vec::with_capacity(pieces.len() * pairs.len());
    for r in pieces {
        for (a, b) in pairs {
            mine.push(r.clone().map(|i| (a[i] - b[i]).abs()).sum::<f64>());
        }
    }
    part.add_pieces(comm, SUM_CHUNK, pairs.len(), mine)
}

fn normalise(x: &mut [f64], total: f64) {
    if total > 0.0 && total.is_finite() {
        let inv = 1.0 / total;
        x.iter_mut().for_each(|v| *v *= inv);
    }
}

/// HITS: `halo_in` over the in-rows, `halo_out` over the out-rows.
pub fn hits(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    halo_in: &Halo,
    halo_out: &Halo,
    options: &HitsOptions,
) -> Iterated {
    let part = graph.part.clone();
    let owned = part.owned();
    let n = part.n;
    let uniform = if n > 0 { 1.0 / n as f64 } else { 0.0 };
    let mut hubs = vec![uniform; owned];
    let mut auth = vec![uniform; owned];
    if graph.edges == 0 {
        return Iterated {
            columns: vec![hubs, auth],
            iterations: 0,
            residual: 0.0,
            converged: true,
        };
    }
    let mut new_hubs = vec![0.0; owned];
    let mut new_auth = vec![0.0; owned];
    // Halo buffers, reused by every superstep.
    let (mut h, mut a) = (Vec::new(), Vec::new());
    let (mut iterations, mut residual, mut converged) = (0, f64::INFINITY, false);
    while iterations < options.max_iterations {
        iterations += 1;
        halo_in.exchange_into(comm, &hubs, &mut h, 1);
        gather(
            &graph.in_offsets,
            &graph.in_w,
            halo_in,
            &h,
            true,
            &mut new_auth,
        );
        let a_sum = part.sums(comm, SUM_CHUNK, &[&new_auth])[0];
        normalise(&mut new_auth, a_sum);
        halo_out.exchange_into(comm, &new_auth, &mut a, 1);
        gather(
            &graph.out_offsets,
            &graph.out_w,
            halo_out,
            &a,
            true,
            &mut new_hubs,
        );
        let h_sum = part.sums(comm, SUM_CHUNK, &[&new_hubs])[0];
        normalise(&mut new_hubs, h_sum);
        let r = l1_sums(
            comm,
            &part,
            &[
                (new_hubs.as_slice(), hubs.as_slice()),
                (new_auth.as_slice(), auth.as_slice()),
            ],
        );
        residual = r[0] + r[1];
        std::mem::swap(&mut hubs, &mut new_hubs);
        std::mem::swap(&mut auth, &mut new_auth);
        if residual < options.tolerance || residual == 0.0 {
            converged = true;
            break;
        }
    }
    Iterated {
        columns: vec![hubs, auth],
        iterations,
        residual,
        converged,
    }
}

/// LeaderRank with its ground node.
///
/// # Errors
/// Weighted LeaderRank with a non-finite or negative weight.
pub fn leaderrank(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    halo_in: &Halo,
    options: &LeaderRankOptions,
) -> Result<Iterated, Error> {
    let part = graph.part.clone();
    let owned = part.owned();
    let n = part.n;
    if graph.edges == 0 || n == 0 {
        return Ok(Iterated {
            columns: vec![vec![1.0; owned]],
            iterations: 0,
            residual: 0.0,
            converged: true,
        });
    }
    let bad = options.weighted && graph.in_w.iter().any(|&w| !(w.is_finite() && w >= 0.0));
    if comm.any(bad) {
        return Err(Error::argument(
            "centrality",
            "weighted LeaderRank needs finite non-negative edge weights",
        ));
    }
    let inv_out: Vec<f64> = (0..owned)
        .map(|i| {
            if options.weighted {
                1.0 / (graph.out_weight[i] + 1.0)
            } else {
                1.0 / (f64::from(graph.out_degree[i]) + 1.0)
            }
        })
        .collect();
    let nf = n as f64;
    let mut s = vec![1.0f64; owned];
    let mut ground = 0.0f64;
    let mut share = vec![0.0f64; owned];
    let mut next = vec![0.0f64; owned];
    let mut h = Vec::new();
    let (mut iterations, mut residual, mut converged) = (0, f64::INFINITY, false);
    while iterations < options.max_iterations {
        iterations += 1;
        for ((m, &x), &k) in share.iter_mut().zip(&s).zip(&inv_out) {
            *m = x * k;
        }
        let new_ground = part.sums(comm, SUM_CHUNK, &[&share])[0];
        halo_in.exchange_into(comm, &share, &mut h, 1);
        gather(
            &graph.in_offsets,
            &graph.in_w,
            halo_in,
            &h,
            options.weighted,
            &mut next,
        );
        let broadcast = ground / nf;
        next.iter_mut().for_each(|x| *x += broadcast);
        residual = (l1_sums(comm, &part, &[(next.as_slice(), s.as_slice())])[0]
            + (new_ground - ground).abs())
            / nf;
        std::mem::swap(&mut s, &mut next);
        ground = new_ground;
        if residual < options.tolerance || residual == 0.0 {
            converged = true;
            break;
        }
    }
    let broadcast = ground / nf;
    s.iter_mut().for_each(|x| *x += broadcast);
    Ok(Iterated {
        columns: vec![s],
        iterations,
        residual,
        converged,
    })
}

/// Katz centrality with NetworkX's stopping rule and the local engine's
/// divergence detection.
///
/// # Errors
/// Invalid parameters, or divergence (`alpha ≥ 1/λ_max`).
pub fn katz(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    halo_in: &Halo,
    options: &KatzOptions,
) -> Result<Iterated, Error> {
    let KatzOptions {
        alpha,
        beta,
        tolerance,
        max_iterations,
        normalized,
    } = *options;
    if !(alpha.is_finite() && alpha > 0.0) {
        return Err(Error::argument(
            "centrality",
            format!("Katz alpha must be positive and finite, got {alpha}"),
        ));
    }
    if !(beta.is_finite() && beta > 0.0) {
        return Err(Error::argument(
            "centrality",
            format!("Katz beta must be positive and finite, got {beta}"),
        ));
    }
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(Error::argument(
            "centrality",
            format!("Katz tolerance must be finite and non-negative, got {tolerance}"),
        ));
    }
    let part = graph.part.clone();
    let owned = part.owned();
    let threshold = part.n as f64 * tolerance;
    let mut x = vec![0.0f64; owned];
    let mut next = vec![0.0f64; owned];
    let mut history: Vec<f64> = Vec::new();
    let mut h = Vec::new();
    let (mut iterations, mut residual, mut converged) = (0, f64::INFINITY, false);
    while iterations < max_iterations {
        iterations += 1;
        halo_in.exchange_into(comm, &x, &mut h, 1);
        gather(&graph.in_offsets, &graph.in_w, halo_in, &h, true, &mut next);
        next.iter_mut().for_each(|v| *v = alpha * *v + beta);
        residual = l1_sums(comm, &part, &[(next.as_slice(), x.as_slice())])[0];
        std::mem::swap(&mut x, &mut next);
        if residual < threshold || residual == 0.0 {
            converged = true;
            break;
        }
        history.push(residual);
        let k = history.len();
        let stalled = k > 20 && residual >= history[k - 11];
        if !residual.is_finite() || stalled {
            let rate = if k > 11 && history[k - 11] > 0.0 && residual.is_finite() {
                (residual / history[k - 11]).powf(0.1)
            } else {
                f64::INFINITY
            };
            return Err(Error::argument(
                "centrality",
                format!(
                    "Katz iteration diverges after {iterations} iterations: alpha = {alpha} is not \
                 below 1 / lambda_max (the growth rate suggests lambda_max >= {:.6}, so alpha \
                 must be below {:.6})",
                    rate / alpha,
                    alpha / rate
                ),
            ));
        }
    }
    if normalized {
        let squares: Vec<f64> = x.iter().map(|v| v * v).collect();
        let norm = part.sums(comm, SUM_CHUNK, &[&squares])[0].sqrt();
        if norm > 0.0 {
            let inv = 1.0 / norm;
            x.iter_mut().for_each(|v| *v *= inv);
        }
    }
    Ok(Iterated {
        columns: vec![x],
        iterations,
        residual,
        converged,
    })
}
