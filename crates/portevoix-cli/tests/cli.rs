//! The `portevoix` binary on real data: what a user types, what they get.

mod common;

use common::{portevoix, repo};
use portevoix_testdata::shared_dataset;
use serde_json::Value;
use std::io::Write;
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

fn layer<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == name)
        .unwrap_or_else(|| panic!("no layer {name} in {summary}"))
}

#[test]
fn readme_main_command_describes_the_bundled_higgs_sample() {
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let out = portevoix(&["inspect", sample.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "repost",
        "mention",
        "reply",
        "top accounts by repost in-degree",
        "60,000 records read",
    ] {
        assert!(table.contains(needle), "missing '{needle}' in:\n{table}");
    }

    let summary = json(&portevoix(&["inspect", "--json", sample.to_str().unwrap()]));
    // The sample's first 60,000 lines: RT 34,198, MT 21,617, RE 4,185.
    assert_eq!(layer(&summary, "repost")["input_rows"], 34_198);
    assert_eq!(layer(&summary, "mention")["input_rows"], 21_617);
    assert_eq!(layer(&summary, "reply")["input_rows"], 4_185);
    // Account 88 is the most retweeted source of the Higgs data set (SOURCE.md).
    assert_eq!(layer(&summary, "repost")["top_in_degree"][0]["id"], "88");
}

#[test]
fn every_shared_graph_dataset_loads_with_one_command() {
    let cases: [(&str, Option<&str>, &str, u64); 5] = [
        (
            "bitcoin-otc/soc-sign-bitcoinotc.csv",
            None,
            "rating",
            35_592,
        ),
        (
            "epinions-signed/soc-sign-epinions.txt.gz",
            None,
            "rating",
            841_372 - 573,
        ),
        (
            "slashdot-zoo/soc-Slashdot0902.txt.gz",
            None,
            "follow",
            948_464 - 78_303,
        ),
        (
            "higgs-twitter/higgs-retweet_network.edgelist.gz",
            Some("repost"),
            "repost",
            328_132,
        ),
        (
            "higgs-twitter/higgs-activity_time.txt.gz",
            None,
            "repost",
            328_132,
        ),
    ];
    for (file, layer_flag, layer_name, edges) in cases {
        let path = shared_dataset(file);
        let mut args = vec!["inspect", "--json"];
        if let Some(l) = layer_flag {
            args.extend(["--format", "edgelist", "--layer", l]);
        }
        let p = path.to_str().unwrap().to_string();
        args.push(&p);
        let summary = json(&portevoix(&args));
        assert_eq!(layer(&summary, layer_name)["edges"], edges, "{file}");
    }
}

#[test]
fn strict_mode_names_file_line_and_reason_lenient_mode_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("otc-damaged.csv");
    let real =
        std::fs::read_to_string(shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")).unwrap();
    let mut lines: Vec<&str> = real.lines().take(100).collect();
    lines[41] = "6,2,four,1289241912";
    std::fs::File::create(&path)
        .unwrap()
        .write_all(lines.join("\n").as_bytes())
        .unwrap();
    let p = path.to_str().unwrap();

    let strict = portevoix(&["inspect", "--format", "signed", p]);
    assert_eq!(strict.status.code(), Some(2));
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("otc-damaged.csv:42"), "{err}");

    let lenient = json(&portevoix(&[
        "inspect",
        "--format",
        "signed",
        "--lenient",
        "--json",
        p,
    ]));
    assert_eq!(layer(&lenient, "rating")["input_rows"], 99);
    assert_eq!(
        lenient["diagnostics"]["files"][0]["examples"][0]["location"]["line"],
        42
    );
}

#[test]
fn unknown_format_and_missing_file_are_clear_errors() {
    let out = portevoix(&["inspect", "--format", "nope", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format 'nope'"));
    let out = portevoix(&["inspect", "/definitely/not/here.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/definitely/not/here.txt"));
}

#[test]
fn rank_lists_the_most_central_accounts_of_the_bundled_sample() {
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let s = sample.to_str().unwrap();
    // Default view: the endorsement layers present (here, repost only).
    let pr = json(&portevoix(&["rank", "--json", "--top", "5", s]));
    assert_eq!(pr["kernel"], "pagerank");
    assert_eq!(pr["layers"][0]["layer"], "repost");
    assert_eq!(pr["converged"], true);
    // Account 88, the most retweeted source, leads PageRank on the retweet layer.
    assert_eq!(pr["top"][0]["id"], "88");
    let scores: Vec<f64> = pr["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // A weighted merged view has more edges than the repost layer alone.
    let merged = json(&portevoix(&[
        "rank",
        "--json",
        "--layers",
        "repost=1,mention=0.5",
        s,
    ]));
    assert!(merged["edges"].as_u64().unwrap() > pr["edges"].as_u64().unwrap());

    let cores = json(&portevoix(&[
        "rank", "--json", "--kernel", "coreness", "--top", "1", s,
    ]));
    assert!(cores["top"][0]["score"].as_f64().unwrap() >= 2.0);

    // HyperBall: the 2-hop reach of the most retweeted account is at least its retweeters.
    let reach = json(&portevoix(&[
        "rank", "--json", "--kernel", "reach2", "--top", "1", s,
    ]));
    assert_eq!(reach["top"][0]["id"], "88");
    assert!(reach["top"][0]["score"].as_f64().unwrap() >= 1_900.0 * 0.8);

    let bad = portevoix(&["rank", "--layers", "repost=heavy", s]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("weight 'heavy'"));
}
