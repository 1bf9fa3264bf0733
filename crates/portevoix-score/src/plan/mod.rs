//! Campaign planning: which `k` people together (or within a budget) reach
//! the most of the campaign's target audience, counting the overlap of
//! their audiences, with what each pick adds and why.
//!
//! A ranking answers "who is good"; a campaign needs "which ten together".
//! The [`Planner`] runs on the same [`Engine`] as [`discover`]:
//!
//! 1. **discover**: the campaign's candidates, their contextual scores,
//!    ranks, tiers and gates ([`discover`]);
//! 2. **eligible**: the candidates that pass the campaign's gates
//!    (authenticity, relevance floor: their contextual score was not set to
//!    0) and are not detractors (a plan chooses people to speak for the
//!    campaign; detractors are never chosen). Everyone else still relays
//!    influence and counts as audience;
//! 3. **audience** ([`audience`]): the accounts relevant to the topic (or
//!    everyone when the data has no text, or a given list); reach counts
//!    only them;
//! 4. **model**: who influences whom on the endorsement view of the
//!    network ([`views::endorsement`]: re-shares, follows, quotes, likes;
//!    replies and mentions when there are none; positive ratings in a trust
//!    network), with influence flowing from the endorsed to the endorser;
//!    independent cascade or linear threshold with weighted-cascade
//!    (`1/d_in`), fitted ([`fit_reshare_rates`]) or constant probabilities,
//!    or the deterministic coverage model (unique 1- or 2-hop audience);
//! 5. **select**: IMM ([`imm`]: `(1 − 1/e − ε)` with probability
//!    `1 − n^−ℓ`, both stated in the [`Plan`]) or the coverage greedy; with
//!    a budget, the cost-effective lazy greedy against the best single pick
//!    (Khuller, Moss & Naor 1999; Leskovec et al. 2007); costs from a price
//!    list or the documented tiers ([`costs::TIER_COSTS`]);
//! 6. **compare and check**: the plan against what a naive user would pick
//!    (the top `k` of [`discover`], or the top by score until the budget),
//!    both evaluated on the same reverse-reachable sets and by an
//!    independent Monte Carlo estimate on other seeds ([`estimate_spread`]).
//!
//! # Example
//!
//! ```
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//! use portevoix_score::Engine;
//! use portevoix_score::plan::{PlanOptions, Planner};
//! use portevoix_score::campaign::Campaign;
//!
//! // Higgs-format retweets ("A B t RT": A retweeted B). 1..=4 retweeted 0,
//! // 1..=3 retweeted 9 too, 5..=7 retweeted 8. Weighted cascade: 1..=3 have
//! // two sources (1/2 each), 4..=7 one. Alone, 8 reaches 4, 0 reaches 3.5,
//! // 9 reaches 2.5.
//! let mut log = String::new();
//! for u in 1..=4 { log += &format!("{u} 0 1341100972 RT\n"); }
//! for u in 1..=3 { log += &format!("{u} 9 1341100972 RT\n"); }
//! for u in 5..=7 { log += &format!("{u} 8 1341100972 RT\n"); }
//! let data = load_bytes("rt.txt", log.into_bytes(), FormatKind::Higgs, &ReadOptions::default())?;
//! let engine = Engine::builder().dataset(data).build()?;
//! let campaign = Campaign::from_toml_str("authenticity_gate = 0.0\n[topic.keywords]\nnews = 1.0\n", "c.toml")?;
//! let planner = Planner::new(&engine, &campaign, None)?;
//! let plan = planner.plan(&PlanOptions { k: 2, check_runs: 2000, ..PlanOptions::default() })?;
//! let ids: Vec<&str> = plan.picks.iter().map(|p| p.id.as_str()).collect();
//! assert_eq!(ids, ["8", "0"]);
//! assert!((plan.summary.reach - 7.5).abs() < 0.3); // 4 + 3.5, no overlap
//! let check = plan.summary.reach_check.as_ref().unwrap();
//! assert!((check.mean - 7.5).abs() < 4.0 * check.std_error + 1e-9);
//! # Ok::<(), portevoix_core::Error>(())
//! ```
//!
//! # References
//!
//! * D. Kempe, J. Kleinberg, É. Tardos, *Maximizing the Spread of Influence
//!   through a Social Network*, KDD 2003.
//! * Y. Tang, Y. Shi, X. Xiao, *Influence Maximization in Near-Linear Time:
//!   A Martingale Approach*, SIGMOD 2015.
//! * J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen,
//!   N. Glance, *Cost-effective Outbreak Detection in Networks*, KDD 2007.
//! * S. Khuller, A. Moss, J. Naor, *The budgeted maximum coverage problem*,
//!   Information Processing Letters 70, 1999.
//!
//! [`discover`]: crate::discover::discover
//! [`views::endorsement`]: crate::engine::views::endorsement
//! [`fit_reshare_rates`]: portevoix_graph::kernels::influence_max::fit_reshare_rates
//! [`imm`]: portevoix_graph::kernels::influence_max::imm
//! [`estimate_spread`]: portevoix_graph::kernels::influence_max::estimate_spread

pub mod audience;
pub mod costs;
mod explain;
mod select;

pub use audience::{AudienceReport, parse_audience_list};
pub use costs::{CostReport, PriceRow, TIER_COSTS, parse_price_list, tier_cost};

use crate::campaign::Campaign;
use crate::discover::{DiscoverOptions, StageCallback, discover};
use crate::discovery::{Discovery, Tier};
use crate::engine::{Engine, views};
use crate::scoring::Gate;
use portevoix_core::{Error, NodeId};
use portevoix_graph::LayerGraph;
use portevoix_graph::kernels::influence_max::{Audience, CandidateGate, SpreadEstimate};
use serde::Serialize;
use std::borrow::Cow;
use std::str::FromStr;
use std::time::Instant;

/// The spreading model of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanModel {
    /// Independent cascade (`ic`): each newly reached account gets one
    /// chance to reach each of its endorsers, with the edge's probability.
    IndependentCascade,
    /// Linear threshold (`lt`): an account is reached when the weights of
    /// its reached sources pass a uniform random threshold.
    LinearThreshold,
    /// Coverage (`coverage`): deterministic, the unique audience within two
    /// hops (one with [`PlanOptions::coverage_hops`] = 1), for data where
    /// only the structure is known.
    Coverage,
}

impl PlanModel {
    /// The command-line name (`ic`, `lt`, `coverage`).
    pub fn name(self) -> &'static str {
        match self {
            PlanModel::IndependentCascade => "ic",
            PlanModel::LinearThreshold => "lt",
            PlanModel::Coverage => "coverage",
        }
    }
}

impl FromStr for PlanModel {
    type Err = Error;
    fn from_str(s: &str) -> Result<PlanModel, Error> {
        match s.to_ascii_lowercase().as_str() {
            "ic" => Ok(PlanModel::IndependentCascade),
            "lt" => Ok(PlanModel::LinearThreshold),
            "coverage" => Ok(PlanModel::Coverage),
            other => Err(Error::argument(
                "--model",
                format!("unknown model `{other}`: ic, lt or coverage"),
            )),
        }
    }
}

/// How edge probabilities are estimated from the interaction data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateEstimator {
    /// Weighted cascade (`wc`, Kempe et al. 2003): an account that endorsed
    /// `d` distinct accounts is reached by each with probability `1/d`.
    WeightedCascade,
    /// Fitted (`fitted`) on the observed re-shares with their times
    /// ([`fit_reshare_rates`](portevoix_graph::kernels::influence_max::fit_reshare_rates):
    /// re-shares per exposure, Beta prior by empirical Bayes); needs
    /// times on a single endorsement layer.
    Fitted,
    /// The same probability on every edge (`constant:P`).
    Constant(f64),
}

impl RateEstimator {
    /// The command-line name (`wc`, `fitted`, `constant:P`).
    pub fn name(self) -> String {
        match self {
            RateEstimator::WeightedCascade => "wc".into(),
            RateEstimator::Fitted => "fitted".into(),
            RateEstimator::Constant(p) => format!("constant:{p}"),
        }
    }
}

impl FromStr for RateEstimator {
    type Err = Error;
    fn from_str(s: &str) -> Result<RateEstimator, Error> {
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "wc" | "weighted-cascade" => Ok(RateEstimator::WeightedCascade),
            "fitted" => Ok(RateEstimator::Fitted),
            _ => match lower.strip_prefix("constant:").map(str::parse::<f64>) {
                Some(Ok(p)) if (0.0..=1.0).contains(&p) => Ok(RateEstimator::Constant(p)),
                _ => Err(Error::argument(
                    "--rates",
                    format!("unknown rates `{s}`: wc, fitted or constant:P with P in [0, 1]"),
                )),
            },
        }
    }
}

/// Options of [`Planner::plan`].
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// At most this many people (default 10); with a budget, a cap on the
    /// number of picks.
    pub k: usize,
    /// Total cost allowed (default none: `k` people, costs reported only).
    pub budget: Option<f64>,
    /// The spreading model (default independent cascade).
    pub model: PlanModel,
    /// The edge probabilities (default weighted cascade).
    pub rates: RateEstimator,
    /// Hops of the coverage model, 1 or 2 (default 2).
    pub coverage_hops: u8,
    /// IMM's `ε` (default 0.1).
    pub epsilon: f64,
    /// IMM's confidence exponent `ℓ` (default 1: probability `1 − 1/n`).
    pub ell: f64,
    /// Seed of the reverse-reachable sets (default 0); the check uses
    /// another.
    pub seed: u64,
    /// Cap on the memory of the reverse-reachable sets (default 2 GiB):
    /// beyond it IMM keeps what fits and states the larger `ε`.
    pub max_rr_bytes: usize,
    /// Monte Carlo worlds of the independent check of the plan and the
    /// baseline (default 10,000; 0: no check). Not run for the coverage
    /// model, whose reach is exact.
    pub check_runs: usize,
}

impl Default for PlanOptions {
    fn default() -> PlanOptions {
        PlanOptions {
            k: 10,
            budget: None,
            model: PlanModel::IndependentCascade,
            rates: RateEstimator::WeightedCascade,
            coverage_hops: 2,
            epsilon: 0.1,
            ell: 1.0,
            seed: 0,
            max_rr_bytes: 2 << 30,
            check_runs: 10_000,
        }
    }
}

/// One chosen person, in order of choice. Field order is the JSON Lines
/// contract of `portevoix plan`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedPick {
    /// External id.
    pub id: String,
    /// `@handle` when the export gives one.
    pub handle: Option<String>,
    /// What choosing them costs (price list or tier).
    pub cost: f64,
    /// Expected audience members reached that the people chosen before do
    /// not reach.
    pub marginal_gain: f64,
    /// Expected audience reached by them and everyone chosen before.
    pub cumulative_reach: f64,
    /// Expected audience they reach that the people chosen before reach
    /// too (`solo_reach − marginal_gain`).
    pub overlap: f64,
    /// Their contextual score in `discover`, 0 to 100.
    pub contextual_score: f64,
    /// Their rank in `discover` (1 = best).
    pub rank: u32,
    /// Why they were chosen, in words.
    pub explanation: String,
    /// 1-based order of choice.
    pub pick: usize,
    /// Expected audience they reach alone.
    pub solo_reach: f64,
    /// Cost of them and everyone chosen before.
    pub cumulative_cost: f64,
    /// Their tier in `discover`.
    pub tier: Tier,
    /// The earlier pick they share the most audience with: its id and the
    /// expected shared audience.
    pub most_overlap_with: Option<(String, f64)>,
    /// Dense id in this run.
    #[serde(skip)]
    pub node: NodeId,
}

/// IMM's guarantee as run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guarantee {
    /// The greedy's ratio for the constraint (`1 − 1/e`, or half that with
    /// a budget).
    pub greedy_ratio: f64,
    /// `ε` asked for.
    pub epsilon_requested: f64,
    /// `ε` achieved (larger when the memory cap bound).
    pub epsilon: f64,
    /// Probability that the guarantee holds (`1 − n^−ℓ`).
    pub confidence: f64,
    /// `greedy_ratio − ε`: the plan reaches at least this share of the
    /// best possible set's expected reach, with that confidence.
    pub ratio: f64,
    /// Reverse-reachable sets the selection used.
    pub rr_sets: usize,
    /// Peak bytes of the sets and their index.
    pub peak_rr_bytes: usize,
    /// Why `ε` was raised, when the memory cap bound.
    pub capped: Option<String>,
}

/// An independent Monte Carlo estimate of a set's reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachCheck {
    /// Live-edge worlds.
    pub runs: usize,
    /// Seed of the worlds (not the selection's).
    pub seed: u64,
    /// Mean audience reached.
    pub mean: f64,
    /// Standard error of the mean.
    pub std_error: f64,
}

impl ReachCheck {
    fn of(estimate: &SpreadEstimate, seed: u64) -> ReachCheck {
        ReachCheck {
            runs: estimate.runs,
            seed,
            mean: estimate.mean,
            std_error: estimate.std_error,
        }
    }
}

/// What a naive user would pick: the top `k` of `discover` (or the top by
/// contextual score until the budget), evaluated like the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// `top_k_by_contextual_score` or `top_by_score_until_budget`.
    pub rule: String,
    /// Their ids, by rank.
    pub ids: Vec<String>,
    /// Their total cost.
    pub cost: f64,
    /// Expected reach of the first 1, 2, ... of them (same estimator as
    /// the plan's curve).
    pub reach_curve: Vec<f64>,
    /// Expected reach of all of them.
    pub reach: f64,
    /// Independent check, when run.
    pub reach_check: Option<ReachCheck>,
    /// Plan reach over baseline reach, minus 1 (checked reaches when both
    /// exist), e.g. 0.25 = the plan reaches 25% more.
    pub plan_advantage: f64,
    /// Accounts in both sets.
    pub shared_with_plan: usize,
}

/// Why candidates of `discover` may not be chosen.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Eligibility {
    /// Candidates of `discover`.
    pub candidates: usize,
    /// Candidates that may be chosen.
    pub eligible: usize,
    /// Gated by authenticity (score set to 0).
    pub gated_authenticity: usize,
    /// Gated by the campaign's context (score set to 0): the relevance
    /// floor, the off-topic gate of tag campaigns, or the advocacy stance gate.
    pub gated_relevance: usize,
    /// Detractors (never chosen).
    pub detractors: usize,
}

/// Everything about a plan but its picks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSummary {
    /// The campaign's name.
    pub campaign: String,
    /// `ic`, `lt` or `coverage`.
    pub model: String,
    /// `wc`, `fitted`, `constant:P`, or `none` for coverage.
    pub rates: String,
    /// `imm` or `coverage_greedy`.
    pub algorithm: String,
    /// `greedy`, `cost_ratio_greedy` or `best_single`.
    pub rule: String,
    /// Why the selection stopped (`count`, `budget`, `no_gain`, `no_candidate`).
    pub stop: String,
    /// People asked for.
    pub k: usize,
    /// The budget, if any.
    pub budget: Option<f64>,
    /// Total cost of the plan.
    pub cost: f64,
    /// Expected audience reached by the plan (the selection's estimator:
    /// the reverse-reachable sets, or exact for coverage).
    pub reach: f64,
    /// Independent Monte Carlo check of the plan's reach, when run.
    pub reach_check: Option<ReachCheck>,
    /// Expected reach after 1, 2, ... picks.
    pub reach_curve: Vec<f64>,
    /// IMM's guarantee (none for coverage, exact).
    pub guarantee: Option<Guarantee>,
    /// What a naive user would pick, and how the plan compares.
    pub baseline: Baseline,
    /// The target audience.
    pub audience: AudienceReport,
    /// Who could be chosen.
    pub eligibility: Eligibility,
    /// Where costs came from.
    pub costs: CostReport,
    /// Accounts and edges of the influence view.
    pub influence_view: (usize, usize),
    /// Expected audience shared by picks `i` and `j` (diagonal: reached by
    /// `i` alone), in order of choice.
    pub overlap_matrix: Vec<Vec<f64>>,
    /// Notes: gates, unmatched names, caps.
    pub notes: Vec<String>,
    /// Seconds per stage.
    pub timings: Vec<(String, f64)>,
}

/// A campaign plan: the chosen people in order of choice and the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The picks, in order of choice.
    pub picks: Vec<PlannedPick>,
    /// Reach curve, guarantee, comparison with the top `k`, audience,
    /// eligibility, costs, overlaps.
    pub summary: PlanSummary,
}

/// Plans campaigns on an [`Engine`]: the discovery, the eligible
/// candidates, the audience and the influence view are prepared once by
/// [`Planner::new`]; [`Planner::plan`] then chooses for any `k`, budget,
/// model or rates.
pub struct Planner<'a> {
    engine: &'a Engine,
    campaign: &'a Campaign,
    discovery: Discovery,
    /// Index in `discovery.accounts` of every account (`u32::MAX`: not a
    /// candidate).
    row_of: Vec<u32>,
    eligible: CandidateGate,
    eligibility: Eligibility,
    audience: Audience,
    audience_report: AudienceReport,
    influence: Cow<'a, LayerGraph>,
    timings: Vec<(String, f64)>,
}

impl std::fmt::Debug for Planner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planner")
            .field("campaign", &self.campaign.name)
            .field("eligibility", &self.eligibility)
            .field("audience", &self.audience_report)
            .finish()
    }
}

impl<'a> Planner<'a> {
    /// Prepares the plans of `campaign` on `engine`: runs [`discover`]
    /// (every candidate), applies the gates, builds the audience (the
    /// topic's, or `audience` when given: external ids or `@handles`) and
    /// takes the endorsement view.
    ///
    /// # Errors
    ///
    /// What [`discover`] reports; an audience list with no known account;
    /// data with text but no account relevant to the topic.
    ///
    /// [`discover`]: crate::discover::discover
    pub fn new(
        engine: &'a Engine,
        campaign: &'a Campaign,
        audience: Option<&[String]>,
    ) -> Result<Planner<'a>, Error> {
        Planner::with_progress(engine, campaign, audience, None)
    }

    /// [`Planner::new`], announcing each stage of the discovery to
    /// `on_stage`.
    ///
    /// # Errors
    ///
    /// As [`Planner::new`].
    pub fn with_progress(
        engine: &'a Engine,
        campaign: &'a Campaign,
        audience: Option<&[String]>,
        on_stage: Option<StageCallback>,
    ) -> Result<Planner<'a>, Error> {
        let start = Instant::now();
        let options = DiscoverOptions {
            top: None,
            evidence: 0,
            on_stage,
            ..DiscoverOptions::default()
        };
        let discovery = discover(engine, campaign, &options)?;
        let mut timings = vec![("discover".to_string(), start.elapsed().as_secs_f64())];
        let start = Instant::now();
        let n = engine.num_accounts();
        let mut row_of = vec![u32::MAX; n];
        for (r, a) in discovery.accounts.iter().enumerate() {
            row_of[a.node.index()] = r as u32;
        }
        let (eligible, eligibility) = eligibility(&discovery, n);
        let (audience, audience_report) = match audience {
            Some(names) => audience::from_list(engine, names)?,
            None => audience::from_topic(engine, campaign)?,
        };
        let influence = views::endorsement(engine.network())?;
        timings.push(("audience".to_string(), start.elapsed().as_secs_f64()));
        Ok(Planner {
            engine,
            campaign,
            discovery,
            row_of,
            eligible,
            eligibility,
            audience,
            audience_report,
            influence,
            timings,
        })
    }

    /// The discovery the plan reads (every candidate, ranked).
    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }

    /// The target audience.
    pub fn audience(&self) -> &Audience {
        &self.audience
    }

    /// How the audience was chosen.
    pub fn audience_report(&self) -> &AudienceReport {
        &self.audience_report
    }

    /// Who may be chosen, and why the others may not.
    pub fn eligibility(&self) -> &Eligibility {
        &self.eligibility
    }

    /// The view influence travels on (stored edges actor → target;
    /// influence flows target → actor).
    pub fn influence_view(&self) -> &LayerGraph {
        &self.influence
    }

    /// Chooses the people: see the [module documentation](self).
    ///
    /// # Arguments
    ///
    /// - `options`: `k`, budget, model, rates, IMM's `ε`, `ℓ`, seed and
    ///   memory cap, Monte Carlo check;
    /// - `prices`: a price list (its name and rows, [`parse_price_list`]);
    ///   accounts it does not name cost their tier price.
    ///
    /// # Returns
    ///
    /// The [`Plan`]: picks in order of choice with marginal gain,
    /// cumulative reach, overlap, cost, contextual score, rank and
    /// explanation; the summary with the reach curve, IMM's guarantee, the
    /// comparison with the top `k` of `discover` and the overlap matrix.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] for `k = 0`, a budget that is not positive, `ε`
    /// outside `(0, 1)`, fitted rates on data without times; what the
    /// influence-maximisation kernels report.
    ///
    /// # Complexity
    ///
    /// IMM: `O((k + ℓ)(n + m) log n / ε²)` expected for the sets (Tang et
    /// al. 2015), far less in practice (the sets are rooted in the
    /// audience); coverage: `O(Σ |2-hop ball|)` for the candidates; the
    /// check: `check_runs × O(reached)` per set checked.
    pub fn plan(&self, options: &PlanOptions) -> Result<Plan, Error> {
        self.plan_with_prices(options, None)
    }

    /// [`Planner::plan`] with a price list: `prices` is its name and rows.
    ///
    /// # Errors
    ///
    /// As [`Planner::plan`].
    pub fn plan_with_prices(
        &self,
        options: &PlanOptions,
        prices: Option<(&str, &[PriceRow])>,
    ) -> Result<Plan, Error> {
        select::plan(self, options, prices)
    }
}

/// The candidates that may be chosen: not gated, not detractors.
fn eligibility(discovery: &Discovery, n: usize) -> (CandidateGate, Eligibility) {
    let mut allowed = vec![false; n];
    let mut e = Eligibility {
        candidates: discovery.accounts.len(),
        ..Eligibility::default()
    };
    for a in &discovery.accounts {
        match a.gate {
            Some(Gate::Authenticity { .. }) => e.gated_authenticity += 1,
            // The relevance floor, the off-topic gate of tag campaigns,
            // the advocacy stance gate.
            Some(_) => e.gated_relevance += 1,
            None if a.detractor => e.detractors += 1,
            None => {
                allowed[a.node.index()] = true;
                e.eligible += 1;
            }
        }
    }
    (CandidateGate::from_flags(allowed), e)
}
