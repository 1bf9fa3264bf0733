//! Trust: relationships that go both ways and last, authenticity of the
//! account and of its audience, trust propagated from trusted seeds, and
//! signed ratings where the data has them.
//!
//! - `trust.reciprocity`: `r / (p + 5)`, where `p` is the number of the
//!   account's distinct partners (in- or out-neighbours over the follow,
//!   repost, reply, mention and quote layers present, self excluded) and `r`
//!   the partners with ties in both directions (an out-edge and an in-edge,
//!   on the same layer or not). The 5 in the denominator is a confidence
//!   factor: 1 reciprocal partner of 1 gives 1/6 = 0.17, 40 of 50 give
//!   40/55 = 0.73. Reciprocity as tie strength: Granovetter, *The strength
//!   of weak ties*, AJS 1973; Kwak et al., *What is Twitter, a social network
//!   or a news media?*, WWW 2010 (reciprocity of Twitter ties).
//! - `trust.repeated_interaction`: `Σ log2(n_p)` over the partners `p` whose
//!   relationship lasts, where `n_p` is the number of interactions between
//!   the account and `p` in either direction over the repost, reply, mention,
//!   quote, like and rating layers. A relationship lasts when its timed
//!   interactions fall on at least 2 distinct UTC days; when none of its
//!   interactions has a time, when `n_p ≥ 2`. Each lasting partner counts at
//!   least 1 (`n_p ≥ 2`), more when the exchange is denser. Tie duration and
//!   frequency as tie strength: Granovetter 1973; Gilbert and Karahalios,
//!   *Predicting tie strength with social media*, CHI 2009.
//! - `trust.conversation`: the number of distinct partners with replies in
//!   both directions: the account replied to `p` and `p` replied to the
//!   account, from the reply layer and from the posts (`Post::reply_to`,
//!   whose author is given or found among the posts). This includes the
//!   replies to the account's posts that it answered. With no reply data at
//!   all (no reply layer, no reply among the posts), mentions in both
//!   directions stand in for replies. Conversation as engagement: Honeycutt
//!   and Herring, *Beyond microblogging: conversation and collaboration via
//!   Twitter*, HICSS 2009.
//!
//! Reciprocity, repeated interaction and conversation count only authentic
//! partners (authenticity at least [`AUTHENTIC_MIN`](super::AUTHENTIC_MIN)):
//! the members of an engagement pod reciprocate by design and build no
//! trust.
//! - `trust.authenticity`: the account's
//!   [authenticity score](crate::authenticity), 0 to 1.
//! - `trust.audience_quality`: `(Σ_{a ∈ A} s_a + 5·μ) / (|A| + 5)`, the mean
//!   authenticity `s` of the audience `A` (distinct in-neighbours over the
//!   follow, repost, quote, reply, like and mention layers, self excluded)
//!   shrunk toward the mean authenticity `μ` of all accounts with 5
//!   pseudo-observations (a Bayesian mean), so tiny audiences are not
//!   extreme; no audience gives `μ`. Fake followers (shells) and inactive
//!   accounts in the audience pull it down. Cresci et al., *Fame for sale*,
//!   Decision Support Systems 2015.
//! - `trust.trustrank`: personalised PageRank (damping 0.85, total L1
//!   tolerance 1e-10, at most 1000 iterations, dangling mass back to the
//!   seeds) over the authentic endorsement view (the endorsements given by
//!   accounts of authenticity at least 0.5), teleporting uniformly to the
//!   campaign's trusted seeds; scaled by the number of accounts so the mean
//!   is 1. Without seeds, the seeds are [`default_seeds`]: the accounts with
//!   authenticity ≥ 0.9 and at least one endorsement, the top 1% of all
//!   accounts by endorsement in-degree (at least 10; ties on id). Gyöngyi,
//!   Garcia-Molina, Pedersen, *Combating Web Spam with TrustRank*, VLDB 2004.
//! - `trust.signed_rating`: EigenTrust over the rating layer. With `s_ij` the
//!   sum of `i`'s ratings of `j` (edge value × merged rows; the edge weight
//!   when the layer has no values), local trust
//!   `c_ij = max(s_ij, 0) / Σ_j max(s_ij, 0)`; pre-trusted distribution `p`
//!   uniform over the campaign's trusted seeds, else over all accounts;
//!   `t = (1 − a)·(Cᵀ t + m·p) + a·p` with `a = 0.15` and `m` the trust of
//!   the raters with no positive rating (their row of `C` is `p`, as in the
//!   paper), iterated from the uniform vector to a total L1 change below
//!   1e-10 (at most 1000 iterations); scaled to mean 1. Negative ratings
//!   give no trust, so accounts rated only negatively stay at the floor that
//!   `p` gives, below the accounts rated positively. All zeros without a
//!   rating layer. Kamvar, Schlosser, Garcia-Molina, *The EigenTrust
//!   algorithm for reputation management in P2P networks*, WWW 2003.

use super::{CampaignContext, Family, Signal};
use crate::engine::Engine;
use crate::engine::authenticity::is_authentic;
use crate::engine::behaviour::REACTION_LAYERS;
use crate::names::trust as names;
use portevoix_core::{Error, Evidence, Layer, LayerLog, NodeId};
use portevoix_graph::kernels::{Dangling, PageRankOptions, personalized_pagerank};
use portevoix_graph::{BuildOptions, LayerGraph};
use rayon::prelude::*;
use std::sync::Arc;

/// Layers whose ties count for reciprocity.
pub const RECIPROCITY_LAYERS: [Layer; 5] = [
    Layer::Follow,
    Layer::Repost,
    Layer::Reply,
    Layer::Mention,
    Layer::Quote,
];

/// Layers whose interactions count for repeated interaction.
pub const REPEAT_LAYERS: [Layer; 6] = [
    Layer::Repost,
    Layer::Reply,
    Layer::Mention,
    Layer::Quote,
    Layer::Like,
    Layer::Rating,
];

/// Pseudo-partners in the reciprocity denominator.
pub const RECIPROCITY_PRIOR: f64 = 5.0;
/// Pseudo-observations of the audience-quality prior.
pub const AUDIENCE_PRIOR: f64 = 5.0;
/// Authenticity a default TrustRank seed needs.
pub const SEED_MIN_AUTHENTICITY: f64 = 0.9;
/// Teleport probability `a` of EigenTrust.
pub const EIGENTRUST_ALPHA: f64 = 0.15;

const DAY_MS: i64 = 86_400_000;

/// The trust signals, in report order.
pub fn signals() -> Vec<Arc<dyn Signal>> {
    vec![
        Arc::new(Reciprocity),
        Arc::new(RepeatedInteraction),
        Arc::new(Conversation),
        Arc::new(AuthenticitySignal),
        Arc::new(AudienceQuality),
        Arc::new(TrustRank),
        Arc::new(SignedRating),
    ]
}

/// The built layers among `layers`, in that order.
fn present_in<'e>(engine: &'e Engine, layers: &[Layer]) -> Vec<&'e LayerGraph> {
    layers
        .iter()
        .filter_map(|&l| engine.network().layer(l))
        .collect()
}

/// Size of the intersection of two sorted, deduplicated slices.
fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                k += 1;
                i += 1;
                j += 1;
            }
        }
    }
    k
}

/// Sorts, dedups and removes `me` and the inauthentic partners (a pod's
/// members reciprocate by design; they build no trust).
fn tidy(v: &mut Vec<u32>, me: u32, authenticity: &[f64]) {
    v.sort_unstable();
    v.dedup();
    v.retain(|&x| x != me && is_authentic(authenticity, x));
}

/// Reciprocal partners over a confidence-weighted partner count.
pub struct Reciprocity;

impl Signal for Reciprocity {
    fn name(&self) -> &str {
        names::RECIPROCITY.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "partners with ties both ways / (partners + 5), over follow, repost, reply, mention, quote"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let layers = present_in(ctx.engine, &RECIPROCITY_LAYERS);
        let authenticity = &ctx.engine.authenticity().score;
        Ok((0..ctx.engine.num_accounts())
            .into_par_iter()
            .with_min_len(1024)
            .map_init(
                || (Vec::new(), Vec::new()),
                |(outs, ins), i| {
                    let node = NodeId(i as u32);
                    outs.clear();
                    ins.clear();
                    for g in &layers {
                        outs.extend_from_slice(g.out_neighbors(node).0);
                        ins.extend_from_slice(g.in_neighbors(node).0);
                    }
                    tidy(outs, node.0, authenticity);
                    tidy(ins, node.0, authenticity);
                    let both = intersection(outs, ins);
                    let partners = outs.len() + ins.len() - both;
                    both as f64 / (partners as f64 + RECIPROCITY_PRIOR)
                },
            )
            .collect())
    }
}

/// Lasting relationships, weighted by the log of their interactions.
pub struct RepeatedInteraction;

/// Day marker of interactions without a time.
const NO_DAY: i64 = i64::MAX;

impl Signal for RepeatedInteraction {
    fn name(&self) -> &str {
        names::REPEATED_INTERACTION.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "sum of log2(interactions) over partners met on 2+ distinct days (2+ interactions when untimed)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let layers = present_in(ctx.engine, &REPEAT_LAYERS);
        let authenticity = &ctx.engine.authenticity().score;
        Ok((0..ctx.engine.num_accounts())
            .into_par_iter()
            .with_min_len(256)
            .map_init(Vec::new, |entries: &mut Vec<(u32, i64, u32)>, i| {
                let node = NodeId(i as u32);
                entries.clear();
                for g in &layers {
                    let targets = g.out_csr().neighbors();
                    for e in g.out_edge_range(node) {
                        if is_authentic(authenticity, targets[e]) {
                            push_edge(entries, g, e, targets[e], node.0);
                        }
                    }
                    for &u in g.in_neighbors(node).0 {
                        if !is_authentic(authenticity, u) {
                            continue;
                        }
                        if let Some(e) = g.find_edge(NodeId(u), node) {
                            push_edge(entries, g, e, u, node.0);
                        }
                    }
                }
                entries.sort_unstable();
                let mut total = 0.0;
                for group in entries.chunk_by(|a, b| a.0 == b.0) {
                    let n: u64 = group.iter().map(|x| u64::from(x.2)).sum();
                    let mut days = 0usize;
                    let mut last = None;
                    for &(_, day, _) in group {
                        if day != NO_DAY && last != Some(day) {
                            days += 1;
                            last = Some(day);
                        }
                    }
                    let lasting = if days > 0 { days >= 2 } else { n >= 2 };
                    if lasting {
                        total += (n as f64).log2();
                    }
                }
                total
            })
            .collect())
    }
}

/// Pushes `(partner, day, count)` entries of out-edge `e`: one per distinct
/// day of its timed rows, one [`NO_DAY`] entry for its untimed rows.
fn push_edge(entries: &mut Vec<(u32, i64, u32)>, g: &LayerGraph, e: usize, partner: u32, me: u32) {
    if partner == me {
        return;
    }
    let count = g.edge_count(e);
    let times = g.edge_times(e);
    let timed = (times.len() as u32).min(count);
    let mut i = 0;
    while i < times.len() {
        let day = times[i].div_euclid(DAY_MS);
        let mut j = i;
        while j < times.len() && times[j].div_euclid(DAY_MS) == day {
            j += 1;
        }
        entries.push((partner, day, (j - i) as u32));
        i = j;
    }
    if count > timed {
        entries.push((partner, NO_DAY, count - timed));
    }
}

/// Partners with replies in both directions.
pub struct Conversation;

impl Signal for Conversation {
    fn name(&self) -> &str {
        names::CONVERSATION.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "partners with replies both ways (reply layer and posts; mentions when there are no replies)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let (outs_p, ins_p) = post_replies(ctx.engine);
        let authenticity = &ctx.engine.authenticity().score;
        let network = ctx.engine.network();
        let has_post_replies = outs_p.iter().any(|v| !v.is_empty());
        let layer = match network.layer(Layer::Reply) {
            Some(g) => Some(g),
            None if has_post_replies => None,
            None => network.layer(Layer::Mention),
        };
        Ok((0..n)
            .into_par_iter()
            .with_min_len(1024)
            .map_init(
                || (Vec::new(), Vec::new()),
                |(outs, ins), i| {
                    let node = NodeId(i as u32);
                    outs.clear();
                    ins.clear();
                    if let Some(g) = layer {
                        outs.extend_from_slice(g.out_neighbors(node).0);
                        ins.extend_from_slice(g.in_neighbors(node).0);
                    }
                    outs.extend_from_slice(&outs_p[i]);
                    ins.extend_from_slice(&ins_p[i]);
                    tidy(outs, node.0, authenticity);
                    tidy(ins, node.0, authenticity);
                    intersection(outs, ins) as f64
                },
            )
            .collect())
    }
}

/// Reply pairs found among the posts: per account, whom it replied to and
/// who replied to it (unsorted, may repeat).
fn post_replies(engine: &Engine) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let posts = engine.posts();
    let n = engine.num_accounts();
    let pairs: Vec<(u32, u32)> = posts
        .par_iter()
        .with_min_len(4096)
        .filter_map(|p| {
            let r = p.reply_to.as_ref()?;
            let parent = r
                .author
                .or_else(|| engine.post_index(&r.post).map(|j| posts[j].author))?;
            (parent != p.author && p.author.index() < n && parent.index() < n)
                .then_some((p.author.0, parent.0))
        })
        .collect();
    let mut outs = vec![Vec::new(); n];
    let mut ins = vec![Vec::new(); n];
    for (a, b) in pairs {
        outs[a as usize].push(b);
        ins[b as usize].push(a);
    }
    (outs, ins)
}

/// The engine's authenticity score.
pub struct AuthenticitySignal;

impl Signal for AuthenticitySignal {
    fn name(&self) -> &str {
        names::AUTHENTICITY.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "0..1, product of (1 - penalty) over bot, fake-follower, lurker, ratio, duplicate, burst, profile cues"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        Ok(ctx.engine.authenticity().score.clone())
    }
    /// The cues that fired.
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        _column: &[f64],
        account: NodeId,
        _k: usize,
    ) -> Vec<Evidence> {
        ctx.engine
            .authenticity()
            .cues(account)
            .into_iter()
            .map(|cue| Evidence::Note {
                text: format!("authenticity cue: {cue}"),
            })
            .collect()
    }
}

/// Mean authenticity of the audience, with a prior.
pub struct AudienceQuality;

impl Signal for AudienceQuality {
    fn name(&self) -> &str {
        names::AUDIENCE_QUALITY.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "mean authenticity of followers and reactors, with 5 pseudo-observations at the pool mean"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let mut layers = vec![Layer::Follow];
        layers.extend(REACTION_LAYERS);
        let layers = present_in(ctx.engine, &layers);
        let score = &ctx.engine.authenticity().score;
        let n = ctx.engine.num_accounts();
        let mean = if n == 0 {
            0.0
        } else {
            score.iter().sum::<f64>() / n as f64
        };
        Ok((0..n)
            .into_par_iter()
            .with_min_len(1024)
            .map_init(Vec::new, |audience: &mut Vec<u32>, i| {
                audience.clear();
                for g in &layers {
                    audience.extend_from_slice(g.in_neighbors(NodeId(i as u32)).0);
                }
                audience.sort_unstable();
                audience.dedup();
                audience.retain(|&x| x != i as u32);
                let sum: f64 = audience.iter().map(|&a| score[a as usize]).sum();
                (sum + AUDIENCE_PRIOR * mean) / (audience.len() as f64 + AUDIENCE_PRIOR)
            })
            .collect())
    }
}

/// TrustRank over the endorsement view.
pub struct TrustRank;

/// The TrustRank seeds used without campaign seeds: accounts with
/// authenticity ≥ [`SEED_MIN_AUTHENTICITY`] and at least one endorsement
/// (in-edge of `endorsement`), the `max(⌈n / 100⌉, 10)` with the most
/// endorsements (ties on id), ascending id. Empty when no account qualifies.
pub fn default_seeds(engine: &Engine, endorsement: &LayerGraph) -> Vec<NodeId> {
    let n = engine.num_accounts().min(endorsement.num_nodes());
    let score = &engine.authenticity().score;
    let mut eligible: Vec<(usize, u32)> = (0..n)
        .filter(|&i| score[i] >= SEED_MIN_AUTHENTICITY)
        .map(|i| (endorsement.in_degree(NodeId(i as u32)), i as u32))
        .filter(|&(d, _)| d > 0)
        .collect();
    eligible.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let k = super::precomputed::default_seed_count(n).min(eligible.len());
    let mut seeds: Vec<NodeId> = eligible[..k].iter().map(|&(_, i)| NodeId(i)).collect();
    seeds.sort_unstable();
    seeds
}

impl Signal for TrustRank {
    fn name(&self) -> &str {
        names::TRUSTRANK.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "TrustRank: PageRank over endorsements teleporting to trusted seeds (given, else authentic and most endorsed), mean 1"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        if n == 0 {
            return Ok(Vec::new());
        }
        let seeds = if ctx.seeds.is_empty() {
            default_seeds(ctx.engine, &ctx.authentic_endorsement)
        } else {
            ctx.seeds.clone()
        };
        let p = teleport(n, &seeds);
        let r =
            personalized_pagerank(&ctx.authentic_endorsement, &p, &propagation_options(), None)?;
        Ok(r.scores.into_iter().map(|s| s * n as f64).collect())
    }
}

/// Uniform over `seeds` (ids below `n`), uniform over all when none.
fn teleport(n: usize, seeds: &[NodeId]) -> Vec<f64> {
    let mut p = vec![0.0; n];
    for s in seeds.iter().filter(|s| s.index() < n) {
        p[s.index()] = 1.0;
    }
    if p.iter().all(|&x| x == 0.0) {
        p.fill(1.0);
    }
    p
}

/// TrustRank's PageRank options.
pub fn propagation_options() -> PageRankOptions {
    PageRankOptions {
        damping: 1.0 - EIGENTRUST_ALPHA,
        tolerance: 1e-10,
        max_iterations: 1000,
        dangling: Dangling::Teleport,
        weighted: true,
    }
}

/// EigenTrust over the rating layer.
pub struct SignedRating;

/// EigenTrust global trust (summing to 1) over `rating` (see the
/// [module docs](self)), pre-trusted distribution uniform over `pretrusted`
/// (uniform over all accounts when empty).
///
/// # Errors
///
/// What the PageRank kernel reports (never for a layer built by the network).
pub fn eigentrust(rating: &LayerGraph, pretrusted: &[NodeId]) -> Result<Vec<f64>, Error> {
    let n = rating.num_nodes();
    if n == 0 {
        return Ok(Vec::new());
    }
    let targets = rating.out_csr().neighbors();
    let weights = rating.out_csr().weights();
    let mut log = LayerLog::default();
    for u in 0..n {
        let node = NodeId(u as u32);
        for e in rating.out_edge_range(node) {
            let s = match rating.edge_value(e) {
                Some(v) => f64::from(v) * f64::from(rating.edge_count(e)),
                None => f64::from(weights[e]),
            };
            if s > 0.0 {
                log.push(node, NodeId(targets[e]), s as f32, None, None, None);
            }
        }
    }
    let local = LayerGraph::build(&log, n, &BuildOptions::default())?;
    let p = teleport(n, pretrusted);
    Ok(personalized_pagerank(&local, &p, &propagation_options(), None)?.scores)
}

impl Signal for SignedRating {
    fn name(&self) -> &str {
        names::SIGNED_RATING.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "EigenTrust over the ratings (positive part, normalised per rater), pre-trusted seeds, mean 1"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let Some(rating) = ctx.engine.network().layer(Layer::Rating) else {
            return Ok(vec![0.0; n]);
        };
        let t = eigentrust(rating, &ctx.seeds)?;
        Ok(t.into_iter().map(|x| x * n as f64).collect())
    }
}
