//! The "portfolio" variant of the spreading protocols (`sir`, `cascades`):
//! the spread achieved **together** by the set of `k` people the campaign
//! planner chooses ([`Planner`]), against the spread of the top `k` of each
//! scoring variant (what a user who reads a ranking would pick).
//!
//! A ranking answers "who spreads best alone"; a campaign uses `k` people at
//! once, whose audiences overlap. The protocols measure the ranking; this
//! module measures the set.
//!
//! - **Sets.** For each `k`: the planner's picks (IMM over the campaign's
//!   gates and audience, [`plan_sets`]) and, per variant, its `k`
//!   highest-scored accounts among the protocol's candidates, ties broken on
//!   id ([`top_k`]).
//! - **Spread.** A protocol gives an evaluator: a list of values per set,
//!   one per simulated world (the same worlds for every set, so differences
//!   are paired), or a single observed value.
//! - **Report.** Each variant's row gains `<prefix>: spread@k` (the mean,
//!   with `mean ± 1.96 s.e.` over the worlds as its interval); a row
//!   [`PLAN_ROW`] holds the plan's; the findings compare the plan with the
//!   top `k` of the contextual score, PageRank and in-degree (paired
//!   difference and its standard error) and name the best top-`k` set.
//!
//! # References
//!
//! * D. Kempe, J. Kleinberg, É. Tardos, *Maximizing the Spread of Influence
//!   through a Social Network*, KDD 2003.
//! * Y. Tang, Y. Shi, X. Xiao, *Influence Maximization in Near-Linear Time:
//!   A Martingale Approach*, SIGMOD 2015.

use crate::metrics::Interval;
use portevoix_core::{Error, NodeId};
use portevoix_graph::kernels::influence_max::{
    Audience, InfluenceGraph, MonteCarloOptions, spread_per_world,
};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::plan::{PlanOptions, Planner};
use std::collections::BTreeMap;

/// The set sizes of a full run.
pub const KS: [usize; 3] = [10, 25, 50];
/// The set sizes of a quick run.
pub const QUICK_KS: [usize; 2] = [10, 25];

/// The portfolio sizes of a run: [`QUICK_KS`] in quick mode, else [`KS`].
pub fn ks(quick: bool) -> &'static [usize] {
    if quick { &QUICK_KS } else { &KS }
}

/// The name of the plan's row in a report.
pub const PLAN_ROW: &str = "portfolio_plan";
/// The variants the findings compare the plan with, when present.
pub const COMPARED: [&str; 3] = ["contextual_awareness", "pagerank", "in_degree"];

/// The `k` accounts of `among` with the highest `scores` (ties broken on
/// the smaller id), in decreasing score. Non-finite scores rank last.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_eval::protocols::portfolio::top_k;
/// let among: Vec<NodeId> = (0..4).map(NodeId).collect();
/// assert_eq!(top_k(&[0.5, 2.0, 2.0, f64::NAN], &among, 2), vec![NodeId(1), NodeId(2)]);
/// ```
pub fn top_k(scores: &[f64], among: &[NodeId], k: usize) -> Vec<NodeId> {
    let score = |v: &NodeId| {
        let s = scores.get(v.index()).copied().unwrap_or(f64::NEG_INFINITY);
        if s.is_finite() { s } else { f64::NEG_INFINITY }
    };
    let mut ranked = among.to_vec();
    ranked.sort_by(|a, b| score(b).total_cmp(&score(a)).then(a.cmp(b)));
    ranked.truncate(k);
    ranked
}

/// The planner's set for each `k` of `ks`, on `engine` under `campaign`
/// (its gates, audience and endorsement view), with `template`'s model,
/// rates, `ε` and seed (its `k` replaced, no budget, no check: the
/// protocol evaluates the sets itself).
///
/// Returns, per `k`, the picks in order of choice, and one line for the
/// setup (eligibility, guarantee, sets used).
///
/// # Errors
///
/// What [`Planner::new`] and [`Planner::plan`] report.
pub fn plan_sets(
    engine: &Engine,
    campaign: &Campaign,
    ks: &[usize],
    template: &PlanOptions,
) -> Result<(Vec<Vec<NodeId>>, String), Error> {
    let planner = Planner::new(engine, campaign, None)?;
    let mut sets = Vec::with_capacity(ks.len());
    let mut parts = Vec::new();
    for &k in ks {
        let plan = planner.plan(&PlanOptions {
            k,
            budget: None,
            check_runs: 0,
            ..template.clone()
        })?;
        let s = &plan.summary;
        let guarantee = s.guarantee.as_ref().map_or_else(
            || "exact".to_string(),
            |g| {
                format!(
                    "ratio {:.3} (ε {}), {} RR sets",
                    g.ratio, g.epsilon, g.rr_sets
                )
            },
        );
        parts.push(format!(
            "k = {k}: {} picks, {} (stop: {})",
            plan.picks.len(),
            guarantee,
            s.stop
        ));
        sets.push(plan.picks.iter().map(|p| p.node).collect());
    }
    let e = planner.eligibility();
    let line = format!(
        "plan ({} model, rates {}, audience {} accounts): {} of {} candidates eligible ({} gated by authenticity, {} by context, {} detractors); {}",
        template.model.name(),
        template.rates.name(),
        planner.audience().len(),
        e.eligible,
        e.candidates,
        e.gated_authenticity,
        e.gated_relevance,
        e.detractors,
        parts.join("; ")
    );
    Ok((sets, line))
}

/// The evaluator of a simulated spread: a set's reach of `audience` in each
/// of the live-edge worlds of `worlds` under `model`
/// ([`spread_per_world`]), the same worlds for every set.
pub fn live_edge_evaluator<'a>(
    model: &'a InfluenceGraph,
    audience: &'a Audience,
    worlds: MonteCarloOptions,
) -> impl Fn(&[NodeId]) -> Result<Vec<f64>, Error> + 'a {
    move |set: &[NodeId]| {
        Ok(spread_per_world(model, audience, set, &worlds)?
            .into_iter()
            .map(f64::from)
            .collect())
    }
}

/// Mean and standard error of a list of values (0 for one value).
pub fn mean_and_error(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, (var / n as f64).sqrt())
}

/// The mean of `a − b` world by world and its standard error (paired).
pub fn paired_difference(a: &[f64], b: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    mean_and_error(&d)
}

/// The values of a set: one per world, or one observed value.
pub type SetEvaluator<'a> = dyn Fn(&[NodeId]) -> Result<Vec<f64>, Error> + 'a;

/// What [`compare`] adds to a report.
#[derive(Debug, Clone, Default)]
pub struct PortfolioOutcome {
    /// Per variant (in the order given), metric → interval.
    pub variant_metrics: Vec<BTreeMap<String, Interval>>,
    /// The plan's row: metric → interval.
    pub plan_metrics: BTreeMap<String, Interval>,
    /// The metric names, in display order.
    pub order: Vec<String>,
    /// The comparisons in words, generated from the numbers.
    pub findings: Vec<String>,
}

fn interval(values: &[f64]) -> Interval {
    let (mean, se) = mean_and_error(values);
    if values.len() > 1 {
        Interval {
            estimate: mean,
            low: mean - 1.96 * se,
            high: mean + 1.96 * se,
        }
    } else {
        Interval {
            estimate: mean,
            low: f64::NAN,
            high: f64::NAN,
        }
    }
}

/// Evaluates the plan's set and every variant's top `k` for each `k`, and
/// writes the metrics and findings.
///
/// # Arguments
///
/// - `prefix`: the metric name prefix (`higgs-retweet 1.0βc portfolio`);
/// - `what`: what a value is, for the findings (`expected outbreak size`);
/// - `names`, `scores`: the variants and their scores over every account;
/// - `among`: the accounts a top `k` is taken from;
/// - `ks`, `plans`: the set sizes and the planner's set for each;
/// - `evaluate`: the values of a set, one per world (the same worlds for
///   every set) or one observed value.
///
/// # Errors
///
/// What `evaluate` reports.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    prefix: &str,
    what: &str,
    names: &[String],
    scores: &[Vec<f64>],
    among: &[NodeId],
    ks: &[usize],
    plans: &[Vec<NodeId>],
    evaluate: &SetEvaluator<'_>,
) -> Result<PortfolioOutcome, Error> {
    let mut out = PortfolioOutcome {
        variant_metrics: vec![BTreeMap::new(); names.len()],
        ..PortfolioOutcome::default()
    };
    for (&k, plan) in ks.iter().zip(plans) {
        let metric = format!("{prefix}: spread@{k}");
        out.order.push(metric.clone());
        let plan_values = evaluate(plan)?;
        out.plan_metrics
            .insert(metric.clone(), interval(&plan_values));
        let mut rows: Vec<(&str, Vec<NodeId>, Vec<f64>)> = Vec::with_capacity(names.len());
        for (vi, (name, s)) in names.iter().zip(scores).enumerate() {
            let set = top_k(s, among, k);
            let values = evaluate(&set)?;
            out.variant_metrics[vi].insert(metric.clone(), interval(&values));
            rows.push((name.as_str(), set, values));
        }
        out.findings
            .push(finding(prefix, what, k, plan, &plan_values, &rows));
    }
    Ok(out)
}

/// One `k`'s comparison in words.
fn finding(
    prefix: &str,
    what: &str,
    k: usize,
    plan: &[NodeId],
    plan_values: &[f64],
    rows: &[(&str, Vec<NodeId>, Vec<f64>)],
) -> String {
    let (plan_mean, plan_se) = mean_and_error(plan_values);
    let paired = plan_values.len() > 1;
    let mut line = if paired {
        format!(
            "{prefix}, k = {k}: the plan's {} people reach an {what} of {plan_mean:.1} (± {plan_se:.1} s.e.)",
            plan.len()
        )
    } else {
        format!(
            "{prefix}, k = {k}: the plan's {} people reach {plan_mean:.0} ({what})",
            plan.len()
        )
    };
    let mut parts = Vec::new();
    for wanted in COMPARED {
        let Some((name, set, values)) = rows.iter().find(|(n, _, _)| *n == wanted) else {
            continue;
        };
        let (mean, _) = mean_and_error(values);
        let shared = set.iter().filter(|v| plan.contains(v)).count();
        let relative = if mean > 0.0 {
            format!("{:+.1}%", 100.0 * (plan_mean / mean - 1.0))
        } else {
            "n/a".to_string()
        };
        let diff = if paired {
            let (d, se) = paired_difference(plan_values, values);
            let sig = if se > 0.0 { d / se } else { f64::INFINITY };
            format!(
                ", paired difference {d:+.1} ± {se:.1}{}",
                if sig.abs() < 2.0 {
                    " (within 2 s.e.)"
                } else {
                    ""
                }
            )
        } else {
            String::new()
        };
        parts.push(format!(
            "top {k} by {name} {mean:.1} (plan {relative}{diff}; {shared} shared)"
        ));
    }
    if !parts.is_empty() {
        line += &format!(", against {}", parts.join(", "));
    }
    let best = rows
        .iter()
        .map(|(n, _, v)| (*n, mean_and_error(v).0))
        .filter(|(_, m)| m.is_finite())
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)));
    if let Some((name, mean)) = best {
        let verdict = if plan_mean >= mean {
            "the plan is at or above every variant's top k"
        } else {
            "the plan is below it"
        };
        line += &format!("; best top {k} of any variant: {name} {mean:.1} ({verdict})");
    }
    line + "."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_difference_of_identical_lists_is_zero() {
        let a = [3.0, 5.0, 8.0];
        assert_eq!(paired_difference(&a, &a), (0.0, 0.0));
        let (m, se) = mean_and_error(&[1.0, 3.0]);
        assert_eq!(m, 2.0);
        assert!((se - 1.0).abs() < 1e-12);
    }
}
