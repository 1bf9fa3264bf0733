//! The design matrix of a training set: sparse rows (CSR), their classes and
//! weights, and its transpose (CSC) for the gradient.

use super::data::Class;
use super::features::SparseFeatures;

/// Training examples as a sparse matrix: one row per example, `dimension`
/// columns, a class and a weight per row.
///
/// Rows keep their entries in extraction order; repeated indices add up.
#[derive(Debug, Clone)]
pub struct Design {
    dimension: usize,
    offsets: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
    classes: Vec<u8>,
    weights: Vec<f64>,
}

impl Design {
    /// A design from feature rows, classes and weights, with optional dense
    /// extra features per row (appended at indices `dimension ..
    /// dimension + extra width`; every row must have the same width).
    ///
    /// # Errors
    /// A message when the lengths differ, an index is out of range, a weight
    /// is negative or not finite, or extra rows differ in width.
    pub fn new(
        dimension: usize,
        rows: &[SparseFeatures],
        classes: &[Class],
        weights: &[f64],
        extra: Option<&[Vec<f32>]>,
    ) -> Result<Design, String> {
        if rows.len() != classes.len() || rows.len() != weights.len() {
            return Err(format!(
                "{} rows, {} classes, {} weights",
                rows.len(),
                classes.len(),
                weights.len()
            ));
        }
        let width = match extra {
            Some(e) if e.len() != rows.len() => {
                return Err(format!("{} extra rows for {} rows", e.len(), rows.len()));
            }
            Some(e) => e.first().map_or(0, Vec::len),
            None => 0,
        };
        if let Some(e) = extra
            && let Some(k) = e.iter().position(|r| r.len() != width)
        {
            return Err(format!(
                "extra row {k} has {} values, row 0 has {width}",
                e[k].len()
            ));
        }
        if let Some(k) = weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
            return Err(format!(
                "weight {} of row {k} is not a finite non-negative number",
                weights[k]
            ));
        }
        let total = dimension + width;
        let nnz: usize = rows.iter().map(SparseFeatures::len).sum::<usize>() + rows.len() * width;
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        let mut indices = Vec::with_capacity(nnz);
        let mut values = Vec::with_capacity(nnz);
        offsets.push(0);
        for (k, row) in rows.iter().enumerate() {
            if let Some(&bad) = row.indices.iter().find(|&&i| i as usize >= dimension) {
                return Err(format!("row {k}: index {bad} ≥ dimension {dimension}"));
            }
            indices.extend_from_slice(&row.indices);
            values.extend_from_slice(&row.values);
            if let Some(e) = extra {
                for (j, &v) in e[k].iter().enumerate() {
                    if v != 0.0 {
                        indices.push((dimension + j) as u32);
                        values.push(v);
                    }
                }
            }
            offsets.push(indices.len());
        }
        Ok(Design {
            dimension: total,
            offsets,
            indices,
            values,
            classes: classes.iter().map(|c| c.index() as u8).collect(),
            weights: weights.to_vec(),
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.classes.len()
    }

    /// Number of columns (features, extras included).
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The entries of row `i`.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.offsets[i], self.offsets[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// The class index (0, 1, 2) of row `i`.
    pub fn class(&self, i: usize) -> usize {
        self.classes[i] as usize
    }

    /// The weight of row `i`.
    pub fn weight(&self, i: usize) -> f64 {
        self.weights[i]
    }

    /// The rows `keep`, in that order (for cross-validation folds).
    pub fn subset(&self, keep: &[usize]) -> Design {
        let mut offsets = Vec::with_capacity(keep.len() + 1);
        let mut indices = Vec::new();
        let mut values = Vec::new();
        offsets.push(0);
        for &i in keep {
            let (ix, vs) = self.row(i);
            indices.extend_from_slice(ix);
            values.extend_from_slice(vs);
            offsets.push(indices.len());
        }
        Design {
            dimension: self.dimension,
            offsets,
            indices,
            values,
            classes: keep.iter().map(|&i| self.classes[i]).collect(),
            weights: keep.iter().map(|&i| self.weights[i]).collect(),
        }
    }

    /// A copy with other weights.
    ///
    /// # Panics
    /// When `weights` does not have one weight per row.
    pub fn with_weights(&self, weights: Vec<f64>) -> Design {
        assert_eq!(weights.len(), self.rows());
        Design {
            weights,
            ..self.clone()
        }
    }

    /// The transpose: for each column, its (row, value) entries in row order.
    /// A counting sort, O(nnz + dimension), deterministic.
    pub(crate) fn transpose(&self) -> Transposed {
        let mut counts = vec![0usize; self.dimension + 1];
        for &i in &self.indices {
            counts[i as usize + 1] += 1;
        }
        for k in 1..counts.len() {
            counts[k] += counts[k - 1];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut rows = vec![0u32; self.indices.len()];
        let mut values = vec![0f32; self.indices.len()];
        for r in 0..self.rows() {
            for k in self.offsets[r]..self.offsets[r + 1] {
                let c = self.indices[k] as usize;
                rows[next[c]] = r as u32;
                values[next[c]] = self.values[k];
                next[c] += 1;
            }
        }
        Transposed {
            offsets,
            rows,
            values,
        }
    }
}

/// The transpose of a [`Design`] (CSC).
pub(crate) struct Transposed {
    pub offsets: Vec<usize>,
    pub rows: Vec<u32>,
    pub values: Vec<f32>,
}

impl Transposed {
    /// The entries of column `j`.
    pub fn column(&self, j: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.offsets[j], self.offsets[j + 1]);
        (&self.rows[a..b], &self.values[a..b])
    }
}
