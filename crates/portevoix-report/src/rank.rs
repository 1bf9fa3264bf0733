//! The output of `portevoix rank`: the accounts with the highest score under
//! one kernel, with the kernel's convergence and timings.

use portevoix_core::{ExternalId, NodeId};
use portevoix_graph::Network;
use portevoix_ingest::Dataset;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// One ranked account.
#[derive(Debug, Clone, Serialize)]
pub struct RankedAccount {
    /// 1-based rank.
    pub rank: usize,
    /// External id.
    pub id: String,
    /// `@handle` when known, else the external id.
    pub label: String,
    /// The kernel's score.
    pub score: f64,
}

/// A layer of the view and its weight.
#[derive(Debug, Clone, Serialize)]
pub struct LayerWeight {
    /// Layer name.
    pub layer: String,
    /// Its weight in the merged view.
    pub weight: f32,
}

/// Wall-clock milliseconds of each step.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RankTimings {
    /// Reading and parsing the inputs.
    pub parse: f64,
    /// Building the network and the view the kernel runs on.
    pub build: f64,
    /// The kernel alone.
    pub kernel: f64,
}

/// Everything `rank` reports.
#[derive(Debug, Clone, Serialize)]
pub struct RankSummary {
    /// Kernel name as given on the command line.
    pub kernel: String,
    /// Layers and weights of the view the kernel ran on.
    pub layers: Vec<LayerWeight>,
    /// Accounts in the network.
    pub nodes: u64,
    /// Edges of the view.
    pub edges: u64,
    /// Iterations run (0 for non-iterative kernels).
    pub iterations: usize,
    /// Final L1 residual (0 for non-iterative kernels).
    pub residual: f64,
    /// Whether the kernel met its tolerance.
    pub converged: bool,
    /// How the kernel computed its scores, when it has a choice: `power` or
    /// `krylov` (PageRank), `power` or `lanczos` (HITS), `exact` or
    /// `hyperball` (reach). Absent for the other kernels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Wall-clock timings.
    pub timings_ms: RankTimings,
    /// The top accounts, highest score first, ties broken by lower dense id.
    pub top: Vec<RankedAccount>,
}

/// The layers of a view and their weights, as `repost×1 + quote×0.5`.
pub fn layers_label(layers: &[LayerWeight]) -> String {
    layers
        .iter()
        .map(|l| format!("{}×{}", l.layer, l.weight))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The `k` highest scores, highest first; equal scores are ordered by lower
/// dense id, so the list is deterministic. NaN scores rank last.
///
/// Complexity: O(n + k log k) (selection, then a sort of the k kept).
pub fn top_scores(scores: &[f64], k: usize) -> Vec<(NodeId, f64)> {
    let order = |a: &(NodeId, f64), b: &(NodeId, f64)| {
        let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
        key(b.1).total_cmp(&key(a.1)).then(a.0.cmp(&b.0))
    };
    let mut all: Vec<(NodeId, f64)> = scores
        .iter()
        .enumerate()
        .map(|(i, &s)| (NodeId(i as u32), s))
        .collect();
    let k = k.min(all.len());
    if k == 0 {
        return Vec::new();
    }
    if k < all.len() {
        all.select_nth_unstable_by(k - 1, order);
        all.truncate(k);
    }
    all.sort_by(order);
    all
}

/// Labels the top accounts with their external id and handle.
pub fn ranked(dataset: &Dataset, network: &Network, top: &[(NodeId, f64)]) -> Vec<RankedAccount> {
    top.iter()
        .enumerate()
        .map(|(i, &(node, score))| {
            let (id, label) = crate::account_label(dataset, network, node);
            RankedAccount {
                rank: i + 1,
                id,
                label,
                score,
            }
        })
        .collect()
}

/// Writes one row per account as CSV with the header `id,score`: the
/// stable output of `portevoix rank --out FILE`. Rows are sorted by score,
/// highest first (NaN last), then by id (numbers by value, then text: the
/// order of [`ExternalId`]); ids are written as in the inputs, scores in
/// the shortest decimal form that reads back to the same `f64`.
///
/// Any engine that scores accounts by external id (this process, or a
/// dataflow engine across processes) writes through this function, so the
/// files it makes compare line by line.
///
/// # Errors
///
/// What the writer reports.
///
/// # Example
///
/// ```
/// use portevoix_core::ExternalId;
/// use portevoix_report::rank::write_scores_csv;
///
/// let rows = [(ExternalId::Numeric(10), 0.25), (ExternalId::Text("ann"), 0.5), (ExternalId::Numeric(9), 0.25)];
/// let mut out = Vec::new();
/// write_scores_csv(rows, &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "id,score\nann,0.5\n9,0.25\n10,0.25\n");
/// ```
///
/// # Complexity
///
/// O(n log n) for n accounts.
pub fn write_scores_csv<'a, W: Write>(
    rows: impl IntoIterator<Item = (ExternalId<'a>, f64)>,
    out: W,
) -> std::io::Result<()> {
    let mut rows: Vec<(ExternalId<'a>, f64)> = rows.into_iter().collect();
    let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
    rows.sort_by(|a, b| key(b.1).total_cmp(&key(a.1)).then_with(|| a.0.cmp(&b.0)));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "score"])?;
    for (id, score) in &rows {
        w.write_record([id.to_string(), score.to_string()])?;
    }
    w.flush()
}

/// Every account of `network` with its score (dense id order), for
/// [`write_scores_csv`].
pub fn network_scores<'a>(
    network: &'a Network,
    scores: &'a [f64],
) -> impl Iterator<Item = (ExternalId<'a>, f64)> + 'a {
    scores
        .iter()
        .enumerate()
        .map(|(i, &s)| (network.name(NodeId(i as u32)), s))
}

/// Renders the summary as a readable table.
pub fn render_table(s: &RankSummary) -> String {
    let mut out = String::new();
    let layers = crate::rank::layers_label(&s.layers);
    let _ = writeln!(
        out,
        "{} on {} ({} accounts, {} edges): {}{} iterations, residual {:.3e}{}",
        s.kernel,
        layers,
        s.nodes,
        s.edges,
        s.method
            .as_deref()
            .map_or(String::new(), |m| format!("{m}, ")),
        s.iterations,
        s.residual,
        if s.converged {
            ""
        } else {
            " (NOT converged: raise --max-iterations)"
        }
    );
    let _ = writeln!(
        out,
        "parse {:.0} ms, build {:.0} ms, kernel {:.1} ms",
        s.timings_ms.parse, s.timings_ms.build, s.timings_ms.kernel
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{:>5}  {:<24} {:>16}", "rank", "account", "score");
    for r in &s.top {
        let _ = writeln!(out, "{:>5}  {:<24} {:>16.9}", r.rank, r.label, r.score);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_scores_breaks_ties_by_id_and_puts_nan_last() {
        let scores = [0.5, f64::NAN, 0.9, 0.5, 0.1];
        let top = top_scores(&scores, 4);
        let ids: Vec<u32> = top.iter().map(|t| t.0.0).collect();
        assert_eq!(ids, vec![2, 0, 3, 4]);
        assert_eq!(top_scores(&scores, 10).len(), 5);
        assert_eq!(top_scores(&scores, 10)[4].0, NodeId(1));
        assert!(top_scores(&[], 3).is_empty());
    }
}
