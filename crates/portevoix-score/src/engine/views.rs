//! The views of the network that every campaign on an engine shares: the
//! endorsement view (credit flows along it), its authentic part, the
//! positive ratings of a trust network, and the interaction view whose
//! communities the scoring and the classification read.

use super::authenticity::is_authentic;
use portevoix_core::{Error, Layer, LayerLog};
use portevoix_graph::kernels::{LeidenOptions, Refinement, leiden};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use std::borrow::Cow;

/// The positive ratings (rating value > 0; unit weights) of the rating
/// layer, if the network has one.
///
/// # Errors
///
/// What the CSR build reports (none for a valid network).
pub fn positive_ratings(network: &Network) -> Result<Option<LayerGraph>, Error> {
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
        &BuildOptions::default(),
    )?))
}

/// The endorsement view: the endorsement layers present (follow, repost,
/// quote, like), weight 1 each; the reply and mention layers when no
/// endorsement layer exists; the positive ratings in a network of ratings
/// only; empty otherwise. Borrowed when it is one layer.
///
/// # Errors
///
/// What [`positive_ratings`] reports.
pub fn endorsement(network: &Network) -> Result<Cow<'_, LayerGraph>, Error> {
    let chosen = endorsement_layers(network);
    Ok(match chosen.as_slice() {
        // A trust network (ratings only): its positive ratings endorse.
        [] => Cow::Owned(match positive_ratings(network)? {
            Some(g) => g,
            None => LayerGraph::empty(network.num_nodes()),
        }),
        [(layer, _)] => network
            .layer(*layer)
            .map_or_else(|| Cow::Owned(network.merged(&chosen)), Cow::Borrowed),
        _ => Cow::Owned(network.merged(&chosen)),
    })
}

/// The layers of the [`endorsement`] view, weight 1 each: the endorsement
/// layers present, else the reply and mention layers; empty when the view
/// is the positive ratings (a network of ratings only) or nothing.
pub fn endorsement_layers(network: &Network) -> Vec<(Layer, f32)> {
    let present: Vec<Layer> = network.layers().map(|(l, _)| l).collect();
    let chosen: Vec<(Layer, f32)> = present
        .iter()
        .filter(|l| l.is_endorsement())
        .map(|&l| (l, 1.0))
        .collect();
    if !chosen.is_empty() {
        return chosen;
    }
    present
        .iter()
        .filter(|l| matches!(l, Layer::Reply | Layer::Mention))
        .map(|&l| (l, 1.0))
        .collect()
}

/// `graph` without the edges whose source is not authentic
/// ([`is_authentic`]).
///
/// # Errors
///
/// What the CSR build reports (none for a valid graph).
pub fn authentic_view(graph: &LayerGraph, authenticity: &[f64]) -> Result<LayerGraph, Error> {
    let mut log = LayerLog::default();
    for (a, b, w) in graph.edges() {
        if is_authentic(authenticity, a.0) {
            log.actor.push(a.0);
            log.target.push(b.0);
            log.weight.push(w);
        }
    }
    LayerGraph::build(&log, graph.num_nodes(), &BuildOptions::default())
}

/// Communities of the interaction view: Leiden (seed 0) on the undirected
/// view of every layer but ratings, weight 1 per layer; the positive
/// ratings when the data has nothing else.
///
/// # Errors
///
/// What Leiden reports.
///
/// # Complexity
///
/// Leiden's: about O(E) per pass, a few passes.
pub fn interaction_communities(network: &Network) -> Result<Vec<u32>, Error> {
    let layers: Vec<(Layer, f32)> = network
        .layers()
        .map(|(l, _)| l)
        .filter(|l| *l != Layer::Rating)
        .map(|l| (l, 1.0))
        .collect();
    let view: LayerGraph = if layers.is_empty() {
        positive_ratings(network)?.unwrap_or_else(|| LayerGraph::empty(network.num_nodes()))
    } else {
        network.merged(&layers)
    };
    // The paper's random refinement and pass, one start, pinned so the campaign's
    // communities (and the reports built on them) stay those of earlier releases
    // when the kernel's default changes.
    let options = LeidenOptions {
        refinement: Refinement::Random,
        starts: 1,
        multilevel_moves: false,
        ..LeidenOptions::default()
    };
    Ok(leiden(&view, &options)?.membership)
}
