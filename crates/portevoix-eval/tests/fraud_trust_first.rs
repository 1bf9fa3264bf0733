//! How the trust-first campaign of the `fraud` protocol (and of
//! `examples/campaigns/bitcoin-otc.toml`) got its shares: **repeated
//! stratified 5-fold cross-validation** over REV2's labelled Bitcoin OTC
//! users, with the labelling ratings removed.
//!
//! The signal matrix is the score crate's, built-in signals only; every
//! configuration of the grid (scale × shares of `trust.goodness`,
//! `trust.tenure`, `trust.fairness`, `trust.trustrank`,
//! `trust.signed_rating`; every other signal share 0; trust the only
//! family) is scored with `scoring::compute`. On each of 5 × 5 folds the
//! configuration with the best mean of AUC, AP of fraud and AP of benign on
//! the training folds is picked and scores the held-out fold; the
//! out-of-fold scores give the cross-validated metrics. The test fails if
//! the cross-validated metrics fall below the target, if the protocol's
//! campaign is not the configuration the folds pick most often (and the
//! one picked on all labelled users present), or if the protocol's
//! scores are not those of `scoring::compute` for it.
//!
//! `cargo test --release -p portevoix-eval --test fraud_trust_first -- --nocapture`
//! prints the picks and the metrics.

use portevoix_eval::metrics::{auc, average_precision};
use portevoix_eval::protocols::fraud::{
    Rating, TRUST_FIRST_SHARES, campaign, contextual_scores, engine, labelling_raters,
    read_ratings, seeds,
};
use portevoix_ingest::labels::read_labels;
use portevoix_score::campaign::{Campaign, Scale, Weights};
use portevoix_score::context::candidates;
use portevoix_score::names::Family;
use portevoix_score::scoring::{ScoreOptions, compute};
use portevoix_score::signals::{CampaignContext, SignalMatrix, builtin};
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The trust signals whose shares are tuned; every other signal has share 0.
const TUNED: [&str; 5] = [
    "trust.goodness",
    "trust.tenure",
    "trust.fairness",
    "trust.trustrank",
    "trust.signed_rating",
];

#[derive(Debug, Clone, PartialEq)]
struct Config {
    scale: Scale,
    shares: [f64; 5],
}

impl Config {
    fn weights() -> Weights {
        Weights {
            reach: 0.0,
            resonance: 0.0,
            relevance: 0.0,
            trust: 1.0,
            brand_affinity: 0.0,
        }
    }

    fn signal_weights(&self, matrix: &SignalMatrix) -> BTreeMap<String, f64> {
        matrix
            .signals
            .iter()
            .map(|s| {
                let share = TUNED
                    .iter()
                    .position(|t| *t == s.name)
                    .map_or(0.0, |i| self.shares[i]);
                (s.name.clone(), share)
            })
            .collect()
    }

    fn describe(&self) -> String {
        let shares: Vec<String> = TUNED
            .iter()
            .zip(self.shares)
            .filter(|(_, w)| *w > 0.0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect();
        format!("{}: {}", self.scale.name(), shares.join(", "))
    }
}

/// The grid: 2 scales × goodness {1, 2} × tenure {0, 1, 2} × fairness,
/// TrustRank, EigenTrust {0, 1}: 96 configurations. (Reach and resonance
/// at 0.1 each beside trust 0.8, the campaign's former weights, were tried
/// by the prototype and never picked.)
fn configs() -> Vec<Config> {
    let mut out = Vec::new();
    for scale in [Scale::Percentile, Scale::LogRank] {
        for g in [1.0, 2.0] {
            for t in [0.0, 1.0, 2.0] {
                for f in [0.0, 1.0] {
                    for tr in [0.0, 1.0] {
                        for e in [0.0, 1.0] {
                            out.push(Config {
                                scale,
                                shares: [g, t, f, tr, e],
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// (AUC with benign positive, AP of fraud, AP of benign) on `idx`.
fn metrics(scores: &[f64], fraud: &[bool], idx: &[usize]) -> [f64; 3] {
    let s: Vec<f64> = idx.iter().map(|&i| scores[i]).collect();
    let neg: Vec<f64> = s.iter().map(|x| -x).collect();
    let f: Vec<bool> = idx.iter().map(|&i| fraud[i]).collect();
    let b: Vec<bool> = f.iter().map(|x| !x).collect();
    [
        auc(&s, &b).unwrap(),
        average_precision(&neg, &f).unwrap(),
        average_precision(&s, &b).unwrap(),
    ]
}

fn mean3(m: [f64; 3]) -> f64 {
    (m[0] + m[1] + m[2]) / 3.0
}

/// SplitMix64, for reproducible fold assignments.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stratified folds: each class shuffled and dealt round-robin.
fn folds(rows: &[usize], fraud: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut fold = vec![0; fraud.len()];
    let mut state = seed;
    for class in [true, false] {
        let mut members: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| fraud[i] == class)
            .collect();
        for i in (1..members.len()).rev() {
            let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
            members.swap(i, j);
        }
        for (pos, &i) in members.iter().enumerate() {
            fold[i] = pos % k;
        }
    }
    fold
}

/// The configuration with the best mean metric on `rows` (ties: the first).
fn best(scores: &[Vec<f64>], fraud: &[bool], rows: &[usize]) -> usize {
    (0..scores.len())
        .max_by(|&a, &b| {
            mean3(metrics(&scores[a], fraud, rows))
                .total_cmp(&mean3(metrics(&scores[b], fraud, rows)))
                .then(b.cmp(&a))
        })
        .unwrap()
}

#[test]
fn trust_first_shares_are_chosen_by_cross_validation() {
    let ratings = read_ratings(&shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")).unwrap();
    let labels = read_labels(&shared_dataset("bitcoin-otc/rev2-labels.csv")).unwrap();
    let found = labelling_raters(&ratings, &labels).unwrap();
    let kept: Vec<Rating> = ratings
        .into_iter()
        .filter(|r| !found.raters.contains(&r.rater))
        .collect();
    let population: Vec<String> = labels.labels.iter().map(|l| l.node.clone()).collect();
    let fraud: Vec<bool> = labels.labels.iter().map(|l| l.negative).collect();
    let present_ids: BTreeSet<&str> = kept
        .iter()
        .flat_map(|r| [r.rater.as_str(), r.rated.as_str()])
        .collect();
    let extra: Vec<String> = population
        .iter()
        .filter(|p| !present_ids.contains(p.as_str()))
        .cloned()
        .collect();
    let engine = engine(&kept, &extra).unwrap();
    let base = campaign(&seeds(&kept)).unwrap();
    let ctx = CampaignContext::new(&engine, &base).unwrap();
    let pool = candidates(&ctx);
    let matrix = SignalMatrix::compute(&ctx, &builtin(), &pool).unwrap();
    let row_of: HashMap<usize, usize> = pool
        .iter()
        .enumerate()
        .map(|(r, a)| (a.index(), r))
        .collect();
    let node: Vec<usize> = population
        .iter()
        .map(|p| engine.network().interner().get(p).unwrap().index())
        .collect();
    let everyone: Vec<usize> = (0..population.len()).collect();
    let present: Vec<usize> = everyone
        .iter()
        .copied()
        .filter(|&i| row_of.contains_key(&node[i]))
        .collect();
    assert_eq!((population.len(), present.len()), (316, 273));

    // Every labelled user's contextual score under every configuration
    // (non-candidates score 0, as in the protocol).
    let configs = configs();
    let scores: Vec<Vec<f64>> = configs
        .iter()
        .map(|c| {
            let options = ScoreOptions {
                scale: c.scale,
                signal_weights: c.signal_weights(&matrix),
                ..ScoreOptions::of(&base)
            };
            let sc = compute(&matrix, &Config::weights(), &options, None).unwrap();
            node.iter()
                .map(|v| row_of.get(v).map_or(0.0, |&r| sc.contextual[r]))
                .collect()
        })
        .collect();

    // Repeated stratified 5-fold cross-validation over the present users.
    let repeats = 5;
    let mut cv_present = [0.0; 3];
    let mut cv_all = [0.0; 3];
    let mut picked: BTreeMap<String, usize> = BTreeMap::new();
    for rep in 0..repeats {
        let fold = folds(&present, &fraud, 5, 0x5eed + rep as u64);
        let mut oof = vec![0.0; population.len()];
        for k in 0..5 {
            let train: Vec<usize> = present.iter().copied().filter(|&i| fold[i] != k).collect();
            let chosen = best(&scores, &fraud, &train);
            *picked.entry(configs[chosen].describe()).or_default() += 1;
            for &i in present.iter().filter(|&&i| fold[i] == k) {
                oof[i] = scores[chosen][i];
            }
        }
        let (p, a) = (
            metrics(&oof, &fraud, &present),
            metrics(&oof, &fraud, &everyone),
        );
        for j in 0..3 {
            cv_present[j] += p[j] / repeats as f64;
            cv_all[j] += a[j] / repeats as f64;
        }
    }
    let on_all = best(&scores, &fraud, &present);
    let in_sample = metrics(&scores[on_all], &fraud, &present);
    println!("picked on the training folds (25 folds): {picked:#?}");
    println!(
        "cross-validated, the 273 labelled users present: AUC {:.4}, AP fraud {:.4}, AP benign {:.4}",
        cv_present[0], cv_present[1], cv_present[2]
    );
    println!(
        "the same out-of-fold scores over all 316 (43 without ratings at 0): AUC {:.4}, AP fraud {:.4}, AP benign {:.4}",
        cv_all[0], cv_all[1], cv_all[2]
    );
    println!(
        "picked on all present users: {} (in-sample AUC {:.4}, AP fraud {:.4}, AP benign {:.4})",
        configs[on_all].describe(),
        in_sample[0],
        in_sample[1],
        in_sample[2]
    );

    // The target, cross-validated, over the users the data says something
    // about; over every labelled user the 43 without any rating left (40
    // of them fraudulent) tie at 0 (measured 0.949 / 0.936 / 0.949).
    assert!(
        cv_present.iter().all(|&x| x >= 0.95),
        "cross-validated target missed: {cv_present:?}"
    );
    assert!(
        cv_all[0] >= 0.94 && cv_all[1] >= 0.93,
        "every labelled user: {cv_all:?}"
    );

    // The protocol's campaign is the configuration the folds pick most
    // often (13 of 25 when measured; the others add EigenTrust and more
    // tenure) and the one picked on all present users.
    let mut shares = [0.0; 5];
    for (name, w) in TRUST_FIRST_SHARES {
        shares[TUNED.iter().position(|t| *t == name).unwrap()] = w;
    }
    let product = Config {
        scale: base.scale,
        shares,
    };
    assert_eq!(configs[on_all], product, "{}", configs[on_all].describe());
    let modal = picked
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .unwrap();
    assert_eq!(modal.0, &product.describe(), "{picked:#?}");
    assert_eq!(base.weights(), Config::weights());
    // The example campaign is the protocol's (its seeds apart).
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/campaigns/bitcoin-otc.toml");
    let example = Campaign::from_toml_str(
        &std::fs::read_to_string(&example).unwrap(),
        "bitcoin-otc.toml",
    )
    .unwrap();
    assert_eq!(
        (example.weights(), example.scale, &example.signal_weights),
        (base.weights(), base.scale, &base.signal_weights)
    );
    for s in &matrix.signals {
        let want = product.signal_weights(&matrix)[&s.name];
        if s.family == Family::Trust {
            assert_eq!(base.signal_weights.get(&s.name), Some(&want), "{}", s.name);
        }
    }

    // What scoring::compute gave for it is what the protocol's row gives.
    let row = contextual_scores(&ctx).unwrap();
    for (i, &v) in node.iter().enumerate() {
        assert!(
            (row[v] - scores[on_all][i]).abs() < 1e-9,
            "{}: protocol {} vs compute {}",
            population[i],
            row[v],
            scores[on_all][i]
        );
    }
}
