//! Relevance first: the combination of a campaign on tags.
//!
//! A tag campaign asks who will carry *this* topic; the additive blend of
//! the other families (reach, resonance, trust) can then outrank the
//! topic's people by someone big elsewhere. Under this rule the relevance
//! term multiplies the rest instead of sitting beside it:
//!
//! ```text
//! score(a) = 100 × R(a) × (1 + λ·O(a)) / (1 + λ)
//! R(a) = Σ_{s ∈ relevance} e_s p_s(a) / Σ_{s ∈ relevance} e_s
//! O(a) = Σ_{s ∉ relevance} e_s p_s(a) / Σ_{s ∉ relevance} e_s
//! ```
//!
//! with `e_s` the effective weights of the objective ([`super::weights`])
//! and `p_s` the normalised values. `R` and `O` are in [0, 1], so is the
//! score / 100; an account with no relevance scores 0 whatever its reach,
//! and the other families move an account by at most a factor `(1 + λ) `
//! between two accounts of equal relevance. [`RELEVANCE_FIRST_BLEND`] `λ`
//! was chosen by leave-one-site-out cross-validation over the four shared
//! Stack Exchange sites of the `topical` protocol
//! (`scripts/topical_cv/loso.py`, EVALUATION.md).
//!
//! The score is still a sum of one term per signal, so the explanation
//! adds up: a relevance signal's weight is `e_s / (Σ_rel e × (1 + λ))`, the
//! same for every account; another signal's is `λ·R(a) · e_s / (Σ_oth e ×
//! (1 + λ))`, proportional to the account's relevance term. The score is
//! monotone in every signal, as the additive one.
//!
//! The rule applies only to campaigns with `tags` ([`super::ScoreOptions::of`]);
//! keyword campaigns keep the additive blend. It falls back to the
//! additive blend (unchanged weights) when no relevance signal, or no
//! other signal, varies over the pool.

use super::weights::Effective;
use crate::names::Family;
use crate::signals::SignalMatrix;
use ndarray::Array2;

/// `λ`: the weight of the other families' blend `O` in the relevance-first
/// rule, chosen by leave-one-site-out cross-validation on the shared sites.
pub const RELEVANCE_FIRST_BLEND: f64 = 0.5;

/// The relevance-first rule of one pool: per row its relevance term `R`,
/// and what a signal's weight is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct RelevanceFirst {
    /// `λ`.
    pub blend: f64,
    /// Per signal: in the relevance family.
    pub is_relevance: Vec<bool>,
    /// `Σ e_s` over the relevance signals.
    pub relevance_total: f64,
    /// `Σ e_s` over the other signals.
    pub other_total: f64,
    /// Per row: `R(a)`.
    pub relevance: Vec<f64>,
}

impl RelevanceFirst {
    /// The rule for a pool, `None` when it does not apply (no informative
    /// relevance signal, or no other informative signal).
    ///
    /// # Complexity
    ///
    /// O(n × s).
    pub fn new(
        matrix: &SignalMatrix,
        effective: &Effective,
        normalised: &Array2<f64>,
        blend: f64,
    ) -> Option<RelevanceFirst> {
        let is_relevance: Vec<bool> = matrix
            .signals
            .iter()
            .map(|s| s.family == Family::Relevance)
            .collect();
        let total = |relevance: bool| -> f64 {
            effective
                .weights
                .iter()
                .zip(&is_relevance)
                .filter(|(_, r)| **r == relevance)
                .map(|(w, _)| *w)
                .sum()
        };
        let (relevance_total, other_total) = (total(true), total(false));
        if relevance_total <= 0.0 || other_total <= 0.0 {
            return None;
        }
        let relevance = (0..matrix.accounts.len())
            .map(|i| {
                (0..matrix.signals.len())
                    .filter(|&j| is_relevance[j])
                    .map(|j| effective.weights[j] * normalised[[i, j]])
                    .sum::<f64>()
                    / relevance_total
            })
            .collect();
        Some(RelevanceFirst {
            blend,
            is_relevance,
            relevance_total,
            other_total,
            relevance,
        })
    }

    /// The weight of signal `j` (effective weight `e`) in row `i`'s score.
    pub fn weight(&self, i: usize, j: usize, e: f64) -> f64 {
        if self.is_relevance[j] {
            e / (self.relevance_total * (1.0 + self.blend))
        } else {
            self.blend * self.relevance[i] * e / (self.other_total * (1.0 + self.blend))
        }
    }
}
