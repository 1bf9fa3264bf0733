//! The model card every model file carries (Mitchell et al., *Model Cards
//! for Model Reporting*, FAT* 2019): what the model was trained on, under
//! which licence, when, by which command, and how well it did on data it
//! never saw.

use serde::{Deserialize, Serialize};

use super::features::FeatureConfig;
use super::metrics::Scores;

/// A model's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// A short name, e.g. `porte-voix sentiment en`.
    pub name: String,
    /// Which classifier the file holds: `logistic-regression` or `fasttext`.
    pub classifier: String,
    /// The feature configuration (the file cannot be used without it).
    pub features: FeatureConfig,
    /// Training data: one entry per input file.
    pub data: Vec<DataSource>,
    /// Training examples held out because they occur in the validation data.
    pub held_out: usize,
    /// Examples the model was trained on.
    pub training_examples: usize,
    /// The licence of the training data (and so of the model).
    pub licence: String,
    /// Date of training (ISO 8601 day).
    pub date: String,
    /// The command that trained it (reproduces the weights exactly).
    pub command: String,
    /// Hyperparameters, as `name = value` text.
    pub hyperparameters: Vec<String>,
    /// Temperature the logits are divided by (1 = none).
    pub temperature: f64,
    /// Expected calibration error on the calibration split, before and
    /// after temperature scaling.
    pub calibration_ece: Option<(f64, f64)>,
    /// Scores on validation data, per candidate classifier trained
    /// (`logistic-regression`, `fasttext`): the shipped one is `classifier`.
    pub validation: Vec<ValidationResult>,
    /// For an adapted model: how it was adapted.
    pub adaptation: Option<AdaptationCard>,
    /// xxh3-64 of the weights, hexadecimal: equal weights, equal hash.
    pub weights_hash: String,
}

/// One training file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSource {
    /// Path or name as given.
    pub name: String,
    /// Examples read from it.
    pub rows: usize,
}

/// Scores of one classifier on one validation set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationResult {
    /// `logistic-regression` or `fasttext`.
    pub classifier: String,
    /// The validation set's name.
    pub data: String,
    /// The scores.
    pub scores: Scores,
}

/// How a model was adapted to a campaign's own examples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptationCard {
    /// The base model's weights hash.
    pub base: String,
    /// Number of examples.
    pub examples: usize,
    /// The L2 pull toward the base weights that was chosen.
    pub l2: f64,
    /// Cross-validated scores of the adapted model on the examples (each
    /// fold predicted by a model adapted on the other folds).
    pub cross_validation: Option<Scores>,
}
