//! Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
//! Algorithm 7.4 and 7.5) with a backtracking Armijo line search, in place
//! and deterministic.
//!
//! Why not a crate: argmin's `LBFGS` (the well-kept Rust choice) builds a new
//! vector for every operation of the two-loop recursion and the line search,
//! single-threaded; at the 3 million parameters of a hashed text model that
//! is several gigabytes of memory traffic per iteration, more than the
//! gradient pass itself. linfa-logistic and smartcore take dense matrices.
//! Here every vector operation runs in place on fixed-size chunks in
//! parallel, and every sum adds the chunk partials in chunk order, so the
//! result is bit-identical for any number of threads.

use rayon::prelude::*;

/// Elements per chunk of a vector operation (fixed, so sums are reproducible).
const CHUNK: usize = 1 << 14;

/// What to minimise: the value at `x`, and the gradient written into `grad`.
pub(crate) trait Objective: Sync {
    /// f(x), and ∇f(x) into `grad` (same length as `x`).
    fn evaluate(&self, x: &[f64], grad: &mut [f64]) -> f64;
}

/// Stopping rules and memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LbfgsOptions {
    /// Correction pairs kept.
    pub memory: usize,
    /// At most this many iterations.
    pub max_iterations: usize,
    /// Stop when the relative decrease of f falls below this (scipy's `ftol`).
    pub f_tolerance: f64,
    /// Stop when the largest gradient component falls below this.
    pub g_tolerance: f64,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LbfgsReport {
    pub iterations: usize,
    pub evaluations: usize,
    pub value: f64,
    pub converged: bool,
}

/// Deterministic parallel dot product.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let partials: Vec<f64> = a
        .par_chunks(CHUNK)
        .zip(b.par_chunks(CHUNK))
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>())
        .collect();
    partials.iter().sum()
}

/// y += a x
fn axpy(y: &mut [f64], a: f64, x: &[f64]) {
    y.par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK))
        .for_each(|(y, x)| y.iter_mut().zip(x).for_each(|(y, x)| *y += a * x));
}

/// out = a - b
fn difference(out: &mut [f64], a: &[f64], b: &[f64]) {
    out.par_chunks_mut(CHUNK)
        .zip(a.par_chunks(CHUNK).zip(b.par_chunks(CHUNK)))
        .for_each(|(o, (a, b))| {
            for ((o, a), b) in o.iter_mut().zip(a).zip(b) {
                *o = a - b;
            }
        });
}

fn max_abs(a: &[f64]) -> f64 {
    a.par_chunks(CHUNK)
        .map(|c| c.iter().fold(0.0f64, |m, v| m.max(v.abs())))
        .reduce(|| 0.0, f64::max)
}

/// Minimises `objective` from `x` (updated in place).
pub(crate) fn minimize(
    objective: &impl Objective,
    x: &mut [f64],
    options: &LbfgsOptions,
) -> LbfgsReport {
    let n = x.len();
    let mut grad = vec![0.0; n];
    let mut value = objective.evaluate(x, &mut grad);
    let mut evaluations = 1;
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut oldest = 0; // ring position of the oldest pair once full
    let mut direction = vec![0.0; n];
    let mut x_new = vec![0.0; n];
    let mut grad_new = vec![0.0; n];
    let mut alpha = vec![0.0; options.memory];
    let mut report = LbfgsReport {
        iterations: 0,
        evaluations,
        value,
        converged: false,
    };
    if max_abs(&grad) < options.g_tolerance {
        report.converged = true;
        return report;
    }
    for iteration in 0..options.max_iterations {
        // Two-loop recursion: direction = -H grad.
        direction.copy_from_slice(&grad);
        let pairs = s_hist.len();
        let order: Vec<usize> = (0..pairs).map(|k| (oldest + k) % pairs.max(1)).collect();
        for &k in order.iter().rev() {
            alpha[k] = rho[k] * dot(&s_hist[k], &direction);
            axpy(&mut direction, -alpha[k], &y_hist[k]);
        }
        let gamma = match order.last() {
            Some(&k) => dot(&s_hist[k], &y_hist[k]) / dot(&y_hist[k], &y_hist[k]),
            None => 1.0 / max_abs(&grad).max(1e-12).max(dot(&grad, &grad).sqrt()),
        };
        direction
            .par_chunks_mut(CHUNK)
            .for_each(|c| c.iter_mut().for_each(|v| *v *= gamma));
        for &k in &order {
            let beta = rho[k] * dot(&y_hist[k], &direction);
            axpy(&mut direction, alpha[k] - beta, &s_hist[k]);
        }
        direction
            .par_chunks_mut(CHUNK)
            .for_each(|c| c.iter_mut().for_each(|v| *v = -*v));
        let mut slope = dot(&grad, &direction);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            oldest = 0;
            let scale = 1.0 / dot(&grad, &grad).sqrt().max(1e-12);
            difference(&mut direction, &vec![0.0; n], &grad);
            direction
                .par_chunks_mut(CHUNK)
                .for_each(|c| c.iter_mut().for_each(|v| *v *= scale));
            slope = dot(&grad, &direction);
        }
        // Backtracking Armijo line search from the unit step.
        let mut step = 1.0;
        let mut value_new;
        let mut tries = 0;
        loop {
            x_new.copy_from_slice(x);
            axpy(&mut x_new, step, &direction);
            value_new = objective.evaluate(&x_new, &mut grad_new);
            evaluations += 1;
            tries += 1;
            if value_new <= value + 1e-4 * step * slope || tries >= 40 {
                break;
            }
            step *= 0.5;
        }
        report.iterations = iteration + 1;
        report.evaluations = evaluations;
        if value_new > value {
            // No decrease at all: we are at the precision limit.
            report.converged = true;
            break;
        }
        // Store the correction pair.
        let (mut s, mut y) = if s_hist.len() < options.memory {
            (vec![0.0; n], vec![0.0; n])
        } else {
            let s = std::mem::take(&mut s_hist[oldest]);
            let y = std::mem::take(&mut y_hist[oldest]);
            (s, y)
        };
        difference(&mut s, &x_new, x);
        difference(&mut y, &grad_new, &grad);
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if s_hist.len() < options.memory {
                s_hist.push(s);
                y_hist.push(y);
                rho.push(1.0 / sy);
            } else {
                s_hist[oldest] = s;
                y_hist[oldest] = y;
                rho[oldest] = 1.0 / sy;
                oldest = (oldest + 1) % options.memory;
            }
        } else if s_hist.len() == options.memory {
            // Put the buffers back; the pair is skipped.
            s_hist[oldest] = s;
            y_hist[oldest] = y;
        }
        let decrease = (value - value_new) / value.abs().max(value_new.abs()).max(1.0);
        x.copy_from_slice(&x_new);
        std::mem::swap(&mut grad, &mut grad_new);
        value = value_new;
        report.value = value;
        if decrease < options.f_tolerance || max_abs(&grad) < options.g_tolerance {
            report.converged = true;
            break;
        }
    }
    report.value = value;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x) = Σ c_i (x_i − i)², minimum at x_i = i.
    struct Quadratic(Vec<f64>);
    impl Objective for Quadratic {
        fn evaluate(&self, x: &[f64], grad: &mut [f64]) -> f64 {
            let mut f = 0.0;
            for (i, (&xi, g)) in x.iter().zip(grad.iter_mut()).enumerate() {
                let d = xi - i as f64;
                f += self.0[i] * d * d;
                *g = 2.0 * self.0[i] * d;
            }
            f
        }
    }

    /// Rosenbrock in 2 dimensions.
    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn evaluate(&self, x: &[f64], g: &mut [f64]) -> f64 {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        }
    }

    fn options() -> LbfgsOptions {
        LbfgsOptions {
            memory: 7,
            max_iterations: 500,
            f_tolerance: 1e-15,
            g_tolerance: 1e-9,
        }
    }

    #[test]
    fn finds_the_minimum_of_an_ill_conditioned_quadratic() {
        let q = Quadratic((0..50).map(|i| 1.0 + (i as f64).powi(2)).collect());
        let mut x = vec![0.0; 50];
        let r = minimize(&q, &mut x, &options());
        assert!(r.value < 1e-10, "{r:?}");
        for (i, v) in x.iter().enumerate() {
            assert!((v - i as f64).abs() < 1e-5, "x[{i}] = {v}");
        }
    }

    #[test]
    fn finds_the_rosenbrock_valley_minimum() {
        let mut x = vec![-1.2, 1.0];
        let r = minimize(&Rosenbrock, &mut x, &options());
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4,
            "{x:?} {r:?}"
        );
    }
}
