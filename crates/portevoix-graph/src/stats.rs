//! Per-layer statistics and degree summaries, as shown by `portevoix inspect`.

use portevoix_core::Timestamp;
use serde::{Deserialize, Serialize};

/// What happened while building one layer, and what it looks like.
///
/// Every number is exact and identical for any number of threads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LayerStats {
    /// Rows of the layer in the input log.
    pub input_rows: u64,
    /// `A → A` rows dropped because [`BuildOptions::keep_self_loops`](crate::BuildOptions::keep_self_loops) was `false`.
    pub self_loops_dropped: u64,
    /// Rows folded into an earlier row with the same `(actor, target)`:
    /// `input_rows - self_loops_dropped - edges`.
    pub duplicates_merged: u64,
    /// Edges of the built layer (distinct `(actor, target)` pairs kept).
    pub edges: u64,
    /// Self-loop edges kept (0 unless self-loops are kept).
    pub self_loops: u64,
    /// Nodes with at least one in- or out-edge on this layer.
    pub active_nodes: u64,
    /// Share of non-loop edges `u → v` whose reverse `v → u` also exists,
    /// in `[0, 1]` (0 when there is no non-loop edge).
    pub reciprocity: f64,
    /// Earliest and latest known time of the rows kept, if any row has one.
    pub time_span: Option<(Timestamp, Timestamp)>,
    /// Sum of the final edge weights (in `f64`, in a fixed order).
    pub weight_sum: f64,
}

/// Summary of one degree distribution over **all** nodes of the network
/// (isolated nodes count as degree 0, so that layers compare on the same
/// population).
///
/// Percentiles use the nearest-rank definition: the `p`-th percentile is the
/// smallest degree such that at least `p`% of nodes have that degree or less.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DegreeSummary {
    /// Smallest degree.
    pub min: u64,
    /// 50th percentile (nearest rank).
    pub median: u64,
    /// Mean degree (edges / nodes).
    pub mean: f64,
    /// 90th percentile (nearest rank).
    pub p90: u64,
    /// 99th percentile (nearest rank).
    pub p99: u64,
    /// Largest degree.
    pub max: u64,
}

impl DegreeSummary {
    /// Summarises `degrees`, which it sorts in place.
    pub(crate) fn from_degrees(degrees: &mut [u64]) -> DegreeSummary {
        use rayon::prelude::*;
        let n = degrees.len();
        if n == 0 {
            return DegreeSummary::default();
        }
        degrees.par_sort_unstable();
        let rank = |p: f64| -> u64 {
            // Nearest rank: ceil(p * n), 1-based, clamped to [1, n].
            let r = ((p * n as f64).ceil() as usize).clamp(1, n);
            degrees[r - 1]
        };
        let total: u64 = degrees.iter().sum();
        DegreeSummary {
            min: degrees[0],
            median: rank(0.5),
            mean: total as f64 / n as f64,
            p90: rank(0.9),
            p99: rank(0.99),
            max: degrees[n - 1],
        }
    }
}

/// In- and out-degree summaries of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DegreeSummaries {
    /// Out-degree (edges from a node: how many accounts it acted on).
    pub out_degree: DegreeSummary,
    /// In-degree (edges to a node: how many accounts acted on it).
    pub in_degree: DegreeSummary,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut d: Vec<u64> = (1..=100).rev().collect();
        let s = DegreeSummary::from_degrees(&mut d);
        assert_eq!((s.min, s.median, s.p90, s.p99, s.max), (1, 50, 90, 99, 100));
        assert!((s.mean - 50.5).abs() < 1e-12);
        let mut one = vec![7];
        let s = DegreeSummary::from_degrees(&mut one);
        assert_eq!((s.min, s.median, s.p99, s.max), (7, 7, 7, 7));
        assert_eq!(
            DegreeSummary::from_degrees(&mut []),
            DegreeSummary::default()
        );
    }
}
