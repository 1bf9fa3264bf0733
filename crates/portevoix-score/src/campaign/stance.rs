//! How a campaign judges the stance of a post toward its brand: the engine
//! ([`StanceEngine`]: the learned model by default, VADER as the reference,
//! the sentence encoder with the cargo feature `encoder`) and the campaign's
//! own labelled examples (`[brand] stance_examples`), which adapt the model
//! to the campaign's domain ([`Campaign::adapt_stance`]).
//!
//! The examples file is a CSV with a header; its text column (`text`, or
//! `stance_text_column`) holds a post, its label column (`label`, or
//! `stance_label_column`) the post's stance toward the brand: `negative`,
//! `neutral` or `positive` (also `0`, `1`, `2`, and the French names). The
//! brand's mentions in each example (every alias of the brand) become the
//! `<brand>` placeholder the model sees, as in the posts scored. The
//! adaptation is [`SentimentModel::adapt`]: fine-tuning toward the base
//! weights with the pull chosen by an inner 3-fold cross-validation on the
//! examples, the temperature refitted on their out-of-fold logits. Its gain
//! is measured by cross-validation (`SentimentModel::cross_validate_adaptation`;
//! on the airline tweets 0.699 → 0.825 accuracy, docs/sentiment-evaluation.md),
//! never on the examples themselves.

use super::{Campaign, ClassifyOptions};
use portevoix_core::Error;
use portevoix_text::analysis::Language;
use portevoix_text::sentiment::Target;
use portevoix_text::sentiment::model::{
    AdaptOptions, AdaptationCard, Class, FeatureLanguage, Prediction, SentimentModel,
    StanceExample, parse_csv,
};
use serde::{Deserialize, Serialize};
#[cfg(feature = "encoder")]
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;

/// How the stance of a brand mention is judged (TOML `[brand] stance_engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StanceEngine {
    /// The learned model ([`SentimentModel::english`], [`SentimentModel::french`],
    /// or the campaign's adaptation): calibrated probabilities of the three
    /// classes, the brand's mentions as the `<brand>` placeholder (default).
    #[default]
    Model,
    /// VADER (Hutto & Gilbert 2014), the reference lexicon: its compound,
    /// brand masked, with its customary classes (±0.05).
    Vader,
    /// The sentence encoder (all-MiniLM-L6-v2) and its stance head over the
    /// learned model's log-probabilities (`portevoix_text::encoder::EncoderStance`;
    /// cargo feature `encoder`, model directory `[brand] encoder`): English
    /// posts; French posts keep the learned model.
    Encoder,
}

impl StanceEngine {
    /// The TOML name (`model`, `vader`, `encoder`).
    pub fn name(self) -> &'static str {
        match self {
            StanceEngine::Model => "model",
            StanceEngine::Vader => "vader",
            StanceEngine::Encoder => "encoder",
        }
    }
}

/// The sentence encoder of a campaign (`[brand] encoder = "DIR"`), set by
/// `Campaign::set_stance_encoder` (feature `encoder`).
#[derive(Clone)]
pub struct LoadedEncoder {
    /// The model directory it was read from.
    pub dir: PathBuf,
    #[cfg(feature = "encoder")]
    pub(crate) engine: Arc<portevoix_text::encoder::EncoderStance>,
}

/// Two loaded encoders are equal when they were read from the same directory.
impl PartialEq for LoadedEncoder {
    fn eq(&self, other: &LoadedEncoder) -> bool {
        self.dir == other.dir
    }
}

impl std::fmt::Debug for LoadedEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedEncoder")
            .field("dir", &self.dir)
            .finish()
    }
}

/// The configuration error of `stance_engine = "encoder"` in a build
/// without the `encoder` feature.
pub(crate) fn encoder_feature_missing() -> Error {
    Error::config(
        Some("brand.stance_engine"),
        None,
        "stance_engine = \"encoder\" needs a build with the cargo feature `encoder` (cargo build --release -p portevoix-cli --features encoder); this one has no sentence encoder",
    )
}

/// A model adapted to a campaign's examples, for the posts of one language.
#[derive(Clone)]
pub struct AdaptedModel {
    /// The language of the posts it scores (the other language keeps its
    /// embedded model).
    pub language: FeatureLanguage,
    /// The model.
    pub model: Arc<SentimentModel>,
}

/// Two adapted models are equal when their languages and weights are.
impl PartialEq for AdaptedModel {
    fn eq(&self, other: &AdaptedModel) -> bool {
        self.language == other.language
            && self.model.card().weights_hash == other.model.card().weights_hash
    }
}

impl std::fmt::Debug for AdaptedModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdaptedModel")
            .field("language", &self.language)
            .field("model", &self.model.card().name)
            .field("weights_hash", &self.model.card().weights_hash)
            .finish()
    }
}

impl Campaign {
    /// The language whose model judges the campaign's stance examples:
    /// French when the campaign's languages name French and not English,
    /// else English.
    pub fn stance_language(&self) -> FeatureLanguage {
        let wants = |l: Language| self.languages.contains(&l);
        if wants(Language::French) && !wants(Language::English) {
            FeatureLanguage::Fr
        } else {
            FeatureLanguage::En
        }
    }

    /// The brand as a [`Target`] of its aliases (handles, names, keywords).
    pub fn brand_aliases(&self) -> Target {
        Target::new(self.brand.aliases())
    }

    /// Adapts the stance model of [`Campaign::stance_language`] to the
    /// labelled examples in `bytes` (the file `[brand] stance_examples`,
    /// read by the caller; `source` names it in errors), keeps the
    /// adapted model in [`Brand::adapted`](super::Brand::adapted), and
    /// re-chooses the detractor and ambassador probability thresholds left
    /// at their defaults so that they keep the precision the defaults have
    /// with the embedded model (measured on the examples' out-of-fold
    /// predictions; see `rechoose_stance_thresholds`).
    ///
    /// # Returns
    /// The adaptation's card: examples, chosen pull, cross-validated scores.
    ///
    /// # Errors
    /// [`Error::Input`] for a malformed file (file, line and reason: missing
    /// column, unknown label), [`Error::Config`] for a file without any
    /// example.
    ///
    /// # Complexity
    /// (3 folds × 4 pulls + 1) trainings on the examples (seconds for a few
    /// thousand examples).
    pub fn adapt_stance(&mut self, bytes: &[u8], source: &str) -> Result<AdaptationCard, Error> {
        let text_column = self.brand.stance_text_column.as_deref().unwrap_or("text");
        let label_column = self.brand.stance_label_column.as_deref().unwrap_or("label");
        let rows = parse_csv(bytes, source, text_column, label_column)?;
        if rows.is_empty() {
            return Err(Error::config(
                Some("brand.stance_examples"),
                None,
                format!("{source}: no labelled example"),
            ));
        }
        let target = self.brand_aliases();
        let examples: Vec<StanceExample> = rows
            .into_iter()
            .map(|r| StanceExample {
                brand: target.mentions(&r.text),
                text: r.text,
                class: r.class,
            })
            .collect();
        let language = self.stance_language();
        let base = SentimentModel::for_language(language);
        let adaptation = base.adapt_out_of_fold(&examples, &AdaptOptions::default())?;
        self.rechoose_stance_thresholds(base, &examples, &adaptation.out_of_fold);
        let model = adaptation.model;
        let card = model
            .card()
            .adaptation
            .clone()
            .unwrap_or_else(|| unreachable!("an adapted model's card records its adaptation"));
        self.brand.adapted = Some(AdaptedModel {
            language,
            model: Arc::new(model),
        });
        Ok(card)
    }

    /// Re-chooses the detractor and ambassador probability thresholds for
    /// an adapted model, where the campaign left them at their defaults.
    ///
    /// The defaults were cross-validated for the embedded model (over the
    /// authors of the shared airline tweets); an adapted model learns the
    /// campaign's class balance, so its probabilities shift (on the airline
    /// sample, P(negative) ≥ 0.55 flagged 343 detractors instead of 209, at
    /// precision 0.84 instead of 0.90). Each threshold becomes the smallest
    /// one (on a 0.01 grid) at which the adapted model's out-of-fold
    /// predictions on the examples are at least as precise as the embedded
    /// model's predictions at the default threshold on the same examples
    /// (never trained on them): the precision the defaults were chosen for,
    /// with the recall the adaptation adds. Posts stand in for authors here
    /// (most authors post once about a brand). A threshold the campaign set
    /// in `[classification]` to another value than the default is kept.
    fn rechoose_stance_thresholds(
        &mut self,
        base: &SentimentModel,
        examples: &[StanceExample],
        out_of_fold: &[Prediction],
    ) {
        if out_of_fold.len() != examples.len() {
            return;
        }
        let embedded: Vec<Prediction> = examples
            .iter()
            .map(|e| base.predict_masked(&e.text, &e.brand))
            .collect();
        let defaults = ClassifyOptions::default();
        let options = &mut self.classification;
        let rules: [(&mut f64, f64, Class); 2] = [
            (
                &mut options.detractor_min_negative,
                defaults.detractor_min_negative,
                Class::Negative,
            ),
            (
                &mut options.ambassador_min_positive,
                defaults.ambassador_min_positive,
                Class::Positive,
            ),
        ];
        for (threshold, default, class) in rules {
            if *threshold != default {
                continue;
            }
            let p = |v: &[Prediction]| -> Vec<f64> {
                v.iter().map(|q| q.probabilities()[class.index()]).collect()
            };
            let gold: Vec<bool> = examples.iter().map(|e| e.class == class).collect();
            if let Some(t) = matched_threshold(&p(&embedded), &p(out_of_fold), &gold, default) {
                *threshold = t;
            }
        }
    }

    /// Sets the sentence encoder of `stance_engine = "encoder"` from the
    /// files of its model directory `dir` (the directory `[brand] encoder`
    /// names, read by the caller: the CLI's `read_campaign`), with the
    /// default English stance head. The ambassador and detractor thresholds
    /// stay the campaign's (the model engine's defaults unless it sets them):
    /// the encoder's own have not been cross-validated yet (docs/encoder.md).
    /// Only in builds with the `encoder` feature; without it, `stance_engine = "encoder"` is refused when the
    /// campaign is read ([`Campaign::validate`]).
    ///
    /// # Errors
    /// [`Error::Config`] at `brand.encoder` naming `dir` for damaged model
    /// files (the file and the reason).
    ///
    /// # Complexity
    /// Maps the weights (90 MB): well under a second.
    #[cfg(feature = "encoder")]
    pub fn set_stance_encoder(
        &mut self,
        dir: &Path,
        files: portevoix_text::encoder::EncoderFiles,
    ) -> Result<(), Error> {
        let engine = portevoix_text::encoder::EncoderStance::english(files).map_err(|e| {
            Error::config(
                Some("brand.encoder"),
                None,
                format!("{}/{e}", dir.display()),
            )
        })?;
        self.brand.encoder_engine = Some(LoadedEncoder {
            dir: dir.to_path_buf(),
            engine: Arc::new(engine),
        });
        Ok(())
    }

    /// The model that judges posts of `language` for this campaign: the
    /// campaign's adaptation when it is for that language, else the
    /// embedded one.
    pub fn stance_model(&self, language: FeatureLanguage) -> &SentimentModel {
        match &self.brand.adapted {
            Some(a) if a.language == language => &a.model,
            _ => SentimentModel::for_language(language),
        }
    }
}

/// Precision of "probability ≥ `t`" against `gold`, with its support.
fn precision_at(p: &[f64], gold: &[bool], t: f64) -> (f64, usize) {
    let (mut hit, mut n) = (0usize, 0usize);
    for (&q, &g) in p.iter().zip(gold) {
        if q >= t {
            n += 1;
            hit += usize::from(g);
        }
    }
    (if n == 0 { 0.0 } else { hit as f64 / n as f64 }, n)
}

/// The smallest threshold on a 0.01 grid (0.30 to 0.95) at which `adapted`
/// is at least as precise as `embedded` at `default`, with a support of at
/// least 10 examples (or 1% of them); `None` when the embedded model
/// predicts no example at `default` or no threshold qualifies.
fn matched_threshold(
    embedded: &[f64],
    adapted: &[f64],
    gold: &[bool],
    default: f64,
) -> Option<f64> {
    let (target, support) = precision_at(embedded, gold, default);
    if support == 0 {
        return None;
    }
    let min_support = 10.max(gold.len() / 100);
    (30..=95).map(|c| f64::from(c) / 100.0).find(|&t| {
        let (precision, n) = precision_at(adapted, gold, t);
        n >= min_support && precision >= target
    })
}
