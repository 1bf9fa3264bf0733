//! The training data of a stance head laid out for fast, deterministic loss and gradient sums.

use super::EncoderError;
use super::head::{ClassWeighting, HeadExample, HeadOptions, softmax3};
use rayon::prelude::*;

/// Examples per block of the loss and gradient sums: blocks are summed in parallel, then added in
/// block order, so the result does not depend on the number of threads.
const BLOCK: usize = 1024;

/// Standardised dense features, sparse features by row and by column, labels and example weights.
pub(super) struct Design {
    n: usize,
    dense_dimension: usize,
    sparse_dimension: usize,
    /// n × dense_dimension, standardised, row-major.
    dense: Vec<f32>,
    /// Sparse rows: `row_start[i]..row_start[i + 1]` into `row_entries`.
    row_start: Vec<usize>,
    row_entries: Vec<(u32, f32)>,
    /// Sparse columns: `column_start[j]..column_start[j + 1]` into `column_entries` (example, value),
    /// examples in increasing order.
    column_start: Vec<usize>,
    column_entries: Vec<(u32, f32)>,
    labels: Vec<u8>,
    /// Example weights divided by their sum.
    weights: Vec<f64>,
    dense_l2: f64,
    sparse_l2: f64,
    pub(super) mean: Vec<f64>,
    pub(super) scale: Vec<f64>,
}

impl Design {
    pub(super) fn new(
        examples: &[HeadExample<'_>],
        dense_dimension: usize,
        sparse_dimension: usize,
        options: &HeadOptions,
    ) -> Result<Design, EncoderError> {
        validate(examples, dense_dimension, sparse_dimension)?;
        let (mean, scale) = standardisation(examples, dense_dimension);
        let mut dense = Vec::with_capacity(examples.len() * dense_dimension);
        for e in examples {
            dense.extend(
                e.dense
                    .iter()
                    .enumerate()
                    .map(|(j, &x)| ((f64::from(x) - mean[j]) / scale[j]) as f32),
            );
        }
        let mut row_start = Vec::with_capacity(examples.len() + 1);
        let mut row_entries = Vec::new();
        row_start.push(0);
        for e in examples {
            row_entries.extend_from_slice(e.sparse);
            row_start.push(row_entries.len());
        }
        let (column_start, column_entries) = transpose(examples, sparse_dimension);
        let labels: Vec<u8> = examples.iter().map(|e| e.label as u8).collect();
        let weights = example_weights(&labels, options.class_weighting);
        Ok(Design {
            n: examples.len(),
            dense_dimension,
            sparse_dimension,
            dense,
            row_start,
            row_entries,
            column_start,
            column_entries,
            labels,
            weights,
            dense_l2: options.dense_l2,
            sparse_l2: options.sparse_l2,
            mean,
            scale,
        })
    }

    fn width(&self) -> usize {
        self.dense_dimension + self.sparse_dimension
    }

    /// Number of parameters: 3 rows of weights, then 3 biases.
    pub(super) fn parameters(&self) -> usize {
        3 * self.width() + 3
    }

    /// Per-class weight rows and biases of a parameter vector.
    pub(super) fn unpack(&self, parameters: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>) {
        let width = self.width();
        let rows = (0..3)
            .map(|c| parameters[c * width..(c + 1) * width].to_vec())
            .collect();
        (rows, parameters[3 * width..].to_vec())
    }

    /// The objective and its gradient at `parameters`.
    pub(super) fn loss_and_gradient(&self, parameters: &[f64]) -> (f64, Vec<f64>) {
        let width = self.width();
        let d = self.dense_dimension;
        let blocks: Vec<BlockSums> = (0..self.n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| self.block_sums(parameters, b * BLOCK..((b + 1) * BLOCK).min(self.n)))
            .collect();
        let mut gradient = vec![0.0; self.parameters()];
        let mut loss = 0.0;
        let mut residuals = Vec::with_capacity(self.n * 3);
        for block in &blocks {
            loss += block.loss;
            for c in 0..3 {
                let row = &mut gradient[c * width..c * width + d];
                row.iter_mut()
                    .zip(&block.dense_gradient[c * d..(c + 1) * d])
                    .for_each(|(g, b)| *g += b);
                gradient[3 * width + c] += block.bias_gradient[c];
            }
            residuals.extend_from_slice(&block.residuals);
        }
        if self.sparse_dimension > 0 {
            let sparse: Vec<[f64; 3]> = (0..self.sparse_dimension)
                .into_par_iter()
                .map(|j| {
                    let mut g = [0.0; 3];
                    for &(i, v) in
                        &self.column_entries[self.column_start[j]..self.column_start[j + 1]]
                    {
                        let r = &residuals[i as usize * 3..i as usize * 3 + 3];
                        (0..3).for_each(|c| g[c] += r[c] * f64::from(v));
                    }
                    g
                })
                .collect();
            for (j, g) in sparse.iter().enumerate() {
                (0..3).for_each(|c| gradient[c * width + d + j] += g[c]);
            }
        }
        for c in 0..3 {
            for j in 0..width {
                let l2 = if j < d { self.dense_l2 } else { self.sparse_l2 };
                let w = parameters[c * width + j];
                loss += 0.5 * l2 * w * w;
                gradient[c * width + j] += l2 * w;
            }
        }
        (loss, gradient)
    }

    /// Loss, dense and bias gradients and weighted residuals (p − y) of the examples in `range`.
    fn block_sums(&self, parameters: &[f64], range: std::ops::Range<usize>) -> BlockSums {
        let width = self.width();
        let d = self.dense_dimension;
        let mut sums = BlockSums {
            loss: 0.0,
            dense_gradient: vec![0.0; 3 * d],
            bias_gradient: [0.0; 3],
            residuals: Vec::with_capacity(range.len() * 3),
        };
        for i in range {
            let x = &self.dense[i * d..(i + 1) * d];
            let mut scores = [0.0; 3];
            for (c, score) in scores.iter_mut().enumerate() {
                let w = &parameters[c * width..(c + 1) * width];
                let mut s = parameters[3 * width + c];
                s += x
                    .iter()
                    .zip(&w[..d])
                    .map(|(&x, w)| f64::from(x) * w)
                    .sum::<f64>();
                for &(j, v) in &self.row_entries[self.row_start[i]..self.row_start[i + 1]] {
                    s += w[d + j as usize] * f64::from(v);
                }
                *score = s;
            }
            let p = softmax3(scores);
            let label = usize::from(self.labels[i]);
            let weight = self.weights[i];
            sums.loss -= weight * p[label].max(f64::MIN_POSITIVE).ln();
            for (c, &pc) in p.iter().enumerate() {
                let r = weight * (pc - if c == label { 1.0 } else { 0.0 });
                sums.residuals.push(r);
                sums.bias_gradient[c] += r;
                let g = &mut sums.dense_gradient[c * d..(c + 1) * d];
                g.iter_mut()
                    .zip(x)
                    .for_each(|(g, &x)| *g += r * f64::from(x));
            }
        }
        sums
    }
}

struct BlockSums {
    loss: f64,
    dense_gradient: Vec<f64>,
    bias_gradient: [f64; 3],
    residuals: Vec<f64>,
}

fn validate(
    examples: &[HeadExample<'_>],
    dense_dimension: usize,
    sparse_dimension: usize,
) -> Result<(), EncoderError> {
    let fail =
        |i: usize, what: String| Err(EncoderError::Inference(format!("example {i}: {what}")));
    if examples.is_empty() {
        return Err(EncoderError::Inference("no training example".into()));
    }
    if sparse_dimension > u32::MAX as usize || examples.len() > u32::MAX as usize {
        return Err(EncoderError::Inference(
            "too many features or examples".into(),
        ));
    }
    for (i, e) in examples.iter().enumerate() {
        if e.dense.len() != dense_dimension {
            return fail(
                i,
                format!(
                    "{} dense features, expected {dense_dimension}",
                    e.dense.len()
                ),
            );
        }
        if e.label >= 3 {
            return fail(i, format!("label {} is not 0, 1 or 2", e.label));
        }
        if !e.dense.iter().all(|x| x.is_finite()) {
            return fail(i, "a dense feature is not finite".into());
        }
        for &(j, v) in e.sparse {
            if j as usize >= sparse_dimension || !v.is_finite() {
                return fail(
                    i,
                    format!("sparse feature ({j}, {v}) out of range or not finite"),
                );
            }
        }
    }
    Ok(())
}

/// Mean and standard deviation of each dense coordinate (a constant coordinate gets scale 1).
fn standardisation(examples: &[HeadExample<'_>], d: usize) -> (Vec<f64>, Vec<f64>) {
    let n = examples.len() as f64;
    let mut mean = vec![0.0; d];
    for e in examples {
        mean.iter_mut()
            .zip(e.dense)
            .for_each(|(m, &x)| *m += f64::from(x));
    }
    mean.iter_mut().for_each(|m| *m /= n);
    let mut variance = vec![0.0; d];
    for e in examples {
        for ((v, &x), m) in variance.iter_mut().zip(e.dense).zip(&mean) {
            *v += (f64::from(x) - m).powi(2);
        }
    }
    let scale = variance
        .iter()
        .map(|v| (v / n).sqrt())
        .map(|s| if s > 1e-12 { s } else { 1.0 })
        .collect();
    (mean, scale)
}

/// The sparse block by column: for each feature, its (example, value) entries in example order.
fn transpose(
    examples: &[HeadExample<'_>],
    sparse_dimension: usize,
) -> (Vec<usize>, Vec<(u32, f32)>) {
    let mut counts = vec![0usize; sparse_dimension + 1];
    for e in examples {
        e.sparse
            .iter()
            .for_each(|&(j, _)| counts[j as usize + 1] += 1);
    }
    for j in 0..sparse_dimension {
        counts[j + 1] += counts[j];
    }
    let start = counts.clone();
    let mut next = counts;
    let mut entries = vec![(0u32, 0f32); *start.last().unwrap_or(&0)];
    for (i, e) in examples.iter().enumerate() {
        for &(j, v) in e.sparse {
            entries[next[j as usize]] = (i as u32, v);
            next[j as usize] += 1;
        }
    }
    (start, entries)
}

/// Each example's weight under `weighting`, divided by their sum.
fn example_weights(labels: &[u8], weighting: ClassWeighting) -> Vec<f64> {
    let mut counts = [0usize; 3];
    labels.iter().for_each(|&l| counts[usize::from(l)] += 1);
    let n = labels.len() as f64;
    let raw: Vec<f64> = labels
        .iter()
        .map(|&l| match weighting {
            ClassWeighting::Uniform => 1.0,
            ClassWeighting::Balanced => n / (3.0 * counts[usize::from(l)] as f64),
        })
        .collect();
    let total: f64 = raw.iter().sum();
    raw.into_iter().map(|w| w / total).collect()
}
