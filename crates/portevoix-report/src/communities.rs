//! The output of `portevoix communities`: a partition of the accounts
//! (Leiden or label propagation), its modularity, the number of communities
//! and the largest ones with their best-connected members.

use crate::rank::LayerWeight;
use portevoix_core::NodeId;
use portevoix_graph::Network;
use portevoix_ingest::Dataset;
use serde::Serialize;
use std::fmt::Write;

/// Wall-clock milliseconds of each step.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CommunityTimings {
    /// Reading and parsing the inputs.
    pub parse: f64,
    /// Building the network and the layer view.
    pub build: f64,
    /// Building the undirected weighted view (`w(u → v) + w(v → u)`).
    pub view: f64,
    /// The community algorithm alone (its final modularity included).
    pub kernel: f64,
}

/// One of the largest communities.
#[derive(Debug, Clone, Serialize)]
pub struct CommunityInfo {
    /// 1-based rank by size (ties: lower community id first).
    pub rank: usize,
    /// Community id in the partition (dense, by first appearance in node order).
    pub community: u32,
    /// Number of accounts.
    pub size: usize,
    /// Share of all accounts.
    pub share: f64,
    /// Labels of its members with the largest undirected strength, strongest first.
    pub members: Vec<String>,
}

/// Everything `communities` reports.
#[derive(Debug, Clone, Serialize)]
pub struct CommunitiesSummary {
    /// Algorithm as given on the command line (`leiden`, `label-propagation`).
    pub algorithm: String,
    /// Layers and weights of the view.
    pub layers: Vec<LayerWeight>,
    /// Accounts in the network.
    pub nodes: u64,
    /// Directed edges of the layer view.
    pub edges: u64,
    /// Undirected pairs of the weighted view (self-loops ignored).
    pub undirected_edges: u64,
    /// Resolution `γ` of the modularity (1 for label propagation).
    pub resolution: f64,
    /// Seed of the node orders.
    pub seed: u64,
    /// Leiden passes or label-propagation sweeps run.
    pub iterations: usize,
    /// Number of communities (isolated accounts are their own).
    pub communities: usize,
    /// Communities of one account.
    pub singletons: usize,
    /// Weighted modularity of the partition at `resolution`.
    pub modularity: f64,
    /// Wall-clock timings.
    pub timings_ms: CommunityTimings,
    /// The largest communities, largest first.
    pub largest: Vec<CommunityInfo>,
}

/// Sizes of every community, from a dense membership.
pub fn community_sizes(membership: &[u32], num_communities: usize) -> Vec<usize> {
    let mut sizes = vec![0usize; num_communities];
    for &c in membership {
        sizes[c as usize] += 1;
    }
    sizes
}

/// The `k` largest communities (ties on the lower community id), each with
/// up to `members` labels of its accounts with the largest `strength` (ties
/// on the lower dense id).
///
/// Complexity: `O(n + c log c)` for `n` accounts and `c` communities, plus a
/// sort of the members of the `k` communities listed.
pub fn largest_communities(
    dataset: &Dataset,
    network: &Network,
    membership: &[u32],
    sizes: &[usize],
    strength: &[f64],
    k: usize,
    members: usize,
) -> Vec<CommunityInfo> {
    let mut order: Vec<u32> = (0..sizes.len() as u32).collect();
    order.sort_by(|&a, &b| sizes[b as usize].cmp(&sizes[a as usize]).then(a.cmp(&b)));
    order.truncate(k);
    let mut slot = vec![usize::MAX; sizes.len()];
    for (i, &c) in order.iter().enumerate() {
        slot[c as usize] = i;
    }
    let mut nodes: Vec<Vec<u32>> = vec![Vec::new(); order.len()];
    for (v, &c) in membership.iter().enumerate() {
        let s = slot[c as usize];
        if s != usize::MAX {
            nodes[s].push(v as u32);
        }
    }
    let total = membership.len().max(1) as f64;
    order
        .iter()
        .zip(nodes)
        .enumerate()
        .map(|(i, (&c, mut list))| {
            let key = |v: u32| strength.get(v as usize).copied().unwrap_or(0.0);
            list.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
            CommunityInfo {
                rank: i + 1,
                community: c,
                size: sizes[c as usize],
                share: sizes[c as usize] as f64 / total,
                members: list
                    .iter()
                    .take(members)
                    .map(|&v| crate::account_label(dataset, network, NodeId(v)).1)
                    .collect(),
            }
        })
        .collect()
}

/// Renders the summary as a readable table.
pub fn render_table(s: &CommunitiesSummary) -> String {
    let mut out = String::new();
    let layers = crate::rank::layers_label(&s.layers);
    let _ = writeln!(
        out,
        "{} on {} ({} accounts, {} edges, {} undirected pairs), resolution {}, seed {}",
        s.algorithm, layers, s.nodes, s.edges, s.undirected_edges, s.resolution, s.seed
    );
    let _ = writeln!(
        out,
        "modularity {:.6}: {} communities ({} of one account), {} {}",
        s.modularity,
        s.communities,
        s.singletons,
        s.iterations,
        if s.algorithm == "leiden" {
            "passes"
        } else {
            "sweeps"
        }
    );
    let _ = writeln!(
        out,
        "parse {:.0} ms, build {:.0} ms, view {:.1} ms, kernel {:.1} ms",
        s.timings_ms.parse, s.timings_ms.build, s.timings_ms.view, s.timings_ms.kernel
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:>5}  {:>9} {:>8}  strongest members",
        "rank", "accounts", "share"
    );
    for c in &s.largest {
        let _ = writeln!(
            out,
            "{:>5}  {:>9} {:>7.2}%  {}",
            c.rank,
            c.size,
            100.0 * c.share,
            c.members.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_every_member() {
        assert_eq!(community_sizes(&[0, 1, 0, 2, 0], 3), vec![3, 1, 1]);
        assert!(community_sizes(&[], 0).is_empty());
    }
}
