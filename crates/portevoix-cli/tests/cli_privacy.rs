//! `--pseudonymize` and `--redact-text` end to end on the real airline
//! tweets: the same rankings under the same key (and the same scores as
//! without pseudonymisation, read back through the map), no raw handle or
//! tweet text in any output, the key never taken from the command line.

mod common;

use common::{csv_records, repo};
use portevoix_ingest::posts_csv::mentions_in;
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Output};

const KEY: &str = "airline-test-key: 32 bytes of it";

/// Runs the binary with the key in the environment (or none).
fn run(args: &[&str], key: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_portevoix"));
    c.args(args).env_remove("PORTEVOIX_PSEUDONYM_KEY");
    if let Some(k) = key {
        c.env("PORTEVOIX_PSEUDONYM_KEY", k);
    }
    c.output().expect("the binary runs")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The tweets of a file: (author handle, text).
fn tweets(path: &Path) -> Vec<(String, String)> {
    let rows = csv_records(&std::fs::read_to_string(path).unwrap());
    let head = &rows[0];
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (name, text) = (col("name"), col("text"));
    rows[1..]
        .iter()
        .map(|r| (r[name].clone(), r[text].clone()))
        .collect()
}

/// Every handle of the file: authors and mentioned accounts, lower-cased.
fn handles(tweets: &[(String, String)]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (author, text) in tweets {
        out.insert(author.to_lowercase());
        out.extend(mentions_in(text).into_iter().map(str::to_lowercase));
    }
    out
}

/// Words of an output, lower-cased, split on anything but `[A-Za-z0-9_]`.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Fails if an output holds a handle of the data (as a whole word) or a
/// piece of a tweet's text. `allowed` are words the output may hold for
/// other reasons (topic keywords that are also someone's handle).
fn assert_private(what: &str, output: &str, tweets: &[(String, String)], allowed: &[&str]) {
    let leaked: Vec<String> = handles(tweets)
        .intersection(&words(output))
        // Handles of 3 letters or fewer are English words too ("not").
        .filter(|h| h.len() >= 4 && !allowed.contains(&h.as_str()))
        .cloned()
        .collect();
    assert!(
        leaked.is_empty(),
        "{what}: raw handles in the output: {leaked:?}"
    );
    for (_, text) in tweets {
        // A distinctive run of the text, away from its mentions and links.
        let plain: String = text
            .split_whitespace()
            .filter(|w| !w.contains('@') && !w.contains("://") && !w.contains('&'))
            .collect::<Vec<_>>()
            .join(" ");
        if plain.chars().count() >= 40 {
            let piece: String = plain.chars().take(40).collect();
            assert!(
                !output.contains(&piece),
                "{what}: tweet text in the output: {piece:?}"
            );
        }
    }
}

#[test]
fn rank_is_the_same_under_the_same_key_and_maps_back() {
    let data = shared_dataset("airline-sentiment/tweets.csv");
    let d = data.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    let m = map.to_str().unwrap();
    let base = ["rank", "--format", "posts-csv", "--top", "40", "--json", d];
    let pseudo = |extra: &[&str], key| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        serde_json::from_str::<serde_json::Value>(&ok(&run(&args, key))).unwrap()
    };
    let raw = pseudo(&[], None);
    let a = pseudo(&["--pseudonymize", "--pseudonym-map", m], Some(KEY));
    let b = pseudo(&["--pseudonymize"], Some(KEY));
    let other = pseudo(&["--pseudonymize"], Some("another key, at least 16 bytes"));
    let top = |v: &serde_json::Value| -> Vec<(String, f64)> {
        v["top"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["label"].as_str().unwrap().to_string(),
                    r["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(top(&a), top(&b), "same key, same ranking");
    assert_ne!(
        top(&a)[0].0,
        top(&other)[0].0,
        "another key, other pseudonyms"
    );
    let scores = |v: &serde_json::Value| top(v).into_iter().map(|x| x.1).collect::<Vec<_>>();
    assert_eq!(scores(&a), scores(&raw));
    // Through the map, the pseudonymised ranking is the raw one.
    let back: HashMap<String, String> = csv_records(&std::fs::read_to_string(&map).unwrap())[1..]
        .iter()
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    for ((pl, ps), (rl, rs)) in top(&a).iter().zip(top(&raw)) {
        let original = back[pl.trim_start_matches('@')].clone();
        assert_eq!(original, rl.trim_start_matches('@').to_lowercase(), "{pl}");
        assert_eq!(*ps, rs);
    }
    let all = tweets(&data);
    assert_private("rank", &serde_json::to_string(&a).unwrap(), &all, &[]);
}

#[test]
fn analyze_and_sentiment_withhold_handles_and_texts() {
    let data = repo("datasets/airline-sample/tweets.first1000.csv");
    let d = data.to_str().unwrap();
    let all = tweets(&data);
    let topic = repo("examples/topic-airline-luggage.toml");
    let out = ok(&run(
        &[
            "analyze",
            "--topic",
            topic.to_str().unwrap(),
            "--format",
            "posts-csv",
            "--json",
            "--pseudonymize",
            "--redact-text",
            d,
        ],
        Some(KEY),
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let top = v["top"].as_array().unwrap();
    assert!(!top.is_empty());
    for a in top {
        for p in a["posts_behind"].as_array().unwrap() {
            assert_eq!(p["text"], "", "text withheld");
            assert!(
                p["id"].as_str().unwrap().starts_with('p') && p["score"].as_f64().unwrap() > 0.0
            );
        }
    }
    assert_private(
        "analyze",
        &out,
        &all,
        &["bag", "bags", "luggage", "lost", "baggage"],
    );
    // Without --pseudonymize the same analysis names people and quotes them.
    let plain = ok(&run(
        &[
            "analyze",
            "--topic",
            topic.to_str().unwrap(),
            "--format",
            "posts-csv",
            "--json",
            d,
        ],
        None,
    ));
    assert!(!handles(&all).is_disjoint(&words(&plain)));

    let out = ok(&run(
        &[
            "sentiment",
            "--format",
            "posts-csv",
            "--json",
            "--target",
            "@united",
            "--pseudonymize",
            "--redact-text",
            d,
        ],
        Some(KEY),
    ));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1000);
    assert!(
        lines
            .iter()
            .all(|l| l["text"] == "" && l["author"].as_str().unwrap().starts_with("@u"))
    );
    // The target, hashed the same way, is still found in the rewritten texts.
    let toward = lines.iter().filter(|l| !l["target"].is_null()).count();
    assert!(toward > 100, "{toward} posts toward @united");
    assert_private("sentiment", &out, &all, &[]);
}

#[test]
fn discover_reports_hold_no_handle_and_no_text() {
    let data = repo("datasets/airline-sample/tweets.first1000.csv");
    let d = data.to_str().unwrap();
    let all = tweets(&data);
    let dir = tempfile::tempdir().unwrap();
    // A campaign without account lists (their hashing is wired in the
    // score crate): a topic only.
    let campaign = dir.path().join("c.toml");
    std::fs::write(
        &campaign,
        "name = \"delays\"\nobjective = \"consideration\"\n[topic.keywords]\ndelay = 1.0\ndelayed = 1.0\ncancelled = 1.0\n",
    )
    .unwrap();
    let c = campaign.to_str().unwrap();
    let map = dir.path().join("map.csv");
    let mut first = BTreeMap::new();
    for report in ["jsonl", "csv", "md", "html", "gexf", "table"] {
        let out = dir.path().join(format!("d.{report}"));
        let o = out.to_str().unwrap();
        let args = [
            "discover",
            "--campaign",
            c,
            "--format",
            "posts-csv",
            "--report",
            report,
            "--out",
            o,
            "--pseudonymize",
            "--redact-text",
            "--pseudonym-map",
            map.to_str().unwrap(),
            d,
        ];
        ok(&run(&args, Some(KEY)));
        let text = std::fs::read_to_string(&out).unwrap();
        assert_private(report, &text, &all, &["delay", "delayed", "cancelled"]);
        first.insert(report, text);
    }
    // Same key, same report, byte for byte.
    let again = dir.path().join("again.jsonl");
    ok(&run(
        &[
            "discover",
            "--campaign",
            c,
            "--format",
            "posts-csv",
            "--report",
            "jsonl",
            "--out",
            again.to_str().unwrap(),
            "--pseudonymize",
            d,
        ],
        Some(KEY),
    ));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), first["jsonl"]);
    // The scores are those of the run without pseudonymisation, account by
    // account through the map.
    let raw = dir.path().join("raw.jsonl");
    ok(&run(
        &[
            "discover",
            "--campaign",
            c,
            "--format",
            "posts-csv",
            "--report",
            "jsonl",
            "--out",
            raw.to_str().unwrap(),
            d,
        ],
        None,
    ));
    let scores = |text: &str| -> BTreeMap<String, f64> {
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| {
                (
                    v["id"].as_str().unwrap().to_string(),
                    v["contextual_score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let back: HashMap<String, String> = csv_records(&std::fs::read_to_string(&map).unwrap())[1..]
        .iter()
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    let pseudo: BTreeMap<String, f64> = scores(&first["jsonl"])
        .into_iter()
        .map(|(id, s)| (back[id.trim_start_matches('@')].clone(), s))
        .collect();
    let plain: BTreeMap<String, f64> = scores(&std::fs::read_to_string(&raw).unwrap())
        .into_iter()
        .map(|(id, s)| (id.trim_start_matches('@').to_string(), s))
        .collect();
    assert_eq!(pseudo.len(), plain.len());
    for (id, s) in &plain {
        assert!((pseudo[id] - s).abs() < 1e-9, "{id}: {} vs {s}", pseudo[id]);
    }
}

#[test]
fn the_key_never_comes_from_the_command_line() {
    let data = repo("datasets/airline-sample/tweets.first1000.csv");
    let d = data.to_str().unwrap();
    let base = ["rank", "--format", "posts-csv", "--top", "3", "--json"];
    // No key: a clear error, exit 2.
    let o = run(&[&base[..], &["--pseudonymize", d]].concat(), None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("PORTEVOIX_PSEUDONYM_KEY") && err.contains("--pseudonym-key-file"),
        "{err}"
    );
    // A short key is refused.
    let o = run(&[&base[..], &["--pseudonymize", d]].concat(), Some("short"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at least 16"));
    // There is no flag that takes the key itself.
    let help = ok(&run(&["rank", "--help"], None));
    assert!(help.contains("--pseudonym-key-file") && !help.contains("--pseudonym-key "));
    // A key file (trailing newline ignored) gives the environment's pseudonyms.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let from_file = ok(&run(
        &[
            &base[..],
            &[
                "--pseudonymize",
                "--pseudonym-key-file",
                key.to_str().unwrap(),
                d,
            ],
        ]
        .concat(),
        None,
    ));
    let from_env = ok(&run(
        &[&base[..], &["--pseudonymize", d]].concat(),
        Some(KEY),
    ));
    let labels = |t: &str| {
        serde_json::from_str::<serde_json::Value>(t).unwrap()["top"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&from_file), labels(&from_env));
    // The map is written only on request, and only with --pseudonymize.
    let o = run(
        &[&base[..], &["--pseudonym-map", "/tmp/x.csv", d]].concat(),
        Some(KEY),
    );
    assert!(!o.status.success());
}

/// The README's main command with `--pseudonymize`: the campaign's lists
/// are hashed like the data, so `@united` is found (not listed unresolved,
/// not ranked), the competitors are excluded, and the ranking is the one of
/// the plain run, account by account through the map.
#[test]
fn discover_readme_command_resolves_the_campaign_under_pseudonyms() {
    let campaign = repo("examples/campaigns/airline.toml");
    let data = repo("datasets/airline-sample/tweets.first1000.csv");
    let (c, d) = (campaign.to_str().unwrap(), data.to_str().unwrap());
    let key = portevoix_ingest::privacy::Pseudonymizer::new(KEY.as_bytes()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    let m = map.to_str().unwrap();
    // The table (the README's default report): its header lists the names
    // of the campaign that match no account.
    let unresolved = |table: &str| -> BTreeSet<String> {
        table
            .lines()
            .find_map(|l| l.strip_prefix("unresolved names: "))
            .map(|l| l.split(", ").map(str::to_string).collect())
            .unwrap_or_default()
    };
    let plain = ok(&run(&["discover", "--campaign", c, d], None));
    let pseudo = ok(&run(
        &["discover", "--campaign", c, d, "--pseudonymize"],
        Some(KEY),
    ));
    let hashed: BTreeSet<String> = unresolved(&plain)
        .iter()
        .map(|n| key.reference(n))
        .collect();
    assert_eq!(unresolved(&pseudo), hashed, "{pseudo}");
    let united = key.reference("@united");
    assert!(!pseudo.contains(&united), "the brand is ranked: {pseudo}");
    // Every candidate, in JSON Lines: same accounts, same scores and ranks.
    let rows = |text: &str| -> Vec<(String, f64, u64)> {
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| {
                (
                    v["id"].as_str().unwrap().to_string(),
                    v["contextual_score"].as_f64().unwrap(),
                    v["rank"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let plain = rows(&ok(&run(
        &["discover", "--campaign", c, d, "--report", "jsonl"],
        None,
    )));
    let pseudo = rows(&ok(&run(
        &[
            "discover",
            "--campaign",
            c,
            d,
            "--report",
            "jsonl",
            "--pseudonymize",
            "--pseudonym-map",
            m,
        ],
        Some(KEY),
    )));
    let back: HashMap<String, String> = csv_records(&std::fs::read_to_string(&map).unwrap())[1..]
        .iter()
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    assert!(!pseudo.iter().any(|r| r.0 == united));
    let excluded = [key.reference("@AmericanAir"), key.reference("@Delta")];
    assert!(!pseudo.iter().any(|r| excluded.contains(&r.0)));
    let by_original: BTreeMap<String, (f64, u64)> = pseudo
        .iter()
        .map(|(id, s, r)| (back[id.trim_start_matches('@')].clone(), (*s, *r)))
        .collect();
    assert_eq!(by_original.len(), plain.len());
    // Not bit for bit: the texts are rewritten too (a mention or a URL's
    // path becomes a pseudonym of another length, so BM25's document
    // lengths move a little: at most 0.6 of 100 here), and ties break on
    // the (pseudonymous) id. The README's top 25 is the same.
    for (id, s, _) in &plain {
        let (ps, _) = by_original
            .get(&id.trim_start_matches('@').to_lowercase())
            .unwrap_or_else(|| panic!("{id} missing"));
        assert!((ps - s).abs() < 1.0, "{id}: {ps} vs {s}");
    }
    let top = |rows: Vec<(String, u64)>| -> Vec<String> {
        let mut rows = rows;
        rows.sort_by_key(|r| r.1);
        rows.into_iter().take(25).map(|r| r.0).collect()
    };
    assert_eq!(
        top(by_original
            .iter()
            .map(|(id, v)| (id.clone(), v.1))
            .collect()),
        top(plain
            .iter()
            .map(|(id, _, r)| (id.trim_start_matches('@').to_lowercase(), *r))
            .collect())
    );
}

/// `paths` under `--pseudonymize`: the campaign's brand is found, `--to`
/// takes the original handle or the pseudonym of a report, and the paths
/// are those of the plain run.
#[test]
fn paths_take_original_names_and_pseudonyms() {
    let campaign = repo("examples/campaigns/airline.toml");
    let data = repo("datasets/airline-sample/tweets.first1000.csv");
    let (c, d) = (campaign.to_str().unwrap(), data.to_str().unwrap());
    let key = portevoix_ingest::privacy::Pseudonymizer::new(KEY.as_bytes()).unwrap();
    // A target: the first author of the sample who mentions @united.
    let target = tweets(&data)
        .into_iter()
        .find(|(_, text)| text.to_lowercase().contains("@united "))
        .map(|(author, _)| format!("@{author}"))
        .unwrap();
    let strengths = |v: &serde_json::Value| -> Vec<f64> {
        v["targets"][0]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["strength"].as_f64().unwrap())
            .collect()
    };
    let json = |o: Output| serde_json::from_str::<serde_json::Value>(&ok(&o)).unwrap();
    let base = ["paths", "--campaign", c, "--format", "posts-csv", "--json"];
    let plain = json(run(&[&base[..], &["--to", &target, d]].concat(), None));
    let pseudo = json(run(
        &[&base[..], &["--to", &target, "--pseudonymize", d]].concat(),
        Some(KEY),
    ));
    let hashed = key.reference(&target);
    let copied = json(run(
        &[&base[..], &["--to", &hashed, "--pseudonymize", d]].concat(),
        Some(KEY),
    ));
    assert!(!strengths(&plain).is_empty(), "{plain}");
    assert_eq!(strengths(&pseudo), strengths(&plain));
    assert_eq!(strengths(&copied), strengths(&plain));
    assert_eq!(pseudo["unresolved"], plain["unresolved"]);
    assert!(
        !pseudo
            .to_string()
            .to_lowercase()
            .contains(&target.to_lowercase()),
        "{pseudo}"
    );
    // --from, by original handle, is hashed the same way.
    let from = json(run(
        &[
            "paths",
            "--from",
            "@united",
            "--format",
            "posts-csv",
            "--json",
            "--to",
            &target,
            "--pseudonymize",
            d,
        ],
        Some(KEY),
    ));
    assert_eq!(strengths(&from), strengths(&plain));
    // An unknown name is an error naming the flag.
    let o = run(
        &[
            &base[..],
            &["--to", "@nobody_here_xyz", "--pseudonymize", d],
        ]
        .concat(),
        Some(KEY),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--to"));
}
