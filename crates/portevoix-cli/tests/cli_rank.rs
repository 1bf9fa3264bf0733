//! The `rank` contract, exactly as the kernels issue wrote it:
//! `portevoix rank --algo ALGO [--layer NAME]... [--format FMT] [--damping 0.85] [--tol 1e-10]
//! [--personalization FILE] [--undirected] [--keep-self-loops] --out FILE INPUT...`
//! writes CSV `id,score`, one row per account, by score descending then id;
//! checked against NetworkX's values on Slashdot Zoo (the golden file of the
//! graph crate) and against counts made from the raw file.

mod common;

use common::{csv_records, portevoix, repo};
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

fn slashdot() -> String {
    shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz")
        .to_string_lossy()
        .into_owned()
}

/// Runs `rank` with `args` and `--out`, returns the CSV rows (header first).
fn rank_csv(args: &[&str]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    let mut all = vec!["rank"];
    all.extend_from_slice(args);
    all.extend(["--out", out.to_str().unwrap()]);
    let o = portevoix(&all);
    assert!(
        o.status.success(),
        "{all:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    csv_records(&std::fs::read_to_string(&out).unwrap())
}

/// Checks the contract's shape and returns id → score.
fn contract(rows: &[Vec<String>], accounts: usize) -> HashMap<String, f64> {
    assert_eq!(rows[0], ["id", "score"]);
    let body = &rows[1..];
    assert_eq!(body.len(), accounts);
    let parsed: Vec<(f64, &str)> = body
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 2, "{r:?}");
            (r[1].parse::<f64>().unwrap(), r[0].as_str())
        })
        .collect();
    // By score descending, then id (numbers by value).
    for w in parsed.windows(2) {
        let (a, b) = (w[0], w[1]);
        let key = |id: &str| id.parse::<u64>().unwrap();
        assert!(
            a.0 > b.0 || (a.0 == b.0 && key(a.1) < key(b.1)),
            "{a:?} before {b:?}"
        );
    }
    parsed
        .into_iter()
        .map(|(s, id)| (id.to_string(), s))
        .collect()
}

/// NetworkX's PageRank and personalised PageRank on Slashdot Zoo, by id.
fn golden() -> (
    HashMap<String, f64>,
    HashMap<String, f64>,
    BTreeMap<String, f64>,
) {
    let file = std::fs::File::open(repo(
        "crates/portevoix-graph/tests/golden/pagerank_slashdot.json.gz",
    ))
    .unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<String> = v["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.to_string())
        .collect();
    let column = |key: &str| -> HashMap<String, f64> {
        ids.iter()
            .cloned()
            .zip(
                v[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap()),
            )
            .collect()
    };
    let personalization = v["personalization"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, w)| (k.clone(), w.as_f64().unwrap()))
        .collect();
    (column("pagerank"), column("ppr"), personalization)
}

fn l1(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().map(|(k, x)| (x - b[k]).abs()).sum()
}

#[test]
fn pagerank_and_ppr_csv_match_networkx_on_slashdot() {
    let path = slashdot();
    let (pagerank, ppr, personalization) = golden();
    let pr = contract(
        &rank_csv(&["--algo", "pagerank", "--tol", "1e-12", &path]),
        82_168,
    );
    let d = l1(&pr, &pagerank);
    assert!(d < 1e-9, "PageRank L1 to NetworkX {d:e}");
    assert!((pr.values().sum::<f64>() - 1.0).abs() < 1e-9);

    let dir = tempfile::tempdir().unwrap();
    let weights = dir.path().join("personalization.csv");
    let mut text = String::from("id,weight\n");
    for (id, w) in &personalization {
        text.push_str(&format!("{id},{w}\n"));
    }
    std::fs::write(&weights, text).unwrap();
    let w = weights.to_str().unwrap();
    let p = contract(
        &rank_csv(&[
            "--algo",
            "ppr",
            "--personalization",
            w,
            "--tol",
            "1e-12",
            &path,
        ]),
        82_168,
    );
    let d = l1(&p, &ppr);
    assert!(d < 1e-9, "personalised PageRank L1 to NetworkX {d:e}");
    // pagerank with a personalisation is the same computation.
    let same = contract(
        &rank_csv(&[
            "--algo",
            "pagerank",
            "--personalization",
            w,
            "--tol",
            "1e-12",
            &path,
        ]),
        82_168,
    );
    assert_eq!(same, p);
}

/// `indegree`, with and without `--undirected`, against counts from the
/// raw file: distinct in-neighbours (Slashdot has no duplicate edges), and
/// distinct neighbours either way for the undirected view; self-loops are
/// dropped unless `--keep-self-loops`.
#[test]
fn indegree_and_undirected_match_the_raw_file() {
    let path = slashdot();
    let file = std::fs::File::open(&path).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let mut ins: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut either: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut loops: HashMap<String, f64> = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split_whitespace();
        let (a, b) = (f.next().unwrap().to_string(), f.next().unwrap().to_string());
        if a == b {
            *loops.entry(a).or_default() += 1.0;
            continue;
        }
        ins.entry(b.clone()).or_default().insert(a.clone());
        either.entry(b.clone()).or_default().insert(a.clone());
        either.entry(a).or_default().insert(b);
    }
    let count =
        |m: &HashMap<String, BTreeSet<String>>, id: &str| m.get(id).map_or(0.0, |s| s.len() as f64);
    let indegree = contract(&rank_csv(&["--algo", "indegree", &path]), 82_168);
    for (id, s) in &indegree {
        assert_eq!(*s, count(&ins, id), "in-degree of {id}");
    }
    let undirected = contract(
        &rank_csv(&["--algo", "indegree", "--undirected", &path]),
        82_168,
    );
    for (id, s) in &undirected {
        assert_eq!(*s, count(&either, id), "undirected degree of {id}");
    }
    let kept = contract(
        &rank_csv(&["--algo", "indegree", "--keep-self-loops", &path]),
        82_168,
    );
    assert!(!loops.is_empty());
    for (id, s) in &kept {
        assert_eq!(*s, count(&ins, id) + loops.get(id).copied().unwrap_or(0.0));
    }
}

/// `--layer` picks the layers of the view (several are merged), `--format`
/// forces the reader; the old flag names stay as aliases.
#[test]
fn layers_formats_and_aliases() {
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let s = sample.to_str().unwrap();
    let repost = rank_csv(&[
        "--algo", "indegree", "--layer", "repost", "--format", "higgs", s,
    ]);
    let both = rank_csv(&[
        "--algo", "indegree", "--layer", "repost", "--layer", "mention", s,
    ]);
    let total = |rows: &[Vec<String>]| -> f64 {
        rows[1..].iter().map(|r| r[1].parse::<f64>().unwrap()).sum()
    };
    assert_eq!(repost.len(), both.len());
    assert!(total(&both) > total(&repost));
    // Today's names: --kernel and --tolerance.
    let a = rank_csv(&["--kernel", "hits-authority", "--tolerance", "1e-10", s]);
    let b = rank_csv(&["--algo", "hits-authority", "--tol", "1e-10", s]);
    assert_eq!(a, b);
    // Every algorithm of the contract runs and writes one row per account.
    for algo in [
        "leaderrank",
        "hits-hub",
        "katz",
        "coreness",
        "in-coreness",
        "out-coreness",
        "reach2",
        "reach3",
    ] {
        let rows = rank_csv(&["--algo", algo, "--layer", "repost", s]);
        assert_eq!(rows.len(), repost.len(), "{algo}");
    }
}

#[test]
fn contract_errors_are_clear() {
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let s = sample.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.csv");
    let o = out.to_str().unwrap();
    let unknown = dir.path().join("unknown.csv");
    std::fs::write(&unknown, "id,weight\n88,1\nnobody,2\n").unwrap();
    let u = unknown.to_str().unwrap();
    for (args, want) in [
        (
            vec!["rank", "--algo", "ppr", "--out", o, s],
            "needs --personalization",
        ),
        (
            vec!["rank", "--algo", "pagerankk", "--out", o, s],
            "unknown centrality",
        ),
        (
            vec![
                "rank",
                "--algo",
                "katz",
                "--personalization",
                u,
                "--out",
                o,
                s,
            ],
            "applies to pagerank and ppr",
        ),
        (
            vec![
                "rank",
                "--algo",
                "ppr",
                "--personalization",
                u,
                "--out",
                o,
                s,
            ],
            "unknown.csv:3:1: id nobody is not an account of the inputs",
        ),
        (
            vec!["rank", "--layer", "like", "--out", o, s],
            "none of the layers named by --layer",
        ),
    ] {
        let r = portevoix(&args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    assert!(!out.exists());
}
