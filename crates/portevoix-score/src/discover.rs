//! Discovery: the whole scoring path for one campaign, from an [`Engine`] to
//! a ranked, explained and classified [`Discovery`]. The CLI's `discover`
//! calls exactly this.
//!
//! Stages (timed in [`Discovery::timings`]):
//!
//! 1. **context**: topic relevance of every account, posts in scope, the
//!    endorsement view, the campaign's lists resolved;
//! 2. **candidates**: accounts with a post in scope (or, in data without
//!    posts, with an interaction in the window), filtered by the campaign's
//!    [`crate::campaign::CandidateFilter`];
//! 3. **signals**: every built-in signal and the user's, in parallel;
//! 4. **communities**: Leiden on the undirected interaction view (every layer
//!    but ratings, weight 1 per layer; positive ratings when the data has
//!    nothing else), seed 0;
//! 5. **scores**: baseline and contextual ([`crate::score`]);
//! 6. **classes**: tiers, roles, ambassadors, detractors, pyramid
//!    ([`crate::classify`]);
//! 7. **explanations**: for the accounts reported, the posts, reactors,
//!    PageRank neighbours and brand mentions behind the score.

use crate::campaign::{Campaign, NormaliseWithin};
use crate::classify::{self, Classes};
use crate::discovery::{ClassCounts, DiscoveredAccount, Discovery, Tier};
use crate::engine::Engine;
use crate::score::{self, Normalisation, ScoreOptions};
use crate::signals::resonance::REACTION_LAYERS;
use crate::signals::{CampaignContext, Signal, SignalMatrix, builtin};
use portevoix_core::{Error, Evidence, Layer, NodeId};
use portevoix_graph::LayerGraph;
use portevoix_graph::kernels::{LeidenOptions, leiden};
use portevoix_text::corpus::reactions_of;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

/// A callback told the name of each stage as it starts.
pub type StageCallback = Box<dyn Fn(&str) + Send + Sync>;

/// Options of [`discover`] beyond the campaign.
pub struct DiscoverOptions {
    /// Accounts kept in the result, best first (`None`: every candidate).
    /// Counts cover every candidate whatever this is.
    pub top: Option<usize>,
    /// Extra signals registered by the user, computed with the built-in ones
    /// (their family weight applies; `Signal::default_weight` their share).
    pub extra_signals: Vec<Box<dyn Signal>>,
    /// Evidence items of each kind per explained account (5).
    pub evidence: usize,
    /// Called when a stage starts, with its name (for progress bars).
    pub on_stage: Option<StageCallback>,
}

impl Default for DiscoverOptions {
    fn default() -> DiscoverOptions {
        DiscoverOptions {
            top: None,
            extra_signals: Vec::new(),
            evidence: 5,
            on_stage: None,
        }
    }
}

impl std::fmt::Debug for DiscoverOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscoverOptions")
            .field("top", &self.top)
            .field(
                "extra_signals",
                &self
                    .extra_signals
                    .iter()
                    .map(|s| s.name().to_string())
                    .collect::<Vec<_>>(),
            )
            .field("evidence", &self.evidence)
            .finish()
    }
}

/// The candidate pool of a campaign (ascending id).
///
/// Accounts with at least `max(1, min_posts)` posts in scope; in data
/// without posts, accounts with at least one interaction (given or
/// received, in the window when the campaign has one). Then the audience
/// bounds, the exclusions and the brand's own accounts (unless
/// `include_brand_accounts`).
pub fn candidates(ctx: &CampaignContext<'_>) -> Vec<NodeId> {
    let engine = ctx.engine;
    let filter = &ctx.campaign.candidates;
    let n = engine.num_accounts();
    let has_posts = !engine.dataset().posts.is_empty();
    let mut active = vec![false; n];
    if has_posts {
        let mut count = vec![0u32; n];
        for (i, p) in engine.dataset().posts.iter().enumerate() {
            if ctx.post_in_scope[i] && p.author.index() < n {
                count[p.author.index()] += 1;
            }
        }
        let min = filter.min_posts.max(1);
        for (a, c) in active.iter_mut().zip(&count) {
            *a = *c >= min;
        }
    } else {
        for (_, log) in engine.dataset().interactions.non_empty() {
            for k in 0..log.len() {
                let in_window = match (ctx.campaign.window, &log.time) {
                    (Some((from, to)), Some(times)) => {
                        let t = times[k];
                        t != portevoix_core::interaction::NO_TIME && t >= from.0 && t < to.0
                    }
                    _ => true,
                };
                if in_window {
                    active[log.actor[k] as usize] = true;
                    active[log.target[k] as usize] = true;
                }
            }
        }
    }
    let (excluded, _) = engine.resolve_all(&filter.exclude);
    let audience = crate::signals::reach::audience(ctx);
    (0..n as u32)
        .map(NodeId)
        .filter(|&a| active[a.index()])
        .filter(|a| excluded.binary_search(a).is_err())
        .filter(|a| filter.include_brand_accounts || ctx.brand.binary_search(a).is_err())
        .filter(|a| {
            let aud = audience[a.index()];
            filter.min_followers.is_none_or(|m| aud >= m as f64)
                && filter.max_followers.is_none_or(|m| aud <= m as f64)
        })
        .collect()
}

/// Communities of the interaction view (see the [module](self) docs).
///
/// # Errors
///
/// What Leiden reports.
pub fn interaction_communities(engine: &Engine) -> Result<Vec<u32>, Error> {
    let network = engine.network();
    let layers: Vec<(Layer, f32)> = network
        .layers()
        .map(|(l, _)| l)
        .filter(|l| *l != Layer::Rating)
        .map(|l| (l, 1.0))
        .collect();
    let view: LayerGraph = if layers.is_empty() {
        crate::signals::positive_ratings(network)?
            .unwrap_or_else(|| LayerGraph::empty(network.num_nodes()))
    } else {
        network.merged(&layers)
    };
    Ok(leiden(&view, &LeidenOptions::default())?.membership)
}

/// Scores, classifies and explains the candidates of `campaign`.
///
/// # Arguments
///
/// - `engine`: the data, built once;
/// - `campaign`: topic, brand, objective, lists, filters, gates, thresholds;
/// - `options`: how many accounts to keep and explain, extra signals.
///
/// # Returns
///
/// The [`Discovery`]: candidates ranked by contextual score (ties by
/// external id) with both scores, their explanations, signals and classes,
/// class counts over every candidate (pyramid over every account), notes
/// and stage timings.
///
/// # Errors
///
/// An invalid campaign or signal (see [`SignalMatrix::compute`] and
/// [`score::compute`]).
///
/// # Complexity
///
/// The signals dominate: a few PageRank-type kernels and one HyperBall over
/// the endorsement view, O(iterations × E) each, plus the corpus's relevance
/// O(posts); the rest is O(E + n log n).
///
/// # Example
///
/// ```
/// use portevoix_graph::BuildOptions;
/// use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
/// use portevoix_score::campaign::Campaign;
/// use portevoix_score::discover::{DiscoverOptions, discover};
/// use portevoix_score::engine::Engine;
/// use portevoix_text::analysis::Analyzer;
///
/// let csv = b"tweet_id,name,text,tweet_created\n\
///     1,ann,@united lost my bag again,2015-02-20T10:00\n\
///     2,bob,@united great crew today thanks,2015-02-21T11:00\n\
///     3,bob,@united thank you for the lovely flight,2015-02-22T11:00\n".to_vec();
/// let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
/// let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
/// let campaign = Campaign::from_toml_str(
///     "objective = \"advocacy\"\n[brand]\nhandles = [\"@united\"]\n[topic.keywords]\nflight = 1.0\nbag = 1.0\n",
///     "c.toml",
/// ).unwrap();
/// let d = discover(&engine, &campaign, &DiscoverOptions::default()).unwrap();
/// assert_eq!(d.accounts.len(), 2); // ann and bob; @united is the brand
/// for a in &d.accounts {
///     let total: f64 = a.explanation.contributions.iter().map(|c| c.contribution).sum();
///     assert!((total - a.contextual_score).abs() < 1e-9);
/// }
/// ```
pub fn discover(
    engine: &Engine,
    campaign: &Campaign,
    options: &DiscoverOptions,
) -> Result<Discovery, Error> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &str, timings: &mut Vec<(String, f64)>| {
        timings.push((name.to_string(), clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let stage = |name: &str| {
        if let Some(f) = &options.on_stage {
            f(name);
        }
    };
    stage("context");
    let ctx = CampaignContext::new(engine, campaign)?;
    let pool = candidates(&ctx);
    lap("context", &mut timings);

    stage("signals");
    let signals = builtin();
    let extra_names: Vec<String> = options
        .extra_signals
        .iter()
        .map(|s| s.name().to_string())
        .collect();
    let mut all: Vec<&dyn Signal> = signals.iter().map(|s| s.as_ref()).collect();
    all.extend(options.extra_signals.iter().map(|s| s.as_ref()));
    let matrix = SignalMatrix::compute_refs(&ctx, &all, &pool)?;
    lap("signals", &mut timings);

    stage("communities");
    let communities = interaction_communities(engine)?;
    lap("communities", &mut timings);

    stage("scores");
    let rows_community: Vec<u32> = pool.iter().map(|a| communities[a.index()]).collect();
    let score_options = ScoreOptions {
        normalisation: match campaign.normalisation {
            NormaliseWithin::Pool => Normalisation::Pool,
            NormaliseWithin::Community => Normalisation::Community {
                min_size: campaign.community_min_size,
            },
        },
        scale: campaign.scale,
        signal_weights: campaign.signal_weights.clone(),
        authenticity_gate: campaign.authenticity_gate,
        relevance_floor: campaign.relevance_floor,
    };
    let scores = score::compute(
        &matrix,
        &campaign.weights,
        &score_options,
        Some(&rows_community),
    )?;
    lap("scores", &mut timings);

    stage("classes");
    let behaviour = classify::behaviour(engine, &communities, &campaign.classification);
    let classes = classify::classify(
        &matrix,
        &scores,
        &behaviour,
        &communities,
        &campaign.classification,
    );
    let mut influencer = vec![false; engine.num_accounts()];
    for (r, c) in classes.iter().enumerate() {
        if c.tier != Tier::Other {
            influencer[pool[r].index()] = true;
        }
    }
    let pyramid = classify::pyramid(engine, &behaviour, &influencer, &campaign.classification);
    lap("classes", &mut timings);

    stage("explanations");
    // Ties break on the external id (numbers by value, then text).
    let keys: Vec<portevoix_core::ExternalId<'_>> =
        pool.iter().map(|a| engine.network().name(*a)).collect();
    let ids: Vec<String> = pool
        .iter()
        .map(|a| {
            engine
                .network()
                .try_name(*a)
                .map_or_else(|| a.to_string(), |n| n.to_string())
        })
        .collect();
    let rank = score::ranks(&scores.contextual, &keys);
    let baseline_rank = score::ranks(&scores.baseline, &keys);
    let mut order: Vec<usize> = (0..pool.len()).collect();
    order.sort_by_key(|&r| rank[r]);
    let keep = options.top.unwrap_or(order.len()).min(order.len());
    let accounts: Vec<DiscoveredAccount> = order[..keep]
        .par_iter()
        .map(|&r| {
            let node = pool[r];
            let mut explanation = score::explain_contextual(&matrix, &scores, r);
            explanation
                .evidence
                .extend(evidence(&ctx, &matrix, node, options.evidence));
            let Classes {
                tier,
                role,
                ambassador,
                detractor,
                evidence: classification_evidence,
            } = classes[r].clone();
            let (level, pyramid_evidence) = pyramid[node.index()].clone();
            DiscoveredAccount {
                id: ids[r].clone(),
                handle: engine.dataset().handle(node).map(|h| format!("@{h}")),
                node,
                contextual_score: scores.contextual[r],
                baseline_score: scores.baseline[r],
                rank: rank[r],
                baseline_rank: baseline_rank[r],
                tier,
                role,
                ambassador,
                detractor,
                pyramid_level: level,
                community: Some(communities[node.index()]),
                signals: matrix
                    .signals
                    .iter()
                    .enumerate()
                    .map(|(j, s)| (s.name.clone(), matrix.values[[r, j]]))
                    .collect(),
                explanation,
                baseline_explanation: score::explain_baseline(&matrix, &scores, r),
                classification_evidence,
                pyramid_evidence,
            }
        })
        .collect();
    lap("explanations", &mut timings);

    let mut counts = ClassCounts::default();
    for (level, _) in &pyramid {
        counts.pyramid[(*level as usize).clamp(1, 5) - 1] += 1;
    }
    for c in &classes {
        *counts.tiers.entry(c.tier.name().to_string()).or_default() += 1;
        if let Some(role) = c.role {
            *counts.roles.entry(role.name().to_string()).or_default() += 1;
        }
        if let Some(kind) = c.ambassador {
            *counts
                .ambassadors
                .entry(kind.name().to_string())
                .or_default() += 1;
        }
        counts.detractors += u64::from(c.detractor);
    }
    let mut notes = scores.notes.clone();
    if !ctx.unresolved.is_empty() {
        notes.push(format!(
            "names in the campaign that match no account: {}",
            ctx.unresolved.join(", ")
        ));
    }
    for name in &extra_names {
        notes.push(format!("user signal {name} computed"));
    }
    Ok(Discovery {
        campaign: campaign.name.clone(),
        objective: format!("{:?}", campaign.objective).to_lowercase(),
        effective_weights: matrix
            .signals
            .iter()
            .zip(&scores.effective_weights)
            .map(|(s, w)| (s.name.clone(), *w))
            .collect::<BTreeMap<_, _>>(),
        signals: matrix.signals.clone(),
        accounts,
        counts,
        num_accounts: engine.num_accounts(),
        num_candidates: pool.len(),
        unresolved: ctx.unresolved.clone(),
        notes,
        timings,
    })
}

/// The evidence behind one account's score: its best on-topic posts, the
/// reactors behind its resonance, the neighbours that gave it PageRank, its
/// organic brand mentions, and the authenticity cues that fired.
fn evidence(
    ctx: &CampaignContext<'_>,
    matrix: &SignalMatrix,
    node: NodeId,
    k: usize,
) -> Vec<Evidence> {
    let engine = ctx.engine;
    let network = engine.network();
    let posts = &engine.dataset().posts;
    let mut out = Vec::new();
    // Posts that made the account relevant.
    if let Some(rel) = ctx.relevance.accounts.iter().find(|r| r.account == node) {
        for m in rel.top_posts.iter().take(k) {
            out.push(Evidence::Post {
                post: posts[m.post].id.clone(),
                why: format!(
                    "on topic (BM25 {:.2}; {}), {} reactions",
                    m.score,
                    m.keywords.join(", "),
                    m.reactions
                ),
                weight: m.score,
            });
        }
    }
    // Reactors behind the resonance: the authentic ones, as the resonance
    // signals count them.
    let authenticity = &engine.authenticity().score;
    let mut reactors: BTreeMap<u32, f64> = BTreeMap::new();
    for layer in REACTION_LAYERS {
        if let Some(g) = network.layer(layer) {
            let (ids, w) = g.in_neighbors(node);
            for (&u, &w) in ids.iter().zip(w) {
                if u != node.0 && crate::signals::is_authentic(authenticity, u) {
                    *reactors.entry(u).or_default() += f64::from(w);
                }
            }
        }
    }
    let mut reactors: Vec<(u32, f64)> = reactors.into_iter().collect();
    reactors.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (u, w) in reactors.into_iter().take(k) {
        out.push(Evidence::Account {
            account: NodeId(u),
            label: engine.label(NodeId(u)),
            why: format!("reacted {w:.0} times (re-share, quote, reply, like or mention)"),
            weight: w,
        });
    }
    // Neighbours that gave PageRank: pr(u) × w(u→v) / w_out(u).
    if let Some(pr) = matrix.full_column("reach.authentic_pagerank") {
        let g = &ctx.authentic_endorsement;
        let (ids, w) = g.in_neighbors(node);
        let mut given: Vec<(u32, f64)> = ids
            .iter()
            .zip(w)
            .filter(|&(&u, _)| u != node.0)
            .map(|(&u, &w)| {
                let out = g.weighted_out_degree(NodeId(u));
                (
                    u,
                    0.85 * pr[u as usize] * f64::from(w) / out.max(f64::MIN_POSITIVE),
                )
            })
            .collect();
        given.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (u, share) in given.into_iter().take(k) {
            out.push(Evidence::Account {
                account: NodeId(u),
                label: engine.label(NodeId(u)),
                why: format!(
                    "passed {share:.3} PageRank (of the account's total {:.3})",
                    pr[node.index()]
                ),
                weight: share,
            });
        }
    }
    // Organic brand mentions, strongest sentiment first.
    for m in crate::signals::brand::brand_mentions(ctx, node)
        .into_iter()
        .take(k)
    {
        out.push(Evidence::Post {
            post: posts[m.post].id.clone(),
            why: format!(
                "mentions the brand, sentiment {:+.2}, {} reactions",
                m.compound,
                reactions_of(&posts[m.post])
            ),
            weight: m.compound,
        });
    }
    for cue in engine.authenticity().cues(node) {
        out.push(Evidence::Note {
            text: format!("authenticity cue: {cue}"),
        });
    }
    out
}
