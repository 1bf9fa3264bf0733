//! `rank --engine timely` (feature `timely`): real OS processes started by
//! the binary itself write exactly the local engine's scores file; a bad row
//! in another process's part is reported with its line in the whole file.
#![cfg(feature = "timely")]

mod common;

use common::*;
use std::io::Write;

fn data(relative: &str) -> String {
    portevoix_testdata::shared_dataset(relative)
        .display()
        .to_string()
}

fn rank(extra: &[&str], input: &str, out: &std::path::Path) -> std::process::Output {
    let mut args = vec![
        "rank",
        "--tol",
        "1e-12",
        "--top",
        "3",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.push(input);
    portevoix(&args)
}

#[test]
fn two_processes_write_the_local_scores_file() {
    let dir = tempfile::tempdir().unwrap();
    let slashdot = data("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let otc = data("bitcoin-otc/soc-sign-bitcoinotc.csv");
    for (algo, input) in [
        ("pagerank", &slashdot),
        ("hits-authority", &otc),
        ("leaderrank", &otc),
        ("coreness", &slashdot),
        ("reach2", &otc),
        ("indegree", &slashdot),
    ] {
        let local = dir.path().join(format!("{algo}-local.csv"));
        let timely = dir.path().join(format!("{algo}-timely.csv"));
        // The local power iteration (and HITS's): the vertex programs the
        // distributed engine runs; the local default may finish with a Krylov
        // method, which reaches the same fixed point by another path.
        let a = if matches!(algo, "pagerank" | "hits-authority") {
            rank(&["--algo", algo, "--solver", "power"], input, &local)
        } else {
            rank(&["--algo", algo], input, &local)
        };
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        let b = rank(
            &[
                "--algo",
                algo,
                "--engine",
                "timely",
                "--processes",
                "2",
                "--part-bytes",
                "200000",
            ],
            input,
            &timely,
        );
        assert!(
            b.status.success(),
            "{algo}: {}",
            String::from_utf8_lossy(&b.stderr)
        );
        let (x, y) = (
            std::fs::read(&local).unwrap(),
            std::fs::read(&timely).unwrap(),
        );
        assert!(x == y, "{algo}: the scores files differ");
        // Process 0 prints the summary once: the file's first accounts (the
        // local engine prints nothing with --out).
        let top: Vec<String> = String::from_utf8_lossy(&b.stdout)
            .lines()
            .filter(|l| l.trim_start().starts_with(['1', '2', '3']))
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
            .collect();
        let first: Vec<String> = String::from_utf8_lossy(&x)
            .lines()
            .skip(1)
            .take(3)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        assert_eq!(top, first, "{algo}");
        assert!(a.stdout.is_empty(), "{algo}");
    }
}

#[test]
fn a_bad_row_in_another_part_is_located_in_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edges.txt");
    let mut f = std::fs::File::create(&path).unwrap();
    for i in 0..20_000u32 {
        writeln!(f, "{} {}", i, (i * 7 + 1) % 20_000).unwrap();
    }
    writeln!(f, "12").unwrap(); // line 20,001: a row without a target
    for i in 0..1_000u32 {
        writeln!(f, "{} {}", i, i + 1).unwrap();
    }
    drop(f);
    let input = path.to_str().unwrap();
    let out = dir.path().join("s.csv");
    let local = rank(&["--format", "edgelist"], input, &out);
    let timely = rank(
        &[
            "--format",
            "edgelist",
            "--engine",
            "timely",
            "--processes",
            "2",
            "--part-bytes",
            "4096",
        ],
        input,
        &out,
    );
    assert!(!local.status.success() && !timely.status.success());
    let message = |o: &std::process::Output| {
        let e = String::from_utf8_lossy(&o.stderr).to_string();
        e.lines()
            .find(|l| l.contains(":20001"))
            .map(|l| l[l.find(input).unwrap_or(0)..].to_string())
            .unwrap_or_else(|| panic!("no location in: {e}"))
    };
    assert_eq!(message(&local), message(&timely));
}

/// A graph-scores file as `(header, id → values)`.
fn graph_scores(
    path: &std::path::Path,
) -> (Vec<String>, std::collections::HashMap<String, Vec<f64>>) {
    let rows = csv_records(&std::fs::read_to_string(path).unwrap());
    let body = rows[1..]
        .iter()
        .map(|r| {
            (
                r[0].clone(),
                r[1..].iter().map(|x| x.parse::<f64>().unwrap()).collect(),
            )
        })
        .collect();
    (rows[0].clone(), body)
}

#[test]
fn all_signals_on_two_processes_match_the_local_engine() {
    let dir = tempfile::tempdir().unwrap();
    let higgs = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let higgs = higgs.to_str().unwrap();
    // Trusted seeds from a campaign, and the default seeds without one.
    let campaign = dir.path().join("seeds.toml");
    let text = std::fs::read_to_string(repo("examples/campaigns/higgs.toml"))
        .unwrap()
        .replace(
            "trusted_seeds = []",
            "trusted_seeds = [\"88\", \"677\", \"no-such-account\"]",
        );
    std::fs::write(&campaign, text).unwrap();
    for seeds in [false, true] {
        let run = |engine: &[&str], name: &str| {
            let out = dir.path().join(name);
            let mut args = vec!["rank", "--all-signals", "--out", out.to_str().unwrap()];
            if seeds {
                args.extend_from_slice(&["--campaign", campaign.to_str().unwrap()]);
            }
            args.extend_from_slice(engine);
            args.push(higgs);
            let o = portevoix(&args);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            graph_scores(&out)
        };
        let (ha, a) = run(&[], "local.csv");
        let (hb, b) = run(
            &[
                "--engine",
                "timely",
                "--processes",
                "2",
                "--part-bytes",
                "100000",
            ],
            "timely.csv",
        );
        assert_eq!(ha, hb);
        assert_eq!(a.len(), b.len());
        let n = a.len() as f64;
        for (j, name) in ha[1..].iter().enumerate() {
            let l1: f64 = a.iter().map(|(id, x)| (x[j] - b[id][j]).abs()).sum::<f64>() / n;
            if name == "reach.hop2" {
                assert_eq!(l1, 0.0, "{name}: HyperBall must be identical");
            } else {
                assert!(l1 < 1e-9, "seeds {seeds}: {name}: L1/n {l1:e}");
            }
        }
    }
}

#[test]
fn personalised_pagerank_on_two_processes_matches_the_local_engine() {
    let dir = tempfile::tempdir().unwrap();
    let otc = data("bitcoin-otc/soc-sign-bitcoinotc.csv");
    let weights = dir.path().join("weights.csv");
    std::fs::write(&weights, "id,weight\n1,2\n13,1\n35,0.5\n").unwrap();
    let w = weights.to_str().unwrap();
    let local = dir.path().join("ppr-local.csv");
    let timely = dir.path().join("ppr-timely.csv");
    let a = rank(
        &["--algo", "ppr", "--personalization", w, "--solver", "power"],
        &otc,
        &local,
    );
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let b = rank(
        &[
            "--algo",
            "ppr",
            "--personalization",
            w,
            "--engine",
            "timely",
            "--processes",
            "2",
        ],
        &otc,
        &timely,
    );
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let read = |p: &std::path::Path| -> std::collections::HashMap<String, f64> {
        csv_records(&std::fs::read_to_string(p).unwrap())[1..]
            .iter()
            .map(|r| (r[0].clone(), r[1].parse().unwrap()))
            .collect()
    };
    let (x, y) = (read(&local), read(&timely));
    assert_eq!(x.len(), y.len());
    let l1: f64 = x.iter().map(|(k, v)| (v - y[k]).abs()).sum();
    assert!(l1 < 1e-9, "L1 {l1:e}");
    // Teleport only to the named accounts: the seeds lead.
    assert!(x["1"] > 0.05 && x["13"] > 0.02, "{} {}", x["1"], x["13"]);
    // An id that is not an account stops the job with its name.
    std::fs::write(&weights, "id,weight\nno-such-trader,1\n").unwrap();
    let c = rank(
        &[
            "--algo",
            "ppr",
            "--personalization",
            w,
            "--engine",
            "timely",
            "--processes",
            "2",
        ],
        &otc,
        &timely,
    );
    assert!(!c.status.success());
    assert!(String::from_utf8_lossy(&c.stderr).contains("no-such-trader"));
}
