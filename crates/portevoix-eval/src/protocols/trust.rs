//! Protocol `trust`: do the trust signals separate the accounts that are
//! about to be rated negatively from the others?
//!
//! Data: Bitcoin OTC (`bitcoin-otc/soc-sign-bitcoinotc.csv`, `SOURCE,TARGET,RATING,TIME`,
//! "SOURCE rated TARGET" from −10 to +10), or another signed rating file
//! with times given with `--data` (Bitcoin Alpha); the first file only.
//!
//! Split **by time**: the ratings are sorted by time and the latest
//! [`HOLDOUT_SHARE`] (20%) are held out; the cut is a time `t`, training =
//! ratings strictly before `t`, held-out = ratings at or after `t` (ratings
//! sharing the cut time all go to the held-out side), so every training
//! rating is older than every held-out one. A random split would let the
//! scores see ratings given after the ones they must predict (and, on a
//! reputation market, the same dispute reported twice on both sides).
//!
//! The engine is built from the training ratings only. Population: the
//! accounts rated in the held-out part that already exist in the training
//! network (as rater or rated). Label ("flagged"): the account received at
//! least one negative held-out rating (≤ −1; ratings are integers and 0
//! does not occur): on a trading reputation system one negative rating is a
//! reported dispute, which is what a user of the scores wants to avoid. A
//! second, stricter label is reported too: the mean held-out rating
//! received is negative (`auc[mean<0]`).
//!
//! Scores: the trust signals (`trust.signed_rating` = EigenTrust,
//! `trust.trustrank`, `trust.reciprocity`, `trust.repeated_interaction`,
//! `trust.audience_quality`, `trust.authenticity`), the selected variants,
//! a naive baseline: the mean training rating received
//! (`baseline:mean_rating`, 0 for an account never rated in training), and
//! the rating kernels on the training ratings: fairness–goodness
//! (`kernel:fg.goodness`, `kernel:fg.fairness`; Kumar et al., ICDM 2016) and
//! REV2 (`kernel:rev2.fairness`, `kernel:rev2.goodness`; Kumar et al., WSDM
//! 2018). The `fraud` protocol asks the other question these ratings answer
//! (is the account a fraudster?) and says why the two disagree. The
//! campaign has the former weights of `examples/campaigns/bitcoin-otc.toml`
//! (trust 0.8, reach 0.1, resonance 0.1, default signal shares; the example
//! now has the `fraud` protocol's cross-validated trust-first shares), and
//! not its trusted seeds, which were picked on the whole file: here the seeds are the 5
//! accounts with the most positive **training** ratings received and no
//! negative one (ties on the smaller id), picked by the same rule.
//!
//! Metric: ROC AUC with "higher score = more trustworthy": the probability
//! that an account not flagged scores above a flagged one (ties ½), i.e.
//! the AUC of the score for the non-flagged class. 0.5 is no separation,
//! below 0.5 the score ranks flagged accounts higher. Percentile bootstrap
//! intervals over accounts.

use crate::metrics::{Interval, auc, bootstrap_ci};
use crate::protocol::{EvalOptions, ProtocolReport, VariantResult};
use crate::variants::select;
use portevoix_core::{Error, Layer};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load, load_bytes};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::names::{SignalName, trust as names};
use portevoix_score::signals::{CampaignContext, SignalMatrix, trust};
use portevoix_text::analysis::Analyzer;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Share of the ratings held out (the latest by time).
pub const HOLDOUT_SHARE: f64 = 0.2;
/// Number of trusted seeds picked from the training ratings.
pub const SEEDS: usize = 5;
/// The trust signals evaluated, in report order.
pub const SIGNALS: [SignalName; 6] = [
    names::SIGNED_RATING,
    names::TRUSTRANK,
    names::RECIPROCITY,
    names::REPEATED_INTERACTION,
    names::AUDIENCE_QUALITY,
    names::AUTHENTICITY,
];

/// One rating, with the external ids of both accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// Who rated.
    pub rater: String,
    /// Who was rated.
    pub rated: String,
    /// The rating.
    pub value: f64,
    /// Unix milliseconds.
    pub time_ms: i64,
}

/// The ratings split by time.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Ratings strictly before `cut_ms`, in time order (ties in file order).
    pub train: Vec<Rating>,
    /// Ratings at or after `cut_ms`, in time order.
    pub heldout: Vec<Rating>,
    /// The cut: the time of the rating at position `⌈(1 − share)·n⌉` in time order.
    pub cut_ms: i64,
}

/// Reads a signed rating file with times and splits it by time: the rating
/// at position `⌈(1 − share)·n⌉` (0-based, in time order, stable) gives the
/// cut time; ratings strictly before it train, the others are held out.
///
/// # Errors
///
/// A file that cannot be read, a rating without a time or a value, fewer
/// than 2 ratings.
pub fn split_ratings(path: &Path, share: f64) -> Result<Split, Error> {
    let ds = load(&[(path, Some(FormatKind::Signed))], &ReadOptions::default())?;
    let log = ds.interactions.layer(Layer::Rating);
    let mut all = Vec::with_capacity(log.len());
    for i in 0..log.len() {
        let r = log.get(Layer::Rating, i);
        let (Some(time), Some(value)) = (r.time, r.value) else {
            return Err(Error::argument(
                "data",
                format!(
                    "{}: rating {} has no time or no value; the trust protocol splits by time",
                    path.display(),
                    i + 1
                ),
            ));
        };
        all.push(Rating {
            rater: ds.interner.name(r.actor).to_string(),
            rated: ds.interner.name(r.target).to_string(),
            value: f64::from(value),
            time_ms: time.millis(),
        });
    }
    if all.len() < 2 {
        return Err(Error::argument(
            "data",
            format!("{}: fewer than 2 ratings", path.display()),
        ));
    }
    all.sort_by_key(|r| r.time_ms);
    let at = (((1.0 - share) * all.len() as f64).ceil() as usize).min(all.len() - 1);
    let cut_ms = all[at].time_ms;
    let (train, heldout): (Vec<Rating>, Vec<Rating>) =
        all.into_iter().partition(|r| r.time_ms < cut_ms);
    Ok(Split {
        train,
        heldout,
        cut_ms,
    })
}

/// One account of the held-out population and its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    /// External id.
    pub account: String,
    /// At least one negative held-out rating received (the main label).
    pub negative: bool,
    /// The mean held-out rating received is negative.
    pub mean_negative: bool,
    /// Held-out ratings received.
    pub ratings: usize,
}

/// The held-out population, sorted by external id: the accounts rated in
/// the held-out part that appear in the training ratings (as rater or
/// rated), with their labels.
pub fn labels(split: &Split) -> Vec<Labelled> {
    let known: std::collections::HashSet<&str> = split
        .train
        .iter()
        .flat_map(|r| [r.rater.as_str(), r.rated.as_str()])
        .collect();
    let mut by: BTreeMap<&str, (bool, f64, usize)> = BTreeMap::new();
    for r in &split.heldout {
        if !known.contains(r.rated.as_str()) {
            continue;
        }
        let e = by.entry(r.rated.as_str()).or_insert((false, 0.0, 0));
        e.0 |= r.value < 0.0;
        e.1 += r.value;
        e.2 += 1;
    }
    by.into_iter()
        .map(|(a, (negative, sum, ratings))| Labelled {
            account: a.to_string(),
            negative,
            mean_negative: sum < 0.0,
            ratings,
        })
        .collect()
}

/// The [`SEEDS`] accounts with the most positive training ratings received
/// and no negative one, ties to the smaller external id (numeric when both
/// are numbers).
pub fn training_seeds(split: &Split) -> Vec<String> {
    let mut count: HashMap<&str, (usize, usize)> = HashMap::new();
    for r in &split.train {
        let e = count.entry(r.rated.as_str()).or_default();
        if r.value > 0.0 {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut rows: Vec<(&str, usize)> = count
        .into_iter()
        .filter(|(_, (_, neg))| *neg == 0)
        .map(|(a, (pos, _))| (a, pos))
        .collect();
    let key = |a: &str| (a.parse::<u64>().unwrap_or(u64::MAX), a.to_string());
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| key(a.0).cmp(&key(b.0))));
    rows.into_iter()
        .take(SEEDS)
        .map(|(a, _)| a.to_string())
        .collect()
}

fn campaign(seeds: &[String]) -> Result<Campaign, Error> {
    let seeds: Vec<String> = seeds.iter().map(|s| format!("{s:?}")).collect();
    let text = format!(
        r#"
name = "Trust protocol: trusted traders (training ratings)"
objective = "custom"
employees = []
customers = []
trusted_seeds = [{}]
relevance_floor = 0.0
authenticity_gate = 0.5

[candidates]
min_posts = 0

[weights]
reach = 0.1
resonance = 0.1
relevance = 0.0
trust = 0.8
brand_affinity = 0.0

[topic]
name = "Bitcoin over-the-counter trading"
[topic.keywords]
bitcoin = 1.0
btc = 1.0
otc = 1.0
"#,
        seeds.join(", ")
    );
    Campaign::from_toml_str(&text, "trust campaign")
}

/// The training ratings as a CSV the signed reader takes.
fn training_csv(split: &Split) -> Vec<u8> {
    let mut out = String::with_capacity(split.train.len() * 32);
    for r in &split.train {
        out.push_str(&format!(
            "{},{},{},{}.{:03}\n",
            r.rater,
            r.rated,
            r.value,
            r.time_ms.div_euclid(1000),
            r.time_ms.rem_euclid(1000)
        ));
    }
    out.into_bytes()
}

/// Runs the protocol.
///
/// # Errors
///
/// A data file that cannot be read or has no times, an unknown variant,
/// what the scoring reports.
pub fn run(options: &EvalOptions) -> Result<ProtocolReport, Error> {
    let start = Instant::now();
    let variants = select(options.variants.as_deref())?;
    let path: PathBuf = match options.data.first() {
        Some(p) => p.clone(),
        None => options.dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")?,
    };
    let split = split_ratings(&path, HOLDOUT_SHARE)?;
    let population = labels(&split);
    let seeds = training_seeds(&split);
    let dataset = load_bytes(
        "training.csv",
        training_csv(&split),
        FormatKind::Signed,
        &ReadOptions::default(),
    )?;
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard())?;
    let campaign = campaign(&seeds)?;
    let ctx = CampaignContext::new(&engine, &campaign)?;
    let nodes: Vec<usize> = population
        .iter()
        .map(|p| {
            let a = &p.account;
            engine
                .network()
                .interner()
                .get(a)
                .map(|v| v.index())
                .ok_or_else(|| Error::argument("data", format!("account {a} not in training")))
        })
        .collect::<Result<_, _>>()?;
    // Positive class of the AUC: NOT flagged (higher score = more trusted).
    let good_any: Vec<bool> = population.iter().map(|p| !p.negative).collect();
    let good_mean: Vec<bool> = population.iter().map(|p| !p.mean_negative).collect();
    // Exposure control: the accounts with exactly one held-out rating.
    let single: Vec<usize> = (0..population.len())
        .filter(|&i| population[i].ratings == 1)
        .collect();

    let mut rows: Vec<(String, Vec<f64>)> = Vec::new();
    let signals: Vec<std::sync::Arc<dyn portevoix_score::signals::Signal>> = trust::signals()
        .into_iter()
        .filter(|s| SIGNALS.iter().any(|name| *name == s.name()))
        .collect();
    let matrix = SignalMatrix::compute(&ctx, &signals, &[])?;
    for name in SIGNALS {
        let col = matrix
            .full_column(name)
            .ok_or_else(|| Error::signal(name.as_str(), "missing from the matrix"))?;
        rows.push((format!("signal:{name}"), col.to_vec()));
    }
    // Naive baseline: mean training rating received.
    let mut sum = vec![0.0; engine.num_accounts()];
    let mut cnt = vec![0usize; engine.num_accounts()];
    for r in &split.train {
        if let Some(v) = engine.network().interner().get(&r.rated) {
            sum[v.index()] += r.value;
            cnt[v.index()] += 1;
        }
    }
    let mean_rating: Vec<f64> = sum
        .iter()
        .zip(&cnt)
        .map(|(s, &c)| if c == 0 { 0.0 } else { s / c as f64 })
        .collect();
    rows.push(("baseline:mean_rating".into(), mean_rating));
    // Fairness–goodness and REV2 on the training ratings.
    rows.extend(crate::rating_scores::kernel_rows(engine.network())?);
    for v in &variants {
        rows.push((v.name(), v.scores(&ctx)?));
    }

    let metric_order = vec![
        "auc".to_string(),
        "auc[mean<0]".to_string(),
        "auc[1 rating]".to_string(),
        "distinct".to_string(),
    ];
    let mut results = Vec::new();
    for (name, scores) in &rows {
        let picked: Vec<f64> = nodes.iter().map(|&i| scores[i]).collect();
        let ci_on = |rows: &[usize], labels: &[bool]| -> Interval {
            bootstrap_ci(
                rows.len(),
                |idx| {
                    let s: Vec<f64> = idx.iter().map(|&i| picked[rows[i]]).collect();
                    let l: Vec<bool> = idx.iter().map(|&i| labels[rows[i]]).collect();
                    auc(&s, &l).unwrap_or(f64::NAN)
                },
                options.resamples,
                options.level,
                options.seed,
            )
        };
        let all: Vec<usize> = (0..picked.len()).collect();
        let ci = |labels: &[bool]| ci_on(&all, labels);
        let mut sorted = picked.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        let distinct = sorted.len() as f64;
        let mut metrics = BTreeMap::new();
        metrics.insert("auc".to_string(), ci(&good_any));
        metrics.insert("auc[mean<0]".to_string(), ci(&good_mean));
        metrics.insert("auc[1 rating]".to_string(), ci_on(&single, &good_any));
        metrics.insert(
            "distinct".to_string(),
            Interval {
                estimate: distinct,
                low: distinct,
                high: distinct,
            },
        );
        results.push(VariantResult {
            variant: name.clone(),
            metrics,
        });
    }

    let flagged = population.iter().filter(|p| p.negative).count();
    let flagged_mean = population.iter().filter(|p| p.mean_negative).count();
    let flagged_single = single.iter().filter(|&&i| population[i].negative).count();
    let iso = utc_date;
    let setup = vec![
        format!(
            "Split by time: {} ratings; the latest {:.0}% held out, cut at {} (ratings at or after it held out): {} training ratings (until {}), {} held-out ratings (from {}).",
            split.train.len() + split.heldout.len(),
            HOLDOUT_SHARE * 100.0,
            iso(split.cut_ms),
            split.train.len(),
            split.train.last().map_or_else(String::new, |r| iso(r.time_ms)),
            split.heldout.len(),
            split.heldout.first().map_or_else(String::new, |r| iso(r.time_ms)),
        ),
        format!(
            "Engine built from the training ratings only: {} accounts.",
            engine.num_accounts()
        ),
        format!(
            "Population: {} accounts rated in the held-out part and present in training; flagged (≥ 1 negative held-out rating): {} ({:.1}%); mean held-out rating < 0: {} ({:.1}%).",
            population.len(),
            flagged,
            100.0 * flagged as f64 / population.len().max(1) as f64,
            flagged_mean,
            100.0 * flagged_mean as f64 / population.len().max(1) as f64,
        ),
        format!(
            "Exposure control: {} accounts received exactly one held-out rating, {} of them negative; `auc[1 rating]` is the AUC over them (an account rated often in the held-out period has more chances to receive one negative rating, whatever its trustworthiness).",
            single.len(),
            flagged_single
        ),
        "AUC: probability that a non-flagged account scores above a flagged one (ties ½): higher score = more trusted; 0.5 = no separation. `auc` uses the any-negative label, `auc[mean<0]` the mean-rating label. `distinct` = number of distinct score values over the population (1 = the score is constant there).".to_string(),
        format!(
            "Trusted seeds (TrustRank, EigenTrust pre-trust): the {SEEDS} accounts with the most positive training ratings received and no negative one: {}.",
            seeds.join(", ")
        ),
        "Rows: `signal:<name>` = a trust signal's raw value; `baseline:mean_rating` = mean training rating received (0 if none); `kernel:fg.*` = fairness-goodness and `kernel:rev2.*` = REV2 (default parameters) on the training ratings; the others are the scoring variants (the contextual ones under their objective presets, on the campaign context of the training engine).".to_string(),
    ];
    let findings = findings(&results, options.level);
    let mut seeds_map = BTreeMap::new();
    seeds_map.insert("bootstrap".to_string(), options.seed);
    Ok(ProtocolReport {
        protocol: "trust".into(),
        title: "Trust: held-out (later) Bitcoin OTC ratings; do trust scores separate accounts rated negatively?".into(),
        data: vec![options.data_name(&path)],
        seeds: seeds_map,
        setup,
        population: population.len(),
        metric_order,
        results,
        findings,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// `YYYY-MM-DD HH:MM:SS UTC` of Unix milliseconds (civil-from-days,
/// proleptic Gregorian calendar).
fn utc_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn findings(results: &[VariantResult], level: f64) -> Vec<String> {
    let get = |name: &str| {
        results
            .iter()
            .find(|r| r.variant == name)
            .and_then(|r| r.metrics.get("auc").copied())
    };
    let mut out = Vec::new();
    let ranked = crate::protocol::ranked_by(results, "auc");
    if let Some((best, i)) = ranked.first() {
        out.push(format!(
            "Highest AUC: {best} {:.3} [{:.3}, {:.3}].",
            i.estimate, i.low, i.high
        ));
    }
    if let (Some(e), Some(b)) = (
        get("signal:trust.signed_rating"),
        get("baseline:mean_rating"),
    ) {
        let verdict = if e.low > b.high {
            "beats"
        } else if e.high < b.low {
            "loses to"
        } else {
            "is not distinguishable from"
        };
        out.push(format!(
            "EigenTrust (trust.signed_rating) {:.3} [{:.3}, {:.3}] {verdict} the naive mean training rating {:.3} [{:.3}, {:.3}] (non-overlapping {:.0}% intervals needed to call it).",
            e.estimate,
            e.low,
            e.high,
            b.estimate,
            b.low,
            b.high,
            100.0 * level
        ));
    }
    let below: Vec<&str> = ranked
        .iter()
        .filter(|(_, i)| i.high < 0.5)
        .map(|(n, _)| *n)
        .collect();
    if !below.is_empty() {
        out.push(format!(
            "Below 0.5 with the whole interval (they rank the accounts about to be rated negatively higher): {}. These scores grow with the number of (positive) ratings received, i.e. with trading volume; EigenTrust ignores negative ratings, so on this market it mostly measures volume too. Compare `auc[1 rating]`, where every account had one held-out rating.",
            below.join(", ")
        ));
    }
    for r in results {
        if r.metrics.get("distinct").is_some_and(|d| d.estimate <= 1.0) {
            out.push(format!(
                "{} is constant over the population (AUC 0.5 by construction): the data has nothing it measures.",
                r.variant
            ));
        }
    }
    out
}
