//! French VADER on real French posts labelled by hand
//! (`tests/data/fr_labelled.tsv`): the lexicon is translated from English, not
//! re-rated, so this measures how far that carries on French news posts.

use std::collections::HashMap;

use portevoix_text::sentiment::{Polarity, Vader};

/// Hand-labelled posts scored right by `Vader::french()` (of 92).
const FR_CORRECT: usize = 49;

fn parse(label: &str) -> Polarity {
    match label {
        "negative" => Polarity::Negative,
        "neutral" => Polarity::Neutral,
        "positive" => Polarity::Positive,
        other => panic!("unknown label {other}"),
    }
}

/// Original texts by id, when the shared datasets are present.
fn originals() -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Some(dir) = portevoix_testdata::datasets_dir() else {
        return out;
    };
    for name in ["fr-media/twitter-tweets.json", "fr-media/fusion.json"] {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        let data: serde_json::Value = serde_json::from_slice(&bytes).expect("valid json");
        for tweets in data.as_object().expect("object").values() {
            for t in tweets.as_array().expect("array") {
                let id = t["id"].as_str().expect("id").to_string();
                out.entry(id)
                    .or_insert_with(|| t["text"].as_str().expect("text").to_string());
            }
        }
    }
    out
}

fn macro_f1(pairs: &[(Polarity, Polarity)]) -> f64 {
    let classes = [Polarity::Negative, Polarity::Neutral, Polarity::Positive];
    let f1s = classes.map(|c| {
        let tp = pairs.iter().filter(|(g, p)| *g == c && *p == c).count() as f64;
        let fp = pairs.iter().filter(|(g, p)| *g != c && *p == c).count() as f64;
        let fne = pairs.iter().filter(|(g, p)| *g == c && *p != c).count() as f64;
        if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fne)
        }
    });
    f1s.iter().sum::<f64>() / 3.0
}

#[test]
fn hand_labelled_french_posts() {
    let tsv = include_str!("data/fr_labelled.tsv");
    let originals = originals();
    let vader = Vader::french();
    let mut pairs = Vec::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let mut f = line.splitn(3, '\t');
        let (id, label, text) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        let text = originals.get(id).map_or(text, String::as_str);
        pairs.push((parse(label), vader.polarity_scores(text).label()));
    }
    assert!(pairs.len() >= 60);
    let correct = pairs.iter().filter(|(g, p)| g == p).count();
    let majority = pairs
        .iter()
        .filter(|(g, _)| *g == Polarity::Negative)
        .count();
    eprintln!(
        "French hand-labelled: {} posts, accuracy {:.3} ({correct}), macro-F1 {:.3}; majority class {:.3}",
        pairs.len(),
        correct as f64 / pairs.len() as f64,
        macro_f1(&pairs),
        majority as f64 / pairs.len() as f64,
    );
    for class in [Polarity::Negative, Polarity::Neutral, Polarity::Positive] {
        let predicted = |c| pairs.iter().filter(|(g, p)| *g == class && *p == c).count();
        eprintln!(
            "  {class:?}: predicted negative {}, neutral {}, positive {}",
            predicted(Polarity::Negative),
            predicted(Polarity::Neutral),
            predicted(Polarity::Positive)
        );
    }
    assert!(correct >= FR_CORRECT, "{correct} < {FR_CORRECT}");
}
