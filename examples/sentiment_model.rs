//! The learned sentiment model against human labels, beside VADER: the
//! numbers of docs/sentiment-evaluation.md ("The learned model").
//!
//! ```text
//! cargo run --release --example sentiment_model            # everything (the adaptation CV takes minutes)
//! cargo run --release --example sentiment_model -- quick   # without the adaptation cross-validation
//! ```
//!
//! - the embedded models' cards (TweetEval and DEFT 2017 validation, both
//!   classifiers, calibration);
//! - airline tweets (`airline-sentiment/tweets.csv`, never trained on):
//!   accuracy, macro-F1, macro-recall, ECE of the English model toward the
//!   tweet's airline (its mentions as the `<brand>` placeholder), of the model
//!   on the raw tweet, and of VADER with the airline masked;
//! - stance examples: 5-fold cross-validation on the airline tweets, each
//!   fold predicted by the model adapted (`SentimentModel::adapt`) on the
//!   other four, beside the base model on the same folds;
//! - the 92 hand-labelled French fr-media posts;
//! - single-thread inference speed on the airline tweets.

use std::time::Instant;

use portevoix::eval::protocols::sentiment::airline_target;
use portevoix::text::sentiment::Vader;
use portevoix::text::sentiment::model::{
    AdaptOptions, Class, Prediction, SentimentModel, StanceExample, score,
};
use portevoix_testdata::shared_dataset;

fn vader_class(compound: f64) -> usize {
    if compound >= 0.05 {
        2
    } else if compound <= -0.05 {
        0
    } else {
        1
    }
}

fn line(name: &str, predictions: &[Prediction], gold: &[usize]) {
    let p: Vec<usize> = predictions.iter().map(|p| p.label().index()).collect();
    let c: Vec<f64> = predictions.iter().map(Prediction::confidence).collect();
    let s = score(&p, gold, Some(&c));
    println!(
        "| {name} | {} | {:.4} | {:.4} | {:.4} | {:.4} |",
        s.n, s.accuracy, s.macro_f1, s.macro_recall, s.ece
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let en = SentimentModel::english();
    let fr = SentimentModel::french();
    for m in [en, fr] {
        let card = m.card();
        println!(
            "## {} ({}, {} training texts, {} held out, temperature {:.3}, weights {})",
            card.name,
            card.classifier,
            card.training_examples,
            card.held_out,
            card.temperature,
            card.weights_hash
        );
        for v in &card.validation {
            println!(
                "- {} on {}: accuracy {:.4}, macro-recall {:.4}, macro-F1 {:.4}, ECE {:.4}",
                v.classifier,
                v.data,
                v.scores.accuracy,
                v.scores.macro_recall,
                v.scores.macro_f1,
                v.scores.ece
            );
        }
    }

    // Airline tweets, never trained on.
    let path = shared_dataset("airline-sentiment/tweets.csv");
    let mut reader = csv::Reader::from_path(&path).expect("airline tweets");
    let headers = reader.headers().expect("header").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect("column");
    let (ct, cl, ca) = (col("text"), col("airline_sentiment"), col("airline"));
    let mut examples = Vec::new();
    for record in reader.records() {
        let r = record.expect("record");
        let text = r[ct].to_string();
        let brand = airline_target(&r[ca]).mentions(&text);
        examples.push(StanceExample {
            text,
            class: Class::parse(&r[cl]).expect("label"),
            brand,
        });
    }
    let gold: Vec<usize> = examples.iter().map(|e| e.class.index()).collect();
    println!(
        "\n| airline tweets ({}) | n | accuracy | macro-F1 | macro-recall | ECE |",
        path.display()
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let toward: Vec<Prediction> = examples
        .iter()
        .map(|e| en.predict_masked(&e.text, &e.brand))
        .collect();
    line("model, airline as `<brand>`", &toward, &gold);
    let raw: Vec<Prediction> = examples.iter().map(|e| en.predict(&e.text)).collect();
    line("model, raw tweet", &raw, &gold);
    let vader = Vader::english();
    let masked: Vec<usize> = examples
        .iter()
        .map(|e| {
            let mut t = String::new();
            let mut at = 0;
            for r in &e.brand {
                t.push_str(&e.text[at..r.start]);
                t.push_str("@_");
                at = r.end;
            }
            t.push_str(&e.text[at..]);
            vader_class(vader.polarity_scores(&t).compound)
        })
        .collect();
    let s = score(&masked, &gold, None);
    println!(
        "| VADER, airline masked | {} | {:.4} | {:.4} | {:.4} | |",
        s.n, s.accuracy, s.macro_f1, s.macro_recall
    );

    // Speed: one thread, the raw tweets (features + prediction).
    let bytes: usize = examples.iter().map(|e| e.text.len()).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let best = pool.install(|| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                let mut sum = 0.0;
                for e in &examples {
                    sum += en.predict(&e.text).compound();
                }
                std::hint::black_box(sum);
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    });
    println!(
        "\nspeed, one thread: {} tweets ({bytes} bytes) in {:.1} ms: {:.1} MB/s, {:.2} µs a tweet",
        examples.len(),
        best * 1e3,
        bytes as f64 / best / 1e6,
        best * 1e6 / examples.len() as f64
    );

    // French.
    let tsv = include_str!("../crates/portevoix-text/tests/data/fr_labelled.tsv");
    let mut fr_gold = Vec::new();
    let mut fr_pred = Vec::new();
    for l in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let mut f = l.splitn(3, '\t');
        if let (Some(_), Some(label), Some(text)) = (f.next(), f.next(), f.next()) {
            fr_gold.push(Class::parse(label).expect("label").index());
            fr_pred.push(fr.predict(text));
        }
    }
    println!(
        "\n| fr-media hand-labelled | n | accuracy | macro-F1 | macro-recall | ECE |\n|---|---:|---:|---:|---:|---:|"
    );
    line("French model", &fr_pred, &fr_gold);

    if quick {
        return;
    }
    let t = Instant::now();
    let (base, adapted) = en
        .cross_validate_adaptation(&examples, 5, 2015, &AdaptOptions::default())
        .expect("adaptation");
    println!(
        "\n| airline, 5-fold CV with stance examples | accuracy | macro-F1 | macro-recall | ECE |\n|---|---:|---:|---:|---:|"
    );
    println!(
        "| base model | {:.4} | {:.4} | {:.4} | {:.4} |",
        base.accuracy, base.macro_f1, base.macro_recall, base.ece
    );
    println!(
        "| adapted on the other 4 folds | {:.4} | {:.4} | {:.4} | {:.4} |",
        adapted.accuracy, adapted.macro_f1, adapted.macro_recall, adapted.ece
    );
    println!("({:.0} s)", t.elapsed().as_secs_f64());
}
