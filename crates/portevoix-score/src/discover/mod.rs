//! Discovery: the whole scoring path for one campaign, from an [`Engine`] to
//! a ranked, explained and classified [`Discovery`]. The CLI's `discover`
//! calls exactly this.
//!
//! Stages (each announced to [`DiscoverOptions::on_stage`] and timed in
//! [`Discovery::timings`] by [`stages::Stages`]):
//!
//! 1. **context**: topic relevance of every account, posts in scope, the
//!    endorsement view, the campaign's lists resolved;
//! 2. **candidates**: accounts with a post in scope (or, in data without
//!    posts, with an interaction in the window), filtered by the campaign's
//!    [`crate::campaign::CandidateFilter`] ([`crate::context::candidates`]);
//! 3. **signals**: every built-in signal and the user's, in parallel;
//! 4. **communities**: the engine's, computed once per engine
//!    ([`Engine::communities`]), with the behaviour the classification reads;
//! 5. **scores**: baseline and contextual ([`crate::scoring`]);
//! 6. **classes**: tiers, roles, ambassadors, detractors, pyramid
//!    ([`crate::classify`]);
//! 7. **explanations**: for the accounts reported, the posts, reactors,
//!    PageRank neighbours and brand mentions behind the score
//!    ([`evidence`]).

pub mod evidence;
pub mod stages;

pub use stages::StageCallback;

use crate::campaign::Campaign;
use crate::classify::{self, Classes};
use crate::context::{CampaignContext, candidates};
use crate::discovery::{ClassCounts, DiscoveredAccount, Discovery, Tier};
use crate::engine::Engine;
use crate::scoring::{self, ScoreOptions, Scores};
use crate::signals::{Signal, SignalMatrix, builtin};
use portevoix_core::{Error, ExternalId, NodeId};
use rayon::prelude::*;
use stages::Stages;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Options of [`discover`] beyond the campaign. Cheap to clone: signals and
/// the callback are shared.
#[derive(Clone)]
pub struct DiscoverOptions {
    /// Accounts kept in the result, best first (`None`: every candidate).
    /// Counts cover every candidate whatever this is.
    pub top: Option<usize>,
    /// The signals computed, in column order: the built-in ones
    /// ([`builtin`]) by default. Add a user's signal with
    /// [`DiscoverOptions::with_signal`] (its family weight applies,
    /// [`Signal::default_weight`] its share), or replace a built-in one by
    /// another of the same name.
    pub signals: Vec<Arc<dyn Signal>>,
    /// Evidence items of each kind per explained account (5).
    pub evidence: usize,
    /// Called when a stage starts, with its name (for progress bars).
    pub on_stage: Option<StageCallback>,
}

impl Default for DiscoverOptions {
    fn default() -> DiscoverOptions {
        DiscoverOptions {
            top: None,
            signals: builtin(),
            evidence: 5,
            on_stage: None,
        }
    }
}

impl DiscoverOptions {
    /// These options with `signal` computed too (after the others).
    pub fn with_signal(mut self, signal: Arc<dyn Signal>) -> DiscoverOptions {
        self.signals.push(signal);
        self
    }

    /// These options with the signal of the same name replaced by `signal`
    /// (or added when there is none).
    pub fn replacing(mut self, signal: Arc<dyn Signal>) -> DiscoverOptions {
        match self.signals.iter().position(|s| s.name() == signal.name()) {
            Some(j) => self.signals[j] = signal,
            None => self.signals.push(signal),
        }
        self
    }
}

impl std::fmt::Debug for DiscoverOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscoverOptions")
            .field("top", &self.top)
            .field(
                "signals",
                &self
                    .signals
                    .iter()
                    .map(|s| s.name().to_string())
                    .collect::<Vec<_>>(),
            )
            .field("evidence", &self.evidence)
            .finish()
    }
}

/// Scores, classifies and explains the candidates of `campaign`.
///
/// # Arguments
///
/// - `engine`: the data, built once;
/// - `campaign`: topic, brand, objective, lists, filters, gates, thresholds;
/// - `options`: how many accounts to keep and explain, the signals.
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
/// An invalid campaign ([`Error::Config`]) or signal ([`Error::Signal`];
/// see [`SignalMatrix::compute`] and [`scoring::compute`]).
///
/// # Complexity
///
/// The signals dominate: a few PageRank-type kernels and one HyperBall over
/// the endorsement view, O(iterations × E) each, plus the corpus's relevance
/// O(posts); the rest is O(E + n log n). The communities and the behaviour
/// are the engine's, computed on its first discovery.
///
/// # Example
///
/// ```
/// use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
/// use portevoix_score::{Campaign, DiscoverOptions, Engine};
///
/// let csv = b"tweet_id,name,text,tweet_created\n\
///     1,ann,@united lost my bag again,2015-02-20T10:00\n\
///     2,bob,@united great crew today thanks,2015-02-21T11:00\n\
///     3,bob,@united thank you for the lovely flight,2015-02-22T11:00\n".to_vec();
/// let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
/// let engine = Engine::builder().dataset(dataset).build().unwrap();
/// let campaign = Campaign::from_toml_str(
///     "objective = \"advocacy\"\n[brand]\nhandles = [\"@united\"]\n[topic.keywords]\nflight = 1.0\nbag = 1.0\n",
///     "c.toml",
/// ).unwrap();
/// let d = engine.discover(&campaign, &DiscoverOptions::default()).unwrap();
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
    let mut stages = Stages::new(options.on_stage.as_ref());
    let ctx = stages.run("context", || CampaignContext::new(engine, campaign))?;
    let pool = candidates(&ctx);
    let matrix = stages.run("signals", || {
        SignalMatrix::compute(&ctx, &options.signals, &pool)
    })?;
    let (communities, behaviour) = stages.run("communities", || -> Result<_, Error> {
        Ok((engine.communities()?, engine.behaviour()?))
    })?;
    let scores = stages.run("scores", || {
        let rows_community: Vec<u32> = pool.iter().map(|a| communities[a.index()]).collect();
        scoring::compute(
            &matrix,
            &campaign.weights(),
            &ScoreOptions::of(campaign),
            Some(&rows_community),
        )
    })?;
    let (classes, pyramid) = stages.run("classes", || {
        let o = &campaign.classification;
        let classes = classify::classify(&matrix, &scores, behaviour, communities, o);
        let mut influencer = vec![false; engine.num_accounts()];
        for (r, c) in classes.iter().enumerate() {
            if c.tier != Tier::Other {
                influencer[pool[r].index()] = true;
            }
        }
        let pyramid = classify::pyramid(engine, behaviour, &influencer, o);
        (classes, pyramid)
    });
    let accounts = stages.run("explanations", || {
        let parts = Parts {
            ctx: &ctx,
            matrix: &matrix,
            scores: &scores,
            classes: &classes,
            pyramid: &pyramid,
            communities,
        };
        parts.accounts(&options.signals, options.top, options.evidence)
    });
    let notes = notes(&ctx, &scores, &options.signals);
    Ok(Discovery {
        campaign: campaign.name.clone(),
        objective: campaign.objective,
        effective_weights: matrix
            .signals
            .iter()
            .zip(&scores.effective_weights)
            .map(|(s, w)| (s.name.clone(), *w))
            .collect::<BTreeMap<_, _>>(),
        signals: matrix.signals.clone(),
        accounts,
        counts: counts(&classes, &pyramid),
        num_accounts: engine.num_accounts(),
        num_candidates: pool.len(),
        unresolved: ctx.unresolved.clone(),
        notes,
        timings: stages.timings(),
    })
}

impl Engine {
    /// [`discover`] on this engine: `engine.discover(&campaign, &options)?`.
    ///
    /// # Errors
    ///
    /// As [`discover`].
    pub fn discover(
        &self,
        campaign: &Campaign,
        options: &DiscoverOptions,
    ) -> Result<Discovery, Error> {
        discover(self, campaign, options)
    }
}

/// What the accounts of a discovery are assembled from.
struct Parts<'a> {
    ctx: &'a CampaignContext<'a>,
    matrix: &'a SignalMatrix,
    scores: &'a Scores,
    classes: &'a [Classes],
    pyramid: &'a [(u8, Vec<String>)],
    communities: &'a [u32],
}

impl Parts<'_> {
    /// The `top` best candidates (all when `None`), ranked, explained with
    /// at most `k` evidence items of each kind.
    fn accounts(
        &self,
        signals: &[Arc<dyn Signal>],
        top: Option<usize>,
        k: usize,
    ) -> Vec<DiscoveredAccount> {
        let engine = self.ctx.engine;
        let pool = &self.matrix.accounts;
        // Ties break on the external id (numbers by value, then text).
        let keys: Vec<ExternalId<'_>> = pool.iter().map(|a| engine.network().name(*a)).collect();
        let rank = scoring::ranks(&self.scores.contextual, &keys);
        let baseline_rank = scoring::ranks(&self.scores.baseline, &keys);
        let mut order: Vec<usize> = (0..pool.len()).collect();
        order.sort_by_key(|&r| rank[r]);
        let keep = top.unwrap_or(order.len()).min(order.len());
        order[..keep]
            .par_iter()
            .map(|&r| {
                let mut account = self.account(r, pool[r], signals, k);
                account.rank = rank[r];
                account.baseline_rank = baseline_rank[r];
                account
            })
            .collect()
    }

    /// Candidate row `r` (account `node`), ranks left at 0.
    fn account(
        &self,
        r: usize,
        node: NodeId,
        signals: &[Arc<dyn Signal>],
        k: usize,
    ) -> DiscoveredAccount {
        let engine = self.ctx.engine;
        let mut explanation = scoring::explain_contextual(self.matrix, self.scores, r);
        explanation
            .evidence
            .extend(evidence::evidence(self.ctx, signals, self.matrix, node, k));
        let classes = self.classes[r].clone();
        let (level, pyramid_evidence) = self.pyramid[node.index()].clone();
        DiscoveredAccount {
            id: engine.external_id(node),
            handle: engine.handle(node).map(|h| format!("@{h}")),
            name: engine.account(node).and_then(|a| a.display_name.clone()),
            node,
            contextual_score: self.scores.contextual[r],
            baseline_score: self.scores.baseline[r],
            rank: 0,
            baseline_rank: 0,
            tier: classes.tier,
            role: classes.role,
            ambassador: classes.ambassador,
            detractor: classes.detractor,
            pyramid_level: level,
            community: Some(self.communities[node.index()]),
            signals: self
                .matrix
                .signals
                .iter()
                .enumerate()
                .map(|(j, s)| (s.name.clone(), self.matrix.values[[r, j]]))
                .collect(),
            gate: self.scores.gates[r],
            explanation,
            baseline_explanation: scoring::explain_baseline(self.matrix, self.scores, r),
            classification_evidence: classes.evidence,
            pyramid_evidence,
        }
    }
}

/// Counts per class over every candidate, and per pyramid level over every
/// account.
fn counts(classes: &[Classes], pyramid: &[(u8, Vec<String>)]) -> ClassCounts {
    let mut counts = ClassCounts::default();
    for (level, _) in pyramid {
        counts.pyramid[(*level as usize).clamp(1, 5) - 1] += 1;
    }
    for c in classes {
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
    counts
}

/// Whether `name` is one of the built-in signals.
fn is_builtin(name: &str) -> bool {
    builtin().iter().any(|s| s.name() == name)
}

/// The notes of the scores, the names that match no account, the user
/// signals computed.
fn notes(ctx: &CampaignContext<'_>, scores: &Scores, signals: &[Arc<dyn Signal>]) -> Vec<String> {
    let mut notes = scores.notes.clone();
    if !ctx.unresolved.is_empty() {
        notes.push(format!(
            "names in the campaign that match no account: {}",
            ctx.unresolved.join(", ")
        ));
    }
    for s in signals.iter().filter(|s| !is_builtin(s.name())) {
        notes.push(format!("user signal {} computed", s.name()));
    }
    notes
}
