//! Metrics that compare a score vector with a ground truth: ranking quality
//! (precision@k, NDCG@k), rank correlation (Kendall tau-b, Spearman rho),
//! binary separation (ROC AUC, average precision), classification (macro-F1, accuracy) and
//! percentile bootstrap confidence intervals.
//!
//! # Conventions
//!
//! * Vectors are indexed by account: position `i` of every slice is the same
//!   account, so "ties broken by index ascending" means "by account id".
//! * Paired slices of different lengths give
//!   [`MetricError::LengthMismatch`]; nothing in this module panics.
//! * An undefined value (a correlation of a constant vector, an AUC with a
//!   single class, anything on empty input) is `f64::NAN`, as scipy returns
//!   it, except [`ndcg_at_k`] which returns `None` when the ideal DCG is not
//!   positive.
//! * In rankings by score, a NaN score ranks after every number (it is
//!   never in a top k ahead of a real score); `-0.0` and `0.0` are tied.
//!   The correlations and the AUC instead propagate NaN, like scipy's
//!   default `nan_policy="propagate"`.
//!
//! # Oracle
//!
//! `tests/metrics_oracle.rs` checks every function against scipy 1.17 /
//! scikit-learn values computed by `tests/golden/make_metrics_golden.py`
//! on vectors derived from the Higgs sample and on adversarial vectors
//! (ties, constants, n = 2, NaN, infinities), to 1e-12 relative.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// An error of a metric's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricError {
    /// Two paired slices have different lengths.
    LengthMismatch {
        /// Length of the first slice.
        left: usize,
        /// Length of the second slice.
        right: usize,
    },
    /// A class label is not below the declared number of classes.
    ClassOutOfRange {
        /// The offending label.
        label: usize,
        /// The declared number of classes.
        classes: usize,
    },
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricError::LengthMismatch { left, right } => {
                write!(f, "paired inputs differ in length: {left} vs {right}")
            }
            MetricError::ClassOutOfRange { label, classes } => {
                write!(f, "class label {label} is not below {classes}")
            }
        }
    }
}

impl std::error::Error for MetricError {}

fn same_len(left: usize, right: usize) -> Result<(), MetricError> {
    if left == right {
        Ok(())
    } else {
        Err(MetricError::LengthMismatch { left, right })
    }
}

/// Descending order of `v`, NaN last, ties by index ascending: a total order
/// on indices.
#[inline]
fn desc_by_value(v: &[f64], i: usize, j: usize) -> Ordering {
    let (a, b) = (v[i], v[j]);
    let by_value = match (a.is_nan(), b.is_nan()) {
        (false, false) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
    };
    by_value.then(i.cmp(&j))
}

/// The indices of the `min(k, n)` largest values of `v` in rank order
/// (descending, NaN last, ties by index ascending). O(n + k log k).
fn top_k(v: &[f64], k: usize) -> Vec<usize> {
    let k = k.min(v.len());
    let mut idx: Vec<usize> = (0..v.len()).collect();
    if k == 0 {
        return Vec::new();
    }
    if k < idx.len() {
        idx.select_nth_unstable_by(k - 1, |&i, &j| desc_by_value(v, i, j));
        idx.truncate(k);
    }
    idx.sort_unstable_by(|&i, &j| desc_by_value(v, i, j));
    idx
}

/// Precision at `k`: the share of relevant accounts among the `k` best
/// scored ones.
///
/// # Arguments
/// * `scores` — one score per account (higher is better; NaN ranks last).
/// * `relevant` — whether each account is relevant (same length).
/// * `k` — the cut-off; clamped to the number of accounts.
///
/// # Returns
/// `|{relevant} ∩ top-min(k, n)(scores)| / min(k, n)`, ties in `scores`
/// broken by index ascending (account id); `NaN` when `min(k, n) == 0`;
/// [`MetricError::LengthMismatch`] when the slices differ in length.
///
/// # Complexity
/// O(n + k log k) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::precision_at_k;
/// let scores = [0.9, 0.1, 0.5, 0.5];
/// let relevant = [true, false, false, true];
/// // top 2: index 0 (0.9), then index 2 (0.5, tie with 3 broken by index)
/// assert_eq!(precision_at_k(&scores, &relevant, 2), Ok(0.5));
/// ```
///
/// # Reference
/// Manning, Raghavan & Schütze, *Introduction to Information Retrieval*,
/// Cambridge University Press, 2008, §8.4.
pub fn precision_at_k(scores: &[f64], relevant: &[bool], k: usize) -> Result<f64, MetricError> {
    same_len(scores.len(), relevant.len())?;
    let top = top_k(scores, k);
    if top.is_empty() {
        return Ok(f64::NAN);
    }
    let hits = top.iter().filter(|&&i| relevant[i]).count();
    Ok(hits as f64 / top.len() as f64)
}

/// Precision at `k` against a numeric outcome: the overlap of the top `k`
/// by score with the top `k` by outcome.
///
/// # Arguments
/// * `scores` — one score per account (higher is better; NaN ranks last).
/// * `outcome` — the later, observed quantity per account (same length;
///   higher is better; NaN ranks last).
/// * `k` — the cut-off; clamped to the number of accounts.
///
/// # Returns
/// `|top-k(scores) ∩ top-k(outcome)| / min(k, n)`, ties broken by index
/// ascending in both rankings; `NaN` when `min(k, n) == 0`;
/// [`MetricError::LengthMismatch`] when the slices differ in length.
///
/// # Complexity
/// O(n + k log k) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::precision_at_k_outcome;
/// let scores = [3.0, 2.0, 1.0, 0.0];
/// let outcome = [10.0, 0.0, 7.0, 1.0];
/// // top 2 by score {0, 1}, by outcome {0, 2}: overlap 1
/// assert_eq!(precision_at_k_outcome(&scores, &outcome, 2), Ok(0.5));
/// ```
///
/// # Reference
/// Manning, Raghavan & Schütze, *Introduction to Information Retrieval*,
/// 2008, §8.4, with relevance defined as membership of the outcome's top k
/// (as in influencer-identification benchmarks, e.g. Kitsak et al.,
/// *Nature Physics* 6, 2010).
pub fn precision_at_k_outcome(
    scores: &[f64],
    outcome: &[f64],
    k: usize,
) -> Result<f64, MetricError> {
    same_len(scores.len(), outcome.len())?;
    let top = top_k(scores, k);
    if top.is_empty() {
        return Ok(f64::NAN);
    }
    let mut in_outcome = vec![false; outcome.len()];
    for i in top_k(outcome, k) {
        in_outcome[i] = true;
    }
    let hits = top.iter().filter(|&&i| in_outcome[i]).count();
    Ok(hits as f64 / top.len() as f64)
}

/// Normalised discounted cumulative gain at `k`.
///
/// # Arguments
/// * `scores` — one score per account (higher is better; NaN ranks last).
/// * `gains` — the graded relevance of each account (same length; meant to
///   be non-negative).
/// * `k` — the cut-off; clamped to the number of accounts.
///
/// # Returns
/// `Some(DCG / IDCG)` where `DCG = Σ_{r=1..k} gain(r-th by score) / log2(r + 1)`
/// (ties in `scores` broken by index ascending) and `IDCG` is the same sum
/// over the gains sorted in decreasing order. `None` when `IDCG` is not
/// positive (empty input, `k == 0`, all gains zero, or a NaN gain), where
/// NDCG is undefined. With non-negative gains the value is in `[0, 1]`.
/// [`MetricError::LengthMismatch`] when the slices differ in length.
/// Equals scikit-learn's `ndcg_score([gains], [scores], k=k,
/// ignore_ties=True)` when `scores` has no ties (with ties, sklearn leaves
/// their order to numpy's unstable `argsort` there, and averages the gains
/// of tied items by default).
///
/// # Complexity
/// O(n + k log k) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::ndcg_at_k;
/// let perfect = ndcg_at_k(&[3.0, 2.0, 1.0], &[5.0, 1.0, 0.0], 3).unwrap();
/// assert_eq!(perfect, Some(1.0));
/// assert_eq!(ndcg_at_k(&[1.0, 2.0], &[0.0, 0.0], 2).unwrap(), None);
/// ```
///
/// # Reference
/// Järvelin & Kekäläinen, *Cumulated gain-based evaluation of IR
/// techniques*, ACM TOIS 20(4), 2002 (linear gain, `log2(rank + 1)`
/// discount as in Burges et al. 2005 and scikit-learn).
pub fn ndcg_at_k(scores: &[f64], gains: &[f64], k: usize) -> Result<Option<f64>, MetricError> {
    same_len(scores.len(), gains.len())?;
    let dcg_of = |order: &[usize]| -> f64 {
        order
            .iter()
            .enumerate()
            .map(|(r, &i)| gains[i] / ((r + 2) as f64).log2())
            .sum()
    };
    let ideal = if gains.iter().any(|g| g.is_nan()) {
        f64::NAN
    } else {
        dcg_of(&top_k(gains, k))
    };
    // `!(ideal > 0.0)` also catches NaN.
    if ideal.partial_cmp(&0.0) != Some(Ordering::Greater) {
        return Ok(None);
    }
    Ok(Some(dcg_of(&top_k(scores, k)) / ideal))
}

/// Sizes of runs of equal values in a sorted sequence: Σ t(t − 1)/2.
fn tied_pairs(sorted: &[f64]) -> u64 {
    let mut total = 0u64;
    let mut run = 1u64;
    for w in sorted.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            total += run * (run - 1) / 2;
            run = 1;
        }
    }
    if !sorted.is_empty() {
        total += run * (run - 1) / 2;
    }
    total
}

/// Stable bottom-up merge sort of `v` (no NaN), returning the number of
/// inversions (pairs `i < j` with `v[i] > v[j]`).
fn sort_counting_inversions(v: &mut Vec<f64>) -> u64 {
    let n = v.len();
    let mut buf = vec![0.0; n];
    let mut swaps = 0u64;
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut o) = (lo, mid, lo);
            while i < mid && j < hi {
                if v[i] <= v[j] {
                    buf[o] = v[i];
                    i += 1;
                } else {
                    buf[o] = v[j];
                    j += 1;
                    swaps += (mid - i) as u64;
                }
                o += 1;
            }
            buf[o..o + (mid - i)].copy_from_slice(&v[i..mid]);
            o += mid - i;
            buf[o..o + (hi - j)].copy_from_slice(&v[j..hi]);
            lo = hi;
        }
        std::mem::swap(v, &mut buf);
        width *= 2;
    }
    swaps
}

/// Kendall's tau-b rank correlation, with tie corrections.
///
/// # Arguments
/// * `x`, `y` — paired observations (same length).
///
/// # Returns
/// `τ_b = (n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2))` with `n_0 = n(n−1)/2`,
/// `n_1`/`n_2` the pairs tied in `x`/`y`, `n_c`/`n_d` the concordant and
/// discordant pairs, clamped to `[-1, 1]`. Equals
/// `scipy.stats.kendalltau(x, y).statistic` (variant `"b"`, the default):
/// `NaN` when `n < 2`, when `x` or `y` is constant, or when any value is NaN.
/// [`MetricError::LengthMismatch`] when the slices differ in length.
///
/// # Complexity
/// O(n log n) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::kendall_tau_b;
/// let tau = kendall_tau_b(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
/// assert!((tau - 4.0 / 6.0).abs() < 1e-15);
/// assert!(kendall_tau_b(&[1.0, 1.0], &[1.0, 2.0]).unwrap().is_nan());
/// ```
///
/// # Reference
/// Kendall, *The treatment of ties in ranking problems*, Biometrika 33(3),
/// 1945; algorithm of Knight, *A computer method for calculating Kendall's
/// tau with ungrouped data*, JASA 61(314), 1966.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Result<f64, MetricError> {
    same_len(x.len(), y.len())?;
    let n = x.len();
    if n < 2 || x.iter().chain(y).any(|v| v.is_nan()) {
        return Ok(f64::NAN);
    }
    // Order by (x, y): inversions of y in that order are exactly the
    // discordant pairs (pairs tied in x are ordered by y, so never counted).
    let mut order: Vec<usize> = (0..n).collect();
    let total = |a: f64, b: f64| a.partial_cmp(&b).unwrap_or(Ordering::Equal);
    order.sort_unstable_by(|&i, &j| total(x[i], x[j]).then(total(y[i], y[j])));
    let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let n1 = tied_pairs(&xs);
    // Pairs tied in both x and y.
    let mut n3 = 0u64;
    let mut run = 1u64;
    for w in order.windows(2) {
        if x[w[0]] == x[w[1]] && y[w[0]] == y[w[1]] {
            run += 1;
        } else {
            n3 += run * (run - 1) / 2;
            run = 1;
        }
    }
    n3 += run * (run - 1) / 2;
    let mut ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let discordant = sort_counting_inversions(&mut ys);
    let n2 = tied_pairs(&ys);
    let n0 = (n as u64) * (n as u64 - 1) / 2;
    if n1 == n0 || n2 == n0 {
        return Ok(f64::NAN);
    }
    // n_c − n_d = n0 − n1 − n2 + n3 − 2 n_d (exact in i128).
    let numerator = n0 as i128 - n1 as i128 - n2 as i128 + n3 as i128 - 2 * discordant as i128;
    let tau = numerator as f64 / ((n0 - n1) as f64).sqrt() / ((n0 - n2) as f64).sqrt();
    Ok(tau.clamp(-1.0, 1.0))
}

/// Mid-ranks (1-based, ties get the average of their ranks) of `v` (no NaN).
fn mid_ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_unstable_by(|&i, &j| v[i].partial_cmp(&v[j]).unwrap_or(Ordering::Equal));
    let mut ranks = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && v[order[end]] == v[order[start]] {
            end += 1;
        }
        // Ranks start+1 ..= end, averaged.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson's correlation; NaN when a side is constant.
fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (&u, &v) in a.iter().zip(b) {
        let (du, dv) = (u - ma, v - mb);
        sab += du * dv;
        saa += du * du;
        sbb += dv * dv;
    }
    if saa == 0.0 || sbb == 0.0 {
        return f64::NAN;
    }
    (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0)
}

/// Spearman's rank correlation: Pearson's correlation of the mid-ranks.
///
/// # Arguments
/// * `x`, `y` — paired observations (same length).
///
/// # Returns
/// Pearson's r of the average-tie ranks of `x` and `y`, in `[-1, 1]`.
/// Equals `scipy.stats.spearmanr(x, y).statistic`: `NaN` when `n < 2`, when
/// `x` or `y` is constant, or when any value is NaN.
/// [`MetricError::LengthMismatch`] when the slices differ in length.
///
/// # Complexity
/// O(n log n) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::spearman_rho;
/// let rho = spearman_rho(&[1.0, 2.0, 3.0], &[10.0, 40.0, 20.0]).unwrap();
/// assert!((rho - 0.5).abs() < 1e-15);
/// ```
///
/// # Reference
/// Spearman, *The proof and measurement of association between two
/// things*, American Journal of Psychology 15(1), 1904; ties as in
/// Kendall & Gibbons, *Rank Correlation Methods*, 5th ed., 1990.
pub fn spearman_rho(x: &[f64], y: &[f64]) -> Result<f64, MetricError> {
    same_len(x.len(), y.len())?;
    if x.len() < 2 || x.iter().chain(y).any(|v| v.is_nan()) {
        return Ok(f64::NAN);
    }
    Ok(pearson(&mid_ranks(x), &mid_ranks(y)))
}

/// Area under the ROC curve, by the Mann–Whitney statistic.
///
/// # Arguments
/// * `scores` — one score per account (higher means "more likely
///   positive").
/// * `positive` — the true class of each account (same length).
///
/// # Returns
/// The probability that a random positive outscores a random negative,
/// ties counted 1/2: `(R₊ − P(P+1)/2) / (P·N)` with `R₊` the sum of the
/// mid-ranks of the positives. Equals
/// `sklearn.metrics.roc_auc_score(positive, scores)`. `NaN` when a class is
/// empty (sklearn raises there) or when a score is NaN (sklearn rejects
/// NaN input). [`MetricError::LengthMismatch`] when the slices differ in
/// length.
///
/// # Complexity
/// O(n log n) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::auc;
/// let a = auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
/// assert!((a - 0.75).abs() < 1e-15);
/// ```
///
/// # Reference
/// Mann & Whitney, *On a test of whether one of two random variables is
/// stochastically larger than the other*, Ann. Math. Stat. 18(1), 1947;
/// Hanley & McNeil, *The meaning and use of the area under a ROC curve*,
/// Radiology 143(1), 1982.
pub fn auc(scores: &[f64], positive: &[bool]) -> Result<f64, MetricError> {
    same_len(scores.len(), positive.len())?;
    let p = positive.iter().filter(|&&b| b).count();
    let q = positive.len() - p;
    if p == 0 || q == 0 || scores.iter().any(|s| s.is_nan()) {
        return Ok(f64::NAN);
    }
    let ranks = mid_ranks(scores);
    // Mid-ranks are multiples of 1/2: the sum is exact in f64 for any
    // realistic n.
    let rank_sum: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|(_, b)| **b)
        .map(|(r, _)| r)
        .sum();
    let (p, q) = (p as f64, q as f64);
    Ok((rank_sum - p * (p + 1.0) / 2.0) / (p * q))
}

/// Average precision: the area under the precision–recall curve as a step
/// function.
///
/// # Arguments
/// * `scores` — one score per item (higher means "more likely positive").
/// * `positive` — the true class of each item (same length).
///
/// # Returns
/// `AP = Σ_k (R_k − R_{k−1}) · P_k` over the distinct scores taken as
/// thresholds from the highest down, with `P_k` and `R_k` the precision and
/// recall of the items scoring at least the k-th threshold (tied items
/// enter together, so ties are neither rewarded nor punished by their
/// order). Equals `sklearn.metrics.average_precision_score(positive,
/// scores)`. A random score gives about the share of positives; 1 is a
/// perfect ranking. `NaN` when there is no positive (sklearn then returns
/// 0 with a warning, a value with no meaning) or when a score is NaN;
/// [`MetricError::LengthMismatch`] when the slices differ in length.
///
/// # Complexity
/// O(n log n) time, O(n) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::average_precision;
/// // Positives at 0.8 (precision 1, recall 1/2) and 0.35 (precision 2/3,
/// // recall 1): AP = 1/2 · 1 + 1/2 · 2/3.
/// let ap = average_precision(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
/// assert!((ap - (0.5 + 0.5 * 2.0 / 3.0)).abs() < 1e-15);
/// ```
///
/// # Reference
/// Manning, Raghavan & Schütze, *Introduction to Information Retrieval*,
/// Cambridge University Press, 2008, §8.4 (average precision); scikit-learn
/// `average_precision_score`.
pub fn average_precision(scores: &[f64], positive: &[bool]) -> Result<f64, MetricError> {
    same_len(scores.len(), positive.len())?;
    let total = positive.iter().filter(|&&b| b).count();
    if total == 0 || scores.iter().any(|s| s.is_nan()) {
        return Ok(f64::NAN);
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&i, &j| scores[j].total_cmp(&scores[i]));
    let (mut tp, mut seen, mut ap) = (0usize, 0usize, 0.0f64);
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        let mut gained = 0;
        // -0.0 and 0.0 are one threshold.
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            gained += usize::from(positive[order[end]]);
            end += 1;
        }
        tp += gained;
        seen += end - start;
        if gained > 0 {
            ap += gained as f64 / total as f64 * (tp as f64 / seen as f64);
        }
        start = end;
    }
    Ok(ap)
}

fn check_labels(labels: &[usize], classes: usize) -> Result<(), MetricError> {
    match labels.iter().find(|&&l| l >= classes) {
        Some(&label) => Err(MetricError::ClassOutOfRange { label, classes }),
        None => Ok(()),
    }
}

/// Macro-averaged F1 score.
///
/// # Arguments
/// * `predicted` — the predicted class of each item, in `0..classes`.
/// * `truth` — the true class of each item (same length), in `0..classes`.
/// * `classes` — the number of classes.
///
/// # Returns
/// The unweighted mean over classes of `F1_c = 2·TP_c / (2·TP_c + FP_c +
/// FN_c)`, taken over the classes that occur in `truth` or in `predicted`;
/// a class that occurs but is never predicted correctly has F1 0. This is
/// scikit-learn's `f1_score(truth, predicted, average="macro")` (default
/// `labels=None`: sklearn averages over the union of labels present, so a
/// class absent from both slices is *left out* of the mean, not counted as
/// 0 — passing `labels=range(classes), zero_division=0` would count it as 0
/// instead, and `zero_division=1` as 1). `NaN` on empty input;
/// [`MetricError::LengthMismatch`] or [`MetricError::ClassOutOfRange`] on
/// invalid input.
///
/// # Complexity
/// O(n + classes) time, O(classes) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::macro_f1;
/// // class 0: F1 2/3, class 1: F1 4/5, class 2 absent from both: left out.
/// let f = macro_f1(&[0, 1, 1, 1], &[0, 0, 1, 1], 3).unwrap();
/// assert!((f - (2.0 / 3.0 + 0.8) / 2.0).abs() < 1e-15);
/// ```
///
/// # Reference
/// Van Rijsbergen, *Information Retrieval*, 2nd ed., 1979 (F-measure);
/// Yang & Liu, *A re-examination of text categorization methods*, SIGIR
/// 1999 (macro-averaging); scikit-learn `f1_score`.
pub fn macro_f1(predicted: &[usize], truth: &[usize], classes: usize) -> Result<f64, MetricError> {
    same_len(predicted.len(), truth.len())?;
    check_labels(predicted, classes)?;
    check_labels(truth, classes)?;
    if truth.is_empty() {
        return Ok(f64::NAN);
    }
    let mut tp = vec![0u64; classes];
    let mut n_pred = vec![0u64; classes];
    let mut n_true = vec![0u64; classes];
    for (&p, &t) in predicted.iter().zip(truth) {
        n_pred[p] += 1;
        n_true[t] += 1;
        if p == t {
            tp[p] += 1;
        }
    }
    let (mut sum, mut present) = (0.0, 0usize);
    for c in 0..classes {
        if n_pred[c] + n_true[c] == 0 {
            continue;
        }
        present += 1;
        // 2TP + FP + FN = n_pred + n_true > 0.
        sum += 2.0 * tp[c] as f64 / (n_pred[c] + n_true[c]) as f64;
    }
    Ok(sum / present as f64)
}

/// Accuracy: the share of items whose predicted class is the true one.
///
/// # Arguments
/// * `predicted`, `truth` — predicted and true labels (same length).
///
/// # Returns
/// `|{i : predicted[i] == truth[i]}| / n`, as
/// `sklearn.metrics.accuracy_score(truth, predicted)`; `NaN` on empty input;
/// [`MetricError::LengthMismatch`] when the slices differ in length.
///
/// # Complexity
/// O(n) time, O(1) memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::accuracy;
/// assert_eq!(accuracy(&[0, 1, 1, 1], &[0, 0, 1, 1]), Ok(0.75));
/// ```
///
/// # Reference
/// scikit-learn `accuracy_score`; Manning, Raghavan & Schütze 2008, §8.3.
pub fn accuracy(predicted: &[usize], truth: &[usize]) -> Result<f64, MetricError> {
    same_len(predicted.len(), truth.len())?;
    if truth.is_empty() {
        return Ok(f64::NAN);
    }
    let hits = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    Ok(hits as f64 / truth.len() as f64)
}

/// A point estimate with a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The statistic on the full sample.
    pub estimate: f64,
    /// Lower bound of the interval.
    pub low: f64,
    /// Upper bound of the interval.
    pub high: f64,
}

/// SplitMix64 (Steele, Lea & Flood 2014): one small generator per resample.
struct SplitMix64(u64);

impl SplitMix64 {
    #[inline]
    fn mix(x: u64) -> u64 {
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Stream `stream` of `seed`.
    fn stream(seed: u64, stream: u64) -> SplitMix64 {
        SplitMix64(Self::mix(seed ^ Self::mix(stream ^ 0x6A09_E667_F3BC_C909)))
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        Self::mix(self.0)
    }

    /// A number in `0..n`, by Lemire's multiply-shift (bias ≤ n / 2^64).
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
}

/// Quantile `q` of sorted `v` by linear interpolation between order
/// statistics (Hyndman & Fan type 7, numpy's default).
fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    let frac = h - lo as f64;
    if frac == 0.0 {
        v[lo]
    } else {
        v[lo] + (v[hi] - v[lo]) * frac
    }
}

/// Percentile bootstrap confidence interval of a statistic of `n` items.
///
/// # Arguments
/// * `n` — the number of items (accounts, pairs, ...).
/// * `statistic` — computes the statistic from a multiset of item indices
///   (a slice of `n` indices in `0..n`, with repetitions); it is called
///   once on `0..n` and once per resample, from several threads.
/// * `resamples` — the number of bootstrap resamples (e.g. 1,000–10,000).
/// * `level` — the confidence level in `(0, 1)`, e.g. `0.95`.
/// * `seed` — the random seed.
///
/// # Returns
/// `estimate` = the statistic on `0..n`; `low`/`high` = the `(1 − level)/2`
/// and `(1 + level)/2` quantiles (linear interpolation, numpy's default) of
/// the statistic over `resamples` index sets drawn uniformly with
/// replacement. Resamples on which the statistic is NaN (e.g. an AUC
/// resample with one class) are discarded. `low` and `high` are NaN when
/// `n == 0`, `resamples == 0`, `level` is not in `(0, 1)`, or every
/// resample was NaN. The result depends only on the arguments, not on the
/// number of rayon threads: resample `r` draws its indices from its own
/// SplitMix64 stream derived from `(seed, r)`.
///
/// # Complexity
/// O(resamples · (n + cost of `statistic`)) work, spread over the rayon
/// pool, plus O(resamples log resamples); O(resamples + threads · n)
/// memory.
///
/// # Example
/// ```
/// use portevoix_eval::metrics::bootstrap_ci;
/// let data = [2.0, 4.0, 4.0, 5.0, 7.0, 9.0];
/// let mean = |idx: &[usize]| idx.iter().map(|&i| data[i]).sum::<f64>() / idx.len() as f64;
/// let ci = bootstrap_ci(data.len(), mean, 2000, 0.95, 7);
/// assert!((ci.estimate - 31.0 / 6.0).abs() < 1e-12);
/// assert!(ci.low <= ci.estimate && ci.estimate <= ci.high);
/// ```
///
/// # Reference
/// Efron & Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall,
/// 1993, ch. 13 (percentile interval).
pub fn bootstrap_ci(
    n: usize,
    statistic: impl Fn(&[usize]) -> f64 + Sync,
    resamples: usize,
    level: f64,
    seed: u64,
) -> Interval {
    let all: Vec<usize> = (0..n).collect();
    let estimate = statistic(&all);
    let valid_level = level > 0.0 && level < 1.0;
    if n == 0 || resamples == 0 || !valid_level {
        return Interval {
            estimate,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let mut replicates: Vec<f64> = (0..resamples as u64)
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(n),
            |idx: &mut Vec<usize>, r| {
                let mut rng = SplitMix64::stream(seed, r);
                idx.clear();
                idx.extend((0..n).map(|_| rng.below(n as u64) as usize));
                statistic(idx)
            },
        )
        .filter(|v| !v.is_nan())
        .collect();
    replicates.sort_unstable_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    let alpha = (1.0 - level) / 2.0;
    Interval {
        estimate,
        low: quantile_sorted(&replicates, alpha),
        high: quantile_sorted(&replicates, 1.0 - alpha),
    }
}
