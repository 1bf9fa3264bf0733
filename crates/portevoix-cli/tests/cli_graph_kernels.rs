//! `portevoix communities` and `portevoix spread` on the real Bitcoin OTC and
//! Slashdot Zoo graphs: what a user types, what they get.

mod common;

use common::portevoix;
use portevoix_testdata::shared_dataset;
use serde_json::Value;
use std::process::Output;

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

fn bitcoin_otc() -> String {
    shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")
        .to_string_lossy()
        .into_owned()
}

fn slashdot() -> String {
    shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz")
        .to_string_lossy()
        .into_owned()
}

fn f(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no number {key} in {v}"))
}

fn u(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no integer {key} in {v}"))
}

#[test]
fn leiden_on_bitcoin_otc_reaches_the_modularity_of_igraph() {
    let path = bitcoin_otc();
    let s = json(&portevoix(&["communities", "--json", "--top", "5", &path]));
    assert_eq!(s["algorithm"], "leiden");
    assert_eq!(s["layers"][0]["layer"], "rating");
    // The counts of crates/portevoix-graph/tests/golden/communities_bitcoin_otc.json.
    assert_eq!(u(&s, "nodes"), 5881);
    assert_eq!(u(&s, "undirected_edges"), 21_492);
    // igraph's Leiden reaches 0.5164 and NetworKit's 0.5142 on this graph.
    let q = f(&s, "modularity");
    assert!(q >= 0.50, "Leiden modularity {q} < 0.50");
    let communities = u(&s, "communities");
    assert!(
        (2..5881).contains(&communities),
        "{communities} communities"
    );
    let largest = s["largest"].as_array().unwrap();
    assert_eq!(largest.len(), 5);
    let sizes: Vec<u64> = largest.iter().map(|c| u(c, "size")).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    assert!(sizes.iter().sum::<u64>() <= 5881);
    assert!(
        sizes[0] > 100,
        "the largest community has {} accounts",
        sizes[0]
    );
    assert!(
        largest
            .iter()
            .all(|c| c["members"].as_array().unwrap().len() == 3)
    );
    assert!(f(&s["timings_ms"], "kernel") > 0.0);

    // Same seed, same partition; the table says the same.
    let again = json(&portevoix(&["communities", "--json", "--top", "5", &path]));
    assert_eq!(again["modularity"], s["modularity"]);
    assert_eq!(again["largest"], s["largest"]);
    let table = portevoix(&["communities", "--top", "3", &path]);
    assert!(table.status.success());
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains(&format!("modularity {q:.6}")),
        "no modularity in:\n{text}"
    );
}

#[test]
fn resolution_and_label_propagation_on_bitcoin_otc() {
    let path = bitcoin_otc();
    let leiden = json(&portevoix(&["communities", "--json", &path]));
    // A higher resolution favours smaller communities.
    let fine = json(&portevoix(&[
        "communities",
        "--json",
        "--resolution",
        "4",
        &path,
    ]));
    assert!(
        u(&fine, "communities") > u(&leiden, "communities"),
        "{} communities at resolution 4, {} at 1",
        fine["communities"],
        leiden["communities"]
    );
    assert_eq!(f(&fine, "resolution"), 4.0);
    // Label propagation finds a partition with positive modularity, below Leiden's.
    let lp = json(&portevoix(&[
        "communities",
        "--json",
        "--algorithm",
        "label-propagation",
        &path,
    ]));
    assert_eq!(lp["algorithm"], "label-propagation");
    let (q_lp, q_leiden) = (f(&lp, "modularity"), f(&leiden, "modularity"));
    assert!(
        q_lp > 0.0 && q_lp < q_leiden,
        "label propagation {q_lp}, Leiden {q_leiden}"
    );
    let bad = portevoix(&["communities", "--resolution", "0", &path]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--resolution"));
}

fn sir_on(path: &str, beta: &str, seeds: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "spread", "--json", "--model", "sir", "--beta", beta, "--runs", "40", "--seeds", seeds,
        "--seed", "3",
    ];
    args.extend_from_slice(extra);
    args.push(path);
    json(&portevoix(&args))
}

#[test]
fn sir_outbreaks_on_slashdot_grow_with_beta_and_with_the_infectious_period() {
    let path = slashdot();
    let means: Vec<f64> = ["0.002", "0.02", "0.1"]
        .iter()
        .map(|beta| {
            let s = sir_on(&path, beta, "5", &[]);
            assert_eq!(u(&s, "nodes"), 82_168);
            assert_eq!(s["seeds"].as_array().unwrap().len(), 5);
            assert!(u(&s, "min") >= 5 && u(&s, "max") <= 82_168, "{s}");
            let (p10, p50, p90) = (f(&s, "p10"), f(&s, "p50"), f(&s, "p90"));
            assert!(p10 <= p50 && p50 <= p90, "{s}");
            f(&s, "mean")
        })
        .collect();
    assert!(
        means[0] < means[1] && means[1] < means[2],
        "mean outbreak sizes {means:?} for beta 0.002, 0.02, 0.1"
    );
    // Above the threshold the five best-followed accounts reach a large share of Slashdot.
    assert!(means[2] > 0.1 * 82_168.0, "{means:?}");

    // The mean-field threshold of Slashdot's undirected degrees is well below 0.1.
    let s = sir_on(&path, "0.02", "5", &[]);
    let threshold = f(&s, "epidemic_threshold");
    assert!(threshold > 0.0 && threshold < 0.02, "threshold {threshold}");

    // A longer infectious period (gamma 0.5) transmits more: T = 0.02 / 0.51.
    let longer = sir_on(&path, "0.02", "5", &["--gamma", "0.5"]);
    assert!((f(&longer, "transmissibility") - 0.02 / 0.51).abs() < 1e-12);
    assert!(
        f(&longer, "mean") > f(&s, "mean"),
        "gamma 0.5: {}, gamma 1: {}",
        longer["mean"],
        s["mean"]
    );
}

#[test]
fn sir_with_gamma_one_is_the_constant_cascade_and_seeds_can_be_named() {
    let path = bitcoin_otc();
    let sir = sir_on(&path, "0.1", "5", &[]);
    let ic = json(&portevoix(&[
        "spread", "--json", "--model", "ic", "--beta", "0.1", "--runs", "40", "--seeds", "5",
        "--seed", "3", &path,
    ]));
    assert_eq!(ic["model"], "ic");
    for key in ["mean", "std", "min", "max", "p10", "p50", "p90"] {
        assert_eq!(sir[key], ic[key], "{key}");
    }

    // The top seed by contacts, named by its id, spreads exactly as `--seeds 1` does.
    let top = sir_on(&path, "0.1", "1", &[]);
    let id = top["seeds"][0]["id"].as_str().unwrap().to_string();
    assert!(u(&top["seeds"][0], "contacts") > 100, "{top}");
    let named = sir_on(&path, "0.1", &format!("{id},"), &[]);
    assert_eq!(named["seeds"][0]["id"], id.as_str());
    assert_eq!(named["mean"], top["mean"]);

    // The weighted cascade gives each receiver 1 / (its number of senders).
    let wc = json(&portevoix(&[
        "spread",
        "--json",
        "--model",
        "ic",
        "--activation",
        "weighted-cascade",
        "--runs",
        "40",
        &path,
    ]));
    assert_eq!(wc["activation"], "weighted-cascade");
    assert!(wc["transmissibility"].is_null());
    assert!(f(&wc, "mean") >= 10.0);

    let unknown = portevoix(&["spread", "--seeds", "no-such-account", &path]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-account"));
}
