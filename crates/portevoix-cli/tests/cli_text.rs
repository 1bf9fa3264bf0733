//! `portevoix analyze` and `portevoix sentiment` on real data, and the
//! standard-input contract of `sentiment` that external checks rely on.

mod common;

use common::{portevoix, repo};
use portevoix_testdata::shared_dataset;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portevoix"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A run refused on its arguments may exit before reading its input: a broken pipe here is
    // that refusal, which the caller checks on the output.
    if let Err(e) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// vaderSentiment 3.3.2 and vaderSentiment-fr 1.3.4 on these texts
/// (`SentimentIntensityAnalyzer().polarity_scores(text)`, run with
/// benches/peers/.venv/bin/python on 2026-11-22).
const ENGLISH: [(&str, [f64; 4]); 5] = [
    (
        "@united thanks for the GREAT service!!! 😍",
        [0.0, 0.294, 0.706, 0.9372],
    ),
    (
        "@AmericanAir my flight was not good, but the crew was kind",
        [0.111, 0.588, 0.301, 0.599],
    ),
    // VADER's own reading: "don't" negates "hate" into a positive.
    ("I don't hate it :(", [0.0, 0.357, 0.643, 0.6602]),
    ("", [0.0, 0.0, 0.0, 0.0]),
    ("Worst. Airline. Ever.", [0.672, 0.328, 0.0, -0.6249]),
];
const FRENCH: [(&str, [f64; 4]); 2] = [
    ("C'est vraiment nul", [0.333, 0.667, 0.0, -0.128]),
    (
        "J'adore ce film, il est génial !",
        [0.0, 0.632, 0.368, 0.3595],
    ),
];

fn assert_scores(got: &Value, want: &[f64; 4], text: &str) {
    assert_eq!(got.as_object().unwrap().len(), 4, "{got}");
    for (key, want) in ["neg", "neu", "pos", "compound"].iter().zip(want) {
        let v = got[key].as_f64().unwrap();
        assert!((v - want).abs() <= 1e-3, "{text:?}: {key} {v} != {want}");
    }
}

#[test]
fn stdin_contract_matches_vader_line_for_line() {
    let input: String = ENGLISH.iter().map(|(t, _)| format!("{t}\n")).collect();
    let raw = with_stdin(
        &["sentiment", "--engine", "vader", "--lang", "en", "-"],
        input.as_bytes(),
    );
    // The fields come in VADER's order.
    for line in String::from_utf8_lossy(&raw.stdout).lines() {
        let at = |k: &str| line.find(&format!("\"{k}\":")).unwrap();
        assert!(at("neg") < at("neu") && at("neu") < at("pos") && at("pos") < at("compound"));
    }
    let out = lines(&raw);
    assert_eq!(
        out.len(),
        ENGLISH.len(),
        "one object per input line, empty lines too"
    );
    for ((text, want), got) in ENGLISH.iter().zip(&out) {
        assert_scores(got, want, text);
    }
    let input: String = FRENCH.iter().map(|(t, _)| format!("{t}\n")).collect();
    let out = lines(&with_stdin(
        &["sentiment", "--engine", "vader", "--lang", "fr", "-"],
        input.as_bytes(),
    ));
    for ((text, want), got) in FRENCH.iter().zip(&out) {
        assert_scores(got, want, text);
    }
}

#[test]
fn stdin_auto_picks_the_lexicon_per_line() {
    let input =
        "I really love this airline, the crew was wonderful\nJ'adore ce film, il est génial !\n";
    let auto = lines(&with_stdin(
        &["sentiment", "--engine", "vader", "--lang", "auto", "-"],
        input.as_bytes(),
    ));
    let en = lines(&with_stdin(
        &["sentiment", "--engine", "vader", "--lang", "en", "-"],
        input.as_bytes(),
    ));
    let fr = lines(&with_stdin(
        &["sentiment", "--engine", "vader", "--lang", "fr", "-"],
        input.as_bytes(),
    ));
    assert_eq!(auto[0], en[0]);
    assert_eq!(auto[1], fr[1]);
    assert_ne!(en[1], fr[1], "the two lexicons differ on French text");
}

#[test]
fn stdin_keeps_alignment_on_crlf_invalid_utf8_and_no_final_newline() {
    let input = b"good\r\n\xff\xfe bad\r\n\nnice";
    let out = lines(&with_stdin(
        &["sentiment", "--engine", "vader", "--lang", "en", "-"],
        input,
    ));
    assert_eq!(out.len(), 4);
    assert!(out[0]["compound"].as_f64().unwrap() > 0.0);
    assert!(out[1]["compound"].as_f64().unwrap() < 0.0, "{}", out[1]);
    assert_eq!(out[2]["compound"].as_f64().unwrap(), 0.0);
    assert!(out[3]["compound"].as_f64().unwrap() > 0.0);
    let empty = with_stdin(&["sentiment", "-"], b"");
    assert!(empty.status.success() && empty.stdout.is_empty());
}

#[test]
fn sentiment_on_airline_posts_with_a_target() {
    let sample = repo("datasets/airline-sample/tweets.first1000.csv");
    let sample = sample.to_str().unwrap();
    let out = lines(&portevoix(&[
        "sentiment",
        "--lang",
        "en",
        "--format",
        "posts-csv",
        "--target",
        "@united, United Airlines",
        "--json",
        sample,
    ]));
    assert!(out.len() > 900, "{} posts", out.len());
    let mut targeted = 0;
    for p in &out {
        let text = p["text"].as_str().unwrap().to_lowercase();
        let mentions = text.contains("@united") || text.contains("united airlines");
        assert_eq!(p["target"].is_object(), mentions, "{p}");
        targeted += usize::from(mentions);
        assert!(["positive", "neutral", "negative"].contains(&p["polarity"].as_str().unwrap()));
    }
    assert!(targeted > 50, "{targeted}");
    let table = portevoix(&["sentiment", "--lang", "en", "--format", "posts-csv", sample]);
    assert!(table.status.success());
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("positive") && table.contains("more posts"),
        "{table}"
    );
    // No posts in an edge list: a clear error, exit 2.
    let higgs = repo("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let err = portevoix(&["sentiment", higgs.to_str().unwrap()]);
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("no posts"));
}

#[test]
fn analyze_ranks_luggage_complainers_with_evidence() {
    let topic = repo("examples/topic-airline-luggage.toml");
    let full = shared_dataset("airline-sentiment/tweets.csv");
    let out = portevoix(&[
        "analyze",
        "--topic",
        topic.to_str().unwrap(),
        "--format",
        "posts-csv",
        "--top",
        "10",
        "--json",
        full.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["topic"], "Lost and delayed luggage");
    assert_eq!(r["posts_indexed"], 8666);
    let top = r["top"].as_array().unwrap();
    assert_eq!(top.len(), 10);
    for (i, a) in top.iter().enumerate() {
        assert_eq!(a["rank"], i + 1);
        assert!(a["on_topic_posts"].as_u64().unwrap() >= 1, "{a}");
        let evidence = a["posts_behind"].as_array().unwrap();
        assert!(!evidence.is_empty());
        let text = evidence[0]["text"].as_str().unwrap().to_lowercase();
        assert!(
            [
                "bag", "luggage", "baggage", "suitcase", "lost", "deliver", "claim"
            ]
            .iter()
            .any(|w| text.contains(w)),
            "{text}"
        );
        let sum: f64 = a["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["contribution"].as_f64().unwrap())
            .sum();
        assert!((sum - a["bm25"].as_f64().unwrap()).abs() < 1e-9);
    }
    assert!(
        top.windows(2)
            .all(|w| w[0]["bm25"].as_f64() >= w[1]["bm25"].as_f64())
    );
    // The window option narrows the posts counted.
    let narrow = portevoix(&[
        "analyze",
        "--topic",
        topic.to_str().unwrap(),
        "--format",
        "posts-csv",
        "--from",
        "2015-02-23T00:00",
        "--json",
        full.to_str().unwrap(),
    ]);
    let n: Value = serde_json::from_slice(&narrow.stdout).unwrap();
    assert!(n["posts_outside_window"].as_u64().unwrap() > 1000);
    assert!(n["posts_considered"].as_u64() < r["posts_considered"].as_u64());
}

#[test]
fn analyze_a_french_topic_on_french_media() {
    let dir = tempfile::tempdir().unwrap();
    let topic = dir.path().join("ukraine.toml");
    std::fs::write(
        &topic,
        "name = \"Guerre en Ukraine\"\nlanguages = [\"fr\"]\non_topic_threshold = 2\n\
         [keywords]\nukraine = 2\nrussie = 2\npoutine = 2\nzelensky = 2\n\"guerre en ukraine\" = 3\n",
    )
    .unwrap();
    let tweets = shared_dataset("fr-media/fusion.json");
    let accounts = shared_dataset("fr-media/twitter-accounts.json");
    let out = portevoix(&[
        "analyze",
        "--topic",
        topic.to_str().unwrap(),
        "--format",
        "twitter-v2",
        "--top",
        "5",
        tweets.to_str().unwrap(),
        accounts.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("topic: Guerre en Ukraine"), "{table}");
    assert!(table.contains("languages: fr"), "{table}");
    assert!(table.contains("guerre en ukraine"), "{table}");
    assert!(table.contains("   1  @"), "{table}");
    // Le Monde wrote the most posts on the war in these weeks.
    assert!(table.contains("@lemondefr"), "{table}");
    assert!(table.contains("28 bios"), "{table}");
}

#[test]
fn analyze_reports_a_bad_topic_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let topic = dir.path().join("bad.toml");
    std::fs::write(&topic, "name = \"x\"\n[keywords]\nluggage = \"heavy\"\n").unwrap();
    let sample = repo("datasets/airline-sample/tweets.first1000.csv");
    let out = portevoix(&[
        "analyze",
        "--topic",
        topic.to_str().unwrap(),
        "--format",
        "posts-csv",
        sample.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3"), "{err}");
}
