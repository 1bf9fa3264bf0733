//! `rank --all-signals --out FILE` and `discover --graph-scores FILE`: a
//! campaign that reads the graph signals from the file reports exactly what
//! it reports when it computes them (airline tweets; Bitcoin OTC with the
//! campaign's trusted seeds), and a file from other data, a bad value or a
//! bad header stops with the file, line and column.

mod common;

use common::{csv_records, portevoix, repo};
use portevoix_testdata::shared_dataset;
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(out: std::process::Output, what: &str) -> std::process::Output {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `rank --all-signals` then `discover` with and without the file: the
/// JSON Lines reports are the same bytes.
fn same_report(campaign: &str, format: &str, data: &Path, dir: &Path, seeds: bool) -> String {
    let campaign = repo(campaign);
    let scores = dir.join("scores.csv");
    let mut args = vec!["rank", "--all-signals", "--format", format];
    if seeds {
        args.extend_from_slice(&["--campaign", path(&campaign)]);
    }
    args.extend_from_slice(&["--out", path(&scores), path(data)]);
    ok(portevoix(&args), "rank --all-signals");
    let discover = |extra: &[&str]| {
        let mut args = vec![
            "discover",
            "--campaign",
            path(&campaign),
            "--format",
            format,
            "--report",
            "jsonl",
        ];
        args.extend_from_slice(extra);
        args.push(path(data));
        ok(portevoix(&args), "discover").stdout
    };
    let computed = discover(&[]);
    let read = discover(&["--graph-scores", path(&scores)]);
    assert!(!computed.is_empty());
    assert!(
        computed == read,
        "discover --graph-scores differs from discover"
    );
    std::fs::read_to_string(&scores).unwrap()
}

#[test]
fn airline_campaign_reads_the_same_graph_signals() {
    let dir = tempfile::tempdir().unwrap();
    let tweets = shared_dataset("airline-sentiment/tweets.csv");
    let text = same_report(
        "examples/campaigns/airline.toml",
        "posts-csv",
        &tweets,
        dir.path(),
        true,
    );
    let rows = csv_records(&text);
    assert_eq!(
        rows[0],
        [
            "id",
            "reach.pagerank",
            "reach.authentic_pagerank",
            "reach.hop2",
            "trust.trustrank"
        ]
    );
    // One row per account; PageRank columns have mean 1.
    let n = rows.len() - 1;
    assert!(n > 5000, "{n} accounts");
    for j in [1, 2, 4] {
        let mean: f64 = rows[1..]
            .iter()
            .map(|r| r[j].parse::<f64>().unwrap())
            .sum::<f64>()
            / n as f64;
        assert!((mean - 1.0).abs() < 1e-6, "column {j}: mean {mean}");
    }
    // The brand's account is among the most endorsed.
    let united = rows.iter().find(|r| r[0] == "@united").expect("@united");
    assert!(united[1].parse::<f64>().unwrap() > 50.0, "{united:?}");
}

#[test]
fn trusted_seeds_come_from_the_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let otc = shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv");
    let with_seeds = same_report(
        "examples/campaigns/bitcoin-otc.toml",
        "signed",
        &otc,
        dir.path(),
        true,
    );
    // Without --campaign, TrustRank teleports to the default seeds: the
    // seeds change that column and nothing else.
    let other = dir.path().join("default-seeds.csv");
    ok(
        portevoix(&[
            "rank",
            "--all-signals",
            "--format",
            "signed",
            "--out",
            path(&other),
            path(&otc),
        ]),
        "rank --all-signals without seeds",
    );
    let (a, b) = (
        csv_records(&with_seeds),
        csv_records(&std::fs::read_to_string(&other).unwrap()),
    );
    assert_eq!(a.len(), b.len());
    let column = |rows: &[Vec<String>], j: usize| -> Vec<String> {
        rows.iter().map(|r| r[j].clone()).collect()
    };
    for j in 0..4 {
        assert_eq!(column(&a, j), column(&b, j), "column {j}");
    }
    assert_ne!(column(&a, 4), column(&b, 4), "TrustRank ignores the seeds");
}

#[test]
fn bad_graph_scores_files_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let otc = shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv");
    let campaign = repo("examples/campaigns/bitcoin-otc.toml");
    let scores = dir.path().join("scores.csv");
    ok(
        portevoix(&[
            "rank",
            "--all-signals",
            "--format",
            "signed",
            "--out",
            path(&scores),
            path(&otc),
        ]),
        "rank --all-signals",
    );
    let good = std::fs::read_to_string(&scores).unwrap();
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    let discover_with = |text: &str| -> String {
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, text).unwrap();
        let out = portevoix(&[
            "discover",
            "--campaign",
            path(&campaign),
            "--format",
            "signed",
            "--graph-scores",
            path(&file),
            path(&otc),
        ]);
        assert!(!out.status.success(), "{text:.80} was accepted");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    // A value that is not a number: line 5, column 3.
    let mut bad = lines.clone();
    let fields: Vec<&str> = bad[4].split(',').collect();
    bad[4] = format!("{},{},x1,{},{}", fields[0], fields[1], fields[3], fields[4]);
    let e = discover_with(&(bad.join("\n") + "\n"));
    assert!(
        e.contains("bad.csv:5:3") && e.contains("not a finite number"),
        "{e}"
    );
    // An account missing: the file was computed from other data.
    let removed = lines.remove(7);
    let e = discover_with(&(lines.join("\n") + "\n"));
    let id = removed.split(',').next().unwrap();
    assert!(
        e.contains(&format!("account {id} of the inputs has no row")),
        "{e}"
    );
    // An id the inputs do not have.
    lines.insert(7, removed.replacen(id, "no-such-trader", 1));
    let e = discover_with(&(lines.join("\n") + "\n"));
    assert!(
        e.contains("bad.csv:8:1") && e.contains("no-such-trader"),
        "{e}"
    );
    // A column that is not a graph signal.
    let e = discover_with(&good.replacen("reach.hop2", "reach.hop3", 1));
    assert!(e.contains("bad.csv:1:4") && e.contains("reach.hop3"), "{e}");
    // NaN is not a value.
    let e = discover_with(
        &good.replacen(
            &good
                .lines()
                .nth(1)
                .unwrap()
                .split(',')
                .nth(1)
                .unwrap()
                .to_string(),
            "NaN",
            1,
        ),
    );
    assert!(e.contains("bad.csv:2:2"), "{e}");
}

#[test]
fn all_signals_needs_out_and_no_algorithm() {
    let otc = shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv");
    let out = portevoix(&["rank", "--all-signals", path(&otc)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
    let out = portevoix(&[
        "rank",
        "--all-signals",
        "--algo",
        "katz",
        "--out",
        "-",
        path(&otc),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
