//! The deterministic coverage model: the unique audience within one or two
//! hops of the seeds, for when only the structure of the network is known.

use super::greedy::{GainOracle, Selection, lazy_greedy};
use super::model::InfluenceGraph;
use super::targets::{Audience, CandidateGate, Constraint, Costs, check_node, check_sizes};
use super::workspace::Workspace;
use portevoix_core::{Error, NodeId, Result};
use rayon::prelude::*;

/// Calls `f` once for every distinct node within `hops` forward hops of
/// `v` (`v` itself included).
fn for_each_within(
    model: &InfluenceGraph,
    v: u32,
    hops: u8,
    stamps: &mut Workspace,
    mut f: impl FnMut(u32),
) {
    let fwd = &model.forward;
    stamps.begin();
    stamps.visit(v);
    f(v);
    if hops == 0 {
        return;
    }
    for &u in &fwd.nodes[fwd.range(v as usize)] {
        if stamps.visit(u) {
            f(u);
        }
    }
    if hops == 1 {
        return;
    }
    for &u in &fwd.nodes[fwd.range(v as usize)] {
        for &w in &fwd.nodes[fwd.range(u as usize)] {
            if stamps.visit(w) {
                f(w);
            }
        }
    }
}

struct CoverageOracle<'a> {
    model: &'a InfluenceGraph,
    audience: &'a Audience,
    hops: u8,
    covered: Vec<bool>,
    stamps: Workspace,
}

impl GainOracle for CoverageOracle<'_> {
    fn solo_gains(&self, candidates: &[u32]) -> Vec<f64> {
        let n = self.model.num_nodes();
        candidates
            .par_iter()
            .map_init(
                || Workspace::new(n),
                |stamps, &v| {
                    let mut c = 0u64;
                    for_each_within(self.model, v, self.hops, stamps, |u| {
                        c += self.audience.contains(u) as u64;
                    });
                    c as f64
                },
            )
            .collect()
    }

    fn marginal(&mut self, v: u32) -> f64 {
        let mut c = 0u64;
        let (covered, audience) = (&self.covered, self.audience);
        for_each_within(self.model, v, self.hops, &mut self.stamps, |u| {
            c += (audience.contains(u) && !covered[u as usize]) as u64;
        });
        c as f64
    }

    fn commit(&mut self, v: u32) {
        let covered = &mut self.covered;
        for_each_within(self.model, v, self.hops, &mut self.stamps, |u| {
            covered[u as usize] = true;
        });
    }
}

fn check_hops(hops: u8) -> Result<()> {
    if hops == 0 || hops > 2 {
        return Err(Error::argument(
            "coverage",
            format!("the coverage model counts the audience within 1 or 2 hops, not {hops}"),
        ));
    }
    Ok(())
}

/// Greedy seed selection under the deterministic coverage model: the reach
/// of a seed set is the number of audience members within `hops` (1 or 2)
/// forward hops of some seed, seeds included. Probabilities are ignored:
/// every edge of the model counts.
///
/// # Arguments
/// * `model`: the influence graph (only its forward structure is used).
/// * `audience`: who counts; `gate`: who may be chosen; `costs`, `constraint`.
/// * `hops`: 1 (direct audience) or 2 (audience of the audience too).
///
/// # Returns
/// The lazy-greedy [`Selection`]: gains, reaches and overlaps are exact
/// counts of audience members. Coverage is submodular, so the greedy is
/// within `1 − 1/e` of the best `k` seeds (Nemhauser, Wolsey & Fisher 1978),
/// and within `½(1 − 1/e)` under a budget (Khuller, Moss & Naor 1999).
///
/// # Errors
/// [`Error::InvalidArgument`] for `hops` not 1 or 2, or invalid costs,
/// constraint, audience or gate.
///
/// # Complexity
/// `O(Σ_v |B_h(v)|)` for the first pass (`B_h(v)`: the walk within `h`
/// hops, `O(d(v) + Σ_{u ∈ N(v)} d(u))` for 2 hops), parallel over
/// candidates, then one ball per lazy re-evaluation; `O(n)` memory per thread.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::influence_max::{
///     Audience, CandidateGate, Constraint, Costs, InfluenceGraph, InfluenceModelOptions,
///     coverage_greedy,
/// };
///
/// // 1, 2, 3 retweeted 0; 3 and 4 retweeted 5. Content flows 0 → {1, 2, 3}, 5 → {3, 4}.
/// let g = LayerGraph::from_edges(6, &[(1, 0), (2, 0), (3, 0), (3, 5), (4, 5)], &BuildOptions::default())?;
/// let model = InfluenceGraph::build(&g, &InfluenceModelOptions::default())?;
/// let sel = coverage_greedy(&model, &Audience::everyone(6), &CandidateGate::allow_all(6),
///     &Costs::Unit, Constraint::Cardinality(2), 1)?;
/// assert_eq!(sel.nodes(), vec![NodeId(0), NodeId(5)]);
/// // 5 reaches {5, 3, 4} alone; 3 was already reached.
/// assert_eq!((sel.picks[1].marginal_gain, sel.picks[1].overlap), (2.0, 1.0));
/// assert_eq!(sel.reach, 6.0);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn coverage_greedy(
    model: &InfluenceGraph,
    audience: &Audience,
    gate: &CandidateGate,
    costs: &Costs,
    constraint: Constraint,
    hops: u8,
) -> Result<Selection> {
    check_hops(hops)?;
    let n = model.num_nodes();
    check_sizes(n, audience, gate)?;
    costs.validate(n)?;
    constraint.validate()?;
    let mut oracle = CoverageOracle {
        model,
        audience,
        hops,
        covered: vec![false; n],
        stamps: Workspace::new(n),
    };
    let candidates = gate.allowed_nodes();
    Ok(lazy_greedy(
        &mut oracle,
        &candidates,
        costs,
        constraint,
        1.0,
    ))
}

/// The exact coverage reach of `seeds`: audience members within `hops`
/// forward hops of some seed (seeds included).
///
/// # Errors
/// [`Error::InvalidArgument`] for `hops` not 1 or 2 or a seed outside the graph.
///
/// # Complexity
/// `O(Σ_{s ∈ seeds} |B_h(s)| + n)`.
pub fn coverage_reach(
    model: &InfluenceGraph,
    audience: &Audience,
    seeds: &[NodeId],
    hops: u8,
) -> Result<usize> {
    check_hops(hops)?;
    let n = model.num_nodes();
    let mut covered = vec![false; n];
    let mut stamps = Workspace::new(n);
    for s in seeds {
        check_node(n, *s, "seed")?;
        for_each_within(model, s.0, hops, &mut stamps, |u| {
            covered[u as usize] = true
        });
    }
    Ok(covered
        .iter()
        .enumerate()
        .filter(|(u, c)| **c && audience.contains(*u as u32))
        .count())
}

/// The exact coverage reach of every prefix of `order` (element `i`: the
/// reach of `order[..=i]`), e.g. the reach curve of a ranking's top `k`.
///
/// # Errors
/// As [`coverage_reach`].
///
/// # Complexity
/// `O(Σ_{s ∈ order} |B_h(s)| + n)`.
pub fn coverage_reach_curve(
    model: &InfluenceGraph,
    audience: &Audience,
    order: &[NodeId],
    hops: u8,
) -> Result<Vec<usize>> {
    check_hops(hops)?;
    let n = model.num_nodes();
    let mut covered = vec![false; n];
    let mut stamps = Workspace::new(n);
    let mut reach = 0usize;
    let mut curve = Vec::with_capacity(order.len());
    for s in order {
        check_node(n, *s, "seed")?;
        for_each_within(model, s.0, hops, &mut stamps, |u| {
            if !covered[u as usize] {
                covered[u as usize] = true;
                reach += audience.contains(u) as usize;
            }
        });
        curve.push(reach);
    }
    Ok(curve)
}

/// Audience members within `hops` of both `seeds[i]` and `seeds[j]` (the
/// diagonal: of `seeds[i]`), exact, as a dense matrix by rows.
///
/// # Errors
/// As [`coverage_reach`].
///
/// # Complexity
/// `O(Σ_s |B_h(s)| + Σ_u c(u)²)` where `c(u)` is the number of seeds
/// reaching audience member `u`; `O(n + k²)` memory.
pub fn coverage_overlap_matrix(
    model: &InfluenceGraph,
    audience: &Audience,
    seeds: &[NodeId],
    hops: u8,
) -> Result<Vec<Vec<usize>>> {
    check_hops(hops)?;
    let n = model.num_nodes();
    let k = seeds.len();
    // For every audience member, the seeds that reach it.
    let mut reached_by: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    let mut stamps = Workspace::new(n);
    for (i, s) in seeds.iter().enumerate() {
        check_node(n, *s, "seed")?;
        for_each_within(model, s.0, hops, &mut stamps, |u| {
            if audience.contains(u) {
                reached_by.entry(u).or_default().push(i as u32);
            }
        });
    }
    let mut m = vec![vec![0usize; k]; k];
    for list in reached_by.values() {
        for &i in list {
            for &j in list {
                m[i as usize][j as usize] += 1;
            }
        }
    }
    Ok(m)
}
