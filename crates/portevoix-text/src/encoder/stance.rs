//! The encoder engine: a sentence encoder and a stance head, with the linear sentiment model's
//! judgement as extra features when the head reads them.

use super::head::LINEAR_FEATURES;
use super::{EncoderError, EncoderFiles, SentenceEncoder, StanceHead, normalize_tweet};
use crate::sentiment::model::{Prediction, SentimentModel};
use std::ops::Range;

/// What the encoder reads of a post: the brand's mentions (byte ranges of `text`) replaced by
/// `@user`, then [`normalize_tweet`] (`@handle` → `@user`, links → `http`).
///
/// The head was trained on SemEval tweets normalised this way, where a brand named by its handle
/// already reads `@user`; a brand named by its name ("United Airlines") reads the same, so that the
/// encoder judges what is said to or about the brand rather than its name.
///
/// # Example
/// ```
/// use portevoix_text::encoder::encoder_text;
/// let text = "United Airlines lost my bag, thanks @united https://t.co/x";
/// assert_eq!(encoder_text(text, &[0..15, 36..43]), "@user lost my bag, thanks @user http");
/// ```
pub fn encoder_text(text: &str, brand: &[Range<usize>]) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut at = 0;
    for r in brand {
        if r.start < at || r.end > text.len() || r.start > r.end {
            continue;
        }
        let (Some(before), Some(_)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        masked.push_str(before);
        masked.push_str("@user");
        at = r.end;
    }
    masked.push_str(&text[at..]);
    normalize_tweet(&masked)
}

/// The linear model's judgement as a head's sparse block: its three calibrated class
/// log-probabilities (negative, neutral, positive at indices 0, 1, 2), each at least ln 1e-30.
pub fn linear_features(p: &Prediction) -> [(u32, f32); LINEAR_FEATURES] {
    let lp = p.probabilities().map(|q| q.max(1e-30).ln() as f32);
    [(0, lp[0]), (1, lp[1]), (2, lp[2])]
}

/// The encoder engine for stance: all-MiniLM-L6-v2 vectors of [`encoder_text`] and, when the head
/// reads them ([`StanceHead::linear_model`]), the embedded English linear model's log-probabilities
/// of the text with the brand as its `<brand>` placeholder, into a [`StanceHead`].
///
/// Predictions are [`Prediction`]s, as the linear model's, so callers treat both engines alike. The
/// same texts give the same predictions for any number of threads (the encoder's batches depend on
/// the texts only).
///
/// # Example
/// ```no_run
/// use portevoix_text::encoder::{EncoderError, EncoderFiles, EncoderStance};
/// let dir = std::path::Path::new("models/minilm"); // scripts/fetch-encoder.sh models/minilm
/// let files = EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
///     Ok(bytes) => Ok(Some(bytes)),
///     Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
///     Err(e) => Err(EncoderError::model(name, e.to_string())),
/// })?;
/// let engine = EncoderStance::english(files)?;
/// let p = engine.predict_toward(&[("@united lost my bag again", &[0..7][..])])?;
/// assert!(p[0].negative > 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct EncoderStance {
    encoder: SentenceEncoder,
    head: StanceHead,
    linear: Option<&'static SentimentModel>,
}

impl EncoderStance {
    /// An engine from an encoder and a head.
    ///
    /// # Errors
    /// [`EncoderError::Model`] when the head reads another vector width than the encoder writes, or
    /// reads the log-probabilities of a linear model other than the embedded English one.
    pub fn new(encoder: SentenceEncoder, head: StanceHead) -> Result<EncoderStance, EncoderError> {
        if head.dense_dimension() != encoder.dimension() {
            return Err(EncoderError::model(
                "stance head",
                format!(
                    "it reads vectors of {} values, the encoder writes {}",
                    head.dense_dimension(),
                    encoder.dimension()
                ),
            ));
        }
        let linear = match head.linear_model() {
            None => None,
            Some(hash) => {
                let english = SentimentModel::english();
                if english.card().weights_hash != hash {
                    return Err(EncoderError::model(
                        "stance head",
                        format!(
                            "it was trained on the log-probabilities of the linear model {hash}, but the embedded English model is {} (retrain the head: examples/encoder_head.rs)",
                            english.card().weights_hash
                        ),
                    ));
                }
                Some(english)
            }
        };
        Ok(EncoderStance {
            encoder,
            head,
            linear,
        })
    }

    /// The encoder of `files` with the default English head ([`StanceHead::default_english`]).
    ///
    /// # Errors
    /// [`SentenceEncoder::new`]'s errors, and [`EncoderStance::new`]'s.
    pub fn english(files: EncoderFiles) -> Result<EncoderStance, EncoderError> {
        EncoderStance::new(SentenceEncoder::new(files)?, StanceHead::default_english())
    }

    /// The head.
    pub fn head(&self) -> &StanceHead {
        &self.head
    }

    /// The sentence encoder.
    pub fn encoder(&self) -> &SentenceEncoder {
        &self.encoder
    }

    /// The stance of each text (no brand named).
    ///
    /// # Errors
    /// As [`EncoderStance::predict_toward`].
    pub fn predict<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Prediction>, EncoderError> {
        let items: Vec<(&str, &[Range<usize>])> =
            texts.iter().map(|t| (t.as_ref(), &[][..])).collect();
        self.predict_toward(&items)
    }

    /// The stance of each `(text, brand mentions)` toward the brand: one encoder pass over all the
    /// texts (batched), then the head.
    ///
    /// # Complexity
    /// One forward pass of the encoder per text (O(L² · H + L · H²) for L tokens), one linear model
    /// prediction per text when the head reads it, O(3 · 387) for the head.
    ///
    /// # Errors
    /// [`EncoderError::Inference`] if the encoder fails (it does not on any UTF-8 text).
    pub fn predict_toward(
        &self,
        items: &[(&str, &[Range<usize>])],
    ) -> Result<Vec<Prediction>, EncoderError> {
        let texts: Vec<String> = items.iter().map(|(t, b)| encoder_text(t, b)).collect();
        let vectors = self.encoder.embed(&texts)?;
        items
            .iter()
            .enumerate()
            .map(|(i, (text, brand))| {
                let sparse = self
                    .linear
                    .map(|m| linear_features(&m.predict_masked(text, brand)));
                let p = self
                    .head
                    .predict(vectors.row(i), sparse.as_ref().map_or(&[][..], |s| &s[..]))?;
                Ok(Prediction::from_probabilities(p.probabilities))
            })
            .collect()
    }
}

impl std::fmt::Debug for EncoderStance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncoderStance")
            .field("dimension", &self.encoder.dimension())
            .field("linear_model", &self.head.linear_model())
            .finish()
    }
}
