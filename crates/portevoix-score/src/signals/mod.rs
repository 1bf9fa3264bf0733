//! Signals: one number per account and per measurable aspect of influence,
//! gathered into a matrix whose columns the scores combine.
//!
//! A [`Signal`] is a named function of a [`CampaignContext`] (the engine's
//! data plus one campaign) returning one value per account. Each belongs to
//! a [`Family`] (reach, resonance, relevance, trust, brand affinity), whose
//! weight the campaign's objective sets. [`SignalMatrix::compute`] runs a
//! list of signals in parallel and keeps the rows of the candidate pool.
//!
//! The built-in signals are listed by [`builtin`]; users add their own by
//! implementing [`Signal`] and passing it with the built-in ones.

pub mod brand;
pub mod reach;
pub mod relevance;
pub mod resonance;
pub mod trust;

use crate::campaign::Campaign;
use crate::engine::Engine;
use ndarray::Array2;
use portevoix_core::{Error, Layer, NodeId};
use portevoix_graph::LayerGraph;
use portevoix_text::corpus::{Relevance, RelevanceOptions};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// The five families of signals (DESIGN.md, "Signals").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// How many people the account's content can reach.
    Reach,
    /// How much its content makes people react.
    Resonance,
    /// How much it is about the campaign's topic.
    Relevance,
    /// How far it can be trusted (relationships, authenticity, ratings).
    Trust,
    /// How it relates to the brand.
    BrandAffinity,
}

impl Family {
    /// The family's name in reports and weights (`brand_affinity`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Family::Reach => "reach",
            Family::Resonance => "resonance",
            Family::Relevance => "relevance",
            Family::Trust => "trust",
            Family::BrandAffinity => "brand_affinity",
        }
    }
}

/// One signal: a named, documented function from the data and a campaign to
/// one value per account.
///
/// Implementations must be deterministic (same input, same values, whatever
/// the number of threads) and return exactly one finite value per account
/// (`ctx.engine.num_accounts()` values); "no data" is 0 unless the signal's
/// documentation says otherwise.
pub trait Signal: Send + Sync {
    /// `family.name` (e.g. `reach.pagerank`), unique in a matrix.
    fn name(&self) -> &str;
    /// Its family.
    fn family(&self) -> Family;
    /// One line for reports: what it measures and how.
    fn description(&self) -> &str;
    /// Its share of its family's weight in the contextual score, relative to
    /// the other signals of the family (1 by default). 0 keeps the signal in
    /// the matrix and the reports (and available to the classification)
    /// without scoring it: the raw audience, which the baseline uses and the
    /// contextual score replaces by the authentic audience, or the count of
    /// negative brand mentions, which is worse when higher.
    fn default_weight(&self) -> f64 {
        1.0
    }
    /// One value per account (dense id order).
    ///
    /// # Errors
    ///
    /// When a kernel it runs rejects its input.
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error>;
}

/// The data and the campaign every signal reads, with what several signals
/// share computed once: the topic relevance of every account, the posts in
/// the campaign's window and languages, the endorsement view of the network,
/// the campaign's lists resolved to accounts.
pub struct CampaignContext<'a> {
    /// The data.
    pub engine: &'a Engine,
    /// The campaign.
    pub campaign: &'a Campaign,
    /// Topic relevance of every account with text (window and languages applied).
    pub relevance: Relevance,
    /// Per post of `engine.dataset().posts`: inside the window and languages.
    pub post_in_scope: Vec<bool>,
    /// Merged endorsement layers present (follow, repost, quote, like), weight 1
    /// each; the reply and mention layers when no endorsement layer exists;
    /// the positive ratings in a network of ratings only.
    pub endorsement: Cow<'a, LayerGraph>,
    /// The endorsement view without the edges given by inauthentic accounts
    /// (authenticity below [`AUTHENTIC_MIN`]): what bought followers and
    /// engagement pods add is not there. The contextual reach signals and
    /// the reactor counts run on it.
    pub authentic_endorsement: LayerGraph,
    /// The brand's accounts.
    pub brand: Vec<NodeId>,
    /// Employees and collaborators.
    pub employees: Vec<NodeId>,
    /// Customers and users.
    pub customers: Vec<NodeId>,
    /// Trusted seeds.
    pub seeds: Vec<NodeId>,
    /// Names in the campaign that match no account.
    pub unresolved: Vec<String>,
    /// Per post of `engine.dataset().posts`: the target sentiment compound
    /// toward the brand of an organic brand mention in scope, `None` for the
    /// other posts; computed on first use by
    /// [`CampaignContext::brand_post_sentiment`] (see [`brand`]).
    pub brand_sentiment: std::sync::OnceLock<Vec<Option<f64>>>,
}

impl<'a> CampaignContext<'a> {
    /// Prepares the shared parts for `campaign` on `engine`.
    ///
    /// # Errors
    ///
    /// An invalid campaign, or a topic the corpus cannot score.
    pub fn new(engine: &'a Engine, campaign: &'a Campaign) -> Result<CampaignContext<'a>, Error> {
        campaign.validate()?;
        let relevance = engine.corpus().relevance(
            &campaign.topic,
            &RelevanceOptions {
                window: campaign.window,
                ..RelevanceOptions::default()
            },
        )?;
        let languages: Vec<&str> = campaign.languages.iter().map(|l| l.code()).collect();
        let post_in_scope = engine
            .dataset()
            .posts
            .iter()
            .map(|p| {
                let in_window = campaign
                    .window
                    .is_none_or(|(from, to)| p.time.is_some_and(|t| t >= from && t < to));
                let in_language = languages.is_empty()
                    || p.language.as_deref().is_none_or(|l| {
                        languages
                            .iter()
                            .any(|c| l.eq_ignore_ascii_case(c) || l.starts_with(c))
                    });
                in_window && in_language
            })
            .collect();
        let network = engine.network();
        let present: Vec<Layer> = network.layers().map(|(l, _)| l).collect();
        let mut chosen: Vec<(Layer, f32)> = present
            .iter()
            .filter(|l| l.is_endorsement())
            .map(|&l| (l, 1.0))
            .collect();
        if chosen.is_empty() {
            chosen = present
                .iter()
                .filter(|l| matches!(l, Layer::Reply | Layer::Mention))
                .map(|&l| (l, 1.0))
                .collect();
        }
        let endorsement = match chosen.as_slice() {
            // A trust network (ratings only): its positive ratings endorse.
            [] => Cow::Owned(match positive_ratings(network)? {
                Some(g) => g,
                None => LayerGraph::empty(network.num_nodes()),
            }),
            [(layer, _)] => network
                .layer(*layer)
                .map_or_else(|| Cow::Owned(network.merged(&chosen)), Cow::Borrowed),
            _ => Cow::Owned(network.merged(&chosen)),
        };
        let mut unresolved = Vec::new();
        let mut resolve = |names: &[String]| {
            let (found, missing) = engine.resolve_all(names);
            unresolved.extend(missing.into_iter().map(str::to_string));
            found
        };
        let brand = resolve(&campaign.brand.handles);
        let employees = resolve(&campaign.employees);
        let customers = resolve(&campaign.customers);
        let seeds = resolve(&campaign.trusted_seeds);
        let authentic = &engine.authenticity().score;
        let authentic_endorsement = authentic_view(&endorsement, authentic)?;
        let ctx = CampaignContext {
            engine,
            campaign,
            relevance,
            post_in_scope,
            endorsement,
            authentic_endorsement,
            brand,
            employees,
            customers,
            seeds,
            unresolved,
            brand_sentiment: std::sync::OnceLock::new(),
        };
        // Fill the brand-sentiment cache now, outside the signals' parallel
        // tasks, so that it is computed once.
        if !ctx.brand.is_empty() || !campaign.brand.is_empty() {
            ctx.brand_post_sentiment();
        }
        Ok(ctx)
    }

    /// Indices of the account's posts in scope (window and languages).
    pub fn posts_in_scope(&self, account: NodeId) -> impl Iterator<Item = usize> + '_ {
        self.engine
            .posts_of(account)
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| self.post_in_scope[i])
    }
}

/// Authenticity from which an account's endorsements and reactions count in
/// the contextual signals (0.5: a shell, a pod member or a declared bot is
/// below; one mild cue such as a default profile is not).
pub const AUTHENTIC_MIN: f64 = 0.5;

/// Whether account `v` counts as authentic.
pub fn is_authentic(authenticity: &[f64], v: u32) -> bool {
    authenticity
        .get(v as usize)
        .is_none_or(|a| *a >= AUTHENTIC_MIN)
}

/// The positive ratings (rating value > 0; unit weights) of the rating
/// layer, if the network has one.
///
/// # Errors
///
/// What the CSR build reports (none for a valid network).
pub fn positive_ratings(network: &portevoix_graph::Network) -> Result<Option<LayerGraph>, Error> {
    let Some(g) = network.layer(Layer::Rating) else {
        return Ok(None);
    };
    let edges: Vec<(u32, u32)> = g
        .edges()
        .enumerate()
        .filter(|(e, _)| g.edge_value(*e).unwrap_or(1.0) > 0.0)
        .map(|(_, (a, b, _))| (a.0, b.0))
        .collect();
    Ok(Some(LayerGraph::from_edges(
        network.num_nodes(),
        &edges,
        &portevoix_graph::BuildOptions::default(),
    )?))
}

/// `graph` without the edges whose source is not authentic.
fn authentic_view(graph: &LayerGraph, authenticity: &[f64]) -> Result<LayerGraph, Error> {
    let mut log = portevoix_core::interaction::LayerLog::default();
    for (a, b, w) in graph.edges() {
        if is_authentic(authenticity, a.0) {
            log.actor.push(a.0);
            log.target.push(b.0);
            log.weight.push(w);
        }
    }
    portevoix_graph::LayerGraph::build(
        &log,
        graph.num_nodes(),
        &portevoix_graph::BuildOptions::default(),
    )
}

/// Description of one column of a [`SignalMatrix`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalInfo {
    /// `family.name`.
    pub name: String,
    /// Its family.
    pub family: Family,
    /// What it measures.
    pub description: String,
    /// Its share of the family's weight ([`Signal::default_weight`], or the
    /// user's override).
    pub weight: f64,
}

/// Signals of the candidate pool: one row per candidate (ascending id), one
/// column per signal.
#[derive(Debug, Clone)]
pub struct SignalMatrix {
    /// The candidates, ascending id.
    pub accounts: Vec<NodeId>,
    /// The columns.
    pub signals: Vec<SignalInfo>,
    /// `accounts.len() × signals.len()` values.
    pub values: Array2<f64>,
    /// Every account's value of every signal (one vector per column, dense id
    /// order), kept by [`SignalMatrix::compute`] because explanations cite
    /// neighbours outside the pool; `None` for a matrix built by hand.
    pub columns: Option<Vec<Vec<f64>>>,
}

impl SignalMatrix {
    /// Runs `signals` (in parallel, one task per signal) and keeps the rows of
    /// `candidates`.
    ///
    /// # Errors
    ///
    /// [`Error::Signal`] for duplicate signal names or a signal that
    /// returns the wrong number of values or a non-finite value; the first
    /// error a signal returns.
    ///
    /// # Complexity
    ///
    /// The sum of the signals' costs, spread over the threads, plus
    /// O(candidates × signals) to gather.
    pub fn compute(
        ctx: &CampaignContext<'_>,
        signals: &[Box<dyn Signal>],
        candidates: &[NodeId],
    ) -> Result<SignalMatrix, Error> {
        let refs: Vec<&dyn Signal> = signals.iter().map(|s| s.as_ref()).collect();
        SignalMatrix::compute_refs(ctx, &refs, candidates)
    }

    /// [`SignalMatrix::compute`] over borrowed signals (built-in and user
    /// signals held in different places).
    ///
    /// # Errors
    ///
    /// As [`SignalMatrix::compute`].
    pub fn compute_refs(
        ctx: &CampaignContext<'_>,
        signals: &[&dyn Signal],
        candidates: &[NodeId],
    ) -> Result<SignalMatrix, Error> {
        let mut names: Vec<&str> = signals.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::signal(w[0], "registered twice"));
        }
        let n = ctx.engine.num_accounts();
        let columns: Vec<Vec<f64>> = signals
            .par_iter()
            .map(|s| {
                let values = s.compute(ctx)?;
                if values.len() != n {
                    return Err(Error::signal(
                        s.name(),
                        format!("returned {} values for {n} accounts", values.len()),
                    ));
                }
                if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                    return Err(Error::signal(
                        s.name(),
                        format!(
                            "{} gave {} for account {}",
                            s.name(),
                            values[i],
                            ctx.engine.label(NodeId(i as u32))
                        ),
                    ));
                }
                Ok(values)
            })
            .collect::<Result<_, Error>>()?;
        let mut values = Array2::zeros((candidates.len(), signals.len()));
        for (j, column) in columns.iter().enumerate() {
            for (i, a) in candidates.iter().enumerate() {
                values[[i, j]] = column[a.index()];
            }
        }
        Ok(SignalMatrix {
            accounts: candidates.to_vec(),
            signals: signals
                .iter()
                .map(|s| SignalInfo {
                    name: s.name().to_string(),
                    family: s.family(),
                    description: s.description().to_string(),
                    weight: s.default_weight(),
                })
                .collect(),
            values,
            columns: Some(columns),
        })
    }

    /// The column of a signal by name.
    pub fn column(&self, name: &str) -> Option<ndarray::ArrayView1<'_, f64>> {
        let j = self.signals.iter().position(|s| s.name == name)?;
        Some(self.values.column(j))
    }

    /// Every account's value of a signal (dense id order), when kept.
    pub fn full_column(&self, name: &str) -> Option<&[f64]> {
        let j = self.signals.iter().position(|s| s.name == name)?;
        self.columns.as_ref().map(|c| c[j].as_slice())
    }

    /// The row of an account, if it is a candidate.
    pub fn row(&self, account: NodeId) -> Option<ndarray::ArrayView1<'_, f64>> {
        let i = self.accounts.binary_search(&account).ok()?;
        Some(self.values.row(i))
    }
}

/// The built-in signals implemented today, in a fixed order: reach
/// (audience, PageRank over the endorsement layers, 2-hop reach), resonance
/// (reactions per post, unique reactors, reactions discounted for reactors
/// who react to everything, engagement rate against the audience tier),
/// relevance (BM25, on-topic share, reactions to on-topic posts, recency,
/// keyword diversity, topical authority), trust (reciprocity, repeated
/// interaction, conversation, authenticity, audience quality, TrustRank,
/// EigenTrust over ratings) and, last, brand affinity (organic brand
/// mentions, their sentiment, positive and negative mentions, following the
/// brand, employee, customer).
pub fn builtin() -> Vec<Box<dyn Signal>> {
    let mut out: Vec<Box<dyn Signal>> = Vec::new();
    out.extend(reach::signals());
    out.extend(resonance::signals());
    out.extend(relevance::signals());
    out.extend(trust::signals());
    out.extend(brand::signals());
    out
}

/// Median of a slice (NaN-free), 0 for an empty one; sorts a copy, the
/// caller's slice is left as it was.
pub(crate) fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_leaves_the_callers_slice_alone() {
        let values = vec![5.0, 1.0, 4.0, 2.0];
        assert_eq!(median(&values), 3.0);
        assert_eq!(values, [5.0, 1.0, 4.0, 2.0]);
        assert_eq!(median(&[7.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[]), 0.0);
    }
}
