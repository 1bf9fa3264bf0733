//! How a [`Network`](crate::Network) is built: duplicate policy, self-loops,
//! layers, times.

use portevoix_core::Layer;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the weights of several rows with the same `(actor, target)` pair on
/// one layer are merged into the weight of their single edge.
///
/// Rows are merged in **input order** whatever the number of threads, so
/// `First`, `Last` and the floating-point sums of `Sum` and `Mean` are
/// deterministic. Sums are accumulated in `f64` and rounded to `f32` once.
/// The number of merged rows is kept in every case (see
/// [`LayerGraph::counts`](crate::LayerGraph::counts)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DuplicatePolicy {
    /// Sum of the weights (an interaction count for unit-weight events).
    #[default]
    Sum,
    /// Largest weight (NaN weights are ignored unless all are NaN).
    Max,
    /// Smallest weight (NaN weights are ignored unless all are NaN).
    Min,
    /// Arithmetic mean of the weights.
    Mean,
    /// Weight of the first row in input order.
    First,
    /// Weight of the last row in input order.
    Last,
    /// The number of merged rows, whatever their weights.
    Count,
}

impl DuplicatePolicy {
    /// Every policy, in declaration order.
    pub const ALL: [DuplicatePolicy; 7] = [
        DuplicatePolicy::Sum,
        DuplicatePolicy::Max,
        DuplicatePolicy::Min,
        DuplicatePolicy::Mean,
        DuplicatePolicy::First,
        DuplicatePolicy::Last,
        DuplicatePolicy::Count,
    ];

    /// The lower-case name (`sum`, `max`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicatePolicy::Sum => "sum",
            DuplicatePolicy::Max => "max",
            DuplicatePolicy::Min => "min",
            DuplicatePolicy::Mean => "mean",
            DuplicatePolicy::First => "first",
            DuplicatePolicy::Last => "last",
            DuplicatePolicy::Count => "count",
        }
    }

    /// Merges the weights of one run of duplicate rows, given in input order.
    ///
    /// An empty run merges to `0.0` (never produced by the builder).
    pub fn merge(self, weights: impl IntoIterator<Item = f32>) -> f32 {
        let mut it = weights.into_iter();
        let Some(first) = it.next() else {
            return 0.0;
        };
        match self {
            DuplicatePolicy::Sum => it.fold(first as f64, |acc, w| acc + w as f64) as f32,
            DuplicatePolicy::Max => it.fold(first, f32::max),
            DuplicatePolicy::Min => it.fold(first, f32::min),
            DuplicatePolicy::Mean => {
                let (sum, n) = it.fold((first as f64, 1u64), |(s, n), w| (s + w as f64, n + 1));
                (sum / n as f64) as f32
            }
            DuplicatePolicy::First => first,
            DuplicatePolicy::Last => it.last().unwrap_or(first),
            DuplicatePolicy::Count => (1 + it.count()) as f32,
        }
    }
}

impl fmt::Display for DuplicatePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when a duplicate-policy name is not recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown duplicate policy '{0}' (expected one of sum, max, min, mean, first, last, count)")]
pub struct UnknownPolicy(pub String);

impl FromStr for DuplicatePolicy {
    type Err = UnknownPolicy;

    /// Parses a policy name, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        DuplicatePolicy::ALL
            .into_iter()
            .find(|p| p.as_str() == lower)
            .ok_or_else(|| UnknownPolicy(s.to_string()))
    }
}

/// Options of [`Network::build`](crate::Network::build) and
/// [`LayerGraph::build`](crate::LayerGraph::build).
///
/// ```
/// use portevoix_graph::{BuildOptions, DuplicatePolicy};
/// use portevoix_core::Layer;
/// let opts = BuildOptions {
///     duplicates: DuplicatePolicy::Max,
///     layers: Some(vec![Layer::Repost, Layer::Quote]),
///     ..BuildOptions::default()
/// };
/// assert!(!opts.keep_self_loops && opts.keep_times);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuildOptions {
    /// How duplicate `(actor, target)` rows of a layer are merged. Default: [`DuplicatePolicy::Sum`].
    pub duplicates: DuplicatePolicy,
    /// Keep `A → A` rows as self-loop edges. Default `false`: they are
    /// dropped and counted in [`LayerStats::self_loops_dropped`](crate::LayerStats::self_loops_dropped),
    /// because most kernels (PageRank, reciprocity, k-core) treat a
    /// self-endorsement as noise.
    pub keep_self_loops: bool,
    /// Layers to build; `None` (default) builds every non-empty layer.
    pub layers: Option<Vec<Layer>>,
    /// Keep the event times of every edge (a CSR of sorted times per edge)
    /// when the input has times. Default `true`: trust signals need repeated
    /// interaction over time.
    pub keep_times: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            duplicates: DuplicatePolicy::Sum,
            keep_self_loops: false,
            layers: None,
            keep_times: true,
        }
    }
}

impl BuildOptions {
    /// Whether `layer` is selected by [`BuildOptions::layers`].
    pub fn wants(&self, layer: Layer) -> bool {
        self.layers.as_ref().is_none_or(|ls| ls.contains(&layer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_merge_in_input_order() {
        let w = [2.0f32, 5.0, 1.0];
        let got: Vec<f32> = DuplicatePolicy::ALL.iter().map(|p| p.merge(w)).collect();
        assert_eq!(got, vec![8.0, 5.0, 1.0, 8.0 / 3.0, 2.0, 1.0, 3.0]);
        assert_eq!(DuplicatePolicy::Max.merge([f32::NAN, 1.0]), 1.0);
        assert_eq!(DuplicatePolicy::Sum.merge([]), 0.0);
        for p in DuplicatePolicy::ALL {
            assert_eq!(p.as_str().parse::<DuplicatePolicy>().unwrap(), p);
        }
        assert!("median".parse::<DuplicatePolicy>().is_err());
    }
}
