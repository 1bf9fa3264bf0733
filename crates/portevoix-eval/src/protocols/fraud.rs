//! Protocol `fraud`: do the trust scores separate the fraudulent users of a
//! rating platform from the benign ones?
//!
//! Data: Bitcoin OTC (`bitcoin-otc/soc-sign-bitcoinotc.csv`, "SOURCE rated
//! TARGET" from −10 to +10) and REV2's ground truth
//! (`bitcoin-otc/rev2-labels.csv`: 136 benign `node,+1`, 180 fraudulent
//! `node,-1`; Kumar et al., WSDM 2018), or, with `--data RATINGS LABELS`,
//! another rating file and another label file of the same formats (Bitcoin
//! Alpha and its labels).
//!
//! **How the labels were made, and what must be removed.** REV2's labels
//! come from the platform itself: its founder and the users he rates highly
//! (at least +5 of 10) are trusted; a user they rate at least +5 is benign,
//! one they rate −5 or below is fraudulent. Scores computed on ratings that
//! include those raters' ratings read the labels back (the mean rating
//! received is then almost the label). So the main setting removes **every
//! rating given by a labelling rater** from the input; the same scores on
//! all ratings are reported beside, for comparison. The labelling raters are
//! found from the data by that rule ([`labelling_raters`]): the founder is
//! the rater whose trusted set reproduces the label file best (on Bitcoin
//! OTC node 1, the platform's founder: 36 raters, every label reproduced, 4
//! users both rated ≥ +5 and ≤ −5 by them settled by the founder's own
//! rating).
//!
//! Population: every labelled user. A labelled user absent from the input
//! once the labelling ratings are gone (rated only by labelling raters, and
//! rating nobody) is added as an account without ratings, so every score
//! gives it what it gives an account it knows nothing about (the contextual
//! score, which only scores the candidates, gives it 0); the `[present]`
//! metrics restrict to the labelled users still present in the ratings (as
//! rater or rated), the only ones the data says anything about.
//!
//! Scores, all "higher = more trustworthy": fairness–goodness
//! (`kernel:fg.goodness`, `kernel:fg.fairness`), REV2 (`kernel:rev2.fairness`,
//! `kernel:rev2.goodness`, default parameters), TrustRank and EigenTrust
//! (`signal:trust.trustrank`, `signal:trust.signed_rating`) from 5 trusted
//! seeds picked from the input by a label-blind rule ([`seeds`]), the
//! account's tenure (`signal:trust.tenure`), the mean rating received
//! (`baseline:mean_rating`) and the number of ratings received
//! (`baseline:ratings_received`), the contextual score under the protocol's
//! trust-first campaign (`contextual_trust_first`, [`campaign`]: the shares
//! and scale of `examples/campaigns/bitcoin-otc.toml`, chosen by
//! cross-validation) and the selected built-in variants.
//!
//! Metrics: ROC AUC with benign as the positive class (the probability that
//! a benign user scores above a fraudulent one, ties ½); average precision
//! of fraud detection (`ap[fraud]`: fraudulent users ranked by lowest score
//! first) and of benign detection (`ap[benign]`); the same on all ratings
//! (`[all ratings]`). Percentile bootstrap intervals over the labelled users.

use crate::metrics::{Interval, auc, average_precision, bootstrap_ci};
use crate::protocol::{EvalOptions, ProtocolReport, VariantResult};
use crate::rating_scores::{kernel_rows, mean_rating_received, ratings_received};
use crate::variants::{Variant, select};
use portevoix_core::{Error, Interaction, Layer, NodeId, Timestamp};
use portevoix_graph::BuildOptions;
use portevoix_ingest::labels::{NodeLabels, read_labels};
use portevoix_ingest::{DatasetBuilder, FormatKind, Mode, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::discover::{DiscoverOptions, discover};
use portevoix_score::engine::Engine;
use portevoix_score::names::Family;
use portevoix_score::signals::{CampaignContext, SignalMatrix, builtin};
use portevoix_text::analysis::Analyzer;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The share of the rating scale from which a labelling rating counts
/// (±5 of 10 on Bitcoin OTC): REV2's rule.
pub const LABEL_SHARE: f64 = 0.5;
/// Agreement with the label file below which the labelling raters are
/// declared not found.
pub const MIN_AGREEMENT: f64 = 0.9;
/// Number of trusted seeds (TrustRank, EigenTrust).
pub const SEEDS: usize = 5;
/// The trust signals read from the score crate, with their row names.
pub const SIGNALS: [(&str, &str); 3] = [
    ("trust.trustrank", "signal:trust.trustrank"),
    ("trust.signed_rating", "signal:trust.signed_rating"),
    ("trust.tenure", "signal:trust.tenure"),
];
/// The metrics, in display order.
pub const METRICS: [&str; 9] = [
    "auc",
    "ap[fraud]",
    "ap[benign]",
    "auc[present]",
    "ap[fraud][present]",
    "ap[benign][present]",
    "auc[all ratings]",
    "ap[fraud][all ratings]",
    "ap[benign][all ratings]",
];

/// One rating, with the external ids of both accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// Who rated.
    pub rater: String,
    /// Who was rated.
    pub rated: String,
    /// The rating.
    pub value: f32,
    /// When, if the file says.
    pub time: Option<Timestamp>,
}

/// Reads a signed rating file (`SOURCE,TARGET,RATING[,TIME]`), in file order.
///
/// # Errors
///
/// What the reader reports; a rating without a value.
pub fn read_ratings(path: &Path) -> Result<Vec<Rating>, Error> {
    let ds = load(&[(path, Some(FormatKind::Signed))], &ReadOptions::default())?;
    let log = ds.interactions.layer(Layer::Rating);
    (0..log.len())
        .map(|i| {
            let r = log.get(Layer::Rating, i);
            let value = r.value.ok_or_else(|| {
                Error::argument(
                    "fraud",
                    format!("{}: rating {} has no value", path.display(), i + 1),
                )
            })?;
            Ok(Rating {
                rater: ds.interner.name(r.actor).to_string(),
                rated: ds.interner.name(r.target).to_string(),
                value,
                time: r.time,
            })
        })
        .collect()
}

/// The raters whose ratings made the labels, as found by REV2's rule.
#[derive(Debug, Clone, PartialEq)]
pub struct LabellingRaters {
    /// The founder: the rater whose trusted set reproduces the labels best.
    pub founder: String,
    /// The founder and every account he rated at least [`LABEL_SHARE`] of
    /// the scale, sorted.
    pub raters: BTreeSet<String>,
    /// The rating from which a labelling rating counts (5 on a ±10 scale).
    pub threshold: f64,
    /// Labelled users the rule labels the same way (users rated both ways
    /// by the labelling raters count as reproduced).
    pub reproduced: usize,
    /// Of those, users rated both ≥ threshold and ≤ −threshold.
    pub both_ways: usize,
    /// Users the rule would label but the file does not.
    pub extra: usize,
}

/// Finds the labelling raters: for every rater `f` who rated a labelled
/// user at least `threshold` in absolute value, the trusted set is `f` and
/// the accounts `f` rated ≥ `threshold`; a user they rate ≥ `threshold` is
/// benign, ≤ −`threshold` fraudulent. The founder is the `f` maximising
/// reproduced − extra labels (ties: fewer raters, then the smaller id).
/// `threshold` is [`LABEL_SHARE`] × the largest absolute rating.
///
/// # Errors
///
/// [`Error::InvalidArgument`] when no rater reproduces at least
/// [`MIN_AGREEMENT`] of the labels: then the labels were not made this way,
/// and which ratings leak them is unknown.
pub fn labelling_raters(ratings: &[Rating], labels: &NodeLabels) -> Result<LabellingRaters, Error> {
    let scale = ratings
        .iter()
        .fold(0.0f64, |m, r| m.max(f64::from(r.value).abs()));
    let threshold = LABEL_SHARE * scale;
    let label: HashMap<&str, bool> = labels
        .labels
        .iter()
        .map(|l| (l.node.as_str(), l.negative))
        .collect();
    let mut strong: HashMap<&str, Vec<(&str, bool)>> = HashMap::new();
    for r in ratings {
        let v = f64::from(r.value);
        if v >= threshold || v <= -threshold {
            strong
                .entry(r.rater.as_str())
                .or_default()
                .push((r.rated.as_str(), v < 0.0));
        }
    }
    let mut candidates: Vec<&str> = strong
        .iter()
        .filter(|(_, rs)| rs.iter().any(|(v, _)| label.contains_key(v)))
        .map(|(f, _)| *f)
        .collect();
    candidates.sort_by_key(|f| id_key(f));
    let mut best: Option<(i64, LabellingRaters)> = None;
    for f in candidates {
        let mut raters: BTreeSet<&str> = BTreeSet::from([f]);
        raters.extend(strong[f].iter().filter(|(_, neg)| !neg).map(|(v, _)| *v));
        let mut verdicts: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
        for t in &raters {
            for &(v, neg) in strong.get(t).map_or(&[][..], Vec::as_slice) {
                let e = verdicts.entry(v).or_default();
                if neg { e.1 = true } else { e.0 = true }
            }
        }
        let (mut reproduced, mut both_ways, mut extra) = (0, 0, 0);
        for (v, (good, bad)) in &verdicts {
            match label.get(v) {
                Some(&neg) if (neg && *bad) || (!neg && *good) => {
                    reproduced += 1;
                    both_ways += usize::from(*good && *bad);
                }
                Some(_) => {}
                None => extra += 1,
            }
        }
        let score = reproduced as i64 - extra as i64;
        if best
            .as_ref()
            .is_none_or(|(s, b)| score > *s || (score == *s && raters.len() < b.raters.len()))
        {
            best = Some((
                score,
                LabellingRaters {
                    founder: f.to_string(),
                    raters: raters.iter().map(|s| s.to_string()).collect(),
                    threshold,
                    reproduced,
                    both_ways,
                    extra,
                },
            ));
        }
    }
    let total = labels.labels.len();
    match best {
        Some((score, found)) if score as f64 >= MIN_AGREEMENT * total as f64 => Ok(found),
        other => Err(Error::argument(
            "fraud",
            format!(
                "the labelling raters could not be found: the best rater ({}) reproduces {} of {total} labels by REV2's rule (founder and the users he rates >= {threshold}); the labels were not made from these ratings that way, so which ratings leak them is unknown",
                other.as_ref().map_or("none", |(_, b)| b.founder.as_str()),
                other.as_ref().map_or(0, |(_, b)| b.reproduced),
            ),
        )),
    }
}

/// Sort key of an external id: numeric ids by value, then text.
fn id_key(id: &str) -> (u64, String) {
    (id.parse::<u64>().unwrap_or(u64::MAX), id.to_string())
}

/// The trusted seeds of TrustRank and EigenTrust, picked without labels:
/// the [`SEEDS`] accounts with the most positive ratings received, no
/// negative one, and at least one rating given (a seed that rated nobody
/// propagates nothing); ties to the smaller id.
pub fn seeds(ratings: &[Rating]) -> Vec<String> {
    let mut received: HashMap<&str, (usize, usize)> = HashMap::new();
    let raters: BTreeSet<&str> = ratings.iter().map(|r| r.rater.as_str()).collect();
    for r in ratings {
        let e = received.entry(r.rated.as_str()).or_default();
        if r.value > 0.0 { e.0 += 1 } else { e.1 += 1 }
    }
    let mut rows: Vec<(&str, usize)> = received
        .into_iter()
        .filter(|(a, (_, neg))| *neg == 0 && raters.contains(a))
        .map(|(a, (pos, _))| (a, pos))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| id_key(a.0).cmp(&id_key(b.0))));
    rows.into_iter()
        .take(SEEDS)
        .map(|(a, _)| a.to_string())
        .collect()
}

/// Shares of the trust signals in the trust-first campaign (every other
/// signal of the trust family has share 0, and the other families weight
/// 0), with signals scaled to percentiles of the pool. Chosen by repeated
/// stratified 5-fold cross-validation over REV2's labelled users, with the
/// labelling ratings removed: the shares and scale are picked on the
/// training folds and scored on the held-out fold (the grid, the folds and
/// the picks: `tests/fraud_trust_first.rs`); this is the configuration the
/// folds pick most often (13 of 25) and the one picked on all labelled
/// users present. Cross-validated: AUC 0.958, AP of fraud 0.951, AP of
/// benign 0.960 over the 273 labelled users present.
pub const TRUST_FIRST_SHARES: [(&str, f64); 2] = [("trust.goodness", 2.0), ("trust.tenure", 1.0)];

/// The protocol's trust-first campaign, the one of
/// `examples/campaigns/bitcoin-otc.toml`: trust alone (weight 1, the other
/// families 0), inside it [`TRUST_FIRST_SHARES`] and every other built-in
/// trust signal at 0, percentile scale; the given trusted seeds (TrustRank
/// and EigenTrust are reported, not weighed), no relevance floor (no
/// text).
///
/// # Errors
///
/// None in practice (the text is fixed); what the campaign parser reports.
pub fn campaign(seeds: &[String]) -> Result<Campaign, Error> {
    let seeds: Vec<String> = seeds.iter().map(|s| format!("{s:?}")).collect();
    let shares: Vec<String> = portevoix_score::signals::builtin()
        .iter()
        .filter(|s| s.family() == Family::Trust)
        .map(|s| {
            let share = TRUST_FIRST_SHARES
                .iter()
                .find(|(n, _)| *n == s.name())
                .map_or(0.0, |(_, w)| *w);
            format!("{:?} = {share:?}", s.name())
        })
        .collect();
    let text = format!(
        r#"
name = "Fraud protocol: trusted traders"
objective = "custom"
trusted_seeds = [{}]
relevance_floor = 0.0
authenticity_gate = 0.5
scale = "percentile"

[candidates]
min_posts = 0

[weights]
reach = 0.0
resonance = 0.0
relevance = 0.0
trust = 1.0
brand_affinity = 0.0

[signal_weights]
{}

[topic]
name = "Bitcoin over-the-counter trading"
[topic.keywords]
bitcoin = 1.0
"#,
        seeds.join(", "),
        shares.join("\n")
    );
    Campaign::from_toml_str(&text, "fraud campaign")
}

/// The contextual score of every account under `ctx`'s campaign as it is
/// (its scale and signal shares included); 0 for the non-candidates.
///
/// # Errors
///
/// What `discover` reports.
pub fn contextual_scores(ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
    let d = discover(ctx.engine, ctx.campaign, &DiscoverOptions::default())?;
    let mut out = vec![0.0; ctx.engine.num_accounts()];
    for a in &d.accounts {
        out[a.node.index()] = a.contextual_score;
    }
    Ok(out)
}

/// An engine over `ratings` (in order), with `extra` accounts (absent from
/// the ratings) added without any rating.
///
/// # Errors
///
/// What interning and the engine report.
pub fn engine(ratings: &[Rating], extra: &[String]) -> Result<Engine, Error> {
    let mut b = DatasetBuilder::new(Mode::Strict);
    for r in ratings {
        let (a, t) = (b.node(&r.rater)?, b.node(&r.rated)?);
        b.push(Interaction {
            time: r.time,
            value: Some(r.value),
            ..Interaction::new(a, t, Layer::Rating)
        });
    }
    for id in extra {
        b.node(id)?;
    }
    Engine::new(b.finish(), &BuildOptions::default(), &Analyzer::standard())
}

/// Every score of one setting, over the population.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingScores {
    /// Row name → one score per labelled user (label-file order).
    pub rows: Vec<(String, Vec<f64>)>,
    /// Whether each labelled user is in the ratings (as rater or rated).
    pub present: Vec<bool>,
    /// The trusted seeds used.
    pub seeds: Vec<String>,
    /// Accounts of the engine (labelled users added included).
    pub accounts: usize,
}

/// Computes every row of the protocol on `ratings` for the `population`.
///
/// # Errors
///
/// What the engine, the kernels, the signals and the variants report.
pub fn setting_scores(
    ratings: &[Rating],
    population: &[String],
    variants: &[Box<dyn Variant>],
) -> Result<SettingScores, Error> {
    let present: BTreeSet<&str> = ratings
        .iter()
        .flat_map(|r| [r.rater.as_str(), r.rated.as_str()])
        .collect();
    let extra: Vec<String> = population
        .iter()
        .filter(|p| !present.contains(p.as_str()))
        .cloned()
        .collect();
    let engine = engine(ratings, &extra)?;
    let seeds = seeds(ratings);
    let campaign = campaign(&seeds)?;
    let ctx = CampaignContext::new(&engine, &campaign)?;
    let nodes: Vec<usize> = population
        .iter()
        .map(|a| engine.network().interner().get(a).map(NodeId::index))
        .collect::<Option<_>>()
        .ok_or_else(|| Error::argument("fraud", "a labelled user is missing from the engine"))?;
    let mut full: Vec<(String, Vec<f64>)> = kernel_rows(engine.network())?;
    let signals: Vec<_> = builtin()
        .into_iter()
        .filter(|s| SIGNALS.iter().any(|(n, _)| *n == s.name()))
        .collect();
    let matrix = SignalMatrix::compute(&ctx, &signals, &[])?;
    for (name, row) in SIGNALS {
        let col = matrix
            .full_column(name)
            .ok_or_else(|| Error::argument("fraud", format!("signal {name} missing")))?;
        full.push((row.to_string(), col.to_vec()));
    }
    full.push((
        "baseline:mean_rating".into(),
        mean_rating_received(engine.network()),
    ));
    let received = ratings_received(engine.network());
    full.push(("baseline:ratings_received".into(), received.clone()));
    full.push(("contextual_trust_first".into(), contextual_scores(&ctx)?));
    for v in variants {
        full.push((v.name(), v.scores(&ctx)?));
    }
    Ok(SettingScores {
        rows: full
            .into_iter()
            .map(|(name, col)| (name, nodes.iter().map(|&i| col[i]).collect()))
            .collect(),
        present: population
            .iter()
            .map(|p| present.contains(p.as_str()))
            .collect(),
        seeds,
        accounts: engine.num_accounts(),
    })
}

/// AUC (benign positive), AP of fraud (fraudulent positive, lowest score
/// first) or AP of benign, on the rows `idx` of `rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    Auc,
    ApFraud,
    ApBenign,
}

fn metric(m: Metric, scores: &[f64], fraud: &[bool], idx: &[usize]) -> f64 {
    let s: Vec<f64> = idx.iter().map(|&i| scores[i]).collect();
    let f: Vec<bool> = idx.iter().map(|&i| fraud[i]).collect();
    let benign: Vec<bool> = f.iter().map(|x| !x).collect();
    let r = match m {
        Metric::Auc => auc(&s, &benign),
        Metric::ApBenign => average_precision(&s, &benign),
        Metric::ApFraud => average_precision(&s.iter().map(|x| -x).collect::<Vec<_>>(), &f),
    };
    r.unwrap_or(f64::NAN)
}

fn interval(
    m: Metric,
    scores: &[f64],
    fraud: &[bool],
    rows: &[usize],
    options: &EvalOptions,
) -> Interval {
    bootstrap_ci(
        rows.len(),
        |idx| {
            let picked: Vec<usize> = idx.iter().map(|&i| rows[i]).collect();
            metric(m, scores, fraud, &picked)
        },
        options.resamples,
        options.level,
        options.seed,
    )
}

/// The data paths: `--data RATINGS LABELS`, else Bitcoin OTC and REV2's labels.
fn data_paths(options: &EvalOptions) -> Result<(PathBuf, PathBuf), Error> {
    match options.data.as_slice() {
        [] => Ok((
            options.dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")?,
            options.dataset("bitcoin-otc/rev2-labels.csv")?,
        )),
        [r, l] => Ok((r.clone(), l.clone())),
        other => Err(Error::argument(
            "fraud",
            format!(
                "the fraud protocol takes --data RATINGS --data LABELS (a signed rating file and a `node,+1|-1` label file), got {} paths",
                other.len()
            ),
        )),
    }
}

/// Runs the protocol.
///
/// # Errors
///
/// Unreadable or malformed data, labelling raters that cannot be found, an
/// unknown variant, what the scoring reports.
pub fn run(options: &EvalOptions) -> Result<ProtocolReport, Error> {
    let start = Instant::now();
    let variants = select(options.variants.as_deref())?;
    let (ratings_path, labels_path) = data_paths(options)?;
    let ratings = read_ratings(&ratings_path)?;
    let labels = read_labels(&labels_path)?;
    if labels.labels.iter().all(|l| l.negative) || labels.labels.iter().all(|l| !l.negative) {
        return Err(Error::argument(
            "fraud",
            format!("{}: the labels need both classes", labels_path.display()),
        ));
    }
    let found = labelling_raters(&ratings, &labels)?;
    let kept: Vec<Rating> = ratings
        .iter()
        .filter(|r| !found.raters.contains(&r.rater))
        .cloned()
        .collect();
    let population: Vec<String> = labels.labels.iter().map(|l| l.node.clone()).collect();
    let fraud: Vec<bool> = labels.labels.iter().map(|l| l.negative).collect();
    let removed = setting_scores(&kept, &population, &variants)?;
    let all = setting_scores(&ratings, &population, &variants)?;
    let everyone: Vec<usize> = (0..population.len()).collect();
    let present: Vec<usize> = everyone
        .iter()
        .copied()
        .filter(|&i| removed.present[i])
        .collect();
    let other: HashMap<&str, &Vec<f64>> = all.rows.iter().map(|(n, s)| (n.as_str(), s)).collect();
    let mut results = Vec::new();
    for (name, scores) in &removed.rows {
        let mut metrics = BTreeMap::new();
        let mut put = |key: &str, m: Metric, s: &[f64], rows: &[usize]| {
            metrics.insert(key.to_string(), interval(m, s, &fraud, rows, options));
        };
        put(METRICS[0], Metric::Auc, scores, &everyone);
        put(METRICS[1], Metric::ApFraud, scores, &everyone);
        put(METRICS[2], Metric::ApBenign, scores, &everyone);
        put(METRICS[3], Metric::Auc, scores, &present);
        put(METRICS[4], Metric::ApFraud, scores, &present);
        put(METRICS[5], Metric::ApBenign, scores, &present);
        let s_all = other[name.as_str()];
        put(METRICS[6], Metric::Auc, s_all, &everyone);
        put(METRICS[7], Metric::ApFraud, s_all, &everyone);
        put(METRICS[8], Metric::ApBenign, s_all, &everyone);
        results.push(VariantResult {
            variant: name.clone(),
            metrics,
        });
    }
    let context = Context {
        ratings: ratings.len(),
        kept: kept.len(),
        labels: &labels,
        found: &found,
        removed: &removed,
        all: &all,
        present: present.len(),
        present_fraud: present.iter().filter(|&&i| fraud[i]).count(),
    };
    let mut seeds_map = BTreeMap::new();
    seeds_map.insert("bootstrap".to_string(), options.seed);
    Ok(ProtocolReport {
        protocol: "fraud".into(),
        title: format!(
            "Fraud: REV2's fraud labels on {}; do trust scores separate fraudulent from benign users once the labelling ratings are removed?",
            options.data_name(&ratings_path)
        ),
        data: vec![
            options.data_name(&ratings_path),
            options.data_name(&labels_path),
        ],
        seeds: seeds_map,
        setup: setup(&context),
        population: population.len(),
        metric_order: METRICS.iter().map(|m| m.to_string()).collect(),
        findings: findings(&results, options.level),
        results,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// What the setup and findings describe.
struct Context<'a> {
    ratings: usize,
    kept: usize,
    labels: &'a NodeLabels,
    found: &'a LabellingRaters,
    removed: &'a SettingScores,
    all: &'a SettingScores,
    present: usize,
    present_fraud: usize,
}

fn setup(c: &Context<'_>) -> Vec<String> {
    let fraud = c.labels.labels.iter().filter(|l| l.negative).count();
    let total = c.labels.labels.len();
    vec![
        format!(
            "Labels: {total} users, {fraud} fraudulent (-1), {} benign (+1){}.",
            total - fraud,
            if c.labels.repeated > 0 { format!("; {} repeated lines merged", c.labels.repeated) } else { String::new() }
        ),
        format!(
            "Labelling raters (REV2's rule, found from the data): founder {} and the {} accounts he rated >= {}: {} raters; the rule reproduces {} of {total} labels ({} users rated both ways, settled by the founder), and labels {} users the file does not.",
            c.found.founder,
            c.found.raters.len() - 1,
            c.found.threshold,
            c.found.raters.len(),
            c.found.reproduced,
            c.found.both_ways,
            c.found.extra,
        ),
        format!(
            "Main setting: the {} ratings given by the labelling raters removed, {} of {} kept, between {} accounts (plus the {} labelled users absent from them, added without ratings). Comparison (`[all ratings]`): all {} ratings ({} accounts).",
            c.ratings - c.kept,
            c.kept,
            c.ratings,
            c.removed.accounts - (total - c.present),
            total - c.present,
            c.ratings,
            c.all.accounts,
        ),
        format!(
            "`[present]`: the {} labelled users still in the ratings once the labelling ratings are removed, as rater or rated ({} of them fraudulent); the {} others have no rating left to judge them by ({} of them fraudulent).",
            c.present,
            c.present_fraud,
            total - c.present,
            fraud - c.present_fraud
        ),
        format!(
            "Trusted seeds (TrustRank, EigenTrust pre-trust): the {SEEDS} accounts with the most positive ratings received, none negative, and at least one rating given, in the input: {} (main setting), {} (all ratings).",
            c.removed.seeds.join(", "),
            c.all.seeds.join(", ")
        ),
        "Orientation: every score is higher = more trustworthy. AUC: probability that a benign user scores above a fraudulent one (ties 1/2). `ap[fraud]`: average precision of the fraudulent users ranked by lowest score first; `ap[benign]`: of the benign users by highest score. Share of fraudulent users = the AP of a random ranking for fraud.".to_string(),
        "Rows: `kernel:fg.*` fairness-goodness (Kumar et al., ICDM 2016), `kernel:rev2.*` REV2 (Kumar et al., WSDM 2018; every weight 1, median priors, no behavioural scores), `signal:trust.trustrank` TrustRank, `signal:trust.signed_rating` EigenTrust, `baseline:mean_rating` the mean rating received (0 if none), `baseline:ratings_received` the number of ratings received (in-degree), `contextual_trust_first` `signal:trust.tenure` the days from the first rating given or received to the last rating of the input, `contextual_trust_first` the contextual score under the trust-first campaign of examples/campaigns/bitcoin-otc.toml (trust alone; inside it goodness share 2 and tenure share 1, the other trust signals 0; percentiles of the pool; shares chosen by repeated stratified 5-fold cross-validation over the labelled users, crates/portevoix-eval/tests/fraud_trust_first.rs), then the built-in variants.".to_string(),
    ]
}

fn findings(results: &[VariantResult], level: f64) -> Vec<String> {
    let get = |name: &str, metric: &str| {
        results
            .iter()
            .find(|r| r.variant == name)
            .and_then(|r| r.metrics.get(metric).copied())
    };
    let fmt = |i: Interval| format!("{:.3} [{:.3}, {:.3}]", i.estimate, i.low, i.high);
    let mut out = Vec::new();
    let ranked = crate::protocol::ranked_by(results, "auc");
    if let Some((best, i)) = ranked.first() {
        out.push(format!(
            "Highest AUC with the labelling ratings removed: {best} {}.",
            fmt(*i)
        ));
    }
    for (population, suffix) in [
        ("every labelled user", ""),
        ("the labelled users present", "[present]"),
    ] {
        let m = |metric: &str| get("contextual_trust_first", &format!("{metric}{suffix}"));
        if let (Some(a), Some(f), Some(b)) = (m("auc"), m("ap[fraud]"), m("ap[benign]")) {
            let met = a.estimate >= 0.95 && f.estimate >= 0.95 && b.estimate >= 0.95;
            out.push(format!(
                "Target (contextual trust score AUC >= 0.95 and AP >= 0.95, labelling ratings removed), over {population}: {}: AUC {}, AP fraud {}, AP benign {}.",
                if met { "met" } else { "not met" },
                fmt(a),
                fmt(f),
                fmt(b)
            ));
        }
    }
    let leaks: Vec<String> = results
        .iter()
        .filter_map(|r| {
            let (a, b) = (r.metrics.get("auc")?, r.metrics.get("auc[all ratings]")?);
            (b.estimate - a.estimate >= 0.03)
                .then(|| format!("{} {:.3} -> {:.3}", r.variant, b.estimate, a.estimate))
        })
        .collect();
    if !leaks.is_empty() {
        out.push(format!(
            "Leakage: these scores lose at least 0.03 AUC when the labelling ratings go (all ratings -> removed): {}. On all ratings they partly read back the ratings the labels were made from.",
            leaks.join("; ")
        ));
    }
    if let (Some(e), Some(g)) = (
        get("signal:trust.signed_rating", "auc"),
        get("kernel:fg.goodness", "auc"),
    ) {
        let verdict = if g.low > e.high {
            "beats"
        } else if g.high < e.low {
            "loses to"
        } else {
            "is not distinguishable from"
        };
        out.push(format!(
            "Goodness {} {verdict} EigenTrust {} (non-overlapping {:.0}% intervals needed to call it). EigenTrust only propagates positive ratings, so an account rated -10 by everyone ranks with an account nobody rated; goodness and the mean rating read the negative ratings that mark a fraudster.",
            fmt(g),
            fmt(e),
            100.0 * level
        ));
    }
    out.push("Why this protocol and `trust` disagree: `trust` asks whether an account will receive a negative rating in the later 20% of the ratings. On a trading market a dispute comes with trading volume, so the accounts about to be rated negatively are the active ones, already rated positively many times: every score that grows with positive ratings (EigenTrust, TrustRank, in-degree, PageRank) ranks them higher and scores below 0.5 there. `fraud` asks whether an account is a fraudster in the founder's eyes: fraudsters are rated very negatively by the rest of the market too and receive fewer ratings overall, so scores that read negative ratings (goodness, mean rating) separate them well and volume scores moderately. The two outcomes are different questions: future disputes measure exposure, fraud labels measure reputation.".to_string());
    out
}
