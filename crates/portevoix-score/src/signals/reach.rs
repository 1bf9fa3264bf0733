//! Reach: how many people an account's content can get to.
//!
//! - `reach.audience`: declared followers when the export gives them, else
//!   the in-degree of the follow layer (A → B is "A follows B"), else 0.
//! - `reach.pagerank`: PageRank (damping 0.85, L1 tolerance 1e-10) over the
//!   endorsement view, scaled by the number of accounts so that the mean is
//!   1: credit flows from who re-shares, quotes, likes or follows to whom.
//!   Brin and Page, *The anatomy of a large-scale hypertextual Web search
//!   engine*, 1998.
//! - `reach.hop2`: accounts within two hops against the edges of the
//!   endorsement view (who re-shares the account, and who re-shares them),
//!   estimated with HyperBall (128 HyperLogLog registers, relative standard
//!   error 9.2%). Boldi and Vigna, *In-core computation of geometric
//!   centralities with HyperBall*, Internet Mathematics 2013.

use super::{CampaignContext, Family, Signal};
use portevoix_core::{Error, Layer, NodeId};
use portevoix_graph::kernels::{HyperBallOptions, PageRankOptions, hyperball, pagerank};

/// The reach signals, in report order.
pub fn signals() -> Vec<Box<dyn Signal>> {
    vec![
        Box::new(Audience),
        Box::new(EndorsementPageRank),
        Box::new(TwoHopReach),
    ]
}

/// Declared followers, else follow in-degree.
pub struct Audience;

impl Signal for Audience {
    fn name(&self) -> &str {
        "reach.audience"
    }
    fn family(&self) -> Family {
        Family::Reach
    }
    fn description(&self) -> &str {
        "followers: declared by the platform, else counted in the follow layer"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        Ok(audience(ctx))
    }
}

/// Declared followers, else follow in-degree, for every account.
pub fn audience(ctx: &CampaignContext<'_>) -> Vec<f64> {
    let engine = ctx.engine;
    let follow = engine.network().layer(Layer::Follow);
    (0..engine.num_accounts())
        .map(|i| {
            let node = NodeId(i as u32);
            match engine.dataset().account(node).and_then(|a| a.followers) {
                Some(f) => f as f64,
                None => follow.map_or(0.0, |g| g.in_degree(node) as f64),
            }
        })
        .collect()
}

/// PageRank over the endorsement view, mean 1.
pub struct EndorsementPageRank;

impl Signal for EndorsementPageRank {
    fn name(&self) -> &str {
        "reach.pagerank"
    }
    fn family(&self) -> Family {
        Family::Reach
    }
    fn description(&self) -> &str {
        "PageRank over the endorsement layers (re-shares, quotes, likes, follows), mean 1"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        if n == 0 {
            return Ok(Vec::new());
        }
        let options = PageRankOptions {
            tolerance: 1e-10,
            ..PageRankOptions::default()
        };
        let r = pagerank(&ctx.endorsement, &options, None)?;
        Ok(r.scores.into_iter().map(|s| s * n as f64).collect())
    }
}

/// HyperBall estimate of the accounts within two hops.
pub struct TwoHopReach;

impl Signal for TwoHopReach {
    fn name(&self) -> &str {
        "reach.hop2"
    }
    fn family(&self) -> Family {
        Family::Reach
    }
    fn description(&self) -> &str {
        "accounts within 2 hops of re-sharing (HyperBall estimate, ±9%)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        if ctx.engine.num_accounts() == 0 {
            return Ok(Vec::new());
        }
        let options = HyperBallOptions {
            max_hops: 2,
            ..HyperBallOptions::default()
        };
        Ok(hyperball(&ctx.endorsement, &options)?.hop(2))
    }
}
