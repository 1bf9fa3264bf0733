//! Reach: how many people an account's content can get to.
//!
//! - `reach.audience`: declared followers when the export gives them, else
//!   the in-degree of the follow layer (A → B is "A follows B"), else 0.
//!   Share 0 in the contextual score (the baseline uses it): bought
//!   followers count in it.
//! - `reach.authentic_audience`: the followers that count: with a follow
//!   layer, `Σ authenticity(f)` over the followers `f` whose authenticity is
//!   at least [`AUTHENTIC_MIN`](super::AUTHENTIC_MIN) (0.5); with declared
//!   counts only, `followers × trust.audience_quality`'s estimate (the mean
//!   authenticity of the reactors, 5 pseudo-observations at the mean of all
//!   accounts).
//! - `reach.pagerank`: PageRank (damping 0.85, L1 tolerance 1e-10) over the
//!   endorsement view, scaled by the number of accounts so that the mean is
//!   1: credit flows from who re-shares, quotes, likes or follows to whom.
//!   Brin and Page, *The anatomy of a large-scale hypertextual Web search
//!   engine*, 1998. Share 0 in the contextual score (the baseline uses it).
//! - `reach.authentic_pagerank`: the same PageRank over the authentic
//!   endorsement view (edges given by inauthentic accounts removed), so that
//!   a farm of fake followers or an engagement pod passes no credit.
//! - `reach.hop2`: accounts within two hops against the edges of the
//!   authentic endorsement view (who re-shares the account, and who
//!   re-shares them), estimated with HyperBall (128 HyperLogLog registers,
//!   relative standard error 9.2%). Boldi and Vigna, *In-core computation of
//!   geometric centralities with HyperBall*, Internet Mathematics 2013.

use super::{CampaignContext, Family, Signal};
use portevoix_core::{Error, Layer, NodeId};
use portevoix_graph::kernels::{HyperBallOptions, PageRankOptions, hyperball, pagerank};

/// The reach signals, in report order.
pub fn signals() -> Vec<Box<dyn Signal>> {
    vec![
        Box::new(Audience),
        Box::new(AuthenticAudience),
        Box::new(EndorsementPageRank { authentic: false }),
        Box::new(EndorsementPageRank { authentic: true }),
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
        "followers: declared by the platform, else counted in the follow layer (baseline only)"
    }
    fn default_weight(&self) -> f64 {
        0.0
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

/// Followers weighted by their authenticity.
pub struct AuthenticAudience;

impl Signal for AuthenticAudience {
    fn name(&self) -> &str {
        "reach.authentic_audience"
    }
    fn family(&self) -> Family {
        Family::Reach
    }
    fn description(&self) -> &str {
        "followers weighted by their authenticity (fake and inactive followers count 0)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        Ok(authentic_audience(ctx))
    }
}

/// Followers weighted by their authenticity, for every account (the formula
/// of `reach.authentic_audience`).
pub fn authentic_audience(ctx: &CampaignContext<'_>) -> Vec<f64> {
    {
        let engine = ctx.engine;
        let authenticity = &engine.authenticity().score;
        let follow = engine.network().layer(Layer::Follow);
        let n = engine.num_accounts();
        let mean = if n == 0 {
            1.0
        } else {
            authenticity.iter().sum::<f64>() / n as f64
        };
        let network = engine.network();
        let reaction_layers: Vec<_> = super::resonance::REACTION_LAYERS
            .iter()
            .filter_map(|l| network.layer(*l))
            .collect();
        (0..n)
            .map(|i| {
                let node = NodeId(i as u32);
                let declared = engine.dataset().account(node).and_then(|a| a.followers);
                match (follow, declared) {
                    (Some(g), _) if g.in_degree(node) > 0 || declared.is_none() => g
                        .in_neighbors(node)
                        .0
                        .iter()
                        .filter(|&&f| f != node.0 && super::is_authentic(authenticity, f))
                        .map(|&f| authenticity[f as usize])
                        .sum(),
                    (_, Some(d)) => {
                        let mut sum = 5.0 * mean;
                        let mut count = 5.0;
                        for g in &reaction_layers {
                            for &r in g.in_neighbors(node).0 {
                                sum += authenticity[r as usize];
                                count += 1.0;
                            }
                        }
                        d as f64 * sum / count
                    }
                    _ => 0.0,
                }
            })
            .collect()
    }
}

/// PageRank over the endorsement view (or its authentic part), mean 1.
pub struct EndorsementPageRank {
    /// Over the authentic endorsement view (contextual) or the whole one
    /// (baseline).
    pub authentic: bool,
}

impl Signal for EndorsementPageRank {
    fn name(&self) -> &str {
        if self.authentic {
            "reach.authentic_pagerank"
        } else {
            "reach.pagerank"
        }
    }
    fn family(&self) -> Family {
        Family::Reach
    }
    fn description(&self) -> &str {
        if self.authentic {
            "PageRank over the endorsements given by authentic accounts, mean 1"
        } else {
            "PageRank over the endorsement layers (re-shares, quotes, likes, follows), mean 1 (baseline only)"
        }
    }
    fn default_weight(&self) -> f64 {
        if self.authentic { 1.0 } else { 0.0 }
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
        let graph = if self.authentic {
            &ctx.authentic_endorsement
        } else {
            ctx.endorsement.as_ref()
        };
        let r = pagerank(graph, &options, None)?;
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
        "accounts within 2 hops of authentic re-sharing (HyperBall estimate, ±9%)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        if ctx.engine.num_accounts() == 0 {
            return Ok(Vec::new());
        }
        let options = HyperBallOptions {
            max_hops: 2,
            ..HyperBallOptions::default()
        };
        Ok(hyperball(&ctx.authentic_endorsement, &options)?.hop(2))
    }
}
