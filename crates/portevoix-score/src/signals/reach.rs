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
use crate::engine::authenticity::is_authentic;
use crate::engine::behaviour::REACTION_LAYERS;
use crate::names::reach as names;
use portevoix_core::{Error, Evidence, Layer, NodeId};
use portevoix_graph::kernels::{HyperBallOptions, PageRankOptions, hyperball, pagerank};
use std::sync::Arc;

/// The reach signals, in report order.
pub fn signals() -> Vec<Arc<dyn Signal>> {
    vec![
        Arc::new(Audience),
        Arc::new(AuthenticAudience),
        Arc::new(EndorsementPageRank::new(false)),
        Arc::new(EndorsementPageRank::new(true)),
        Arc::new(TwoHopReach),
    ]
}

/// Declared followers, else follow in-degree.
pub struct Audience;

impl Signal for Audience {
    fn name(&self) -> &str {
        names::AUDIENCE.as_str()
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
        Ok(ctx.engine.audience())
    }
}

/// Followers weighted by their authenticity.
pub struct AuthenticAudience;

impl Signal for AuthenticAudience {
    fn name(&self) -> &str {
        names::AUTHENTIC_AUDIENCE.as_str()
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
        let reaction_layers: Vec<_> = REACTION_LAYERS
            .iter()
            .filter_map(|l| network.layer(*l))
            .collect();
        (0..n)
            .map(|i| {
                let node = NodeId(i as u32);
                let declared = engine.account(node).and_then(|a| a.followers);
                match (follow, declared) {
                    (Some(g), _) if g.in_degree(node) > 0 || declared.is_none() => g
                        .in_neighbors(node)
                        .0
                        .iter()
                        .filter(|&&f| f != node.0 && is_authentic(authenticity, f))
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

/// PageRank (damping 0.85, L1 tolerance 1e-10) as the reach signals run
/// it.
pub const PAGERANK_OPTIONS: PageRankOptions = PageRankOptions {
    damping: 0.85,
    tolerance: 1e-10,
    max_iterations: 100,
    dangling: portevoix_graph::kernels::Dangling::Teleport,
    weighted: true,
};

/// PageRank over the endorsement view (or its authentic part), mean 1.
pub struct EndorsementPageRank {
    /// Over the authentic endorsement view (contextual) or the whole one
    /// (baseline).
    pub authentic: bool,
    /// The kernel's parameters ([`PAGERANK_OPTIONS`] by default); the
    /// explanation's shares use the same damping.
    pub options: PageRankOptions,
}

impl EndorsementPageRank {
    /// The signal over the authentic view or the whole one, with
    /// [`PAGERANK_OPTIONS`].
    pub fn new(authentic: bool) -> EndorsementPageRank {
        EndorsementPageRank {
            authentic,
            options: PAGERANK_OPTIONS,
        }
    }

    fn graph<'c>(&self, ctx: &'c CampaignContext<'_>) -> &'c portevoix_graph::LayerGraph {
        if self.authentic {
            &ctx.authentic_endorsement
        } else {
            ctx.endorsement.as_ref()
        }
    }

    /// What each in-neighbour `u` of `node` passes to it: `d · pr(u) ·
    /// w(u→v) / w_out(u)` on the signal's scale (mean 1), largest first,
    /// ties by id; with the teleport term `(1 − d)` and the dangling share,
    /// they add up to `pr(node)`.
    pub fn passed(
        &self,
        ctx: &CampaignContext<'_>,
        column: &[f64],
        node: NodeId,
    ) -> Vec<(u32, f64)> {
        let g = self.graph(ctx);
        let (ids, w) = g.in_neighbors(node);
        let mut given: Vec<(u32, f64)> = ids
            .iter()
            .zip(w)
            .filter(|&(&u, _)| u != node.0)
            .map(|(&u, &w)| {
                let out = g.weighted_out_degree(NodeId(u));
                (
                    u,
                    self.options.damping * column[u as usize] * f64::from(w)
                        / out.max(f64::MIN_POSITIVE),
                )
            })
            .collect();
        given.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        given
    }
}

impl Signal for EndorsementPageRank {
    fn name(&self) -> &str {
        if self.authentic {
            names::AUTHENTIC_PAGERANK.as_str()
        } else {
            names::PAGERANK.as_str()
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
        let r = pagerank(self.graph(ctx), &self.options, None)?;
        Ok(r.scores.into_iter().map(|s| s * n as f64).collect())
    }
    /// The neighbours that gave the most PageRank (authentic view only: the
    /// one the contextual score uses).
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        if !self.authentic {
            return Vec::new();
        }
        self.passed(ctx, column, account)
            .into_iter()
            .take(k)
            .map(|(u, share)| Evidence::Account {
                account: NodeId(u),
                label: ctx.engine.label(NodeId(u)),
                why: format!(
                    "passed {share:.3} PageRank (of the account's total {:.3})",
                    column[account.index()]
                ),
                weight: share,
            })
            .collect()
    }
}

/// HyperBall estimate of the accounts within two hops.
pub struct TwoHopReach;

impl Signal for TwoHopReach {
    fn name(&self) -> &str {
        names::HOP2.as_str()
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
