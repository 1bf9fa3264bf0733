//! IMM: influence maximisation via martingales (Tang, Shi & Xiao, SIGMOD
//! 2015), over reverse-reachable sets rooted in a target audience, with
//! per-node costs, a candidate gate and a memory cap.

use super::greedy::{Selection, lazy_greedy};
use super::model::InfluenceGraph;
use super::rr::{Inverted, RrOracle, RrSets, family_seed};
use super::targets::{Audience, CandidateGate, Constraint, Costs, check_sizes};
use portevoix_core::{Error, Result};
use serde::Serialize;
use std::time::Instant;

/// Options of [`imm`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImmOptions {
    /// Approximation slack `ε` in `(0, 1)` (default 0.1): the seeds reach at
    /// least `(ρ − ε)·OPT`, `ρ` the greedy ratio of the constraint.
    pub epsilon: f64,
    /// Confidence exponent `ℓ > 0` (default 1): the guarantee holds with
    /// probability at least `1 − n^−ℓ`.
    pub ell: f64,
    /// Seed of the sets (default 0): set `i` of phase 1 and of phase 2 each
    /// come from their own stream, so results do not depend on threads.
    pub seed: u64,
    /// Cap on the bytes of RR sets and their index (default 2 GiB). When the
    /// guarantee would need more, IMM keeps the sets that fit and reports
    /// the larger `ε` they guarantee instead of running out of memory.
    pub max_rr_bytes: usize,
}

impl Default for ImmOptions {
    fn default() -> Self {
        ImmOptions {
            epsilon: 0.1,
            ell: 1.0,
            seed: 0,
            max_rr_bytes: 2 << 30,
        }
    }
}

/// Wall-clock time of the two phases, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct ImmTimings {
    /// Phase 1 (sampling to bound OPT from below), selections included.
    pub estimate_ms: f64,
    /// Phase 2 sampling.
    pub sample_ms: f64,
    /// Phase 2 greedy selection (index included).
    pub select_ms: f64,
}

/// The result of [`imm`]: the seeds and what is guaranteed about them.
#[derive(Debug, Clone, Serialize)]
pub struct ImmResult {
    /// The seeds in order of choice, reaches estimated on the phase-2 sets.
    pub selection: Selection,
    /// The `ε` asked for.
    pub epsilon_requested: f64,
    /// The `ε` guaranteed: the one asked for, or larger when the memory cap
    /// limited the number of sets.
    pub epsilon: f64,
    /// The confidence exponent used (`ℓ`, before IMM's `1 + ln 2 / ln n` adjustment).
    pub ell: f64,
    /// Probability with which the guarantee holds, `1 − n^−ℓ`.
    pub confidence: f64,
    /// Approximation ratio of the greedy for the constraint (`1 − 1/e` or
    /// `½(1 − 1/e)`).
    pub greedy_ratio: f64,
    /// `greedy_ratio − epsilon`: the fraction of the optimum the seeds reach
    /// in expectation, with probability `confidence`.
    pub guarantee: f64,
    /// Lower bound on the optimum's expected reach found by phase 1.
    pub opt_lower_bound: f64,
    /// Number of phase-2 sets the requested `ε` needs (`λ* / LB`).
    pub sets_required: usize,
    /// Number of phase-2 sets used.
    pub sets_used: usize,
    /// Number of phase-1 sets.
    pub phase1_sets: usize,
    /// Mean number of nodes per phase-2 set.
    pub mean_set_size: f64,
    /// Peak bytes of sets and index (phase 1 and phase 2 never coexist).
    pub peak_rr_bytes: usize,
    /// The memory cap.
    pub max_rr_bytes: usize,
    /// A message when the cap limited the sets (and so raised `ε`).
    pub capped: Option<String>,
    /// Size of the audience.
    pub audience_size: usize,
    /// Number of candidates the gate allows.
    pub candidates: usize,
    /// Largest number of seeds a feasible set can hold (`k`, or what the
    /// cheapest candidates fit in the budget): the `k` of the union bound.
    pub max_seeds: usize,
    /// Time of each phase.
    pub timings: ImmTimings,
    /// The phase-2 sets: estimate the reach of any other seed set on them
    /// ([`RrSets::reach`], [`RrSets::reach_curve`], [`RrSets::overlap_matrix`]).
    #[serde(skip)]
    pub sets: RrSets,
}

/// `ln C(n, k)` as a sum of logarithms (exact enough for the bounds; `O(k)`).
pub(crate) fn ln_binomial(n: usize, k: usize) -> f64 {
    let k = k.min(n);
    let k = k.min(n - k);
    (0..k)
        .map(|i| ((n - i) as f64).ln() - ((i + 1) as f64).ln())
        .sum()
}

/// The sample sizes of IMM for one problem.
struct Bounds {
    /// λ' of phase 1 (Tang et al. 2015, Eq. 9), with ε' = √2·ε.
    lambda_prime: f64,
    /// λ*·ε² (Eq. 6, with the greedy ratio ρ in place of 1 − 1/e), so that
    /// `θ(ε) = lambda_star_eps2 / (ε² · LB)`.
    lambda_star_eps2: f64,
    eps_prime: f64,
}

impl Bounds {
    fn new(
        n: usize,
        audience: usize,
        candidates: usize,
        k: usize,
        rho: f64,
        o: &ImmOptions,
    ) -> Bounds {
        let n = n.max(2) as f64;
        let a = audience as f64;
        let ln_n = n.ln();
        // IMM's adjustment so that both phases together fail with
        // probability at most n^-ℓ.
        let ell = o.ell * (1.0 + 2f64.ln() / ln_n);
        let log_cnk = ln_binomial(candidates, k);
        let eps_prime = 2f64.sqrt() * o.epsilon;
        let lambda_prime =
            (2.0 + 2.0 / 3.0 * eps_prime) * (log_cnk + ell * ln_n + a.log2().max(1.0).ln()) * a
                / (eps_prime * eps_prime);
        let alpha = (ell * ln_n + 2f64.ln()).sqrt();
        let beta = (rho * (log_cnk + ell * ln_n + 2f64.ln())).sqrt();
        Bounds {
            lambda_prime,
            lambda_star_eps2: 2.0 * a * (rho * alpha + beta).powi(2),
            eps_prime,
        }
    }
}

/// Runs the greedy on a collection: the selection and the covered fraction.
fn select(
    sets: &RrSets,
    gate: &CandidateGate,
    candidates: &[u32],
    costs: &Costs,
    constraint: Constraint,
) -> (Selection, f64) {
    let inverted = Inverted::build(sets, gate);
    let mut oracle = RrOracle::new(&inverted, sets.len());
    let scale = sets.audience_size() as f64 / sets.len().max(1) as f64;
    let selection = lazy_greedy(&mut oracle, candidates, costs, constraint, scale);
    let fraction = selection.reach / sets.audience_size().max(1) as f64;
    (selection, fraction)
}

/// Grows `sets` towards `target` in steps, stopping when the projected
/// bytes of the next step exceed `cap`. Returns whether it stopped short.
fn grow_capped(
    sets: &mut RrSets,
    model: &InfluenceGraph,
    audience: &Audience,
    target: usize,
    cap: usize,
) -> bool {
    // A small pilot, then steps of at most an eighth of the target, each
    // checked against the cap with the mean bytes per set so far.
    let pilot = target.min(sets.len().max(super::rr::RR_BLOCK * 4));
    sets.extend_to(model, audience, pilot);
    while sets.len() < target {
        let per_set = sets.selection_bytes() as f64 / sets.len().max(1) as f64;
        let fits = (cap as f64 / per_set).floor() as usize;
        let step = (target / 8).max(super::rr::RR_BLOCK);
        let next = target.min(sets.len() + step);
        if next > fits {
            let last = fits.max(sets.len());
            sets.extend_to(model, audience, last.min(target));
            return sets.len() < target;
        }
        sets.extend_to(model, audience, next);
    }
    sets.selection_bytes() > cap
}

/// Influence maximisation with IMM: seeds whose expected reach over the
/// audience is within `ρ − ε` of the optimum with probability `1 − n^−ℓ`.
///
/// # Arguments
/// * `model`: the diffusion model (independent cascade or linear threshold).
/// * `audience`: who counts as reach; RR sets are rooted in it.
/// * `gate`: who may be chosen (gated nodes still relay and count).
/// * `costs`, `constraint`: `k` seeds, or a budget (with an optional cap on
///   the number of seeds).
/// * `options`: `ε`, `ℓ`, seed, memory cap.
///
/// # Returns
/// An [`ImmResult`]: the seeds in order with marginal gain, cumulative
/// reach, solo reach and overlap with the earlier picks (estimated on the
/// phase-2 sets), the `ε` and confidence guaranteed, the phase-2 sets for
/// evaluating other seed sets, sizes, memory and times.
///
/// # Algorithm
/// Phase 1 (Tang et al. 2015, Alg. 2) doubles the number of sets,
/// `θ_i = λ' / x_i` for `x_i = |A| / 2^i`, and runs the greedy until
/// `|A|·F(S_i) ≥ (1 + ε')·x_i`, giving `LB = |A|·F(S_i)/(1 + ε') ≤ OPT`.
/// Phase 2 samples `θ = λ* / LB` **fresh** sets (Chen's 2018 correction:
/// reusing phase 1's sets breaks the martingale argument) and runs the
/// greedy on them. With `n` nodes, `|A|` audience members, `c` candidates,
/// `K` the largest feasible seed count and `ρ` the greedy ratio,
/// `λ* = 2|A|·(ρ·α + β)²·ε⁻²`, `α = √(ℓ ln n + ln 2)`,
/// `β = √(ρ·(ln C(c, K) + ℓ ln n + ln 2))`, and
/// `λ' = (2 + ⅔ε')·(ln C(c, K) + ℓ ln n + ln log₂|A|)·|A|·ε'⁻²`, `ε' = √2·ε`.
/// Under a budget the greedy is the cost-effective lazy greedy compared with
/// the best single node (`ρ = ½(1 − 1/e)`).
///
/// When the sets and their index would exceed `max_rr_bytes`, phase 1 stops
/// (then `LB = 1`) or phase 2 keeps the sets that fit, and the result
/// reports the `ε` those sets guarantee, `√(λ*·ε² / (LB·θ))`, with a message.
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty audience, no candidate, `ε`
/// outside `(0, 1)`, `ℓ ≤ 0`, invalid costs or constraint, or an audience
/// or gate made for another graph.
///
/// # Complexity
/// Expected `O((K + ℓ)(n + m) log n / ε²)` for the cardinality case (Tang
/// et al., Thm. 3); memory 8 bytes per set entry (sets and index) plus 8
/// per node. Sampling is parallel over sets, deterministic per set index.
///
/// # Vertex program
/// Sampling is independent per set, so a dataflow engine partitions the
/// sets by index over workers; each greedy round is a global argmax of
/// per-node counters summed over workers (an associative combiner), then a
/// broadcast of the pick (the distributed IMM of Minutoli et al., *cuRipples*
/// / *Ripples*, IEEE Cluster 2019).
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::influence_max::{
///     Audience, CandidateGate, Constraint, Costs, ImmOptions, InfluenceGraph,
///     InfluenceModelOptions, imm,
/// };
///
/// // Hub 0 is re-shared by 1..=5, hub 6 by 7..=8 (and 1): weighted cascade.
/// let edges = [(1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (7, 6), (8, 6), (1, 6)];
/// let g = LayerGraph::from_edges(9, &edges, &BuildOptions::default())?;
/// let model = InfluenceGraph::build(&g, &InfluenceModelOptions::default())?;
/// let result = imm(&model, &Audience::everyone(9), &CandidateGate::allow_all(9),
///     &Costs::Unit, Constraint::Cardinality(2), &ImmOptions::default())?;
/// assert_eq!(result.selection.nodes(), vec![NodeId(0), NodeId(6)]);
/// assert!(result.guarantee > 0.5 && result.confidence > 0.88);
/// // Expected reach: 0 and 2..=5, 6, 7, 8, and 1 unless both coins fail: 8 + 3/4.
/// assert!((result.selection.reach - 8.75).abs() < 0.2);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
///
/// # References
/// * Y. Tang, Y. Shi, X. Xiao, *Influence Maximization in Near-Linear Time:
///   A Martingale Approach*, SIGMOD 2015.
/// * W. Chen, *An Issue in the Martingale Analysis of the Influence
///   Maximization Algorithm IMM*, CSoNet 2018.
/// * C. Borgs, M. Brautbar, J. Chayes, B. Lucier, *Maximizing Social
///   Influence in Nearly Optimal Time*, SODA 2014.
/// * S. Khuller, A. Moss, J. Naor, *The budgeted maximum coverage problem*,
///   Information Processing Letters 70, 1999.
pub fn imm(
    model: &InfluenceGraph,
    audience: &Audience,
    gate: &CandidateGate,
    costs: &Costs,
    constraint: Constraint,
    options: &ImmOptions,
) -> Result<ImmResult> {
    let n = model.num_nodes();
    check_sizes(n, audience, gate)?;
    costs.validate(n)?;
    constraint.validate()?;
    if !(options.epsilon > 0.0 && options.epsilon < 1.0) {
        return Err(Error::argument(
            "imm",
            format!("IMM's epsilon must be in (0, 1), got {}", options.epsilon),
        ));
    }
    if !(options.ell > 0.0 && options.ell.is_finite()) {
        return Err(Error::argument(
            "imm",
            format!("IMM's ell must be positive, got {}", options.ell),
        ));
    }
    if audience.is_empty() {
        return Err(Error::argument(
            "imm",
            "the target audience is empty: nobody to reach",
        ));
    }
    let candidates = gate.allowed_nodes();
    if candidates.is_empty() {
        return Err(Error::argument("imm", "the gate allows no candidate"));
    }
    let a = audience.len();
    let max_seeds = constraint.max_seeds(&candidates, costs).max(1);
    let rho = constraint.greedy_ratio();
    let bounds = Bounds::new(n, a, candidates.len(), max_seeds, rho, options);
    let cap = options.max_rr_bytes;
    let mut capped: Vec<String> = Vec::new();
    let mut peak = 0usize;

    // Phase 1: a lower bound on OPT.
    let started = Instant::now();
    let mut sets = RrSets::new(n, a, family_seed(options.seed, 1));
    let mut lb = 1.0f64;
    let rounds = ((a as f64).log2().floor() as i64 - 1).max(0);
    for i in 1..=rounds {
        let x = a as f64 / 2f64.powi(i as i32);
        let theta_i = (bounds.lambda_prime / x).ceil() as usize;
        let short = grow_capped(&mut sets, model, audience, theta_i, cap);
        peak = peak.max(sets.selection_bytes());
        if short {
            capped.push(format!(
                "phase 1 stopped at {} of {theta_i} RR sets ({} MiB cap): the lower bound of the optimum stays 1",
                sets.len(),
                cap >> 20
            ));
            lb = 1.0;
            break;
        }
        let (_, fraction) = select(&sets, gate, &candidates, costs, constraint);
        if a as f64 * fraction >= (1.0 + bounds.eps_prime) * x {
            lb = a as f64 * fraction / (1.0 + bounds.eps_prime);
            break;
        }
    }
    let phase1_sets = sets.len();
    drop(sets);
    let estimate_ms = ms(started);

    // Phase 2: fresh sets, as many as the guarantee needs and the cap allows.
    let started = Instant::now();
    let eps2 = options.epsilon * options.epsilon;
    let required_f = bounds.lambda_star_eps2 / (eps2 * lb);
    let required = required_f.ceil().min(u32::MAX as f64 - 1.0) as usize;
    if required_f > required as f64 {
        capped.push(format!(
            "{required_f:.3e} RR sets needed, more than the {required} a collection can index"
        ));
    }
    let mut sets = RrSets::new(n, a, family_seed(options.seed, 2));
    let short = grow_capped(&mut sets, model, audience, required.max(1), cap);
    let sample_ms = ms(started);
    let used = sets.len();
    let mut epsilon = options.epsilon;
    if short || used < required {
        epsilon = (bounds.lambda_star_eps2 / (lb * used.max(1) as f64)).sqrt();
        capped.push(format!(
            "RR sets capped at {} MiB: {used} of the {required} sets needed for epsilon {} were kept, \
             so the guarantee holds for epsilon {:.3} (raise max_rr_bytes, or accept the larger epsilon)",
            cap >> 20,
            options.epsilon,
            epsilon
        ));
    }
    let started = Instant::now();
    let (selection, _) = select(&sets, gate, &candidates, costs, constraint);
    let select_ms = ms(started);
    peak = peak.max(sets.selection_bytes());
    let ln_n = (n.max(2) as f64).ln();
    Ok(ImmResult {
        selection,
        epsilon_requested: options.epsilon,
        epsilon,
        ell: options.ell,
        confidence: 1.0 - (-options.ell * ln_n).exp(),
        greedy_ratio: rho,
        guarantee: (rho - epsilon).max(0.0),
        opt_lower_bound: lb,
        sets_required: required,
        sets_used: used,
        phase1_sets,
        mean_set_size: sets.entries() as f64 / used.max(1) as f64,
        peak_rr_bytes: peak,
        max_rr_bytes: cap,
        capped: (!capped.is_empty()).then(|| capped.join("; ")),
        audience_size: a,
        candidates: candidates.len(),
        max_seeds,
        timings: ImmTimings {
            estimate_ms,
            sample_ms,
            select_ms,
        },
        sets,
    })
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
