//! Seed sets for spreading simulations: the accounts with the most distinct
//! contacts in the spreading direction.

use super::SpreadDirection;
use crate::LayerGraph;
use portevoix_core::NodeId;

/// Distinct contacts of `v` in `direction`: in-neighbours for the
/// information flow, out-neighbours forward, the union of both undirected.
pub fn contacts(graph: &LayerGraph, direction: SpreadDirection, v: NodeId) -> usize {
    let v = v.index();
    match direction {
        SpreadDirection::InformationFlow => graph.in_csr().degree(v),
        SpreadDirection::Forward => graph.out_csr().degree(v),
        SpreadDirection::Undirected => {
            let (a, _) = graph.in_csr().row(v);
            let (b, _) = graph.out_csr().row(v);
            let (mut i, mut j, mut k) = (0, 0, 0);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                }
                k += 1;
            }
            k + (a.len() - i) + (b.len() - j)
        }
    }
}

/// The `k` accounts with the most distinct [`contacts`] in `direction`,
/// most first, ties to the lower id (all accounts when there are fewer).
///
/// # Example
///
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::LayerGraph;
/// use portevoix_graph::kernels::{SpreadDirection, best_connected};
///
/// // 1 and 2 are retweeted by two accounts each, 3 by one.
/// let g = LayerGraph::from_edges(4, &[(0, 1), (3, 1), (0, 2), (1, 2), (2, 3)], &Default::default()).unwrap();
/// assert_eq!(best_connected(&g, SpreadDirection::InformationFlow, 2), [NodeId(1), NodeId(2)]);
/// ```
///
/// # Complexity
///
/// O(n + k log k) (a selection, then a sort of the k kept), plus the
/// contacts: O(n) or, undirected, O(E).
pub fn best_connected(graph: &LayerGraph, direction: SpreadDirection, k: usize) -> Vec<NodeId> {
    let degree: Vec<usize> = (0..graph.num_nodes())
        .map(|v| contacts(graph, direction, NodeId(v as u32)))
        .collect();
    let mut order: Vec<u32> = (0..graph.num_nodes() as u32).collect();
    let k = k.min(order.len());
    if k == 0 {
        return Vec::new();
    }
    let cmp = |a: &u32, b: &u32| degree[*b as usize].cmp(&degree[*a as usize]).then(a.cmp(b));
    if k < order.len() {
        order.select_nth_unstable_by(k - 1, cmp);
        order.truncate(k);
    }
    order.sort_by(cmp);
    order.into_iter().map(NodeId).collect()
}
