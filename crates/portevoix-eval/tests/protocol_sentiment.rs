//! The sentiment protocol: Porte-voix's VADER equals vaderSentiment on the
//! airline tweets' labels, masking the airline helps, French is reported.

use portevoix_eval::protocol::EvalOptions;
use portevoix_eval::protocols::sentiment;

#[test]
fn vader_matches_the_reference_and_masking_helps() {
    let options = EvalOptions {
        resamples: 50,
        ..EvalOptions::default()
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
    let french = get("VADER French", "accuracy");
    assert!(
        (french.estimate - 49.0 / 92.0).abs() < 1e-9,
        "{}",
        french.estimate
    );
}
