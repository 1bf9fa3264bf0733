//! Adapting a model to a campaign's own labelled examples.
//!
//! The base model's logistic regression is fine-tuned on the examples with
//! an L2 pull toward its own weights (Chelba & Acero, EMNLP 2004): with few
//! examples it stays the base model, with many it learns the campaign's
//! vocabulary, its `<brand>` contexts ("thanks for nothing <brand>") and its
//! class balance (the intercepts are free). The pull λ is chosen by k-fold
//! cross-validation on the examples themselves (macro-F1 of the held-out
//! folds), and the temperature is refitted on the out-of-fold logits, so
//! the adapted model is calibrated on the campaign's data. Nothing needs the
//! base training data, so a campaign can adapt the embedded model at run time.

use std::ops::Range;

use portevoix_core::Error;
use rayon::prelude::*;

use super::calibrate::{fit_temperature, softmax};
use super::card::AdaptationCard;
use super::data::Class;
use super::design::Design;
use super::features::SparseFeatures;
use super::file::Classifier;
use super::linear::{LinearModel, LinearOptions};
use super::metrics::{Scores, score};
use super::predictor::{Prediction, SentimentModel};
use super::rng::SplitMix64;
use super::train::decide;

/// A campaign's labelled example: a post, its stance toward the brand, and
/// where the post names the brand (byte ranges, e.g. from
/// [`Target::mentions`](crate::sentiment::Target::mentions); may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceExample {
    /// The post.
    pub text: String,
    /// Its stance toward the brand.
    pub class: Class,
    /// Byte ranges of the brand's mentions in `text`.
    pub brand: Vec<Range<usize>>,
}

/// Options of [`SentimentModel::adapt`].
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptOptions {
    /// Candidate pulls toward the base weights (λ); the best by cross-validation is used.
    pub l2_grid: Vec<f64>,
    /// Folds of the inner cross-validation (2 or more; fewer examples than
    /// folds means the first λ of the grid, untested).
    pub folds: usize,
    /// Seed of the folds.
    pub seed: u64,
}

impl Default for AdaptOptions {
    fn default() -> AdaptOptions {
        AdaptOptions {
            l2_grid: vec![3e-4, 1e-3, 3e-3, 1e-2],
            folds: 3,
            seed: 20_150_224,
        }
    }
}

/// The result of [`SentimentModel::adapt_out_of_fold`].
#[derive(Debug, Clone)]
pub struct Adaptation {
    /// The adapted model.
    pub model: SentimentModel,
    /// Each example's calibrated probabilities, predicted by the model
    /// adapted on the other folds of the inner cross-validation (same order
    /// as the examples; empty without cross-validation).
    pub out_of_fold: Vec<Prediction>,
}

/// Interleaved folds after a seeded shuffle: `folds` lists of row indices.
pub(crate) fn fold_rows(n: usize, folds: usize, seed: u64) -> Vec<Vec<usize>> {
    let order = SplitMix64::new(seed).permutation(n);
    (0..folds)
        .map(|k| {
            let mut v: Vec<usize> = order
                .iter()
                .enumerate()
                .filter(|(p, _)| p % folds == k)
                .map(|(_, &i)| i)
                .collect();
            v.sort_unstable();
            v
        })
        .collect()
}

impl SentimentModel {
    /// The model adapted to `examples` (see the [module](self) docs).
    ///
    /// # Arguments
    /// - `examples`: the campaign's labelled posts;
    /// - `options`: the λ grid and the inner cross-validation.
    ///
    /// # Returns
    /// A new model whose card records the base model, the number of
    /// examples, the chosen λ and the cross-validated scores.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when there is no example, or the model's
    /// classifier is not a logistic regression.
    ///
    /// # Complexity
    /// (folds × grid + 1) trainings on the examples, each O(iterations × nnz).
    pub fn adapt(
        &self,
        examples: &[StanceExample],
        options: &AdaptOptions,
    ) -> Result<SentimentModel, Error> {
        Ok(self.adapt_out_of_fold(examples, options)?.model)
    }

    /// [`SentimentModel::adapt`], also returning each example's calibrated
    /// probabilities from the inner cross-validation: every example
    /// predicted by the model adapted (with the chosen λ) on the other
    /// folds, at the adapted model's temperature. A caller re-chooses its
    /// decision thresholds on them (e.g. the detractor threshold of a
    /// campaign, so that its precision stays that of the base model)
    /// without ever scoring a text the predicting model learned from.
    ///
    /// # Returns
    /// The adaptation; its `out_of_fold` is empty when there are fewer
    /// examples than folds (no cross-validation).
    ///
    /// # Errors
    /// As [`SentimentModel::adapt`].
    ///
    /// # Complexity
    /// As [`SentimentModel::adapt`].
    pub fn adapt_out_of_fold(
        &self,
        examples: &[StanceExample],
        options: &AdaptOptions,
    ) -> Result<Adaptation, Error> {
        let Classifier::Linear(base) = self.classifier() else {
            return Err(Error::argument(
                "adaptation",
                "adaptation needs a logistic-regression model",
            ));
        };
        if examples.is_empty() || options.l2_grid.is_empty() {
            return Err(Error::argument(
                "adaptation",
                "adaptation needs examples and at least one λ",
            ));
        }
        let rows: Vec<SparseFeatures> = examples
            .par_iter()
            .map(|e| self.extractor().extract(&e.text, &e.brand))
            .collect();
        let classes: Vec<Class> = examples.iter().map(|e| e.class).collect();
        let design = Design::new(
            base.dimension(),
            &rows,
            &classes,
            &vec![1.0; rows.len()],
            None,
        )
        .map_err(|e| Error::argument("adaptation", e))?;
        let gold: Vec<usize> = classes.iter().map(|c| c.index()).collect();
        let (l2, temperature, cv, out_of_fold) =
            if options.folds >= 2 && examples.len() >= options.folds {
                let folds = fold_rows(examples.len(), options.folds, options.seed);
                let mut best: Option<(f64, f64, Vec<[f64; 3]>)> = None;
                for &l2 in &options.l2_grid {
                    let logits = out_of_fold_logits(&design, base, &folds, l2);
                    let (predicted, _) = decide(&logits, 1.0);
                    let f1 = score(&predicted, &gold, None).macro_f1;
                    if best.as_ref().is_none_or(|b| f1 > b.0) {
                        best = Some((f1, l2, logits));
                    }
                }
                let (_, l2, logits) = best.unwrap_or_else(|| unreachable!("the grid is not empty"));
                let t = fit_temperature(&logits, &gold);
                let (predicted, confidence) = decide(&logits, t);
                let out_of_fold = logits
                    .iter()
                    .map(|z| Prediction::from_probabilities(softmax(*z, t)))
                    .collect();
                (
                    l2,
                    t,
                    Some(score(&predicted, &gold, Some(&confidence))),
                    out_of_fold,
                )
            } else {
                (
                    options.l2_grid[0],
                    self.card().temperature,
                    None,
                    Vec::new(),
                )
            };
        let (adapted, _) = LinearModel::train_toward(&design, &linear_options(l2), base);
        let mut card = self.card().clone();
        card.adaptation = Some(AdaptationCard {
            base: self.card().weights_hash.clone(),
            examples: examples.len(),
            l2,
            cross_validation: cv,
        });
        card.name = format!("{} (adapted)", card.name);
        Ok(Adaptation {
            model: SentimentModel::new(card, Classifier::Linear(adapted), temperature)?,
            out_of_fold,
        })
    }

    /// Cross-validated scores of adapting this model to `examples`: each of
    /// `folds` folds is predicted by the model adapted (with `options`,
    /// its own inner cross-validation included) on the other folds, and by
    /// the base model, for comparison. Never scores a text the predicting
    /// model was adapted on.
    ///
    /// # Returns
    /// (base model's scores, adapted models' scores), over all examples.
    ///
    /// # Errors
    /// As [`SentimentModel::adapt`].
    pub fn cross_validate_adaptation(
        &self,
        examples: &[StanceExample],
        folds: usize,
        seed: u64,
        options: &AdaptOptions,
    ) -> Result<(Scores, Scores), Error> {
        let parts = fold_rows(examples.len(), folds.max(2), seed);
        let gold: Vec<usize> = examples.iter().map(|e| e.class.index()).collect();
        let mut base = vec![(0usize, 0f64); examples.len()];
        let mut adapted = vec![(0usize, 0f64); examples.len()];
        for test in &parts {
            let train: Vec<StanceExample> = (0..examples.len())
                .filter(|i| test.binary_search(i).is_err())
                .map(|i| examples[i].clone())
                .collect();
            let model = self.adapt(&train, options)?;
            for &i in test {
                let e = &examples[i];
                let p = self.predict_masked(&e.text, &e.brand);
                base[i] = (p.label().index(), p.confidence());
                let q = model.predict_masked(&e.text, &e.brand);
                adapted[i] = (q.label().index(), q.confidence());
            }
        }
        let scored = |v: &[(usize, f64)]| {
            let (p, c): (Vec<usize>, Vec<f64>) = v.iter().copied().unzip();
            score(&p, &gold, Some(&c))
        };
        Ok((scored(&base), scored(&adapted)))
    }
}

fn linear_options(l2: f64) -> LinearOptions {
    LinearOptions {
        l2,
        ..LinearOptions::default()
    }
}

/// Logits of every row, each predicted by the base adapted on the other folds.
fn out_of_fold_logits(
    design: &Design,
    base: &LinearModel,
    folds: &[Vec<usize>],
    l2: f64,
) -> Vec<[f64; 3]> {
    let mut logits = vec![[0f64; 3]; design.rows()];
    for test in folds {
        let train: Vec<usize> = (0..design.rows())
            .filter(|i| test.binary_search(i).is_err())
            .collect();
        let (m, _) = LinearModel::train_toward(&design.subset(&train), &linear_options(l2), base);
        for &i in test {
            let (ix, vs) = design.row(i);
            logits[i] = m.logits_of(ix, vs);
        }
    }
    logits
}
