//! Graph signals computed once, elsewhere, and read back by a campaign.
//!
//! The graph signals dominate the cost of `discover` on a large network:
//! PageRank over the endorsement view (`reach.pagerank`) and over its
//! authentic part (`reach.authentic_pagerank`), the HyperBall estimate of
//! the two-hop reach (`reach.hop2`) and TrustRank (`trust.trustrank`). They
//! depend on the network, the authenticity of the accounts and (TrustRank
//! only) the campaign's trusted seeds, not on the topic, the brand or the
//! window, so they can be computed once ([`GraphScores::compute`], or the
//! distributed engine) and given to every campaign on the same data
//! ([`GraphScores::apply`]): the campaign then reads the values instead of
//! running the kernels, and its scores are the same bits as when it runs
//! them, because the values are the ones the signals compute (the file
//! keeps them with round-trip formatting).
//!
//! A [`Precomputed`] signal is the built-in signal with its column given:
//! name, family, description, weight and evidence are the built-in ones.

use super::{CampaignContext, Family, Signal, SignalMatrix, reach, trust};
use crate::campaign::Campaign;
use crate::discover::DiscoverOptions;
use crate::engine::{Engine, views};
use crate::names::{SignalName, reach as reach_names, trust as trust_names};
use portevoix_core::{Error, Evidence, NodeId};
use std::sync::Arc;

/// The signals a graph-scores file carries, in column order.
pub const GRAPH_SIGNALS: [SignalName; 4] = [
    reach_names::PAGERANK,
    reach_names::AUTHENTIC_PAGERANK,
    reach_names::HOP2,
    trust_names::TRUSTRANK,
];

/// Every account's value of some graph signals, keyed by external id.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphScores {
    /// The signals, in column order (names of [`GRAPH_SIGNALS`]).
    pub signals: Vec<String>,
    /// The accounts' external ids (one row each).
    pub ids: Vec<String>,
    /// One column per signal, one value per row of `ids`.
    pub columns: Vec<Vec<f64>>,
}

impl GraphScores {
    /// Computes the [`GRAPH_SIGNALS`] of `engine` as `discover` does, with
    /// `campaign`'s trusted seeds for TrustRank (its other settings do not
    /// matter; `None`: no trusted seeds, so TrustRank uses
    /// [`trust::default_seeds`]). Rows in dense id order.
    ///
    /// # Errors
    ///
    /// What the kernels report.
    ///
    /// # Complexity
    ///
    /// The four kernels' costs (two PageRanks, TrustRank's personalised
    /// PageRank, HyperBall at two hops), O(iterations × edges) each, and
    /// the authentic view's build, O(edges).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # fn f(engine: &portevoix_score::Engine) -> Result<(), portevoix_core::Error> {
    /// use portevoix_score::signals::precomputed::GraphScores;
    /// let scores = GraphScores::compute(engine, None)?;
    /// assert_eq!(scores.signals[0], "reach.pagerank");
    /// # Ok(()) }
    /// ```
    pub fn compute(engine: &Engine, campaign: Option<&Campaign>) -> Result<GraphScores, Error> {
        let placeholder;
        let campaign = match campaign {
            Some(c) => c,
            None => {
                placeholder = Campaign::builder("graph-scores")
                    .brand_name("graph-scores")
                    .build()?;
                &placeholder
            }
        };
        let ctx = graph_context(engine, campaign)?;
        let signals = graph_signals();
        let refs: Vec<&dyn Signal> = signals.iter().map(|s| s.as_ref()).collect();
        let matrix = SignalMatrix::compute_refs(&ctx, &refs, &[])?;
        let columns = matrix.columns.unwrap_or_default();
        let network = engine.network();
        Ok(GraphScores {
            signals: GRAPH_SIGNALS
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            ids: (0..engine.num_accounts())
                .map(|i| network.name(NodeId(i as u32)).to_string())
                .collect(),
            columns,
        })
    }

    /// The columns in `engine`'s dense id order: every account of the
    /// engine must have a row, and every row must be an account.
    ///
    /// # Errors
    ///
    /// [`Error::Input`] naming `source` and the row (line `row + 2`, after
    /// the header) of an id that is no account or repeats, or the first
    /// account without a row.
    pub fn dense_columns(&self, engine: &Engine, source: &str) -> Result<Vec<Vec<f64>>, Error> {
        let n = engine.num_accounts();
        let interner = engine.network().interner();
        let mut row_of = vec![u32::MAX; n];
        for (r, id) in self.ids.iter().enumerate() {
            let at = || portevoix_core::Location::line(source, r as u64 + 2).with_column(1);
            let Some(v) = interner.get(id).filter(|v| v.index() < n) else {
                return Err(Error::input(
                    at(),
                    format!(
                        "id {id} is not an account of the inputs: the file was computed from other data"
                    ),
                ));
            };
            if row_of[v.index()] != u32::MAX {
                return Err(Error::input(at(), format!("id {id} appears twice")));
            }
            row_of[v.index()] = r as u32;
        }
        if let Some(v) = row_of.iter().position(|&r| r == u32::MAX) {
            return Err(Error::input(
                portevoix_core::Location::line(source, self.ids.len() as u64 + 1),
                format!(
                    "account {} of the inputs has no row: the file was computed from other data",
                    engine.network().name(NodeId(v as u32))
                ),
            ));
        }
        Ok(self
            .columns
            .iter()
            .map(|c| row_of.iter().map(|&r| c[r as usize]).collect())
            .collect())
    }

    /// `options` with each signal of this file replaced by a [`Precomputed`]
    /// one reading its column (signals of the file that `options` does not
    /// compute are ignored; `source` names the file in errors).
    ///
    /// # Errors
    ///
    /// What [`GraphScores::dense_columns`] reports; [`Error::Signal`] for a
    /// column that is not a graph signal, or a non-finite value.
    pub fn apply(
        &self,
        engine: &Engine,
        source: &str,
        mut options: DiscoverOptions,
    ) -> Result<DiscoverOptions, Error> {
        let columns = self.dense_columns(engine, source)?;
        for (name, column) in self.signals.iter().zip(columns) {
            if !GRAPH_SIGNALS.iter().any(|s| s.as_str() == name) {
                return Err(Error::signal(
                    name,
                    format!("{source}: {name} is not a graph signal"),
                ));
            }
            if let Some(j) = options.signals.iter().position(|s| s.name() == name) {
                let inner = options.signals[j].clone();
                options.signals[j] = Arc::new(Precomputed {
                    inner,
                    values: column,
                });
            }
        }
        Ok(options)
    }
}

/// The built-in signals of [`GRAPH_SIGNALS`], in that order.
fn graph_signals() -> Vec<Arc<dyn Signal>> {
    vec![
        Arc::new(reach::EndorsementPageRank::new(false)),
        Arc::new(reach::EndorsementPageRank::new(true)),
        Arc::new(reach::TwoHopReach),
        Arc::new(trust::TrustRank),
    ]
}

/// The campaign context the graph signals read: the endorsement view, its
/// authentic part and the trusted seeds, as [`CampaignContext::new`] builds
/// them; no topic relevance, posts in scope or brand lists (the graph
/// signals read none of them).
fn graph_context<'a>(
    engine: &'a Engine,
    campaign: &'a Campaign,
) -> Result<CampaignContext<'a>, Error> {
    let endorsement = views::endorsement(engine.network())?;
    let authentic_endorsement = views::authentic_view(&endorsement, &engine.authenticity().score)?;
    let (seeds, missing) = engine.resolve_all(&campaign.trusted_seeds);
    Ok(CampaignContext {
        engine,
        campaign,
        relevance: portevoix_text::corpus::Relevance {
            topic: String::new(),
            documents: 0,
            average_length: 0.0,
            posts_considered: 0,
            posts_outside_window: 0,
            posts_other_language: 0,
            posts_excluded: 0,
            reference_time: None,
            keywords: Vec::new(),
            warnings: Vec::new(),
            accounts: Vec::new(),
        },
        post_in_scope: Vec::new(),
        endorsement,
        authentic_endorsement,
        brand: Vec::new(),
        employees: Vec::new(),
        customers: Vec::new(),
        seeds,
        unresolved: missing.into_iter().map(str::to_string).collect(),
        brand_sentiment: std::sync::OnceLock::new(),
    })
}

/// A built-in signal whose values were computed beforehand (a graph-scores
/// file): everything but [`Signal::compute`] is the built-in signal's.
pub struct Precomputed {
    /// The signal the values are of.
    pub inner: Arc<dyn Signal>,
    /// Its values, dense id order.
    pub values: Vec<f64>,
}

impl Signal for Precomputed {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn family(&self) -> Family {
        self.inner.family()
    }
    fn description(&self) -> &str {
        self.inner.description()
    }
    fn default_weight(&self) -> f64 {
        self.inner.default_weight()
    }
    fn compute(&self, _ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        Ok(self.values.clone())
    }
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        self.inner.evidence(ctx, column, account, k)
    }
}

/// How many default TrustRank seeds [`trust::default_seeds`] picks among
/// `n` accounts (at most): `max(⌈n / 100⌉, 10)`. For engines that pick
/// them elsewhere (the distributed one).
pub fn default_seed_count(n: usize) -> usize {
    n.div_ceil(100).max(10)
}
