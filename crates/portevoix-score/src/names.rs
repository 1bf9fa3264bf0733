//! Signal families and the names of the built-in signals, typed: the
//! bottom of the crate, used by every layer above it (signals, scoring,
//! classification, reports) so that no layer spells a signal's name as a
//! string literal of its own.
//!
//! A signal's name is `family.name` (`reach.pagerank`). The built-in ones
//! are constants of the family modules below ([`reach::PAGERANK`]);
//! [`SignalName`] compares with a `&str`, so the name of a user's signal (a
//! `String`) is looked up the same way.
//!
//! ```
//! use portevoix_score::names::{Family, reach};
//!
//! assert_eq!(reach::PAGERANK.as_str(), "reach.pagerank");
//! assert_eq!(reach::PAGERANK.family(), Some(Family::Reach));
//! assert!(reach::PAGERANK == "reach.pagerank");
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// The five families of signals (DESIGN.md, "Signals").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// How many people the account's content can reach.
    Reach,
    /// How much its content makes people react.
    Resonance,
    /// How much it is about the campaign's topic.
    Relevance,
    /// How far it can be trusted (relationships, authenticity, ratings).
    Trust,
    /// How it relates to the brand.
    BrandAffinity,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 5] = [
        Family::Reach,
        Family::Resonance,
        Family::Relevance,
        Family::Trust,
        Family::BrandAffinity,
    ];

    /// The family's name in reports and weights (`brand_affinity`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Family::Reach => "reach",
            Family::Resonance => "resonance",
            Family::Relevance => "relevance",
            Family::Trust => "trust",
            Family::BrandAffinity => "brand_affinity",
        }
    }

    /// The prefix of its signals' names (`brand` for brand affinity).
    pub fn prefix(self) -> &'static str {
        match self {
            Family::BrandAffinity => "brand",
            other => other.name(),
        }
    }
}

/// The name of a built-in signal (`family.name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SignalName(&'static str);

impl SignalName {
    /// A name; `family.name` by convention.
    pub const fn new(name: &'static str) -> SignalName {
        SignalName(name)
    }

    /// The name as written in reports and campaign files.
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The family its prefix names, if any.
    pub fn family(self) -> Option<Family> {
        let prefix = self.0.split('.').next()?;
        Family::ALL.into_iter().find(|f| f.prefix() == prefix)
    }
}

impl fmt::Display for SignalName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl AsRef<str> for SignalName {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl PartialEq<str> for SignalName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for SignalName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for SignalName {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_str()
    }
}

impl PartialEq<SignalName> for String {
    fn eq(&self, other: &SignalName) -> bool {
        self.as_str() == other.0
    }
}

/// Reach signals ([`crate::signals::reach`]).
pub mod reach {
    use super::SignalName;
    /// Followers, declared or counted (baseline only).
    pub const AUDIENCE: SignalName = SignalName::new("reach.audience");
    /// Followers weighted by their authenticity.
    pub const AUTHENTIC_AUDIENCE: SignalName = SignalName::new("reach.authentic_audience");
    /// PageRank over the endorsement view (baseline only).
    pub const PAGERANK: SignalName = SignalName::new("reach.pagerank");
    /// PageRank over the authentic endorsement view.
    pub const AUTHENTIC_PAGERANK: SignalName = SignalName::new("reach.authentic_pagerank");
    /// Accounts within two hops (HyperBall).
    pub const HOP2: SignalName = SignalName::new("reach.hop2");
}

/// Resonance signals ([`crate::signals::resonance`]).
pub mod resonance {
    use super::SignalName;
    /// Median reactions per post.
    pub const MEDIAN_REACTIONS: SignalName = SignalName::new("resonance.median_reactions");
    /// Mean reactions per post.
    pub const MEAN_REACTIONS: SignalName = SignalName::new("resonance.mean_reactions");
    /// Distinct authentic reactors.
    pub const UNIQUE_REACTORS: SignalName = SignalName::new("resonance.unique_reactors");
    /// Reactions discounted for prolific and inauthentic reactors.
    pub const DISCOUNTED_REACTIONS: SignalName = SignalName::new("resonance.discounted_reactions");
    /// Engagement rate as a percentile within the audience tier.
    pub const ENGAGEMENT_TIER: SignalName = SignalName::new("resonance.engagement_tier");
    /// Raw reactions received in all (baseline only).
    pub const TOTAL_REACTIONS: SignalName = SignalName::new("resonance.total_reactions");
}

/// Relevance signals ([`crate::signals::relevance`]).
pub mod relevance {
    use super::SignalName;
    /// BM25 against the topic.
    pub const BM25: SignalName = SignalName::new("relevance.bm25");
    /// On-topic posts / posts.
    pub const ON_TOPIC_SHARE: SignalName = SignalName::new("relevance.on_topic_share");
    /// Reactions to the on-topic posts.
    pub const ON_TOPIC_REACTIONS: SignalName = SignalName::new("relevance.on_topic_reactions");
    /// On-topic posts weighted by age.
    pub const RECENCY: SignalName = SignalName::new("relevance.recency");
    /// Share of the topic's keywords used.
    pub const KEYWORD_DIVERSITY: SignalName = SignalName::new("relevance.keyword_diversity");
    /// Personalised PageRank seeded by BM25.
    pub const TOPICAL_AUTHORITY: SignalName = SignalName::new("relevance.topical_authority");
    /// Gains of the answers on the campaign's tags.
    pub const TAG_ANSWERS: SignalName = SignalName::new("relevance.tag_answers");
    /// Recent activity times the smoothed share on the campaign's tags.
    pub const TAG_ACTIVITY: SignalName = SignalName::new("relevance.tag_activity");
    /// ExpertiseRank of the tags' sub-network.
    pub const TAG_AUTHORITY: SignalName = SignalName::new("relevance.tag_authority");
}

/// Trust signals ([`crate::signals::trust`]).
pub mod trust {
    use super::SignalName;
    /// Reciprocal partners over a confidence-weighted partner count.
    pub const RECIPROCITY: SignalName = SignalName::new("trust.reciprocity");
    /// Lasting relationships.
    pub const REPEATED_INTERACTION: SignalName = SignalName::new("trust.repeated_interaction");
    /// Partners with replies both ways.
    pub const CONVERSATION: SignalName = SignalName::new("trust.conversation");
    /// The account's authenticity score.
    pub const AUTHENTICITY: SignalName = SignalName::new("trust.authenticity");
    /// Mean authenticity of the audience.
    pub const AUDIENCE_QUALITY: SignalName = SignalName::new("trust.audience_quality");
    /// TrustRank from trusted seeds.
    pub const TRUSTRANK: SignalName = SignalName::new("trust.trustrank");
    /// EigenTrust over signed ratings.
    pub const SIGNED_RATING: SignalName = SignalName::new("trust.signed_rating");
    /// Fairness–goodness goodness over ratings ([`crate::signals::reputation`]).
    pub const GOODNESS: SignalName = SignalName::new("trust.goodness");
    /// Fairness–goodness fairness as a rater.
    pub const FAIRNESS: SignalName = SignalName::new("trust.fairness");
    /// Days since the first trace in the data.
    pub const TENURE: SignalName = SignalName::new("trust.tenure");
}

/// Brand-affinity signals ([`crate::signals::brand`]).
pub mod brand {
    use super::SignalName;
    /// Organic brand mentions.
    pub const MENTIONS: SignalName = SignalName::new("brand.mentions");
    /// Mean sentiment toward the brand.
    pub const SENTIMENT: SignalName = SignalName::new("brand.sentiment");
    /// Positive brand mentions.
    pub const POSITIVE_MENTIONS: SignalName = SignalName::new("brand.positive_mentions");
    /// Negative brand mentions.
    pub const NEGATIVE_MENTIONS: SignalName = SignalName::new("brand.negative_mentions");
    /// Sum of the sentiments toward the brand.
    pub const NET_SENTIMENT: SignalName = SignalName::new("brand.net_sentiment");
    /// Mean probability that a brand mention is positive toward the brand.
    pub const STANCE_POSITIVE: SignalName = SignalName::new("brand.stance_positive");
    /// Mean probability that a brand mention is negative toward the brand.
    pub const STANCE_NEGATIVE: SignalName = SignalName::new("brand.stance_negative");
    /// Follows one of the brand's accounts.
    pub const FOLLOWS: SignalName = SignalName::new("brand.follows");
    /// Employee or collaborator.
    pub const EMPLOYEE: SignalName = SignalName::new("brand.employee");
    /// Customer or user.
    pub const CUSTOMER: SignalName = SignalName::new("brand.customer");
}

/// The signals the baseline social score combines, in order.
pub const BASELINE: [SignalName; 3] =
    [reach::AUDIENCE, reach::PAGERANK, resonance::TOTAL_REACTIONS];

/// Description of one column of a signal matrix: a signal as reports show
/// it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalInfo {
    /// `family.name`.
    pub name: String,
    /// Its family.
    pub family: Family,
    /// What it measures.
    pub description: String,
    /// Its share of the family's weight (the signal's default weight, or
    /// the campaign's override).
    pub weight: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constant_names_its_family() {
        let all = [
            reach::AUDIENCE,
            resonance::TOTAL_REACTIONS,
            relevance::TOPICAL_AUTHORITY,
            trust::SIGNED_RATING,
            brand::CUSTOMER,
        ];
        let families: Vec<Option<Family>> = all.iter().map(|n| n.family()).collect();
        assert_eq!(families, Family::ALL.map(Some).to_vec(), "{all:?}");
        assert_eq!(SignalName::new("x.y").family(), None);
    }
}
