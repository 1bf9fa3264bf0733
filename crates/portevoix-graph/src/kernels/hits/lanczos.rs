//! Lanczos on `B = AᵀA` for HITS: the authority vector is `B`'s principal
//! eigenvector, which a Krylov space finds in far fewer products than the
//! power iteration when the top two singular values of `A` are close
//! (Epinions: 163 power iterations, 12 Lanczos steps). ARPACK, which igraph
//! uses, runs the implicitly restarted form of the same method.
//!
//! Started from the power iteration's first authority vector, the Krylov
//! space holds every power iterate, so in exact arithmetic the Ritz vector
//! converges to the power iteration's own limit, even when the top
//! eigenvalue is repeated (the space only holds the start vector's
//! component in that eigenspace).
//!
//! The basis follows the plain three-term recurrence, without
//! reorthogonalisation: orthogonality is only lost (Paige) in the direction
//! of a Ritz vector that has converged, and the solver stops as soon as the
//! top one has. Full reorthogonalisation was measured: it needs the same
//! number of products but reads the whole basis twice per step, which on a
//! sparse graph (Higgs retweet: 1.3 edges per node) costs more than the
//! products. The power iteration that follows checks the result either way.
//!
//! Every product is the two gathers of a power iteration (the same
//! messages and sum combiner), every scalar a fixed-order reduction, and the
//! small tridiagonal eigenproblem is solved sequentially by cyclic Jacobi
//! rotations: the result is the same for any number of threads.
//!
//! # Reference
//!
//! C. Lanczos, *An iteration method for the solution of the eigenvalue
//! problem of linear differential and integral operators*, J. Res. Nat. Bur.
//! Standards 45, 1950; B. N. Parlett, *The Symmetric Eigenvalue Problem*,
//! SIAM 1998, ch. 13 (loss of orthogonality, Paige's theorem); R. B. Lehoucq, D. C.
//! Sorensen, C. Yang, *ARPACK Users' Guide*, SIAM 1998.

use super::super::reduce::det_sum;
use super::Sweeps;
use rayon::prelude::*;

/// Values per block of the reductions and of the basis combination.
const CHUNK: usize = 1 << 14;

/// What a Lanczos phase leaves: the Ritz vector (L1-normalised, non-negative)
/// to hand to the power iteration, and the products it used.
pub(super) struct Ritz {
    pub authorities: Vec<f64>,
    pub products: usize,
    /// The estimated relative residual `‖Bx − θx‖₂ / θ` when it stopped.
    pub estimate: f64,
}

/// Runs Lanczos from `start` until the Ritz estimate falls below `trigger`
/// or `max_products` products are spent, with at most `basis` vectors
/// (then restarts from the Ritz vector).
pub(super) fn lanczos(
    sweeps: &Sweeps<'_>,
    start: &[f64],
    trigger: f64,
    max_products: usize,
    basis: usize,
) -> Ritz {
    let n = start.len();
    let basis = basis.max(2);
    let mut x = start.to_vec();
    let mut products = 0;
    let mut estimate = f64::INFINITY;
    let mut w = vec![0.0; n];
    let mut hub = vec![0.0; n];
    'restart: loop {
        let norm = det_dot(&x, &x).sqrt();
        if !(norm > 0.0 && norm.is_finite()) {
            break;
        }
        let mut v: Vec<Vec<f64>> = vec![x.par_iter().map(|a| a / norm).collect()];
        let mut alpha: Vec<f64> = Vec::new();
        let mut beta: Vec<f64> = Vec::new();
        loop {
            let j = v.len() - 1;
            sweeps.b_product(&v[j], &mut hub, &mut w);
            products += 1;
            // The three-term recurrence: w −= α·v_j + β·v_{j−1}.
            let diag = det_dot(&w, &v[j]);
            let prev = j.checked_sub(1).map(|i| (&v[i][..], beta[i]));
            recur(&mut w, &v[j], diag, prev);
            alpha.push(diag);
            let b = det_dot(&w, &w).sqrt();
            let (theta, y) = top_eigenpair(&alpha, &beta);
            estimate = if theta > 0.0 {
                b * y[j].abs() / theta
            } else {
                f64::INFINITY
            };
            let floor = f64::EPSILON * theta.abs().max(f64::MIN_POSITIVE);
            // Also true for a NaN norm: nothing more to learn from the space.
            let invariant = b.partial_cmp(&floor) != Some(std::cmp::Ordering::Greater);
            if estimate < trigger || invariant || products >= max_products || v.len() >= basis {
                x = combine(&v, &y);
                if estimate < trigger || invariant || products >= max_products {
                    break 'restart;
                }
                continue 'restart;
            }
            beta.push(b);
            let inv = 1.0 / b;
            v.push(w.par_iter().map(|a| a * inv).collect());
        }
    }
    // The Perron vector is non-negative: fix the sign, drop rounding noise
    // below zero, normalise to sum 1.
    let sum = det_sum(&x);
    if sum < 0.0 {
        x.par_iter_mut().for_each(|a| *a = -*a);
    }
    x.par_iter_mut().for_each(|a| *a = a.max(0.0));
    let total = det_sum(&x);
    if total > 0.0 && total.is_finite() {
        let inv = 1.0 / total;
        x.par_iter_mut().for_each(|a| *a *= inv);
    } else {
        x = start.to_vec();
    }
    Ritz {
        authorities: x,
        products,
        estimate,
    }
}

/// `(a, b)`, identical for any number of threads (fixed chunks, chunk sums
/// in order).
fn det_dot(a: &[f64], b: &[f64]) -> f64 {
    let parts: Vec<f64> = a
        .par_chunks(CHUNK)
        .zip(b.par_chunks(CHUNK))
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>())
        .collect();
    parts.iter().sum()
}

/// `w −= α·q + β·p` (the previous basis vector `p` and its coefficient).
fn recur(w: &mut [f64], q: &[f64], alpha: f64, prev: Option<(&[f64], f64)>) {
    match prev {
        Some((p, beta)) => w
            .par_iter_mut()
            .zip(q)
            .zip(p)
            .for_each(|((x, a), b)| *x -= alpha * a + beta * b),
        None => w.par_iter_mut().zip(q).for_each(|(x, a)| *x -= alpha * a),
    }
}

/// `Σ_i y_i·v_i`.
fn combine(v: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let n = v[0].len();
    let mut x = vec![0.0; n];
    x.par_chunks_mut(CHUNK).enumerate().for_each(|(b, xc)| {
        let at = b * CHUNK;
        for (i, out) in xc.iter_mut().enumerate() {
            let mut s = 0.0;
            for (q, yi) in v.iter().zip(y) {
                s += yi * q[at + i];
            }
            *out = s;
        }
    });
    x
}

/// The largest eigenvalue of the symmetric tridiagonal matrix with
/// diagonal `alpha` and off-diagonal `beta` (one shorter), and its unit
/// eigenvector, by cyclic Jacobi rotations (sequential, deterministic; the
/// matrix has at most a few dozen rows).
pub(super) fn top_eigenpair(alpha: &[f64], beta: &[f64]) -> (f64, Vec<f64>) {
    let m = alpha.len();
    let mut a = vec![0.0; m * m];
    for i in 0..m {
        a[i * m + i] = alpha[i];
        if i + 1 < m {
            a[i * m + i + 1] = beta[i];
            a[(i + 1) * m + i] = beta[i];
        }
    }
    let mut q = vec![0.0; m * m];
    for i in 0..m {
        q[i * m + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..m)
            .flat_map(|i| (0..m).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * m + j] * a[i * m + j])
            .sum();
        let scale: f64 = (0..m).map(|i| a[i * m + i] * a[i * m + i]).sum();
        if off <= 1e-30 * scale || off == 0.0 {
            break;
        }
        for p in 0..m {
            for r in p + 1..m {
                let apr = a[p * m + r];
                if apr == 0.0 {
                    continue;
                }
                let (app, arr) = (a[p * m + p], a[r * m + r]);
                let tau = (arr - app) / (2.0 * apr);
                let t = tau.signum() / (tau.abs() + (1.0 + tau * tau).sqrt());
                let t = if tau == 0.0 { 1.0 } else { t };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = t * c;
                for k in 0..m {
                    let (akp, akr) = (a[k * m + p], a[k * m + r]);
                    a[k * m + p] = c * akp - s * akr;
                    a[k * m + r] = s * akp + c * akr;
                }
                for k in 0..m {
                    let (apk, ark) = (a[p * m + k], a[r * m + k]);
                    a[p * m + k] = c * apk - s * ark;
                    a[r * m + k] = s * apk + c * ark;
                }
                for k in 0..m {
                    let (qkp, qkr) = (q[k * m + p], q[k * m + r]);
                    q[k * m + p] = c * qkp - s * qkr;
                    q[k * m + r] = s * qkp + c * qkr;
                }
            }
        }
    }
    let top = (0..m)
        .max_by(|&i, &j| a[i * m + i].total_cmp(&a[j * m + j]).then(j.cmp(&i)))
        .unwrap_or(0);
    (a[top * m + top], (0..m).map(|k| q[k * m + top]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_finds_the_top_eigenpair() {
        // [[2, 1, 0], [1, 2, 1], [0, 1, 2]]: top eigenvalue 2 + √2.
        let (theta, y) = top_eigenpair(&[2.0, 2.0, 2.0], &[1.0, 1.0]);
        assert!((theta - (2.0 + 2f64.sqrt())).abs() < 1e-12);
        let s = if y[1] < 0.0 { -1.0 } else { 1.0 };
        let want = [0.5, 0.5 * 2f64.sqrt(), 0.5];
        for (a, b) in y.iter().zip(want) {
            assert!((s * a - b).abs() < 1e-12);
        }
        assert_eq!(top_eigenpair(&[3.0], &[]), (3.0, vec![1.0]));
    }
}
