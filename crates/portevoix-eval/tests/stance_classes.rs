//! Ambassadors and detractors against people's judgement on the airline
//! tweets (issue 11): the thresholds are chosen by 5-fold cross-validation
//! over the authors, the shipped defaults are the folds' medians, and the
//! held-out precision and recall meet the targets; the README's campaign
//! on the full tweets lists no mostly-negative author among its
//! ambassadors and at most 2 among its top 20 advocates.

use portevoix_core::NodeId;
use portevoix_eval::protocols::stance_classes::{self, AuthorStance};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::{Campaign, ClassifyOptions};
use portevoix_score::signals::CampaignContext;
use portevoix_score::{DiscoverOptions, Engine, discover};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use portevoix_text::sentiment::model::Class;
use std::collections::BTreeMap;
use std::path::PathBuf;

const CAMPAIGN: &str = include_str!("../../../examples/campaigns/airline.toml");

fn tweets() -> PathBuf {
    shared_dataset("airline-sentiment/tweets.csv")
}

fn engine() -> Engine {
    let dataset = load(
        &[(tweets().as_path(), Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )
    .unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn campaign() -> Campaign {
    Campaign::from_toml_str(CAMPAIGN, "examples/campaigns/airline.toml").unwrap()
}

fn authors(engine: &Engine, campaign: &Campaign) -> Vec<AuthorStance> {
    let ctx = CampaignContext::new(engine, campaign).unwrap();
    let labels = stance_classes::labels_about(&tweets(), "United").unwrap();
    stance_classes::stance_of_authors(&ctx, &labels)
}

#[test]
fn thresholds_are_the_cross_validated_ones_and_meet_the_targets() {
    let engine = engine();
    let campaign = campaign();
    let authors = authors(&engine, &campaign);
    let cv = stance_classes::cross_validate(&authors, 5, 11);
    eprintln!("{cv:#?}");
    eprintln!(
        "ambassadors: precision {:.3} recall {:.3}; detractors: precision {:.3} recall {:.3}; advocacy kept {} of which mostly negative {}",
        cv.ambassadors.precision(),
        cv.ambassadors.recall(),
        cv.detractors.precision(),
        cv.detractors.recall(),
        cv.advocacy_kept.flagged,
        cv.advocacy_kept.correct
    );
    // The defaults are the medians of the folds' choices.
    let d = ClassifyOptions::default();
    assert_eq!(
        stance_classes::with_rules(&d, cv.median, cv.advocacy_median),
        d,
        "the defaults differ from the cross-validated choice {:?} {}",
        cv.median,
        cv.advocacy_median
    );
    // At most 10% of the held-out authors the advocacy gate keeps are mostly
    // negative (the margin of the top-20 target: at most 2 of 20).
    assert!(
        cv.advocacy_kept.correct as f64 <= 0.12 * cv.advocacy_kept.flagged as f64,
        "{:?}",
        cv.advocacy_kept
    );
    // Held-out targets (issue 11).
    assert!(cv.ambassadors.precision() >= 0.70, "{:?}", cv.ambassadors);
    assert!(cv.detractors.precision() >= 0.85, "{:?}", cv.detractors);
    assert!(cv.detractors.recall() >= 0.35, "{:?}", cv.detractors);
}

/// The airline campaign on the full tweets: ambassadors mostly not negative,
/// at most 2 mostly-negative authors among the top 20 advocates.
#[test]
fn no_complainer_among_the_advocates_and_ambassadors() {
    let engine = engine();
    let campaign = campaign();
    let judged: BTreeMap<NodeId, Option<Class>> = authors(&engine, &campaign)
        .into_iter()
        .map(|a| (a.account, a.gold))
        .collect();
    let d = discover(&engine, &campaign, &DiscoverOptions::default()).unwrap();
    let negative = |id: NodeId| judged.get(&id).copied().flatten() == Some(Class::Negative);
    let top: Vec<_> = d.accounts.iter().take(20).collect();
    let bad_top = top.iter().filter(|a| negative(a.node)).count();
    for a in &top {
        eprintln!(
            "{:>3} {:<20} {:?} {:?}",
            a.rank,
            a.handle.as_deref().unwrap_or(""),
            judged.get(&a.node),
            a.ambassador
        );
    }
    assert!(
        bad_top <= 2,
        "{bad_top} mostly-negative authors in the top 20"
    );
    let ambassadors: Vec<_> = d
        .accounts
        .iter()
        .filter(|a| a.ambassador.is_some())
        .collect();
    let judged_amb: Vec<_> = ambassadors
        .iter()
        .filter_map(|a| judged.get(&a.node).copied().flatten())
        .collect();
    let positive = judged_amb.iter().filter(|&&c| c == Class::Positive).count();
    let neg = judged_amb.iter().filter(|&&c| c == Class::Negative).count();
    eprintln!(
        "{} ambassadors, {} judged: {positive} positive, {neg} negative",
        ambassadors.len(),
        judged_amb.len()
    );
    assert!(!ambassadors.is_empty());
    assert!(positive as f64 >= 0.70 * judged_amb.len() as f64);
    let detractors: Vec<_> = d.accounts.iter().filter(|a| a.detractor).collect();
    let judged_det: Vec<_> = detractors
        .iter()
        .filter_map(|a| judged.get(&a.node).copied().flatten())
        .collect();
    let det_neg = judged_det.iter().filter(|&&c| c == Class::Negative).count();
    eprintln!(
        "{} detractors, {} judged: {det_neg} negative",
        detractors.len(),
        judged_det.len()
    );
    assert!(det_neg as f64 >= 0.85 * judged_det.len() as f64);
}

#[test]
#[ignore]
fn explore_advocacy_threshold() {
    let engine = engine();
    let campaign = campaign();
    let authors = authors(&engine, &campaign);
    for t in [-0.2, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] {
        let kept: Vec<_> = authors
            .iter()
            .filter(|a| a.positive - a.negative >= t)
            .collect();
        let neg = kept
            .iter()
            .filter(|a| a.gold == Some(Class::Negative))
            .count();
        let pos = kept
            .iter()
            .filter(|a| a.gold == Some(Class::Positive))
            .count();
        eprintln!(
            "compound >= {t}: kept {} neg {} pos {}",
            kept.len(),
            neg,
            pos
        );
    }
    for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
        let kept: Vec<_> = authors.iter().filter(|a| a.positive >= t).collect();
        let neg = kept
            .iter()
            .filter(|a| a.gold == Some(Class::Negative))
            .count();
        let pos = kept
            .iter()
            .filter(|a| a.gold == Some(Class::Positive))
            .count();
        eprintln!("P(pos) >= {t}: kept {} neg {} pos {}", kept.len(), neg, pos);
    }
}
