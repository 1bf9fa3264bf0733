//! Influence kernels on a frozen [`LayerGraph`](crate::LayerGraph): the
//! PageRank family and the other centralities of issue 3, and the trust
//! kernels on signed ratings (fairness–goodness, REV2).
//!
//! Every iterative kernel is written as a **vertex program** (per-account
//! state, messages along edges merged by an associative combiner, a few
//! global aggregates) so that a dataflow engine can run the same mathematics;
//! the rayon engine here uses pull iterations over the in-CSR with a fixed
//! reduction order, so results are bit-identical for 1 and N threads.

pub mod centrality;
pub mod communities;
pub mod components;
pub mod diffusion;
pub mod dispatch;
pub mod fairness_goodness;
pub mod hits;
pub mod hyperball;
pub mod influence_max;
pub mod katz;
pub mod kcore;
pub mod leaderrank;
pub mod pagerank;
pub mod paths;
pub mod ratings;
mod reduce;
pub mod rev2;
pub mod seeds;

pub use centrality::{Centrality, CentralityOptions, CentralityScores, Solver, centrality};
pub use communities::{
    LabelPropagationOptions, LeidenOptions, Partition, Refinement, UndirectedView,
    label_propagation, leiden, modularity,
};
pub use components::weakly_connected_components;
pub use diffusion::{
    Activation, CascadeOptions, SirOptions, SpreadDirection, SpreadDistribution,
    epidemic_threshold, independent_cascade, independent_cascade_runs, sir, sir_outbreak_per_node,
    sir_runs,
};
pub use dispatch::{CommunityAlgorithm, SpreadModel, detect_communities, simulate_spread};
pub use fairness_goodness::{FairnessGoodness, FairnessGoodnessOptions, fairness_goodness};
pub use hits::{HitsOptions, HitsResult, HitsSolver, hits, hits_with};
pub use hyperball::{
    Direction, HyperBallOptions, HyperBallResult, ReachMethod, ReachResult, hyperball, reach,
};
pub use katz::{KatzOptions, KatzResult, katz};
pub use kcore::{CoreMode, core_numbers};
pub use leaderrank::{LeaderRankOptions, LeaderRankResult, leaderrank};
pub use pagerank::{
    Dangling, PageRankOptions, PageRankResult, PageRankSolver, pagerank, pagerank_with,
    personalized_pagerank, personalized_pagerank_batch, personalized_pagerank_batch_with,
};
pub use paths::{Path, PathOptions, TieStrength, strongest_paths};
pub use ratings::{RatingScale, Ratings};
pub use rev2::{Rev2Behaviour, Rev2Options, Rev2Prior, Rev2Result, rev2};
pub use seeds::{best_connected, contacts};
