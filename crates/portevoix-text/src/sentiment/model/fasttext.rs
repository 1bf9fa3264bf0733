//! A fastText-style classifier (Joulin, Grave, Bojanowski & Mikolov, *Bag of
//! Tricks for Efficient Text Classification*, EACL 2017), trained from
//! scratch: the hashed word, bigram and character n-grams of a text are
//! looked up in an embedding table and averaged, the dense cues are
//! appended, and a linear layer gives the three logits.
//!
//! Trained by plain SGD with a linearly decaying learning rate, as fastText
//! does, on one thread in a seeded order: the same model for any number of
//! threads. The embedding table starts at zero and the output layer at small
//! seeded values, so buckets no training text touches stay exactly zero (no
//! noise from unseen n-grams, and they are not stored).

use super::design::Design;
use super::features::SparseFeatures;
use super::rng::SplitMix64;

/// A trained fastText-style model.
#[derive(Debug, Clone, PartialEq)]
pub struct FastTextModel {
    /// Embedding rows; a feature index `i` below `hashed` uses row `i mod rows`.
    pub(crate) rows: usize,
    /// Indices below this are hashed n-grams; from it on, dense inputs.
    pub(crate) hashed: usize,
    /// Number of dense inputs (indices `hashed .. hashed + dense`).
    pub(crate) dense: usize,
    /// Embedding size.
    pub(crate) dim: usize,
    /// `rows × dim`, row-major.
    pub(crate) embeddings: Vec<f32>,
    /// `3 × (dim + dense)`, class-major.
    pub(crate) output: Vec<f32>,
    /// Intercepts.
    pub(crate) bias: [f32; 3],
}

/// Options of [`FastTextModel::train`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FastTextOptions {
    /// Embedding rows (a power of two, at most the hashed space).
    pub rows: usize,
    /// Embedding size.
    pub dim: usize,
    /// Passes over the data.
    pub epochs: usize,
    /// Initial learning rate (decays linearly to 0).
    pub learning_rate: f64,
    /// Seed of the example order and the output layer's initial values.
    pub seed: u64,
}

impl Default for FastTextOptions {
    fn default() -> FastTextOptions {
        FastTextOptions {
            rows: 1 << 18,
            dim: 16,
            epochs: 8,
            learning_rate: 0.2,
            seed: 20_170_804,
        }
    }
}

impl FastTextModel {
    /// The hidden vector: the mean of the embeddings of the hashed entries
    /// (each signed), then the dense inputs. Returns the number of hashed entries.
    fn hidden(&self, indices: &[u32], values: &[f32], hidden: &mut [f32]) -> usize {
        hidden.iter_mut().for_each(|h| *h = 0.0);
        let mut n = 0usize;
        let (emb, dense) = hidden.split_at_mut(self.dim);
        for (&i, &v) in indices.iter().zip(values) {
            let i = i as usize;
            if i < self.hashed {
                let r = i & (self.rows - 1);
                let sign = if v < 0.0 { -1.0 } else { 1.0 };
                let row = &self.embeddings[r * self.dim..(r + 1) * self.dim];
                for (h, e) in emb.iter_mut().zip(row) {
                    *h += sign * e;
                }
                n += 1;
            } else if i - self.hashed < self.dense {
                dense[i - self.hashed] += v;
            }
        }
        if n > 0 {
            let inv = 1.0 / n as f32;
            emb.iter_mut().for_each(|h| *h *= inv);
        }
        n
    }

    fn logits_of_hidden(&self, hidden: &[f32]) -> [f64; 3] {
        let width = self.dim + self.dense;
        let mut z = [0f64; 3];
        for (c, zc) in z.iter_mut().enumerate() {
            let w = &self.output[c * width..(c + 1) * width];
            *zc = f64::from(w.iter().zip(hidden).map(|(a, b)| a * b).sum::<f32>() + self.bias[c]);
        }
        z
    }

    /// The three logits of a feature vector.
    pub fn logits(&self, features: &SparseFeatures) -> [f64; 3] {
        self.logits_of(&features.indices, &features.values)
    }

    pub(crate) fn logits_of(&self, indices: &[u32], values: &[f32]) -> [f64; 3] {
        let mut hidden = vec![0f32; self.dim + self.dense];
        self.hidden(indices, values, &mut hidden);
        self.logits_of_hidden(&hidden)
    }

    /// Trains a model on `design`, whose columns below `hashed` are hashed
    /// n-grams and the rest dense inputs.
    ///
    /// # Arguments
    /// - `design`: the examples (their weights scale each SGD step);
    /// - `hashed`: the size of the hashed space of the features;
    /// - `options`: sizes, epochs, learning rate, seed.
    ///
    /// # Complexity
    /// O(epochs × nnz × dim), on one thread.
    ///
    /// # Panics
    /// When `options.rows` is not a power of two.
    pub fn train(design: &Design, hashed: usize, options: &FastTextOptions) -> FastTextModel {
        assert!(
            options.rows.is_power_of_two(),
            "rows must be a power of two"
        );
        let dense = design.dimension().saturating_sub(hashed);
        let dim = options.dim;
        let width = dim + dense;
        let mut rng = SplitMix64::new(options.seed);
        let scale = 1.0 / (dim as f64).sqrt();
        let output: Vec<f32> = (0..3 * width)
            .map(|_| ((rng.next_f64() * 2.0 - 1.0) * scale) as f32)
            .collect();
        let mut model = FastTextModel {
            rows: options.rows.min(hashed.next_power_of_two()),
            hashed,
            dense,
            dim,
            embeddings: vec![0f32; options.rows.min(hashed.next_power_of_two()) * dim],
            output,
            bias: [0.0; 3],
        };
        let n = design.rows();
        let mean_weight = (0..n).map(|r| design.weight(r)).sum::<f64>() / n.max(1) as f64;
        let total_steps = (options.epochs * n).max(1) as f64;
        let mut step = 0usize;
        let mut order: Vec<usize> = (0..n).collect();
        let mut hidden = vec![0f32; width];
        let mut grad_hidden = vec![0f32; dim];
        for _ in 0..options.epochs {
            for i in (1..n).rev() {
                order.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
            }
            for &r in &order {
                let lr = (options.learning_rate * (1.0 - step as f64 / total_steps)) as f32;
                step += 1;
                let (ix, vs) = design.row(r);
                let count = model.hidden(ix, vs, &mut hidden);
                let z = model.logits_of_hidden(&hidden);
                let m = z[0].max(z[1]).max(z[2]);
                let e = [(z[0] - m).exp(), (z[1] - m).exp(), (z[2] - m).exp()];
                let sum = e[0] + e[1] + e[2];
                let y = design.class(r);
                let w = design.weight(r) / mean_weight;
                let g: [f32; 3] = std::array::from_fn(|c| {
                    (w * (e[c] / sum - f64::from(u8::from(c == y)))) as f32
                });
                grad_hidden.iter_mut().for_each(|v| *v = 0.0);
                for (c, &gc) in g.iter().enumerate() {
                    let row = &mut model.output[c * width..(c + 1) * width];
                    for (k, gh) in grad_hidden.iter_mut().enumerate() {
                        *gh += gc * row[k];
                    }
                    for (o, h) in row.iter_mut().zip(&hidden) {
                        *o -= lr * gc * h;
                    }
                    model.bias[c] -= lr * gc;
                }
                if count > 0 {
                    let inv = lr / count as f32;
                    for (&i, &v) in ix.iter().zip(vs) {
                        let i = i as usize;
                        if i < hashed {
                            let row = i & (model.rows - 1);
                            let sign = if v < 0.0 { -inv } else { inv };
                            let e = &mut model.embeddings[row * dim..(row + 1) * dim];
                            for (ev, gh) in e.iter_mut().zip(&grad_hidden) {
                                *ev -= sign * gh;
                            }
                        }
                    }
                }
            }
        }
        model
    }
}
