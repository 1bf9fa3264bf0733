//! Checks `portevoix_eval::metrics` against scipy / scikit-learn values
//! (`tests/golden/metrics.json`, written by
//! `tests/golden/make_metrics_golden.py`) and against direct definitions by
//! property tests.

use flate2::read::GzDecoder;
use portevoix_eval::metrics::{
    Interval, MetricError, accuracy, auc, average_precision, bootstrap_ci, kendall_tau_b, macro_f1,
    ndcg_at_k, precision_at_k, precision_at_k_outcome, spearman_rho,
};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

/// Relative tolerance against the oracle.
const REL: f64 = 1e-12;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn golden() -> Value {
    let path = manifest().join("tests/golden/metrics.json");
    let text = std::fs::read_to_string(&path).expect("read metrics.json");
    serde_json::from_str(&text).expect("parse metrics.json")
}

/// A float of the golden file: a number or "nan" / "inf" / "-inf".
fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) if s == "nan" => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        other => panic!("not a float: {other}"),
    }
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

fn bools(v: &Value) -> Vec<bool> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_bool().unwrap())
        .collect()
}

fn labels(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as usize)
        .collect()
}

#[track_caller]
fn assert_close(got: f64, want: f64, what: &str) {
    let ok = if want.is_nan() {
        got.is_nan()
    } else {
        got == want || (got - want).abs() <= REL * want.abs().max(f64::MIN_POSITIVE)
    };
    assert!(ok, "{what}: got {got:e}, scipy/sklearn {want:e}");
}

#[track_caller]
fn assert_close_opt(got: Option<f64>, want: &Value, what: &str) {
    match (got, want) {
        (None, Value::Null) => {}
        (Some(g), w) if !w.is_null() => assert_close(g, num(w), what),
        _ => panic!("{what}: got {got:?}, oracle {want}"),
    }
}

/// The real-data vectors described in `make_metrics_golden.py`.
fn higgs_vectors(accounts: usize, early_lines: usize) -> HashMap<&'static str, Vec<f64>> {
    let path = manifest().join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let file = std::fs::File::open(&path).expect("open the Higgs sample");
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut lines: Vec<(u64, u64, String)> = Vec::new();
    for line in BufReader::new(GzDecoder::new(file)).lines() {
        let line = line.unwrap();
        let mut f = line.split_whitespace();
        let a: u64 = f.next().unwrap().parse().unwrap();
        let b: u64 = f.next().unwrap().parse().unwrap();
        let _t = f.next().unwrap();
        let kind = f.next().unwrap().to_ascii_lowercase();
        for u in [a, b] {
            if !first.contains_key(&u) && first.len() < accounts {
                let id = first.len();
                first.insert(u, id);
            }
        }
        lines.push((a, b, kind));
    }
    let names = [
        "out_all", "in_all", "in_early", "in_late", "rt_in", "mt_in", "re_in",
    ];
    let mut vec: HashMap<&'static str, Vec<f64>> =
        names.iter().map(|&k| (k, vec![0.0; accounts])).collect();
    for (li, (a, b, kind)) in lines.iter().enumerate() {
        if let Some(&i) = first.get(a) {
            vec.get_mut("out_all").unwrap()[i] += 1.0;
        }
        if let Some(&j) = first.get(b) {
            vec.get_mut("in_all").unwrap()[j] += 1.0;
            let half = if li < early_lines {
                "in_early"
            } else {
                "in_late"
            };
            vec.get_mut(half).unwrap()[j] += 1.0;
            let by_kind = match kind.as_str() {
                "rt" => "rt_in",
                "mt" => "mt_in",
                "re" => "re_in",
                other => panic!("unknown kind {other}"),
            };
            vec.get_mut(by_kind).unwrap()[j] += 1.0;
        }
    }
    vec
}

/// The degree classes of the golden script (class 5 never occurs).
fn bucket(c: f64) -> usize {
    match c as u64 {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=10 => 3,
        _ => 4,
    }
}

#[test]
fn oracle_higgs_real_data() {
    let g = golden();
    let h = &g["higgs"];
    let accounts = h["accounts"].as_u64().unwrap() as usize;
    let early = h["early_lines"].as_u64().unwrap() as usize;
    let v = higgs_vectors(accounts, early);
    // Same vectors as the script.
    for (name, sum) in h["sums"].as_object().unwrap() {
        let got: f64 = v[name.as_str()].iter().sum();
        assert_eq!(got, num(sum), "sum of {name}");
    }
    let vec_of = |c: &Value, key: &str| v[c[key].as_str().unwrap()].clone();
    let mut checked = 0;
    for c in h["checks"].as_array().unwrap() {
        match c["metric"].as_str().unwrap() {
            "corr" => {
                let (x, y) = (vec_of(c, "x"), vec_of(c, "y"));
                let what = format!("{} vs {}", c["x"], c["y"]);
                assert_close(kendall_tau_b(&x, &y).unwrap(), num(&c["tau_b"]), &what);
                assert_close(spearman_rho(&x, &y).unwrap(), num(&c["rho"]), &what);
            }
            "auc" => {
                let s = vec_of(c, "scores");
                let pos: Vec<bool> = vec_of(c, "positive").iter().map(|&d| d > 0.0).collect();
                let what = format!("auc {} / {}", c["scores"], c["positive"]);
                assert_close(auc(&s, &pos).unwrap(), num(&c["auc"]), &what);
            }
            "ap" => {
                let s = vec_of(c, "scores");
                let pos: Vec<bool> = vec_of(c, "positive").iter().map(|&d| d > 0.0).collect();
                let what = format!("ap {} / {}", c["scores"], c["positive"]);
                assert_close(average_precision(&s, &pos).unwrap(), num(&c["ap"]), &what);
            }
            "rank" => {
                let (s, gains) = (vec_of(c, "scores"), vec_of(c, "gains"));
                let k = c["k"].as_u64().unwrap() as usize;
                let rel: Vec<bool> = gains.iter().map(|&d| d > 0.0).collect();
                let what = format!("{} / {} @{k}", c["scores"], c["gains"]);
                assert_close(
                    precision_at_k(&s, &rel, k).unwrap(),
                    num(&c["precision"]),
                    &what,
                );
                assert_close(
                    precision_at_k_outcome(&s, &gains, k).unwrap(),
                    num(&c["precision_outcome"]),
                    &what,
                );
                assert_close_opt(ndcg_at_k(&s, &gains, k).unwrap(), &c["ndcg"], &what);
            }
            "cls" => {
                let pred: Vec<usize> = vec_of(c, "predicted").into_iter().map(bucket).collect();
                let truth: Vec<usize> = vec_of(c, "truth").into_iter().map(bucket).collect();
                let classes = c["classes"].as_u64().unwrap() as usize;
                let what = format!("classes {} / {}", c["predicted"], c["truth"]);
                assert_close(
                    macro_f1(&pred, &truth, classes).unwrap(),
                    num(&c["macro_f1"]),
                    &what,
                );
                assert_close(accuracy(&pred, &truth).unwrap(), num(&c["accuracy"]), &what);
            }
            other => panic!("unknown metric {other}"),
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} real-data checks");
}

#[test]
fn oracle_correlations_adversarial() {
    let g = golden();
    for c in g["corr"].as_array().unwrap() {
        let (x, y) = (nums(&c["x"]), nums(&c["y"]));
        let name = c["name"].as_str().unwrap();
        assert_close(kendall_tau_b(&x, &y).unwrap(), num(&c["tau_b"]), name);
        assert_close(spearman_rho(&x, &y).unwrap(), num(&c["rho"]), name);
    }
}

#[test]
fn oracle_auc_adversarial() {
    let g = golden();
    for c in g["auc"].as_array().unwrap() {
        let (s, y) = (nums(&c["scores"]), bools(&c["positive"]));
        let name = c["name"].as_str().unwrap();
        assert_close(auc(&s, &y).unwrap(), num(&c["auc"]), name);
    }
}

#[test]
fn oracle_average_precision_adversarial() {
    let g = golden();
    let cases = g["ap"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for c in cases {
        let (s, y) = (nums(&c["scores"]), bools(&c["positive"]));
        let name = c["name"].as_str().unwrap();
        assert_close(average_precision(&s, &y).unwrap(), num(&c["ap"]), name);
    }
    assert_eq!(
        average_precision(&[1.0], &[true, false]),
        Err(MetricError::LengthMismatch { left: 1, right: 2 })
    );
}

#[test]
fn oracle_ranking_adversarial() {
    let g = golden();
    for c in g["rank"].as_array().unwrap() {
        let (s, gains) = (nums(&c["scores"]), nums(&c["gains"]));
        let rel: Vec<bool> = gains.iter().map(|&d| d > 0.0).collect();
        for at in c["at"].as_array().unwrap() {
            let k = at["k"].as_u64().unwrap() as usize;
            let what = format!("{} @{k}", c["name"]);
            assert_close(
                precision_at_k(&s, &rel, k).unwrap(),
                num(&at["precision"]),
                &what,
            );
            assert_close(
                precision_at_k_outcome(&s, &gains, k).unwrap(),
                num(&at["precision_outcome"]),
                &what,
            );
            assert_close_opt(ndcg_at_k(&s, &gains, k).unwrap(), &at["ndcg"], &what);
        }
    }
}

#[test]
fn oracle_classification_adversarial() {
    let g = golden();
    for c in g["cls"].as_array().unwrap() {
        let (p, t) = (labels(&c["predicted"]), labels(&c["truth"]));
        let classes = c["classes"].as_u64().unwrap() as usize;
        let name = c["name"].as_str().unwrap();
        assert_close(
            macro_f1(&p, &t, classes).unwrap(),
            num(&c["macro_f1"]),
            name,
        );
        assert_close(accuracy(&p, &t).unwrap(), num(&c["accuracy"]), name);
    }
}

#[test]
fn errors_and_empty_inputs() {
    let mismatch = Err(MetricError::LengthMismatch { left: 2, right: 1 });
    assert_eq!(kendall_tau_b(&[1.0, 2.0], &[1.0]), mismatch);
    assert_eq!(spearman_rho(&[1.0, 2.0], &[1.0]), mismatch);
    assert_eq!(auc(&[1.0, 2.0], &[true]), mismatch);
    assert_eq!(precision_at_k(&[1.0, 2.0], &[true], 1), mismatch);
    assert_eq!(precision_at_k_outcome(&[1.0, 2.0], &[1.0], 1), mismatch);
    assert_eq!(
        ndcg_at_k(&[1.0, 2.0], &[1.0], 1),
        Err(MetricError::LengthMismatch { left: 2, right: 1 })
    );
    assert_eq!(macro_f1(&[0, 1], &[0], 2), mismatch);
    assert_eq!(accuracy(&[0, 1], &[0]), mismatch);
    assert_eq!(
        macro_f1(&[0, 3], &[0, 1], 3),
        Err(MetricError::ClassOutOfRange {
            label: 3,
            classes: 3
        })
    );
    assert!(kendall_tau_b(&[], &[]).unwrap().is_nan());
    assert!(spearman_rho(&[], &[]).unwrap().is_nan());
    assert!(auc(&[], &[]).unwrap().is_nan());
    assert!(precision_at_k(&[], &[], 5).unwrap().is_nan());
    assert!(precision_at_k(&[1.0], &[true], 0).unwrap().is_nan());
    assert!(precision_at_k_outcome(&[], &[], 5).unwrap().is_nan());
    assert_eq!(ndcg_at_k(&[], &[], 5), Ok(None));
    assert_eq!(ndcg_at_k(&[1.0], &[f64::NAN], 1), Ok(None));
    assert!(macro_f1(&[], &[], 3).unwrap().is_nan());
    assert!(accuracy(&[], &[]).unwrap().is_nan());
    let ci = bootstrap_ci(0, |idx| idx.len() as f64, 100, 0.95, 1);
    assert_eq!(ci.estimate, 0.0);
    assert!(ci.low.is_nan() && ci.high.is_nan());
    let ci = bootstrap_ci(5, |idx| idx.len() as f64, 100, 1.5, 1);
    assert!(ci.low.is_nan() && ci.high.is_nan());
}

#[test]
fn interval_serialises() {
    let ci = Interval {
        estimate: 0.5,
        low: 0.25,
        high: 0.75,
    };
    let json = serde_json::to_string(&ci).unwrap();
    assert_eq!(json, r#"{"estimate":0.5,"low":0.25,"high":0.75}"#);
    assert_eq!(serde_json::from_str::<Interval>(&json).unwrap(), ci);
}

#[test]
fn bootstrap_covers_the_mean_of_real_data() {
    let v = higgs_vectors(2000, 30000);
    let x = &v["in_all"];
    let mean = |idx: &[usize]| idx.iter().map(|&i| x[i]).sum::<f64>() / idx.len() as f64;
    let ci = bootstrap_ci(x.len(), mean, 2000, 0.95, 42);
    assert_eq!(ci.estimate, 19610.0 / 2000.0);
    assert!(ci.low < ci.estimate && ci.estimate < ci.high, "{ci:?}");
    // The standard error of a mean: the 95% interval is about ±1.96 s/√n.
    let m = ci.estimate;
    let sd = (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64).sqrt();
    let half = 1.96 * sd / (x.len() as f64).sqrt();
    let width = ci.high - ci.low;
    assert!(
        (width / (2.0 * half) - 1.0).abs() < 0.35,
        "width {width} vs normal {}",
        2.0 * half
    );
}

/// Tau-b straight from its definition, O(n²).
fn tau_b_direct(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    let (mut c, mut d, mut tx, mut ty) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let dx = (x[i] - x[j]).signum() * ((x[i] != x[j]) as i32 as f64);
            let dy = (y[i] - y[j]).signum() * ((y[i] != y[j]) as i32 as f64);
            if dx == 0.0 {
                tx += 1;
            }
            if dy == 0.0 {
                ty += 1;
            }
            let s = dx * dy;
            if s > 0.0 {
                c += 1;
            } else if s < 0.0 {
                d += 1;
            }
        }
    }
    let n0 = (n * (n.saturating_sub(1)) / 2) as i64;
    if n < 2 || tx == n0 || ty == n0 {
        return f64::NAN;
    }
    (c - d) as f64 / (((n0 - tx) as f64) * ((n0 - ty) as f64)).sqrt()
}

/// Small integer-valued vectors (many ties), as f64.
fn tied_pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (0usize..60).prop_flat_map(|n| {
        (
            prop::collection::vec((0i32..6).prop_map(f64::from), n),
            prop::collection::vec((-3i32..3).prop_map(f64::from), n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_tau_b_matches_quadratic_definition((x, y) in tied_pair()) {
        let fast = kendall_tau_b(&x, &y).unwrap();
        let slow = tau_b_direct(&x, &y);
        if slow.is_nan() {
            prop_assert!(fast.is_nan());
        } else {
            prop_assert!((fast - slow).abs() <= 1e-12, "{} vs {}", fast, slow);
        }
    }

    #[test]
    fn prop_tau_b_continuous_matches_definition(
        xy in prop::collection::vec((-1e3f64..1e3, -1e3f64..1e3), 0..80)
    ) {
        let (x, y): (Vec<f64>, Vec<f64>) = xy.into_iter().unzip();
        let fast = kendall_tau_b(&x, &y).unwrap();
        let slow = tau_b_direct(&x, &y);
        prop_assert!(fast.is_nan() == slow.is_nan());
        if !slow.is_nan() {
            prop_assert!((fast - slow).abs() <= 1e-12);
        }
    }

    #[test]
    fn prop_spearman_in_unit_interval((x, y) in tied_pair()) {
        let r = spearman_rho(&x, &y).unwrap();
        prop_assert!(r.is_nan() || (-1.0..=1.0).contains(&r));
        let self_r = spearman_rho(&x, &x).unwrap();
        prop_assert!(self_r.is_nan() || (self_r - 1.0).abs() < 1e-12);
    }

    #[test]
    fn prop_auc_symmetric(
        sy in prop::collection::vec(((0i32..5).prop_map(f64::from), any::<bool>()), 0..80)
    ) {
        let (s, y): (Vec<f64>, Vec<bool>) = sy.into_iter().unzip();
        let not_y: Vec<bool> = y.iter().map(|b| !b).collect();
        let a = auc(&s, &y).unwrap();
        let b = auc(&s, &not_y).unwrap();
        if a.is_nan() {
            prop_assert!(b.is_nan());
        } else {
            prop_assert!((0.0..=1.0).contains(&a));
            prop_assert!((a - (1.0 - b)).abs() <= 1e-12, "{} vs 1 - {}", a, b);
        }
    }

    #[test]
    fn prop_precision_and_ndcg_in_unit_interval(
        sg in prop::collection::vec(((0i32..8).prop_map(f64::from), 0.0f64..5.0), 0..60),
        k in 0usize..80,
    ) {
        let (s, g): (Vec<f64>, Vec<f64>) = sg.into_iter().unzip();
        let rel: Vec<bool> = g.iter().map(|&v| v > 2.0).collect();
        let n = s.len().min(k);
        for p in [
            precision_at_k(&s, &rel, k).unwrap(),
            precision_at_k_outcome(&s, &g, k).unwrap(),
        ] {
            if n == 0 {
                prop_assert!(p.is_nan());
            } else {
                prop_assert!((0.0..=1.0).contains(&p), "{}", p);
            }
        }
        match ndcg_at_k(&s, &g, k).unwrap() {
            Some(v) => prop_assert!((0.0..=1.0 + 1e-12).contains(&v), "{}", v),
            None => prop_assert!(n == 0 || g.iter().all(|&v| v == 0.0)),
        }
        // Ranking by the gains themselves is ideal.
        if let Some(v) = ndcg_at_k(&g, &g, k).unwrap() {
            prop_assert!((v - 1.0).abs() <= 1e-12);
        }
    }
}

#[test]
fn bootstrap_deterministic_across_thread_counts() {
    let data: Vec<f64> = (0..500).map(|i| ((i * 7919) % 101) as f64).collect();
    let labels: Vec<bool> = (0..500).map(|i| (i * 31) % 7 < 3).collect();
    let stat = |idx: &[usize]| {
        let s: Vec<f64> = idx.iter().map(|&i| data[i]).collect();
        let y: Vec<bool> = idx.iter().map(|&i| labels[i]).collect();
        auc(&s, &y).unwrap()
    };
    let run = |threads: usize, seed: u64| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| bootstrap_ci(data.len(), stat, 300, 0.9, seed))
    };
    let one = run(1, 9);
    let three = run(3, 9);
    assert_eq!(one, three);
    assert_eq!(one.estimate.to_bits(), three.estimate.to_bits());
    assert_eq!(one.low.to_bits(), three.low.to_bits());
    assert_eq!(one.high.to_bits(), three.high.to_bits());
    assert!(one.low <= one.estimate && one.estimate <= one.high);
    assert_ne!(run(3, 10), one, "another seed gives another interval");
}
