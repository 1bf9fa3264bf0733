//! Normalise: every signal value becomes a number in [0, 1] from its rank
//! within its group ([`Scale`], [`Normalisation`]).

use crate::campaign::{Normalisation, Scale};
use crate::signals::SignalMatrix;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Percentile `#{y < x} / (n − 1)` of every value of `column` among the rows
/// listed in `rows`, written into `out[row]`. O(k log k) for k rows.
pub fn percentiles_into(column: &[f64], rows: &[usize], out: &mut [f64]) {
    scaled_into(column, rows, Scale::Percentile, out);
}

/// Every value of `column` among the rows listed in `rows`, scaled by
/// `scale` within them (percentile `#{y < x} / (k − 1)`, or log-rank
/// `1 − ln(1 + #{y > x}) / ln(k)` and 0 for the group minimum), written
/// into `out[row]`. O(k log k) for k rows.
pub(crate) fn scaled_into(column: &[f64], rows: &[usize], scale: Scale, out: &mut [f64]) {
    let k = rows.len();
    if k == 0 {
        return;
    }
    if k == 1 {
        let r = rows[0];
        out[r] = if column[r] > 0.0 { 1.0 } else { 0.0 };
        return;
    }
    let mut order: Vec<usize> = rows.to_vec();
    order.sort_by(|&a, &b| column[a].total_cmp(&column[b]));
    let mut i = 0;
    while i < k {
        let v = column[order[i]];
        let mut j = i;
        while j < k && column[order[j]] == v {
            j += 1;
        }
        // `i` values below this tie group, `k − j` above it.
        let p = match scale {
            Scale::Percentile => i as f64 / (k - 1) as f64,
            Scale::LogRank if i == 0 => 0.0,
            Scale::LogRank => log_rank(k - j, k),
        };
        for &r in &order[i..j] {
            out[r] = p;
        }
        i = j;
    }
}

/// `1 − ln(1 + greater) / ln(k)`: the log-rank of a value beaten by
/// `greater` of the `k` values of its group (k ≥ 2).
fn log_rank(greater: usize, k: usize) -> f64 {
    1.0 - ((1 + greater) as f64).ln() / (k as f64).ln()
}

/// The groups of rows normalised together, and the rows normalised over
/// the whole pool (those of communities below the minimum size).
pub(crate) fn groups(
    n: usize,
    normalisation: Normalisation,
    communities: Option<&[u32]>,
) -> (Vec<Vec<usize>>, Vec<usize>) {
    match (normalisation, communities) {
        (Normalisation::Community { min_size }, Some(labels)) => {
            let mut by: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
            for (r, &c) in labels.iter().enumerate().take(n) {
                by.entry(c).or_default().push(r);
            }
            let mut rest = Vec::new();
            let mut out = Vec::new();
            for (_, rows) in by {
                if rows.len() >= min_size.max(2) {
                    out.push(rows);
                } else {
                    rest.extend(rows);
                }
            }
            rest.sort_unstable();
            (out, rest)
        }
        _ => (vec![(0..n).collect()], Vec::new()),
    }
}

/// Percentile `#{y < x} / (n − 1)` (or log-rank) of the rows `targets`
/// against every row of `column` (the whole pool). O((n + k) log n).
pub(crate) fn pool_scaled_of(column: &[f64], targets: &[usize], scale: Scale, out: &mut [f64]) {
    let n = column.len();
    if targets.is_empty() {
        return;
    }
    let mut sorted: Vec<f64> = column.to_vec();
    sorted.sort_by(f64::total_cmp);
    for &r in targets {
        let below = sorted.partition_point(|y| y.total_cmp(&column[r]).is_lt());
        out[r] = if n <= 1 {
            if column[r] > 0.0 { 1.0 } else { 0.0 }
        } else {
            match scale {
                Scale::Percentile => below as f64 / (n - 1) as f64,
                Scale::LogRank if below == 0 => 0.0,
                Scale::LogRank => {
                    let not_above = sorted.partition_point(|y| y.total_cmp(&column[r]).is_le());
                    log_rank(n - not_above, n)
                }
            }
        };
    }
}

/// Percentile (share of the pool beaten) of every value of `values`.
pub fn pool_percentiles(values: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; values.len()];
    let rows: Vec<usize> = (0..values.len()).collect();
    percentiles_into(values, &rows, &mut out);
    out
}

/// The signals `columns` of `matrix` scaled within their group: the groups
/// of `normalisation` (the pool, or communities of at least `min_size` rows
/// with the smaller ones against the pool), one column per task.
///
/// # Complexity
///
/// O(s × n log n) for s columns and n rows, parallel over columns.
pub fn normalise(
    matrix: &SignalMatrix,
    columns: &[usize],
    normalisation: Normalisation,
    communities: Option<&[u32]>,
    scale: Scale,
) -> Vec<Vec<f64>> {
    let n = matrix.accounts.len();
    let (groups, pool_rows) = groups(n, normalisation, communities);
    columns
        .par_iter()
        .map(|&j| {
            let column: Vec<f64> = matrix.values.column(j).to_vec();
            let mut out = vec![0.0; n];
            for g in &groups {
                scaled_into(&column, g, scale, &mut out);
            }
            pool_scaled_of(&column, &pool_rows, scale, &mut out);
            out
        })
        .collect()
}
