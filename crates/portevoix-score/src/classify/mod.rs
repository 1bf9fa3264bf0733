//! Classification: tier (macro, micro, other) and role, ambassadors and
//! detractors, and the pyramid of influence, each with the rules that fired.
//!
//! Every threshold is a field of [`ClassifyOptions`] (campaign file table
//! `[classification]`), with the defaults below. Percentiles are "share of
//! the candidate pool beaten" as in [`crate::scoring`].
//!
//! The per-pool values the rules read are named columns
//! ([`columns::PoolColumns`]); each decision is one function returning its
//! value and the evidence behind it ([`Decision`]): [`tier::tier`],
//! [`role::role`], [`advocacy::ambassador`], [`advocacy::detractor`],
//! [`pyramid::level`].
//!
//! # Tiers
//!
//! - **macro**: audience (`reach.audience`; in data with no follower counts
//!   and no follow layer, `resonance.unique_reactors` stands in) in the top
//!   `macro_audience_share` (1%) of the pool, or, when `macro_min_audience`
//!   is set, audience at least that number; in both cases audience at
//!   least `macro_floor` (50), so that the top of a pool of small accounts
//!   is not called macro.
//! - **micro**: not macro; contextual score > 0 and within the top
//!   `micro_community_share` (10%, at least the first) of the candidates of
//!   its community by contextual score, in a community of at least
//!   `micro_min_community` (5) candidates: high rank inside a community,
//!   modest audience overall.
//! - **other**: everyone else.
//!
//! # Roles (the highest role score wins; ties go to the earlier role in
//! [`Role::ALL`])
//!
//! With `aud`, `rel`, `auth` the percentiles of audience, relevance (the
//! weighted mean of the relevance signals; 0.5 for everyone when the data
//! has no text, since relevance is then unknown) and authority
//! (`relevance.topical_authority`, else `reach.pagerank`), and `k` the number
//! of distinct communities among the account's reactors:
//!
//! - celebrity = `aud × (1 − rel)`: audience without topical focus;
//! - opinion leader = `rel × auth × min(1, (k − 1) / 2)`: authority and
//!   relevance across three or more communities;
//! - specialist = `rel × auth × (1 − min(1, (k − 1) / 2))`: deep relevance and
//!   authority concentrated in one community;
//! - trend-spotter = 1 when the account was among the first
//!   `early_share` (10%) of the distinct reactors of at least
//!   `trend_min_early` (3) conversations or cascades that grew to
//!   `trend_min_size` (20) reactors or more, else 0. A conversation is the
//!   time-ordered reactions (re-share, quote, reply, mention) to one account;
//!   a cascade is a propagation tree of the data (Twitter15).
//!
//! Micro roles, with percentiles within the pool:
//!
//! - networker = `pct(trust.reciprocity) × min(1, (c − 1) / 2)` with `c` the
//!   distinct communities among all its partners: reciprocal ties bridging
//!   communities;
//! - diffuser = `pct(re-shares given) × pct(re-shares and quotes received)`:
//!   re-shares that get re-shared;
//! - power user = `pct(activity) × pct(resonance.unique_reactors)` with
//!   activity = posts + interactions given: high activity and engagement.
//!
//! # Ambassadors and detractors
//!
//! From the calibrated probabilities of the stance of each organic brand
//! mention toward the brand (the learned model by default,
//! [`crate::signals::brand`]):
//!
//! - **ambassador**: not macro; at least `ambassador_min_mentions` (1)
//!   organic brand mentions, mean P(positive) (`brand.stance_positive`) ≥
//!   `ambassador_min_positive` (0.8), mean P(negative)
//!   (`brand.stance_negative`) ≤ `ambassador_max_negative` (0.1), and
//!   authenticity (`trust.authenticity`) ≥ `ambassador_min_authenticity`
//!   (0.5). Kind **employee** when `brand.employee` is 1 (the campaign's
//!   list or a bio that says so), else **customer**. In a brand community
//!   (a tag campaign whose brand the data names), a **community helper** is
//!   also an ambassador: not macro, authentic, among the top 10% of the
//!   answerers on the campaign's tags by on-topic answer gain
//!   (`relevance.tag_answers`), and never negative toward the brand (no
//!   mention, or a net stance ≥ 0 that is not a detractor's): answering
//!   others' questions about a product is advocacy even when technical
//!   answers read as neutral.
//! - **detractor**: at least `detractor_min_mentions` (1) organic brand
//!   mentions and mean P(negative) ≥ `detractor_min_negative` (0.55);
//!   reported with its reach.
//!
//! The thresholds were chosen by 5-fold cross-validation over the 1,427
//! authors of United tweets in the shared airline data, each judged by the
//! majority of its human-labelled United tweets
//! (`portevoix_eval::protocols::stance_classes`): on each fold's other
//! folds, the ambassador rule catching the most mostly-positive authors at
//! precision ≥ 0.80, the detractor rule with the best recall of the
//! mostly-negative ones at precision ≥ 0.90; the defaults are the folds'
//! medians. Held out (pooled over the folds): ambassadors precision 0.77,
//! recall 0.50; detractors precision 0.91, recall 0.59 (targets 0.70; 0.85
//! and 0.35). `cargo test --release -p portevoix-eval --test
//! stance_classes` checks that the defaults are the folds' medians and the
//! targets hold.
//!
//! # Pyramid of influence (DESIGN.md), for every account of the data
//!
//! 1. **discovering the ecosystem**: everyone (listening, following);
//! 2. **building a digital identity**: has a bio or at least one post (its
//!    own, or one that others re-shared, quoted or replied to), or was rated
//!    (a trader with a public record in a trust network);
//! 3. **sharing and networking**: level 2, and gives at least
//!    `level3_kinds` (2) kinds of interaction (re-share, reply, mention,
//!    quote, like, rating), or re-shares and replies, or interacts with at
//!    least `level3_partners` (3) distinct accounts;
//! 4. **building a niche**: level 2, and its content drew at least
//!    `level4_reactors` (5) distinct reactors (raters count) or `level4_reactions` (10)
//!    reactions counted by the platform (level 3 is not required: a
//!    publisher need not re-share);
//! 5. **self-realisation and collaborations**: level 4, reactors from at
//!    least `level5_communities` (3) communities, and cited (re-shared,
//!    quoted, replied to or mentioned) by at least `level5_citations` (2)
//!    macro- or micro-influencers.

pub mod advocacy;
pub mod columns;
pub mod pyramid;
pub mod role;
pub mod tier;

pub use crate::campaign::ClassifyOptions;
pub use columns::PoolColumns;
pub use pyramid::pyramid;

use crate::discovery::{AmbassadorKind, Role, Tier};
use crate::engine::behaviour::Behaviour;
use crate::scoring::Scores;
use crate::signals::SignalMatrix;

/// A decision's value and the rule behind it (`None` when nothing fired,
/// e.g. tier "other").
#[derive(Debug, Clone, PartialEq)]
pub struct Decision<T> {
    /// What was decided.
    pub value: T,
    /// Why, in a sentence.
    pub evidence: Option<String>,
}

impl<T> Decision<T> {
    /// A decision with its evidence.
    pub fn with(value: T, evidence: String) -> Decision<T> {
        Decision {
            value,
            evidence: Some(evidence),
        }
    }

    /// A decision no rule speaks for.
    pub fn plain(value: T) -> Decision<T> {
        Decision {
            value,
            evidence: None,
        }
    }
}

/// The classes of one candidate, with the rules behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    /// Tier.
    pub tier: Tier,
    /// Role (macro and micro only).
    pub role: Option<Role>,
    /// Ambassador kind.
    pub ambassador: Option<AmbassadorKind>,
    /// Detractor.
    pub detractor: bool,
    /// Why, one sentence per decision that fired (tier, role, ambassador,
    /// detractor).
    pub evidence: Vec<String>,
}

/// A count as an integer when it is one, else with two decimals (a
/// negative zero, e.g. a log-scaled empty audience, prints as `0`).
pub(crate) fn fmt_count(x: f64) -> String {
    let x = x + 0.0;
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// Classifies the candidates of `matrix` (rows in its order).
///
/// # Arguments
///
/// - `matrix`, `scores`: the pool's signals and scores;
/// - `behaviour`, `communities`: the engine's ([`crate::engine::Engine::behaviour`],
///   [`crate::engine::Engine::communities`]);
/// - `options`: the thresholds.
///
/// # Returns
///
/// One [`Classes`] per candidate.
///
/// # Complexity
///
/// O(n log n) for n candidates, plus O(adopters) for the trend-spotters.
pub fn classify(
    matrix: &SignalMatrix,
    scores: &Scores,
    behaviour: &Behaviour,
    communities: &[u32],
    options: &ClassifyOptions,
) -> Vec<Classes> {
    let cols = PoolColumns::new(matrix, scores, behaviour, communities, options);
    let early = behaviour.early_adopters(options.early_share, options.trend_min_size);
    (0..matrix.accounts.len())
        .map(|r| {
            let v = matrix.accounts[r].index();
            let tier = tier::tier(&cols, r, options);
            let role = role::role(&cols, r, v, tier.value, behaviour, &early, options);
            let ambassador = advocacy::ambassador(&cols, r, tier.value, options);
            let detractor = advocacy::detractor(&cols, r, options);
            let evidence = [
                tier.evidence,
                role.evidence,
                ambassador.evidence,
                detractor.evidence,
            ]
            .into_iter()
            .flatten()
            .collect();
            Classes {
                tier: tier.value,
                role: role.value,
                ambassador: ambassador.value,
                detractor: detractor.value,
                evidence,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fmt_count;

    #[test]
    fn counts_print_without_a_negative_zero() {
        assert_eq!(fmt_count(-0.0), "0");
        assert_eq!(fmt_count(3.0), "3");
        assert_eq!(fmt_count(2.5), "2.50");
    }
}
