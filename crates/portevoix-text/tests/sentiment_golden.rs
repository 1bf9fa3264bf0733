//! Agreement with the reference implementations: vaderSentiment 3.3.2 on the
//! airline tweets, vaderSentiment-fr 1.3.4 on the French media tweets. The
//! reference outputs are in `tests/golden/` (made by `make_vader_golden.py`).

mod common;

use std::collections::HashMap;
use std::io::Read;

use portevoix_text::sentiment::{SentimentScores, Vader};

/// Rows whose compound is within 1e-3 of vaderSentiment 3.3.2's (of 8,771).
const EN_AGREE: usize = 8771;
/// Rows whose four scores are bit-for-bit those of vaderSentiment 3.3.2.
const EN_EXACT: usize = 8771;
/// Tweets whose compound is within 1e-3 of vaderSentiment-fr 1.3.4's (of 5,457).
const FR_AGREE: usize = 5457;

struct Golden {
    id: String,
    scores: SentimentScores,
}

fn golden(name: &str) -> Vec<Golden> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("golden file"))
        .read_to_string(&mut text)
        .expect("gzip golden file");
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let num = |k: usize| f[k].parse::<f64>().expect("number");
            Golden {
                id: f[1].to_string(),
                scores: SentimentScores {
                    neg: num(2),
                    neu: num(3),
                    pos: num(4),
                    compound: num(5),
                },
            }
        })
        .collect()
}

fn french_texts() -> HashMap<String, String> {
    let mut out = HashMap::new();
    for name in ["fr-media/twitter-tweets.json", "fr-media/fusion.json"] {
        let path = portevoix_testdata::shared_dataset(name);
        let data: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).expect("json")).expect("valid json");
        for tweets in data.as_object().expect("object").values() {
            for t in tweets.as_array().expect("array") {
                let id = t["id"].as_str().expect("id").to_string();
                let text = t["text"].as_str().expect("text").to_string();
                out.entry(id).or_insert(text);
            }
        }
    }
    out
}

fn compare(
    vader: &Vader,
    rows: &[Golden],
    text_of: impl Fn(usize, &Golden) -> String,
) -> (usize, usize) {
    let (mut agree, mut exact) = (0, 0);
    let mut shown = 0;
    for (k, g) in rows.iter().enumerate() {
        let text = text_of(k, g);
        let ours = vader.polarity_scores(&text);
        if (ours.compound - g.scores.compound).abs() <= 1e-3 {
            agree += 1;
        } else if shown < 20 {
            shown += 1;
            eprintln!(
                "row {k} id {}: ours {ours:?} reference {:?}\n  {text:?}",
                g.id, g.scores
            );
        }
        if ours == g.scores {
            exact += 1;
        }
    }
    (agree, exact)
}

#[test]
fn english_matches_vadersentiment_3_3_2() {
    let rows = golden("vader_en_airline.tsv.gz");
    let texts = common::airline_column("text");
    assert_eq!(rows.len(), texts.len());
    let (agree, exact) = compare(&Vader::english(), &rows, |k, g| {
        assert_eq!(texts[k].0, g.id, "row {k}");
        texts[k].1.clone()
    });
    eprintln!(
        "English: {agree}/{} within 1e-3, {exact} identical on all four scores",
        rows.len()
    );
    assert!(agree * 100 >= rows.len() * 99, "below 99%: {agree}");
    assert!(
        agree >= EN_AGREE,
        "agreement regressed: {agree} < {EN_AGREE}"
    );
    assert!(
        exact >= EN_EXACT,
        "exact matches regressed: {exact} < {EN_EXACT}"
    );
}

#[test]
fn french_matches_vadersentiment_fr_1_3_4() {
    let rows = golden("vader_fr_media.tsv.gz");
    let texts = french_texts();
    assert_eq!(rows.len(), texts.len());
    let (agree, exact) = compare(&Vader::french(), &rows, |_, g| texts[&g.id].clone());
    let all: Vec<&String> = rows.iter().map(|g| &texts[&g.id]).collect();
    let vader = Vader::french();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        for t in &all {
            std::hint::black_box(vader.polarity_scores(t));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    eprintln!(
        "French: scored {} tweets in {:.1} ms on one thread (best of 5)",
        all.len(),
        best * 1e3
    );
    eprintln!(
        "French: {agree}/{} within 1e-3, {exact} identical on all four scores",
        rows.len()
    );
    assert!(
        agree >= FR_AGREE,
        "agreement regressed: {agree} < {FR_AGREE}"
    );
}

/// Synthetic texts built from the rule words (negations, boosters, "but",
/// idioms, capitals, punctuation runs, emoji, odd whitespace): every score
/// must be identical to the reference's.
fn synthetic(vader: &Vader, name: &str) -> (usize, usize) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("golden file"))
        .read_to_string(&mut text)
        .expect("gzip golden file");
    let (mut total, mut exact) = (0, 0);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let t = v["text"].as_str().expect("text");
        let reference = SentimentScores {
            neg: v["neg"].as_f64().expect("neg"),
            neu: v["neu"].as_f64().expect("neu"),
            pos: v["pos"].as_f64().expect("pos"),
            compound: v["compound"].as_f64().expect("compound"),
        };
        let ours = vader.polarity_scores(t);
        total += 1;
        if ours == reference {
            exact += 1;
        } else {
            eprintln!("{t:?}: ours {ours:?} reference {reference:?}");
        }
    }
    (total, exact)
}

#[test]
fn english_synthetic_rules_match_exactly() {
    let (total, exact) = synthetic(&Vader::english(), "vader_en_synthetic.jsonl.gz");
    eprintln!("English synthetic: {exact}/{total} identical");
    assert_eq!(exact, total);
}

#[test]
fn french_synthetic_rules_match_exactly() {
    let (total, exact) = synthetic(&Vader::french(), "vader_fr_synthetic.jsonl.gz");
    eprintln!("French synthetic: {exact}/{total} identical");
    assert_eq!(exact, total);
}
