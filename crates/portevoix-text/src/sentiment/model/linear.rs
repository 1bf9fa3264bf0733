//! Multinomial logistic regression on sparse features, trained by L-BFGS.
//!
//! Minimises the weighted mean cross-entropy plus an L2 penalty on the
//! weights (not the intercepts):
//!
//! `L(W, b) = Σᵢ wᵢ · −log softmax(W xᵢ + b)[yᵢ] / Σᵢ wᵢ + λ/2 · ‖W − W₀‖²`
//!
//! where `W₀` is 0 for a new model and the base model's weights when a model
//! is adapted to a campaign's examples (the prior of Chelba & Acero,
//! *Adaptation of maximum entropy capitalizer: Little data can help a lot*,
//! EMNLP 2004). Only the columns that occur in the training rows are
//! optimised (the others stay at `W₀`, their optimum).
//!
//! Determinism: the per-row pass runs on fixed chunks of rows and the
//! per-column gradient on the transpose, each sum in a fixed order, so the
//! model is bit-identical for any number of threads.

use rayon::prelude::*;

use super::design::{Design, Transposed};
use super::features::SparseFeatures;
use super::lbfgs::{LbfgsOptions, LbfgsReport, Objective, minimize};

/// Rows per chunk of the per-row pass (fixed for reproducible sums).
const ROW_CHUNK: usize = 512;

/// A trained multinomial logistic regression over 3 classes.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    /// Number of input features.
    pub(crate) dimension: usize,
    /// Weights, feature-major: `weights[3 j + c]`.
    pub(crate) weights: Vec<f32>,
    /// Intercepts per class.
    pub(crate) bias: [f32; 3],
}

/// Options of [`LinearModel::train`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearOptions {
    /// λ, the L2 penalty.
    pub l2: f64,
    /// At most this many L-BFGS iterations.
    pub max_iterations: usize,
    /// Relative decrease of the loss under which training stops.
    pub tolerance: f64,
}

impl Default for LinearOptions {
    fn default() -> LinearOptions {
        LinearOptions {
            l2: 1e-4,
            max_iterations: 300,
            tolerance: 1e-6,
        }
    }
}

impl LinearModel {
    /// Number of input features.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The three logits of a feature vector (indices beyond the dimension
    /// are ignored).
    pub fn logits(&self, features: &SparseFeatures) -> [f64; 3] {
        self.logits_of(&features.indices, &features.values)
    }

    pub(crate) fn logits_of(&self, indices: &[u32], values: &[f32]) -> [f64; 3] {
        self.logits_plus(indices, values, [0.0; 3])
    }

    /// The logits of a feature vector whose other entries already gave
    /// `partial` (see [`LinearModel::partial_dot`]).
    pub(crate) fn logits_plus(
        &self,
        indices: &[u32],
        values: &[f32],
        partial: [f32; 3],
    ) -> [f64; 3] {
        let mut z = partial;
        for (&i, &v) in indices.iter().zip(values) {
            self.add_entry(&mut z, i, v);
        }
        [
            f64::from(z[0] + self.bias[0]),
            f64::from(z[1] + self.bias[1]),
            f64::from(z[2] + self.bias[2]),
        ]
    }

    /// The dot product of some entries `(index, value)` with the weights,
    /// per class, without the intercepts (indices beyond the dimension are
    /// ignored).
    pub(crate) fn partial_dot(&self, entries: &[(u32, f32)]) -> [f32; 3] {
        let mut z = [0f32; 3];
        for &(i, v) in entries {
            self.add_entry(&mut z, i, v);
        }
        z
    }

    /// Adds one entry times its row of weights to `z` (an index beyond the
    /// dimension adds nothing).
    #[inline]
    fn add_entry(&self, z: &mut [f32; 3], i: u32, v: f32) {
        let i = i as usize;
        if i < self.dimension {
            let w = &self.weights[3 * i..3 * i + 3];
            z[0] += v * w[0];
            z[1] += v * w[1];
            z[2] += v * w[2];
        }
    }

    /// Trains a model on `design` (see the [module](self) docs).
    ///
    /// # Complexity
    /// O(iterations × (nnz + active columns × memory)); each iteration is one
    /// pass over the rows and one over the transpose.
    pub fn train(design: &Design, options: &LinearOptions) -> (LinearModel, TrainReport) {
        train_from(design, options, None, None)
    }

    /// Trains a model on `design` pulled toward `prior` (same dimension):
    /// the L2 penalty is on `W − W_prior` and the prior's intercepts are the
    /// starting point.
    ///
    /// # Panics
    /// When `prior` has another dimension than `design`.
    pub fn train_toward(
        design: &Design,
        options: &LinearOptions,
        prior: &LinearModel,
    ) -> (LinearModel, TrainReport) {
        assert_eq!(
            prior.dimension,
            design.dimension(),
            "prior and design dimensions"
        );
        train_from(design, options, Some(prior), Some(prior))
    }

    /// Trains a model on `design` starting from `start`'s weights (same
    /// dimension), with the plain L2 penalty: the same optimum as
    /// [`LinearModel::train`], reached in fewer iterations when `start` is close.
    ///
    /// # Panics
    /// When `start` has another dimension than `design`.
    pub fn train_warm(
        design: &Design,
        options: &LinearOptions,
        start: &LinearModel,
    ) -> (LinearModel, TrainReport) {
        assert_eq!(
            start.dimension,
            design.dimension(),
            "start and design dimensions"
        );
        train_from(design, options, Some(start), None)
    }
}

/// What training did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainReport {
    /// L-BFGS iterations.
    pub iterations: usize,
    /// Objective evaluations (passes over the data).
    pub evaluations: usize,
    /// Final objective value.
    pub loss: f64,
    /// Whether a stopping tolerance was met (rather than the iteration cap).
    pub converged: bool,
    /// Columns that occur in the training rows.
    pub active_columns: usize,
}

/// The design with its columns renumbered to the active ones.
struct Compact {
    design: Design,
    transposed: Transposed,
    /// Original column of each active column.
    columns: Vec<u32>,
}

fn compact(design: &Design) -> Compact {
    let mut seen = vec![u32::MAX; design.dimension()];
    let mut columns = Vec::new();
    for r in 0..design.rows() {
        for &i in design.row(r).0 {
            if seen[i as usize] == u32::MAX {
                seen[i as usize] = 0;
            }
        }
    }
    for (j, s) in seen.iter_mut().enumerate() {
        if *s == 0 {
            *s = columns.len() as u32;
            columns.push(j as u32);
        }
    }
    let rows: Vec<SparseFeatures> = (0..design.rows())
        .map(|r| {
            let (ix, vs) = design.row(r);
            SparseFeatures {
                indices: ix.iter().map(|&i| seen[i as usize]).collect(),
                values: vs.to_vec(),
            }
        })
        .collect();
    let classes: Vec<_> = (0..design.rows())
        .map(|r| {
            super::data::Class::from_index(design.class(r)).unwrap_or(super::data::Class::Neutral)
        })
        .collect();
    let weights: Vec<f64> = (0..design.rows()).map(|r| design.weight(r)).collect();
    let compacted = Design::new(columns.len(), &rows, &classes, &weights, None)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let transposed = compacted.transpose();
    Compact {
        design: compacted,
        transposed,
        columns,
    }
}

struct CrossEntropy<'a> {
    data: &'a Compact,
    l2: f64,
    /// The prior weights of the active columns (W₀), feature-major.
    prior: Option<Vec<f64>>,
    total_weight: f64,
}

impl Objective for CrossEntropy<'_> {
    fn evaluate(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let design = &self.data.design;
        let columns = design.dimension();
        let (w, b) = x.split_at(3 * columns);
        let n = design.rows();
        let mut residuals = vec![[0f64; 3]; n];
        let partials: Vec<f64> = residuals
            .par_chunks_mut(ROW_CHUNK)
            .enumerate()
            .map(|(chunk, out)| {
                let mut loss = 0.0;
                for (k, r) in out.iter_mut().enumerate() {
                    let row = chunk * ROW_CHUNK + k;
                    let (ix, vs) = design.row(row);
                    let mut z = [b[0], b[1], b[2]];
                    for (&i, &v) in ix.iter().zip(vs) {
                        let i = 3 * i as usize;
                        let v = f64::from(v);
                        z[0] += v * w[i];
                        z[1] += v * w[i + 1];
                        z[2] += v * w[i + 2];
                    }
                    let m = z[0].max(z[1]).max(z[2]);
                    let e = [(z[0] - m).exp(), (z[1] - m).exp(), (z[2] - m).exp()];
                    let sum = e[0] + e[1] + e[2];
                    let y = design.class(row);
                    let weight = design.weight(row) / self.total_weight;
                    loss += weight * (sum.ln() - (z[y] - m));
                    for c in 0..3 {
                        r[c] = weight * (e[c] / sum - if c == y { 1.0 } else { 0.0 });
                    }
                }
                loss
            })
            .collect();
        let mut value: f64 = partials.iter().sum();
        let (gw, gb) = grad.split_at_mut(3 * columns);
        let tr = &self.data.transposed;
        let prior = self.prior.as_deref();
        let penalties: Vec<f64> = gw
            .par_chunks_mut(3 * 1024)
            .enumerate()
            .map(|(block, g)| {
                let mut penalty = 0.0;
                for (k, gj) in g.chunks_mut(3).enumerate() {
                    let j = block * 1024 + k;
                    let (rows, vals) = tr.column(j);
                    let mut acc = [0f64; 3];
                    for (&r, &v) in rows.iter().zip(vals) {
                        let res = &residuals[r as usize];
                        let v = f64::from(v);
                        acc[0] += v * res[0];
                        acc[1] += v * res[1];
                        acc[2] += v * res[2];
                    }
                    for c in 0..3 {
                        let d = w[3 * j + c] - prior.map_or(0.0, |p| p[3 * j + c]);
                        gj[c] = acc[c] + self.l2 * d;
                        penalty += d * d;
                    }
                }
                penalty
            })
            .collect();
        value += 0.5 * self.l2 * penalties.iter().sum::<f64>();
        let bias_partials: Vec<[f64; 3]> = residuals
            .par_chunks(ROW_CHUNK)
            .map(|c| {
                c.iter()
                    .fold([0.0; 3], |a, r| [a[0] + r[0], a[1] + r[1], a[2] + r[2]])
            })
            .collect();
        let mut bias = [0.0; 3];
        for p in &bias_partials {
            for c in 0..3 {
                bias[c] += p[c];
            }
        }
        gb.copy_from_slice(&bias);
        value
    }
}

fn train_from(
    design: &Design,
    options: &LinearOptions,
    start: Option<&LinearModel>,
    prior: Option<&LinearModel>,
) -> (LinearModel, TrainReport) {
    let data = compact(design);
    let active = data.columns.len();
    let on_active = |p: &LinearModel| -> Vec<f64> {
        data.columns
            .iter()
            .flat_map(|&j| (0..3).map(move |c| f64::from(p.weights[3 * j as usize + c])))
            .collect()
    };
    let prior_active: Option<Vec<f64>> = prior.map(on_active);
    let mut x = vec![0.0; 3 * active + 3];
    if let Some(p) = start {
        x[..3 * active].copy_from_slice(&on_active(p));
        for c in 0..3 {
            x[3 * active + c] = f64::from(p.bias[c]);
        }
    }
    let total_weight: f64 = (0..design.rows())
        .map(|r| design.weight(r))
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let objective = CrossEntropy {
        data: &data,
        l2: options.l2,
        prior: prior_active,
        total_weight,
    };
    let report: LbfgsReport = minimize(
        &objective,
        &mut x,
        &LbfgsOptions {
            memory: 10,
            max_iterations: options.max_iterations,
            f_tolerance: options.tolerance,
            g_tolerance: 1e-9,
        },
    );
    let mut weights = match prior {
        Some(p) => p.weights.clone(),
        None => vec![0f32; 3 * design.dimension()],
    };
    for (k, &j) in data.columns.iter().enumerate() {
        for c in 0..3 {
            weights[3 * j as usize + c] = x[3 * k + c] as f32;
        }
    }
    let bias = [
        x[3 * active] as f32,
        x[3 * active + 1] as f32,
        x[3 * active + 2] as f32,
    ];
    (
        LinearModel {
            dimension: design.dimension(),
            weights,
            bias,
        },
        TrainReport {
            iterations: report.iterations,
            evaluations: report.evaluations,
            loss: report.value,
            converged: report.converged,
            active_columns: active,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::data::Class;
    use super::*;

    /// Three separable clusters on three features; the model must learn them,
    /// and give the same weights whatever the thread count.
    #[test]
    fn learns_separable_classes_deterministically() {
        let mut rows = Vec::new();
        let mut classes = Vec::new();
        for k in 0..300u32 {
            let c = (k % 3) as usize;
            rows.push(SparseFeatures {
                indices: vec![c as u32, 3 + (k % 7)],
                values: vec![1.0, 0.5],
            });
            classes.push(Class::from_index(c).unwrap());
        }
        let weights = vec![1.0; rows.len()];
        let design = Design::new(10, &rows, &classes, &weights, None).unwrap();
        let options = LinearOptions {
            l2: 1e-3,
            ..LinearOptions::default()
        };
        let (model, report) = LinearModel::train(&design, &options);
        assert!(report.converged, "{report:?}");
        for (row, class) in rows.iter().zip(&classes) {
            let z = model.logits(row);
            let best = (0..3).max_by(|&a, &b| z[a].total_cmp(&z[b])).unwrap();
            assert_eq!(best, class.index());
        }
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let (again, _) = one.install(|| LinearModel::train(&design, &options));
        assert_eq!(model, again, "same model on one thread");
    }
}
