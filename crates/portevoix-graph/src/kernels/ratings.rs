//! Signed ratings of a layer, normalised to `[-1, 1]` and aligned on both
//! CSR directions: the input of the rating kernels
//! ([`fairness_goodness`](super::fairness_goodness()) and [`rev2`](super::rev2())).
//!
//! A rating is an edge `u → v` ("u rated v"); its value is the layer's
//! [rating value](crate::LayerGraph::edge_value) (the mean of the merged
//! rows when a pair was rated more than once), else the edge weight. Values
//! are divided by the [`RatingScale`]: Bitcoin OTC and Alpha rate from −10
//! to +10, so `−10 → −1`, `+5 → 0.5`, as in Kumar et al.

use crate::LayerGraph;
use portevoix_core::{Error, NodeId, Result};

/// How raw rating values become scores in `[-1, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum RatingScale {
    /// Divide by the largest absolute value present on the layer (10 on
    /// Bitcoin OTC and Alpha, 1 on Epinions and Slashdot): the default.
    #[default]
    MaxAbsolute,
    /// Divide by this (e.g. 10 for a −10…+10 scale); a value beyond it is an
    /// error.
    Fixed(f64),
}

/// The normalised ratings of a layer, indexed by out-edge position
/// ([`LayerGraph::out_edge_range`]) and by in-edge position (row `v` of the
/// in-CSR), with the map from the second to the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    /// `score(u, v)` in `[-1, 1]` per out-edge position.
    pub out: Vec<f64>,
    /// The same scores in in-CSR order.
    pub inn: Vec<f64>,
    /// Out-edge position of every in-edge position.
    pub in_to_out: Vec<usize>,
    /// The divisor applied to the raw values.
    pub scale: f64,
}

impl Ratings {
    /// Reads, validates and aligns the ratings of `graph`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when a value is not finite, when a fixed
    /// scale is not positive and finite, or when a value lies beyond the
    /// fixed scale.
    ///
    /// # Complexity
    ///
    /// `O(n + m)` time, `24·m` bytes.
    pub fn of(graph: &LayerGraph, scale: RatingScale) -> Result<Ratings> {
        let n = graph.num_nodes();
        let weights = graph.out_csr().weights();
        let raw: Vec<f64> = (0..weights.len())
            .map(|e| f64::from(graph.edge_value(e).unwrap_or(weights[e])))
            .collect();
        if let Some(e) = raw.iter().position(|r| !r.is_finite()) {
            return Err(Error::argument(
                "rating",
                format!("rating of edge {e} is {}; ratings must be finite", raw[e]),
            ));
        }
        let largest = raw.iter().fold(0.0f64, |m, r| m.max(r.abs()));
        let divisor = match scale {
            RatingScale::MaxAbsolute => {
                if largest > 0.0 {
                    largest
                } else {
                    1.0
                }
            }
            RatingScale::Fixed(s) => {
                if !(s.is_finite() && s > 0.0) {
                    return Err(Error::argument(
                        "ratings",
                        format!("rating scale must be positive and finite, got {s}"),
                    ));
                }
                if largest > s {
                    return Err(Error::argument(
                        "ratings",
                        format!("a rating of absolute value {largest} lies beyond the scale {s}"),
                    ));
                }
                s
            }
        };
        let out: Vec<f64> = raw.iter().map(|r| r / divisor).collect();
        // The in-CSR is the stable transpose of the out-CSR: scanning raters
        // in id order and appending to each target's row rebuilds it, so a
        // cursor per target gives every out-edge its in-edge position.
        let in_offsets = graph.in_csr().offsets();
        let mut cursor: Vec<u64> = in_offsets[..n].to_vec();
        let mut in_to_out = vec![0usize; out.len()];
        let targets = graph.out_csr().neighbors();
        for u in 0..n {
            for e in graph.out_edge_range(NodeId(u as u32)) {
                let v = targets[e] as usize;
                let pos = cursor[v] as usize;
                debug_assert_eq!(graph.in_csr().neighbors()[pos] as usize, u);
                in_to_out[pos] = e;
                cursor[v] += 1;
            }
        }
        let inn = in_to_out.iter().map(|&e| out[e]).collect();
        Ok(Ratings {
            out,
            inn,
            in_to_out,
            scale: divisor,
        })
    }
}

/// The median of `values` as numpy computes it (the mean of the two middle
/// values for an even count); `None` when empty. Exact, so independent of
/// any evaluation order.
pub(crate) fn median(mut values: Vec<f64>) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = values[..n / 2]
        .iter()
        .copied()
        .max_by(f64::total_cmp)
        .unwrap_or(upper);
    Some((lower + upper) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuildOptions;
    use portevoix_core::LayerLog;

    #[test]
    fn median_matches_numpy() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(vec![5.0, -1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![1.0, 9.0, 3.0, 3.0]), Some(3.0));
    }

    #[test]
    fn aligned_on_both_directions() {
        let mut log = LayerLog::default();
        for (u, v, r) in [(2, 0, -10.0), (0, 1, 5.0), (1, 0, 2.0), (2, 1, 10.0)] {
            log.push(NodeId(u), NodeId(v), 1.0, None, Some(r), None);
        }
        let g = LayerGraph::build(&log, 3, &BuildOptions::default()).unwrap();
        let r = Ratings::of(&g, RatingScale::MaxAbsolute).unwrap();
        assert_eq!(r.scale, 10.0);
        // In-row of 0: raters 1 (+2) and 2 (−10); of 1: raters 0 (+5) and 2 (+10).
        assert_eq!(r.inn, vec![0.2, -1.0, 0.5, 1.0]);
        for (pos, &e) in r.in_to_out.iter().enumerate() {
            assert_eq!(r.out[e], r.inn[pos]);
        }
        assert!(Ratings::of(&g, RatingScale::Fixed(5.0)).is_err());
        assert!(Ratings::of(&g, RatingScale::Fixed(0.0)).is_err());
        assert_eq!(
            Ratings::of(&g, RatingScale::Fixed(20.0)).unwrap().out[0],
            0.25
        );
    }
}
