//! The options of a campaign that say how its scores are made and read:
//! the [`Scale`] that turns signal values into [0, 1], the group they are
//! compared within ([`Normalisation`]), and the thresholds of the
//! classification ([`ClassifyOptions`]).

use serde::{Deserialize, Serialize};

/// How a signal value becomes a number in [0, 1] inside its normalisation
/// group (TOML `scale`).
///
/// Both are rank-based, so they are scale-free (a signal's unit does not
/// matter), monotone, and give 0 to the group minimum ("no evidence").
/// They differ at the head:
///
/// - [`Scale::Percentile`] is the share of the group an account beats. It
///   resolves the middle of the distribution and saturates at the head: in
///   a pool of 300,000 the 10th and the 3,000th account are 0.99997 and
///   0.99 apart from 1, so the weighted sum cannot tell a head signal from
///   a tail one, and an account in the top 1% of every signal outranks one
///   first on half of them and median on the rest.
/// - [`Scale::LogRank`] is `1 − ln(r) / ln(k)` for the account's rank `r`
///   (1 = best, ties share the best rank) among `k` accounts: 1 for the
///   first, 0.82 for the 10th, 0.63 for the 100th and 0.45 for the 1,000th
///   of 300,000. It spreads the head the way influence is distributed
///   (heavy-tailed) and keeps percentiles' robustness to outliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    /// Share of the group beaten, `#{y < x} / (k − 1)`.
    Percentile,
    /// `1 − ln(1 + #{y > x}) / ln(k)`, 0 for the group minimum (default).
    #[default]
    LogRank,
}

impl Scale {
    /// The TOML / CLI name (`percentile`, `log-rank`).
    pub fn name(self) -> &'static str {
        match self {
            Scale::Percentile => "percentile",
            Scale::LogRank => "log-rank",
        }
    }
}

/// Over which group signal values are compared (TOML `normalisation` and
/// `community_min_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "within")]
pub enum Normalisation {
    /// The whole candidate pool (default).
    #[default]
    Pool,
    /// The candidates of the account's community (communities of the
    /// interaction view), when it has at least `min_size` of them; smaller
    /// communities are compared with the whole pool.
    Community {
        /// Smallest community (in candidates) normalised on its own (20 in
        /// campaign files).
        min_size: usize,
    },
}

impl Normalisation {
    /// The smallest community normalised on its own when a campaign file
    /// asks for `normalisation = "community"` without `community_min_size`.
    pub const DEFAULT_COMMUNITY_MIN_SIZE: usize = 20;
}

/// Thresholds of the classification (see [`crate::classify`] for the rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassifyOptions {
    /// Share of the pool, by audience, that is macro (0.01).
    pub macro_audience_share: f64,
    /// Absolute audience for macro, replacing the share when set.
    pub macro_min_audience: Option<f64>,
    /// Never macro below this audience, whatever the pool (50): in a pool
    /// of small accounts the top 1% is not a macro-influencer.
    pub macro_floor: f64,
    /// Share of a community's candidates, by contextual score, that is micro (0.10).
    pub micro_community_share: f64,
    /// Smallest community (in candidates) with micro-influencers (5).
    pub micro_min_community: usize,
    /// Early adopters: this first share of a conversation's reactors (0.10).
    pub early_share: f64,
    /// Conversations and cascades that "grew": at least this many reactors (20).
    pub trend_min_size: usize,
    /// Trend-spotter: early in at least this many grown conversations (3).
    pub trend_min_early: u32,
    /// Ambassador: organic brand mentions at least (1).
    pub ambassador_min_mentions: f64,
    /// Ambassador: mean probability that a brand mention is positive
    /// toward the brand (`brand.stance_positive`) at least (0.8; re-chosen
    /// for a campaign's adapted model when left at the default, see
    /// [`Campaign::adapt_stance`](super::Campaign::adapt_stance)).
    pub ambassador_min_positive: f64,
    /// Ambassador: mean probability that a brand mention is negative
    /// (`brand.stance_negative`) at most (0.1).
    pub ambassador_max_negative: f64,
    /// Ambassador: authenticity (0.5).
    pub ambassador_min_authenticity: f64,
    /// Detractor: organic brand mentions at least (1).
    pub detractor_min_mentions: f64,
    /// Detractor: mean probability that a brand mention is negative
    /// toward the brand (`brand.stance_negative`) at least (0.55; re-chosen
    /// for a campaign's adapted model when left at the default, see
    /// [`Campaign::adapt_stance`](super::Campaign::adapt_stance)).
    pub detractor_min_negative: f64,
    /// Advocacy: an account whose mean stance toward the brand
    /// (`brand.sentiment`, P(positive) − P(negative) per mention) is below
    /// this scores 0 under the advocacy objective (0.75; see
    /// [`crate::scoring`]).
    pub advocacy_min_stance: f64,
    /// Pyramid level 3: kinds of interaction given (2).
    pub level3_kinds: u32,
    /// Pyramid level 3: distinct accounts interacted with (3).
    pub level3_partners: u32,
    /// Pyramid level 4: distinct reactors (5).
    pub level4_reactors: u32,
    /// Pyramid level 4: reactions counted by the platform on its posts (10).
    pub level4_reactions: u64,
    /// Pyramid level 5: communities among reactors (3).
    pub level5_communities: u32,
    /// Pyramid level 5: citations by macro- or micro-influencers (2).
    pub level5_citations: u32,
}

impl Default for ClassifyOptions {
    fn default() -> ClassifyOptions {
        ClassifyOptions {
            macro_audience_share: 0.01,
            macro_min_audience: None,
            macro_floor: 50.0,
            micro_community_share: 0.10,
            micro_min_community: 5,
            early_share: 0.10,
            trend_min_size: 20,
            trend_min_early: 3,
            ambassador_min_mentions: 1.0,
            ambassador_min_positive: 0.8,
            ambassador_max_negative: 0.1,
            ambassador_min_authenticity: 0.5,
            detractor_min_mentions: 1.0,
            detractor_min_negative: 0.55,
            advocacy_min_stance: 0.75,
            level3_kinds: 2,
            level3_partners: 3,
            level4_reactors: 5,
            level4_reactions: 10,
            level5_communities: 3,
            level5_citations: 2,
        }
    }
}
