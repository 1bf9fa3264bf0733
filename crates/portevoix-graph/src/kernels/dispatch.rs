//! One entry point per task for callers that pick the algorithm at run time
//! (a command line, a service): community detection ([`detect_communities`])
//! and spreading simulation ([`simulate_spread`]), beside
//! [`centrality`](super::centrality::centrality) for the centralities. The
//! caller names the algorithm and its options in one value; the match on it
//! is written once, here.

use super::communities::{
    LabelPropagationOptions, LeidenOptions, Partition, UndirectedView, label_propagation_view,
    leiden_view,
};
use super::diffusion::{CascadeOptions, SirOptions, SpreadDistribution, independent_cascade, sir};
use crate::LayerGraph;
use portevoix_core::{NodeId, Result};

/// A community detection algorithm with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum CommunityAlgorithm {
    /// Leiden (Traag, Waltman and van Eck 2019), modularity with a
    /// resolution.
    Leiden(LeidenOptions),
    /// Label propagation (Raghavan, Albert and Kumara 2007).
    LabelPropagation(LabelPropagationOptions),
}

/// Communities of `view` by `algorithm`.
///
/// # Errors
///
/// What Leiden reports (a resolution that is not positive and finite).
///
/// # Complexity
///
/// The algorithm's: about O(E) per pass or per sweep.
///
/// # Example
///
/// ```
/// use portevoix_graph::LayerGraph;
/// use portevoix_graph::kernels::{CommunityAlgorithm, LeidenOptions, UndirectedView, detect_communities};
///
/// let g = LayerGraph::from_edges(6, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)], &Default::default()).unwrap();
/// let view = UndirectedView::new(&g);
/// let p = detect_communities(&view, &CommunityAlgorithm::Leiden(LeidenOptions::default())).unwrap();
/// assert_eq!(p.num_communities, 2);
/// ```
pub fn detect_communities(
    view: &UndirectedView,
    algorithm: &CommunityAlgorithm,
) -> Result<Partition> {
    match algorithm {
        CommunityAlgorithm::Leiden(options) => leiden_view(view, options),
        CommunityAlgorithm::LabelPropagation(options) => Ok(label_propagation_view(view, options)),
    }
}

/// A spreading model with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum SpreadModel {
    /// Susceptible–infectious–recovered.
    Sir(SirOptions),
    /// Independent cascade.
    IndependentCascade(CascadeOptions),
}

/// Monte Carlo spreading from `seeds` on `graph` under `model`.
///
/// # Errors
///
/// What the model reports (an empty seed set, a seed outside the graph, a
/// probability outside `[0, 1]`).
///
/// # Complexity
///
/// The model's: O(runs × (edges reached)), parallel over runs.
pub fn simulate_spread(
    graph: &LayerGraph,
    seeds: &[NodeId],
    model: &SpreadModel,
) -> Result<SpreadDistribution> {
    match model {
        SpreadModel::Sir(options) => sir(graph, seeds, options),
        SpreadModel::IndependentCascade(options) => independent_cascade(graph, seeds, options),
    }
}
