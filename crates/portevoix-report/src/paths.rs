//! The output of `portevoix paths`: the strongest influence paths from a
//! brand's accounts (or its employees, or chosen accounts) to the people it
//! wants to reach, each tie with the interactions behind it.
//!
//! The paths themselves come from
//! [`portevoix_graph::kernels::paths::strongest_paths`]; this module only
//! looks up labels and the per-layer interactions of each tie, and writes a
//! table or JSON.

use crate::rank::LayerWeight;
use portevoix_core::{Layer, NodeId};
use portevoix_graph::Network;
use serde::Serialize;
use std::fmt::Write;

/// An account: external id and display label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathAccount {
    /// External id.
    pub id: String,
    /// `@handle` when known, else the external id.
    pub label: String,
}

impl PathAccount {
    /// The id and label of `node`.
    pub fn new(dataset: &dyn crate::Handles, network: &Network, node: NodeId) -> PathAccount {
        let (id, label) = crate::account_label(dataset, network, node);
        PathAccount { id, label }
    }
}

/// The interactions of one layer behind a tie.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieLayer {
    /// Layer name (`mention`, `repost`, ...).
    pub layer: String,
    /// Interaction rows merged into the edge.
    pub count: u32,
    /// Edge weight in that layer (the merged rows under the duplicate policy).
    pub weight: f64,
}

/// One tie of a path: the message goes from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tie {
    /// Label of the account the message leaves.
    pub from: String,
    /// Label of the account it reaches.
    pub to: String,
    /// The tie's strength `p ∈ (0, 1]` on the merged view.
    pub strength: f64,
    /// Per layer of the view, the interactions that make the tie.
    pub layers: Vec<TieLayer>,
}

/// One path, from a source to a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathInfo {
    /// 1-based rank, strongest first.
    pub rank: usize,
    /// Product of the ties' strengths, in `(0, 1]`.
    pub strength: f64,
    /// Number of ties.
    pub hops: usize,
    /// The accounts in the order the message travels.
    pub accounts: Vec<PathAccount>,
    /// The ties, `hops` of them.
    pub ties: Vec<Tie>,
}

/// The paths to one target (or to several accounts taken together).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetPaths {
    /// The target accounts (one unless they were taken together).
    pub targets: Vec<PathAccount>,
    /// Up to `k` paths, strongest first; empty when no path exists.
    pub paths: Vec<PathInfo>,
}

/// Wall-clock milliseconds of each step.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PathsTimings {
    /// Reading and parsing the inputs.
    pub parse: f64,
    /// Building the network, the corpus and the layer view.
    pub build: f64,
    /// The path search, every target included.
    pub paths: f64,
}

/// Everything `paths` reports.
#[derive(Debug, Clone, Serialize)]
pub struct PathsReport {
    /// Where the sources come from: `brand`, `employees` or `from`.
    pub sources_from: String,
    /// The source accounts.
    pub sources: Vec<PathAccount>,
    /// Names of the campaign's list that match no account (skipped).
    pub unresolved: Vec<String>,
    /// Layers and weights of the view the paths walk.
    pub layers: Vec<LayerWeight>,
    /// `against edges` (the default: a message goes from B to the A whose
    /// interaction `A → B` points at B) or `along edges`.
    pub direction: String,
    /// The tie-strength formula, e.g. `p = 1 − exp(−weight / 1)`.
    pub tie: String,
    /// Paths asked per target.
    pub k: usize,
    /// Accounts in the network.
    pub nodes: u64,
    /// Edges of the walked view.
    pub edges: u64,
    /// The paths, one group per target in the order given.
    pub targets: Vec<TargetPaths>,
    /// Wall-clock timings.
    pub timings_ms: PathsTimings,
}

/// Describes one path found by the kernel.
///
/// # Arguments
///
/// * `nodes`: the path's accounts, in the order the message travels.
/// * `strength`: the path's strength from the kernel.
/// * `tie_strengths`: the strength of each tie (`nodes.len() − 1` values).
/// * `layers`: the layers of the walked view; each tie lists those that hold
///   its edge, with their interaction count and weight.
/// * `along_edges`: whether the walk followed the stored edges (`u → v` is an
///   edge `u → v`) or went against them (the default of the kernel: `u → v`
///   is an edge `v → u`, `v` having re-shared, replied to, mentioned or
///   followed `u`).
///
/// Complexity: `O(hops · layers · log d)` (one binary search per tie and
/// layer).
#[allow(clippy::too_many_arguments)]
pub fn describe_path(
    dataset: &dyn crate::Handles,
    network: &Network,
    rank: usize,
    nodes: &[NodeId],
    strength: f64,
    tie_strengths: &[f64],
    layers: &[(Layer, f32)],
    along_edges: bool,
) -> PathInfo {
    let accounts: Vec<PathAccount> = nodes
        .iter()
        .map(|&v| PathAccount::new(dataset, network, v))
        .collect();
    let ties = nodes
        .windows(2)
        .zip(accounts.windows(2))
        .enumerate()
        .map(|(i, (pair, names))| {
            let (actor, target) = if along_edges {
                (pair[0], pair[1])
            } else {
                (pair[1], pair[0])
            };
            let mut seen: Vec<Layer> = Vec::new();
            let layers = layers
                .iter()
                .filter(|(l, _)| {
                    let first = !seen.contains(l);
                    seen.push(*l);
                    first
                })
                .filter_map(|&(l, _)| {
                    let g = network.layer(l)?;
                    let e = g.find_edge(actor, target)?;
                    Some(TieLayer {
                        layer: l.as_str().to_string(),
                        count: g.edge_count(e),
                        weight: g.edge_weight(actor, target).unwrap_or(0.0) as f64,
                    })
                })
                .collect();
            Tie {
                from: names[0].label.clone(),
                to: names[1].label.clone(),
                strength: tie_strengths.get(i).copied().unwrap_or(f64::NAN),
                layers,
            }
        })
        .collect();
    PathInfo {
        rank,
        strength,
        hops: nodes.len().saturating_sub(1),
        accounts,
        ties,
    }
}

/// A path as `@a →[mention×2] @b →[repost×1, mention×1] @c`.
pub fn path_label(path: &PathInfo) -> String {
    let mut out = String::new();
    for (i, a) in path.accounts.iter().enumerate() {
        if i > 0 {
            let tie = path.ties.get(i - 1).map_or_else(String::new, |t| {
                t.layers
                    .iter()
                    .map(|l| format!("{}×{}", l.layer, l.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            if tie.is_empty() {
                out.push_str(" → ");
            } else {
                let _ = write!(out, " →[{tie}] ");
            }
        }
        out.push_str(&a.label);
    }
    out
}

fn labels(accounts: &[PathAccount]) -> String {
    accounts
        .iter()
        .map(|a| a.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The readable table: a header (sources, layers, tie formula, timings),
/// then per target a ranked list of paths (rank, strength, hops, the path
/// with the interactions of each tie).
pub fn render_table(r: &PathsReport) -> String {
    let mut out = String::new();
    let from = match r.sources_from.as_str() {
        "brand" => "the brand's accounts",
        "employees" => "the brand's employees",
        "from" => "the accounts given",
        other => other,
    };
    let _ = writeln!(
        out,
        "from {from} ({}): {}",
        r.sources.len(),
        labels(&r.sources)
    );
    if !r.unresolved.is_empty() {
        let _ = writeln!(
            out,
            "skipped (no such account in the inputs): {}",
            r.unresolved.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "over {} ({} accounts, {} edges), {}, tie {}",
        crate::rank::layers_label(&r.layers),
        r.nodes,
        r.edges,
        r.direction,
        r.tie
    );
    let _ = writeln!(
        out,
        "parse {:.0} ms, build {:.0} ms, paths {:.1} ms",
        r.timings_ms.parse, r.timings_ms.build, r.timings_ms.paths
    );
    for group in &r.targets {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "to {}: {} path{}",
            labels(&group.targets),
            group.paths.len(),
            if group.paths.len() == 1 { "" } else { "s" }
        );
        if group.paths.is_empty() {
            let _ = writeln!(
                out,
                "  no path: not reachable from the sources over these layers"
            );
            continue;
        }
        let _ = writeln!(out, "{:>5}  {:>9}  {:>4}  path", "rank", "strength", "hops");
        for p in &group.paths {
            let _ = writeln!(
                out,
                "{:>5}  {:>9.6}  {:>4}  {}",
                p.rank,
                p.strength,
                p.hops,
                path_label(p)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(label: &str) -> PathAccount {
        PathAccount {
            id: label.trim_start_matches('@').to_string(),
            label: label.to_string(),
        }
    }

    fn sample() -> PathsReport {
        let path = PathInfo {
            rank: 1,
            strength: 0.5,
            hops: 2,
            accounts: vec![account("@united"), account("@ann"), account("@bob")],
            ties: vec![
                Tie {
                    from: "@united".into(),
                    to: "@ann".into(),
                    strength: 0.8,
                    layers: vec![TieLayer {
                        layer: "mention".into(),
                        count: 2,
                        weight: 2.0,
                    }],
                },
                Tie {
                    from: "@ann".into(),
                    to: "@bob".into(),
                    strength: 0.625,
                    layers: vec![
                        TieLayer {
                            layer: "repost".into(),
                            count: 1,
                            weight: 1.0,
                        },
                        TieLayer {
                            layer: "mention".into(),
                            count: 1,
                            weight: 1.0,
                        },
                    ],
                },
            ],
        };
        PathsReport {
            sources_from: "brand".into(),
            sources: vec![account("@united")],
            unresolved: vec!["@united_jobs".into()],
            layers: vec![LayerWeight {
                layer: "mention".into(),
                weight: 1.0,
            }],
            direction: "against edges".into(),
            tie: "p = 1 − exp(−weight / 1)".into(),
            k: 3,
            nodes: 3,
            edges: 3,
            targets: vec![
                TargetPaths {
                    targets: vec![account("@bob")],
                    paths: vec![path],
                },
                TargetPaths {
                    targets: vec![account("@zoe")],
                    paths: vec![],
                },
            ],
            timings_ms: PathsTimings::default(),
        }
    }

    #[test]
    fn path_label_shows_each_tie() {
        let r = sample();
        assert_eq!(
            path_label(&r.targets[0].paths[0]),
            "@united →[mention×2] @ann →[repost×1, mention×1] @bob"
        );
    }

    #[test]
    fn table_lists_paths_and_unreachable_targets() {
        let t = render_table(&sample());
        assert!(t.contains("from the brand's accounts (1): @united"), "{t}");
        assert!(t.contains("skipped (no such account in the inputs): @united_jobs"));
        assert!(t.contains("to @bob: 1 path\n"), "{t}");
        assert!(
            t.contains("0.500000     2  @united →[mention×2] @ann"),
            "{t}"
        );
        assert!(t.contains("to @zoe: 0 paths\n  no path"), "{t}");
    }

    #[test]
    fn json_has_the_contract_fields() {
        let v = serde_json::to_value(sample()).unwrap();
        let p = &v["targets"][0]["paths"][0];
        assert_eq!(p["hops"], 2);
        assert_eq!(p["accounts"][1]["label"], "@ann");
        assert_eq!(p["ties"][1]["layers"][0]["layer"], "repost");
        assert_eq!(v["sources_from"], "brand");
    }
}
