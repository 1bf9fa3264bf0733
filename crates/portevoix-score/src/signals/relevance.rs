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

use super::{CampaignContext, Family, Signal};
use portevoix_core::Error;
use portevoix_graph::kernels::{PageRankOptions, personalized_pagerank};
use portevoix_text::corpus::AccountRelevance;

/// The relevance signals, in report order.
pub fn signals() -> Vec<Box<dyn Signal>> {
    let field =
        |name: &'static str, description: &'static str, get: fn(&AccountRelevance) -> f64| {
            Box::new(FromCorpus {
                name,
                description,
                get,
            }) as Box<dyn Signal>
        };
    vec![
        field(
            "relevance.bm25",
            "BM25 of the posts and bio against the topic",
            |a| a.bm25,
        ),
        field(
            "relevance.on_topic_share",
            "on-topic posts / posts in the window",
            |a| a.on_topic_share,
        ),
        field(
            "relevance.on_topic_reactions",
            "reactions received by the on-topic posts",
            |a| a.on_topic_reactions as f64,
        ),
        field(
            "relevance.recency",
            "on-topic posts weighted by 0.5^(age / half-life)",
            |a| a.recency,
        ),
        field(
            "relevance.keyword_diversity",
            "share of the topic's keywords the account used",
            |a| a.keyword_diversity,
        ),
        Box::new(TopicalAuthority),
    ]
}

/// One field of the corpus relevance, 0 for accounts without text.
pub struct FromCorpus {
    name: &'static str,
    description: &'static str,
    get: fn(&AccountRelevance) -> f64,
}

impl Signal for FromCorpus {
    fn name(&self) -> &str {
        self.name
    }
    fn family(&self) -> Family {
        Family::Relevance
    }
    fn description(&self) -> &str {
        self.description
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
        "relevance.topical_authority"
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
        let options = PageRankOptions {
            tolerance: 1e-10,
            ..PageRankOptions::default()
        };
        let r = personalized_pagerank(&ctx.endorsement, &seed, &options, None)?;
        Ok(r.scores.into_iter().map(|s| s * n as f64).collect())
    }
}
