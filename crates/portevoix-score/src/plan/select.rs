//! The selection of a plan: the influence model, the costs, IMM or the
//! coverage greedy, the baseline a naive user would pick, the independent
//! check, the picks assembled with their explanations.

use super::costs::{CostReport, PriceRow, account_costs};
use super::explain::explain;
use super::{
    Baseline, Guarantee, Plan, PlanModel, PlanOptions, PlanSummary, PlannedPick, Planner,
    RateEstimator, ReachCheck,
};
use portevoix_core::{Error, NodeId};
use portevoix_graph::kernels::influence_max::{
    Constraint, Costs, DiffusionModel, EdgeProbability, ImmOptions, InfluenceGraph,
    InfluenceModelOptions, MonteCarloOptions, ReshareRateOptions, RrSets, Selection, SelectionRule,
    StopReason, coverage_greedy, coverage_overlap_matrix, coverage_reach_curve, estimate_spread,
    fit_reshare_rates, imm,
};
use std::time::Instant;

/// The check's worlds come from a seed no selection uses, so the plan is
/// not judged on the samples it was chosen on.
const CHECK_SEED_OFFSET: u64 = 0x00c0_ffee_5eed;

/// How the plan and the baseline are evaluated on the same samples.
enum Evaluator {
    /// The reverse-reachable sets IMM selected on.
    Sets(RrSets),
    /// Exact coverage within `hops`.
    Coverage(u8),
}

/// What the selection step returns.
struct Selected {
    selection: Selection,
    guarantee: Option<Guarantee>,
    evaluator: Evaluator,
    algorithm: &'static str,
}

pub(super) fn plan(
    planner: &Planner<'_>,
    options: &PlanOptions,
    prices: Option<(&str, &[PriceRow])>,
) -> Result<Plan, Error> {
    validate(options)?;
    let mut timings = planner.timings.clone();
    let mut notes = planner.discovery.notes.clone();
    let start = Instant::now();
    let model = influence_model(planner, options)?;
    let (costs, cost_report) = account_costs(planner.engine, &planner.influence, prices);
    cost_notes(&cost_report, &mut notes);
    timings.push(("model".into(), start.elapsed().as_secs_f64()));
    let start = Instant::now();
    let constraint = match options.budget {
        Some(budget) => Constraint::Budget {
            budget,
            max_picks: Some(options.k),
        },
        None => Constraint::Cardinality(options.k),
    };
    let costs = Costs::PerNode(costs);
    let selected = select(planner, &model, &costs, constraint, options)?;
    if let Some(capped) = selected.guarantee.as_ref().and_then(|g| g.capped.clone()) {
        notes.push(capped);
    }
    timings.push(("select".into(), start.elapsed().as_secs_f64()));
    let start = Instant::now();
    let seeds = selected.selection.nodes();
    let baseline_nodes = baseline_nodes(planner, &costs, options);
    let (plan_check, baseline_check) = if selected.guarantee.is_some() && options.check_runs > 0 {
        let mc = MonteCarloOptions {
            runs: options.check_runs,
            seed: options.seed.wrapping_add(CHECK_SEED_OFFSET),
        };
        let a = estimate_spread(&model, &planner.audience, &seeds, &mc)?;
        let b = estimate_spread(&model, &planner.audience, &baseline_nodes, &mc)?;
        (
            Some(ReachCheck::of(&a, mc.seed)),
            Some(ReachCheck::of(&b, mc.seed)),
        )
    } else {
        (None, None)
    };
    timings.push(("check".into(), start.elapsed().as_secs_f64()));
    let overlap_matrix = match &selected.evaluator {
        Evaluator::Sets(sets) => sets.overlap_matrix(&seeds),
        Evaluator::Coverage(hops) => {
            coverage_overlap_matrix(&model, &planner.audience, &seeds, *hops)?
                .into_iter()
                .map(|row| row.into_iter().map(|x| x as f64).collect())
                .collect()
        }
    };
    let baseline = baseline(
        planner,
        &selected,
        &model,
        &costs,
        &baseline_nodes,
        (plan_check.as_ref(), baseline_check),
        options,
    )?;
    let picks = picks(planner, &selected.selection, &overlap_matrix, &costs);
    let summary = PlanSummary {
        campaign: planner.campaign.name.clone(),
        model: options.model.name().into(),
        rates: match options.model {
            PlanModel::Coverage => "none".into(),
            _ => options.rates.name(),
        },
        algorithm: selected.algorithm.into(),
        rule: rule_name(selected.selection.rule).into(),
        stop: stop_name(selected.selection.stop).into(),
        k: options.k,
        budget: options.budget,
        cost: selected.selection.cost,
        reach: selected.selection.reach,
        reach_check: plan_check,
        reach_curve: selected
            .selection
            .picks
            .iter()
            .map(|p| p.cumulative_reach)
            .collect(),
        guarantee: selected.guarantee,
        baseline,
        audience: planner.audience_report.clone(),
        eligibility: planner.eligibility.clone(),
        costs: cost_report,
        influence_view: (planner.influence.num_nodes(), planner.influence.num_edges()),
        overlap_matrix,
        notes,
        timings,
    };
    Ok(Plan { picks, summary })
}

fn validate(options: &PlanOptions) -> Result<(), Error> {
    if options.k == 0 {
        return Err(Error::argument("--k", "choose at least one person (k = 0)"));
    }
    if let Some(b) = options.budget
        && !(b.is_finite() && b > 0.0)
    {
        return Err(Error::argument(
            "--budget",
            format!("the budget must be positive, got {b}"),
        ));
    }
    if !(options.epsilon > 0.0 && options.epsilon < 1.0) {
        return Err(Error::argument(
            "--epsilon",
            format!("epsilon must be in (0, 1), got {}", options.epsilon),
        ));
    }
    if !matches!(options.coverage_hops, 1 | 2) {
        return Err(Error::argument(
            "--hops",
            format!(
                "coverage hops must be 1 or 2, got {}",
                options.coverage_hops
            ),
        ));
    }
    Ok(())
}

fn rule_name(rule: SelectionRule) -> &'static str {
    match rule {
        SelectionRule::Greedy => "greedy",
        SelectionRule::CostRatioGreedy => "cost_ratio_greedy",
        SelectionRule::BestSingle => "best_single",
    }
}

fn stop_name(stop: StopReason) -> &'static str {
    match stop {
        StopReason::Count => "count",
        StopReason::Budget => "budget",
        StopReason::NoGain => "no_gain",
        StopReason::NoCandidate => "no_candidate",
    }
}

fn cost_notes(report: &CostReport, notes: &mut Vec<String>) {
    if !report.unmatched.is_empty() {
        let shown: Vec<&str> = report
            .unmatched
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        notes.push(format!(
            "{} accounts of the price list match no account of the data (e.g. {}); the others cost their tier price",
            report.unmatched.len(),
            shown.join(", ")
        ));
    }
}

/// The influence graph on the planner's view, with the options' model and
/// rates.
fn influence_model(planner: &Planner<'_>, options: &PlanOptions) -> Result<InfluenceGraph, Error> {
    let probability = match (options.model, options.rates) {
        (PlanModel::Coverage, _) | (_, RateEstimator::WeightedCascade) => {
            EdgeProbability::WeightedCascade
        }
        (_, RateEstimator::Constant(p)) => EdgeProbability::Constant(p),
        (_, RateEstimator::Fitted) => {
            let rates = fit_reshare_rates(&planner.influence, &ReshareRateOptions::default())
                .map_err(|e| {
                    Error::argument(
                        "--rates",
                        format!(
                            "fitted rates need interaction times on one endorsement layer: {}",
                            e.reason()
                        ),
                    )
                })?;
            EdgeProbability::PerEdge(rates.probabilities)
        }
    };
    let model = match options.model {
        PlanModel::LinearThreshold => DiffusionModel::LinearThreshold,
        _ => DiffusionModel::IndependentCascade,
    };
    InfluenceGraph::build(
        &planner.influence,
        &InfluenceModelOptions {
            model,
            probability,
            ..InfluenceModelOptions::default()
        },
    )
}

/// IMM for the cascade models, the coverage greedy for coverage.
fn select(
    planner: &Planner<'_>,
    model: &InfluenceGraph,
    costs: &Costs,
    constraint: Constraint,
    options: &PlanOptions,
) -> Result<Selected, Error> {
    if options.model == PlanModel::Coverage {
        let selection = coverage_greedy(
            model,
            &planner.audience,
            &planner.eligible,
            costs,
            constraint,
            options.coverage_hops,
        )?;
        return Ok(Selected {
            selection,
            guarantee: None,
            evaluator: Evaluator::Coverage(options.coverage_hops),
            algorithm: "coverage_greedy",
        });
    }
    let result = imm(
        model,
        &planner.audience,
        &planner.eligible,
        costs,
        constraint,
        &ImmOptions {
            epsilon: options.epsilon,
            ell: options.ell,
            seed: options.seed,
            max_rr_bytes: options.max_rr_bytes,
        },
    )?;
    let guarantee = Guarantee {
        greedy_ratio: result.greedy_ratio,
        epsilon_requested: result.epsilon_requested,
        epsilon: result.epsilon,
        confidence: result.confidence,
        ratio: result.guarantee,
        rr_sets: result.sets_used,
        peak_rr_bytes: result.peak_rr_bytes,
        capped: result.capped.clone(),
    };
    Ok(Selected {
        selection: result.selection,
        guarantee: Some(guarantee),
        evaluator: Evaluator::Sets(result.sets),
        algorithm: "imm",
    })
}

/// What a naive user picks: the top `k` of `discover`, or, with a budget,
/// the candidates by rank that still fit (skipping those that do not), at
/// most `k`.
fn baseline_nodes(planner: &Planner<'_>, costs: &Costs, options: &PlanOptions) -> Vec<NodeId> {
    let ranked = planner.discovery.accounts.iter().map(|a| a.node);
    match options.budget {
        None => ranked.take(options.k).collect(),
        Some(budget) => {
            let mut spent = 0.0;
            let mut chosen = Vec::new();
            for v in ranked {
                if chosen.len() == options.k {
                    break;
                }
                let c = costs.of(v.0);
                if spent + c <= budget {
                    spent += c;
                    chosen.push(v);
                }
            }
            chosen
        }
    }
}

fn baseline(
    planner: &Planner<'_>,
    selected: &Selected,
    model: &InfluenceGraph,
    costs: &Costs,
    nodes: &[NodeId],
    (plan_check, check): (Option<&ReachCheck>, Option<ReachCheck>),
    options: &PlanOptions,
) -> Result<Baseline, Error> {
    let reach_curve: Vec<f64> = match &selected.evaluator {
        Evaluator::Sets(sets) => sets.reach_curve(nodes),
        Evaluator::Coverage(hops) => coverage_reach_curve(model, &planner.audience, nodes, *hops)?
            .into_iter()
            .map(|x| x as f64)
            .collect(),
    };
    let reach = reach_curve.last().copied().unwrap_or(0.0);
    let (plan_reach, base_reach) = match (plan_check, &check) {
        (Some(p), Some(b)) => (p.mean, b.mean),
        _ => (selected.selection.reach, reach),
    };
    let plan_nodes = selected.selection.nodes();
    Ok(Baseline {
        rule: if options.budget.is_some() {
            "top_by_score_until_budget".into()
        } else {
            "top_k_by_contextual_score".into()
        },
        ids: nodes
            .iter()
            .map(|v| planner.engine.external_id(*v))
            .collect(),
        cost: nodes.iter().map(|v| costs.of(v.0)).sum(),
        reach_curve,
        reach,
        reach_check: check,
        plan_advantage: if base_reach > 0.0 {
            plan_reach / base_reach - 1.0
        } else {
            0.0
        },
        shared_with_plan: nodes.iter().filter(|v| plan_nodes.contains(v)).count(),
    })
}

/// The picks with their discover scores and explanations.
fn picks(
    planner: &Planner<'_>,
    selection: &Selection,
    overlap: &[Vec<f64>],
    costs: &Costs,
) -> Vec<PlannedPick> {
    let engine = planner.engine;
    selection
        .picks
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let row = planner.row_of[p.node.index()];
            let account = planner.discovery.accounts.get(row as usize);
            let most_overlap_with = (0..i)
                .filter(|&j| overlap[i][j] > 0.0)
                .max_by(|&a, &b| overlap[i][a].total_cmp(&overlap[i][b]).then(b.cmp(&a)))
                .map(|j| (engine.external_id(selection.picks[j].node), overlap[i][j]));
            let mut pick = PlannedPick {
                id: engine.external_id(p.node),
                handle: engine.handle(p.node).map(|h| format!("@{h}")),
                cost: costs.of(p.node.0),
                marginal_gain: p.marginal_gain,
                cumulative_reach: p.cumulative_reach,
                overlap: p.overlap,
                contextual_score: account.map_or(0.0, |a| a.contextual_score),
                rank: account.map_or(0, |a| a.rank),
                explanation: String::new(),
                pick: i + 1,
                solo_reach: p.solo_reach,
                cumulative_cost: p.cumulative_cost,
                tier: account.map_or(crate::discovery::Tier::Other, |a| a.tier),
                most_overlap_with,
                node: p.node,
            };
            pick.explanation = explain(
                &pick,
                planner.influence.in_degree(p.node),
                planner.audience.len(),
                selection.rule,
            );
            pick
        })
        .collect()
}
