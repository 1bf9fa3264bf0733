//! A learned sentiment model for English and French posts: three classes
//! (negative, neutral, positive) with calibrated probabilities, overall or
//! toward a brand, adaptable to a campaign's own labelled examples.
//!
//! - [`features`](FeatureExtractor): the project's social analyser turned into
//!   one sparse vector per text (hashed word unigrams and bigrams, character
//!   n-grams inside words, hashtags, emoji and emoticons, negation scope,
//!   elongations, capitals, `!`/`?` runs, `<user>`/`<url>`/`<brand>`
//!   placeholders) plus VADER's four scores and lexicon cues;
//! - two classifiers on those features: a multinomial logistic regression
//!   ([`LinearModel`], L-BFGS) and a fastText-style model ([`FastTextModel`],
//!   averaged embeddings trained by SGD). [`train`] trains both, reports both
//!   in the model card and ships the better on validation;
//! - calibration: one temperature fitted on a held-out split of the training
//!   set ([`fit_temperature`]); the card records the expected calibration
//!   error before and after;
//! - [`SentimentModel`]: features + classifier + temperature + card, read
//!   from and written to a versioned, checksummed model file
//!   ([`SentimentModel::from_bytes`], [`SentimentModel::to_bytes`]); the
//!   default English and French models are embedded
//!   ([`SentimentModel::english`], [`SentimentModel::french`]);
//! - stance toward a brand: [`SentimentModel::predict_toward`] replaces the
//!   brand's mentions by the `<brand>` placeholder the model sees, and
//!   [`SentimentModel::adapt`] fine-tunes a model on a campaign's labelled
//!   examples ([`StanceExample`]).
//!
//! Training is deterministic: a fixed seed, sums in a fixed order, the same
//! model (bit for bit) for any number of threads.
//!
//! For other heads on the same features (e.g. a transformer's embedding
//! beside them): [`FeatureExtractor::extract`] gives the sparse vector of a
//! text, [`Design::new`] accepts dense extra features per example (appended
//! after the feature dimension), and [`LinearModel::train`] trains on it.
//!
//! # Example
//! ```
//! use portevoix_text::sentiment::model::{Class, SentimentModel};
//! let model = SentimentModel::english();
//! let p = model.predict("worst customer service ever, never again");
//! assert_eq!(p.label(), Class::Negative);
//! assert!(p.compound() < -0.5);
//! ```

mod adapt;
mod calibrate;
mod card;
mod data;
mod design;
mod fasttext;
mod features;
mod file;
mod lbfgs;
mod linear;
mod metrics;
mod predictor;
mod rng;
mod train;
mod word_memo;

pub use adapt::{AdaptOptions, Adaptation, StanceExample};
pub use calibrate::{fit_temperature, softmax};
pub use card::{AdaptationCard, DataSource, ModelCard, ValidationResult};
pub use data::{
    Class, LabelledFormat, LabelledText, decode_escapes, match_key, parse_csv, parse_semeval,
    parse_tweeteval,
};
pub use design::Design;
pub use fasttext::{FastTextModel, FastTextOptions};
pub use features::{
    DENSE, DENSE_NAMES, FeatureConfig, FeatureExtractor, FeatureLanguage, SparseFeatures,
};
pub use file::{Classifier, FORMAT_VERSION, MAGIC};
pub use linear::{LinearModel, LinearOptions, TrainReport};
pub use metrics::{Scores, expected_calibration_error, score};
pub use predictor::{ENGLISH_MODEL, FRENCH_MODEL, Prediction, SentimentModel};
pub use train::{
    ClassifierChoice, TrainOptions, TrainOutcome, ValidationSet, balanced_weights, train,
};
