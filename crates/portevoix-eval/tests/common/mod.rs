//! Helpers shared by the protocol tests.
#![allow(dead_code)] // each test file uses some of these

use portevoix_core::NodeId;
use std::collections::BTreeSet;

/// Asserts that the NaN value of metric `m` of `variant` is a documented
/// one: a correlation (tau-b or Spearman) where the scores or the outcome
/// are constant on the metric's group (the whole population, or the audience
/// tier `[tier t]` names, `tiers` being the population's tiers in order).
pub fn assert_nan_is_justified(
    variant: &str,
    m: &str,
    estimate: f64,
    scores: &[f64],
    outcome: &[f64],
    population: &[NodeId],
    tiers: &[u8],
) {
    assert!(estimate.is_nan(), "{variant} {m}: {estimate}");
    assert!(
        m.contains("tau_b") || m.contains("spearman"),
        "{variant} {m} NaN"
    );
    let tier: Option<u8> = m
        .split("[tier ")
        .nth(1)
        .map(|s| s.trim_end_matches(']').parse().unwrap());
    let group: Vec<_> = population
        .iter()
        .zip(tiers)
        .filter(|(_, t)| tier.is_none_or(|x| **t == x))
        .map(|(a, _)| a.index())
        .collect();
    let distinct = |v: &[f64]| {
        group
            .iter()
            .map(|&i| v[i].to_bits())
            .collect::<BTreeSet<_>>()
            .len()
    };
    assert!(
        distinct(scores) == 1 || distinct(outcome) == 1,
        "{variant} {m} NaN but neither scores nor outcome constant"
    );
}

/// The default options, with the shared datasets where the tests find them.
#[allow(dead_code)] // not every protocol test uses it
pub fn options() -> portevoix_eval::protocol::EvalOptions {
    portevoix_eval::protocol::EvalOptions::default().with_datasets(
        portevoix_testdata::datasets_dir()
            .expect("the shared datasets: set PORTEVOIX_DATASETS or clone next to shared/"),
    )
}

/// Whether the row `variant` of a `sir` or `cascades` report must carry
/// `metric`: the ranking metrics on every variant's row but the plan's
/// ([`PLAN_ROW`](portevoix_eval::protocols::portfolio::PLAN_ROW)); the
/// portfolio's `spread@k` on the plan's row and every variant's, or, for a
/// quick `sir` run (`only_compared`), the variants the findings compare.
pub fn expects_metric(variant: &str, metric: &str, only_compared: bool) -> bool {
    use portevoix_eval::protocols::portfolio::{COMPARED, PLAN_ROW};
    if !metric.contains(": spread@") {
        return variant != PLAN_ROW;
    }
    variant == PLAN_ROW || !only_compared || COMPARED.contains(&variant)
}
