//! Relevance: how much an account is about the campaign's topic.
//!
//! From the corpus ([`portevoix_text::corpus::Corpus::relevance`], window
//! and languages of the campaign applied):
//! - `relevance.bm25`: BM25 of the account's posts and bio against the topic;
//! - `relevance.on_topic_share`: on-topic posts / posts;
//! - `relevance.on_topic_reactions`: reactions to the on-topic posts;
//! - `relevance.recency`: Σ `0.5^(age / half-life)` over on-topic posts;
//! - `relevance.keyword_diversity`: share of the topic's keywords used.
//!
//! And from the network:
//! - `relevance.topical_authority`: personalised PageRank over the
//!   endorsement view, teleporting to accounts in proportion to their BM25,
//!   scaled so that the mean is 1: authority given by those who endorse
//!   relevant accounts (TwitterRank: Weng, Lim, Jiang and He, *TwitterRank:
//!   finding topic-sensitive influential twitterers*, WSDM 2010). All zero
//!   when no account is relevant.

use super::reach::PAGERANK_OPTIONS;
use super::{CampaignContext, Family, Signal, SignalName};
use crate::names::relevance as names;
use portevoix_core::{Error, Evidence, NodeId};
use portevoix_graph::kernels::personalized_pagerank;
use portevoix_text::corpus::AccountRelevance;
use std::sync::Arc;

/// The relevance signals, in report order.
pub fn signals() -> Vec<Arc<dyn Signal>> {
    let field = |name: SignalName, description: &'static str, get: fn(&AccountRelevance) -> f64| {
        Arc::new(FromCorpus {
            name,
            description,
            get,
        }) as Arc<dyn Signal>
    };
    vec![
        field(
            names::BM25,
            "BM25 of the posts and bio against the topic",
            |a| a.bm25,
        ),
        field(
            names::ON_TOPIC_SHARE,
            "on-topic posts / posts in the window",
            |a| a.on_topic_share,
        ),
        field(
            names::ON_TOPIC_REACTIONS,
            "reactions received by the on-topic posts",
            |a| a.on_topic_reactions as f64,
        ),
        field(
            names::RECENCY,
            "on-topic posts weighted by 0.5^(age / half-life)",
            |a| a.recency,
        ),
        field(
            names::KEYWORD_DIVERSITY,
            "share of the topic's keywords the account used",
            |a| a.keyword_diversity,
        ),
        Arc::new(TopicalAuthority),
    ]
}

/// One field of the corpus relevance, 0 for accounts without text.
pub struct FromCorpus {
    name: SignalName,
    description: &'static str,
    get: fn(&AccountRelevance) -> f64,
}

impl Signal for FromCorpus {
    fn name(&self) -> &str {
        self.name.as_str()
    }
    fn family(&self) -> Family {
        Family::Relevance
    }
    fn description(&self) -> &str {
        self.description
    }
    /// For BM25: the account's best on-topic posts.
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        _column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        if self.name != names::BM25 {
            return Vec::new();
        }
        let posts = ctx.engine.posts();
        let Some(rel) = ctx.relevance.accounts.iter().find(|r| r.account == account) else {
            return Vec::new();
        };
        rel.top_posts
            .iter()
            .take(k)
            .map(|m| Evidence::Post {
                post: posts[m.post].id.clone(),
                why: format!(
                    "on topic (BM25 {:.2}; {}), {} reactions",
                    m.score,
                    m.keywords.join(", "),
                    m.reactions
                ),
                weight: m.score,
            })
            .collect()
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let mut out = vec![0.0; ctx.engine.num_accounts()];
        for a in &ctx.relevance.accounts {
            if let Some(slot) = out.get_mut(a.account.index()) {
                *slot = (self.get)(a);
            }
        }
        Ok(out)
    }
}

/// Personalised PageRank seeded by BM25.
pub struct TopicalAuthority;

impl Signal for TopicalAuthority {
    fn name(&self) -> &str {
        names::TOPICAL_AUTHORITY.as_str()
    }
    fn family(&self) -> Family {
        Family::Relevance
    }
    fn description(&self) -> &str {
        "PageRank over endorsements, teleporting to accounts in proportion to their BM25 (TwitterRank), mean 1"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let mut seed = vec![0.0; n];
        for a in &ctx.relevance.accounts {
            if let Some(slot) = seed.get_mut(a.account.index()) {
                *slot = a.bm25;
            }
        }
        if seed.iter().all(|&s| s == 0.0) {
            return Ok(seed);
        }
        let r = personalized_pagerank(&ctx.endorsement, &seed, &PAGERANK_OPTIONS, None)?;
        Ok(r.scores.into_iter().map(|s| s * n as f64).collect())
    }
}
