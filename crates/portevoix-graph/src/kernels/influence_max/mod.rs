//! Influence maximisation: choose the seeds (people) whose combined,
//! de-duplicated influence reaches the most of a target audience, under a
//! number of seeds or a budget, and say what each pick adds.
//!
//! A ranking answers "who is good"; a campaign needs "which ten together".
//! Ten accounts at the top of a ranking often share one audience, so the
//! tenth adds little: here every pick is chosen for the audience it adds to
//! the earlier ones (its *marginal gain*), and its *overlap* with them is
//! reported.
//!
//! # Pieces
//!
//! | step | items |
//! |---|---|
//! | who influences whom | [`InfluenceGraph`] from a layer, with [`EdgeProbability`] (weighted cascade `1/d_in`, constant, from weights, or [`fit_reshare_rates`] on observed re-shares with their times) and a [`DiffusionModel`] (independent cascade, linear threshold) |
//! | who counts, who may be chosen, at what price | [`Audience`] (reach counts only its members), [`CandidateGate`] (nodes that may not be chosen still relay), [`Costs`], [`Constraint`] (`k` seeds, or a budget) |
//! | selection | [`imm`] (reverse-reachable sets rooted in the audience, `(ρ − ε)` guarantee with its confidence, memory cap), [`coverage_greedy`] (deterministic 1- or 2-hop unique audience), [`celf_monte_carlo`] (the reference: lazy greedy with Monte Carlo gains) |
//! | result | [`Selection`]: per [`Pick`] the marginal gain, cumulative reach, solo reach, overlap with earlier picks and cost; [`RrSets::reach`], [`RrSets::reach_curve`], [`RrSets::overlap_matrix`] evaluate any other seed set (a ranking's top `k`) on the same samples; [`coverage_reach_curve`] and [`coverage_overlap_matrix`] do it exactly for the coverage model |
//! | check | [`estimate_spread`]: an independent Monte Carlo estimate over live-edge worlds (10,000 runs by default, fixed seeds) |
//!
//! # Direction
//!
//! Edges are stored actor → target ("A retweeted B" is `A → B`). Influence
//! travels the other way by default ([`SpreadDirection::InformationFlow`](crate::kernels::SpreadDirection)):
//! B's content reaches A. A node's *activators* are the nodes whose content
//! it re-shares (its out-neighbours in the stored layer).
//!
//! # Guarantees
//!
//! Expected reach over an audience is monotone and submodular under both
//! diffusion models (Kempe, Kleinberg & Tardos 2003) and under coverage, so
//! the greedy reaches at least `1 − 1/e` of the best `k` seeds, and the
//! better of the cost-ratio greedy and the best single node at least
//! `½(1 − 1/e)` of the best set within a budget (Khuller, Moss & Naor 1999;
//! Leskovec et al. 2007). IMM keeps the ratio up to `ε` with probability
//! `1 − n^−ℓ` while estimating reach on sampled sets; [`ImmResult`] states
//! `ε`, the confidence and the resulting guarantee.
//!
//! # Determinism
//!
//! RR set `i` is drawn from stream `i` of its phase's seed; Monte Carlo
//! run `r` is the live-edge world hashed from `(seed, r)`; every greedy
//! breaks ties on the lower id; all counts are integers. Results are the
//! same for any number of threads.
//!
//! # Vertex programs
//!
//! Sampling RR sets and Monte Carlo runs are independent per sample index,
//! so a dataflow engine partitions samples over workers by index (the same
//! streams give the same samples); each greedy round is then a global
//! aggregate (per-node uncovered counts summed over workers, an associative
//! combiner) followed by an argmax and a broadcast of the pick. The coverage
//! model's first pass is a two-superstep vertex program (each node sends its
//! id to its forward neighbours twice); its union counts need set-valued
//! messages, so exact 2-hop coverage stays on one machine.
//!
//! # References
//!
//! * D. Kempe, J. Kleinberg, É. Tardos, *Maximizing the Spread of Influence
//!   through a Social Network*, KDD 2003.
//! * J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen,
//!   N. Glance, *Cost-effective Outbreak Detection in Networks*, KDD 2007.
//! * S. Khuller, A. Moss, J. Naor, *The budgeted maximum coverage problem*,
//!   Information Processing Letters 70, 1999.
//! * C. Borgs, M. Brautbar, J. Chayes, B. Lucier, *Maximizing Social
//!   Influence in Nearly Optimal Time*, SODA 2014.
//! * Y. Tang, Y. Shi, X. Xiao, *Influence Maximization in Near-Linear Time:
//!   A Martingale Approach*, SIGMOD 2015; W. Chen, *An Issue in the
//!   Martingale Analysis of the Influence Maximization Algorithm IMM*,
//!   CSoNet 2018.
//! * A. Goyal, F. Bonchi, L. V. S. Lakshmanan, *Learning Influence
//!   Probabilities in Social Networks*, WSDM 2010.
//!
//! # Example
//!
//! ```
//! use portevoix_core::NodeId;
//! use portevoix_graph::{BuildOptions, LayerGraph};
//! use portevoix_graph::kernels::influence_max::{
//!     Audience, CandidateGate, Constraint, Costs, ImmOptions, InfluenceGraph,
//!     InfluenceModelOptions, MonteCarloOptions, estimate_spread, imm,
//! };
//!
//! // Two overlapping hubs (0 and 1 share re-sharers 3..=6) and a smaller, separate one (2).
//! let mut edges = vec![];
//! for u in 3..=6 { edges.push((u, 0)); edges.push((u, 1)); }
//! for u in 7..=9 { edges.push((u, 2)); }
//! let g = LayerGraph::from_edges(10, &edges, &BuildOptions::default())?;
//! let model = InfluenceGraph::build(&g, &InfluenceModelOptions::default())?;
//! let (audience, gate) = (Audience::everyone(10), CandidateGate::allow_all(10));
//! let plan = imm(&model, &audience, &gate, &Costs::Unit, Constraint::Cardinality(2), &ImmOptions::default())?;
//! // Weighted cascade: 3..=6 have two activators (1/2 each), 7..=9 one (probability 1).
//! // Hub 2 reaches 4 alone, hub 0 or 1 reaches 3; together 0 and 1 reach only 2 + 4·3/4 = 5,
//! // so the second pick is 0 (ties on the lower id), never both 0 and 1.
//! assert_eq!(plan.selection.nodes(), vec![NodeId(2), NodeId(0)]);
//! assert!((plan.selection.picks[1].marginal_gain - 3.0).abs() < 0.1);
//! let check = estimate_spread(&model, &audience, &plan.selection.nodes(), &MonteCarloOptions::default())?;
//! assert!((check.mean - plan.selection.reach).abs() < 0.2);
//! # Ok::<(), portevoix_core::Error>(())
//! ```

mod coverage;
mod greedy;
mod imm;
mod model;
mod monte_carlo;
mod rates;
mod rr;
mod targets;
mod workspace;

pub use coverage::{
    coverage_greedy, coverage_overlap_matrix, coverage_reach, coverage_reach_curve,
};
pub use greedy::{Pick, Selection, SelectionRule, StopReason};
pub use imm::{ImmOptions, ImmResult, ImmTimings, imm};
pub use model::{DiffusionModel, EdgeProbability, InfluenceGraph, InfluenceModelOptions};
pub use monte_carlo::{
    MonteCarloOptions, SpreadEstimate, celf_monte_carlo, estimate_spread, spread_per_world,
};
pub use rates::{ReshareRateOptions, ReshareRates, fit_reshare_rates, heldout_log_likelihood};
pub use rr::{RR_BLOCK, RrSets};
pub use targets::{Audience, CandidateGate, Constraint, Costs};
