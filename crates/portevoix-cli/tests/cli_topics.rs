//! `portevoix topics`: the JSON Lines contract (one row per topic, its
//! fields in order), the table, `--out`, `--period`, and clear errors.

mod common;

use common::{portevoix, repo};
use portevoix_testdata::shared_dataset;
use serde_json::Value;

fn coffee() -> String {
    shared_dataset("stackexchange/coffee/coffee.stackexchange.com.7z")
        .display()
        .to_string()
}

fn rows(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A JSON value's objects with their keys in the order written (serde_json's
/// `Value` sorts them).
#[derive(Debug)]
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Other,
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Node, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Node>()? {
                    fields.push((k, v));
                }
                Ok(Node::Object(fields))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = s.next_element::<Node>()? {
                    items.push(v);
                }
                Ok(Node::Array(items))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    fn keys(&self) -> Vec<&str> {
        match self {
            Node::Object(f) => f.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    fn get(&self, key: &str) -> &Node {
        match self {
            Node::Object(f) => &f.iter().find(|(k, _)| k == key).unwrap().1,
            _ => panic!("not an object"),
        }
    }

    fn items(&self) -> &[Node] {
        match self {
            Node::Array(a) => a,
            _ => panic!("not an array"),
        }
    }
}

/// The rows with their keys in written order.
fn ordered(out: &[u8]) -> Vec<Node> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn jsonl_keeps_the_contract() {
    let site = coffee();
    let out = portevoix(&[
        "topics",
        "--json",
        "--top",
        "3",
        "--people",
        "3",
        "--keywords",
        "5",
        &site,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), 3);
    for row in ordered(&out.stdout) {
        assert_eq!(
            row.keys(),
            [
                "topic", "posts", "authors", "volume", "trend", "people", "keywords", "source",
                "undated", "period"
            ]
        );
        for v in row.get("volume").items() {
            assert_eq!(v.keys(), ["period", "posts", "authors"]);
        }
        for p in row.get("people").items() {
            assert_eq!(
                p.keys(),
                [
                    "id",
                    "handle",
                    "name",
                    "contextual_score",
                    "rank",
                    "tier",
                    "role",
                    "pyramid_level",
                    "posts"
                ]
            );
        }
        for k in row.get("keywords").items() {
            assert_eq!(k.keys(), ["term", "tfidf", "posts"]);
        }
    }
    for row in &rows {
        let posts = row["posts"].as_u64().unwrap();
        assert!(row["topic"].is_string() && row["authors"].as_u64().unwrap() <= posts);
        assert!(row["trend"].is_number() || row["trend"].is_null());
        let volume = row["volume"].as_array().unwrap();
        assert!(!volume.is_empty());
        let mut summed = row["undated"].as_u64().unwrap();
        for v in volume {
            summed += v["posts"].as_u64().unwrap();
        }
        assert_eq!(summed, posts, "{}", row["topic"]);
        let people = row["people"].as_array().unwrap();
        assert!(!people.is_empty() && people.len() <= 3);
        for p in people {
            assert!(p["contextual_score"].as_f64().unwrap() > 0.0);
            assert!(["macro", "micro", "other"].contains(&p["tier"].as_str().unwrap()));
            assert!(p["role"].is_string() || p["role"].is_null());
            assert!(p["posts"].as_u64().unwrap() >= 1);
        }
        let keywords = row["keywords"].as_array().unwrap();
        assert!(!keywords.is_empty() && keywords.len() <= 5);
        for k in keywords {
            assert!(k["tfidf"].as_f64().unwrap() > 0.0);
        }
        assert_eq!(row["source"], "tag");
        assert_eq!(row["period"], "week");
    }
    assert_eq!(rows[0]["topic"], "brewing-process");
    // Ranked by posts.
    assert!(
        rows.windows(2)
            .all(|w| w[0]["posts"].as_u64() >= w[1]["posts"].as_u64())
    );
}

#[test]
fn table_out_file_and_period() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("topics.txt");
    let tweets = repo("datasets/airline-sample/tweets.first1000.csv");
    let out = portevoix(&[
        "topics",
        "--top",
        "2",
        "--period",
        "week",
        "--out",
        path.to_str().unwrap(),
        tweets.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let table = std::fs::read_to_string(&path).unwrap();
    assert!(table.contains("volume by week"), "{table}");
    assert!(table.contains("unitedairlines"), "{table}");
    assert!(
        table.contains("people:") && table.contains("keywords:"),
        "{table}"
    );
}

#[test]
fn a_campaign_file_sets_every_topic_s_weights() {
    let site = coffee();
    let run = |extra: &[&str]| {
        let mut args = vec!["topics", "--json", "--top", "1", "--keywords", "0"];
        args.extend_from_slice(extra);
        args.push(&site);
        let out = portevoix(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        rows(&out.stdout).remove(0)
    };
    let specialists = repo("examples/campaigns/cardano-plutus-specialists.toml");
    let default = run(&[]);
    let relevance_first = run(&["--campaign", specialists.to_str().unwrap()]);
    assert_eq!(default["topic"], relevance_first["topic"]);
    let scores = |row: &Value| -> Vec<f64> {
        row["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["contextual_score"].as_f64().unwrap())
            .collect()
    };
    assert_ne!(scores(&default), scores(&relevance_first));
    for p in relevance_first["people"].as_array().unwrap() {
        assert!(p["posts"].as_u64().unwrap() >= 1);
    }
}

fn fails(args: &[&str]) -> String {
    let out = portevoix(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_input_gives_clear_errors() {
    let site = coffee();
    let e = fails(&["topics", "--period", "fortnight", &site]);
    assert!(e.contains("fortnight") && e.contains("week"), "{e}");
    let e = fails(&["topics", "--campaign", "no/such/campaign.toml", &site]);
    assert!(e.contains("no/such/campaign.toml"), "{e}");
    let e = fails(&["topics", "no/such/site"]);
    assert!(e.contains("no/such/site"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    let post =
        r##"{"type":"post","id":"1","author":"7","time":"2022-05-10T13:37:00Z","text":"#x"}"##;
    std::fs::write(&bad, format!("{post}\n{{oops\n")).unwrap();
    let e = fails(&["topics", "--format", "canonical", bad.to_str().unwrap()]);
    assert!(e.contains("bad.jsonl:2"), "{e}");
}
