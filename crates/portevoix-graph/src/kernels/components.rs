//! Weakly connected components.
//!
//! Two accounts are in the same weakly connected component when a path joins
//! them ignoring edge directions. Each component is labelled by its
//! **smallest dense id**, a canonical label: the same partition always gets
//! the same labels, whatever the algorithm or the number of threads, so
//! another engine (the distributed one, `portevoix-dist`, which propagates
//! the minimum label) can be compared label for label.
//!
//! # Vertex program
//!
//! State: a label, initially the account's own id; superstep: every account
//! takes the minimum of its label and its neighbours' labels (both
//! directions); stop when nothing changes (HashMin). The local engine does
//! not iterate: it links components with a union-find (union by smaller
//! root, so the root is the smallest id) in one pass over the edges.
//!
//! # Reference
//!
//! R. E. Tarjan, "Efficiency of a good but not linear set union algorithm",
//! *Journal of the ACM* 22(2), 1975 (union-find); L. Rastogi et al.,
//! "Finding connected components in map-reduce in logarithmic rounds", ICDE
//! 2013 (HashMin).

use crate::LayerGraph;

fn find(parent: &mut [u32], mut v: u32) -> u32 {
    while parent[v as usize] != v {
        let p = parent[v as usize];
        parent[v as usize] = parent[p as usize]; // path halving
        v = p;
    }
    v
}

/// The weakly connected component of every account, labelled by the
/// smallest dense id in it.
///
/// # Arguments
/// `graph`: any [`LayerGraph`]; directions are ignored.
///
/// # Returns
/// One label per account (`labels[v] <= v`, `labels[labels[v]] == labels[v]`).
///
/// # Complexity
/// `O(m · α(n))` time, `O(n)` memory, sequential (one pass over the out-rows).
///
/// # Example
/// ```
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::weakly_connected_components;
///
/// // 2 → 0 and 3 → 4: components {0, 2}, {1}, {3, 4}.
/// let g = LayerGraph::from_edges(5, &[(2, 0), (3, 4)], &BuildOptions::default())?;
/// assert_eq!(weakly_connected_components(&g), vec![0, 1, 0, 3, 3]);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
///
/// # References
/// Tarjan 1975 (union-find); see the [module docs](self).
pub fn weakly_connected_components(graph: &LayerGraph) -> Vec<u32> {
    let n = graph.num_nodes();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let out = graph.out_csr();
    for u in 0..n {
        for &v in out.row(u).0 {
            let (a, b) = (find(&mut parent, u as u32), find(&mut parent, v));
            if a != b {
                // The smaller id stays the root, so roots are the minima.
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
    }
    (0..n as u32).map(|v| find(&mut parent, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuildOptions;

    #[test]
    fn labels_are_minimum_ids_and_match_petgraph_count() {
        // Two triangles joined by a directed bridge, plus isolated nodes.
        let edges = [
            (5, 6),
            (6, 7),
            (7, 5),
            (1, 2),
            (2, 3),
            (3, 1),
            (7, 2),
            (9, 8),
        ];
        let g = LayerGraph::from_edges(11, &edges, &BuildOptions::default()).unwrap();
        let l = weakly_connected_components(&g);
        assert_eq!(l, vec![0, 1, 1, 1, 4, 1, 1, 1, 8, 8, 10]);
        let mut pg = petgraph::graph::UnGraph::<(), ()>::new_undirected();
        let nodes: Vec<_> = (0..11).map(|_| pg.add_node(())).collect();
        for (a, b) in edges {
            pg.add_edge(nodes[a as usize], nodes[b as usize], ());
        }
        let mut labels = l.clone();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), petgraph::algo::connected_components(&pg));
    }
}
