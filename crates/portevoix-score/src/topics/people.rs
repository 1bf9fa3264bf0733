//! The top contextual people of a topic, scored by the product itself.
//!
//! A topic becomes a campaign with the consideration objective (or the
//! objective, weights, gates, window and lists of a template campaign the
//! caller gives, [`TopicsOptions::campaign`](super::TopicsOptions)):
//!
//! - a **tag** becomes a tag campaign (`tags = [tag]`,
//!   [`CampaignBuilder::tag`](crate::CampaignBuilder::tag)), so the topical
//!   signals (answers on the tag, activity, ExpertiseRank in the tag's
//!   sub-network) and the off-topic gate apply;
//! - a **hashtag** becomes a keyword campaign on `#hashtag` (the topic
//!   matcher matches the hashtag token), so relevance is the BM25 of the
//!   person's posts on it.
//!
//! Each campaign is scored by [`discover`] on the one engine, with the
//! graph signals (PageRank, TrustRank, two-hop reach), which no topic
//! changes, computed once for every topic
//! ([`GraphScores`]). A person is listed only with a contextual score
//! above 0 (no gate zeroed it) and at least one of the topic's posts (a
//! question or answer on the tag, a post with the hashtag): whoever ranks
//! on a topic must have written on it.

use super::extract::{TopicPosts, TopicSource};
use crate::campaign::{Campaign, normalise_tag};
use crate::discover::{DiscoverOptions, discover};
use crate::engine::Engine;
use crate::objective::Objective;
use crate::signals::precomputed::GraphScores;
use portevoix_core::{Error, NodeId};
use portevoix_text::topic::Topic;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Candidates explained first, per person asked for ([`PeopleScorer::top`]).
const FIRST_LOOK_FACTOR: usize = 4;
/// Candidates explained first, besides [`FIRST_LOOK_FACTOR`] per person.
const FIRST_LOOK_EXTRA: usize = 20;

/// One of the top contextual people of a topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicPerson {
    /// The account's external id.
    pub id: String,
    /// Its `@handle`, when known.
    pub handle: Option<String>,
    /// Its display name, when the data has one (Stack Exchange names).
    pub name: Option<String>,
    /// Contextual score for the topic's campaign (0 to 100).
    pub contextual_score: f64,
    /// Rank of the score among every candidate of the campaign (1 first).
    pub rank: u32,
    /// Tier (`macro`, `micro`, `other`).
    pub tier: &'static str,
    /// Role of a macro- or micro-influencer (`specialist`, ...).
    pub role: Option<&'static str>,
    /// Pyramid level, 1 to 5.
    pub pyramid_level: u8,
    /// The person's posts on the topic.
    pub posts: u64,
}

/// Scores topics' campaigns on one engine.
pub struct PeopleScorer<'a> {
    engine: &'a Engine,
    options: DiscoverOptions,
    template: Option<&'a Campaign>,
}

impl<'a> PeopleScorer<'a> {
    /// A scorer whose graph signals are computed once, now; each topic's
    /// campaign starts from `template` ([`PeopleScorer::campaign`]).
    ///
    /// # Errors
    ///
    /// What the graph kernels report.
    ///
    /// # Complexity
    ///
    /// [`GraphScores::compute`]: a few PageRank-type kernels and HyperBall,
    /// O(iterations × edges).
    pub fn new(
        engine: &'a Engine,
        template: Option<&'a Campaign>,
    ) -> Result<PeopleScorer<'a>, Error> {
        // TrustRank's seeds are the template's (they are the only part of
        // a campaign the graph signals read).
        let graph = GraphScores::compute(engine, template)?;
        let options = DiscoverOptions {
            // No evidence is gathered: only scores and classes are listed.
            evidence: 0,
            ..DiscoverOptions::default()
        };
        let options = graph.apply(engine, "graph signals of the topics", options)?;
        Ok(PeopleScorer {
            engine,
            options,
            template,
        })
    }

    /// The campaign that scores the people of `topic`: `template` (or,
    /// without one, the defaults with the consideration objective) with
    /// its name, topic and tags replaced by the topic's.
    ///
    /// # Errors
    ///
    /// An invalid campaign ([`Campaign::validate`]).
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_score::topics::{TopicPosts, TopicSource, people::PeopleScorer};
    /// let tag = TopicPosts { name: "plutus".into(), source: TopicSource::Tag, posts: vec![] };
    /// let c = PeopleScorer::campaign(&tag, None).unwrap();
    /// assert_eq!(c.tags, ["plutus"]);
    /// let hashtag = TopicPosts { name: "fail".into(), source: TopicSource::Hashtag, posts: vec![] };
    /// let c = PeopleScorer::campaign(&hashtag, None).unwrap();
    /// assert_eq!(c.topic.keywords[0].text, "#fail");
    /// ```
    pub fn campaign(topic: &TopicPosts, template: Option<&Campaign>) -> Result<Campaign, Error> {
        let mut campaign = match template {
            Some(t) => t.clone(),
            None => Campaign::builder(&topic.name)
                .objective(Objective::Consideration)
                .tag(&topic.name)
                .build()?,
        };
        campaign.name = topic.name.clone();
        campaign.tags.clear();
        campaign.topic = Topic::new(&topic.name);
        match topic.source {
            TopicSource::Tag => campaign.tags.push(normalise_tag(&topic.name)),
            TopicSource::Hashtag => {
                let keyword = if topic.name.starts_with('$') {
                    topic.name.clone()
                } else {
                    format!("#{}", topic.name)
                };
                campaign.topic = campaign.topic.with_keyword(&keyword, 1.0);
            }
        }
        campaign.validate()?;
        Ok(campaign)
    }

    /// The `k` best people of `topic`, by contextual score (ties on the
    /// external id, as `discover` ranks).
    ///
    /// # Errors
    ///
    /// What [`discover`] reports.
    ///
    /// # Complexity
    ///
    /// One [`discover`] without the graph kernels: the topical and text
    /// signals, O(posts + edges), and the scores, O(n log n).
    pub fn top(&self, topic: &TopicPosts, k: usize) -> Result<Vec<TopicPerson>, Error> {
        if k == 0 {
            return Ok(Vec::new());
        }
        let mut posts_by: FxHashMap<NodeId, u64> = FxHashMap::default();
        for &i in &topic.posts {
            *posts_by.entry(self.engine.posts()[i].author).or_default() += 1;
        }
        let campaign = PeopleScorer::campaign(topic, self.template)?;
        // Explaining every candidate costs more than scoring them: explain
        // the best few, and all of them only when too few of the best
        // wrote on the topic (a keyword campaign has no off-topic gate).
        let mut options = self.options.clone();
        options.top = Some(FIRST_LOOK_FACTOR * k + FIRST_LOOK_EXTRA);
        loop {
            let discovery = discover(self.engine, &campaign, &options)?;
            let listed = discovery.accounts.len();
            let people: Vec<TopicPerson> = discovery
                .accounts
                .into_iter()
                .filter(|a| a.contextual_score > 0.0)
                .filter_map(|a| {
                    let posts = *posts_by.get(&a.node)?;
                    let name = self
                        .engine
                        .account(a.node)
                        .and_then(|x| x.display_name.clone());
                    Some(TopicPerson {
                        id: a.id,
                        handle: a.handle,
                        name,
                        contextual_score: a.contextual_score,
                        rank: a.rank,
                        tier: a.tier.name(),
                        role: a.role.map(|r| r.name()),
                        pyramid_level: a.pyramid_level,
                        posts,
                    })
                })
                .take(k)
                .collect();
            if people.len() >= k || options.top.is_none_or(|t| listed < t) {
                return Ok(people);
            }
            options.top = None;
        }
    }
}
