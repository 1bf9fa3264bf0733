//! Protocol `higgs-holdout`: the SNAP Higgs activity log split in time.
//!
//! # Question
//!
//! Scored on the activity before a split time, which accounts will others
//! react to after it?
//!
//! # Split
//!
//! CERN announced the discovery on **4 July 2012 at 09:00 CEST = 07:00 UTC**
//! ([`ANNOUNCEMENT`]); the log covers 1–7 July 2012 (UTC). The split is the
//! announcement itself: training is the build-up (the 1 July rumours and the
//! 2–4 July speculation, 144,056 of the 563,069 rows), the outcome is the
//! announcement burst and the days after (419,013 rows). This is the hard,
//! useful version of the question: the dynamics change at the split (the
//! event rate rises about 2.6-fold, and 45 % of the reactions after it go
//! to accounts never seen before it), so a score must generalise across a
//! regime change instead of extrapolating a steady state. A split inside
//! the burst (e.g. 5 July) would be easier and say less. When the data
//! given in [`EvalOptions::data`] does not hold at least
//! 10 % of its timed rows on each side of the announcement (the bundled
//! sample, which stops on 4 July at 04:12 UTC, or another log), the split is
//! the median row time instead, and the setup says so.
//!
//! # Training, outcome, population
//!
//! - Training: every row with a time strictly before the split, copied into
//!   a fresh dataset (ids interned in time order, so accounts seen only
//!   after the split do not exist in the training engine) and built into an
//!   [`Engine`]. Rows without a time are left out of both sides.
//! - Outcome, per account, from the rows at or after the split, self-loops
//!   excluded (a self-mention is no one's reaction): `reactions` = the
//!   retweets, mentions and replies received (rows, so a tweet that is both
//!   a reply and a mention counts twice, as the log records it), and
//!   `reactors` = the distinct accounts that reacted to it.
//! - Population: the candidates of the training campaign
//!   ([`candidates`]): every account with an interaction in the training
//!   window, **including those with outcome 0**.
//! - Campaign: `examples/campaigns/higgs.toml` (awareness, no text so no
//!   relevance, no brand) with its window set to `[first training row,
//!   split)`.
//! - Tiers: [`audience_tiers`] of the training in-degree (reactions
//!   received before the split, self-loops excluded): tier 0 = never reacted
//!   to, tier 1 = 1–9, tier 2 = 10–99, ... Within-tier correlations ask
//!   whether a score still ranks accounts of similar past popularity.
//!
//! Every variant gets the same bootstrap seed ([`EvalOptions::seed`]), so
//! the resamples are paired across variants.

use super::{HIGGS_CAMPAIGN, HIGGS_CAMPAIGN_NAME};
use crate::data::{self, HIGGS_SAMPLE, Source};
use crate::metrics::Interval;
use crate::protocol::{
    EvalOptions, ProtocolReport, RANKING_METRICS, VariantResult, audience_tiers, ranking_metrics,
};
use crate::variants;
use portevoix_core::{Error, ExternalId, Interaction, Layer, NO_TIME, NodeId, Timestamp};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{Dataset, DatasetBuilder, FormatKind, ReadOptions};
use portevoix_score::campaign::Campaign;
use portevoix_score::context::candidates;
use portevoix_score::engine::Engine;
use portevoix_score::signals::CampaignContext;
use portevoix_text::analysis::Analyzer;
use std::collections::BTreeMap;
use std::time::Instant;

/// CERN's announcement: 2012-07-04T07:00:00Z (09:00 CEST), Unix seconds.
pub const ANNOUNCEMENT: i64 = 1_341_385_200;

/// In quick mode on the bundled sample, only the rows before this time
/// (2012-07-02T12:00:00Z, Unix seconds) are read: the first 36 hours,
/// 7,109 rows, so that the quick run stays small in a debug build.
pub const QUICK_END: i64 = 1_341_230_400;

/// The two outcomes, as metric name prefixes.
pub const OUTCOMES: [&str; 2] = ["reactions", "reactors"];

/// The default data: the full log of the shared datasets (the built-in
/// 60,000-row sample [`HIGGS_SAMPLE`] when `quick`), unless `options.data`
/// names other Higgs activity files.
///
/// # Errors
///
/// No datasets root, or the full log missing from it (not in quick mode).
pub fn data_files(options: &EvalOptions) -> Result<Vec<Source>, Error> {
    data::given_or(options, || {
        Ok(vec![if options.quick {
            Source::Bundled(HIGGS_SAMPLE)
        } else {
            Source::File(options.dataset("higgs-twitter/higgs-activity_time.txt.gz")?)
        }])
    })
}

/// Everything the protocol computes before the metrics, for tests and
/// other reports.
#[derive(Debug)]
pub struct Holdout {
    /// The engine built from the rows before the split.
    pub engine: Engine,
    /// The campaign scored on it (window = the training window).
    pub campaign: Campaign,
    /// The split: training is `< split`, the outcome `>= split`.
    pub split: Timestamp,
    /// Why that split (one line).
    pub split_reason: String,
    /// The population (ascending training id).
    pub population: Vec<NodeId>,
    /// Per training account: rows received at or after the split.
    pub reactions: Vec<f64>,
    /// Per training account: distinct reactors at or after the split.
    pub reactors: Vec<f64>,
    /// Per training account: rows received before the split (tiers).
    pub training_in_degree: Vec<f64>,
    /// Reactions (self-loops excluded) at or after the split received by
    /// accounts absent from training.
    pub outside_reactions: usize,
    /// Rows before / at or after the split / without time.
    pub rows: (usize, usize, usize),
    /// The data read.
    pub files: Vec<Source>,
}

/// Interns an external id of another dataset into `builder`.
pub(crate) fn intern(builder: &mut DatasetBuilder, id: ExternalId<'_>) -> Result<NodeId, Error> {
    match id {
        ExternalId::Numeric(v) => builder.node_u64(v),
        ExternalId::Text(s) => builder.node(s),
    }
}

/// Loads the data, splits it and computes the outcomes.
///
/// # Errors
///
/// A file that cannot be read or parsed, data without timed rows.
pub fn prepare(options: &EvalOptions) -> Result<Holdout, Error> {
    let files = data_files(options)?;
    let full = data::load(&files, FormatKind::Higgs, &ReadOptions::default())?;
    // Every timed row, in time order (then layer, then input order).
    let mut rows: Vec<(i64, usize, usize)> = Vec::new();
    let mut untimed = 0usize;
    for (layer, log) in full.interactions.non_empty() {
        for k in 0..log.len() {
            match log.time.as_ref().map(|t| t[k]) {
                Some(t) if t != NO_TIME => rows.push((t, layer.index(), k)),
                _ => untimed += 1,
            }
        }
    }
    if rows.is_empty() {
        return Err(Error::argument(
            "data",
            "higgs-holdout: the data has no timed interaction",
        ));
    }
    if options.quick && options.data.is_empty() {
        rows.retain(|r| r.0 < QUICK_END * 1000);
    }
    rows.sort_unstable();
    let announcement = ANNOUNCEMENT * 1000;
    let before = rows.partition_point(|r| r.0 < announcement);
    if rows.is_empty() {
        return Err(Error::argument(
            "data",
            "higgs-holdout: no timed row to split",
        ));
    }
    let tenth = rows.len() / 10;
    let (split, split_reason) = if before >= tenth.max(1) && rows.len() - before >= tenth.max(1) {
        (
            Timestamp(announcement),
            "split = CERN's announcement, 2012-07-04T07:00:00Z (09:00 CEST): training is the \
             pre-announcement build-up, the outcome the announcement burst and after (a regime \
             change the scores must generalise across)"
                .to_string(),
        )
    } else {
        let median = rows[rows.len() / 2].0;
        (
            Timestamp(median),
            format!(
                "split = the median row time {} (the announcement 2012-07-04T07:00Z does not leave \
                 10% of the rows on each side of this data: {before} of {} before it)",
                Timestamp(median).to_iso8601(),
                rows.len()
            ),
        )
    };
    let cut = rows.partition_point(|r| r.0 < split.0);

    // Training dataset: rows before the split, ids interned in time order.
    let mut builder = DatasetBuilder::new(Default::default());
    let mut to_train = vec![u32::MAX; full.num_nodes()];
    let mut map = |builder: &mut DatasetBuilder, node: NodeId| -> Result<NodeId, Error> {
        let slot = &mut to_train[node.index()];
        if *slot == u32::MAX {
            *slot = intern(builder, full.interner.name(node))?.0;
        }
        Ok(NodeId(*slot))
    };
    for &(_, layer, k) in &rows[..cut] {
        let layer = Layer::ALL[layer];
        let row = full.interactions.layer(layer).get(layer, k);
        let actor = map(&mut builder, row.actor)?;
        let target = map(&mut builder, row.target)?;
        builder.push(Interaction {
            actor,
            target,
            post: None,
            ..row
        });
    }
    let training: Dataset = builder.finish();
    let n = training.num_nodes();
    let mut training_in_degree = vec![0.0; n];
    for &(_, layer, k) in &rows[..cut] {
        let log = full.interactions.layer(Layer::ALL[layer]);
        if log.actor[k] != log.target[k] {
            training_in_degree[to_train[log.target[k] as usize] as usize] += 1.0;
        }
    }
    // Outcomes, in training ids (accounts absent from training are not in
    // the population and are skipped).
    let mut reactions = vec![0.0; n];
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut outside_reactions = 0;
    for &(_, layer, k) in &rows[cut..] {
        let log = full.interactions.layer(Layer::ALL[layer]);
        let (a, t) = (log.actor[k], log.target[k]);
        let tt = to_train[t as usize];
        if a == t {
            continue;
        }
        if tt == u32::MAX {
            outside_reactions += 1;
            continue;
        }
        reactions[tt as usize] += 1.0;
        pairs.push((tt, a));
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut reactors = vec![0.0; n];
    for (t, _) in pairs {
        reactors[t as usize] += 1.0;
    }

    let engine = Engine::new(training, &BuildOptions::default(), &Analyzer::standard())?;
    let mut campaign = Campaign::from_toml_str(HIGGS_CAMPAIGN, HIGGS_CAMPAIGN_NAME)?;
    campaign.window = Some((Timestamp(rows[0].0), split));
    let population = {
        let ctx = CampaignContext::new(&engine, &campaign)?;
        candidates(&ctx)
    };
    Ok(Holdout {
        engine,
        campaign,
        split,
        split_reason,
        population,
        reactions,
        reactors,
        training_in_degree,
        outside_reactions,
        rows: (cut, rows.len() - cut, untimed),
        files,
    })
}

/// Runs every selected variant on `engine` under `campaign` and compares
/// its scores over `population` with each named outcome (indexed by the
/// engine's dense ids), tiers from `tier_audience`. Returns the rows and
/// the metric order (`outcome:metric`).
pub(crate) fn evaluate(
    engine: &Engine,
    campaign: &Campaign,
    population: &[NodeId],
    outcomes: &[(&str, &[f64])],
    tier_audience: &[f64],
    options: &EvalOptions,
) -> Result<(Vec<VariantResult>, Vec<String>), Error> {
    evaluate_with_scores(
        engine,
        campaign,
        population,
        outcomes,
        tier_audience,
        options,
    )
    .map(|(results, order, _)| (results, order))
}

/// Each variant's scores over every account, in variant order.
pub(crate) type VariantScores = Vec<Vec<f64>>;

/// [`evaluate`], also returning each variant's scores over every account
/// (in variant order), for the portfolio comparisons.
pub(crate) fn evaluate_with_scores(
    engine: &Engine,
    campaign: &Campaign,
    population: &[NodeId],
    outcomes: &[(&str, &[f64])],
    tier_audience: &[f64],
    options: &EvalOptions,
) -> Result<(Vec<VariantResult>, Vec<String>, VariantScores), Error> {
    let selected = variants::select(options.variants.as_deref())?;
    let ctx = CampaignContext::new(engine, campaign)?;
    let pick = |v: &[f64]| -> Vec<f64> { population.iter().map(|a| v[a.index()]).collect() };
    let tiers = audience_tiers(&pick(tier_audience));
    let mut results = Vec::with_capacity(selected.len());
    let mut all_scores = Vec::with_capacity(selected.len());
    for variant in &selected {
        let full = variant.scores(&ctx)?;
        let scores = pick(&full);
        all_scores.push(full);
        let mut metrics = BTreeMap::new();
        for (name, outcome) in outcomes {
            let m = ranking_metrics(&scores, &pick(outcome), Some(&tiers), options, options.seed);
            for (k, v) in m {
                metrics.insert(format!("{name}:{k}"), v);
            }
        }
        results.push(VariantResult {
            variant: variant.name(),
            metrics,
        });
    }
    let mut order = Vec::new();
    for (name, _) in outcomes {
        for m in RANKING_METRICS {
            order.push(format!("{name}:{m}"));
        }
        let mut tiered: Vec<(u32, bool, String)> = results
            .iter()
            .flat_map(|r| r.metrics.keys())
            .filter(|k| k.starts_with(&format!("{name}:")) && k.contains("[tier "))
            .map(|k| {
                let t = k
                    .rsplit("[tier ")
                    .next()
                    .and_then(|s| s.trim_end_matches(']').parse().ok())
                    .unwrap_or(u32::MAX);
                (t, k.contains("spearman"), k.clone())
            })
            .collect();
        tiered.sort();
        tiered.dedup();
        order.extend(tiered.into_iter().map(|(_, _, k)| k));
    }
    Ok((results, order, all_scores))
}

/// Population sizes per tier, for the setup.
pub(crate) fn tier_summary(population: &[NodeId], audience: &[f64]) -> String {
    let tiers = audience_tiers(
        &population
            .iter()
            .map(|a| audience[a.index()])
            .collect::<Vec<_>>(),
    );
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for t in tiers {
        *counts.entry(t).or_default() += 1;
    }
    counts
        .iter()
        .map(|(t, c)| format!("tier {t}: {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn overlap(a: &Interval, b: &Interval) -> bool {
    !(a.low > b.high || b.low > a.high)
}

/// Findings computed from the table: for each outcome and headline metric,
/// the winner, the best contextual variant against the baseline and the
/// best classic graph score, with whether their intervals overlap. The
/// intervals are marginal: overlapping intervals do not prove equality (the
/// resamples are paired, so a difference can be consistent even when the
/// intervals overlap), disjoint ones do show a difference.
pub(crate) fn auto_findings(results: &[VariantResult], outcomes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let is_pv = |n: &str| n == "baseline" || n.starts_with("contextual_");
    for outcome in outcomes {
        for metric in ["ndcg@100", "precision@100", "spearman", "tau_b"] {
            let key = format!("{outcome}:{metric}");
            let get = |r: &VariantResult| r.metrics.get(&key).copied();
            let best = |filter: &dyn Fn(&str) -> bool| {
                results
                    .iter()
                    .filter(|r| filter(&r.variant))
                    .filter_map(|r| get(r).filter(|i| !i.estimate.is_nan()).map(|i| (r, i)))
                    .max_by(|a, b| a.1.estimate.total_cmp(&b.1.estimate))
            };
            let Some((winner, wi)) = best(&|_| true) else {
                continue;
            };
            let mut line = format!(
                "{key}: best {} {:.3} [{:.3}, {:.3}]",
                winner.variant, wi.estimate, wi.low, wi.high
            );
            let ctx = best(&|n: &str| n.starts_with("contextual_"));
            let base = best(&|n: &str| n == "baseline");
            let classic = best(&|n: &str| !is_pv(n));
            if let Some((c, ci)) = ctx {
                for (o, oi) in [base, classic].into_iter().flatten() {
                    line.push_str(&format!(
                        "; {} {:.3} vs {} {:.3} ({:+.3}, marginal intervals {})",
                        c.variant,
                        ci.estimate,
                        o.variant,
                        oi.estimate,
                        ci.estimate - oi.estimate,
                        if overlap(&ci, &oi) {
                            "overlap"
                        } else {
                            "disjoint"
                        }
                    ));
                }
            }
            out.push(line);
        }
    }
    out
}

/// Findings on the scale: for each outcome and head metric, every
/// contextual variant (log-ranks) beside the same objective with
/// percentiles, so the report shows what the scale changes at the top.
pub(crate) fn scale_findings(results: &[VariantResult], outcomes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for outcome in outcomes {
        for metric in ["precision@100", "ndcg@100", "tau_b"] {
            let key = format!("{outcome}:{metric}");
            let get = |name: &str| {
                results
                    .iter()
                    .find(|r| r.variant == name)
                    .and_then(|r| r.metrics.get(&key).copied())
            };
            let pairs: Vec<String> = results
                .iter()
                .filter(|r| {
                    r.variant.starts_with("contextual_") && !r.variant.ends_with("_percentile")
                })
                .filter_map(|r| {
                    let log = get(&r.variant)?;
                    let pct = get(&format!("{}_percentile", r.variant))?;
                    Some(format!(
                        "{} {:.3} with log-ranks, {:.3} with percentiles",
                        r.variant.trim_start_matches("contextual_"),
                        log.estimate,
                        pct.estimate
                    ))
                })
                .collect();
            if !pairs.is_empty() {
                out.push(format!("scale, {key}: {}", pairs.join("; ")));
            }
        }
    }
    out
}

/// Runs the protocol.
///
/// # Errors
///
/// A file that cannot be read, an unknown variant, a scoring error.
pub fn run(options: &EvalOptions) -> Result<ProtocolReport, Error> {
    let started = Instant::now();
    let h = prepare(options)?;
    let (results, metric_order) = evaluate(
        &h.engine,
        &h.campaign,
        &h.population,
        &[("reactions", &h.reactions), ("reactors", &h.reactors)],
        &h.training_in_degree,
        options,
    )?;
    let positive = |v: &[f64]| h.population.iter().filter(|a| v[a.index()] > 0.0).count();
    let pop_reactions: f64 = h.population.iter().map(|a| h.reactions[a.index()]).sum();
    let (train_rows, test_rows, untimed) = h.rows;
    let mut setup = vec![
        h.split_reason.clone(),
        format!(
            "training: {train_rows} rows strictly before {} ({} accounts in the training engine); \
             outcome: {test_rows} rows at or after it; {untimed} rows without time ignored",
            h.split.to_iso8601(),
            h.engine.num_accounts()
        ),
        "outcome `reactions`: retweets + mentions + replies received at or after the split \
         (rows, self-loops excluded); outcome `reactors`: distinct accounts reacting to it"
            .to_string(),
        format!(
            "population: the {} candidates of the training campaign (accounts with an interaction \
             before the split), including those with outcome 0: {} have reactions > 0, and they \
             receive {pop_reactions} of the {test_rows} outcome rows",
            h.population.len(),
            positive(&h.reactions)
        ),
        "campaign: examples/campaigns/higgs.toml (awareness; no text, so relevance is 0 for \
         everyone; no brand) with its window set to [first row, split)"
            .to_string(),
        format!(
            "tiers: audience_tiers of the training in-degree (reactions received before the \
             split); {}",
            tier_summary(&h.population, &h.training_in_degree)
        ),
        format!(
            "intervals: percentile bootstrap over accounts, {} resamples, level {}, the same seed \
             for every variant (paired resamples)",
            options.resamples, options.level
        ),
    ];
    if options.quick {
        setup.push(
            "quick: the rows of the bundled 60,000-row sample before 2012-07-02T12:00Z (the \
             first 36 hours, before the rumour burst)"
                .to_string(),
        );
    }
    let mut findings = auto_findings(&results, &OUTCOMES);
    findings.extend(scale_findings(&results, &OUTCOMES));
    findings.extend([
        "the ground truth is reactions, which the baseline and reach scores measure directly \
         before the split (past reactions predict future ones); the contextual score adds \
         relevance (no text here: constant), trust and brand affinity (no brand: constant) and \
         an authenticity gate, which can only add noise to that prediction on this data"
            .to_string(),
        "why the scale matters at the top: percentiles (Klout's normalisation, the \
         `_percentile` variants) saturate for the head: every account in the top 1% of a \
         signal gets a value within 0.01 of the first, and rate-like signals of the other families lift small accounts above them; log-ranks \
         (the default scale) keep one order of magnitude of rank apart (the 10th account 0.82, \
         the 1,000th 0.45 of a pool of 300,000), and the head of the contextual ranking is \
         again the accounts reacted to most. The rank correlations over all accounts barely \
         change: the tail is ordered the same way by both scales"
            .to_string(),
        "so contextual scoring does not beat the baseline or in-degree on this protocol, and \
         should not be expected to: the outcome is future reactions, which the baseline \
         measures directly; with log-ranks the contextual score stays within their intervals at \
         the top and close to the baseline in rank correlation, while rejecting the inauthentic \
         accounts the baseline rewards (see the manipulation protocol)"
            .to_string(),
        format!(
            "accounts first seen at or after the split receive {} of the {test_rows} outcome \
             reactions and are outside the population: no score built from the training window \
             can rank them; within the population the metrics above apply",
            h.outside_reactions
        ),
    ]);
    Ok(ProtocolReport {
        protocol: "higgs-holdout".to_string(),
        title: "Higgs temporal holdout: who is reacted to after the split, scored before it"
            .to_string(),
        data: h.files.iter().map(|f| f.name(options)).collect(),
        seeds: BTreeMap::from([("bootstrap".to_string(), options.seed)]),
        setup,
        population: h.population.len(),
        metric_order,
        results,
        findings,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The report as a plain-text table (one row per variant, one column per
/// metric of `prefix`), for logs and tests.
pub fn table(report: &ProtocolReport, prefix: &str) -> String {
    let cols: Vec<&String> = report
        .metric_order
        .iter()
        .filter(|m| m.starts_with(prefix))
        .collect();
    let mut s = String::new();
    for c in &cols {
        s.push_str(&format!("| {} ", &c[prefix.len()..]));
    }
    let mut out = format!("| variant {s}|\n");
    out.push_str(&"|---".repeat(cols.len() + 1));
    out.push_str("|\n");
    for r in &report.results {
        out.push_str(&format!("| {} ", r.variant));
        for c in &cols {
            match r.metrics.get(*c) {
                Some(i) => out.push_str(&format!(
                    "| {:.3} [{:.3}, {:.3}] ",
                    i.estimate, i.low, i.high
                )),
                None => out.push_str("| – "),
            }
        }
        out.push_str("|\n");
    }
    out
}
