//! Resonance: how much an account's content makes people react, per post and
//! per reactor rather than in totals (Klout's and Traackr's published
//! normalisations).
//!
//! - `resonance.median_reactions`, `resonance.mean_reactions`: reactions
//!   (re-shares + replies + likes + quotes, as the platform counted them) per
//!   post in the campaign's window and languages. The median resists one
//!   viral post; the mean keeps it.
//! - `resonance.unique_reactors`: distinct authentic accounts (authenticity
//!   at least [`AUTHENTIC_MIN`](super::AUTHENTIC_MIN)) that re-shared,
//!   quoted, replied to, liked or mentioned the account (network
//!   in-neighbours of those layers), each counted by its authenticity.
//! - `resonance.discounted_reactions`: every reaction received from an
//!   authentic account, weighted by `a / log2(2 + r)` where `a` is its
//!   author's authenticity and `r` how many reactions that author gives in
//!   all: a reaction from someone who reacts to everything counts little,
//!   one from a fake account or a pod member not at all.
//! - `resonance.total_reactions`: raw reactions received in all, the
//!   single-score tools' count: the larger of the platform's counts summed
//!   over the posts in scope and the weighted in-degree over the reaction
//!   layers (exports give one or the other; taking the larger never counts
//!   one reaction twice). Share 0 in the contextual score, which uses the
//!   per-post and per-reactor forms; the baseline score uses it.
//! - `resonance.engagement_tier`: the median reactions per post divided by the
//!   authentic audience (`reach.authentic_audience`: bought followers
//!   neither dilute the rate nor move the account to another tier), as a percentile among the accounts of the same audience tier
//!   (powers of ten of followers), 0 to 1: engagement compared with peers of
//!   the same size, since large audiences always engage at lower rates.

use super::{CampaignContext, Family, Signal, median};
use crate::engine::authenticity::is_authentic;
use crate::engine::behaviour::REACTION_LAYERS;
use crate::names::resonance as names;
use crate::signals::reach::authentic_audience;
use portevoix_core::{Error, Evidence, NodeId};
use portevoix_text::corpus::reactions_of;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The resonance signals, in report order.
pub fn signals() -> Vec<Arc<dyn Signal>> {
    vec![
        Arc::new(Reactions { median: true }),
        Arc::new(Reactions { median: false }),
        Arc::new(UniqueReactors),
        Arc::new(DiscountedReactions),
        Arc::new(EngagementTier),
        Arc::new(TotalReactions),
    ]
}

/// Reactions per post in scope, one vector per account.
fn reactions_per_post(ctx: &CampaignContext<'_>, account: NodeId) -> Vec<f64> {
    let posts = ctx.engine.posts();
    ctx.posts_in_scope(account)
        .map(|i| reactions_of(&posts[i]) as f64)
        .collect()
}

/// Median or mean reactions per post.
pub struct Reactions {
    /// Median (true) or mean (false).
    pub median: bool,
}

impl Signal for Reactions {
    fn name(&self) -> &str {
        if self.median {
            names::MEDIAN_REACTIONS.as_str()
        } else {
            names::MEAN_REACTIONS.as_str()
        }
    }
    fn family(&self) -> Family {
        Family::Resonance
    }
    fn description(&self) -> &str {
        if self.median {
            "median reactions per post in the window (re-shares, replies, likes, quotes)"
        } else {
            "mean reactions per post in the window (re-shares, replies, likes, quotes)"
        }
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        Ok((0..ctx.engine.num_accounts())
            .map(|i| {
                let r = reactions_per_post(ctx, NodeId(i as u32));
                if r.is_empty() {
                    0.0
                } else if self.median {
                    median(&r)
                } else {
                    r.iter().sum::<f64>() / r.len() as f64
                }
            })
            .collect())
    }
}

/// Distinct accounts reacting.
pub struct UniqueReactors;

impl Signal for UniqueReactors {
    fn name(&self) -> &str {
        names::UNIQUE_REACTORS.as_str()
    }
    fn family(&self) -> Family {
        Family::Resonance
    }
    fn description(&self) -> &str {
        "distinct authentic accounts that re-shared, quoted, replied to, liked or mentioned the account, by authenticity"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let network = ctx.engine.network();
        let layers: Vec<_> = REACTION_LAYERS
            .iter()
            .filter_map(|l| network.layer(*l))
            .collect();
        let authenticity = &ctx.engine.authenticity().score;
        let mut scratch = Vec::new();
        Ok((0..ctx.engine.num_accounts())
            .map(|i| {
                scratch.clear();
                for g in &layers {
                    scratch.extend_from_slice(g.in_neighbors(NodeId(i as u32)).0);
                }
                scratch.retain(|&r| r != i as u32 && is_authentic(authenticity, r));
                scratch.sort_unstable();
                scratch.dedup();
                scratch
                    .iter()
                    .map(|&r| authenticity[r as usize])
                    .sum::<f64>()
            })
            .collect())
    }
    /// The authentic reactors behind the resonance, most reactions first.
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        _column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        let network = ctx.engine.network();
        let authenticity = &ctx.engine.authenticity().score;
        let mut reactors: BTreeMap<u32, f64> = BTreeMap::new();
        for layer in REACTION_LAYERS {
            if let Some(g) = network.layer(layer) {
                let (ids, w) = g.in_neighbors(account);
                for (&u, &w) in ids.iter().zip(w) {
                    if u != account.0 && is_authentic(authenticity, u) {
                        *reactors.entry(u).or_default() += f64::from(w);
                    }
                }
            }
        }
        let mut reactors: Vec<(u32, f64)> = reactors.into_iter().collect();
        reactors.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        reactors
            .into_iter()
            .take(k)
            .map(|(u, w)| Evidence::Account {
                account: NodeId(u),
                label: ctx.engine.label(NodeId(u)),
                why: format!("reacted {w:.0} times (re-share, quote, reply, like or mention)"),
                weight: w,
            })
            .collect()
    }
}

/// Reactions weighted down for prolific reactors.
pub struct DiscountedReactions;

impl Signal for DiscountedReactions {
    fn name(&self) -> &str {
        names::DISCOUNTED_REACTIONS.as_str()
    }
    fn family(&self) -> Family {
        Family::Resonance
    }
    fn description(&self) -> &str {
        "reactions received, each weighted authenticity/log2(2 + reactions its author gives in all)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let network = ctx.engine.network();
        let n = ctx.engine.num_accounts();
        let layers: Vec<_> = REACTION_LAYERS
            .iter()
            .filter_map(|l| network.layer(*l))
            .collect();
        // Reactions each account gives, over every reaction layer.
        let mut given = vec![0.0f64; n];
        for g in &layers {
            for (v, out) in given.iter_mut().enumerate() {
                *out += g.weighted_out_degree(NodeId(v as u32));
            }
        }
        let authenticity = &ctx.engine.authenticity().score;
        let discount: Vec<f64> = given
            .iter()
            .enumerate()
            .map(|(v, &r)| {
                if is_authentic(authenticity, v as u32) {
                    authenticity[v] / (2.0 + r).log2()
                } else {
                    0.0
                }
            })
            .collect();
        Ok((0..n)
            .map(|i| {
                let mut total = 0.0;
                for g in &layers {
                    let (reactors, weights) = g.in_neighbors(NodeId(i as u32));
                    for (&r, &w) in reactors.iter().zip(weights) {
                        if r as usize != i {
                            total += f64::from(w) * discount[r as usize];
                        }
                    }
                }
                total
            })
            .collect())
    }
}

/// Engagement rate as a percentile within the audience tier.
pub struct EngagementTier;

impl Signal for EngagementTier {
    fn name(&self) -> &str {
        names::ENGAGEMENT_TIER.as_str()
    }
    fn family(&self) -> Family {
        Family::Resonance
    }
    fn description(&self) -> &str {
        "median reactions per post / audience, as a percentile within the audience tier (powers of ten)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let audience = authentic_audience(ctx);
        // (tier, rate) for accounts with posts in scope.
        let mut rated: Vec<(u32, f64, usize)> = Vec::new();
        for (i, &aud) in audience.iter().enumerate() {
            let r = reactions_per_post(ctx, NodeId(i as u32));
            if r.is_empty() {
                continue;
            }
            let tier = if aud < 1.0 {
                0
            } else {
                aud.log10().floor() as u32 + 1
            };
            rated.push((tier, median(&r) / aud.max(1.0), i));
        }
        rated.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut out = vec![0.0; n];
        let mut start = 0;
        while start < rated.len() {
            let tier = rated[start].0;
            let end = start + rated[start..].iter().take_while(|r| r.0 == tier).count();
            let group = &rated[start..end];
            // Mid-rank percentile: ties share the mean of their ranks.
            let mut k = 0;
            while k < group.len() {
                let same = group[k..].iter().take_while(|r| r.1 == group[k].1).count();
                let percentile = if group.len() == 1 {
                    0.5
                } else {
                    (k as f64 + (same as f64 - 1.0) / 2.0) / (group.len() as f64 - 1.0)
                };
                for r in &group[k..k + same] {
                    out[r.2] = percentile;
                }
                k += same;
            }
            start = end;
        }
        Ok(out)
    }
}

/// Raw reactions received in all (the baseline's count).
pub struct TotalReactions;

impl Signal for TotalReactions {
    fn name(&self) -> &str {
        names::TOTAL_REACTIONS.as_str()
    }
    fn family(&self) -> Family {
        Family::Resonance
    }
    fn description(&self) -> &str {
        "reactions received in all: max(platform counts over posts, reaction in-edges); baseline only"
    }
    fn default_weight(&self) -> f64 {
        0.0
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let network = ctx.engine.network();
        let layers: Vec<_> = REACTION_LAYERS
            .iter()
            .filter_map(|l| network.layer(*l))
            .collect();
        Ok((0..ctx.engine.num_accounts())
            .map(|i| {
                let node = NodeId(i as u32);
                let counted: f64 = reactions_per_post(ctx, node).iter().sum();
                let edges: f64 = layers.iter().map(|g| g.weighted_in_degree(node)).sum();
                counted.max(edges)
            })
            .collect())
    }
}
