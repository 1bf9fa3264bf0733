//! [`SentimentModel`]: features, classifier, temperature and card together;
//! the embedded default models; predictions overall and toward a target.

use std::sync::OnceLock;

use portevoix_core::Error;
use serde::Serialize;

use super::calibrate::softmax;
use super::card::ModelCard;
use super::data::Class;
use super::features::{FeatureExtractor, FeatureLanguage, SparseFeatures};
use super::file::{Classifier, decode, encode};
use crate::sentiment::Target;

/// The three calibrated class probabilities of a text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prediction {
    /// P(negative).
    pub negative: f64,
    /// P(neutral).
    pub neutral: f64,
    /// P(positive).
    pub positive: f64,
}

impl Prediction {
    /// From probabilities in class order.
    pub fn from_probabilities(p: [f64; 3]) -> Prediction {
        Prediction {
            negative: p[0],
            neutral: p[1],
            positive: p[2],
        }
    }

    /// The probabilities in class order (negative, neutral, positive).
    pub fn probabilities(&self) -> [f64; 3] {
        [self.negative, self.neutral, self.positive]
    }

    /// The most probable class (ties go to neutral, then negative).
    pub fn label(&self) -> Class {
        if self.neutral >= self.negative && self.neutral >= self.positive {
            Class::Neutral
        } else if self.negative >= self.positive {
            Class::Negative
        } else {
            Class::Positive
        }
    }

    /// `positive − negative`, in [−1, 1]: the compound score existing signals
    /// read, as VADER's compound.
    pub fn compound(&self) -> f64 {
        self.positive - self.negative
    }

    /// Probability of the most probable class.
    pub fn confidence(&self) -> f64 {
        self.negative.max(self.neutral).max(self.positive)
    }
}

/// A trained sentiment model: the feature extractor it was trained with, its
/// classifier, its temperature and its card.
///
/// `Send + Sync`; predictions are pure functions of the text.
///
/// # Example
/// ```
/// use portevoix_text::sentiment::Target;
/// use portevoix_text::sentiment::model::{Class, SentimentModel};
/// let model = SentimentModel::english();
/// let p = model.predict("thanks so much, great crew!");
/// assert_eq!(p.label(), Class::Positive);
/// assert!((p.negative + p.neutral + p.positive - 1.0).abs() < 1e-9);
/// let united = Target::new(["@united"]);
/// let toward = model.predict_toward("@united lost my bag again", &united).unwrap();
/// assert_eq!(toward.label(), Class::Negative);
/// assert!(model.predict_toward("a quiet day", &united).is_none());
/// ```
#[derive(Debug, Clone)]
pub struct SentimentModel {
    card: ModelCard,
    extractor: FeatureExtractor,
    classifier: Classifier,
    /// The hash of the classifier's weights (the card's `weights_hash`): the
    /// key of the per-word partial dot products memoised by the extractor.
    weights_id: u64,
}

thread_local! {
    /// The feature buffer of predictions, reused so that scoring allocates little.
    static FEATURES: std::cell::RefCell<SparseFeatures> = std::cell::RefCell::new(SparseFeatures::default());
}

static ENGLISH: OnceLock<SentimentModel> = OnceLock::new();
static FRENCH: OnceLock<SentimentModel> = OnceLock::new();

/// The default English model's file, embedded (see `models/README.md`).
pub const ENGLISH_MODEL: &[u8] = include_bytes!("../../../models/sentiment-en.pvsm");
/// The default French model's file, embedded.
pub const FRENCH_MODEL: &[u8] = include_bytes!("../../../models/sentiment-fr.pvsm");

impl SentimentModel {
    /// A model from its parts; the card's `classifier`, `weights_hash` and
    /// `temperature` are set from them.
    ///
    /// # Errors
    /// When the card's feature configuration is invalid or the classifier's
    /// dimension does not match it.
    pub fn new(
        mut card: ModelCard,
        classifier: Classifier,
        temperature: f64,
    ) -> Result<SentimentModel, Error> {
        let extractor = FeatureExtractor::new(card.features.clone())
            .map_err(|e| Error::argument("features", e))?;
        if let Classifier::Linear(m) = &classifier
            && m.dimension() != card.features.dimension()
        {
            return Err(Error::argument(
                "predictor",
                format!(
                    "classifier dimension {} differs from the features' {}",
                    m.dimension(),
                    card.features.dimension()
                ),
            ));
        }
        card.classifier = classifier.name().to_string();
        let weights_id = classifier.weights_id();
        card.weights_hash = format!("{weights_id:016x}");
        card.temperature = temperature;
        Ok(SentimentModel {
            card,
            extractor,
            classifier,
            weights_id,
        })
    }

    /// The embedded English model (trained on the SemEval-2017 Task 4A pool;
    /// its card says how), built once per process.
    ///
    /// # Panics
    /// Never on a correct build: the embedded file is checked by the tests.
    pub fn english() -> &'static SentimentModel {
        ENGLISH.get_or_init(|| {
            SentimentModel::from_bytes(ENGLISH_MODEL, "embedded sentiment-en.pvsm")
                .unwrap_or_else(|e| panic!("the embedded English model is broken: {e}"))
        })
    }

    /// The embedded French model (trained on DEFT 2017), built once per process.
    ///
    /// # Panics
    /// Never on a correct build: the embedded file is checked by the tests.
    pub fn french() -> &'static SentimentModel {
        FRENCH.get_or_init(|| {
            SentimentModel::from_bytes(FRENCH_MODEL, "embedded sentiment-fr.pvsm")
                .unwrap_or_else(|e| panic!("the embedded French model is broken: {e}"))
        })
    }

    /// The embedded model of a language.
    pub fn for_language(language: FeatureLanguage) -> &'static SentimentModel {
        match language {
            FeatureLanguage::En => SentimentModel::english(),
            FeatureLanguage::Fr => SentimentModel::french(),
        }
    }

    /// Reads a model file's bytes; `source` names it in errors.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] saying `source: ` and what is wrong: not a
    /// model file, another format version, damaged (checksum), truncated, or
    /// inconsistent.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<SentimentModel, Error> {
        let (card, classifier) =
            decode(bytes).map_err(|e| Error::argument("predictor", format!("{source}: {e}")))?;
        let temperature = card.temperature;
        SentimentModel::new(card, classifier, temperature)
            .map_err(|e| Error::argument("predictor", format!("{source}: {e}")))
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&self.card, &self.classifier)
    }

    /// The model card.
    pub fn card(&self) -> &ModelCard {
        &self.card
    }

    /// A copy with another card (its `classifier`, `weights_hash` and
    /// `temperature` are kept from the model).
    pub fn with_card(&self, mut card: ModelCard) -> SentimentModel {
        card.classifier = self.card.classifier.clone();
        card.weights_hash = self.card.weights_hash.clone();
        card.temperature = self.card.temperature;
        card.features = self.card.features.clone();
        SentimentModel {
            card,
            ..self.clone()
        }
    }

    /// The feature extractor the model was trained with.
    pub fn extractor(&self) -> &FeatureExtractor {
        &self.extractor
    }

    /// The classifier.
    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    /// The language of the model's features.
    pub fn language(&self) -> FeatureLanguage {
        self.card.features.language
    }

    /// The uncalibrated logits of a feature vector.
    pub fn logits(&self, features: &SparseFeatures) -> [f64; 3] {
        self.classifier
            .logits_of(&features.indices, &features.values)
    }

    /// The calibrated prediction for a feature vector.
    pub fn predict_features(&self, features: &SparseFeatures) -> Prediction {
        Prediction::from_probabilities(softmax(self.logits(features), self.card.temperature))
    }

    /// The sentiment of a whole text.
    ///
    /// # Complexity
    /// One feature extraction (O(len(text))) and one sparse dot product.
    pub fn predict(&self, text: &str) -> Prediction {
        self.predict_masked(text, &[])
    }

    /// The sentiment of `text` where the byte ranges `brand` name the brand
    /// (they become the `<brand>` placeholder the model sees).
    pub fn predict_masked(&self, text: &str, brand: &[std::ops::Range<usize>]) -> Prediction {
        FEATURES.with(|cell| match cell.try_borrow_mut() {
            Ok(mut f) => match &self.classifier {
                // The character n-grams' part of the logits comes word by word
                // from the extractor's memo (the same logits up to rounding).
                Classifier::Linear(m) => {
                    let partial =
                        self.extractor
                            .extract_for_linear(text, brand, &mut f, m, self.weights_id);
                    let logits = m.logits_plus(&f.indices, &f.values, partial);
                    Prediction::from_probabilities(softmax(logits, self.card.temperature))
                }
                Classifier::FastText(_) => {
                    self.extractor.extract_into(text, brand, &mut f);
                    self.predict_features(&f)
                }
            },
            Err(_) => self.predict_features(&self.extractor.extract(text, brand)),
        })
    }

    /// The sentiment of a post toward `target`: the whole post, each mention
    /// of the target replaced by the `<brand>` placeholder; `None` when the
    /// post does not mention it.
    ///
    /// The whole post rather than the sentences that name the brand: on the
    /// airline tweets, addressed to the airline, every sentence is about it
    /// (docs/sentiment-evaluation.md), and the placeholder tells the model
    /// where the brand stands ("thanks @BRAND" and "thanks for nothing
    /// @BRAND" differ).
    pub fn predict_toward(&self, text: &str, target: &Target) -> Option<Prediction> {
        let mentions = target.mentions(text);
        if mentions.is_empty() {
            return None;
        }
        Some(self.predict_masked(text, &mentions))
    }
}
