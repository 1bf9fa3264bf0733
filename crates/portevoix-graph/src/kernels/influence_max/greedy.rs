//! The lazy greedy shared by every selection (reverse-reachable sets,
//! coverage, Monte Carlo): CELF's lazy evaluation (Leskovec et al. 2007) of
//! a monotone submodular gain, under a cardinality or a budget constraint.

use super::targets::{Constraint, Costs};
use portevoix_core::NodeId;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A monotone submodular set function, evaluated one marginal gain at a
/// time against the seeds committed so far.
pub(crate) trait GainOracle: Sync {
    /// The gain of each candidate alone (no seed committed), computed in
    /// parallel, in the order of `candidates`.
    fn solo_gains(&self, candidates: &[u32]) -> Vec<f64>;
    /// The gain of adding `v` to the committed seeds.
    fn marginal(&mut self, v: u32) -> f64;
    /// Adds `v` to the committed seeds.
    fn commit(&mut self, v: u32);
}

/// One chosen seed, in order of choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pick {
    /// The node.
    pub node: NodeId,
    /// Its cost.
    pub cost: f64,
    /// Expected audience members it adds to the seeds chosen before it.
    pub marginal_gain: f64,
    /// Expected audience reached by the seeds up to and including it.
    pub cumulative_reach: f64,
    /// Expected audience reached by it alone.
    pub solo_reach: f64,
    /// Expected audience it would reach alone that the seeds chosen before
    /// it already reach: `solo_reach − marginal_gain`.
    pub overlap: f64,
    /// Total cost of the seeds up to and including it.
    pub cumulative_cost: f64,
}

/// Which rule produced a [`Selection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionRule {
    /// The greedy by marginal gain (cardinality constraint).
    Greedy,
    /// The greedy by marginal gain per unit of cost (budget).
    CostRatioGreedy,
    /// The single affordable node of largest reach, which beat the
    /// cost-ratio greedy (budget).
    BestSingle,
}

/// Why the greedy stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// `k` (or `max_picks`) seeds were chosen.
    Count,
    /// No candidate left fits in the remaining budget.
    Budget,
    /// No candidate adds any reach (fewer seeds than asked).
    NoGain,
    /// No candidate is left.
    NoCandidate,
}

/// A seed set in order of choice, with what each pick adds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// The seeds in order of choice.
    pub picks: Vec<Pick>,
    /// Expected audience reached by all the seeds.
    pub reach: f64,
    /// Total cost.
    pub cost: f64,
    /// The rule that produced it.
    pub rule: SelectionRule,
    /// Why the greedy stopped (for the cost-ratio greedy even when the best
    /// single node won).
    pub stop: StopReason,
}

impl Selection {
    /// The seeds, in order of choice.
    pub fn nodes(&self) -> Vec<NodeId> {
        self.picks.iter().map(|p| p.node).collect()
    }
}

/// A heap entry: key (gain or gain per cost), node, round it was computed in.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: f64,
    gain: f64,
    node: u32,
    round: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Larger key first, then lower node id (ties break on id).
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then(other.node.cmp(&self.node))
    }
}

/// Relative slack when comparing costs with the budget, so that costs that
/// add up to the budget exactly in decimal still fit after rounding.
const BUDGET_SLACK: f64 = 1e-12;

/// The lazy greedy: CELF's lazy evaluation of marginal gains, exact for a
/// submodular oracle (a stale gain is an upper bound of the current one).
///
/// Picks the largest gain (cardinality) or gain per unit of cost (budget),
/// ties on the lower id; stops at the constraint or when nothing adds gain.
/// Under a budget the result is the better of the cost-ratio greedy and the
/// best single affordable node (ties to the greedy). Gains are multiplied by
/// `scale` into expected reach.
pub(crate) fn lazy_greedy<O: GainOracle>(
    oracle: &mut O,
    candidates: &[u32],
    costs: &Costs,
    constraint: Constraint,
    scale: f64,
) -> Selection {
    let solo = oracle.solo_gains(candidates);
    let (budget, max_picks, by_ratio) = match constraint {
        Constraint::Cardinality(k) => (f64::INFINITY, k, false),
        Constraint::Budget { budget, max_picks } => (budget, max_picks.unwrap_or(usize::MAX), true),
    };
    let fits = |spent: f64, v: u32| spent + costs.of(v) <= budget * (1.0 + BUDGET_SLACK);
    let key = |gain: f64, v: u32| if by_ratio { gain / costs.of(v) } else { gain };
    let slots = candidates
        .iter()
        .map(|&v| v as usize + 1)
        .max()
        .unwrap_or(0);
    let mut solo_of = vec![0.0f64; slots];
    let mut heap = BinaryHeap::with_capacity(candidates.len());
    for (&v, &g) in candidates.iter().zip(&solo) {
        solo_of[v as usize] = g;
        if g > 0.0 {
            heap.push(Entry {
                key: key(g, v),
                gain: g,
                node: v,
                round: 0,
            });
        }
    }
    let mut picks: Vec<Pick> = Vec::new();
    let (mut spent, mut reach_units, mut round) = (0.0f64, 0.0f64, 0u32);
    let mut priced_out = false;
    let stop = loop {
        if picks.len() >= max_picks {
            break StopReason::Count;
        }
        let Some(top) = heap.pop() else {
            break if candidates.is_empty() {
                StopReason::NoCandidate
            } else if priced_out {
                StopReason::Budget
            } else {
                StopReason::NoGain
            };
        };
        if !fits(spent, top.node) {
            // The remaining budget only shrinks: never affordable again.
            priced_out = true;
            continue;
        }
        if top.round != round {
            let gain = oracle.marginal(top.node);
            if gain > 0.0 {
                heap.push(Entry {
                    key: key(gain, top.node),
                    gain,
                    node: top.node,
                    round,
                });
            }
            continue;
        }
        let gain = top.gain;
        oracle.commit(top.node);
        let cost = costs.of(top.node);
        spent += cost;
        reach_units += gain;
        let solo_units = solo_of[top.node as usize];
        picks.push(Pick {
            node: NodeId(top.node),
            cost,
            marginal_gain: gain * scale,
            cumulative_reach: reach_units * scale,
            solo_reach: solo_units * scale,
            overlap: (solo_units - gain).max(0.0) * scale,
            cumulative_cost: spent,
        });
        round += 1;
    };
    let greedy = Selection {
        reach: reach_units * scale,
        cost: spent,
        rule: if by_ratio {
            SelectionRule::CostRatioGreedy
        } else {
            SelectionRule::Greedy
        },
        stop,
        picks,
    };
    if !by_ratio {
        return greedy;
    }
    best_single_if_better(greedy, candidates, &solo, costs, budget, scale)
}

/// The budgeted rule's second half: the affordable node of largest solo
/// gain (ties on id), if it beats the cost-ratio greedy.
fn best_single_if_better(
    greedy: Selection,
    candidates: &[u32],
    solo: &[f64],
    costs: &Costs,
    budget: f64,
    scale: f64,
) -> Selection {
    let best = candidates
        .iter()
        .zip(solo)
        .filter(|(v, _)| costs.of(**v) <= budget * (1.0 + BUDGET_SLACK))
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)));
    match best {
        Some((&v, &g)) if g * scale > greedy.reach => {
            let cost = costs.of(v);
            Selection {
                picks: vec![Pick {
                    node: NodeId(v),
                    cost,
                    marginal_gain: g * scale,
                    cumulative_reach: g * scale,
                    solo_reach: g * scale,
                    overlap: 0.0,
                    cumulative_cost: cost,
                }],
                reach: g * scale,
                cost,
                rule: SelectionRule::BestSingle,
                stop: greedy.stop,
            }
        }
        _ => greedy,
    }
}
