//! Training a [`SentimentModel`] from labelled texts: features, class
//! weights, both classifiers, temperature scaling, validation, the card.

use std::collections::HashSet;
use std::time::Instant;

use portevoix_core::Error;
use rayon::prelude::*;

use super::calibrate::{fit_temperature, softmax};
use super::card::{DataSource, ModelCard, ValidationResult};
use super::data::{Class, LabelledText, match_key};
use super::design::Design;
use super::fasttext::{FastTextModel, FastTextOptions};
use super::features::{FeatureConfig, FeatureExtractor, FeatureLanguage, SparseFeatures};
use super::file::Classifier;
use super::linear::{LinearModel, LinearOptions};
use super::metrics::{Scores, expected_calibration_error, score};
use super::predictor::SentimentModel;
use super::rng::SplitMix64;

/// Which classifiers to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassifierChoice {
    /// Logistic regression only.
    Linear,
    /// fastText-style only.
    FastText,
    /// Both; ship the one with the better macro-averaged recall on the first
    /// validation set (on the calibration split when no validation set is given).
    Best,
}

/// Everything [`train`] needs besides the data.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// How texts become features.
    pub features: FeatureConfig,
    /// Logistic regression hyperparameters.
    pub linear: LinearOptions,
    /// fastText hyperparameters.
    pub fasttext: FastTextOptions,
    /// Which classifiers to train.
    pub classifiers: ClassifierChoice,
    /// Weight classes inversely to their frequency (macro-averaged metrics
    /// weigh every class alike, and the airline tweets are 63% negative
    /// where SemEval is 15%).
    pub balanced: bool,
    /// Share of the training set split off (seeded) to fit the temperature;
    /// the shipped model is then trained on everything, warm-started. 0 for
    /// no temperature scaling.
    pub calibration_share: f64,
    /// Drop training texts that also occur in a validation set ([`match_key`]).
    pub hold_out_validation: bool,
    /// Seed of the calibration split (and fastText's order).
    pub seed: u64,
    /// Card: the model's name.
    pub name: String,
    /// Card: the data's licence.
    pub licence: String,
    /// Card: the date (ISO 8601 day; the caller's clock, or `SOURCE_DATE_EPOCH`).
    pub date: String,
    /// Card: the command line.
    pub command: String,
    /// Card: the input files.
    pub data: Vec<DataSource>,
}

impl TrainOptions {
    /// Defaults for a feature configuration. The L2 penalty was chosen by
    /// cross-validation on the training sets only (docs/sentiment-evaluation.md):
    /// 3-fold on the English SemEval pool (macro-recall 0.6816 at 3e-5, 0.6779 at
    /// 1e-4, 0.6642 at 3e-4), 5-fold on DEFT 2017's training split (0.6614 at
    /// 1e-4, 0.6591 at 3e-4, 0.6596 at 1e-3).
    pub fn new(features: FeatureConfig) -> TrainOptions {
        let l2 = match features.language {
            FeatureLanguage::En => 3e-5,
            FeatureLanguage::Fr => 1e-4,
        };
        TrainOptions {
            features,
            linear: LinearOptions {
                l2,
                ..LinearOptions::default()
            },
            fasttext: FastTextOptions::default(),
            classifiers: ClassifierChoice::Best,
            balanced: true,
            calibration_share: 0.1,
            hold_out_validation: true,
            seed: 20_170_804,
            name: String::new(),
            licence: String::new(),
            date: String::new(),
            command: String::new(),
            data: Vec::new(),
        }
    }
}

/// A validation set: a name and its labelled texts (with brand ranges, if any).
#[derive(Debug, Clone)]
pub struct ValidationSet {
    /// Its name in the card.
    pub name: String,
    /// The texts.
    pub texts: Vec<LabelledText>,
}

/// What [`train`] returns.
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    /// The shipped model.
    pub model: SentimentModel,
    /// Wall-clock seconds of each classifier's training (features excluded).
    pub seconds: Vec<(String, f64)>,
    /// Wall-clock seconds of feature extraction.
    pub feature_seconds: f64,
}

/// Class weights inversely proportional to frequency (mean weight 1).
pub fn balanced_weights(classes: &[Class]) -> Vec<f64> {
    let mut counts = [0usize; 3];
    for c in classes {
        counts[c.index()] += 1;
    }
    let present = counts.iter().filter(|&&c| c > 0).count().max(1) as f64;
    classes
        .iter()
        .map(|c| classes.len() as f64 / (present * counts[c.index()] as f64))
        .collect()
}

/// The most probable class of each logit row, and its probability at temperature `t`.
pub(crate) fn decide(logits: &[[f64; 3]], t: f64) -> (Vec<usize>, Vec<f64>) {
    logits
        .iter()
        .map(|z| {
            let p = softmax(*z, t);
            let c = super::predictor::Prediction::from_probabilities(p)
                .label()
                .index();
            (c, p[c])
        })
        .unzip()
}

/// Trains a sentiment model (see [`TrainOptions`]): features of every text,
/// the chosen classifiers, a temperature from the calibration split, scores
/// on each validation set, and a card.
///
/// # Arguments
/// - `examples`: the training texts;
/// - `validation`: validation sets, never trained on (their texts are held
///   out of `examples` when `hold_out_validation`);
/// - `options`: see [`TrainOptions`].
///
/// # Errors
/// [`Error::InvalidArgument`] when no example is left, a class is missing,
/// or the options are out of range.
///
/// # Complexity
/// Feature extraction O(total text length), then per classifier about two
/// trainings (the split model, and the full model warm-started).
pub fn train(
    examples: &[LabelledText],
    validation: &[ValidationSet],
    options: &TrainOptions,
) -> Result<TrainOutcome, Error> {
    let extractor = FeatureExtractor::new(options.features.clone())
        .map_err(|e| Error::argument("features", e))?;
    if !(0.0..0.5).contains(&options.calibration_share) {
        return Err(Error::argument(
            "train",
            format!(
                "calibration share {} not in [0, 0.5)",
                options.calibration_share
            ),
        ));
    }
    let held: HashSet<String> = if options.hold_out_validation {
        validation
            .iter()
            .flat_map(|v| v.texts.iter().map(|t| match_key(&t.text)))
            .collect()
    } else {
        HashSet::new()
    };
    let kept: Vec<&LabelledText> = examples
        .iter()
        .filter(|t| held.is_empty() || !held.contains(&match_key(&t.text)))
        .collect();
    let held_out = examples.len() - kept.len();
    let classes: Vec<Class> = kept.iter().map(|t| t.class).collect();
    for c in Class::ALL {
        if !classes.contains(&c) {
            return Err(Error::argument(
                "train",
                format!(
                    "no {} example among the {} training texts",
                    c.name(),
                    classes.len()
                ),
            ));
        }
    }
    let start = Instant::now();
    let rows: Vec<SparseFeatures> = kept
        .par_iter()
        .with_min_len(64)
        .map(|t| extractor.extract(&t.text, &[]))
        .collect();
    let feature_seconds = start.elapsed().as_secs_f64();
    let weights = if options.balanced {
        balanced_weights(&classes)
    } else {
        vec![1.0; classes.len()]
    };
    let design = Design::new(
        options.features.dimension(),
        &rows,
        &classes,
        &weights,
        None,
    )
    .map_err(|e| Error::argument("features", e))?;
    let validation_rows: Vec<(String, Vec<SparseFeatures>, Vec<usize>)> = validation
        .iter()
        .map(|v| {
            let rows = v
                .texts
                .par_iter()
                .map(|t| extractor.extract(&t.text, &[]))
                .collect();
            (
                v.name.clone(),
                rows,
                v.texts.iter().map(|t| t.class.index()).collect(),
            )
        })
        .collect();
    // The calibration split: a seeded permutation, the last share of it.
    let n = design.rows();
    let order = SplitMix64::new(options.seed).permutation(n);
    let calibration_len = (n as f64 * options.calibration_share).round() as usize;
    let (fit_rows, calibration_rows) = order.split_at(n - calibration_len);
    let mut fit_sorted = fit_rows.to_vec();
    fit_sorted.sort_unstable();
    let mut calibration_sorted = calibration_rows.to_vec();
    calibration_sorted.sort_unstable();
    let candidates: Vec<&str> = match options.classifiers {
        ClassifierChoice::Linear => vec!["logistic-regression"],
        ClassifierChoice::FastText => vec!["fasttext"],
        ClassifierChoice::Best => vec!["logistic-regression", "fasttext"],
    };
    let mut trained = Vec::new();
    let mut seconds = Vec::new();
    let mut results = Vec::new();
    for name in candidates {
        let start = Instant::now();
        let (classifier, temperature, ece, split_scores) =
            train_one(name, &design, &fit_sorted, &calibration_sorted, options);
        seconds.push((name.to_string(), start.elapsed().as_secs_f64()));
        let mut scores = Vec::new();
        for (set, rows, gold) in &validation_rows {
            let logits: Vec<[f64; 3]> = rows
                .par_iter()
                .map(|r| classifier.logits_of(&r.indices, &r.values))
                .collect();
            let (predicted, confidence) = decide(&logits, temperature);
            let s = score(&predicted, gold, Some(&confidence));
            results.push(ValidationResult {
                classifier: name.to_string(),
                data: set.clone(),
                scores: s,
            });
            scores.push(s);
        }
        let key = scores
            .first()
            .or(split_scores.as_ref())
            .map_or(0.0, |s| s.macro_recall);
        trained.push((key, classifier, temperature, ece));
    }
    // The better candidate; on a tie the first (logistic regression).
    let best = (0..trained.len())
        .max_by(|&a, &b| trained[a].0.total_cmp(&trained[b].0).then(b.cmp(&a)))
        .unwrap_or(0);
    let (_, classifier, temperature, ece) = trained.swap_remove(best);
    let card = ModelCard {
        name: options.name.clone(),
        classifier: String::new(),
        features: options.features.clone(),
        data: options.data.clone(),
        held_out,
        training_examples: n,
        licence: options.licence.clone(),
        date: options.date.clone(),
        command: options.command.clone(),
        hyperparameters: hyperparameters(options),
        temperature,
        calibration_ece: ece,
        validation: results,
        adaptation: None,
        weights_hash: String::new(),
    };
    let model = SentimentModel::new(card, classifier, temperature)?;
    Ok(TrainOutcome {
        model,
        seconds,
        feature_seconds,
    })
}

type Trained = (Classifier, f64, Option<(f64, f64)>, Option<Scores>);

/// One classifier: trained on the fit split, temperature fitted on the
/// calibration split, then trained on everything (warm-started for the
/// logistic regression).
fn train_one(
    name: &str,
    design: &Design,
    fit: &[usize],
    calibration: &[usize],
    options: &TrainOptions,
) -> Trained {
    let hashed = options.features.buckets();
    let fit_one = |d: &Design, warm: Option<&LinearModel>| -> Classifier {
        if name == "fasttext" {
            Classifier::FastText(FastTextModel::train(d, hashed, &options.fasttext))
        } else {
            let (m, _) = match warm {
                Some(w) => LinearModel::train_warm(d, &options.linear, w),
                None => LinearModel::train(d, &options.linear),
            };
            Classifier::Linear(m)
        }
    };
    if calibration.is_empty() {
        return (fit_one(design, None), 1.0, None, None);
    }
    let split = fit_one(&design.subset(fit), None);
    let logits: Vec<[f64; 3]> = calibration
        .iter()
        .map(|&i| {
            let (ix, vs) = design.row(i);
            split.logits_of(ix, vs)
        })
        .collect();
    let gold: Vec<usize> = calibration.iter().map(|&i| design.class(i)).collect();
    let temperature = fit_temperature(&logits, &gold);
    let (p1, c1) = decide(&logits, 1.0);
    let (pt, ct) = decide(&logits, temperature);
    let before = expected_calibration_error(&p1, &gold, &c1, 15);
    let after = expected_calibration_error(&pt, &gold, &ct, 15);
    let split_scores = score(&pt, &gold, Some(&ct));
    let warm = match &split {
        Classifier::Linear(m) => Some(m),
        Classifier::FastText(_) => None,
    };
    let full = fit_one(design, warm);
    (full, temperature, Some((before, after)), Some(split_scores))
}

fn hyperparameters(o: &TrainOptions) -> Vec<String> {
    vec![
        format!("linear.l2 = {}", o.linear.l2),
        format!("linear.max_iterations = {}", o.linear.max_iterations),
        format!("linear.tolerance = {}", o.linear.tolerance),
        format!("fasttext.rows = {}", o.fasttext.rows),
        format!("fasttext.dim = {}", o.fasttext.dim),
        format!("fasttext.epochs = {}", o.fasttext.epochs),
        format!("fasttext.learning_rate = {}", o.fasttext.learning_rate),
        format!("balanced = {}", o.balanced),
        format!("calibration_share = {}", o.calibration_share),
        format!("seed = {}", o.seed),
    ]
}
