//! Bridges to and from [`petgraph`], for algorithms the crate does not have
//! and for tests against an independent implementation.

use crate::layer_graph::LayerGraph;
use crate::network::{Network, identity_interner};
use crate::options::BuildOptions;
use petgraph::Directed;
use petgraph::graph::{DiGraph, Graph, IndexType, NodeIndex};
use petgraph::visit::EdgeRef;
use portevoix_core::{Layer, LayerLog, Result};

impl LayerGraph {
    /// Copies the layer into a petgraph [`DiGraph`] whose node `i` has
    /// weight `i` (its dense id) and whose edges carry the `f32` weights,
    /// added by source then target.
    ///
    /// Complexity: `O(n + m)` time and petgraph's ~28 bytes per edge.
    ///
    /// # Panics
    /// If the layer has `u32::MAX` edges or more (petgraph's default index
    /// type cannot number them).
    ///
    /// ```
    /// use portevoix_graph::{BuildOptions, LayerGraph};
    /// let g = LayerGraph::from_edges(3, &[(0, 1), (1, 2)], &BuildOptions::default())?;
    /// let pg = g.to_petgraph();
    /// assert_eq!((pg.node_count(), pg.edge_count()), (3, 2));
    /// assert_eq!(LayerGraph::from_petgraph(&pg, &BuildOptions::default())?.out_csr(), g.out_csr());
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    pub fn to_petgraph(&self) -> DiGraph<u32, f32> {
        let mut g = DiGraph::with_capacity(self.num_nodes(), self.num_edges());
        for v in 0..self.num_nodes() {
            g.add_node(v as u32);
        }
        for (s, t, w) in self.edges() {
            g.add_edge(NodeIndex::new(s.index()), NodeIndex::new(t.index()), w);
        }
        g
    }

    /// Builds a layer from a petgraph directed graph: node index `i` becomes
    /// [`NodeId`](portevoix_core::NodeId)`(i)` (node weights are ignored),
    /// each edge a row in edge-index order, so parallel edges are merged by
    /// `options.duplicates` and self-loops follow `options.keep_self_loops`.
    ///
    /// # Errors
    /// As [`LayerGraph::build`]: more than `u32::MAX` nodes or edges.
    pub fn from_petgraph<N, Ix: IndexType>(
        graph: &Graph<N, f32, Directed, Ix>,
        options: &BuildOptions,
    ) -> Result<LayerGraph> {
        let m = graph.edge_count();
        let mut log = LayerLog {
            actor: Vec::with_capacity(m),
            target: Vec::with_capacity(m),
            weight: Vec::with_capacity(m),
            ..LayerLog::default()
        };
        for e in graph.edge_references() {
            // Indices beyond u32 saturate to u32::MAX and are then rejected
            // by the id check of the build, never silently wrapped.
            log.actor
                .push(u32::try_from(e.source().index()).unwrap_or(u32::MAX));
            log.target
                .push(u32::try_from(e.target().index()).unwrap_or(u32::MAX));
            log.weight.push(*e.weight());
        }
        LayerGraph::build(&log, graph.node_count(), options)
    }
}

impl Network {
    /// A one-layer network from a petgraph graph; accounts are named by
    /// their node index (`"0"`, `"1"`, ...). See [`LayerGraph::from_petgraph`].
    pub fn from_petgraph<N, Ix: IndexType>(
        graph: &Graph<N, f32, Directed, Ix>,
        layer: Layer,
        options: &BuildOptions,
    ) -> Result<Network> {
        let g = LayerGraph::from_petgraph(graph, options)?;
        Network::from_layers(identity_interner(graph.node_count())?, vec![(layer, g)])
    }
}
