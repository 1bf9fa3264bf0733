//! Classification: tier (macro, micro, other) and role, ambassadors and
//! detractors, and the pyramid of influence, each with the rules that fired.
//!
//! Every threshold is a field of [`ClassifyOptions`] (campaign file table
//! `[classification]`), with the defaults below. Percentiles are "share of
//! the candidate pool beaten" as in [`crate::score`].
//!
//! # Tiers
//!
//! - **macro**: audience (`reach.audience`; in data with no follower counts
//!   and no follow layer, `resonance.unique_reactors` stands in) in the top
//!   `macro_audience_share` (1%) of the pool, or, when `macro_min_audience`
//!   is set, audience at least that number; in both cases audience at
//!   least `macro_floor` (50), so that the top of a pool of small accounts
//!   is not called macro.
//! - **micro**: not macro; contextual score > 0 and within the top
//!   `micro_community_share` (10%, at least the first) of the candidates of
//!   its community by contextual score, in a community of at least
//!   `micro_min_community` (5) candidates: high rank inside a community,
//!   modest audience overall.
//! - **other**: everyone else.
//!
//! # Roles (the highest role score wins; ties go to the earlier role in
//! [`Role::ALL`])
//!
//! With `aud`, `rel`, `auth` the percentiles of audience, relevance (the
//! weighted mean of the relevance signals; 0.5 for everyone when the data
//! has no text, since relevance is then unknown) and authority
//! (`relevance.topical_authority`, else `reach.pagerank`), and `k` the number
//! of distinct communities among the account's reactors:
//!
//! - celebrity = `aud × (1 − rel)`: audience without topical focus;
//! - opinion leader = `rel × auth × min(1, (k − 1) / 2)`: authority and
//!   relevance across three or more communities;
//! - specialist = `rel × auth × (1 − min(1, (k − 1) / 2))`: deep relevance and
//!   authority concentrated in one community;
//! - trend-spotter = 1 when the account was among the first
//!   `early_share` (10%) of the distinct reactors of at least
//!   `trend_min_early` (3) conversations or cascades that grew to
//!   `trend_min_size` (20) reactors or more, else 0. A conversation is the
//!   time-ordered reactions (re-share, quote, reply, mention) to one account;
//!   a cascade is a propagation tree of the data (Twitter15).
//!
//! Micro roles, with percentiles within the pool:
//!
//! - networker = `pct(trust.reciprocity) × min(1, (c − 1) / 2)` with `c` the
//!   distinct communities among all its partners: reciprocal ties bridging
//!   communities;
//! - diffuser = `pct(re-shares given) × pct(re-shares and quotes received)`:
//!   re-shares that get re-shared;
//! - power user = `pct(activity) × pct(resonance.unique_reactors)` with
//!   activity = posts + interactions given: high activity and engagement.
//!
//! # Ambassadors and detractors
//!
//! - **ambassador**: not macro; at least `ambassador_min_mentions` (2)
//!   positive organic brand mentions (`brand.positive_mentions`), making at
//!   least `ambassador_min_positive_share` (0.75) of its brand mentions, mean
//!   brand sentiment (`brand.sentiment`) ≥ `ambassador_min_sentiment` (0.3)
//!   and authenticity (`trust.authenticity`) ≥
//!   `ambassador_min_authenticity` (0.5). The thresholds are strict because
//!   VADER reads polite or sarcastic complaints ("thanks again for helping me
//!   miss my flight") as praise: on the airline tweets, the United tweets of
//!   the ambassadors found with a mean of 0.05 and no share are 42% positive
//!   or neutral for the annotators; with 0.3 and 0.75, 57% (against 30% for
//!   all United tweets). Kind **employee** when `brand.employee` is 1 (the campaign's list
//!   or a bio that says so), else **customer**.
//! - **detractor**: at least `detractor_min_mentions` (2) negative organic
//!   brand mentions and mean brand sentiment ≤ `detractor_max_sentiment`
//!   (−0.05); reported with its reach.
//!
//! # Pyramid of influence (DESIGN.md), for every account of the data
//!
//! 1. **discovering the ecosystem**: everyone (listening, following);
//! 2. **building a digital identity**: has a bio or at least one post (its
//!    own, or one that others re-shared, quoted or replied to), or was rated
//!    (a trader with a public record in a trust network);
//! 3. **sharing and networking**: level 2, and gives at least
//!    `level3_kinds` (2) kinds of interaction (re-share, reply, mention,
//!    quote, like, rating), or re-shares and replies, or interacts with at
//!    least `level3_partners` (3) distinct accounts;
//! 4. **building a niche**: level 2, and its content drew at least
//!    `level4_reactors` (5) distinct reactors (raters count) or `level4_reactions` (10)
//!    reactions counted by the platform (level 3 is not required: a
//!    publisher need not re-share);
//! 5. **self-realisation and collaborations**: level 4, reactors from at
//!    least `level5_communities` (3) communities, and cited (re-shared,
//!    quoted, replied to or mentioned) by at least `level5_citations` (2)
//!    macro- or micro-influencers.

use crate::discovery::{AmbassadorKind, Role, Tier};
use crate::engine::Engine;
use crate::score::Scores;
use crate::signals::SignalMatrix;
use crate::signals::resonance::REACTION_LAYERS;

/// The layers whose edges are interactions for the classification: the
/// reactions, and ratings (giving one is taking part, receiving them is
/// being recognised, in trust networks such as Bitcoin OTC).
const INTERACTION_LAYERS: [Layer; 6] = [
    REACTION_LAYERS[0],
    REACTION_LAYERS[1],
    REACTION_LAYERS[2],
    REACTION_LAYERS[3],
    REACTION_LAYERS[4],
    Layer::Rating,
];
/// The layers on which receiving an edge is being cited: re-shared,
/// quoted, replied to, mentioned (likes and ratings are reactions, not
/// citations; pyramid level 5 counts citations only).
const CITATION_LAYERS: [Layer; 4] = [Layer::Repost, Layer::Quote, Layer::Reply, Layer::Mention];
use portevoix_core::interaction::NO_TIME;
use portevoix_core::{Layer, NodeId};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Thresholds of the classification (see the [module](self) docs).
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
    /// Ambassador: positive organic brand mentions (2).
    pub ambassador_min_mentions: f64,
    /// Ambassador: mean brand sentiment (0.3).
    pub ambassador_min_sentiment: f64,
    /// Ambassador: share of its organic brand mentions that are positive (0.75).
    pub ambassador_min_positive_share: f64,
    /// Ambassador: authenticity (0.5).
    pub ambassador_min_authenticity: f64,
    /// Detractor: negative organic brand mentions (2).
    pub detractor_min_mentions: f64,
    /// Detractor: mean brand sentiment at most (−0.05).
    pub detractor_max_sentiment: f64,
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
            ambassador_min_mentions: 2.0,
            ambassador_min_sentiment: 0.3,
            ambassador_min_positive_share: 0.75,
            ambassador_min_authenticity: 0.5,
            detractor_min_mentions: 2.0,
            detractor_max_sentiment: -0.05,
            level3_kinds: 2,
            level3_partners: 3,
            level4_reactors: 5,
            level4_reactions: 10,
            level5_communities: 3,
            level5_citations: 2,
        }
    }
}

/// The classes of one candidate, with the rules behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    /// Tier.
    pub tier: Tier,
    /// Role (macro and micro only).
    pub role: Option<Role>,
    /// Ambassador kind.
    pub ambassador: Option<AmbassadorKind>,
    /// Detractor.
    pub detractor: bool,
    /// Why.
    pub evidence: Vec<String>,
}

/// Behaviour of every account the classification reads (dense id order).
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// Posts in the data (any window).
    pub posts: Vec<u32>,
    /// Kinds of interaction given (bit per layer: re-share, quote, reply,
    /// like, mention, rating).
    pub kinds_given: Vec<u8>,
    /// Interactions given (weighted, reaction layers).
    pub given: Vec<f64>,
    /// Re-shares given.
    pub reshares_given: Vec<f64>,
    /// Re-shares and quotes received.
    pub reshared: Vec<f64>,
    /// Replies and ratings received (evidence of a public presence).
    pub replied: Vec<f64>,
    /// Distinct reactors.
    pub reactors: Vec<u32>,
    /// Distinct communities among reactors.
    pub reactor_communities: Vec<u32>,
    /// Distinct communities among all partners.
    pub partner_communities: Vec<u32>,
    /// Grown conversations or cascades the account was early in.
    pub early: Vec<u32>,
    /// Has a bio.
    pub has_bio: Vec<bool>,
    /// Distinct accounts it re-shared, quoted, replied to, liked or mentioned.
    pub partners_given: Vec<u32>,
    /// Reactions the platform counted on its posts.
    pub platform_reactions: Vec<u64>,
}

fn distinct_labels(ids: &mut Vec<u32>, labels: &[u32]) -> u32 {
    let mut c: Vec<u32> = ids.iter().map(|&v| labels[v as usize]).collect();
    c.sort_unstable();
    c.dedup();
    ids.clear();
    c.len() as u32
}

/// Measures every account's [`Behaviour`].
///
/// # Complexity
///
/// O(E log E) for the conversations (a sort of the timed reactions), O(E)
/// otherwise, parallel over accounts.
pub fn behaviour(engine: &Engine, communities: &[u32], options: &ClassifyOptions) -> Behaviour {
    let network = engine.network();
    let n = engine.num_accounts();
    let layers: Vec<(usize, &portevoix_graph::LayerGraph)> = INTERACTION_LAYERS
        .iter()
        .enumerate()
        .filter_map(|(k, l)| network.layer(*l).map(|g| (k, g)))
        .collect();
    let follow = network.layer(Layer::Follow);
    let repost = network.layer(Layer::Repost);
    let quote = network.layer(Layer::Quote);
    let reply = network.layer(Layer::Reply);
    let rating = network.layer(Layer::Rating);
    let per: Vec<_> = (0..n)
        .into_par_iter()
        .map_init(Vec::<u32>::new, |scratch, i| {
            let v = NodeId(i as u32);
            let mut kinds = 0u8;
            let mut given = 0.0;
            for (k, g) in &layers {
                let d = g.weighted_out_degree(v);
                if d > 0.0 {
                    kinds |= 1 << k;
                    given += d;
                }
            }
            scratch.clear();
            for (_, g) in &layers {
                scratch.extend(g.out_neighbors(v).0.iter().filter(|&&u| u != v.0));
            }
            scratch.sort_unstable();
            scratch.dedup();
            let partners_given = scratch.len() as u32;
            scratch.clear();
            for (_, g) in &layers {
                scratch.extend(g.in_neighbors(v).0.iter().filter(|&&u| u != v.0));
            }
            scratch.sort_unstable();
            scratch.dedup();
            let reactors = scratch.len() as u32;
            let reactor_communities = distinct_labels(scratch, communities);
            for (_, g) in &layers {
                scratch.extend(g.in_neighbors(v).0);
                scratch.extend(g.out_neighbors(v).0);
            }
            if let Some(g) = follow {
                scratch.extend(g.in_neighbors(v).0);
                scratch.extend(g.out_neighbors(v).0);
            }
            scratch.retain(|&u| u != v.0);
            let partner_communities = distinct_labels(scratch, communities);
            let w = |g: Option<&portevoix_graph::LayerGraph>, out: bool| {
                g.map_or(0.0, |g| {
                    if out {
                        g.weighted_out_degree(v)
                    } else {
                        g.weighted_in_degree(v)
                    }
                })
            };
            (
                kinds,
                given,
                w(repost, true),
                w(repost, false) + w(quote, false),
                w(reply, false) + w(rating, false),
                reactors,
                reactor_communities,
                partner_communities,
                partners_given,
            )
        })
        .collect();
    let early = early_adopters(engine, options);
    let dataset = engine.dataset();
    Behaviour {
        posts: (0..n)
            .map(|i| engine.posts_of(NodeId(i as u32)).len() as u32)
            .collect(),
        kinds_given: per.iter().map(|p| p.0).collect(),
        given: per.iter().map(|p| p.1).collect(),
        reshares_given: per.iter().map(|p| p.2).collect(),
        reshared: per.iter().map(|p| p.3).collect(),
        replied: per.iter().map(|p| p.4).collect(),
        reactors: per.iter().map(|p| p.5).collect(),
        reactor_communities: per.iter().map(|p| p.6).collect(),
        partner_communities: per.iter().map(|p| p.7).collect(),
        early,
        partners_given: per.iter().map(|p| p.8).collect(),
        platform_reactions: (0..n)
            .map(|i| {
                engine
                    .posts_of(NodeId(i as u32))
                    .iter()
                    .map(|&p| portevoix_text::corpus::reactions_of(&dataset.posts[p as usize]))
                    .sum()
            })
            .collect(),
        has_bio: (0..n)
            .map(|i| {
                dataset
                    .account(NodeId(i as u32))
                    .and_then(|a| a.bio.as_deref())
                    .is_some_and(|b| !b.trim().is_empty())
            })
            .collect(),
    }
}

/// Per account, the grown conversations (timed reactions to one account)
/// and cascades it was early in.
fn early_adopters(engine: &Engine, options: &ClassifyOptions) -> Vec<u32> {
    let n = engine.num_accounts();
    let mut early = vec![0u32; n];
    let mut credit = |adopters: &[u32]| {
        if adopters.len() >= options.trend_min_size.max(1) {
            let first = ((adopters.len() as f64 * options.early_share).ceil() as usize).max(1);
            for &a in &adopters[..first.min(adopters.len())] {
                early[a as usize] += 1;
            }
        }
    };
    // Conversations: (target, time, actor) of every timed reaction.
    let mut rows: Vec<(u32, i64, u32)> = Vec::new();
    for layer in [Layer::Repost, Layer::Quote, Layer::Reply, Layer::Mention] {
        let log = engine.dataset().interactions.layer(layer);
        if let Some(times) = &log.time {
            for ((&a, &t), &time) in log.actor.iter().zip(&log.target).zip(times) {
                if time != NO_TIME && a != t {
                    rows.push((t, time, a));
                }
            }
        }
    }
    rows.par_sort_unstable();
    let mut adopters: Vec<u32> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut start = 0;
    while start < rows.len() {
        let target = rows[start].0;
        let end = start + rows[start..].iter().take_while(|r| r.0 == target).count();
        adopters.clear();
        seen.clear();
        for r in &rows[start..end] {
            if seen.insert(r.2) {
                adopters.push(r.2);
            }
        }
        credit(&adopters);
        start = end;
    }
    // Cascades: children ordered by delay.
    for cascade in &engine.dataset().cascades {
        let mut children: Vec<(f64, u32)> = cascade
            .edges
            .iter()
            .filter(|e| Some(e.child) != cascade.root)
            .map(|e| (e.delay_minutes, e.child.0))
            .collect();
        children.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        adopters.clear();
        seen.clear();
        for (_, c) in children {
            if seen.insert(c) {
                adopters.push(c);
            }
        }
        credit(&adopters);
    }
    early
}

/// Percentile (share of the pool beaten) of `values` over all rows.
fn pool_percentiles(values: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; values.len()];
    let rows: Vec<usize> = (0..values.len()).collect();
    crate::score::percentiles_into(values, &rows, &mut out);
    out
}

fn column_or_zero(matrix: &SignalMatrix, name: &str) -> Vec<f64> {
    matrix
        .column(name)
        .map_or_else(|| vec![0.0; matrix.accounts.len()], |c| c.to_vec())
}

fn fmt_count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// Classifies the candidates of `matrix` (rows in its order).
///
/// # Arguments
///
/// - `matrix`, `scores`: the pool's signals and scores;
/// - `behaviour`: from [`behaviour`];
/// - `communities`: community of every account (dense id order);
/// - `options`: the thresholds.
///
/// # Returns
///
/// One [`Classes`] per candidate.
///
/// # Complexity
///
/// O(n log n) for n candidates.
pub fn classify(
    matrix: &SignalMatrix,
    scores: &Scores,
    behaviour: &Behaviour,
    communities: &[u32],
    options: &ClassifyOptions,
) -> Vec<Classes> {
    let n = matrix.accounts.len();
    let idx = |r: usize| matrix.accounts[r].index();
    // Audience: declared or counted followers; in data without either
    // (activity logs), the distinct reactors stand in for it.
    let varies = |name: &str| {
        matrix
            .column(name)
            .is_some_and(|c| c.iter().any(|v| *v != c[0]))
    };
    let audience_name = if varies("reach.audience") {
        "reach.audience"
    } else {
        "resonance.unique_reactors"
    };
    let audience = column_or_zero(matrix, audience_name);
    let aud_pct = pool_percentiles(&audience);
    let macro_cut = {
        let mut sorted = audience.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let k = ((n as f64 * options.macro_audience_share).ceil() as usize).max(1);
        sorted.get(k - 1).copied().unwrap_or(f64::INFINITY)
    };
    let is_macro = |r: usize| {
        audience[r] > 0.0
            && audience[r] >= options.macro_floor
            && match options.macro_min_audience {
                Some(min) => audience[r] >= min,
                None => audience[r] >= macro_cut,
            }
    };
    // Micro: top share of each community by contextual score.
    let mut by_community: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for r in 0..n {
        by_community.entry(communities[idx(r)]).or_default().push(r);
    }
    let mut micro_rank: Vec<Option<(usize, usize)>> = vec![None; n];
    for rows in by_community.values_mut() {
        rows.sort_by(|&a, &b| {
            scores.contextual[b]
                .total_cmp(&scores.contextual[a])
                .then(matrix.accounts[a].cmp(&matrix.accounts[b]))
        });
        for (k, &r) in rows.iter().enumerate() {
            micro_rank[r] = Some((k + 1, rows.len()));
        }
    }
    let text_known = scores.relevance.is_some();
    let rel: Vec<f64> = scores.relevance.clone().unwrap_or_else(|| vec![0.5; n]);
    let authority_name = if varies("relevance.topical_authority") {
        "relevance.topical_authority"
    } else {
        "reach.pagerank"
    };
    let auth = pool_percentiles(&column_or_zero(matrix, authority_name));
    let reciprocity = pool_percentiles(&column_or_zero(matrix, "trust.reciprocity"));
    let pick = |f: &dyn Fn(usize) -> f64| pool_percentiles(&(0..n).map(f).collect::<Vec<_>>());
    let reshares_given = pick(&|r| behaviour.reshares_given[idx(r)]);
    let reshared = pick(&|r| behaviour.reshared[idx(r)]);
    let activity = pick(&|r| behaviour.posts[idx(r)] as f64 + behaviour.given[idx(r)]);
    let reactors = pool_percentiles(&column_or_zero(matrix, "resonance.unique_reactors"));
    let positive = column_or_zero(matrix, "brand.positive_mentions");
    let negative = column_or_zero(matrix, "brand.negative_mentions");
    let sentiment = column_or_zero(matrix, "brand.sentiment");
    let mentions = column_or_zero(matrix, "brand.mentions");
    let employee = column_or_zero(matrix, "brand.employee");
    let authenticity = matrix
        .column("trust.authenticity")
        .map_or_else(|| vec![1.0; n], |c| c.to_vec());

    (0..n)
        .map(|r| {
            let v = idx(r);
            let mut evidence = Vec::new();
            let spread = |k: u32| ((k as f64 - 1.0) / 2.0).clamp(0.0, 1.0);
            let tier = if is_macro(r) {
                evidence.push(match options.macro_min_audience {
                    Some(min) => format!(
                        "macro: audience ({audience_name}) {} ≥ {}",
                        fmt_count(audience[r]),
                        fmt_count(min)
                    ),
                    None => format!(
                        "macro: audience ({audience_name}) {} is in the top {}% of the pool (≥ {})",
                        fmt_count(audience[r]),
                        options.macro_audience_share * 100.0,
                        fmt_count(macro_cut)
                    ),
                });
                Tier::Macro
            } else {
                match micro_rank[r] {
                    Some((k, size))
                        if size >= options.micro_min_community
                            && scores.contextual[r] > 0.0
                            && k <= ((size as f64 * options.micro_community_share).ceil()
                                as usize)
                                .max(1) =>
                    {
                        evidence.push(format!(
                            "micro: rank {k} of {size} candidates in community {} by contextual score (top {}%), audience {} below the macro threshold",
                            communities[v],
                            options.micro_community_share * 100.0,
                            fmt_count(audience[r])
                        ));
                        Tier::Micro
                    }
                    _ => Tier::Other,
                }
            };
            let role = match tier {
                Tier::Macro => {
                    let k = behaviour.reactor_communities[v];
                    let trend = if behaviour.early[v] >= options.trend_min_early {
                        1.0
                    } else {
                        0.0
                    };
                    let candidates = [
                        (Role::Celebrity, aud_pct[r] * (1.0 - rel[r])),
                        (Role::OpinionLeader, rel[r] * auth[r] * spread(k)),
                        (Role::Specialist, rel[r] * auth[r] * (1.0 - spread(k))),
                        (Role::TrendSpotter, trend),
                    ];
                    let best = best_role(&candidates);
                    evidence.push(format!(
                        "role {}: audience pct {:.2}, relevance pct {:.2}{}, authority ({authority_name}) pct {:.2}, reactors from {k} communities, early in {} grown conversations; scores {}",
                        best.name(),
                        aud_pct[r],
                        rel[r],
                        if text_known { "" } else { " (no text: unknown)" },
                        auth[r],
                        behaviour.early[v],
                        role_scores(&candidates)
                    ));
                    Some(best)
                }
                Tier::Micro => {
                    let c = behaviour.partner_communities[v];
                    let candidates = [
                        (Role::Networker, reciprocity[r] * spread(c)),
                        (Role::Diffuser, reshares_given[r] * reshared[r]),
                        (Role::PowerUser, activity[r] * reactors[r]),
                    ];
                    let best = best_role(&candidates);
                    evidence.push(format!(
                        "role {}: reciprocity pct {:.2} with partners in {c} communities, re-shares given pct {:.2} and received pct {:.2}, activity pct {:.2}, unique reactors pct {:.2}; scores {}",
                        best.name(),
                        reciprocity[r],
                        reshares_given[r],
                        reshared[r],
                        activity[r],
                        reactors[r],
                        role_scores(&candidates)
                    ));
                    Some(best)
                }
                Tier::Other => None,
            };
            let ambassador = if tier != Tier::Macro
                && positive[r] >= options.ambassador_min_mentions
                && sentiment[r] >= options.ambassador_min_sentiment
                && positive[r] >= options.ambassador_min_positive_share * mentions[r]
                && authenticity[r] >= options.ambassador_min_authenticity
            {
                let kind = if employee[r] > 0.0 {
                    AmbassadorKind::Employee
                } else {
                    AmbassadorKind::Customer
                };
                evidence.push(format!(
                    "ambassador ({}): {} positive of {} organic brand mentions, mean brand sentiment {:+.2}, authenticity {:.2}{}",
                    kind.name(),
                    fmt_count(positive[r]),
                    fmt_count(mentions[r]),
                    sentiment[r],
                    authenticity[r],
                    if kind == AmbassadorKind::Employee {
                        ", employee or collaborator (list or bio)"
                    } else {
                        ""
                    }
                ));
                Some(kind)
            } else {
                None
            };
            let detractor = negative[r] >= options.detractor_min_mentions
                && sentiment[r] <= options.detractor_max_sentiment;
            if detractor {
                evidence.push(format!(
                    "detractor: {} negative organic brand mentions, mean brand sentiment {:+.2}, audience {}",
                    fmt_count(negative[r]),
                    sentiment[r],
                    fmt_count(audience[r])
                ));
            }
            Classes {
                tier,
                role,
                ambassador,
                detractor,
                evidence,
            }
        })
        .collect()
}

fn best_role(candidates: &[(Role, f64)]) -> Role {
    let mut best = candidates[0];
    for &c in &candidates[1..] {
        if c.1 > best.1 {
            best = c;
        }
    }
    best.0
}

fn role_scores(candidates: &[(Role, f64)]) -> String {
    candidates
        .iter()
        .map(|(role, s)| format!("{} {s:.2}", role.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pyramid level (1 to 5) of every account of the data with its evidence.
///
/// `influencer` marks the macro- and micro-influencers (dense id order).
///
/// # Complexity
///
/// O(E) over the reaction layers, parallel over accounts.
pub fn pyramid(
    engine: &Engine,
    behaviour: &Behaviour,
    influencer: &[bool],
    options: &ClassifyOptions,
) -> Vec<(u8, Vec<String>)> {
    let network = engine.network();
    let citations: Vec<_> = CITATION_LAYERS
        .iter()
        .filter_map(|l| network.layer(*l))
        .collect();
    (0..engine.num_accounts())
        .into_par_iter()
        .map_init(Vec::<u32>::new, |scratch, i| {
            let b = behaviour;
            let mut evidence = Vec::new();
            let identity = b.posts[i] > 0 || b.has_bio[i] || b.reshared[i] + b.replied[i] > 0.0;
            if !identity {
                evidence.push(
                    "level 1: no post and no bio seen; listening and following only".to_string(),
                );
                return (1, evidence);
            }
            evidence.push(format!(
                "level 2: {} posts, {}bio, re-shared or replied to {} times",
                b.posts[i],
                if b.has_bio[i] { "a " } else { "no " },
                fmt_count(b.reshared[i] + b.replied[i])
            ));
            let kinds = b.kinds_given[i].count_ones();
            // Bit 0 is re-share, bit 2 reply (REACTION_LAYERS order).
            let converses = b.kinds_given[i] & 1 != 0 && b.kinds_given[i] & 4 != 0;
            let sharing = kinds >= options.level3_kinds
                || converses
                || b.partners_given[i] >= options.level3_partners;
            let mut level = 2;
            if sharing {
                evidence.push(format!(
                    "level 3: gives {kinds} kinds of interaction to {} accounts{}",
                    b.partners_given[i],
                    if converses { ", re-shares and replies" } else { "" }
                ));
                level = 3;
            }
            if b.reactors[i] >= options.level4_reactors
                || b.platform_reactions[i] >= options.level4_reactions
            {
                evidence.push(format!(
                    "level 4: {} distinct accounts reacted to its content, {} reactions counted by the platform on its posts",
                    b.reactors[i], b.platform_reactions[i]
                ));
                level = 4;
                scratch.clear();
                for g in &citations {
                    scratch.extend(g.in_neighbors(NodeId(i as u32)).0);
                }
                scratch.sort_unstable();
                scratch.dedup();
                let cited = scratch
                    .iter()
                    .filter(|&&u| u as usize != i && influencer[u as usize])
                    .count() as u32;
                if b.reactor_communities[i] >= options.level5_communities
                    && cited >= options.level5_citations
                {
                    evidence.push(format!(
                        "level 5: reactors from {} communities, cited by {cited} macro- or micro-influencers",
                        b.reactor_communities[i]
                    ));
                    level = 5;
                }
            }
            (level, evidence)
        })
        .collect()
}
