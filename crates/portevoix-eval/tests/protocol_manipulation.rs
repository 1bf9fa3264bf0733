//! The manipulation protocol on the bundled Higgs sample: farms, pods and
//! follow/unfollow bursts lift the baseline and the classic scores, not the
//! contextual score, and the injected accounts carry the authenticity cues.

mod common;

use portevoix_eval::protocol::EvalOptions;
use portevoix_eval::protocols::manipulation;

#[test]
fn farms_pods_and_bursts_buy_baseline_rank_not_contextual_rank() {
    let options = EvalOptions {
        variants: Some(vec![
            "in_degree".into(),
            "baseline".into(),
            "contextual_awareness".into(),
        ]),
        resamples: 50,
        ..common::options()
    }
    .quick();
    let report = manipulation::run(&options).unwrap();
    assert_eq!(report.results.len(), 3);
    let gain = |variant: &str, scenario: &str| {
        report
            .results
            .iter()
            .find(|r| r.variant == variant)
            .unwrap()
            .metrics[&format!("{scenario}: % rank gained")]
            .estimate
    };
    for scenario in manipulation::SCENARIOS {
        // Ordinary accounts jump to the top of the single social score (a
        // 30-account pod buys a place near rank 200 of 38,753, most of the
        // way from the targets' ranks 868 and 2,728)...
        let bought = if scenario == "pod" { 75.0 } else { 90.0 };
        assert!(
            gain("baseline", scenario) > bought,
            "{scenario}: {}",
            gain("baseline", scenario)
        );
        assert!(
            gain("in_degree", scenario) > bought,
            "{scenario}: {}",
            gain("in_degree", scenario)
        );
        // ...and gain nothing under the contextual score.
        assert!(
            gain("contextual_awareness", scenario) <= 0.0,
            "{scenario}: {}",
            gain("contextual_awareness", scenario)
        );
    }
    // Two targets, each rank change written out.
    assert_eq!(
        report
            .setup
            .iter()
            .filter(|l| l.contains(": baseline rank "))
            .count(),
        2 * manipulation::SCENARIOS.len()
    );
}
