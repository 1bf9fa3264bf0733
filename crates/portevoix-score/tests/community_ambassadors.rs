//! Ambassadors and advocacy in a brand community (a tag campaign with a
//! brand, on a Stack Exchange site): answering others' questions on the
//! product's tags is advocacy, a negative stance toward the product is not.

use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::discover::{DiscoverOptions, discover};
use portevoix_score::discovery::Discovery;
use portevoix_score::engine::Engine;
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use std::path::Path;

fn run(site: &str, campaign: &str) -> Discovery {
    let path = shared_dataset(site);
    let dataset = load(
        &[(path.as_path(), Some(FormatKind::StackExchange))],
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/campaigns")
        .join(campaign);
    let c = Campaign::from_toml_str(&std::fs::read_to_string(&file).unwrap(), campaign).unwrap();
    discover(&engine, &c, &DiscoverOptions::default()).unwrap()
}

#[test]
fn qiskit_advocates_help_on_its_tag_and_never_speak_against_it() {
    let d = run(
        "stackexchange/quantumcomputing",
        "quantumcomputing-qiskit-ambassadors.toml",
    );
    let scored: Vec<_> = d
        .accounts
        .iter()
        .filter(|a| a.contextual_score > 0.0)
        .collect();
    // Before: the advocacy gate asked for praise, which Q&A posts never
    // carry, and every candidate scored 0.
    assert!(scored.len() >= 5, "{} scored", scored.len());
    for a in &scored {
        let answers = a.signals["relevance.tag_answers"];
        let net = a.signals["brand.net_sentiment"];
        assert!(
            answers > 0.0 || a.signals["brand.sentiment"] >= 0.75,
            "{}",
            a.id
        );
        assert!(net >= 0.0, "{} advocates with net stance {net}", a.id);
        assert!(!a.detractor, "{}", a.id);
    }
    let ambassadors: Vec<_> = d
        .accounts
        .iter()
        .filter(|a| a.ambassador.is_some())
        .collect();
    assert!(!ambassadors.is_empty());
    for a in ambassadors {
        assert!(a.signals["relevance.tag_answers"] > 0.0, "{}", a.id);
        assert!(a.signals["brand.net_sentiment"] >= 0.0, "{}", a.id);
        assert!(
            a.classification_evidence
                .iter()
                .any(|e| e.contains("community helper"))
        );
    }
    // People who complain about Qiskit are gated and listed as detractors.
    assert!(
        d.accounts
            .iter()
            .any(|a| a.detractor && a.contextual_score == 0.0)
    );
}

#[test]
fn a_tag_campaign_without_a_brand_names_no_ambassador() {
    let d = run("stackexchange/cardano", "cardano-plutus-specialists.toml");
    assert!(d.accounts.iter().all(|a| a.ambassador.is_none()));
    assert!(
        d.accounts
            .iter()
            .filter(|a| a.contextual_score > 0.0)
            .count()
            >= 50
    );
}
