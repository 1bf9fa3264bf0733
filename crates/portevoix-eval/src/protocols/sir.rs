//! Protocol `sir`: simulated spreading around the epidemic threshold.
//!
//! Data: the Higgs retweet layer (`higgs-twitter/higgs-retweet_network.edgelist.gz`,
//! read as [`Layer::Repost`]: "A retweeted B" is `A → B`), Slashdot Zoo
//! (`slashdot-zoo/soc-Slashdot0902.txt.gz`, unsigned, "From tagged To as
//! friend or foe", read as [`Layer::Follow`]) and Epinions
//! (`epinions-signed/soc-sign-epinions.txt.gz`, "From trusts / distrusts
//! To", read as signed ratings). `--data` replaces the three graphs (format
//! guessed from the content). Quick mode: the Higgs retweet layer only (the
//! graph with the fewest edges), or the first `--data` file.
//!
//! For each graph an engine is built and a topic-less structural campaign
//! (awareness preset, no window, no seed) gives the variants their context;
//! the simulated graph is the context's **endorsement view**, the very graph
//! the variants score (Higgs: the retweets; Slashdot: the friend/foe tags;
//! Epinions: the positive ratings), self-loops dropped.
//!
//! Spreading is SIR with recovery γ = 1 (each infected account is
//! infectious for one step: bond percolation with transmissibility β) in
//! the **information-flow direction**: content of B reaches the accounts
//! that retweeted / tagged / trusted B, which is what the variants claim to
//! measure. The epidemic threshold of that directed process is estimated by
//! the directed configuration-model value `β_c = ⟨k_in⟩ / ⟨k_in·k_out⟩`
//! (Newman, Strogatz, Watts, Phys. Rev. E 64, 2001: the giant out-component
//! appears when `T·⟨k_in k_out⟩/⟨k⟩ > 1`). The kernel's
//! [`epidemic_threshold`] (`⟨k⟩/⟨k²−k⟩` on the undirected view) is reported
//! beside it: it is a lower estimate for directed spreading (on the Higgs
//! retweets, whose retweeters are rarely retweeted, it is 300 times lower).
//! Rates: β = m·β_c for m ∈ {0.5, 1, 1.5, 2} (quick: m = 1); a rate above 1
//! is skipped and the skip recorded in `setup`.
//!
//! Start nodes: a sample of the accounts with at least one endorsement edge,
//! stratified by spreading degree (bins `⌊log2(1 + k_in)⌋`, equal quota per
//! bin, what a small bin cannot fill goes to the others), uniform within a
//! bin (seed `options.seed`): 1,000 per graph (quick: 200). Outcome: the
//! mean outbreak size (nodes ever infected, the start node included) over R
//! seeded runs per node (R = 200; quick: 20), computed by the kernel's
//! parallel [`sir_outbreak_per_node`] with common random numbers.
//!
//! Metrics ([`ranking_metrics`]) over the sampled nodes, audience tiers
//! from the in-degree of the endorsement view. One row per variant; every
//! metric name is prefixed by the graph and the rate, e.g.
//! `slashdot 1.0βc: tau_b`.
//!
//! # Portfolio
//!
//! At the rate `1.0·β_c` each graph also gets the **seed-set** comparison
//! of [`portfolio`](super::portfolio): the campaign planner chooses `k`
//! people together (IMM, independent cascade with the constant probability
//! `β`, i.e. this very SIR process, on the same endorsement view, under the
//! same campaign and its authenticity gate; ε = [`PORTFOLIO_EPSILON`],
//! quick [`QUICK_PORTFOLIO_EPSILON`]), and every variant proposes its top
//! `k` over all accounts (quick: only the contextual score, PageRank and
//! in-degree), for k = 10, 25, 50 (quick: 10, 25). Each set starts a seed-set SIR (all `k`
//! infected at t = 0, γ = 1), simulated as bond percolation on
//! [`SET_RUNS`] live-edge worlds (quick: [`QUICK_SET_RUNS`]) whose edge
//! coins are hashed from `(seed, run, edge)`
//! ([`spread_per_world`](portevoix_graph::kernels::influence_max::spread_per_world)): every set sees the same worlds, so
//! differences are paired and a superset never reaches fewer in a world.
//! Metrics `<graph> 1.0βc portfolio: spread@k` (mean outbreak size, seeds
//! included, interval mean ± 1.96 s.e.), one more row
//! [`PLAN_ROW`](super::portfolio::PLAN_ROW) for the plan.

use super::portfolio;
use crate::protocol::{
    EvalOptions, ProtocolReport, RANKING_METRICS, VariantResult, audience_tiers, ranking_metrics,
};
use crate::variants::select;
use portevoix_core::{Error, Layer, NodeId};
use portevoix_graph::generate::Xoshiro256StarStar;
use portevoix_graph::kernels::influence_max::{
    Audience, DiffusionModel, EdgeProbability, InfluenceGraph, InfluenceModelOptions,
    MonteCarloOptions,
};
use portevoix_graph::kernels::{
    SirOptions, SpreadDirection, epidemic_threshold, sir_outbreak_per_node,
};
use portevoix_graph::{BuildOptions, LayerGraph};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::plan::{PlanModel, PlanOptions, RateEstimator};
use portevoix_score::signals::CampaignContext;
use portevoix_text::analysis::Analyzer;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Rate multipliers of β_c (full run).
pub const RATE_MULTIPLIERS: [f64; 4] = [0.5, 1.0, 1.5, 2.0];
/// Start nodes per graph (full run; quick: [`QUICK_NODES`]).
pub const NODES: usize = 1000;
/// Start nodes in quick mode.
pub const QUICK_NODES: usize = 200;
/// Runs per start node (full run; quick: [`QUICK_RUNS`]).
pub const RUNS: usize = 200;
/// Runs per start node in quick mode.
pub const QUICK_RUNS: usize = 20;
/// Live-edge worlds per seed set in the portfolio comparison (full run):
/// ten times the runs per start node.
pub const SET_RUNS: usize = 2_000;
/// Live-edge worlds per seed set in quick mode.
pub const QUICK_SET_RUNS: usize = 500;
/// IMM's ε for the portfolio's plans (full run).
pub const PORTFOLIO_EPSILON: f64 = 0.1;
/// IMM's ε in quick mode.
pub const QUICK_PORTFOLIO_EPSILON: f64 = 0.2;
/// The memory cap of the plans' reverse-reachable sets: near the threshold
/// on a dense graph they grow large; past the cap IMM keeps what fits and
/// states the larger ε in the setup.
pub const PORTFOLIO_MAX_RR_BYTES: usize = 1 << 30;
/// The rate multiplier of the portfolio comparison.
pub const PORTFOLIO_RATE: f64 = 1.0;
/// Salt of the portfolio's worlds (not the planner's reverse-reachable sets).
const WORLD_SALT: u64 = 0x5e75_9e4d_0000_0001;

/// The structural campaign every graph is scored with.
pub const CAMPAIGN: &str = r#"
name = "SIR spreading: structural awareness"
objective = "awareness"
languages = []
employees = []
customers = []
trusted_seeds = []
relevance_floor = 0.0
authenticity_gate = 0.5

[candidates]
min_posts = 0

[topic]
name = "structure only"
[topic.keywords]
spreading = 1.0
"#;

/// One graph of the protocol: a short name, the file and how to read it.
struct GraphInput {
    name: String,
    path: PathBuf,
    format: Option<FormatKind>,
    read: ReadOptions,
}

fn default_graphs(options: &EvalOptions) -> Result<Vec<GraphInput>, Error> {
    let quick = options.quick;
    let mut higgs = ReadOptions::default();
    higgs.edgelist.layer = Layer::Repost;
    let mut out = vec![GraphInput {
        name: "higgs-retweet".into(),
        path: options.dataset("higgs-twitter/higgs-retweet_network.edgelist.gz")?,
        format: Some(FormatKind::EdgeList),
        read: higgs,
    }];
    if !quick {
        out.push(GraphInput {
            name: "slashdot".into(),
            path: options.dataset("slashdot-zoo/soc-Slashdot0902.txt.gz")?,
            format: Some(FormatKind::EdgeList),
            read: ReadOptions::default(),
        });
        out.push(GraphInput {
            name: "epinions".into(),
            path: options.dataset("epinions-signed/soc-sign-epinions.txt.gz")?,
            format: Some(FormatKind::Signed),
            read: ReadOptions::default(),
        });
    }
    Ok(out)
}

fn file_name(path: &Path) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    name.split('.').next().unwrap_or(&name).to_string()
}

/// The directed configuration-model threshold `⟨k_in⟩ / ⟨k_in·k_out⟩`
/// (`Σ k_in / Σ_v k_in(v)·k_out(v)`, degrees = distinct neighbours);
/// infinite when no node has both an in- and an out-edge. Symmetric in the
/// direction of the edges, so it is the threshold of spreading along them
/// and against them.
pub fn directed_threshold(graph: &LayerGraph) -> f64 {
    let n = graph.num_nodes();
    let (mut m, mut kk) = (0u128, 0u128);
    for v in 0..n {
        let (ki, ko) = (
            graph.in_csr().degree(v) as u128,
            graph.out_csr().degree(v) as u128,
        );
        m += ki;
        kk += ki * ko;
    }
    if kk == 0 {
        f64::INFINITY
    } else {
        m as f64 / kk as f64
    }
}

/// Up to `count` accounts with at least one edge (in or out), stratified by
/// spreading degree: bins `⌊log2(1 + k_in)⌋` of the in-degree (the contacts
/// an account infects under [`SpreadDirection::InformationFlow`]), the same
/// quota per bin, the quota a small bin cannot fill passed on to the
/// others, uniform within a bin (partial Fisher–Yates, stream `(seed, bin)`).
/// Returned in increasing id order. Deterministic in `(graph, count, seed)`.
pub fn sample_nodes(graph: &LayerGraph, count: usize, seed: u64) -> Vec<NodeId> {
    let mut bins: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for v in 0..graph.num_nodes() {
        let ki = graph.in_csr().degree(v);
        if ki + graph.out_csr().degree(v) == 0 {
            continue;
        }
        let b = usize::BITS - (ki + 1).leading_zeros() - 1;
        bins.entry(b).or_default().push(v as u32);
    }
    // Quotas: water-filling, equal shares, small bins take all they have.
    let mut quota: BTreeMap<u32, usize> = bins.keys().map(|&b| (b, 0)).collect();
    let mut left = count;
    loop {
        let open: Vec<u32> = bins
            .iter()
            .filter(|(b, v)| quota[*b] < v.len())
            .map(|(b, _)| *b)
            .collect();
        if left == 0 || open.is_empty() {
            break;
        }
        let share = (left / open.len()).max(1);
        for b in open {
            if left == 0 {
                break;
            }
            let room = bins[&b].len() - quota[&b];
            let take = share.min(room).min(left);
            *quota.get_mut(&b).expect("bin") += take;
            left -= take;
        }
    }
    let mut out = Vec::with_capacity(count);
    for (b, mut members) in bins {
        let q = quota[&b];
        let mut rng = Xoshiro256StarStar::from_stream(seed, u64::from(b));
        for i in 0..q {
            let j = i + rng.below((members.len() - i) as u64) as usize;
            members.swap(i, j);
        }
        out.extend(members[..q].iter().map(|&v| NodeId(v)));
    }
    out.sort_unstable();
    out
}

/// What one graph gives: its prefix-free results per variant and setup.
struct GraphOutcome {
    /// Per variant (in order), metric → interval, names prefixed.
    metrics: Vec<BTreeMap<String, crate::metrics::Interval>>,
    order: Vec<String>,
    /// The plan's row and the portfolio metric names.
    plan_metrics: BTreeMap<String, crate::metrics::Interval>,
    portfolio_order: Vec<String>,
    setup: Vec<String>,
    findings: Vec<String>,
    population: usize,
}

/// Runs the protocol.
///
/// # Errors
///
/// A data file that cannot be read, an unknown variant, what the kernels
/// or the scoring report.
pub fn run(options: &EvalOptions) -> Result<ProtocolReport, Error> {
    let start = Instant::now();
    let variants = select(options.variants.as_deref())?;
    let graphs: Vec<GraphInput> = if options.data.is_empty() {
        default_graphs(options)?
    } else {
        let take = if options.quick { 1 } else { options.data.len() };
        options.data[..take]
            .iter()
            .map(|p| GraphInput {
                name: file_name(p),
                path: p.clone(),
                format: None,
                read: ReadOptions::default(),
            })
            .collect()
    };
    let (nodes, runs) = if options.quick {
        (QUICK_NODES, QUICK_RUNS)
    } else {
        (NODES, RUNS)
    };
    let multipliers: &[f64] = if options.quick {
        &[1.0]
    } else {
        &RATE_MULTIPLIERS
    };
    let campaign = Campaign::from_toml_str(CAMPAIGN, "sir campaign")?;
    let mut setup = vec![
        "Graph: the campaign context's endorsement view (the graph the variants score), self-loops dropped; Higgs retweets read as repost edges A→B (A retweeted B), Slashdot Zoo as follow edges (From tagged To), Epinions as signed ratings (endorsement = positive ratings).".to_string(),
        "Model: discrete-time SIR, recovery γ = 1 (bond percolation, T = β), spreading in the information-flow direction (B infects the accounts that retweeted / tagged / trusted B).".to_string(),
        "Threshold β_c: directed configuration model ⟨k_in⟩/⟨k_in·k_out⟩ on the endorsement view (the kernel's undirected ⟨k⟩/⟨k²−k⟩ reported beside it); rates β = m·β_c, m in ".to_string()
            + &multipliers.iter().map(|m| format!("{m}")).collect::<Vec<_>>().join(", ")
            + "; a rate above 1 is skipped.",
        format!("Start nodes: {nodes} per graph (accounts with ≥ 1 endorsement edge), stratified by ⌊log2(1 + in-degree)⌋ with equal quotas, uniform within a bin; {runs} seeded runs per node (common random numbers); outcome = mean outbreak size, start node included."),
        "Metrics: ranking_metrics over the sampled nodes (precision@k and NDCG@k with the outcome as gain, tau-b, Spearman; tiers = ⌊log10(in-degree)⌋ + 1 of the endorsement view). One row per variant; metric names are prefixed `<graph> <m>βc: `.".to_string(),
        "Campaign: structural awareness preset, no window, no trusted seed, no text (relevance is 0 for everyone).".to_string(),
    ];
    let mut data = Vec::new();
    let mut per_variant: Vec<BTreeMap<String, crate::metrics::Interval>> =
        vec![BTreeMap::new(); variants.len()];
    let mut metric_order = Vec::new();
    let mut plan_metrics = BTreeMap::new();
    let mut portfolio_order = Vec::new();
    let mut findings = Vec::new();
    let mut population = 0;
    for (gi, g) in graphs.iter().enumerate() {
        data.push(options.data_name(&g.path));
        let outcome = run_graph(
            g,
            &campaign,
            &variants,
            options,
            nodes,
            runs,
            multipliers,
            gi as u64,
        )?;
        for (acc, m) in per_variant.iter_mut().zip(outcome.metrics) {
            acc.extend(m);
        }
        metric_order.extend(outcome.order);
        plan_metrics.extend(outcome.plan_metrics);
        portfolio_order.extend(outcome.portfolio_order);
        setup.extend(outcome.setup);
        findings.extend(outcome.findings);
        population += outcome.population;
    }
    let mut results = variants
        .iter()
        .zip(per_variant)
        .map(|(v, metrics)| VariantResult {
            variant: v.name(),
            metrics,
        })
        .collect::<Vec<_>>();
    findings.extend(summary_findings(&results, &metric_order));
    if !plan_metrics.is_empty() {
        results.push(VariantResult {
            variant: portfolio::PLAN_ROW.to_string(),
            metrics: plan_metrics,
        });
        metric_order.extend(portfolio_order);
    }
    let mut seeds = BTreeMap::new();
    seeds.insert("sample".to_string(), options.seed);
    seeds.insert("simulation".to_string(), options.seed);
    seeds.insert("bootstrap".to_string(), options.seed);
    Ok(ProtocolReport {
        protocol: "sir".into(),
        title:
            "Simulated spreading: SIR outbreak size from each node around the epidemic threshold"
                .into(),
        data,
        seeds,
        setup,
        population,
        metric_order,
        results,
        findings,
        seconds: start.elapsed().as_secs_f64(),
    })
}

#[allow(clippy::too_many_arguments)]
fn run_graph(
    g: &GraphInput,
    campaign: &Campaign,
    variants: &[Box<dyn crate::variants::Variant>],
    options: &EvalOptions,
    nodes: usize,
    runs: usize,
    multipliers: &[f64],
    graph_index: u64,
) -> Result<GraphOutcome, Error> {
    let t0 = Instant::now();
    let dataset = load(&[(g.path.as_path(), g.format)], &g.read)?;
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard())?;
    let ctx = CampaignContext::new(&engine, campaign)?;
    let graph: &LayerGraph = ctx.endorsement.as_ref();
    let loaded = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let scores: Vec<Vec<f64>> = variants
        .iter()
        .map(|v| v.scores(&ctx))
        .collect::<Result<_, _>>()?;
    let scored = t1.elapsed().as_secs_f64();
    let sample = sample_nodes(graph, nodes, options.seed);
    let in_degree: Vec<f64> = sample
        .iter()
        .map(|v| graph.in_csr().degree(v.index()) as f64)
        .collect();
    let tiers = audience_tiers(&in_degree);
    let beta_c = directed_threshold(graph);
    let beta_u = epidemic_threshold(graph);
    let mut setup = vec![format!(
        "{}: {} accounts, {} endorsement edges, {} sampled start nodes; β_c (directed) = {:.5}, undirected kernel estimate = {:.5}; load + engine {:.1} s, variants {:.1} s.",
        g.name,
        graph.num_nodes(),
        graph.num_edges(),
        sample.len(),
        beta_c,
        beta_u,
        loaded,
        scored
    )];
    let mut metrics = vec![BTreeMap::new(); variants.len()];
    let mut order = Vec::new();
    let mut findings = Vec::new();
    let mut by_rate: Vec<(f64, f64, f64)> = Vec::new();
    for &m in multipliers {
        let beta = m * beta_c;
        if !(beta.is_finite() && beta <= 1.0) {
            setup.push(format!(
                "{}: rate {m}βc = {beta:.4} skipped (not a probability).",
                g.name
            ));
            continue;
        }
        let prefix = format!("{} {m:.1}βc", g.name);
        let t2 = Instant::now();
        let sir_options = SirOptions {
            beta,
            gamma: 1.0,
            runs,
            seed: options.seed ^ graph_index.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            max_steps: usize::MAX,
            direction: SpreadDirection::InformationFlow,
        };
        let outcome = sir_outbreak_per_node(graph, &sir_options, Some(&sample))?;
        let simulated = t2.elapsed().as_secs_f64();
        let mean = outcome.iter().sum::<f64>() / outcome.len().max(1) as f64;
        // Diagnostic: inauthentic accounts (below the campaign's gate) among
        // the sample and among its top 100 by outcome; the contextual scores
        // demote them.
        let authenticity = &engine.authenticity().score;
        let gate = campaign.authenticity_gate;
        let mut by_outcome: Vec<usize> = (0..sample.len()).collect();
        by_outcome.sort_by(|&a, &b| outcome[b].total_cmp(&outcome[a]).then(a.cmp(&b)));
        let below = |rows: &[usize]| {
            rows.iter()
                .filter(|&&i| authenticity[sample[i].index()] < gate)
                .count() as f64
                / rows.len().max(1) as f64
        };
        let gated_all = below(&by_outcome);
        let gated_top = below(&by_outcome[..by_outcome.len().min(100)]);
        let max = outcome.iter().copied().fold(0.0, f64::max);
        let t3 = Instant::now();
        let mut names = Vec::new();
        for (vi, s) in scores.iter().enumerate() {
            let picked: Vec<f64> = sample.iter().map(|v| s[v.index()]).collect();
            let r = ranking_metrics(&picked, &outcome, Some(&tiers), options, options.seed);
            if vi == 0 {
                names = metric_names(&r);
            }
            for (k, v) in r {
                metrics[vi].insert(format!("{prefix}: {k}"), v);
            }
        }
        order.extend(names.into_iter().map(|k| format!("{prefix}: {k}")));
        setup.push(format!(
            "{prefix}: β = {beta:.5}; mean outbreak over the sample {mean:.2}, largest {max:.1}; authenticity below the gate {gate}: {:.1}% of the sample, {:.1}% of its top 100 by outcome; simulation {simulated:.1} s ({} runs), metrics {:.1} s.",
            100.0 * gated_all,
            100.0 * gated_top,
            sample.len() * runs,
            t3.elapsed().as_secs_f64()
        ));
        by_rate.push((m, mean, max));
        if max <= 1.0 + 1e-9 {
            findings.push(format!(
                "{prefix}: no start node spread at all; the ranking metrics are undefined there."
            ));
        }
    }
    let mut plan_metrics = BTreeMap::new();
    let mut portfolio_order = Vec::new();
    let beta = PORTFOLIO_RATE * beta_c;
    if multipliers.contains(&PORTFOLIO_RATE) && beta.is_finite() && beta <= 1.0 {
        let t4 = Instant::now();
        let ks = portfolio::ks(options.quick);
        let runs = if options.quick {
            QUICK_SET_RUNS
        } else {
            SET_RUNS
        };
        // Quick: only the variants the findings compare the plan with.
        let chosen: Vec<usize> = (0..variants.len())
            .filter(|&i| {
                !options.quick || portfolio::COMPARED.contains(&variants[i].name().as_str())
            })
            .collect();
        let names: Vec<String> = chosen.iter().map(|&i| variants[i].name()).collect();
        let chosen_scores: Vec<Vec<f64>> = chosen.iter().map(|&i| scores[i].clone()).collect();
        let prefix = format!("{} {PORTFOLIO_RATE:.1}βc portfolio", g.name);
        let p = seed_set_portfolio(
            &prefix,
            &engine,
            campaign,
            graph,
            &names,
            &chosen_scores,
            beta,
            ks,
            runs,
            options,
        )?;
        for (&i, m) in chosen.iter().zip(p.outcome.variant_metrics) {
            metrics[i].extend(m);
        }
        plan_metrics = p.outcome.plan_metrics;
        portfolio_order = p.outcome.order;
        findings.extend(p.outcome.findings);
        setup.push(format!(
            "{} {PORTFOLIO_RATE:.1}βc portfolio: seed-set SIR (all k seeds infected at t = 0, γ = 1, β = {beta:.5}) as bond percolation on {runs} live-edge worlds shared by every set; {}; plans {:.1} s, spreads {:.1} s.",
            g.name,
            p.plan_line,
            p.plan_seconds,
            t4.elapsed().as_secs_f64() - p.plan_seconds
        ));
    }
    if !by_rate.is_empty() {
        let n = graph.num_nodes() as f64;
        let parts: Vec<String> = by_rate
            .iter()
            .map(|(m, mean, max)| {
                format!(
                    "{m}βc: mean {mean:.1}, largest {max:.1} ({:.2}% of the accounts)",
                    100.0 * max / n
                )
            })
            .collect();
        let (m0, _, max0) = by_rate[0];
        let note = if m0 < 1.0 && max0 > 0.01 * n {
            " Already below the estimated threshold some start nodes reach more than 1% of the accounts: the configuration-model β_c overestimates the real one here (degree correlations, hubs that endorse hubs), so the rates sit further above the transition than their names say."
        } else {
            ""
        };
        findings.push(format!(
            "{}: outbreak sizes by rate: {}.{note}",
            g.name,
            parts.join("; ")
        ));
    }
    Ok(GraphOutcome {
        metrics,
        order,
        plan_metrics,
        portfolio_order,
        setup,
        findings,
        population: sample.len(),
    })
}

/// What [`seed_set_portfolio`] gives.
pub struct SeedSetPortfolio {
    /// Metrics, the plan's row, findings.
    pub outcome: portfolio::PortfolioOutcome,
    /// The plans, per `k`, in order of choice.
    pub plans: Vec<Vec<NodeId>>,
    /// The planner's setup line.
    pub plan_line: String,
    /// Seconds spent planning.
    pub plan_seconds: f64,
}

/// The portfolio comparison of one graph (metric names prefixed by
/// `prefix`, e.g. `higgs-retweet 1.0βc portfolio`): the planner's set (IMM,
/// independent cascade with constant probability `beta` on `graph`, which
/// must be the endorsement view of `engine`, under `campaign`) against
/// each variant's top `k` (`names`, `scores` over every account), every set
/// evaluated by the seed-set SIR with γ = 1 on the same `runs` live-edge
/// worlds ([`spread_per_world`](portevoix_graph::kernels::influence_max::spread_per_world), audience everyone, seed derived from
/// `options.seed`).
///
/// # Errors
///
/// What the planner and the kernels report.
#[allow(clippy::too_many_arguments)]
pub fn seed_set_portfolio(
    prefix: &str,
    engine: &Engine,
    campaign: &Campaign,
    graph: &LayerGraph,
    names: &[String],
    scores: &[Vec<f64>],
    beta: f64,
    ks: &[usize],
    runs: usize,
    options: &EvalOptions,
) -> Result<SeedSetPortfolio, Error> {
    let t0 = Instant::now();
    let template = PlanOptions {
        model: PlanModel::IndependentCascade,
        rates: RateEstimator::Constant(beta),
        epsilon: if options.quick {
            QUICK_PORTFOLIO_EPSILON
        } else {
            PORTFOLIO_EPSILON
        },
        seed: options.seed,
        max_rr_bytes: PORTFOLIO_MAX_RR_BYTES,
        ..PlanOptions::default()
    };
    let (plans, plan_line) = portfolio::plan_sets(engine, campaign, ks, &template)?;
    let plan_seconds = t0.elapsed().as_secs_f64();
    let model = InfluenceGraph::build(
        graph,
        &InfluenceModelOptions {
            model: DiffusionModel::IndependentCascade,
            probability: EdgeProbability::Constant(beta),
            direction: SpreadDirection::InformationFlow,
        },
    )?;
    let n = graph.num_nodes();
    let everyone = Audience::everyone(n);
    let worlds = MonteCarloOptions {
        runs,
        seed: options.seed ^ WORLD_SALT,
    };
    let evaluate = portfolio::live_edge_evaluator(&model, &everyone, worlds);
    let all: Vec<NodeId> = (0..n as u32).map(NodeId).collect();
    let outcome = portfolio::compare(
        prefix,
        "expected outbreak size",
        names,
        scores,
        &all,
        ks,
        &plans,
        &evaluate,
    )?;
    Ok(SeedSetPortfolio {
        outcome,
        plans,
        plan_line,
        plan_seconds,
    })
}

/// The metric names of one [`ranking_metrics`] result in display order:
/// [`RANKING_METRICS`], then the tier metrics by tier.
fn metric_names(r: &BTreeMap<String, crate::metrics::Interval>) -> Vec<String> {
    let mut names: Vec<String> = RANKING_METRICS.iter().map(|s| s.to_string()).collect();
    let mut tiers: Vec<&String> = r.keys().filter(|k| k.contains("[tier")).collect();
    tiers.sort_by_key(|k| {
        let t: u32 = k
            .split("[tier ")
            .nth(1)
            .and_then(|s| s.trim_end_matches(']').parse().ok())
            .unwrap_or(0);
        (t, k.starts_with("spearman"))
    });
    names.extend(tiers.into_iter().cloned());
    names
}

/// Per graph and rate, which variant has the highest tau-b, and whether
/// its interval overlaps the next one's.
fn summary_findings(results: &[VariantResult], order: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for key in order.iter().filter(|k| k.ends_with(": tau_b")) {
        let mut rows: Vec<(&str, crate::metrics::Interval)> = results
            .iter()
            .filter_map(|r| r.metrics.get(key).map(|i| (r.variant.as_str(), *i)))
            .filter(|(_, i)| i.estimate.is_finite())
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by(|a, b| b.1.estimate.total_cmp(&a.1.estimate));
        let (best, bi) = rows[0];
        let prefix = key.trim_end_matches(": tau_b");
        let mut line = format!(
            "{prefix}: best tau-b {best} {:.3} [{:.3}, {:.3}]",
            bi.estimate, bi.low, bi.high
        );
        if let Some((second, si)) = rows.get(1) {
            line += &format!(
                ", next {second} {:.3} [{:.3}, {:.3}]{}",
                si.estimate,
                si.low,
                si.high,
                if si.high >= bi.low {
                    " (intervals overlap)"
                } else {
                    ""
                }
            );
        }
        if let Some((worst, wi)) = rows.last() {
            line += &format!("; lowest {worst} {:.3}", wi.estimate);
        }
        if let Some(rank) = rows.iter().position(|(n, _)| *n == "contextual_awareness") {
            line += &format!(
                "; contextual_awareness {:.3}, rank {} of {}",
                rows[rank].1.estimate,
                rank + 1,
                rows.len()
            );
        }
        out.push(line + ".");
    }
    out
}
