//! VADER sentiment on the US airline tweets (8,771 tweets labelled
//! negative / neutral / positive by people), beside the reference Python
//! vaderSentiment 3.3.2 whose compounds are stored in
//! `crates/portevoix-text/tests/golden/vader_en_airline.tsv.gz`.
//!
//! ```text
//! cargo run --release --example sentiment_airline [timed passes, default 5]
//! ```
//!
//! Prints accuracy, macro-F1 and per-class F1 (VADER's standard thresholds:
//! compound >= 0.05 positive, <= -0.05 negative, else neutral) of
//!
//! - Porte-voix `Vader::english().polarity_scores` on each tweet;
//! - vaderSentiment's compounds from the golden file;
//! - Porte-voix `target_sentiment` toward the tweet's airline (the sentences
//!   that mention it, its name masked; the whole tweet when it is not named);
//! - Porte-voix on the whole tweet with the airline's mentions masked;
//!
//! then the number of tweets whose compounds agree with vaderSentiment's
//! within 1e-3, and the time Porte-voix takes to score all tweets on one
//! thread (best of the passes).

use std::io::Read;
use std::time::Instant;

use portevoix::eval::protocols::sentiment::airline_target;
use portevoix::text::sentiment::{Polarity, Vader};

const CLASSES: [Polarity; 3] = [Polarity::Negative, Polarity::Neutral, Polarity::Positive];

fn label(compound: f64) -> Polarity {
    if compound >= 0.05 {
        Polarity::Positive
    } else if compound <= -0.05 {
        Polarity::Negative
    } else {
        Polarity::Neutral
    }
}

/// Accuracy, macro-F1 and the F1 of each class.
fn metrics(gold: &[Polarity], predicted: &[Polarity]) -> (f64, f64, [f64; 3]) {
    let correct = gold.iter().zip(predicted).filter(|(g, p)| g == p).count();
    let f1 = CLASSES.map(|c| {
        let count = |f: &dyn Fn(Polarity, Polarity) -> bool| {
            gold.iter()
                .zip(predicted)
                .filter(|&(&g, &p)| f(g, p))
                .count() as f64
        };
        let tp = count(&|g, p| g == c && p == c);
        let fp = count(&|g, p| g != c && p == c);
        let fne = count(&|g, p| g == c && p != c);
        if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fne)
        }
    });
    (
        correct as f64 / gold.len() as f64,
        f1.iter().sum::<f64>() / 3.0,
        f1,
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = portevoix_testdata::shared_dataset("airline-sentiment/tweets.csv");
    let mut reader = csv::Reader::from_path(&path)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {name}", path.display()))
    };
    let (id_col, text_col, label_col) = (col("tweet_id")?, col("text")?, col("airline_sentiment")?);
    let airline_col = col("airline")?;
    let mut airlines = Vec::new();
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    let mut gold = Vec::new();
    for record in reader.records() {
        let record = record?;
        ids.push(record[id_col].to_string());
        airlines.push(record[airline_col].to_string());
        texts.push(record[text_col].to_string());
        gold.push(match &record[label_col] {
            "negative" => Polarity::Negative,
            "positive" => Polarity::Positive,
            _ => Polarity::Neutral,
        });
    }

    // vaderSentiment's compounds, made by the text crate's make_vader_golden.py.
    let golden: &[u8] =
        include_bytes!("../crates/portevoix-text/tests/golden/vader_en_airline.tsv.gz");
    let mut tsv = String::new();
    flate2::read::GzDecoder::new(golden).read_to_string(&mut tsv)?;
    let mut reference = Vec::with_capacity(texts.len());
    for (k, line) in tsv.lines().skip(1).enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 6 || fields[1] != ids.get(k).map_or("", String::as_str) {
            return Err(format!(
                "vader_en_airline.tsv.gz: row {k} does not match {}",
                path.display()
            )
            .into());
        }
        reference.push(fields[5].parse::<f64>()?);
    }
    if reference.len() != texts.len() {
        return Err(format!(
            "vader_en_airline.tsv.gz: {} rows for {} tweets",
            reference.len(),
            texts.len()
        )
        .into());
    }

    let vader = Vader::english();
    let passes: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(5)
        .max(1);
    let mut ours = Vec::new();
    let mut elapsed = std::time::Duration::MAX;
    for _ in 0..passes {
        let start = Instant::now();
        ours = texts
            .iter()
            .map(|t| vader.polarity_scores(t).compound)
            .collect();
        elapsed = elapsed.min(start.elapsed());
    }

    let mut batch_elapsed = std::time::Duration::MAX;
    for _ in 0..passes {
        let start = Instant::now();
        std::hint::black_box(vader.polarity_scores_batch(&texts));
        batch_elapsed = batch_elapsed.min(start.elapsed());
    }
    let agree = ours
        .iter()
        .zip(&reference)
        .filter(|(a, b)| (*a - *b).abs() <= 1e-3)
        .count();
    let identical = ours.iter().zip(&reference).filter(|(a, b)| a == b).count();
    let ours_label: Vec<Polarity> = ours.iter().map(|&c| label(c)).collect();
    // The labels are the sentiment toward the airline the tweet is about:
    // score the sentences that mention it, its name masked.
    let target_of = airline_target;
    let mut mentioned = 0;
    let target_label: Vec<Polarity> = texts
        .iter()
        .zip(&airlines)
        .map(|(t, a)| match vader.target_sentiment(t, &target_of(a)) {
            Some(ts) => {
                mentioned += 1;
                label(ts.scores.compound)
            }
            None => label(vader.polarity_scores(t).compound),
        })
        .collect();
    // The whole tweet with the airline's mentions masked, for comparison.
    let masked_label: Vec<Polarity> = texts
        .iter()
        .zip(&airlines)
        .map(|(t, a)| label(vader.polarity_scores(&target_of(a).mask(t)).compound))
        .collect();
    let ref_label: Vec<Polarity> = reference.iter().map(|&c| label(c)).collect();

    println!("Sentiment on {} ({} tweets)\n", path.display(), texts.len());
    println!("| scorer | accuracy | macro-F1 | F1 negative | F1 neutral | F1 positive |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, predicted) in [
        ("Porte-voix `Vader::english()`", &ours_label),
        ("vaderSentiment 3.3.2 (Python)", &ref_label),
        ("Porte-voix `target_sentiment` (airline)", &target_label),
        ("Porte-voix, whole tweet, airline masked", &masked_label),
    ] {
        let (acc, macro_f1, f1) = metrics(&gold, predicted);
        println!(
            "| {name} | {acc:.4} | {macro_f1:.4} | {:.4} | {:.4} | {:.4} |",
            f1[0], f1[1], f1[2]
        );
    }
    println!(
        "\ncompound within 1e-3 of vaderSentiment: {agree} / {} ({:.2}%), identical: {identical}",
        texts.len(),
        100.0 * agree as f64 / texts.len() as f64
    );
    println!(
        "target_sentiment: {mentioned} tweets mention their airline (the others are scored whole)"
    );
    println!(
        "Porte-voix scored {} tweets in {:.1} ms on one thread ({:.0} tweets/s; best of {passes} passes)",
        texts.len(),
        elapsed.as_secs_f64() * 1e3,
        texts.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "Porte-voix `polarity_scores_batch` on {} threads: {:.1} ms",
        std::thread::available_parallelism().map_or(1, usize::from),
        batch_elapsed.as_secs_f64() * 1e3
    );
    Ok(())
}
