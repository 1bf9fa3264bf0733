//! A campaign's own labelled posts (`[brand] stance_examples`) adapt the
//! stance model, end to end with the example campaign
//! `examples/campaigns/united-ambassadors-adapted.toml`: its 1,581 labelled
//! United tweets are disjoint from the 1,000-tweet sample scored here, so
//! the sample's human labels are a held-out check of the adaptation and of
//! the ambassadors it yields.

use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::discover::{DiscoverOptions, discover};
use portevoix_score::engine::Engine;
use portevoix_text::analysis::Analyzer;
use portevoix_text::sentiment::model::{Class, FeatureLanguage};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const CAMPAIGN: &str = "examples/campaigns/united-ambassadors-adapted.toml";
const SAMPLE: &str = "datasets/airline-sample/tweets.first1000.csv";

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The campaign, adapted to its examples as `portevoix discover` does
/// (once: adapting takes a while in a debug build).
fn adapted_campaign() -> Campaign {
    static C: OnceLock<Campaign> = OnceLock::new();
    C.get_or_init(adapt).clone()
}

fn adapt() -> Campaign {
    let path = repo(CAMPAIGN);
    let mut c =
        Campaign::from_toml_str(&std::fs::read_to_string(&path).unwrap(), CAMPAIGN).unwrap();
    let file = c
        .brand
        .stance_examples
        .clone()
        .expect("the example names its examples");
    let examples = path.parent().unwrap().join(file);
    let card = c
        .adapt_stance(
            &std::fs::read(&examples).unwrap(),
            "united-stance-examples.csv",
        )
        .unwrap();
    assert_eq!(card.examples, 1581);
    c
}

/// The United tweets of the sample: (author, text, human label).
fn united_tweets() -> Vec<(String, String, Class)> {
    let mut r = csv::Reader::from_path(repo(SAMPLE)).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (airline, name, text, label) = (
        col("airline"),
        col("name"),
        col("text"),
        col("airline_sentiment"),
    );
    r.records()
        .map(Result::unwrap)
        .filter(|rec| &rec[airline] == "United")
        .map(|rec| {
            let class = match &rec[label] {
                "negative" => Class::Negative,
                "neutral" => Class::Neutral,
                _ => Class::Positive,
            };
            (rec[name].to_string(), rec[text].to_string(), class)
        })
        .collect()
}

/// Accuracy of the campaign's stance model on the sample's United tweets,
/// the brand masked as in discovery.
fn accuracy(c: &Campaign, tweets: &[(String, String, Class)]) -> f64 {
    let model = c.stance_model(FeatureLanguage::En);
    let target = c.brand_aliases();
    let right = tweets
        .iter()
        .filter(|(_, text, class)| {
            model.predict_masked(text, &target.mentions(text)).label() == *class
        })
        .count();
    right as f64 / tweets.len() as f64
}

#[test]
fn adaptation_beats_the_embedded_model_on_held_out_tweets() {
    let tweets = united_tweets();
    assert_eq!(tweets.len(), 693);
    let adapted = adapted_campaign();
    let mut embedded = adapted.clone();
    embedded.brand.adapted = None;
    let (a, e) = (accuracy(&adapted, &tweets), accuracy(&embedded, &tweets));
    // Measured: embedded 0.70, adapted 0.80 (the 5-fold figure of
    // docs/sentiment-evaluation.md is 0.699 → 0.825).
    assert!(a >= e + 0.05, "adapted {a:.3} vs embedded {e:.3}");
}

#[test]
fn adapted_advocates_are_people_who_praise_united() {
    let dataset = load(
        &[(repo(SAMPLE).as_path(), Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let d = discover(&engine, &adapted_campaign(), &DiscoverOptions::default()).unwrap();
    // Each author's human labels on United.
    let mut labels: BTreeMap<String, Vec<Class>> = BTreeMap::new();
    for (name, _, class) in united_tweets() {
        labels.entry(format!("@{name}")).or_default().push(class);
    }
    let mostly = |who: &str, class: Class| {
        let l = labels.get(who).map_or(&[][..], Vec::as_slice);
        2 * l.iter().filter(|&&c| c == class).count() > l.len()
    };
    let advocates: Vec<&str> = d
        .accounts
        .iter()
        .filter(|a| a.contextual_score > 0.0)
        .map(|a| a.handle.as_deref().unwrap_or(&a.id))
        .collect();
    assert!(advocates.len() >= 10, "{advocates:?}");
    let unlabelled: Vec<&&str> = advocates
        .iter()
        .filter(|w| !labels.contains_key(**w))
        .collect();
    assert!(
        unlabelled.is_empty(),
        "advocates without a United tweet: {unlabelled:?}"
    );
    let positive = advocates
        .iter()
        .filter(|w| mostly(w, Class::Positive))
        .count();
    let negative: BTreeSet<&&str> = advocates
        .iter()
        .filter(|w| mostly(w, Class::Negative))
        .collect();
    // Measured: 15 of 16 mostly positive, the 16th a neutral "Thank you.".
    assert!(
        negative.is_empty(),
        "complainers among advocates: {negative:?}"
    );
    assert!(
        positive as f64 >= 0.9 * advocates.len() as f64,
        "{positive} of {} advocates mostly positive",
        advocates.len()
    );
    // Detractors are people who complain about United.
    let detractors: Vec<&str> = d
        .accounts
        .iter()
        .filter(|a| a.detractor)
        .map(|a| a.handle.as_deref().unwrap_or(&a.id))
        .filter(|w| labels.contains_key(*w))
        .collect();
    let complaining = detractors
        .iter()
        .filter(|w| mostly(w, Class::Negative))
        .count();
    assert!(
        complaining as f64 >= 0.85 * detractors.len() as f64,
        "{complaining} of {} detractors mostly negative",
        detractors.len()
    );
}
