//! Protocol `cascades`: Twitter15 (or Twitter16) propagation trees split in
//! time.
//!
//! # Question
//!
//! Scored on the cascades that started before a split time, whose later
//! posts are re-shared, and whose later cascades grow large?
//!
//! # Split
//!
//! Tweet ids are Twitter snowflakes: a cascade's start is its source
//! tweet's id decoded ([`Timestamp::from_snowflake`]). The split is the
//! **median cascade start** (2014-11-25 for Twitter15): half the cascades
//! train, half give the outcome. A fixed date would not transfer to
//! Twitter16 or to a subset, and the cascades are unevenly spread
//! (2011–2016, two thirds in 2014 and 2016), so the median is the only
//! choice that keeps both sides populated whatever the data.
//!
//! # Training, outcome, population
//!
//! - Training: the cascades whose start is strictly before the split, with
//!   their edges whose time (start + delay) is also before it (a cascade
//!   that started before the split but was still growing after it loses its
//!   late edges). They are copied into a fresh dataset (interactions child
//!   → parent, as the Twitter15 reader makes them: a re-share when the
//!   child's tweet is the source tweet, else a reply) and built into an
//!   [`Engine`]. Cascades without a snowflake start are left out.
//! - Outcomes, per user, from the cascades starting at or after the split
//!   (all their edges): `reshares` = the edges in which the user is the
//!   parent (the re-shares and replies its later posts, or the copies it
//!   passed on, received; the root's direct re-shares included), and
//!   `cascade_size` = the total number of distinct users (root excluded)
//!   in the later cascades the user roots.
//! - Population: the candidates of the training campaign ([`candidates`]):
//!   every user with an edge in a training cascade, **including those with
//!   outcome 0** (almost all: most users appear in one cascade only).
//! - Campaign: awareness, topic "news" (keyword `news`): the trees carry
//!   no text (the archive's `source_tweets.txt` is not in the shared copy),
//!   so relevance is 0 for everyone and the topic only makes the campaign
//!   valid; no brand.
//! - Tiers: [`audience_tiers`] of the training in-degree (edges received as
//!   parent before the split, self-loops excluded).
//!
//! # Portfolio
//!
//! The seed-set version ([`portfolio`](super::portfolio)): for k = 10, 25,
//! 50 (quick: 10, 25) the campaign planner chooses `k` people together on
//! the training engine (IMM, independent cascade with weighted-cascade
//! probabilities on the training re-share view, the protocol's campaign and
//! gates, ε = [`PORTFOLIO_EPSILON`]) and every variant proposes its top `k`
//! of the population. Each set is measured two ways:
//!
//! - **observed** (`later audience: spread@k`): the number of distinct
//!   accounts that, in a cascade starting at or after the split, re-shared
//!   or replied to a member of the set (an edge whose parent is a member,
//!   self-loops excluded): the union of the members' later audiences, so
//!   two members re-shared by the same people count them once. No model,
//!   no simulation: what the set's later posts actually gathered. Most
//!   training accounts post nothing later, so this tests whether a set
//!   holds the accounts that keep being re-shared, and whether they share
//!   their re-sharers;
//! - **simulated** (`IC spread (training): spread@k`): the expected spread
//!   of the set on the training re-share view under the planner's own model
//!   (independent cascade, weighted cascade), on [`SET_RUNS`] live-edge
//!   worlds shared by every set (quick: [`QUICK_SET_RUNS`]). In-sample for
//!   the plan, which optimised it: it shows how much the overlap costs the
//!   rankings under the model, not a prediction.

use super::higgs_holdout::{
    auto_findings, evaluate_with_scores, intern, scale_findings, table, tier_summary,
};
use super::portfolio;
use crate::metrics::Interval;
use crate::protocol::{EvalOptions, ProtocolReport, VariantResult};
use portevoix_core::{Cascade, CascadeEdge, Error, Interaction, Layer, NodeId, Timestamp};
use portevoix_graph::BuildOptions;
use portevoix_graph::kernels::influence_max::{
    Audience, InfluenceGraph, InfluenceModelOptions, MonteCarloOptions,
};
use portevoix_ingest::{
    Dataset, DatasetBuilder, FormatKind, ReadOptions, load, read_path, twitter15,
};
use portevoix_score::campaign::{Campaign, CandidateFilter, Objective};
use portevoix_score::context::candidates;
use portevoix_score::engine::Engine;
use portevoix_score::engine::views;
use portevoix_score::plan::PlanOptions;
use portevoix_score::signals::CampaignContext;
use portevoix_text::analysis::Analyzer;
use portevoix_text::topic::Topic;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// The two outcomes, as metric name prefixes.
pub const OUTCOMES: [&str; 2] = ["reshares", "cascade_size"];

/// Live-edge worlds per set of the simulated portfolio spread (full run).
pub const SET_RUNS: usize = 10_000;
/// Live-edge worlds per set in quick mode.
pub const QUICK_SET_RUNS: usize = 1_000;
/// IMM's ε for the portfolio's plans.
pub const PORTFOLIO_EPSILON: f64 = 0.1;
/// Salt of the portfolio's worlds (not the planner's reverse-reachable sets).
const WORLD_SALT: u64 = 0xca5c_ade5_0000_0001;

/// In quick mode, this many smallest tree files are read (by size,
/// then name): small cascades keep the population small in a debug build,
/// and some of their roots repeat (5 users root two or more of the 80).
pub const QUICK_TREES: usize = 80;

/// The tree files of the quick version: the [`QUICK_TREES`] smallest of
/// `dir/tree` (by size, then name), in name order.
///
/// # Errors
///
/// The directory cannot be listed.
pub fn quick_tree_files(dir: &std::path::Path) -> Result<Vec<PathBuf>, Error> {
    twitter15::smallest_tree_files(dir, QUICK_TREES)
}

/// The default data: the Twitter15 trees of the shared datasets (the
/// [`QUICK_TREES`] smallest when `quick`), unless `options.data` names
/// other tree directories or files (e.g. Twitter16).
///
/// # Errors
///
/// No datasets root, or the trees missing from it.
pub fn data_files(options: &EvalOptions) -> Result<Vec<PathBuf>, Error> {
    if !options.data.is_empty() {
        return Ok(options.data.clone());
    }
    Ok(vec![
        options.dataset("twitter15-cascades/twitter15/twitter15")?,
    ])
}

/// The name of the cascade data read, for titles: `Twitter15` or
/// `Twitter16` when a path names one (the published directories are
/// `twitter15/` and `twitter16/`), else the directory's or file's own name;
/// several data sets are joined with ` + `.
pub fn data_label(files: &[PathBuf]) -> String {
    let mut labels: Vec<String> = Vec::new();
    for f in files {
        let named = f.components().rev().find_map(|c| {
            let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            let digits = c.strip_prefix("twitter")?;
            (digits.len() == 2 && digits.chars().all(|d| d.is_ascii_digit()))
                .then(|| format!("Twitter{digits}"))
        });
        let label = named.unwrap_or_else(|| {
            f.file_stem().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        });
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(" + ")
}

/// Everything the protocol computes before the metrics.
#[derive(Debug)]
pub struct Split {
    /// The engine built from the training cascades.
    pub engine: Engine,
    /// The campaign scored on it.
    pub campaign: Campaign,
    /// The split time.
    pub split: Timestamp,
    /// The population (ascending training id).
    pub population: Vec<NodeId>,
    /// Per training account: edges as parent in later cascades.
    pub reshares: Vec<f64>,
    /// Per training account: distinct users in the later cascades it roots.
    pub cascade_size: Vec<f64>,
    /// Per training account: the accounts (ids of the data read, sorted,
    /// distinct) that re-shared or replied to it in a later cascade (edges
    /// with it as parent, self-loops excluded).
    pub later_audience: Vec<Vec<u32>>,
    /// Per training account: edges received as parent before the split.
    pub training_in_degree: Vec<f64>,
    /// Cascades: training, outcome, without start.
    pub cascades: (usize, usize, usize),
    /// Edges of training cascades dropped because they are at or after the
    /// split.
    pub late_edges: usize,
    /// Edges (with a parent) whose parent is the cascade's root author, and
    /// all edges with a parent, over every cascade read.
    pub root_parent: (usize, usize),
    /// The name of the data, for titles ([`data_label`]).
    pub label: String,
    /// The files read.
    pub files: Vec<PathBuf>,
}

fn read(options: &EvalOptions, files: &[PathBuf]) -> Result<Dataset, Error> {
    let read = ReadOptions::default();
    if !(options.quick && options.data.is_empty()) {
        let inputs: Vec<(&std::path::Path, Option<FormatKind>)> = files
            .iter()
            .map(|p| (p.as_path(), Some(FormatKind::Twitter15)))
            .collect();
        return load(&inputs, &read);
    }
    let mut builder = DatasetBuilder::new(read.mode);
    for p in &quick_tree_files(&files[0])? {
        read_path(p, FormatKind::Twitter15, &read, &mut builder)?;
    }
    Ok(builder.finish())
}

fn edge_time(c: &Cascade, e: &CascadeEdge) -> Option<i64> {
    let ms = (e.delay_minutes * 60_000.0).round();
    c.start.filter(|_| ms.abs() < 1e15).map(|s| s.0 + ms as i64)
}

/// Loads the trees, splits them and computes the outcomes.
///
/// # Errors
///
/// A file that cannot be read, no cascade with a start time.
pub fn prepare(options: &EvalOptions) -> Result<Split, Error> {
    let files = data_files(options)?;
    let full = read(options, &files)?;
    let mut starts: Vec<i64> = full
        .cascades
        .iter()
        .filter_map(|c| c.start)
        .map(|t| t.0)
        .collect();
    if starts.is_empty() {
        return Err(Error::argument(
            "data",
            "cascades: no cascade with a snowflake start time",
        ));
    }
    starts.sort_unstable();
    let split = Timestamp(starts[starts.len() / 2]);
    let undated = full.cascades.len() - starts.len();
    let (early, late): (Vec<&Cascade>, Vec<&Cascade>) = full
        .cascades
        .iter()
        .filter(|c| c.start.is_some())
        .partition(|c| c.start.is_some_and(|s| s < split));
    // Training: early cascades, edges before the split.
    let mut builder = DatasetBuilder::new(Default::default());
    let mut to_train = vec![u32::MAX; full.num_nodes()];
    let mut map = |builder: &mut DatasetBuilder, node: NodeId| -> Result<NodeId, Error> {
        let slot = &mut to_train[node.index()];
        if *slot == u32::MAX {
            *slot = intern(builder, full.interner.name(node))?.0;
        }
        Ok(NodeId(*slot))
    };
    let mut late_edges = 0;
    let mut first = split.0;
    let mut in_degree_rows: Vec<u32> = Vec::new();
    for c in &early {
        let mut kept = Cascade {
            source_post: c.source_post.clone(),
            root: None,
            start: c.start,
            label: c.label.clone(),
            edges: Vec::new(),
        };
        for e in &c.edges {
            let Some(t) = edge_time(c, e) else { continue };
            if t >= split.0 {
                late_edges += 1;
                continue;
            }
            first = first.min(t);
            let child = map(&mut builder, e.child)?;
            let parent = match e.parent {
                Some(p) => Some(map(&mut builder, p)?),
                None => None,
            };
            if let Some(parent) = parent {
                let layer = if e.child_post == c.source_post {
                    Layer::Repost
                } else {
                    Layer::Reply
                };
                builder.push(Interaction {
                    time: Some(Timestamp(t)),
                    ..Interaction::new(child, parent, layer)
                });
                if parent != child {
                    in_degree_rows.push(parent.0);
                }
            }
            kept.edges.push(CascadeEdge {
                parent,
                child,
                ..e.clone()
            });
        }
        kept.root = c.root.map(|r| map(&mut builder, r)).transpose()?;
        builder.add_cascade(kept);
    }
    let training = builder.finish();
    let n = training.num_nodes();
    let mut training_in_degree = vec![0.0; n];
    for p in in_degree_rows {
        training_in_degree[p as usize] += 1.0;
    }
    // Outcomes from the later cascades, in training ids.
    let train_id = |node: NodeId| -> Option<usize> {
        let t = to_train[node.index()];
        (t != u32::MAX).then_some(t as usize)
    };
    let mut reshares = vec![0.0; n];
    let mut cascade_size = vec![0.0; n];
    let mut later_audience: Vec<Vec<u32>> = vec![Vec::new(); n];
    for c in &late {
        let mut users: Vec<u32> = Vec::new();
        for e in &c.edges {
            if let Some(p) = e.parent
                && p != e.child
                && let Some(t) = train_id(p)
            {
                reshares[t] += 1.0;
                later_audience[t].push(e.child.0);
            }
            if Some(e.child) != c.root {
                users.push(e.child.0);
            }
        }
        users.sort_unstable();
        users.dedup();
        if let Some(t) = c.root.and_then(train_id) {
            cascade_size[t] += users.len() as f64;
        }
    }
    for a in &mut later_audience {
        a.sort_unstable();
        a.dedup();
    }
    // The training window: from the earliest training edge (negative delays
    // included) to the split.
    let window_from = Timestamp(first);
    let label = data_label(&files);
    let root_parent = (
        full.cascades
            .iter()
            .flat_map(|c| {
                c.edges
                    .iter()
                    .filter(move |e| e.parent.is_some() && e.parent == c.root)
            })
            .count(),
        full.cascades
            .iter()
            .flat_map(|c| c.edges.iter().filter(|e| e.parent.is_some()))
            .count(),
    );
    let campaign = Campaign::builder(&format!("{label} cascades: awareness"))
        .topic(Topic::new("news").with_keyword("news", 1.0))
        .objective(Objective::Awareness)
        .candidates(CandidateFilter::default())
        .window(window_from, split)
        .build()?;
    let engine = Engine::new(training, &BuildOptions::default(), &Analyzer::standard())?;
    let population = {
        let ctx = CampaignContext::new(&engine, &campaign)?;
        candidates(&ctx)
    };
    Ok(Split {
        engine,
        campaign,
        split,
        population,
        reshares,
        cascade_size,
        later_audience,
        training_in_degree,
        cascades: (early.len(), late.len(), undated),
        late_edges,
        root_parent,
        label,
        files,
    })
}

/// Runs the protocol.
///
/// # Errors
///
/// A file that cannot be read, an unknown variant, a scoring error.
pub fn run(options: &EvalOptions) -> Result<ProtocolReport, Error> {
    let started = Instant::now();
    let s = prepare(options)?;
    let (mut results, mut metric_order, scores) = evaluate_with_scores(
        &s.engine,
        &s.campaign,
        &s.population,
        &[("reshares", &s.reshares), ("cascade_size", &s.cascade_size)],
        &s.training_in_degree,
        options,
    )?;
    let names: Vec<String> = results.iter().map(|r| r.variant.clone()).collect();
    let p = portfolio_comparison(&s, &names, &scores, options)?;
    let positive = |v: &[f64]| s.population.iter().filter(|a| v[a.index()] > 0.0).count();
    let (early, late, undated) = s.cascades;
    let mut setup = vec![
        format!(
            "split = the median cascade start {} (snowflake time of the source tweet): {early} \
             cascades start before it (training), {late} at or after it (outcome); {undated} \
             cascades without a snowflake start ignored",
            s.split.to_iso8601()
        ),
        format!(
            "training: the edges of the earlier cascades timed (start + delay) before the split \
             ({} accounts in the training engine); {} late edges of earlier cascades dropped",
            s.engine.num_accounts(),
            s.late_edges
        ),
        "outcome `reshares`: edges of later cascades in which the user is the parent (re-shares \
         and replies its content received, self-loops excluded); outcome `cascade_size`: distinct \
         users (root excluded) of the later cascades the user roots"
            .to_string(),
        format!(
            "population: the {} candidates of the training campaign (users with an edge in an \
             earlier cascade), including those with outcome 0: {} have reshares > 0, {} root a \
             later cascade",
            s.population.len(),
            positive(&s.reshares),
            positive(&s.cascade_size)
        ),
        "campaign: awareness, topic keyword `news` only to make it valid: the trees carry no \
         text, so relevance is 0 for everyone; no brand"
            .to_string(),
        format!(
            "tiers: audience_tiers of the training in-degree (edges received as parent before the \
             split); {}",
            tier_summary(&s.population, &s.training_in_degree)
        ),
        format!(
            "intervals: percentile bootstrap over accounts, {} resamples, level {}, the same seed \
             for every variant (paired resamples)",
            options.resamples, options.level
        ),
    ];
    if options.quick && options.data.is_empty() {
        setup.push(format!(
            "quick: the {QUICK_TREES} smallest Twitter15 tree files"
        ));
    }
    setup.push(format!(
        "portfolio: {}; observed = distinct accounts that re-shared or replied to a member in a \
         later cascade (union over the set, no simulation); simulated = expected spread on the \
         training re-share view (independent cascade, weighted cascade) on {} live-edge worlds \
         shared by every set, in-sample for the plan",
        p.plan_line, p.runs,
    ));
    let mut findings = auto_findings(&results, &OUTCOMES);
    findings.extend(scale_findings(&results, &OUTCOMES));
    findings.extend(p.findings);
    for (r, (observed, simulated)) in results.iter_mut().zip(p.variant_metrics) {
        r.metrics.extend(observed);
        r.metrics.extend(simulated);
    }
    results.push(VariantResult {
        variant: portfolio::PLAN_ROW.to_string(),
        metrics: p.plan_metrics,
    });
    metric_order.extend(p.order);
    findings.extend([
        format!(
            "the outcome is concentrated: {} of the {} accounts of the population have \
             reshares > 0 and {} root a later cascade; for the rest the outcome is 0, so the \
             correlations over all accounts mostly measure how a score separates those few from \
             the crowd, and the within-tier correlations are the sharper test",
            positive(&s.reshares),
            s.population.len(),
            positive(&s.cascade_size)
        ),
        format!(
            "in the {} trees {:.0}% of the edges read ({} of {}) have the root's author as parent \
             (a retweet carries the source id), so the in-degree before the split is mostly the \
             count of past re-shares of one's own posts: in-degree, HITS authority and the \
             baseline measure the outcome's own past, while relevance (no text) and brand \
             affinity (no brand) are constant here",
            s.label,
            100.0 * s.root_parent.0 as f64 / s.root_parent.1.max(1) as f64,
            s.root_parent.0,
            s.root_parent.1
        ),
        "the scale: with percentiles (the `_percentile` variants) the contextual score fails \
         at the top while its rank correlations match the baseline's, because the reach \
         percentiles saturate for the head and, with relevance and brand constant, the \
         rate-like resonance and trust signals then decide the head, where they favour small \
         accounts that root no later cascade; log-ranks (the default) keep the head apart. \
         With either scale contextual scoring does not beat HITS authority on this protocol: \
         the outcome is re-shares, which the re-share in-degree before the split measures \
         directly, and HITS weighs re-shares by who re-shares"
            .to_string(),
    ]);
    Ok(ProtocolReport {
        protocol: "cascades".to_string(),
        title: format!(
            "{} cascades: later re-shares and cascade sizes, scored on earlier cascades",
            s.label
        ),
        data: s.files.iter().map(|p| options.data_name(p)).collect(),
        seeds: BTreeMap::from([("bootstrap".to_string(), options.seed)]),
        setup,
        population: s.population.len(),
        metric_order,
        results,
        findings,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// What [`portfolio_comparison`] gives.
pub struct CascadePortfolio {
    /// Per variant: the observed and the simulated metrics.
    pub variant_metrics: Vec<(BTreeMap<String, Interval>, BTreeMap<String, Interval>)>,
    /// The plan's row.
    pub plan_metrics: BTreeMap<String, Interval>,
    /// Metric names in display order.
    pub order: Vec<String>,
    /// The comparisons in words.
    pub findings: Vec<String>,
    /// The plans per `k`, in order of choice (training ids).
    pub plans: Vec<Vec<NodeId>>,
    /// The planner's setup line.
    pub plan_line: String,
    /// Seconds spent planning.
    pub plan_seconds: f64,
    /// Live-edge worlds per set of the simulated spread.
    pub runs: usize,
}

/// The observed later audience of a set: distinct accounts that re-shared
/// or replied to a member in a later cascade.
pub fn observed_reach(split: &Split, set: &[NodeId]) -> usize {
    let mut all: Vec<u32> = set
        .iter()
        .flat_map(|v| split.later_audience[v.index()].iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all.len()
}

/// The portfolio comparison (see the [module docs](self)): the plan's set
/// and each variant's top `k` of the population (`names`, `scores` over
/// every training account), observed and simulated.
///
/// # Errors
///
/// What the planner and the kernels report.
pub fn portfolio_comparison(
    split: &Split,
    names: &[String],
    scores: &[Vec<f64>],
    options: &EvalOptions,
) -> Result<CascadePortfolio, Error> {
    let ks = portfolio::ks(options.quick);
    let runs = if options.quick {
        QUICK_SET_RUNS
    } else {
        SET_RUNS
    };
    let t0 = Instant::now();
    let template = PlanOptions {
        epsilon: PORTFOLIO_EPSILON,
        seed: options.seed,
        ..PlanOptions::default()
    };
    let (plans, plan_line) = portfolio::plan_sets(&split.engine, &split.campaign, ks, &template)?;
    let plan_seconds = t0.elapsed().as_secs_f64();
    let observed =
        |set: &[NodeId]| -> Result<Vec<f64>, Error> { Ok(vec![observed_reach(split, set) as f64]) };
    let view = views::endorsement(split.engine.network())?;
    let model = InfluenceGraph::build(&view, &InfluenceModelOptions::default())?;
    let everyone = Audience::everyone(view.num_nodes());
    let worlds = MonteCarloOptions {
        runs,
        seed: options.seed ^ WORLD_SALT,
    };
    let simulated = portfolio::live_edge_evaluator(&model, &everyone, worlds);
    let a = portfolio::compare(
        "later audience",
        "observed later audience",
        names,
        scores,
        &split.population,
        ks,
        &plans,
        &observed,
    )?;
    let b = portfolio::compare(
        "IC spread (training)",
        "expected spread on the training view",
        names,
        scores,
        &split.population,
        ks,
        &plans,
        &simulated,
    )?;
    let mut plan_metrics = a.plan_metrics;
    plan_metrics.extend(b.plan_metrics);
    Ok(CascadePortfolio {
        variant_metrics: a
            .variant_metrics
            .into_iter()
            .zip(b.variant_metrics)
            .collect(),
        plan_metrics,
        order: a.order.into_iter().chain(b.order).collect(),
        findings: a.findings.into_iter().chain(b.findings).collect(),
        plans,
        plan_line,
        plan_seconds,
        runs,
    })
}

/// The report as plain-text tables, one per outcome.
pub fn tables(report: &ProtocolReport) -> String {
    OUTCOMES
        .iter()
        .map(|o| format!("{o}\n{}", table(report, &format!("{o}:"))))
        .collect::<Vec<_>>()
        .join("\n")
}
