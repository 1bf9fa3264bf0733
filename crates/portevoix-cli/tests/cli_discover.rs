//! `portevoix discover` on the airline tweets with the United campaign, in
//! every report format (the JSON Lines contract of docs/discover-output.md
//! checked line by line, the other formats read back), `--top`, `--out`,
//! and the errors a user meets.

mod common;

use common::{csv_records, portevoix, repo};
use portevoix_testdata::shared_dataset;
use serde_json::Value;
use std::process::Output;

fn campaign() -> String {
    repo("examples/campaigns/airline.toml")
        .to_str()
        .unwrap()
        .to_string()
}

fn tweets() -> String {
    shared_dataset("airline-sentiment/tweets.csv")
        .to_str()
        .unwrap()
        .to_string()
}

/// `discover` on the airline tweets with `extra` arguments; must succeed.
fn discover(extra: &[&str]) -> Output {
    let (c, t) = (campaign(), tweets());
    let mut args = vec!["discover", "--campaign", &c, "--format", "posts-csv"];
    args.extend_from_slice(extra);
    args.push(&t);
    let out = portevoix(&args);
    assert!(
        out.status.success(),
        "{extra:?}: exit {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn jsonl(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// Checks one line against the contract of docs/discover-output.md.
fn check_line(v: &Value, k: usize) {
    let o = v.as_object().expect("an object");
    for key in [
        "id",
        "handle",
        "contextual_score",
        "baseline_score",
        "rank",
        "baseline_rank",
        "tier",
        "role",
        "ambassador",
        "detractor",
        "pyramid_level",
        "community",
        "signals",
        "explanation",
        "baseline_explanation",
    ] {
        assert!(o.contains_key(key), "line {k}: no {key}");
    }
    assert!(o["id"].is_string());
    assert!(o["handle"].is_null() || o["handle"].as_str().unwrap().starts_with('@'));
    let score = o["contextual_score"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score));
    assert!((0.0..=100.0).contains(&o["baseline_score"].as_f64().unwrap()));
    assert_eq!(
        o["rank"].as_u64(),
        Some(k as u64 + 1),
        "lines in rank order"
    );
    assert!(o["baseline_rank"].as_u64().unwrap() >= 1);
    let tier = o["tier"].as_str().unwrap();
    assert!(["macro", "micro", "other"].contains(&tier), "{tier}");
    match (&o["role"], tier) {
        (Value::Null, "other") => {}
        (Value::String(r), "macro") => assert!(
            ["celebrity", "opinion_leader", "specialist", "trend_spotter"].contains(&r.as_str()),
            "{r}"
        ),
        (Value::String(r), "micro") => {
            assert!(
                ["networker", "diffuser", "power_user"].contains(&r.as_str()),
                "{r}"
            )
        }
        (r, t) => panic!("line {k}: role {r} for tier {t}"),
    }
    assert!(
        o["ambassador"].is_null()
            || ["employee", "customer"].contains(&o["ambassador"].as_str().unwrap()),
        "{}",
        o["ambassador"]
    );
    assert!(o["detractor"].is_boolean());
    assert!((1..=5).contains(&o["pyramid_level"].as_u64().unwrap()));
    assert!(o["community"].is_null() || o["community"].is_u64());
    let signals = o["signals"].as_object().unwrap();
    assert!(signals.len() > 20, "{}", signals.len());
    assert!(signals.contains_key("reach.pagerank") && signals.contains_key("relevance.bm25"));
    assert!(
        signals
            .values()
            .all(|x| x.as_f64().is_some_and(f64::is_finite))
    );
    for (name, expected) in [
        ("explanation", score),
        (
            "baseline_explanation",
            o["baseline_score"].as_f64().unwrap(),
        ),
    ] {
        let e = &o[name];
        assert_eq!(e["score"].as_f64(), Some(expected));
        let contributions = e["contributions"].as_array().unwrap();
        let total: f64 = contributions
            .iter()
            .map(|c| {
                assert!(c["signal"].is_string());
                for f in ["raw", "normalised", "weight"] {
                    assert!(c[f].is_number(), "{name}.{f}");
                }
                c["contribution"].as_f64().unwrap()
            })
            .sum();
        assert!(
            (total - expected).abs() < 1e-6,
            "line {k} {name}: {total} vs {expected}"
        );
        for ev in e["evidence"].as_array().unwrap() {
            assert!(["post", "account", "note"].contains(&ev["kind"].as_str().unwrap()));
        }
    }
    assert_eq!(
        o["explanation"]["contributions"].as_array().unwrap().len(),
        signals.len()
    );
    assert!(o["explanation"]["classification"].is_array());
    assert!(o["explanation"]["pyramid"].is_array());
}

#[test]
fn jsonl_keeps_the_contract() {
    let lines = jsonl(&discover(&["--report", "jsonl"]).stdout);
    assert!(lines.len() > 5000, "{}", lines.len());
    for (k, v) in lines.iter().enumerate() {
        check_line(v, k);
    }
    for w in lines.windows(2) {
        assert!(w[0]["contextual_score"].as_f64() >= w[1]["contextual_score"].as_f64());
    }
    // Baseline ranks: a permutation of 1..n.
    let mut base: Vec<u64> = lines
        .iter()
        .map(|v| v["baseline_rank"].as_u64().unwrap())
        .collect();
    base.sort_unstable();
    assert_eq!(base, (1..=lines.len() as u64).collect::<Vec<_>>());
    // The brand and the campaign's exclusions are not candidates.
    for h in ["@united", "@americanair", "@usairways"] {
        assert!(
            lines
                .iter()
                .all(|v| v["handle"].as_str().map(str::to_lowercase).as_deref() != Some(h)),
            "{h}"
        );
    }
    // Someone is a detractor and someone an ambassador in these tweets.
    assert!(lines.iter().any(|v| v["detractor"] == Value::Bool(true)));
    assert!(lines.iter().any(|v| v["ambassador"] == "customer"));

    // --top 5: the same first five lines.
    let top = jsonl(&discover(&["--report", "jsonl", "--top", "5"]).stdout);
    assert_eq!(top.len(), 5);
    for (a, b) in top.iter().zip(&lines) {
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["contextual_score"], b["contextual_score"]);
    }
}

/// Equal up to serde_json's float parsing (not correctly rounded without
/// its `float_roundtrip` feature: off by an ulp at times).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-14 * a.abs().max(b.abs())
}

#[test]
fn csv_reads_back_and_agrees_with_jsonl() {
    let top = ["--top", "50"];
    let lines = jsonl(&discover(&[&["--report", "jsonl"][..], &top].concat()).stdout);
    let text =
        String::from_utf8(discover(&[&["--report", "csv"][..], &top].concat()).stdout).unwrap();
    let records = csv_records(&text);
    let header = &records[0];
    assert_eq!(
        header[..13],
        [
            "rank",
            "id",
            "handle",
            "contextual_score",
            "baseline_score",
            "baseline_rank",
            "tier",
            "role",
            "ambassador",
            "detractor",
            "pyramid_level",
            "community",
            "name"
        ]
    );
    let signals = lines[0]["signals"].as_object().unwrap();
    assert_eq!(header.len(), 13 + signals.len());
    assert_eq!(records.len(), 1 + lines.len());
    for (r, v) in records[1..].iter().zip(&lines) {
        assert_eq!(r.len(), header.len());
        assert_eq!(r[0], v["rank"].to_string());
        assert_eq!(r[1], v["id"].as_str().unwrap());
        let score: f64 = r[3].parse().unwrap();
        assert!(same(score, v["contextual_score"].as_f64().unwrap()));
        assert_eq!(r[6], v["tier"].as_str().unwrap());
        assert!(r[9] == "true" || r[9] == "false");
        assert_eq!(r[12], v["name"].as_str().unwrap_or(""));
        for (name, cell) in header[13..].iter().zip(&r[13..]) {
            let x: f64 = cell.parse().unwrap();
            let y = v["signals"][name].as_f64().unwrap();
            assert!(same(x, y), "{name}: {x} vs {y}");
        }
    }
}

/// Tags of an XML document balance (a small well-formedness check).
fn check_xml(text: &str) -> Vec<String> {
    assert!(text.starts_with("<?xml"), "{}", &text[..text.len().min(80)]);
    let mut stack: Vec<String> = Vec::new();
    let mut opened = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').expect("a tag ends");
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(closing.trim()), "</{closing}>");
            continue;
        }
        if !tag.ends_with('/') {
            stack.push(name.clone());
        }
        opened.push(name);
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    opened
}

#[test]
fn gexf_html_md_and_table_are_written() {
    let gexf = String::from_utf8(discover(&["--report", "gexf", "--top", "40"]).stdout).unwrap();
    let tags = check_xml(&gexf);
    assert_eq!(tags.first().map(String::as_str), Some("gexf"));
    assert_eq!(tags.iter().filter(|t| *t == "node").count(), 40);
    assert!(gexf.contains("contextual_score"));

    let html = String::from_utf8(discover(&["--report", "html", "--top", "30"]).stdout).unwrap();
    assert!(html.contains("<svg"), "no SVG");
    assert!(html.contains(r#"id="pyramid""#));
    assert!(html.contains("United: air travel service advocates"));
    assert!(!html.contains("<script"));

    let md = String::from_utf8(discover(&["--report", "md"]).stdout).unwrap();
    let rows = md.lines().filter(|l| l.starts_with('|')).count();
    // The class counts table and 25 accounts (the default for md).
    assert!(rows >= 25 + 2, "{rows}\n{md}");

    let table = String::from_utf8(discover(&["--top", "10"]).stdout).unwrap();
    assert!(
        table.contains("United: air travel service advocates"),
        "{table}"
    );
    assert!(table.contains("advocacy"));
    let ranked: Vec<&str> = table
        .lines()
        .filter(|l| {
            l.starts_with(' ')
                && l.split_whitespace()
                    .next()
                    .is_some_and(|w| w.parse::<u32>().is_ok())
        })
        .collect();
    assert_eq!(ranked.len(), 10, "{table}");
}

#[test]
fn out_writes_the_file_and_timings_go_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("top.jsonl");
    let out = discover(&[
        "--report",
        "jsonl",
        "--top",
        "5",
        "--timings",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.stdout.is_empty());
    let lines = jsonl(&std::fs::read(&path).unwrap());
    assert_eq!(lines.len(), 5);
    for (k, v) in lines.iter().enumerate() {
        check_line(v, k);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    for stage in ["read", "signals", "scores", "total"] {
        assert!(stderr.contains(stage), "{stderr}");
    }
}

fn fails(args: &[&str]) -> String {
    let out = portevoix(args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{args:?} succeeded");
    assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn errors_are_reported_without_panic() {
    let t = tweets();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let e = fails(&[
        "discover",
        "--campaign",
        missing.to_str().unwrap(),
        "--format",
        "posts-csv",
        &t,
    ]);
    assert!(e.contains("missing.toml"), "{e}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"x\"\n[brand]\nhandles = [\"@united\"]\n\n[topic.keywords]\nflight = \"heavy\"\n",
    )
    .unwrap();
    let e = fails(&[
        "discover",
        "--campaign",
        bad.to_str().unwrap(),
        "--format",
        "posts-csv",
        &t,
    ]);
    assert!(e.contains("bad.toml:6"), "{e}");

    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "name = \"x\"\nobjective = \"fame\"\n").unwrap();
    let e = fails(&[
        "discover",
        "--campaign",
        unknown.to_str().unwrap(),
        "--format",
        "posts-csv",
        &t,
    ]);
    assert!(e.contains("unknown.toml:2"), "{e}");

    let c = campaign();
    let e = fails(&[
        "discover",
        "--campaign",
        &c,
        "--report",
        "pdf",
        "--format",
        "posts-csv",
        &t,
    ]);
    assert!(e.contains("pdf") && e.contains("jsonl"), "{e}");

    // A missing input file.
    let e = fails(&[
        "discover",
        "--campaign",
        &c,
        "--format",
        "posts-csv",
        dir.path().join("none.csv").to_str().unwrap(),
    ]);
    assert!(e.contains("none.csv"), "{e}");
}

#[test]
fn gexf_description_counts_every_candidate() {
    let table = String::from_utf8(discover(&["--top", "1"]).stdout).unwrap();
    let candidates: u64 = table
        .lines()
        .find_map(|l| l.split(" candidates out of ").next()?.parse().ok())
        .expect("a candidates line");
    assert!(candidates > 5000, "{candidates}");
    let gexf = String::from_utf8(discover(&["--report", "gexf", "--top", "3"]).stdout).unwrap();
    assert!(
        gexf.contains(&format!("3 of {candidates} candidates")),
        "{}",
        gexf.lines()
            .find(|l| l.contains("description"))
            .unwrap_or("")
    );
}
