//! The stance head: multinomial logistic regression over a dense block (a sentence vector) and a
//! sparse block (bag-of-features), trained with L-BFGS, deterministically.

use super::EncoderError;
use super::design::Design;
use argmin::core::{CostFunction, Executor, Gradient, State, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The classes a head predicts, in the order of its outputs.
pub const CLASSES: [&str; 3] = ["negative", "neutral", "positive"];

/// The format name written in every head file.
const FORMAT: &str = "portevoix-stance-head";

/// The version of the head file format this build writes. Version 2 added `linear_model` (a head
/// whose sparse block is a linear sentiment model's log-probabilities); version 1 files (no such
/// block) are still read.
const VERSION: u32 = 2;

/// The oldest head file format version this build reads.
const OLDEST_VERSION: u32 = 1;

/// Width of the sparse block of a head that reads a linear model's judgement: its three calibrated
/// class log-probabilities (negative, neutral, positive at indices 0, 1, 2).
pub const LINEAR_FEATURES: usize = 3;

/// The default English head: all-MiniLM-L6-v2 embeddings of the normalised tweet
/// ([`super::encoder_text`]) and the embedded English linear model's log-probabilities into three
/// classes, trained on the SemEval-2017 Task 4A pool without the TweetEval validation tweets
/// (`examples/encoder_head.rs` writes it; its card says how).
pub const DEFAULT_HEAD_JSON: &str = include_str!("../../models/encoder-head-en.json");

/// One training example: a dense block, a sparse block and a class (index into [`CLASSES`]).
#[derive(Debug, Clone, Copy)]
pub struct HeadExample<'a> {
    /// The dense features (the sentence vector), `dense_dimension` long.
    pub dense: &'a [f32],
    /// The sparse features as (index, value), indices below `sparse_dimension`; repeated indices add.
    pub sparse: &'a [(u32, f32)],
    /// 0 negative, 1 neutral, 2 positive.
    pub label: usize,
}

/// How the training loss weighs the classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeighting {
    /// Every example weighs 1.
    Uniform,
    /// An example of class c weighs n / (3 · n_c), so that each class weighs the same in total
    /// (scikit-learn's `class_weight="balanced"`); suits macro-averaged recall.
    Balanced,
}

/// Training options of a [`StanceHead`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HeadOptions {
    /// L2 penalty on the dense weights (after standardisation), per unit of mean example weight.
    pub dense_l2: f64,
    /// L2 penalty on the sparse weights.
    pub sparse_l2: f64,
    /// Class weights of the loss.
    pub class_weighting: ClassWeighting,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
    /// Stop when the gradient's norm falls below this.
    pub gradient_tolerance: f64,
}

impl Default for HeadOptions {
    fn default() -> Self {
        HeadOptions {
            dense_l2: 1e-3,
            sparse_l2: 1e-4,
            class_weighting: ClassWeighting::Balanced,
            max_iterations: 500,
            gradient_tolerance: 1e-6,
        }
    }
}

/// What training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// Examples trained on.
    pub examples: usize,
    /// L-BFGS iterations run.
    pub iterations: u64,
    /// The final objective (weighted mean cross-entropy plus penalties).
    pub objective: f64,
    /// Why the optimiser stopped.
    pub termination: String,
}

/// A head's output for one text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeadPrediction {
    /// The probabilities of negative, neutral and positive (they sum to 1).
    pub probabilities: [f64; 3],
    /// The most probable class (index into [`CLASSES`]; ties go to the lower index).
    pub label: usize,
    /// Positive minus negative probability, in [−1, 1].
    pub compound: f64,
}

impl HeadPrediction {
    /// The name of the predicted class.
    pub fn label_name(&self) -> &'static str {
        CLASSES[self.label]
    }
}

/// A multinomial logistic regression from `[dense | sparse]` features to negative, neutral and
/// positive.
///
/// The dense block (the sentence vector) is standardised with the training mean and standard
/// deviation of each coordinate; the sparse block (counts or weights of the linear model's
/// features, added at merge time) is used as is. The weights minimise the class-weighted mean
/// cross-entropy plus `dense_l2/2 · ‖W_dense‖² + sparse_l2/2 · ‖W_sparse‖²` (the biases are not
/// penalised), found by L-BFGS (memory 10, Moré–Thuente line search, from `argmin`).
///
/// Training is deterministic: the loss and gradient are sums over fixed blocks of examples (and, for
/// sparse weights, over each feature's examples in order), added in a fixed order, so the same
/// examples and options give the same weights, bit for bit, whatever the number of threads.
///
/// Reference: D. C. Liu and J. Nocedal, *On the limited memory BFGS method for large scale
/// optimization*, Mathematical Programming 45, 1989.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StanceHead {
    format: String,
    version: u32,
    classes: Vec<String>,
    dense_dimension: usize,
    sparse_dimension: usize,
    dense_mean: Vec<f64>,
    dense_scale: Vec<f64>,
    /// Per class, `dense_dimension + sparse_dimension` weights.
    weights: Vec<Vec<f64>>,
    bias: Vec<f64>,
    options: HeadOptions,
    /// When set, the sparse block is the [`LINEAR_FEATURES`] calibrated class log-probabilities of
    /// the linear sentiment model with this weights hash (`ModelCard::weights_hash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    linear_model: Option<String>,
    /// Free-form model card: data, licence, date, command, validation metrics.
    card: BTreeMap<String, String>,
}

impl StanceHead {
    /// Trains a head on `examples`.
    ///
    /// # Arguments
    /// - `examples`: dense blocks of `dense_dimension` values, sparse indices below `sparse_dimension`,
    ///   labels 0..3;
    /// - `options`: penalties, class weights and optimiser limits.
    ///
    /// # Returns
    /// The head and a [`TrainReport`].
    ///
    /// # Complexity
    /// O(iterations · (n · dense_dimension + sparse entries) · 3) time; the examples are copied
    /// once, standardised, into n · dense_dimension `f32`s, the sparse block twice (by row and by
    /// feature).
    ///
    /// # Errors
    /// [`EncoderError::Inference`] when there is no example, a dense block has the wrong length, a
    /// sparse index or a label is out of range, a value is not finite, or a penalty is negative.
    ///
    /// # Example
    /// ```
    /// use portevoix_text::encoder::{HeadExample, HeadOptions, StanceHead};
    /// let dense = [[1.0f32, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.9, 0.1], [0.1, 0.9], [-0.9, 0.0]];
    /// let examples: Vec<HeadExample> = dense.iter().zip([2, 1, 0, 2, 1, 0])
    ///     .map(|(d, label)| HeadExample { dense: d, sparse: &[], label })
    ///     .collect();
    /// let (head, _) = StanceHead::train(&examples, 2, 0, &HeadOptions::default())?;
    /// assert_eq!(head.predict(&[1.0, 0.0], &[])?.label_name(), "positive");
    /// # Ok::<(), portevoix_text::encoder::EncoderError>(())
    /// ```
    pub fn train(
        examples: &[HeadExample<'_>],
        dense_dimension: usize,
        sparse_dimension: usize,
        options: &HeadOptions,
    ) -> Result<(StanceHead, TrainReport), EncoderError> {
        if !(options.dense_l2 >= 0.0 && options.sparse_l2 >= 0.0) {
            return Err(EncoderError::Inference(
                "L2 penalties must be at least 0".into(),
            ));
        }
        let design = Design::new(examples, dense_dimension, sparse_dimension, options)?;
        let problem = Problem {
            design: &design,
            cache: Mutex::new(None),
        };
        let initial = vec![0.0; design.parameters()];
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(options.gradient_tolerance)
            .and_then(|s| s.with_tolerance_cost(1e-12))
            .map_err(|e| EncoderError::Inference(format!("optimiser: {e}")))?;
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(initial).max_iters(options.max_iterations))
            .timer(false)
            .ctrlc(false)
            .run()
            .map_err(|e| EncoderError::Inference(format!("optimiser: {e}")))?;
        let state = result.state();
        let parameters = state
            .get_best_param()
            .ok_or_else(|| EncoderError::Inference("optimiser returned no parameters".into()))?;
        let report = TrainReport {
            examples: examples.len(),
            iterations: state.get_iter(),
            objective: state.get_best_cost(),
            termination: match state.get_termination_status() {
                TerminationStatus::Terminated(reason) => reason.text().to_string(),
                TerminationStatus::NotTerminated => "not terminated".to_string(),
            },
        };
        let (weights, bias) = design.unpack(parameters);
        let head = StanceHead {
            format: FORMAT.to_string(),
            version: VERSION,
            classes: CLASSES.iter().map(|c| c.to_string()).collect(),
            dense_dimension,
            sparse_dimension,
            dense_mean: design.mean.clone(),
            dense_scale: design.scale.clone(),
            weights,
            bias,
            options: *options,
            linear_model: None,
            card: BTreeMap::new(),
        };
        Ok((head, report))
    }

    /// The probabilities of one text from its dense and sparse features.
    ///
    /// # Errors
    /// [`EncoderError::Inference`] when the dense block's length differs from the head's, or a sparse
    /// index is out of range.
    pub fn predict(
        &self,
        dense: &[f32],
        sparse: &[(u32, f32)],
    ) -> Result<HeadPrediction, EncoderError> {
        if dense.len() != self.dense_dimension {
            return Err(EncoderError::Inference(format!(
                "the head reads {} dense features, {} given",
                self.dense_dimension,
                dense.len()
            )));
        }
        let mut scores = [0f64; 3];
        for (c, score) in scores.iter_mut().enumerate() {
            let w = &self.weights[c];
            let mut s = self.bias[c];
            for (j, &x) in dense.iter().enumerate() {
                s += w[j] * ((f64::from(x) - self.dense_mean[j]) / self.dense_scale[j]);
            }
            for &(index, value) in sparse {
                let index = index as usize;
                if index >= self.sparse_dimension {
                    return Err(EncoderError::Inference(format!(
                        "sparse feature {index} out of range (the head has {})",
                        self.sparse_dimension
                    )));
                }
                s += w[self.dense_dimension + index] * f64::from(value);
            }
            *score = s;
        }
        let probabilities = softmax3(scores);
        let mut label = 0;
        for c in 1..3 {
            if probabilities[c] > probabilities[label] {
                label = c;
            }
        }
        Ok(HeadPrediction {
            probabilities,
            label,
            compound: probabilities[2] - probabilities[0],
        })
    }

    /// Length of the dense block the head reads.
    pub fn dense_dimension(&self) -> usize {
        self.dense_dimension
    }

    /// Length of the sparse block the head reads (0 for a head on the sentence vector alone).
    pub fn sparse_dimension(&self) -> usize {
        self.sparse_dimension
    }

    /// The options the head was trained with.
    pub fn options(&self) -> &HeadOptions {
        &self.options
    }

    /// The weights hash of the linear sentiment model whose calibrated log-probabilities form the
    /// sparse block, if the head reads one (see [`super::EncoderStance`]).
    pub fn linear_model(&self) -> Option<&str> {
        self.linear_model.as_deref()
    }

    /// Declares that the sparse block holds the [`LINEAR_FEATURES`] log-probabilities of the linear
    /// model whose weights hash is `weights_hash`.
    ///
    /// # Errors
    /// [`EncoderError::Inference`] when the head's sparse block is not [`LINEAR_FEATURES`] wide.
    pub fn set_linear_model(
        &mut self,
        weights_hash: impl Into<String>,
    ) -> Result<(), EncoderError> {
        if self.sparse_dimension != LINEAR_FEATURES {
            return Err(EncoderError::Inference(format!(
                "a head on a linear model's log-probabilities has a sparse block of {LINEAR_FEATURES}, not {}",
                self.sparse_dimension
            )));
        }
        self.linear_model = Some(weights_hash.into());
        Ok(())
    }

    /// The model card (data, licence, date, command, validation metrics).
    pub fn card(&self) -> &BTreeMap<String, String> {
        &self.card
    }

    /// Sets an entry of the model card.
    pub fn set_card(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.card.insert(key.into(), value.into());
    }

    /// The head as JSON (the versioned head file format; floats in shortest round-trip form, read
    /// back to within one unit in the last place).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a head serialises")
    }

    /// Reads a head file written by [`StanceHead::to_json`]; `source` names it in errors.
    ///
    /// # Errors
    /// [`EncoderError::Model`] for text that is not a head file, another format version, or
    /// inconsistent dimensions or values.
    pub fn from_json(text: &str, source: &str) -> Result<StanceHead, EncoderError> {
        let head: StanceHead = serde_json::from_str(text)
            .map_err(|e| EncoderError::model(source, format!("not a stance head file: {e}")))?;
        head.validate()
            .map_err(|reason| EncoderError::model(source, reason))?;
        Ok(head)
    }

    /// The default English head ([`DEFAULT_HEAD_JSON`]).
    pub fn default_english() -> StanceHead {
        StanceHead::from_json(DEFAULT_HEAD_JSON, "encoder-head-en.json")
            .expect("the embedded head is valid (tested)")
    }

    fn validate(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("format is {:?}, expected {FORMAT:?}", self.format));
        }
        if !(OLDEST_VERSION..=VERSION).contains(&self.version) {
            return Err(format!(
                "format version {} is not supported by this build (it reads versions {OLDEST_VERSION} to {VERSION})",
                self.version
            ));
        }
        if self.linear_model.is_some() && self.sparse_dimension != LINEAR_FEATURES {
            return Err(format!(
                "a head on a linear model's log-probabilities needs a sparse block of {LINEAR_FEATURES}, not {}",
                self.sparse_dimension
            ));
        }
        if self.classes != CLASSES {
            return Err(format!(
                "classes are {:?}, expected {CLASSES:?}",
                self.classes
            ));
        }
        let width = self.dense_dimension + self.sparse_dimension;
        let rows_ok = self.weights.len() == 3 && self.weights.iter().all(|w| w.len() == width);
        if !rows_ok || self.bias.len() != 3 {
            return Err(format!("weights must be 3 rows of {width} and 3 biases"));
        }
        if self.dense_mean.len() != self.dense_dimension
            || self.dense_scale.len() != self.dense_dimension
        {
            return Err(format!(
                "dense mean and scale must have {} values",
                self.dense_dimension
            ));
        }
        let finite = self
            .weights
            .iter()
            .flatten()
            .chain(&self.bias)
            .chain(&self.dense_mean);
        if !finite.into_iter().all(|v| v.is_finite())
            || !self.dense_scale.iter().all(|s| s.is_finite() && *s > 0.0)
        {
            return Err(
                "weights, biases, means and scales must be finite (scales positive)".into(),
            );
        }
        Ok(())
    }
}

/// Softmax of three scores, shifted by their maximum.
pub(super) fn softmax3(scores: [f64; 3]) -> [f64; 3] {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = scores.map(|s| (s - max).exp());
    let total: f64 = e.iter().sum();
    e.map(|v| v / total)
}

/// A point with its objective and gradient.
type Evaluation = (Vec<f64>, f64, Vec<f64>);

/// The training objective for argmin, evaluating loss and gradient together once per point.
struct Problem<'a> {
    design: &'a Design,
    cache: Mutex<Option<Evaluation>>,
}

impl Problem<'_> {
    fn evaluate(&self, parameters: &[f64]) -> (f64, Vec<f64>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((p, loss, gradient)) = cache.as_ref() {
            if p.as_slice() == parameters {
                return (*loss, gradient.clone());
            }
        }
        let (loss, gradient) = self.design.loss_and_gradient(parameters);
        *cache = Some((parameters.to_vec(), loss, gradient.clone()));
        (loss, gradient)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, parameters: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(self.evaluate(parameters).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, parameters: &Self::Param) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.evaluate(parameters).1)
    }
}
