//! What every protocol shares: its options, its report (per variant, per
//! metric, an estimate with a bootstrap interval), and the ranking metrics
//! that compare a variant's scores with an outcome the scores never saw.

use crate::metrics::{
    Interval, bootstrap_ci, kendall_tau_b, ndcg_at_k, precision_at_k_outcome, spearman_rho,
};
use portevoix_core::Error;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Options common to every protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// The small version (CI): fewer runs, resamples and rates, a sample of
    /// the data where the protocol says so.
    pub quick: bool,
    /// Seed of every random choice (bootstrap, simulations, samples).
    pub seed: u64,
    /// Bootstrap resamples for the confidence intervals (1,000; 100 quick).
    pub resamples: usize,
    /// Confidence level of the intervals (0.95).
    pub level: f64,
    /// Variants to run, by name (`None`: every built-in one).
    pub variants: Option<Vec<String>>,
    /// Other files of the same format as the protocol's default data.
    pub data: Vec<PathBuf>,
    /// The root of the shared datasets, where the protocols' default data
    /// lives (`higgs-twitter/...`, `bitcoin-otc/...`); reports name the
    /// files under it relative to it. `None`: a protocol that needs its
    /// default data (no `data` given) reports an error.
    pub datasets: Option<PathBuf>,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions {
            quick: false,
            seed: 42,
            resamples: 1000,
            level: 0.95,
            variants: None,
            data: Vec::new(),
            datasets: None,
        }
    }
}

impl EvalOptions {
    /// The small version of these options.
    pub fn quick(mut self) -> EvalOptions {
        self.quick = true;
        self.resamples = 100;
        self
    }

    /// These options with the shared datasets at `root`.
    pub fn with_datasets(mut self, root: impl Into<PathBuf>) -> EvalOptions {
        self.datasets = Some(root.into());
        self
    }

    /// A file of the shared datasets, `relative` to [`EvalOptions::datasets`].
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] (`datasets`) when no datasets root is set;
    /// [`Error::Io`] (not found) when the file is not there.
    pub fn dataset(&self, relative: &str) -> Result<PathBuf, Error> {
        let root = self.datasets.as_ref().ok_or_else(|| {
            Error::argument(
                "datasets",
                format!(
                    "this protocol's default data is {relative} of the shared datasets, and no \
                     datasets directory was given (--datasets DIR or PORTEVOIX_DATASETS), nor --data"
                ),
            )
        })?;
        let path = root.join(relative);
        if path.exists() {
            Ok(path)
        } else {
            Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not in the shared datasets directory",
                ),
            ))
        }
    }

    /// How reports name a data file: relative to the datasets root when it
    /// lies under it (`bitcoin-otc/soc-sign-bitcoinotc.csv`), so that
    /// results do not depend on one machine's paths; as given otherwise.
    pub fn data_name(&self, path: &Path) -> String {
        self.datasets
            .as_ref()
            .and_then(|root| path.strip_prefix(root).ok())
            .filter(|rel| !rel.as_os_str().is_empty())
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// One variant's metrics in one protocol.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantResult {
    /// The variant.
    pub variant: String,
    /// Metric name (`ndcg@50`, `tau_b`, `auc`, ...) → estimate and interval.
    pub metrics: BTreeMap<String, Interval>,
}

/// The variants that have a finite `metric`, best first (ties keep the
/// results' order): what a protocol's findings name as the leader.
pub(crate) fn ranked_by<'a>(
    results: &'a [VariantResult],
    metric: &str,
) -> Vec<(&'a str, Interval)> {
    let mut ranked: Vec<(&str, Interval)> = results
        .iter()
        .filter_map(|r| r.metrics.get(metric).map(|i| (r.variant.as_str(), *i)))
        .filter(|(_, i)| i.estimate.is_finite())
        .collect();
    ranked.sort_by(|a, b| b.1.estimate.total_cmp(&a.1.estimate));
    ranked
}

/// The report of one protocol run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtocolReport {
    /// The protocol's name (`higgs-holdout`, ...).
    pub protocol: String,
    /// A one-line title.
    pub title: String,
    /// The data read: files relative to the datasets root (or as given),
    /// built-in samples by their path in the repository.
    pub data: Vec<String>,
    /// Seeds used, by purpose.
    pub seeds: BTreeMap<String, u64>,
    /// How the protocol was set up (split, outcome, population), one
    /// statement per line.
    pub setup: Vec<String>,
    /// The population the metrics are computed over.
    pub population: usize,
    /// The metrics, in display order.
    pub metric_order: Vec<String>,
    /// One row per variant.
    pub results: Vec<VariantResult>,
    /// What the numbers say, and the caveats.
    pub findings: Vec<String>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The ranking metrics names [`ranking_metrics`] computes, in order.
pub const RANKING_METRICS: [&str; 8] = [
    "precision@10",
    "precision@50",
    "precision@100",
    "ndcg@10",
    "ndcg@50",
    "ndcg@100",
    "tau_b",
    "spearman",
];

/// Compares `scores` with `outcome` over the same accounts: precision@k
/// (overlap of the top k by score and by outcome) and NDCG@k (gains = the
/// outcome) for k = 10, 50, 100, Kendall tau-b and Spearman rho over all
/// accounts, and, when `tiers` is given, tau-b and Spearman within each tier
/// (`tau_b[tier]`, `spearman[tier]`, tiers with at least 30 accounts). Each
/// with a percentile bootstrap interval over accounts (`options.resamples`,
/// `options.level`, `seed`).
///
/// # Complexity
///
/// O(resamples × n log n).
pub fn ranking_metrics(
    scores: &[f64],
    outcome: &[f64],
    tiers: Option<&[u8]>,
    options: &EvalOptions,
    seed: u64,
) -> BTreeMap<String, Interval> {
    let n = scores.len().min(outcome.len());
    let pick = |idx: &[usize]| -> (Vec<f64>, Vec<f64>) {
        (
            idx.iter().map(|&i| scores[i]).collect(),
            idx.iter().map(|&i| outcome[i]).collect(),
        )
    };
    let mut out = BTreeMap::new();
    for k in [10usize, 50, 100] {
        out.insert(
            format!("precision@{k}"),
            bootstrap_ci(
                n,
                |idx| {
                    let (s, o) = pick(idx);
                    precision_at_k_outcome(&s, &o, k).unwrap_or(f64::NAN)
                },
                options.resamples,
                options.level,
                seed,
            ),
        );
        out.insert(
            format!("ndcg@{k}"),
            bootstrap_ci(
                n,
                |idx| {
                    let (s, o) = pick(idx);
                    ndcg_at_k(&s, &o, k).ok().flatten().unwrap_or(f64::NAN)
                },
                options.resamples,
                options.level,
                seed,
            ),
        );
    }
    let correlations = |rows: &[usize], suffix: &str, out: &mut BTreeMap<String, Interval>| {
        let sub = |idx: &[usize]| -> Vec<usize> { idx.iter().map(|&i| rows[i]).collect() };
        out.insert(
            format!("tau_b{suffix}"),
            bootstrap_ci(
                rows.len(),
                |idx| {
                    let (s, o) = pick(&sub(idx));
                    kendall_tau_b(&s, &o).unwrap_or(f64::NAN)
                },
                options.resamples,
                options.level,
                seed,
            ),
        );
        out.insert(
            format!("spearman{suffix}"),
            bootstrap_ci(
                rows.len(),
                |idx| {
                    let (s, o) = pick(&sub(idx));
                    spearman_rho(&s, &o).unwrap_or(f64::NAN)
                },
                options.resamples,
                options.level,
                seed,
            ),
        );
    };
    let all: Vec<usize> = (0..n).collect();
    correlations(&all, "", &mut out);
    if let Some(tiers) = tiers {
        let mut by: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
        for (i, &t) in tiers.iter().enumerate().take(n) {
            by.entry(t).or_default().push(i);
        }
        for (t, rows) in by {
            if rows.len() >= 30 {
                correlations(&rows, &format!("[tier {t}]"), &mut out);
            }
        }
    }
    out
}

/// Audience tier of every account: `⌊log10(audience)⌋ + 1`, 0 without
/// audience (tiers of powers of ten, as the engagement signal uses).
pub fn audience_tiers(audience: &[f64]) -> Vec<u8> {
    audience
        .iter()
        .map(|&a| {
            if a < 1.0 {
                0
            } else {
                (a.log10().floor() as u8).saturating_add(1)
            }
        })
        .collect()
}
