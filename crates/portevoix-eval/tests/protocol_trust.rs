//! Protocol `trust`: quick run on Bitcoin OTC, the split and the labels
//! recomputed from the raw CSV, no future rating in training, determinism.
//! The full run is `#[ignore]`d (run it with `--release -- --ignored
//! --nocapture`).

mod common;

use portevoix_eval::protocol::{EvalOptions, ProtocolReport};
use portevoix_eval::protocols::trust::{HOLDOUT_SHARE, labels, run, split_ratings};
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeMap, HashSet};

fn otc() -> std::path::PathBuf {
    shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")
}

fn quick() -> EvalOptions {
    EvalOptions {
        variants: Some(vec!["in_degree".into(), "pagerank".into()]),
        ..common::options().quick()
    }
}

/// The raw CSV rows: (rater, rated, rating, time in seconds).
fn raw() -> Vec<(String, String, f64, f64)> {
    std::fs::read_to_string(otc())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.trim().split(',').collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn split_is_by_time_and_labels_match_the_raw_csv() {
    let split = split_ratings(&otc(), HOLDOUT_SHARE).unwrap();
    let rows = raw();
    assert_eq!(split.train.len() + split.heldout.len(), rows.len());
    // No future data in training: every training rating is strictly older
    // than every held-out one.
    let newest_train = split.train.iter().map(|r| r.time_ms).max().unwrap();
    let oldest_held = split.heldout.iter().map(|r| r.time_ms).min().unwrap();
    assert!(newest_train < oldest_held);
    assert_eq!(oldest_held, split.cut_ms);
    // About 20% held out.
    let share = split.heldout.len() as f64 / rows.len() as f64;
    assert!((share - 0.2).abs() < 0.01, "share {share}");

    // Recompute from the raw CSV: sort the times, the cut is the time at
    // position ceil(0.8 n).
    let mut times: Vec<f64> = rows.iter().map(|r| r.3).collect();
    times.sort_by(f64::total_cmp);
    let cut = times[(0.8 * rows.len() as f64).ceil() as usize];
    assert_eq!((cut * 1000.0).round() as i64, split.cut_ms);
    let train: Vec<_> = rows.iter().filter(|r| r.3 < cut).collect();
    let held: Vec<_> = rows.iter().filter(|r| r.3 >= cut).collect();
    assert_eq!(train.len(), split.train.len());
    let known: HashSet<&str> = train
        .iter()
        .flat_map(|r| [r.0.as_str(), r.1.as_str()])
        .collect();
    let mut expected: BTreeMap<&str, (bool, f64, usize)> = BTreeMap::new();
    for r in &held {
        if known.contains(r.1.as_str()) {
            let e = expected.entry(r.1.as_str()).or_insert((false, 0.0, 0));
            e.0 |= r.2 <= -1.0;
            e.1 += r.2;
            e.2 += 1;
        }
    }
    let got = labels(&split);
    assert_eq!(got.len(), expected.len());
    for g in &got {
        let (e_neg, e_sum, e_n) = expected[g.account.as_str()];
        assert_eq!(g.negative, e_neg, "{}", g.account);
        assert_eq!(g.mean_negative, e_sum < 0.0, "{}", g.account);
        assert_eq!(g.ratings, e_n, "{}", g.account);
    }
    assert!(got.iter().any(|g| g.negative) && got.iter().any(|g| !g.negative));
}

fn without_time(mut r: ProtocolReport) -> ProtocolReport {
    r.seconds = 0.0;
    r
}

#[test]
fn quick_run_is_complete_and_deterministic() {
    let a = run(&quick()).unwrap();
    assert_eq!(a.protocol, "trust");
    let split = split_ratings(&otc(), HOLDOUT_SHARE).unwrap();
    assert_eq!(a.population, labels(&split).len());
    let names: Vec<&str> = a.results.iter().map(|r| r.variant.as_str()).collect();
    for s in [
        "signal:trust.signed_rating",
        "signal:trust.trustrank",
        "baseline:mean_rating",
        "kernel:fg.goodness",
        "kernel:fg.fairness",
        "kernel:rev2.fairness",
        "kernel:rev2.goodness",
        "in_degree",
        "pagerank",
    ] {
        assert!(names.contains(&s), "{s} missing from {names:?}");
    }
    for r in &a.results {
        let auc = r.metrics["auc"];
        assert!((0.0..=1.0).contains(&auc.estimate), "{} {auc:?}", r.variant);
        if r.metrics["distinct"].estimate > 1.0 {
            assert!(auc.low <= auc.estimate && auc.estimate <= auc.high);
        }
    }
    let b = run(&quick()).unwrap();
    // Compared as JSON: NaN intervals are `null` there.
    let json = |r: ProtocolReport| serde_json::to_string(&without_time(r)).unwrap();
    assert_eq!(json(a), json(b));
}

/// The full protocol on Bitcoin OTC (seconds): the population and the
/// AUCs EVALUATION.md publishes, and its main finding (the naive mean
/// rating beats EigenTrust); data named relative to the datasets root.
#[test]
fn full_run_reproduces_the_published_numbers() {
    let report = run(&common::options()).unwrap();
    assert_eq!(report.data, ["bitcoin-otc/soc-sign-bitcoinotc.csv"]);
    assert_eq!(report.population, 669);
    let auc = |v: &str| {
        report
            .results
            .iter()
            .find(|r| r.variant == v)
            .unwrap_or_else(|| panic!("{v}"))
            .metrics["auc"]
            .estimate
    };
    assert!(
        (auc("baseline:mean_rating") - 0.586).abs() < 5e-4,
        "{}",
        auc("baseline:mean_rating")
    );
    assert!((auc("signal:trust.signed_rating") - 0.436).abs() < 5e-4);
    assert!(auc("baseline:mean_rating") > auc("signal:trust.signed_rating"));
}

/// `--data`: another file of the same format (here the first 20,000 rows
/// of Bitcoin OTC, as a Bitcoin Alpha export would be) is split and
/// labelled on its own.
#[test]
fn other_data_of_the_same_format() {
    let text = std::fs::read_to_string(otc()).unwrap();
    let head: String = text
        .lines()
        .take(20_000)
        .map(|l| format!("{l}\n"))
        .collect();
    let path = std::env::temp_dir().join(format!("portevoix-trust-{}.csv", std::process::id()));
    std::fs::write(&path, head).unwrap();
    let options = EvalOptions {
        data: vec![path.clone()],
        ..quick()
    };
    let report = run(&options).unwrap();
    assert_eq!(report.data, vec![path.display().to_string()]);
    let own = labels(&split_ratings(&path, HOLDOUT_SHARE).unwrap()).len();
    let full = labels(&split_ratings(&otc(), HOLDOUT_SHARE).unwrap()).len();
    assert_eq!(report.population, own);
    assert_ne!(own, full);
    std::fs::remove_file(&path).unwrap();
}
