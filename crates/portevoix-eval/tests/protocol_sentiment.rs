//! The sentiment protocol: Porte-voix's VADER equals vaderSentiment on the
//! airline tweets' labels, masking the airline helps, French is reported.

mod common;

use portevoix_eval::protocol::EvalOptions;
use portevoix_eval::protocols::sentiment;

#[test]
fn vader_matches_the_reference_and_masking_helps() {
    let options = EvalOptions {
        resamples: 50,
        ..common::options()
    };
    let report = sentiment::run(&options).unwrap();
    assert_eq!(report.population, 8771);
    let get = |suffix: &str, metric: &str| {
        report
            .results
            .iter()
            .find(|r| r.variant.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix}"))
            .metrics[metric]
    };
    let ours = get("VADER, whole tweet", "accuracy");
    let reference = get("vaderSentiment 3.3.2 (Python)", "accuracy");
    // Every compound is equal, so every metric is.
    assert_eq!(ours, reference);
    assert!((ours.estimate - 0.4962).abs() < 1e-4, "{}", ours.estimate);
    let masked = get("airline masked", "macro_f1");
    assert!(masked.estimate > get("VADER, whole tweet", "macro_f1").estimate + 0.03);
    assert!(masked.low <= masked.estimate && masked.estimate <= masked.high);
    // The learned model beats VADER on the airline tweets (measured: accuracy
    // 0.6987, macro-F1 0.6574 against 0.5558 and 0.5182).
    let model = get("model, airline as <brand>", "accuracy");
    assert!(model.estimate > get("airline masked", "accuracy").estimate + 0.1);
    assert!(
        (model.estimate - 0.6987).abs() < 0.002,
        "{}",
        model.estimate
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.starts_with("Ambassadors and detractors against people"))
    );
    let french = get("VADER French", "accuracy");
    assert!(
        (french.estimate - 49.0 / 92.0).abs() < 1e-9,
        "{}",
        french.estimate
    );
}

/// `--data` alone is enough: no shared datasets directory is needed (the
/// library used to look for it, and panicked when it was missing).
#[test]
fn other_data_needs_no_datasets_directory() {
    let options = EvalOptions {
        data: vec![portevoix_testdata::shared_dataset(
            "airline-sentiment/tweets.csv",
        )],
        resamples: 20,
        datasets: None,
        ..EvalOptions::default().quick()
    };
    let report = sentiment::run(&options).unwrap();
    assert_eq!(report.population, 2000);
    assert!(report.data[0].ends_with("airline-sentiment/tweets.csv"));
    // The reference values belong to the default data only.
    assert!(
        !report
            .results
            .iter()
            .any(|r| r.variant.contains("vaderSentiment"))
    );
}

/// The default data, when no datasets directory is given, is an error that
/// says what to do, not a panic.
#[test]
fn missing_datasets_directory_is_an_error() {
    let e = sentiment::run(&EvalOptions::default()).unwrap_err();
    assert_eq!(e.kind(), portevoix_core::ErrorKind::Argument);
    assert!(e.to_string().contains("--datasets"), "{e}");
    let e =
        sentiment::run(&EvalOptions::default().with_datasets("/nonexistent/datasets")).unwrap_err();
    assert_eq!(e.kind(), portevoix_core::ErrorKind::Io);
    assert!(
        e.to_string().contains("airline-sentiment/tweets.csv"),
        "{e}"
    );
}
