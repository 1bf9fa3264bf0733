//! Sentiment: VADER in English and French, overall and toward a target.
//!
//! VADER is the rule-based model of C.J. Hutto and E. Gilbert, *VADER: A
//! Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text*,
//! Eighth International AAAI Conference on Weblogs and Social Media (ICWSM
//! 2014). [`Vader`] ports the reference Python packages exactly:
//! `vaderSentiment` 3.3.2 for English and `vaderSentiment-fr` 1.3.4 for French
//! (both MIT; their lexicons are embedded, see `lexicons/NOTICE.md`).
//!
//! - [`Vader::polarity_scores`]: the scores of a whole post
//!   ([`Vader::polarity_scores_batch`] for many posts, in parallel);
//! - [`Vader::target_sentiment`]: the scores of the sentences of a post that
//!   mention a [`Target`] (a brand, a person), the mentions masked, or `None`
//!   when none does; [`Target::mask`] masks the mentions of a whole post.
//!
//! Scores are identical to the references' on every airline tweet, every
//! fr-media tweet and 10,000 synthetic texts built from the rules
//! (`tests/sentiment_golden.rs`); scoring is about 50 times faster than
//! vaderSentiment on one thread (see docs/sentiment-evaluation.md).
//!
//! The French lexicon is the English one translated word by word, with the
//! English valences carried over rather than re-rated by French speakers:
//! expect French scores to be noisier than English ones (see EVALUATION.md).

mod fold;
mod lexicon;
pub mod model;
mod table;
mod target;
mod vader;

pub use target::{Target, TargetSentiment};
pub use vader::{Language, Vader};

/// VADER's four scores of a text.
///
/// `neg`, `neu` and `pos` are the shares of negative, neutral and positive
/// words (they sum to about 1; rounded to 3 decimals); `compound` is the
/// normalised, rule-adjusted sum of the word valences in [−1, 1] (rounded to 4
/// decimals). The customary classes are compound ≥ 0.05 positive, ≤ −0.05
/// negative, neutral in between ([`SentimentScores::label`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SentimentScores {
    /// Share of negative words.
    pub neg: f64,
    /// Share of neutral words.
    pub neu: f64,
    /// Share of positive words.
    pub pos: f64,
    /// Normalised sum of valences in [−1, 1].
    pub compound: f64,
}

/// A three-way sentiment class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Polarity {
    /// compound ≤ −0.05.
    Negative,
    /// −0.05 < compound < 0.05.
    Neutral,
    /// compound ≥ 0.05.
    Positive,
}

impl SentimentScores {
    /// The class of `compound` with VADER's standard thresholds (±0.05).
    ///
    /// # Example
    /// ```
    /// use portevoix_text::sentiment::{Polarity, Vader};
    /// let s = Vader::english().polarity_scores("Thanks, great crew!");
    /// assert_eq!(s.label(), Polarity::Positive);
    /// ```
    pub fn label(&self) -> Polarity {
        if self.compound >= 0.05 {
            Polarity::Positive
        } else if self.compound <= -0.05 {
            Polarity::Negative
        } else {
            Polarity::Neutral
        }
    }
}
