//! The `higgs-holdout` protocol: the quick version runs, every metric is
//! there and finite (or a documented NaN), the outcome matches a count
//! made independently from the raw file, training holds no row at or after
//! the split, and the report is deterministic.

mod common;

use flate2::read::GzDecoder;
use portevoix_eval::data::Source;
use portevoix_eval::protocol::{EvalOptions, ProtocolReport};
use portevoix_eval::protocols::higgs_holdout::{self, OUTCOMES, data_files, prepare, table};
use portevoix_eval::variants;
use portevoix_score::signals::CampaignContext;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};

fn quick() -> EvalOptions {
    common::options().quick()
}

/// `(actor, target, seconds)` of every row of the raw file.
fn raw_rows(options: &EvalOptions) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    for source in data_files(options).unwrap() {
        // The built-in sample is read from the repository's file, which
        // also checks that the report names it right.
        let path = match &source {
            Source::File(p) => p.clone(),
            Source::Bundled(b) => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(b.name),
        };
        let file = std::fs::File::open(&path).unwrap();
        for line in BufReader::new(GzDecoder::new(file)).lines() {
            let line = line.unwrap();
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 4, "{line}");
            let t: i64 = f[2].parse().unwrap();
            if options.quick && options.data.is_empty() && t >= higgs_holdout::QUICK_END {
                continue;
            }
            out.push((f[0].to_string(), f[1].to_string(), f[2].parse().unwrap()));
        }
    }
    out
}

/// The report without its wall-clock time, as text (NaN equals NaN).
fn without_time(mut r: ProtocolReport) -> String {
    r.seconds = 0.0;
    format!("{r:?}")
}

#[test]
fn quick_run_has_every_metric_and_is_deterministic() {
    let options = quick();
    let a = higgs_holdout::run(&options).unwrap();
    assert_eq!(a.protocol, "higgs-holdout");
    assert_eq!(a.results.len(), variants::builtin().len());
    assert!(a.population > 500, "population {}", a.population);
    assert_eq!(a.seeds["bootstrap"], options.seed);
    assert!(a.setup.iter().any(|s| s.contains("median row time")));
    for o in OUTCOMES {
        assert!(a.metric_order.contains(&format!("{o}:ndcg@100")));
        assert!(a.metric_order.contains(&format!("{o}:spearman[tier 0]")));
    }
    // Every metric of every variant; NaN only where documented: a
    // correlation where the scores or the outcome are constant on the group.
    let h = prepare(&options).unwrap();
    let ctx = CampaignContext::new(&h.engine, &h.campaign).unwrap();
    let tiers = portevoix_eval::protocol::audience_tiers(
        &h.population
            .iter()
            .map(|a| h.training_in_degree[a.index()])
            .collect::<Vec<_>>(),
    );
    for (variant, r) in variants::builtin().iter().zip(&a.results) {
        assert_eq!(variant.name(), r.variant);
        let scores = variant.scores(&ctx).unwrap();
        for m in &a.metric_order {
            let i = r
                .metrics
                .get(m)
                .unwrap_or_else(|| panic!("{} lacks {m}", r.variant));
            if i.estimate.is_finite() {
                // A percentile interval need not contain the estimate.
                assert!(
                    i.low <= i.high || i.low.is_nan(),
                    "{} {m}: {i:?}",
                    r.variant
                );
                continue;
            }
            let outcome = if m.starts_with("reactions:") {
                &h.reactions
            } else {
                &h.reactors
            };
            common::assert_nan_is_justified(
                &r.variant,
                m,
                i.estimate,
                &scores,
                outcome,
                &h.population,
                &tiers,
            );
        }
    }
    for o in OUTCOMES {
        println!("{o}\n{}", table(&a, &format!("{o}:")));
    }
    let b = higgs_holdout::run(&options).unwrap();
    assert_eq!(
        without_time(a),
        without_time(b),
        "same options, same report"
    );
}

#[test]
fn outcome_and_training_match_the_raw_file() {
    let options = quick();
    let h = prepare(&options).unwrap();
    let rows = raw_rows(&options);
    let split = h.split.secs();
    assert_eq!(h.split.millis() % 1000, 0);
    // Training holds exactly the rows before the split, and none after.
    let before = rows.iter().filter(|r| r.2 < split).count();
    assert_eq!(h.rows.0, before);
    assert_eq!(h.rows.0 + h.rows.1, rows.len());
    assert_eq!(h.engine.interactions().len(), before);
    for (_, log) in h.engine.interactions().non_empty() {
        let (lo, hi) = log.time_span().unwrap();
        assert!(hi < h.split, "training row at {}", hi.to_iso8601());
        assert!(lo.secs() >= rows[0].2);
    }
    // Accounts seen only after the split are not in the training engine.
    let train_names: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r.2 < split)
        .flat_map(|r| [r.0.as_str(), r.1.as_str()])
        .collect();
    assert_eq!(h.engine.num_accounts(), train_names.len());
    // Population: every account active before the split.
    assert_eq!(h.population.len(), train_names.len());
    // The outcome, recounted from the raw lines.
    let mut reactions: BTreeMap<&str, usize> = BTreeMap::new();
    let mut reactors: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.2 >= split && r.0 != r.1) {
        *reactions.entry(r.1.as_str()).or_default() += 1;
        reactors
            .entry(r.1.as_str())
            .or_default()
            .insert(r.0.as_str());
    }
    let mut by_outcome: Vec<_> = h.population.clone();
    by_outcome.sort_by(|a, b| h.reactions[b.index()].total_cmp(&h.reactions[a.index()]));
    let zero = by_outcome.iter().rev().take(3).copied().collect::<Vec<_>>();
    let mut checked = 0;
    for &a in by_outcome.iter().take(5).chain(&zero) {
        let name = h.engine.network().try_name(a).unwrap().to_string();
        let want = reactions.get(name.as_str()).copied().unwrap_or(0);
        assert_eq!(h.reactions[a.index()], want as f64, "reactions of {name}");
        let want = reactors.get(name.as_str()).map_or(0, BTreeSet::len);
        assert_eq!(h.reactors[a.index()], want as f64, "reactors of {name}");
        checked += 1;
    }
    assert_eq!(checked, 8);
    assert!(h.reactions[by_outcome[0].index()] > 10.0);
    assert_eq!(h.reactions[zero[0].index()], 0.0);
}

/// The full protocol on the Higgs log (minutes in release): the split at
/// the announcement, the rows and the population EVALUATION.md publishes,
/// the data named relative to the datasets root, every metric present.
#[test]
#[ignore = "full Higgs log: cargo test --release -p portevoix-eval --test protocol_higgs -- --ignored"]
fn full_run() {
    let options = common::options();
    let h = prepare(&options).unwrap();
    assert_eq!(h.split.secs(), higgs_holdout::ANNOUNCEMENT);
    assert_eq!(h.rows, (144_056, 419_013, 0));
    for (_, log) in h.engine.interactions().non_empty() {
        assert!(log.time_span().unwrap().1 < h.split);
    }
    drop(h);
    let r = higgs_holdout::run(&options).unwrap();
    assert_eq!(r.data, ["higgs-twitter/higgs-activity_time.txt.gz"]);
    assert_eq!(r.population, 73_606);
    assert_eq!(r.results.len(), variants::builtin().len());
    for v in &r.results {
        for m in &r.metric_order {
            let x = v
                .metrics
                .get(m)
                .unwrap_or_else(|| panic!("{} lacks {m}", v.variant));
            if m.contains("precision") || m.contains("ndcg") {
                assert!(
                    (0.0..=1.0).contains(&x.estimate),
                    "{} {m}: {x:?}",
                    v.variant
                );
            }
        }
    }
}
