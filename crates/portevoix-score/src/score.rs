//! Scores: the baseline social score and the contextual score, each with an
//! explanation whose contributions add up to it.
//!
//! # Baseline social score
//!
//! What single-score tools (Klout, Kred) computed: size and activity, blind
//! to the campaign. Over the candidate pool,
//!
//! ```text
//! baseline(a) = 100 / 3 × Σ_{c ∈ {audience, pagerank, total reactions}} ln(1 + x_c(a)) / ln(1 + max_pool x_c)
//! ```
//!
//! with `x` the raw values of `reach.audience`, `reach.pagerank` and
//! `resonance.total_reactions` (a component whose pool maximum is 0 adds 0).
//! The log damps the heavy tails the way those tools did.
//!
//! # Contextual score
//!
//! 1. **Normalise**: every signal value becomes a number in [0, 1] from its
//!    rank among the `k` candidates of its group, the whole candidate pool
//!    ([`Normalisation::Pool`]) or the candidates of the account's community
//!    when it has at least `min_size` of them ([`Normalisation::Community`]).
//!    By default ([`Scale::LogRank`]) it is `p_s(a) = 1 − ln(r) / ln(k)` for
//!    the account's rank `r = 1 + #{b : x_s(b) > x_s(a)}`, which keeps the
//!    head of heavy-tailed signals apart; [`Scale::Percentile`] gives the
//!    share of the group it beats, `#{b : x_s(b) < x_s(a)} / (k − 1)` ("beats
//!    93% of the pool"), Klout's normalisation, which saturates at the head.
//!    An account at the group minimum (usually "no evidence") gets 0
//!    whatever the ties.
//! 2. **Weigh**: each family `f` has the objective's weight `W_f`; inside a
//!    family each signal has its share `w_s` ([`crate::signals::Signal::default_weight`],
//!    or the user's override). A signal that does not vary over the pool
//!    carries no information and gets weight 0, and a family with no
//!    informative signal hands its weight to the others in proportion, so the
//!    effective weights `e_s = W_f / ΣW × w_s / Σ_{t∈f} w_t` sum to 1.
//! 3. **Combine**: `score(a) = 100 × Σ_s e_s × p_s(a)`, in 0 to 100; each term
//!    is that signal's contribution in the explanation.
//! 4. **Gate**: the score is 0 (every contribution 0, with a note) when the
//!    account's `trust.authenticity` is below the campaign's
//!    `authenticity_gate`, or when its relevance (the weighted mean of its
//!    relevance percentiles) is below the `relevance_floor`. The relevance
//!    floor is skipped, with a note, when no relevance signal varies (a
//!    dataset without text).
//!
//! Properties (tested): an account at least as good as another on every
//! signal, in the same normalisation group and not gated, never scores lower
//! (monotone); the result does not depend on the number of threads.
//!
//! # Reference
//!
//! The per-signal percentile normalisation follows Klout's published scoring
//! (Rao, Spasojevic, Li, D'Souza, *Klout score: Measuring influence across
//! multiple social networks*, IEEE Big Data 2015), which combined
//! per-network features after normalising each; the log-rank scale follows
//! the observation that influence and attention are Zipf-distributed
//! (Huberman, Romero, Wu, *Social networks that matter: Twitter under the
//! microscope*, First Monday 2009), so rank orders of magnitude, not rank
//! shares, separate the accounts that matter. The family weights are the
//! campaign objective's ([`crate::campaign::Objective::preset`]).

use crate::campaign::Weights;
use crate::signals::{Family, SignalMatrix};
use ndarray::Array2;
use portevoix_core::{Contribution, Error, Evidence, Explanation};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The signals the baseline combines, in order.
pub const BASELINE_SIGNALS: [&str; 3] = [
    "reach.audience",
    "reach.pagerank",
    "resonance.total_reactions",
];

/// How a signal value becomes a number in [0, 1] inside its normalisation
/// group (TOML `scale`).
///
/// Both are rank-based, so they are scale-free (a signal's unit does not
/// matter), monotone, and give 0 to the group minimum ("no evidence").
/// They differ at the head:
///
/// - [`Scale::Percentile`] is the share of the group an account beats. It
///   resolves the middle of the distribution and saturates at the head: in
///   a pool of 300,000 the 10th and the 3,000th account are 0.99997 and
///   0.99 apart from 1, so the weighted sum cannot tell a head signal from
///   a tail one, and an account in the top 1% of every signal outranks one
///   first on half of them and median on the rest.
/// - [`Scale::LogRank`] is `1 − ln(r) / ln(k)` for the account's rank `r`
///   (1 = best, ties share the best rank) among `k` accounts: 1 for the
///   first, 0.82 for the 10th, 0.63 for the 100th and 0.45 for the 1,000th
///   of 300,000. It spreads the head the way influence is distributed
///   (heavy-tailed) and keeps percentiles' robustness to outliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    /// Share of the group beaten, `#{y < x} / (k − 1)`.
    Percentile,
    /// `1 − ln(1 + #{y > x}) / ln(k)`, 0 for the group minimum (default).
    #[default]
    LogRank,
}

impl Scale {
    /// The TOML / CLI name (`percentile`, `log-rank`).
    pub fn name(self) -> &'static str {
        match self {
            Scale::Percentile => "percentile",
            Scale::LogRank => "log-rank",
        }
    }
}

/// Over which group the signals are turned into percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    /// The whole candidate pool.
    Pool,
    /// The candidates of the account's community, when it has at least
    /// `min_size` of them (else the pool).
    Community {
        /// Smallest community normalised on its own.
        min_size: usize,
    },
}

/// How the contextual score is computed, beyond the campaign's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// Percentiles over the pool or within communities.
    pub normalisation: Normalisation,
    /// How values become [0, 1] inside their group.
    pub scale: Scale,
    /// Overrides of signals' shares inside their family, by signal name
    /// (0 removes a signal from the score; it stays in the reports).
    pub signal_weights: BTreeMap<String, f64>,
    /// Accounts whose `trust.authenticity` is below this score 0.
    pub authenticity_gate: f64,
    /// Accounts whose relevance percentile is below this score 0.
    pub relevance_floor: f64,
}

impl Default for ScoreOptions {
    fn default() -> ScoreOptions {
        ScoreOptions {
            normalisation: Normalisation::Pool,
            scale: Scale::LogRank,
            signal_weights: BTreeMap::new(),
            authenticity_gate: 0.0,
            relevance_floor: 0.0,
        }
    }
}

/// Why an account's contextual score was set to 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate {
    /// Authenticity below the gate.
    Authenticity {
        /// The account's authenticity.
        value: f64,
        /// The gate.
        gate: f64,
    },
    /// Relevance percentile below the floor.
    Relevance {
        /// The account's relevance percentile.
        value: f64,
        /// The floor.
        floor: f64,
    },
}

/// The scores of a candidate pool, rows in the matrix's account order.
#[derive(Debug, Clone)]
pub struct Scores {
    /// Percentile of every signal, `accounts × signals`.
    pub normalised: Array2<f64>,
    /// Effective weight of every signal (sum 1 over the informative ones).
    pub effective_weights: Vec<f64>,
    /// Contextual score, 0 to 100.
    pub contextual: Vec<f64>,
    /// Baseline social score, 0 to 100.
    pub baseline: Vec<f64>,
    /// The gate that zeroed an account's score, if any.
    pub gates: Vec<Option<Gate>>,
    /// Relevance percentile of each account (weighted mean of its relevance
    /// signals' percentiles), `None` when no relevance signal varies.
    pub relevance: Option<Vec<f64>>,
    /// Notes on the computation (signals without variation, families
    /// redistributed, gates skipped).
    pub notes: Vec<String>,
    /// Columns of the baseline's components and their pool maxima.
    pub baseline_maxima: Vec<(usize, f64)>,
}

/// Percentile `#{y < x} / (n − 1)` of every value of `column` among the rows
/// listed in `rows`, written into `out[row]`. O(k log k) for k rows.
pub(crate) fn percentiles_into(column: &[f64], rows: &[usize], out: &mut [f64]) {
    scaled_into(column, rows, Scale::Percentile, out);
}

/// Every value of `column` among the rows listed in `rows`, scaled by
/// `scale` within them (percentile `#{y < x} / (k − 1)`, or log-rank
/// `1 − ln(1 + #{y > x}) / ln(k)` and 0 for the group minimum), written
/// into `out[row]`. O(k log k) for k rows.
fn scaled_into(column: &[f64], rows: &[usize], scale: Scale, out: &mut [f64]) {
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
fn groups(
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
fn pool_scaled_of(column: &[f64], targets: &[usize], scale: Scale, out: &mut [f64]) {
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

/// Computes the baseline and contextual scores of the pool in `matrix`.
///
/// # Arguments
///
/// - `matrix`: the signals of the candidate pool;
/// - `weights`: the campaign's family weights;
/// - `options`: normalisation, per-signal shares, gates;
/// - `communities`: the community of each row (same order as
///   `matrix.accounts`), needed by [`Normalisation::Community`].
///
/// # Returns
///
/// [`Scores`]: percentiles, effective weights, both scores, gates, notes.
///
/// # Errors
///
/// [`Error::Config`] for invalid weights or a per-signal weight that is
/// negative or not finite; [`Error::Signal`] for a per-signal weight that
/// names no signal; [`Error::Argument`] for community labels of the wrong
/// length.
///
/// # Complexity
///
/// O(s × n log n) for s signals and n candidates (one sort per signal and
/// group, in parallel over signals).
///
/// # Example
///
/// ```
/// use ndarray::array;
/// use portevoix_core::NodeId;
/// use portevoix_score::campaign::Objective;
/// use portevoix_score::score::{Scale, ScoreOptions, compute};
/// use portevoix_score::signals::{Family, SignalInfo, SignalMatrix};
///
/// let info = |name: &str, family| SignalInfo {
///     name: name.into(), family, description: String::new(), weight: 1.0,
/// };
/// let matrix = SignalMatrix {
///     accounts: vec![NodeId(0), NodeId(1), NodeId(2)],
///     signals: vec![info("reach.audience", Family::Reach), info("relevance.bm25", Family::Relevance)],
///     values: array![[10.0, 0.0], [100.0, 2.0], [1000.0, 1.0]],
///     columns: None,
/// };
/// let scores = compute(&matrix, &Objective::Awareness.preset(), &ScoreOptions::default(), None).unwrap();
/// // Reach weighs 0.40 and relevance 0.20 of the informative families: 2/3
/// // and 1/3. Row 1 is second of 3 on audience (log-rank 1 − ln 2 / ln 3)
/// // and first on BM25 (1).
/// let second = 1.0 - 2f64.ln() / 3f64.ln();
/// assert!((scores.contextual[1] - 100.0 * (2.0 / 3.0 * second + 1.0 / 3.0)).abs() < 1e-9);
/// assert_eq!(scores.contextual[0], 0.0);
///
/// // Percentiles: row 1 beats half of the others on audience.
/// let options = ScoreOptions { scale: Scale::Percentile, ..ScoreOptions::default() };
/// let scores = compute(&matrix, &Objective::Awareness.preset(), &options, None).unwrap();
/// assert!((scores.contextual[1] - 100.0 * (2.0 / 3.0 * 0.5 + 1.0 / 3.0)).abs() < 1e-9);
/// ```
pub fn compute(
    matrix: &SignalMatrix,
    weights: &Weights,
    options: &ScoreOptions,
    communities: Option<&[u32]>,
) -> Result<Scores, Error> {
    weights.validate()?;
    let n = matrix.accounts.len();
    let s = matrix.signals.len();
    if let Some(c) = communities
        && c.len() != n
    {
        return Err(Error::argument(
            "communities",
            format!("{} community labels for {n} candidates", c.len()),
        ));
    }
    for (name, w) in &options.signal_weights {
        if !(w.is_finite() && *w >= 0.0) {
            return Err(Error::config(
                Some(&format!("signal_weights.{name:?}")),
                None,
                format!("weight of signal {name} is {w}; it must be finite and >= 0"),
            ));
        }
        if !matrix.signals.iter().any(|i| &i.name == name) {
            return Err(Error::signal(
                name.clone(),
                format!("weight given for signal {name}, which is not computed"),
            ));
        }
    }
    let mut notes = Vec::new();
    let (groups, pool_rows) = groups(n, options.normalisation, communities);

    // Scaled values (and, for the relevance floor, percentiles), one
    // column per task.
    let scale_column = |j: usize, scale: Scale| {
        let column: Vec<f64> = matrix.values.column(j).to_vec();
        let mut out = vec![0.0; n];
        for g in &groups {
            scaled_into(&column, g, scale, &mut out);
        }
        pool_scaled_of(&column, &pool_rows, scale, &mut out);
        out
    };
    let columns: Vec<Vec<f64>> = (0..s)
        .into_par_iter()
        .map(|j| scale_column(j, options.scale))
        .collect();
    let mut normalised = Array2::zeros((n, s));
    for (j, col) in columns.iter().enumerate() {
        for (i, v) in col.iter().enumerate() {
            normalised[[i, j]] = *v;
        }
    }

    // Effective weights.
    let varies = |j: usize| {
        let c = matrix.values.column(j);
        c.iter().any(|v| *v != c[0])
    };
    let share = |j: usize| {
        let info = &matrix.signals[j];
        options
            .signal_weights
            .get(&info.name)
            .copied()
            .unwrap_or(info.weight)
    };
    let family_weight = |f: Family| match f {
        Family::Reach => weights.reach,
        Family::Resonance => weights.resonance,
        Family::Relevance => weights.relevance,
        Family::Trust => weights.trust,
        Family::BrandAffinity => weights.brand_affinity,
    };
    let informative: Vec<bool> = (0..s).map(|j| share(j) > 0.0 && varies(j)).collect();
    for (j, info) in matrix.signals.iter().enumerate() {
        if share(j) > 0.0 && !informative[j] && n > 0 {
            notes.push(format!(
                "{} has the same value for every candidate: not weighted",
                info.name
            ));
        }
    }
    let families = [
        Family::Reach,
        Family::Resonance,
        Family::Relevance,
        Family::Trust,
        Family::BrandAffinity,
    ];
    let family_share: BTreeMap<Family, f64> = families
        .iter()
        .map(|&f| {
            let total: f64 = (0..s)
                .filter(|&j| informative[j] && matrix.signals[j].family == f)
                .map(share)
                .sum();
            (f, total)
        })
        .collect();
    let live_weight: f64 = families
        .iter()
        .filter(|f| family_share[f] > 0.0)
        .map(|&f| family_weight(f))
        .sum();
    for &f in &families {
        if family_weight(f) > 0.0 && family_share[&f] == 0.0 {
            notes.push(format!(
                "no {} signal varies over the candidates: its weight {} goes to the other families",
                f.name(),
                family_weight(f)
            ));
        }
    }
    let effective_weights: Vec<f64> = (0..s)
        .map(|j| {
            let f = matrix.signals[j].family;
            if !informative[j] || live_weight == 0.0 {
                0.0
            } else {
                family_weight(f) / live_weight * share(j) / family_share[&f]
            }
        })
        .collect();
    if live_weight == 0.0 && n > 0 {
        notes.push("no weighted signal varies over the candidates: every score is 0".into());
    }

    // Relevance percentile per account, for the floor.
    let relevance_columns: Vec<usize> = (0..s)
        .filter(|&j| informative[j] && matrix.signals[j].family == Family::Relevance)
        .collect();
    let relevance = if relevance_columns.is_empty() {
        if options.relevance_floor > 0.0 {
            notes.push(
                "relevance floor skipped: no relevance signal varies over the candidates".into(),
            );
        }
        None
    } else {
        // The floor is a percentile whatever the scale, so that a campaign's
        // floor keeps its meaning ("beats 20% of the pool") across scales.
        let percentile_columns: Vec<Vec<f64>> = match options.scale {
            Scale::Percentile => relevance_columns
                .iter()
                .map(|&j| columns[j].clone())
                .collect(),
            Scale::LogRank => relevance_columns
                .par_iter()
                .map(|&j| scale_column(j, Scale::Percentile))
                .collect(),
        };
        let total: f64 = relevance_columns.iter().map(|&j| share(j)).sum();
        Some(
            (0..n)
                .map(|i| {
                    relevance_columns
                        .iter()
                        .zip(&percentile_columns)
                        .map(|(&j, p)| share(j) * p[i])
                        .sum::<f64>()
                        / total
                })
                .collect::<Vec<f64>>(),
        )
    };
    let authenticity = matrix
        .signals
        .iter()
        .position(|i| i.name == "trust.authenticity");
    if authenticity.is_none() && options.authenticity_gate > 0.0 {
        notes.push("authenticity gate skipped: trust.authenticity is not computed".into());
    }
    let gates: Vec<Option<Gate>> = (0..n)
        .map(|i| {
            if let Some(j) = authenticity {
                let value = matrix.values[[i, j]];
                if value < options.authenticity_gate {
                    return Some(Gate::Authenticity {
                        value,
                        gate: options.authenticity_gate,
                    });
                }
            }
            if let Some(r) = &relevance
                && r[i] < options.relevance_floor
            {
                return Some(Gate::Relevance {
                    value: r[i],
                    floor: options.relevance_floor,
                });
            }
            None
        })
        .collect();
    let contextual: Vec<f64> = (0..n)
        .map(|i| {
            if gates[i].is_some() {
                return 0.0;
            }
            100.0
                * (0..s)
                    .map(|j| effective_weights[j] * normalised[[i, j]])
                    .sum::<f64>()
        })
        .collect();
    let baseline_maxima = baseline_maxima(matrix);
    let baseline = (0..n)
        .map(|i| {
            baseline_terms(matrix, &baseline_maxima, i)
                .iter()
                .map(|t| t.2)
                .sum()
        })
        .collect();
    Ok(Scores {
        baseline_maxima,
        normalised,
        effective_weights,
        contextual,
        baseline,
        gates,
        relevance,
        notes,
    })
}

/// The baseline component values of row `i`: `(signal, raw, scaled term)`.
fn baseline_terms(
    matrix: &SignalMatrix,
    maxima: &[(usize, f64)],
    i: usize,
) -> Vec<(usize, f64, f64)> {
    maxima
        .iter()
        .map(|&(j, max)| {
            let raw = matrix.values[[i, j]].max(0.0);
            let term = if max > 0.0 {
                100.0 / 3.0 * raw.ln_1p() / max.ln_1p()
            } else {
                0.0
            };
            (j, raw, term)
        })
        .collect()
}

/// Columns of the baseline components with their pool maxima.
fn baseline_maxima(matrix: &SignalMatrix) -> Vec<(usize, f64)> {
    BASELINE_SIGNALS
        .iter()
        .filter_map(|name| {
            let j = matrix.signals.iter().position(|s| s.name == *name)?;
            let max = matrix
                .values
                .column(j)
                .iter()
                .fold(0.0f64, |m, v| m.max(*v));
            Some((j, max))
        })
        .collect()
}

/// The baseline social score of every row (see the [module](self) docs).
pub fn baseline_scores(matrix: &SignalMatrix) -> Vec<f64> {
    let maxima = baseline_maxima(matrix);
    (0..matrix.accounts.len())
        .map(|i| baseline_terms(matrix, &maxima, i).iter().map(|t| t.2).sum())
        .collect()
}

/// The explanation of row `i`'s baseline score: one contribution per
/// component (audience, PageRank, total reactions); they add up to it.
pub fn explain_baseline(matrix: &SignalMatrix, scores: &Scores, i: usize) -> Explanation {
    let maxima = &scores.baseline_maxima;
    let contributions = baseline_terms(matrix, maxima, i)
        .into_iter()
        .zip(maxima)
        .map(|((j, raw, term), &(_, max))| Contribution {
            signal: matrix.signals[j].name.clone(),
            raw,
            normalised: if max > 0.0 {
                raw.ln_1p() / max.ln_1p()
            } else {
                0.0
            },
            weight: 100.0 / 3.0,
            contribution: term,
        })
        .collect();
    Explanation {
        score: scores.baseline[i],
        contributions,
        evidence: Vec::new(),
    }
}

/// The explanation of row `i`'s contextual score: one contribution per
/// signal (raw value, percentile, effective weight × 100, contribution), in
/// matrix order; they add up to the score. A gated account's contributions
/// are 0 and a note says which gate applied. Evidence (posts, reactors,
/// neighbours) is added by the caller, which has the data.
pub fn explain_contextual(matrix: &SignalMatrix, scores: &Scores, i: usize) -> Explanation {
    let gated = scores.gates[i];
    let contributions = matrix
        .signals
        .iter()
        .enumerate()
        .map(|(j, info)| {
            let weight = 100.0 * scores.effective_weights[j];
            let normalised = scores.normalised[[i, j]];
            Contribution {
                signal: info.name.clone(),
                raw: matrix.values[[i, j]],
                normalised,
                weight,
                contribution: if gated.is_some() {
                    0.0
                } else {
                    weight * normalised
                },
            }
        })
        .collect();
    let mut evidence = Vec::new();
    match gated {
        Some(Gate::Authenticity { value, gate }) => evidence.push(Evidence::Note {
            text: format!("score set to 0: authenticity {value:.2} is below the gate {gate:.2}"),
        }),
        Some(Gate::Relevance { value, floor }) => evidence.push(Evidence::Note {
            text: format!(
                "score set to 0: relevance percentile {value:.2} is below the floor {floor:.2}"
            ),
        }),
        None => {}
    }
    Explanation {
        score: scores.contextual[i],
        contributions,
        evidence,
    }
}

/// Ranks (1 = best) of `scores`, ties broken by ascending `ids`.
pub fn ranks<K: Ord>(scores: &[f64], ids: &[K]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(ids[a].cmp(&ids[b])));
    let mut out = vec![0; scores.len()];
    for (r, &i) in order.iter().enumerate() {
        out[i] = r as u32 + 1;
    }
    out
}
