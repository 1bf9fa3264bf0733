//! `portevoix paths` on real data: the airline tweets with the United
//! campaign (paths from @united over mentions, every tie checked against the
//! raw CSV), the bundled Higgs sample from a chosen account (every tie
//! checked against the raw activity log), and the errors a user meets.

mod common;

use common::{csv_records, portevoix, repo};
use flate2::read::GzDecoder;
use portevoix_testdata::shared_dataset;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
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

/// `(author, mentioned)` pairs of the airline tweets, lowercased, with the
/// number of tweets, read from the raw CSV: every `@word` of a text (a
/// superset of the reader's mention rules, which only drop some of them).
fn airline_mentions() -> HashMap<(String, String), usize> {
    let text = std::fs::read_to_string(shared_dataset("airline-sentiment/tweets.csv")).unwrap();
    let records = csv_records(&text);
    let header = &records[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (author, body) = (col("name"), col("text"));
    let mut pairs = HashMap::new();
    for r in &records[1..] {
        let t = &r[body];
        let bytes = t.as_bytes();
        let mut seen = HashSet::new();
        for (i, _) in t.match_indices('@') {
            let handle: String = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .map(|&b| b as char)
                .collect();
            let pair = (r[author].to_lowercase(), handle.to_lowercase());
            if !handle.is_empty() && seen.insert(pair.clone()) {
                *pairs.entry(pair).or_default() += 1;
            }
        }
    }
    pairs
}

fn labels(path: &Value) -> Vec<String> {
    path["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap().to_string())
        .collect()
}

fn bare(label: &str) -> String {
    label.trim_start_matches('@').to_lowercase()
}

#[test]
fn airline_paths_from_united_follow_real_mentions() {
    let mentions = airline_mentions();
    // Who mentioned @united in most tweets (a tie of strength near 1, so its
    // direct path is the strongest), and someone who never did but
    // mentioned a person who did (two hops at least), from the raw CSV.
    let direct: HashMap<&str, usize> = mentions
        .iter()
        .filter(|((a, b), _)| b == "united" && a != "united")
        .map(|((a, _), &n)| (a.as_str(), n))
        .collect();
    assert!(
        direct.len() > 1000,
        "{} accounts mention @united",
        direct.len()
    );
    let mut far: Vec<&str> = mentions
        .keys()
        .filter(|(a, b)| {
            direct.contains_key(b.as_str()) && !direct.contains_key(a.as_str()) && a != "united"
        })
        .map(|(a, _)| a.as_str())
        .collect();
    far.sort_unstable();
    let far = far[0];
    let (near, most) = direct
        .iter()
        .map(|(&a, &n)| (a, n))
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(x.0)))
        .unwrap();
    assert!(most >= 10, "@{near} mentions @united in {most} tweets");

    let campaign = repo("examples/campaigns/airline.toml");
    let tweets = shared_dataset("airline-sentiment/tweets.csv");
    let to_near = format!("@{near}");
    let to_far = format!("@{far}");
    let out = portevoix(&[
        "paths",
        "--campaign",
        campaign.to_str().unwrap(),
        "--to",
        &to_near,
        "--to",
        &to_far,
        "-k",
        "3",
        "--format",
        "posts-csv",
        "--json",
        tweets.to_str().unwrap(),
    ]);
    let report = json(&out);
    assert_eq!(report["sources_from"], "brand");
    assert_eq!(report["sources"][0]["label"], "@united");
    assert_eq!(report["layers"][0]["layer"], "mention");
    assert_eq!(report["k"], 3);
    let groups = report["targets"].as_array().unwrap();
    assert_eq!(groups.len(), 2);

    // The account that mentioned @united: its strongest path is the direct tie.
    let first = &groups[0]["paths"][0];
    assert_eq!(
        bare(groups[0]["targets"][0]["label"].as_str().unwrap()),
        near
    );
    assert_eq!(labels(first).len(), 2, "{first}");
    assert_eq!(first["hops"], 1);
    assert_eq!(first["ties"][0]["layers"][0]["layer"], "mention");
    assert!(first["ties"][0]["layers"][0]["count"].as_u64().unwrap() >= 1);
    // The other one is reached through someone.
    let paths = groups[1]["paths"].as_array().unwrap();
    assert!(!paths.is_empty(), "{} is reachable", far);
    assert!(paths[0]["hops"].as_u64().unwrap() >= 2);

    for group in groups {
        let target = bare(group["targets"][0]["label"].as_str().unwrap());
        let mut last = f64::INFINITY;
        for (i, path) in group["paths"].as_array().unwrap().iter().enumerate() {
            assert_eq!(path["rank"], i + 1);
            let strength = path["strength"].as_f64().unwrap();
            assert!(strength > 0.0 && strength <= 1.0 && strength <= last + 1e-12);
            last = strength;
            let names = labels(path);
            assert_eq!(bare(&names[0]), "united");
            assert_eq!(bare(names.last().unwrap()), target);
            assert_eq!(path["hops"].as_u64().unwrap() as usize, names.len() - 1);
            let unique: HashSet<&String> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "loopless: {names:?}");
            // Each step a → b: b mentioned a in the raw tweets.
            for pair in names.windows(2) {
                let (from, to) = (bare(&pair[0]), bare(&pair[1]));
                assert!(
                    mentions.contains_key(&(to.clone(), from.clone())),
                    "@{to} never mentions @{from} in the CSV ({names:?})"
                );
            }
            // The strength is the product of the ties'.
            let product: f64 = path["ties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["strength"].as_f64().unwrap())
                .product();
            assert!((product - strength).abs() < 1e-9, "{product} vs {strength}");
        }
    }

    // The table shows the same paths with their ties.
    let out = portevoix(&[
        "paths",
        "--campaign",
        campaign.to_str().unwrap(),
        "--to",
        &to_near,
        "--format",
        "posts-csv",
        tweets.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("from the brand's accounts (1): @united"),
        "{table}"
    );
    assert!(table.contains(" rank   strength  hops  path"), "{table}");
    assert!(table.contains("    1  "), "{table}");
    assert!(table.contains("@united →[mention×"), "{table}");
}

/// `(actor, target)` pairs of the Higgs sample, from the raw log.
fn higgs_edges(path: &Path) -> HashSet<(String, String)> {
    let mut text = String::new();
    GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect()
}

#[test]
fn higgs_paths_from_a_chosen_account() {
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let edges = higgs_edges(&sample);
    // 88 is the most retweeted account of the sample; 118389 retweeted
    // 100127, who retweeted 88: two hops at least.
    assert!(edges.contains(&("100127".into(), "88".into())));
    assert!(edges.contains(&("118389".into(), "100127".into())));
    assert!(!edges.contains(&("118389".into(), "88".into())));
    let out = portevoix(&[
        "paths",
        "--from",
        "88",
        "--to",
        "118389",
        "-k",
        "4",
        "--json",
        sample.to_str().unwrap(),
    ]);
    let report = json(&out);
    assert_eq!(report["sources_from"], "from");
    let layers: Vec<&str> = report["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["repost", "reply", "mention"]);
    let paths = report["targets"][0]["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 4);
    for path in paths {
        let names = labels(path);
        assert_eq!(names[0], "88");
        assert_eq!(names.last().unwrap(), "118389");
        assert!(names.len() >= 3);
        for (pair, tie) in names.windows(2).zip(path["ties"].as_array().unwrap()) {
            // The message goes from pair[0] to pair[1], who acted on pair[0].
            assert!(
                edges.contains(&(pair[1].clone(), pair[0].clone())),
                "{} → {} is no interaction of the log",
                pair[1],
                pair[0]
            );
            assert!(!tie["layers"].as_array().unwrap().is_empty());
        }
    }

    // Restricting to retweets gives paths made of retweets only.
    let out = portevoix(&[
        "paths",
        "--from",
        "88",
        "--to",
        "118389",
        "--layers",
        "repost",
        "--json",
        sample.to_str().unwrap(),
    ]);
    let report = json(&out);
    for path in report["targets"][0]["paths"].as_array().unwrap() {
        for tie in path["ties"].as_array().unwrap() {
            let layers = tie["layers"].as_array().unwrap();
            assert_eq!(layers.len(), 1);
            assert_eq!(layers[0]["layer"], "repost");
        }
    }
}

#[test]
fn unknown_accounts_are_errors_that_name_them() {
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let out = portevoix(&[
        "paths",
        "--from",
        "88",
        "--to",
        "no-such-account",
        "--to",
        "@nobody_here",
        sample.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--to"), "{err}");
    assert!(err.contains("\"no-such-account\""), "{err}");
    assert!(err.contains("\"@nobody_here\""), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let out = portevoix(&[
        "paths",
        "--from",
        "not-an-id",
        "--to",
        "88",
        sample.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from") && err.contains("not-an-id"), "{err}");

    // A campaign without employees cannot start from them.
    let campaign = repo("examples/campaigns/airline.toml");
    let tweets = shared_dataset("airline-sentiment/tweets.csv");
    let out = portevoix(&[
        "paths",
        "--campaign",
        campaign.to_str().unwrap(),
        "--via-employees",
        "--to",
        "@united",
        "--format",
        "posts-csv",
        tweets.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("employees"), "{err}");

    // Neither a campaign nor --from: clap refuses before reading anything.
    let out = portevoix(&["paths", "--to", "88", sample.to_str().unwrap()]);
    assert!(!out.status.success());
}

#[test]
fn unreachable_target_is_an_empty_list_not_an_error() {
    // 88 is retweeted, it retweets no one here: nothing reaches 88 from 118389.
    let sample = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let out = portevoix(&[
        "paths",
        "--from",
        "118389",
        "--to",
        "88",
        "--layers",
        "repost",
        sample.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("to 88: 0 paths"), "{table}");
    assert!(table.contains("no path"), "{table}");
}
